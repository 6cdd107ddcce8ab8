"""Manifest and KUB rules that no sample fires, each with values from its guide (issue 16).

The audit found these encoded but never fired by a test: a typo in a limit or a comparison
would have passed. Each case sits just across the guide's boundary and just inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evrak.dates import ISTANBUL
from evrak.findings import Severity
from evrak.manifest import BudgetLine, load_manifest
from evrak.profiles import load_profile
from verifiers.kub import CreditLetterFacts
from verifiers.prescreen import application, documents
from verifiers.prescreen.context import CheckContext

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"


@dataclass
class Read:
    facts: Any


def _ctx(program_id: str, docs: dict[str, Any] | None = None) -> CheckContext:
    pkg = SAMPLES / program_id / "gecerli"
    manifest = load_manifest(pkg / "basvuru.yaml")
    docs = docs or {}
    return CheckContext(program=load_profile(program_id), manifest=manifest, root=pkg,
                        files=sorted({*manifest.named_files(), *docs}),
                        documents={k: Read(v) for k, v in docs.items()})


def _set(obj: Any, **values: Any) -> None:
    for k, v in values.items():
        object.__setattr__(obj, k, v)


def _rules(ctx: CheckContext) -> set[str]:
    return {f.rule for f in ctx.findings}


@pytest.mark.parametrize("program_id, deadline", [
    ("tr63-2023-makine", datetime(2023, 2, 17, 23, 59, tzinfo=ISTANBUL)),   # 002:L16, L765
    ("tr52-2026-sogreen", datetime(2026, 5, 8, 23, 50, tzinfo=ISTANBUL)),   # 001 (KAYS 23:50)
    ("kumelenme-2023", datetime(2023, 11, 3, 23, 59, tzinfo=ISTANBUL)),     # 004:L7
])
def test_submission_after_the_deadline_is_rejected(program_id, deadline):
    ctx = _ctx(program_id)
    _set(ctx.manifest, submitted_at=deadline)
    application.check_submission_time(ctx)
    assert "SUBMITTED_LATE" not in _rules(ctx)
    ctx = _ctx(program_id)
    _set(ctx.manifest, submitted_at=deadline + timedelta(minutes=1))
    application.check_submission_time(ctx)
    assert "SUBMITTED_LATE" in _rules(ctx)


@pytest.mark.parametrize("program_id, minimum, maximum", [
    ("tr63-2023-makine", Decimal("300000.00"), Decimal("3000000.00")),  # 002:L113
    ("tr61-2023-imalat", Decimal("200000.00"), Decimal("3000000.00")),  # 003:L353-361
])
def test_amount_limits_at_the_boundary(program_id, minimum, maximum):
    for credit, expected in [(minimum, set()), (minimum - Decimal("0.01"), {"AMOUNT_BELOW_MIN"}),
                             (maximum, set()), (maximum + Decimal("0.01"), {"AMOUNT_ABOVE_MAX"})]:
        ctx = _ctx(program_id)
        _set(ctx.manifest.financing, credit=credit, co_financing=credit)  # 50 %: inside 002's 25-70 %
        application.check_amounts(ctx)
        assert _rules(ctx) & {"AMOUNT_BELOW_MIN", "AMOUNT_ABOVE_MAX"} == expected, credit


def test_001_budget_below_three_million_fails():
    ctx = _ctx("tr52-2026-sogreen")
    _set(ctx.manifest.financing, credit=Decimal("2999999.99"), co_financing=Decimal(0))
    application.check_amounts(ctx)
    assert "AMOUNT_BELOW_MIN" in _rules(ctx)


def _budget(ctx: CheckContext, *lines: tuple[str, Decimal]) -> None:
    _set(ctx.manifest, budget=[BudgetLine(code=str(i), heading=h, description=h, amount=a)
                               for i, (h, a) in enumerate(lines, start=1)])
    total = sum((a for _, a in lines), start=Decimal(0))
    _set(ctx.manifest.financing, credit=(total * Decimal("0.5")).quantize(Decimal("0.01")))
    _set(ctx.manifest.financing, co_financing=total - ctx.manifest.financing.credit)


def test_budget_must_equal_credit_plus_cofinancing_002_l126():
    ctx = _ctx("tr63-2023-makine")
    _budget(ctx, ("makine_ekipman", Decimal("1000000.00")))
    _set(ctx.manifest.financing, co_financing=ctx.manifest.financing.co_financing + Decimal("0.01"))
    application.check_budget_structure(ctx)
    assert "BUDGET_SUM_MISMATCH" in _rules(ctx)


@pytest.mark.parametrize("program_id, heading", [
    ("tr63-2023-makine", "seyahat"),       # 002:L597-598 (headings 1, 2, 8)
    ("tr52-2026-sogreen", "yerel_ofis"),   # 001:L708 (headings 1, 2, 4, 8)
    ("tr61-2023-imalat", "idari"),         # 003:L372-376, L415-416
])
def test_excluded_headings(program_id, heading):
    ctx = _ctx(program_id)
    _budget(ctx, ("makine_ekipman", Decimal("900000.00")), (heading, Decimal("100000.00")))
    application.check_budget_structure(ctx)
    (f,) = [f for f in ctx.findings if f.rule == "BUDGET_HEADING_NOT_ALLOWED"]
    assert f.subject == "2"


@pytest.mark.parametrize("program_id, ok, bad", [
    ("tr63-2023-makine", 6, 7),    # 002:L116 at most 6 months
    ("tr52-2026-sogreen", 6, 5),   # D22: exactly 6 months
    ("tr61-2023-imalat", 6, 7),    # 003:L339-341
])
def test_duration(program_id, ok, bad):
    for months, fired in [(ok, False), (bad, True)]:
        ctx = _ctx(program_id)
        _set(ctx.manifest.project, duration_months=months)
        application.check_eligibility(ctx)
        assert ("DURATION_OUT_OF_RANGE" in _rules(ctx)) is fired


@pytest.mark.parametrize("program_id, size, fired", [
    ("tr52-2026-sogreen", "mikro", True),   # 001:L458-459 micro excluded
    ("tr52-2026-sogreen", "orta", False),
    ("tr61-2023-imalat", "orta", True),     # 003:L576-578 micro or small only
    ("tr61-2023-imalat", "kucuk", False),
])
def test_size_classes(program_id, size, fired):
    ctx = _ctx(program_id)
    _set(ctx.manifest.applicant, size=size)
    application.check_eligibility(ctx)
    assert ("SIZE_NOT_ELIGIBLE" in _rules(ctx)) is fired


def test_000_needs_ten_employees_l224():
    for n, fired in [(10, False), (9, True)]:
        ctx = _ctx("tr72-2023-ustd")
        _set(ctx.manifest.applicant, employees=n)
        application.check_eligibility(ctx)
        assert ("SIZE_NOT_ELIGIBLE" in _rules(ctx)) is fired


def _kub_ctx(program_id: str, **facts: Any) -> CheckContext:
    m = load_manifest(SAMPLES / program_id / "gecerli" / "basvuru.yaml")
    name = m.files_of("kredi_uygunluk_belgesi")[0]
    base = dict(bank="T. VAKIFLAR BANKASI T.A.O.", branch="Merkez", amount=Decimal("99000000"),
                issued_on=date(2030, 1, 1), positive=True, vkn=m.applicant.vkn)
    ctx = _ctx(program_id, {name: CreditLetterFacts(**{**base, **facts})})
    documents.check_kub(ctx)
    return ctx


@pytest.mark.parametrize("program_id, announced", [
    ("tr63-2023-makine", date(2022, 12, 9)),   # 002:L711
    ("tr52-2026-sogreen", date(2026, 3, 25)),  # 001:L759
])
def test_kub_dated_on_or_after_the_announcement(program_id, announced):
    assert "KUB_DATED_BEFORE_ANNOUNCEMENT" not in _rules(_kub_ctx(program_id, issued_on=announced))
    before = _kub_ctx(program_id, issued_on=announced - timedelta(days=1))
    assert "KUB_DATED_BEFORE_ANNOUNCEMENT" in _rules(before)


def test_negative_kub_rejects_and_receipt_is_pending_001():
    neg = _kub_ctx("tr52-2026-sogreen", positive=False)
    assert [f.severity for f in neg.findings if f.rule == "KUB_NEGATIVE"] == [Severity.REJECT]
    pending = _kub_ctx("tr52-2026-sogreen", is_application_receipt=True)
    assert "KUB_PENDING" in _rules(pending) and "KUB_NEGATIVE" not in _rules(pending)


def test_missing_kub_rejects_001_and_003():
    for program_id in ("tr52-2026-sogreen", "tr61-2023-imalat"):
        ctx = _ctx(program_id)
        _set(ctx.manifest, documents={k: v for k, v in ctx.manifest.documents.items()
                                      if k != "kredi_uygunluk_belgesi"})
        ctx.files = sorted(ctx.manifest.named_files())
        documents.check_required_documents(ctx)
        assert "KUB_MISSING" in _rules(ctx), program_id


def test_003_line_of_30000_or_more_needs_a_technical_spec():
    """003:L1086-1098: a line of 30.000 TL or more needs a Teknik Şartname; 3.2 (24.000) does not."""
    ctx = _ctx("tr61-2023-imalat")
    first, second = ctx.manifest.budget
    _set(ctx.manifest, budget=[first.model_copy(update={"technical_spec": None}), second])
    documents.check_proformas(ctx)
    missing = [f for f in ctx.findings if f.rule == "TECHSPEC_MISSING"]
    assert [f.subject for f in missing] == ["3.1"]
    ctx = _ctx("tr61-2023-imalat")
    documents.check_proformas(ctx)
    assert "TECHSPEC_MISSING" not in _rules(ctx)


def test_000_submission_between_the_two_periods_is_not_silently_the_second():
    """000:L585-598: period 1 closes 26.06.2023 17:00, period 2 opens 03.07.2023."""
    ctx = _ctx("tr72-2023-ustd")
    _set(ctx.manifest, submitted_at=datetime(2023, 6, 28, 10, 0, tzinfo=ISTANBUL))
    application.check_submission_time(ctx)
    (f,) = [f for f in ctx.findings if f.rule == "SUBMITTED_OUTSIDE_PERIOD"]
    assert f.severity == Severity.REVIEW and "3 Temmuz 2023" in f.message
    assert any("2. Dönem" in n for n in ctx.notes)
    ctx = _ctx("tr72-2023-ustd")
    _set(ctx.manifest, submitted_at=datetime(2023, 7, 3, 9, 0, tzinfo=ISTANBUL))
    application.check_submission_time(ctx)
    assert not ctx.findings
