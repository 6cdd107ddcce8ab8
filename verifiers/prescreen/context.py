"""What every pre-screening check sees: the programme, the manifest, the read documents.

Checks never build Finding objects by hand; `CheckContext.finding` applies the programme's
severity for the rule (profile overrides rules.md defaults) and its guide lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evrak.findings import Evidence, Finding, Severity
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
    document_summaries: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def finding(self, rule: str, message: str, *, evidence: list[Evidence] | None = None,
                refs: str | list[str] = "", subject: str | None = None,
                severity: Severity | None = None) -> Finding:
        ref_list = [r for r in ([refs] if isinstance(refs, str) else refs) if r]
        f = Finding(rule, message, severity or self.program.severity(rule), evidence or [],
                    ref_list, subject)
        self.findings.append(f)
        return f

    def manifest_evidence(self, field_name: str, value: object) -> Evidence:
        return Evidence(file=self.manifest_name, text=field_name, value=str(value))


    def facts_of(self, kind: str) -> list[tuple[str, Any]]:
        """(file, facts) for the documents the manifest names under `kind` that could be read."""
        out = []
        for name in self.manifest.files_of(kind):
            doc = self.documents.get(name)
            if doc is not None and getattr(doc, "facts", None) is not None:
                out.append((name, doc.facts))
        return out
