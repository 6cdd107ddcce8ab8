"""Text of a document, page by page: the PDF text layer first, OCR where the layer is unusable;
scans (PNG, JPEG, multi-page TIFF) by OCR; DOCX, XLSX and ODT through their libraries.

pypdfium2 reads a text layer about 50 times faster than pdfplumber (architecture.md), so it
is the first reader. Each page passes a quality gate (no text, "(cid:NN)", U+FFFD, too few
letters: the broken ToUnicode maps of turkish-domain §7); a page that fails it is rendered
within a pixel budget and read by Tesseract in a worker process (verifiers/raster.py), pages
in parallel, all of it stopped at the document's time limit. A file that cannot be opened,
or that exceeds a bound (evrak/limits.py), gives a DOC_UNREADABLE finding naming it, never
an exception, so the other checks of a package still run (D29).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
from PIL import UnidentifiedImageError

from evrak import limits
from evrak.findings import Evidence, Finding
from evrak.text import clean
from verifiers.formats import TYPES, OfficeError, office_images, read_office, sniff
from verifiers.ocr import Word
from verifiers.raster import (
    TIMEOUT,
    BoundExceeded,
    PageJob,
    PageText,
    image_scale,
    open_image,
    pdf_page_scale,
    run_jobs,
    source_of,
)

OCR_DPI = limits.OCR_DPI
OCR_TIMEOUT_S = limits.OCR_PAGE_TIMEOUT_S
MAX_OCR_PAGES = limits.MAX_OCR_PAGES  # a longer scan is read up to here and the rest reported
MIN_LETTERS = 25
_CID = re.compile(r"\(cid:\d+\)")
_LETTER = re.compile(r"[A-Za-zÇĞİÖŞÜçğıöşüÂâÎîÛû]")


@dataclass
class Page:
    """One page's text; `source` is "text" (text layer), "ocr" or "office"; confidence 0..100.

    For OCR pages, `words` are Tesseract's words with boxes in the pixels of an image of
    `image_size` (rendered at `dpi` for a PDF page), so readers can use positions."""

    number: int  # 1-based
    text: str
    source: str
    confidence: float
    note: str = ""
    words: list[Word] = field(default_factory=list, repr=False)
    image_size: tuple[int, int] = (0, 0)
    dpi: float = 0.0
    ocr_cpu_s: float = 0.0  # CPU seconds the page's rendering and OCR took

    def info(self) -> dict:
        out = {"page": self.number, "source": self.source, "confidence": self.confidence,
               "chars": len(self.text)}
        if self.note:
            out["note"] = self.note
        if self.ocr_cpu_s:
            out["ocr_cpu_s"] = round(self.ocr_cpu_s, 2)
        return out


@dataclass
class TextResult:
    file: str
    pages: list[Page] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    active_content: list[str] = field(default_factory=list)  # PDF JavaScript, Launch, attachments

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
    kind = sniff(data)
    return TYPES.get(kind) if kind and kind != "pdf" else None


def _ocr_page(number: int, out: PageText, problem: str = "") -> Page:
    note = f"eğiklik {out.angle:+.2f}° düzeltildi" if out.angle else ""
    if out.dpi and out.dpi < OCR_DPI - 1:
        note = "; ".join(x for x in (note, f"büyük sayfa {out.dpi:.0f} dpi ile okundu") if x)
    return Page(number, clean(out.text), "ocr", out.confidence, note="; ".join(x for x in (problem, note) if x),
                words=out.words, image_size=out.size, dpi=out.dpi, ocr_cpu_s=out.cpu_s)


def _too_big(name: str, size: int) -> Finding:
    return unreadable(name, f"dosya çok büyük ({size / limits.MB:.0f} MB; sınır "
                            f"{limits.MAX_DOCUMENT_BYTES // limits.MB} MB)")


def read_pdf(path: str | Path, *, data: bytes | None = None, file: str | None = None,
             ocr: bool = True, ocr_timeout_s: float = OCR_TIMEOUT_S,
             deadline_s: float | None = limits.DOCUMENT_TIMEOUT_S) -> TextResult:
    """Pages of a PDF with their text, source and confidence; findings instead of exceptions.

    `data` reads from memory (the content of a signed .imz container); `file` is the name
    the findings show. `deadline_s` bounds the rasterising and OCR of the whole document:
    when it passes, the OCR workers are killed and the pages left are reported.
    """
    name = file or Path(path).name
    result = TextResult(file=name)
    if data is None:
        try:
            size = Path(path).stat().st_size
            if size > limits.MAX_DOCUMENT_BYTES:
                result.findings.append(_too_big(name, size))
                return result
            data = Path(path).read_bytes()
        except OSError as exc:
            result.findings.append(unreadable(name, f"dosya açılamadı ({exc.strerror or exc})"))
            return result
    if not data:
        result.findings.append(unreadable(name, "dosya boş (0 bayt)"))
        return result
    if len(data) > limits.MAX_DOCUMENT_BYTES:
        result.findings.append(_too_big(name, len(data)))
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
    jobs: list[tuple[int, str, PageJob]] = []  # (page number, quality problem, job)
    slots: dict[int, Page | None] = {}
    pixels = 0
    stop_note = ""
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
                slots[number] = Page(number, text, "text", 100.0)
                continue
            if not ocr or page is None:
                slots[number] = Page(number, "" if problem else text, "text", 0.0, note=problem)
                continue
            if stop_note:
                continue
            if len(jobs) >= MAX_OCR_PAGES:
                stop_note = f"OCR sınırı ({MAX_OCR_PAGES} sayfa) aşıldı; {number}. sayfa ve sonrası okunmadı"
                slots[number] = Page(number, "", "ocr", 0.0, note="OCR sınırı aşıldı")
                result.findings.append(unreadable(name, stop_note, number))
                continue
            try:
                w, h = page.get_size()
                scale, px = pdf_page_scale(w, h)
            except BoundExceeded as exc:
                slots[number] = Page(number, "", "ocr", 0.0, note=str(exc))
                result.findings.append(unreadable(name, str(exc), number))
                continue
            if pixels + px > limits.MAX_DOCUMENT_PIXELS:
                stop_note = (f"belge için görüntü sınırı ({limits.MAX_DOCUMENT_PIXELS // 1_000_000} MP) aşıldı; "
                             f"{number}. sayfa ve sonrası okunmadı")
                slots[number] = Page(number, "", "ocr", 0.0, note="görüntü sınırı aşıldı")
                result.findings.append(unreadable(name, stop_note, number))
                continue
            pixels += px
            slots[number] = None
            jobs.append((number, problem, PageJob(data, "pdf", i, scale, ocr_timeout_s)))
    finally:
        pdf.close()
    _run_ocr(result, name, jobs, slots, deadline_s)
    result.pages = [p for _, p in sorted(slots.items()) if p is not None]
    result.active_content = active_content(data)
    if not result.readable and not result.findings:
        result.findings.append(unreadable(name, "belgede okunabilir metin yok"))
    return result


def _run_ocr(result: TextResult, name: str, jobs: list[tuple[int, str, PageJob]], slots: dict[int, Page | None],
             deadline_s: float | None) -> None:
    if not jobs:
        return
    outs, cut = run_jobs([j for _, _, j in jobs], deadline_s if deadline_s is not None else 1e9)
    for (number, problem, _job), out in zip(jobs, outs, strict=True):
        if out.error == TIMEOUT:
            slots[number] = Page(number, "", "ocr", 0.0, note="süre sınırı aşıldı")
            continue
        if out.error:
            slots[number] = Page(number, "", "ocr", 0.0, note=out.error)
            result.findings.append(unreadable(name, out.error, number))
            continue
        page = _ocr_page(number, out, problem)
        slots[number] = page
        if not page.text.strip():
            result.findings.append(unreadable(name, "OCR metin bulamadı", number))
    if cut:
        first = next(n for (n, _, _), o in zip(jobs, outs, strict=True) if o.error == TIMEOUT)
        result.findings.append(unreadable(
            name, f"belge süre sınırını ({deadline_s:.0f} sn) aştı; {first}. sayfa ve sonrası okunmadı", first))


def read_image(path: str | Path, *, file: str | None = None, data: bytes | None = None,
               ocr_timeout_s: float = OCR_TIMEOUT_S,
               deadline_s: float | None = limits.DOCUMENT_TIMEOUT_S) -> TextResult:
    """A photographed or scanned page sent as PNG/JPEG/TIFF: one OCR page per frame.

    The header is checked before any pixel is decoded: an image over MAX_IMAGE_PIXELS (or
    one Pillow calls a decompression bomb) is a finding; a large but acceptable scan is
    scaled down to the OCR page budget."""
    name = file or Path(path).name
    result = TextResult(file=name)
    source = source_of(path, data)
    try:
        if data is None and Path(path).stat().st_size > limits.MAX_DOCUMENT_BYTES:
            result.findings.append(_too_big(name, Path(path).stat().st_size))
            return result
        with open_image(source) as img:
            frames = getattr(img, "n_frames", 1)
            sizes = []
            for i in range(min(frames, MAX_OCR_PAGES)):
                if i:
                    img.seek(i)
                sizes.append(img.size)
    except BoundExceeded as exc:
        result.findings.append(unreadable(name, str(exc)))
        return result
    except (OSError, UnidentifiedImageError, ValueError, EOFError) as exc:
        result.findings.append(unreadable(name, f"görüntü açılamadı ({exc})"))
        return result
    jobs: list[tuple[int, str, PageJob]] = []
    slots: dict[int, Page | None] = {}
    pixels = 0
    for i, (w, h) in enumerate(sizes):
        number = i + 1
        try:
            scale = image_scale(w, h)
        except BoundExceeded as exc:
            slots[number] = Page(number, "", "ocr", 0.0, note=str(exc))
            result.findings.append(unreadable(name, str(exc), number if frames > 1 else None))
            continue
        px = int(w * scale) * int(h * scale)
        if pixels + px > limits.MAX_DOCUMENT_PIXELS:
            result.findings.append(unreadable(name, f"belge için görüntü sınırı aşıldı; {number}. sayfa ve "
                                                    "sonrası okunmadı", number))
            break
        pixels += px
        slots[number] = None
        jobs.append((number, "", PageJob(source, "image", i, scale, ocr_timeout_s)))
    if frames > MAX_OCR_PAGES:
        result.findings.append(unreadable(name, f"OCR sınırı ({MAX_OCR_PAGES} sayfa) aşıldı; "
                                                f"{MAX_OCR_PAGES + 1}. sayfa ve sonrası okunmadı"))
    _run_ocr(result, name, jobs, slots, deadline_s)
    result.pages = [p for _, p in sorted(slots.items()) if p is not None]
    return result


def read_office_file(path: str | Path, kind: str, *, file: str | None = None) -> TextResult:
    """A DOCX, XLSX, ODT or ODS document: its text through the format's library."""
    name = file or Path(path).name
    result = TextResult(file=name)
    try:
        texts = read_office(Path(path), kind)
    except OfficeError as exc:
        result.findings.append(unreadable(name, str(exc)))
        return result
    result.pages = [Page(i + 1, clean(t), "office", 100.0) for i, t in enumerate(texts)]
    if sum(len(_LETTER.findall(p.text)) for p in result.pages) < MIN_LETTERS:
        # a scan pasted into a Word file: its pictures are the document
        images = office_images(Path(path))
        for data in images:
            scanned = read_image(path, file=name, data=data)
            for p in scanned.pages:
                p.number = len(result.pages) + 1
                p.note = "; ".join(x for x in ("belgedeki resim", p.note) if x)
                result.pages.append(p)
            result.findings += scanned.findings
    if not result.readable:
        result.findings.append(unreadable(name, f"{TYPES[kind]} içinde metin yok"))
    return result


# PDF names that can carry active content (whole names: "/AAAAAA+DejaVuSans" is a font subset,
# not an /AA dictionary), plus object streams, which could hide them from a byte search
_ACTIVE_HINTS = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|ObjStm|OpenAction|AA)"
                           rb"(?![A-Za-z0-9+])")


def active_content(data: bytes) -> list[str]:
    """Active PDF content, named in Turkish for the document's notes: JavaScript (document
    level, open action, annotations, form fields), Launch actions, embedded files, XFA forms.
    Noted, not executed or judged: a supplier's PDF with a form script is common, a Launch
    action is not. Inspected with pypdf only when the bytes hint at it (or hide objects in
    compressed object streams)."""
    if not _ACTIVE_HINTS.search(data):
        return []
    try:
        return _inspect_active(data)
    except Exception:  # pypdf raises many types on damaged files; the text read above stands
        return []


def _inspect_active(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    found: set[str] = set()
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names:
        found.add("JavaScript (belge düzeyi)")
    if "/EmbeddedFiles" in names:
        found.add("gömülü dosya")
    for key in ("/OpenAction", "/AA"):
        if key in root:
            _actions(root[key], found, "açılışta")
    acro = root.get("/AcroForm")
    if acro is not None and "/XFA" in acro.get_object():
        found.add("XFA formu")
    for page in reader.pages[:200]:
        if "/AA" in page:
            _actions(page["/AA"], found, "sayfa")
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/Subtype") == "/FileAttachment":
                found.add("gömülü dosya (ek açıklaması)")
            if a.get("/Subtype") == "/RichMedia":
                found.add("zengin medya (RichMedia)")
            for key in ("/A", "/AA"):
                if key in a:
                    _actions(a[key], found, "bağlantı/alan")
    return sorted(found)


def _actions(obj, found: set[str], where: str, depth: int = 0) -> None:
    """An action dictionary, an additional-actions dictionary, or a chain of /Next actions."""
    if depth > 8 or obj is None:
        return
    obj = obj.get_object()
    if isinstance(obj, pypdf.generic.ArrayObject):
        for x in obj:
            _actions(x, found, where, depth + 1)
        return
    if not isinstance(obj, pypdf.generic.DictionaryObject):
        return
    kind = obj.get("/S")
    if kind == "/JavaScript":
        found.add(f"JavaScript ({where})")
    elif kind == "/Launch":
        found.add(f"Launch eylemi: program/dosya çalıştırma ({where})")
    elif kind in ("/ImportData", "/SubmitForm"):
        found.add(f"veri gönderme/alma eylemi ({where})")
    if kind is None:  # an /AA dictionary: its values are actions
        for v in obj.values():
            _actions(v, found, where, depth + 1)
    if "/Next" in obj:
        _actions(obj["/Next"], found, where, depth + 1)


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
