"""Text of a document, page by page: the PDF text layer first, OCR where the layer is unusable.

pypdfium2 reads a text layer about 50 times faster than pdfplumber (architecture.md), so it
is the first reader. Each page passes a quality gate (no text, "(cid:NN)", U+FFFD, too few
letters: the broken ToUnicode maps of turkish-domain §7); a page that fails it is rendered
at 300 dpi and read by Tesseract. A file that cannot be opened gives a DOC_UNREADABLE
finding naming it, never an exception, so the other checks of a package still run (D29).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from evrak.findings import Evidence, Finding
from evrak.text import clean
from verifiers.ocr import OcrError, ocr_image

OCR_DPI = 300
OCR_TIMEOUT_S = 40.0
MAX_OCR_PAGES = 12  # a longer scan is read up to here and the rest reported
MIN_LETTERS = 25
_CID = re.compile(r"\(cid:\d+\)")
_LETTER = re.compile(r"[A-Za-zÇĞİÖŞÜçğıöşüÂâÎîÛû]")


@dataclass
class Page:
    """One page's text; `source` is "text" (text layer) or "ocr"; confidence 0..100."""

    number: int  # 1-based
    text: str
    source: str
    confidence: float
    note: str = ""

    def info(self) -> dict:
        out = {"page": self.number, "source": self.source, "confidence": self.confidence,
               "chars": len(self.text)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class TextResult:
    file: str
    pages: list[Page] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.pages) and any(p.text.strip() for p in self.pages)


def unreadable(file: str, why: str, page: int | None = None) -> Finding:
    """The one finding for a document (or page) that cannot be read; names the file."""
    where = f"{file}" + (f", sayfa {page}" if page else "")
    return Finding(
        rule="DOC_UNREADABLE",
        message=f"Belge okunamadı ({where}): {why}",
        evidence=[Evidence(file=file, page=page, text=why)],
    )


def page_quality_problem(text: str) -> str | None:
    """Why a text-layer page should go to OCR, or None when its text can be trusted."""
    if not text.strip():
        return "metin katmanı yok"
    if _CID.search(text):
        return "(cid:NN) kodları: yazı tipinin Unicode eşlemesi yok"
    if text.count("\ufffd") >= 3 or ("\ufffd" in text and text.count("\ufffd") * 50 > len(text)):
        return "bozuk karakterler (U+FFFD)"
    letters = len(_LETTER.findall(text))
    if letters < MIN_LETTERS:
        return f"çok az harf ({letters})"
    return None


def _sniff(data: bytes) -> str | None:
    head = data[:16]
    if head.startswith(b"\x89PNG"):
        return "PNG görüntüsü"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG görüntüsü"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF görüntüsü"
    if head.startswith(b"PK\x03\x04"):
        return "ZIP arşivi / Office belgesi"
    if head.lstrip().startswith(b"<"):
        return "XML/HTML metni"
    return None


def ocr_pil(image: Image.Image, number: int, timeout_s: float = OCR_TIMEOUT_S) -> Page:
    res = ocr_image(image, timeout_s=timeout_s)
    note = f"eğiklik {res.angle:+.2f}° düzeltildi" if res.angle else ""
    return Page(number=number, text=clean(res.text), source="ocr", confidence=res.confidence, note=note)


def read_pdf(path: str | Path, *, data: bytes | None = None, file: str | None = None,
             ocr: bool = True, ocr_timeout_s: float = OCR_TIMEOUT_S,
             deadline_s: float | None = 180.0) -> TextResult:
    """Pages of a PDF with their text, source and confidence; findings instead of exceptions.

    `data` reads from memory (the content of a signed .imz container); `file` is the name
    the findings show. `deadline_s` bounds the OCR of the whole document.
    """
    name = file or Path(path).name
    result = TextResult(file=name)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            result.findings.append(unreadable(name, f"dosya açılamadı ({exc.strerror or exc})"))
            return result
    if not data:
        result.findings.append(unreadable(name, "dosya boş (0 bayt)"))
        return result
    if b"%PDF" not in data[:1024]:
        kind = _sniff(data)
        why = f"PDF değil ({kind})" if kind else "PDF değil (PDF başlığı yok)"
        result.findings.append(unreadable(name, why))
        return result
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            why = "PDF şifreli (parola korumalı); şifresiz kopyası istenmeli"
        elif "format" in msg.lower() or "file" in msg.lower():
            why = "PDF bozuk veya eksik (kesik dosya)"
        else:
            why = f"PDF açılamadı ({msg})"
        result.findings.append(unreadable(name, why))
        return result
    started = time.monotonic()
    ocr_done = 0
    try:
        n = len(pdf)
        if n == 0:
            result.findings.append(unreadable(name, "PDF'te sayfa yok"))
            return result
        for i in range(n):
            number = i + 1
            try:
                page = pdf[i]
                textpage = page.get_textpage()
                raw = textpage.get_text_range()
                textpage.close()
            except pdfium.PdfiumError as exc:
                raw, page = "", None
                result.findings.append(unreadable(name, f"sayfa metni okunamadı ({exc})", number))
            text = clean(raw.replace("\r\n", "\n").replace("\r", "\n"))
            problem = page_quality_problem(text)
            if problem is None:
                result.pages.append(Page(number, text, "text", 100.0))
                continue
            if not ocr or page is None:
                result.pages.append(Page(number, "" if problem else text, "text", 0.0, note=problem))
                continue
            over_time = deadline_s is not None and time.monotonic() - started > deadline_s
            if ocr_done >= MAX_OCR_PAGES or over_time:
                result.pages.append(Page(number, "", "ocr", 0.0, note="OCR sınırı aşıldı"))
                result.findings.append(unreadable(
                    name, f"OCR sınırı aşıldı; {number}. sayfadan sonrası okunmadı", number))
                break
            try:
                image = page.render(scale=OCR_DPI / 72).to_pil()
                ocr_page = ocr_pil(image, number, timeout_s=ocr_timeout_s)
                ocr_done += 1
            except (OcrError, pdfium.PdfiumError) as exc:
                result.pages.append(Page(number, "", "ocr", 0.0, note=str(exc)))
                result.findings.append(unreadable(name, str(exc), number))
                continue
            ocr_page.note = "; ".join(x for x in (problem, ocr_page.note) if x)
            result.pages.append(ocr_page)
            if not ocr_page.text.strip():
                result.findings.append(unreadable(name, "OCR metin bulamadı", number))
    finally:
        pdf.close()
    if not result.readable and not result.findings:
        result.findings.append(unreadable(name, "belgede okunabilir metin yok"))
    return result


def read_image(path: str | Path, *, file: str | None = None,
               ocr_timeout_s: float = OCR_TIMEOUT_S) -> TextResult:
    """A photographed or scanned page sent as PNG/JPEG/TIFF: one OCR page per frame."""
    name = file or Path(path).name
    result = TextResult(file=name)
    try:
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
            for i in range(min(frames, MAX_OCR_PAGES)):
                img.seek(i)
                result.pages.append(ocr_pil(img.convert("RGB"), i + 1, timeout_s=ocr_timeout_s))
    except (OSError, UnidentifiedImageError) as exc:
        result.findings.append(unreadable(name, f"görüntü açılamadı ({exc})"))
    except OcrError as exc:
        result.findings.append(unreadable(name, str(exc)))
    return result


def table_rows(path: str | Path, page_number: int) -> list[list[str]]:
    """Rows of the tables on one page, with pdfplumber; only where a table's layout matters
    (pdfplumber is ~50x slower than the text layer read above)."""
    import pdfplumber

    rows: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        for table in page.extract_tables():
            for row in table:
                rows.append([clean(c or "") for c in row])
    return rows
