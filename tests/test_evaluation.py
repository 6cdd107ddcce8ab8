"""Evaluation by the guides' own rules (issue 16; evrak/evaluation.py, evrak/ranking.py).

Every expected value is worked out by hand from the guide text, with the lines in each test's
docstring; none is computed by the code under test. 001 = SoGreen (tr52-2026-sogreen),
002 = MAKİNE (tr63-2023-makine), 003 = İmalat (tr61-2023-imalat).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from evrak.errors import UserError
from evrak.evaluation import (
    EvaluatorScore,
    Inputs,
    Person,
    combine_evaluators,
    computed_points,
    is_woman_or_youth,
)
from evrak.profiles import Amounts, load_profile
from evrak.ranking import Outcome, Scores, rank
from worker.cli import main
from worker.ranking import EVALUATORS_SHEET, FIXED, PARTNERS_SHEET, input_columns, write_template

P001 = load_profile("tr52-2026-sogreen")
P002 = load_profile("tr63-2023-makine")
P003 = load_profile("tr61-2023-imalat")
SUBMITTED = datetime(2026, 5, 1, 9).astimezone()
D = Decimal


def ev(who: str, s1: int, s2: int, s3: int, s4: int) -> EvaluatorScore:
    return EvaluatorScore(who, {"1": D(s1), "2": D(s2), "3": D(s3), "4": D(s4)}, f"satır {who}")


def row(no: str, *, evaluators: tuple = (), sections: dict | None = None, inputs: Inputs | None = None,
        requested: str = "3000000") -> Scores:
    return Scores(application_no=no, applicant=f"Firma {no}", requested=D(requested),
                  sections=sections if sections is not None else {}, submitted_at=SUBMITTED,
                  evaluators=evaluators, inputs=inputs or Inputs(), source=f"puanlar.xlsx satır {no}")


# --- 001-52, 001-53, 001-54: evaluators -> the project's score ------------------------------


def test_mean_of_two_evaluators_001_l920():
    """001:L920: the project's score is the arithmetic mean of the two evaluators.
    E1 25+20+15+15 = 75, E2 21+18+14+14 = 67; both pass (>= 65, İlgililik 20 and 18 >= 15,
    L916), 8 apart (< 20, L921) -> sections (23, 19, 14.5, 14.5), total 71; the İlgililik
    average 19 is what the tie-break reads (L927)."""
    (r,) = rank(P001, [row("A", evaluators=(ev("1", 25, 20, 15, 15), ev("2", 21, 18, 14, 14)))]).rows
    assert r.outcome == Outcome.MAIN
    assert r.base_total == D(71)
    assert r.scores.sections == {"1": D(23), "2": D(19), "3": D("14.5"), "4": D("14.5")}
    assert r.scores.evaluator_totals == (D(75), D(67))


def test_both_pass_twenty_apart_third_and_the_closer_score_001_l921():
    """001:L921. E1 27+27+18+18 = 90 and E2 21+21+14+14 = 70 both pass, 20 apart -> a third.
    Third 22+22+15+15 = 74: |74-90| = 16, |74-70| = 4 -> mean(74, 70) = 72.
    Third 24+24+16+16 = 80: 10 from both -> the higher, mean(80, 90) = 85.
    Third 15+15+15+15 = 60 < 65 fails -> the committee process starts over."""
    e1, e2 = ev("1", 27, 27, 18, 18), ev("2", 21, 21, 14, 14)
    assert combine_evaluators(P001, [e1, e2]).status == "third"
    closer = combine_evaluators(P001, [e1, e2, ev("3", 22, 22, 15, 15)])
    assert closer.status == "ok" and sum(closer.sections.values()) == D(72) and closer.used == ("3", "2")
    tie = combine_evaluators(P001, [e1, e2, ev("3", 24, 24, 16, 16)])
    assert sum(tie.sections.values()) == D(85) and tie.used == ("3", "1")
    again = combine_evaluators(P001, [e1, e2, ev("3", 15, 15, 15, 15)])
    assert again.status == "restart" and "yeniden başlatılır" in again.reason
    ranked = rank(P001, [row("T", evaluators=(e1, e2)), row("R", evaluators=(e1, e2, ev("3", 15, 15, 15, 15)))])
    by_no = {r.scores.application_no: r for r in ranked.rows}
    assert by_no["T"].outcome == Outcome.THIRD_EVALUATION and by_no["R"].outcome == Outcome.RESTART


def test_split_verdict_001_l922():
    """001:L922: one evaluator passes, the other fails -> a third, whatever the gap.
    E1 20+20+18+17 = 75 passes; E2 20+14+18+18 = 70 >= 65 but İlgililik 14 < 15 fails (L916),
    only 5 apart -> still a third.
    Third 20+18+17+16 = 71 passes -> mean of the two passing 75 and 71 = 73.
    Third 15+15+15+15 = 60 fails -> mean of the two failing 70 and 60 = 65, but İlgililik
    (14+15)/2 = 14.5 < 15 -> failed (L916).
    E1' 27+27+18+18 = 90 passes, E2 fails, third 68 (17+17+17+17) passes: 90 and 68 are 22 apart
    (>= 20) -> the process starts over."""
    e1, e2 = ev("1", 20, 20, 18, 17), ev("2", 20, 14, 18, 18)
    assert combine_evaluators(P001, [e1, e2]).status == "third"
    passing = combine_evaluators(P001, [e1, e2, ev("3", 20, 18, 17, 16)])
    assert sum(passing.sections.values()) == D(73) and passing.used == ("1", "3")
    (failed,) = rank(P001, [row("F", evaluators=(e1, e2, ev("3", 15, 15, 15, 15)))]).rows
    assert failed.outcome == Outcome.FAILED and failed.base_total == D(65)
    assert failed.reasons == ("'İlgililik' 14,50 < 15,00",)
    far = combine_evaluators(P001, [ev("1", 27, 27, 18, 18), e2, ev("3", 17, 17, 17, 17)])
    assert far.status == "restart"


def test_a_third_evaluator_the_guide_does_not_call_is_an_error():
    """001:L920-922 call a third evaluator only after a gap of 20 or a split verdict:
    75 and 67 both pass, 8 apart -> a third row is a sheet error naming its row."""
    with pytest.raises(UserError, match="satır 3: üçüncü değerlendirici puanı var"):
        combine_evaluators(P001, [ev("1", 25, 20, 15, 15), ev("2", 21, 18, 14, 14), ev("3", 20, 20, 15, 15)])


def test_002_has_no_third_evaluator_rule_only_the_mean():
    """002:L873-875 tie-break on "Değerlendirme Komitesi Üyelerinin verdikleri puanların
    ortalaması" and sets no gap rule: 90 and 60 -> mean 75."""
    c = combine_evaluators(P002, [ev("1", 27, 32, 18, 13), ev("2", 18, 21, 12, 9)])
    assert c.status == "ok" and sum(c.sections.values()) == D(75)


def test_typed_averages_that_disagree_with_the_evaluators_name_the_row():
    """The sheet's section average 25 for '1' against the evaluators' (25+21)/2 = 23."""
    s = row("A", evaluators=(ev("1", 25, 20, 15, 15), ev("2", 21, 18, 14, 14)),
            sections={"1": D(25), "2": D(19), "3": D("14.5"), "4": D("14.5")})
    with pytest.raises(UserError, match=re.escape("puanlar.xlsx satır A, '1': 25,00 girilmiş")):
        rank(P001, [s])


# --- 001-57/58/59/60/61: SoGreen's formula-scored sub-criteria --------------------------------


def _points(program, inputs: Inputs, on: date = date(2026, 5, 1)) -> dict[str, object]:
    return {c.id: c.points if c.points is not None else ("cap", c.cap)
            for c in computed_points(program, inputs, on)}


@pytest.mark.parametrize("staff, new, ksru, expected", [
    (40, 1, False, 2),   # 1/40 = 2.5 % <= 5 % -> 2
    (40, 2, False, 2),   # 2/40 = 5 % exactly -> 2 (digest A8)
    (40, 3, False, 3),   # 7.5 % -> 3
    (40, 4, False, 3),   # 10 % exactly -> 3
    (40, 5, False, 5),   # 12.5 % > 10 % -> 5
    (40, 5, True, 7),    # 5 + KSRU 2 = 7, the sub-criterion's maximum
    (40, 0, True, 2),    # no new job ("1'den az olmamak kaydıyla"): 0 + KSRU 2
    (40, 0, False, 1),   # 0 + 0, but no sub-section gets less than 1 (L912)
])
def test_001_criterion_3_1_employment_bands_and_ksru(staff, new, ksru, expected):
    """001:L903 (and L393): new jobs of at least 1; up to 5 % of current staff 2, 5-10 % 3,
    over 10 % 5; KSRU training 2; L912: at least 1 point per sub-section."""
    assert _points(P001, Inputs(current_staff=staff, new_jobs=new, ksru=ksru))["3.1"] == expected


def test_001_youth_is_18_to_35_on_the_submission_day():
    """001:L120 "Genç: 18-35 yaş arasındaki bireyler"; 35 is young (digest A10). On 01.05.2026
    someone born 02.05.1990 is 35 (youth), born 01.05.1990 is 36 (not), born 02.05.2008 is 17."""
    on = date(2026, 5, 1)
    assert is_woman_or_youth(Person("a", woman=False, born_on=date(1990, 5, 2)), on) is True
    assert is_woman_or_youth(Person("b", woman=False, born_on=date(1990, 5, 1)), on) is False
    assert is_woman_or_youth(Person("c", woman=False, born_on=date(2008, 5, 2)), on) is False
    assert is_woman_or_youth(Person("d", woman=True), on) is True
    assert is_woman_or_youth(Person("e", woman=False), on) is None  # a man of unknown age


def test_001_criterion_2_4_women_youth_share():
    """001:L901 (L392): more than 50 % of the partnership (or of the management) women or youth
    -> 5; otherwise at most 1, and at least 1 (L912) -> 1.
    Woman 30 % + man aged 35 25 % = 55 % > 50 % -> 5.  Woman 30 % + man aged 36 20 % + man 50 %
    = 30 % -> 1.  Woman 50 % + man aged 40 50 % = 50 %, not "more than" -> 1.
    Woman 40 % + unknown 20 % + man aged 40 40 %: 40 % or 60 % -> not decided (None).
    Management: two managers, one woman, plus the majority owner a man aged 50 -> 50 %, not
    more -> 1; a sole woman manager -> 100 % -> 5."""
    w = Person("Ayşe", woman=True, share=D("0.30"))
    young = Person("Ali", woman=False, born_on=date(1990, 5, 2), share=D("0.25"))
    old = Person("Veli", woman=False, born_on=date(1990, 5, 1), share=D("0.20"))
    assert _points(P001, Inputs(people=(w, young)))["2.4"] == 5
    assert _points(P001, Inputs(people=(w, old, Person("Can", woman=False, born_on=date(1970, 1, 1),
                                                          share=D("0.50")))))["2.4"] == 1
    half = (Person("Ece", woman=True, share=D("0.5")), Person("Cem", woman=False, born_on=date(1986, 1, 1),
                                                                  share=D("0.5")))
    assert _points(P001, Inputs(people=half))["2.4"] == 1
    unsure = (Person("Su", woman=True, share=D("0.4")), Person("?", share=D("0.2")),
              Person("Cem", woman=False, born_on=date(1986, 1, 1), share=D("0.4")))
    assert _points(P001, Inputs(people=unsure))["2.4"] == ("cap", None)
    boss = Person("Cem", woman=False, born_on=date(1976, 1, 1), share=D(1), manager=True)
    assert _points(P001, Inputs(people=(boss, Person("Ece", woman=True, manager=True))))["2.4"] == 1
    assert _points(P001, Inputs(people=(Person("Cem", woman=False, born_on=date(1976, 1, 1), share=D(1)),
                                        Person("Ece", woman=True, manager=True))))["2.4"] == 5
    assert _points(P001, Inputs(women_youth=True))["2.4"] == 5  # the EK 8 declaration alone
    assert _points(P001, Inputs(women_youth=False))["2.4"] == 1


def test_001_criterion_2_3_vulnerable_district_cap():
    """001:L897-900: a project not aimed at the listed districts gets at most 7 of 10 in 2.3.
    Hadim is listed: 9 is allowed. Selçuklu is not: 9 > 7 is flagged, 7 is not."""
    def c23(district, typed):
        (c,) = [c for c in computed_points(P001, Inputs(district=district, typed={"2.3": D(typed)}),
                                           date(2026, 5, 1)) if c.id == "2.3"]
        return c
    assert not c23("Hadim", 9).differs
    flagged = c23("Selçuklu", 9)
    assert flagged.differs and flagged.cap == D(7)
    assert flagged.note().startswith("2.3 puanı: girilen 9,00, en fazla 7,00 olabilir")
    assert not c23("Selçuklu", 7).differs


def test_a_typed_point_that_differs_is_noted_on_the_ranking_row():
    """001 3.1: 30 staff, 2 new jobs = 6.7 % -> 3, KSRU -> +2 = 5; the committee typed 7.
    The row keeps its scores (the committee's) and carries the computed 5 beside the typed 7."""
    s = row("N", evaluators=(ev("1", 25, 20, 15, 15), ev("2", 21, 18, 14, 14)),
            inputs=Inputs(current_staff=30, new_jobs=2, ksru=True, typed={"3.1": D(7)}))
    (r,) = rank(P001, [s]).rows
    assert r.base_total == D(71)
    assert len(r.notes) == 1 and r.notes[0].startswith("3.1 puanı: girilen 7,00, hesaplanan 5")
    same = row("S", evaluators=s.evaluators, inputs=Inputs(current_staff=30, new_jobs=2, ksru=True,
                                                           typed={"3.1": D(5)}))
    assert rank(P001, [same]).rows[0].notes == ()


# --- 002-42, 003-84, 003-85 ----------------------------------------------------------------


@pytest.mark.parametrize("had, year, expected", [
    (False, None, 5),     # "Daha önce destek almadıysa 5 puan" (002:L889)
    (True, 2016, 3),      # "2018 yılı ve öncesinde destek aldıysa 3 puan" (L891)
    (True, 2018, 3),
    (True, 2019, 1),      # "2019-2021 yılları arasında destek aldıysa 1 puan" (L891)
    (True, 2021, 1),
    (True, 2022, None),   # not in the guide (digest C12): nothing computed
    (True, None, None),   # supported, year not given: nothing computed
])
def test_002_criterion_2_4_previous_doğaka_support(had, year, expected):
    """002:L889-891 criterion 2.4."""
    (c,) = computed_points(P002, Inputs(previous_support=had, previous_support_year=year), date(2023, 2, 1))
    assert c.points == (None if expected is None else D(expected))


@pytest.mark.parametrize("size, expected", [("Mikro", 5), ("Küçük", 2), ("küçük işletme", 2), ("Orta", None)])
def test_003_criterion_2_3_enterprise_size(size, expected):
    """003:L1785-1791 (and L321-325): "Mikro işletme ise 5 puan, Küçük işletme ise 2 puan";
    a middle-sized firm is not eligible in 003 at all and has no point here."""
    pts = {c.id: c.points for c in computed_points(P003, Inputs(size=size), date(2023, 1, 5))}
    assert pts["2.3"] == (None if expected is None else D(expected))


def test_003_criterion_2_4_previous_baka_support_and_the_flag_on_the_row():
    """003:L1793-1798: no earlier BAKA support 5, earlier support 1 (L329-331: a signed support
    contract, even a terminated one). A small firm (2.3 = 2, L1789) typed 5 is noted."""
    pts = {c.id: c.points for c in computed_points(P003, Inputs(previous_support=False), date(2023, 1, 5))}
    assert pts["2.4"] == D(5)
    pts = {c.id: c.points for c in computed_points(P003, Inputs(previous_support=True), date(2023, 1, 5))}
    assert pts["2.4"] == D(1)
    s = Scores(application_no="K", applicant="K", requested=D(1000000), submitted_at=SUBMITTED,
               sections={"1": D(20), "2": D(30), "3": D(10), "4": D(10)},
               inputs=Inputs(size="Küçük", previous_support=False, typed={"2.3": D(5), "2.4": D(5)}))
    (r,) = rank(P003, [s]).rows
    assert r.notes == ("2.3 puanı: girilen 5,00, hesaplanan 2,00 (KOBİ sınıfı Küçük; 003:L321-325, L1785-1791)",)


# --- 001-62, 001-63: the Secretary General's revision and the Board ------------------------


def test_001_revision_cannot_raise_the_applied_total_l936():
    """001:L936: the revised project total may not exceed the total applied for.
    Applied 4.000.000; revised 3.500.000 support + 600.000 co-financing = 4.100.000 -> error;
    3.400.000 + 600.000 = 4.000.000 -> fine."""
    base = dict(applicant="X", submitted_at=SUBMITTED, co_financing=D(600000), source="puanlar.xlsx satır 4",
                sections={"1": D(25), "2": D(20), "3": D(15), "4": D(15)})
    over = Scores(application_no="X", requested=D(3500000), inputs=Inputs(applied_total=D(4000000)), **base)
    with pytest.raises(UserError, match=re.escape("puanlar.xlsx satır 4, 'Başvurudaki Proje Bütçesi': revize bütçe "
                                                  "4.100.000,00 TL")):
        rank(P001, [over])
    ok = Scores(application_no="X", requested=D(3400000), inputs=Inputs(applied_total=D(4000000)), **base)
    assert rank(P001, [ok]).rows[0].outcome == Outcome.MAIN


def test_001_board_cannot_change_the_amounts_l938():
    """001:L938 "Yönetim kurulu ... bütçe miktarları üzerinde değişiklik yapamaz": the Board's
    3.000.000 against the list's 3.500.000 is an error naming the row and the column."""
    s = Scores(application_no="B", applicant="B", requested=D(3500000), submitted_at=SUBMITTED,
               sections={"1": D(25), "2": D(20), "3": D(15), "4": D(15)}, source="puanlar.xlsx satır 5",
               inputs=Inputs(board_amount=D(3000000)))
    with pytest.raises(UserError, match=re.escape("puanlar.xlsx satır 5, 'YK Destek Tutarı': 3.000.000,00 TL")):
        rank(P001, [s])
    same = Scores(**{**s.__dict__, "inputs": Inputs(board_amount=D(3500000))})
    assert rank(P001, [same]).rows[0].outcome == Outcome.MAIN


def test_002_has_neither_rule_so_its_sheet_is_not_checked():
    """002's guide says neither (no "geçmemek şartıyla" / "değişiklik yapamaz" in 002): the
    same figures pass."""
    s = Scores(application_no="B", applicant="B", requested=D(3000000), submitted_at=SUBMITTED,
               sections={"1": D(25), "2": D(30), "3": D(15), "4": D(10)},
               inputs=Inputs(applied_total=D(1000000), board_amount=D(1)))
    assert rank(P002, [s]).rows[0].outcome == Outcome.MAIN


# --- 001-65: ÇS risk ------------------------------------------------------------------------


def test_001_high_es_risk_is_not_supported_and_the_next_moves_up_l947():
    """001:L940-947: successful projects are screened; "Yüksek Riskli ... desteklenmeyecektir"
    (L947); Orta and Önemli: no contract until the ÇSYP/ÇSED is done (L945-946).
    Budget 2.000.000 (for the test), three successful projects of 1.000.000: A 80 (Yüksek), B 75
    (Orta), C 70 (Düşük). Without A's class A and B are asil and C yedek; with it B and C are asil."""
    p = P001.model_copy(update={"amounts": Amounts(**{**P001.amounts.model_dump(), "program_budget": D(2000000)})})

    def s(no, total, risk):
        return Scores(application_no=no, applicant=no, requested=D(1000000), submitted_at=SUBMITTED,
                      sections={"1": D(total - 50), "2": D(20), "3": D(15), "4": D(15)}, inputs=Inputs(es_risk=risk))
    before = rank(p, [s("A", 80, None), s("B", 75, "Orta"), s("C", 70, "Düşük")])
    assert [r.scores.application_no for r in before.of(Outcome.MAIN)] == ["A", "B"]
    assert any("ÇS risk sınıfı" in n and "1 başarılı" in n for n in before.notes)
    after = rank(p, [s("A", 80, "Yüksek"), s("B", 75, "Orta"), s("C", 70, "Düşük")])
    assert [r.scores.application_no for r in after.of(Outcome.MAIN)] == ["B", "C"]
    (a,) = after.of(Outcome.NOT_SUPPORTED)
    assert a.scores.application_no == "A" and a.rank is None and "desteklenmez" in a.reasons[0]
    (b,) = [r for r in after.rows if r.scores.application_no == "B"]
    assert b.notes == ("ÇS risk sınıfı Orta: ÇSYP/ÇSED dokümanları tamamlanmadan sözleşme imzalanmaz "
                       "(001:L940-947)",)
    assert after.notes == ()


# --- the score sheet end to end ------------------------------------------------------------


def _001_sheet(path: Path) -> Path:
    write_template(P001, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[: len(FIXED)] == FIXED
    extra = input_columns(P001)
    assert header[len(FIXED) + 4:] == extra

    def put(no, requested, values):
        cells = [no, f"Firma {no} A.Ş.", "8084759118", "Sanayi Mah. No:1 Selçuklu", "Konya", f"Proje {no}",
                 requested, 0, "2026-05-01T09:00:00", 0, "Evet", "", None, None, None, None]
        cells += [values.get(c) for c in extra]
        ws.append(cells)
    # A: 75/67 -> 71; 40 staff, 3 new (7.5 % -> 3) + KSRU 2 = 5, typed 7: flagged.
    put("A", 3000000, {"Mevcut Personel": 40, "Yeni İstihdam": 3, "KSRU Eğitimi": "Evet", "3.1 puanı": 7,
                       "ÇS Risk Sınıfı": "Düşük", "Uygulama İlçesi": "Hadim"})
    # B: 90/70 both pass, 20 apart, third 74 -> mean(74, 70) = 72; ÇS Yüksek -> not supported.
    put("B", 3000000, {"ÇS Risk Sınıfı": "Yüksek", "Başvurudaki Proje Bütçesi": 3000000})
    # C: partners: a woman 60 % -> 2.4 = 5, typed 1: flagged.
    put("C", 3000000, {"2.4 puanı": 1, "ÇS Risk Sınıfı": "Orta"})
    ev_ws = wb[EVALUATORS_SHEET]
    for no, who, scores in [("A", "1", (25, 20, 15, 15)), ("A", "2", (21, 18, 14, 14)),
                            ("B", "1", (27, 27, 18, 18)), ("B", "2", (21, 21, 14, 14)), ("B", "3", (22, 22, 15, 15)),
                            ("C", "1", (22, 20, 14, 14)), ("C", "2", (22, 20, 14, 14))]:
        ev_ws.append([no, who, *scores])
    wb[PARTNERS_SHEET].append(["C", "Ayşe Yılmaz", "K", "12.03.1970", 60, "Evet"])
    wb[PARTNERS_SHEET].append(["C", "Mehmet Yılmaz", "E", "01.01.1965", 40, "Hayır"])
    wb.save(path)
    return path


def test_cli_reads_evaluators_inputs_and_partners(tmp_path, capsys):
    """The three rows above, through `evrak rank --json` and the letters: A asil (71, note on
    3.1), C asil (70; 2.4 computed 5 beside the typed 1; ÇS Orta note), B not supported (72 but
    Yüksek, L947) with a rejection letter in the guide's words (CSR, 001:L947)."""
    sheet = _001_sheet(tmp_path / "puanlar.xlsx")
    out = tmp_path / "sonuc"
    assert main(["rank", "--program", P001.id, "--scores", str(sheet), "--out", str(out), "--date", "2026-07-01",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_no = {r["application_no"]: r for r in data["rows"]}
    assert by_no["A"]["outcome"] == "asil" and D(str(by_no["A"]["score"])) == D(71)
    assert by_no["C"]["outcome"] == "asil" and D(str(by_no["C"]["score"])) == D(70)
    assert by_no["B"]["outcome"] == "desteklenmez" and D(str(by_no["B"]["score"])) == D(72)
    assert any(n.startswith("3.1 puanı: girilen 7,00, hesaplanan 5") for n in by_no["A"]["notes"])
    assert any(n.startswith("2.4 puanı: girilen 1,00, hesaplanan 5") for n in by_no["C"]["notes"])
    lists = openpyxl.load_workbook(out / "sıralama.xlsx")
    head = [c.value for c in lists["Asil"][1]]
    computed_col = head.index("Hesaplanan alt ölçüt puanları")
    a_row = next(r for r in lists["Asil"].iter_rows(min_row=2, values_only=True) if r[1] == "A")
    assert "3.1: 5,00 (girilen 7,00)" in a_row[computed_col]
    assert [r[1] for r in lists["Desteklenmez"].iter_rows(min_row=2, values_only=True)] == ["B"]
    (letter,) = (out / "yazilar" / "desteklenmez").glob("*.docx")
    text = " ".join(p.text for p in Document(letter).paragraphs)
    assert "Yüksek Riskli olarak sınıflandırılan projeler desteklenmeyecektir" in text


def test_cli_board_amount_change_exits_2_naming_row_and_column(tmp_path, capsys):
    """001:L938 through the command: a changed 'YK Destek Tutarı' is a one-line error, exit 2."""
    sheet = _001_sheet(tmp_path / "puanlar.xlsx")
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("YK Destek Tutarı") + 1, value=2500000)
    wb.save(sheet)
    assert main(["rank", "--program", P001.id, "--scores", str(sheet), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "puanlar.xlsx satır 2, 'YK Destek Tutarı'" in err and "değiştiremez" in err
