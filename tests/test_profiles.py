"""Program profiles (programs/*.toml) against the guides they come from.

Expected values are literals read from the guides (shared/seeds), with the line they come
from; they are never values printed by the code under test.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from evrak.dates import ISTANBUL
from evrak.deadlines import taahhutname_deadline
from evrak.errors import UserError
from evrak.findings import RULES
from evrak.profiles import Program, load_profile_file, programs_dir

PROGRAMS = programs_dir()
IDS = ["tr63-2023-makine", "tr52-2026-sogreen", "tr61-2023-imalat", "tr72-2023-ustd", "kumelenme-2023"]
CREDIT = ["tr63-2023-makine", "tr52-2026-sogreen", "tr61-2023-imalat"]


def load(program_id: str) -> Program:
    return load_profile_file(PROGRAMS / f"{program_id}.toml")


def ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=ISTANBUL)


# --- every profile loads, with the guide's identity --------------------------------------


def test_all_profiles_present():
    found = sorted(p.stem for p in PROGRAMS.glob("*.toml") if p.name != "calendar.toml")
    assert sorted(IDS) == [i for i in found if i in IDS]


@pytest.mark.parametrize("program_id", IDS)
def test_profile_loads(program_id):
    program = load(program_id)
    assert program.id == program_id
    assert program.periods


@pytest.mark.parametrize(("program_id", "seed", "reference", "instrument"), [
    ("tr63-2023-makine", "002", "TR63/23/FKD/MAKİNE", "faizsiz_kredi"),          # 002 L7, L31
    ("tr52-2026-sogreen", "001", "TR52/26/SGR", "geri_odemeli_finansman"),       # 001 L24
    ("tr61-2023-imalat", "003", "", "faizsiz_kredi"),                            # 003 states none
    ("tr72-2023-ustd", "000", "TR72/23/ÜŞTD", "teknik_destek"),                  # 000 L5, L203
    ("kumelenme-2023", "004", "", "hibe"),                                       # 004 L7, none stated
])
def test_identity(program_id, seed, reference, instrument):
    program = load(program_id)
    assert (program.seed, program.reference, program.instrument) == (seed, reference, instrument)


@pytest.mark.parametrize(("program_id", "provinces"), [
    ("tr63-2023-makine", ["Hatay", "Kahramanmaraş", "Osmaniye"]),   # 002 L119
    ("tr52-2026-sogreen", ["Konya", "Karaman"]),                    # 001 L462
    ("tr61-2023-imalat", ["Antalya", "Burdur", "Isparta"]),         # 003 L99
    ("tr72-2023-ustd", ["Kayseri"]),                                # 000 L151, L220
])
def test_provinces(program_id, provinces):
    assert load(program_id).provinces == provinces


def test_kumelenme_is_national():
    provinces = load("kumelenme-2023").provinces
    assert len(provinces) == len(set(provinces)) == 81
    assert {"İstanbul", "Hakkari", "Iğdır", "Düzce"} <= set(provinces)


@pytest.mark.parametrize(("program_id", "announced", "verified"), [
    ("tr63-2023-makine", date(2022, 12, 9), True),     # 002 L12 "09 Aralık 2022"
    ("tr52-2026-sogreen", date(2026, 3, 25), True),    # 001 L26 "25 Mart 2026"
    ("tr61-2023-imalat", date(2022, 11, 16), False),   # D23: not in 003, third-party date
    ("tr72-2023-ustd", date(2023, 5, 2), False),       # 000 L585: first period opens; no date in the deck
    ("kumelenme-2023", date(2023, 9, 4), False),       # 004 L7: applications open
])
def test_announcement(program_id, announced, verified):
    program = load(program_id)
    assert program.announcement_date == announced
    assert program.announcement_verified is verified
    if not verified:
        assert program.announcement_note


@pytest.mark.parametrize(("program_id", "deadlines"), [
    ("tr63-2023-makine", [ist(2023, 2, 17, 23, 59)]),                           # 002 L16
    ("tr52-2026-sogreen", [ist(2026, 5, 8, 23, 50)]),                           # 001 L28
    ("tr61-2023-imalat", [ist(2023, 1, 20, 23, 59)]),                           # 003 L1521
    ("tr72-2023-ustd", [ist(2023, 6, 26, 17, 0), ist(2023, 8, 29, 23, 0)]),     # 000 L585-597
    ("kumelenme-2023", [ist(2023, 11, 3, 23, 59)]),                             # 004 L7 (day only)
])
def test_application_deadlines(program_id, deadlines):
    assert [p.application_deadline for p in load(program_id).periods] == deadlines


@pytest.mark.parametrize(("program_id", "minimum", "maximum", "budget"), [
    ("tr63-2023-makine", "300000", "3000000", "40000000"),     # 002 L113, L112
    ("tr52-2026-sogreen", "3000000", "7500000", "250000000"),  # 001 L39, L38
    ("tr61-2023-imalat", "200000", "3000000", "50000000"),     # 003 L356-358, L334
    ("tr72-2023-ustd", None, "200000", "4000000"),             # 000 L194-196 (labels lost)
    ("kumelenme-2023", None, None, None),                      # 004 L7 "sınırsız"
])
def test_amount_limits(program_id, minimum, maximum, budget):
    a = load(program_id).amounts
    dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert (a.minimum, a.maximum, a.program_budget) == (dec(minimum), dec(maximum), dec(budget))
    for value in (a.minimum, a.maximum, a.program_budget):
        assert value is None or isinstance(value, Decimal)


def test_002_cofinancing_and_kub():
    a = load("tr63-2023-makine").amounts
    # 002 L359: credit 25 %-70 % of the budget; L115: co-financing 30 %-75 %; D17: KUB >= credit.
    assert (a.support_ratio_min, a.support_ratio_max) == (Decimal("0.25"), Decimal("0.70"))
    assert (a.cofinancing_min, a.cofinancing_max) == (Decimal("0.30"), Decimal("0.75"))
    assert a.kub_covers == "credit"
    assert load("tr52-2026-sogreen").amounts.kub_covers == "total_budget"   # 001 L759
    assert load("tr61-2023-imalat").amounts.kub_covers == "total_budget"    # 003 L1013-1015


def test_002_nace_list_is_ek_i():
    nace = load("tr63-2023-makine").eligibility.nace
    assert len(nace) == len(set(nace)) == 48                                # 002 L1330-1380
    assert nace[0] == "28.13.01" and nace[-1] == "28.99.90"
    assert {"28.22.13", "28.93.10", "28.94.08", "28.99.10"} <= set(nace)
    assert load("tr63-2023-makine").eligibility.founded_before == date(2022, 1, 1)   # D20


def test_003_proforma_rules():
    b = load("tr61-2023-imalat").budget                                    # 003 L1086-1106, D18
    assert (b.offers_threshold, b.offers_min) == (Decimal("30000"), 2)
    assert b.offers_distinct_suppliers and b.compare_with == "lowest"
    assert b.techspec == "above_threshold"


@pytest.mark.parametrize(("program_id", "anchor", "grace", "n", "basis"), [
    ("tr63-2023-makine", "transfer", 6, 18, "drawn"),                # D11, D12; 002 L363, L982
    ("tr52-2026-sogreen", "contract_signed", 6, 24, "eligible_cost"),  # 001 L987-988
    ("tr61-2023-imalat", "transfer", 6, 30, "eligible_cost"),        # 003 L338, L1972-1977
])
def test_repayment(program_id, anchor, grace, n, basis):
    r = load(program_id).repayment
    assert (r.anchor, r.grace_months, r.installments, r.basis) == (anchor, grace, n, basis)


def test_fees_are_decimal_strings():
    f = load("tr63-2023-makine").fees                                  # D16
    assert (f.commission_rate, f.commission_per_year, f.bsmv_rate, f.stamp_duty_rate) == (
        Decimal("0.004"), True, Decimal("0.05"), Decimal("0.00948"))
    f = load("tr61-2023-imalat").fees                                  # 003 L959-963
    assert (f.commission_rate, f.commission_base, f.commission_per_year) == (
        Decimal("0.012"), "budget", False)


@pytest.mark.parametrize("program_id", CREDIT)
def test_intermediary_is_vakifbank(program_id):
    bank = load(program_id).intermediary
    assert bank is not None and bank.bank_code == "00015"
    assert {"T. VAKIFLAR BANKASI T.A.O.", "VAKIFBANK", "Türkiye Vakıflar Bankası"} <= set(bank.aliases)


# --- taahhütname deadlines (D3) -----------------------------------------------------------


@pytest.mark.parametrize(("program_id", "stated"), [
    ("tr63-2023-makine", ist(2023, 2, 24, 17, 0)),    # 002 L20 "24 Şubat 2023 Saat 17:00"
    ("tr61-2023-imalat", ist(2023, 1, 27, 18, 0)),    # 003 L1523 "27 Ocak 2023 Cuma saat 18:00"
    ("tr52-2026-sogreen", ist(2026, 5, 15, 17, 0)),   # 001 L30 "15 Mayıs 2026, saat: 17:00"
])
def test_computed_taahhutname_deadline(program_id, stated):
    program = load(program_id)
    assert program.periods[-1].taahhutname_deadline is None   # computed, not copied from the guide
    assert taahhutname_deadline(program) == stated


def test_000_taahhutname_explicit_and_computed_agree():
    program = load("tr72-2023-ustd")
    p1, p2 = program.periods
    # 000 L587-589: period 1 closes on the same day (explicit, D3).
    assert taahhutname_deadline(program, p1) == ist(2023, 6, 26, 17, 0)
    # 000 L598: "6 Eylül 2023, saat 17:00"; 30 August is a holiday.
    assert taahhutname_deadline(program, p2) == ist(2023, 9, 6, 17, 0)
    computed = program.model_copy(update={"periods": [p2.model_copy(update={"taahhutname_deadline": None})]})
    assert taahhutname_deadline(computed) == ist(2023, 9, 6, 17, 0)


def test_kumelenme_has_no_taahhutname():
    assert taahhutname_deadline(load("kumelenme-2023")) is None        # 004 names none


# --- checklists and reasons -------------------------------------------------------------


@pytest.mark.parametrize(("program_id", "counts"), [
    ("tr63-2023-makine", {"evrak": 13, "uygunluk": 8}),     # 002 Tablo 3 L820-833, Tablo 4 L840-847
    ("tr52-2026-sogreen", {"idari": 7, "uygunluk": 3}),     # 001 L869-876, L883-885
    ("tr61-2023-imalat", {"sekli": 12, "uygunluk": 8}),     # 003 L1642-1685, L1696-1718
])
def test_checklist_item_counts(program_id, counts):
    checklists = {c.id: c for c in load(program_id).checklists}
    assert {k: len(c.items) for k, c in checklists.items()} == counts
    for c in checklists.values():
        assert [i.no for i in c.items] == [str(n) for n in range(1, len(c.items) + 1)]


def test_002_checklist_titles_and_wording():
    c = {c.id: c for c in load("tr63-2023-makine").checklists}
    assert c["evrak"].title == "Tablo 3. Ön İnceleme Evrak Kontrol Listesi"            # 002 L817
    assert c["uygunluk"].title == "Tablo 4. Ön İnceleme Uygunluk Kontrolü Listesi"     # 002 L837
    assert c["uygunluk"].items[1].text == "Başvuru Sahibinin NACE kodu uygundur."      # 002 L841
    assert c["uygunluk"].answers == ["Evet", "Hayır"]                                  # 002 L839


@pytest.mark.parametrize("program_id", IDS)
def test_rule_ids_known_and_items_decidable(program_id):
    program = load(program_id)
    kinds = {d.kind for d in program.documents}
    for checklist in program.checklists:
        for item in checklist.items:
            assert set(item.rules) <= set(RULES)
            assert set(item.kinds) <= kinds, (checklist.id, item.no)
            # an item a machine cannot decide must be marked for a person
            assert item.rules or item.kinds or item.manual or not item.applies, (checklist.id, item.no)
            if item.kinds:
                assert "Eksik Belge" in checklist.answers, (checklist.id, item.no)
    for reason in program.rejection_reasons:
        assert set(reason.rules) <= set(RULES)
    assert set(program.severity_overrides) <= set(RULES)


@pytest.mark.parametrize(("program_id", "count"), [
    ("tr63-2023-makine", 11),   # 002 L911-921
    ("tr61-2023-imalat", 8),    # 003 L1858-1876
    ("tr52-2026-sogreen", 15),  # 001 has no closed list (L953): the guide's own criteria/sentences
])
def test_rejection_reasons(program_id, count):
    reasons = load(program_id).rejection_reasons
    assert len(reasons) == count
    assert len({r.code for r in reasons}) == count
    assert all(r.text for r in reasons)


def test_reasons_for_key_findings():
    program = load("tr63-2023-makine")
    codes = lambda rules: [r.code for r in program.reasons_for(rules)]  # noqa: E731
    assert codes({"TAAHHUTNAME_LATE"}) == ["R01"]
    assert codes({"PROFORMA_EXCEEDS_LINE"}) == ["R05"]
    assert codes({"KUB_AMOUNT_LOW"}) == ["R04"]


def test_missing_kub_rejects_and_001_overrides():
    for program_id in CREDIT:
        kub = load(program_id).document("kredi_uygunluk_belgesi")
        assert kub is not None and kub.missing_severity == "reject"
        assert kub.date_rule == "on_or_after_announcement"          # D5
    sogreen = load("tr52-2026-sogreen")
    assert sogreen.severity("AMOUNT_ABOVE_MAX") == "warning"           # 001 L875
    assert load("tr63-2023-makine").severity("AMOUNT_ABOVE_MAX") == "reject"


# --- broken profiles ----------------------------------------------------------------------

GOOD = (PROGRAMS / "tr63-2023-makine.toml").read_text(encoding="utf-8")


def write_broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = tmp_path / "tr63-2023-makine.toml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    return path, line


@pytest.mark.parametrize(("old", "new", "key", "offset"), [
    # a float amount
    ('minimum = "300000.00"', "minimum = 300000.00", "amounts.minimum", 0),
    # an unknown key
    ('short = "DOĞAKA"', 'short = "DOĞAKA"\nfax = "0 326 225 14 16"', "agency.fax", 1),
    # an unknown rule id, in a checklist item and in severity_overrides
    ('rules = ["KUB_AMOUNT_LOW"]', 'rules = ["KUB_AMOUNT_TOO_LOW"]', "checklists.1.items.7.rules.0", 0),
    ("[severity_overrides]", '[severity_overrides]\nNO_SUCH_RULE = "warning"',
     "severity_overrides.NO_SUCH_RULE.[key]", 1),
])
def test_broken_profile_names_file_key_line(tmp_path, old, new, key, offset):
    path, line = write_broken(tmp_path, old, new)
    line += offset
    with pytest.raises(UserError) as err:
        load_profile_file(path)
    message = str(err.value)
    assert str(path) in message
    assert err.value.field == key
    assert f"alan '{key}'" in message
    assert err.value.line == line
    assert f"satır {line}" in message


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path, line = write_broken(tmp_path, 'short_name = "MAKİNE"', 'short_name = "MAKİNE')
    with pytest.raises(UserError) as err:
        load_profile_file(path)
    assert str(path) in str(err.value)
    assert err.value.line == line


def test_id_must_match_file_name(tmp_path):
    path = tmp_path / "baska.toml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_profile_file(path)
    assert err.value.field == "id"
