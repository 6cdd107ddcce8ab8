"""`evrak schedule`: the repayment schedule of an amount under a programme (D11-D16)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from rich.table import Table

from docgen.context import program_context, schedule_context
from evrak.dates import format_short
from evrak.errors import UserError
from evrak.money import format_tl
from evrak.profiles import load_profile
from evrak.schedule import Schedule, build_schedule
from worker.commands.common import arg_amount, arg_date, console, print_json


def write_csv(schedule: Schedule, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["no", "due_date", "amount", "remaining"])
        for i in schedule.installments:
            d = i.to_dict()
            w.writerow([d["no"], d["due_date"], d["amount"], d["remaining"]])


def _cmd_schedule(args: argparse.Namespace) -> int:
    program = load_profile(args.program)
    amount = arg_amount(args.amount)
    anchor = arg_date(args.anchor, "--anchor")
    final = arg_amount(args.final_amount, "--final-amount") if args.final_amount else None
    if args.due_before is not None and final is None:
        raise UserError("--due-before yalnızca --final-amount ile kullanılır")
    budget = arg_amount(args.budget, "--budget") if args.budget else None
    schedule = build_schedule(program, amount, anchor, final_amount=final,
                              due_before=args.due_before or 0, budget=budget)
    if args.csv:
        write_csv(schedule, Path(args.csv))
    if args.xlsx:
        # lazy: openpyxl costs about 0.4 s on every evrak command otherwise
        from docgen.xlsx import write_schedule_xlsx

        context = {**program_context(program), "application_no": args.application_no or "—",
                   "applicant": {"name": args.applicant or "—"}, "schedule": schedule_context(schedule)}
        write_schedule_xlsx(context, Path(args.xlsx))
    if args.json:
        print_json(schedule.to_dict())
        return 0
    if args.csv or args.xlsx:
        print(f"yazıldı: {args.csv or args.xlsx}")
        return 0
    table = Table(title=f"{program.short_name} geri ödeme planı — esas {format_tl(schedule.basis)}")
    for col in ("No", "Vade", "Taksit", "Kalan"):
        table.add_column(col, justify="right")
    for i in schedule.installments:
        table.add_row(str(i.no), format_short(i.due_date), format_tl(i.amount), format_tl(i.remaining))
    c = console()
    c.print(table)
    c.print(f"Toplam: {format_tl(schedule.total)}")
    for f in schedule.fees:
        c.print(f"{f.label}: {format_tl(f.amount)} (yararlanıcı öder, kredi dışı)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="geri ödeme planı")
    p.add_argument("--program", required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--anchor", required=True, help="kredinin aktarıldığı / sözleşme tarihi (ISO)")
    p.add_argument("--final-amount", help="nihai rapor sonrası kesinleşen tutar (revizyon)")
    p.add_argument("--due-before", type=int, help="revizyon anında vadesi gelmiş taksit sayısı")
    p.add_argument("--budget", help="ücretlerin bütçe üzerinden hesaplandığı programlar için")
    p.add_argument("--application-no", help="XLSX başlığı için başvuru numarası")
    p.add_argument("--applicant", help="XLSX başlığı için yararlanıcı adı")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", metavar="FILE")
    out.add_argument("--xlsx", metavar="FILE")
    p.set_defaults(func=_cmd_schedule)
