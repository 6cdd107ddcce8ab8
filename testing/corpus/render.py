"""A small absolute-position page writer on reportlab's canvas, and the value formats the
corpus prints.

Independent of testing/docfactory.py on purpose: that one flows paragraphs and grid tables
with platypus; real documents are laid out on a canvas (letterheads in two columns, info
boxes on the right, totals right-aligned under a table, labels wrapped on two lines), which
changes the order of text in the text layer, and that is what the readers must survive.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from evrak.text import tr_upper

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FACES = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "cond": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "scond": ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}
_done: set[str] = set()

MONTHS_TR = ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
             "Kasım", "Aralık"]
WEEKDAYS_TR = ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"]


def _font(face: str, bold: bool) -> str:
    name = f"C-{face}-{'b' if bold else 'r'}"
    if name not in _done:
        pdfmetrics.registerFont(TTFont(name, FONT_DIR + FACES[face][1 if bold else 0]))
        _done.add(name)
    return name


def tl(v: Decimal, places: int = 2) -> str:
    """1234567.5 -> '1.234.567,50' (Turkish grouping)."""
    q = v.quantize(Decimal(1).scaleb(-places))
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups) + ("," + frac if places else "")


def qty(v: Decimal) -> str:
    return tl(v, 0) if v == v.to_integral() else tl(v, 2)


def day(d: date, style: str) -> str:
    """Every way the corpus writes a date."""
    m = MONTHS_TR[d.month - 1]
    wd = WEEKDAYS_TR[d.weekday()]
    return {
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dot1": f"{d.day}.{d.month}.{d.year}",
        "dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "slash1": f"{d.day}/{d.month}/{d.year}",
        "iso": d.isoformat(),
        "long": f"{d.day} {m} {d.year}",
        "long0": f"{d.day:02d} {m} {d.year}",
        "upper": f"{d.day:02d} {tr_upper(m)} {d.year}",
        "long_wd": f"{d.day} {m} {d.year} {wd}",
        "dot_wd": f"{d.day:02d}.{d.month:02d}.{d.year} {wd}",
        "wd_long": f"{wd}, {d.day} {m} {d.year}",
    }[style]


@dataclass
class Sheet:
    """One or more A4 pages written at absolute positions (points from the top-left)."""

    face: str = "sans"
    pages: list[list[tuple]] = field(default_factory=lambda: [[]])
    y: float = 50.0  # the flowing cursor, from the top

    WIDTH, HEIGHT = A4
    LEFT, RIGHT = 50.0, A4[0] - 50.0

    def text(self, x: float, y: float, s: str, size: float = 10, bold: bool = False, align: str = "l") -> None:
        self.pages[-1].append(("t", x, y, s, size, bold, align))

    def rule(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.6) -> None:
        self.pages[-1].append(("r", x1, y1, x2, y2, width))

    def box(self, x: float, y: float, w: float, h: float) -> None:
        self.pages[-1].append(("b", x, y, w, h))

    def new_page(self) -> None:
        self.pages.append([])
        self.y = 50.0

    # flowing helpers ---------------------------------------------------------------
    def line(self, s: str, size: float = 10, bold: bool = False, align: str = "l", x: float | None = None,
             gap: float = 1.45) -> None:
        if self.y > self.HEIGHT - 60:
            self.new_page()
        xx = x if x is not None else {"l": self.LEFT, "c": self.WIDTH / 2, "r": self.RIGHT}[align]
        self.text(xx, self.y, s, size, bold, align)
        self.y += size * gap

    def para(self, s: str, size: float = 10, bold: bool = False, width: float | None = None,
             x: float | None = None, indent: float = 0) -> None:
        """Wrapped text, left aligned, with an optional first-line indent."""
        width = width or (self.RIGHT - self.LEFT)
        x0 = x if x is not None else self.LEFT
        fname = _font(self.face, bold)
        words, cur, first = s.split(), "", True
        for w in words:
            trial = (cur + " " + w).strip()
            limit = width - (indent if first else 0)
            if cur and pdfmetrics.stringWidth(trial, fname, size) > limit:
                self.line(cur, size, bold, x=x0 + (indent if first else 0))
                cur, first = w, False
            else:
                cur = trial
        if cur:
            self.line(cur, size, bold, x=x0 + (indent if first else 0))

    def gap(self, pts: float) -> None:
        self.y += pts

    def table(self, rows: list[list[str]], xs: list[float], aligns: str | None = None, size: float = 8.5,
              header: bool = True, grid: bool = True, row_h: float | None = None) -> None:
        """A table: column left edges `xs` (the last entry is the right edge); a cell's text may
        hold newlines (a label or description on two lines); aligns per column: l, r, c."""
        aligns = aligns or "l" * (len(xs) - 1)
        lead = size * 1.3
        for ri, row in enumerate(rows):
            n_lines = max(len(c.split("\n")) for c in row)
            h = row_h or (n_lines * lead + 5)
            if self.y + h > self.HEIGHT - 60:
                self.new_page()
            top = self.y
            for ci, cell in enumerate(row):
                x0, x1 = xs[ci], xs[ci + 1]
                a = aligns[ci]
                xx = {"l": x0 + 3, "r": x1 - 3, "c": (x0 + x1) / 2}[a]
                for li, part in enumerate(cell.split("\n")):
                    self.text(xx, top + 3 + size + li * lead, part, size, header and ri == 0, a)
            if grid:
                self.rule(xs[0], top, xs[-1], top, 0.4)
                for x in xs:
                    self.rule(x, top, x, top + h, 0.4)
                if ri == len(rows) - 1:
                    self.rule(xs[0], top + h, xs[-1], top + h, 0.4)
            self.y = top + h
        self.y += 6

    def pdf(self, title: str = "") -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, invariant=1)
        c.setTitle(title)
        for ops in self.pages:
            for op in ops:
                if op[0] == "t":
                    _, x, y, s, size, bold, align = op
                    c.setFont(_font(self.face, bold), size)
                    yy = self.HEIGHT - y
                    {"l": c.drawString, "r": c.drawRightString, "c": c.drawCentredString}[align](x, yy, s)
                elif op[0] == "r":
                    _, x1, y1, x2, y2, w = op
                    c.setLineWidth(w)
                    c.line(x1, self.HEIGHT - y1, x2, self.HEIGHT - y2)
                elif op[0] == "b":
                    _, x, y, w, h = op
                    c.setLineWidth(0.6)
                    c.rect(x, self.HEIGHT - y - h, w, h)
            c.showPage()
        c.save()
        return buf.getvalue()
