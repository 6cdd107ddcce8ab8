"""Repayment schedules (D11-D16): installments, due dates on business days, fees apart, revision.

Due dates are computed from one nominal day (the day after anchor + grace), never chained
from the previous due date, so a holiday shift in one month does not drift the rest (D13).
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from evrak.calendar import BusinessCalendar
from evrak.deadlines import calendar_of
from evrak.errors import UserError
from evrak.money import quantize
from evrak.profiles import Program


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Installment:
    no: int
    nominal_date: date
    due_date: date
    amount: Decimal
    remaining: Decimal  # still owed after this installment

    def to_dict(self) -> dict:
        return {
            "no": self.no,
            "due_date": self.due_date.isoformat(),
            "amount": f"{self.amount:.2f}",
            "remaining": f"{self.remaining:.2f}",
        }


@dataclass(frozen=True)
class FeeLine:
    key: str
    label: str  # Turkish, as the schedule document prints it
    base: Decimal
    rate: Decimal
    amount: Decimal


@dataclass
class Schedule:
    program: str
    basis: Decimal
    anchor: date
    anchor_kind: str
    installments: list[Installment]
    fees: list[FeeLine] = field(default_factory=list)
    revised_from: Decimal | None = None
    due_before: int = 0

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.installments), Decimal("0.00"))

    @property
    def fees_total(self) -> Decimal:
        return sum((f.amount for f in self.fees), Decimal("0.00"))

    def to_dict(self) -> dict:
        out = {
            "program": self.program,
            "basis": f"{self.basis:.2f}",
            "anchor": self.anchor.isoformat(),
            "anchor_kind": self.anchor_kind,
            "installments": [i.to_dict() for i in self.installments],
            "total": f"{self.total:.2f}",
            "fees": {f.key: f"{f.amount:.2f}" for f in self.fees} | {"total": f"{self.fees_total:.2f}"},
        }
        if self.revised_from is not None:
            out["revision"] = {"original_basis": f"{self.revised_from:.2f}", "due_before": self.due_before}
        return out


def split_equal(total: Decimal, n: int) -> list[Decimal]:
    """D14: total / n rounded half-up to the kuruş; the last takes the remainder."""
    if n <= 0:
        raise UserError("taksit sayısı pozitif olmalı")
    share = quantize(total / n)
    parts = [share] * (n - 1)
    parts.append(quantize(total - share * (n - 1)))
    return parts


def due_dates(anchor: date, grace_months: int, count: int, cal: BusinessCalendar) -> list[tuple[date, date]]:
    """(nominal, due) pairs per D13."""
    first_nominal = add_months(anchor, grace_months) + timedelta(days=1)
    out = []
    for k in range(count):
        nominal = add_months(first_nominal, k)
        out.append((nominal, cal.next_business_day(nominal)))
    return out


def compute_fees(program: Program, amount: Decimal, budget: Decimal | None = None) -> list[FeeLine]:
    """D16: commission, BSMV on the commission, stamp duty; the beneficiary's own costs."""
    fees = program.fees
    if fees is None:
        return []
    lines: list[FeeLine] = []
    if fees.commission_rate:
        base = budget if fees.commission_base == "budget" and budget is not None else amount
        rate = fees.commission_rate
        if fees.commission_per_year and program.repayment:
            months = program.repayment.grace_months + program.repayment.installments
            rate = rate * Decimal(months) / Decimal(12)
        commission = quantize(base * rate)
        lines.append(FeeLine("commission", "Aracı kurum komisyonu", base, rate, commission))
        if fees.bsmv_rate:
            lines.append(FeeLine("bsmv", "BSMV (komisyon üzerinden)", commission, fees.bsmv_rate,
                                 quantize(commission * fees.bsmv_rate)))
    if fees.stamp_duty_rate:
        base = budget if fees.stamp_duty_base == "budget" and budget is not None else amount
        lines.append(FeeLine("stamp_duty", "Damga vergisi", base, fees.stamp_duty_rate,
                             quantize(base * fees.stamp_duty_rate)))
    return lines


def build_schedule(
    program: Program,
    amount: Decimal,
    anchor: date,
    *,
    final_amount: Decimal | None = None,
    due_before: int = 0,
    budget: Decimal | None = None,
) -> Schedule:
    """The provisional schedule on `amount`, or its revision after the final report (D15).

    With `final_amount`, the first `due_before` installments stay as they were (already due
    or paid) and the approved basis minus those is spread over the rest; dates do not move.
    """
    rep = program.repayment
    if rep is None:
        raise UserError(f"'{program.id}' programında geri ödeme yok ({program.instrument})")
    if amount <= 0:
        raise UserError("tutar pozitif olmalı")
    amount = quantize(amount)
    cal = calendar_of(program)
    dates = due_dates(anchor, rep.grace_months, rep.installments, cal)
    amounts = split_equal(amount, rep.installments)
    basis = amount
    if final_amount is not None:
        final_amount = quantize(final_amount)
        if final_amount <= 0:
            raise UserError("kesinleşen tutar pozitif olmalı")
        if not 0 <= due_before < rep.installments:
            raise UserError(f"vadesi gelmiş taksit sayısı 0 ile {rep.installments - 1} arasında olmalı")
        already = sum(amounts[:due_before], Decimal("0.00"))
        rest = final_amount - already
        if rest < 0:
            raise UserError(
                f"vadesi gelmiş taksitler ({already:.2f}) kesinleşen tutarı ({final_amount:.2f}) aşıyor"
            )
        amounts = amounts[:due_before] + split_equal(rest, rep.installments - due_before)
        basis = final_amount
    remaining = basis
    installments = []
    for no, ((nominal, due), part) in enumerate(zip(dates, amounts, strict=True), start=1):
        remaining -= part
        installments.append(Installment(no, nominal, due, part, quantize(remaining)))
    fee_amount = amount
    return Schedule(
        program=program.id,
        basis=basis,
        anchor=anchor,
        anchor_kind=rep.anchor,
        installments=installments,
        fees=compute_fees(program, fee_amount, budget),
        revised_from=amount if final_amount is not None else None,
        due_before=due_before if final_amount is not None else 0,
    )
