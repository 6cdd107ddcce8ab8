"""The worker side of the Celery app: the task `evrak.run_job(job_id)` and `evrak worker`.

The app and `enqueue` live in worker/producer.py, which producers import; only worker
processes import this module (it pulls in the runner and the pipeline). The message
carries only a job id and the job table decides: a worker claims the job atomically, so
a redelivered or re-sent message for a job that is done or held by another worker is
dropped (architecture.md, Celery lessons).

Late acks and a prefetch of one, so a message is not taken off the broker before a
worker is free to run it; soft and hard time limits on the task; a transient failure is
retried with exponential backoff up to EVRAK_MAX_ATTEMPTS, then the job is failed with
its error. No result backend: the job table is the result.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import sys
import threading

from celery import signals

from worker import settings
from worker.layout import Layout
from worker.producer import QUEUE, TASK_NAME, app
from worker.runner import run
from worker.sweep import sweep

log = logging.getLogger("evrak.worker")


@app.task(bind=True, name=TASK_NAME, acks_late=True, max_retries=None,
          soft_time_limit=settings.soft_time_limit_s(), time_limit=settings.hard_time_limit_s())
def run_job(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    """Run one job by id; idempotent: a done job is not redone, a held one is left alone."""
    outcome = run(job_id, worker_id=f"{socket.gethostname()}:{os.getpid()}")
    if outcome.retry_in is not None:
        # the job row is already back in `queued` with its not-before time; this message
        # is the wake-up call. max_retries=None: the job table counts the attempts.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


def _sweep_loop(stop: threading.Event) -> None:
    home = Layout.at(settings.evrak_home())
    while not stop.is_set():
        try:
            sweep(layouts=[home])
        except Exception:  # keep sweeping; the next round may succeed
            log.exception("sweep failed")
        stop.wait(settings.sweep_s())


_sweeper_stop = threading.Event()


@signals.worker_ready.connect
def _start_sweeper(**_kwargs: object) -> None:
    """Every worker also sweeps, so jobs of a dead worker come back even without a watcher."""
    if os.environ.get("EVRAK_WORKER_SWEEP", "1") == "0":
        return
    threading.Thread(target=_sweep_loop, args=(_sweeper_stop,), name="evrak-sweep", daemon=True).start()


@signals.worker_process_shutdown.connect
def _child_exit(**_kwargs: object) -> None:
    """Run atexit handlers in a pool child before billiard ends it with os._exit.

    The pipeline keeps a warm LibreOffice pool per process and closes it at exit
    (worker/documents_out.py); without this every recycled or stopped child left its
    soffice running.
    """
    atexit._run_exitfuncs()


@signals.worker_shutdown.connect
def _stop_sweeper(**_kwargs: object) -> None:
    _sweeper_stop.set()


def worker_main(concurrency: int | None = None, loglevel: str = "INFO") -> None:
    """Run a real Celery worker in this process (what `evrak worker` does)."""
    argv = ["worker", f"--loglevel={loglevel}", "-Q", QUEUE,
            "-n", f"evrak-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    code: int | str | None = 0
    try:
        app.worker_main(argv)
    except SystemExit as exc:
        code = exc.code
    # The warm shutdown is complete here (running jobs finished, messages acked). With the
    # virtual transports (filesystem, sqla) billiard's exit-time pool finalizer then waits
    # forever on its timeout-handler thread (seen with celery/kombu 5.7, billiard 4.3), so
    # the process would never exit on SIGTERM; skip the interpreter's exit handlers.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)
