"""The sweep: what makes the job table, not the broker, the durable queue.

Run periodically by the watcher and by every worker (any number may run at once: each
change is a conditional UPDATE, so only one sweeper wins it):

- a `running` job whose heartbeat is older than EVRAK_STALE_S belonged to a worker that
  died (kill -9, machine lost, hard time limit): back to `queued` and sent again, or, when
  it has used its attempts, `failed` with its input in failed/ (a package that kills its
  worker every time must not kill workers forever);
- a `queued` job not claimed for EVRAK_REQUEUE_AFTER_S: its message may be lost (the
  embedded transports lose unacked messages when a worker dies): sent again;
- a `received` job whose intake stopped halfway: finished or failed with a reason;
- work/<id>/ of a final job still holding its input: the move to archive/ or failed/ is
  finished.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from worker import settings
from worker.layout import Layout, is_placeholder, move_onto, reserve, write_note
from worker.producer import PRIORITY_RESUMED, enqueue
from worker.runner import failure_note, finish_move, work_input
from worker.store import (
    DONE,
    FINAL_STATES,
    JobInfo,
    JobStore,
    get_store,
    utcnow,
)

log = logging.getLogger("evrak.sweep")


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)


def sweep(*, layouts: Iterable[Layout] = (), store: JobStore | None = None,
          now: datetime | None = None) -> SweepReport:
    store = store or get_store()
    now = now or utcnow()
    rep = SweepReport()
    cutoff = now - timedelta(seconds=settings.stale_s())
    for job in store.stale_running(cutoff):
        if job.attempts >= job.max_attempts:
            if _fail_stale(store, job, cutoff):
                rep.failed.append(job.id)
        elif store.requeue_stale(job, cutoff):
            log.warning("iş %s: işçi %s yanıt vermiyor, yeniden kuyrukta", job.id, job.worker_id)
            enqueue(job.id, priority=PRIORITY_RESUMED)  # ahead of the queue: it waited once already
            rep.requeued.append(job.id)
    for job in store.unclaimed_queued(now - timedelta(seconds=settings.requeue_after_s())):
        if store.touch_queued(job):
            enqueue(job.id)
            rep.resent.append(job.id)
    for job in store.stale_received(now - timedelta(seconds=settings.stale_s())):
        _resume_received(store, job, rep)
    for layout in layouts:
        rep.moved += reconcile_work(layout, store)
    return rep


def _fail_stale(store: JobStore, job: JobInfo, cutoff: datetime) -> bool:
    layout = Layout.at(job.base_dir)
    src = work_input(job)
    target = reserve(layout.failed, job.input_name, job.id, is_dir=src.is_dir())
    error = (f"işçi süreci {job.attempts} denemede de işi bitiremedi (süreç durdu ya da "
             f"zaman sınırı aşıldı); son işçi: {job.worker_id}")
    if not store.fail_stale(job, cutoff, error=error, input_path=str(target)):
        target.rmdir() if target.is_dir() else target.unlink()
        return False
    finish_move(job, target)
    write_note(layout.failed, target.name, failure_note(job, error))
    log.error("iş %s başarısız: %s", job.id, error)
    return True


def _resume_received(store: JobStore, job: JobInfo, rep: SweepReport) -> None:
    dest = Layout(Path(job.base_dir)).work_dir(job.id) / job.input_name
    if dest.exists():
        if store.mark_queued(job.id, input_path=str(dest)):
            enqueue(job.id)
            rep.resent.append(job.id)
    elif job.params.get("source") == "watch" and Path(job.input_path).exists():
        pass  # still in the inbox: the watcher resumes this intake when it takes the file
    else:
        store.fail_received(job.id, input_path=job.input_path,
                            error="alım yarıda kaldı ve girdi iş klasöründe yok; paketi yeniden gönderin")
        rep.failed.append(job.id)


def reconcile_work(layout: Layout, store: JobStore) -> list[str]:
    """Finish moves out of work/ for final jobs (a crash after the row, before the rename)."""
    moved = []
    if not layout.work.is_dir():
        return moved
    for d in sorted(layout.work.iterdir()):
        if not d.is_dir():
            continue
        job = store.get(d.name)
        if job is None or job.state not in FINAL_STATES:
            continue
        src = work_input(job)
        if src.exists():
            target = Path(job.input_path)
            if target.parent == d or (target.exists() and not is_placeholder(target)):
                folder = layout.archive if job.state == DONE else layout.failed
                target = reserve(folder, job.input_name, job.id, is_dir=src.is_dir())
                store.set_input_path(job.id, str(target))
            move_onto(src, target)
            if job.state != DONE and not (target.parent / f"{target.name}.error.txt").exists():
                write_note(target.parent, target.name, job.error or job.state)
            moved.append(job.id)
        try:
            d.rmdir()
        except OSError:
            pass
    return moved
