"""An uploaded package goes through the drop folder's intake, unchanged.

The upload is written under EVRAK_HOME/web/uploads/ (the same file system as work/), then
handed to worker.intake.take exactly as the watcher hands a settled inbox file: hashed,
checked for duplicates, recorded as a job, renamed into work/<job>/ and queued for
`evrak worker`. Nothing here processes a package.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import uuid
import zipfile
from pathlib import Path
from typing import IO

from evrak.errors import UserError
from worker import settings
from worker.intake import Intake, take
from worker.layout import Layout


def safe_filename(name: str, default: str = "paket.zip") -> str:
    """A plain file name: no folders, no control characters, Turkish letters kept."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = re.sub(r"[^\w.\- ]+", "_", name, flags=re.UNICODE).strip(" .")
    return name[:120] or default


def save_upload(stream: IO[bytes], filename: str, web_dir: Path, *, max_bytes: int) -> Path:
    """Write the upload to its own folder; UserError if it is not a readable .zip."""
    name = safe_filename(filename)
    if not name.lower().endswith(".zip"):
        raise UserError("paket bir .zip dosyası olmalı")
    folder = web_dir / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while chunk := stream.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise UserError(f"dosya çok büyük (en çok {max_bytes // (1024 * 1024)} MB)")
            out.write(chunk)
    if written == 0 or not zipfile.is_zipfile(path):
        shutil.rmtree(folder, ignore_errors=True)
        raise UserError("dosya okunabilir bir zip değil")
    return path


def submit(path: Path, *, username: str, completes: str | None = None) -> Intake:
    """Take the saved upload in like the drop folder does (it is moved, not copied).

    `completes`: the submission (job id) this package completes, after a deficiency letter.
    """
    layout = Layout.at(settings.evrak_home())
    params = {"source": "web", "uploaded_by": username}
    if completes:
        params["completes"] = completes
    try:
        return take(path, layout, params=params)
    finally:
        try:
            path.parent.rmdir()  # the upload's own folder, empty once the package moved on
        except OSError:
            pass
