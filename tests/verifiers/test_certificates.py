"""Dated certificates and kind detection."""

from __future__ import annotations

import random

import pytest

from evrak.text import fold
from testing import docfactory as dfx
from tests.verifiers.helpers import same_firm, write
from verifiers.document import read_document
from verifiers.kinds import detect_kind
from verifiers.text import Page


@pytest.mark.parametrize("kind", dfx.CERT_KINDS)
@pytest.mark.parametrize("variant", [0, 1, 2])
def test_certificate_facts_equal_truth(tmp_path, kind, variant):
    t = dfx.make_cert_truth(random.Random(f"{kind}{variant}"), kind)
    res = read_document(write(tmp_path, "belge.pdf", dfx.cert_pdf(t, variant)))
    assert res.kind == kind
    f = res.facts
    assert f.issued_on == t.issued_on
    assert f.vkn == t.vkn
    assert same_firm(f.company, t.company)
    if t.issuer:
        assert fold(f.issuer or "") == fold(t.issuer)
    assert f.nace_codes == t.nace
    assert f.registered_on == t.founded_on
    assert res.findings == []


def test_detect_kind_returns_none_when_unsure():
    assert detect_kind([Page(1, "Toplantı notları: yarın saat 10'da buluşalım.", "text", 100)]) is None


def test_wrong_kind_is_reported(tmp_path):
    t = dfx.make_kub_truth(random.Random(6))
    res = read_document(write(tmp_path, "x.pdf", dfx.kub_pdf(t, "resmi")), kind="faaliyet_belgesi")
    assert "DOC_WRONG_KIND" in [f.rule for f in res.findings]


def test_an_unread_labelled_vkn_on_a_scan_is_not_replaced_by_another_number():
    """On a scan the labelled VKN whose digits no single reading makes valid stays unread; a
    valid-looking 10-digit number elsewhere (a phone or file number) never takes its place."""
    from verifiers.certificates import read_certificate
    from verifiers.fields import Doc

    text = ("ADANA SANAYİ ODASI\nFAALİYET BELGESİ\nFirma: Örnek Makina Sanayi Ltd. Şti.\n"
            "Vergi Kimlik No: 12B45G7B9O\nDosya No: 1234567890\n")
    facts = read_certificate(Doc("f.pdf", [Page(1, text, "ocr", 80.0)]), "faaliyet_belgesi")
    assert facts.vkn is None
    typed = read_certificate(Doc("f.pdf", [Page(1, text.replace("12B45G7B9O", "9411859407"), "text", 100.0)]),
                             "faaliyet_belgesi")
    assert typed.vkn == "9411859407"
