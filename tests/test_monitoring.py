"""Monitoring, completion and recovery (evrak/monitoring.py, `evrak izleme hesapla`).

Every expected value below is worked out by hand from the guide lines named in the test's
docstring (seeds in ../shared/seeds: 001 = TR52 SoGreen, 002 = TR63 MAKİNE, 003 = TR61
İmalat), not read back from the code. Money is rounded once, half-up to the kuruş (D6).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from evrak.dates import ISTANBUL
from evrak.errors import UserError
from evrak.findings import Certainty, Severity
from evrak.monitoring import (
    completion_date,
    employment_penalty,
    evaluate,
    indicator_penalty,
    ksru_penalty,
    load_report,
    lost_interest,
    parse_report,
    performance_report_dues,
)
from evrak.profiles import load_profile
from worker.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "izleme"
TR52, TR63, TR61 = (load_profile(p) for p in ("tr52-2026-sogreen", "tr63-2023-makine", "tr61-2023-imalat"))


def report(program: str, **parts: str) -> str:
    """A minimal report in YAML, with extra top-level sections as YAML text."""
    head = f"""program: {program}
as_of: {parts.pop('as_of', '2028-01-15')}
contract:
  signed_on: {parts.pop('signed_on', '2026-04-29')}
  implementation_end: {parts.pop('implementation_end', '2026-10-29')}
  support: "5000000.00"
{parts.pop('contract', '')}"""
    return head + "".join(f"{k}:\n{v}\n" for k, v in parts.items())


def rules(res) -> list[str]:
    return [f.rule for f in res.findings]


def test_tr52_sample_penalties_by_hand():
    """samples/izleme/tr52-izleme.yaml, 001 (TR52 SoGreen):

    - Implementation: signed 29.04.2026, starts the next day 30.04.2026 (001:L517), ends on the
      contract's day 29.10.2026 (001:L518); that day is also the completion date (001:L518).
    - Expenses (001:L658, L715): 20.04.2026 (pre-contract) and 29.04.2026 (the signing day, before
      the first day) and 30.10.2026 (after the last) are outside: 120.000 + 10.000 + 50.000 =
      180.000,00; 30.04.2026 and 29.10.2026 are the first and last days, inside.
    - Penalty base: the kesin destek tutarı 4.800.000,00 (001:L961).
    - Employment (001:L403): 1 of 3 new jobs, unmet. Range 2-5 %: 4.800.000 x 0.02 = 96.000,00,
      x 0.05 = 240.000,00. Size 3 / 40 = 7.5 %, in (5 %, 10 %] of criterion 3.1 (001:L393,
      L903) -> the profile's reading 3 %: 4.800.000 x 0.03 = 144.000,00 (a review, A9).
    - KSRU (001:L405): certificate 15.11.2026, after the period -> 2 %: 96.000,00.
    - Indicators (001:L963): SGR1 1 < 2 and K2 35 < 50 are unmet, K1 100 = 100 met. The contract
      writes 4 % per unmet indicator: 2 x 4 % = 8 % > 7 % cap -> 7 %: 4.800.000 x 0.07 = 336.000,00.
    - Total: 144.000 + 96.000 + 336.000 = 576.000,00.
    - Audit report (001:L710): not handed in with the submitted final report -> deficient.
    """
    rep, program = load_report(SAMPLES / "tr52-izleme.yaml")
    res = evaluate(program, rep)
    assert res.period == (date(2026, 4, 30), date(2026, 10, 29))
    assert res.completion is not None and res.completion.on == date(2026, 10, 29)
    assert [str(e.id) for e in res.outside] == ["1", "2", "5"]
    assert sum(e.amount for e in res.outside) == Decimal("180000.00")
    emp = res.employment
    assert emp is not None
    assert emp.range_amounts == (Decimal("96000.00"), Decimal("240000.00"))
    assert (emp.rate, emp.amount) == (Decimal("0.03"), Decimal("144000.00"))
    assert res.ksru == Decimal("96000.00")
    ind = res.indicators
    assert ind is not None and (ind.unmet, ind.rate, ind.capped) == (2, Decimal("0.07"), True)
    assert ind.amount == Decimal("336000.00")
    assert res.penalties_total == Decimal("576000.00")
    assert rules(res).count("EXPENSE_OUTSIDE_PERIOD") == 3
    assert rules(res).count("INDICATOR_TARGET_UNMET") == 2
    assert {"AUDIT_REPORT_MISSING", "EMPLOYMENT_COMMITMENT_UNMET", "KSRU_COMMITMENT_UNMET"} <= set(rules(res))
    audit = next(f for f in res.findings if f.rule == "AUDIT_REPORT_MISSING")
    assert audit.severity is Severity.DEFICIENT and audit.refs == ["001:L684, L710"]
    employment = next(f for f in res.findings if f.rule == "EMPLOYMENT_COMMITMENT_UNMET")
    assert employment.severity is Severity.REVIEW and employment.certainty is Certainty.INFERRED


@pytest.mark.parametrize(("committed", "rate"), [
    (1, "0.02"),  # 1 / 40 = 2.5 %: up to 5 %
    (2, "0.02"),  # 2 / 40 = 5 % exactly: still the first band (A8's reading of "yüzde 5'ine kadar")
    (3, "0.03"),  # 7.5 %
    (4, "0.03"),  # 10 % exactly: the second band
    (5, "0.05"),  # 12.5 %: above 10 %, the guide's maximum 5 %
])
def test_employment_penalty_bands_at_their_bounds(committed, rate):
    """001:L403: 2-5 % of the support by the size of the commitment; the profile's bands read it
    as criterion 3.1's tiers (001:L393, L903) over 40 current staff. Base: contract support
    5.000.000,00 (no final support given): 5.000.000 x rate."""
    text = report("tr52-2026-sogreen", employment=f"  committed: {committed}\n  realised: 0\n  current_staff: 40")
    emp = employment_penalty(TR52, parse_report(text))
    assert emp is not None and emp.rate == Decimal(rate)
    assert emp.amount == Decimal("5000000.00") * Decimal(rate)


def test_employment_rate_from_the_contract_wins_and_must_lie_in_the_guides_range():
    """A rate the contract writes (4 %) is read, not a reading: 5.000.000 x 0.04 = 200.000,00,
    a warning. 6 % is outside 001:L403's 2-5 %: the user's error, naming the field."""
    text = report("tr52-2026-sogreen", contract='  employment_penalty_rate: "0.04"\n',
                  employment="  committed: 3\n  realised: 2")
    res = evaluate(TR52, parse_report(text))
    assert res.employment is not None and res.employment.amount == Decimal("200000.00")
    f = next(f for f in res.findings if f.rule == "EMPLOYMENT_COMMITMENT_UNMET")
    assert (f.severity, f.certainty) == (Severity.WARNING, Certainty.READ)
    bad = report("tr52-2026-sogreen", contract='  employment_penalty_rate: "0.06"\n',
                 employment="  committed: 3\n  realised: 2")
    with pytest.raises(UserError, match=r"contract\.employment_penalty_rate"):
        evaluate(TR52, parse_report(bad))


def test_employment_met_or_without_staff_count():
    """Commitment met (3 of 3): no penalty. Unmet without the current staff: only the guide's
    range 100.000,00-250.000,00 (5.000.000 x 2 % / 5 %), no rate is made up (D32)."""
    met = report("tr52-2026-sogreen", employment="  committed: 3\n  realised: 3\n  current_staff: 40")
    assert employment_penalty(TR52, parse_report(met)) is None
    unknown = report("tr52-2026-sogreen", employment="  committed: 3\n  realised: 1")
    emp = employment_penalty(TR52, parse_report(unknown))
    assert emp is not None and emp.rate is None and emp.amount is None
    assert emp.range_amounts == (Decimal("100000.00"), Decimal("250000.00"))


def test_employment_is_judged_at_the_end_of_the_period():
    """001:L403: "proje uygulama döneminin sonunda". On 01.09.2026, before the period ends on
    29.10.2026, a shortfall is not yet a penalty; the note says so."""
    text = report("tr52-2026-sogreen", as_of="2026-09-01",
                  employment="  committed: 3\n  realised: 1\n  current_staff: 40")
    res = evaluate(TR52, parse_report(text))
    assert res.employment is None and "EMPLOYMENT_COMMITMENT_UNMET" not in rules(res)
    assert any("henüz bitmedi" in n for n in res.notes)


def test_ksru_penalty_only_when_the_period_is_over_without_a_certificate():
    """001:L405: 2 % of the support (5.000.000 x 0.02 = 100.000,00) when the committed KSRU
    certificate is not obtained within the implementation period (30.04.2026-29.10.2026)."""
    def ksru(cert: str, as_of: str = "2027-01-01") -> Decimal | None:
        return ksru_penalty(TR52, parse_report(report("tr52-2026-sogreen", as_of=as_of,
                                                      ksru=f"  committed: true\n  certificate_on: {cert}")))
    assert ksru("2026-10-29") is None  # the last day still counts
    assert ksru("2026-10-30") == Decimal("100000.00")
    assert ksru("null", as_of="2026-09-01") is None  # the period has not ended: still time
    assert ksru("null") == Decimal("100000.00")


def test_indicator_penalty_needs_the_contract_clause():
    """001:L963: "sözleşmeye yazılmak kaydıyla yüzde 7'e kadar". Without the clause nothing is
    computed and the note says why; with 4 % per indicator and one unmet: 4 % of the final
    support 4.000.000,00 = 160.000,00 (below the 7 % cap)."""
    ind = "  - {code: K1, target: 10, realised: 9}\n  - {code: K2, target: 5, realised: 6}"
    final = "  final_support: \"4000000.00\""
    res = evaluate(TR52, parse_report(report("tr52-2026-sogreen", indicators=ind, final_report=final)))
    assert res.indicators is not None and res.indicators.rate is None and res.indicators.amount is None
    assert any("sözleşmeye yazılmışsa" in n for n in res.notes)
    with_clause = report("tr52-2026-sogreen", contract='  indicator_penalty_per_item: "0.04"\n',
                         indicators=ind, final_report=final)
    ip = indicator_penalty(TR52, parse_report(with_clause))
    assert ip is not None and (ip.unmet, ip.rate, ip.capped) == (1, Decimal("0.04"), False)
    assert ip.amount == Decimal("160000.00")


def test_performance_reports_every_six_months_roll_to_business_days():
    """001:L971 with L41, L988: repayment starts 6 months after the contract (29.04.2026 ->
    29.10.2026) and lasts 24 months; a report each time six of them complete:
    29.04.2027 (Thursday, a business day), 29.10.2027 (Cumhuriyet Bayramı, Friday -> Monday
    01.11.2027), 29.04.2028 (Saturday; Monday 01.05.2028 is Emek ve Dayanışma Günü -> Tuesday
    02.05.2028), 29.10.2028 (Sunday, Cumhuriyet Bayramı -> Monday 30.10.2028); each at 17:00.
    Report 2 handed in on 03.11.2027 is late; on 03.05.2028 report 3 is overdue."""
    text = report("tr52-2026-sogreen", performance_reports="  - {number: 1, submitted_on: 2027-04-29}\n"
                                                             "  - {number: 2, submitted_on: 2027-11-03}")
    dues = performance_report_dues(TR52, parse_report(text))
    assert [d.due for d in dues] == [datetime(2027, 4, 29, 17, 0, tzinfo=ISTANBUL),
                                     datetime(2027, 11, 1, 17, 0, tzinfo=ISTANBUL),
                                     datetime(2028, 5, 2, 17, 0, tzinfo=ISTANBUL),
                                     datetime(2028, 10, 30, 17, 0, tzinfo=ISTANBUL)]
    res = evaluate(TR52, parse_report(text))
    assert [f.subject for f in res.findings if f.rule == "PERFORMANCE_REPORT_LATE"] == ["performans raporu 2"]
    later = evaluate(TR52, parse_report(text.replace("as_of: 2028-01-15", "as_of: 2028-05-03")))
    assert [f.subject for f in later.findings if f.rule == "PERFORMANCE_REPORT_LATE"] == \
        ["performans raporu 2", "performans raporu 3"]
    # 002 and 003 ask for no such reports: nothing computed
    assert performance_report_dues(TR63, parse_report(report("tr63-2023-makine"))) == []


def test_tr63_deductions_and_completion_by_hand():
    """samples/izleme/tr63-izleme.yaml, 002 (TR63 MAKİNE):

    - 002:L960, L1262: a deduction for each budget line and indicator not realised, force
      majeure aside. Lines: 3.2 (implemented: false) and 5.8 (nothing spent of 20.000) count;
      5.9 is force majeure, 3.1 is carried out. Indicators: K12 8 < 10 counts; K15 5 = 5 met;
      K20 is force majeure. 3 items x 1 % (the contract's special condition) of the support
      1.500.000,00 (no final support given) = 45.000,00.
    - 002:L564: the final report came on 10.01.2024, after the contract period ended on
      05.12.2023 -> completion one month after submission: 10.02.2024; 002:L546 bars a new
      application for the year that follows, to 10.02.2025.
    """
    rep, program = load_report(SAMPLES / "tr63-izleme.yaml")
    res = evaluate(program, rep)
    assert res.deductions is not None and res.deductions.items == 3
    assert res.deductions.amount == Decimal("45000.00")
    assert res.completion is not None
    assert (res.completion.on, res.completion.bar_ends) == (date(2024, 2, 10), date(2025, 2, 10))
    assert sorted(f.subject for f in res.findings if f.rule == "BUDGET_LINE_UNREALISED") == ["3.2", "5.8"]
    assert [f.subject for f in res.findings if f.rule == "INDICATOR_TARGET_UNMET"] == ["K12"]
    assert "AUDIT_REPORT_MISSING" not in rules(res) and res.employment is None and res.ksru is None
    # a line with neither `implemented` nor `realised` is not guessed at (D32): a note, no deduction
    unknown = report("tr63-2023-makine", budget_lines='  - {id: "3.3", amount: "5000.00"}')
    res = evaluate(TR63, parse_report(unknown))
    assert res.deductions is None and any("3.3" in n for n in res.notes)


@pytest.mark.parametrize(("final_report", "expected"), [
    # within the contract period (ends 05.12.2023): the approval date
    ("  submitted_on: 2023-12-01\n  approved_on: 2024-01-15", date(2024, 1, 15)),
    # within, not yet approved: no date, a note
    ("  submitted_on: 2023-12-05", None),
    # after: submission + 1 month; 31.01.2024 + 1 month is the month's last day, 29.02.2024 (leap year)
    ("  submitted_on: 2024-01-31\n  approved_on: 2024-02-05", date(2024, 2, 29)),
])
def test_completion_date_rule_002(final_report, expected):
    """002:L564 (footnote 7), each branch."""
    text = report("tr63-2023-makine", signed_on="2023-06-05", implementation_end="2023-12-05",
                  contract="  ends_on: 2023-12-05\n", final_report=final_report)
    c = completion_date(TR63, parse_report(text))
    assert c is not None and c.on == expected


def test_completion_date_002_needs_the_contract_end():
    """Without the contract period's end (contract.ends_on) 002:L564 cannot be applied: no
    date and a note, never the implementation end in its place (D32)."""
    text = report("tr63-2023-makine", signed_on="2023-06-05", implementation_end="2023-12-05",
                  final_report="  submitted_on: 2024-01-10")
    res = evaluate(TR63, parse_report(text))
    assert res.completion is not None and res.completion.on is None
    assert any("contract.ends_on" in n for n in res.notes)
    # 003 defines no completion date: nothing computed
    assert completion_date(TR61, parse_report(report("tr61-2023-imalat"))) is None


def test_tr61_recovery_with_lost_interest_by_hand():
    """samples/izleme/tr61-izleme.yaml, 003 (TR61 İmalat), 003:L1938-1947:

    - 250.000,00 released 01.08.2023, found ineligible 20.02.2024: 31+30+31+30+31+31 = 184
      days to 01.02.2024, + 19 = 203 days; at 30 % a year on 365 days:
      250.000 x 0.30 x 203 / 365 = 15.225.000 / 365 = 41.712,3287... -> 41.712,33;
      with the amount 291.712,33.
    - The unspent balance 10.000,00 with the bank's figure 1.234,56 -> 11.234,56 (L1946-1947).
    - 5.000,00 without dates: the amount only, interest not computed (a note; D32).
    - Total 291.712,33 + 11.234,56 + 5.000,00 = 307.946,89.
    - Expenses (003:L835, L845-846): the period ends 05.12.2023; + 45 days = 19.01.2024, a
      Friday (003:L1936-1937). A-1 done 01.12.2023 and paid 19.01.2024 counts; A-2 paid
      22.01.2024 does not; A-3 done 06.12.2023 is after the period.
    """
    rep, program = load_report(SAMPLES / "tr61-izleme.yaml")
    res = evaluate(program, rep)
    assert [r.interest for r in res.recoveries] == [Decimal("41712.33"), Decimal("1234.56"), None]
    assert res.recoveries[0].days == 203
    assert [r.total for r in res.recoveries] == [Decimal("291712.33"), Decimal("11234.56"), Decimal("5000.00")]
    assert res.recovery_total == Decimal("307946.89")
    assert [str(e.id) for e in res.outside] == ["A-2", "A-3"]
    assert any("Sarf malzemesi" in n for n in res.notes)
    # 001 and 002 recover the amount, with no interest (001:L990, 002:L989)
    other = evaluate(TR63, parse_report(report("tr63-2023-makine", ineligible=(
        "  - {description: X, amount: \"250000.00\", released_on: 2023-08-01, detected_on: 2024-02-20, "
        "annual_rate: \"0.30\"}"))))
    assert other.recoveries[0].interest is None and other.recovery_total == Decimal("250000.00")


def test_lost_interest_rounds_once_half_up():
    """1.000,00 x 10 % x 73 / 365 = 20,00 exactly; 333,33 x 12 % x 1 / 365 = 0,109588 -> 0,11."""
    assert lost_interest(Decimal("1000.00"), Decimal("0.10"), date(2024, 1, 1), date(2024, 3, 14), 365) == \
        (Decimal("20.00"), 73)
    assert lost_interest(Decimal("333.33"), Decimal("0.12"), date(2024, 1, 1), date(2024, 1, 2), 365)[0] == \
        Decimal("0.11")


def test_audit_report_unknown_is_a_note_not_a_finding():
    """001:L710: every project hands in an audit report. Not written in the report: not
    checked, a note (D32); handed in: nothing to say."""
    unknown = evaluate(TR52, parse_report(report("tr52-2026-sogreen", final_report="  submitted_on: 2026-12-01")))
    assert "AUDIT_REPORT_MISSING" not in rules(unknown)
    assert any("audit_report" in n for n in unknown.notes)
    given = evaluate(TR52, parse_report(report("tr52-2026-sogreen",
                                               final_report="  submitted_on: 2026-12-01\n  audit_report: true")))
    assert "AUDIT_REPORT_MISSING" not in rules(given) and not any("audit_report" in n for n in given.notes)


def test_command_prints_turkish_summary_and_json(capsys):
    assert main(["izleme", "hesapla", str(SAMPLES / "tr52-izleme.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Tamamlanma tarihi: 29.10.2026" in out
    assert "Ceza ve kesintiler toplamı: 576.000,00 TL" in out
    assert "2. rapor: son gün 1 Kasım 2027 17:00" in out
    assert main(["izleme", "hesapla", str(SAMPLES / "tr61-izleme.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recovery_total"] == "307946.89"
    assert data["recoveries"][0]["lost_interest"] == "41712.33"
    assert {f["rule"] for f in data["findings"]} == {"EXPENSE_OUTSIDE_PERIOD", "INELIGIBLE_COST_RECOVERY"}


@pytest.mark.parametrize(("change", "field", "line"), [
    (('support: "5000000.00"', 'support: "5000000.005"'), "contract.support", 6),
    (("signed_on: 2026-04-29", "signed_on: 2026-13-01"), "contract.signed_on", 4),
    (("program: tr52-2026-sogreen", "program: tr99-yok"), "program", 1),
    (("  support:", '  employment_penalty_rate: "0.06"\n  support:'), "contract.employment_penalty_rate", 6),
])
def test_bad_input_is_one_turkish_line_naming_file_field_and_line(tmp_path, capsys, change, field, line):
    """Lines of `report()`: 1 program, 2 as_of, 3 contract, 4 signed_on, 5 implementation_end,
    6 support. A value the profile refuses (6 % against 001:L403's 2-5 %) is named the same way."""
    text = report("tr52-2026-sogreen").replace(*change)
    path = tmp_path / "izleme.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["izleme", "hesapla", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(path) in err and f"alan '{field}'" in err and f"satır {line}" in err
