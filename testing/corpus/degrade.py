"""Make a text PDF look scanned: rasterise, tilt, blur, grain, JPEG artefacts; deterministic
per seed. The result carries no text layer, so the readers must go through OCR."""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from PIL import Image, ImageFilter


def pages(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(img: Image.Image, seed: int, *, strength: float = 1.0) -> Image.Image:
    """One page as a cheap office scanner leaves it."""
    rng = random.Random(seed)
    angle = rng.uniform(-1.2, 1.2) * strength
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8) * strength))
    w, h = max(1, img.width // 3), max(1, img.height // 3)
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h)).resize(img.size, Image.Resampling.BILINEAR)
    img = Image.blend(img, grain, 0.06 * strength)
    img = img.point(lambda v: min(255, int(v * 1.08)))  # paper is slightly grey, then lifted
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(35, 60))
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def scanned_pdf(pdf: bytes, seed: int, dpi: int = 200) -> bytes:
    """An image-only PDF (a scanner's output) of `pdf`."""
    imgs = [degrade(p, seed * 31 + i) for i, p in enumerate(pages(pdf, dpi))]
    buf = io.BytesIO()
    imgs[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=imgs[1:])
    return buf.getvalue()


def scanned_image(pdf: bytes, seed: int, fmt: str = "PNG", dpi: int = 200) -> bytes:
    """The scan as a picture file: PNG or JPEG (first page), or a multi-page TIFF."""
    imgs = [degrade(p, seed * 31 + i) for i, p in enumerate(pages(pdf, dpi))]
    buf = io.BytesIO()
    if fmt == "TIFF":
        imgs[0].save(buf, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=imgs[1:], compression="tiff_deflate")
    else:
        imgs[0].save(buf, fmt, dpi=(dpi, dpi))
    return buf.getvalue()
