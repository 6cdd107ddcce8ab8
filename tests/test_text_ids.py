"""Turkish text helpers, dates and identifiers (turkish-domain.md §3, §6)."""

from datetime import date

import pytest

from evrak.dates import find_dates, format_long, format_short, parse_date
from evrak.identifiers import (
    check_mersis,
    iban_bank_code,
    is_valid_tax_id,
    is_valid_tckn,
    is_valid_tr_iban,
    is_valid_vkn,
    mask_tckn,
)
from evrak.text import NameMatch, fix_mojibake, match_names, same_company, tr_lower, tr_upper


def test_turkish_case():
    assert tr_upper("istanbul ışık") == "İSTANBUL IŞIK"
    assert tr_lower("İSTANBUL IŞIK") == "istanbul ışık"
    assert len(tr_lower("İ")) == 1


@pytest.mark.parametrize(("a", "b", "result"), [
    ("ŞEYMA ÖZTÜRK", "Şeyma Öztürk", NameMatch.EXACT),
    ("ŞEYMA ÖZTÜRK", "Seyma Ozturk", NameMatch.FOLDED),
    ("İBRAHİM IŞIK", "ibrahim işık", NameMatch.FOLDED),
    ("ÞEYMA ÖZTÜRK", "Şeyma Öztürk", NameMatch.EXACT),
    ("Kâzım Çağlar", "KAZIM CAGLAR", NameMatch.FOLDED),
    ("Ayşe  Nur-Yılmaz", "AYSE NUR YILMAZ", NameMatch.FOLDED),
    ("Ayşe Nur Yılmaz", "Ayşe Yılmaz", NameMatch.PROBABLE),
    ("Mehmet Yılmazer", "Mehmet Yılmazar", NameMatch.SIMILAR),
    ("Ali Veli", "Hasan Hüseyin", NameMatch.DIFFERENT),
])
def test_name_matching(a, b, result):
    assert match_names(a, b) is result
    assert result.accepted == (result in (NameMatch.EXACT, NameMatch.FOLDED))


def test_mojibake_only_when_broken():
    assert fix_mojibake("ÞEYMA") == "ŞEYMA"
    assert fix_mojibake("Þórður Şahin") == "Þórður Şahin"


def test_company_names():
    assert same_company("ÖRNEK MAKİNA SAN. VE TİC. A.Ş.", "Örnek Makina Sanayi ve Ticaret Anonim Şirketi")
    assert not same_company("Örnek Makina A.Ş.", "Başka Makina A.Ş.")


def test_dates():
    for text in ("24.02.2023", "24/02/2023", "24 Şubat 2023", "24 ŞUBAT 2023", "2023-02-24", "24-02-2023"):
        assert parse_date(text) == date(2023, 2, 24), text
    assert format_long(date(2023, 2, 24)) == "24 Şubat 2023"
    assert format_short(date(2023, 2, 4)) == "04.02.2023"
    assert [d for d, _, _ in find_dates("30.02.2023 ve 1 Mart 2023")] == [date(2023, 3, 1)]


def test_tckn_vkn():
    assert is_valid_tckn("10000000146") and is_valid_tckn("17291716060")
    assert not is_valid_tckn("10000000147")
    assert not is_valid_tckn("11111111111")  # e-Arşiv anonymous consumer
    assert not is_valid_tckn("01234567890")
    for v in ("4540536920", "3297552117", "9205121120"):
        assert is_valid_vkn(v)
    assert not is_valid_vkn("1288331521")  # the UBL-TR sample's VKN fails its checksum
    assert not is_valid_vkn("1111111111")
    assert is_valid_tax_id("4540536920") and is_valid_tax_id("10000000146")


def test_iban_and_mersis():
    assert is_valid_tr_iban("TR33 0006 1005 1978 6457 8413 26")
    assert iban_bank_code("TR33 0006 1005 1978 6457 8413 26") == "00061"
    assert not is_valid_tr_iban("TR33 0006 1005 1978 6457 8413 27")
    assert not is_valid_tr_iban("DE89370400440532013000")
    assert check_mersis("0850062440300001") == []
    assert check_mersis("0850062440300001", vkn="4540536920")  # embedded VKN differs
    assert check_mersis("123")
    assert mask_tckn("10000000146") == "10*******46"
