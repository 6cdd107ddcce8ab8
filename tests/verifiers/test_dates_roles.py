"""Dates in every Turkish form and the role of each from the words around it; the one
issue-date rule (verifiers.fields.issue_date)."""

from __future__ import annotations

from datetime import date

import pytest

from evrak.dates import find_dates, month_number
from verifiers.fields import Doc, date_mentions, issue_date
from verifiers.text import Page


def _doc(text: str) -> Doc:
    return Doc("t.pdf", [Page(1, text, "text", 100.0)])


@pytest.mark.parametrize("text, value", [
    ("... imzaların adı geçenlere ait olduğunu onaylarım. 4 Mart 2022", date(2022, 3, 4)),
    ("04 MART 2022", date(2022, 3, 4)),
    ("04.03.2022", date(2022, 3, 4)),
    ("4/3/2022", date(2022, 3, 4)),
    ("2022-03-04", date(2022, 3, 4)),
    ("14-05-2024", date(2024, 5, 14)),
    ("Cuma, 4 Mart 2022 14:30", date(2022, 3, 4)),
    ("04.03.2022 Cuma 09:15", date(2022, 3, 4)),
    ("4 Şub. 2023 tarihli", date(2023, 2, 4)),
    ("28 ARALIK 2024", date(2024, 12, 28)),
    ("4. Mart 2022", date(2022, 3, 4)),
    ("04. 03. 2022", date(2022, 3, 4)),
    ("1 Mart 2025 tarihine kadar", date(2025, 3, 1)),
])
def test_forms(text, value):
    assert [d for d, _s, _e in find_dates(text)] == [value]


@pytest.mark.parametrize("text", ["4 Ekipman 2022", "1.375.2022", "31.02.2024", "Sayfa 1/2", "12,50 TL", "2 adet 2022"])
def test_not_dates(text):
    assert find_dates(text) == []


def test_month_words():
    assert [month_number(w) for w in ("MART", "Ağustos", "AĞUSTOS", "Eyl", "şub.", "Marka", "Ekipman")] == [
        3, 8, 8, 9, 2, None, None]


def test_roles_from_the_words_around():
    doc = _doc("Yevmiye No: 52044 Tarih: 08.06.2023\n"
               "Geçerlilik Tarihi: 08.07.2023\n"
               "Doğum Tarihi: 01.02.1980\n"
               "12.05.2023 tarihli yönetim kurulu kararı ile\n"
               "31.12.2025 tarihine kadar münferiden\n"
               "01.01.2024 tarihinden itibaren\n"
               "19 Haziran 1992 tarihinde tescil edilmiştir.\n"
               "İrsaliye Tarihi: 01-09-2024\n"
               "Yetki Bitiş Tarihi : 07/06/2026\n"
               "onaylarım. 4 Mart 2022")
    assert [(m.value, m.role) for m in date_mentions(doc)] == [
        (date(2023, 6, 8), "issue"), (date(2023, 7, 8), "validity"), (date(1980, 2, 1), "birth"),
        (date(2023, 5, 12), "reference"), (date(2025, 12, 31), "until"), (date(2024, 1, 1), "from"),
        (date(1992, 6, 19), "registration"), (date(2024, 9, 1), "delivery"), (date(2026, 6, 7), "validity"),
        (date(2022, 3, 4), "notarisation")]


def test_issue_date_is_never_a_validity_or_registration_date():
    doc = _doc("Bu teklif 30.06.2024 tarihine kadar geçerlidir.\nOdaya kayıt tarihi: 03.03.2001\n"
               "Ankara, 5 Haziran 2024")
    assert issue_date(doc)[0] == date(2024, 6, 5)


def test_labelled_date_wins_over_an_earlier_unlabelled_one():
    doc = _doc("Ref 2024/11 01.02.2024 görüşmemize istinaden\nTeklif Tarihi: 03.02.2024")
    assert issue_date(doc)[0] == date(2024, 2, 3)


def test_notary_date_when_no_label():
    doc = _doc("İMZA SİRKÜLERİ\nYukarıdaki imzaların ... onaylarım. 4 Mart 2022")
    assert issue_date(doc)[0] == date(2022, 3, 4)


def test_no_date_is_no_date():
    assert issue_date(_doc("Belge\nTarih yazılmamış bir metin, 12,50 TL ve 3 adet.")) is None


def test_a_date_broken_over_two_lines_of_running_text():
    """A registry letter's running text wraps inside its date ("... odaya giriş tarihi 16 HAZİRAN"
    / "2008 dir."): read as one date with its role; a count and a year on the next line are not."""
    doc = _doc("Firmanın vergi kimlik numarası 9641121685, odaya giriş tarihi 16 HAZİRAN\n2008 dir.\n"
               "Teslim edilen 12 adet\n2023 model makine")
    (m,) = date_mentions(doc)
    assert m.value == date(2008, 6, 16) and m.role == "registration"


def test_a_trade_name_broken_inside_its_legal_form():
    """Running text that breaks between ANONİM and ŞİRKETİ: the name is joined across the lines,
    however long the next line is; a next line that merely starts with "şirketimiz" is not a tail."""
    from verifiers.fields import company_at, company_from_line

    doc = _doc("Odamızın 47024 sicil numarasında kayıtlı GÖKSUN SÜT SANAYİ VE TİCARET ANONİM\n"
               "ŞİRKETİ (Vergi No: 9385567470) 11.10.2012 tarihinden itibaren odamıza kayıtlı olup faaliyetine\n")
    assert company_at(doc, doc.lines[0]) == "GÖKSUN SÜT SANAYİ VE TİCARET ANONİM ŞİRKETİ"
    ltd = _doc("Kırsal Kalkınma Programı çerçevesinde Toros Hidrolik Gıda Sanayi ve Dış Ticaret Ltd.\n"
               "Şti. unvanlı firmamız müşterisinin (Vergi No: 6975019447) 1.125.000,00 TL tutarındaki yatırım\n")
    assert company_at(ltd, ltd.lines[0]) == "Toros Hidrolik Gıda Sanayi ve Dış Ticaret Ltd. Şti."
    circular = _doc("Ben, Fatma Zehra Şahinoğlu (T.C. Kimlik No: 88989858430), Çukurova Pres Gıda Sanayi ve Dış "
                    "Ticaret\nLtd. Şti. (Vergi Kimlik No: 9411859407) şirketinin müdürü sıfatıyla yetkili olduğumu\n")
    assert company_at(circular, circular.lines[0]) == "Çukurova Pres Gıda Sanayi ve Dış Ticaret Ltd. Şti."
    assert company_from_line("Ltd. Şti. (Vergi Kimlik No: 9411859407) şirketinin müdürü") is None
    other = _doc("Bu belge ANONİM\nşirketimizin talebi üzerine, tüm resmi kurumlara sunulmak için verilmiştir")
    assert company_at(other, other.lines[0]) is None
