"""Proforma facts against generated truth in three layouts, text and scans; the checks."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from testing import docfactory as dfx
from tests.verifiers.helpers import rules, same_firm, same_name, write
from verifiers.document import read_document


def _assert_facts(f, t: dfx.ProformaTruth, *, lines: bool = True) -> None:
    assert same_firm(f.supplier, t.supplier) or same_name(f.supplier, t.supplier), f.supplier
    assert f.supplier_id == t.supplier_id
    assert same_firm(f.buyer, t.buyer)
    assert f.buyer_id == t.buyer_vkn
    assert f.issued_on == t.issued_on
    assert f.number == t.number
    assert f.valid_until == t.valid_until
    assert f.currency == "TRY"
    assert f.net_total == t.net
    assert {p.rate: p.amount for p in f.kdv} == {Decimal(r): a for r, a in t.kdv.items()}
    assert f.kdv_total == t.kdv_total
    assert f.grand_total == t.total
    if lines:
        assert [(ln.quantity, ln.unit_price, ln.amount) for ln in f.lines] == [
            (x.quantity, x.unit_price, x.amount) for x in t.lines]
        assert all(same_name(ln.description, x.description) for ln, x in zip(f.lines, t.lines, strict=True))
    for name in ("supplier_id", "issued_on", "grand_total"):
        assert f.evidence[name].page == 1 and f.evidence[name].text


@pytest.mark.parametrize("layout", dfx.PROFORMA_LAYOUTS)
@pytest.mark.parametrize("seed, rates, sole", [(11, (20,), False), (12, (20, 10), False), (13, (20,), True)])
def test_text_proforma_facts_equal_truth(tmp_path, layout, seed, rates, sole):
    t = dfx.make_proforma_truth(random.Random(seed), rates=rates, n_lines=3 if len(rates) > 1 else None,
                                sole_trader=sole)
    res = read_document(write(tmp_path, "teklif.pdf", dfx.proforma_pdf(t, layout)))
    assert res.kind == "proforma" and res.kind_source == "detected"
    _assert_facts(res.facts, t)
    assert res.findings == [], [f.message for f in res.findings]


@pytest.mark.parametrize("layout", dfx.PROFORMA_LAYOUTS)
def test_wrong_total_fires_arithmetic(tmp_path, layout):
    t = dfx.make_proforma_truth(random.Random(21))
    pdf = dfx.proforma_pdf(t, layout, show_total=t.total + Decimal("1000.00"))
    res = read_document(write(tmp_path, "p.pdf", pdf), kind="proforma")
    assert res.facts.grand_total == t.total + Decimal("1000.00")
    assert "PROFORMA_ARITHMETIC" in rules(res.findings)


@pytest.mark.parametrize("layout", dfx.PROFORMA_LAYOUTS)
def test_eighteen_percent_after_july_2023_fires_rate(tmp_path, layout):
    t = dfx.make_proforma_truth(random.Random(22), issued_on=date(2023, 9, 4))
    res = read_document(write(tmp_path, "p.pdf", dfx.proforma_pdf(t, layout, show_rate=18)), kind="proforma")
    rate = [f for f in res.findings if f.rule == "PROFORMA_KDV_RATE"]
    assert rate and "%18" in rate[0].message and "04.09.2023" in rate[0].message


def test_eighteen_percent_before_july_2023_is_valid(tmp_path):
    rng = random.Random(23)
    t = dfx.make_proforma_truth(rng, issued_on=date(2023, 3, 1), rates=(18,))
    res = read_document(write(tmp_path, "p.pdf", dfx.proforma_pdf(t, "tablo")), kind="proforma")
    assert res.findings == []
    t20 = dfx.make_proforma_truth(rng, issued_on=date(2023, 3, 1), rates=(20,))
    res = read_document(write(tmp_path, "q.pdf", dfx.proforma_pdf(t20, "tablo")), kind="proforma")
    assert "PROFORMA_KDV_RATE" in rules(res.findings)


@pytest.mark.parametrize("layout", dfx.PROFORMA_LAYOUTS)
def test_bad_supplier_checksum(tmp_path, layout):
    t = dfx.make_proforma_truth(random.Random(24))
    t.supplier_id = dfx.break_checksum(t.supplier_id)
    res = read_document(write(tmp_path, "p.pdf", dfx.proforma_pdf(t, layout)), kind="proforma")
    assert res.facts.supplier_id == t.supplier_id
    assert rules(res.findings) == ["PROFORMA_SUPPLIER_ID_INVALID"]


@pytest.mark.parametrize("layout", dfx.PROFORMA_LAYOUTS)
def test_no_kdv_fires_missing(tmp_path, layout):
    t = dfx.make_proforma_truth(random.Random(25))
    res = read_document(write(tmp_path, "p.pdf", dfx.proforma_pdf(t, layout, omit_kdv=True)), kind="proforma")
    assert res.facts.kdv == [] and res.facts.grand_total == t.net
    assert "PROFORMA_KDV_MISSING" in rules(res.findings)


def test_zero_rate_needs_incentive_flag(tmp_path):
    t = dfx.make_proforma_truth(random.Random(26), rates=(0,))
    path = write(tmp_path, "p.pdf", dfx.proforma_pdf(t, "kurumsal"))
    plain = read_document(path, kind="proforma")
    assert [(f.rule, str(f.severity)) for f in plain.findings] == [("PROFORMA_KDV_RATE", "review")]
    incentive = read_document(path, kind="proforma", incentive_certificate=True)
    assert [(f.rule, str(f.severity)) for f in incentive.findings] == [("PROFORMA_KDV_RATE", "info")]
    assert "istisna" in incentive.findings[0].message


@pytest.mark.slow  # OCR or a real evrak process
@pytest.mark.parametrize("layout, seed", [("tablo", 31), ("serbest", 32), ("kurumsal", 33)])
def test_scanned_proforma_via_ocr(tmp_path, layout, seed):
    t = dfx.make_proforma_truth(random.Random(seed), n_lines=2)
    res = read_document(write(tmp_path, "tarama.pdf", dfx.scan(dfx.proforma_pdf(t, layout), angle=1.3,
                                                               seed=seed)))
    assert res.pages[0]["source"] == "ocr"
    assert res.kind == "proforma"
    f = res.facts
    # the key facts are read exactly; nothing read may be wrong
    assert f.supplier_id == t.supplier_id
    assert f.issued_on == t.issued_on
    assert f.grand_total == t.total
    assert f.net_total in (None, t.net)
    assert f.kdv_total in (None, t.kdv_total)
    for ln in f.lines:
        assert ln.amount in {x.amount for x in t.lines}
    assert "PROFORMA_SUPPLIER_ID_INVALID" not in rules(res.findings)
