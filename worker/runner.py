"""What a worker does with one job id: claim it, run it, store the outcome, move the input.

Order matters for "lose nothing, do once": the result is written (the pipeline renames
it into the outbox), then the job row is finished with the input's final place, then the
input is renamed there (archive/ on success, failed/ with <name>.error.txt otherwise).
A crash between any two steps is repaired by the sweep, which finishes the move of a
final job whose input is still in work/ and re-queues a running job whose heartbeat
stopped. Every write after the claim presents the claim token, so a worker that lost its
claim (it stalled and the sweep gave the job away) changes nothing.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType

from celery.exceptions import SoftTimeLimitExceeded

from evrak.errors import UserError
from worker import settings
from worker.batch_queue import run_chunk
from worker.layout import Layout, move_onto, reserve, write_note
from worker.store import FINAL_STATES, Claim, JobInfo, JobStore, get_store, utcnow
from worker.store_health import Throttle
from worker.submissions import run_prescreen

log = logging.getLogger("evrak.worker")
_heartbeat_errors = Throttle(log)  # one line per problem at growing intervals, no traceback


@dataclass
class Outcome:
    state: str  # done | failed | retry | dropped
    retry_in: float | None = None


class Heartbeat:
    """Refresh the running job's heartbeat from a thread while the work goes on."""

    def __init__(self, store: JobStore, claim: Claim) -> None:
        self.store, self.claim = store, claim
        self.stop = threading.Event()
        self.lost = False
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{claim.job.id}", daemon=True)

    def _beat(self) -> None:
        while not self.stop.wait(settings.heartbeat_s()):
            try:
                if not self.store.heartbeat(self.claim.job.id, self.claim.token):
                    self.lost = True
                    return
            except Exception as exc:  # a busy or broken store: try again next beat, say so rarely
                _heartbeat_errors.problem(f"iş {self.claim.job.id}: heartbeat yazılamadı "
                                          f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})",
                                          logging.WARNING)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: base, 2*base, 4*base ... capped."""
    delay = min(settings.retry_max_s(), settings.retry_base_s() * (2 ** max(0, attempt - 1)))
    return delay * random.uniform(0.8, 1.2)


def work_input(job: JobInfo) -> Path:
    return Layout(Path(job.base_dir)).work_dir(job.id) / job.input_name


def _execute(job: JobInfo, store: JobStore) -> dict:
    """Run the job's work; returns the columns to store. Raises UserError for poison input."""
    slow = settings.test_slow_job_s()
    if slow > 0 and settings.test_slow_match() in job.input_name:
        time.sleep(slow)  # test hook (EVRAK_TEST_SLOW_JOB_S): crash and time-limit tests
    match = settings.test_fail_match()
    if match and match in job.input_name:  # test hook (EVRAK_TEST_FAIL_MATCH): a crashing job
        raise RuntimeError(f"test kancası: {job.input_name} için yapay hata")
    if job.kind == "prescreen":  # its own result folder, linked to earlier submissions (D34)
        return run_prescreen(job, work_input(job), store, pdf=settings.pdf_enabled())
    if job.kind == "batch":
        return run_chunk(job, work_input(job))
    raise UserError(f"bilinmeyen iş türü: {job.kind}")


def finish_move(job: JobInfo, target: Path) -> None:
    """Move the job's input from work/ onto its reserved place and drop the empty work folder."""
    src = work_input(job)
    if src.exists() or src.is_symlink():
        move_onto(src, target)
    work_dir = src.parent
    try:
        work_dir.rmdir()  # only ever removes an empty folder
    except OSError:
        pass


def fail_job(store: JobStore, claim: Claim, error: str, *, detail: str = "") -> bool:
    """Final failure: reserve failed/<name>, record it, move the input there, write the note."""
    job = claim.job
    layout = Layout.at(job.base_dir)
    src = work_input(job)
    target = reserve(layout.failed, job.input_name, job.id, is_dir=src.is_dir())
    if not store.fail(job.id, claim.token, error=error, input_path=str(target)):
        _unreserve(target)
        return False
    finish_move(job, target)
    write_note(layout.failed, target.name, failure_note(job, error, detail))
    return True


def failure_reason(exc: BaseException) -> str:
    """The one-line Turkish reason stored for a job that raised (the traceback goes to the note)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return (f"zaman sınırı aşıldı: paket {settings.soft_time_limit_s():g} sn içinde işlenemedi "
                "(SoftTimeLimitExceeded)")
    text = " ".join(str(exc).split())[:300]
    return f"işlenirken beklenmeyen hata ({type(exc).__name__}: {text})"


def failure_note(job: JobInfo, error: str, detail: str = "") -> str:
    lines = [
        f"Paket işlenemedi: {job.input_name}",
        f"İş: {job.id} ({job.kind}), deneme: {job.attempts}/{job.max_attempts}",
        f"SHA-256: {job.input_sha256}",
        f"Zaman (UTC): {utcnow().isoformat(timespec='seconds')}",
        "",
        f"Hata: {error}",
    ]
    if detail:
        lines += ["", detail]
    return "\n".join(lines)


def _unreserve(target: Path) -> None:
    """Remove a placeholder we created and did not use (it is empty by construction)."""
    try:
        target.rmdir() if target.is_dir() else target.unlink()
    except OSError:
        pass


def run(job_id: str, *, worker_id: str, store: JobStore | None = None) -> Outcome:
    store = store or get_store()
    claim = store.claim(job_id, worker_id)
    if claim is None:
        job = store.get(job_id)
        if job is None:
            log.warning("iş %s kayıtlı değil; mesaj atlandı", job_id)
        elif job.state in FINAL_STATES:
            log.info("iş %s zaten %s; mesaj atlandı", job_id, job.state)
        else:
            log.info("iş %s şu an %s (%s); mesaj atlandı", job_id, job.state, job.worker_id)
        return Outcome("dropped")
    job = claim.job
    log.info("iş %s başladı (deneme %d/%d): %s", job.id, job.attempts, job.max_attempts, job.input_name)
    with Heartbeat(store, claim) as hb:
        try:
            values = _execute(job, store)
        except UserError as exc:  # poison: the package cannot be opened; no retries
            # name the package as the user knows it, not by its place in work/
            fail_job(store, claim, str(exc).replace(str(work_input(job)), job.input_name))
            log.warning("iş %s reddedildi: %s", job.id, exc)
            return Outcome("failed")
        except Exception as exc:  # includes SoftTimeLimitExceeded: transient, retry
            error = failure_reason(exc)
            if job.attempts >= job.max_attempts:
                fail_job(store, claim, error, detail=traceback.format_exc())
                log.error("iş %s %d denemede başarısız: %s", job.id, job.attempts, error)
                return Outcome("failed")
            delay = backoff(job.attempts)
            not_before = utcnow() + timedelta(seconds=delay)
            if not store.release(job.id, claim.token, error=error, not_before=not_before):
                return Outcome("dropped")
            log.warning("iş %s hata verdi, %.1f sn sonra yeniden: %s", job.id, delay, error)
            return Outcome("retry", retry_in=delay)
    if hb.lost:
        log.warning("iş %s başka işçiye verilmişti; sonuç kaydedilmedi", job.id)
        return Outcome("dropped")
    layout = Layout.at(job.base_dir)
    src = work_input(job)
    target = reserve(layout.archive, job.input_name, job.id, is_dir=src.is_dir())
    if not store.complete(job.id, claim.token, input_path=str(target), **values):
        _unreserve(target)
        log.warning("iş %s başka işçiye verilmişti; sonuç kaydedilmedi", job.id)
        return Outcome("dropped")
    finish_move(job, target)
    log.info("iş %s tamam: %s %s", job.id, values.get("application_no"), values.get("verdict"))
    return Outcome("done")
