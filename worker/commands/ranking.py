"""`evrak rank`: the evaluation sheet of a call -> asil/yedek lists and result letters."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evrak.dates import now
from evrak.errors import UserError
from evrak.money import format_number, format_tl
from evrak.profiles import load_profile
from evrak.ranking import Outcome
from worker.commands.common import arg_date, print_json


def _cmd_rank(args: argparse.Namespace) -> int:
    # Function-local on purpose: worker.ranking pulls in openpyxl and the LibreOffice pool,
    # which would slow every other evrak command's start (the same reason as `schedule --xlsx`).
    from worker.ranking import run_ranking, write_template

    program = load_profile(args.program)
    if args.template:
        path = write_template(program, Path(args.template))
        print(f"yazıldı: {path}")
        return 0
    if not args.scores or not args.out:
        raise UserError("--scores ve --out gerekli (boş bir puan tablosu için --template DOSYA)")
    doc_date: date = arg_date(args.date, "--date") if args.date else now().date()
    ranking, files = run_ranking(program, Path(args.scores), Path(args.out), doc_date=doc_date,
                                 letters=not args.no_letters, pdf=args.pdf)
    if args.json:
        print_json({
            "program": ranking.program, "budget": ranking.budget, "allocated": ranking.allocated,
            "rows": [{"application_no": r.scores.application_no, "outcome": str(r.outcome), "rank": r.rank,
                      "score": r.base_total, "bonus": r.bonus, "total": r.total, "reasons": list(r.reasons),
                      "computed": {c.id: c.points if c.points is not None else c.cap for c in r.computed
                                   if c.points is not None or c.cap is not None},
                      "notes": list(r.notes)}
                     for r in ranking.rows],
            "files": [str(f) for f in files],
        })
        return 0
    table = Table(title=f"{escape(program.short_name)} sıralama")
    for col in ("Sıra", "Başvuru No", "Başvuru Sahibi", "Puan", "Ek", "Nihai", "Durum"):
        table.add_column(col)
    for r in ranking.rows:
        table.add_row(str(r.rank or "—"), escape(r.scores.application_no), escape(r.scores.applicant),
                      format_number(r.base_total), str(r.bonus), format_number(r.total), r.outcome.label)
    Console().print(table)
    for r in ranking.rows:
        for note in r.notes:
            print(f"not: {r.scores.application_no}: {note}")
    for note in ranking.notes:
        print(f"not: {note}")
    print(f"asil {len(ranking.of(Outcome.MAIN))}, yedek {len(ranking.of(Outcome.RESERVE))}, "
          f"başarısız {len(ranking.of(Outcome.FAILED))}; asil listeye {format_tl(ranking.allocated)}"
          + (f" / bütçe {format_tl(ranking.budget)}" if ranking.budget is not None else ""))
    print(f"yazıldı: {Path(args.out) / 'sıralama.xlsx'} ve {len(files) - 1} yazı")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rank", help="puanlardan asil/yedek listeleri ve sonuç yazıları")
    p.add_argument("--program", required=True, metavar="ID")
    p.add_argument("--scores", metavar="PUANLAR.xlsx", help="değerlendirme puanları (evrak rank --template)")
    p.add_argument("--out", metavar="KLASÖR")
    p.add_argument("--template", metavar="DOSYA.xlsx", help="programın bölümleriyle boş puan tablosu yaz")
    p.add_argument("--date", metavar="YYYY-AA-GG", help="yazıların tarihi (varsayılan: bugün)")
    p.add_argument("--pdf", action="store_true", help="yazıları PDF/A olarak da üret")
    p.add_argument("--no-letters", action="store_true", help="yalnız listeler")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_rank)
