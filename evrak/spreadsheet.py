"""Cells safe for spreadsheets: user text never becomes a formula (issue 17 item 5).

Excel, LibreOffice Calc and Google Sheets run a cell that starts with =, +, -, @, a tab or a
carriage return as a formula (OWASP "CSV injection"); openpyxl also stores such a string as a
formula. A KAYS export or a company name can carry one (=HYPERLINK(...), -2+3+cmd|...), so
every text cell evrak writes goes through `safe_cell`, which prefixes a single quote: the
cell then shows the text as it was, and nothing runs. Numbers are left as numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value for a spreadsheet cell: text that could start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
