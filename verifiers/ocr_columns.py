"""A second OCR look at the bands of a page where side-by-side columns broke Tesseract's lines.

The page is recognised with psm 4 (one column of lines), which keeps a table row's cells on
one line. Where two columns sit side by side with different line pitches (an e-Fatura's
buyer block on the left, its "Fatura No / Fatura Tarihi" box on the right), Tesseract's
line finder joins a line of one with half a line of the other and the recognition of both
is garbage ("pal —— ÖNEMİNE", "a m o NIN"): the buyer, the invoice number and the dates are
lost. Such a band is recognisable from the word boxes (very low confidence on boxes taller
than a text line). It is cut out between blank pixel rows, split at its wide blank pixel
columns, the pieces are recognised again with psm 6 (a uniform block) stacked in one image
(one Tesseract run, the Turkish model only: the Latin model's loading alone costs over a
second), and their lines are merged back side by side by height, as psm 4 would have
written them. Nothing is guessed: the second reading replaces only lines that were already
unusable, and it is plain OCR text that the readers treat like any other.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from dataclasses import dataclass

from PIL import Image, ImageOps

from verifiers.ocr import OcrError, OcrResult, Word, _tidy, default_lang, repair_signs, tesseract_data

BAD_CONF = 90.0  # a word below this on a box taller than a line, or below TRASH_CONF anywhere
TRASH_CONF = 30.0
TALL = 1.6  # × the median height of well-read words (a box spanning two lines of text)
MIN_BAD_WORDS = 2  # one stray speck is not a broken band
SURE_CONF = 85.0  # a word read at least this surely counts for the reading it belongs to
SPANNING = 2.2  # a low-confidence box this many text heights high is a broken band by itself
MERGED_HEIGHTS = TALL  # a broken band is at least as high as a box spanning two lines
GAP_HEIGHTS = 3.0  # a blank pixel column this many text heights wide separates two columns
MAX_BAND_SHARE = 0.45  # a band over this share of the page height is not a column problem


@dataclass
class _Line:
    text: str
    words: list[Word]
    top: int
    bottom: int
    left: int


def _lines_of(res: OcrResult) -> list[list[Word]]:
    n = len(res.text.split("\n")) if res.text else 0
    out: list[list[Word]] = [[] for _ in range(n)]
    for w in res.words:
        if 0 <= w.line < n:
            out[w.line].append(w)
    return out


def _dark_rows(inv: Image.Image) -> list[float]:
    col = inv.resize((1, inv.height), Image.Resampling.BOX)
    return [v * inv.width / 255 for v in _flat(col)]


def _dark_cols(inv: Image.Image) -> list[float]:
    row = inv.resize((inv.width, 1), Image.Resampling.BOX)
    return [v * inv.height / 255 for v in _flat(row)]


def _flat(img: Image.Image) -> list[int]:
    flat = getattr(img, "get_flattened_data", None)
    return list(flat() if flat else img.getdata())


def broken_bands(res: OcrResult) -> list[tuple[int, int]]:
    """Vertical pixel ranges holding words whose lines psm 4 broke (see the module note)."""
    good = [w.height for w in res.words if w.conf >= 80 and w.height > 0]
    if len(good) < 10:
        return []
    h = statistics.median(good)
    bad = [w for w in res.words if (w.conf < BAD_CONF and w.height > TALL * h) or 0 <= w.conf < TRASH_CONF]
    bands: list[list[int]] = []  # top, bottom, bad words, of which garbage spanning two lines or more
    for w in sorted(bad, key=lambda w: w.top):
        garbage = int(w.height >= SPANNING * h and 0 <= w.conf < TRASH_CONF + 20)
        if bands and w.top <= bands[-1][1] + 2 * h:
            bands[-1][1] = max(bands[-1][1], w.top + w.height)
            bands[-1][2] += 1
            bands[-1][3] += garbage
        else:
            bands.append([w.top, w.top + w.height, 1, garbage])
    # lines merged across columns span two text lines at least; a one-line band is a speck or a stamp
    return [(a, b) for a, b, n, g in bands if (n >= MIN_BAD_WORDS or g) and b - a >= MERGED_HEIGHTS * h]


def reread_broken_bands(image: Image.Image, res: OcrResult, *, dpi: int, timeout_s: float = 15.0) -> OcrResult:
    """`res` with the lines of its broken bands recognised again column by column.

    `image` is the page as recognised before deskewing; `res.angle` rotates it as ocr_image
    did, so that the word boxes and the pixels agree. Returns `res` itself when nothing is
    broken or no band splits into columns."""
    bands = broken_bands(res)
    if not bands:
        return res
    gray = ImageOps.grayscale(image)
    if res.angle:
        gray = gray.rotate(res.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if gray.size != res.size:
        return res
    inv = ImageOps.invert(gray.point(lambda v: 0 if v < 140 else 255))
    rows = _dark_rows(inv)
    width, height = gray.size
    h = statistics.median(w.height for w in res.words if w.conf >= 80 and w.height > 0)
    lines = _lines_of(res)
    pieces: list[tuple[int, int, Image.Image]] = []  # (x offset, y offset, crop)
    replaced: list[set[int]] = []  # per band read again, the lines it replaces
    spans: list[tuple[int, int]] = []
    for y0, y1 in bands:
        for _ in range(3):  # grow to blank rows and to whole lines, until stable
            while y0 > 0 and rows[y0] > 1.5:
                y0 -= 1
            while y1 < height - 1 and rows[y1] > 1.5:
                y1 += 1
            inside = {i for i, ws in enumerate(lines) if any(y0 <= w.top + w.height / 2 <= y1 for w in ws)}
            top = min((w.top for i in inside for w in lines[i]), default=y0)
            bottom = max((w.top + w.height for i in inside for w in lines[i]), default=y1)
            if top >= y0 and bottom <= y1:
                break
            y0, y1 = min(y0, top), max(y1, bottom)
        if y1 - y0 > MAX_BAND_SHARE * height or any(a <= y1 and y0 <= b for a, b in spans):
            continue
        cols = _dark_cols(inv.crop((0, y0, width, y1 + 1)))
        ink = [x for x, v in enumerate(cols) if v > 0.5]
        if not ink:
            continue
        edges, run = [ink[0]], None
        for x in range(ink[0], ink[-1] + 1):
            if cols[x] <= 0.5:
                run = x if run is None else run
            elif run is not None:
                if x - run >= GAP_HEIGHTS * h:
                    edges.append((run + x) // 2)
                run = None
        edges.append(ink[-1] + 1)
        if len(edges) < 3:
            continue  # one column: a second psm 6 look would read the same lines the same way
        spans.append((y0, y1))
        replaced.append(inside)
        for a, b in itertools.pairwise(edges):  # cut in blank pixels only: no half glyphs
            pieces.append((a, y0, gray.crop((a, y0, b, y1 + 1))))
    if not pieces:
        return res
    new = _recognise(pieces, h, dpi, timeout_s)
    if new is None:
        return res
    per_band = [[ln for ln in new if y0 <= (ln.top + ln.bottom) / 2 <= y1 + 1] for y0, y1 in spans]
    for k, (old, rows) in enumerate(zip(replaced, per_band, strict=True)):
        # the second reading stands only where it is the surer one: a band around a stamp or a
        # signature whose lines psm 4 read well is left as it was
        if _sure_chars([w for x in rows for w in x.words]) <= _sure_chars([w for i in old for w in lines[i]]):
            replaced[k], per_band[k] = set(), []
    if not any(replaced):
        return res
    return _splice(res, lines, replaced, per_band)


def _sure_chars(words: list[Word]) -> int:
    """Characters read with high confidence: a reading that recovers lines has more of them,
    one that only trades a stamp's specks for other specks does not."""
    return sum(len(w.text) for w in words if w.conf >= SURE_CONF)


def _recognise(pieces: list[tuple[int, int, Image.Image]], h: float, dpi: int,
               timeout_s: float) -> list[_Line] | None:
    """The pieces stacked in one image, recognised in one run; their lines in page pixels."""
    gap = int(2 * h)  # white around and between the pieces
    stack = Image.new("L", (max(p.width for _x, _y, p in pieces) + 2 * gap,
                            sum(p.height for _x, _y, p in pieces) + gap * (len(pieces) + 1)), 255)
    offsets = []  # (top, bottom in the stack, page x - stack x, page y - stack y)
    y = gap
    for x0, y0, p in pieces:
        stack.paste(p, (gap, y))
        offsets.append((y, y + p.height, x0 - gap, y0 - y))
        y += p.height + gap
    lang = "tur" if "tur" in default_lang().split("+") else default_lang()
    try:
        data = tesseract_data(stack, lang=lang, psm=6, dpi=dpi, timeout_s=timeout_s)
    except OcrError:
        return None  # the first reading stands
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, t in enumerate(data["text"]):
        if (t or "").strip():
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    out: list[_Line] = []
    for idx in groups.values():
        cy = data["top"][idx[0]] + data["height"][idx[0]] / 2
        piece = next((o for o in offsets if o[0] <= cy < o[1]), None)
        if piece is None:
            continue
        _sy, _ey, dx, dy = piece
        fixed = repair_signs([data["text"][i].strip() for i in idx])
        words = [Word(w, _conf(data["conf"][i]), int(data["left"][i]) + dx, int(data["top"][i]) + dy,
                      int(data["width"][i]), int(data["height"][i]), -1) for i, w in zip(idx, fixed, strict=True)]
        text = _tidy(" ".join(fixed))
        if text:
            out.append(_Line(text, words, min(w.top for w in words), max(w.top + w.height for w in words),
                             min(w.left for w in words)))
    return out


def _conf(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1.0


def merge_rows(lines: list[_Line]) -> list[list[_Line]]:
    """Lines of side-by-side pieces joined into rows by height, each row left to right."""
    rows: list[list[_Line]] = []
    for ln in sorted(lines, key=lambda x: (x.top + x.bottom) / 2):
        mid = (ln.top + ln.bottom) / 2
        for row in rows:
            top = min(x.top for x in row)
            bottom = max(x.bottom for x in row)
            row_mid = (top + bottom) / 2
            if top <= mid <= bottom or ln.top <= row_mid <= ln.bottom:
                if not any(x.left < ln.left + 5 and ln.left < x.left + 5 for x in row):  # one per column
                    row.append(ln)
                    break
        else:
            rows.append([ln])
    for row in rows:
        row.sort(key=lambda x: x.left)
    rows.sort(key=lambda r: min(x.top for x in r))
    return rows


def _splice(res: OcrResult, lines: list[list[Word]], replaced: list[set[int]],
            new: list[list[_Line]]) -> OcrResult:
    """`res` with each band's lines replaced, in place, by the rows read again for it."""
    old_text = res.text.split("\n")
    at = {min(r): k for k, r in enumerate(replaced) if r}
    gone = set().union(*replaced)
    out_text: list[str] = []
    out_words: list[Word] = []

    def emit(text: str, words: list[Word]) -> None:
        n = len(out_text)
        out_text.append(text)
        out_words.extend(dataclasses.replace(w, line=n) for w in words)

    for i, text in enumerate(old_text):
        if i in at:
            for row in merge_rows(new[at[i]]):
                emit(" ".join(x.text for x in row), [w for x in row for w in x.words])
        if i not in gone:
            emit(text, lines[i])
    confs = [w.conf for w in out_words if w.conf >= 0]
    return OcrResult(text="\n".join(out_text), confidence=round(sum(confs) / len(confs), 1) if confs else 0.0,
                     angle=res.angle, words=out_words, size=res.size)
