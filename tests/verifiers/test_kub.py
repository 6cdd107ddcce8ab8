"""Kredi Uygunluk Belgesi and the bank's application receipt."""

from __future__ import annotations

import random

import pytest

from testing import docfactory as dfx
from tests.verifiers.helpers import same_firm, write
from verifiers.document import read_document


def _assert_kub(f, t: dfx.KubTruth) -> None:
    assert f.bank == t.bank
    assert f.branch == t.branch
    assert same_firm(f.company, t.company)
    assert f.vkn == t.vkn
    assert f.amount == t.amount
    assert f.issued_on == t.issued_on
    assert f.reference == t.reference
    assert f.positive == t.positive
    assert f.is_application_receipt == t.is_application_receipt


@pytest.mark.parametrize("layout", dfx.KUB_LAYOUTS)
@pytest.mark.parametrize("seed", [1, 2])
def test_letter_facts_equal_truth(tmp_path, layout, seed):
    t = dfx.make_kub_truth(random.Random(seed))
    res = read_document(write(tmp_path, "kub.pdf", dfx.kub_pdf(t, layout)))
    assert res.kind == "kredi_uygunluk_belgesi"
    _assert_kub(res.facts, t)
    if layout != "kisa":
        assert res.facts.program and "TR63/23" in res.facts.program
    else:
        assert res.facts.program is None
    assert res.findings == []


@pytest.mark.parametrize("layout", dfx.KUB_LAYOUTS)
def test_receipt_is_told_apart(tmp_path, layout):
    t = dfx.make_kub_truth(random.Random(3), receipt=True)
    res = read_document(write(tmp_path, "kub.pdf", dfx.kub_pdf(t, layout)), kind="kredi_uygunluk_belgesi")
    assert res.facts.is_application_receipt is True
    assert res.facts.positive is None
    assert res.facts.amount is None


@pytest.mark.parametrize("layout", dfx.KUB_LAYOUTS)
def test_negative_letter(tmp_path, layout):
    t = dfx.make_kub_truth(random.Random(4), negative=True)
    res = read_document(write(tmp_path, "kub.pdf", dfx.kub_pdf(t, layout)), kind="kredi_uygunluk_belgesi")
    assert res.facts.positive is False
    assert res.facts.is_application_receipt is False


@pytest.mark.slow  # OCR or a real evrak process
def test_scanned_letter_via_ocr(tmp_path):
    t = dfx.make_kub_truth(random.Random(5))
    res = read_document(write(tmp_path, "kub.pdf", dfx.scan(dfx.kub_pdf(t, "tablo"), angle=0.7)))
    assert res.pages[0]["source"] == "ocr"
    assert res.kind == "kredi_uygunluk_belgesi"
    f = res.facts
    assert f.vkn == t.vkn and f.amount == t.amount and f.issued_on == t.issued_on
    assert f.bank == t.bank and f.positive is True


@pytest.mark.slow  # OCR or a real evrak process
@pytest.mark.parametrize("amount", ["4317000.00", "1300000.00"])
def test_scanned_lira_sign_never_gives_a_wrong_amount(tmp_path, amount):
    """"Kredi tutarı: ₺4.317.000,00" scanned: Tesseract's Turkish model reads ₺ as 5. The amount
    must be right or reported unreadable (review), never 54.317.000,00."""
    from decimal import Decimal

    t = dfx.make_kub_truth(random.Random(5))
    t.amount = Decimal(amount)
    res = read_document(write(tmp_path, "kub.pdf", dfx.scan(dfx.kub_pdf(t, "kisa"), angle=0.6, seed=3)))
    assert res.pages[0]["source"] == "ocr"
    assert res.facts.amount in (t.amount, None)
    if res.facts.amount is None:
        assert any(f.rule == "DOC_UNREADABLE" and "tutar" in f.message for f in res.findings)
