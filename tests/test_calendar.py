"""Business days and deadlines (D2-D4), checked against the guides' own stated deadlines."""

from datetime import date, datetime, time

import pytest

from evrak.calendar import calendar_for
from evrak.dates import ISTANBUL
from evrak.deadlines import calendar_of, contract_timeline, result_notice_deadline
from evrak.profiles import CalendarPolicy, load_profile


@pytest.fixture(scope="module")
def cal():
    return calendar_for()


@pytest.mark.parametrize(("event", "n", "closing", "expected"), [
    # D3 and the guides: 002 L20 (24 Şubat 2023 17:00), 003 (27.01.2023 18:00),
    # 000 (30 Ağustos is a holiday), 001 (15.05.2026 17:00).
    (date(2023, 2, 17), 5, time(17), datetime(2023, 2, 24, 17, 0, tzinfo=ISTANBUL)),
    (date(2023, 1, 20), 5, time(18), datetime(2023, 1, 27, 18, 0, tzinfo=ISTANBUL)),
    (date(2023, 8, 29), 5, time(17), datetime(2023, 9, 6, 17, 0, tzinfo=ISTANBUL)),
    (date(2026, 5, 8), 5, time(17), datetime(2026, 5, 15, 17, 0, tzinfo=ISTANBUL)),
])
def test_d3_deadlines(cal, event, n, closing, expected):
    got = cal.deadline_after(event, n, closing)
    assert got == expected
    assert got.utcoffset().total_seconds() == 3 * 3600


def test_holidays_from_law_2429(cal):
    # 2023 Ramazan 21-23 Nisan, Kurban 28 Haziran - 1 Temmuz; 2026 Kurban 27-30 Mayıs
    for d in (date(2023, 4, 21), date(2023, 6, 28), date(2023, 6, 30), date(2023, 8, 30),
              date(2023, 5, 19), date(2026, 5, 27), date(2026, 5, 29), date(2026, 3, 20),
              date(2024, 7, 15), date(2023, 5, 1)):
        assert not cal.is_business_day(d), d
        assert cal.holiday_name(d)
    assert cal.is_business_day(date(2023, 6, 27))  # arife: a half day, working by default
    assert cal.is_half_day(date(2023, 6, 27))


def test_bayram_shifts(cal):
    assert cal.next_business_day(date(2026, 5, 27)) == date(2026, 6, 1)
    assert cal.next_business_day(date(2026, 3, 21)) == date(2026, 3, 23)
    assert cal.next_business_day(date(2026, 3, 23)) == date(2026, 3, 23)


def test_idari_izin_policy():
    # turkish-domain §1.3: 5 business days after Fri 23.06.2023
    assert calendar_for().add_business_days(date(2023, 6, 23), 5) == date(2023, 7, 5)
    strict = calendar_for(CalendarPolicy(idari_izin_is_business_day=False))
    assert not strict.is_business_day(date(2023, 6, 26))
    assert strict.add_business_days(date(2023, 6, 23), 5) == date(2023, 7, 6)


def test_half_day_policy():
    closed = calendar_for(CalendarPolicy(half_day_is_business_day=False))
    assert not closed.is_business_day(date(2026, 5, 26))
    assert calendar_for().is_business_day(date(2026, 5, 26))


def test_regional_closure(tmp_path):
    f = tmp_path / "calendar.toml"
    f.write_text('[calendar]\n[[calendar.closed]]\ndate = 2023-02-20\nkind = "closure"\n'
                 'name = "Deprem"\nprovinces = ["Hatay"]\n', encoding="utf-8")
    hatay = calendar_for(province="Hatay", path=f)
    konya = calendar_for(province="Konya", path=f)
    assert not hatay.is_business_day(date(2023, 2, 20))
    assert konya.is_business_day(date(2023, 2, 20))
    assert hatay.add_business_days(date(2023, 2, 17), 5) == date(2023, 2, 27)


def test_deadline_on_an_arife_ends_at_the_half_day_cutoff():
    """D2/D3: a half day is a business day but the agency closes at 13:00 (2429 m.2/B)."""
    cal = calendar_of(load_profile("tr63-2023-makine"))
    # 02.04.2024 + 5 iş günü = 09.04.2024, Ramazan Bayramı arifesi: 13:00, not 17:00
    assert cal.deadline_after(date(2024, 4, 2), 5).isoformat() == "2024-04-09T13:00:00+03:00"
    # 21.10.2025 + 5 iş günü = 28.10.2025, the eve of Cumhuriyet Bayramı
    assert cal.deadline_after(date(2025, 10, 21), 5).isoformat() == "2025-10-28T13:00:00+03:00"
    # an ordinary day keeps the programme's hour
    assert cal.deadline_after(date(2024, 4, 1), 5).isoformat() == "2024-04-08T17:00:00+03:00"


def test_result_notice_and_contract_windows_per_guide():
    """002:L952, L956; 003:L1849-1850, L1889-1900 — worked out on the 2023 calendar."""
    p002, p003 = load_profile("tr63-2023-makine"), load_profile("tr61-2023-imalat")
    # 002: 10 calendar days after the decision (D4)
    assert result_notice_deadline(p002, date(2023, 4, 3)).isoformat() == "2023-04-13T17:00:00+03:00"
    # 003: 10 business days, at 003's own closing hour
    assert result_notice_deadline(p003, date(2023, 4, 3)).isoformat() == "2023-04-17T18:00:00+03:00"
    t = contract_timeline(p002, date(2023, 4, 14))
    # +5 iş günü skips Ramazan Bayramı (21.04) and counts its arife (20.04, a half day)
    assert t["notify"].isoformat() == "2023-04-24T17:00:00+03:00"
    # +10 iş günü skips 1 Mayıs
    assert t["sign"].isoformat() == "2023-05-09T17:00:00+03:00"
    # +10 days ends on 19 Mayıs, a holiday: the next business day (TBK m.93)
    assert t["sign_extended"].isoformat() == "2023-05-22T17:00:00+03:00"
    # 003: twenty business days of extension (L1899-1900), skipping 19 Mayıs
    assert contract_timeline(p003, date(2023, 4, 14))["sign_extended"].isoformat() == "2023-06-07T18:00:00+03:00"
