"""The OCR engine: a Tesseract kept loaded per process (tesserocr) reads what the tesseract
command reads, from the same traineddata; without tesserocr the command is used."""

from __future__ import annotations

from difflib import SequenceMatcher

import pypdfium2 as pdfium
import pytest
from PIL import ImageOps

from testing.corpus import generate
from verifiers import ocr


@pytest.fixture(scope="module")
def page():
    doc = next(d for d in generate(1, seed=12, kinds=("proforma",)) if d.layout == "antet_tablo")
    image = pdfium.PdfDocument(doc.scan())[0].render(scale=300 / 72).to_pil()
    return ImageOps.grayscale(image), doc.truth


@pytest.mark.slow
def test_kept_engine_reads_what_the_command_reads(page, monkeypatch):
    image, truth = page
    pytest.importorskip("tesserocr", reason="tesserocr is not installed: the command line is used")
    lang = ocr.default_lang()
    kept = ocr.tesseract_data(image, lang=lang, psm=4, dpi=300, timeout_s=60)
    assert ocr._engine(lang, 4) is not None  # the instance is kept for the next page
    monkeypatch.setattr(ocr._ENGINES, "engines", {(lang, 4): None})  # force the command line
    command = ocr.tesseract_data(image, lang=lang, psm=4, dpi=300, timeout_s=60)
    words_kept = [w for w in kept["text"] if w.strip()]
    words_cmd = [w for w in command["text"] if w.strip()]
    assert len(words_kept) > 50 and SequenceMatcher(None, words_kept, words_cmd).ratio() > 0.95
    assert set(kept) == set(command) >= {"left", "top", "width", "height", "conf", "text", "line_num"}
    result = ocr.ocr_image(image, dpi=300)
    assert truth["number"] in result.text


def test_a_timeout_is_an_ocr_error(page):
    pytest.importorskip("tesserocr", reason="tesserocr is not installed: the command line is used")
    image, _ = page
    with pytest.raises(ocr.OcrError, match="saniyede bitmedi"):
        ocr.tesseract_data(image, lang=ocr.default_lang(), psm=4, dpi=300, timeout_s=0.001)
