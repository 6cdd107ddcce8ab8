"""The deadlines a programme implies, computed from its profile and the business-day calendar.

An explicit deadline in the profile always wins over a computed one (D3).
"""

from __future__ import annotations

from calendar import monthrange as _monthrange
from datetime import date, datetime, timedelta

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


def result_notice_deadline(program: Program, decided_on: date) -> datetime | None:
    """Rejected applicants are told within N days of the board's final decision: calendar days
    in 002 (L956, D4), business days in 003 (L1849-1850)."""
    c = program.contract
    cal = calendar_of(program)
    if c.result_letter_business_days:
        return cal.deadline_after(decided_on, c.result_letter_business_days)
    if c.result_letter_days:
        day = decided_on + timedelta(days=c.result_letter_days)
        return at_close(program, day)
    return None


def at_close(program: Program, day: date) -> datetime:
    """The end of a calendar-day window (D4) that ends on `day`: a last day that is not a
    business day moves to the next business day (TBK m.93), and ends at the agency's close."""
    cal = calendar_of(program)
    day = cal.next_business_day(day)
    return aware(datetime.combine(day, cal.closing_on(day)))


def contract_timeline(program: Program, documents_received_on: date,
                      notified_on: date | None = None) -> dict[str, datetime | None]:
    """The contract windows after the result (002:L952; 003:L1889-1900; 001:L769, L959):
    the agency notifies within `notify_business_days` of receiving the documents, the
    applicant signs within `sign_business_days` of the notification, and force majeure adds
    `sign_extension_(business_)days` after that. `notified_on` is the actual notification
    day when known; otherwise the notification deadline is used."""
    c = program.contract
    cal = calendar_of(program)
    out: dict[str, datetime | None] = {"notify": None, "sign": None, "sign_extended": None}
    if c.notify_business_days:
        out["notify"] = cal.deadline_after(documents_received_on, c.notify_business_days)
    base = notified_on or (out["notify"].date() if out["notify"] else documents_received_on)
    if c.sign_business_days:
        out["sign"] = cal.deadline_after(base, c.sign_business_days)
    if out["sign"] is not None:
        if c.sign_extension_business_days:
            out["sign_extended"] = cal.deadline_after(out["sign"].date(), c.sign_extension_business_days)
        elif c.sign_extension_days:
            out["sign_extended"] = at_close(program, out["sign"].date() + timedelta(days=c.sign_extension_days))
    return out


# --- the call's own process windows (issue 16): KAYS opening, questions, Board lists ---------


def kays_opens(program: Program, period: Period | None = None) -> date | None:
    """The first day KAYS takes applications: the period's explicit `opens` (D3: explicit wins),
    else N iş günü after the announcement (002:L713: 09.12.2022 + 10 iş günü = 23.12.2022)."""
    p = period or program.periods[0]
    if p.opens is not None:
        return p.opens
    n = program.process.kays_opens_business_days
    return None if n is None else calendar_of(program).add_business_days(program.announcement_date, n)


def question_cutoff(program: Program, period: Period | None = None) -> datetime | None:
    """Questions are taken until N calendar days before the application deadline (D4; 002:L769,
    003:L1554): the deadline's own moment N days earlier (17.02.2023 23:59 -> 28.01.2023 23:59).
    A limit counted backwards is not moved to a business day: it binds the applicant, who may
    write on any day, and moving it would shorten the window the guide gives."""
    n = program.process.questions_days_before_deadline
    if n is None:
        return None
    return application_deadline(program, period) - timedelta(days=n)


def answer_deadline(program: Program, received_on: date) -> datetime | None:
    """A question that reached the agency on `received_on` is answered in the SSS within N
    calendar days (D4; 001:L823: 3, 002:L771 and 003:L1564: 10); a last day that is not a
    business day moves to the next one (at_close)."""
    n = program.process.answer_days
    return None if n is None else at_close(program, received_on + timedelta(days=n))


def board_list_deadline(program: Program, period: Period | None = None) -> datetime | None:
    """The main and reserve lists go to the Board within N months of the applications'
    completion (001:L934). An application is complete when its taahhütname is signed
    (001:L815), so the window runs from the taahhütname deadline (else the application
    deadline); months clamp to the month's last day, as evrak.schedule.add_months does (that
    module imports this one), and a last day that is not a business day moves on (at_close)."""
    months = program.process.board_list_months
    if months is None:
        return None
    start = (taahhutname_deadline(program, period) or application_deadline(program, period)).date()
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    day = min(start.day, _monthrange(year, month)[1])
    return at_close(program, date(year, month, day))
