"""kombu's SQLAlchemy transport, tuned for the embedded SQLite broker file.

Stock `sqla+sqlite://` polls once a second (a 200-package deadline rush then waits on
polling, not on work) and opens SQLite without a busy timeout, so a watcher publishing
while workers fetch gets "database is locked". This subclass keeps kombu's tables and
semantics and only: opens the file in WAL mode with a busy timeout, and polls every
EVRAK_BROKER_POLL_S (0.1 s). `worker.celery_app` points the `sqla` alias here, in evrak's
processes only, so EVRAK_BROKER_URL keeps the standard `sqla+sqlite:///...` form.
"""

from __future__ import annotations

import os
from typing import Any

from kombu.transport import sqlalchemy as kombu_sqla
from sqlalchemy import create_engine, event

#: transport options that are kombu's, not create_engine's
_KOMBU_OPTIONS = ("queue_tablename", "message_tablename", "callback", "errback", "max_retries",
                  "interval_start", "interval_step", "interval_max", "retry_errors", "polling_interval")


class Channel(kombu_sqla.Channel):
    def _engine_from_config(self) -> Any:
        conninfo = self.connection.client
        options = {k: v for k, v in conninfo.transport_options.items() if k not in _KOMBU_OPTIONS}
        url = conninfo.hostname
        if not url.startswith("sqlite"):
            return create_engine(url, **options)
        connect_args = {"timeout": 30, **options.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **options)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine


class Transport(kombu_sqla.Transport):
    Channel = Channel
    polling_interval = float(os.environ.get("EVRAK_BROKER_POLL_S", "0.1"))
