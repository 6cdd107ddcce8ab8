"""kombu's filesystem transport with atomic hand-over: the embedded default broker.

Chosen over `sqla+sqlite://` because here, with celery 5.7 / kombu 5.7, a worker on the
SQLAlchemy transport did not finish a warm shutdown (SIGTERM left it hanging), while the
filesystem transport stops cleanly; both need no server. Two races of the stock
transport are closed:

- a message file is written under a dot-name and renamed into place, so a consumer never
  reads a half-written message (stock kombu writes in place);
- a consumer takes a message by renaming it into <broker>/processing/ on the same file
  system (stock kombu moves it to the system temp folder, which on another file system
  becomes copy+delete, and two consumers could both deliver it).

Like every no-server transport, a message a worker has fetched is lost if the worker dies
hard; the job table and the sweep (worker/sweep.py) make up for that. Polling interval:
EVRAK_BROKER_POLL_S (0.1 s).
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from kombu.transport import filesystem as kombu_fs
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class Channel(kombu_fs.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{time.time_ns() // 1000:017d}_{uuid.uuid4()}.{queue}.msg"  # oldest first
        folder = Path(self.data_folder_out)
        tmp = folder / f".tmp-{name}"
        with open(tmp, "wb") as fh:
            fh.write(str_to_bytes(dumps(payload)))
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(tmp, folder / name)

    def _get(self, queue: str) -> Any:
        wanted = f"{queue}.msg"
        folder = Path(self.data_folder_in)
        taken = Path(self.processed_folder)
        taken.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(folder)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
            target = taken / name
            try:
                os.rename(folder / name, target)  # atomic: exactly one consumer gets it
            except OSError:
                continue  # another consumer was first
            payload = target.read_bytes()
            target.unlink()
            return loads(bytes_to_str(payload))
        raise Empty()

    def _size(self, queue: str) -> int:
        wanted = f"{queue}.msg"
        return sum(1 for n in os.listdir(self.data_folder_in)
                   if not n.startswith(".") and n.partition(".")[2] == wanted)


class Transport(kombu_fs.Transport):
    Channel = Channel
    polling_interval = float(os.environ.get("EVRAK_BROKER_POLL_S", "0.1"))


def transport_options(broker_dir: Path) -> dict:
    """Folders of the embedded broker (queue, control, processing) under `broker_dir`."""
    queue = broker_dir / "queue"
    control = broker_dir / "control"
    processing = broker_dir / "processing"
    for d in (queue, control, processing):
        d.mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(queue), "data_folder_out": str(queue), "control_folder": str(control),
            "processed_folder": str(processing), "store_processed": False}
