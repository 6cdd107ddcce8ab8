"""Layout-independent field finding shared by the document readers.

Labels are matched on folded text ("K.D.V." and "KDV", "Ödenecek" and "ODENECEK" alike) with
`fold_aligned`, so the span of a label in the folded line is its span in the original line,
and the value is then parsed from the original text with the core parsers (parse_amount,
find_dates). Nothing here knows a particular layout: a reader states the labels it accepts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from evrak.dates import find_dates
from evrak.findings import Evidence
from evrak.identifiers import is_valid_tckn, is_valid_vkn
from evrak.money import MoneyError, parse_amount
from evrak.text import fold_aligned
from verifiers.text import Page

# An amount with a decimal part ("1.234,56", "1234.56", "1 234,56"), a grouped integer
# ("1.500.000"), or a unit price with up to eight decimals as e-Fatura renderings print it
# ("32.740,00000000"); a bare integer is never money here (it may be a quantity or a year).
_MONEY = re.compile(
    r"(?<![\d.,/])(?<!\d[.,] )(?:\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:(?!\1)[.,]\d{4,8}|[.,]\d{1,2})?"
    r"|\d+[.,]\d{4,8}|\d+[.,]\d{2})(?![\d/]|[.,]\w)"
)


@dataclass
class Line:
    page: int
    text: str
    folded: str
    index: int  # position in the document's line list
    raw: int = -1  # position in its page's text lines (an OCR word's `line`)


class Doc:
    """A document's text as lines with page numbers, plus the file name for evidence."""

    def __init__(self, file: str, pages: Iterable[Page], source: Path | None = None) -> None:
        self.file = file
        self.source = source  # the file itself, for what text cannot carry (a QR code)
        self.pages = list(pages)
        self.lines: list[Line] = []
        for p in self.pages:
            for k, raw in enumerate(p.text.split("\n")):
                text = raw.strip()
                if text:
                    self.lines.append(Line(p.number, text, fold_aligned(text), len(self.lines), k))
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

    def left(self, line: Line) -> float | None:
        """Where an OCR line starts across its page (0 left edge .. 1 right edge), from its
        first word's box; None on a text layer."""
        page = next((p for p in self.pages if p.number == line.page), None)
        if page is None or not page.image_size[0]:
            return None
        xs = [w.left for w in page.words if w.line == line.raw]
        return min(xs) / page.image_size[0] if xs else None

    def cells(self, line: Line) -> list[tuple[int, str]]:
        """The parts of a line that stand apart on the page, as (offset in line.text, text).

        OCR (psm 4) writes side-by-side columns on one line ("Nilüfer / BURSA Tel: 0407 395 45
        67 No: TKL2312-37"); the word boxes show the wide blank between them (over three
        character widths), so a label that starts a column can be matched as starting a
        line. A text-layer line is one cell."""
        page = next((p for p in self.pages if p.number == line.page), None)
        words = sorted((w for w in (page.words if page is not None else []) if w.line == line.raw),
                       key=lambda w: w.left)
        chars = sum(len(w.text) for w in words)
        if len(words) < 2 or not chars:
            return [(0, line.text)]
        char_w = sum(w.width for w in words) / chars
        first = line.text.find(words[0].text)
        starts, cursor = [0], first + len(words[0].text) if first >= 0 else 0
        for prev, w in itertools.pairwise(words):
            at = line.text.find(w.text, cursor)
            if at < 0:
                continue
            cursor = at + len(w.text)
            if w.left - (prev.left + prev.width) > 3 * char_w:
                starts.append(at)
        ends = [*starts[1:], len(line.text)]
        return [(a, line.text[a:b].strip()) for a, b in zip(starts, ends, strict=True)]


def _str(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_str(v) for v in value)
    return str(value)


def money_in(text: str) -> list[tuple[Decimal, int, int]]:
    """Amounts in a text with their spans, parsed with the core parser (Decimal only).

    A unit price with more than two decimals keeps them (92,00000000 -> 92.00000000): the
    line arithmetic is done on the price as printed.
    """
    out = []
    for m in _MONEY.finditer(text):
        raw = m.group()
        long_tail = re.search(r"[.,](\d{4,8})$", raw)
        try:
            if long_tail:
                head = raw[: long_tail.start()]
                if len(set(re.findall(r"[.,]", head))) > 1 or raw[long_tail.start()] in head:
                    continue
                value = parse_amount(head) + Decimal("0." + long_tail.group(1))
            else:
                value = parse_amount(raw)
        except MoneyError:
            continue
        out.append((value, m.start(), m.end()))
    return out


def id_is_valid(number: str) -> bool:
    return is_valid_vkn(number) if len(number) == 10 else is_valid_tckn(number)


# The role of a date from the words around it (folded text). Checked in this order; the
# first that matches wins. "after" is the text right after the date, "before" the text
# between the previous date (or the line start) and this one, or the previous line when
# the date stands alone under its label.
_AFTER_ROLES = (
    ("registration", re.compile(r"^\W{0,3}(?:tarihinde|tarihinden (?:itibaren|beri))\s+(?:[a-z]+\s+){0,2}"
                                r"(?:tescil|kayit|kurul|odamiza kayit|sicile)")),
    ("issue", re.compile(r"^\W{0,3}tarihinde\s+(?:[a-z]+\s+){0,1}(?:duzenlen|verilmis|verilmistir|tanzim|onaylan)")),
    ("until", re.compile(r"^\W{0,3}(?:'?[a-z]{0,3}\s+)?(?:tarihine kadar|tarihine dek|tarihinde sona|kadar|"
                         r"tarihine degin)")),
    ("from", re.compile(r"^\W{0,3}(?:'?[a-z]{0,3}\s+)?(?:tarihinden (?:itibaren|gecerli)|itibaren)")),
    ("reference", re.compile(r"^\W{0,3}(?:tarihli|tarih ve)")),
)
_BEFORE_ROLES = (
    ("birth", re.compile(r"dogum")),
    ("validity", re.compile(r"gecerli|gecerlilik|opsiyon|son kullanma|vade|bitis|sona erme|yetki suresi")),
    ("registration", re.compile(r"kayit|tescil|kurulus|ise giris|giris tarihi|sicile")),
    ("yevmiye", re.compile(r"yevmiye")),
    ("delivery", re.compile(r"teslim|sevk|irsaliye")),
    ("deadline", re.compile(r"son gun|son basvuru|en gec")),
    ("notarisation", re.compile(r"onaylarim|onaylanir|onay tarihi|onaylayan|tasdik olunur|tasdik ederim|noterlik|"
                                r"noter")),
    ("issue", re.compile(r"tarih|tanzim|duzenleme")),
)
# roles that can never be a document's own date
NOT_ISSUE = frozenset({"until", "from", "reference", "birth", "validity", "registration", "yevmiye", "delivery",
                       "deadline"})


@dataclass
class DateMention:
    """A date in a document with the role its surrounding words give it."""

    value: date
    role: str  # issue | notarisation | validity | until | from | reference | registration | ...
    line: Line
    start: int
    end: int
    before: str  # folded label text the role was read from


def date_role(before: str, after: str) -> str:
    """The role of a date from the folded text before and after it ("" when unlabelled).

    Only the label nearest the date counts: the words after the last number before it
    ("Yevmiye No: 52044 Tarih:" is the document's date, not the yevmiye's)."""
    for role, rx in _AFTER_ROLES:
        if rx.search(after):
            return role
    near = re.split(r"\d[\d.,/-]*", before)[-1]
    if re.search(r"[a-z]{3}", near):
        before = near
    for role, rx in _BEFORE_ROLES:
        if rx.search(before):
            return role
    return ""


def date_mentions(doc: Doc) -> list[DateMention]:
    """Every date in a document, in reading order, with its role."""
    out: list[DateMention] = []
    for ln in doc.lines:
        hits = find_dates(ln.text)
        prev_end = 0
        for d, s, e in hits:
            before = ln.folded[prev_end:s]
            if not re.search(r"[a-z]{3}", before) and ln.index > 0 and prev_end == 0:
                # a value under its label (table layouts), or a date on a line of its own
                above = doc.lines[ln.index - 1]
                if len(above.folded) <= 60 and not find_dates(above.text):
                    before = above.folded + " " + before
            # keep only the last clause before the date: "... gecerlidir. Tarih:" is a date label
            parts = re.split(r"[.;]\s", before)
            if len(parts) > 1 and re.search(r"[a-z]{3}", parts[-1]):
                before = parts[-1]
            after = ln.folded[e: e + 40]
            if len(after.strip()) < 20 and ln.index + 1 < len(doc.lines):
                after = after + " " + doc.lines[ln.index + 1].folded[:30]  # "... tarihine" / "kadar"
            out.append(DateMention(d, date_role(before, after), ln, s, e, before))
            prev_end = e
        wrapped = _wrapped_date(doc, ln, prev_end)
        if wrapped is not None:
            out.append(wrapped)
    return out


# running text that broke inside a date: "... giriş tarihi 16 HAZİRAN" / "2008 dir."
_DAY_MONTH_END = re.compile(r"(?<!\d)(\d{1,2})\s+([^\W\d_]{3,})\W*$")
_YEAR_START = re.compile(r"^\W*((?:19|20)\d{2})(?!\d)")


def _wrapped_date(doc: Doc, ln: Line, prev_end: int) -> DateMention | None:
    """A day and month name ending a line whose year starts the next one, read as one date
    (only a month name: "12 adet" / "2023" is no date, find_dates decides)."""
    m = _DAY_MONTH_END.search(ln.text)
    if m is None or m.start() < prev_end or ln.index + 1 >= len(doc.lines):
        return None
    below = doc.lines[ln.index + 1]
    y = _YEAR_START.match(below.text)
    if y is None:
        return None
    hits = find_dates(f"{m.group(1)} {m.group(2)} {y.group(1)}")
    if len(hits) != 1:
        return None
    before = ln.folded[prev_end:m.start()]
    parts = re.split(r"[.;]\s", before)
    if len(parts) > 1 and re.search(r"[a-z]{3}", parts[-1]):
        before = parts[-1]
    after = below.folded[y.end(): y.end() + 40]
    return DateMention(hits[0][0], date_role(before, after), ln, m.start(), len(ln.text), before)


def issue_date(doc: Doc, skip: Callable[[Line, date, str], bool] | None = None) -> tuple[date, Line] | None:
    """A document's issue date: the one home of that choice for every reader.

    The first date labelled as the document's date ("Tarih", "Fatura Tarihi", "Düzenleme
    Tarihi"), else the notary's date ("... onaylarım. 4 Mart 2022"), else the first date
    whose words give it no other role. Validity, "... tarihine kadar", "... tarihli",
    registration, birth, delivery and yevmiye dates are never taken. `skip(line, date,
    folded text before it)` lets a reader pass over dates that are something else for its
    kind (a row of a table); it may record them on the way.
    """
    picks: dict[str, tuple[date, Line]] = {}
    labelled: set[date] = set()
    for m in date_mentions(doc):
        if m.role in NOT_ISSUE:
            if skip is not None:
                skip(m.line, m.value, m.before)
            continue
        if skip is not None and skip(m.line, m.value, m.before):
            continue
        picks.setdefault(m.role, (m.value, m.line))
        if m.role == "issue":
            labelled.add(m.value)
    if doc.ocr and len(labelled) > 1:
        return None  # a scan whose labelled dates disagree ("Fatura Tarihi" / "Düzenleme Tarihi"): a misread
    return picks.get("issue") or picks.get("notarisation") or picks.get("")


# Company names: a line holding a legal-form suffix.
COMPANY_FORM = re.compile(
    r"\b(a\.? ?s\.?|anonim sirketi|limited sirketi|ltd\.? ?sti\.?|ltd\.? sirketi|"
    r"kollektif sirketi|komandit sirketi|kooperatifi|t\.a\.o\.?)(?![a-z])"
)


_NAME_PREFIX = re.compile(
    r"(?<!\S)(?:sayin|musterisi|musterimiz|unvani|unvan|firmasi|firma|satici|alici|tedarikci|"
    r"numarali|nolu|isveren|isyeri|isletmenin|adi|t\.c\.|kayitli|cercevesinde|kapsaminda|tarafindan|"
    r"uzere|olarak|ekli)\s*:?\s+|:\s*|^\s*\d+[.)]\s+|\)\s*,?\s+|\d{10,11}\W*\s+"
)
# a date leading a line ("1 Mart 2025 ABC Ltd. Şti." when a letter's date and addressee merge)
_LEADING_DATE = re.compile(r"^\s*\d{1,2}[ ./-]+(?:\d{1,2}|[a-z]{3,9})[ ./-]+\d{4}\s+")
# words a wrapped trade name's first line ends with ("... SANAYİ VE" / "DIŞ TİCARET LTD. ŞTİ.")
_WRAP_END = re.compile(r"(?<![a-z])(ve|and|&|san\.?|sanayi|tic\.?|ticaret|ith\.?|ihr\.?|ithalat|ihracat|insaat|"
                       r"gida|tekstil|enerji|makina|makine)[^\w,]*$|[&-]\s*$")
_HALF_FORM_END = re.compile(r"(?<![a-z])(anonim|limited|kollektif|komandit|ltd\.?)\W*$")
_FORM_TAIL_START = re.compile(r"^\W*(sirketi|sti\.?)(?![a-z])")
_FORM_AT_START = re.compile(r"^\W*(a\.? ?s\.?|anonim sirketi|limited sirketi|ltd\.? ?sti\.?|ltd\.? sirketi|"
                            r"kollektif sirketi|komandit sirketi|kooperatifi)(?![a-z])")
_FORM_START = re.compile(r"^\W*(anonim|limited|ltd|a\.? ?s\.?(?![a-z])|sirketi|san\.|ve tic|tic\.|ticaret|"
                         r"kollektif|komandit|dis ticaret|ith\.)")


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
    lead = _LEADING_DATE.match(folded[start:end])
    if lead:
        start += lead.end()
    name = re.sub(r"\s+", " ", text[start:end]).strip(" ,;:-–()")
    if len(re.findall(r"[A-Za-zÇĞİÖŞÜçğıöşü]", name)) < 6 or len(name.split()) < 2:
        return None
    if not re.search(r"[a-z]", folded[start:m.start()]):
        return None  # a legal form alone ("Ltd. Şti." that wrapped from the line above) is no name
    return name


def company_at(doc: Doc, ln: Line, *, skip_above: Callable[[Line], bool] | None = None) -> str | None:
    """The trade name on a line of a document, joined with the line above or below when the
    name wrapped ("İKİTELLİ PRES GIDA SANAYİ VE" / "DIŞ TİCARET LTD. ŞTİ.", "... TİCARET" /
    "ANONİM ŞİRKETİ"). `skip_above(line)` refuses a line above (an address, a label)."""
    name = company_from_line(ln.text)
    lines = doc.lines
    if name is None:
        if ln.index + 1 < len(lines) and not COMPANY_FORM.search(ln.folded):
            below = lines[ln.index + 1]
            # a short tail line, or a running text whose line broke inside the legal form itself
            # ("... TİCARET ANONİM" / "ŞİRKETİ (Vergi No: ...) 11.10.2012 tarihinden ...")
            below_folded = fold_aligned(below.text)
            tail = _FORM_TAIL_START.match(below_folded) if _HALF_FORM_END.search(ln.folded) else \
                _FORM_AT_START.match(below_folded) if _WRAP_END.search(ln.folded) else None
            if tail is not None and (skip_above is None or not skip_above(ln)):
                # only the legal form is taken from the line below: the rest of it is other text
                return company_from_line(ln.text + " " + below.text[: tail.end()])
            if len(below.text.split()) <= 4 and _FORM_START.search(below.folded) and not _WRAP_END.search(
                    below.folded) and (skip_above is None or not skip_above(ln)):
                return company_from_line(ln.text + " " + below.text)
        return None
    at_start = ln.folded.strip().startswith(fold_aligned(name)[:12])
    if at_start and ln.index > 0:
        above = lines[ln.index - 1]
        refused = skip_above is not None and skip_above(above)
        refused = refused or bool(find_dates(above.text) or re.search(r"\d{5,}|\d\W*$", above.text))
        if not refused and not COMPANY_FORM.search(above.folded) and (
                _FORM_START.search(fold_aligned(name)) or _WRAP_END.search(above.folded)):
            joined = company_from_line(above.text + " " + ln.text)
            if joined:
                return joined
    return name


