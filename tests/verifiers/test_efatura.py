"""e-Fatura / e-Arşiv UBL-TR reading, checks, and hostile XML."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest

from testing import docfactory as dfx
from tests.verifiers.helpers import rules, write
from verifiers.document import read_document


@pytest.mark.parametrize("profile", ["TEMELFATURA", "EARSIVFATURA"])
def test_efatura_facts(tmp_path, profile):
    t = dfx.make_proforma_truth(random.Random(41), rates=(20, 10), n_lines=3)
    res = read_document(write(tmp_path, "fatura.xml", dfx.efatura_xml(t, profile=profile)))
    f = res.facts
    assert res.kind == "e_fatura" and f.profile == profile
    assert f.supplier == t.supplier and f.supplier_id == t.supplier_id
    assert f.buyer_id == t.buyer_vkn and f.issued_on == t.issued_on and f.currency == "TRY"
    assert f.net_total == t.net and f.grand_total == t.total and f.kdv_total == t.kdv_total
    assert {p.rate: p.amount for p in f.kdv} == {Decimal(r): a for r, a in t.kdv.items()}
    assert [ln.amount for ln in f.lines] == [x.amount for x in t.lines]
    assert res.findings == []


def test_efatura_checks_fire(tmp_path):
    t = dfx.make_proforma_truth(random.Random(42))
    t.supplier_id = dfx.break_checksum(t.supplier_id)
    res = read_document(write(tmp_path, "f.xml", dfx.efatura_xml(t, show_total=t.total + 5)))
    assert set(rules(res.findings)) == {"PROFORMA_ARITHMETIC", "PROFORMA_SUPPLIER_ID_INVALID"}


@pytest.mark.parametrize("data", [dfx.XXE_XML, dfx.BILLION_LAUGHS])
def test_hostile_xml_is_refused_quickly(tmp_path, data):
    start = time.monotonic()
    res = read_document(write(tmp_path, "kotu.xml", data))
    assert time.monotonic() - start < 20  # hang guard
    assert rules(res.findings) == ["DOC_UNREADABLE"]
    assert "kotu.xml" in res.findings[0].message and "ENTITY" in res.findings[0].message
    assert res.facts is None
    assert "root:" not in str(res.to_dict())


@pytest.mark.parametrize("data, why", [(b"<Invoice><broken>", "XML bozuk"),
                                       (b"<?xml version='1.0'?><Note>merhaba</Note>", "Invoice")])
def test_broken_or_foreign_xml(tmp_path, data, why):
    res = read_document(write(tmp_path, "a.xml", data))
    assert rules(res.findings) == ["DOC_UNREADABLE"] and why in res.findings[0].message
