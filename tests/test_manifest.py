"""Application manifest loading (package-format.md): Decimal money, Istanbul time, clear errors."""

import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from evrak.dates import ISTANBUL
from evrak.errors import UserError
from evrak.manifest import MAX_MANIFEST_BYTES, load_manifest, parse_manifest
from verifiers.qrcode import parse_payload
from worker.completion import parse_note

ROOT = Path(__file__).resolve().parents[1]

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


# --- hostile and strict input (issue 17) ------------------------------------------------------

LAUGHS = "\n".join(
    ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    + ["program: *i"]) + "\n"


def _timed_error(text: str, name: str = "basvuru.yaml") -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(UserError) as exc:
        parse_manifest(text, name)
    return str(exc.value), time.perf_counter() - start


def test_billion_laughs_is_refused_at_once():
    msg, took = _timed_error(LAUGHS)
    assert took < 10  # a hang guard, not a speed test: the bomb never returned before
    assert "takma ad" in msg and "satır 10" in msg  # program: *i, the first alias met
    assert len(msg) < 200


def test_alias_of_a_scalar_and_merge_keys_are_refused():
    with pytest.raises(UserError, match="takma ad"):
        parse_manifest(GOOD.replace("  province: Hatay\n  founded_on", "  province: &p Hatay\n  founded_on")
                       .replace("  province: Hatay\n  duration", "  province: *p\n  duration"))
    with pytest.raises(UserError, match=r"takma ad|birleştirme"):
        parse_manifest(GOOD + "x: &x {a: 1}\ny:\n  <<: *x\n")


def test_duplicate_keys_are_refused_with_the_second_line():
    text = GOOD.replace("  co_financing: \"900000.00\"\n", "  co_financing: \"900000.00\"\n  credit: 5\n")
    msg, _ = _timed_error(text)
    assert "aynı anahtar" in msg and "'credit'" in msg and "satır 19" in msg


def test_oversized_manifest_is_refused_by_size(tmp_path):
    line = "  - {code: \"3.3.1\", heading: makine_ekipman, description: Tezgah, amount: \"1.00\"}\n"
    big = GOOD + "budget_extra:\n" + line * 60_000  # about 4.4 MB, as in the report
    assert len(big.encode()) > 4_000_000
    msg, took = _timed_error(big)
    assert "çok büyük" in msg and took < 10  # refused before parsing
    path = tmp_path / "basvuru.yaml"
    path.write_text(big, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(UserError, match="çok büyük"):
        load_manifest(path)
    assert time.perf_counter() - start < 10


@pytest.mark.slow
def test_a_manifest_at_the_limit_still_parses_in_time():
    line = "  - {code: \"3.3.1\", heading: makine_ekipman, description: Tezgah, amount: \"1.00\"}\n"
    head, _, rest = GOOD.partition("budget:\n")
    text = head + "budget:\n" + line * ((MAX_MANIFEST_BYTES - len(GOOD.encode()) - 2000) // len(line)) + \
        rest.partition("documents:\n")[1] + rest.partition("documents:\n")[2]
    assert len(text.encode()) < MAX_MANIFEST_BYTES
    start = time.perf_counter()
    m = parse_manifest(text)
    assert len(m.budget) > 10_000 and time.perf_counter() - start < 60


@pytest.mark.parametrize(("change", "field", "words"), [
    (("application_no: TR63/23/FKD/MAKINE-0042", "application_no: \"  \""), "application_no", "boş"),
    (("application_no: TR63/23/FKD/MAKINE-0042", "application_no: \"\""), "application_no", "boş"),
    (("  credit: 2100000.10", "  credit: 2100000.105"), "financing.credit", "iki ondalık"),
    (("  credit: 2100000.10", "  credit: \"2100000.101\""), "financing.credit", "iki ondalık"),
    (("  credit: 2100000.10", "  credit: 0"), "financing.credit", "sıfırdan büyük"),
    (("  co_financing: \"900000.00\"", "  co_financing: -5"), "financing.co_financing", "negatif"),
    (("submitted_at: 2023-02-15T14:32:00", "submitted_at: 1676460720"), "submitted_at", "ISO metni"),
    (("  duration_months: 6", "  duration_months: -6"), "project.duration_months", "sıfırdan büyük"),
    (("  duration_months: 6", "  duration_months: 0"), "project.duration_months", "sıfırdan büyük"),
    (("  vkn: \"4540536920\"", "  vkn: \"４５４０５３６９２０\""), "applicant.vkn", "0-9"),
    (("  vkn: \"4540536920\"", "  vkn: \"454053692\""), "applicant.vkn", "10 (VKN)"),
    (("  vkn: \"4540536920\"", "  vkn: \"45405369ab\""), "applicant.vkn", "0-9"),
    (("  size: kucuk", "  size: kucuk\n  iban: TR330006100519786457841327"), "applicant.iban", "IBAN"),
    (("  name: Örnek Makina", "  name: \u202eÖrnek Makina"), "applicant.name", "U+202E"),
    (("  name: Örnek Makina", "  name: Örnek \u2067Makina"), "applicant.name", "yön denetim"),
    (("  name: Örnek Makina", "  name: Örnek M\u0430kina"), "applicant.name", "CYRILLIC"),
    (("  title: CNC ile", "  title: CNC \u0456le"), "project.title", "alfabe"),
    (("    description: CNC dik işleme merkezi", '    description: "CNC\\adik"'), "budget.0.description",
     "denetim karakteri"),
])
def test_strict_values(change, field, words):
    bad = GOOD.replace(*change)
    assert bad != GOOD
    with pytest.raises(UserError) as exc:
        parse_manifest(bad, "paket/basvuru.yaml")
    msg = str(exc.value)
    assert "paket/basvuru.yaml" in msg
    assert f"alan '{field}'" in msg
    assert words in msg
    assert "satır" in msg


def test_strict_values_keep_what_is_right():
    m = parse_manifest(GOOD.replace("  credit: 2100000.10", "  credit: 2100000.100")
                       .replace("  size: kucuk", "  size: kucuk\n  iban: TR330006100519786457841326"))
    assert m.financing.credit == Decimal("2100000.10")  # a trailing zero is not a third decimal
    assert m.applicant.iban == "TR330006100519786457841326"
    # Greek letters in a budget description are fine (units), only names are checked for mixing
    m = parse_manifest(GOOD.replace("CNC dik işleme merkezi", "CNC dik işleme merkezi, 5 μm, 10 Ω"))
    assert "Ω" in m.budget[0].description


def test_error_never_echoes_a_huge_value():
    msg, _ = _timed_error(GOOD.replace("  size: kucuk", "  size: " + "x" * 500_000))
    assert "izin verilenler" in msg and len(msg) < 400


@pytest.mark.parametrize(("text", "name", "words"), [
    ("program: " + "9" * 5000 + "\n", "basvuru.yaml", "çok uzun"),
    ('{"program": ' + "9" * 5000 + "}", "basvuru.json", "çok uzun"),
    ("[" * 100_000 + "]" * 100_000, "basvuru.json", "derin"),
    ("a: " + "[" * 100_000 + "]" * 100_000, "basvuru.yaml", "sözdizimi"),
])
def test_oversized_numbers_and_deep_nesting_are_user_errors(text, name, words):
    msg, took = _timed_error(text, name)
    assert words in msg and took < 10
    assert "sys." not in msg and "digits" not in msg  # no Python text reaches staff


@pytest.mark.slow
def test_cli_exits_2_on_billion_laughs_quickly(tmp_path):
    """The real command: one Turkish line, exit 2, no traceback, in seconds."""
    (tmp_path / "basvuru.yaml").write_text(LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "worker.cli", "render", "taahhutname", "--application",
                          str(tmp_path / "basvuru.yaml"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 2, res.stderr
    assert time.perf_counter() - start < 60
    assert "Traceback" not in res.stderr and res.stderr.count("\n") == 1
    assert "takma ad" in res.stderr


def test_completion_note_is_read_within_the_same_bounds():
    """tamamlama.yaml went through yaml.safe_load, which expands aliases: a billion laughs hung it."""
    start = time.perf_counter()
    with pytest.raises(UserError, match="takma ad"):
        parse_note(LAUGHS.replace("program: *i", "application_no: *i"), "tamamlama.yaml")
    assert time.perf_counter() - start < 10
    note = parse_note("application_no: TR63/1\nsubmitted_at: 2023-03-02T10:15:00\ndocuments:\n  kub: k.pdf\n")
    assert note.application_no == "TR63/1" and note.submitted_at.hour == 10 and note.documents == {"kub": ["k.pdf"]}


def test_qr_payload_nested_deeply_is_not_a_crash():
    assert parse_payload("{" + '"a":' + "[" * 5000 + "]" * 5000 + "}") is None
