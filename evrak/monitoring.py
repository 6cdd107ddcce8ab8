"""Monitoring, completion and recovery: what the guides compute after the contract (issue 16).

Input is a small report the staff fill in (or a KAYS export gives), `izleme.yaml` /
`izleme.json`: the contract's dates and support, the final report, the budget lines and
indicators with their targets and realised values, the employment and KSRU commitments, the
expenses with their dates, the amounts found ineligible and the six-monthly performance
reports during repayment. `evaluate` turns it into the values the guide defines and the
findings (rule ids under "issue 16, monitoring and completion" in evrak.findings) where a
rule is broken. What a programme's guide says is data in its profile (`[monitoring]`); a
key left unset there means that guide says nothing, and nothing is computed for it.

Rounding (D6; the guides give none): every amount is computed in full Decimal precision from
its inputs in one expression (base x rate, or amount x rate x days / basis) and rounded once,
half-up to the kuruş; totals add the rounded amounts. Shares are never rounded.

D32: a value the report does not give is never assumed. The computation that needs it is not
made, and `notes` says, in Turkish, what was not checked and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from evrak.dates import format_short, now
from evrak.deadlines import at_close
from evrak.errors import UserError
from evrak.findings import Certainty, Evidence, Finding, Severity
from evrak.manifest import (
    MAX_MANIFEST_BYTES,
    NonNegativeMoney,
    PositiveMoney,
    _bounded_data,  # the one bounded YAML/JSON reader, for the line of a field
    _line_of,
    parse_model,
)
from evrak.money import format_percent, format_tl, quantize
from evrak.profiles import Program, load_profile
from evrak.schedule import add_months

REPORT_NAMES = ("izleme.yaml", "izleme.yml", "izleme.json")
ZERO = Decimal("0.00")


def _number(value: object) -> Decimal:
    """A count, a value of an indicator or a rate: int or text, never a float (D6)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"sayı tırnak içinde ya da tam sayı olarak yazılmalı: {value!r}")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        try:
            out = Decimal(value.strip().replace(",", "."))
        except ArithmeticError:
            raise ValueError(f"sayı okunamadı: {value[:40]!r}") from None
        if not out.is_finite():
            raise ValueError(f"sayı okunamadı: {value[:40]!r}")
        return out
    raise ValueError(f"sayı bekleniyordu: {value!r}")


def _nonnegative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"negatif olamaz: {value}")
    return value


Number = Annotated[Decimal, BeforeValidator(_number)]
Rate = Annotated[Decimal, BeforeValidator(_number), Field(ge=0, le=1)]  # a share: "0.02" is 2 %
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Text = Annotated[str, Field(max_length=300)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contract(_Model):
    signed_on: date  # the last party's signature; implementation starts the next day
    implementation_end: date  # as written in the contract (001:L518)
    support: PositiveMoney  # the maximum support written in the contract
    ends_on: date | None = None  # "sözleşme süresi"'nin bitişi, for 002:L564
    transferred_on: date | None = None  # the credit's transfer, where repayment runs from it
    # What the contract's special conditions say, where the guide leaves it to them:
    employment_penalty_rate: Rate | None = None  # 001:L403, within the guide's 2-5 %
    indicator_penalty_per_item: Rate | None = None  # 001:L963, share of the final support
    deduction_rate_per_item: Rate | None = None  # 002:L960, share of the support
    deduction_amount_per_item: NonNegativeMoney | None = None  # 002:L960, fixed amount

    @model_validator(mode="after")
    def _order(self) -> Contract:
        if self.implementation_end <= self.signed_on:
            raise ValueError("uygulama bitişi (implementation_end) imza tarihinden (signed_on) sonra olmalı")
        if self.deduction_rate_per_item is not None and self.deduction_amount_per_item is not None:
            raise ValueError("kesinti için ya oran (deduction_rate_per_item) ya tutar "
                             "(deduction_amount_per_item) yazılır, ikisi birden değil")
        return self


class FinalReport(_Model):
    submitted_on: date | None = None
    approved_on: date | None = None
    final_support: NonNegativeMoney | None = None  # kesin destek tutarı after the final report
    audit_report: bool | None = None  # was the audit report handed in with it


class BudgetLine(_Model):
    id: Text
    name: Text = ""
    amount: NonNegativeMoney  # as in the contract's budget
    realised: NonNegativeMoney | None = None  # spent on it
    implemented: bool | None = None  # stated by staff; wins over `realised`
    force_majeure: bool = False  # mücbir sebep accepted by the Agency


class Indicator(_Model):
    code: Text
    name: Text = ""
    target: Annotated[Decimal, BeforeValidator(_number), Field(gt=0)]
    realised: Annotated[Decimal, BeforeValidator(_number), Field(ge=0)] | None = None
    force_majeure: bool = False


class Employment(_Model):
    committed: Count  # new jobs committed in the application
    realised: Count | None = None  # new jobs at the end of the implementation period
    current_staff: Annotated[int, Field(gt=0, le=1_000_000)] | None = None  # at application (EK 4)


class Ksru(_Model):
    committed: bool
    certificate_on: date | None = None  # date of the participation certificate


class Expense(_Model):
    id: Text | int  # the invoice or KAYS expense number
    date: date  # when the cost was incurred (invoice date)
    amount: PositiveMoney
    paid_on: date | None = None
    description: Text = ""


class Ineligible(_Model):
    description: Text
    amount: PositiveMoney
    released_on: date | None = None  # blokaj çözme tarihi
    detected_on: date | None = None  # when the Agency found it ineligible
    annual_rate: Rate | None = None  # the income-generating account's yearly rate
    lost_interest: NonNegativeMoney | None = None  # the bank's own figure wins

    @model_validator(mode="after")
    def _order(self) -> Ineligible:
        if self.released_on and self.detected_on and self.detected_on < self.released_on:
            raise ValueError("tespit tarihi (detected_on) blokaj çözme tarihinden (released_on) önce olamaz")
        return self


class PerformanceReport(_Model):
    number: Annotated[int, Field(ge=1, le=100)]
    submitted_on: date


class MonitoringReport(_Model):
    program: Text
    application_no: Text = ""
    applicant: Text = ""
    as_of: date | None = None  # the day the report is evaluated; today when absent
    contract: Contract
    final_report: FinalReport = FinalReport()
    budget_lines: list[BudgetLine] = Field(default=[], max_length=2000)
    indicators: list[Indicator] = Field(default=[], max_length=500)
    employment: Employment | None = None
    ksru: Ksru | None = None
    expenses: list[Expense] = Field(default=[], max_length=20_000)
    ineligible: list[Ineligible] = Field(default=[], max_length=2000)
    performance_reports: list[PerformanceReport] = Field(default=[], max_length=100)


def parse_report(text: str, name: str = "izleme.yaml") -> MonitoringReport:
    return parse_model(MonitoringReport, text, name)


def load_report(path: Path, programs: Path | None = None) -> tuple[MonitoringReport, Program]:
    """Read a monitoring report within the manifest's bounds, with its programme's profile;
    errors, also those against the profile, name the file, the field and the line."""
    if path.is_dir():
        found = next((path / n for n in REPORT_NAMES if (path / n).is_file()), None)
        if found is None:
            raise UserError(f"klasörde {' / '.join(REPORT_NAMES)} yok", file=str(path))
        path = found
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise UserError("bulunamadı", file=str(path)) from None
    except OSError as exc:
        raise UserError(f"okunamadı: {exc.strerror}", file=str(path)) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise UserError(f"dosya çok büyük (en çok {MAX_MANIFEST_BYTES // 1024} KB)", file=str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("dosya UTF-8 değil; UTF-8 olarak kaydedin", file=str(path)) from None
    name = str(path)
    report = parse_report(text, name)
    root = _bounded_data(text, name)[0]
    try:
        program = load_profile(report.program, programs)
    except UserError as exc:
        raise UserError(str(exc), file=name, field="program", line=_line_of(root, ("program",))) from None
    for loc, message in profile_problems(program, report):
        raise UserError(message, file=name, field=".".join(map(str, loc)), line=_line_of(root, loc))
    return report, program


# --- the computations ---------------------------------------------------------------------------


def implementation_period(contract: Contract) -> tuple[date, date]:
    """The implementation period starts the day after the last signature (001:L517; 002:L128,
    L454; 003:L679) and ends on the day the contract names (001:L518)."""
    return contract.signed_on + timedelta(days=1), contract.implementation_end


@dataclass(frozen=True)
class Completion:
    on: date | None
    rule: str  # Turkish: how it was fixed
    bar_ends: date | None = None  # 002:L546: no new application until this day (inclusive)


def completion_date(program: Program, report: MonitoringReport) -> Completion | None:
    """The project's completion date as the guide fixes it.

    001:L518: the day the implementation period in the contract ends. 002:L564 (footnote 7):
    a final report handed in within the contract period -> the day it was approved; handed in
    after -> one calendar month after it was handed in (clamped to the month's end). 002:L546
    bars a new application for one year after that day. None when the guide says nothing.
    """
    rule = program.monitoring.completion_rule
    if rule is None:
        return None
    if rule == "implementation_end":
        on = report.contract.implementation_end
        return Completion(on, "sözleşmedeki uygulama süresinin bittiği gün")
    fr, ends = report.final_report, report.contract.ends_on
    if fr.submitted_on is None:
        return Completion(None, "nihai rapor henüz sunulmadı")
    if ends is None:
        return Completion(None, "sözleşme süresinin bitiş tarihi (contract.ends_on) verilmedi")
    if fr.submitted_on <= ends:
        if fr.approved_on is None:
            return Completion(None, "nihai rapor sözleşme süresi içinde sunuldu; onay tarihi bekleniyor")
        on, how = fr.approved_on, "nihai rapor sözleşme süresi içinde sunuldu: onaylandığı gün"
    else:
        on = add_months(fr.submitted_on, 1)
        how = "nihai rapor sözleşme süresinden sonra sunuldu: sunuluşundan 1 ay sonra"
    return Completion(on, how, add_months(on, 12))


def last_payment_day(program: Program, contract: Contract) -> date | None:
    """003:L845-846: the last day a payment for work done in the period still counts, the end of
    the final-report window (45 days, 003:L1936-1937; a holiday moves it on, D4). None where the
    guide has no such allowance."""
    days = program.contract.final_report_days
    if not program.monitoring.payments_until_final_report or not days:
        return None
    return at_close(program, contract.implementation_end + timedelta(days=days)).date()


def expenses_outside_period(program: Program, report: MonitoringReport) -> list[Expense]:
    """Costs are eligible only within the implementation period (001:L658, L715; 002:L558;
    003:L835): an expense dated before its first day (pre-contract) or after its last is not.
    003:L845-846 also takes a payment made within the final-report window for work done in
    the period; a later payment is outside."""
    if not program.monitoring.expenses_within_implementation:
        return []
    start, end = implementation_period(report.contract)
    last_payment = last_payment_day(program, report.contract)
    out = []
    for e in report.expenses:
        outside = not start <= e.date <= end
        if not outside and last_payment is not None and e.paid_on is not None:
            outside = e.paid_on > last_payment
        if outside:
            out.append(e)
    return out


def support_base(report: MonitoringReport) -> tuple[Decimal, str]:
    """The support a penalty is a share of: the kesin destek tutarı once the final report has
    fixed it (001:L961), else the contract's amount; the label says which."""
    final = report.final_report.final_support
    if final is not None:
        return final, "kesin destek tutarı"
    return report.contract.support, "sözleşmedeki destek tutarı"


def share_of(base: Decimal, rate: Decimal) -> Decimal:
    """base x rate, rounded once half-up to the kuruş (D6)."""
    return quantize(base * rate)


@dataclass(frozen=True)
class EmploymentPenalty:
    committed: int
    realised: int
    rate: Decimal | None  # None: the guide's range only, the band could not be placed
    rate_source: str
    amount: Decimal | None
    range_amounts: tuple[Decimal, Decimal]


def employment_band(program: Program, committed: int, current_staff: int) -> Decimal:
    """The rate the profile reads for a commitment of this size: committed new jobs over the
    current staff, against `employment_penalty_bands` (inclusive upper bounds; above the last,
    the maximum). 001:L403 gives 2-5 % "taahhüt edilen istihdamın büyüklüğüne bağlı olarak"
    and no scale (A9); the profile's bands are its reading of criterion 3.1 (001:L393, L903)."""
    m = program.monitoring
    ratio = Decimal(committed) / Decimal(current_staff)
    for up_to, rate in m.employment_penalty_bands:
        if ratio <= up_to:
            return rate
    assert m.employment_penalty_max is not None
    return m.employment_penalty_max


def employment_penalty(program: Program, report: MonitoringReport) -> EmploymentPenalty | None:
    """001:L403, L1004: a project that has not reached the committed employment at the end of
    the implementation period pays 2-5 % of the support. The rate the contract writes wins;
    otherwise the profile's band reading; without the current staff, only the range."""
    m, emp = program.monitoring, report.employment
    if m.employment_penalty_min is None or m.employment_penalty_max is None or emp is None:
        return None
    if emp.committed == 0 or emp.realised is None or emp.realised >= emp.committed:
        return None
    if _as_of(report) <= report.contract.implementation_end:
        return None  # judged at the end of the implementation period, not before
    base, _ = support_base(report)
    low, high = m.employment_penalty_min, m.employment_penalty_max
    rate: Decimal | None
    if report.contract.employment_penalty_rate is not None:
        rate, source = report.contract.employment_penalty_rate, "sözleşmede yazan oran"
    elif emp.current_staff is not None and m.employment_penalty_bands:
        rate = employment_band(program, emp.committed, emp.current_staff)
        share = format_percent(Decimal(emp.committed) / Decimal(emp.current_staff))
        source = (f"taahhüdün büyüklüğü: {emp.committed} kişi / {emp.current_staff} çalışan = {share} "
                  "(profilin kademe okuması, rehber ölçek vermez)")
    else:
        rate, source = None, "oran belirlenemedi: mevcut çalışan sayısı (employment.current_staff) yok"
    return EmploymentPenalty(emp.committed, emp.realised, rate, source,
                             share_of(base, rate) if rate is not None else None,
                             (share_of(base, low), share_of(base, high)))


def ksru_penalty(program: Program, report: MonitoringReport) -> Decimal | None:
    """001:L405, L1004: a beneficiary that committed to the KSRU certificate training and has
    no certificate within the implementation period pays 2 % of the support. None when the
    rule does not apply or is not yet decidable (the period has not ended)."""
    rate, k = program.monitoring.ksru_penalty, report.ksru
    if rate is None or k is None or not k.committed:
        return None
    start, end = implementation_period(report.contract)
    if k.certificate_on is not None and start <= k.certificate_on <= end:
        return None
    if k.certificate_on is None and _as_of(report) <= end:
        return None  # still time
    return share_of(support_base(report)[0], rate)


def unmet_indicators(report: MonitoringReport) -> list[Indicator]:
    """Indicators whose realised value is below target, force majeure aside (002:L960)."""
    return [i for i in report.indicators
            if i.realised is not None and i.realised < i.target and not i.force_majeure]


def unrealised_lines(report: MonitoringReport) -> list[BudgetLine]:
    """Budget lines not carried out, force majeure aside (002:L960): staff's `implemented:
    false`, or nothing spent on a line that had an amount."""
    out = []
    for line in report.budget_lines:
        if line.force_majeure:
            continue
        if line.implemented is False or (line.implemented is None and line.realised == ZERO and line.amount > 0):
            out.append(line)
    return out


@dataclass(frozen=True)
class IndicatorPenalty:
    unmet: int
    rate: Decimal | None  # min(unmet x contract's rate, cap); None: not in the contract
    cap: Decimal
    amount: Decimal | None
    capped: bool = False


def indicator_penalty(program: Program, report: MonitoringReport) -> IndicatorPenalty | None:
    """001:L963: after the final payment is netted, unmet indicators may cost up to 7 % of the
    final support, only where the contract writes it. The contract's rate per unmet indicator,
    times their number, capped at the profile's `indicator_penalty_cap`."""
    cap = program.monitoring.indicator_penalty_cap
    unmet = unmet_indicators(report)
    if cap is None or not unmet:
        return None
    per = report.contract.indicator_penalty_per_item
    final = report.final_report.final_support
    if per is None:
        return IndicatorPenalty(len(unmet), None, cap, None)
    raw = per * len(unmet)
    rate = min(raw, cap)
    return IndicatorPenalty(len(unmet), rate, cap, share_of(final, rate) if final is not None else None,
                            capped=raw > cap)


@dataclass(frozen=True)
class Deductions:
    items: int
    per_item: str  # Turkish: what one item costs, or why it is not known
    amount: Decimal | None


def deductions(program: Program, report: MonitoringReport) -> Deductions | None:
    """002:L960, L1262: a deduction from the support for each budget line and each indicator
    not realised, force majeure aside; what one costs is in the contract's special conditions.
    The total never exceeds the support it is deducted from."""
    if not program.monitoring.deduction_per_unrealised_item:
        return None
    n = len(unrealised_lines(report)) + len(unmet_indicators(report))
    if n == 0:
        return None
    base, label = support_base(report)
    c = report.contract
    if c.deduction_rate_per_item is not None:
        amount = min(share_of(base, c.deduction_rate_per_item * n), base)
        return Deductions(n, f"kalem başına {label} x {format_percent(c.deduction_rate_per_item)}", amount)
    if c.deduction_amount_per_item is not None:
        return Deductions(n, f"kalem başına {format_tl(c.deduction_amount_per_item)}",
                          min(c.deduction_amount_per_item * n, base))
    return Deductions(n, "sözleşme özel koşullarındaki tutar verilmedi", None)


@dataclass(frozen=True)
class ReportDue:
    no: int
    period_end: date  # the day the six months complete
    due: datetime  # rolled to a business day, at the agency's close
    submitted_on: date | None


def performance_report_dues(program: Program, report: MonitoringReport) -> list[ReportDue]:
    """001:L971 (with L41, L400): during the repayment period, a report on the indicators every
    six months. The repayment period begins `grace_months` after the repayment anchor (the
    contract, 001:L41, L988) and runs for the installments, so reports fall due each time six
    of its months complete: 24 installments give 4 reports, at months 12, 18, 24 and 30. The
    guide names no window and no business days, so a report is due on that day; a day that
    is not a business day moves to the next one (TBK m.93, D4), at the agency's close."""
    months, rep = program.monitoring.performance_report_months, program.repayment
    if not months or rep is None:
        return []
    anchor = report.contract.signed_on if rep.anchor == "contract_signed" else report.contract.transferred_on
    if anchor is None:
        return []
    start = add_months(anchor, rep.grace_months)
    given = {r.number: r.submitted_on for r in report.performance_reports}
    out = []
    for k in range(1, math.ceil(rep.installments / months) + 1):
        end = add_months(start, months * k)
        out.append(ReportDue(k, end, at_close(program, end), given.get(k)))
    return out


@dataclass(frozen=True)
class Recovery:
    item: Ineligible
    interest: Decimal | None  # None: not this guide's rule, or not computable
    days: int | None
    interest_source: str

    @property
    def total(self) -> Decimal:
        return self.item.amount + (self.interest or ZERO)


def lost_interest(amount: Decimal, annual_rate: Decimal, released_on: date, detected_on: date,
                  day_basis: int) -> tuple[Decimal, int]:
    """003:L1938-1944: the interest the income-generating account would have earned on the
    amount from the blockage release to the day the cost was found ineligible. Simple
    interest on the actual days over `day_basis` (the profile's; the guide names none),
    amount x rate x days / basis rounded once half-up to the kuruş."""
    days = (detected_on - released_on).days
    if days < 0:
        raise UserError("tespit tarihi blokaj çözme tarihinden önce olamaz", field="ineligible.detected_on")
    return quantize(amount * annual_rate * days / day_basis), days


def recoveries(program: Program, report: MonitoringReport) -> list[Recovery]:
    """Amounts found ineligible are taken back (001:L990; 002:L989; 003:L1995-1998); in 003
    with the lost interest (003:L1938-1947), the bank's own figure first."""
    out = []
    for item in report.ineligible:
        if not program.monitoring.recover_lost_interest:
            out.append(Recovery(item, None, None, "bu programın rehberinde faiz kaybı yok"))
        elif item.lost_interest is not None:
            out.append(Recovery(item, item.lost_interest, None, "bankanın bildirdiği faiz kaybı"))
        elif item.annual_rate is not None and item.released_on and item.detected_on:
            interest, days = lost_interest(item.amount, item.annual_rate, item.released_on,
                                           item.detected_on, program.monitoring.interest_day_basis)
            out.append(Recovery(item, interest, days,
                                f"{format_percent(item.annual_rate)} yıllık, {days} gün / "
                                f"{program.monitoring.interest_day_basis}"))
        else:
            out.append(Recovery(item, None, None, "faiz kaybı hesaplanamadı: blokaj çözme ve tespit "
                                "tarihleri ile yıllık oran (ya da bankanın tutarı) gerekli"))
    return out


# --- the whole evaluation ------------------------------------------------------------------------


@dataclass
class MonitoringResult:
    program: Program
    report: MonitoringReport
    as_of: date
    period: tuple[date, date]
    completion: Completion | None
    outside: list[Expense]
    employment: EmploymentPenalty | None
    ksru: Decimal | None
    indicators: IndicatorPenalty | None
    deductions: Deductions | None
    reports: list[ReportDue]
    recoveries: list[Recovery]
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def recovery_total(self) -> Decimal:
        return sum((r.total for r in self.recoveries), ZERO)

    @property
    def penalties_total(self) -> Decimal:
        parts = [self.employment.amount if self.employment else None, self.ksru,
                 self.indicators.amount if self.indicators else None,
                 self.deductions.amount if self.deductions else None]
        return sum((p for p in parts if p is not None), ZERO)

    def to_dict(self) -> dict:
        def money(v: Decimal | None) -> str | None:
            return None if v is None else f"{v:.2f}"

        def day(v: date | None) -> str | None:
            return None if v is None else v.isoformat()

        c = self.completion
        return {
            "program": self.program.id,
            "application_no": self.report.application_no,
            "as_of": self.as_of.isoformat(),
            "implementation": {"start": day(self.period[0]), "end": day(self.period[1])},
            "completion": None if c is None else {"date": day(c.on), "rule": c.rule,
                                                  "reapplication_bar_ends": day(c.bar_ends)},
            "expenses_outside_period": [{"id": str(e.id), "date": day(e.date), "amount": money(e.amount)}
                                        for e in self.outside],
            "employment_penalty": None if self.employment is None else {
                "rate": None if self.employment.rate is None else str(self.employment.rate),
                "rate_source": self.employment.rate_source, "amount": money(self.employment.amount),
                "range": [money(a) for a in self.employment.range_amounts]},
            "ksru_penalty": money(self.ksru),
            "indicator_penalty": None if self.indicators is None else {
                "unmet": self.indicators.unmet,
                "rate": None if self.indicators.rate is None else str(self.indicators.rate),
                "cap": str(self.indicators.cap), "amount": money(self.indicators.amount)},
            "deductions": None if self.deductions is None else {
                "items": self.deductions.items, "per_item": self.deductions.per_item,
                "amount": money(self.deductions.amount)},
            "penalties_total": money(self.penalties_total),
            "performance_reports": [{"no": r.no, "period_end": day(r.period_end), "due": r.due.isoformat(),
                                     "submitted_on": day(r.submitted_on)} for r in self.reports],
            "recoveries": [{"description": r.item.description, "amount": money(r.item.amount),
                            "lost_interest": money(r.interest), "days": r.days, "interest_source": r.interest_source,
                            "total": money(r.total)} for r in self.recoveries],
            "recovery_total": money(self.recovery_total),
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }


def _as_of(report: MonitoringReport) -> date:
    return report.as_of or now().date()


def _refs(program: Program, rule: str) -> list[str]:
    """The guide lines a finding rests on, from the programme's own profile (`[monitoring.refs]`),
    so a 003 finding cites 003; the section's `lines` where the rule has none of its own."""
    m = program.monitoring
    ref = m.refs.get(rule) or m.lines
    return [ref] if ref else []


def profile_problems(program: Program, report: MonitoringReport) -> list[tuple[tuple, str]]:
    """What in the report contradicts the programme's guide, as (field path, Turkish message):
    checked before anything is computed, so a bad value is the user's error, never a result."""
    out: list[tuple[tuple, str]] = []
    if report.program != program.id:
        out.append((("program",), f"rapor '{report.program}' programına ait, '{program.id}' değil"))
    m, rate = program.monitoring, report.contract.employment_penalty_rate
    if rate is not None:
        low, high = m.employment_penalty_min, m.employment_penalty_max
        if low is None or high is None:
            out.append((("contract", "employment_penalty_rate"), "bu programın rehberinde istihdam cezası yok"))
        elif not low <= rate <= high:
            out.append((("contract", "employment_penalty_rate"),
                        f"oran rehberin aralığında olmalı ({format_percent(low)}-{format_percent(high)}; "
                        f"{m.refs.get('EMPLOYMENT_COMMITMENT_UNMET', m.lines)}): {rate}"))
    return out


def evaluate(program: Program, report: MonitoringReport) -> MonitoringResult:
    """All the computations the programme's guide defines, with their findings and notes."""
    for loc, message in profile_problems(program, report):
        raise UserError(message, field=".".join(map(str, loc)))
    m = program.monitoring
    as_of = _as_of(report)
    period = implementation_period(report.contract)
    res = MonitoringResult(
        program=program, report=report, as_of=as_of, period=period,
        completion=completion_date(program, report),
        outside=expenses_outside_period(program, report),
        employment=employment_penalty(program, report),
        ksru=ksru_penalty(program, report),
        indicators=indicator_penalty(program, report),
        deductions=deductions(program, report),
        reports=performance_report_dues(program, report),
        recoveries=recoveries(program, report),
    )
    fr, note = report.final_report, res.notes.append

    def add(rule: str, message: str, subject: str, **kw: object) -> None:
        res.findings.append(Finding(rule, message, refs=_refs(program, rule), subject=subject, **kw))

    if m.audit_report_required:
        if fr.audit_report is False and fr.submitted_on is not None:
            add("AUDIT_REPORT_MISSING", "Nihai raporla birlikte denetim raporu sunulmamış; rehber tüm "
                "projelerden denetim raporu ister.", "denetim raporu")
        elif fr.audit_report is None:
            note("Denetim raporunun sunulup sunulmadığı (final_report.audit_report) yazılmamış; kontrol edilmedi.")

    last_payment = last_payment_day(program, report.contract)
    for e in res.outside:
        if period[0] <= e.date <= period[1] and last_payment and e.paid_on:
            why = (f"ödemesi ({format_short(e.paid_on)}) nihai rapor süresinin son gününden "
                   f"({format_short(last_payment)}) sonra")
        else:
            why = f"proje uygulama süresi ({format_short(period[0])}-{format_short(period[1])}) dışında"
        add("EXPENSE_OUTSIDE_PERIOD", f"Harcama {e.id} ({format_short(e.date)}, {format_tl(e.amount)}) {why}; "
            "uygun maliyet değildir.", str(e.id),
            evidence=[Evidence(file="izleme", text=e.description, value=e.date.isoformat())])
    if m.expenses_within_implementation and not report.expenses:
        note("Harcama listesi (expenses) yok; harcamaların uygulama süresi içinde olduğu kontrol edilmedi.")

    emp = res.employment
    if emp is not None:
        low, high = emp.range_amounts
        what = (f"{format_percent(emp.rate)} = {format_tl(emp.amount)} ({emp.rate_source})"
                if emp.rate is not None and emp.amount is not None else emp.rate_source)
        from_contract = report.contract.employment_penalty_rate is not None
        add("EMPLOYMENT_COMMITMENT_UNMET",
            f"İstihdam taahhüdü gerçekleşmedi ({emp.realised}/{emp.committed} kişi). Ceza destek tutarının "
            f"%2-%5'i ({format_tl(low)}-{format_tl(high)}); {what}.", "istihdam",
            # the contract's own rate is read; the profile's band is a reading of the guide (A9)
            severity=Severity.WARNING if from_contract else None,
            certainty=Certainty.READ if from_contract else Certainty.INFERRED)
    elif m.employment_penalty_min is not None and report.employment is not None and report.employment.committed:
        if report.employment.realised is None:
            note("Uygulama dönemi sonundaki yeni istihdam (employment.realised) yazılmamış; istihdam taahhüdü "
                 "kontrol edilmedi.")
        elif as_of <= period[1]:
            note("Uygulama dönemi henüz bitmedi; istihdam taahhüdü dönem sonunda değerlendirilir.")

    if res.ksru is not None:
        cert = report.ksru.certificate_on if report.ksru else None
        why = (f"katılım sertifikası uygulama süresi dışında, {format_short(cert)}" if cert
               else "katılım sertifikası yok")
        add("KSRU_COMMITMENT_UNMET", f"KSRU eğitimi taahhüdü uygulama süresi içinde yerine getirilmedi ({why}); "
            f"ceza {format_percent(m.ksru_penalty or ZERO)} = {format_tl(res.ksru)}.", "KSRU")

    if m.indicator_penalty_cap is not None or m.deduction_per_unrealised_item:
        for i in unmet_indicators(report):
            add("INDICATOR_TARGET_UNMET", f"Performans göstergesi {i.code} hedefin altında: "
                f"{i.realised} / {i.target}.", i.code)
        unread = [i.code for i in report.indicators if i.realised is None]
        if unread:
            note(f"Gerçekleşme değeri yazılmamış göstergeler kontrol edilmedi: {', '.join(unread)}.")
    if m.deduction_per_unrealised_item:
        unknown = [line.id for line in report.budget_lines
                   if line.implemented is None and line.realised is None and not line.force_majeure]
        if unknown:
            note(f"Uygulanıp uygulanmadığı yazılmamış bütçe kalemleri kontrol edilmedi: {', '.join(unknown)}.")
        for line in unrealised_lines(report):
            add("BUDGET_LINE_UNREALISED", f"Bütçe kalemi {line.id} {line.name} uygulanmadı "
                f"({format_tl(line.amount)}); rehber her uygulanmayan kalem için destekten kesinti öngörür.", line.id)
    ip = res.indicators
    if ip is not None and ip.rate is None:
        note("Sözleşmede gösterge cezası yazılmamış (contract.indicator_penalty_per_item): rehbere göre ceza "
             "ancak sözleşmeye yazılmışsa uygulanır; hesaplanmadı.")
    elif ip is not None and ip.amount is None:
        note("Kesin destek tutarı (final_report.final_support) yok; gösterge cezası nihai destek tutarından "
             "hesaplanır, hesaplanmadı.")
    if res.deductions is not None and res.deductions.amount is None:
        note("Kesinti tutarı sözleşme özel koşullarındadır; contract.deduction_rate_per_item ya da "
             "deduction_amount_per_item yazılmadığı için hesaplanmadı.")

    for r in res.reports:
        subject, due = f"performans raporu {r.no}", format_short(r.due.date())
        if r.submitted_on is None and r.due.date() < as_of:
            add("PERFORMANCE_REPORT_LATE", f"{r.no}. altı aylık performans raporu {due} tarihine kadar "
                "sunulmalıydı; sunulmadı.", subject)
        elif r.submitted_on is not None and r.submitted_on > r.due.date():
            add("PERFORMANCE_REPORT_LATE", f"{r.no}. altı aylık performans raporu geç sunuldu: "
                f"{format_short(r.submitted_on)} (son gün {due}).", subject)
    if m.performance_report_months and program.repayment and not res.reports:
        note("Geri ödemenin başladığı tarih (contract.transferred_on) yok; performans raporu tarihleri hesaplanmadı.")

    for r in res.recoveries:
        interest = f" + faiz kaybı {format_tl(r.interest)} ({r.interest_source})" if r.interest is not None else ""
        unread = m.recover_lost_interest and r.interest is None
        add("INELIGIBLE_COST_RECOVERY", f"Uygun olmayan maliyet geri alınır: {r.item.description} "
            f"{format_tl(r.item.amount)}{interest}; toplam {format_tl(r.total)}.", r.item.description,
            certainty=Certainty.UNREAD if unread else Certainty.READ)
        if unread:
            note(f"{r.item.description}: {r.interest_source}.")

    c = res.completion
    if c is not None and c.on is None:
        note(f"Tamamlanma tarihi hesaplanmadı: {c.rule}.")
    return res
