"""Amount roles by reconciliation (verifiers/amounts.py): the cases where two readings hold.

Each case is a few lines of text as a reader would get them from a text layer or OCR; the
values must be the ones the document's arithmetic confirms, or unread, never a guess.
"""

from __future__ import annotations

from decimal import Decimal

from verifiers.amounts import parse_row, read_amounts
from verifiers.fields import Doc
from verifiers.text import Page


def _doc(text: str, ocr: bool = False) -> Doc:
    return Doc("x.pdf", [Page(1, text, "ocr" if ocr else "text", 90.0 if ocr else 100.0)])


_EFATURA_ROWS = """Sıra No Mal Hizmet Miktar Birim Fiyat KDV Oranı KDV Tutarı Mal Hizmet Tutarı
1 Paslanmaz çelik tank 5 ton 25 Adet 519.860,44 TL %20,00 2.599.302,20 TL 12.996.511,00 TL
2 Etiketleme makinesi 2 Adet 556.902,88 TL %20,00 222.761,15 TL 1.113.805,76 TL
Mal Hizmet Toplam Tutarı 14.110.316,76 TL
Hesaplanan KDV(%20.00) 2.822.063,35 TL
Vergiler Dahil Toplam Tutar 16.932.380,11 TL
"""


def test_a_row_reading_that_leaves_a_printed_amount_unexplained_loses():
    """ "5 ton" x unit = the row's KDV and "25 Adet" x unit = the amount: both hold, but only
    the second explains every amount of the row (the KDV is amount x 20 %). Held-out corpus
    seed 97 read the KDV as the line amount."""
    doc = _doc(_EFATURA_ROWS)
    row = parse_row(doc.lines[1].text, doc.lines[1])
    assert row is not None and (row.quantity, row.amount) == (25, Decimal("12996511.00"))
    r = read_amounts(doc)
    assert [x.amount for x in r.rows] == [Decimal("12996511.00"), Decimal("1113805.76")]
    assert r.net == Decimal("14110316.76")


def test_two_complete_readings_are_decided_by_the_totals_or_left_unread():
    """A row with two quantities and two line amounts that both hold (2 x 100 = 200,
    2 x 200 = 400, 4 x 100 = 400): the printed net decides the amount (the quantity and unit
    price that still differ are not read); without a total that tells them apart, no line."""
    rows = ("Açıklama Miktar Birim Fiyat Tutar\n"
            "Kablo 2 Adet 4 Koli 100,00 TL 200,00 TL 400,00 TL\n")
    r = read_amounts(_doc(rows + "Ara Toplam 400,00 TL\nKDV %20 80,00 TL\nGenel Toplam 480,00 TL\n"))
    assert [(x.quantity, x.unit_price, x.amount) for x in r.rows] == [(None, None, Decimal("400.00"))]
    r = read_amounts(_doc(rows + "Genel Toplam 999,00 TL\n"))
    assert r.rows == [] and "lines" in r.unread
