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
import random
import signal
import socket
import sys
import threading

from celery import signals

from worker import settings
from worker.layout import Layout
from worker.producer import QUEUE, TASK_NAME, app
from worker.runner import run
from worker.store_health import STORE_ERRORS, StoreGuard, Throttle
from worker.sweep import sweep

log = logging.getLogger("evrak.worker")


@app.task(bind=True, name=TASK_NAME, acks_late=True, max_retries=None,
          soft_time_limit=settings.soft_time_limit_s(), time_limit=settings.hard_time_limit_s())
def run_job(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    """Run one job by id; idempotent: a done job is not redone, a held one is left alone."""
    try:
        outcome = run(job_id, worker_id=f"{socket.gethostname()}:{os.getpid()}")
    except STORE_ERRORS as exc:
        # the job store failed (damaged, unreachable): the job row is untouched or the sweep
        # repairs it; keep the message (sent again later), say so in one line, no traceback.
        # The main process's health check stops this worker taking work if the store stays broken.
        _store_errors.problem(f"iş {job_id}: iş deposu hatası, mesaj sonra yeniden denenecek "
                              f"({type(exc).__name__})", logging.WARNING)
        raise self.retry(countdown=min(60.0, 5.0 * (1 + self.request.retries)) * random.uniform(0.8, 1.2),
                         exc=None) from None
    if outcome.retry_in is not None:
        # the job row is already back in `queued` with its not-before time; this message
        # is the wake-up call. max_retries=None: the job table counts the attempts.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


_store_errors = Throttle(log)  # per pool child: one line per store problem, growing intervals
_store_broken = threading.Event()  # set by the health check: stop taking work, wait, start again


def _sweep_loop(stop: threading.Event) -> None:
    """Sweep (unless EVRAK_WORKER_SWEEP=0) and watch the job store's health.

    A store that fails its check (damaged SQLite, unreachable PostgreSQL) makes this worker
    stop taking work: a warm shutdown, then `worker_main` waits for the store and starts
    afresh, never reporting "ready" while the store is broken.
    """
    home = Layout.at(settings.evrak_home())
    guard = StoreGuard(settings.db_url(), log)
    sweeping = os.environ.get("EVRAK_WORKER_SWEEP", "1") != "0"
    while not stop.is_set():
        try:
            if sweeping:
                sweep(layouts=[home])  # a store error in here runs the check
            else:
                guard.start(full=False)
        except STORE_ERRORS as exc:
            guard.failed(exc, "sweep")
        except Exception:  # keep sweeping; the next round may succeed
            log.exception("sweep failed")
        if not guard.healthy:
            _store_broken.set()
            os.kill(os.getpid(), signal.SIGTERM)  # warm shutdown; worker_main takes it from there
            return
        stop.wait(settings.sweep_s())


_sweeper_stop = threading.Event()


@signals.worker_ready.connect
def _start_sweeper(**_kwargs: object) -> None:
    """Every worker also sweeps, so jobs of a dead worker come back even without a watcher."""
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


def _wait_for_store() -> bool:
    """Before Celery starts (and says "ready"): the job store must pass its check.

    While it does not, one log line at growing intervals; SIGTERM/SIGINT end the wait.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="[%(asctime)s: %(levelname)s/%(processName)s] %(message)s")
    stop = threading.Event()
    old = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return StoreGuard(settings.db_url(), log).wait_until_usable(stop)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def worker_main(concurrency: int | None = None, loglevel: str = "INFO") -> None:
    """Run a real Celery worker in this process (what `evrak worker` does)."""
    argv = ["worker", f"--loglevel={loglevel}", "-Q", QUEUE,
            "-n", f"evrak-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if not _wait_for_store():
        return
    code: int | str | None = 0
    try:
        app.worker_main(argv)
    except SystemExit as exc:
        code = exc.code
    if _store_broken.is_set():  # stopped because the store broke: wait for it in a fresh process
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "worker.cli", *sys.argv[1:]])
    # The warm shutdown is complete here (running jobs finished, messages acked). With the
    # virtual transports (filesystem, sqla) billiard's exit-time pool finalizer then waits
    # forever on its timeout-handler thread (seen with celery/kombu 5.7, billiard 4.3), so
    # the process would never exit on SIGTERM; skip the interpreter's exit handlers.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)
