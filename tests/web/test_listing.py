"""The applications list's rules without a server: counters, search folding, sort, pages, export."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl

from worker.store import JobInfo
from worker.web.listing import Row, export_xlsx, filtered, fold, page_of, sort, totals


def _row(n: int, verdict: str, undecided: int = 0, applicant: str = "Örnek A.Ş.", vkn: str = "1234567890",
         people: list[str] | None = None) -> Row:
    job = JobInfo(id=f"j{n:03d}", kind="prescreen", state="done", input_name=f"p{n}", input_path="/x",
                  input_sha256="0" * 64, base_dir="/x", application_no=f"TR63/23/FKD/MAKİNE-{n:04d}",
                  created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n), verdict=verdict)
    return Row(job=job, case=None, verdict=verdict, counts={"review": undecided}, decided=False,
               undecided=undecided, applicant=applicant, vkn=vkn, program_short="MAKİNE", people=people or [])


def test_a_reject_with_undecided_reviews_counts_in_review_too() -> None:
    rows = [_row(1, "reject", undecided=6), _row(2, "reject"), _row(3, "review", undecided=1), _row(4, "pass")]
    t = totals(rows)
    assert (t["reject"], t["review"], t["pass"]) == (2, 2, 1)
    assert [r.job.id for r in filtered(rows, verdict="review")] == ["j001", "j003"]
    assert [r.job.id for r in filtered(rows, verdict="reject")] == ["j001", "j002"]


def test_search_folds_turkish_case_and_diacritics() -> None:
    assert fold("MAKİNE") == fold("makine") == fold("MAKINE") == "makine"
    assert fold("ÇELİK Işık") == "celik isik"
    rows = [_row(1, "pass", applicant="Çelik Döküm Sanayi", people=["ZEYNEP ÇELİK"]),
            _row(2, "pass", applicant="Yılmaz Ltd.", vkn="9876543210")]
    assert [r.job.id for r in filtered(rows, query="celik dokum")] == ["j001"]
    assert [r.job.id for r in filtered(rows, query="zeynep çelik")] == ["j001"]
    assert [r.job.id for r in filtered(rows, query="makine-0002")] == ["j002"]
    assert [r.job.id for r in filtered(rows, query="9876543210")] == ["j002"]
    assert filtered(rows, query="yok böyle") == []


def test_sort_and_pages() -> None:
    rows = [_row(n, v) for n, v in enumerate(["pass", "reject", "review", "deficient"] * 30, 1)]
    newest = sort(rows, "alindi", descending=True)
    assert newest[0].job.id == "j120" and newest[-1].job.id == "j001"
    assert [r.verdict for r in sort(rows, "sonuc", descending=False)[:30]] == ["reject"] * 30
    page, pages = page_of(rows, 3, size=50)
    assert pages == 3 and len(page) == 20 and page[0].job.id == "j101"
    assert page_of(rows, 99, size=50)[0][0].job.id == "j101"  # past the end: the last page


def test_export_is_xlsx_without_formulas() -> None:
    rows = [_row(1, "reject", undecided=6, applicant="=HYPERLINK(\"http://kotu.example\")")]
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(rows))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Başvuru No" and values[1][0] == "TR63/23/FKD/MAKİNE-0001"
    assert values[1][1] == "'=HYPERLINK(\"http://kotu.example\")"  # text, never a formula
    assert values[1][6] == 6  # undecided reviews, a number
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
