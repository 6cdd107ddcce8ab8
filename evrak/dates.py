"""Dates and times: Europe/Istanbul everywhere (D1), Turkish date words (D10), parsing.

Documents write dates as 24.02.2023, 24/02/2023, 24-02-2023, 2023-02-24 or 24 Şubat 2023;
one parser reads them all so that no verifier grows its own.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from evrak.text import fold

ISTANBUL = ZoneInfo("Europe/Istanbul")

MONTHS = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
]
WEEKDAYS = ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"]
_MONTH_BY_KEY = {fold(m): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_BY_KEY.update({fold(m)[:3]: i + 1 for i, m in enumerate(MONTHS)})


class DateError(ValueError):
    """A date that cannot be read; the message names the text."""


def aware(value: datetime) -> datetime:
    """A naive timestamp is Istanbul time (D1); an aware one is converted to Istanbul."""
    if value.tzinfo is None:
        return value.replace(tzinfo=ISTANBUL)
    return value.astimezone(ISTANBUL)


def at(day: date, hhmm: str | time) -> datetime:
    """The aware datetime of `day` at a closing hour such as "17:00"."""
    t = hhmm if isinstance(hhmm, time) else time.fromisoformat(hhmm)
    return datetime.combine(day, t, ISTANBUL)


def now() -> datetime:
    return datetime.now(ISTANBUL)


def format_long(d: date) -> str:
    """24 Şubat 2023 (letters, D10)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def format_short(d: date) -> str:
    """24.02.2023 (tables, D10)."""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def format_datetime(dt: datetime) -> str:
    """24 Şubat 2023 17:00, in Istanbul time."""
    local = aware(dt)
    return f"{format_long(local.date())} {local:%H:%M}"


_NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORDS = re.compile(r"\b(\d{1,2})\s*\.?\s+([A-Za-zÇĞİÖŞÜçğıöşüÂâ]+)\s+(\d{4})\b")


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every date in `text` with its span, in order of appearance; impossible dates skipped."""
    found: list[tuple[date, int, int]] = []
    for m in _NUMERIC.finditer(text):
        _try_add(found, int(m.group(3)), int(m.group(2)), int(m.group(1)), m)
    for m in _ISO.finditer(text):
        _try_add(found, int(m.group(1)), int(m.group(2)), int(m.group(3)), m)
    for m in _WORDS.finditer(text):
        month = _MONTH_BY_KEY.get(fold(m.group(2))) or _MONTH_BY_KEY.get(fold(m.group(2))[:3])
        if month and fold(m.group(2))[:3] in {fold(x)[:3] for x in MONTHS}:
            _try_add(found, int(m.group(3)), month, int(m.group(1)), m)
    found.sort(key=lambda x: x[1])
    return found


def _try_add(found: list, y: int, mo: int, d: int, m: re.Match) -> None:
    try:
        found.append((date(y, mo, d), m.start(), m.end()))
    except ValueError:
        pass


def parse_date(text: str) -> date:
    """The single date in `text`; raises DateError naming the text when there is none."""
    hits = find_dates(text.strip())
    if not hits:
        raise DateError(f"tarih okunamadı: {text!r}")
    return hits[0][0]


def parse_iso_date(text: str, what: str = "tarih") -> date:
    """Strict ISO date for command-line arguments and manifests."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise DateError(f"{what} YYYY-AA-GG biçiminde olmalı: {text!r}") from exc
