"""Repayment schedules (D11-D16), values worked out by hand from the decisions and guides."""

from datetime import date
from decimal import Decimal as D

import pytest

from evrak.errors import UserError
from evrak.profiles import load_profile
from evrak.schedule import add_months, build_schedule, split_equal


def test_add_months_clamps():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2023, 11, 15), 3) == date(2024, 2, 15)


def test_split_equal_remainder_on_last():
    parts = split_equal(D("1000000.00"), 18)
    assert parts[:17] == [D("55555.56")] * 17 and parts[17] == D("55555.48")
    assert sum(parts) == D("1000000.00")


def test_tr63_18_installments_from_transfer():
    """002: 6 months grace from the transfer, 18 installments of drawn/18 (L363, L982-984).

    Transfer 15.06.2023 -> +6 months 15.12.2023 -> nominal day 16th (D13); 16.12.2023 is a
    Saturday -> 18.12.2023. 16.06.2024 is Kurban Bayramı (16-19 June) -> 20.06.2024.
    """
    s = build_schedule(load_profile("tr63-2023-makine"), D("1000000.00"), date(2023, 6, 15))
    assert len(s.installments) == 18
    assert s.installments[0].due_date == date(2023, 12, 18)
    assert s.installments[1].due_date == date(2024, 1, 16)
    assert s.installments[3].due_date == date(2024, 3, 18)  # 16.03.2024 Saturday
    assert s.installments[6].due_date == date(2024, 6, 20)  # Kurban Bayramı
    assert s.installments[7].due_date == date(2024, 7, 16)  # the shift does not drift
    assert s.installments[-1].due_date == date(2025, 5, 16)
    assert [i.amount for i in s.installments[:17]] == [D("55555.56")] * 17
    assert s.installments[-1].amount == D("55555.48")
    assert s.total == D("1000000.00")
    assert s.installments[-1].remaining == D("0.00")
    assert s.installments[0].remaining == D("944444.44")
    fees = {f.key: f.amount for f in s.fees}
    # binde 4 per year on the credit over 24 months; BSMV 5 %; stamp duty binde 9,48 (D16)
    assert fees == {"commission": D("8000.00"), "bsmv": D("400.00"), "stamp_duty": D("9480.00")}


def test_tr61_month_end_anchor_30_installments():
    """003: anchor 31.08.2023 -> +6 months clamps to 29.02.2024 -> nominal day the 1st (D13)."""
    p = load_profile("tr61-2023-imalat")
    s = build_schedule(p, D("1234567.89"), date(2023, 8, 31), budget=D("1234567.89"))
    assert len(s.installments) == 30
    assert s.installments[0].due_date == date(2024, 3, 1)
    assert s.installments[3].due_date == date(2024, 6, 3)  # 01.06.2024 Saturday
    assert s.installments[10].due_date == date(2025, 1, 2)  # 1 Ocak is a holiday
    assert s.installments[-1].due_date == date(2026, 8, 3)  # 01.08.2026 Saturday
    assert s.installments[0].amount == D("41152.26")
    assert s.installments[-1].amount == D("41152.35")
    assert s.total == D("1234567.89")
    fees = {f.key: f.amount for f in s.fees}
    # 003 L956-965: binde 12 of the budget once; BSMV 5 % of it; binde 9,48 of the budget
    assert fees == {"commission": D("14814.81"), "bsmv": D("740.74"), "stamp_duty": D("11703.70")}


def test_month_end_nominal_day_does_not_drift():
    """Anchor 30.07.2023 -> nominal 31.01.2024; February clamps to 29, March is 31 again."""
    s = build_schedule(load_profile("tr63-2023-makine"), D("180000.00"), date(2023, 7, 30))
    nominal = [i.nominal_date for i in s.installments[:6]]
    assert nominal == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
                       date(2024, 5, 31), date(2024, 6, 30)]
    assert s.installments[2].due_date == date(2024, 4, 1)  # 31.03.2024 Sunday
    assert s.installments[5].due_date == date(2024, 7, 1)  # 30.06.2024 Sunday
    assert all(i.amount == D("10000.00") for i in s.installments)


def test_tr52_from_contract_signature_over_bayram():
    """001: 6 + 24 from the last signature (L988); 16.05.2027 falls in Kurban Bayramı 2027."""
    s = build_schedule(load_profile("tr52-2026-sogreen"), D("2400000.00"), date(2026, 9, 15))
    assert s.anchor_kind == "contract_signed"
    assert len(s.installments) == 24
    assert s.installments[0].due_date == date(2027, 3, 16)
    assert s.installments[2].due_date == date(2027, 5, 20)  # 16-19 May 2027 holidays
    assert all(i.amount == D("100000.00") for i in s.installments)


def test_revision_after_final_report():
    """D15: 900.000 approved after 3 installments fell due; dates stay, the rest is re-split."""
    p = load_profile("tr63-2023-makine")
    original = build_schedule(p, D("1000000.00"), date(2023, 6, 15))
    s = build_schedule(p, D("1000000.00"), date(2023, 6, 15), final_amount=D("900000.00"), due_before=3)
    assert [i.due_date for i in s.installments] == [i.due_date for i in original.installments]
    assert [i.amount for i in s.installments[:3]] == [D("55555.56")] * 3
    assert [i.amount for i in s.installments[3:17]] == [D("48888.89")] * 14
    assert s.installments[17].amount == D("48888.86")
    assert s.total == D("900000.00")
    assert s.to_dict()["revision"] == {"original_basis": "1000000.00", "due_before": 3}


def test_schedule_errors():
    p = load_profile("tr63-2023-makine")
    with pytest.raises(UserError):
        build_schedule(p, D("-5"), date(2023, 6, 15))
    with pytest.raises(UserError, match="aşıyor"):
        build_schedule(p, D("1000000"), date(2023, 6, 15), final_amount=D("100000"), due_before=3)
