"""What a pre-screening result sends out: the staff report (HTML, PDF) and the letter.

The verdict decides the letter (D30, D31): deficient -> the deficiency letter with the
completion deadline; reject -> the rejection letter citing only the programme's own
reasons; pass and review -> none yet (a person decides a review; acceptance comes after
the evaluation, not from pre-screening).
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import Any

from docgen.context import Application, Missing, Reason, Signer, build_context
from docgen.render import render_document
from docgen.report import write_report
from evrak.dates import now
from evrak.findings import Severity, Verdict
from evrak.manifest import Manifest
from evrak.profiles import Program, load_profile

_POOL: Any = None
_POOL_LOCK = threading.Lock()


def shared_pool() -> Any:
    """One warm LibreOffice pool per process: a service converts many reports in a row."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from docgen.pdf import Pool

            _POOL = Pool(size=1)
            atexit.register(_POOL.close)
        return _POOL


def missing_items(program: Program, findings: list[dict]) -> list[Missing]:
    """The EK items a deficiency letter lists, each with what is wrong, in the finding's words."""
    out: list[Missing] = []
    seen: set[tuple[str, str]] = set()
    for f in findings:
        if f["severity"] != Severity.DEFICIENT.value:
            continue
        subject = f.get("subject")
        if f["rule"] in ("PROFORMA_MISSING", "PROFORMA_SAME_SUPPLIER", "PROFORMA_NOT_CURRENT"):
            kind = "proforma"
        elif f["rule"] == "TECHSPEC_MISSING":
            kind = "teknik_sartname"
        elif subject and program.document(subject):
            kind = subject
        else:
            continue
        if program.document(kind) is None:
            continue
        problem = "sunulmamıştır" if f["rule"] == "DOC_MISSING" else f["message"]
        if (kind, problem) not in seen:
            seen.add((kind, problem))
            out.append(Missing(kind, problem))
    return out


def letter_for(report: dict, manifest: Manifest, out_dir: Path, *, pdf: bool) -> list[Path]:
    verdict = Verdict(report["verdict"])
    if verdict not in (Verdict.DEFICIENT, Verdict.REJECT):
        return []
    program = load_profile(report["program"])
    app = Application.from_manifest(manifest, signers=[Signer(manifest.applicant.name)])
    today = now().date()
    if verdict is Verdict.DEFICIENT:
        missing = missing_items(program, report["findings"])
        if not missing:
            return []
        ctx = build_context("eksik_evrak_yazisi", program, app, doc_date=today, missing=missing)
        kind = "eksik_evrak_yazisi"
    else:
        reasons = [Reason(r["code"], r["findings"]) for r in report["reasons"]]
        if not reasons:
            return []
        ctx = build_context("sonuc_yazisi", program, app, doc_date=today, result="rejected", reasons=reasons)
        kind = "sonuc_yazisi"
    rendered = render_document(kind, ctx, out_dir, pdf=pdf, pool=shared_pool() if pdf else None)
    return [p for p in (rendered.docx, rendered.pdf) if p is not None]


def render_for_report(report: Any, out_dir: Path, *, pdf: bool, manifest: Manifest | None = None) -> list[Path]:
    """report.html (+ report.pdf) and the letter the verdict calls for, into `out_dir`."""
    data = report.to_dict() if hasattr(report, "to_dict") else report
    written = write_report(data, out_dir, pdf=pdf, pool=shared_pool() if pdf else None)
    if manifest is not None:
        written += letter_for(data, manifest, out_dir, pdf=pdf)
    return written
