"""Application manifest loading (package-format.md): Decimal money, Istanbul time, clear errors."""

from datetime import datetime
from decimal import Decimal

import pytest

from evrak.dates import ISTANBUL
from evrak.errors import UserError
from evrak.manifest import load_manifest, parse_manifest

GOOD = """\
program: tr63-2023-makine
application_no: TR63/23/FKD/MAKINE-0042
submitted_at: 2023-02-15T14:32:00
taahhutname_received_at: null
applicant:
  name: Örnek Makina Sanayi ve Ticaret A.Ş.
  vkn: "4540536920"
  nace: "28.22.01"
  province: Hatay
  founded_on: 2015-03-01
  size: kucuk
project:
  title: CNC ile hassas işleme
  province: Hatay
  duration_months: 6
financing:
  credit: 2100000.10
  co_financing: "900000.00"
budget:
  - code: "3.3.1"
    heading: makine_ekipman
    description: CNC dik işleme merkezi
    amount: 1800000
    technical_spec: ts.pdf
    proformas: [a.pdf, b.pdf]
documents:
  taahhutname: taahhutname.pdf
  sicil_gazetesi: [s1.pdf, s2.pdf]
  yetki_karari: null
"""


def test_good_manifest():
    m = parse_manifest(GOOD)
    assert m.financing.credit == Decimal("2100000.10")  # unquoted, still exact
    assert m.financing.total == Decimal("3000000.10")
    assert m.submitted_at == datetime(2023, 2, 15, 14, 32, tzinfo=ISTANBUL)
    assert m.taahhutname_received_at is None
    assert m.budget[0].amount == Decimal("1800000.00")
    assert m.files_of("sicil_gazetesi") == ["s1.pdf", "s2.pdf"]
    assert m.files_of("yetki_karari") == []
    assert m.named_files() == {"taahhutname.pdf", "s1.pdf", "s2.pdf", "ts.pdf", "a.pdf", "b.pdf"}


def test_offset_kept():
    m = parse_manifest(GOOD.replace("2023-02-15T14:32:00", "2023-02-15T11:32:00+00:00"))
    assert m.submitted_at == datetime(2023, 2, 15, 14, 32, tzinfo=ISTANBUL)


@pytest.mark.parametrize(("change", "field", "line", "words"), [
    (("heading: makine_ekipman", "heading: makina"), "budget.0.heading", 21, "izin verilenler"),
    (("  credit: 2100000.10", "  credit: on milyon"), "financing.credit", 17, "okunamadı"),
    (("program: tr63-2023-makine\n", ""), "program", None, "zorunlu"),
    (("  size: kucuk", "  sizee: kucuk"), "applicant.sizee", None, "bilinmeyen alan"),
    (("submitted_at: 2023-02-15T14:32:00", "submitted_at: dün"), "submitted_at", 3, "ISO"),
])
def test_errors_name_field_and_line(change, field, line, words):
    bad = GOOD.replace(*change)
    with pytest.raises(UserError) as exc:
        parse_manifest(bad, "paket/basvuru.yaml")
    msg = str(exc.value)
    assert "paket/basvuru.yaml" in msg
    assert f"alan '{field}'" in msg
    assert words in msg
    if line:
        assert f"satır {line}" in msg


def test_syntax_error_has_line():
    with pytest.raises(UserError, match="satır 3"):
        parse_manifest("program: x\napplicant:\n\tname: A\n")


def test_json_manifest_and_missing(tmp_path):
    (tmp_path / "basvuru.json").write_text(
        '{"program": "p", "application_no": "1", "submitted_at": "2023-02-15T14:32:00+03:00",'
        '"applicant": {"name": "A", "vkn": "4540536920", "province": "Hatay"},'
        '"project": {"title": "T", "province": "Hatay"},'
        '"financing": {"credit": 1800000.25}}', encoding="utf-8")
    m = load_manifest(tmp_path)
    assert m.financing.credit == Decimal("1800000.25")
    with pytest.raises(UserError, match="yok: bulunamadı"):
        load_manifest(tmp_path / "yok")
    (tmp_path / "bos").mkdir()
    with pytest.raises(UserError, match=r"basvuru\.yaml"):
        load_manifest(tmp_path / "bos")
