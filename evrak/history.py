"""The applicant history an agency keeps: earlier applications, supports, bans, debarment lists.

A package says nothing about the applicant's past, but the agency knows it: which
applications a firm made before, which supports (contracts) it got and how they ended,
whether its repayments are finished, which exclusion decisions it is under (the (a)-(h)
lists of 001:L478-497, 002:L419-437, 003:L603-652) and whether it is on a debarment list
(the World Bank's, 001:L493). Staff keep these in a file (this module reads it; the format is
in docs/applicant-history.md) and the service adds the applications it has screened itself
(worker/history_source.py). The checks that use them live in verifiers/prescreen/history.py;
the limits and periods they apply are programme data (`[history]` in programs/*.toml).

The staff file is CSV or XLSX with Turkish column names, one table per CSV file (named by the
file: basvurular.csv, destekler.csv, kararlar.csv, yasaklilar.csv, gruplar.csv) or per XLSX
sheet (Başvurular, Destekler, Kararlar, Yasaklılar, Gruplar). A bad cell is the user's error:
one Turkish line naming the file, the row and the column, exit 2.

Which tables were loaded is kept (`History.loaded`): a check whose table was not given does
not run and says so in the report (D32), so "no supports found" is never read from a file that
does not hold supports at all.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

from dateutil.relativedelta import relativedelta

from evrak import limits
from evrak.dates import ISTANBUL, DateError, aware, parse_date
from evrak.errors import UserError
from evrak.identifiers import digits, is_valid_tax_id
from evrak.spreadsheet import csv_rows
from evrak.text import fold, nfc, tr_lower

# --- the records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorApplication:
    """An application the agency received before (or beside) the one being screened."""

    application_no: str
    vkn: str
    program: str  # programme id or call reference, as the source wrote it
    submitted_at: datetime  # aware, Istanbul
    has_time: bool = True  # False: the source gave a day only
    name: str = ""
    agency: str = ""  # blank: the agency's own (a staff file is the agency's record)
    source: str = ""  # "basvurular.csv satır 4", "iş 3f2a..."


@dataclass(frozen=True)
class Award:
    """A support the agency gave: a signed contract (Destek Sözleşmesi) and how it ended."""

    vkn: str
    program: str
    contract_signed: date
    application_no: str = ""
    name: str = ""
    agency: str = ""
    contract_end: date | None = None
    final_report_submitted: date | None = None
    final_report_approved: date | None = None
    repayment: str | None = None  # "yok" (not repayable), "devam", "tamamlandi"; None: not recorded
    repayment_done: date | None = None
    source: str = ""


@dataclass(frozen=True)
class Exclusion:
    """An exclusion decision: the clause ((a)-(h) of the guides' lists) and its dates."""

    vkn: str
    clause: str  # "a", "b", "c", "ç", "d", "e", "f", "g", "ğ", "h"
    detected: date | None = None  # tespit tarihi ((a), (e): the ban runs from here)
    notified: date | None = None  # tebliğ tarihi ((b), (c), (ç), (d), (f))
    cleared: date | None = None  # (g): the day the obligation was met
    name: str = ""
    agency: str = ""
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Debarment:
    """One entry of a debarment list imported by staff (the World Bank's has no VKN)."""

    name: str
    country: str = ""
    vkn: str = ""
    from_text: str = ""  # as the list writes it
    to_text: str = ""
    grounds: str = ""
    list_name: str = "Dünya Bankası"
    source: str = ""


@dataclass(frozen=True)
class History:
    """Everything known about earlier applicants, and which tables it was built from."""

    applications: tuple[PriorApplication, ...] = ()
    awards: tuple[Award, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    debarments: tuple[Debarment, ...] = ()
    groups: tuple[tuple[str, str], ...] = ()  # (vkn, group name): >50 % common owners (001:L640)
    loaded: frozenset[str] = frozenset()  # table keys: basvurular, destekler, ...
    sources: tuple[str, ...] = ()

    def merged(self, other: History) -> History:
        return History(self.applications + other.applications, self.awards + other.awards,
                       self.exclusions + other.exclusions, self.debarments + other.debarments,
                       self.groups + other.groups, self.loaded | other.loaded, self.sources + other.sources)

    def group_of(self, vkn: str) -> frozenset[str]:
        """The VKNs counted as one applicant with `vkn` (itself included): staff record the
        groups of firms whose shares are more than half held by the same owners (001:L640,
        003:L787-789); a firm in no group is a group of one."""
        names = {g for v, g in self.groups if v == vkn}
        return frozenset({vkn} | {v for v, g in self.groups if g in names})


# --- dates the guides compute -----------------------------------------------------------------


def years_after(d: date, years: int) -> date:
    """The same calendar day `years` later (29 February -> 28 February)."""
    return d + relativedelta(years=years)


def months_after(d: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 January + 1 -> 28 February)."""
    return d + relativedelta(months=months)


def completion_date(award: Award) -> date | None:
    """002:L564, the date a project counts as completed: the final report's approval when it was
    submitted within the contract period, else one month after it was submitted. None when the
    record lacks the dates this needs."""
    submitted, end = award.final_report_submitted, award.contract_end
    if submitted is None or end is None:
        return None
    if submitted <= end:
        return award.final_report_approved
    return months_after(submitted, 1)


def day_of(moment: datetime) -> date:
    return aware(moment).astimezone(ISTANBUL).date()


# --- the staff file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]  # accepted spellings; the first is the documented one
    kind: str = "text"  # text | tax_id | date | moment | clause | repayment
    required: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # the XLSX sheet name
    names: tuple[str, ...]  # accepted file stems / sheet names, folded
    columns: tuple[Column, ...]


_VKN = Column("vkn", ("VKN", "VKN/TCKN", "Vergi No", "Vergi Kimlik No"), "tax_id", True)
_NAME = Column("name", ("Unvan", "Başvuru Sahibi", "Firma"))
_PROGRAM = Column("program", ("Program", "Program Kodu", "Teklif Çağrısı"), required=True)
_AGENCY = Column("agency", ("Ajans",))

TABLES: dict[str, Table] = {t.key: t for t in (
    Table("basvurular", "Başvurular", ("basvurular", "basvuru"), (
        Column("application_no", ("Başvuru No", "Başvuru Numarası", "Proje No"), required=True),
        _VKN, _NAME, _PROGRAM, _AGENCY,
        Column("submitted_at", ("Başvuru Tarihi", "Başvuru Zamanı"), "moment", True),
        Column("status", ("Durum",)),
    )),
    Table("destekler", "Destekler", ("destekler", "destek", "sozlesmeler"), (
        Column("application_no", ("Başvuru No", "Başvuru Numarası", "Proje No")),
        _VKN, _NAME, _PROGRAM, _AGENCY,
        Column("contract_signed", ("Sözleşme Tarihi",), "date", True),
        Column("contract_end", ("Sözleşme Bitiş Tarihi", "Proje Bitiş Tarihi"), "date"),
        Column("final_report_submitted", ("Nihai Rapor Sunuş Tarihi", "Nihai Rapor Tarihi"), "date"),
        Column("final_report_approved", ("Nihai Rapor Onay Tarihi",), "date"),
        Column("repayment", ("Geri Ödeme", "Geri Ödeme Durumu"), "repayment"),
        Column("repayment_done", ("Geri Ödeme Bitiş Tarihi",), "date"),
    )),
    Table("kararlar", "Kararlar", ("kararlar", "karar", "dislama kararlari"), (
        _VKN, _NAME, _AGENCY,
        Column("clause", ("Bent", "Madde"), "clause", True),
        Column("detected", ("Tespit Tarihi",), "date"),
        Column("notified", ("Tebliğ Tarihi",), "date"),
        Column("cleared", ("Giderilme Tarihi",), "date"),
        Column("note", ("Açıklama",)),
    )),
    Table("yasaklilar", "Yasaklılar", ("yasaklilar", "yasakli listesi", "yasakli liste", "debarred"), (
        Column("name", ("Firma Adı", "Unvan", "Firm Name"), required=True),
        Column("vkn", ("VKN",), "tax_id"),
        Column("country", ("Ülke", "Country")),
        Column("from_text", ("Başlangıç Tarihi", "From Date", "Ineligibility Period From")),
        Column("to_text", ("Bitiş Tarihi", "To Date", "Ineligibility Period To")),
        Column("grounds", ("Gerekçe", "Grounds")),
        Column("list_name", ("Liste",)),
    )),
    Table("gruplar", "Gruplar", ("gruplar", "grup"), (
        _VKN, _NAME,
        Column("group", ("Grup",), required=True),
        Column("note", ("Açıklama",)),
    )),
)}

CLAUSES = ("a", "b", "c", "ç", "d", "e", "f", "g", "ğ", "h")
_REPAYMENT = {"yok": "yok", "hayir": "yok", "geri odemesiz": "yok", "devam": "devam",
              "devam ediyor": "devam", "suruyor": "devam", "tamamlandi": "tamamlandi", "bitti": "tamamlandi"}
_WITHDRAWN = {"geri cekildi", "iptal", "iptal edildi", "gecersiz"}


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).strip()


def table_of(name: str) -> Table | None:
    """The table a file stem or sheet name stands for ("gecmis-basvurular" -> basvurular)."""
    k = _key(name)
    for t in TABLES.values():
        if any(k == n or k.endswith(" " + n) for n in t.names):
            return t
    return None


def _bounded(path: Path) -> None:
    """A staff file within evrak.limits before it is parsed (size; an XLSX's unpacked size)."""
    size = path.stat().st_size
    if size > limits.MAX_STAFF_FILE_BYTES:
        raise UserError(f"dosya çok büyük ({size // limits.MB} MB; sınır "
                        f"{limits.MAX_STAFF_FILE_BYTES // limits.MB} MB)", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as z:
                unpacked = sum(i.file_size for i in z.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserError(f"XLSX olarak açılamadı ({type(exc).__name__})", file=str(path)) from exc
        if unpacked > limits.MAX_OFFICE_UNPACKED_BYTES:
            raise UserError(f"çalışma kitabı açıldığında çok büyük ({unpacked // limits.MB} MB; sınır "
                            f"{limits.MAX_OFFICE_UNPACKED_BYTES // limits.MB} MB)", file=str(path))


Rows = Iterable[tuple[int, list[object]]]


def _counted(rows: Rows, path: Path, seen: list[int]) -> Iterator[tuple[int, list[object]]]:
    """The rows, stopping with a clear error past MAX_STAFF_FILE_ROWS (`seen` spans sheets)."""
    for row in rows:
        seen[0] += 1
        if seen[0] > limits.MAX_STAFF_FILE_ROWS:
            raise UserError(f"çok fazla satır (sınır {limits.MAX_STAFF_FILE_ROWS})", file=str(path))
        yield row


def _rows_csv(path: Path) -> Iterator[tuple[int, list[object]]]:
    for n, cells in _counted(csv_rows(path), path, [0]):
        yield n, list(cells)


def _sheets(path: Path) -> Iterator[tuple[str, list[tuple[int, list[object]]]]]:
    from openpyxl import load_workbook  # lazy: CSV files never need it

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UserError(f"XLSX olarak açılamadı ({type(exc).__name__})", file=str(path)) from exc
    seen = [0]  # rows of all sheets together
    try:
        for ws in wb.worksheets:
            rows = [(n, list(r)) for n, r in _counted(enumerate(ws.iter_rows(values_only=True), start=1), path, seen)
                    if any(v not in (None, "") for v in r)]
            yield ws.title, rows
    finally:
        wb.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return nfc(str(value)).strip()


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(_text(value))


def _moment(value: object) -> tuple[datetime, bool]:
    """A submission time: a datetime cell or ISO text with a time; a bare day is kept as a day."""
    if isinstance(value, datetime):
        return aware(value), value.time() != time(0)
    if isinstance(value, date):
        return datetime.combine(value, time(0), ISTANBUL), False
    text = _text(value)
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        return aware(parsed), ("T" in text or " " in text)
    except ValueError:
        d = parse_date(text)
        return datetime.combine(d, time(0), ISTANBUL), False


def _clause(value: object) -> str:
    c = re.sub(r"[\s().]", "", tr_lower(_text(value)))  # "(ç)", "ç)", "Ç." -> "ç"
    if c not in CLAUSES:
        raise ValueError(f"bent {', '.join(CLAUSES)} harflerinden biri olmalı: {_text(value)!r}")
    return c


def _cell(col: Column, value: object) -> object:
    """One cell as its column's type; ValueError with a Turkish reason."""
    if col.kind == "text":
        return _text(value)
    if col.kind == "tax_id":
        v = digits(_text(value))
        if not is_valid_tax_id(v):
            raise ValueError(f"geçerli bir VKN/TCKN değil: {_text(value)!r}")
        return v
    if col.kind == "date":
        try:
            return _date(value)
        except DateError:
            raise ValueError(f"tarih okunamadı (GG.AA.YYYY ya da YYYY-AA-GG): {_text(value)!r}") from None
    if col.kind == "moment":
        try:
            return _moment(value)
        except DateError:
            raise ValueError(f"tarih okunamadı (YYYY-AA-GG SS:DD ya da GG.AA.YYYY): {_text(value)!r}") from None
    if col.kind == "clause":
        return _clause(value)
    if col.kind == "repayment":
        k = _key(value)
        if k not in _REPAYMENT:
            raise ValueError(f"'yok', 'devam' ya da 'tamamlandı' olmalı: {_text(value)!r}")
        return _REPAYMENT[k]
    raise AssertionError(col.kind)


def _records(table: Table, rows: Sequence[tuple[int, list[object]]], where: str) -> Iterator[dict]:
    """Each data row as {key: value}, with `_source`; errors name the file, row and column."""
    if not rows:
        return
    header_no, header = rows[0]
    index: dict[str, int] = {}
    spellings = {_key(h): c for c in table.columns for h in c.headers}
    for i, h in enumerate(header):
        col = spellings.get(_key(h))
        if col is not None and col.key not in index:
            index[col.key] = i
    missing = [c.headers[0] for c in table.columns if c.required and c.key not in index]
    if missing:
        raise UserError(f"{table.title} tablosunda sütun yok: {', '.join(missing)}", file=where, line=header_no)
    for n, values in rows[1:]:
        rec: dict[str, object] = {"_source": f"{Path(where).name} satır {n}"}
        for col in table.columns:
            i = index.get(col.key)
            raw = values[i] if i is not None and i < len(values) else None
            if raw is None or _text(raw) == "":
                if col.required:
                    raise UserError("boş olamaz", file=where, field=col.headers[0], line=n)
                rec[col.key] = None if col.kind != "text" else ""
                continue
            try:
                rec[col.key] = _cell(col, raw)
            except ValueError as exc:
                raise UserError(str(exc), file=where, field=col.headers[0], line=n) from None
        yield rec


def _build(table: Table, records: Iterable[dict]) -> History:
    apps: list[PriorApplication] = []
    awards: list[Award] = []
    exclusions: list[Exclusion] = []
    debarments: list[Debarment] = []
    groups: list[tuple[str, str]] = []
    for r in records:
        src = r.pop("_source")
        if table.key == "basvurular":
            if _key(r.get("status")) in _WITHDRAWN:
                continue  # a withdrawn application is not one the applicant made
            moment, has_time = r["submitted_at"]
            apps.append(PriorApplication(r["application_no"], r["vkn"], r["program"], moment, has_time,
                                         r["name"], r["agency"], src))
        elif table.key == "destekler":
            awards.append(Award(r["vkn"], r["program"], r["contract_signed"], r["application_no"], r["name"],
                                r["agency"], r["contract_end"], r["final_report_submitted"],
                                r["final_report_approved"], r["repayment"], r["repayment_done"], src))
        elif table.key == "kararlar":
            exclusions.append(Exclusion(r["vkn"], r["clause"], r["detected"], r["notified"], r["cleared"],
                                        r["name"], r["agency"], r["note"], src))
        elif table.key == "yasaklilar":
            debarments.append(Debarment(r["name"], r["country"], r["vkn"] or "", r["from_text"], r["to_text"],
                                        r["grounds"], r["list_name"] or "Dünya Bankası", src))
        else:
            groups.append((r["vkn"], _key(r["group"])))
    return History(tuple(apps), tuple(awards), tuple(exclusions), tuple(debarments), tuple(groups),
                   frozenset({table.key}))


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx")
                       and not p.name.startswith((".", "~$")))
        if not files:
            raise UserError("klasörde .csv ya da .xlsx yok", file=str(path))
        return files
    if not path.is_file():
        raise UserError("başvuru sahibi geçmişi dosyası bulunamadı", file=str(path))
    return [path]


def _names() -> str:
    return ", ".join(t.names[0] for t in TABLES.values())


def load_history(paths: Iterable[Path]) -> History:
    """The staff's history files (CSV, XLSX, or folders of them) as one History."""
    out = History()
    for given in paths:
        for path in _files(Path(given)):
            suffix = path.suffix.lower()
            _bounded(path)
            if suffix == ".csv":
                table = table_of(path.stem)
                if table is None:
                    raise UserError(f"dosya adı hangi tablo olduğunu söylemiyor; adı şunlardan biri olmalı: "
                                    f"{_names()} (ör. basvurular.csv)", file=str(path))
                try:
                    rows = list(_rows_csv(path))
                except UnicodeDecodeError:
                    raise UserError("UTF-8 olarak okunamadı; Excel'de 'CSV UTF-8' olarak kaydedin",
                                    file=str(path)) from None
                part = _build(table, _records(table, rows, str(path)))
            elif suffix in (".xlsx", ".xlsm"):
                part = History()
                for title, rows in _sheets(path):
                    table = table_of(title)
                    if table is None:
                        raise UserError(f"sayfa adı '{title}' bilinmiyor; sayfalar şunlar olabilir: "
                                        f"{', '.join(t.title for t in TABLES.values())}", file=str(path))
                    part = part.merged(_build(table, _records(table, rows, f"{path}#{title}")))
            else:
                raise UserError("başvuru sahibi geçmişi .csv ya da .xlsx olmalı", file=str(path))
            out = out.merged(replace(part, sources=(str(path),)))
    return out


def template_rows() -> dict[str, list[str]]:
    """The documented header of every table, by sheet name (what `evrak gecmis sablon` writes)."""
    return {t.title: [c.headers[0] for c in t.columns] for t in TABLES.values()}
