"""Batches from a KAYS export: render, convert, record, skip what is done.

Rows come from the KAYS reader (docgen/kays.py) one at a time and flow through a bounded
pipeline, so memory stays flat however long the export is. A bad row goes to errors.csv
with its row number and reason; the batch goes on. The output folder gets manifest.csv
and manifest.json (file, application no, SHA-256); a re-run skips rows whose inputs and
outputs are unchanged and produces identical bytes for the rest (DOCX and PDF are
byte-stable, see render.py and pdf.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from docgen.context import Application, applies, build_context
from docgen.kays import RowError, cell_text, input_files, map_headers, read_rows, row_to_application
from docgen.pdf import Pool, pin_pdf
from docgen.render import render_docx_bytes, resolve_template, safe_name, sha256, templates_dir, variant_of
from evrak.errors import UserError
from evrak.profiles import load_profile
from evrak.spreadsheet import write_csv, write_xlsx


@dataclass
class BatchResult:
    done: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    out_dir: Path | None = None


# --- worker side (also runs in child processes) -------------------------------------------


def _render_task(kind: str, program_id: str, app: Application, doc_date: date, out_dir: str, stem: str,
                 result: str | None) -> tuple[str, str, str]:
    """Render one DOCX; returns (stem, docx path, sha256). Top-level so processes can run it."""
    program = load_profile(program_id)
    ctx = build_context(kind, program, app, doc_date=doc_date, result=result)
    template = resolve_template(kind, program.id, variant_of(kind, ctx))
    data = render_docx_bytes(template, ctx)
    path = Path(out_dir) / f"{stem}.docx"
    _atomic_write(path, data)
    return stem, str(path), sha256(data)


def _input_hash(kind: str, app: Application, doc_date: date, pdf: bool, template_digest: str) -> str:
    payload = json.dumps({"kind": kind, "app": repr(app), "date": doc_date.isoformat(), "pdf": pdf,
                          "tpl": template_digest}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _templates_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(templates_dir().rglob("*.docx")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def run_batch(
    kind: str,
    input_path: Path,
    program_id: str,
    out_dir: Path,
    *,
    pdf: bool = False,
    workers: int | None = None,
    doc_date: date | None = None,
    result: str | None = None,
    pool: Any = None,
    progress: bool = False,
    chunk: int = 8,
) -> BatchResult:
    """Render `kind` for every row of a KAYS export into `out_dir`.

    DOCX rendering runs in `workers` processes; PDF conversion in a LibreOffice pool of
    `workers` instances, fed in chunks of `chunk` documents per client call. At most a few
    chunks are in flight, so rows are read as fast as they are converted (flat memory).
    """
    program = load_profile(program_id)
    if not applies(kind, program):
        raise UserError(f"'{kind}' belgesi '{program.id}' programı için düzenlenmez")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, workers or os.cpu_count() or 1)
    doc_date = doc_date or date.today()
    res = BatchResult(out_dir=out_dir)
    previous = _load_manifest(out_dir)
    tdigest = _templates_digest()
    seen: set[str] = set()

    own_pool = pdf and pool is None
    if own_pool:
        pool = Pool(size=workers)
    # LibreOffice writes into a hidden staging folder; a PDF reaches out_dir only whole (atomic
    # rename after pinning), so an interrupted batch leaves no half-written file behind.
    staging = out_dir / ".pdf-in-progress"
    if pdf:
        staging.mkdir(exist_ok=True)
    procs = ProcessPoolExecutor(max_workers=workers, initializer=_leave_ctrl_c_to_parent) if workers > 1 else None
    converters = ThreadPoolExecutor(max_workers=workers) if pdf else None
    lock = threading.Lock()
    pending_pdf: list[tuple[str, str, str, dict]] = []
    inflight: list[Future] = []
    render_inflight: list[tuple[Future, dict]] = []

    def finish_pdf(batch: list[tuple[str, str, str, dict]]) -> None:
        paths = pool.convert_many([Path(d) for _, d, _, _ in batch], staging)
        for (_stem, _docx, _h, entry), p in zip(batch, paths, strict=True):
            data = pin_pdf(p.read_bytes(), doc_date)
            _atomic_write(out_dir / p.name, data)
            p.unlink()
            entry["pdf"] = p.name
            entry["sha256_pdf"] = sha256(data)
            with lock:
                res.entries.append(entry)
                res.done += 1

    def flush_pdf(force: bool = False) -> None:
        nonlocal pending_pdf
        if pending_pdf and (force or len(pending_pdf) >= chunk):
            inflight.append(converters.submit(finish_pdf, pending_pdf))
            pending_pdf = []
        while len(inflight) > 2 * workers or (force and inflight):
            inflight.pop(0).result()

    def collect(fut: Future, entry: dict) -> None:
        stem, docx_path, digest = fut.result()
        entry["sha256_docx"] = digest
        if pdf:
            pending_pdf.append((stem, docx_path, digest, entry))
            flush_pdf()
        else:
            res.entries.append(entry)
            res.done += 1

    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), disable=not progress, transient=False)
    interrupted = False
    try:
        with bar:
            task = bar.add_task(f"{kind}", total=None)
            for source in input_files(input_path):
                rows = read_rows(source)
                header = next(rows, None)
                if header is None:
                    continue
                cols = map_headers(header[1])
                for n, values in rows:
                    bar.advance(task)
                    try:
                        app = row_to_application(values, cols, program)
                    except ValueError as exc:
                        no = cell_text(values[cols["application_no"]]) if cols["application_no"] < len(values) \
                            else ""
                        res.errors.append(RowError(source.name, n, no, str(exc)))
                        continue
                    stem = f"{kind}_{safe_name(app.application_no)}"
                    if stem in seen:
                        res.errors.append(RowError(source.name, n, app.application_no,
                                                   "aynı Başvuru No ikinci kez geçiyor"))
                        continue
                    seen.add(stem)
                    ihash = _input_hash(kind, app, doc_date, pdf, tdigest)
                    old = previous.get(stem)
                    if old and old.get("input") == ihash and _outputs_intact(out_dir, old, pdf):
                        res.entries.append(old)
                        res.skipped += 1
                        continue
                    entry = {"application_no": app.application_no, "source": source.name, "row": n,
                             "docx": f"{stem}.docx", "input": ihash}
                    args = (kind, program.id, app, doc_date, str(out_dir), stem, result)
                    if procs is None:
                        fut: Future = Future()
                        try:
                            fut.set_result(_render_task(*args))
                        except Exception as exc:
                            fut.set_exception(exc)
                    else:
                        fut = procs.submit(_render_task, *args)
                    render_inflight.append((fut, entry))
                    while len(render_inflight) > 4 * workers:
                        f, e = render_inflight.pop(0)
                        _collect_safe(f, e, collect, res)
            while render_inflight:
                f, e = render_inflight.pop(0)
                _collect_safe(f, e, collect, res)
            if pdf:
                flush_pdf(force=True)
    except KeyboardInterrupt:
        interrupted = True  # Ctrl-C: stop taking rows, let running work end, drop what is partial
        raise
    finally:
        if procs:
            procs.shutdown(wait=True, cancel_futures=interrupted)
        if converters:
            converters.shutdown(wait=True, cancel_futures=interrupted)
        if own_pool:
            pool.close()
        _remove_partial(out_dir, staging)
    res.entries.sort(key=lambda e: (e["source"], e["row"]))
    _write_outputs(out_dir, res)
    return res


def _leave_ctrl_c_to_parent() -> None:
    """Render processes ignore SIGINT: Ctrl-C reaches the whole process group, and the
    parent alone stops the batch (no KeyboardInterrupt traceback from every child)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _remove_partial(out_dir: Path, staging: Path) -> None:
    """Temporary files of writes that did not finish, and the PDF staging folder."""
    for tmp in out_dir.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    if staging.is_dir():
        shutil.rmtree(staging, ignore_errors=True)


def _collect_safe(fut: Future, entry: dict, collect, res: BatchResult) -> None:
    try:
        collect(fut, entry)
    except UserError as exc:
        res.errors.append(RowError(entry["source"], entry["row"], entry["application_no"], str(exc)))


def _outputs_intact(out_dir: Path, entry: dict, pdf: bool) -> bool:
    names = [("docx", "sha256_docx")] + ([("pdf", "sha256_pdf")] if pdf else [])
    for name_key, hash_key in names:
        name = entry.get(name_key)
        if not name or not (out_dir / name).is_file():
            return False
        if sha256((out_dir / name).read_bytes()) != entry.get(hash_key):
            return False
    return True


def _load_manifest(out_dir: Path) -> dict[str, dict]:
    path = out_dir / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {Path(e["docx"]).stem: e for e in data.get("documents", []) if "docx" in e}


ERROR_HEADER = ["kaynak", "satir", "basvuru_no", "neden"]


def _write_outputs(out_dir: Path, res: BatchResult) -> None:
    """errors.csv (UTF-8, commas, for programs), errors.xlsx (for Excel), manifest.csv/.json.

    Every text cell goes through evrak.spreadsheet.safe_cell: an application number or a
    reason copied from a KAYS export can start with = + - @ and would run as a formula.
    """
    errors = [[e.source, e.row, e.application_no, e.reason] for e in res.errors]
    write_csv(out_dir / "errors.csv", ERROR_HEADER, errors)
    write_xlsx(out_dir / "errors.xlsx", "Hatalı satırlar", ERROR_HEADER, errors)
    files = []
    for e in res.entries:
        files.append([e["docx"], e["application_no"], e["sha256_docx"]])
        if e.get("pdf"):
            files.append([e["pdf"], e["application_no"], e["sha256_pdf"]])
    write_csv(out_dir / "manifest.csv", ["dosya", "basvuru_no", "sha256"], files)
    (out_dir / "manifest.json").write_text(
        json.dumps({"documents": res.entries, "errors": len(res.errors)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
