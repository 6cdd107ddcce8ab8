"""Turkish business days (D2) and deadline arithmetic (D3, D4).

Official holidays come from the pinned `holidays` package; what it lacks (idari izin,
regional closures, the half-day policy) comes from programs/calendar.toml. Whether idari
izin and half days count as business days is a per-programme policy, never a constant.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import holidays

from evrak.dates import at
from evrak.errors import UserError
from evrak.profiles import CalendarPolicy, programs_dir


@dataclass(frozen=True)
class ClosedDay:
    day: date
    kind: str  # "idari_izin" | "closure"
    name: str
    provinces: tuple[str, ...] = ()


@dataclass
class BusinessCalendar:
    policy: CalendarPolicy = field(default_factory=CalendarPolicy)
    closed: dict[date, ClosedDay] = field(default_factory=dict)
    weekend: frozenset[int] = frozenset({5, 6})
    half_day_cutoff: time = time(13, 0)
    province: str | None = None

    @functools.cached_property
    def _public(self) -> holidays.HolidayBase:
        return holidays.country_holidays("TR", categories=("public",), language="tr",
                                         years=range(2015, 2041))

    @functools.cached_property
    def _half(self) -> holidays.HolidayBase:
        return holidays.country_holidays("TR", categories=("half_day",), language="tr",
                                         years=range(2015, 2041))

    def holiday_name(self, d: date) -> str | None:
        if d in self._public:
            return self._public.get(d)
        c = self.closed.get(d)
        if c and self._closes(c):
            return c.name
        return None

    def _closes(self, c: ClosedDay) -> bool:
        if c.provinces and self.province and self.province not in c.provinces:
            return False
        if c.kind == "idari_izin":
            return not self.policy.idari_izin_is_business_day
        return True

    def is_half_day(self, d: date) -> bool:
        return d in self._half and d.weekday() not in self.weekend

    def is_business_day(self, d: date) -> bool:
        if d.weekday() in self.weekend or d in self._public:
            return False
        c = self.closed.get(d)
        if c and self._closes(c):
            return False
        return not (self.is_half_day(d) and not self.policy.half_day_is_business_day)

    def next_business_day(self, d: date, *, strictly_after: bool = False) -> date:
        """`d` itself when it is a business day (TBK m.93), else the next one."""
        cur = d + timedelta(days=1) if strictly_after else d
        while not self.is_business_day(cur):
            cur += timedelta(days=1)
        return cur

    def add_business_days(self, d: date, n: int) -> date:
        """The N-th business day after `d`; `d` itself is not counted (TBK m.92/1)."""
        if n < 0:
            raise UserError("iş günü sayısı negatif olamaz")
        cur = d
        for _ in range(n):
            cur = self.next_business_day(cur, strictly_after=True)
        return cur

    def closing_on(self, d: date, closing: time | None = None) -> time:
        """When the agency closes on `d`: its closing hour, or the half-day cutoff on an arife
        or 28 Ekim (D2: a half day counts as a business day, but it ends at 13:00)."""
        hour = closing or self.policy.closing_time
        if self.is_half_day(d):
            return min(hour, self.half_day_cutoff)
        return hour

    def deadline_after(self, d: date, n: int, closing: time | None = None) -> datetime:
        """D3: "N iş günü içinde" after day `d` ends at the closing hour of the N-th business
        day, which on a half day is the half-day cutoff."""
        day = self.add_business_days(d, n)
        return at(day, self.closing_on(day, closing))


@functools.cache
def _closed_days(path: str) -> tuple[dict[date, ClosedDay], frozenset[int], time]:
    p = Path(path)
    if not p.exists():
        return {}, frozenset({5, 6}), time(13, 0)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"takvim dosyası okunamadı: {exc}", file=str(p)) from exc
    cal = data.get("calendar", {})
    closed: dict[date, ClosedDay] = {}
    for i, entry in enumerate(cal.get("closed", [])):
        try:
            day = entry["date"]
            kind = entry.get("kind", "closure")
            if not isinstance(day, date) or kind not in ("idari_izin", "closure"):
                raise ValueError
            closed[day] = ClosedDay(day, kind, entry.get("name", ""), tuple(entry.get("provinces", ())))
        except (KeyError, ValueError, TypeError):
            raise UserError("tarih (YYYY-AA-GG) ve kind ('idari_izin' ya da 'closure') gerekli",
                            file=str(p), field=f"calendar.closed[{i}]") from None
    cutoff = time.fromisoformat(cal.get("half_day_cutoff", "13:00"))
    return closed, frozenset(cal.get("weekend", [5, 6])), cutoff


def calendar_for(policy: CalendarPolicy | None = None, province: str | None = None,
                 path: Path | None = None) -> BusinessCalendar:
    """One calendar per (policy, province, file): building the holiday tables costs ~10 ms."""
    return _calendar(policy or CalendarPolicy(), province, str(path or programs_dir() / "calendar.toml"))


@functools.cache
def _calendar(policy: CalendarPolicy, province: str | None, path: str) -> BusinessCalendar:
    closed, weekend, cutoff = _closed_days(path)
    return BusinessCalendar(policy, closed, weekend, cutoff, province)
