"""Score sheets in, ranking lists and result letters out (issue 16), around evrak.ranking.

Staff enter the committee's scores in an XLSX (`evrak rank template` writes an empty one with
the programme's sections); `evrak rank` reads it, ranks with the guide's rules and writes the
lists (sıralama.xlsx) and a result letter per application: accepted (asil), reserve (yedek)
or rejected with the programme's score reason (D31), as DOCX and optionally PDF/A.

Besides the section scores the sheet may carry (issue 16, evrak/evaluation.py): each evaluator's
scores on a 'Değerlendiriciler' page (the project's score is then worked out by the guide's
rules), the application's data for the formula-scored sub-criteria and the committee's typed
points for them, the partners on an 'Ortaklar' page (women/youth 18-35), the applied and the
Board's amounts, and the ÇS risk class. `evrak rank --template` writes the columns the
programme uses.
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
from evrak.evaluation import EvaluatorScore, Inputs, Person
from evrak.money import format_number, parse_amount
from evrak.profiles import Program
from evrak.ranking import Outcome, Ranking, Scores, rank
from evrak.spreadsheet import safe_cell
from evrak.text import fold

FIXED = ["Başvuru No", "Başvuru Sahibi", "VKN", "Adres", "İl", "Proje Adı", "Talep Edilen Destek",
         "Eş Finansman", "Başvuru Zamanı", "Yerli Malı Taahhüdü", "Tek Başvuru", "Değerlendirici Puanları"]
REQUIRED = ["Başvuru No", "Başvuru Sahibi", "Talep Edilen Destek", "Başvuru Zamanı"]
# Optional columns after the sections, each written to the template only where the profile uses
# it (evrak/evaluation.py): which computed kind or [scoring] switch needs it.
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "Başvurudaki Proje Bütçesi": ("revision_within_total",),  # 001:L936
    "YK Destek Tutarı": ("board_amounts_fixed",),  # 001:L938
    "ÇS Risk Sınıfı": ("es_risk_excluded",),  # 001:L940-947: Düşük, Orta, Önemli, Yüksek
    "Mevcut Personel": ("employment",),  # 001 3.1
    "Yeni İstihdam": ("employment",),
    "KSRU Eğitimi": ("ksru",),
    "Uygulama İlçesi": ("district_cap",),  # 001 2.3
    "Kadın/Genç Sahipliği": ("women_youth",),  # 001 2.4: the EK 8 declaration
    "KOBİ Sınıfı": ("enterprise_size",),  # 003 2.3: Mikro, Küçük
    "Önceki Ajans Desteği": ("previous_support", "previous_support_year"),  # Evet / Hayır
    "Önceki Destek Yılı": ("previous_support_year",),  # 002 2.4: the latest year
}
EVALUATORS_SHEET = "Değerlendiriciler"
PARTNERS_SHEET = "Ortaklar"
PARTNER_COLUMNS = ["Başvuru No", "Ad Soyad", "Cinsiyet", "Doğum Tarihi", "Ortaklık Payı (%)", "Yönetimde"]


def typed_header(sub_id: str) -> str:
    """The column of the committee's point for a formula-scored sub-criterion."""
    return f"{sub_id} puanı"


def input_columns(program: Program) -> list[str]:
    """The optional input columns this programme's evaluation uses, in a fixed order."""
    sc = program.scoring
    used = {c.kind for c in sc.computed}
    used |= {k for k in ("revision_within_total", "board_amounts_fixed") if getattr(sc, k)}
    if sc.es_risk_excluded:
        used.add("es_risk_excluded")
    cols = [name for name, needs in INPUT_COLUMNS.items() if used & set(needs)]
    return cols + [typed_header(i) for i in dict.fromkeys(c.id for c in sc.computed)]


def section_header(sec_id: str, title: str) -> str:
    return f"{sec_id}. {title}"


def write_template(program: Program, path: Path) -> Path:
    """An empty score sheet with the programme's sections as columns."""
    if not program.scoring.sections:
        raise UserError(f"{program.id} profilinde puanlama bölümleri yok; sıralama yapılamaz")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Puanlar"
    sections = [section_header(s.id, s.title) for s in program.scoring.sections]
    ws.append(FIXED + sections + input_columns(program))
    pages = [(EVALUATORS_SHEET, ["Başvuru No", "Değerlendirici", *sections])]
    if any(c.kind == "women_youth" for c in program.scoring.computed):
        pages.append((PARTNERS_SHEET, PARTNER_COLUMNS))
    for title, head in pages:
        wb.create_sheet(title).append(head)
    for sheet in wb.worksheets:
        for c in sheet[1]:
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


def _flag(value: Any, where: str) -> bool | None:
    text = fold(_text(value))
    if not text:
        return None
    if text in ("evet", "e", "var", "1", "true", "x"):
        return True
    if text in ("hayir", "h", "yok", "0", "false"):
        return False
    raise UserError(f"{where}: 'Evet' ya da 'Hayır' bekleniyordu: {value!r}")


def _int(value: Any, where: str) -> int | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise UserError(f"{where}: tam sayı bekleniyordu: {value!r}") from exc
    if number != number.to_integral_value() or number < 0:
        raise UserError(f"{where}: tam sayı bekleniyordu: {value!r}")
    return int(number)


def _day(value: Any, where: str) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UserError(f"{where}: tarih okunamadı (GG.AA.YYYY): {value!r}")


def _section_columns(program: Program, header: list[str], sheet: str) -> dict[str, int]:
    sec_col: dict[str, int] = {}
    for s in program.scoring.sections:
        for cand in (section_header(s.id, s.title), s.title, s.id, f"Bölüm {s.id}"):
            if fold(cand) in header:
                sec_col[s.id] = header.index(fold(cand))
                break
        else:
            raise UserError(f"{sheet}: '{section_header(s.id, s.title)}' sütunu yok")
    return sec_col


def _page(wb: Any, title: str) -> Any | None:
    return next((ws for ws in wb.worksheets if fold(ws.title) == fold(title)), None)


def _cell(values: tuple, i: int | None) -> Any:
    return values[i] if i is not None and i < len(values) else None


def read_evaluators(program: Program, wb: Any, name: str) -> dict[str, list[EvaluatorScore]]:
    """The 'Değerlendiriciler' page: one row per evaluator per application, in the order the
    evaluators scored (the third row of an application is its third evaluator, 001:L921-922)."""
    ws = _page(wb, EVALUATORS_SHEET)
    if ws is None:
        return {}
    rows = ws.iter_rows(values_only=True)
    header = [fold(_text(h)) for h in next(rows, [])]
    where_sheet = f"{name} '{EVALUATORS_SHEET}'"
    if fold("Başvuru No") not in header:
        raise UserError(f"{where_sheet}: 'Başvuru No' sütunu yok")
    app_i = header.index(fold("Başvuru No"))
    who_i = header.index(fold("Değerlendirici")) if fold("Değerlendirici") in header else None
    sec_col = _section_columns(program, header, where_sheet)
    out: dict[str, list[EvaluatorScore]] = {}
    for n, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        where = f"{where_sheet} satır {n}"
        app_no = _text(_cell(values, app_i))
        if not app_no:
            raise UserError(f"{where}: 'Başvuru No' boş")
        mine = out.setdefault(app_no, [])
        who = _text(_cell(values, who_i)) or str(len(mine) + 1)
        sections = {sid: _score(_cell(values, i), f"{where}, '{section_header(sid, '')}'")
                    for sid, i in sec_col.items()}
        mine.append(EvaluatorScore(who, sections, where))
    return out


def read_partners(wb: Any, name: str) -> dict[str, list[Person]]:
    """The 'Ortaklar' page: partners and managers, for criterion 001-2.4 (L901)."""
    ws = _page(wb, PARTNERS_SHEET)
    if ws is None:
        return {}
    rows = ws.iter_rows(values_only=True)
    header = [fold(_text(h)) for h in next(rows, [])]
    col = {c: header.index(fold(c)) for c in PARTNER_COLUMNS if fold(c) in header}
    where_sheet = f"{name} '{PARTNERS_SHEET}'"
    if "Başvuru No" not in col:
        raise UserError(f"{where_sheet}: 'Başvuru No' sütunu yok")
    out: dict[str, list[Person]] = {}
    for n, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        where = f"{where_sheet} satır {n}"
        app_no = _text(_cell(values, col.get("Başvuru No")))
        if not app_no:
            raise UserError(f"{where}: 'Başvuru No' boş")
        sex = fold(_text(_cell(values, col.get("Cinsiyet"))))
        if sex not in ("", "k", "kadin", "e", "erkek"):
            raise UserError(f"{where}, 'Cinsiyet': 'K' ya da 'E' bekleniyordu: {sex!r}")
        raw_share = _cell(values, col.get("Ortaklık Payı (%)"))
        share = None
        if _text(raw_share):
            pct = _score(_text(raw_share).lstrip("%"), f"{where}, 'Ortaklık Payı (%)'")
            if pct < 0 or pct > 100:
                raise UserError(f"{where}, 'Ortaklık Payı (%)': 0 ile 100 arasında olmalı: {raw_share!r}")
            share = pct / 100
        out.setdefault(app_no, []).append(Person(
            name=_text(_cell(values, col.get("Ad Soyad"))),
            woman=None if not sex else sex in ("k", "kadin"),
            born_on=_day(_cell(values, col.get("Doğum Tarihi")), f"{where}, 'Doğum Tarihi'"),
            share=share,
            manager=bool(_flag(_cell(values, col.get("Yönetimde")), f"{where}, 'Yönetimde'"))))
    return out


def _inputs(program: Program, header: list[str], values: tuple, where: str,
            people: list[Person]) -> Inputs:
    """The row's optional columns as evrak.evaluation.Inputs; blank is unknown (D32)."""

    def get(name: str) -> Any:
        return _cell(values, header.index(fold(name)) if fold(name) in header else None)

    def at(name: str) -> str:
        return f"{where}, '{name}'"

    typed = {}
    for sid in dict.fromkeys(c.id for c in program.scoring.computed):
        raw = get(typed_header(sid))
        if _text(raw):
            typed[sid] = _score(raw, at(typed_header(sid)))
    applied = get("Başvurudaki Proje Bütçesi")
    board = get("YK Destek Tutarı")
    year = _int(get("Önceki Destek Yılı"), at("Önceki Destek Yılı"))
    return Inputs(
        current_staff=_int(get("Mevcut Personel"), at("Mevcut Personel")),
        new_jobs=_int(get("Yeni İstihdam"), at("Yeni İstihdam")),
        ksru=_flag(get("KSRU Eğitimi"), at("KSRU Eğitimi")),
        district=_text(get("Uygulama İlçesi")) or None,
        women_youth=_flag(get("Kadın/Genç Sahipliği"), at("Kadın/Genç Sahipliği")),
        people=tuple(people),
        size=_text(get("KOBİ Sınıfı")) or None,
        previous_support=_flag(get("Önceki Ajans Desteği"), at("Önceki Ajans Desteği")),
        previous_support_year=year,
        applied_total=_money(applied, at("Başvurudaki Proje Bütçesi")) if _text(applied) else None,
        board_amount=_money(board, at("YK Destek Tutarı")) if _text(board) else None,
        es_risk=_text(get("ÇS Risk Sınıfı")) or None,
        typed=typed)


def read_scores(program: Program, path: Path) -> list[SheetRow]:
    """Rows of a score sheet; every error names the file, row and column."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UserError(f"{path.name}: XLSX olarak açılamadı ({type(exc).__name__})") from exc
    ws = wb.worksheets[0]
    evaluators = read_evaluators(program, wb, path.name)
    partners = read_partners(wb, path.name)
    rows = ws.iter_rows(values_only=True)
    header = [fold(_text(h)) for h in next(rows, [])]
    col: dict[str, int] = {}
    for name in FIXED:
        if fold(name) in header:
            col[name] = header.index(fold(name))
    for name in REQUIRED:
        if name not in col:
            raise UserError(f"{path.name}: '{name}' sütunu yok")
    sec_col = _section_columns(program, header, path.name)
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
        totals = tuple(_score(x, f"{where}, 'Değerlendirici Puanları'")
                       for x in _text(get("Değerlendirici Puanları")).replace(";", " ").split() if x)
        single = fold(_text(get("Tek Başvuru")) or "evet") not in ("hayir", "h", "0", "false")
        evals = tuple(evaluators.get(app_no, ()))
        # With the evaluators' own scores on their page, the section averages may be left blank.
        sections = {sid: _score(_cell(values, i), f"{where}, '{section_header(sid, '')}'")
                    for sid, i in sec_col.items() if not (evals and not _text(_cell(values, i)))}
        scores = Scores(
            application_no=app_no, applicant=_text(get("Başvuru Sahibi")), requested=requested,
            sections=sections,
            submitted_at=_when(get("Başvuru Zamanı"), f"{where}, 'Başvuru Zamanı'"), co_financing=co,
            domestic_goods=_money(get("Yerli Malı Taahhüdü"), f"{where}, 'Yerli Malı Taahhüdü'"),
            single_application=single, evaluator_totals=totals, source=where, evaluators=evals,
            inputs=_inputs(program, header, values, where, partners.get(app_no, [])))
        province = _text(get("İl")) or (program.provinces[0] if program.provinces else "")
        app = Application(program_id=program.id, application_no=app_no, applicant_name=scores.applicant,
                          tax_id=_text(get("VKN")), address=_text(get("Adres")), province=province,
                          project_title=_text(get("Proje Adı")), credit=requested, co_financing=co)
        out.append(SheetRow(scores, app))
    if not out:
        raise UserError(f"{path.name}: puan satırı yok")
    unknown = sorted(set(evaluators) - {r.scores.application_no for r in out})
    if unknown:
        raise UserError(f"{path.name} '{EVALUATORS_SHEET}': 'Puanlar' sayfasında olmayan başvuru: {unknown[0]}")
    return out


def computed_summary(computed: Any) -> str:
    """'2.4: 5 (girilen 1)' for each formula-scored sub-criterion with a value or a cap."""
    parts = []
    for c in computed:
        if c.points is not None:
            value = format_number(c.points)
        elif c.cap is not None:
            value = f"en fazla {format_number(c.cap)}"
        else:
            continue
        typed = f" (girilen {format_number(c.typed)})" if c.typed is not None else ""
        parts.append(f"{c.id}: {value}{typed}")
    return "; ".join(parts)


def write_lists(ranking: Ranking, program: Program, path: Path) -> Path:
    """sıralama.xlsx: one sheet per list, the guide's tie-break order noted."""
    wb = openpyxl.Workbook()
    titles = {Outcome.MAIN: "Asil", Outcome.RESERVE: "Yedek", Outcome.FAILED: "Başarısız",
              Outcome.THIRD_EVALUATION: "Üçüncü değerlendirme", Outcome.RESTART: "Yeniden değerlendirme",
              Outcome.NOT_SUPPORTED: "Desteklenmez"}
    sheets = {o: (wb.active if i == 0 else wb.create_sheet()) for i, o in enumerate(titles)}
    head = ["Sıra", "Başvuru No", "Başvuru Sahibi", "Puan", "Yerli malı puanı", "Nihai puan",
            "Talep Edilen Destek", "Başvuru Zamanı", "Gerekçe", "Hesaplanan alt ölçüt puanları", "Notlar"]
    for outcome, ws in sheets.items():
        ws.title = titles[outcome]
        ws.append(head)
        for c in ws[1]:
            c.font = Font(bold=True)
    for r in ranking.rows:
        sheets[r.outcome].append([
            r.rank, safe_cell(r.scores.application_no), safe_cell(r.scores.applicant), float(r.base_total),
            r.bonus, float(r.total), float(r.scores.requested), format_datetime(r.scores.submitted_at),
            safe_cell("; ".join(r.reasons)), safe_cell(computed_summary(r.computed)),
            safe_cell("; ".join(r.notes)),
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
            if r.outcome in (Outcome.THIRD_EVALUATION, Outcome.RESTART):
                continue
            kw: dict[str, Any] = {"stage": "teknik ve mali değerlendirme"}
            if r.outcome == Outcome.MAIN:
                kw["result"] = "accepted"
            elif r.outcome == Outcome.RESERVE:
                kw["result"] = "reserve"
            elif r.outcome == Outcome.NOT_SUPPORTED:
                code = program.scoring.es_reason
                if not code:
                    raise UserError(f"{program.id}: ÇS riski nedeniyle ret için profilde scoring.es_reason yok")
                kw["result"] = "rejected"
                kw["reasons"] = [Reason(code, list(r.reasons))]
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
