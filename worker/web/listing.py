"""The applications list: one row per application, search, sort, pages, counters, export.

A row shows the application's latest screened submission with staff decisions applied,
its status in the cycle (worker.cycle) and how many review findings nobody has decided
yet. The İnceleme counter counts every application with an undecided review, whatever its
verdict: a Red with six undecided reviews still needs a person, so it counts there too.

Search matches application no, company, VKN and the people in the report (signers), with
Turkish case folding and without diacritics ("makine" finds "MAKİNE", "celik" "ÇELİK").
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from evrak.spreadsheet import safe_cell
from worker.cycle import STATUS_LABELS, Case, case_of
from worker.store import JobInfo, get_store
from worker.web import decisions, reports
from worker.web.fmt import datetime_tr, verdict_label

PAGE_SIZE = 50
SORTS = {"no": "Başvuru No", "sahip": "Başvuru sahibi", "alindi": "Alındı", "durum": "Durum",
         "sonuc": "Sonuç", "inceleme": "Bekleyen inceleme"}
_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")


def fold(text: str | None) -> str:
    """Turkish lower case without diacritics: 'MAKİNE' and 'Makine' and 'makıne' all -> 'makine'."""
    t = unicodedata.normalize("NFC", text or "").replace("İ", "i").replace("I", "ı").lower()
    t = unicodedata.normalize("NFD", t.translate(_ASCII))
    return "".join(c for c in t if not unicodedata.combining(c))


@dataclass
class Row:
    job: JobInfo
    case: Case | None
    verdict: str | None
    counts: dict[str, int]
    decided: bool
    undecided: int
    applicant: str
    vkn: str
    program_short: str
    people: list[str] = field(default_factory=list)
    amounts: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.case.status if self.case else "incelemede"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def submissions(self) -> int:
        return len(self.case.submissions) if self.case else 1

    def matches(self, query: str) -> bool:
        q = fold(query).strip()
        if not q:
            return True
        digits = "".join(ch for ch in q if ch.isdigit())
        hay = [self.job.application_no or "", self.applicant, *self.people]
        if any(q in fold(h) for h in hay):
            return True
        return bool(digits) and len(digits) >= 3 and digits == q.replace(" ", "") and digits in self.vkn


def _people(report: dict[str, Any]) -> list[str]:
    names = []
    for entry in report.get("signatures", []):
        for s in entry.get("signatures", []):
            signer = s.get("signer") or {}
            name = signer.get("name") or signer.get("common_name")
            if name:
                names.append(name)
    return names


def build_rows(programs: dict[str, Any], program: str | None = None) -> list[Row]:
    store = get_store()
    jobs = store.applications(program=program if program in programs else None)
    decided = decisions.jobs_with_decisions([j.id for j in jobs])
    rows = []
    for job in jobs:
        try:
            report = reports.load_report(job)
        except (reports.NotAvailable, OSError, ValueError):
            report = {}
        effective = decisions.apply(report, decisions.current(job.id)) if report else {}
        if job.id in decided and effective:
            verdict, counts = effective.get("verdict"), effective.get("counts", {})
        else:
            verdict, counts = job.verdict, job.counts or report.get("counts", {})
        undecided = sum(1 for f in effective.get("findings", [])
                        if f.get("machine_severity") == "review" and f.get("decision") is None)
        applicant = report.get("applicant") or {}
        rows.append(Row(job=job, case=case_of(store, job.application_no or ""), verdict=verdict,
                        counts=counts, decided=job.id in decided, undecided=undecided,
                        applicant=applicant.get("name", "—"), vkn=str(applicant.get("vkn") or ""),
                        program_short=(programs[job.program].short_name if job.program in programs
                                       else job.program or ""),
                        people=_people(report)))
    return rows


def totals(rows: list[Row]) -> Counter:
    """Per verdict; 'review' counts every row with an undecided review, whatever its verdict."""
    out = Counter(r.verdict for r in rows if r.verdict != "review")
    out["review"] = sum(1 for r in rows if r.verdict == "review" or r.undecided)
    return out


def filtered(rows: list[Row], *, query: str = "", verdict: str | None = None, status: str | None = None,
             assigned: str | None = None) -> list[Row]:
    out = [r for r in rows if r.matches(query)]
    if verdict == "review":
        out = [r for r in out if r.verdict == "review" or r.undecided]
    elif verdict:
        out = [r for r in out if r.verdict == verdict]
    if status:
        out = [r for r in out if r.status == status]
    if assigned:
        out = [r for r in out if r.case and r.case.assigned_to == assigned]
    return out


def sort(rows: list[Row], key: str, descending: bool) -> list[Row]:
    order = {"reject": 0, "review": 1, "deficient": 2, "pass": 3}
    keys = {
        "no": lambda r: r.job.application_no or "",
        "sahip": lambda r: fold(r.applicant),
        "alindi": lambda r: r.job.created_at or datetime.min,
        "durum": lambda r: list(STATUS_LABELS).index(r.status) if r.status in STATUS_LABELS else 99,
        "sonuc": lambda r: order.get(r.verdict or "", 9),
        "inceleme": lambda r: r.undecided,
    }
    return sorted(rows, key=keys.get(key, keys["no"]), reverse=descending)


def page_of(rows: list[Row], page: int, size: int = PAGE_SIZE) -> tuple[list[Row], int]:
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return rows[(page - 1) * size: page * size], pages


def export_xlsx(rows: list[Row]) -> bytes:
    """The list as shown (filters applied) as an .xlsx for Excel; no cell can start a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Başvurular"
    head = ["Başvuru No", "Başvuru sahibi", "VKN", "Program", "Durum", "Sonuç", "Bekleyen inceleme",
            "Red", "İnceleme", "Eksik", "Uyarı", "Gönderim", "Sorumlu", "Son tamamlama tarihi", "Alındı"]
    ws.append(head)
    for r in rows:
        deadline = r.case.deadline if r.case else None
        ws.append([safe_cell(v) for v in (
            r.job.application_no, r.applicant, r.vkn, r.program_short, r.status_label, verdict_label(r.verdict),
            r.undecided, r.counts.get("reject", 0), r.counts.get("review", 0), r.counts.get("deficient", 0),
            r.counts.get("warning", 0), r.submissions, (r.case.assigned_to if r.case else None) or "",
            datetime_tr(deadline) if deadline else "", datetime_tr(r.job.created_at))])
    for i, width in enumerate((28, 40, 12, 14, 24, 10, 10, 6, 8, 6, 6, 9, 14, 22, 20), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def letters_zip(rows: list[Row]) -> tuple[bytes, int]:
    """Every letter issued for the listed applications, in order, in one zip; else the machine's letter."""
    buf = io.BytesIO()
    n = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in rows:
            folder = (r.job.application_no or r.job.id).replace("/", "-")
            issued = r.case.letters if r.case else []
            files: list[tuple[str, Path]] = []
            for i, letter in enumerate(issued, 1):
                files += [(f"{i:02d}-{Path(f).name}", Path(f)) for f in letter.files]
            if not issued:
                files = [(p.name, p) for p in reports.letter_outputs(r.job)]
            for name, path in files:
                if path.is_file():
                    zf.write(path, f"{folder}/{name}")
                    n += 1
    return buf.getvalue(), n
