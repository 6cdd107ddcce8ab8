"""Evaluation and ranking (issue 16): 30 applications of TR63 MAKİNE with hand-set scores.

Worked out from the guide (002:L867 thresholds 65 / Mali 18 / İlgililik 21; L873-877 ties:
İlgililik, then Mali, then submission time; L903 yerli malı bonus; L112 budget 40.000.000 TL):
the expected lists below are written out by hand, not computed by the code under test.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from evrak.errors import UserError
from evrak.profiles import load_profile
from evrak.ranking import Outcome, Scores, domestic_bonus, rank
from worker.cli import main
from worker.ranking import FIXED, section_header, write_template

P002 = load_profile("tr63-2023-makine")
M = Decimal("3000000.00")

# app no: (Mali, İlgililik, Etki, Bütçe, requested, submitted hour, yerli malı)
FILLER = {f"F{n:02d}": t for n, t in enumerate(
    [90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 79, 77, 75, 74, 73, 71, 69, 68, 67], start=1)}
ROWS: dict[str, tuple] = {}
for no, total in FILLER.items():
    rest = total - 65
    ROWS[no] = (30, 35, min(20, rest), rest - min(20, rest), M, 9, 0)
ROWS["F11"] = (*ROWS["F11"][:4], Decimal("1000000.00"), 9, 0)  # 79 points, asks 1.000.000
ROWS.update({
    "A": (25, 35, 20, 0, M, 9, 0),   # 80, İlgililik 35
    "B": (30, 30, 20, 0, M, 9, 0),   # 80, İlgililik 30 -> after A
    "C": (30, 33, 15, 0, M, 9, 0),   # 78, Mali 30
    "D": (28, 33, 17, 0, M, 9, 0),   # 78, Mali 28 -> after C
    "E": (30, 35, 11, 0, M, 10, 0),  # 76, submitted 10:00
    "F": (30, 35, 11, 0, M, 11, 0),  # 76, submitted 11:00 -> after E
    "G": (30, 35, 5, 0, M, 9, Decimal("900000.00")),  # 70 + 2 (30 % yerli malı) = 72
    "K": (18, 21, 20, 6, M, 9, 0),   # exactly 65 with both minima met: passes
    "H": (20, 24, 20, 0, M, 9, 0),   # 64: below the total
    "I": (17, 35, 18, 0, M, 9, 0),   # 70 but Mali 17 < 18
    "J": (30, 20, 20, 0, M, 9, 0),   # 70 but İlgililik 20 < 21
})
assert len(ROWS) == 30

# Budget 40.000.000: F01-F10 (30 M) + A + B (36 M) + F11 (37 M) + C (40 M, exactly) are asil.
MAIN = ["F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09", "F10", "A", "B", "F11", "C"]
RESERVE = ["D", "F12", "E", "F", "F13", "F14", "F15", "G", "F16", "F17", "F18", "F19", "K"]
FAILED = {"H", "I", "J"}


def _scores(no: str) -> Scores:
    s1, s2, s3, s4, req, hour, dom = ROWS[no]
    return Scores(application_no=no, applicant=f"Firma {no} A.Ş.", requested=req,
                  sections={"1": Decimal(s1), "2": Decimal(s2), "3": Decimal(s3), "4": Decimal(s4)},
                  submitted_at=datetime(2023, 2, 10, hour, 0).astimezone(),
                  domestic_goods=Decimal(dom))


def test_thirty_applications_give_the_hand_worked_lists():
    ranking = rank(P002, [_scores(no) for no in ROWS])
    assert [r.scores.application_no for r in ranking.of(Outcome.MAIN)] == MAIN
    assert [r.scores.application_no for r in ranking.of(Outcome.RESERVE)] == RESERVE
    assert {r.scores.application_no for r in ranking.of(Outcome.FAILED)} == FAILED
    assert ranking.allocated == Decimal("40000000.00")
    by_no = {r.scores.application_no: r for r in ranking.rows}
    assert (by_no["G"].base_total, by_no["G"].bonus, by_no["G"].total) == (70, 2, 72)
    assert [r.rank for r in ranking.of(Outcome.MAIN)] == list(range(1, 15))
    assert by_no["K"].rank == 27
    assert by_no["H"].reasons == ("toplam puan 64,00 < 65,00",)
    assert by_no["I"].reasons == ("'Mali ve Operasyonel Kapasite' 17,00 < 18,00",)
    assert by_no["J"].reasons == ("'İlgililik' 20,00 < 21,00",)


@pytest.mark.parametrize("share, points", [("0.19", 0), ("0.20", 1), ("0.30", 2), ("0.45", 3),
                                           ("0.50", 4), ("0.75", 5), ("1.00", 5)])
def test_yerli_mali_steps_002_l903(share, points):
    s = _scores("A")
    s = Scores(**{**s.__dict__, "domestic_goods": M * Decimal(share)})
    assert domestic_bonus(P002, s) == points


def test_003_counts_the_bonus_on_the_budget_and_prefers_a_sole_application():
    p003 = load_profile("tr61-2023-imalat")
    base = dict(applicant="X", requested=Decimal("1000000"), co_financing=Decimal("1000000"),
                submitted_at=datetime(2023, 1, 5, 9).astimezone(),
                sections={"1": Decimal(20), "2": Decimal(30), "3": Decimal(10), "4": Decimal(10)})
    # 003:L1743-1744: 500.000 of a 2.000.000 budget is 25 % -> 1 point (on the support it would be 2)
    assert domestic_bonus(p003, Scores(application_no="a", domestic_goods=Decimal(500000), **base)) == 1
    # 003:L1751-1753: at equal points a sole application comes first, even if submitted later
    one = Scores(application_no="one", single_application=True,
                 **{**base, "submitted_at": datetime(2023, 1, 6, 9).astimezone()})
    two = Scores(application_no="two", single_application=False, **base)
    ranked = rank(p003, [two, one])
    assert [r.scores.application_no for r in ranked.rows] == ["one", "two"]


def test_001_twenty_points_apart_waits_for_a_third_evaluator():
    p001 = load_profile("tr52-2026-sogreen")
    s = Scores(application_no="Z", applicant="Z", requested=Decimal("1000000"),
               sections={"1": Decimal(20), "2": Decimal(20), "3": Decimal(15), "4": Decimal(15)},
               submitted_at=datetime(2026, 5, 1, 9).astimezone(),
               evaluator_totals=(Decimal(80), Decimal(60)))
    (r,) = rank(p001, [s]).rows
    assert r.outcome == Outcome.THIRD_EVALUATION and r.rank is None
    close = Scores(**{**s.__dict__, "evaluator_totals": (Decimal(75), Decimal(65))})
    assert rank(p001, [close]).rows[0].outcome == Outcome.MAIN
    # 80 and 60.5 are 19.5 apart, but 60.5 < 65 is a failing evaluator beside a passing one:
    # 001:L922 calls a third evaluator whatever the gap (issue 16).
    split = Scores(**{**s.__dict__, "evaluator_totals": (Decimal(80), Decimal("60.5"))})
    assert rank(p001, [split]).rows[0].outcome == Outcome.THIRD_EVALUATION


def test_scores_out_of_range_name_the_row():
    bad = Scores(**{**_scores("A").__dict__, "sections": {"1": Decimal(31), "2": Decimal(35),
                                                          "3": Decimal(0), "4": Decimal(0)},
                    "source": "puanlar.xlsx satır 7"})
    with pytest.raises(UserError, match=re.escape("puanlar.xlsx satır 7: A: 'Mali ve Operasyonel Kapasite' puanı 31")):
        rank(P002, [bad])


def _sheet(path: Path, rows: list[str]) -> Path:
    write_template(P002, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[: len(FIXED)] == FIXED
    assert header[len(FIXED)] == section_header("1", "Mali ve Operasyonel Kapasite")
    for no in rows:
        s1, s2, s3, s4, req, hour, dom = ROWS[no]
        ws.append([no, f"Firma {no} A.Ş.", "8084759118", "Sanayi Mah. No:1 Antakya", "Hatay",
                   f"Proje {no}", float(req), 0, f"2023-02-10T{hour:02d}:00:00", float(dom), "Evet", "",
                   s1, s2, s3, s4])
    wb.save(path)
    return path


def test_cli_writes_lists_and_a_letter_per_application(tmp_path, capsys):
    sheet = _sheet(tmp_path / "puanlar.xlsx", list(ROWS))
    out = tmp_path / "sonuc"
    assert main(["rank", "--program", P002.id, "--scores", str(sheet), "--out", str(out),
                 "--date", "2023-04-20"]) == 0
    lists = openpyxl.load_workbook(out / "sıralama.xlsx")
    assert [r[1].value for r in lists["Asil"].iter_rows(min_row=2)] == MAIN
    assert [r[1].value for r in lists["Yedek"].iter_rows(min_row=2)] == RESERVE
    letters = out / "yazilar"
    assert len(list((letters / "asil").glob("*.docx"))) == 14
    assert len(list((letters / "yedek").glob("*.docx"))) == 13
    rejected = sorted((letters / "basarisiz").glob("*.docx"))
    assert len(rejected) == 3
    text = " ".join(p.text for p in Document(rejected[0]).paragraphs)
    assert "teknik ve mali değerlendirme aşamasında" in text
    assert "daha az puan almıştır" in text  # R09 in the guide's words (002:L919)
    assert "kararı nihaidir" in text
    accepted = " ".join(p.text for p in Document(next((letters / "asil").glob("*f01.docx"))).paragraphs)
    assert "desteklenmesine karar verilen" in accepted and "3.000.000,00 TL" in accepted


def test_cli_sheet_errors_are_one_line(tmp_path, capsys):
    sheet = _sheet(tmp_path / "puanlar.xlsx", ["A"])
    wb = openpyxl.load_workbook(sheet)
    wb.active.cell(row=2, column=len(FIXED) + 2, value="çok")
    wb.save(sheet)
    assert main(["rank", "--program", P002.id, "--scores", str(sheet), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "puanlar.xlsx satır 2" in err and "puan sayı değil" in err


@pytest.mark.slow
def test_letters_as_pdf_a(tmp_path):
    sheet = _sheet(tmp_path / "puanlar.xlsx", ["A", "H"])
    out = tmp_path / "sonuc"
    assert main(["rank", "--program", P002.id, "--scores", str(sheet), "--out", str(out), "--pdf",
                 "--date", "2023-04-20"]) == 0
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 2
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    assert "PDF version" in info
    meta = pdfs[0].read_bytes()
    assert b"pdfaid:part" in meta  # PDF/A identification in the XMP metadata
    assert date(2023, 4, 20)


def test_a_mean_that_differs_from_the_sections_cites_the_programmes_own_lines():
    """Two evaluator totals whose mean is not the section sum get a note; it cites the guide of
    the programme ranked (002's scoring lines), never 001's."""
    a = _scores("A")
    total = sum(a.sections.values())
    odd = Scores(**{**a.__dict__, "evaluator_totals": (total + 2, total + 4)})
    (row,) = rank(P002, [odd]).rows
    (note,) = [n for n in row.notes if "aritmetik ortalamas" in n]
    assert f"({P002.scoring.lines})" in note and "001:" not in note
    p001 = load_profile("tr52-2026-sogreen")
    assert p001.scoring.evaluators_lines == "001:L920-922"
