"""Applicant history rules (issue 16, D41), with values worked out from the guide lines.

The sample packages give the applicant and the submission time (002: 15.02.2023 14:32,
001: 06.05.2026 16:40, 003: 18.01.2023 11:05); each test gives the agency's records and runs
the one check that owns the rules (verifiers/prescreen/history.py), then admits the findings
through the profile as the pre-screening does.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from evrak.assessment import admit
from evrak.dates import ISTANBUL
from evrak.errors import UserError
from evrak.findings import Certainty, Severity
from evrak.history import (
    Award,
    Debarment,
    Exclusion,
    History,
    PriorApplication,
    completion_date,
    load_history,
    years_after,
)
from evrak.manifest import load_manifest
from evrak.profiles import load_profile
from verifiers.prescreen import history as checks
from verifiers.prescreen.context import CheckContext
from worker.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"
ALL = frozenset({"basvurular", "destekler", "kararlar", "yasaklilar", "gruplar"})
VKN_002, VKN_001, VKN_003 = "1234567890", "3854926682", "9456251876"
OTHER_VKN = "8523078415"  # a valid VKN of another firm (samples)


def _ctx(program_id: str, history: History | None) -> CheckContext:
    pkg = SAMPLES / program_id / "gecerli"
    m = load_manifest(pkg / "basvuru.yaml")
    return CheckContext(program=load_profile(program_id), manifest=m, root=pkg, files=[], history=history)


def _run(program_id: str, history: History | None) -> tuple[CheckContext, dict[str, list]]:
    ctx = _ctx(program_id, history)
    checks.check_history(ctx)
    out: dict[str, list] = {}
    for f in admit(ctx.program, ctx.findings):
        out.setdefault(f.rule, []).append(f)
    return ctx, out


def _h(**tables: Any) -> History:
    return History(applications=tuple(tables.get("applications", ())), awards=tuple(tables.get("awards", ())),
                   exclusions=tuple(tables.get("exclusions", ())), debarments=tuple(tables.get("debarments", ())),
                   groups=tuple(tables.get("groups", ())), loaded=tables.get("loaded", ALL))


def _at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=ISTANBUL)


# --- cooling-off: 002:L546, L564 (completion), 003:L791-795 (contract end) --------------------


def test_002_completion_date_follows_footnote_7():
    """002:L564: a final report within the contract period completes the project on its
    approval; one submitted after the period completes it one month after submission."""
    inside = Award(VKN_002, "eski", date(2021, 5, 1), contract_end=date(2021, 11, 1),
                   final_report_submitted=date(2021, 10, 20), final_report_approved=date(2022, 5, 1))
    late = Award(VKN_002, "eski", date(2021, 5, 1), contract_end=date(2021, 11, 1),
                 final_report_submitted=date(2021, 12, 15), final_report_approved=date(2022, 3, 1))
    assert completion_date(inside) == date(2022, 5, 1)
    assert completion_date(late) == date(2022, 1, 15)  # 15.12.2021 + 1 ay
    assert completion_date(Award(VKN_002, "eski", date(2021, 5, 1))) is None
    assert years_after(date(2020, 2, 29), 1) == date(2021, 2, 28)


@pytest.mark.parametrize("approved, fires, ends", [
    # completed 01.05.2022: the year that follows ends 01.05.2023, after the 15.02.2023 submission
    (date(2022, 5, 1), True, "01.05.2023"),
    # completed 15.02.2022: the year ends 15.02.2023, the submission day itself: still inside
    (date(2022, 2, 15), True, "15.02.2023"),
    # completed 14.02.2022: the year ended 14.02.2023, the day before the submission
    (date(2022, 2, 14), False, "14.02.2023"),
])
def test_002_cooling_off_one_year_after_completion(approved, fires, ends):
    """002:L546 "projenin tamamlandığı tarihi izleyen bir yıllık süre içerisinde aynı ajansa
    başvurması mümkün değildir"; the sample applies on 15.02.2023."""
    award = Award(VKN_002, "tr63-2021-eski", date(2021, 5, 1), contract_end=date(2021, 11, 1),
                  final_report_submitted=date(2021, 10, 20), final_report_approved=approved, source="d.csv satır 2")
    _, found = _run("tr63-2023-makine", _h(awards=[award]))
    if fires:
        (f,) = found["HISTORY_COOLING_OFF"]
        assert f.severity == Severity.REJECT and tuple(f.refs) == ("002:L546, L564, L843",)
        assert ends in f.message  # the end worked out by hand above, not by the code's own arithmetic
    else:
        assert "HISTORY_COOLING_OFF" not in found


def test_002_cooling_off_during_implementation_and_unknown_completion():
    """002:L546: no application during the implementation period (contract 10.01.2023 - 10.07.2023
    covers 15.02.2023); a contract that ended with no final report dates asks staff (D32)."""
    running = Award(VKN_002, "x", date(2023, 1, 10), contract_end=date(2023, 7, 10))
    (f,) = _run("tr63-2023-makine", _h(awards=[running]))[1]["HISTORY_COOLING_OFF"]
    assert f.severity == Severity.REJECT and "uygulama" in f.message
    ended = Award(VKN_002, "x", date(2021, 1, 10), contract_end=date(2022, 7, 10))
    (f,) = _run("tr63-2023-makine", _h(awards=[ended]))[1]["HISTORY_COOLING_OFF"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.UNREAD
    # another firm's contract, or one of another agency, is not this applicant's
    assert not _run("tr63-2023-makine", _h(awards=[Award(OTHER_VKN, "x", date(2023, 1, 10),
                                                         contract_end=date(2023, 7, 10))]))[1]
    assert not _run("tr63-2023-makine", _h(awards=[Award(VKN_002, "x", date(2023, 1, 10), agency="BAKA",
                                                         contract_end=date(2023, 7, 10))]))[1]


@pytest.mark.parametrize("end, fires", [(date(2022, 1, 18), True), (date(2022, 1, 17), False)])
def test_003_cooling_off_counts_from_the_contract_end(end, fires):
    """003:L791-793 "sözleşmenin sona erdiği tarihi izleyen 1 yıllık süre": a contract ending
    18.01.2022 bars through 18.01.2023, the sample's submission day; one ending 17.01.2022 does not."""
    award = Award(VKN_003, "tr61-2021", date(2021, 7, 18), contract_end=end,
                  final_report_submitted=date(2021, 12, 1), final_report_approved=date(2021, 12, 20))
    found = _run("tr61-2023-imalat", _h(awards=[award]))[1]
    assert ("HISTORY_COOLING_OFF" in found) is fires


def test_001_has_no_cooling_off():
    """001:L636: the one-year rule does not apply to SoGreen's repayable finance."""
    award = Award(VKN_001, "x", date(2025, 1, 10), contract_end=date(2026, 1, 10), repayment="yok")
    assert "HISTORY_COOLING_OFF" not in _run("tr52-2026-sogreen", _h(awards=[award]))[1]


# --- applications and supports --------------------------------------------------------------


def test_002_second_application_in_the_call_is_a_review():
    """002:L117, L545: one application per applicant; the guide does not say which stands (D41)."""
    other = PriorApplication("TR63/23/FKD/MAKINE-0099", VKN_002, "tr63-2023-makine", _at(2023, 2, 1))
    (f,) = _run("tr63-2023-makine", _h(applications=[other]))[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REVIEW and "MAKINE-0099" in f.message
    # the call's reference counts as the programme; a resubmission of the same number does not count
    by_ref = PriorApplication("X-1", VKN_002, "TR63/23/FKD/MAKİNE", _at(2023, 2, 1))
    assert "HISTORY_APPLICATIONS_EXCEEDED" in _run("tr63-2023-makine", _h(applications=[by_ref]))[1]
    same = PriorApplication("TR63/23/FKD/MAKINE-0042", VKN_002, "tr63-2023-makine", _at(2023, 2, 1))
    another_call = PriorApplication("X-2", VKN_002, "tr61-2023-imalat", _at(2023, 1, 1))
    assert not _run("tr63-2023-makine", _h(applications=[same, another_call]))[1]


def test_000_one_application_per_applicant():
    """000:L323-329: "Aynı başvuru sahibi tarafından Programa sadece 1 (bir) proje ile başvuru
    yapılabilir." A second application of the same VKN in the call is a review (D41: the
    guide does not say which stands); the same application number resubmitted is not."""
    vkn = "8523078415"  # the 000 sample's applicant
    other = PriorApplication("TR72/23/USTD-0007", vkn, "tr72-2023-ustd", _at(2023, 8, 1))
    (f,) = _run("tr72-2023-ustd", _h(applications=[other]))[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REVIEW and "000:L323-329" in f.refs
    no = load_manifest(SAMPLES / "tr72-2023-ustd" / "gecerli" / "basvuru.yaml").application_no
    same = PriorApplication(no, vkn, "tr72-2023-ustd", _at(2023, 8, 1))
    assert not _run("tr72-2023-ustd", _h(applications=[same]))[1]


def _app001(no: str, vkn: str, when: datetime, has_time: bool = True) -> PriorApplication:
    return PriorApplication(no, vkn, "tr52-2026-sogreen", when, has_time)


def test_001_two_applications_per_group_the_later_is_rejected():
    """001:L630 (two applications), L640 (>50 % same owners: one applicant), L885 (by submission
    time, the applications over the limit are not evaluated). The sample is submitted 06.05.2026 16:40."""
    group = (("3854926682", "g1"), (OTHER_VKN, "g1"))
    two_before = [_app001("A", VKN_001, _at(2026, 5, 1)), _app001("B", OTHER_VKN, _at(2026, 5, 6, 9))]
    (f,) = _run("tr52-2026-sogreen", _h(applications=two_before, groups=group))[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REJECT and tuple(f.refs) == ("001:L630, L640, L885",)
    # without the group the other firm's application is its own: one earlier, within the limit
    assert not _run("tr52-2026-sogreen", _h(applications=two_before))[1]
    # one before and one after: this is the second, within the limit
    around = [_app001("A", VKN_001, _at(2026, 5, 1)), _app001("B", VKN_001, _at(2026, 5, 6, 17))]
    assert not _run("tr52-2026-sogreen", _h(applications=around))[1]
    # two on the submission day with no time recorded: which one exceeded is not known (D32)
    same_day = [_app001("A", VKN_001, _at(2026, 5, 1)), _app001("B", VKN_001, _at(2026, 5, 6, 0), False)]
    (f,) = _run("tr52-2026-sogreen", _h(applications=same_day))[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.UNREAD


def test_003_six_applications_in_the_calendar_year_across_calls():
    """003:L781-782 and Uygunluk 5 (L1708-1710): at most six applications in the calendar year
    over all the agency's calls; the seventh (the sample, 18.01.2023) is not among the six."""
    six = [PriorApplication(f"C{i}", VKN_003, f"baka-cagri-{i}", _at(2023, 1, 2 + i)) for i in range(6)]
    (f,) = _run("tr61-2023-imalat", _h(applications=six))[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REJECT
    last_year = [*six[:5], PriorApplication("C9", VKN_003, "baka-2022", _at(2022, 12, 30))]
    assert not _run("tr61-2023-imalat", _h(applications=last_year))[1]
    other_agency = [*six[:5], PriorApplication("C9", VKN_003, "x", _at(2023, 1, 3), agency="DOĞAKA")]
    assert not _run("tr61-2023-imalat", _h(applications=other_agency))[1]


def test_001_a_support_already_held_in_the_call_asks_staff():
    """001:L630-632: one support per applicant; with more successes the applicant chooses."""
    held = Award(VKN_001, "tr52-2026-sogreen", date(2026, 5, 1), repayment="devam")
    found = _run("tr52-2026-sogreen", _h(awards=[held]))[1]
    assert found["HISTORY_AWARDS_EXCEEDED"][0].severity == Severity.REVIEW


def test_003_one_support_per_calendar_year():
    """003:L781-785: one supported project per calendar year over all calls; a contract signed
    05.01.2023 counts for the sample's 2023 application, one signed 30.12.2022 does not (that one
    is the cooling-off's business, 003:L791-795)."""
    this_year = Award(VKN_003, "baka-2023-a", date(2023, 1, 5), contract_end=date(2023, 7, 5))
    found = _run("tr61-2023-imalat", _h(awards=[this_year]))[1]
    assert found["HISTORY_AWARDS_EXCEEDED"][0].severity == Severity.REVIEW
    last_year = Award(VKN_003, "baka-2022", date(2022, 12, 30), contract_end=date(2023, 6, 30))
    found = _run("tr61-2023-imalat", _h(awards=[last_year]))[1]
    assert "HISTORY_AWARDS_EXCEEDED" not in found and "HISTORY_COOLING_OFF" in found


# --- repayments: 001:L637 --------------------------------------------------------------------


@pytest.mark.parametrize("repayment, done, expected", [
    ("devam", None, Severity.REJECT),
    ("tamamlandi", date(2026, 4, 30), None),
    ("tamamlandi", date(2026, 5, 7), Severity.REJECT),  # finished after the 06.05.2026 submission
    ("yok", None, None),
    (None, None, Severity.REVIEW),  # not recorded: staff look (D32)
])
def test_001_unfinished_repayments(repayment, done, expected):
    """001:L637: an earlier financing support not yet repaid: the new application is not evaluated."""
    award = Award(VKN_001, "tr52-2024-eski", date(2024, 3, 1), repayment=repayment, repayment_done=done)
    found = _run("tr52-2026-sogreen", _h(awards=[award]))[1]
    got = found.get("HISTORY_REPAYMENT_OPEN")
    assert (got[0].severity if got else None) == expected


# --- exclusion bans: 002:L437, 001:L495, 003:L649-652 ----------------------------------------


@pytest.mark.parametrize("exclusion, expected", [
    # (e) 2 years after detection: detected 15.02.2021 bars through 15.02.2023, the submission day
    (Exclusion(VKN_002, "e", detected=date(2021, 2, 15)), Severity.REJECT),
    (Exclusion(VKN_002, "e", detected=date(2021, 2, 14)), None),
    # (b) 4 years from notification: 15.02.2019 -> 15.02.2023
    (Exclusion(VKN_002, "b", notified=date(2019, 2, 15)), Severity.REJECT),
    (Exclusion(VKN_002, "ç", notified=date(2019, 2, 14)), None),
    (Exclusion(VKN_002, "d"), Severity.REVIEW),  # no notification date: staff (D32)
    # (g) until the obligation is met, owed as of the contract: a review, cleared before: nothing
    (Exclusion(VKN_002, "g"), Severity.REVIEW),
    (Exclusion(VKN_002, "g", cleared=date(2023, 1, 1)), None),
    (Exclusion(VKN_002, "ğ", detected=date(2015, 1, 1)), Severity.REJECT),  # indefinite
    (Exclusion(VKN_002, "h"), None),  # (h) is not in 002's list
    (Exclusion(OTHER_VKN, "ğ"), None),
])
def test_002_exclusion_durations(exclusion, expected):
    """002:L437: (a), (e) 2 years from detection; (b), (c), (ç), (d), (f) 4 years from the
    notification; (g) until met; (ğ) indefinite."""
    found = _run("tr63-2023-makine", _h(exclusions=[exclusion]))[1]
    got = found.get("HISTORY_EXCLUDED")
    assert (got[0].severity if got else None) == expected


def test_001_and_003_exclusion_bans():
    """001:L493-495: (h) debarred by the World Bank, indefinite; 003's list ends at (ğ) (003:L647-656)."""
    assert _run("tr52-2026-sogreen", _h(exclusions=[Exclusion(VKN_001, "h")]))[1]["HISTORY_EXCLUDED"]
    assert not _run("tr61-2023-imalat", _h(exclusions=[Exclusion(VKN_003, "h")]))[1]
    # 003 (a): 2 years after detection 18.01.2021 -> through 18.01.2023, the submission day
    found = _run("tr61-2023-imalat", _h(exclusions=[Exclusion(VKN_003, "a", detected=date(2021, 1, 18))]))[1]
    assert found["HISTORY_EXCLUDED"][0].severity == Severity.REJECT


def test_001_world_bank_debarment():
    """001:L493: a firm on the World Bank's list is barred; the list has no VKN, so a name match
    asks staff and a VKN staff recorded rejects."""
    by_name = Debarment("KONYA DOKUM SANAYI VE TICARET A.S.", "Turkey", from_text="01-JAN-2025")
    (f,) = _run("tr52-2026-sogreen", _h(debarments=[by_name]))[1]["HISTORY_DEBARRED"]
    assert f.severity == Severity.REVIEW and f.certainty == Certainty.INFERRED
    by_vkn = Debarment("Başka Ad Ltd.", "Turkey", vkn=VKN_001)
    assert _run("tr52-2026-sogreen", _h(debarments=[by_vkn]))[1]["HISTORY_DEBARRED"][0].severity == Severity.REJECT
    abroad = Debarment("Konya Döküm Sanayi ve Ticaret A.Ş.", "Germany")
    assert not _run("tr52-2026-sogreen", _h(debarments=[abroad]))[1]
    # 002 has no debarment list rule
    assert not _run("tr63-2023-makine", _h(debarments=[Debarment("Örnek Makina Sanayi ve Ticaret A.Ş.")]))[1]


# --- no history: no finding, a note (D32, D41) --------------------------------------------------


def test_without_history_nothing_fires_and_the_report_says_so():
    ctx, found = _run("tr63-2023-makine", None)
    assert not found
    (note,) = [n for n in ctx.notes if "geçmişi" in n]
    assert "002:L546, L564, L843" in note and "--gecmis" in note
    ctx, _ = _run("kumelenme-2023", None)  # no history rules in 004's guide
    assert not [n for n in ctx.notes if "geçmişi" in n]


def test_a_table_the_history_lacks_is_noted_not_passed():
    ctx, found = _run("tr52-2026-sogreen", _h(loaded=frozenset({"basvurular"})))
    assert not found
    (note,) = [n for n in ctx.notes if "tablolar yok" in n]
    assert "Destekler" in note and "Yasaklılar" in note and "Kararlar" in note


# --- the staff file -----------------------------------------------------------------------------


def test_staff_files_csv_and_xlsx(tmp_path):
    (tmp_path / "basvurular.csv").write_text(
        "Başvuru No;VKN;Program;Başvuru Tarihi;Durum\n"
        "A-1;1234567890;tr63-2023-makine;2023-02-01 10:00;\n"
        "A-2;1234567890;tr63-2023-makine;01.02.2023;geri çekildi\n", encoding="utf-8-sig")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kararlar"
    ws.append(["vkn", "BENT", "Tespit Tarihi"])
    ws.append(["1234567890", "(Ç)", datetime(2021, 2, 15)])
    ws2 = wb.create_sheet("Yasaklılar")
    ws2.append(["Firm Name", "Country", "From Date", "To Date", "Grounds"])
    ws2.append(["ACME LTD", "Turkey", "01-JAN-2020", "Ongoing", "Fraudulent Practice"])
    wb.save(tmp_path / "gecmis.xlsx")
    h = load_history([tmp_path])
    assert h.loaded == {"basvurular", "kararlar", "yasaklilar"}
    (a,) = h.applications  # the withdrawn one does not count
    assert a.submitted_at == _at(2023, 2, 1) and a.has_time and a.source == "basvurular.csv satır 2"
    assert h.exclusions[0].clause == "ç" and h.exclusions[0].detected == date(2021, 2, 15)
    assert h.debarments[0].to_text == "Ongoing"


@pytest.mark.parametrize("name, body, where", [
    ("basvurular.csv", "Başvuru No;VKN;Program;Başvuru Tarihi\nA-1;1234567891;p;2023-02-01\n",
     "alan 'VKN', satır 2"),
    ("basvurular.csv", "Başvuru No;VKN;Program\nA-1;1234567890;p\n", "satır 1: Başvurular tablosunda sütun yok"),
    ("destekler.csv", "VKN;Program;Sözleşme Tarihi\n1234567890;p;\n", "alan 'Sözleşme Tarihi', satır 2"),
    ("kararlar.csv", "VKN;Bent\n1234567890;x\n", "alan 'Bent', satır 2"),
    ("liste.csv", "VKN\n1\n", "dosya adı hangi tablo"),
])
def test_a_bad_file_names_file_row_and_column(tmp_path, name, body, where):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_history([path])
    assert str(path) in str(exc.value) and where in str(exc.value)
    assert main(["gecmis", "goster", str(path)]) == 2


def test_prescreen_command_reads_the_history(tmp_path):
    """End to end: `evrak prescreen --gecmis` reaches the check; completed 01.05.2022 (002:L564)
    bars the 15.02.2023 application through 01.05.2023 (002:L546)."""
    (tmp_path / "destekler.csv").write_text(
        "VKN;Program;Sözleşme Tarihi;Sözleşme Bitiş Tarihi;Nihai Rapor Sunuş Tarihi;Nihai Rapor Onay Tarihi\n"
        "1234567890;tr63-2021;01.05.2021;01.11.2021;20.10.2021;01.05.2022\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["prescreen", str(SAMPLES / "tr63-2023-makine" / "gecerli"), "--out", str(out), "--no-pdf",
                 "--gecmis", str(tmp_path / "destekler.csv")]) == 0
    report = json.loads(next(out.rglob("report.json")).read_text(encoding="utf-8"))
    (f,) = [f for f in report["findings"] if f["rule"] == "HISTORY_COOLING_OFF"]
    assert "01.05.2023" in f["message"] and report["verdict"] == "reject"
    assert any(r["code"] == "R03" for r in report["reasons"])
    assert any("Kararlar" in n for n in report["notes"])  # exclusions were not in the file


# --- the service: its own submissions (worker/history_source.py) --------------------------------


def test_service_counts_its_own_submissions_once_per_application(tmp_path, monkeypatch):
    """D41: a done pre-screening job is an application of its VKN; a resubmission of the same
    application number is the same application (D34), dated by its first submission."""
    from worker.history_source import configured_history
    from worker.store import JobStore

    store = JobStore(f"sqlite:///{tmp_path / 'e.db'}")

    def done(no: str, vkn: str, when: datetime, program: str = "tr63-2023-makine") -> None:
        job = store.create(kind="prescreen", input_name=no, input_path="x", input_sha256=no + str(when),
                           base_dir=str(tmp_path), state="queued")
        claim = store.claim(job.id, "w")
        assert claim is not None
        assert store.complete(job.id, claim.token, input_path="x", outputs=[], application_no=no,
                              program=program, verdict="pass", vkn=vkn, submitted_at=when)

    done("TR63-7", VKN_002, _at(2023, 2, 3))
    done("TR63-7", VKN_002, _at(2023, 2, 1))  # a completion of the same application
    monkeypatch.delenv("EVRAK_GECMIS", raising=False)
    monkeypatch.delenv("EVRAK_GECMIS_DEPO", raising=False)
    assert configured_history(store) is None  # nothing configured: the rules are noted, not run
    monkeypatch.setenv("EVRAK_GECMIS_DEPO", "1")
    h = configured_history(store)
    assert h is not None and h.loaded == {"basvurular"}
    (a,) = h.applications
    assert a.submitted_at == _at(2023, 2, 1) and a.agency == "DOĞAKA"
    (f,) = _run("tr63-2023-makine", h)[1]["HISTORY_APPLICATIONS_EXCEEDED"]
    assert f.severity == Severity.REVIEW and "TR63-7" in f.message


def test_template_has_the_columns_the_reader_reads(tmp_path):
    """`evrak gecmis sablon` writes every table with its documented columns; read back, each is a
    loaded, empty table (so a history made from the template checks every rule)."""
    out = tmp_path / "gecmis.xlsx"
    assert main(["gecmis", "sablon", str(out)]) == 0
    h = load_history([out])
    assert h.loaded == ALL and not (h.applications or h.awards or h.exclusions or h.debarments or h.groups)
    assert _run("tr52-2026-sogreen", h)[1] == {}


def test_a_history_file_out_of_bounds_is_refused_by_name(tmp_path, monkeypatch):
    """A staff file is bounded before it is parsed (evrak.limits): too large, too many rows, or
    an .xlsx that is no workbook: one Turkish error naming the file, exit 2 at the command."""
    from evrak import limits

    big = tmp_path / "basvurular.csv"
    big.write_text("VKN;Program\n" + "1234567890;tr63-2023-makine\n" * 50, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_STAFF_FILE_ROWS", 20)
    with pytest.raises(UserError, match="çok fazla satır") as exc:
        load_history([big])
    assert "basvurular.csv" in str(exc.value)
    monkeypatch.setattr(limits, "MAX_STAFF_FILE_BYTES", 100)
    with pytest.raises(UserError, match="dosya çok büyük"):
        load_history([big])
    fake = tmp_path / "gecmis.xlsx"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(UserError, match="XLSX olarak açılamadı"):
        load_history([fake])


def test_the_service_parses_the_staff_files_once_until_one_changes(tmp_path):
    """A worker screens package after package: the staff files are parsed once, and again as
    soon as one of them changes (a row added by staff counts at the next package)."""
    import os

    from worker.history_source import _staff_files

    path = tmp_path / "basvurular.csv"
    head = "Başvuru No;VKN;Program;Başvuru Tarihi\n"
    path.write_text(head + "A-1;1234567890;tr63-2023-makine;2023-02-01\n", encoding="utf-8")
    first = _staff_files((path,))
    assert _staff_files((path,)) is first and len(first.applications) == 1
    path.write_text(head + "A-1;1234567890;tr63-2023-makine;2023-02-01\nA-2;1234567890;tr63-2023-makine;"
                    "2023-02-03\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert len(_staff_files((path,)).applications) == 2
