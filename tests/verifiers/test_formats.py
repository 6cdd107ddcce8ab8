"""Formats other than PDF, read by content through their libraries: DOCX, XLSX, ODT, scans as
PNG/JPEG/multi-page TIFF; old Office files and renamed files give clear findings."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from PIL import Image

from evrak import limits
from testing.corpus import generate
from testing.corpus.data import invoice
from testing.corpus.degrade import degrade, pages
from testing.corpus.render import day, tl
from verifiers.document import read_document, read_text
from verifiers.ocr import UNREAD, repair_signs


def _proforma_docx(path, inv) -> None:
    d = docx.Document()
    d.add_paragraph(inv.supplier)
    d.add_paragraph(f"Vergi No: {inv.supplier_id}")
    d.add_heading("PROFORMA FATURA", level=1)
    d.add_paragraph(f"Tarih: {day(inv.issued_on, 'dot')}")
    d.add_paragraph(f"Sayın {inv.buyer}")
    t = d.add_table(rows=1, cols=4)
    for c, h in zip(t.rows[0].cells, ("Açıklama", "Miktar", "Birim Fiyat", "Tutar"), strict=True):
        c.text = h
    for ln in inv.lines:
        row = t.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = (ln.description, str(ln.quantity), tl(ln.unit_price),
                                                              tl(ln.amount))
    for label, v in [("Ara Toplam", inv.net), *((f"KDV %{r}", a) for r, a in inv.kdv.items()),
                     ("Genel Toplam", inv.total)]:
        row = t.add_row().cells
        row[0].text, row[3].text = label, f"{tl(v)} TL"
    d.save(str(path))


def test_docx_in_a_package_is_read_not_pdf_degil(tmp_path):
    inv = invoice(random.Random(7), kind="proforma")
    path = tmp_path / "teklif.docx"
    _proforma_docx(path, inv)
    res = read_document(path)
    assert not any("PDF değil" in f.message for f in res.findings)
    assert [p["source"] for p in res.pages] == ["office"]
    assert res.kind == "proforma"
    assert res.facts.grand_total == inv.total
    assert res.facts.supplier_id == inv.supplier_id


def test_docx_renamed_to_pdf_is_read_by_content(tmp_path):
    inv = invoice(random.Random(8), kind="proforma")
    real = tmp_path / "a.docx"
    _proforma_docx(real, inv)
    renamed = tmp_path / "teklif.pdf"
    renamed.write_bytes(real.read_bytes())
    res = read_document(renamed, "proforma")
    assert res.pages and res.pages[0]["source"] == "office"
    assert res.facts.grand_total == inv.total


def test_xlsx_rows_become_lines_with_turkish_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Fiyat Teklifi"])
    ws.append(["Açıklama", "Miktar", "Birim Fiyat", "Tutar"])
    ws.append(["Şerit testere", 2, 412500.0, 825000.0])
    ws.append(["Genel Toplam", None, None, Decimal("990000.00")])
    path = tmp_path / "teklif.xlsx"
    wb.save(path)
    res = read_document(path)
    text = "\n".join(p.text for p in _pages(path))
    assert "Şerit testere 2 412.500,00 825.000,00" in text
    assert "Genel Toplam 990.000,00" in text
    assert res.pages[0]["source"] == "office"


def _pages(path):
    return read_text(path, path.name)[0].pages


def test_odt_paragraphs_and_table_rows(tmp_path):
    doc = OpenDocumentText()
    doc.text.addElement(P(text="İMZA SİRKÜLERİ"))
    doc.text.addElement(P(text="Yevmiye No: 12345"))
    table = Table(name="t")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for a, b in (("Adı Soyadı", "Görevi"), ("Gülşen Işıkçı", "Müdür")):
        tr = TableRow()
        for v in (a, b):
            cell = TableCell()
            cell.addElement(P(text=v))
            tr.addElement(cell)
        table.addElement(tr)
    doc.text.addElement(table)
    path = tmp_path / "sirkuler.odt"
    doc.save(str(path))
    text = _pages(path)[0].text
    assert "İMZA SİRKÜLERİ" in text and "Gülşen Işıkçı Müdür" in text
    assert read_document(path).kind == "imza_sirkuleri"


def test_old_word_file_is_a_clear_finding(tmp_path):
    path = tmp_path / "teklif.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    res = read_document(path)
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "teklif.doc" in res.findings[0].message and "DOC/XLS" in res.findings[0].message


def test_password_protected_word_file_is_named_as_such(tmp_path):
    path = tmp_path / "teklif.docx"  # an encrypted DOCX is an OLE file holding an EncryptedPackage stream
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le"))
    res = read_document(path)
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "parola korumalı" in res.findings[0].message


def test_office_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_OFFICE_UNPACKED_BYTES", 1 * limits.MB)
    path = tmp_path / "bomba.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (3 * limits.MB) + b"</w:document>")
    res = read_document(path)
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    assert "çok büyük" in res.findings[0].message


def test_ocr_repairs_lira_sign_percent_and_separator():
    assert repair_signs(["Tutar:", "t412.500,00"]) == ["Tutar:", "₺412.500,00"]
    assert repair_signs(["KDV", "9620"]) == ["KDV", "%20"]
    assert repair_signs(["Miktar", "9620"]) == ["Miktar", "9620"]  # no KDV word before: left alone
    assert repair_signs(["Hesaplanan", "KDV(9620.00)", "378.021,41"]) == ["Hesaplanan", "KDV(%20.00)", "378.021,41"]
    assert repair_signs(["%15", "9620,00", "29.169,46TL"]) == ["%15", "%20,00", "29.169,46TL"]
    assert repair_signs(["Tutar", "9650,00"]) == ["Tutar", "9650,00"]  # 50 is no KDV rate: an amount
    assert repair_signs(["Genel", "Toplam", "20:235.522,05"]) == ["Genel", "Toplam", "20.235.522,05"]
    assert repair_signs(["Kredi", "tutarı:", "54.317.000,00"]) == ["Kredi", "tutarı:", UNREAD]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_scans_as_image_files(tmp_path, fmt):
    docs = [d for d in generate(1, seed=21, kinds=("kredi_uygunluk_belgesi",)) if d.layout in ("tablo", "iso_tarih")]
    path = tmp_path / f"kub.{fmt.lower()}"
    if fmt == "TIFF":  # two pages in one file
        frames = [degrade(pages(d.pdf)[0], i) for i, d in enumerate(docs)]
        buf = io.BytesIO()
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
        path.write_bytes(buf.getvalue())
    else:
        path.write_bytes(docs[0].image(fmt))
    res = read_document(path, "kredi_uygunluk_belgesi")
    assert all(p["source"] == "ocr" for p in res.pages)
    assert len(res.pages) == (2 if fmt == "TIFF" else 1)
    assert res.facts.vkn == docs[0].truth["vkn"]
    with Image.open(path) as img:
        assert img.format == fmt


@pytest.mark.slow
def test_docx_holding_a_pasted_scan_is_read_by_ocr(tmp_path):
    d = next(x for x in generate(1, seed=22, kinds=("kredi_uygunluk_belgesi",)) if x.layout == "tablo")
    img = tmp_path / "tarama.png"
    img.write_bytes(d.image("PNG"))
    w = docx.Document()
    w.add_picture(str(img), width=docx.shared.Cm(16))
    path = tmp_path / "kub.docx"
    w.save(str(path))
    res = read_document(path, "kredi_uygunluk_belgesi")
    assert [p["source"] for p in res.pages] == ["office", "ocr"]
    assert res.facts.vkn == d.truth["vkn"]


REAL = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "real" / "invoices-pdf"


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/fixtures/real is not beside the repository")
def test_real_invoice_as_a_300_dpi_png_is_read_in_full(tmp_path):
    """Issue 11: 'a 300-dpi PNG of one gave only its date and total'. Truth: fixtures/real/README.md."""
    pdf = pdfium.PdfDocument((REAL / "24.07.2025-TTT2025000000018.pdf").read_bytes())
    path = tmp_path / "fatura.png"
    pdf[0].render(scale=300 / 72).to_pil().save(path, dpi=(300, 300))
    pdf.close()
    f = read_document(path, "e_fatura").facts
    assert f.supplier_id == "9000068418" and f.number == "TTT2025000000018"
    assert f.issued_on == date(2025, 7, 24)
    assert (f.net_total, f.kdv_total, f.grand_total) == (Decimal("134762.25"), Decimal("26952.45"),
                                                         Decimal("161714.70"))
    assert "UYUMSOFT" in f.supplier
