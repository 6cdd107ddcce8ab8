"""`evrak programs`, `evrak program show ID`, `evrak calendar add DATE N`."""

from __future__ import annotations

import argparse
from datetime import date

from rich.table import Table

from evrak.calendar import calendar_for
from evrak.dates import format_datetime, format_long
from evrak.deadlines import (
    answer_deadline,
    application_deadline,
    board_list_deadline,
    calendar_of,
    contract_timeline,
    kays_opens,
    question_cutoff,
    result_notice_deadline,
    taahhutname_deadline,
)
from evrak.money import format_tl
from evrak.profiles import Program, load_profile, load_programs
from worker.commands.common import MAX_COUNT, arg_count, arg_date, console, print_json


def program_summary(p: Program) -> dict:
    periods = []
    for period in p.periods:
        t = taahhutname_deadline(p, period)
        opens, asked, board = kays_opens(p, period), question_cutoff(p, period), board_list_deadline(p, period)
        periods.append({
            "name": period.name,
            "opens": opens.isoformat() if opens else None,
            "application_deadline": application_deadline(p, period).isoformat(),
            "taahhutname_deadline": t.isoformat() if t else None,
            "question_cutoff": asked.isoformat() if asked else None,
            "board_list_deadline": board.isoformat() if board else None,
        })
    last = periods[-1]
    return {
        "id": p.id,
        "name": p.name,
        "short_name": p.short_name,
        "reference": p.reference,
        "instrument": p.instrument,
        "agency": p.agency.short,
        "region": p.region,
        "provinces": p.provinces,
        "announcement_date": p.announcement_date.isoformat(),
        "announcement_verified": p.announcement_verified,
        "application_deadline": last["application_deadline"],
        "taahhutname_deadline": last["taahhutname_deadline"],
        "periods": periods,
        "intermediary": p.intermediary.short if p.intermediary else None,
        "amounts": {
            "minimum": str(p.amounts.minimum) if p.amounts.minimum is not None else None,
            "maximum": str(p.amounts.maximum) if p.amounts.maximum is not None else None,
        },
        "repayment": p.repayment.model_dump() if p.repayment else None,
        "documents": [d.model_dump(mode="json") for d in p.documents],
        "checklists": [{"id": c.id, "title": c.title, "items": len(c.items)} for c in p.checklists],
        # What staff must know beside the rules: the profile's notes and the conditions under
        # which a conditional document is asked for (issue 16).
        "notes": list(p.notes),
        "conditions": [{"kind": d.kind, "ek": d.ek, "condition": d.condition}
                       for d in p.documents if d.condition],
        "windows": {k: v for k, v in p.contract.model_dump().items()
                    if k.endswith("_days") and v is not None},
        "process": p.process.model_dump(),
    }


def timeline(p: Program, decided: date | None, received: date | None,
             question: date | None = None) -> dict:
    """Computed dates after the evaluation (result notice, contract notification and signing)
    and the SSS answer deadline of a question received on `question`."""
    out: dict = {}
    if question is not None:
        a = answer_deadline(p, question)
        out["answer"] = a.isoformat() if a else None
    if decided is not None:
        t = result_notice_deadline(p, decided)
        out["result_notice"] = t.isoformat() if t else None
    if received is not None:
        out.update({k: (v.isoformat() if v else None) for k, v in contract_timeline(p, received).items()})
    return out


def _cmd_programs(args: argparse.Namespace) -> int:
    programs = load_programs()
    if args.json:
        print_json([program_summary(p) for p in programs.values()])
        return 0
    table = Table(title="Programlar")
    for col in ("Kimlik", "Referans", "Ajans", "Araç", "Son başvuru", "Taahhütname son"):
        table.add_column(col)
    for p in programs.values():
        t = taahhutname_deadline(p)
        table.add_row(p.id, p.reference, p.agency.short, p.instrument,
                      format_datetime(application_deadline(p)), format_datetime(t) if t else "—")
    console().print(table)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    p = load_profile(args.id)
    summary = program_summary(p)
    decided = arg_date(args.decided, "--decided") if args.decided else None
    received = arg_date(args.documents_received, "--documents-received") if args.documents_received else None
    question = arg_date(args.question_received, "--question-received") if args.question_received else None
    if decided or received or question:
        summary["timeline"] = timeline(p, decided, received, question)
    if args.json:
        print_json(summary)
        return 0
    c = console()
    c.print(f"[bold]{p.name}[/bold] ({p.reference})")
    c.print(f"Ajans: {p.agency.name}; bölge {p.region}: {', '.join(p.provinces)}")
    c.print(f"İlan: {format_long(p.announcement_date)}"
            + ("" if p.announcement_verified else f" (doğrulanmadı: {p.announcement_note or ''})"))
    for period in p.periods:
        t = taahhutname_deadline(p, period)
        c.print(f"{period.name}: son başvuru {format_datetime(period.application_deadline)}; "
                f"taahhütname {format_datetime(t) if t else '—'}")
        _print_process(c, p, period)
    if p.amounts.minimum is not None or p.amounts.maximum is not None:
        lo = format_tl(p.amounts.minimum) if p.amounts.minimum is not None else "—"
        hi = format_tl(p.amounts.maximum) if p.amounts.maximum is not None else "—"
        c.print(f"Tutar: {lo} – {hi}")
    if p.repayment:
        r = p.repayment
        c.print(f"Geri ödeme: {r.grace_months} ay ödemesiz + {r.installments} taksit")
    c.print(f"Belgeler: {len(p.documents)}; kontrol listeleri: "
            + ", ".join(f"{cl.title} ({len(cl.items)})" for cl in p.checklists))
    labels = {"answer": "Soru cevabı (SSS) son", "result_notice": "Ret bildirimi son",
              "notify": "Sözleşme bildirimi son",
              "sign": "Sözleşme imza son", "sign_extended": "Mücbir sebeple imza son"}
    for key, value in summary.get("timeline", {}).items():
        c.print(f"{labels[key]}: {value or '—'}", markup=False)
    for cond in summary["conditions"]:
        c.print(f"Koşullu belge {cond['ek']} ({cond['kind']}): {cond['condition']}", markup=False)
    for note in p.notes:
        c.print(f"Not: {note}", markup=False)
    return 0


def _print_process(c, p: Program, period) -> None:
    """The period's process dates (issue 16): KAYS opening, the question cut-off, the Board."""
    opens, asked, board = kays_opens(p, period), question_cutoff(p, period), board_list_deadline(p, period)
    refs = f" ({p.process.lines})" if p.process.lines else ""
    if opens is not None:
        how = "" if period.opens else f", ilandan {p.process.kays_opens_business_days} iş günü sonra{refs}"
        c.print(f"  KAYS başvuruya açılış: {format_long(opens)}{how}", markup=False)
    if asked is not None:
        c.print(f"  Soru son: {format_datetime(asked)} (son başvurudan {p.process.questions_days_before_deadline} "
                f"gün önce); cevap ajansa ulaştıktan sonra en geç {p.process.answer_days} gün{refs}", markup=False)
    elif p.process.answer_days is not None:
        c.print(f"  Sorular ajansa ulaştıktan sonra en geç {p.process.answer_days} gün içinde SSS'de "
                f"cevaplanır{refs}", markup=False)
    if board is not None:
        c.print(f"  Listeler Yönetim Kuruluna en geç {format_datetime(board)} (başvuruların tamamlanmasından "
                f"{p.process.board_list_months} ay){refs}", markup=False)


def _cmd_calendar_add(args: argparse.Namespace) -> int:
    start = arg_date(args.date)
    n = arg_count(args.n, "iş günü sayısı", minimum=-MAX_COUNT)
    if args.program:
        cal = calendar_of(load_profile(args.program))
    else:
        cal = calendar_for()
    result = cal.add_business_days(start, n)
    if args.json:
        print_json({"date": start.isoformat(), "business_days": n, "result": result.isoformat()})
    else:
        print(result.isoformat())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("programs", help="program profillerini listeler")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_programs)

    p = sub.add_parser("program", help="bir programın profili")
    psub = p.add_subparsers(dest="program_cmd", required=True)
    s = psub.add_parser("show", help="profil ve hesaplanan son tarihler")
    s.add_argument("id")
    s.add_argument("--json", action="store_true")
    s.add_argument("--decided", metavar="YYYY-AA-GG", help="yönetim kurulu kararı: ret bildirimi son tarihi")
    s.add_argument("--documents-received", metavar="YYYY-AA-GG",
                   help="sözleşme belgelerinin alındığı gün: bildirim ve imza son tarihleri")
    s.add_argument("--question-received", metavar="YYYY-AA-GG",
                   help="bir sorunun ajansa ulaştığı gün: cevabın SSS'de yayımlanacağı son tarih")
    s.set_defaults(func=_cmd_show)

    p = sub.add_parser("calendar", help="iş günü takvimi")
    csub = p.add_subparsers(dest="calendar_cmd", required=True)
    a = csub.add_parser("add", help="bir tarihten N iş günü sonrası")
    a.add_argument("date", metavar="ISO_DATE")
    a.add_argument("n", metavar="N")
    a.add_argument("--program")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=_cmd_calendar_add)
