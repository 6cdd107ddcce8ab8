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


# Day, month and a four-digit year with one separator kind: 04.03.2022, 4/3/2022, 14-05-2024,
# and OCR's "04. 03. 2022". A two-digit year is not read: "1.375.22" could be anything.
_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d])")
_ISO = re.compile(r"(?<![\d.,/-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
# "4 Mart 2022", "04 MART 2022", "4. Mart 2022", "4 Mar. 2022", "Cuma, 4 Mart 2022 14:30", OCR's "4 Mart2022"
_WORDS = re.compile(r"(?<![\d.,])(\d{1,2})\s*\.?\s*([A-Za-zÇĞİÖŞÜçğıöşüÂâ]{3,9})\.?,?\s*(\d{4})(?!\d)")


def month_number(word: str) -> int | None:
    """The month a Turkish month word names: the full name in any case ("MART", "Ağustos"),
    or its abbreviation of at least three letters ("Şub", "Ağu", "Eyl"). A word that only
    starts like a month ("Ekipman", "Marka") is not one."""
    key = fold(word).rstrip(".")
    if key in _MONTH_BY_KEY:
        return _MONTH_BY_KEY[key]
    if len(key) >= 3:
        hits = [i + 1 for i, m in enumerate(MONTHS) if fold(m).startswith(key)]
        if len(hits) == 1:
            return hits[0]
    return None


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every date in `text` with its span, in order of appearance; impossible dates skipped.

    A small hand parser with the month table, not dateparser: dateparser reads relative
    and partial dates ("yarın", "Mart 2022", a bare "12.03") that a document's date must never
    be taken from, does not give the span the readers need to look at the words around a
    date, and costs milliseconds per call where this costs microseconds (200 pages/s is
    the budget). The forms documents use are few: day-month-year in digits with one
    separator, ISO, and the day with the Turkish month word.
    """
    found: list[tuple[date, int, int]] = []
    for m in _NUMERIC.finditer(text):
        _try_add(found, int(m.group(4)), int(m.group(3)), int(m.group(1)), m)
    for m in _ISO.finditer(text):
        _try_add(found, int(m.group(1)), int(m.group(2)), int(m.group(3)), m)
    for m in _WORDS.finditer(text):
        month = month_number(m.group(2))
        if month:
            _try_add(found, int(m.group(3)), month, int(m.group(1)), m)
    found.sort(key=lambda x: x[1])
    return found


def _try_add(found: list, y: int, mo: int, d: int, m: re.Match) -> None:
    if not 1900 <= y <= 2200:
        return
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
