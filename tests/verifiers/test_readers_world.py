"""Readers on documents made by others: the real e-Fatura renderings in ../shared/fixtures/real
(truth in its README) and test documents in wordings of our own (not the docfactory
templates): a letter-style offer, labels on two lines, iskonto, amounts in words, parties.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.verifiers.helpers import rules
from verifiers.amounts import words_amount
from verifiers.document import read_document
from verifiers.fields import Doc
from verifiers.invoice import check_invoice
from verifiers.proforma import apply_qr, read_proforma
from verifiers.qrcode import parse_payload, read_qr
from verifiers.text import Page

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "real" / "invoices-pdf"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _pdf(lines: list[str], tmp_path: Path, name: str = "belge.pdf") -> Path:
    """A one-page text PDF, one string per line, in our own wording."""
    if "W-Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("W-Sans", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("W-Sans", 10)
    y = 800
    for ln in lines:
        c.drawString(50, y, ln)
        y -= 16
    c.save()
    p = tmp_path / name
    p.write_bytes(buf.getvalue())
    return p


def _read(path: Path, kind: str | None = None):
    """Through the one entry point: kind detection, the reader, the QR code, every check."""
    res = read_document(path, kind)
    return res.kind, res.facts, res.findings


def _doc(text: str) -> Doc:
    return Doc("t.pdf", [Page(1, text, "text", 100.0)])


# -- the real renderings (../shared/fixtures/real/README.md) ---------------------------------

REAL_TRUTH = {
    "14.05.2024-HMF2024000000001.pdf": dict(
        supplier="HM GROUP", number="HMF2024000000001", issued_on=date(2024, 5, 14), net=Decimal("65480.00"),
        kdv=Decimal("13096.00"), total=Decimal("78576.00"), arithmetic=True),
    "18.09.2024-PRT2024000003508.pdf": dict(
        supplier="PARILTIM END.TOPLU YEMEK HİZ.TUR.SAN.VE TİC.A.Ş.", number="PRT2024000003508",
        issued_on=date(2024, 9, 7), net=Decimal("221788.00"), kdv=Decimal("22178.80"),
        total=Decimal("243966.80"), arithmetic=False),
    "24.07.2025-TTT2025000000018.pdf": dict(
        supplier="UYUMSOFT BİLGİ SİSTEMLERİ VE TEKNOLOJİLERİ TİCARET ANONİM ŞİRKETİ", number="TTT2025000000018",
        issued_on=date(2025, 7, 24), net=Decimal("134762.25"), kdv=Decimal("26952.45"),
        total=Decimal("161714.70"), arithmetic=False),
}


@pytest.mark.parametrize("name", sorted(REAL_TRUTH))
def test_real_efatura_pdf(name):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"../shared/fixtures/real/invoices-pdf/{name} yok (shared fixtures absent)")
    t = REAL_TRUTH[name]
    kind, f, findings = _read(path)
    assert kind == "e_fatura"
    assert f.supplier == t["supplier"]
    assert f.supplier_id == "9000068418"
    assert "Sayın" not in (f.supplier or "") and f.buyer != f.supplier
    assert f.number == t["number"]
    assert f.issued_on == t["issued_on"]
    assert f.net_total == t["net"]
    assert f.kdv_total == t["kdv"]
    assert f.grand_total == t["total"]
    assert f.payable == t["total"]
    # the only true finding: HM GROUP's line 1 x 32.740 printed as 65.480
    assert rules(findings) == (["PROFORMA_ARITHMETIC"] if t["arithmetic"] else []), [x.message for x in findings]
    if t["arithmetic"]:
        assert "32.740,00" in findings[0].message and "65.480,00" in findings[0].message


def test_real_prt_two_line_kdv_label_and_wrapped_rows():
    path = REAL / "18.09.2024-PRT2024000003508.pdf"
    if not path.is_file():
        pytest.skip("../shared/fixtures/real/invoices-pdf absent")
    _k, f, _ = _read(path)
    assert [(p.rate, p.amount) for p in f.kdv] == [(Decimal(10), Decimal("22178.80"))]
    assert [(ln.quantity, ln.amount) for ln in f.lines] == [
        (Decimal(14), Decimal("1288.00")), (Decimal(1375), Decimal("126500.00")), (Decimal(400), Decimal("36800.00")),
        (Decimal(3300), Decimal("36300.00")), (Decimal(1900), Decimal("20900.00"))]
    assert f.amount_in_words == Decimal("243966.80")
    assert f.buyer == "BEŞER BALATACILIK SAN.VE TİC.A.Ş."
    assert f.supplier_address and "GÖZTEPE" in f.supplier_address


def test_real_ttt_iskonto_applied_to_net():
    path = REAL / "24.07.2025-TTT2025000000018.pdf"
    if not path.is_file():
        pytest.skip("../shared/fixtures/real/invoices-pdf absent")
    _k, f, _ = _read(path)
    (line,) = f.lines
    assert (line.quantity, line.unit_price, line.discount, line.amount) == (
        Decimal(1), Decimal("179683"), Decimal("44920.75"), Decimal("134762.25"))
    assert f.discount_total == Decimal("44920.75")


def test_real_qr_codes():
    if not REAL.is_dir():
        pytest.skip("../shared/fixtures/real/invoices-pdf absent")
    hm = read_qr(REAL / "14.05.2024-HMF2024000000001.pdf")
    assert hm is not None and hm.number == "HMF2024000000001" and hm.supplier_id == "9000068418"
    assert hm.kdv == {Decimal(20): Decimal(13096)} and hm.payable == Decimal(78576)
    ttt = read_qr(REAL / "24.07.2025-TTT2025000000018.pdf")
    assert ttt is not None and ttt.net == Decimal("134762.25") and ttt.tax_inclusive == Decimal("161714.70")
    # PRT's embedded code image is blank: no payload, nothing invented
    assert read_qr(REAL / "18.09.2024-PRT2024000003508.pdf") is None


# -- the QR payload as the truth ---------------------------------------------------------------

def test_qr_payload_parse_and_mismatch_is_a_finding(tmp_path):
    payload = ('{"vkntckn":"1234567890","avkntckn":"9876543210","tarih":"2025-02-03","no":"ABC2025000000007",'
               '"ettn":"11111111-2222-3333-4444-555555555555","parabirimi":"TRY","malhizmettoplam":"1000",'
               '"kdvmatrah(20)":"1000","hesaplanankdv(20)":"200","vergidahil":"1200","odenecek":"1200"}')
    qr = parse_payload(payload)
    assert qr is not None and qr.net == Decimal(1000) and qr.kdv_total == Decimal(200) and qr.buyer_id == "9876543210"
    assert parse_payload("https://example.com") is None
    f = read_proforma(_doc("e-FATURA\nFatura No: ABC2025000000007\nFatura Tarihi: 03-02-2025\nVKN: 1234567890\n"
                           "Mal Hizmet Toplam Tutarı 1.000,00 TL\nHesaplanan KDV(%20) 200,00 TL\n"
                           "Vergiler Dahil Toplam Tutar 1.300,00 TL\nÖdenecek Tutar 1.300,00 TL"), "e_fatura")
    apply_qr(f, qr, "t.pdf")
    assert f.grand_total == Decimal(1200) and f.payable == Decimal(1200)
    found = check_invoice(f, "t.pdf")
    assert sorted(set(rules(found))) == ["EFATURA_QR_MISMATCH"]
    assert any("1300.00" in x.message and "1200" in x.message for x in found)


# -- amounts by reconciliation -----------------------------------------------------------------

def test_letter_style_offer_unit_price_is_not_the_net(tmp_path):
    path = _pdf([
        "ANADOLU TAKIM TEZGAHLARI LİMİTED ŞİRKETİ",
        "Vergi No: 1234567890  Kozyatağı V.D.",
        "Ankara, 12 Mart 2025",
        "Sayın Örnek Gıda Sanayi A.Ş.,",
        "Talebiniz üzerine CNC torna tezgahı için fiyat teklifimiz aşağıdadır.",
        "Birim fiyat (KDV hariç): ₺412.500,00",
        "Miktar: 2",
        "Tutar (KDV hariç): ₺825.000,00",
        "KDV %20: ₺165.000,00",
        "Ödenecek Tutar (KDV dahil): ₺990.000,00",
        "Teklifimiz 30 gün geçerlidir.",
    ], tmp_path)
    kind, f, findings = _read(path)
    assert kind == "proforma"
    assert f.net_total == Decimal("825000.00")
    assert f.kdv_total == Decimal("165000.00")
    assert f.grand_total == Decimal("990000.00")
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in f.lines] == [
        (Decimal(2), Decimal("412500.00"), Decimal("825000.00"))]
    assert "PROFORMA_ARITHMETIC" not in rules(findings), [x.message for x in findings]
    assert f.supplier == "ANADOLU TAKIM TEZGAHLARI LİMİTED ŞİRKETİ" and f.buyer == "Örnek Gıda Sanayi A.Ş."
    assert f.issued_on == date(2025, 3, 12)


def test_ambiguous_totals_are_unread_not_guessed():
    f = read_proforma(_doc("Teklif\nAra Toplam 1.000,00 TL\nAra Toplam 1.100,00 TL\nKDV %20 150,00 TL\n"
                           "Genel Toplam 1.400,00 TL\nGenel Toplam 1.500,00 TL"))
    assert f.net_total is None and f.grand_total is None
    found = [x for x in check_invoice(f, "t.pdf") if x.rule == "DOC_UNREADABLE"]
    assert found and all(str(x.certainty) == "unread" and str(x.severity) == "review" for x in found)


def test_gross_minus_iskonto_is_the_net_when_the_arithmetic_says_so():
    f = read_proforma(_doc("Teklif No: T-9\nMal Hizmet Toplam Tutarı 10.000,00 TL\nToplam İskonto 1.000,00 TL\n"
                           "KDV (%20) 1.800,00 TL\nGenel Toplam 10.800,00 TL"))
    assert f.net_total == Decimal("9000.00") and f.grand_total == Decimal("10800.00")
    assert check_invoice(f, "t.pdf") == []


def test_amount_in_words_mismatch_is_a_finding():
    f = read_proforma(_doc("Ara Toplam 1.000,00 TL\nKDV %20 200,00 TL\nGenel Toplam 1.200,00 TL\n"
                           "Yalnız Bin İki Yüz Elli Türk Lirası Sıfır Kuruş"))
    assert f.amount_in_words == Decimal("1250")
    assert "PROFORMA_ARITHMETIC" in rules(check_invoice(f, "t.pdf"))


@pytest.mark.parametrize("text, value", [
    ("#YALNIZ YETMİŞSEKİZBİNBEŞYÜZYETMİŞALTI TRL #", Decimal("78576")),
    ("Yalnız #Yüz Altmış Bir Bin Yedi Yüz On Dört Türk Lirası Yetmiş Kuruş#", Decimal("161714.70")),
    ("iki yüz kırk üç bin dokuz yüz altmış altı türk lirası ve seksen kuruş", Decimal("243966.80")),
    ("#Yalnız birmilyonyüzbin TL sıfır Kr#", Decimal("1100000")),
    ("Yalnız teslim süresi 30 gündür", None),
])
def test_words_amount(text, value):
    assert words_amount(text) == value


# -- parties -----------------------------------------------------------------------------------

def test_supplier_is_never_the_buyer_or_an_address():
    f = read_proforma(_doc(
        "Kaya Makina Sanayi ve Ticaret Ltd. Şti.\nAtatürk Mah. Sanayi Cad. No: 14 34000 Esenyurt / İstanbul\n"
        "Vergi Dairesi: Esenyurt VKN: 1234567890\nSAYIN\nDemir Gıda A.Ş.\nİnönü Cad. No: 3 Konak / İzmir\n"
        "VKN: 9876543210\nTeklif No: K-12\nTarih: 02.01.2025\nAra Toplam 100,00 TL\nKDV %20 20,00 TL\n"
        "Genel Toplam 120,00 TL"))
    assert f.supplier == "Kaya Makina Sanayi ve Ticaret Ltd. Şti." and f.supplier_id == "1234567890"
    assert f.buyer == "Demir Gıda A.Ş." and f.buyer_id == "9876543210"
    assert f.supplier_address.startswith("Atatürk Mah.") and f.buyer_address.startswith("İnönü Cad.")


def test_supplier_label_after_buyer_block():
    f = read_proforma(_doc("FİYAT TEKLİFİ\nAlıcı: Deniz Tekstil A.Ş.\nVKN: 9876543210\n"
                           "Satıcı: Bora Elektrik Ltd. Şti.\nVKN: 1234567890\nAra Toplam 100,00 TL\n"
                           "KDV %20 20,00 TL\nGenel Toplam 120,00 TL"))
    assert (f.supplier, f.supplier_id) == ("Bora Elektrik Ltd. Şti.", "1234567890")
    assert (f.buyer, f.buyer_id) == ("Deniz Tekstil A.Ş.", "9876543210")


# -- the QR code drawn as vector squares, and on a scan -------------------------------------

def _vector_qr_invoice(tmp_path: Path, payload: str, lines: list[str]) -> Path:

    if "W-Sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("W-Sans", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("W-Sans", 10)
    for i, ln in enumerate(lines):
        c.drawString(50, 800 - 16 * i, ln)
    w = QrCodeWidget(payload)
    b = w.getBounds()
    d = Drawing(110, 110, transform=[110 / (b[2] - b[0]), 0, 0, 110 / (b[3] - b[1]), 0, 0])
    d.add(w)
    renderPDF.draw(d, c, 430, 680)
    c.save()
    p = tmp_path / "efatura.pdf"
    p.write_bytes(buf.getvalue())
    return p


def test_vector_qr_is_the_truth_and_a_printed_difference_is_a_finding(tmp_path):
    payload = ('{"vkntckn":"1234567890","avkntckn":"9876543210","tarih":"2025-02-03","no":"ABC2025000000007",'
               '"ettn":"11111111-2222-3333-4444-555555555555","parabirimi":"TRY","kdvmatrah(20)":"1000.00",'
               '"hesaplanankdv(20)":"200.00","vergidahil":"1200.00","odenecek":"1200.00"}')
    path = _vector_qr_invoice(tmp_path, payload, [
        "Deniz Yazılım Ltd. Şti.", "Vergi Dairesi: Kadıköy  VKN: 1234567890", "e-FATURA",
        "ETTN: 11111111-2222-3333-4444-555555555555", "Fatura No: ABC2025000000007", "Fatura Tarihi: 03-02-2025",
        "SAYIN", "Mavi Tekstil A.Ş.", "VKN: 9876543210",
        "Mal Hizmet Toplam Tutarı 1.000,00 TL", "Hesaplanan KDV(%20) 200,00 TL",
        "Vergiler Dahil Toplam Tutar 1.250,00 TL", "Ödenecek Tutar 1.250,00 TL"])
    kind, f, findings = _read(path)
    assert kind == "e_fatura" and f.qr is not None
    assert (f.grand_total, f.payable, f.net_total) == (Decimal("1200.00"), Decimal("1200.00"), Decimal("1000.00"))
    mismatch = [x for x in findings if x.rule == "EFATURA_QR_MISMATCH"]
    assert {m.field for m in f.qr_mismatches} == {"grand_total", "payable"}
    assert mismatch and all(str(x.severity) == "review" for x in mismatch)


@pytest.mark.slow
def test_real_efatura_png_scan_reads_its_qr(tmp_path):


    src = REAL / "24.07.2025-TTT2025000000018.pdf"
    if not src.is_file():
        pytest.skip("../shared/fixtures/real/invoices-pdf absent")
    png = tmp_path / "fatura.png"
    pdf = pdfium.PdfDocument(str(src))
    pdf[0].render(scale=300 / 72).to_pil().convert("L").save(png)
    res = read_document(png)
    f = res.facts
    assert res.kind == "e_fatura"
    assert (f.number, f.supplier_id, f.issued_on) == ("TTT2025000000018", "9000068418", date(2025, 7, 24))
    assert (f.net_total, f.kdv_total, f.grand_total) == (Decimal("134762.25"), Decimal("26952.45"),
                                                         Decimal("161714.70"))


# -- scans: only what the arithmetic confirms ---------------------------------------------------

def _ocr_doc(text: str) -> Doc:
    return Doc("tarama.pdf", [Page(1, text, "ocr", 80.0)])


def test_scan_keeps_totals_the_arithmetic_confirms():
    f = read_proforma(_ocr_doc("Teklif\nMal Hizmet Toplam Tutarı 1.000,00 TL\nHesaplanan KDV (%20) 200,00 TL\n"
                               "Ödenecek Tutar 1.200,00 TL"))
    assert (f.net_total, f.kdv_total, f.grand_total, f.payable) == (
        Decimal("1000.00"), Decimal("200.00"), Decimal("1200.00"), Decimal("1200.00"))
    assert f.unread == {}


def test_scan_with_a_misread_total_reads_nothing_unconfirmed():
    # the same page with one digit misread: no value is taken on the label's word alone
    f = read_proforma(_ocr_doc("Teklif\nMal Hizmet Toplam Tutarı 1.000,00 TL\nHesaplanan KDV (%20) 260,00 TL\n"
                               "Genel Toplam 1.290,00 TL"))
    assert f.grand_total is None and f.kdv_total is None and f.net_total is None
    assert {"grand_total", "kdv_total"} <= set(f.unread)
    found = [x for x in check_invoice(f, "tarama.pdf") if x.rule == "DOC_UNREADABLE"]
    assert found and all(str(x.certainty) == "unread" for x in found)
    assert "PROFORMA_ARITHMETIC" not in rules(check_invoice(f, "tarama.pdf"))


def test_scan_rows_must_add_up_and_their_sum_alone_is_not_a_net():
    f = read_proforma(_ocr_doc("Sıra Açıklama Miktar Birim Fiyat Tutar\n1 Pres 2 Adet 1.000,00 TL 2.000,00 TL\n"
                               "2 Kalıp 3 Adet 500,00 TL 1.580,00 TL\nYalnız beş bin Türk lirası"))
    assert [(ln.quantity, ln.amount) for ln in f.lines] == [(Decimal(2), Decimal("2000.00"))]
    assert f.net_total is None


def test_scan_read_column_by_column_totals_by_arithmetic():
    # OCR read the values block before its labels: the one triple with net x 20 % = KDV and
    # net + KDV = total is taken, and the amount in words agrees
    f = read_proforma(_ocr_doc("No Malzeme / Hizmet\nBirim Fiyat\n3 3.237.695,82 TL\n1.039.512,32 TL\n"
                               "26.379.075,52 TL\n5.275.815,10TL\n31.654.890,62 TL\nKDV (%20)\nGenel Toplam\n"
                               "#Yalnız otuzbirmilyonaltıyüzellidörtbinsekizyüzdoksan TL altmışiki Kr#"))
    assert (f.net_total, f.kdv_total, f.grand_total) == (
        Decimal("26379075.52"), Decimal("5275815.10"), Decimal("31654890.62"))
    assert [p.rate for p in f.kdv] == [Decimal(20)]
    # two such triples: nothing is taken
    g = read_proforma(_ocr_doc("100,00 TL\n20,00 TL\n120,00 TL\n200,00 TL\n40,00 TL\n240,00 TL"))
    assert g.net_total is None and g.grand_total is None
