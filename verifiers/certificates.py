"""Dated certificates the guides put date rules on: Faaliyet Belgesi / Oda Kayıt Belgesi /
Sicil Tasdiknamesi, SGK çalışan listesi, vergi/SGK borcu yoktur yazısı, KOBİ beyannamesi,
Ticaret Sicil Gazetesi. What matters for the checks is who issued it, for whom, and when;
the faaliyet/oda belgesi also carries NACE codes and the registration/founding date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from evrak.dates import find_dates
from evrak.findings import Evidence
from verifiers.fields import Doc, company_at, date_mentions, id_is_valid, issue_date
from verifiers.idread import fuzzy_label, read_tax_ids

_ISSUERS = [
    (r"([A-ZÇĞİÖŞÜ][\wçğıöşüÇĞİÖŞÜ]+(?:\s+[A-ZÇĞİÖŞÜ][\wçğıöşüÇĞİÖŞÜ]+)*\s+(?:Ticaret ve Sanayi|Sanayi|Ticaret|"
     r"Esnaf ve Sanatkarlar)\s+Odası)", re.IGNORECASE),
    (r"([A-ZÇĞİÖŞÜ][\wçğıöşüÇĞİÖŞÜ]+\s+Vergi Dairesi(?:\s+(?:Başkanlığı|Müdürlüğü))?)", re.IGNORECASE),
    (r"(Sosyal Güvenlik Kurumu)", re.IGNORECASE),
    (r"(Türkiye Ticaret Sicili Gazetesi)", re.IGNORECASE),
]
_NACE = re.compile(r"(?<![\d.])(?<!\d[:;])(\d{2}\.\d{2}(?:\.\d{2})?)(?![\d.]*\d{3})(?!\.\d{4})")
# on a scan's NACE line "13:92.02" is a code whose first dot was read as a colon (applied to such lines only)
_NACE_COLON = re.compile(r"(?<![\d.:;])(\d{2})[:;](\d{2}\.\d{2})(?![\d.])")


@dataclass
class CertificateFacts:
    kind: str
    issuer: str | None = None
    company: str | None = None
    vkn: str | None = None
    issued_on: date | None = None
    nace_codes: list[str] = field(default_factory=list)
    registered_on: date | None = None  # odaya kayıt / tescil / kuruluş date, where written
    evidence: dict[str, Evidence] = field(default_factory=dict)


# a 10-11 character token of mostly digits with letters OCR put among them
_GARBLED_ID = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Za-z]*\d){6})[0-9A-Za-z]{10,11}(?![0-9A-Za-z])")


def read_certificate(doc: Doc, kind: str) -> CertificateFacts:
    f = CertificateFacts(kind=kind)
    ev = f.evidence
    for rx, flags in _ISSUERS:
        for ln in doc.lines:
            m = re.search(rx, ln.text, flags)
            if m:
                f.issuer = re.sub(r"\s+", " ", m.group(1)).strip()
                ev["issuer"] = doc.evidence(ln, f.issuer)
                break
        if f.issuer:
            break
    for ln in doc.lines:
        name = company_at(doc, ln)
        if name:
            f.company = name
            ev["company"] = doc.evidence(ln, name)
            break
    labelled_unread = False
    for ln in doc.lines:
        if not re.search(r"vergi|v\.? ?k\.? ?n", ln.folded):
            continue
        # the number on the label's line, or on the next line when the label ends a line
        # on a scan through its checksum (verifiers.idread): a number no single reading makes
        # valid is left unread, never taken as read
        if doc.ocr and not any(len(i) == 10 for i, *_ in read_tax_ids(ln.text, True)) and _GARBLED_ID.search(ln.text):
            labelled_unread = True  # the label's own id, garbled beyond repair ("12B45G7B9O"): not the next line's
            break
        ids = [(i, certain, x) for x in doc.lines[ln.index: ln.index + 2]
               for i, _s, _e, certain in read_tax_ids(x.text, doc.ocr) if len(i) == 10]
        if ids:
            number, certain, x = ids[0]
            if certain:
                f.vkn = number
                ev["vkn"] = doc.evidence(x, number)
            else:
                labelled_unread = True  # the labelled number was seen, not read: no other number stands in
            break
    if f.vkn is None and not labelled_unread and re.search(r"vergi kimlik|vergi no|vkn", doc.full_folded):
        # a table: the header names the column, the row holds the one valid VKN
        found = [(i, x) for x in doc.lines for i, _s, _e, certain in read_tax_ids(x.text, doc.ocr)
                 if certain and len(i) == 10 and id_is_valid(i)]
        if len({i for i, _x in found}) == 1:
            f.vkn = found[0][0]
            ev["vkn"] = doc.evidence(found[0][1], f.vkn)
    mentions = date_mentions(doc)
    for m in mentions:
        if m.role == "registration" or (m.role in ("from", "") and re.search(r"kayit|tescil|kurulus", m.before)):
            f.registered_on = m.value
            ev["registered_on"] = doc.evidence(m.line, m.value)
            break
    if f.registered_on is None:
        # a table: "Odaya Kayıt / Tarihi" in the header, the date unlabelled in the row below
        header = next((ln.index for ln in doc.lines if re.search(r"kayit|tescil", ln.folded)
                       and not find_dates(ln.text)), None)
        rows = [m for m in mentions if m.role == "" and header is not None and m.line.index > header]
        if header is not None and len({m.value for m in rows}) == 1:
            f.registered_on = rows[0].value
            ev["registered_on"] = doc.evidence(rows[0].line, rows[0].value)

    def not_the_issue_date(ln, d, before: str) -> bool:
        if re.search(r"kayit|tescil|kurulus|giris", before):
            return True
        # a row of the SGK employee table (işe giriş dates)
        return kind == "sgk_calisan_listesi" and bool(re.search(r"^\d+\s", ln.text))

    pick = issue_date(doc, not_the_issue_date)
    if pick:
        f.issued_on = pick[0]
        ev["issued_on"] = doc.evidence(pick[1], pick[0])
    for ln in doc.lines:
        if re.search(r"nace|faaliyet kodu", ln.folded) or (doc.ocr and _garbled_nace_label(ln.folded)):
            text = _NACE_COLON.sub(r"\1.\2", ln.text) if doc.ocr else ln.text
            for code in _NACE.findall(text):
                if code not in f.nace_codes:
                    f.nace_codes.append(code)
                    ev.setdefault("nace_codes", doc.evidence(ln, code))
    return f


def _garbled_nace_label(folded: str) -> bool:
    """A scan's "NACE Kodu: 46.69.19 - ..." with its label word misread: one edit away
    ("NACF"), or letters of it lost ("ACE", "CE"), before "Kodu:" and a dotted six-digit code
    with its description."""
    m = re.match(r"^\W*([a-z]{2,5})\s+kodu?\s*:\s*\d{2}\.\d{2}\.\d{2}\s*[-–]", folded)
    if m is None:
        return False
    word = m.group(1)
    rest = iter("nace")
    return fuzzy_label(word, ("nace",)) == "nace" or all(ch in rest for ch in word)
