"""Amount roles by reconciliation (verifiers/amounts.py): the cases where two readings hold,
scans whose ₺ was lost or read as 5, and where on the page an amount was read (its box).

Each case is a few lines of text as a reader would get them from a text layer or OCR; the
values must be the ones the document's arithmetic confirms, or unread, never a guess.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from testing.corpus import generate
from verifiers.amounts import amount_boxes, parse_row, read_amounts
from verifiers.fields import Doc
from verifiers.ocr import UNREAD, Word
from verifiers.text import Page, read_pdf


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


_LETTER = """Konu: Fiyat teklifimiz
Birim fiyat (KDV hariç): {unit}
Miktar: 4 adet
Tutar (KDV hariç): {net}
KDV %20: ₺956.627,98
Ödenecek Tutar: {total}
"""


def _scan(text: str, raw: dict[int, list[str]] | None = None) -> Doc:
    """An OCR page whose words carry what Tesseract read behind an UNREAD mark."""
    words = []
    for i, line in enumerate(text.splitlines()):
        raws = list((raw or {}).get(i, []))
        for w in line.split():
            words.append(Word(w, 90.0, 0, 10 * i, 10, 10, i, raws.pop(0) if w == UNREAD and raws else ""))
    return Doc("x.pdf", [Page(1, text, "ocr", 90.0, words=words)])


def test_a_letter_scan_is_read_by_its_arithmetic():
    """The letter-layout proforma scan: ₺ lost on the unit price, the net marked unread because
    its ₺ came back as 5 ("54.783.139,92"). 4 x 1.195.784,98 = 4.783.139,92, x 20 % =
    956.627,98, + KDV = 5.739.767,90: the one assignment that holds confirms each value."""
    text = _LETTER.format(unit="1.195.784,98", net=UNREAD, total="₺5.739.767,90")
    r = read_amounts(_scan(text, {3: ["54.783.139,92"]}))
    assert (r.net, r.kdv_total, r.grand and r.grand.value) == (
        Decimal("4783139.92"), Decimal("956627.98"), Decimal("5739767.90"))
    assert [(x.quantity, x.unit_price, x.amount) for x in r.rows] == [
        (4, Decimal("1195784.98"), Decimal("4783139.92"))]
    assert not r.unread


def test_a_leading_5_that_is_the_lira_sign_is_dropped_only_when_the_arithmetic_says_so():
    # the unit price read as "51.195.784,98" (₺ as 5) and the net lost: the value without the 5
    text = _LETTER.format(unit="51.195.784,98", net=UNREAD, total="₺5.739.767,90")
    r = read_amounts(_scan(text))
    assert r.net == Decimal("4783139.92") and r.rows[0].unit_price == Decimal("1195784.98")
    # a true leading 5 stays: 4 x 13.695.784,98 = 54.783.139,92 and its KDV confirm it
    text = _LETTER.format(unit="13.695.784,98", net="54.783.139,92", total="₺65.739.767,90").replace(
        "₺956.627,98", "₺10.956.627,98")
    r = read_amounts(_scan(text))
    assert (r.net, r.kdv_total, r.grand and r.grand.value) == (
        Decimal("54783139.92"), Decimal("10956627.98"), Decimal("65739767.90"))


def test_a_scan_whose_arithmetic_does_not_hold_stays_unread():
    """The total does not fit any reading of the net: nothing is derived, the fields go to
    review."""
    text = _LETTER.format(unit="1.195.784,98", net=UNREAD, total="₺5.739.000,00")
    r = read_amounts(_scan(text, {3: ["54.783.139,92"]}))
    assert r.net is None and r.grand is None and not r.kdv and r.rows == []


def test_a_totals_label_wrapped_after_the_rows_is_not_the_table_header():
    """ "Mal Hizmet 10.221.132,75 TL" / "Toplam Tutarı": the second line looks like a header
    fragment; the rows above it are still the table's (a scan of a two-line-label proforma)."""
    text = """Mal / Hizmet Miktar Birim İskonto Mal Hizmet
Fiyat Tutarı Tutarı
Zeytinyağı sızma hattı 25 Set 408.845,31 1.277.641,59 8.943.491,16
Mal Hizmet 10.221.132,75 TL
Toplam Tutarı
Katma Değer Vergisi (%20) 1.788.698,23 TL
Vergiler Dahil Toplam Tutar 10.732.189,39 TL
"""
    r = read_amounts(_scan(text))
    assert [(x.quantity, x.discount, x.amount) for x in r.rows] == [
        (25, Decimal("1277641.59"), Decimal("8943491.16"))]


def test_a_kdv_label_wrapped_below_its_amount():
    text = """Mal Hizmet Toplam Tutarı 5.366.600,88 TL
Hesaplanan GERÇEK USÜLDE KATMA 536.660,09 TL
DEĞER VERGİSİ(%10)
Vergiler Dahil Toplam Tutar 5.903.260,97 TL
"""
    r = read_amounts(_scan(text))
    assert [(c.rate, c.value) for c in r.kdv] == [(10, Decimal("536660.09"))]


def test_a_scan_row_that_does_not_add_up_is_taken_only_when_the_totals_confirm_its_amount():
    """The iskonto cell glued to its rate ("“12,50126.621,52TL"): quantity x unit price does
    not give the amount, but the amount is the net that KDV and total confirm; its quantity and
    unit price are left unread (no false arithmetic finding)."""
    row = ("1 Monokristal güneş paneli 1 Adet 1.012.972,15 TL “12,50126.621,52TL %20,00 177.270,13 TL "
           "886.350,63 TL\n")
    totals = "KDV Matrahı 886.350,63 TL\nHesaplanan KDV(%20.00) 177.270,13 TL\nVergiler Dahil Toplam Tutar {} TL\n"
    r = read_amounts(_scan(row + totals.format("1.063.620,76")))
    assert [(x.quantity, x.unit_price, x.amount) for x in r.rows] == [(None, None, Decimal("886350.63"))]
    misread = row.replace("886.350,63 TL\n", "886.850,63 TL\n")  # the rows do not add up to the net
    r = read_amounts(_scan(misread + totals.format("1.063.620,76")))
    assert r.rows == [] and r.net == Decimal("886350.63")


def test_an_amount_read_from_a_scan_carries_its_box_in_points():
    """Evidence.bbox from Tesseract's word boxes: pixels at the page's dpi, in PDF points; the
    net that the arithmetic confirmed behind an UNREAD mark is boxed where "54.783.139,92" was."""
    text = _LETTER.format(unit="1.195.784,98", net=UNREAD, total="₺5.739.767,90")
    doc = _scan(text, {3: ["54.783.139,92"]})
    doc.pages[0].dpi = 300.0
    r = read_amounts(doc)
    boxes = amount_boxes(doc, [(r.net_from.line, r.net), (r.grand.line, r.grand.value)])
    # _scan puts line i at top 10 * i px, each word 10 x 10 px; "[okunamadı]" is word 4 of line 3
    assert boxes[0] == pytest.approx((0.0, 30 * 72 / 300, 10 * 72 / 300, 40 * 72 / 300))
    assert boxes[1] == pytest.approx((0.0, 50 * 72 / 300, 10 * 72 / 300, 60 * 72 / 300))


def test_an_amount_read_from_a_text_pdf_can_be_boxed(tmp_path):
    """A text page's amount is found with pdfium on the page: the k-th line that prints it
    gets the k-th occurrence, a row's amount its last column."""
    d = next(d for d in generate(1, seed=97, kinds=("proforma",)) if d.layout == "antet_tablo")
    path = tmp_path / "p.pdf"
    path.write_bytes(d.pdf)
    doc = Doc(path.name, read_pdf(path).pages, source=path)
    r = read_amounts(doc)
    items = [(row.line, row.amount) for row in r.rows] + [(r.grand.line, r.grand.value)]
    boxes = amount_boxes(doc, items)
    assert all(b is not None and b[0] < b[2] and b[1] < b[3] for b in boxes)
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops)  # rows, then the total under them
    assert len({round(b[2]) for b in boxes}) == 1  # one right-aligned amount column
    assert amount_boxes(doc, items, text_layer=False) == [None] * len(items)
