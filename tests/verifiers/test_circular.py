"""İmza sirküleri -> evrak.facts.SignatureCircular in three layouts, text and scans."""

from __future__ import annotations

import random

import pytest

from evrak.facts import SignatureCircular, SigningMode
from evrak.text import fold
from testing import docfactory as dfx
from tests.verifiers.helpers import rules, same_firm, same_name, write
from verifiers.document import read_document


def _assert_circular(c: SignatureCircular, t: dfx.CircularTruth, *, full: bool = True) -> None:
    assert same_firm(c.company, t.company)
    assert c.vkn == t.vkn
    assert fold(c.notary or "") == fold(t.notary)
    assert c.yevmiye_no == t.yevmiye_no
    assert c.issued_on == t.issued_on
    assert len(c.persons) == len(t.persons)
    for p, q in zip(c.persons, t.persons, strict=True):
        assert same_name(p.name, q.name), (p.name, q.name)
        assert p.tckn == q.tckn
        assert p.title == q.title
        assert p.mode == SigningMode(q.mode)
        if full:
            assert [fold(x) for x in p.joint_with] == [fold(x) for x in q.joint_with]
            assert p.limit == q.limit
            assert p.valid_until == q.valid_until
        assert p.evidence and p.evidence[0].page == 1


@pytest.mark.parametrize("layout", dfx.CIRCULAR_LAYOUTS)
@pytest.mark.parametrize("seed", [3, 5, 8])
def test_text_circular_equals_truth(tmp_path, layout, seed):
    t = dfx.make_circular_truth(random.Random(seed))
    res = read_document(write(tmp_path, "imza.pdf", dfx.circular_pdf(t, layout)))
    assert res.kind == "imza_sirkuleri"
    assert isinstance(res.facts, SignatureCircular)
    _assert_circular(res.facts, t)
    assert res.findings == [], [f.message for f in res.findings]


@pytest.mark.slow  # OCR or a real evrak process
@pytest.mark.parametrize("layout, seed", [("tablo", 5), ("anlatim", 8)])
def test_scanned_circular_via_ocr(tmp_path, layout, seed):
    t = dfx.make_circular_truth(random.Random(seed))
    res = read_document(write(tmp_path, "imza.pdf", dfx.scan(dfx.circular_pdf(t, layout), angle=-1.1)))
    assert res.pages[0]["source"] == "ocr"
    assert res.kind == "imza_sirkuleri"
    _assert_circular(res.facts, t, full=False)


def test_bad_tckn_is_not_kept(tmp_path):
    t = dfx.make_circular_truth(random.Random(9))
    t.persons[0].tckn = dfx.break_checksum(t.persons[0].tckn)
    res = read_document(write(tmp_path, "imza.pdf", dfx.circular_pdf(t, "liste")), kind="imza_sirkuleri")
    assert res.facts.persons[0].tckn is None
    assert same_name(res.facts.persons[0].name, t.persons[0].name)
    assert "TCKN_INVALID" in rules(res.findings)


def test_unstated_mode_is_reported_not_guessed_alone(tmp_path):
    pdf = dfx.render([("p", "İMZA SİRKÜLERİ", 14, True, 1),
                      ("p", "Ankara 3. Noterliği  Yevmiye No: 4521  Tarih: 12.03.2024", 10, False, 0),
                      ("p", "Örnek Makina Sanayi ve Ticaret A.Ş. adına Ahmet YILMAZ (T.C. Kimlik No: "
                            f"{dfx.make_tckn(random.Random(1))}) Yönetim Kurulu Başkanı olarak imza "
                            "örneğini vermiştir.", 10, False, 0)])
    res = read_document(write(tmp_path, "imza.pdf", pdf), kind="imza_sirkuleri")
    p = res.facts.persons[0]
    # issue 11: an unread clause is reported as unread, never assumed joint (or alone)
    assert p.mode == SigningMode.UNKNOWN
    assert any(f.rule == "DOC_UNREADABLE" and "temsil şekli" in f.message and str(f.certainty) == "unread"
               for f in res.findings)
