"""The repayment schedule as XLSX: money cells are numbers with a TL format, dates are dates.

Staff sort, sum and paste these into the bank's portal, so a money cell must be a number
(written from the Decimal's own digits, never through float) and a due date a real date.
The number format is stored in Excel's invariant form; Turkish Excel shows it as
1.234.567,89 TL.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from docgen.render import normalize_docx
from evrak.spreadsheet import safe_cell

MONEY_FORMAT = '#,##0.00" TL"'
DATE_FORMAT = "DD.MM.YYYY"
RATE_FORMAT = "0.000%"


def schedule_workbook(context: dict[str, Any]) -> bytes:
    """XLSX bytes of the schedule in a context built for `geri_odeme_plani`."""
    sched = context["schedule"]
    if sched is None:
        raise ValueError("context has no schedule")
    wb = Workbook()
    ws = wb.active
    ws.title = "Geri Ödeme Planı"
    bold = Font(bold=True)
    # user text (application number, company name) is formula-safe (evrak.spreadsheet)
    ws.append(["Program", safe_cell(f"{context['program']['name']} ({context['program']['reference']})")])
    ws.append(["Başvuru No", safe_cell(context["application_no"])])
    ws.append(["Yararlanıcı", safe_cell(context["applicant"]["name"])])
    ws.append(["Geri ödeme esası", Decimal(sched["basis"])])
    ws["B4"].number_format = MONEY_FORMAT
    ws.append(["Başlangıç", sched["anchor"]])
    ws["B5"].number_format = DATE_FORMAT
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["Taksit No", "Son Ödeme Tarihi", "Taksit Tutarı", "Kalan Borç"])
    for cell in ws[header_row]:
        cell.font = bold
    for inst in sched["installments"]:
        ws.append([inst["no"], inst["due_date"], Decimal(inst["amount"]), Decimal(inst["remaining"])])
        r = ws.max_row
        ws.cell(r, 2).number_format = DATE_FORMAT
        ws.cell(r, 3).number_format = MONEY_FORMAT
        ws.cell(r, 4).number_format = MONEY_FORMAT
    ws.append(["Toplam", None, Decimal(sched["total"]), None])
    ws.cell(ws.max_row, 1).font = bold
    ws.cell(ws.max_row, 3).number_format = MONEY_FORMAT
    if sched["fees"]:
        ws.append([])
        ws.append(["Masraf (krediye ve bütçeye dahil değildir)", "Oran", "Matrah", "Tutar"])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for fee in sched["fees"]:
            ws.append([fee["label"], Decimal(fee["rate"]), Decimal(fee["base"]), Decimal(fee["amount"])])
            r = ws.max_row
            ws.cell(r, 2).number_format = RATE_FORMAT
            ws.cell(r, 3).number_format = MONEY_FORMAT
            ws.cell(r, 4).number_format = MONEY_FORMAT
    for col, width in zip("ABCD", (34, 18, 20, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws["B1"].alignment = Alignment(wrap_text=False)
    # Byte-stable output: fixed document properties and zip timestamps.
    fixed = datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "evrak"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_docx(buf.getvalue())  # any OOXML zip: pins core dates and entry times


def write_schedule_xlsx(context: dict[str, Any], path: Path) -> Path:
    path = Path(path)
    path.write_bytes(schedule_workbook(context))
    return path
