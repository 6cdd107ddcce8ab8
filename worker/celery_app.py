"""The Celery app: one task, `evrak.run_job(job_id)`, over whichever broker is configured.

Broker (EVRAK_BROKER_URL): by default kombu's filesystem transport (`filesystem://`,
message files in <EVRAK_HOME>/broker/, see fs_broker.py), which needs no server; `redis://host:6379/0`
for several machines. Either way the message carries only a job id and the job table
decides: a worker claims the job atomically, so a redelivered or re-sent message for a
job that is done or held by another worker is dropped (architecture.md, Celery lessons).

Late acks and a prefetch of one, so a message is not taken off the broker before a
worker is free to run it; soft and hard time limits on the task; a transient failure is
retried with exponential backoff up to EVRAK_MAX_ATTEMPTS, then the job is failed with
its error. No result backend: the job table is the result.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading

from celery import Celery, signals
from kombu.transport import TRANSPORT_ALIASES

from worker import settings

log = logging.getLogger("evrak.worker")
QUEUE = "evrak"


# kombu's filesystem transport with atomic put/get (see fs_broker.py), in evrak's processes
TRANSPORT_ALIASES["filesystem"] = "worker.fs_broker:Transport"


def _transport_options(url: str) -> dict:
    if url.startswith("filesystem"):
        from worker.fs_broker import transport_options

        return transport_options(settings.broker_dir())
    if url.startswith(("redis", "rediss")):
        # a message not acked within this time is delivered again; the claim drops the copy
        return {"visibility_timeout": max(3600, int(settings.hard_time_limit_s() * 2))}
    return {}


def make_app() -> Celery:
    url = settings.broker_url()
    app = Celery("evrak", broker=url, include=["worker.celery_app"])
    remote_control = url.startswith(("redis", "rediss", "amqp", "pyamqp"))
    app.conf.update(
        broker_transport_options=_transport_options(url),
        broker_connection_retry_on_startup=True,
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        task_soft_time_limit=settings.soft_time_limit_s(),
        task_time_limit=settings.hard_time_limit_s(),
        worker_enable_remote_control=remote_control,
        worker_send_task_events=False,
        worker_hijack_root_logger=True,
        worker_max_tasks_per_child=500,  # pdf/ocr libraries leak; recycle children now and then
        timezone="UTC",
        enable_utc=True,
    )
    return app


app = make_app()


@app.task(bind=True, name="evrak.run_job", acks_late=True, max_retries=None,
          soft_time_limit=settings.soft_time_limit_s(), time_limit=settings.hard_time_limit_s())
def run_job(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    """Run one job by id; idempotent: a done job is not redone, a held one is left alone."""
    from worker.runner import run

    outcome = run(job_id, worker_id=f"{socket.gethostname()}:{os.getpid()}")
    if outcome.retry_in is not None:
        # the job row is already back in `queued` with its not-before time; this message
        # is the wake-up call. max_retries=None: the job table counts the attempts.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


def enqueue(job_id: str, *, countdown: float | None = None) -> bool:
    """Send the message for a queued job; False if the broker is unreachable.

    A failed send loses nothing: the job stays `queued` and the sweep sends it again
    after EVRAK_REQUEUE_AFTER_S.
    """
    try:
        run_job.apply_async(args=[job_id], countdown=countdown, queue=QUEUE,
                            retry=True, retry_policy={"max_retries": 3, "interval_start": 0.2,
                                                      "interval_step": 0.5, "interval_max": 2})
        return True
    except Exception as exc:  # broker down: the sweep re-sends
        log.warning("iş %s kuyruğa gönderilemedi (sonra yeniden denenecek): %s", job_id, exc)
        return False


def _sweep_loop(stop: threading.Event) -> None:
    from worker.layout import Layout
    from worker.sweep import sweep

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
    import atexit

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
