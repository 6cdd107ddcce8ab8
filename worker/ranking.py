"""Score sheets in, ranking lists and result letters out (issue 16), around evrak.ranking.

Staff enter the committee's scores in an XLSX (`evrak rank template` writes an empty one with
the programme's sections); `evrak rank` reads it, ranks with the guide's rules and writes the
lists (sıralama.xlsx) and a result letter per application: accepted (asil), reserve (yedek)
or rejected with the programme's score reason (D31), as DOCX and optionally PDF/A.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

from docgen.context import Application, Reason, build_context
from docgen.pdf import Pool
from docgen.render import render_document
from evrak.dates import aware, format_datetime
from evrak.errors import UserError
from evrak.money import parse_amount
from evrak.profiles import Program
from evrak.ranking import Outcome, Ranking, Scores, rank
from evrak.spreadsheet import safe_cell
from evrak.text import fold

FIXED = ["Başvuru No", "Başvuru Sahibi", "VKN", "Adres", "İl", "Proje Adı", "Talep Edilen Destek",
         "Eş Finansman", "Başvuru Zamanı", "Yerli Malı Taahhüdü", "Tek Başvuru", "Değerlendirici Puanları"]
REQUIRED = ["Başvuru No", "Başvuru Sahibi", "Talep Edilen Destek", "Başvuru Zamanı"]


def section_header(sec_id: str, title: str) -> str:
    return f"{sec_id}. {title}"


def write_template(program: Program, path: Path) -> Path:
    """An empty score sheet with the programme's sections as columns."""
    if not program.scoring.sections:
        raise UserError(f"{program.id} profilinde puanlama bölümleri yok; sıralama yapılamaz")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Puanlar"
    headers = FIXED + [section_header(s.id, s.title) for s in program.scoring.sections]
    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@dataclass
class SheetRow:
    scores: Scores
    application: Application


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _money(value: Any, where: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    try:
        return parse_amount(str(value))
    except Exception as exc:
        raise UserError(f"{where}: tutar okunamadı: {value!r}") from exc


def _score(value: Any, where: str) -> Decimal:
    if value is None or value == "":
        raise UserError(f"{where}: puan boş")
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise UserError(f"{where}: puan sayı değil: {value!r}") from exc


def _when(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return aware(value)
    if isinstance(value, date):
        return aware(datetime(value.year, value.month, value.day))
    try:
        return aware(datetime.fromisoformat(_text(value)))
    except ValueError as exc:
        raise UserError(f"{where}: başvuru zamanı okunamadı (ÖRN. 2023-02-10T14:30): {value!r}") from exc


def read_scores(program: Program, path: Path) -> list[SheetRow]:
    """Rows of a score sheet; every error names the file, row and column."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UserError(f"{path.name}: XLSX olarak açılamadı ({type(exc).__name__})") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [fold(_text(h)) for h in next(rows, [])]
    col: dict[str, int] = {}
    for name in FIXED:
        if fold(name) in header:
            col[name] = header.index(fold(name))
    for name in REQUIRED:
        if name not in col:
            raise UserError(f"{path.name}: '{name}' sütunu yok")
    sec_col: dict[str, int] = {}
    for s in program.scoring.sections:
        for cand in (section_header(s.id, s.title), s.title, s.id, f"Bölüm {s.id}"):
            if fold(cand) in header:
                sec_col[s.id] = header.index(fold(cand))
                break
        else:
            raise UserError(f"{path.name}: '{section_header(s.id, s.title)}' sütunu yok")
    out: list[SheetRow] = []
    for n, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue

        def get(name: str, values: tuple = values) -> Any:
            i = col.get(name)
            return values[i] if i is not None and i < len(values) else None

        where = f"{path.name} satır {n}"
        app_no = _text(get("Başvuru No"))
        if not app_no:
            raise UserError(f"{where}: 'Başvuru No' boş")
        requested = _money(get("Talep Edilen Destek"), f"{where}, 'Talep Edilen Destek'")
        co = _money(get("Eş Finansman"), f"{where}, 'Eş Finansman'")
        evals = tuple(_score(x, f"{where}, 'Değerlendirici Puanları'")
                      for x in _text(get("Değerlendirici Puanları")).replace(";", " ").split() if x)
        single = fold(_text(get("Tek Başvuru")) or "evet") not in ("hayir", "h", "0", "false")
        scores = Scores(
            application_no=app_no, applicant=_text(get("Başvuru Sahibi")), requested=requested,
            sections={sid: _score(values[i] if i < len(values) else None,
                                  f"{where}, '{section_header(sid, '')}'") for sid, i in sec_col.items()},
            submitted_at=_when(get("Başvuru Zamanı"), f"{where}, 'Başvuru Zamanı'"), co_financing=co,
            domestic_goods=_money(get("Yerli Malı Taahhüdü"), f"{where}, 'Yerli Malı Taahhüdü'"),
            single_application=single, evaluator_totals=evals, source=where)
        province = _text(get("İl")) or (program.provinces[0] if program.provinces else "")
        app = Application(program_id=program.id, application_no=app_no, applicant_name=scores.applicant,
                          tax_id=_text(get("VKN")), address=_text(get("Adres")), province=province,
                          project_title=_text(get("Proje Adı")), credit=requested, co_financing=co)
        out.append(SheetRow(scores, app))
    if not out:
        raise UserError(f"{path.name}: puan satırı yok")
    return out


def write_lists(ranking: Ranking, program: Program, path: Path) -> Path:
    """sıralama.xlsx: one sheet per list, the guide's tie-break order noted."""
    wb = openpyxl.Workbook()
    sheets = {Outcome.MAIN: wb.active, Outcome.RESERVE: wb.create_sheet(), Outcome.FAILED: wb.create_sheet(),
              Outcome.THIRD_EVALUATION: wb.create_sheet()}
    titles = {Outcome.MAIN: "Asil", Outcome.RESERVE: "Yedek", Outcome.FAILED: "Başarısız",
              Outcome.THIRD_EVALUATION: "Üçüncü değerlendirme"}
    head = ["Sıra", "Başvuru No", "Başvuru Sahibi", "Puan", "Yerli malı puanı", "Nihai puan",
            "Talep Edilen Destek", "Başvuru Zamanı", "Gerekçe"]
    for outcome, ws in sheets.items():
        ws.title = titles[outcome]
        ws.append(head)
        for c in ws[1]:
            c.font = Font(bold=True)
    for r in ranking.rows:
        sheets[r.outcome].append([
            r.rank, safe_cell(r.scores.application_no), safe_cell(r.scores.applicant), float(r.base_total),
            r.bonus, float(r.total), float(r.scores.requested), format_datetime(r.scores.submitted_at),
            safe_cell("; ".join(r.reasons)),
        ])
    info = wb.create_sheet("Bilgi")
    info.append(["Program", program.name])
    info.append(["Toplam bütçe", float(ranking.budget) if ranking.budget is not None else "yok"])
    info.append(["Asil listeye ayrılan", float(ranking.allocated)])
    info.append(["Eşitlik bozma sırası", " > ".join(program.scoring.tie_break)])
    for note in ranking.notes:
        info.append(["Not", note])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_letters(ranking: Ranking, program: Program, rows: list[SheetRow], out: Path, *,
                  doc_date: date, pdf: bool = False) -> list[Path]:
    """One result letter per ranked application; none for those awaiting a third evaluator."""
    apps = {r.scores.application_no: r.application for r in rows}
    written: list[Path] = []
    pool = Pool() if pdf else None
    try:
        for r in ranking.rows:
            if r.outcome == Outcome.THIRD_EVALUATION:
                continue
            kw: dict[str, Any] = {"stage": "teknik ve mali değerlendirme"}
            if r.outcome == Outcome.MAIN:
                kw["result"] = "accepted"
            elif r.outcome == Outcome.RESERVE:
                kw["result"] = "reserve"
            else:
                code = program.scoring.score_reason
                if not code:
                    raise UserError(f"{program.id}: puan nedeniyle ret için profilde scoring.score_reason yok")
                kw["result"] = "rejected"
                kw["reasons"] = [Reason(code, list(r.reasons))]
            ctx = build_context("sonuc_yazisi", program, apps[r.scores.application_no], doc_date=doc_date, **kw)
            rendered = render_document("sonuc_yazisi", ctx, out / r.outcome.value, pdf=pdf, pool=pool)
            written.append(rendered.docx)
            if rendered.pdf:
                written.append(rendered.pdf)
    finally:
        if pool is not None:
            pool.close()
    return written


def run_ranking(program: Program, scores_path: Path, out: Path, *, doc_date: date,
                letters: bool = True, pdf: bool = False) -> tuple[Ranking, list[Path]]:
    rows = read_scores(program, scores_path)
    ranking = rank(program, (r.scores for r in rows))
    files = [write_lists(ranking, program, out / "sıralama.xlsx")]
    if letters:
        files += write_letters(ranking, program, rows, out / "yazilar", doc_date=doc_date, pdf=pdf)
    return ranking, files
