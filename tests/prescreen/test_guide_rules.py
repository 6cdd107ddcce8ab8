"""Guide rules read from the documents' facts (issue 16), values worked out from the guides.

Each test builds the facts a reader returns (the readers themselves are tested on documents
in tests/verifiers) and runs the one check that owns the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evrak.assessment import admit
from evrak.findings import Certainty, Severity
from evrak.manifest import BudgetLine, CoFinancingSource, load_manifest
from evrak.places import placed_in
from evrak.profiles import load_profile
from verifiers.certificates import CertificateFacts
from verifiers.kub import CreditLetterFacts
from verifiers.prescreen import application, guide_rules
from verifiers.prescreen.context import CheckContext

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"


@dataclass
class Read:
    """What pre-screening keeps of a read document: its facts and where its text came from."""

    facts: Any
    pages: list = field(default_factory=list)


def _ctx(program_id: str, docs: dict[str, Any] | None = None, **changes: Any) -> CheckContext:
    pkg = SAMPLES / program_id / "gecerli"
    manifest = load_manifest(pkg / "basvuru.yaml")
    for dotted, value in changes.items():
        target: Any = manifest
        *path, last = dotted.split("__")
        for part in path:
            target = getattr(target, part)
        object.__setattr__(target, last, value)
    docs = docs or {}
    files = sorted({*manifest.named_files(), *docs})
    ctx = CheckContext(program=load_profile(program_id), manifest=manifest, root=pkg, files=files,
                       documents={k: Read(v) for k, v in docs.items()})
    return ctx


def _kub_name(program_id: str) -> str:
    m = load_manifest(SAMPLES / program_id / "gecerli" / "basvuru.yaml")
    return m.files_of("kredi_uygunluk_belgesi")[0]


def _rules(ctx: CheckContext) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in ctx.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_places_are_whole_words_and_districts_map_to_provinces():
    assert placed_in("T. Vakıflar Bankası Antakya Şubesi", ["Hatay"]) is True
    assert placed_in("Meram Şubesi", ["Konya", "Karaman"]) is True
    assert placed_in("KAHRAMANMARAŞ ŞUBESİ", ["Konya", "Karaman"]) is False  # not "Karaman"
    assert placed_in("Merkez Şube", ["Konya"]) is None  # names no place: never guessed
    assert placed_in("Kemer Şubesi", ["Antalya", "Burdur", "Isparta"]) is True
    assert placed_in("Kemer Şubesi", ["Antalya"]) is False  # Kemer is also in Burdur


@pytest.mark.parametrize("program_id, branch, expected", [
    ("tr52-2026-sogreen", "Konya Meram Şubesi", None),
    ("tr52-2026-sogreen", "Antakya Şubesi", Severity.REJECT),  # Hatay is TR63, not TR52 (001:L759)
    ("tr63-2023-makine", "İskenderun Şubesi", None),  # a Hatay district (002:L711)
    ("tr61-2023-imalat", "Ankara Kızılay Şubesi", Severity.REJECT),  # 003:L31-34
])
def test_kub_branch_must_be_in_the_region(program_id, branch, expected):
    kub = CreditLetterFacts(bank="T. VAKIFLAR BANKASI T.A.O.", branch=branch, amount=Decimal("1"))
    ctx = _ctx(program_id, {_kub_name(program_id): kub})
    guide_rules.check_kub_branch(ctx)
    found = _rules(ctx).get("KUB_BRANCH_OUTSIDE_REGION", [])
    if expected is None:
        assert found == []
    else:
        assert [f.severity for f in found] == [expected]
        assert found[0].certainty == Certainty.READ
        assert branch in found[0].message


def test_kub_branch_that_names_no_place_is_a_review_not_a_reject():
    kub = CreditLetterFacts(bank="VAKIFBANK", branch="Ticari Şube")
    ctx = _ctx("tr52-2026-sogreen", {_kub_name("tr52-2026-sogreen"): kub})
    guide_rules.check_kub_branch(ctx)
    (f,) = _rules(ctx)["KUB_BRANCH_OUTSIDE_REGION"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.UNREAD
    assert "elle doğrulayın" in f.message


def test_kub_receipt_dated_after_submission_is_a_reject_002_l805():
    m = load_manifest(SAMPLES / "tr63-2023-makine" / "gecerli" / "basvuru.yaml")
    submitted = m.submitted_at.date()
    late = CreditLetterFacts(is_application_receipt=True, issued_on=date.fromordinal(submitted.toordinal() + 1))
    ctx = _ctx("tr63-2023-makine", {_kub_name("tr63-2023-makine"): late})
    guide_rules.check_kub_receipt_date(ctx)
    assert [f.severity for f in _rules(ctx)["KUB_APPLIED_AFTER_SUBMISSION"]] == [Severity.REJECT]
    on_time = CreditLetterFacts(is_application_receipt=True, issued_on=submitted)
    ctx = _ctx("tr63-2023-makine", {_kub_name("tr63-2023-makine"): on_time})
    guide_rules.check_kub_receipt_date(ctx)
    assert "KUB_APPLIED_AFTER_SUBMISSION" not in _rules(ctx)


def _faaliyet(program_id: str) -> str:
    m = load_manifest(SAMPLES / program_id / "gecerli" / "basvuru.yaml")
    return (m.files_of("faaliyet_belgesi") or m.files_of("sicil_gazetesi"))[0]


def test_registry_nace_codes_are_checked_not_only_the_declared_one():
    # 002 admits only EK I's 48 codes (002:L1330-1380); 25.62.01 is not one of them
    cert = CertificateFacts(kind="faaliyet_belgesi", nace_codes=["25.62.01"])
    ctx = _ctx("tr63-2023-makine", {_faaliyet("tr63-2023-makine"): cert})
    guide_rules.check_registry_nace(ctx)
    (f,) = _rules(ctx)["NACE_NOT_ELIGIBLE"]
    assert f.severity == Severity.REJECT and "25.62.01" in f.message


def test_declared_nace_missing_from_registry_is_a_review():
    m = load_manifest(SAMPLES / "tr63-2023-makine" / "gecerli" / "basvuru.yaml")
    other = "28.99.90" if m.applicant.nace != "28.99.90" else "28.99.01"
    cert = CertificateFacts(kind="faaliyet_belgesi", nace_codes=[other])
    ctx = _ctx("tr63-2023-makine", {_faaliyet("tr63-2023-makine"): cert})
    guide_rules.check_registry_nace(ctx)
    (f,) = _rules(ctx)["NACE_NOT_IN_REGISTRY"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.INFERRED


def test_registration_date_from_the_document_002_cutoff():
    # D20: founded strictly before 01.01.2022 (002:L404-405)
    cert = CertificateFacts(kind="faaliyet_belgesi", registered_on=date(2022, 1, 1))
    ctx = _ctx("tr63-2023-makine", {_faaliyet("tr63-2023-makine"): cert})
    guide_rules.check_registry_founding(ctx)
    assert [f.severity for f in _rules(ctx)["FOUNDED_TOO_LATE"]] == [Severity.REJECT]
    cert = CertificateFacts(kind="faaliyet_belgesi", registered_on=date(2021, 12, 31))
    ctx = _ctx("tr63-2023-makine", {_faaliyet("tr63-2023-makine"): cert})
    guide_rules.check_registry_founding(ctx)
    assert "FOUNDED_TOO_LATE" not in _rules(ctx)


def test_003_firm_founded_on_the_submission_day_passes_d35():
    m = load_manifest(SAMPLES / "tr61-2023-imalat" / "gecerli" / "basvuru.yaml")
    day = m.submitted_at.date()
    ctx = _ctx("tr61-2023-imalat", applicant__founded_on=day)
    application.check_eligibility(ctx)
    assert "FOUNDED_TOO_LATE" not in _rules(ctx)
    ctx = _ctx("tr61-2023-imalat", applicant__founded_on=date.fromordinal(day.toordinal() + 1))
    application.check_eligibility(ctx)
    assert "FOUNDED_TOO_LATE" in _rules(ctx)
    # 001 says "önce" (001:L460): the same day is too late there
    m1 = load_manifest(SAMPLES / "tr52-2026-sogreen" / "gecerli" / "basvuru.yaml")
    ctx = _ctx("tr52-2026-sogreen", applicant__founded_on=m1.submitted_at.date())
    application.check_eligibility(ctx)
    assert "FOUNDED_TOO_LATE" in _rules(ctx)


def test_000_requires_one_year_of_activity_l214():
    m = load_manifest(SAMPLES / "tr72-2023-ustd" / "gecerli" / "basvuru.yaml")
    day = m.submitted_at.date()
    young = date.fromordinal(day.replace(year=day.year - 1).toordinal() + 1)  # one day short
    ctx = _ctx("tr72-2023-ustd", applicant__founded_on=young)
    guide_rules.check_registry_founding(ctx)
    assert [f.severity for f in _rules(ctx)["ACTIVE_TOO_SHORT"]] == [Severity.REJECT]
    ctx = _ctx("tr72-2023-ustd", applicant__founded_on=day.replace(year=day.year - 1))
    guide_rules.check_registry_founding(ctx)
    assert "ACTIVE_TOO_SHORT" not in _rules(ctx)  # exactly one year is enough


@pytest.mark.parametrize("program_id, province, rejected", [
    ("tr52-2026-sogreen", "Ankara", True),   # 001:L462
    ("tr52-2026-sogreen", "Karaman", False),
    ("tr61-2023-imalat", "Izmir", True),     # 003:L580-581 (the place is matched folded)
    ("tr72-2023-ustd", "Kayseri", False),    # 000:L220-222
    ("tr63-2023-makine", "Ankara", False),   # 002 asks for a branch only at contract (K6, L947)
])
def test_seat_in_region(program_id, province, rejected):
    ctx = _ctx(program_id, applicant__province=province)
    guide_rules.check_seat(ctx)
    assert ("SEAT_NOT_IN_REGION" in _rules(ctx)) is rejected


def test_seat_outside_but_chamber_registration_in_region_passes():
    cert = CertificateFacts(kind="faaliyet_belgesi", issuer="Konya Ticaret Odası")
    ctx = _ctx("tr52-2026-sogreen", {_faaliyet("tr52-2026-sogreen"): cert}, applicant__province="Ankara")
    guide_rules.check_seat(ctx)
    assert "SEAT_NOT_IN_REGION" not in _rules(ctx)


@pytest.mark.parametrize("channel, rejected", [("faks", True), ("eposta", True), ("posta", False),
                                               ("elden", False), (None, False)])
def test_wet_signed_taahhutname_channel(channel, rejected):
    ctx = _ctx("tr63-2023-makine", taahhutname_channel=channel)
    guide_rules.check_taahhutname_channel(ctx)
    assert ("TAAHHUTNAME_CHANNEL_NOT_ALLOWED" in _rules(ctx)) is rejected


def test_003_construction_above_30_percent_is_a_reject_and_sarf_only_a_warning():
    ctx = _ctx("tr61-2023-imalat")
    budget = ctx.manifest.budget
    total = ctx.manifest.financing.total
    # move 31 % of the budget to construction and 6 % to consumables
    yapim = (total * Decimal("0.31")).quantize(Decimal("0.01"))
    sarf = (total * Decimal("0.06")).quantize(Decimal("0.01"))
    first = budget[0]
    rest = first.amount - yapim - sarf
    assert rest > 0, "the sample's first line must be large enough"
    new = [first.model_copy(update={"amount": rest}),
           first.model_copy(update={"code": "Y", "heading": "yapim", "amount": yapim}),
           first.model_copy(update={"code": "S", "heading": "sarf", "amount": sarf}), *budget[1:]]
    object.__setattr__(ctx.manifest, "budget", new)
    guide_rules.check_eligibility_caps(ctx)
    application.check_budget_structure(ctx)
    rules = _rules(ctx)
    assert [f.subject for f in rules["BUDGET_ELIGIBILITY_CAP_EXCEEDED"]] == ["yapim"]
    caps = {f.subject: f for f in rules.get("BUDGET_CAP_EXCEEDED", [])}
    assert "yapim" not in caps and "sarf" in caps
    assert ctx.program.severity("BUDGET_CAP_EXCEEDED") == Severity.WARNING  # 003:L861-864


def test_004_domestic_goods_bonus_raises_the_ceiling_l54():
    ctx = _ctx("kumelenme-2023")
    m = ctx.manifest
    total = m.financing.total
    # 80 % support: above 70 %; with every line yerli malı the ceiling is 85 %
    object.__setattr__(m.financing, "credit", (total * Decimal("0.80")).quantize(Decimal("0.01")))
    object.__setattr__(m.financing, "co_financing", total - m.financing.credit)
    line = BudgetLine(code="1", heading="makine_ekipman", description="Yerli CNC tezgâhı", amount=total,
                      domestic_goods=True)
    object.__setattr__(m, "budget", [line])
    with_doc = {**m.documents, "yerli_mali_belgesi": ["yerli-mali.pdf"]}
    object.__setattr__(m, "documents", with_doc)
    application.check_amounts(ctx)
    assert "COFINANCING_OUT_OF_RANGE" not in _rules(ctx)
    # without the certificate in the package the bonus is not applied, and staff are asked
    object.__setattr__(m, "documents", {k: v for k, v in with_doc.items() if k != "yerli_mali_belgesi"})
    ctx.findings.clear()
    application.check_amounts(ctx)
    rules = _rules(ctx)
    assert "COFINANCING_OUT_OF_RANGE" in rules and "DOMESTIC_BONUS_UNPROVEN" in rules


@pytest.mark.parametrize("description, label_part", [
    ("İkinci el CNC torna tezgâhı", "İkinci el"),            # 002:L631
    ("Sevkiyat için panelvan alımı", "panelvan"),             # 002:L612
    ("Üretim holü KİRALAMA bedeli", "kiralama"),             # 002:L613-614
])
def test_ineligible_cost_words_go_to_review_002(description, label_part):
    ctx = _ctx("tr63-2023-makine")
    line = BudgetLine(code="9", heading="makine_ekipman", description=description, amount=Decimal("100000.00"))
    object.__setattr__(ctx.manifest, "budget", [line])
    guide_rules.check_ineligible_costs(ctx)
    (f,) = _rules(ctx)["INELIGIBLE_COST"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.INFERRED
    assert label_part.casefold() in f.message.casefold() and f.subject == "9"


def test_eligible_machine_is_not_flagged():
    ctx = _ctx("tr63-2023-makine")
    line = BudgetLine(code="1", heading="makine_ekipman", description="5 eksenli CNC işleme merkezi",
                      amount=Decimal("100000.00"))
    object.__setattr__(ctx.manifest, "budget", [line])
    guide_rules.check_ineligible_costs(ctx)
    assert "INELIGIBLE_COST" not in _rules(ctx)


def test_cofinancing_must_be_cash_and_match_ek_h_002():
    ctx = _ctx("tr63-2023-makine")
    co = ctx.manifest.financing.co_financing
    half = (co / 2).quantize(Decimal("0.01"))
    rows = [CoFinancingSource(source="sirket_nakit", amount=half),
            CoFinancingSource(source="banka_kredisi", amount=co - half)]
    object.__setattr__(ctx.manifest.financing, "sources", rows)
    guide_rules.check_cofinancing_sources(ctx)
    assert not ctx.findings  # cash, and the rows add up to the KAYS co-financing
    rows = [CoFinancingSource(source="sirket_nakit", amount=half), CoFinancingSource(source="ayni", amount=co - half)]
    object.__setattr__(ctx.manifest.financing, "sources", rows)
    guide_rules.check_cofinancing_sources(ctx)
    assert [f.severity for f in _rules(ctx)["COFINANCING_NOT_CASH"]] == [Severity.REJECT]  # D21, 002:L359
    ctx.findings.clear()
    object.__setattr__(ctx.manifest.financing, "sources", rows[:1])
    guide_rules.check_cofinancing_sources(ctx)
    (f,) = _rules(ctx)["COFINANCING_SOURCES_MISMATCH"]
    assert f.severity == Severity.REVIEW


@pytest.mark.parametrize("program_id, employees, turnover, balance, expected", [
    # 003:L58-66 mikro <10 and 5 M, küçük <50 and 50 M; the programme admits mikro and küçük
    ("tr61-2023-imalat", 9, "5000000", "9000000", None),            # mikro: sales within 5 M
    ("tr61-2023-imalat", 49, "60000000", "50000000", None),         # küçük: balance within 50 M
    ("tr61-2023-imalat", 50, "1000000", "1000000", "SIZE_NOT_ELIGIBLE"),   # 50 staff: not küçük
    ("tr61-2023-imalat", 12, "50000000.01", "60000000", "SIZE_NOT_ELIGIBLE"),
    # 001:L43: at most 1 milyar lira and fewer than 250 staff
    ("tr52-2026-sogreen", 249, "999999999", "2000000000", None),
    ("tr52-2026-sogreen", 250, "100", "100", "SIZE_NOT_ELIGIBLE"),
])
def test_enterprise_size_is_computed_from_the_kobi_figures(program_id, employees, turnover, balance, expected):
    ctx = _ctx(program_id)
    ap = ctx.manifest.applicant
    for k, v in dict(employees=employees, turnover=Decimal(turnover), balance_sheet_total=Decimal(balance),
                     size=None).items():
        object.__setattr__(ap, k, v)
    guide_rules.check_enterprise_size(ctx)
    rules = set(_rules(ctx))
    assert rules == ({expected} if expected else set())


def test_declared_size_that_the_figures_contradict_is_a_review():
    ctx = _ctx("tr63-2023-makine")
    ap = ctx.manifest.applicant
    for k, v in dict(employees=30, turnover=Decimal("20000000"), balance_sheet_total=None, size="mikro").items():
        object.__setattr__(ap, k, v)
    guide_rules.check_enterprise_size(ctx)
    (f,) = _rules(ctx)["SIZE_DECLARED_MISMATCH"]
    assert f.severity == Severity.REVIEW and "küçük" in f.message


def test_public_share_of_25_percent_is_not_a_kobi_003():
    ctx = _ctx("tr61-2023-imalat")
    object.__setattr__(ctx.manifest.applicant, "public_share", Decimal("0.25"))
    guide_rules.check_enterprise_size(ctx)
    assert "SIZE_NOT_ELIGIBLE" in _rules(ctx)
    ctx = _ctx("tr61-2023-imalat")
    object.__setattr__(ctx.manifest.applicant, "public_share", Decimal("0.2499"))
    guide_rules.check_enterprise_size(ctx)
    assert "SIZE_NOT_ELIGIBLE" not in _rules(ctx)


@pytest.mark.parametrize("program_id, title, flagged", [
    ("tr61-2023-imalat", "Çatıya güneş enerjisi santrali kurulumu", True),   # 003:L751
    ("tr61-2023-imalat", "Tütün işleme tesisinin modernizasyonu", True),      # 003:L731-733
    ("tr61-2023-imalat", "Gıda paketleme hattının otomasyonu", False),
    ("tr52-2026-sogreen", "Borsa yatırımı ile finansal büyüme", True),       # 001:L617-619
    ("tr52-2026-sogreen", "Çatı tipi güneş enerjisi ve ısı geri kazanımı", False),  # 001 supports green
])
def test_ineligible_topics_in_the_title_go_to_review(program_id, title, flagged):
    ctx = _ctx(program_id)
    object.__setattr__(ctx.manifest.project, "title", title)
    guide_rules.check_ineligible_topics(ctx)
    found = _rules(ctx).get("INELIGIBLE_TOPIC", [])
    assert bool(found) is flagged
    assert all(f.severity == Severity.REVIEW and f.certainty == Certainty.INFERRED for f in found)


def test_001_project_summary_in_word_l1041():
    ctx = _ctx("tr52-2026-sogreen")
    guide_rules.check_document_formats(ctx)  # the sample gives a PDF
    (f,) = _rules(ctx)["DOC_WRONG_FORMAT"]
    assert f.severity == Severity.WARNING and "EK 9" in f.message
    docs = {**ctx.manifest.documents, "proje_ozeti": ["proje-ozeti.docx"]}
    ctx = _ctx("tr52-2026-sogreen")
    object.__setattr__(ctx.manifest, "documents", docs)
    guide_rules.check_document_formats(ctx)
    assert "DOC_WRONG_FORMAT" not in _rules(ctx)


def test_a_value_read_by_ocr_never_rejects_by_itself_d32():
    """The same out-of-region branch: from the text layer a reject, from a scan a review."""
    kub = CreditLetterFacts(bank="T. VAKIFLAR BANKASI T.A.O.", branch="Antakya Şubesi")
    name = _kub_name("tr52-2026-sogreen")
    for source, certainty in (("text", Certainty.READ), ("ocr", Certainty.INFERRED)):
        ctx = _ctx("tr52-2026-sogreen")
        ctx.documents[name] = Read(kub, pages=[{"number": 1, "source": source, "chars": 400}])
        guide_rules.check_kub_branch(ctx)
        (f,) = _rules(ctx)["KUB_BRANCH_OUTSIDE_REGION"]
        assert f.certainty == certainty
    program = load_profile("tr52-2026-sogreen")
    (admitted,) = admit(program, [f])
    assert admitted.severity == Severity.REVIEW  # the certainty cap, applied on admission
