"""The call's process windows (issue 16), computed by evrak.deadlines from the profiles and
the business-day calendar; every expected value is worked out by hand from the guide lines."""

from __future__ import annotations

import json
from datetime import date, datetime

from evrak.dates import aware
from evrak.deadlines import answer_deadline, board_list_deadline, kays_opens, question_cutoff
from evrak.profiles import load_profile
from worker.cli import main


def test_kays_opens_ten_business_days_after_the_announcement():
    """002:L12 announcement Friday 09.12.2022; L713 "programın ilanından 10 iş günü sonra":
    12-16 and 19-23 December are the ten, so KAYS opens on Friday 23.12.2022."""
    assert kays_opens(load_profile("tr63-2023-makine")) == date(2022, 12, 23)


def test_an_explicit_opening_wins_and_none_is_made_up():
    """001:L51 gives the opening day itself (D3: explicit wins); 003 states none."""
    assert kays_opens(load_profile("tr52-2026-sogreen")) == date(2026, 3, 25)
    assert kays_opens(load_profile("tr61-2023-imalat")) is None


def test_questions_close_twenty_days_before_the_deadline():
    """002:L769 and 003:L1554 "son tarihten 20 gün öncesine kadar" (calendar days, D4):
    17.02.2023 23:59 - 20 days = 28.01.2023 23:59; 20.01.2023 23:59 - 20 days = 31.12.2022 23:59."""
    assert question_cutoff(load_profile("tr63-2023-makine")) == aware(datetime(2023, 1, 28, 23, 59))
    assert question_cutoff(load_profile("tr61-2023-imalat")) == aware(datetime(2022, 12, 31, 23, 59))
    assert question_cutoff(load_profile("tr52-2026-sogreen")) is None  # 001 sets no cut-off


def test_answers_are_due_within_the_guides_days():
    """003:L1564: 10 days after 20.12.2022 is Friday 30.12.2022, at BAKA's 18:00 close.
    001:L823: 3 days after Wednesday 01.04.2026 is Saturday 04.04.2026, so Monday 06.04.2026
    (a last day that is not a business day moves on, D4/TBK m.93). 002:L771: 10 days after
    Tuesday 10.01.2023 is Friday 20.01.2023."""
    assert answer_deadline(load_profile("tr61-2023-imalat"), date(2022, 12, 20)) == aware(datetime(2022, 12, 30, 18, 0))
    assert answer_deadline(load_profile("tr52-2026-sogreen"), date(2026, 4, 1)) == aware(datetime(2026, 4, 6, 17, 0))
    assert answer_deadline(load_profile("tr63-2023-makine"), date(2023, 1, 10)) == aware(datetime(2023, 1, 20, 17, 0))
    assert answer_deadline(load_profile("tr72-2023-ustd"), date(2023, 5, 10)) is None


def test_lists_go_to_the_board_within_three_months():
    """001:L934: within 3 months of the applications' completion, which is the taahhütname
    deadline 15.05.2026 17:00 (001:L813-815): 15.08.2026 is a Saturday, so Monday 17.08.2026."""
    assert board_list_deadline(load_profile("tr52-2026-sogreen")) == aware(datetime(2026, 8, 17, 17, 0))
    assert board_list_deadline(load_profile("tr63-2023-makine")) is None  # 002 states no such window


def test_program_show_gives_the_process_dates(capsys):
    assert main(["program", "show", "tr63-2023-makine", "--question-received", "2023-01-10"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "KAYS başvuruya açılış: 23 Aralık 2022" in out and "Soru son: 28 Ocak 2023 23:59" in out
    assert "Soru cevabı (SSS) son: 2023-01-20T17:00:00+03:00" in out
    assert main(["program", "show", "tr52-2026-sogreen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periods"][0]["board_list_deadline"] == "2026-08-17T17:00:00+03:00"
    assert data["process"]["answer_days"] == 3
