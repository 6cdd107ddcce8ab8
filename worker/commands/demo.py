"""`evrak demo`: the README's main job on the shipped samples, with no server.

It shows the programmes and their computed deadlines, a repayment schedule, pre-screens
every sample package (report, checklist, letter), renders a batch of contracts with their
provisional repayment schedules from the sample KAYS export, and says where it all is.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from docgen.batch import run_batch
from evrak.dates import format_datetime, format_short
from evrak.deadlines import application_deadline, taahhutname_deadline
from evrak.errors import UserError
from evrak.money import format_tl
from evrak.profiles import load_profile, load_programs
from evrak.schedule import build_schedule
from worker.commands.common import console
from worker.commands.prescreen import VERDICT_LABEL, VERDICT_STYLE
from worker.pipeline import process_package

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def _programs(c: Console) -> None:
    table = Table(title="Programlar ve hesaplanan son tarihler")
    for col in ("Program", "Referans", "Araç", "Son başvuru", "Taahhütname son"):
        table.add_column(col)
    for p in load_programs().values():
        t = taahhutname_deadline(p)
        table.add_row(p.id, p.reference or "—", p.instrument, format_datetime(application_deadline(p)),
                      format_datetime(t) if t else "—")
    c.print(table)


def _schedule(c: Console, out: Path) -> None:
    program = load_profile("tr63-2023-makine")
    s = build_schedule(program, Decimal("1300000.00"), date(2023, 6, 15))
    c.print(f"\n[bold]Örnek geri ödeme planı[/bold] — {program.short_name}, 1.300.000,00 TL, kredinin "
            f"aktarıldığı gün 15.06.2023 (6 ay ödemesiz + {len(s.installments)} taksit)")
    first, last = s.installments[0], s.installments[-1]
    c.print(f"  1. taksit {format_short(first.due_date)} {format_tl(first.amount)} … "
            f"{last.no}. taksit {format_short(last.due_date)} {format_tl(last.amount)}; toplam {format_tl(s.total)}")
    bayram = next((i for i in s.installments if i.due_date != i.nominal_date and i.nominal_date.month == 6), None)
    if bayram:
        c.print(f"  {bayram.no}. taksit {format_short(bayram.nominal_date)} Kurban Bayramı'na denk geldiği için "
                f"{format_short(bayram.due_date)} tarihine kaydı")
    for f in s.fees:
        c.print(f"  {f.label}: {format_tl(f.amount)} (yararlanıcının kendi gideri, kredi dışı)")
    (out / "geri-odeme-plani-ornek.json").write_text(json.dumps(s.to_dict(), ensure_ascii=False, indent=2),
                                                     encoding="utf-8")


def _prescreen(c: Console, out: Path, pdf: bool) -> tuple[int, int]:
    packages = sorted(p for p in (SAMPLES / "packages").glob("*/*") if p.is_dir())
    if not packages:
        raise UserError("örnek paket bulunamadı; scripts/build_samples.py ile üretin", file=str(SAMPLES))
    table = Table(title="Örnek paketlerin ön incelemesi")
    for col in ("Program", "Paket", "Sonuç", "Beklenen", "Çıktı"):
        table.add_column(col)
    agree = 0
    start = time.perf_counter()
    with c.status("Ön inceleme…"):
        for pkg in packages:
            expected = json.loads(pkg.with_name(pkg.name + ".expected.json").read_text(encoding="utf-8"))
            dest = out / "on-inceleme" / pkg.parent.name / pkg.name
            result = process_package(pkg, dest, trust_dir=SAMPLES / "trust", pdf=pdf)
            ok = result.verdict == expected["verdict"]
            agree += ok
            style = VERDICT_STYLE[result.verdict]
            letters = [p.name for p in result.outputs if p.name.startswith(("eksik_evrak", "sonuc_yazisi"))]
            table.add_row(pkg.parent.name, pkg.name, f"[{style}]{VERDICT_LABEL[result.verdict]}[/{style}]",
                          ("✓ " if ok else "✗ ") + VERDICT_LABEL[expected["verdict"]],
                          ", ".join(n for n in letters if n.endswith(".pdf" if pdf else ".docx")) or "rapor")
    c.print(table)
    c.print(f"{len(packages)} paket {time.perf_counter() - start:.1f} sn'de incelendi; beklenenle uyuşan: "
            f"{agree}/{len(packages)}")
    return agree, len(packages)


def _batch(c: Console, out: Path, pdf: bool) -> None:
    export = SAMPLES / "kays" / "kays-export-tr63.xlsx"
    start = time.perf_counter()
    res = run_batch("destek_sozlesmesi", export, "tr63-2023-makine", out / "sozlesmeler", pdf=pdf,
                    progress=True)
    plans = run_batch("geri_odeme_plani", export, "tr63-2023-makine", out / "geri-odeme-planlari", pdf=False)
    c.print(f"Destek sözleşmeleri (geçici geri ödeme planı ekli): {res.done} üretildi, {res.skipped} zaten vardı, "
            f"{len(res.errors)} hatalı satır ({time.perf_counter() - start:.1f} sn); geri ödeme planları: "
            f"{plans.done + plans.skipped}")
    if res.errors:
        c.print(f"  Hatalı satırlar: {out / 'sozlesmeler' / 'errors.csv'}")


def _service(c: Console, out: Path) -> bool:
    """The same samples through the service: a real worker on the embedded (serverless) queue."""
    import os
    import signal
    import subprocess
    import sys

    home = out / "servis"
    env = {**os.environ, "EVRAK_HOME": str(home), "EVRAK_TRUST_DIR": str(SAMPLES / "trust")}
    evrak = [sys.executable, "-m", "worker.cli"]
    picks = [SAMPLES / "packages" / "tr63-2023-makine" / n for n in ("gecerli", "eksik-sgk-listesi", "gec-imza")]
    worker = subprocess.Popen([*evrak, "worker", "--concurrency", "2", "--loglevel", "WARNING"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    ok = True
    try:
        with c.status("Gömülü kuyruk: işçi çalışıyor, paketler gönderiliyor…"):
            subs = [subprocess.Popen([*evrak, "submit", str(p), "--wait", "180"], env=env, cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in picks]
            for p, sub in zip(picks, subs, strict=True):
                _out, se = sub.communicate(timeout=240)
                if sub.returncode != 0:
                    ok = False
                    c.print(f"  {p.name}: [red]gönderilemedi[/red] {se.strip()[:200]}")
        jobs = subprocess.run([*evrak, "jobs"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
        c.print(jobs.stdout.rstrip())
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    c.print(f"Servis klasörleri (iş tablosu, kuyruk, outbox/archive): {home}")
    return ok


def _cmd(args: argparse.Namespace) -> int:
    c = console()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pdf = not args.no_pdf
    c.print("[bold]evrak — kalkınma ajansı belge servisi: tanıtım[/bold]\n")
    _programs(c)
    _schedule(c, out)
    c.print()
    agree, total = _prescreen(c, out, pdf)
    c.print()
    _batch(c, out, pdf)
    c.print("\n[bold]Servis[/bold] (gömülü kuyruk, sunucusuz: aynı paketler bir Celery işçisiyle)")
    service_ok = _service(c, out)
    c.print(f"\n[bold]Çıktılar:[/bold] {out}")
    c.print(f"  ön inceleme raporları ve mektuplar: {out / 'on-inceleme'}/<program>/<paket>/<başvuru no>/")
    c.print(f"  sözleşmeler: {out / 'sozlesmeler'}  ·  geri ödeme planları: {out / 'geri-odeme-planlari'}")
    return 0 if agree == total and service_ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="örnek paketlerle uçtan uca tanıtım (sunucu gerekmez)")
    p.add_argument("--out", default="out/demo", help="çıktı klasörü (varsayılan: out/demo)")
    p.add_argument("--no-pdf", action="store_true", help="PDF üretmeden (daha hızlı)")
    p.set_defaults(func=_cmd)
