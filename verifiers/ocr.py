"""OCR of page images with Tesseract (Turkish model), with deskew and a per-page time bound.

Scanned imza sirküleri and bank letters have no text layer, so OCR is their normal path
(turkish-domain §7). Scans come slightly rotated; Tesseract's own OSD only detects 90°
steps, so small angles are found here by a projection profile (rows of text give the
sharpest row-sum profile when level) and corrected before recognition.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytesseract
from PIL import Image, ImageOps

# One Tesseract process per page; OpenMP threads inside it only fight each other on the
# small machines this runs on.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

DEFAULT_LANG = "tur"
# Tesseract's Turkish model has no ₺ glyph: "Kredi tutarı: ₺4.317.000,00" comes back as
# "54.317.000,00", a well-formed and wrong amount (word confidence does not tell it apart).
# On a labelled amount line that names no currency, an amount that starts with 5 and is
# still a well-formed amount without it is ambiguous: it is marked unread, so the field goes
# to review instead of a wrong value passing a check.
UNREAD = "[okunamadı]"
_LIRA_SIGN_AS_5 = re.compile(r"^5(\d{1,3}(?:[.,]\d{3})+[.,]\d{2})$")
_AMOUNT_LABEL = re.compile(r"(?i)tutar|toplam|bedel|limit")
_CURRENCY = re.compile(r"(?i)\b(tl|try|lira|lirası)\b|₺")
DESKEW_MAX_DEG = 2.5
DESKEW_STEP_DEG = 0.25


class OcrError(RuntimeError):
    """OCR could not run or did not finish in time; the message is Turkish, for findings."""


@dataclass
class OcrResult:
    text: str
    confidence: float  # mean word confidence 0..100; 0 when nothing was recognised
    angle: float  # degrees the image was rotated by before recognition


def _profile_score(img: Image.Image) -> float:
    """Sharpness of the row profile: large when text lines are horizontal."""
    col = img.resize((1, img.height), Image.Resampling.BOX)
    flat = getattr(col, "get_flattened_data", None)
    rows = list(flat() if flat else col.getdata())
    return float(sum((rows[i + 1] - rows[i]) ** 2 for i in range(len(rows) - 1)))


def estimate_skew(image: Image.Image) -> float:
    """Angle (degrees, counter-clockwise positive as PIL rotates) that levels the text lines."""
    gray = ImageOps.grayscale(image)
    scale = 1000 / max(gray.size)
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
    inv = ImageOps.invert(small).point(lambda v: 255 if v > 80 else 0)

    def score(angle: float) -> float:
        return _profile_score(inv.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0))

    best_angle, best = 0.0, score(0.0)
    steps = int(DESKEW_MAX_DEG / DESKEW_STEP_DEG)
    for i in range(-steps, steps + 1):
        a = i * DESKEW_STEP_DEG
        if a == 0:
            continue
        s = score(a)
        if s > best * 1.0001:
            best_angle, best = a, s
    # refine around the best coarse angle
    for a in (best_angle - DESKEW_STEP_DEG / 2, best_angle + DESKEW_STEP_DEG / 2):
        s = score(a)
        if s > best * 1.0001:
            best_angle, best = a, s
    return best_angle


_JUNK_EDGE = "“”\"'`©®°—–_.,;:~|!»«>< "


def _tidy(line: str) -> str:
    """Drop the table-rule bars and the edge specks OCR reads as characters."""
    line = line.replace("|", " ")
    words = line.split()
    while words and all(c in _JUNK_EDGE for c in words[0]):
        words.pop(0)
    while words and all(c in _JUNK_EDGE for c in words[-1]):
        words.pop()
    if words:
        words[0] = words[0].lstrip("“”\"'`©®°—_~»«")
    return " ".join(words)


def _unambiguous(words: list[str]) -> list[str]:
    line = " ".join(words)
    if not _AMOUNT_LABEL.search(line) or _CURRENCY.search(line):
        return words
    return [UNREAD if _LIRA_SIGN_AS_5.match(w) else w for w in words]


def ocr_image(image: Image.Image, *, lang: str = DEFAULT_LANG, timeout_s: float = 30.0,
              psm: int = 4, deskew: bool = True) -> OcrResult:
    """Recognise one page image. psm 4 (one column of variable-size lines) keeps the cells of
    a table row on one line, which the field readers rely on; psm 3 would split columns.
    """
    gray = ImageOps.grayscale(image)
    angle = estimate_skew(gray) if deskew else 0.0
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    try:
        data = pytesseract.image_to_data(
            gray, lang=lang, config=f"--psm {psm}", timeout=timeout_s,
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrError(f"OCR {timeout_s:.0f} saniyede bitmedi") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrError("Tesseract kurulu değil (apt: tesseract-ocr tesseract-ocr-tur)") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"OCR çalışmadı: {exc}") from exc
    lines: dict[tuple[int, int, int], list[str]] = {}
    order: list[tuple[int, int, int]] = []
    confs: list[float] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(word)
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1
        if conf >= 0:
            confs.append(conf)
    text = "\n".join(_tidy(" ".join(_unambiguous(lines[k]))) for k in order)
    confidence = sum(confs) / len(confs) if confs else 0.0
    return OcrResult(text=text, confidence=round(confidence, 1), angle=angle)
