"""`evrak batch ... --queue`: a KAYS export split into chunks, one queued job per chunk.

docgen.batch.run_batch does the work (we do not re-implement it): each job runs it on one
chunk file (the export's header plus up to --chunk-rows rows) into OUT/part-NNNN/, so
several workers on several machines share a batch of hundreds of contracts and a crash
costs one chunk, which the sweep re-queues. A chunk keeps the export's format (an .xlsx
chunk keeps the cell types, so money and dates read exactly as from the full export).
errors.csv row numbers count within the chunk; the chunk's file name gives its rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from docgen.batch import run_batch
from docgen.context import applies
from docgen.kays import input_files, read_rows
from evrak.errors import UserError
from evrak.profiles import load_profile
from verifiers.package import sha256_of
from worker import settings
from worker.intake import take
from worker.layout import Layout
from worker.store import JobInfo

DEFAULT_CHUNK_ROWS = 25


def _chunks(rows: Iterator[tuple[int, list[object]]], size: int) -> Iterator[list[tuple[int, list[object]]]]:
    chunk: list[tuple[int, list[object]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_chunk(path: Path, header: list[object], rows: list[tuple[int, list[object]]]) -> None:
    if path.suffix == ".xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(header)
        for _n, values in rows:
            ws.append(values)
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(header)
            for _n, values in rows:
                w.writerow(values)


def split_export(input_path: Path, staging: Path, chunk_rows: int) -> list[tuple[Path, str]]:
    """Write the chunk files; returns (file, "source rows a-b") for each."""
    out = []
    for source in input_files(input_path):
        rows = read_rows(source)
        header = next(rows, None)
        if header is None:
            continue
        suffix = ".xlsx" if source.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
        for chunk in _chunks(rows, chunk_rows):
            first, last = chunk[0][0], chunk[-1][0]
            path = staging / f"{source.stem}-satir-{first:05d}-{last:05d}{suffix}"
            _write_chunk(path, header[1], chunk)
            out.append((path, f"{source.name} satır {first}-{last}"))
    return out


def queue_batch(kind: str, input_path: Path, program: str, out_dir: Path, *, pdf: bool = False,
                doc_date: date | None = None, result: str | None = None,
                chunk_rows: int = DEFAULT_CHUNK_ROWS, base: Path | None = None) -> list[JobInfo]:
    """Split the export and queue one `batch` job per chunk; returns the jobs (duplicates included)."""
    profile = load_profile(program)
    if not applies(kind, profile):
        raise UserError(f"'{kind}' belgesi '{profile.id}' programı için düzenlenmez")
    if chunk_rows < 1:
        raise UserError("--chunk-rows en az 1 olmalı")
    layout = Layout.at(base or settings.evrak_home())
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".batch-", dir=layout.base))
    jobs = []
    try:
        for n, (path, rows) in enumerate(split_export(Path(input_path), staging, chunk_rows), start=1):
            params = {"doc_kind": kind, "program": profile.id, "out_dir": str(out_dir / f"part-{n:04d}"),
                      "pdf": pdf, "date": doc_date.isoformat() if doc_date else None, "result": result,
                      "rows": rows}
            digest = hashlib.sha256((sha256_of(path) + json.dumps(params, sort_keys=True)).encode())
            jobs.append(take(path, layout, kind="batch", sha256=digest.hexdigest(), params=params).job)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # only our own chunk files not yet taken
    return jobs


def run_chunk(job: JobInfo, chunk: Path) -> dict[str, Any]:
    """What a worker does for a `batch` job: docgen's run_batch on the chunk, one process."""
    p = job.params
    res = run_batch(p["doc_kind"], chunk, p["program"], Path(p["out_dir"]), pdf=bool(p.get("pdf")),
                    workers=1, doc_date=date.fromisoformat(p["date"]) if p.get("date") else None,
                    result=p.get("result"))
    out = Path(p["out_dir"])
    outputs = [str(out / "manifest.json"), str(out / "errors.csv"), str(out / "errors.xlsx")]
    for e in res.entries:
        outputs += [str(out / e[k]) for k in ("docx", "pdf") if e.get(k)]
    return {"outputs": outputs, "program": p["program"], "application_no": None, "verdict": None,
            "counts": {"done": res.done, "skipped": res.skipped, "errors": len(res.errors)}}
