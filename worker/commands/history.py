"""`evrak gecmis goster DOSYA... [--vkn VKN]` and `evrak gecmis sablon CIKTI.xlsx`.

Staff keep the applicant history (earlier applications, supports, exclusion decisions, the
World Bank's debarment list, ownership groups) in CSV/XLSX files (docs/applicant-history.md).
`goster` reads them exactly as the pre-screening does, so a bad cell shows here first with
its file, row and column; `sablon` writes an empty workbook with every table's columns.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evrak.dates import format_short
from evrak.errors import UserError
from evrak.history import TABLES, History, day_of, load_history, template_rows
from evrak.identifiers import digits
from evrak.spreadsheet import write_workbook
from worker.commands.common import console, text


def _rows(h: History, vkn: str | None) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each table as (header, rows) for the screen, only `vkn`'s rows when given."""
    def mine(v: str) -> bool:
        return vkn is None or v == vkn

    def d(x: object) -> str:
        return format_short(x) if x else ""  # type: ignore[arg-type]

    return {
        "Başvurular": (["Başvuru No", "VKN", "Program", "Başvuru Tarihi", "Kaynak"],
                       [[a.application_no, a.vkn, a.program, format_short(day_of(a.submitted_at)), a.source]
                        for a in h.applications if mine(a.vkn)]),
        "Destekler": (["VKN", "Program", "Sözleşme", "Bitiş", "Nihai Rapor Sunuş/Onay", "Geri Ödeme", "Kaynak"],
                      [[a.vkn, a.program, d(a.contract_signed), d(a.contract_end),
                        f"{d(a.final_report_submitted)} / {d(a.final_report_approved)}",
                        a.repayment or "kayıtsız", a.source] for a in h.awards if mine(a.vkn)]),
        "Kararlar": (["VKN", "Bent", "Tespit", "Tebliğ", "Giderilme", "Kaynak"],
                     [[e.vkn, e.clause, d(e.detected), d(e.notified), d(e.cleared), e.source]
                      for e in h.exclusions if mine(e.vkn)]),
        "Yasaklılar": (["Firma", "Ülke", "Başlangıç", "Bitiş", "Liste", "Kaynak"],
                       [[x.name, x.country, x.from_text, x.to_text, x.list_name, x.source]
                        for x in h.debarments if vkn is None or x.vkn == vkn]),
        "Gruplar": (["VKN", "Grup"], [[v, g] for v, g in h.groups if mine(v)]),
    }


def _show(args: argparse.Namespace) -> int:
    history = load_history(Path(p) for p in args.files)
    vkn = digits(args.vkn) if args.vkn else None
    c = console()
    loaded = {TABLES[k].title for k in history.loaded}
    for title, (header, rows) in _rows(history, vkn).items():
        if title not in loaded:
            c.print(f"[dim]{text(title)}: dosyalarda yok (bu tabloya dayanan kurallar denetlenmez)[/dim]")
            continue
        table = Table(title=f"{title} ({len(rows)})")
        for col in header:
            table.add_column(col)
        for row in rows:
            table.add_row(*(text(x) for x in row))
        c.print(table)
    return 0


def _template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UserError("şablon .xlsx olarak yazılır", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(out, {title: (header, []) for title, header in template_rows().items()})
    console().print(f"Şablon yazıldı: {text(out)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gecmis", help="başvuru sahibi geçmişi (önceki başvurular, destekler, yasaklar)")
    s = p.add_subparsers(dest="gecmis_command", metavar="ALT_KOMUT")
    s.required = True
    show = s.add_parser("goster", help="geçmiş dosyalarını oku ve göster (hatalar dosya/satır/sütunla)")
    show.add_argument("files", nargs="+", metavar="DOSYA", help=".csv, .xlsx ya da klasör")
    show.add_argument("--vkn", help="yalnız bu VKN/TCKN'nin kayıtları")
    show.set_defaults(func=_show)
    tpl = s.add_parser("sablon", help="boş geçmiş çalışma kitabı yaz (her tablonun sütunları)")
    tpl.add_argument("out", metavar="CIKTI", help="yazılacak .xlsx")
    tpl.set_defaults(func=_template)
