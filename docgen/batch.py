"""Batches from a KAYS export: stream rows, render, convert, record, skip what is done.

A KAYS export is one sheet with a header row and one row per application (format in
docs/kays-export.md). Rows are read one at a time (openpyxl read-only / csv reader) and
flow through a bounded pipeline, so memory stays flat however long the export is. A bad
row goes to errors.csv with its row number and reason; the batch goes on. The output
folder gets manifest.csv and manifest.json (file, application no, SHA-256); a re-run
skips rows whose inputs and outputs are unchanged and produces identical bytes for the
rest (DOCX and PDF are byte-stable, see render.py and pdf.py).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from evrak.dates import DateError, parse_date
from evrak.errors import UserError
from evrak.identifiers import digits, is_valid_tax_id
from evrak.money import MoneyError, parse_amount, quantize
from evrak.profiles import Program, load_profile
from evrak.text import fold

# Column key -> accepted header spellings (compared after evrak.text.fold).
COLUMNS: dict[str, tuple[str, ...]] = {
    "application_no": ("Başvuru No", "Başvuru Numarası", "Proje No", "Referans No"),
    "applicant": ("Başvuru Sahibi", "Başvuru Sahibi Adı", "Unvan", "Firma Unvanı"),
    "tax_id": ("VKN", "Vergi No", "Vergi Kimlik No", "VKN/TCKN"),
    "address": ("Adres",),
    "province": ("İl",),
    "project": ("Proje Adı", "Proje Başlığı"),
    "credit": ("Kredi Tutarı", "Destek Tutarı", "Talep Edilen Destek"),
    "co_financing": ("Eş Finansman Tutarı", "Eş Finansman"),
    "total": ("Toplam Bütçe", "Toplam Proje Bütçesi"),
    "contract_date": ("Sözleşme Tarihi",),
    "signer": ("Yetkili", "Yetkili Adı Soyadı"),
    "signer_tckn": ("Yetkili TCKN", "Yetkili T.C. Kimlik No"),
    "signer_title": ("Yetkili Unvanı",),
}
REQUIRED = ("application_no", "applicant", "tax_id", "project", "credit")


def _key(header: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(header or ""))).strip()


_LOOKUP = {_key(h): k for k, names in COLUMNS.items() for h in names}


def map_headers(headers: list[object]) -> dict[str, int]:
    """Column key -> index; headers match case- and Turkish-letter-insensitively."""
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        k = _LOOKUP.get(_key(h))
        if k and k not in out:
            out[k] = i
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in out]
    if missing:
        raise UserError(f"KAYS dışa aktarımında sütun yok: {', '.join(missing)}")
    return out


def cell_money(value: object) -> Decimal:
    """Money from a cell: text as written, int exactly, float only through its shortest repr.

    openpyxl gives numeric cells as float. repr() gives the shortest decimal that reads
    back as the same float, i.e. what was typed into the sheet; a value with more than two
    decimals is refused instead of rounded, so a float never decides the kuruş (D6).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MoneyError("tutar boş")
    if isinstance(value, bool):
        raise MoneyError(f"tutar okunamadı: {value!r}")
    if isinstance(value, int):
        return quantize(Decimal(value))
    if isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation as exc:
            raise MoneyError(f"tutar okunamadı: {value!r}") from exc
        if d != d.quantize(Decimal("0.01")):
            raise MoneyError(f"tutarda kuruştan küçük basamak var: {value!r}")
        return quantize(d)
    if isinstance(value, Decimal):
        return quantize(value)
    return parse_amount(str(value))


def cell_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or not str(value).strip():
        raise DateError("tarih boş")
    return parse_date(str(value))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """(sheet row number, values) for each data row; the header is yielded as row 1."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if any(v not in (None, "") for v in row):
                    yield n, list(row)
        finally:
            wb.close()
    elif suffix in (".csv", ".txt"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            for n, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                if any(v.strip() for v in row):
                    yield n, list(row)
    else:
        raise UserError("KAYS dışa aktarımı .xlsx ya da .csv olmalı", file=str(path))


@dataclass
class RowError:
    source: str
    row: int
    application_no: str
    reason: str


def row_to_application(values: list[object], cols: dict[str, int], program: Program):
    """One KAYS row -> docgen Application; raises ValueError with a Turkish reason."""
    from docgen.context import Application, Signer

    def get(k: str) -> object:
        i = cols.get(k)
        return values[i] if i is not None and i < len(values) else None

    app_no = cell_text(get("application_no"))
    if not app_no:
        raise ValueError("Başvuru No boş")
    tax_id = digits(cell_text(get("tax_id")))
    if not is_valid_tax_id(tax_id):
        raise ValueError(f"VKN/TCKN geçersiz: {cell_text(get('tax_id'))!r}")
    try:
        credit = cell_money(get("credit"))
    except MoneyError as exc:
        raise ValueError(f"Kredi Tutarı: {exc}") from None
    if credit <= 0:
        raise ValueError("Kredi Tutarı pozitif olmalı")
    try:
        co = cell_money(get("co_financing")) if cell_text(get("co_financing")) else Decimal("0.00")
        total = cell_money(get("total")) if cell_text(get("total")) else None
    except MoneyError as exc:
        raise ValueError(f"tutar: {exc}") from None
    if total is not None and total != credit + co:
        raise ValueError(f"Toplam Bütçe ({total}) kredi + eş finansman ({credit + co}) ile tutmuyor")
    contract_date = None
    if cell_text(get("contract_date")):
        try:
            contract_date = cell_date(get("contract_date"))
        except DateError as exc:
            raise ValueError(f"Sözleşme Tarihi okunamadı: {cell_text(get('contract_date'))!r}") from exc
    signers = []
    if cell_text(get("signer")):
        signers.append(Signer(cell_text(get("signer")), digits(cell_text(get("signer_tckn"))),
                              cell_text(get("signer_title")) or "Yetkili"))
    applicant = cell_text(get("applicant"))
    if not applicant:
        raise ValueError("Başvuru Sahibi boş")
    return Application(
        program_id=program.id, application_no=app_no, applicant_name=applicant, tax_id=tax_id,
        address=cell_text(get("address")), province=cell_text(get("province")),
        project_title=cell_text(get("project")), credit=credit, co_financing=co, total_budget=total,
        contract_date=contract_date, signers=signers,
    )


def input_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".csv"))
        if not files:
            raise UserError("klasörde .xlsx ya da .csv yok", file=str(path))
        return files
    if not path.is_file():
        raise UserError("girdi bulunamadı", file=str(path))
    return [path]


@dataclass
class BatchResult:
    done: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    out_dir: Path | None = None


# --- worker side (also runs in child processes) -------------------------------------------


def _render_task(kind: str, program_id: str, app, doc_date: date, out_dir: str, stem: str,
                 result: str | None) -> tuple[str, str, str]:
    """Render one DOCX; returns (stem, docx path, sha256). Top-level so processes can run it."""
    from docgen.context import build_context
    from docgen.render import render_docx_bytes, resolve_template, sha256, variant_of

    program = load_profile(program_id)
    ctx = build_context(kind, program, app, doc_date=doc_date, result=result)
    template = resolve_template(kind, program.id, variant_of(kind, ctx))
    data = render_docx_bytes(template, ctx)
    path = Path(out_dir) / f"{stem}.docx"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return stem, str(path), sha256(data)


def _input_hash(kind: str, app, doc_date: date, pdf: bool, template_digest: str) -> str:
    payload = json.dumps({"kind": kind, "app": repr(app), "date": doc_date.isoformat(), "pdf": pdf,
                          "tpl": template_digest}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _templates_digest() -> str:
    from docgen.render import templates_dir

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
    from docgen.context import applies
    from docgen.pdf import Pool, pin_pdf
    from docgen.render import safe_name, sha256

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
    procs = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    converters = ThreadPoolExecutor(max_workers=workers) if pdf else None
    lock = threading.Lock()
    pending_pdf: list[tuple[str, str, str, dict]] = []
    inflight: list[Future] = []
    render_inflight: list[tuple[Future, dict]] = []

    def finish_pdf(batch: list[tuple[str, str, str, dict]]) -> None:
        paths = pool.convert_many([Path(d) for _, d, _, _ in batch], out_dir)
        for (_stem, _docx, _h, entry), p in zip(batch, paths, strict=True):
            data = pin_pdf(p.read_bytes(), doc_date)
            p.write_bytes(data)
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

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), disable=not progress, transient=False)
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
    finally:
        if procs:
            procs.shutdown(wait=True)
        if converters:
            converters.shutdown(wait=True)
        if own_pool:
            pool.close()
    res.entries.sort(key=lambda e: (e["source"], e["row"]))
    _write_outputs(out_dir, res)
    return res


def _collect_safe(fut: Future, entry: dict, collect, res: BatchResult) -> None:
    try:
        collect(fut, entry)
    except UserError as exc:
        res.errors.append(RowError(entry["source"], entry["row"], entry["application_no"], str(exc)))


def _outputs_intact(out_dir: Path, entry: dict, pdf: bool) -> bool:
    from docgen.render import sha256

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


def _write_outputs(out_dir: Path, res: BatchResult) -> None:
    with (out_dir / "errors.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["kaynak", "satir", "basvuru_no", "neden"])
        for e in res.errors:
            w.writerow([e.source, e.row, e.application_no, e.reason])
    with (out_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["dosya", "basvuru_no", "sha256"])
        for e in res.entries:
            w.writerow([e["docx"], e["application_no"], e["sha256_docx"]])
            if e.get("pdf"):
                w.writerow([e["pdf"], e["application_no"], e["sha256_pdf"]])
    (out_dir / "manifest.json").write_text(
        json.dumps({"documents": res.entries, "errors": len(res.errors)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
