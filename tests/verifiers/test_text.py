"""Reading text: text layer, the quality gate, OCR with deskew, and malformed files."""

from __future__ import annotations

import random

import pypdfium2 as pdfium
import pytest
from PIL import Image

from testing import docfactory as dfx
from tests.verifiers.helpers import write
from verifiers.document import read_document
from verifiers.ocr import estimate_skew
from verifiers.text import page_quality_problem, read_pdf


def test_text_layer_keeps_turkish_letters_and_is_nfc():
    t = dfx.make_proforma_truth(random.Random(1))
    res = read_pdf("p.pdf", data=dfx.proforma_pdf(t, "serbest"))
    assert res.findings == []
    assert [p.source for p in res.pages] == ["text"]
    text = res.pages[0].text
    assert "Saygılarımızla" in text and "İskenderun" in text
    assert t.supplier in text


@pytest.mark.parametrize("text, problem", [
    ("", "metin katmanı yok"),
    ("(cid:12)(cid:34) Proforma fatura tutarı ve diğer bilgiler", "(cid:NN)"),
    ("Proforma \ufffd\ufffd\ufffd fatura tutar\ufffd bilgileri burada yazılıdır", "U+FFFD"),
    ("12 34 56 7.8", "çok az harf"),
])
def test_quality_gate_sends_bad_pages_to_ocr(text, problem):
    assert problem in (page_quality_problem(text) or "")


def test_quality_gate_accepts_clean_text():
    assert page_quality_problem("İmza sirküleri: Ahmet YILMAZ münferiden yetkilidir. Yevmiye 1234") is None


def test_deskew_finds_small_rotation():
    t = dfx.make_kub_truth(random.Random(2))
    pdf = pdfium.PdfDocument(dfx.kub_pdf(t, "resmi"))
    img = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    for angle in (1.25, -0.75):
        rotated = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        assert abs(estimate_skew(rotated) + angle) <= 0.25


@pytest.mark.slow  # OCR or a real evrak process
def test_scan_goes_through_ocr_with_confidence():
    t = dfx.make_kub_truth(random.Random(3))
    res = read_pdf("s.pdf", data=dfx.scan(dfx.kub_pdf(t, "resmi"), angle=1.0))
    page = res.pages[0]
    assert page.source == "ocr"
    assert page.confidence > 70
    assert "eğiklik" in page.note
    assert t.reference in page.text


@pytest.mark.parametrize("name, data, why", [
    ("kesik.pdf", lambda: dfx.truncated(dfx.proforma_pdf(dfx.make_proforma_truth(random.Random(4)))), "bozuk"),
    ("sifreli.pdf", dfx.encrypted_pdf, "şifreli"),
    ("resim.pdf", dfx.png_bytes, "PNG"),
    ("bos.pdf", lambda: b"", "boş"),
    ("metin.pdf", lambda: b"merhaba, bu bir PDF degil", "PDF değil"),
])
def test_malformed_files_give_doc_unreadable_naming_the_file(tmp_path, name, data, why):
    path = write(tmp_path, name, data())
    res = read_document(path)
    assert [f.rule for f in res.findings] == ["DOC_UNREADABLE"]
    msg = res.findings[0].message
    assert name in msg and why in msg
    assert str(res.findings[0].severity) == "review"
    assert res.facts is None


def test_missing_file_is_a_finding_not_an_exception(tmp_path):
    res = read_document(tmp_path / "yok.pdf")
    assert res.findings[0].rule == "DOC_UNREADABLE"
    assert "yok.pdf" in res.findings[0].message
