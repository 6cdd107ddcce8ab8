"""One pre-screening job: a package, or a completion joined with what came before (D34).

Every submission keeps its own result folder, outbox/<application no>/<job id>/, and its
own row; a later submission of the same application is linked to the one it follows
(`completes`). A completion package (tamamlama.yaml, worker.completion) is joined with the
package of the submission it completes, and the joined package is screened again and kept
in the result as paket/, so a second completion builds on the first.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from evrak.errors import UserError
from worker import completion
from worker.history_source import configured_history
from worker.layout import Layout
from worker.pipeline import JOINED_PACKAGE, process_package
from worker.store import DONE, DUPLICATE, FAILED, JobInfo, JobStore


def package_source(job: JobInfo) -> Path:
    """The package a done submission was screened on: its joined paket/, else its archived input."""
    for out in job.outputs or []:
        p = Path(out)
        if p.name == JOINED_PACKAGE and p.is_dir():
            return p
    return Path(job.input_path)


def previous(store: JobStore, job: JobInfo, application_no: str, *, done: bool = True) -> JobInfo | None:
    """The latest submission of `application_no` received before `job` (done ones only, or any
    that is not failed or a duplicate: a whole package is linked even while the one before runs)."""
    ok = (DONE,) if done else None
    earlier = [j for j in store.submissions(application_no)
               if j.id != job.id and (j.state in ok if ok else j.state not in (FAILED, DUPLICATE))
               and j.created_at and job.created_at and (j.created_at, j.id) < (job.created_at, job.id)]
    return earlier[-1] if earlier else None


def base_of(store: JobStore, job: JobInfo, ref: str | None, application_no: str | None,
            *, done: bool = True) -> JobInfo | None:
    """The submission `job` completes: named (`ref`, a job id or prefix), else the latest before it."""
    if ref:
        base = store.resolve(ref)
        if base.kind != "prescreen" or base.state != DONE:
            raise UserError(f"tamamlanan iş {base.id} bitmiş bir ön inceleme değil ({base.state})")
        if application_no and base.application_no != application_no:
            raise UserError(f"tamamlama {application_no} başvurusuna ait, iş {base.id} ise "
                            f"{base.application_no} başvurusunun")
        return base
    return previous(store, job, application_no, done=done) if application_no else None


def run_prescreen(job: JobInfo, source: Path, store: JobStore, *, pdf: bool) -> dict[str, Any]:
    """Screen `source` for `job`; the columns to store (outputs, verdict, link ...)."""
    outbox = Layout(Path(job.base_dir)).outbox
    ref = (job.params or {}).get("completes")
    history = configured_history(store)
    if completion.is_completion(source):
        with completion.open_completion(source) as comp:
            base = base_of(store, job, ref or comp.note.completes, comp.note.application_no)
            if base is None:
                raise UserError(f"{comp.note.application_no} numaralı başvurunun önceki bir paketi yok; "
                                "tamamlama bir önceki başvuruya eklenir", file=completion.COMPLETION_NAME)
            outbox.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".join-", dir=outbox))
            try:
                joined = completion.join(package_source(base), comp, tmp / JOINED_PACKAGE)
                result = process_package(joined, outbox, pdf=pdf, submission=job.id, keep_package=joined,
                                         history=history)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            received = comp.note.submitted_at
    else:
        result = process_package(source, outbox, pdf=pdf, submission=job.id, history=history)
        base = base_of(store, job, ref, result.application_no, done=False)
        received = None
    return {"outputs": [str(p) for p in result.outputs], "application_no": result.application_no,
            "program": result.program, "verdict": result.verdict, "counts": result.counts,
            "completes": base.id if base else None, "received_at": received,
            "vkn": result.vkn or None, "submitted_at": result.submitted_at}
