"""What every pre-screening check sees: the programme, the manifest, the read documents.

Checks report through `CheckContext.finding` (or hand over the readers' and the signature
verifier's findings as they are); every one of them is admitted afterwards through
evrak.assessment.admit, the one path that applies the programme's severity, its guide
lines and the certainty cap (D32).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evrak.findings import Certainty, Evidence, Finding, Severity
from evrak.history import History
from evrak.manifest import Manifest
from evrak.profiles import Program


@dataclass
class CheckContext:
    program: Program
    manifest: Manifest
    root: Path
    files: list[str]
    manifest_name: str = "basvuru.yaml"
    documents: dict[str, Any] = field(default_factory=dict)  # file -> verifiers DocumentResult
    signatures: dict[str, Any] = field(default_factory=dict)  # file -> SignedFileReport
    taahhutname_deadline: datetime | None = None
    trust_dir: Path | None = None
    crl_files: tuple[Path, ...] = ()
    # The agency's applicant history (evrak.history); None: none was configured (D32: the
    # history rules then say in the report that they were not checked).
    history: History | None = None
    document_summaries: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Files the manifest does not name but whose content was recognised: file -> kind.
    recognised: dict[str, str] = field(default_factory=dict)

    def finding(self, rule: str, message: str, *, evidence: list[Evidence] | None = None,
                refs: str | list[str] = "", subject: str | None = None,
                severity: Severity | None = None, certainty: Certainty = Certainty.READ) -> Finding:
        """A finding at the rule's severity (the profile's, applied on admission) unless the
        check chooses another on purpose (e.g. review for a value it could not read)."""
        ref_list = [r for r in ([refs] if isinstance(refs, str) else refs) if r]
        f = Finding(rule, message, severity, evidence or [], ref_list, subject, certainty)
        self.findings.append(f)
        return f

    def manifest_evidence(self, field_name: str, value: object) -> Evidence:
        return Evidence(file=self.manifest_name, text=field_name, value=str(value))

    def files_of(self, kind: str) -> list[str]:
        """Present files of `kind`: those the manifest names, else those recognised by content.

        A taahhütname or KUB in the package but missing from the manifest is still the
        applicant's document; it counts (and is checked) as that kind.
        """
        present = set(self.files)
        named = [f for f in self.manifest.files_of(kind) if f in present]
        return named or sorted(f for f, k in self.recognised.items() if k == kind)

    def readable(self, name: str) -> bool:
        """Something could be read from the file (text, OCR, a structured form)."""
        doc = self.documents.get(name)
        if doc is None:
            return False
        if getattr(doc, "facts", None) is not None and not doc.pages:
            return True  # structured (e-Fatura XML)
        return any((p.get("chars") or 0) > 0 for p in getattr(doc, "pages", []) or [])

    def read_certainty(self, name: str) -> Certainty:
        """How certain a value read from `name` is (D32): the text layer, an office file or a
        structured form is read; a value that came through OCR is inferred, so a finding that
        rests on it can reach review but never a rejection by itself."""
        doc = self.documents.get(name)
        pages = getattr(doc, "pages", None) or []
        return Certainty.INFERRED if any(p.get("source") == "ocr" for p in pages) else Certainty.READ

    def facts_of(self, kind: str) -> list[tuple[str, Any]]:
        """(file, facts) for the present documents of `kind` that could be read."""
        out = []
        for name in self.files_of(kind):
            doc = self.documents.get(name)
            if doc is not None and getattr(doc, "facts", None) is not None:
                out.append((name, doc.facts))
        return out
