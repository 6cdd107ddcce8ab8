"""The single entry point for reading an uploaded document: `read_document(path, kind=None)`.

It opens the file whatever it is (PDF with or without a text layer, image, DOCX/XLSX/ODT,
UBL-TR XML, a CAdES .imz/.p7m wrapping a PDF), by content rather than name, within the
bounds of evrak/limits.py; works out its kind from the content when none is given, runs the
reader for that kind and the document's own checks, and returns facts, findings and
per-page information. It never raises for a bad file: that is a DOC_UNREADABLE finding
(D29), so pre-screening can go on with the rest of the package.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from evrak import limits
from evrak.dates import format_short
from evrak.facts import SignatureCircular
from evrak.findings import Evidence, Finding
from evrak.money import format_number
from verifiers.amounts import fill_amount_boxes
from verifiers.certificates import CertificateFacts, read_certificate
from verifiers.circular import read_circular
from verifiers.efatura import read_efatura
from verifiers.efatura_checks import check_efatura, einvoice_notes, render_einvoice
from verifiers.fields import Doc
from verifiers.formats import IMAGE_TYPES, OFFICE_TYPES, TYPES, head, sniff
from verifiers.invoice import InvoiceFacts, check_invoice
from verifiers.kinds import KINDS, THRESHOLD, detect_kind, kind_scores
from verifiers.kub import CreditLetterFacts, read_credit_letter
from verifiers.proforma import read_proforma
from verifiers.text import Page, TextResult, read_image, read_office_file, read_pdf, unreadable

LOW_OCR_CONFIDENCE = 60.0
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
SIGNED_SUFFIXES = {".imz", ".p7m", ".p7s"}
Facts = InvoiceFacts | SignatureCircular | CreditLetterFacts | CertificateFacts

# fields whose absence sends the document to a person (wrong values must be rarer than missing)
REQUIRED = {
    "proforma": ("supplier", "supplier_id", "issued_on", "grand_total"),
    "e_fatura": ("supplier", "supplier_id", "issued_on", "grand_total"),
    "kredi_uygunluk_belgesi": ("bank", "company", "issued_on"),
    "imza_sirkuleri": ("company", "issued_on"),
}
FIELD_LABELS = {
    "supplier": "tedarikçi", "supplier_id": "tedarikçi VKN/TCKN", "buyer": "alıcı", "buyer_id": "alıcı VKN",
    "issued_on": "tarih", "number": "belge no", "valid_until": "geçerlilik tarihi", "currency": "para birimi",
    "lines": "kalemler", "net_total": "KDV hariç toplam", "kdv": "KDV", "kdv_total": "KDV tutarı",
    "grand_total": "genel toplam", "bank": "banka", "branch": "şube", "company": "firma", "vkn": "VKN",
    "program": "program", "amount": "tutar", "reference": "referans no", "positive": "olumlu sonuç",
    "is_application_receipt": "başvuru yazısı", "issuer": "düzenleyen", "nace_codes": "NACE kodları",
    "registered_on": "kayıt/tescil tarihi", "persons": "yetkililer", "notary": "noter",
    "yevmiye_no": "yevmiye no", "profile": "e-Fatura senaryosu", "kind": "tür",
}


@dataclass
class DocumentResult:
    file: str
    kind: str | None
    kind_source: str  # "given" | "detected" | "none"
    facts: Facts | None = None
    findings: list[Finding] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    active_content: list[str] = field(default_factory=list)  # PDF JavaScript, Launch, embedded files

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "kind_source": self.kind_source,
            "facts": jsonable(self.facts),
            "findings": [f.to_dict() for f in self.findings],
            "pages": self.pages,
            "notes": self.notes,
            "active_content": self.active_content,
        }

    def render_text(self) -> str:
        """A Turkish, human-readable listing of facts with their evidence and the findings."""
        out = [f"Belge: {self.file}", f"Tür: {self.kind or 'belirlenemedi'}"
               + (" (içerikten)" if self.kind_source == "detected" else "")]
        for p in self.pages:
            src = {"text": "metin katmanı", "office": "belge metni (Office)"}.get(
                p["source"], f"OCR, güven %{p['confidence']:.0f}")
            out.append(f"  sayfa {p['page']}: {src}" + (f" — {p['note']}" if p.get("note") else ""))
        out.extend(f"Not: {n}" for n in self.notes)
        if self.facts is not None:
            out.append("Bilgiler:")
            out.extend(_render_facts(self.facts))
        if self.findings:
            out.append("Bulgular:")
            for f in self.findings:
                out.append(f"  [{f.severity.label}] {f.rule}: {f.message}")
                for e in f.evidence:
                    if e.text:
                        out.append(f"      ↳ {_where(e)}: «{e.text}»")
        else:
            out.append("Bulgu yok.")
        return "\n".join(out)


def _where(e: Evidence) -> str:
    return f"{e.file}" + (f", s.{e.page}" if e.page else "")


def _plain(d: Decimal | None) -> str:
    """A quantity or a rate as written: 5, 2,5, 20 (no forced kuruş digits)."""
    if d is None:
        return ""
    return format(d.normalize(), "f").replace(".", ",")


def _fmt(v: Any) -> str:
    if isinstance(v, Decimal):
        return format_number(v)
    if isinstance(v, date):
        return format_short(v)
    if isinstance(v, bool):
        return "evet" if v else "hayır"
    if isinstance(v, list):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def _render_facts(facts: Facts) -> list[str]:
    out = []
    evidence = facts.evidence if isinstance(getattr(facts, "evidence", None), dict) else {}
    for f in dataclasses.fields(facts):
        name = f.name
        if name in ("evidence",):
            continue
        value = getattr(facts, name)
        if value in (None, [], ""):
            continue
        label = FIELD_LABELS.get(name, name)
        if name == "einvoice":
            out.extend(render_einvoice(value))
            continue
        if name == "lines":
            out.append(f"  {label}:")
            for ln in value:
                q = f"{_plain(ln.quantity)} × {_fmt(ln.unit_price)} = " if ln.quantity is not None else ""
                r = f" (KDV %{_plain(ln.kdv_rate)})" if ln.kdv_rate is not None else ""
                out.append(f"    - {ln.description}: {q}{_fmt(ln.amount)}{r}")
            continue
        if name == "kdv":
            for part in value:
                rate = f"%{_plain(part.rate)}" if part.rate is not None else "oran yok"
                out.append(f"  KDV {rate}: {_fmt(part.amount)}")
            continue
        if name == "persons":
            out.append(f"  {label}:")
            for p in value:
                mode = {"munferiden": "münferiden", "mustereken": "müştereken"}.get(
                    p.mode.value, "temsil şekli okunamadı")
                extra = []
                if p.joint_with:
                    extra.append("birlikte: " + ", ".join(p.joint_with))
                if p.limit is not None:
                    extra.append(f"sınır {_fmt(p.limit)} TL")
                if p.valid_until:
                    extra.append(f"{_fmt(p.valid_until)} tarihine kadar")
                tckn = p.tckn or "TCKN okunamadı"
                out.append(f"    - {p.name} ({tckn}), {p.title or 'unvan yok'}, {mode}"
                           + (f"; {'; '.join(extra)}" if extra else ""))
            continue
        line = f"  {label}: {_fmt(value)}"
        e = evidence.get(name)
        if e is not None and e.text:
            line += f"   [{_where(e)}: «{e.text[:90]}»]"
        out.append(line)
    return out


def jsonable(obj: Any) -> Any:
    """Facts -> JSON-ready values: Decimal and dates as strings, never floats."""
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Evidence):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [jsonable(v) for v in obj]
    return str(obj)


def _signed_content(data: bytes) -> bytes | None:
    """The content a CAdES/PKCS#7 container wraps (an .imz around a PDF), or None if detached."""
    from asn1crypto import cms

    info = cms.ContentInfo.load(data)
    content = info["content"]["encap_content_info"]["content"]
    return None if content.native is None else content.native


def read_text(path: Path, name: str) -> tuple[TextResult, list[str]]:
    """Pages of any supported file, by its content (not its name); notes say how the content
    was reached."""
    notes: list[str] = []
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        kind = sniff(head(path), path) if size else None
    except OSError as exc:
        res = TextResult(file=name)
        res.findings.append(unreadable(name, f"dosya açılamadı ({exc.strerror or exc})"))
        return res, notes
    if size > limits.MAX_DOCUMENT_BYTES:
        res = TextResult(file=name)
        res.findings.append(unreadable(name, f"dosya çok büyük ({size / limits.MB:.0f} MB; sınır "
                                             f"{limits.MAX_DOCUMENT_BYTES // limits.MB} MB)"))
        return res, notes
    if kind in IMAGE_TYPES or (kind is None and size and suffix in IMAGE_SUFFIXES):
        res = read_image(path, file=name)
        if suffix not in IMAGE_SUFFIXES:  # a scan renamed to .pdf: read, and said so
            what = f"adı {suffix or 'uzantısız'}, içeriği {TYPES.get(kind or '', 'görüntü')}"
            notes.append(what)
            if not res.readable:
                why = "; ".join(f.evidence[0].text for f in res.findings if f.evidence and f.evidence[0].text)
                res.findings = [unreadable(name, f"PDF değil ({what}); {why or 'görüntüde metin yok'}")]
        return res, notes
    if kind in OFFICE_TYPES:
        notes.append(f"{TYPES[kind]} kendi kitaplığıyla okundu")
        return read_office_file(path, kind, file=name), notes
    if kind == "ole" or kind == "rtf":
        res = TextResult(file=name)
        if kind == "ole" and "EncryptedPackage".encode("utf-16-le") in head(path, 1 << 16):
            why = "Office belgesi parola korumalı (şifreli); şifresiz kopyası istenmeli"
        else:
            why = f"{TYPES[kind]} biçimi okunamıyor; PDF, DOCX veya ODT olarak gönderilmeli"
        res.findings.append(unreadable(name, why))
        return res, notes
    if suffix in SIGNED_SUFFIXES or (kind == "cms" and suffix != ".pdf"):
        try:
            data = path.read_bytes()
            inner = _signed_content(data)
        except Exception as exc:  # asn1crypto raises many types on garbage; all mean "unreadable"
            res = TextResult(file=name)
            res.findings.append(unreadable(name, f"imzalı dosya (CMS) çözümlenemedi ({type(exc).__name__})"))
            return res, notes
        if inner is None:
            res = TextResult(file=name)
            notes.append("ayrık (detached) imza: belge içeriği dosyada yok")
            return res, notes
        notes.append("imzalı kabın (CAdES) içindeki belge okundu")
        return read_pdf(path, data=inner, file=name), notes
    return read_pdf(path, file=name), notes


def read_document(path: str | Path, kind: str | None = None, *,
                  incentive_certificate: bool = False, trust_dir: Path | None = None) -> DocumentResult:
    """Read one uploaded document into facts and its own findings.

    `kind` is the manifest's document key when known (see verifiers.kinds.KINDS); without it
    the kind is detected from the content. `incentive_certificate` tells the proforma check
    that its budget line is covered by a Yatırım Teşvik Belgesi (0 % KDV allowed, D8).
    """
    path = Path(path)
    name = path.name
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    if not path.is_file():
        res = DocumentResult(name, kind, "given" if kind else "none")
        res.findings.append(unreadable(name, "dosya bulunamadı"))
        return res
    size = path.stat().st_size
    if size > limits.MAX_DOCUMENT_BYTES:  # checked before a byte is read: a sparse 1.5 GB file stays unread
        res = DocumentResult(name, kind, "given" if kind else "none")
        res.findings.append(unreadable(name, f"dosya çok büyük ({size / limits.MB:.0f} MB; sınır "
                                             f"{limits.MAX_DOCUMENT_BYTES // limits.MB} MB)"))
        return res
    data_head = head(path) if size else b""
    if path.suffix.lower() == ".xml" or (data_head.lstrip().startswith(b"<") and kind in (None, "e_fatura")):
        facts, findings = read_efatura(path.read_bytes(), name, trust_dir=trust_dir)  # trust: the mali mühür
        res = DocumentResult(name, "e_fatura", "given" if kind == "e_fatura" else "detected", facts, findings)
        if facts is not None:
            res.findings += check_invoice(facts, name, incentive_certificate=incentive_certificate)
            res.findings += _missing(facts, "e_fatura", name)
            res.notes += einvoice_notes(facts)
        return res
    text, notes = read_text(path, name)
    res = DocumentResult(name, kind, "given" if kind else "none", notes=notes)
    res.pages = [p.info() for p in text.pages]
    if text.active_content:
        res.active_content = text.active_content
        res.notes.append("PDF'te etkin içerik var: " + ", ".join(text.active_content)
                         + " (çalıştırılmadı; belge yalnızca okundu)")
    res.findings += text.findings
    if not text.readable:
        return res
    detected = detect_kind(text.pages)
    if kind is None:
        res.kind = detected
        res.kind_source = "detected" if detected else "none"
    elif detected and detected != kind:
        scores = kind_scores(text.pages)
        if scores.get(detected, 0) >= THRESHOLD + 2 and scores.get(kind, 0) < THRESHOLD:
            res.findings.append(Finding(
                "DOC_WRONG_KIND", f"{name}: beklenen belge türü {kind}, içerik {detected} gibi görünüyor",
                evidence=[Evidence(file=name, page=1, text=text.pages[0].text[:120])], subject=kind))
    low = [p for p in text.pages if p.source == "ocr" and p.text.strip() and p.confidence < LOW_OCR_CONFIDENCE]
    if low:
        res.findings.append(Finding(
            "DOC_UNREADABLE",
            f"{name}: OCR güveni düşük (sayfa {', '.join(str(p.number) for p in low)}: "
            f"%{min(p.confidence for p in low):.0f}); okunan değerler elle doğrulanmalı",
            evidence=[Evidence(file=name, page=low[0].number, text=low[0].text[:120])]))
    doc = Doc(name, text.pages, source=path)
    res.facts, more = _read_kind(doc, res.kind, incentive_certificate)
    res.findings += more
    return res


def _read_kind(doc: Doc, kind: str | None, incentive: bool) -> tuple[Facts | None, list[Finding]]:
    if kind is None:
        return None, []
    if kind in ("proforma", "e_fatura"):  # an e-invoice as PDF/scan: its rendering, with the QR code
        facts = read_proforma(doc, kind)
        # where each amount was read on a scan, for staff (Evidence.bbox; the OCR words have
        # their boxes already; a text page's would cost a second parse, so it is left out)
        fill_amount_boxes(doc, facts, text_layer=False)
        findings = check_invoice(facts, doc.file, incentive_certificate=incentive) + _missing(facts, kind, doc.file)
        if facts.einvoice is not None:  # facts from the GİB QR code: the e-invoice checks, as for the XML
            findings += check_efatura(facts, doc.file)
        return facts, findings
    if kind == "imza_sirkuleri":
        circ, findings = read_circular(doc)
        return circ, findings + _missing(circ, kind, doc.file)
    if kind == "kredi_uygunluk_belgesi":
        kub = read_credit_letter(doc)
        findings = _missing(kub, kind, doc.file)
        if kub.positive is None and not kub.is_application_receipt:
            findings.append(Finding("DOC_UNREADABLE", f"{doc.file}: bankanın değerlendirme sonucu (olumlu/olumsuz) "
                                    "okunamadı", evidence=[Evidence(file=doc.file)], subject=kind))
        if kub.amount is None and not kub.is_application_receipt:
            findings.append(Finding("DOC_UNREADABLE", f"{doc.file}: kredi tutarı okunamadı",
                                    evidence=[Evidence(file=doc.file)], subject=kind))
        return kub, findings
    cert = read_certificate(doc, kind)
    findings = []
    if cert.issued_on is None:
        findings.append(Finding("DOC_UNREADABLE", f"{doc.file}: belge tarihi okunamadı",
                                evidence=[Evidence(file=doc.file)], subject=kind))
    return cert, findings


def _missing(facts: Any, kind: str, file: str) -> list[Finding]:
    missing = [FIELD_LABELS.get(n, n) for n in REQUIRED.get(kind, ()) if getattr(facts, n, None) in (None, "")]
    if not missing:
        return []
    return [Finding("DOC_UNREADABLE", f"{file}: şu alanlar güvenle okunamadı: {', '.join(missing)}",
                    evidence=[Evidence(file=file)], subject=kind)]


__all__ = ["DocumentResult", "Page", "detect_kind", "jsonable", "read_document"]
