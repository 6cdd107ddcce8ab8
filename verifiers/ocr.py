"""OCR of page images with Tesseract (Turkish with the Latin script model), with deskew, a
per-page time bound, repairs for the signs Tesseract's models lack, and word boxes.

Scanned imza sirküleri and bank letters have no text layer, so OCR is their normal path
(turkish-domain §7). Scans come slightly rotated; Tesseract's own OSD only detects 90°
steps, so small angles are found here by a projection profile (rows of text give the
sharpest row-sum profile when level) and corrected before recognition.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytesseract
from PIL import Image, ImageOps

# One Tesseract process per page; OpenMP threads inside it only fight each other on the
# small machines this runs on.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# "tur" alone misreads words of foreign names and terms (supplier names, "Invoice", model
# codes); the Latin script model reads any Latin-script text and Tesseract combines both.
# It costs about twice the time of "tur" alone; EVRAK_OCR_LANG overrides (e.g. "tur").
PREFERRED_LANG = "tur+Latin"
FALLBACK_LANG = "tur"


@cache
def default_lang() -> str:
    """tur+Latin when the Latin model is installed (apt: tesseract-ocr-script-latn), else tur."""
    wanted = os.environ.get("EVRAK_OCR_LANG")
    if wanted:
        return wanted
    try:  # pytesseract.get_languages drops capitalised names such as "Latin"
        out = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--list-langs"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return FALLBACK_LANG
    have = {ln.strip() for ln in out.splitlines()[1:]}
    return PREFERRED_LANG if {"tur", "Latin"} <= have else FALLBACK_LANG

# Tesseract's Turkish model has no ₺ glyph: "Kredi tutarı: ₺4.317.000,00" comes back as
# "54.317.000,00", a well-formed and wrong amount (word confidence does not tell it apart).
# On a labelled amount line that names no currency, an amount that starts with 5 and is
# still a well-formed amount without it is ambiguous: it is marked unread, so the field goes
# to review instead of a wrong value passing a check.
UNREAD = "[okunamadı]"
_LIRA_SIGN_AS_5 = re.compile(r"^5(\d{1,3}(?:[.,]\d{3})+[.,]\d{2})$")
_AMOUNT_LABEL = re.compile(r"(?i)tutar|toplam|bedel|limit")
_CURRENCY = re.compile(r"(?i)\b(tl|try|lira|lirası)\b|₺")
# ₺ read as a letter or sign glued to a well-formed amount ("t412.500,00", "&1.250,00"): the
# glyph is unambiguous there (no amount starts with a letter), so the sign is restored.
_LIRA_SIGN_AS_MARK = re.compile(r"^[tbf&£8]?[tbf&£](\d{1,3}(?:\.\d{3})*,\d{2})$")
# "%20" read as "9620" / "%o20" / "Y%20": only right after a KDV/iskonto/oran word
_PERCENT_WORD = re.compile(r"(?i)(kdv|k\.d\.v\.?|iskonto|oran[ıi]?|vergisi)[(:]?$")
# a thousands dot read as ":" or ";" inside an amount ("20:235.522,05"): only the separator is
# wrong, the digits stand; without the repair a reader takes "235.522,05", a wrong amount
_SEPARATOR_MISREAD = re.compile(r"^(\d{1,3})[:;](\d{3}(?:\.\d{3})*,\d{2})(\D{0,3})$")
# e-Fatura renderings print rates as "%20,00" / "KDV(%20.00)"; OCR gives "9620,00" and
# "KDV(9620.00)", which a reader would take for an amount. A KDV rate (0, 1, 8, 10, 18, 20)
# behind "96" with ",00"/".00", a bracket or a KDV label is that percent sign; anything else
# is left as it is (an amount lost to review is better than an amount invented).
_RATE_AS_96 = re.compile(r"(?i)((?:kdv|k\.d\.v\.?)?\(?)(?:96|%o|o/o|°/o)(0|1|8|10|18|20)([.,]00)?(\)?)")
_PERCENT_AS_96 = re.compile(r"^\(?(?:96|%o|o/o|°/o)(\d{1,2}(?:[.,]\d{1,2})?)\)?$")
DESKEW_MAX_DEG = 2.5
DESKEW_STEP_DEG = 0.25


class OcrError(RuntimeError):
    """OCR could not run or did not finish in time; the message is Turkish, for findings."""


@dataclass
class Word:
    """One recognised word with its box in the (deskewed) image's pixels, from Tesseract TSV."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line: int  # index of its line in OcrResult.text (0-based)
    # what Tesseract read, where the sign repairs changed it ("54.783.139,92" behind an
    # UNREAD): the amount reconciliation may confirm a reading of it by arithmetic
    raw: str = ""

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.left + self.width, self.top + self.height)


@dataclass
class OcrResult:
    text: str
    confidence: float  # mean word confidence 0..100; 0 when nothing was recognised
    angle: float  # degrees the image was rotated by before recognition
    words: list[Word] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)  # pixel size of the recognised image (word boxes refer to it)


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


def repair_signs(words: list[str]) -> list[str]:
    """₺ and % as Tesseract misreads them: restore what is certain, mark what is not."""
    out = []
    for i, w in enumerate(words):
        w = _SEPARATOR_MISREAD.sub(r"\1.\2\3", w)
        m = _LIRA_SIGN_AS_MARK.match(w)
        if m:
            w = "₺" + m.group(1)
        elif i and _PERCENT_WORD.search(words[i - 1]):
            m = _PERCENT_AS_96.match(w)
            if m:
                w = "%" + m.group(1)
        m = _RATE_AS_96.fullmatch(w)
        if m and (m.group(1) or m.group(3) or m.group(4) or (i and _PERCENT_WORD.search(words[i - 1]))):
            w = f"{m.group(1)}%{m.group(2)}{m.group(3) or ''}{m.group(4)}"
        out.append(w)
    return _unambiguous(out)


def _unambiguous(words: list[str]) -> list[str]:
    line = " ".join(words)
    if not _AMOUNT_LABEL.search(line) or _CURRENCY.search(line):
        return words
    return [UNREAD if _LIRA_SIGN_AS_5.match(w) else w for w in words]


def page_dpi(image: Image.Image, declared: float | None = None) -> int:
    """The resolution to tell Tesseract. Without it Tesseract assumes 70 dpi and misjudges
    character sizes: on the corpus scans the character error rate was 19.7 % without and
    3.2 % with it. A rendered PDF page knows its dpi; a scan file may declare one; else a
    full page is assumed (its long side about 11.7 in, A4)."""
    if declared and 70 <= declared <= 1200:
        return round(declared)
    return round(min(600, max(100, max(image.size) / 11.69)))


def ocr_image(image: Image.Image, *, lang: str | None = None, timeout_s: float = 30.0,
              psm: int = 4, deskew: bool = True, dpi: float | None = None) -> OcrResult:
    """Recognise one page image. psm 4 (one column of variable-size lines) keeps the cells of
    a table row on one line, which the field readers rely on; psm 3 would split columns.
    """
    lang = lang or default_lang()
    resolution = page_dpi(image, dpi)
    gray = ImageOps.grayscale(image)
    angle = estimate_skew(gray) if deskew else 0.0
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    data = tesseract_data(gray, lang=lang, psm=psm, dpi=resolution, timeout_s=timeout_s)
    lines: dict[tuple[int, int, int], list[int]] = {}
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
        lines[key].append(i)
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1
        if conf >= 0:
            confs.append(conf)
    out_lines: list[str] = []
    words: list[Word] = []
    for key in order:
        idx = lines[key]
        fixed = repair_signs([data["text"][i].strip() for i in idx])
        line_no = len(out_lines)
        out_lines.append(_tidy(" ".join(fixed)))
        for i, w in zip(idx, fixed, strict=True):
            raw = data["text"][i].strip()
            words.append(Word(w, _conf(data["conf"][i]), int(data["left"][i]), int(data["top"][i]),
                              int(data["width"][i]), int(data["height"][i]), line_no, raw if raw != w else ""))
    confidence = sum(confs) / len(confs) if confs else 0.0
    return OcrResult(text="\n".join(out_lines), confidence=round(confidence, 1), angle=angle, words=words,
                     size=gray.size)


_TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width",
                "height", "conf", "text")


@cache
def tessdata_dir() -> str | None:
    """Where the installed traineddata files are (TESSDATA_PREFIX, else what the tesseract
    command reports), so the library reads the same models as the command would."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        out = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--list-langs"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'"([^"]+)"', out.splitlines()[0]) if out else None
    return m.group(1) if m else None


_ENGINES = threading.local()


def _engine(lang: str, psm: int) -> Any | None:
    """A Tesseract instance kept loaded in this process (thread) for (lang, psm), or None when
    tesserocr is not installed. Loading tur+Latin takes about 0.6 s and 290 MB: the command
    line pays it on every page, a kept instance once per OCR worker."""
    engines = getattr(_ENGINES, "engines", None)
    if engines is None:
        engines = _ENGINES.engines = {}
    key = (lang, psm)
    if key not in engines:
        try:
            import tesserocr  # lazy: loads libtesseract; OMP_THREAD_LIMIT is set above first
        except ImportError:
            engines[key] = None
        else:
            path = tessdata_dir()
            try:
                engines[key] = tesserocr.PyTessBaseAPI(**({"path": path} if path else {}), lang=lang, psm=psm)
            except RuntimeError as exc:  # a model missing from tessdata
                raise OcrError(f"OCR başlatılamadı ({lang}): {exc}") from exc
    return engines[key]


def tesseract_data(image: Image.Image, *, lang: str, psm: int, dpi: int, timeout_s: float) -> dict[str, list]:
    """Tesseract's word table (the TSV columns, as lists) for one image: through a kept
    tesserocr instance where installed, else the tesseract command (pytesseract). Both read
    the same traineddata; the library is only faster. OcrError on a timeout or failure."""
    api = _engine(lang, psm)
    if api is None:
        try:
            return pytesseract.image_to_data(image, lang=lang, config=f"--psm {psm} --dpi {dpi}", timeout=timeout_s,
                                             output_type=pytesseract.Output.DICT)
        except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
            raise OcrError(f"OCR {timeout_s:.0f} saniyede bitmedi") from exc
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrError("Tesseract kurulu değil (apt: tesseract-ocr tesseract-ocr-tur)") from exc
        except pytesseract.TesseractError as exc:
            raise OcrError(f"OCR çalışmadı: {exc}") from exc
    api.SetImage(image)
    api.SetSourceResolution(int(dpi))
    try:
        if not api.Recognize(int(timeout_s * 1000)):
            raise OcrError(f"OCR {timeout_s:.0f} saniyede bitmedi")
        tsv = api.GetTSVText(0)
    except RuntimeError as exc:
        raise OcrError(f"OCR çalışmadı: {exc}") from exc
    finally:
        api.Clear()
    data: dict[str, list] = {c: [] for c in _TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t", len(_TSV_COLUMNS) - 1)
        if len(cells) < len(_TSV_COLUMNS) - 1:
            continue
        cells += [""] * (len(_TSV_COLUMNS) - len(cells))
        for c, v in zip(_TSV_COLUMNS, cells, strict=True):
            data[c].append(v if c in ("text", "conf") else int(v))
    return data


def _conf(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1.0
