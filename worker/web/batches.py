"""Batches from a KAYS export started from the page: queued chunks, progress, one zip.

The service splits an export into chunk jobs (worker.batch_queue.queue_batch) that
`evrak worker` runs with docgen's run_batch; the page only records which jobs make up a
batch, adds their progress, and when every chunk is final packs the documents, one
errors.csv (with the export's own row numbers) and the manifests into belgeler.zip.
Without the service's batch queue, the batch runs in a background thread of the server
with the same docgen function, so the page works either way.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from docgen.context import applies
from docgen.kays import map_headers, read_rows
from evrak.errors import UserError
from evrak.profiles import load_profile
from evrak.spreadsheet import safe_row, write_xlsx
from worker.batch_queue import queue_batch
from worker.store import FAILED, FINAL_STATES, UTCDateTime, get_store, utcnow
from worker.web import db
from worker.web.uploads import safe_filename

#: document kinds a KAYS export can feed (a deficiency letter needs findings, not a row)
BATCH_KINDS = ("taahhutname", "es_finansman_taahhutnamesi", "cifte_finansman_taahhutnamesi",
               "destek_sozlesmesi", "geri_odeme_plani", "sonuc_yazisi")
BATCH_RESULTS = ("accepted", "reserve")


class Batch(db.WebBase):
    __tablename__ = "evrak_web_batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    program: Mapped[str] = mapped_column(String(128))
    result: Mapped[str | None] = mapped_column(String(16))
    pdf: Mapped[int] = mapped_column(Integer, default=0)
    input_name: Mapped[str] = mapped_column(String(255))
    input_path: Mapped[str] = mapped_column(Text)
    out_dir: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16))  # queue | thread
    job_ids: Mapped[list] = mapped_column(JSON, default=list)
    chunk_rows: Mapped[int] = mapped_column(Integer)
    total_rows: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    thread_state: Mapped[str | None] = mapped_column(String(16))  # running | done | failed (thread mode)
    error: Mapped[str | None] = mapped_column(Text)


@dataclass
class Progress:
    """What the progress bar and the status endpoint show."""

    batch_id: str
    state: str  # running | done | failed
    parts_total: int
    parts_done: int
    rows_total: int
    rows_done: int
    documents: int
    errors: int
    messages: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        if self.rows_total:
            return min(99, int(100 * self.rows_done / self.rows_total))
        return 0

    @property
    def state_label(self) -> str:
        return {"running": "Sürüyor", "done": "Tamamlandı", "failed": "Başarısız"}[self.state]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.batch_id, "state": self.state, "state_label": self.state_label,
                "percent": self.percent, "parts_total": self.parts_total, "parts_done": self.parts_done,
                "rows_total": self.rows_total, "rows_done": self.rows_done, "documents": self.documents,
                "errors": self.errors, "messages": self.messages}


def _data_rows(path: Path) -> list[int]:
    """Sheet row numbers of the export's data rows (the header is row 1)."""
    rows = read_rows(path)
    next(rows, None)
    return [n for n, _values in rows]


def start(web_dir: Path, stream: Any, filename: str, *, kind: str, program: str, username: str,
          result: str | None, pdf: bool, chunk_rows: int, max_bytes: int) -> str:
    """Save the export and start the batch; returns its id. UserError for what the user got wrong."""
    if kind not in BATCH_KINDS:
        raise UserError("bu belge türü KAYS dışa aktarımından toplu üretilmez")
    profile = load_profile(program)
    if not applies(kind, profile):
        raise UserError(f"bu belge '{profile.short_name or profile.id}' programı için düzenlenmez")
    if kind == "sonuc_yazisi" and result not in BATCH_RESULTS:
        raise UserError("sonuç yazısı için sonucu seçin (kabul ya da yedek)")
    name = safe_filename(filename, "kays.xlsx")
    if not name.lower().endswith((".xlsx", ".csv")):
        raise UserError("KAYS dışa aktarımı .xlsx ya da .csv olmalı")
    batch_id = uuid.uuid4().hex[:12]
    folder = web_dir / "batches" / batch_id
    (folder / "input").mkdir(parents=True)
    path = folder / "input" / name
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UserError("dosya çok büyük")
    path.write_bytes(data)
    try:
        rows = _data_rows(path)
        header = next(read_rows(path), None)
        if header is None:
            raise UserError("dosya boş")
        map_headers(header[1])
    except (UserError, zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise UserError(f"KAYS dışa aktarımı okunamadı: {exc}") from None
    if not rows:
        raise UserError("dışa aktarımda satır yok")
    out_dir = folder / "out"
    row = Batch(id=batch_id, kind=kind, program=profile.id, result=result if kind == "sonuc_yazisi" else None,
                pdf=int(pdf), input_name=name, input_path=str(path), out_dir=str(out_dir), mode="queue",
                job_ids=[], chunk_rows=chunk_rows, total_rows=len(rows), username=username,
                created_at=utcnow())
    jobs = queue_batch(kind, path, profile.id, out_dir, pdf=pdf, result=row.result, chunk_rows=chunk_rows)
    row.job_ids = [j.id for j in jobs]
    with db.session() as s, s.begin():
        s.add(row)
    return batch_id


def get(batch_id: str) -> Batch:
    with db.session() as s:
        row = s.get(Batch, batch_id)
    if row is None:
        raise KeyError(batch_id)
    return row


def recent(limit: int = 50) -> list[Batch]:
    with db.session() as s:
        return list(s.scalars(select(Batch).order_by(Batch.created_at.desc()).limit(limit)))


def progress(batch: Batch) -> Progress:
    if batch.mode == "thread":
        state = batch.thread_state or "running"
        docs, errs = _counts_from_parts(Path(batch.out_dir))
        return Progress(batch.id, state, 1, int(state != "running"), batch.total_rows,
                        batch.total_rows if state != "running" else 0, docs, errs,
                        [batch.error] if batch.error else [])
    store = get_store()
    jobs = [store.get(j) for j in batch.job_ids]
    done_parts = rows_done = docs = errs = 0
    messages: list[str] = []
    any_failed = False
    for job in jobs:
        if job is None:
            continue
        if job.state in FINAL_STATES:
            done_parts += 1
            c = job.counts or {}
            rows_done += int(c.get("done", 0)) + int(c.get("skipped", 0)) + int(c.get("errors", 0))
            docs += int(c.get("done", 0)) + int(c.get("skipped", 0))
            errs += int(c.get("errors", 0))
            if job.state == FAILED:
                any_failed = True
                messages.append(f"{job.params.get('rows', job.input_name)}: {job.error}")
    finished = done_parts == len(jobs)
    state = "running" if not finished else ("failed" if any_failed and docs == 0 else "done")
    return Progress(batch.id, state, len(jobs), done_parts, batch.total_rows, rows_done, docs, errs, messages)


def _counts_from_parts(out: Path) -> tuple[int, int]:
    docs = errs = 0
    for manifest in sorted(out.glob("part-*/manifest.json")):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        docs += len(data.get("documents", []))
        errs += int(data.get("errors", 0))
    return docs, errs


_CHUNK = re.compile(r"-satir-(\d+)-(\d+)\.(?:csv|xlsx)$")


ERRORS_HEADER = ["kaynak", "satir", "basvuru_no", "neden"]


def merged_errors(batch: Batch) -> bytes:
    """One errors.csv for the batch (UTF-8, commas: for programs), rows numbered as in the export."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(ERRORS_HEADER)
    w.writerows(safe_row(r) for r in error_rows(batch))  # no cell starts a formula (evrak.spreadsheet)
    return out.getvalue().encode("utf-8")


def merged_errors_xlsx(batch: Batch, target: Path) -> Path:
    """The same rows as errors.xlsx for Excel users (Turkish text intact, no cell starts a formula)."""
    return write_xlsx(target, "Hatalı satırlar", ERRORS_HEADER, error_rows(batch))


def error_rows(batch: Batch) -> list[list[str]]:
    """The batch's error rows: source, row (as in the uploaded export), application no, reason."""
    source_rows = _data_rows(Path(batch.input_path))
    rows: list[list[str]] = []
    store = get_store()
    parts = sorted(Path(batch.out_dir).glob("part-*"))
    for part in parts:
        index = int(part.name.split("-")[1]) - 1
        errors = part / "errors.csv"
        if not errors.is_file():
            continue
        with errors.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for rec in reader:
                if len(rec) < 4:
                    continue
                row = rec[1]
                if batch.mode == "queue" and row.isdigit():
                    i = index * batch.chunk_rows + int(row) - 2  # chunk row 2 is its first data row
                    if 0 <= i < len(source_rows):
                        row = str(source_rows[i])
                rows.append([batch.input_name, str(row), rec[2], rec[3]])
    if batch.mode == "queue":
        for n, job_id in enumerate(batch.job_ids):
            job = store.get(job_id)
            if job is not None and job.state == FAILED:
                chunk = source_rows[n * batch.chunk_rows:(n + 1) * batch.chunk_rows]
                for row_no in chunk:
                    rows.append([batch.input_name, str(row_no), "", f"parça işlenemedi: {job.error}"])
    return rows


def build_zip(batch: Batch) -> Path:
    """belgeler.zip of a finished batch (built once): documents, errors.csv, manifest.csv."""
    folder = Path(batch.out_dir).parent
    target = folder / "belgeler.zip"
    if target.is_file():
        return target
    tmp = folder / f".belgeler.{os.getpid()}.{threading.get_ident()}.zip"
    manifest = io.StringIO()
    mw = csv.writer(manifest)
    mw.writerow(["dosya", "basvuru_no", "sha256"])
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(Path(batch.out_dir).glob("part-*")):
            mfile = part / "manifest.json"
            if not mfile.is_file():
                continue
            data = json.loads(mfile.read_text(encoding="utf-8"))
            for entry in data.get("documents", []):
                for key, hkey in (("docx", "sha256_docx"), ("pdf", "sha256_pdf")):
                    name = entry.get(key)
                    if name and (part / name).is_file():
                        zf.write(part / name, arcname=name)
                        mw.writerow(safe_row([name, entry.get("application_no", ""), entry.get(hkey, "")]))
        zf.writestr("errors.csv", merged_errors(batch))
        zf.writestr("manifest.csv", manifest.getvalue())
    os.replace(tmp, target)
    return target


def zip_name(batch: Batch) -> str:
    return f"{batch.kind}_{batch.program}_{batch.id}.zip"


