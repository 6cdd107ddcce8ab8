"""Amount roles of an offer or invoice by reconciliation, not by the nearest label.

Every amount in the document is collected with its line and the words that label it (on its
line, or on the line above when a label wraps: "Hesaplanan GERÇEK USÜLDE KATMA" / "DEĞER
VERGİSİ(%10) 22.178,80"). A label only proposes roles (unit price, iskonto, KDV at a rate,
net, gross, tax-inclusive, payable); the values are then chosen so that the arithmetic of
the document holds: quantity x unit price - iskonto = line amount, sum of lines = net,
net x rate = KDV, net + taxes = total, and the "Yalnız ..." amount in words = payable.

Where no assignment satisfies any relation, a role is kept only when one unambiguous label
states it (the document's own inconsistency is then a true PROFORMA_ARITHMETIC finding);
otherwise the role is left unread (reported for review), never filled with a value the
document does not support.

A scan's amounts may have more than one reading (Tesseract has no ₺: "₺4.783.139,92" comes
back as "54.783.139,92", or the OCR step marks it unread and keeps what it read): every
reading is tried, with quantity x unit price as a net, and only one assignment that satisfies
net x rate = KDV and net + KDV = total (and the amount in words) confirms them. A row read two
ways is settled by the row's other amounts, then by the net, else left unread.

amount_boxes / fill_amount_boxes give each amount's Evidence its box on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from itertools import product

import pypdfium2 as pdfium

from evrak.money import MoneyError, parse_amount, words_to_integer
from evrak.text import fold_aligned
from verifiers.fields import Doc, Line, money_in
from verifiers.ocr import UNREAD

TOL = Decimal("0.05")  # D7: per document
LINE_TOL = Decimal("0.01")  # D7: per line
KNOWN_RATES = {Decimal(x) for x in (0, 1, 8, 10, 18, 20)}

_RATE = re.compile(r"%\s*(\d{1,2}(?:[.,]\d{1,2})?)(?!\d)|(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s*%")
# OCR reads "%" as "9", "96", "95", "o", "W" or "4": "(9620)" is "(%20)"; only rates that
# exist are accepted from such a reading.
_RATE_OCR = re.compile(r"(?:%|9[0-6]|[0o°W4])\s*(\d{1,2})(?!\d)")
# "KDV(%10.00)" scanned as "KDV(9010.00)": a rate in the KDV label's brackets, not an amount
_RATE_IN_BRACKETS_OCR = re.compile(r"(?i)(?<=\()(?:9[0-6]|[o°W])(?:0|1|8|10|18|20)[.,]00(?=\))")

# label -> role, on folded text; checked in this order (a unit price "KDV hariç" is a unit
# price, "KDV Matrahı" is the net, "KDV dahil" is the total)
_ROLES: tuple[tuple[str, re.Pattern], ...] = (
    ("unit", re.compile(r"birim\s*fiyat|b\.\s?fiyat|birim\s*bedel|adet\s*fiyat")),
    ("withholding", re.compile(r"tevkifat")),
    ("discount", re.compile(r"iskonto|indirim")),
    ("other_tax", re.compile(r"(?<![a-z])(otv|oiv|stopaj|damga vergisi|konaklama vergisi|ozel tuketim|"
                             r"ozel iletisim)(?![a-z])")),
    ("payable", re.compile(r"odenecek|odenmesi gereken")),
    ("grand", re.compile(r"genel toplam|vergiler dahil|(?:kdv|k\.d\.v\.?|vergi) dahil|yekun|fatura toplami|"
                         r"toplam fiyat \(kdv")),
    ("gross", re.compile(r"mal\s*hizmet\s*toplam|brut toplam|iskonto(?:suz)? oncesi")),
    ("net", re.compile(r"ara\s*toplam|(?:kdv|k\.d\.v\.?|vergi)\s*haric|matrah|net toplam|toplam tutar|"
                       r"tutar toplami|iskonto sonrasi|toplam bedel|teklif tutari|toplam fiyat")),
    ("kdv", re.compile(r"(?<![a-z])k\.? ?d\.? ?v(?![a-z])|katma deger vergisi")),
    ("bare", re.compile(r"(?<![a-z])toplam(?![a-z])")),
    ("amount", re.compile(r"(?<![a-z])(tutar|tutari|bedel|bedeli|fiyat|fiyati)(?![a-z])")),
)
_QTY_LABEL = re.compile(r"(?<![a-z])(miktar|miktari|adet|adedi)(?![a-z])\s*:?\s*(\d+(?:[.,]\d{1,3})?)\b")
_UNIT_WORDS = (r"adet|ad\.?|kg|kilogram|gr|m2|m²|m3|mt|metre|m|set|takım|takim|tk|lt|litre|paket|pk|ton|"
               r"saat|gün|gun|ay|kalem|sistem|koli|kutu|çift|cift|porsiyon|kişi|kisi|hizmet|parça|parca|rulo|sefer|lot|"
               r"hafta|adam/gün|adam/gun|pcs|pc")
# "1 Adet" scanned as "1/Adet" or "1|Adet" (a space read as a stroke): the arithmetic of the
# row still has to confirm the quantity
_QTY_BEFORE_UNIT = re.compile(rf"(?<![\d.,])(\d+(?:[.,]\d{{1,3}})*)\s*[/|]?\s*(?:{_UNIT_WORDS})(?![a-zçğıöşü])",
                              re.IGNORECASE)
_WORDS_LINE = re.compile(r"yalniz|turk lirasi|(?<![a-z])(trl|try|tl)(?![a-z]).*(kurus|kr)?")
_HEADER_WORDS = {
    "sira", "no", "mal", "hizmet", "miktar", "birim", "fiyat", "fiyati", "iskonto", "orani", "tutari", "tutar",
    "kdv", "diger", "vergiler", "aciklama", "urun", "cinsi", "adet", "toplam", "kalem", "kod", "kodu", "malzeme",
    "k.d.v.", "oran", "hizmetin", "malin", "adi", "ve", "/", "(tl)", "(try)", "tl", "birimi", "nr", "#",
}


@dataclass
class Candidate:
    """One amount on the page, with its line, span, label words and the role they propose."""

    value: Decimal
    line: Line
    start: int
    end: int
    label: str
    role: str | None
    rate: Decimal | None = None
    first_line: int = -1  # the first line of its label (a label wrapped over the lines above)


@dataclass
class Row:
    """An item row after reconciliation."""

    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal
    discount: Decimal | None
    kdv_rate: Decimal | None
    line: Line
    consistent: bool
    # other readings of the row that hold as well: (quantity, unit, amount, iskonto) each;
    # empty when the row has one reading
    alternatives: tuple[tuple[Decimal, Decimal, Decimal, Decimal | None], ...] = ()


@dataclass
class Reading:
    """The amounts chosen, each with the candidate it came from (for evidence) or None."""

    rows: list[Row] = field(default_factory=list)
    net: Decimal | None = None
    net_from: Candidate | None = None
    net_derived: str = ""  # "gross - iskonto", "lines", "quantity x unit" when not printed alone
    kdv: list[Candidate] = field(default_factory=list)
    grand: Candidate | None = None
    payable: Candidate | None = None
    discount: Candidate | None = None
    other_taxes: list[Candidate] = field(default_factory=list)
    withholding: Candidate | None = None
    words: tuple[Decimal, Line] | None = None
    unread: dict[str, str] = field(default_factory=dict)  # field -> why (a review, never a guess)
    inconsistent: list[str] = field(default_factory=list)  # relations the printed values break

    @property
    def kdv_total(self) -> Decimal | None:
        return sum((c.value for c in self.kdv), Decimal(0)) if self.kdv else None


def rate_in(text: str, ocr: bool = False) -> Decimal | None:
    m = _RATE.search(text)
    if m:
        return _dec(m.group(1) or m.group(2))
    if ocr:
        for m in _RATE_OCR.finditer(text):
            r = Decimal(m.group(1))
            if r in KNOWN_RATES:
                return r
    return None


def _dec(text: str) -> Decimal | None:
    try:
        d = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return d.to_integral_value() if d == d.to_integral_value() else d.normalize()


def blank_rates(text: str) -> tuple[str, list[Decimal]]:
    """The text with its percentages blanked (so "%20,00" is not read as money) and the rates."""
    rates = []
    out = text
    for m in _RATE.finditer(text):
        r = _dec(m.group(1) or m.group(2))
        if r is not None:
            rates.append(r)
        out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end():]
    return out, rates


def role_of(label: str) -> str | None:
    for role, rx in _ROLES:
        if rx.search(label):
            return role
    return None


def is_header_line(ln: Line) -> bool:
    """A line of an item table's header: only column words ("Sıra No Mal Hizmet Miktar ...")."""
    words = [w.strip(":.()") for w in ln.folded.split()]
    words = [w for w in words if w]
    return bool(words) and all(w in _HEADER_WORDS for w in words)


def _header_index(doc: Doc, stop: int) -> int | None:
    """The last line of the item table header before `stop`, if the document has one."""
    found = None
    rows_seen = False
    for ln in doc.lines[:stop]:
        if found is not None and len(money_in(blank_rates(ln.text)[0])) >= 2:
            # rows under the header: a header-like line after them is a totals label that
            # wrapped ("Mal Hizmet 10.221.132,75 TL" / "Toplam Tutarı") or the header repeated
            # on the next page, not the start of the table
            rows_seen = True
        if rows_seen:
            continue
        if is_header_line(ln) and len(ln.folded.split()) >= 2 and re.search(
                r"miktar|birim|fiyat|tutar|aciklama|mal hizmet|cinsi", ln.folded):
            found = ln.index
            # following header fragments ("Oranı", "İskonto", "Tutarı") belong to it
            k = ln.index + 1
            while k < stop and is_header_line(doc.lines[k]):
                found = k
                k += 1
    return found


# -- amount in words ------------------------------------------------------------------

_NUM_WORDS = {
    "sifir": "sıfır", "bir": "bir", "iki": "iki", "uc": "üç", "dort": "dört", "bes": "beş", "alti": "altı",
    "yedi": "yedi", "sekiz": "sekiz", "dokuz": "dokuz", "on": "on", "yirmi": "yirmi", "otuz": "otuz",
    "kirk": "kırk", "elli": "elli", "altmis": "altmış", "yetmis": "yetmiş", "seksen": "seksen",
    "doksan": "doksan", "yuz": "yüz", "bin": "bin", "milyon": "milyon", "milyar": "milyar",
}
_BY_LENGTH = sorted(_NUM_WORDS, key=len, reverse=True)


def _number_words(folded: str) -> int | None:
    """An integer written in Turkish words, spaced or joined ("yetmissekizbinbesyuz...")."""
    s = re.sub(r"[^a-z]", "", folded)
    if not s:
        return None
    words = []
    i = 0
    while i < len(s):
        for w in _BY_LENGTH:
            if s.startswith(w, i):
                words.append(_NUM_WORDS[w])
                i += len(w)
                break
        else:
            return None
    try:
        return words_to_integer(words)
    except MoneyError:
        return None


def words_amount(text: str) -> Decimal | None:
    """The amount of a "Yalnız ... Türk Lirası ... Kuruş" text, or None when it is not one.

    Reads the forms integrators print: "#YALNIZ YETMİŞSEKİZBİNBEŞYÜZYETMİŞALTI TRL #",
    "Yalnız #Yüz Altmış Bir Bin ... Türk Lirası Yetmiş Kuruş#", "iki yüz ... türk lirası ve
    seksen kuruş".
    """
    f = fold_aligned(text)
    f = re.sub(r"yalniz|#|:", " ", f)
    m = re.search(r"(?<![a-z])(turk lirasi|trl|try|tl|lira)(?![a-z])", f)
    if not m:
        return None
    lira = _number_words(f[: m.start()])
    if lira is None:
        return None
    rest = re.sub(r"(?<![a-z])(ve|kurus|kr|krs)(?![a-z])", " ", f[m.end():])
    kurus = 0
    if re.search(r"[a-z]", rest):
        k = _number_words(rest)
        if k is None or k > 99:
            return None
        kurus = k
    return Decimal(lira) + Decimal(kurus) / 100


# -- collection -----------------------------------------------------------------------

def candidates(doc: Doc, lines: list[Line]) -> list[Candidate]:
    """Every amount on the given lines with the label that governs it."""
    out: list[Candidate] = []
    for ln in lines:
        text, _rates = blank_rates(ln.text)
        if doc.ocr:
            text = _RATE_IN_BRACKETS_OCR.sub(lambda m: " " * len(m.group()), text)
        found = money_in(text)
        prev_end = 0
        for value, s, e in found:
            label = own = ln.folded[prev_end:s]
            parts: list[str] = []
            role = role_of(label)
            below = ""
            if prev_end == 0 and len(found) == 1:
                # a label wrapped over two lines, the amount on the first or the last of them
                # ("Katma Değer 2.459.150,02 TL" / "Vergisi (%20)"; "Hesaplanan GERÇEK USÜLDE
                # KATMA" / "DEĞER VERGİSİ(%10) 22.178,80"): _label_owner says which amount a
                # label-only line belongs to
                nxt = ln.index + 1
                if role in (None, "bare") and nxt < len(doc.lines) and _label_owner(doc, nxt) == ln.index:
                    joined = " ".join((own + " " + doc.lines[nxt].folded).split())
                    role, label, below = role_of(joined), joined, doc.lines[nxt].text
                elif role is None:
                    k = ln.index - 1
                    while k >= max(0, ln.index - 3) and _label_owner(doc, k) == ln.index:
                        parts.insert(0, doc.lines[k].folded)
                        k -= 1
                    if parts:
                        wrapped = " ".join(" ".join([*parts, label]).split())
                        role = role_of(wrapped)
                        label = wrapped if role else label
            rate = rate_in(ln.text[prev_end:s] if prev_end else ln.text[:s], doc.ocr)
            if rate is None and role == "kdv":
                rate = rate_in(label, doc.ocr) or (rate_in(below, doc.ocr) if below else None)
            first = ln.index - (len(parts) if prev_end == 0 and role is not None and label is not own else 0)
            out.append(Candidate(value, ln, s, e, label.strip(), role, rate, first))
            prev_end = e
    return out


def _label_only(ln: Line) -> bool:
    return len(ln.folded) < 80 and not money_in(blank_rates(ln.text)[0])


def _own_label(ln: Line) -> tuple[str, str | None] | None:
    """The label before a line's one amount and its role; None unless it has exactly one."""
    found = money_in(blank_rates(ln.text)[0])
    if len(found) != 1:
        return None
    own = ln.folded[: found[0][1]]
    return own, role_of(own)


def _label_owner(doc: Doc, i: int) -> int | None:
    """The line whose amount a label-only line belongs to, or None: the amount line below it
    when that amount stands alone (up to three label lines above it); else the amount line
    right above it when its own label names no role (or only "toplam") and the two together
    name one ("Toplam 1.417.958,76 TL" / "İskonto"); else the one right below when its own
    label names no role and the two together do."""
    ln = doc.lines[i]
    if not _label_only(ln):
        return None
    k = i + 1
    while k < len(doc.lines) and k <= i + 3 and _label_only(doc.lines[k]) and doc.lines[k].page == ln.page:
        k += 1
    below = doc.lines[k] if k < len(doc.lines) and doc.lines[k].page == ln.page else None
    b = _own_label(below) if below is not None else None
    if b is not None and not b[0].strip(" :.-"):
        return k
    above = doc.lines[i - 1] if i > 0 and doc.lines[i - 1].page == ln.page else None
    a = _own_label(above) if above is not None else None
    if a is not None and a[0].strip() and a[1] in (None, "bare"):
        joined = role_of(" ".join((a[0] + " " + ln.folded).split()))
        if joined is not None and joined != a[1]:
            return i - 1
    if b is not None and k == i + 1 and b[1] is None and role_of(" ".join((ln.folded + " " + b[0]).split())):
        return k
    return None


def _row_chunks(doc: Doc, start: int, stop: int) -> list[tuple[str, Line]]:
    """Item rows between the table header and the totals, joined across wrapped lines: a
    row ends on a line that ends with an amount; a line that starts with a currency, a rate
    or an amount continues the row before it."""
    chunks: list[tuple[str, Line]] = []
    pending: list[str] = []
    for ln in doc.lines[start:stop]:
        if is_header_line(ln):
            continue
        cont = re.match(r"^\s*(TL|TRY|₺|%|\d[\d.,]*\s*(TL|TRY|₺)\b)", ln.text)
        if cont and not pending and chunks:
            text, last = chunks[-1]
            chunks[-1] = (text + " " + ln.text, last)
            continue
        pending.append(ln.text)
        ends_money = re.search(r"(\d[\d.,]*\d)\s*(TL|TRY|₺|EUR|USD)?\s*$", blank_rates(ln.text)[0])
        if ends_money and len(money_in(blank_rates(" ".join(pending))[0])) >= 2:
            chunks.append((" ".join(pending), ln))
            pending = []
    return chunks


def _quantities(text: str) -> list[tuple[Decimal, int, int]]:
    """Quantity readings before a unit word: "1.375 Adet" may be 1375 or 1,375 (both kept;
    the arithmetic decides)."""
    out = []
    for m in _QTY_BEFORE_UNIT.finditer(text):
        raw = m.group(1)
        options = set()
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
            options.add(Decimal(raw.replace(".", "")))
            if raw.count(".") == 1:
                options.add(Decimal(raw))
        else:
            d = _dec(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
            if d is not None:
                options.add(d)
        for q in sorted(options):
            out.append((q, m.start(1), m.end(1)))
    return out


def _row_options(qtys: list[tuple[Decimal, int, int]], moneys: list[tuple[Decimal, int, int]],
                 rates: list[Decimal]) -> list[tuple]:
    """Every (quantity, unit, amount, iskonto, amount span, complete) with quantity x unit -
    iskonto = amount in the row. `complete` when every other amount after the quantity is
    explained too (the row's KDV = amount x rate, the KDV-inclusive amount, the gross before
    iskonto): a reading that leaves a printed amount unexplained is the weaker one."""
    out = []
    kdv_rates = [x for x in set(rates) | KNOWN_RATES if x]
    for q, _qs, qe in qtys:
        after = [(idx, v, s, e) for idx, (v, s, e) in enumerate(moneys) if s >= qe]
        for i, (iu, u, _us, _ue) in enumerate(after):
            for j in range(len(after) - 1, i, -1):
                ja, a = after[j][0], after[j][1]
                gross = q * u
                found = []
                if abs(gross - a) <= LINE_TOL:
                    found.append((None, {iu, ja}))
                for k in range(i + 1, j):
                    kd, d = after[k][0], after[k][1]
                    if abs(gross - d - a) <= LINE_TOL and d > 0:
                        found.append((d, {iu, ja, kd}))
                for d, used in found:
                    explained = {gross} | {a * x / 100 for x in kdv_rates} | {a + a * x / 100 for x in kdv_rates}
                    rest = [v for idx, v, _s, _e in after if idx not in used]
                    complete = all(any(abs(v - x) <= LINE_TOL for x in explained) for v in rest)
                    out.append((q, u, a, d, moneys[ja], complete))
    return out


def _agreed(readings: list[tuple]) -> tuple:
    """The parts on which all readings of a row agree; a part they differ on is None."""
    first = readings[0]
    return tuple(first[i] if all(x[i] == first[i] for x in readings) else None for i in range(len(first)))


def parse_row(text: str, ln: Line, ocr: bool = False) -> Row | None:
    """One item row: the quantity, unit price, iskonto and amount that satisfy
    quantity x unit - iskonto = amount; the KDV amount printed in the row is left aside."""
    blanked, rates = blank_rates(text)
    moneys = money_in(blanked)
    if not moneys:
        return None
    qtys = _quantities(blanked)
    if not qtys:
        # "Kalem 2 1.250,00 2.500,00": a bare number right before the first amount
        head = blanked[: moneys[0][1]]
        m = re.search(r"(?<![\d.,])(\d+(?:,\d{1,3})?)\s*(?:x|×|\*)?\s*(?:TL|₺)?\s*$", head)
        if m and len(moneys) >= 2:
            q = _dec(m.group(1))
            if q is not None:
                qtys = [(q, m.start(1), m.end(1))]
    kdv_rate = rates[-1] if rates else None
    if kdv_rate is None and ocr and len(moneys) >= 2:
        kdv_rate = rate_in(text[moneys[-2][2]: moneys[-1][1]], ocr=True)
    options = _row_options(qtys, moneys, rates)
    best: tuple | None = None
    alternatives: tuple[tuple, ...] = ()
    if options:
        # a reading that explains every amount of the row is preferred; among equals, one
        # reading, or one amount (then a quantity or unit price that differs is not read)
        pool = [o for o in options if o[5]] or options
        distinct: dict[tuple, tuple] = {}
        for o in pool:
            distinct.setdefault(o[:4], o[:5])
        if len(distinct) == 1 or len({k[2] for k in distinct}) == 1:
            best = _agreed(list(distinct.values()))
        else:
            # two readings of the row hold ("tank 5 ton 25 Adet 519.860,44 2.599.302,20
            # 12.996.511,00" if the KDV were not printed): the document's totals decide
            # (read_amounts), else the row is not read
            alternatives = tuple(distinct.values())
            best = alternatives[0]
    consistent = best is not None and best[0] is not None
    if best is None and not qtys and ocr and len(moneys) >= 2:
        # a scan's row whose quantity was lost ("Kurutma fırını Tk 1.170.608,46 1.170.608,46"):
        # its last amount, unconfirmed (read_amounts keeps it only when the rows add up)
        best = (None, None, moneys[-1][0], None, moneys[-1])
    elif best is None:
        if not qtys:
            return None
        # the structure alone: the amount right after the quantity is the unit price and the
        # last amount is the line amount; their mismatch is the document's own (a finding)
        before_first = [x for x in qtys if x[2] <= moneys[0][1]]
        q, _qs, qe = before_first[-1] if before_first else qtys[0]
        after = [(v, s, e) for v, s, e in moneys if s >= qe]
        if len(after) < 2:
            return None
        best = (q, after[0][0], after[-1][0], None, after[-1])
    q, u, a, d, _am = best
    desc_end = min([s for _q, s, _e in qtys] + [moneys[0][1]])
    desc = re.sub(r"^\s*\d{1,3}\s*[.)-]?\s+", "", text[:desc_end]).strip(" :–-=|")
    if len(re.findall(r"[A-Za-zÇĞİÖŞÜçğıöşü]", desc)) < 2:
        return None
    if len(rates) >= 2 and d is not None:
        pass  # the first rate is the iskonto rate, the last the KDV rate
    return Row(re.sub(r"\s+", " ", desc), q, u, a, d, kdv_rate, ln, consistent,
               tuple((o[0], o[1], o[2], o[3]) for o in alternatives))


# -- reconciliation --------------------------------------------------------------------

def _close(a: Decimal, b: Decimal, tol: Decimal = TOL) -> bool:
    return abs(a - b) <= tol


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    seen: dict[Decimal, Candidate] = {}
    for c in cands:
        seen.setdefault(c.value, c)
    return list(seen.values())


def read_amounts(doc: Doc) -> Reading:
    """The amounts of an offer or invoice, reconciled (see the module docstring)."""
    r = Reading()
    all_c = candidates(doc, doc.lines)
    totals_roles = {"payable", "grand", "gross", "net", "kdv", "discount", "other_tax", "withholding", "bare"}
    # the totals block starts at the first line whose only amount(s) carry a totals label
    first_total = None
    # a scan may put a total above the item table (reading order): with a table header, the
    # totals block is looked for after it
    table = _header_index(doc, len(doc.lines)) if doc.ocr else None
    if doc.ocr and table is None:  # no header read: the first row (three amounts or more)
        table = next((ln.index - 1 for ln in doc.lines if len(money_in(blank_rates(ln.text)[0])) >= 3), None)
    for c in all_c:
        if table is not None and c.line.index <= table:
            continue
        same_line = [x for x in all_c if x.line is c.line]
        if c.role in totals_roles and c.role != "bare" and len(same_line) <= 2 and c.role != "discount":
            first_total = c.first_line if c.first_line >= 0 else c.line.index
            break
        if c.role == "bare" and len(same_line) == 1:
            first_total = c.first_line if c.first_line >= 0 else c.line.index
            break
    stop = first_total if first_total is not None else len(doc.lines)
    # words ("Yalnız ...") and the lines that carry them are not rows
    for ln in doc.lines:
        if re.search(r"yalniz|turk lirasi|(?<![a-z])trl(?![a-z])", ln.folded) and not money_in(ln.text):
            w = words_amount(ln.text)
            if w is not None:
                r.words = (w, ln)
                stop = min(stop, ln.index)
                break
    # -- rows
    header = _header_index(doc, stop)
    if header is not None:
        chunks = _row_chunks(doc, header + 1, stop)
    else:
        chunks = [(ln.text, ln) for ln in doc.lines[:stop]
                  if len(money_in(blank_rates(ln.text)[0])) >= 2 and not any(
                      c.role in totals_roles - {"bare"} for c in all_c if c.line is ln)]
    unconfirmed: list[Row] = []  # a scan's rows whose own arithmetic does not hold (_confirm_held)
    for text, ln in chunks:
        if doc.ocr:  # "5:135:662,16": a separator misread; the row's arithmetic still decides
            text = _GARBLED.sub(lambda m: m.group() if not re.search(r"[:;]", m.group()) else
                                re.sub(r"[.,:;]", ".", m.group(1)) + "," + m.group(2), text)
        row = parse_row(text, ln, doc.ocr)
        # on a scan only a row whose own arithmetic holds is kept: OCR misreads digits
        if row is not None and (row.consistent or not doc.ocr):
            r.rows.append(row)
        elif row is not None:
            unconfirmed.append(row)
    row_lines = {row.line.index for row in r.rows}
    if header is not None:
        row_lines |= set(range(header + 1, stop))
    totals = [c for c in all_c if c.line.index not in row_lines]
    rows_partial = _resolve_rows(r, totals)
    # -- a single item written as labelled fields (letter-style offers)
    units = _distinct([c for c in totals if c.role == "unit"])
    amounts = _distinct([c for c in totals if c.role in ("amount", "net")])
    qty = None
    for ln in doc.lines:
        m = _QTY_LABEL.search(ln.folded)
        if m and ln.index not in row_lines:
            qty = _dec(ln.text[m.start(2): m.end(2)].replace(".", "").replace(",", "."))
            break
    if not r.rows and len(units) == 1 and qty is not None:
        u = units[0]
        # on a scan the unit price may carry ₺ read as 5: the reading the amount confirms
        fits = [(v, a) for v in _alternatives(doc, u) for a in amounts if _close(qty * v, a.value, LINE_TOL)]
        unit, match = fits[0] if len({(v, a.value) for v, a in fits}) == 1 else (u.value, None)
        amount_c = match or (amounts[0] if len(amounts) == 1 else None)
        if amount_c is not None and (match is not None or not doc.ocr):
            r.rows.append(Row("", qty, unit, amount_c.value, None, None, u.line, match is not None))
    # -- totals
    by = {role: _distinct([c for c in totals if c.role == role]) for role in totals_roles | {"amount"}}
    kdv_cands = [c for c in totals if c.role == "kdv"]
    seen_rates: dict[Decimal | None, Candidate] = {}
    for c in kdv_cands:
        seen_rates.setdefault(c.rate, c)  # one amount per rate: the first in the totals
    r.kdv = list(seen_rates.values())
    kdv_total = r.kdv_total or Decimal(0)
    r.other_taxes = by["other_tax"]
    other = sum((c.value for c in r.other_taxes), Decimal(0))
    discounts = [c for c in by["discount"] if c.line.index >= stop or header is None]
    r.discount = discounts[0] if len(discounts) == 1 else None
    r.withholding = by["withholding"][0] if len(by["withholding"]) == 1 else None
    # a bare "TOPLAM" after the KDV or after a net-labelled total is the grand total; before
    # them it is the net
    first_kdv_line = min((c.line.index for c in r.kdv), default=None)
    first_net_line = min((c.line.index for c in by["net"] + by["gross"]), default=None)
    pivot = min((x for x in (first_kdv_line, first_net_line) if x is not None), default=None)
    bare_before = [c for c in by["bare"] if pivot is None or c.line.index < pivot]
    bare_after = [c for c in by["bare"] if pivot is not None and c.line.index > pivot]
    grand_cands = by["grand"] + bare_after
    payables = by["payable"]
    totals_seen = grand_cands + payables
    lines_sum = sum((row.amount for row in r.rows), Decimal(0)) if r.rows and not rows_partial else None
    # net candidates: (value, source candidate, derivation, printed-with-a-net-label)
    net_opts: list[tuple[Decimal, Candidate | None, str, bool]] = []
    for c in by["net"]:
        net_opts.append((c.value, c, "", True))
    for c in by["gross"]:
        net_opts.append((c.value, c, "", True))
        for d in discounts:
            if d.value:
                net_opts.append((c.value - d.value, c, "gross - iskonto", False))
    for c in bare_before:
        net_opts.append((c.value, c, "", True))
    if not net_opts and by["amount"] and not r.rows:
        for c in by["amount"]:
            net_opts.append((c.value, c, "", False))
    if lines_sum is not None:
        net_opts.append((lines_sum, None, "lines", False))

    def score(n: Decimal, how: str) -> int:
        s = 0
        if any(_close(n + kdv_total + other, g.value) for g in totals_seen):
            s += 2
        if len(r.kdv) == 1 and r.kdv[0].rate is not None and _close(n * r.kdv[0].rate / 100, kdv_total):
            s += 1
        # the rows confirm a printed net; the rows' own sum is not confirmed by itself
        if how != "lines" and lines_sum is not None and _close(lines_sum, n, max(TOL, LINE_TOL * len(r.rows))):
            s += 1
        return s

    scored = sorted(((score(v, how), printed, i, v, c, how) for i, (v, c, how, printed) in enumerate(net_opts)),
                    key=lambda x: (-x[0], not x[1], x[2]))
    if scored and scored[0][0] > 0:
        _s, _p, _i, r.net, r.net_from, r.net_derived = scored[0]
        if r.net_from is None and r.rows:
            r.net_derived = "lines"
    elif doc.ocr:
        if net_opts:
            r.unread["net_total"] = "taramada okunan KDV hariç toplam hiçbir hesapla doğrulanamadı"
    else:
        printed = _distinct([c for v, c, how, p in net_opts if p and c is not None and not how])
        if len(printed) == 1:
            r.net, r.net_from = printed[0].value, printed[0]
        elif len(printed) > 1:
            r.unread["net_total"] = "birden çok KDV hariç toplam adayı var ve hiçbiri hesabı tutturmuyor"
    # grand: the tax-inclusive total that the net and the taxes give; else the one printed
    n = r.net
    fitting = [g for g in grand_cands if n is not None and _close(n + kdv_total + other, g.value)]
    in_words = [g for g in grand_cands + payables if r.words is not None and _close(g.value, r.words[0])]
    if fitting:
        r.grand = fitting[0]
    elif doc.ocr:
        # a scan: a total only when the arithmetic or the amount in words confirms it
        r.grand = next((g for g in in_words if g.role != "payable"), None)
        if r.grand is None and grand_cands:
            r.unread["grand_total"] = "taramada okunan genel toplam hesapla ya da yazıyla doğrulanamadı"
    elif len(_distinct(grand_cands)) == 1:
        r.grand = grand_cands[0]
    elif len(_distinct(grand_cands)) > 1:
        r.unread["grand_total"] = "birden çok genel toplam adayı var ve hiçbiri hesabı tutturmuyor"
    if doc.ocr:
        held = r.withholding.value if r.withholding is not None else Decimal(0)
        adds_up = [p for p in payables if n is not None and _close(n + kdv_total + other - held, p.value)]
        confirmed = adds_up + [p for p in payables if (r.grand is not None and _close(p.value, r.grand.value))
                               or p in in_words]
        r.payable = confirmed[0] if confirmed else None
        if r.payable is None and payables:
            r.unread["payable"] = "taramada okunan ödenecek tutar doğrulanamadı"
        if r.grand is None and r.payable is not None and r.withholding is None and (
                r.payable in in_words or r.payable in adds_up):
            r.grand = r.payable
            r.unread.pop("grand_total", None)
    elif len(_distinct(payables)) == 1:
        r.payable = payables[0]
    elif payables:
        fit_p = [p for p in payables if r.grand is not None and _close(p.value, r.grand.value)]
        r.payable = fit_p[0] if fit_p else None
        if r.payable is None:
            r.unread["payable"] = "birden çok ödenecek tutar adayı var"
    if r.grand is None and r.payable is not None and r.withholding is None and not doc.ocr:
        r.grand = r.payable
    if r.net is None and r.grand is None:
        _by_arithmetic(r, all_c)
    if doc.ocr and r.kdv:
        # a scan: the KDV only when the net and the total (or the rate) confirm it
        n, kt = r.net, r.kdv_total or Decimal(0)
        ok = n is not None and (
            (r.grand is not None and _close(n + kt + other, r.grand.value))
            or (len(r.kdv) == 1 and r.kdv[0].rate is not None and _close(n * r.kdv[0].rate / 100, kt)))
        if not ok:
            r.kdv = []
            r.unread["kdv_total"] = "taramada okunan KDV tutarı hesapla doğrulanamadı"
    if unconfirmed:
        _confirm_held(r, unconfirmed, other)
    if (r.net is None or r.grand is None or not r.kdv or (not r.rows and qty is not None)) and not (
            r.other_taxes or r.withholding or (r.discount is not None and r.discount.value)):
        _by_readings(doc, r, totals, qty)
    return r


def _resolve_rows(r: Reading, totals: list[Candidate]) -> bool:
    """Rows with more than one reading: the one combination of readings whose sum is a net the
    totals print (a net, gross or bare total, or a total less a KDV or iskonto) is taken;
    without exactly one such combination those rows are dropped and the lines reported
    unread. True when rows were dropped (their sum is then no net)."""
    open_rows = [row for row in r.rows if row.alternatives]
    if not open_rows:
        return False
    targets = {c.value for c in totals if c.role in ("net", "gross", "bare", "amount")}
    taxes = [c.value for c in totals if c.role in ("kdv", "discount")]
    for g in (c.value for c in totals if c.role in ("grand", "payable")):
        targets |= {g - t for t in taxes}
    fixed = sum((row.amount for row in r.rows if not row.alternatives), Decimal(0))
    fits: list[tuple] = []
    if _combinations(open_rows) <= 256:
        for combo in product(*(row.alternatives for row in open_rows)):
            total = fixed + sum((o[2] for o in combo), Decimal(0))
            if any(_close(total, t, max(TOL, LINE_TOL * len(r.rows))) for t in targets):
                fits.append(combo)
    if fits and all(len({combo[i][2] for combo in fits}) == 1 for i in range(len(open_rows))):
        for i, row in enumerate(open_rows):
            row.quantity, row.unit_price, row.amount, row.discount = _agreed([combo[i] for combo in fits])
            row.alternatives = ()
        return False
    r.rows = [row for row in r.rows if not row.alternatives]
    r.unread["lines"] = "kalem satırı birden çok biçimde okunabiliyor ve toplamlar hiçbirini ayırmıyor"
    return True


def _combinations(rows: list[Row]) -> int:
    n = 1
    for row in rows:
        n *= len(row.alternatives)
    return n


# -- uncertain readings confirmed by arithmetic ------------------------------------------------

# Tesseract has no ₺: "₺4.783.139,92" comes back as "54.783.139,92" (and the OCR step marks it
# unread on a labelled line without a currency, keeping what was read in Word.raw)
_SIGN_AS_5 = re.compile(r"^5(\d{1,3}(?:[.,]\d{3})+[.,]\d{2})$")
_CURRENCY_ON_LINE = re.compile(r"(?i)₺|(?<![a-zçğıöşü])(tl|try|lira|lirası)(?![a-zçğıöşü])")


def _alternatives(doc: Doc, c: Candidate) -> tuple[Decimal, ...]:
    """The values a printed amount may be: on a scan, an amount that starts with 5 on a line
    that names no currency may be ₺ and the rest ("51.195.784,98" = ₺1.195.784,98)."""
    span = c.line.text[c.start:c.end].strip()
    m = _SIGN_AS_5.match(span)
    if not doc.ocr or not m or _CURRENCY_ON_LINE.search(c.line.text):
        return (c.value,)
    try:
        return (c.value, parse_amount(m.group(1)))
    except MoneyError:
        return (c.value,)


def _ocr_line_words(doc: Doc, ln: Line) -> list:
    """The OCR words of a line (Tesseract's, with boxes and what was read before repairs):
    the page's word line whose text is the line's."""
    page = next((p for p in doc.pages if p.number == ln.page), None)
    if page is None or not getattr(page, "words", None):
        return []
    if getattr(ln, "raw", -1) >= 0:
        on_line = [w for w in page.words if w.line == ln.raw]
        if " ".join(w.text for w in on_line).split() == ln.text.split():
            return on_line
    groups: dict[int, list] = {}
    for w in page.words:
        groups.setdefault(w.line, []).append(w)
    want = " ".join(ln.text.replace("|", " ").split())
    for ws in groups.values():
        if " ".join(" ".join(w.text for w in ws).replace("|", " ").split()).strip() == want:
            return ws
    return []


def _unread_candidates(doc: Doc, lines: list[Line]) -> list[tuple[Candidate, tuple[Decimal, ...]]]:
    """Amounts the OCR step marked unread ("Tutar (KDV hariç): [okunamadı]") with the values
    what Tesseract read may stand for: as read, and without a leading 5 that may be ₺."""
    out = []
    for ln in lines:
        if UNREAD not in ln.text:
            continue
        raws = [w.raw for w in _ocr_line_words(doc, ln) if w.text == UNREAD]
        pos = [m.start() for m in re.finditer(re.escape(UNREAD), ln.text)]
        if len(raws) != len(pos):
            continue
        prev = 0
        for raw, start in zip(raws, pos, strict=True):
            found = money_in(raw)
            if len(found) != 1:
                continue
            label = fold_aligned(ln.text[prev:start])
            prev = start + len(UNREAD)
            role = role_of(label)
            if role is None:
                continue
            c = Candidate(found[0][0], ln, start, start + len(UNREAD), label.strip(), role,
                          rate_in(ln.text[:start], True))
            m = _SIGN_AS_5.match(raw.strip())
            values = (c.value,)
            if m:
                try:
                    values = (c.value, parse_amount(m.group(1)))
                except MoneyError:
                    pass
            out.append((c, values))
    return out


_GLUED_5 = re.compile(r"(?<![\d.,])5(\d{1,3}(?:\.\d{3})+,\d{2})(?![\d])")
# separators misread ("272:621;51"): the digits stand, the last separator is the decimal one
_GARBLED = re.compile(r"(?<![\d.,:;])(\d{1,3}(?:[.,:;]\d{3})+)[.,:;](\d{2})(?![\d])")


def _glued_sign_candidates(doc: Doc, skip: set[int]) -> list[tuple[Candidate, tuple[Decimal, ...]]]:
    """Amounts a scan shows as no amount at all: ₺ came back as a 5 glued to them ("KDV %20:
    5173.570,17", four digits before the first dot), or a separator as ":" or ";"
    ("272:621;51"). The value the digits give, on a labelled line that no other amount was read
    from; the arithmetic must still confirm it."""
    out = []
    for ln in doc.lines:
        if ln.index in skip:
            continue
        text = blank_rates(ln.text)[0]
        if money_in(text):
            continue
        glued = [] if _CURRENCY_ON_LINE.search(ln.text) else list(_GLUED_5.finditer(text))
        garbled = list(_GARBLED.finditer(text))
        if len(glued) + len(garbled) != 1:
            continue
        m = (glued or garbled)[0]
        digits = m.group(1) if glued else re.sub(r"[.,:;]", "", m.group(1)) + "." + m.group(2)
        label = fold_aligned(ln.text[: m.start()])
        role = role_of(label)
        if role is None:
            continue
        try:
            value = parse_amount(digits) if glued else Decimal(digits)
        except (MoneyError, InvalidOperation):
            continue
        out.append((Candidate(value, ln, m.start(), m.end(), label.strip(), role,
                              rate_in(ln.text[: m.start()], True)), (value,)))
    return out

def _by_readings(doc: Doc, r: Reading, totals: list[Candidate], qty: Decimal | None) -> None:
    """Net, KDV and total that the labels alone did not give (a scan's "₺" read as 5 or lost, a
    net the letter does not print): every reading of the labelled amounts, and quantity x
    unit price as the net, is tried; one (net, KDV, total) with net x rate = KDV and net + KDV
    = total (and = the amount in words, when printed) confirms the values it uses. Two such
    assignments, or none, change nothing: the fields stay unread."""
    pool = [(c, _alternatives(doc, c)) for c in totals] + _unread_candidates(doc, doc.lines)
    if doc.ocr:
        pool += _glued_sign_candidates(doc, {c.line.index for c in totals} | {c.line.index for c, _v in pool})
    kdv_c = [(v, c) for c, vals in pool if c.role == "kdv" and c.rate in KNOWN_RATES and c.rate for v in vals]
    if len({c.rate for _v, c in kdv_c}) != 1 or any(c.role == "kdv" and c.rate is None for c, _v in pool):
        return  # one KDV rate, read: several rates need their own nets
    nets: list[tuple[Decimal, Candidate, str]] = [(v, c, "") for c, vals in pool
                                                  if c.role in ("net", "gross", "amount", "bare") for v in vals]
    units = [(v, c) for c, vals in pool if c.role == "unit" for v in vals]
    if qty is not None:
        nets += [(qty * v, c, "miktar x birim fiyat") for v, c in units]
    gs: list[tuple[Decimal, Candidate | None]] = [(v, c) for c, vals in pool
                                                  if c.role in ("grand", "payable", "bare") for v in vals]
    words = r.words[0] if r.words is not None else None
    if words is not None:
        gs.append((words, None))
    found: dict[tuple[Decimal, Decimal, Decimal], tuple] = {}
    for n, nc, how in nets:
        for k, kc in kdv_c:
            if kc is nc or not _close(n * kc.rate / 100, k):
                continue
            for g, gc in gs:
                if gc is nc or gc is kc or not _close(n + k, g):
                    continue
                if words is not None and not _close(g, words):
                    continue
                found.setdefault((n, k, g), (nc, how, kc, gc))
    for key in list(found):  # a value already confirmed by the labels stays
        n, k, g = key
        if (r.net is not None and r.net != n) or (r.kdv and r.kdv_total != k) or (
                r.grand is not None and r.grand.value != g):
            del found[key]
    if len(found) != 1:
        return
    (n, k, g), (nc, how, kc, gc) = next(iter(found.items()))
    if r.net is None:
        r.net, r.net_from, r.net_derived = n, replace(nc, value=n) if not how else nc, how
        r.unread.pop("net_total", None)
    if not r.kdv:
        r.kdv = [replace(kc, value=k, role="kdv")]
        r.unread.pop("kdv_total", None)
    if r.grand is None and gc is not None:
        r.grand = replace(gc, value=g)
        r.unread.pop("grand_total", None)
    if gc is not None and gc.role == "payable" and r.payable is None:
        r.payable = replace(gc, value=g)
        r.unread.pop("payable", None)
    if not r.rows and qty is not None:
        unit = next(((v, c) for v, c in units if qty * v == n), None)
        if unit is not None:
            r.rows.append(Row("", qty, unit[0], n, None, kc.rate, unit[1].line, True))


def _confirm_held(r: Reading, held: list[Row], other: Decimal) -> None:
    """A scan's rows whose own arithmetic failed (an iskonto cell glued to its rate:
    "%12,50126.621,52TL"): their line amounts are taken when, with the rows that did hold,
    they add up to a net that the totals confirm on their own (net + taxes = total, or net x
    rate = KDV). Their quantity and unit price are not read (they did not add up)."""
    n = r.net
    if n is None or r.net_derived == "lines" or not r.kdv:
        return
    kt = r.kdv_total or Decimal(0)
    confirmed = (r.grand is not None and _close(n + kt + other, r.grand.value)) or (
        len(r.kdv) == 1 and r.kdv[0].rate is not None and _close(n * r.kdv[0].rate / 100, kt))
    total = sum((row.amount for row in r.rows + held), Decimal(0))
    if not confirmed or not _close(total, n, max(TOL, LINE_TOL * (len(r.rows) + len(held)))):
        return
    for row in held:
        row.quantity = row.unit_price = row.discount = None
    r.rows = sorted(r.rows + held, key=lambda row: row.line.index)


def _by_arithmetic(r: Reading, cands: list[Candidate]) -> None:
    """Totals whose labels could not be paired with them (a scan read column by column:
    "KDV (%20)" and "Genel Toplam" after their values): the one triple of amounts on the page
    with net x rate = KDV and net + KDV = total at a KDV rate that exists. Two independent
    relations on three printed amounts do not hold by chance; a second triple means nothing
    is taken."""
    by_value: dict[Decimal, Candidate] = {}
    for c in cands:
        by_value.setdefault(c.value, c)
    values = sorted(by_value)
    found = []
    for n in values:
        for rate in sorted(KNOWN_RATES - {Decimal(0)}):
            k = (n * rate / 100).quantize(Decimal("0.01"))
            kc = next((v for v in values if abs(v - k) <= LINE_TOL and v != n), None)
            if kc is None:
                continue
            g = next((v for v in values if abs(v - (n + kc)) <= LINE_TOL and v not in (n, kc)), None)
            if g is not None:
                found.append((n, rate, kc, g))
    if len(found) != 1:
        return
    n, rate, k, g = found[0]
    if r.words is not None and not _close(r.words[0], g):
        return  # the amount in words says otherwise
    r.net, r.net_from, r.net_derived = n, by_value[n], "net x oran = KDV, net + KDV = toplam"
    kc = by_value[k]
    r.kdv = [Candidate(k, kc.line, kc.start, kc.end, kc.label, "kdv", rate, kc.first_line)]
    r.grand = by_value[g]
    for name in ("net_total", "grand_total", "kdv_total"):
        r.unread.pop(name, None)


# -- where an amount was read (Evidence.bbox) ---------------------------------------------------

Box = tuple[float, float, float, float]


def amount_boxes(doc: Doc, items: list[tuple[Line, Decimal]], text_layer: bool = True) -> list[Box | None]:
    """Where on its page each (line, amount) was read, as (x0, top, x1, bottom) in PDF points
    from the page's top left, so staff can be shown the spot; None where it cannot be told.

    A scan: the OCR words of the line whose digits are the amount's (or those of a ₺ read as
    a leading 5), scaled from the image's pixels at its dpi (a deskewed page is off by the
    small rotation). A text PDF: the amount's text as printed on the line, found on the page
    with pdfium (the k-th occurrence for the k-th line that prints it); that parses the page a
    second time (some 4 ms a document), so `text_layer=False` leaves text pages out."""
    out: list[Box | None] = [None] * len(items)
    pdf = None
    opened: dict[int, tuple] = {}  # page number -> (page, its text page), opened once
    try:
        for i, (ln, value) in enumerate(items):
            page = next((p for p in doc.pages if p.number == ln.page), None)
            if page is None:
                continue
            if page.source == "ocr":
                out[i] = _ocr_box(doc, page, ln, value)
            elif text_layer and page.source == "text" and doc.source is not None and \
                    doc.source.suffix.lower() == ".pdf":
                if pdf is None:
                    pdf = pdfium.PdfDocument(str(doc.source))
                if ln.page not in opened:
                    pg = pdf[ln.page - 1]
                    opened[ln.page] = (pg, pg.get_textpage())
                out[i] = _text_box(doc, *opened[ln.page], ln, value)
    except (pdfium.PdfiumError, OSError, ValueError, IndexError):
        return out  # a box is a convenience for staff: it never fails a reading
    finally:
        for pg, textpage in opened.values():
            textpage.close()
            pg.close()
        if pdf is not None:
            pdf.close()
    return out


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _ocr_box(doc: Doc, page, ln: Line, value: Decimal) -> Box | None:
    if not page.dpi:
        return None
    want = _digits(f"{value:.2f}")
    words = _ocr_line_words(doc, ln)
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            group = words[k:k + n]
            got = _digits("".join(w.raw or w.text for w in group))
            if got in (want, "5" + want):
                scale = 72.0 / page.dpi
                return (min(w.left for w in group) * scale, min(w.top for w in group) * scale,
                        max(w.left + w.width for w in group) * scale, max(w.top + w.height for w in group) * scale)
    return None


def _text_box(doc: Doc, page, textpage, ln: Line, value: Decimal) -> Box | None:
    spans = [ln.text[s:e] for v, s, e in money_in(ln.text) if v == value]
    if not spans:
        return None
    printed = spans[-1]  # a row's amount is its last column (its unit price may print the same)
    before = sum(x.text.count(printed) for x in doc.lines[: ln.index] if x.page == ln.page)
    before += ln.text.count(printed) - 1
    searcher = textpage.search(printed, match_case=True)
    try:
        hit = None
        for _ in range(before + 1):
            hit = searcher.get_next()
            if hit is None:
                return None
        start, count = hit
        boxes = [textpage.get_charbox(j) for j in range(start, start + count)]
    finally:
        searcher.close()
    height = page.get_height()
    return (min(b[0] for b in boxes), height - max(b[3] for b in boxes),
            max(b[2] for b in boxes), height - min(b[1] for b in boxes))

_AMOUNT_FIELDS = ("net_total", "kdv_total", "kdv_rate", "grand_total", "payable", "discount_total")


def fill_amount_boxes(doc: Doc, facts: object, text_layer: bool = True) -> None:
    """Give the amount evidence of an offer's or invoice's facts its box on the page
    (Evidence.bbox): the totals in `facts.evidence`, each line's and each KDV part's. An
    Evidence that names no printed line of the document (a derived net, the QR code) keeps
    none."""
    found: dict[int, tuple[object, Line, Decimal]] = {}
    evidence = getattr(facts, "evidence", None) or {}
    holders = [x for x in (getattr(facts, "lines", None) or []) + (getattr(facts, "kdv", None) or [])
               if getattr(x, "evidence", None) is not None]
    for ev in [evidence[n] for n in _AMOUNT_FIELDS if n in evidence] + [x.evidence for x in holders]:
        if id(ev) in found or ev.bbox is not None or not ev.value:
            continue
        try:
            value = Decimal(ev.value)
        except InvalidOperation:
            continue
        ln = next((x for x in doc.lines if x.page == ev.page and x.text == ev.text), None)
        if ln is not None:
            found[id(ev)] = (ev, ln, value)
    if not found:
        return
    boxes = amount_boxes(doc, [(ln, v) for _ev, ln, v in found.values()], text_layer)
    boxed = {key: replace(ev, bbox=tuple(round(c, 2) for c in box))
             for (key, (ev, _ln, _v)), box in zip(found.items(), boxes, strict=True) if box is not None}
    for n in _AMOUNT_FIELDS:
        if n in evidence and id(evidence[n]) in boxed:
            evidence[n] = boxed[id(evidence[n])]
    for x in holders:
        if id(x.evidence) in boxed:
            x.evidence = boxed[id(x.evidence)]
