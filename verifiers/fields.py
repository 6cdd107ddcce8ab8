"""Layout-independent field finding shared by the document readers.

Labels are matched on folded text ("K.D.V." and "KDV", "Ödenecek" and "ODENECEK" alike) with
`fold_aligned`, so the span of a label in the folded line is its span in the original line,
and the value is then parsed from the original text with the core parsers (parse_amount,
find_dates). Nothing here knows a particular layout: a reader states the labels it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from evrak.dates import find_dates
from evrak.findings import Evidence
from evrak.identifiers import is_valid_tckn, is_valid_vkn
from evrak.money import MoneyError, parse_amount
from evrak.text import fold_aligned
from verifiers.text import Page

# An amount with a decimal part ("1.234,56", "1234.56", "1 234,56") or a grouped integer
# ("1.500.000"); a bare integer is never money here (it may be a quantity or a year).
_MONEY = re.compile(
    r"(?<![\d.,/])(?<!\d[.,] )(?:\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?|\d+[.,]\d{2})(?![\d/]|[.,]\w)"
)
_TAX_ID = re.compile(r"(?<!\d)(\d{10,11})(?!\d)")


@dataclass
class Line:
    page: int
    text: str
    folded: str
    index: int  # position in the document's line list


class Doc:
    """A document's text as lines with page numbers, plus the file name for evidence."""

    def __init__(self, file: str, pages: Iterable[Page]) -> None:
        self.file = file
        self.pages = list(pages)
        self.lines: list[Line] = []
        for p in self.pages:
            for raw in p.text.split("\n"):
                text = raw.strip()
                if text:
                    self.lines.append(Line(p.number, text, fold_aligned(text), len(self.lines)))
        self.full_folded = "\n".join(ln.folded for ln in self.lines)
        self.ocr = any(p.source == "ocr" for p in self.pages)

    def evidence(self, line: Line, value: object) -> Evidence:
        return Evidence(file=self.file, page=line.page, text=line.text, value=_str(value))

    def find(self, pattern: str | re.Pattern, start: int = 0) -> Iterator[tuple[Line, re.Match]]:
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        for ln in self.lines[start:]:
            m = rx.search(ln.folded)
            if m:
                yield ln, m

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.full_folded) is not None


def _str(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_str(v) for v in value)
    return str(value)


def money_in(text: str) -> list[tuple[Decimal, int, int]]:
    """Amounts in a text with their spans, parsed with the core parser (Decimal only)."""
    out = []
    for m in _MONEY.finditer(text):
        try:
            out.append((parse_amount(m.group()), m.start(), m.end()))
        except MoneyError:
            continue
    return out


def tax_ids_in(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(1), m.start(1), m.end(1)) for m in _TAX_ID.finditer(text)]


def id_is_valid(number: str) -> bool:
    return is_valid_vkn(number) if len(number) == 10 else is_valid_tckn(number)


def value_after(doc: Doc, label: str, parse: Callable[[str], object | None], *,
                start: int = 0, next_lines: int = 1) -> tuple[object, Line] | None:
    """The first value `parse` finds after a label (folded regex), on the same line or in the
    next `next_lines` lines (labels above their values in table layouts)."""
    for ln, m in doc.find(label, start):
        value = parse(ln.text[m.end():])
        if value is not None:
            return value, ln
        for nxt in doc.lines[ln.index + 1: ln.index + 1 + next_lines]:
            value = parse(nxt.text)
            if value is not None:
                return value, nxt
    return None


def issue_date(doc: Doc, skip: Callable[[Line, date, str], bool] | None = None) -> tuple[date, Line] | None:
    """A document's issue date: the first date labelled "tarih", else the first date at all.

    `skip(line, date, folded text before it)` passes over dates that are something else
    (a registration date, a row of a table); it may record them on the way.
    """
    labelled = first = None
    for ln in doc.lines:
        for d, s, _e in find_dates(ln.text):
            before = ln.folded[:s]
            if skip is not None and skip(ln, d, before):
                continue
            if labelled is None and re.search(r"tarih", before):
                labelled = (d, ln)
            if first is None:
                first = (d, ln)
    return labelled or first


def first_date(text: str) -> date | None:
    hits = find_dates(text)
    return hits[0][0] if hits else None


def first_money(text: str) -> Decimal | None:
    hits = money_in(text)
    return hits[0][0] if hits else None


def last_money(text: str) -> Decimal | None:
    hits = money_in(text)
    return hits[-1][0] if hits else None


# Company names: a line holding a legal-form suffix.
COMPANY_FORM = re.compile(
    r"\b(a\.? ?s\.?|anonim sirketi|limited sirketi|ltd\.? ?sti\.?|ltd\.? sirketi|"
    r"kollektif sirketi|komandit sirketi|kooperatifi|t\.a\.o\.?)(?![a-z])"
)


_NAME_PREFIX = re.compile(
    r"(?<!\S)(?:sayin|musterisi|musterimiz|unvani|unvan|firmasi|firma|satici|alici|tedarikci|"
    r"numarali|nolu|isveren|isyeri|isletmenin|adi|t\.c\.)\s*:?\s+|:\s*|^\s*\d+[.)]\s+"
)


def companies_in_line(text: str) -> list[str]:
    """Every trade name in a line; two-column layouts put the seller and buyer side by side."""
    folded = fold_aligned(text)
    out = []
    start = 0
    for m in COMPANY_FORM.finditer(folded):
        piece = company_from_line(text[start: m.end()])
        if piece:
            out.append(piece)
        start = m.end()
    return out


def company_from_line(text: str) -> str | None:
    """The trade name in a line: from after its last label ("Sayın", "Firma Unvanı:", "...
    numaralı") to its last legal-form suffix ("A.Ş.", "Ltd. Şti.", "Anonim Şirketi")."""
    folded = fold_aligned(text)
    forms = list(COMPANY_FORM.finditer(folded))
    m = forms[-1] if forms else None
    if not m:
        return None
    end = m.end()
    start = 0
    for p in _NAME_PREFIX.finditer(folded[:end]):
        start = p.end()
    name = re.sub(r"\s+", " ", text[start:end]).strip(" ,;:-–()")
    if len(re.findall(r"[A-Za-zÇĞİÖŞÜçğıöşü]", name)) < 6 or len(name.split()) < 2:
        return None
    return name


def is_company_name(text: str) -> bool:
    return company_from_line(text) is not None
