"""Parties of an offer or invoice: the supplier (letterhead, "Satıcı", "Düzenleyen") against
the buyer ("Sayın", "Alıcı", "Müşteri"), each with its own VKN/TCKN and address.

The document is cut into blocks by the role markers: the buyer's block starts at its marker;
the supplier's block is the letterhead above it, or the block after a "Satıcı" marker. In a
block the tax id is the one on a labelled line ("VKN:", "Vergi No", "TCKN"), the name is the
trade-name line (a legal form, joined with the line above when the form wrapped: "UYUMSOFT
... TİCARET" / "ANONİM ŞİRKETİ"), else the nearest line above the tax office and id that is
neither an address, a contact, nor a "label: value" line (a name without a legal form: "HM
GROUP", a sole trader). The buyer's name is never the supplier's, an address never a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evrak.text import fold_aligned
from verifiers.fields import (
    COMPANY_FORM,
    Doc,
    Line,
    companies_in_line,
    company_at,
    company_from_line,
    money_in,
)
from verifiers.idread import id_label_near, read_tax_ids

# a role marker at the start of a line, after an optional other-language label ("Bill to / Alıcı:")
BUYER_MARK = re.compile(
    r"^(?:[a-z ]{0,12}/\s*)?\W*(sayin|alici|alici firma|alici bilgileri|musteri|musteri bilgileri|musterimiz|"
    r"fatura edilen|teklif verilen|teklif sunulan|firmaniz)(?![a-z])")
SUPPLIER_MARK = re.compile(
    r"^(?:[a-z ]{0,12}/\s*)?\W*(satici|satici firma|satici bilgileri|tedarikci|duzenleyen|teklif veren|"
    r"firma bilgileri|gonderen)(?![a-z])")
ID_LABEL = re.compile(r"v\.? ?k\.? ?n|vergi|t\.? ?c\.? ?k|tckn|kimlik|v\.d\.|vd\b")
ADDRESS = re.compile(
    r"(?<![a-z])(mah|mahallesi|mh|cad|caddesi|cd|sok|sokak|sokagi|sk|bulvar|bulvari|blv|bulv|no\s*:\s*\d|kat\s*:?\s*\d|"
    r"daire|d\s*:|posta kodu|osb|organize sanayi|sitesi|plaza|is merkezi|apt|koyu|ilce|il\s*:)(?![a-z])"
    r"|(?<!\d)\d{5}(?!\d)|/\s*[a-zçğıöşü]+\s*$|/\s*(istanbul|ankara|izmir)")
CONTACT = re.compile(r"(?<![a-z])(tel|telefon|fax|faks|gsm|e-?posta|e-?mail|web|www|http|mersis|ticaret ?sicil|"
                     r"sicil no|iban|banka|hesap)(?![a-z])|@")
LABEL_VALUE = re.compile(r"^[\w .()/-]{2,40}:\s*\S")
NOT_NAME = re.compile(r"(?<![a-z])(e-?fatura|e-?arsiv|fatura|proforma|teklif|irsaliye|ettn|senaryo|tarih|saat|"
                      r"sayfa|belge|ozellestirme|no\s*:)(?![a-z])")
_FORM_ONLY = re.compile(r"^\W*(anonim|limited|ltd|a\.? ?s\.?(?![a-z])|sirketi|san\.|ve tic|ticaret|kollektif|komandit)")
TAX_ID_LABELS = ("vkn", "tckn", "vergi", "kimlik")
SALUTATION = re.compile(r"^\W*sayin\s+(yetkili|yetkililer|ilgili|ilgililer|muduru?|mudurlugu|yonetici)\W*$")


@dataclass
class Party:
    name: str | None = None
    name_line: Line | None = None
    tax_id: str | None = None
    id_line: Line | None = None
    id_unread: bool = False  # a scan shows a labelled number that no certain reading makes valid
    address: str | None = None
    address_line: Line | None = None


def _is_address(ln: Line) -> bool:
    return bool(ADDRESS.search(ln.folded) or CONTACT.search(ln.folded))


def looks_like_name(ln: Line) -> bool:
    """A line that can be a party's name without a legal form: words, at most a few, no
    address, contact, label or document words."""
    t = ln.text.strip()
    words = t.split()
    if not (1 <= len(words) <= 8) or len(re.findall(r"[A-Za-zÇĞİÖŞÜçğıöşü]", t)) < 3:
        return False
    if _is_address(ln) or LABEL_VALUE.search(t) or NOT_NAME.search(ln.folded) or ID_LABEL.search(ln.folded):
        return False
    if BUYER_MARK.search(ln.folded) or SUPPLIER_MARK.search(ln.folded):
        return False
    if re.search(r"\d{3,}", t) or _FORM_ONLY.fullmatch(ln.folded.strip()) or re.fullmatch(
            r"\W*(sirketi|anonim sirketi|limited sirketi|a\.?s\.?|ltd\.? ?sti\.?)\W*", ln.folded):
        return False
    return sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha()) >= len(words) - 1


def _not_name_part(ln: Line) -> bool:
    """A line that cannot be the first half of a wrapped trade name."""
    return bool(_is_address(ln) or LABEL_VALUE.search(ln.text) or NOT_NAME.search(ln.folded)
                or BUYER_MARK.search(ln.folded) or SUPPLIER_MARK.search(ln.folded) or ID_LABEL.search(ln.folded))


def _company_at(doc: Doc, ln: Line) -> str | None:
    return company_at(doc, ln, skip_above=_not_name_part)


def ids_on(doc: Doc, ln: Line) -> list[tuple[str, int, int, bool]]:
    """The tax ids on a line that carries an identifier label: (number, start, end, certain).
    On a scan the label may be garbled ("VWKN", "Vergl No"; matched one edit away) and the
    number is read through its checksum (verifiers.idread): uncertain when no single reading
    passes it."""
    found = read_tax_ids(ln.text, doc.ocr)
    if ID_LABEL.search(ln.folded):
        return found
    if doc.ocr:
        return [f for f in found if id_label_near(ln.folded, f[1], TAX_ID_LABELS)]
    return []


def _id_line(doc: Doc, ln: Line) -> bool:
    """A line carrying an identifier label (garbled ones too, on a scan)."""
    return bool(ID_LABEL.search(ln.folded)) or (doc.ocr and bool(ids_on(doc, ln)))


def _block_party(doc: Doc, lines: list[Line], *, marker: Line | None) -> Party:
    p = Party()
    for ln in lines:
        if p.tax_id is None and not p.id_unread:
            ids = ids_on(doc, ln)
            if ids:
                number, _s, _e, certain = ids[0]
                if certain:
                    p.tax_id, p.id_line = number, ln
                else:
                    p.id_unread, p.id_line = True, ln
        if p.address is None and ADDRESS.search(ln.folded) and not CONTACT.search(ln.folded):
            p.address, p.address_line = ln.text.strip(), ln
    # the name: on the marker line ("Sayın ABC Ltd. Şti."), a trade-name line, else a plain
    # name line nearest above the tax id (letterheads) or first after the marker (buyers)
    if marker is not None:
        name = company_from_line(marker.text)
        value = re.match(r"^[^:]{2,40}:\s*(.+)$", marker.text)
        if name is None and value and not re.search(r"\d", value.group(1)) and len(value.group(1).split()) >= 2:
            name = re.sub(r"\s+", " ", value.group(1)).strip(" ,;")  # "Düzenleyen : Ayşe Kaya - Mühendislik"
        if name:
            p.name, p.name_line = name, marker
            return p
    found = []
    for ln in lines:
        if ln is marker or CONTACT.search(ln.folded) or re.search(r"banka|kdv", ln.folded):
            continue
        name = _company_at(doc, ln)
        if name:
            found.append((ln, name))
    if found:
        if marker is None and p.id_line is not None:
            # a letterhead or a signature block: the trade name nearest above its tax id
            above = [(ln, n) for ln, n in found if 0 <= p.id_line.index - ln.index <= 10]
            if above:
                p.name_line, p.name = above[-1]
                return p
        p.name_line, p.name = found[0]
        return p
    order = lines
    if marker is None and p.id_line is not None:
        order = list(reversed([ln for ln in lines if ln.index < p.id_line.index]))
    for ln in order:
        if ln is marker:
            continue
        part = _first_cell(doc, ln)
        if looks_like_name(part):
            p.name, p.name_line = re.sub(r"\s+", " ", part.text).strip(" ,;:"), ln
            break
    return p


def _first_cell(doc: Doc, ln: Line) -> Line:
    """On a scan, the line cut to its first column: psm 4 writes the buyer's name and the
    box beside it on one line ("Ömer Faruk Güneşli   Fatura Tipi: SATIS")."""
    if not doc.ocr:
        return ln
    cells = doc.cells(ln)
    if len(cells) < 2:
        return ln
    text = cells[0][1]
    return Line(ln.page, text, fold_aligned(text), ln.index, ln.raw)


def _two_columns(doc: Doc) -> tuple[Party, Party] | None:
    """A header "Satıcı ... Alıcı" on one line with the two parties side by side below."""
    for ln in doc.lines:
        if SUPPLIER_MARK.search(ln.folded) and re.search(r"(?<![a-z])(alici|musteri)(?![a-z])", ln.folded):
            below = doc.lines[ln.index + 1: ln.index + 8]
            companies: list[tuple[Line, str]] = []
            for x in below:
                found = companies_in_line(x.text)
                if not found and looks_like_name(x):
                    found = [x.text.strip()]
                companies += [(x, c) for c in found]
            ids = [(x, i, certain) for x in below for i, _s, _e, certain in ids_on(doc, x)]
            sup, buy = Party(), Party()
            for party, pos in ((sup, 0), (buy, 1)):
                if len(companies) > pos:
                    party.name_line, party.name = companies[pos]
                if len(ids) > pos:
                    party.id_line = ids[pos][0]
                    if ids[pos][2]:
                        party.tax_id = ids[pos][1]
                    else:
                        party.id_unread = True
            return sup, buy
    return None


def _other_column(doc: Doc, start: Line, ln: Line) -> bool:
    """On a scan, whether `ln` starts in another column than the block's first line (over a
    quarter of the page to its right)."""
    a, b = doc.left(start), doc.left(ln)
    return a is not None and b is not None and b - a > 0.25


def read_parties(doc: Doc, stop: int | None = None) -> tuple[Party, Party]:
    """(supplier, buyer). The buyer's block is looked for before `stop` (the item table);
    the supplier anywhere outside it and outside lines carrying amounts (a letter signs at
    the bottom: "Saygılarımızla, ABC Ltd. Şti. / V.K.N.: ...")."""
    cols = _two_columns(doc)
    if cols is not None:
        return cols
    end = len(doc.lines) if stop is None else stop
    lines = [ln for ln in doc.lines if not money_in(ln.text)]
    buyer_at = next((ln for ln in lines if ln.index < end and BUYER_MARK.search(ln.folded)
                     and not SALUTATION.search(ln.folded)), None)
    salutation = next((ln for ln in lines if ln.index < end and SALUTATION.search(ln.folded)), None)
    supplier_at = next((ln for ln in lines if SUPPLIER_MARK.search(ln.folded)), None)

    def block(start: Line, limit: int) -> list[Line]:
        out = []
        for ln in doc.lines[start.index: limit]:
            if ln is not start and (BUYER_MARK.search(ln.folded) or SUPPLIER_MARK.search(ln.folded)) and not (
                    _id_line(doc, ln) and not company_from_line(ln.text)):
                break  # another party's marker ("Alıcı VKN:" under "Alıcı:" is the same party)
            if ln is not start and re.search(r"^\W*(ettn|sira|fatura no|teklif no|konu)(?![a-z])", ln.folded):
                if _other_column(doc, start, ln):
                    continue  # a scan's right-hand box ("Fatura No: ...") between the block's lines
                break
            out.append(ln)
        return out[:9]

    buyer = Party()
    buyer_lines: set[int] = set()
    if buyer_at is not None:
        b_lines = block(buyer_at, end)
        buyer = _block_party(doc, b_lines, marker=buyer_at)
        buyer_lines = {ln.index for ln in b_lines}
    if supplier_at is not None:
        s_lines = block(supplier_at, end)
        supplier = _block_party(doc, s_lines, marker=supplier_at)
    else:
        head = [ln for ln in lines if ln.index not in buyer_lines]
        if buyer_at is not None:
            # the letterhead: above the buyer's block, or (a letter) everything outside it
            above = [ln for ln in head if ln.index < buyer_at.index and ln.index < end]
            head = above if any(ID_LABEL.search(x.folded) or COMPANY_FORM.search(x.folded) for x in above) else head
        supplier = _block_party(doc, head, marker=None)
    if buyer_at is None and salutation is not None:
        # a letter: the addressee's block stands above "Sayın Yetkili,"; it is the buyer
        # when it is not the supplier
        top = [ln for ln in lines if ln.index < salutation.index]
        cand = _block_party(doc, top, marker=None)
        if cand.name and cand.name_line is not supplier.name_line and (
                supplier.name is None or fold_aligned(cand.name) != fold_aligned(supplier.name)):
            buyer = cand
            if buyer.tax_id == supplier.tax_id:
                buyer.tax_id = buyer.id_line = None
            if buyer.address_line is not None and buyer.address_line is supplier.address_line:
                buyer.address = buyer.address_line = None
    if supplier.name and buyer.name and fold_aligned(supplier.name) == fold_aligned(buyer.name) and (
            supplier.name_line is buyer.name_line):
        supplier.name = supplier.name_line = None
    return supplier, buyer
