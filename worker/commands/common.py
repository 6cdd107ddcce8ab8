"""Small helpers shared by the command modules: argument parsing into domain types, output."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal

from evrak.dates import DateError, parse_iso_date
from evrak.errors import UserError
from evrak.money import MoneyError, parse_amount


def arg_date(text: str, what: str = "tarih") -> date:
    try:
        return parse_iso_date(text, what)
    except DateError as exc:
        raise UserError(str(exc)) from None


def arg_amount(text: str, what: str = "tutar") -> Decimal:
    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise UserError(f"{what}: {exc}") from None
    if value <= 0:
        raise UserError(f"{what} pozitif olmalı: {text!r}")
    return value


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
