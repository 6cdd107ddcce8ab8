"""Documents for signature tests, samples and benchmarks: a taahhütname PDF made with
reportlab (DejaVu Sans for the Turkish letters), and the edits a tampering tool would make
after signing, appended through pyHanko's incremental writer exactly like a real update.

The sample-package builder uses the same edits to make its defective packages, so what the
tests prove about them holds for the samples too.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def make_taahhutname(with_field: bool = False, pages: int = 1) -> bytes:
    """A taahhütname with Turkish text (one page by default); optionally an AcroForm text field."""
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Taahhütname")
    for page in range(pages):
        c.setFont("DejaVu", 14)
        c.drawString(72, 770, "TAAHHÜTNAME")
        c.setFont("DejaVu", 11)
        y = 740
        for line in (
            "Başvuru No: TR72/23/ÜSTD/0042",
            "Başvuru sahibi: Örnek Makina Sanayi ve Ticaret A.Ş.",
            "Başvuruda sunduğum bilgi ve belgelerin doğru olduğunu, ",
            "programın kurallarına uyacağımı taahhüt ederim. (ğüşıöç İĞÜŞÖÇ)",
            f"Sayfa {page + 1}",
        ):
            c.drawString(72, y, line)
            y -= 18
        if with_field and page == 0:
            c.acroForm.textfield(name="ad_soyad", x=72, y=600, width=250, height=20, value="")
        c.showPage()
    c.save()
    return buf.getvalue()


def fill_field(pdf: bytes, name: str, value: str) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for ref in w.root["/AcroForm"]["/Fields"]:
        f = ref.get_object()
        if f.get("/T") == name:
            f["/V"] = generic.TextStringObject(value)
            w.mark_update(ref)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _first_page(w: IncrementalPdfFileWriter) -> tuple[generic.IndirectObject, generic.DictionaryObject]:
    ref = w.root["/Pages"]["/Kids"].raw_get(0)
    return ref, ref.get_object()


def append_page(pdf: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    content = w.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (Ek sayfa) Tj ET"))
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 595, 842))),
            generic.pdf_name("/Contents"): content,
            generic.pdf_name("/Resources"): generic.DictionaryObject(),
        }
    )
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def edit_content(pdf: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    ref, page = _first_page(w)
    page["/Contents"] = w.add_object(
        generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (Degisti) Tj ET")
    )
    w.mark_update(ref)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def add_annotation(pdf: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    ref, page = _first_page(w)
    annot = w.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
                generic.pdf_name("/Rect"): generic.ArrayObject(
                    map(generic.NumberObject, (100, 100, 120, 120))
                ),
                generic.pdf_name("/Contents"): generic.TextStringObject("Sonradan eklenen not"),
            }
        )
    )
    annots = page.get("/Annots")
    if annots is None:
        page["/Annots"] = generic.ArrayObject([annot])
    else:
        annots = annots.get_object() if isinstance(annots, generic.IndirectObject) else annots
        annots.append(annot)
        page["/Annots"] = annots
    w.mark_update(ref)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def flip_byte(data: bytes, offset: int) -> bytes:
    """`data` with the byte at `offset` inverted: the smallest possible tampering."""
    return data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]
