"""Small helpers shared by the command modules: argument parsing into domain types, output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from evrak.dates import DateError, parse_iso_date
from evrak.errors import UserError
from evrak.money import MoneyError, parse_amount

MAX_ARG_CHARS = 40  # no date, amount or count a user types is longer
MAX_AMOUNT = Decimal("1000000000000")  # 1 trilyon TL: far above any programme, far below overflow
MAX_COUNT = 10_000  # business days (about 40 years): bounded so date arithmetic cannot overflow


def shown(text: str) -> str:
    """A user's argument quoted in a message, cut short: a 5,000-digit value is not echoed."""
    return repr(text) if len(text) <= MAX_ARG_CHARS else repr(text[:MAX_ARG_CHARS]) + "…"


def arg_date(text: str, what: str = "tarih") -> date:
    if len(text) > MAX_ARG_CHARS:
        raise UserError(f"{what} YYYY-AA-GG biçiminde olmalı: {shown(text)}")
    try:
        return parse_iso_date(text, what)
    except DateError as exc:
        raise UserError(str(exc)) from None


def arg_amount(text: str, what: str = "tutar") -> Decimal:
    if len(text) > MAX_ARG_CHARS:
        raise UserError(f"{what} çok uzun: {shown(text)}")
    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise UserError(f"{what}: {exc}") from None
    except InvalidOperation:  # more digits than Decimal's context holds
        raise UserError(f"{what} çok büyük: {shown(text)} (en çok 1.000.000.000.000,00 TL)") from None
    if value <= 0:
        raise UserError(f"{what} pozitif olmalı: {shown(text)}")
    if value > MAX_AMOUNT:
        raise UserError(f"{what} çok büyük: {shown(text)} (en çok 1.000.000.000.000,00 TL)")
    return value


def arg_count(text: str, what: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """A whole number within bounds; anything else is the user's error, not an overflow."""
    if len(text) > MAX_ARG_CHARS or not text.strip().lstrip("+-").isdigit() or not text.strip().isascii():
        raise UserError(f"{what} tam sayı olmalı: {shown(text)}")
    n = int(text)
    if not minimum <= n <= maximum:
        raise UserError(f"{what} {minimum} ile {maximum} arasında olmalı: {shown(text)}")
    return n


def console(*, stderr: bool = False) -> Console:
    """A Rich console for command output: no emoji codes, no automatic highlighting.

    Text from users (application numbers, company names, file names) goes into markup only
    through `text()`, so "[/red]" or "[link=...]" in it is shown, never interpreted.
    """
    return Console(stderr=stderr, emoji=False, highlight=False)


def text(value: object) -> str:
    """User text made safe for Rich markup."""
    return escape(str(value))


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def arg_trust(value: str | None) -> Path | None:
    """--trust, else EVRAK_TRUST_DIR: the folder of trusted roots for e-signatures, or None."""
    trust = value or os.environ.get("EVRAK_TRUST_DIR")
    if trust and not Path(trust).is_dir():
        raise UserError(f"güvenilir kök sertifika klasörü bulunamadı: {trust}")
    return Path(trust) if trust else None


def arg_crls(values: Iterable[str] | None) -> tuple[Path, ...]:
    """--crl files, each one present (a missing CRL is the user's mistake, not an unchecked signature)."""
    crls = tuple(Path(c) for c in values or ())
    for c in crls:
        if not c.is_file():
            raise UserError("CRL dosyası bulunamadı", file=str(c))
    return crls
