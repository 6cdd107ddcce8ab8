"""One package in, its results out: report.json, report.html, report.pdf and the letter.

This is where verifiers and docgen meet (architecture.md: they do not import each other).
The CLI, the drop folder and the web page all call `process_package`, so a package gets
the same treatment whichever way it arrives. Results are written into a temporary folder
and renamed into place, so a crash never leaves half a result.

The service gives every submission its own folder, outbox/<application no>/<job id>/
(D34: a second package for the same application is kept beside the first, never over
it); the CLI without a submission id writes outbox/<application no>/, where a rerun
replaces its own earlier result.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from evrak.assessment import identities
from evrak.findings import Verdict
from evrak.history import History
from evrak.manifest import Manifest
from verifiers.package import open_package
from verifiers.prescreen.report import PrescreenReport
from verifiers.prescreen.run import prescreen_package
from worker import documents_out


@dataclass
class PipelineResult:
    application_no: str
    program: str
    verdict: str
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    sha256: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    vkn: str = ""  # the applicant's, so the job store can tell its earlier applications (evrak.history)
    submitted_at: datetime | None = None

    def to_dict(self) -> dict:
        return {
            "application_no": self.application_no,
            "program": self.program,
            "verdict": self.verdict,
            "out_dir": str(self.out_dir),
            "outputs": [str(p) for p in self.outputs],
            "sha256": self.sha256,
            "counts": self.counts,
        }


def safe_name(application_no: str) -> str:
    """"TR63/23/FKD/MAKİNE-0042" -> "TR63-23-FKD-MAKİNE-0042": one folder, no path tricks."""
    name = re.sub(r"[^\w.-]+", "-", application_no, flags=re.UNICODE).strip("-.")
    return name or "basvuru"


def default_trust_dir() -> Path | None:
    env = os.environ.get("EVRAK_TRUST_DIR")
    return Path(env) if env else None


IDENTITIES = "kimlik.json"  # masked TCKN -> full value, never offered as a download


def write_outputs(report: PrescreenReport, manifest: Manifest, tmp: Path, *, pdf: bool,
                  package_root: Path | None = None) -> list[Path]:
    """report.json, report.html (+ report.pdf, the evidence pages) and the letter the verdict calls for."""
    data = report.to_dict()  # TCKNs masked (KVKK): this is the file staff are offered
    (tmp / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    # The full values, apart and owner-only, for a role allowed to see them (evrak.assessment.reveal).
    fd = os.open(tmp / IDENTITIES, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(identities(report.to_dict(reveal_tckn=True)), fh, ensure_ascii=False)
    return [tmp / "report.json", *documents_out.render_for_report(data, tmp, pdf=pdf, manifest=manifest,
                                                                  package_root=package_root)]


def _replace_dir(new: Path, final: Path, attempts: int = 20) -> None:
    """Put `new` at `final`, replacing what is there; safe when another process does the same.

    Two packages with one application no may finish together: each moves the current result
    aside under a unique name and retries until its own rename lands. The last one wins.
    """
    for _ in range(attempts):
        try:
            new.rename(final)
            return
        except OSError:
            if not final.exists():
                continue
            old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
            try:
                final.rename(old)
            except OSError:
                continue  # someone else moved it first
            shutil.rmtree(old, ignore_errors=True)
    raise OSError(f"sonuç klasörü yerine konamadı: {final}")


#: The folder inside a submission's result that holds the package as screened (a
#: completion joined with the documents received before it).
JOINED_PACKAGE = "paket"


def result_dir(outbox: Path, application_no: str, submission: str | None = None) -> Path:
    """outbox/<application no>/ or, for one submission, outbox/<application no>/<submission>/."""
    base = outbox / safe_name(application_no)
    return base / safe_name(submission) if submission else base


def process_package(source: Path, outbox: Path, *, trust_dir: Path | None = None,
                    crl_files: tuple[Path, ...] = (), pdf: bool = True, submission: str | None = None,
                    keep_package: Path | None = None, history: History | None = None) -> PipelineResult:
    """Pre-screen `source` (folder or zip) and store its results in outbox/<application no>/
    (or .../<submission>/ when a submission id is given: the service's job id).

    `keep_package`: a folder moved into the result as paket/ (the joined package of a
    completion, which the page shows and the next completion builds on).
    `history`: the agency's applicant history (evrak.history) for the rules on earlier
    applications, supports and bans; None: those rules are noted as not checked.
    Raises evrak.errors.UserError when the package cannot be opened (no or broken manifest,
    unsafe zip); the caller keeps the package and records the message.
    """
    trust_dir = trust_dir or default_trust_dir()
    if trust_dir is not None and not crl_files:
        # A deployment keeps its CRLs beside the roots; without them revocation goes unchecked.
        crl_files = tuple(sorted(Path(trust_dir).rglob("*.crl")))
    outbox.mkdir(parents=True, exist_ok=True)
    with open_package(source) as package:
        report = prescreen_package(package, trust_dir=trust_dir, crl_files=crl_files, history=history)
        manifest = package.manifest
        final = result_dir(outbox, report.application_no, submission)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        try:  # while the package is open: the staff report shows the evidence pages
            written = write_outputs(report, manifest, tmp, pdf=pdf, package_root=package.root)
            if keep_package is not None:
                shutil.move(str(keep_package), tmp / JOINED_PACKAGE)
                written.append(tmp / JOINED_PACKAGE)
            _replace_dir(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return PipelineResult(
        application_no=report.application_no,
        program=report.program,
        verdict=Verdict(report.verdict).value,
        out_dir=final,
        outputs=[final / p.name for p in written],
        sha256=report.package_sha256,
        counts=report.counts(),
        vkn=manifest.applicant.vkn,
        submitted_at=manifest.submitted_at,
    )
