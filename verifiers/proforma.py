"""Proforma and e-Fatura/e-Arşiv PDF reader: text (text layer or OCR) -> InvoiceFacts with evidence.

A proforma has no legal form (turkish-domain §4) and integrators render e-invoices each in
their own way, so nothing here assumes a layout: the amounts and their roles come from
verifiers.amounts (reconciled against the document's arithmetic and its amount in words),
the parties from verifiers.parties (supplier against buyer), the dates from the one
date-role reading in verifiers.fields. What the document does not settle stays None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from evrak.facts import AllowanceCharge, EInvoiceLine
from evrak.findings import Evidence
from evrak.text import fold_aligned
from verifiers.amounts import Reading, read_amounts
from verifiers.efatura_qr import einvoice_from_qr
from verifiers.fields import Doc, Line, date_mentions, issue_date
from verifiers.idread import id_label_near, read_gib_number, repair_ettn
from verifiers.invoice import InvoiceFacts, InvoiceLine, KdvPart, QrMismatch
from verifiers.parties import read_parties
from verifiers.qrcode import GibQr, read_qr

_NUMBER = re.compile(
    r"(?:(?:proforma|teklif|belge|fatura|evrak|siparis)\s*(?:no|numarasi|numaramiz|nr|#)\.?\s*(?:olan\s*|:\s*)?"
    r"|^\W*(?:no|ref|referans|referans no|sayi)\s*:\s*)"
    r"[\[(|]?([a-z0-9][a-z0-9/._-]*\d[a-z0-9/._-]*)"
)
_ETTN = re.compile(r"ettn\s*:?\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_PROFILE = re.compile(r"senaryo\s*:?\s*([a-z]+)")
_VALID_DAYS = re.compile(r"(\d{1,3})\s*(?:\(\w+\)\s*)?gun\w*\s*(?:sureyle\s*|boyunca\s*|suresince\s*)?gecerli"
                         r"|opsiyon\w*\s*:?\s*(\d{1,3})\s*gun|gecerlilik\s*(?:suresi)?\s*:?\s*(\d{1,3})\s*gun")


def read_proforma(doc: Doc, kind: str = "proforma") -> InvoiceFacts:
    """Facts of a proforma or an e-invoice rendering; fields that cannot be read stay None.

    For an e-invoice whose file is known (`doc.source`), GİB's QR code is decoded and taken
    as the truth: its values replace the printed ones, and each difference is kept in
    `facts.qr_mismatches` for check_invoice to report (EFATURA_QR_MISMATCH).
    """
    facts = InvoiceFacts(kind=kind)
    reading = read_amounts(doc)
    _amounts(doc, facts, reading)
    first_row = min((row.line.index for row in reading.rows), default=None)
    stop = first_row
    for ln in doc.lines:
        if re.search(r"^\W*(sira|mal hizmet|aciklama|urun)(?![a-z])", ln.folded):
            stop = ln.index if stop is None else min(stop, ln.index)
            break
    _parties(doc, facts, stop)
    _dates_and_number(doc, facts)
    _currency(doc, facts)
    if kind == "e_fatura" and doc.source is not None:
        qr = read_qr(doc.source)
        if qr is not None:
            apply_qr(facts, qr, doc.file, ocr=doc.ocr)
    return facts


def _same_name(a: str, b: str) -> bool:
    key = lambda x: re.sub(r"[^a-z0-9]", "", fold_aligned(x))  # noqa: E731
    return key(a) == key(b)


def apply_qr(facts: InvoiceFacts, qr: GibQr, file: str, *, ocr: bool = False) -> None:
    """Take the QR payload as the truth: fill what the text did not give, replace what it
    gave differently and record the difference (the printed copy does not match its code;
    on a scan the difference may be the OCR's, so it is marked inferred)."""
    ev = Evidence(file=file, page=qr.page, text="GİB karekodu (QR)")
    facts.qr = qr
    # the same e-invoice facts the XML gives (verifiers.efatura_qr), with the printed lines'
    # gross and iskonto so that the e-invoice checks see the lines as the document states them
    facts.einvoice = einvoice_from_qr(qr)
    facts.einvoice.lines = [
        EInvoiceLine(gross=ln.quantity * ln.unit_price if ln.quantity is not None and ln.unit_price is not None
                     else None,
                     allowances=[AllowanceCharge(False, ln.discount)] if ln.discount else [])
        for ln in facts.lines]
    pairs = (
        ("supplier_id", qr.supplier_id), ("buyer_id", qr.buyer_id), ("number", qr.number),
        ("issued_on", qr.issued_on), ("ettn", qr.ettn), ("net_total", qr.net), ("kdv_total", qr.kdv_total),
        ("grand_total", qr.tax_inclusive), ("payable", qr.payable), ("currency", qr.currency),
        ("profile", qr.profile),
    )
    for name, value in pairs:
        if value is None:
            continue
        printed = getattr(facts, name)
        differs = printed is not None and (
            abs(printed - value) > Decimal("0.01") if isinstance(value, Decimal) else printed != value)
        if differs:
            facts.qr_mismatches.append(QrMismatch(name, str(printed), str(value), facts.evidence.get(name), ocr))
        if printed is None or differs:
            setattr(facts, name, value)
            facts.evidence[name] = Evidence(file=file, page=qr.page, text=ev.text, value=str(value))
    if qr.supplier and facts.supplier and not _same_name(qr.supplier, facts.supplier):
        facts.qr_mismatches.append(QrMismatch("supplier", facts.supplier, qr.supplier, facts.evidence.get("supplier"),
                                              ocr))
    elif qr.supplier and facts.supplier is None:
        facts.supplier = qr.supplier
        facts.evidence["supplier"] = Evidence(file=file, page=qr.page, text=ev.text, value=qr.supplier)
    if qr.kdv and (not facts.kdv or {p.rate: p.amount for p in facts.kdv} != qr.kdv):
        facts.kdv = [KdvPart(rate, amount, Evidence(file=file, page=qr.page, text=ev.text, value=str(amount)))
                     for rate, amount in sorted(qr.kdv.items())]


def _amounts(doc: Doc, facts: InvoiceFacts, r: Reading) -> None:
    ev = facts.evidence
    for row in r.rows:
        facts.lines.append(InvoiceLine(row.description, row.quantity, row.unit_price, row.amount, row.kdv_rate,
                                       doc.evidence(row.line, row.amount), discount=row.discount))
    if r.net is not None:
        facts.net_total = r.net
        src = r.net_from.line if r.net_from is not None else (r.rows[0].line if r.rows else None)
        if src is not None:
            ev["net_total"] = doc.evidence(src, r.net)
    for c in r.kdv:
        facts.kdv.append(KdvPart(c.rate, c.value, doc.evidence(c.line, c.value)))
    if facts.kdv:
        facts.kdv_total = r.kdv_total
        ev["kdv_total"] = facts.kdv[0].evidence
        ev["kdv_rate"] = facts.kdv[0].evidence
    if r.grand is not None:
        facts.grand_total = r.grand.value
        ev["grand_total"] = doc.evidence(r.grand.line, r.grand.value)
    if r.payable is not None:
        facts.payable = r.payable.value
        ev["payable"] = doc.evidence(r.payable.line, r.payable.value)
    if r.discount is not None:
        facts.discount_total = r.discount.value
        ev["discount_total"] = doc.evidence(r.discount.line, r.discount.value)
    if r.words is not None:
        facts.amount_in_words = r.words[0]
        ev["amount_in_words"] = doc.evidence(r.words[1], r.words[0])
    facts.unread.update(r.unread)


def _parties(doc: Doc, facts: InvoiceFacts, stop: int | None) -> None:
    ev = facts.evidence
    supplier, buyer = read_parties(doc, stop)
    for role, party in (("supplier", supplier), ("buyer", buyer)):
        if party.name and party.name_line is not None:
            setattr(facts, role, party.name)
            ev[role] = doc.evidence(party.name_line, party.name)
        if party.tax_id and party.id_line is not None:
            setattr(facts, f"{role}_id", party.tax_id)
            ev[f"{role}_id"] = doc.evidence(party.id_line, party.tax_id)
        elif party.id_unread:
            facts.unread[f"{role}_id"] = "taramada okunan numara hiçbir kesin okumayla sağlama hesabını tutmuyor"
        if party.address and party.address_line is not None:
            setattr(facts, f"{role}_address", party.address)
            ev[f"{role}_address"] = doc.evidence(party.address_line, party.address)


def _dates_and_number(doc: Doc, facts: InvoiceFacts) -> None:
    ev = facts.evidence
    for m in date_mentions(doc):
        if m.role in ("validity", "until", "deadline") and facts.valid_until is None:
            facts.valid_until = m.value
            ev["valid_until"] = doc.evidence(m.line, m.value)
    pick = issue_date(doc)
    if pick:
        facts.issued_on = pick[0]
        ev["issued_on"] = doc.evidence(pick[1], pick[0])
    if facts.valid_until is None and facts.issued_on is not None:
        for ln, m in doc.find(_VALID_DAYS):
            days = int(next(g for g in m.groups() if g))
            facts.valid_until = facts.issued_on + timedelta(days=days)
            ev["valid_until"] = doc.evidence(ln, facts.valid_until)
            break
    _number(doc, facts)
    _ettn(doc, facts)
    for ln, m in doc.find(_PROFILE):
        facts.profile = m.group(1).upper()
        ev["profile"] = doc.evidence(ln, facts.profile)
        break


_GIB_LABEL = re.compile(r"(?:fatura|belge)\s*(?:no|numarasi|nr)\b\.?\s*:?")
# a letter that looks like a digit standing between digits ("23l2", "2O24"): on a scan the
# number is then uncertain (a proforma number has no checksum or shape to settle it)
_LOOKALIKE_IN_DIGITS = re.compile(r"\d[OoIlSBZG]+\d")
_UUID_LIKE = re.compile(r"[0-9a-z]{8}\s?-\s?[0-9a-z]{4}\s?-\s?[0-9a-z]{4}\s?-\s?[0-9a-z]{4}\s?-\s?[0-9a-z]{12}")


def _number(doc: Doc, facts: InvoiceFacts) -> None:
    """The document number. On a scan, a GİB e-invoice number (prefix + year + 9 digits) is
    read through its shape (verifiers.idread.read_gib_number: look-alike letters in its digit
    part read as digits, the year checked against the issue date); a number the shape does not
    settle, or any other number with a look-alike letter inside its digits, is unread."""
    year = facts.issued_on.year if facts.issued_on else None
    if doc.ocr:
        for ln, m in doc.find(_GIB_LABEL):
            number, certain = read_gib_number(ln.text[m.end(): m.end() + 30], True, year)  # right after the label
            if number is None:
                continue
            if certain:
                facts.number = number
                facts.evidence["number"] = doc.evidence(ln, number)
            else:
                facts.unread["number"] = (f"taramada fatura numarası ({number}) harf ve rakam karışık okundu; "
                                          "ön ekteki karakterler kesin değil")
            return
        if facts.kind == "e_fatura":
            return  # every e-invoice number has GİB's shape: another reading of it is a misread
    for ln, offset, m in _find_in_cells(doc, _NUMBER):
        number = ln.text[offset + m.start(1): offset + m.end(1)].rstrip(".,)")
        if doc.ocr and _LOOKALIKE_IN_DIGITS.search(number):
            facts.unread["number"] = f"taramada belge numarasında ({number}) rakama benzeyen harf var"
            return
        facts.number = number
        facts.evidence["number"] = doc.evidence(ln, number)
        return


def _find_in_cells(doc: Doc, rx: re.Pattern) -> Iterator[tuple[Line, int, re.Match]]:
    """doc.find, and on a scan also in each column of a line (Doc.cells), so that a label
    starting a column ("... Tel: 0407 395 45 67   No: TKL2312-37") counts as starting a
    line; yields (line, offset of the match's text in line.text, match)."""
    for ln in doc.lines:
        m = rx.search(ln.folded)
        if m:
            yield ln, 0, m
            continue
        if doc.ocr:
            for offset, cell in doc.cells(ln)[1:]:
                m = rx.search(fold_aligned(cell))
                if m:
                    yield ln, ln.text.index(cell, offset), m
                    break


def _ettn(doc: Doc, facts: InvoiceFacts) -> None:
    """The ETTN (a UUID). On a scan its label may be garbled ("ETTİN") and its characters
    misread (l for 1, O for 0): a UUID-shaped token after the label is repaired where each
    character has one hex reading (verifiers.idread.repair_ettn), else left unread."""
    for ln, m in doc.find(_ETTN):
        facts.ettn = m.group(1)
        facts.evidence["ettn"] = doc.evidence(ln, facts.ettn)
        return
    if not doc.ocr:
        return
    for ln in doc.lines:
        for m in _UUID_LIKE.finditer(ln.folded):
            if id_label_near(ln.folded, m.start(), ("ettn", "uuid")) is None:
                continue
            value = repair_ettn(ln.text[m.start(): m.end()])
            if value is None:
                facts.unread["ettn"] = "taramada ETTN'nin bazı karakterleri kesin okunamadı"
            else:
                facts.ettn = value
                facts.evidence["ettn"] = doc.evidence(ln, value)
            return


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
