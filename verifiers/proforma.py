"""Proforma fatura reader: text (text layer or OCR) -> InvoiceFacts with evidence.

A proforma has no legal form (turkish-domain §4), so nothing here assumes a layout. Lines
are found by their shape (a description, a quantity, a unit price and an amount, in that
order, on one line), totals by their labels ("Ara Toplam", "Toplam (KDV hariç)",
"Mal Hizmet Toplam Tutarı" / "KDV %20", "K.D.V. (%20)", "Hesaplanan KDV" / "Genel Toplam",
"Ödenecek Tutar", a bare "TOPLAM" after the KDV), parties by their roles ("Sayın",
"Alıcı" mark the buyer; the other trade name is the supplier).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from evrak.dates import find_dates
from verifiers.fields import (
    Doc,
    Line,
    companies_in_line,
    company_from_line,
    money_in,
    tax_ids_in,
)
from verifiers.invoice import InvoiceFacts, InvoiceLine, KdvPart

_GRAND = re.compile(r"genel toplam|odenecek|kdv dahil|k\.d\.v\. dahil|vergiler dahil|yekun|toplam tutar \(kdv")
_NET = re.compile(r"ara toplam|kdv haric|k\.d\.v\. haric|mal hizmet toplam|matrah|net toplam|toplam tutar|"
                  r"tutar toplami|iskonto sonrasi")
_KDV = re.compile(r"(?<![a-z])k\.? ?d\.? ?v(?![a-z])|katma deger vergisi")
_BARE_TOTAL = re.compile(r"^\W*toplam\b")
_RATE = re.compile(r"%\s*(\d{1,2})(?:[.,]0{1,2})?(?!\d)|(?<![\d.,])(\d{1,2})(?:[.,]0{1,2})?\s*%")
_QTY = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d{1,3})?)\s*(?:adet|ad\.?|kg|m2|m²|mt|m|set|takım|takim|tk|lt|paket|pk|ton|"
    r"saat|gün|ay|kalem|sistem)?\s*[x×*]?\s*$",
    re.IGNORECASE,
)
_BUYER = re.compile(r"(?<![a-z])(sayin|alici|musteri|musterimiz|firmaniz)(?![a-z])")
_SUPPLIER_LABEL = re.compile(r"(?<![a-z])(satici|tedarikci|duzenleyen)(?![a-z])")
_ID_LABEL = re.compile(r"v\.? ?k\.? ?n|vergi|t\.? ?c\.? ?k|tckn|kimlik|v\.d\.|vd\b")
_NUMBER = re.compile(
    r"(?:proforma|teklif|belge|fatura|evrak|siparis)\s*(?:no|numarasi|nr|#)\.?\s*:?\s*([a-z0-9][a-z0-9/._-]*\d[a-z0-9/._-]*)"
)
_VALID_DAYS = re.compile(r"(\d{1,3})\s*(?:\(\w+\)\s*)?gun\w*\s*(?:sureyle\s*|boyunca\s*|suresince\s*)?gecerli"
                         r"|opsiyon\w*\s*:?\s*(\d{1,3})\s*gun|gecerlilik\s*(?:suresi)?\s*:?\s*(\d{1,3})\s*gun")


# OCR reads "%" as "9", "96", "95", "o", "W" or "4": "(9620)" is "(%20)". Only rates that
# exist are accepted from such a reading.
_RATE_OCR = re.compile(r"(?:%|9[0-6]|[0o°W4])\s*(\d{1,2})(?!\d)")
KNOWN_RATES = {Decimal(x) for x in (0, 1, 8, 10, 18, 20)}


def _rate(text: str, ocr: bool = False) -> Decimal | None:
    m = _RATE.search(text)
    if m:
        return Decimal(m.group(1) or m.group(2))
    if ocr:
        for m in _RATE_OCR.finditer(text):
            r = Decimal(m.group(1))
            if r in KNOWN_RATES:
                return r
    return None


def _classify_total(ln: Line) -> str | None:
    f = ln.folded
    if _GRAND.search(f):
        return "grand"
    if _NET.search(f):
        return "net"
    if _KDV.search(f):
        return "kdv"
    if _BARE_TOTAL.search(f):
        return "bare"
    return None


def _parse_line_item(doc: Doc, ln: Line) -> InvoiceLine | None:
    text = ln.text
    rate = None
    rm = _RATE.search(text)
    if rm:
        rate = Decimal(rm.group(1) or rm.group(2))
        text = text[: rm.start()] + " " * (rm.end() - rm.start()) + text[rm.end():]
    moneys = money_in(text)
    if len(moneys) < 2:
        return None
    if rate is None and doc.ocr:
        # a KDV column between the unit price and the amount, misread
        rate = _rate(text[moneys[-2][2]: moneys[-1][1]], ocr=True)
    unit, u_start, _ = moneys[-2]
    amount = moneys[-1][0]
    before = text[:u_start].rstrip(" ₺$€:=")
    before = re.sub(r"\b(TL|TRY|USD|EUR)\s*$", "", before).rstrip()
    qm = _QTY.search(before)
    quantity = None
    desc = before
    if qm:
        try:
            quantity = Decimal(qm.group(1).replace(",", "."))
        except InvalidOperation:
            quantity = None
        desc = before[: qm.start()]
    desc = re.sub(r"^\s*\d{1,3}\s*[.)-]?\s+", "", desc).strip(" :–-=|")
    letters = re.findall(r"[A-Za-zÇĞİÖŞÜçğıöşü]", desc)
    if len(letters) < 3:
        return None
    consistent = quantity is not None and abs(quantity * unit - amount) <= Decimal("0.01")
    if not consistent and quantity is None:
        return None
    return InvoiceLine(desc, quantity, unit, amount, rate, doc.evidence(ln, amount))


def read_proforma(doc: Doc, kind: str = "proforma") -> InvoiceFacts:
    """Facts of a proforma; fields that cannot be read stay None (never guessed)."""
    facts = InvoiceFacts(kind=kind)
    ev = facts.evidence
    first_total: int | None = None
    kdv_seen_at: int | None = None
    for ln in doc.lines:
        cls = _classify_total(ln)
        if cls is None:
            continue
        label_text = ln.text
        moneys = money_in(label_text)
        value_line = ln
        if not moneys:
            nxt = doc.lines[ln.index + 1] if ln.index + 1 < len(doc.lines) else None
            # a value under its label: only trusted in a text layer, OCR's reading order of a
            # totals block is not reliable enough to pair a label with the next line
            if nxt and not doc.ocr and re.fullmatch(r"\W*[\d.,\s]+\s*(TL|TRY|₺)?\W*", nxt.text) and money_in(nxt.text):
                moneys, value_line = money_in(nxt.text), nxt
            else:
                continue
        if len(moneys) > 1 and cls != "kdv" and not _KDV.search(ln.folded[: moneys[0][1]]):
            # a table row with several amounts is an item, not a total, unless labelled
            if not (_GRAND.search(ln.folded) or _NET.search(ln.folded)):
                continue
        value = moneys[-1][0]
        if first_total is None:
            first_total = ln.index
        if cls == "kdv":
            rate = _rate(label_text[: moneys[-1][1]] if value_line is ln else label_text, doc.ocr)
            facts.kdv.append(KdvPart(rate, value, doc.evidence(value_line, value)))
            kdv_seen_at = ln.index
        elif cls == "net" and facts.net_total is None:
            facts.net_total = value
            ev["net_total"] = doc.evidence(value_line, value)
        elif cls == "grand":
            facts.grand_total = value
            ev["grand_total"] = doc.evidence(value_line, value)
        elif cls == "bare":
            if kdv_seen_at is not None or facts.net_total is not None:
                facts.grand_total = value
                ev["grand_total"] = doc.evidence(value_line, value)
            else:
                facts.net_total = value
                ev["net_total"] = doc.evidence(value_line, value)
    if facts.kdv:
        facts.kdv_total = sum((p.amount for p in facts.kdv), Decimal(0))
        ev["kdv_total"] = facts.kdv[0].evidence
        ev["kdv_rate"] = facts.kdv[0].evidence
    # lines: before the totals block
    limit = first_total if first_total is not None else len(doc.lines)
    for ln in doc.lines[:limit]:
        if _classify_total(ln) is not None:
            continue
        item = _parse_line_item(doc, ln)
        if item:
            facts.lines.append(item)
    if facts.net_total is None and facts.lines and facts.grand_total is not None and not facts.kdv:
        pass  # a proforma without KDV: net is the grand total only if it says so; leave it
    _parties(doc, facts)
    _dates_and_number(doc, facts)
    _currency(doc, facts)
    return facts


def _parties(doc: Doc, facts: InvoiceFacts) -> None:
    ev = facts.evidence
    buyer_lines: set[int] = set()
    header_mode = False
    for ln in doc.lines:
        if _SUPPLIER_LABEL.search(ln.folded) and _BUYER.search(ln.folded):
            header_mode = True
            companies = []
            for x in doc.lines[ln.index + 1: ln.index + 8]:
                found = companies_in_line(x.text)
                if not found and _looks_like_name(x.text):
                    found = [x.text.strip()]  # a sole trader's name has no legal-form suffix
                companies += [(x, c) for c in found]
            ids = [(x, i) for x in doc.lines[ln.index + 1: ln.index + 8] if _ID_LABEL.search(x.folded)
                   for i, _s, _e in tax_ids_in(x.text)]
            for role, pos in (("supplier", 0), ("buyer", 1)):
                if len(companies) > pos:
                    c_line, c_name = companies[pos]
                    setattr(facts, role, c_name)
                    ev[role] = doc.evidence(c_line, c_name)
                if len(ids) > pos:
                    i_line, number = ids[pos]
                    setattr(facts, f"{role}_id", number)
                    ev[f"{role}_id"] = doc.evidence(i_line, number)
            break
        if _BUYER.search(ln.folded) and not _SUPPLIER_LABEL.search(ln.folded):
            buyer_lines.update(range(ln.index, ln.index + 3))
            name = company_from_line(ln.text) or next(
                (company_from_line(x.text) for x in doc.lines[ln.index + 1: ln.index + 2]
                 if company_from_line(x.text)), None)
            if name and facts.buyer is None:
                facts.buyer = name
                ev["buyer"] = doc.evidence(ln, name)
    if header_mode:
        return
    for ln in doc.lines:
        if ln.index in buyer_lines:
            continue
        name = company_from_line(ln.text)
        if name and not _KDV.search(ln.folded) and not re.search(r"banka", ln.folded):
            facts.supplier, ev["supplier"] = name, doc.evidence(ln, name)
            _take_id(doc, facts, ln, "supplier", skip=buyer_lines)
            break
    if facts.supplier_id is None:
        for ln in doc.lines:
            if ln.index in buyer_lines or not _ID_LABEL.search(ln.folded):
                continue
            ids = tax_ids_in(ln.text)
            if ids:
                facts.supplier_id = ids[0][0]
                ev["supplier_id"] = doc.evidence(ln, ids[0][0])
                if facts.supplier is None:
                    # a sole trader has no legal-form suffix: the name is written just above
                    for up in reversed(doc.lines[max(0, ln.index - 3): ln.index]):
                        if not re.search(r"\d", up.text) and len(up.text.split()) >= 2 and up.index not in buyer_lines:
                            facts.supplier, ev["supplier"] = up.text.strip(), doc.evidence(up, up.text.strip())
                            break
                break
    for ln in sorted(buyer_lines):
        if ln < len(doc.lines) and facts.buyer_id is None:
            ids = tax_ids_in(doc.lines[ln].text)
            if ids and _ID_LABEL.search(doc.lines[ln].folded):
                facts.buyer_id = ids[0][0]
                ev["buyer_id"] = doc.evidence(doc.lines[ln], ids[0][0])


def _looks_like_name(text: str) -> bool:
    """A line that can only be a party's name: words, no digits, no label."""
    words = text.split()
    return (2 <= len(words) <= 6 and not re.search(r"[\d:@]", text)
            and all(w[:1].isupper() for w in words if w.isalpha()))


def _take_id(doc: Doc, facts: InvoiceFacts, near: Line, role: str, *, stop: int | None = None,
             skip: set[int] | None = None) -> None:
    """The VKN/TCKN written on the name's line or within the next three lines."""
    end = min(len(doc.lines), near.index + 4)
    if stop is not None:
        end = min(end, stop)
    for ln in doc.lines[near.index: end]:
        if skip and ln.index in skip:
            continue
        ids = tax_ids_in(ln.text)
        if ids and (_ID_LABEL.search(ln.folded) or ln.index == near.index):
            setattr(facts, f"{role}_id", ids[0][0])
            facts.evidence[f"{role}_id"] = doc.evidence(ln, ids[0][0])
            return


def _dates_and_number(doc: Doc, facts: InvoiceFacts) -> None:
    ev = facts.evidence
    issue_labelled = None
    issue_any = None
    for ln in doc.lines:
        for d, s, _e in find_dates(ln.text):
            f = ln.folded
            if re.search(r"gecerli|vade|teslim|kadar|son gun|opsiyon", f):
                if facts.valid_until is None:
                    facts.valid_until = d
                    ev["valid_until"] = doc.evidence(ln, d)
                continue
            if re.search(r"tarih", f[:s]) and issue_labelled is None:
                issue_labelled = (d, ln)
            elif issue_any is None:
                issue_any = (d, ln)
    pick = issue_labelled or issue_any
    if pick:
        facts.issued_on = pick[0]
        ev["issued_on"] = doc.evidence(pick[1], pick[0])
    if facts.valid_until is None and facts.issued_on is not None:
        for ln, m in doc.find(_VALID_DAYS):
            days = int(next(g for g in m.groups() if g))
            facts.valid_until = facts.issued_on + timedelta(days=days)
            ev["valid_until"] = doc.evidence(ln, facts.valid_until)
            break
    for ln, m in doc.find(_NUMBER):
        facts.number = ln.text[m.start(1): m.end(1)].rstrip(".,)")
        ev["number"] = doc.evidence(ln, facts.number)
        break


_CURRENCIES = {
    "TRY": re.compile(r"(?<![a-z])(tl|try|turk lirasi)(?![a-z])|₺"),
    "USD": re.compile(r"(?<![a-z])(usd|dolar)(?![a-z])|\$"),
    "EUR": re.compile(r"(?<![a-z])(eur|euro|avro)(?![a-z])|€"),
}


def _currency(doc: Doc, facts: InvoiceFacts) -> None:
    counts = {c: len(rx.findall(doc.full_folded)) for c, rx in _CURRENCIES.items()}
    best = max(counts, key=lambda c: counts[c])
    if counts[best]:
        facts.currency = best
        for ln in doc.lines:
            if _CURRENCIES[best].search(ln.folded):
                facts.evidence["currency"] = doc.evidence(ln, best)
                break
