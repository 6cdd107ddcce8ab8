"""GİB's QR code on e-Fatura / e-Arşiv renderings: find it, decode it, read its JSON.

Every e-invoice rendering carries a QR code whose JSON payload states the invoice's key
facts (vkntckn, avkntckn, tarih, no, ettn, parabirimi, malhizmettoplam, kdvmatrah(rate),
hesaplanankdv(rate), vergidahil, odenecek). It is the document's own machine-readable
statement, so it is taken as the truth and the printed text is checked against it.

Decoding uses zxing-cpp (a maintained C++ barcode library with Python bindings). The code
is looked for first in the page's embedded images (exact pixels, no rendering: about a
millisecond; integrators embed it with one pixel per module, so a copy scaled up with a
quiet zone is tried too), then, when the page draws hundreds of vector shapes (a code
drawn as squares), on the page rendered at 144 dpi; on a scan, in its image.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageOps

MAX_PAGES = 2
RENDER_SCALE = 2.0  # 144 dpi: enough for the ~3 cm code integrators print
VECTOR_QR_PATHS = 150  # a 21x21 QR drawn as squares has ~200 dark modules


@dataclass
class GibQr:
    """The payload of GİB's QR code, keys normalised; amounts as Decimal, exactly as encoded."""

    raw: dict
    page: int
    supplier_id: str | None = None
    buyer_id: str | None = None
    issued_on: date | None = None
    number: str | None = None
    ettn: str | None = None
    currency: str | None = None
    gross: Decimal | None = None  # malhizmettoplam
    bases: dict[Decimal, Decimal] = field(default_factory=dict)  # kdvmatrah per rate
    kdv: dict[Decimal, Decimal] = field(default_factory=dict)  # hesaplanankdv per rate
    tax_inclusive: Decimal | None = None  # vergidahil
    payable: Decimal | None = None  # odenecek
    supplier: str | None = None  # unvan, where the integrator adds it
    profile: str | None = None  # senaryo
    invoice_type: str | None = None  # tip

    @property
    def net(self) -> Decimal | None:
        return sum(self.bases.values(), Decimal(0)) if self.bases else None

    @property
    def kdv_total(self) -> Decimal | None:
        return sum(self.kdv.values(), Decimal(0)) if self.kdv else None


def _key(k: str) -> tuple[str, Decimal | None]:
    """"hesaplananKDV(20.00)" -> ("hesaplanankdv", 20); "VKNTCKN" -> ("vkntckn", None)."""
    m = re.match(r"^\s*([A-Za-z]+)\s*(?:\(\s*%?\s*(\d+(?:[.,]\d+)?)\s*\))?\s*$", k)
    if not m:
        return re.sub(r"[^a-z]", "", k.lower()), None
    rate = None
    if m.group(2):
        rate = Decimal(m.group(2).replace(",", "."))
        rate = rate.to_integral_value() if rate == rate.to_integral_value() else rate.normalize()
    return m.group(1).lower(), rate


def _money(v: object) -> Decimal | None:
    if isinstance(v, Decimal):
        return v
    if isinstance(v, str):
        try:
            return Decimal(v.strip().replace(",", "."))
        except InvalidOperation:
            return None
    return None


def parse_payload(text: str, page: int = 1) -> GibQr | None:
    """The GİB payload of a decoded QR text, or None when it is not one."""
    body = text.strip()
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(body[start: end + 1], parse_float=Decimal, parse_int=Decimal)
    except (json.JSONDecodeError, ValueError, RecursionError):  # RecursionError: "[[[[..." nested deep
        return None
    if not isinstance(data, dict):
        return None
    q = GibQr(raw={k: str(v) for k, v in data.items()}, page=page)
    for k, v in data.items():
        name, rate = _key(str(k))
        sval = str(v).strip()
        if name == "vkntckn":
            q.supplier_id = sval or None
        elif name == "avkntckn":
            q.buyer_id = sval or None
        elif name == "tarih":
            try:
                q.issued_on = date.fromisoformat(sval[:10])
            except ValueError:
                q.issued_on = None
        elif name == "no":
            q.number = sval or None
        elif name == "ettn":
            q.ettn = sval.lower() or None
        elif name == "parabirimi":
            q.currency = sval.upper() or None
        elif name in ("malhizmettoplam", "malhizmet"):
            q.gross = _money(v)
        elif name in ("kdvmatrah", "malhizmetkdv") and rate is not None and _money(v) is not None:
            q.bases[rate] = _money(v)
        elif name == "hesaplanankdv" and rate is not None and _money(v) is not None:
            q.kdv[rate] = _money(v)
        elif name == "vergidahil":
            q.tax_inclusive = _money(v)
        elif name == "odenecek":
            q.payable = _money(v)
        elif name == "unvan":
            q.supplier = re.sub(r"\s+", " ", sval).strip() or None
        elif name == "senaryo":
            q.profile = sval or None
        elif name == "tip":
            q.invoice_type = sval or None
    if not (q.ettn or q.supplier_id or q.number):
        return None
    return q


def _decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if r.text]


def _decode_small(image: Image.Image) -> list[str]:
    """An embedded code image, as is and scaled up x4 with a white quiet zone."""
    gray = image.convert("L")
    found = _decode(gray)
    if not found and max(gray.size) < 600:
        big = gray.resize((gray.width * 4, gray.height * 4), Image.NEAREST)
        found = _decode(ImageOps.expand(big, border=32, fill=255))
    return found


def read_qr_pdf(data: bytes) -> GibQr | None:
    """GİB's QR payload from a PDF's first pages, or None (no code, or not GİB's)."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        for i in range(min(len(pdf), MAX_PAGES)):
            page = pdf[i]
            for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):
                try:
                    image = obj.get_bitmap(render=False).to_pil()
                except (pdfium.PdfiumError, ValueError, OSError):
                    continue
                if min(image.size) < 21:
                    continue
                for text in _decode_small(image):
                    q = parse_payload(text, i + 1)
                    if q is not None:
                        return q
            # a code drawn as vector squares: hundreds of path objects; only then is the page
            # rendered (about 70 ms a page, the rest of the reading costs ~5 ms)
            paths = sum(1 for _ in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_PATH,), max_depth=2))
            if paths < VECTOR_QR_PATHS:
                continue
            for text in _decode(page.render(scale=RENDER_SCALE, grayscale=True).to_pil()):
                q = parse_payload(text, i + 1)
                if q is not None:
                    return q
    finally:
        pdf.close()
    return None


def read_qr_image(path: str | Path) -> GibQr | None:
    """GİB's QR payload from a scanned or photographed page (PNG/JPEG/TIFF)."""
    try:
        with Image.open(path) as img:
            for i in range(min(getattr(img, "n_frames", 1), MAX_PAGES)):
                img.seek(i)
                frame = img.convert("L")
                for text in _decode(frame):
                    q = parse_payload(text, i + 1)
                    if q is not None:
                        return q
    except (OSError, ValueError):
        return None
    return None


def read_qr(path: str | Path, data: bytes | None = None) -> GibQr | None:
    """GİB's QR payload from a PDF or an image file."""
    p = Path(path)
    if data is None:
        try:
            data = p.read_bytes()
        except OSError:
            return None
    if data[:1024].find(b"%PDF") >= 0:
        return read_qr_pdf(data)
    return read_qr_image(p)
