"""What a file is, from its first bytes, and the office formats read through their libraries
(DOCX with python-docx, XLSX with openpyxl, ODT/ODS with odfpy) into the same pages of text
the PDF reader gives, so kind detection and the field readers work unchanged.

The type comes from content, not the name: applicants rename files. Office files are zips,
so their unpacked size is bounded before a library opens them (a zip bomb is a finding).
DOCX and ODT have no fixed pages; explicit page breaks split them, otherwise one page.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from evrak import limits

# name -> Turkish description (for findings)
TYPES = {
    "pdf": "PDF", "png": "PNG görüntüsü", "jpeg": "JPEG görüntüsü", "tiff": "TIFF görüntüsü",
    "bmp": "BMP görüntüsü", "gif": "GIF görüntüsü", "webp": "WebP görüntüsü", "docx": "Word belgesi (DOCX)",
    "xlsx": "Excel çalışma kitabı (XLSX)", "odt": "OpenDocument metni (ODT)", "ods": "OpenDocument tablosu (ODS)",
    "zip": "ZIP arşivi", "ole": "eski Office belgesi (DOC/XLS)", "xml": "XML/HTML metni", "cms": "imzalı dosya (CMS)",
    "rtf": "RTF belgesi",
}
IMAGE_TYPES = {"png", "jpeg", "tiff", "bmp", "gif", "webp"}
OFFICE_TYPES = {"docx", "xlsx", "odt", "ods"}


def head(path: Path, n: int = limits.SNIFF_BYTES) -> bytes:
    """The first bytes of a file, without reading the rest (a sparse 1.5 GB file stays unread)."""
    with path.open("rb") as fh:
        return fh.read(n)


def sniff(data: bytes, path: Path | None = None) -> str | None:
    """The file's type from its first bytes (and, for zips, the names inside)."""
    h = data[:16]
    if b"%PDF" in data[:1024]:
        return "pdf"
    if h.startswith(b"\x89PNG"):
        return "png"
    if h.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if h[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if h.startswith(b"BM"):
        return "bmp"
    if h[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if h[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if h.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if h.startswith(b"{\\rtf"):
        return "rtf"
    if h.startswith(b"PK\x03\x04"):
        return _zip_type(path) if path is not None else "zip"
    if data.lstrip()[:1] == b"<":
        return "xml"
    if h[:1] == b"\x30" and h[1:2] in (b"\x80", b"\x82", b"\x83", b"\x84"):  # DER SEQUENCE: CAdES/PKCS#7
        return "cms"
    return None


def _zip_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mime = z.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
                if b"opendocument.spreadsheet" in mime:
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


class OfficeError(Exception):
    """An office file that cannot be read; the message is Turkish, for findings."""


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise OfficeError(f"dosya bozuk (zip açılamadı: {exc})") from exc
    if total > limits.MAX_OFFICE_UNPACKED_BYTES:
        raise OfficeError(f"açılmış boyutu çok büyük ({total // limits.MB} MB; sınır "
                          f"{limits.MAX_OFFICE_UNPACKED_BYTES // limits.MB} MB)")


def read_office(path: Path, kind: str) -> list[str]:
    """Pages of text of a DOCX, XLSX, ODT or ODS file; OfficeError when it cannot be read."""
    _check_zip(path)
    try:
        if kind == "docx":
            pages = _docx(path)
        elif kind == "xlsx":
            pages = _xlsx(path)
        else:
            pages = _odf(path)
    except OfficeError:
        raise
    except Exception as exc:  # the libraries raise many types on damaged files; all mean "unreadable"
        raise OfficeError(f"{TYPES[kind]} açılamadı ({type(exc).__name__})") from exc
    total = 0
    out = []
    for p in pages:
        room = limits.MAX_TEXT_CHARS - total
        if room <= 0:
            break
        out.append(p[:room])
        total += len(out[-1])
    return out


def office_images(path: Path, limit: int = limits.MAX_OCR_PAGES) -> list[bytes]:
    """The pictures inside a DOCX/ODT (word/media/, Pictures/) in their numbering order, for
    OCR when the file holds a pasted scan instead of text; at most `limit`, skipping logos
    and icons (under 20 KB), each within the file bound."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if i.filename.lower().endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff"))
                     and (i.filename.startswith(("word/media/", "Pictures/")))
                     and 20_000 < i.file_size <= limits.MAX_DOCUMENT_BYTES]
            infos.sort(key=lambda i: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", i.filename)])
            return [z.read(i) for i in infos[:limit]]
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return []


def _docx(path: Path) -> list[str]:
    """Body paragraphs and tables in document order (a proforma's items are in a table),
    headers/footers first (a letterhead often lives there); page breaks split pages."""
    import docx  # python-docx; a third-party library loaded only when a DOCX arrives
    from docx.oxml.ns import qn

    d = docx.Document(str(path))
    pages: list[list[str]] = [[]]
    for section in d.sections[:1]:
        for part in (section.header, section.first_page_header):
            for para in part.paragraphs:
                if para.text.strip():
                    pages[0].append(para.text)
            for table in part.tables:
                pages[0].extend(_docx_rows(table))
    for block in d.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            breaks = [b for b in block.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
            if text.strip():
                pages[-1].append(text)
            if breaks:
                pages.append([])
        elif block.tag == qn("w:tbl"):
            pages[-1].extend(_docx_rows(docx.table.Table(block, d)))
    for section in d.sections[:1]:
        for para in section.footer.paragraphs:
            if para.text.strip():
                pages[-1].append(para.text)
    return ["\n".join(p) for p in pages if p] or [""]


def _docx_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            t = cell.text.strip()
            if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                cells.append(t)
        if cells:
            rows.append("  ".join(cells))
    return rows


def _xlsx(path: Path) -> list[str]:
    """One page per sheet; a row's cells joined by two spaces, as a text layer lays out a table
    row; values as shown (cached results of formulas), numbers in Turkish notation."""
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    pages = []
    cells = 0
    try:
        for ws in wb.worksheets:
            lines = []
            for row in ws.iter_rows(values_only=True):
                vals = [_cell(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if vals:
                    lines.append("  ".join(vals))
                if cells > limits.MAX_SHEET_CELLS:
                    raise OfficeError(f"çalışma kitabı çok büyük ({limits.MAX_SHEET_CELLS} hücre sınırı)")
            pages.append("\n".join(lines))
    finally:
        wb.close()
    return pages or [""]


def _cell(v: object) -> str:
    if isinstance(v, datetime):
        return v.strftime("%d.%m.%Y") if (v.hour, v.minute, v.second) == (0, 0, 0) else v.strftime("%d.%m.%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d.%m.%Y")
    if isinstance(v, float | int | Decimal) and not isinstance(v, bool):
        d = Decimal(str(v))
        if d == d.to_integral() and abs(d) < 10_000:
            return str(int(d))  # a quantity, a year, a row number: as written
        q = d.quantize(Decimal("0.01"))
        whole, _, frac = f"{abs(q):f}".partition(".")
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        return ("-" if q < 0 else "") + ".".join(groups) + "," + frac
    return str(v).strip()


def _odf(path: Path) -> list[str]:
    """Paragraphs, headings and table rows of an ODT/ODS in order (odfpy)."""
    from odf import teletype
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    doc = load(str(path))
    lines: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                t = teletype.extractText(child).strip()
                if t:
                    lines.append(t)
            elif qname == (TABLENS, "table-row"):
                cells = [teletype.extractText(c).strip() for c in child.childNodes
                         if getattr(c, "qname", None) == (TABLENS, "table-cell")]
                cells = [c for c in cells if c]
                if cells:
                    lines.append("  ".join(cells))
            else:
                walk(child)

    walk(doc.text if doc.mimetype.endswith("text") else doc.spreadsheet)
    return ["\n".join(lines)]
