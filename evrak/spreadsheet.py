"""Cells safe for spreadsheets: user text never becomes a formula (issue 17 item 5).

Excel, LibreOffice Calc and Google Sheets run a cell that starts with =, +, -, @, a tab or a
carriage return as a formula (OWASP "CSV injection"); openpyxl also stores such a string as a
formula. A KAYS export or a company name can carry one (=HYPERLINK(...), -2+3+cmd|...), so
every text cell evrak writes goes through `safe_cell`, which prefixes a single quote: the
cell then shows the text as it was, and nothing runs. Numbers are left as numbers.

Staff files read back in (KAYS exports, the applicant history) are read as CSV by `csv_rows`,
the one place that knows how Turkish Excel saves them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value for a spreadsheet cell: text that could start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> Path:
    """A CSV with formula-safe cells. excel=True: UTF-8 with BOM and semicolons, which Turkish
    Excel opens into columns with the letters intact (a plain UTF-8 comma file opens as one
    garbled column there); otherwise plain UTF-8 with commas, for programs."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";" if excel else ",")
        w.writerow(safe_row(header))
        for row in rows:
            w.writerow(safe_row(row))
    return path


def write_xlsx(path: Path, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """An XLSX with one sheet, a bold header and formula-safe text cells (numbers stay numbers)."""
    return write_workbook(path, {title: (header, rows)})


def write_workbook(path: Path, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> Path:
    """An XLSX with a sheet per (title: (header, rows)), each as write_xlsx writes one; the file
    appears whole or not at all."""
    from openpyxl import Workbook  # lazy: about 0.4 s, and most commands write no XLSX
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])  # Excel's limit for a sheet name
        ws.append(safe_row(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(safe_row(row))
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank row of a staff CSV, the header as row 1.

    Turkish Excel saves "CSV UTF-8" with a BOM and semicolons, other tools with commas: the
    separator is the one the first 4 KiB use more. Blank rows are skipped, their numbers kept,
    so an error can name the line a person sees in the file."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        for n, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
            if any(v.strip() for v in row):
                yield n, list(row)
