"""What an assessment sends out: the staff report (HTML, PDF) and the letter.

The assessment (evrak.assessment) has already chosen the letter (D30, D31): deficient ->
the deficiency letter with the completion deadline and the EK items to complete; reject ->
the rejection letter citing only the programme's own reasons; pass and review -> none yet
(a person decides a review; acceptance comes after the evaluation, not from pre-screening).
Here we only fill and render it. TCKNs in what the letter quotes are masked (KVKK).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from docgen.context import Application, Missing, Reason, Signer, build_context
from docgen.pdf import Pool
from docgen.render import render_document
from docgen.report import write_report
from evrak.assessment import Assessment, Letter, mask_text
from evrak.manifest import Manifest

_POOL: Any = None
_POOL_LOCK = threading.Lock()


def shared_pool() -> Any:
    """One warm LibreOffice pool per process: a service converts many reports in a row."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool(size=1)
            atexit.register(_POOL.close)
        return _POOL


def as_assessment(report: Assessment | dict) -> Assessment:
    """The assessment, from the object or from its report.json form (decisions included)."""
    return report if isinstance(report, Assessment) else Assessment.from_dict(report)


def letter_for(report: Assessment | dict, manifest: Manifest, out_dir: Path, *, pdf: bool) -> list[Path]:
    """The letter the assessment calls for, rendered into `out_dir` (none: [])."""
    a = as_assessment(report)
    o = a.outcome
    if o.letter is Letter.NONE:
        return []
    program = a.profile
    app = Application.from_manifest(manifest, signers=[Signer(manifest.applicant.name)])
    if o.letter is Letter.DEFICIENCY:
        missing = [Missing(m.kind, mask_text(m.problem)) for m in o.missing]
        ctx = build_context("eksik_evrak_yazisi", program, app, doc_date=a.as_of, missing=missing)
    else:
        reasons = [Reason(r.code, [mask_text(f) for f in r.findings]) for r in o.reasons]
        ctx = build_context("sonuc_yazisi", program, app, doc_date=a.as_of, result="rejected", reasons=reasons)
    rendered = render_document(o.letter.template, ctx, out_dir, pdf=pdf, pool=shared_pool() if pdf else None)
    return [p for p in (rendered.docx, rendered.pdf) if p is not None]


def render_for_report(report: Assessment | dict, out_dir: Path, *, pdf: bool,
                      manifest: Manifest | None = None, package_root: Path | None = None) -> list[Path]:
    """report.html (+ report.pdf, + the evidence pages when the package is at hand) and the
    letter the assessment calls for, into `out_dir`."""
    a = as_assessment(report)
    written = write_report(a, out_dir, pdf=pdf, pool=shared_pool() if pdf else None, package_root=package_root)
    if manifest is not None:
        written += letter_for(a, manifest, out_dir, pdf=pdf)
    return written


def decided_report(assessment: Assessment, folder: Path, *, pdf: bool = True,
                   package_root: Path | None = None) -> Path:
    """The staff report as the decisions leave it, rendered once per state under `folder`.

    The same decisions give the same file; a new decision a new one beside it (the earlier
    renderings stay: nothing a person has seen is overwritten, D34).
    """
    data = assessment.to_dict()
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    target = folder / digest
    name = "report.pdf" if pdf else "report.html"
    if (target / name).is_file():
        return target / name
    tmp = folder / f".{digest}-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        write_report(assessment, tmp, pdf=pdf, pool=shared_pool() if pdf else None, package_root=package_root)
        try:
            os.rename(tmp, target)
        except OSError:  # another request rendered the same state first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target / name
