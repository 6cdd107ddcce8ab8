"""Kredi Uygunluk Belgesi (bank's credit eligibility letter) reader, and telling it apart from
the bank's application receipt (Kredi Uygunluk Başvuru Yazısı), which makes an application
deficient rather than complete (D17, KUB_PENDING).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from evrak.findings import Evidence
from evrak.text import fold_aligned
from verifiers.fields import Doc, company_at, id_is_valid, issue_date, money_in
from verifiers.idread import read_tax_ids

# canonical name -> folded patterns (TCMB names and the short names on letterheads)
BANKS: dict[str, tuple[str, ...]] = {
    "VakıfBank": ("vakifbank", "vakiflar bankasi", "vakif bank"),
    "Ziraat Bankası": ("ziraat bankasi",),
    "Halkbank": ("halkbank", "halk bankasi"),
    "İş Bankası": ("is bankasi", "isbank"),
    "Garanti BBVA": ("garanti bbva", "garanti bankasi"),
    "Akbank": ("akbank",),
    "Yapı Kredi": ("yapi ve kredi", "yapi kredi"),
    "QNB": ("qnb", "finansbank"),
    "DenizBank": ("denizbank",),
    "TEB": ("turk ekonomi bankasi", "teb"),
    "Kuveyt Türk": ("kuveyt turk",),
    "Vakıf Katılım": ("vakif katilim",),
    "Ziraat Katılım": ("ziraat katilim",),
    "Türkiye Finans": ("turkiye finans",),
    "Şekerbank": ("sekerbank",),
    "Türk Eximbank": ("eximbank",),
    "Kalkınma ve Yatırım Bankası": ("kalkinma ve yatirim bankasi",),
}
_RECEIPT = re.compile(r"basvuru yazisi|basvurusu bankamiza yapilmis|basvurunuz alinmis|basvurunun alindigi|"
                      r"degerlendirme sureci devam|degerlendirilmektedir|degerlendirme asamasinda|"
                      r"basvuru alindi")
_NEGATIVE = re.compile(r"uygun gorulmemis|uygun bulunmamis|kullandirilamay|olumsuz|reddedil|kullandirilmasi mumkun "
                       r"degil|uygun degil")
_POSITIVE = re.compile(r"uygun gorulmus|uygun bulunmus|kullandirilabilece|olumlu|kullandirilmasi uygun|"
                       r"kredi tahsis edilmis|uygundur")


@dataclass
class CreditLetterFacts:
    bank: str | None = None
    branch: str | None = None
    company: str | None = None
    vkn: str | None = None
    program: str | None = None
    amount: Decimal | None = None
    issued_on: date | None = None
    reference: str | None = None
    positive: bool | None = None  # None: no decision written (receipt) or not readable
    is_application_receipt: bool = False
    evidence: dict[str, Evidence] = field(default_factory=dict)


def read_credit_letter(doc: Doc) -> CreditLetterFacts:
    f = CreditLetterFacts()
    ev = f.evidence
    for ln in doc.lines:
        for canon, keys in BANKS.items():
            if any(re.search(rf"(?<![a-z]){re.escape(k)}(?![a-z])", ln.folded) for k in keys):
                f.bank = canon
                ev["bank"] = doc.evidence(ln, canon)
                break
        if f.bank:
            break
    for ln in doc.lines:
        m = re.search(r"([A-ZÇĞİÖŞÜa-zçğıöşü]+(?:\s+[A-ZÇĞİÖŞÜa-zçğıöşü]+){0,3})\s+(?:şubesi|ŞUBESİ|Şubesi)", ln.text)
        if m and not re.search(r"şubesine|müdürlüğü", ln.text[m.end(): m.end() + 3], re.IGNORECASE):
            words = m.group(1).split()
            # drop the bank name words that precede the branch on one line
            bank_words = {w for keys in BANKS.values() for k in keys for w in k.split()} | {
                "t", "a", "o", "tao", "bankasi", "bank", "ve", "kredi"}
            while words and fold_aligned(words[0]).strip(".") in bank_words:
                words.pop(0)
            if words:
                f.branch = " ".join(words) + " Şubesi"
                ev["branch"] = doc.evidence(ln, f.branch)
                break
    for ln in doc.lines:
        name = company_at(doc, ln)
        if name and not any(k in fold_aligned(name) for keys in BANKS.values() for k in keys):
            f.company = name
            ev["company"] = doc.evidence(ln, name)
            break
    for ln in doc.lines:
        if re.search(r"v\.? ?k\.? ?n|vergi", ln.folded):
            # on the label's line or the next ("(VKN:" / "1405065814)")
            for x in doc.lines[ln.index: ln.index + 2]:
                ids = [i for i, _s, _e, certain in read_tax_ids(x.text, doc.ocr)
                       if certain and len(i) == 10 and id_is_valid(i)]
                if ids:
                    f.vkn = ids[0]
                    ev["vkn"] = doc.evidence(x, ids[0])
                    break
            if f.vkn:
                break
    if f.vkn is None and re.search(r"vergi kimlik|vergi no|vkn", doc.full_folded):
        # a table: the header names the column, the row holds the one valid VKN
        found = {(i, x.index) for x in doc.lines for i, _s, _e, certain in read_tax_ids(x.text, doc.ocr)
                 if certain and len(i) == 10 and id_is_valid(i)}
        if len({i for i, _ in found}) == 1:
            number, idx = min(found, key=lambda t: t[1])
            f.vkn = number
            ev["vkn"] = doc.evidence(doc.lines[idx], number)
    for ln in doc.lines:
        m = re.search(r"(TR\d{2}/\d{2}/[A-ZÇĞİÖŞÜ0-9/.-]+)", ln.text) or re.search(
            r"([0-9]{4} y[ıi]l[ıi]\s+[^()\n]*?programı(?:\s*\([^)]*\))?)", ln.text, re.IGNORECASE)
        if m:
            f.program = m.group(1).strip()
            ev["program"] = doc.evidence(ln, f.program)
            break
    # amount: labelled, or "... TL tutarındaki kredi"
    label = re.compile(r"kredi tutari|tutarinda|kredi limiti|limit|tutar")
    for ln in doc.lines:
        amounts = money_in(ln.text)
        nxt = doc.lines[ln.index + 1].folded[:40] if ln.index + 1 < len(doc.lines) else ""
        # the label on the amount's line, or starting the next ("2.225.000,00 TL (...)" / "tutarındaki")
        if amounts and (label.search(ln.folded) or label.search(nxt)):
            f.amount = max(a for a, _s, _e in amounts)
            ev["amount"] = doc.evidence(ln, f.amount)
            break
    if f.amount is None and label.search(doc.full_folded):
        # a table whose header names the column: the letter's one amount
        values = {a for ln in doc.lines for a, _s, _e in money_in(ln.text)}
        if len(values) == 1:
            ln = next(x for x in doc.lines if money_in(x.text))
            f.amount = values.pop()
            ev["amount"] = doc.evidence(ln, f.amount)
    pick = issue_date(doc)
    if pick:
        f.issued_on = pick[0]
        ev["issued_on"] = doc.evidence(pick[1], pick[0])
    for ln in doc.lines:
        m = re.search(r"(?:sayi|referans no|ref\.? ?no|ref|sayimiz|belge no|dosya no|evrak no|basvuru no)\s*:?\s*"
                      r"([a-z0-9][a-z0-9/._-]*\d[a-z0-9/._-]*)", ln.folded)
        if m:
            f.reference = ln.text[m.start(1): m.end(1)].rstrip(".,")
            ev["reference"] = doc.evidence(ln, f.reference)
            break
    full = doc.full_folded.replace("\n", " ")
    neg, pos, rec = _NEGATIVE.search(full), _POSITIVE.search(full), _RECEIPT.search(full)
    title_receipt = re.search(r"basvuru yazisi", full)
    if neg:
        f.positive = False
    elif pos and not title_receipt:
        f.positive = True
    f.is_application_receipt = bool(rec or title_receipt) and f.positive is None
    for m, key in ((neg, "positive"), (pos if f.positive else None, "positive"), (rec, "is_application_receipt")):
        if m and key not in ev:
            ln = _line_at(doc, m.start())
            ev[key] = doc.evidence(ln, f.positive if key == "positive" else f.is_application_receipt)
    return f


def _line_at(doc: Doc, pos: int):
    """The line of `doc.full_folded` (newlines replaced) holding character `pos`."""
    total = 0
    for ln in doc.lines:
        total += len(ln.folded) + 1
        if pos < total:
            return ln
    return doc.lines[-1]
