"""The deadlines a programme implies, computed from its profile and the business-day calendar.

An explicit deadline in the profile always wins over a computed one (D3).
"""

from __future__ import annotations

from datetime import date, datetime

from evrak.calendar import BusinessCalendar, calendar_for
from evrak.dates import aware
from evrak.profiles import Period, Program


def calendar_of(program: Program, province: str | None = None) -> BusinessCalendar:
    return calendar_for(program.calendar, province)


def period_for(program: Program, submitted_at: datetime | None = None) -> Period:
    """The period an application belongs to: the first whose deadline it meets, else the last."""
    if submitted_at is not None:
        for period in program.periods:
            if aware(submitted_at) <= period.application_deadline:
                return period
    return program.periods[-1]


def application_deadline(program: Program, period: Period | None = None) -> datetime:
    return (period or program.periods[-1]).application_deadline


def taahhutname_deadline(program: Program, period: Period | None = None) -> datetime | None:
    """D3/D24: explicit when the guide states it, else N business days after the deadline day."""
    p = period or program.periods[-1]
    if p.taahhutname_deadline is not None:
        return p.taahhutname_deadline
    if program.taahhutname_business_days is None:
        return None
    return calendar_of(program).deadline_after(
        p.application_deadline.date(), program.taahhutname_business_days
    )


def completion_deadline(program: Program, notified_on: date) -> datetime:
    """Deficiency letter: documents may be completed within N business days of notification (D30)."""
    return calendar_of(program).deadline_after(notified_on, program.deficiency_business_days)


def contract_documents_deadline(program: Program, announced_on: date) -> datetime | None:
    n = program.contract.documents_business_days
    return None if n is None else calendar_of(program).deadline_after(announced_on, n)
