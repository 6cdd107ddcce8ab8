"""The KAYS export reader: header mapping, row streaming and one row -> Application.

A KAYS export is one sheet with a header row and one row per application (format in
docs/kays-export.md). Rows are read one at a time (openpyxl read-only / csv reader), so
memory stays flat however long the export is. A bad row raises ValueError with a Turkish
reason, which the batch (docgen/batch.py) writes to errors.csv and goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from docgen.context import Application, Signer
from evrak.dates import DateError, parse_date
from evrak.errors import UserError
from evrak.identifiers import digits, is_valid_tax_id
from evrak.money import MoneyError, parse_amount, quantize
from evrak.profiles import Program
from evrak.spreadsheet import csv_rows
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
        from openpyxl import load_workbook  # lazy: about 0.4 s, and CSV exports never need it

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if any(v not in (None, "") for v in row):
                    yield n, list(row)
        finally:
            wb.close()
    elif suffix in (".csv", ".txt"):
        for n, cells in csv_rows(path):
            yield n, list(cells)
    else:
        raise UserError("KAYS dışa aktarımı .xlsx ya da .csv olmalı", file=str(path))


@dataclass
class RowError:
    source: str
    row: int
    application_no: str
    reason: str


def row_to_application(values: list[object], cols: dict[str, int], program: Program) -> Application:
    """One KAYS row -> docgen Application; raises ValueError with a Turkish reason."""
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
