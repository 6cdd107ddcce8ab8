"""The Celery app as a producer sees it: broker configuration and `enqueue(job_id)`.

Kept apart from the task definition (worker/celery_app.py) so that taking a package in
(worker/intake.py), the sweep and the web app can queue a job without importing what a
worker runs (runner -> pipeline -> batch_queue -> intake), which made a cycle. The
message is sent by task name; the worker process imports worker.celery_app, which
registers the task on this same app.

Broker (EVRAK_BROKER_URL): by default kombu's filesystem transport (`filesystem://`,
message files in <EVRAK_HOME>/broker/, see fs_broker.py), which needs no server; `redis://host:6379/0`
for several machines. Either way the message carries only a job id and the job table
decides (architecture.md, Celery lessons).
"""

from __future__ import annotations

import logging

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

from worker import settings
from worker.fs_broker import transport_options

log = logging.getLogger("evrak.worker")
QUEUE = "evrak"
TASK_NAME = "evrak.run_job"
TASK_MODULE = "worker.celery_app"  # loaded by the worker (Celery `include`), never by producers
#: Message priorities. Redis serves priority 0 first (the embedded transport ignores them):
#: a job taken back from a dead worker is sent with PRIORITY_RESUMED, so a crash does not put
#: it behind everything that arrived in the meantime.
PRIORITY_NORMAL, PRIORITY_RESUMED = 6, 0


# kombu's filesystem transport with atomic put/get (see fs_broker.py), in evrak's processes
TRANSPORT_ALIASES["filesystem"] = "worker.fs_broker:Transport"


def _transport_options(url: str) -> dict:
    if url.startswith("filesystem"):
        return transport_options(settings.broker_dir())
    if url.startswith(("redis", "rediss")):
        # a message not acked within this time is delivered again; the claim drops the copy
        return {"visibility_timeout": max(3600, int(settings.hard_time_limit_s() * 2))}
    return {}


def make_app() -> Celery:
    """Late acks and a prefetch of one, soft and hard time limits, no result backend."""
    url = settings.broker_url()
    app = Celery("evrak", broker=url, include=[TASK_MODULE])
    remote_control = url.startswith(("redis", "rediss", "amqp", "pyamqp"))
    app.conf.update(
        broker_transport_options=_transport_options(url),
        broker_connection_retry_on_startup=True,
        task_default_queue=QUEUE,
        task_default_priority=PRIORITY_NORMAL,
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


def enqueue(job_id: str, *, countdown: float | None = None, priority: int = PRIORITY_NORMAL) -> bool:
    """Send the message for a queued job; False if the broker is unreachable.

    A failed send loses nothing: the job stays `queued` and the sweep sends it again
    after EVRAK_REQUEUE_AFTER_S.
    """
    try:
        app.send_task(TASK_NAME, args=[job_id], countdown=countdown, queue=QUEUE, priority=priority,
                      retry=True, retry_policy={"max_retries": 3, "interval_start": 0.2,
                                                "interval_step": 0.5, "interval_max": 2})
        return True
    except Exception as exc:  # broker down: the sweep re-sends
        log.warning("iş %s kuyruğa gönderilemedi (sonra yeniden denenecek): %s", job_id, exc)
        return False
