"""`evrak izleme hesapla RAPOR.yaml`: what the guide computes after the contract (evrak/monitoring.py).

Staff fill in (or export from KAYS) the project's contract dates, final report, budget lines,
indicators, commitments, expenses and ineligible amounts; the command prints the completion
date, the penalties and deductions, the expenses outside the implementation period, the
six-monthly performance report due dates and the amount to recover, in Turkish or as JSON.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from evrak.dates import format_datetime, format_short
from evrak.money import format_percent, format_tl
from evrak.monitoring import MonitoringResult, evaluate, load_report
from worker.commands.common import arg_date, console, print_json, text


def summary_lines(res: MonitoringResult) -> list[str]:
    """The Turkish summary, one line each; plain text (escaped for Rich by the caller)."""
    r, m = res.report, res.program.monitoring
    out = [f"{res.program.short_name} izleme hesabı — {r.application_no or 'başvuru no yok'}"
           f"{' — ' + r.applicant if r.applicant else ''} (değerlendirme tarihi {format_short(res.as_of)})",
           f"Uygulama süresi: {format_short(res.period[0])} - {format_short(res.period[1])}"]
    c = res.completion
    if c is not None:
        when = format_short(c.on) if c.on else "hesaplanmadı"
        out.append(f"Tamamlanma tarihi: {when} ({c.rule})")
        if c.bar_ends:
            out.append(f"  Aynı ajansa yeni başvuru yasağı {format_short(c.bar_ends)} tarihine kadar sürer.")
    if m.expenses_within_implementation:
        total = sum((e.amount for e in res.outside), Decimal("0.00"))
        out.append(f"Uygulama süresi dışındaki harcamalar: {len(res.outside)} adet, {format_tl(total)}")
        out += [f"  {e.id}: {format_short(e.date)} {format_tl(e.amount)} {e.description}".rstrip()
                for e in res.outside]
    if res.deductions is not None:
        d = res.deductions
        amount = format_tl(d.amount) if d.amount is not None else "hesaplanmadı"
        out.append(f"Kesinti: {d.items} kalem/gösterge gerçekleşmedi; {d.per_item}; toplam {amount}")
    if res.employment is not None:
        e = res.employment
        low, high = e.range_amounts
        amount = f"{format_percent(e.rate)} = {format_tl(e.amount)}" if e.rate is not None and e.amount else "—"
        out.append(f"İstihdam cezası: {e.realised}/{e.committed} kişi; aralık {format_tl(low)} - {format_tl(high)}; "
                   f"{amount} ({e.rate_source})")
    if res.ksru is not None:
        out.append(f"KSRU cezası: {format_tl(res.ksru)}")
    if res.indicators is not None:
        i = res.indicators
        amount = (f"{format_percent(i.rate)} = {format_tl(i.amount)}" if i.rate is not None and i.amount is not None
                  else "hesaplanmadı")
        capped = f" (üst sınır {format_percent(i.cap)} uygulandı)" if i.capped else ""
        out.append(f"Gösterge cezası: {i.unmet} gösterge hedefin altında; {amount}{capped}")
    if res.penalties_total:
        out.append(f"Ceza ve kesintiler toplamı: {format_tl(res.penalties_total)}")
    if res.reports:
        out.append("Geri ödeme döneminde altı aylık performans raporları:")
        for p in res.reports:
            given = f", sunuldu {format_short(p.submitted_on)}" if p.submitted_on else ""
            out.append(f"  {p.no}. rapor: son gün {format_datetime(p.due)}{given}")
    if res.recoveries:
        out.append("Geri alınacak tutarlar:")
        for rec in res.recoveries:
            interest = f" + faiz kaybı {format_tl(rec.interest)} ({rec.interest_source})" if rec.interest is not None \
                else ""
            out.append(f"  {rec.item.description}: {format_tl(rec.item.amount)}{interest} = {format_tl(rec.total)}")
        out.append(f"  Toplam: {format_tl(res.recovery_total)}")
    if res.findings:
        out.append("Bulgular:")
        out += [f"  [{f.severity.label}] {f.rule}: {f.message} ({', '.join(f.refs)})" for f in res.findings]
    else:
        out.append("Bulgu yok.")
    if res.notes:
        out.append("Kontrol edilmeyenler:")
        out += [f"  {n}" for n in res.notes]
    return out


def _cmd_compute(args: argparse.Namespace) -> int:
    report, program = load_report(Path(args.report))
    if args.as_of:
        report = report.model_copy(update={"as_of": arg_date(args.as_of, "--tarih")})
    res = evaluate(program, report)
    if args.json:
        print_json(res.to_dict())
        return 0
    c = console()
    for line in summary_lines(res):
        c.print(text(line), soft_wrap=True)  # one line each: grep and diff see whole lines
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("izleme", help="izleme, proje bitişi ve geri alma hesapları (nihai rapor sonrası)")
    actions = p.add_subparsers(dest="izleme_command", metavar="İŞLEM")
    actions.required = True
    h = actions.add_parser("hesapla", help="izleme raporundan cezaları, kesintileri ve tarihleri hesapla")
    h.add_argument("report", metavar="RAPOR", help="izleme.yaml / izleme.json (ya da onu içeren klasör)")
    h.add_argument("--tarih", dest="as_of", metavar="TARİH",
                   help="değerlendirme tarihi (YYYY-AA-GG; varsayılan: raporun as_of'u, yoksa bugün)")
    h.add_argument("--json", action="store_true", help="sonucu JSON olarak yaz")
    h.set_defaults(func=_cmd_compute)

