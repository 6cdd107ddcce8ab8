"""`evrak prescreen PACKAGE|DIR_OF_PACKAGES [--out DIR] [--json] [--trust DIR]`."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from rich.progress import Progress
from rich.table import Table

from evrak.errors import UserError
from evrak.history import History, load_history
from evrak.manifest import MANIFEST_NAMES
from worker import settings
from worker.commands.common import arg_trust, text
from worker.commands.common import console as make_console
from worker.pipeline import PipelineResult, process_package

VERDICT_STYLE = {"pass": "green", "deficient": "yellow", "review": "blue", "reject": "red"}
VERDICT_LABEL = {"pass": "Uygun", "deficient": "Eksik", "review": "İnceleme", "reject": "Red"}


def is_package(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == ".zip"
    return any((path / n).is_file() for n in MANIFEST_NAMES)


def packages_in(folder: Path) -> list[Path]:
    """Packages directly under `folder` (sub-folders with a manifest, zips), sorted."""
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and is_package(p))


def _history(args: argparse.Namespace) -> History | None:
    """--gecmis files (else EVRAK_GECMIS), read once for every package; None: not configured."""
    files = [Path(p) for p in args.gecmis or ()] or settings.history_files()
    return load_history(files) if files else None


def _one(path: Path, out: Path, trust: Path | None, crls: tuple[Path, ...], pdf: bool,
         history: History | None = None) -> PipelineResult:
    match = settings.test_fail_match()
    if match and match in path.name:  # test hook (EVRAK_TEST_FAIL_MATCH): a package that trips a bug
        raise RuntimeError(f"test kancası: {path.name} için yapay hata")
    slow = settings.test_slow_job_s()
    if slow > 0 and settings.test_slow_match() in path.name:  # test hook: a package that hangs
        time.sleep(slow)
    return process_package(path, out, trust_dir=trust, crl_files=crls, pdf=pdf, history=history)


class TimeLimitExceeded(Exception):
    """A package that did not finish within the time limit; its child process was killed."""


def _child(conn: Connection, args: tuple) -> None:
    try:
        conn.send(("ok", _one(*args)))
    except UserError as exc:
        conn.send(("user", str(exc)))
    except BaseException as exc:  # reported to the parent, which logs it and goes on
        conn.send(("bug", f"{type(exc).__name__}", traceback.format_exc()))
    finally:
        conn.close()


def _bounded(path: Path, out: Path, trust: Path | None, crls: tuple[Path, ...], pdf: bool,
             history: History | None, limit_s: float) -> PipelineResult:
    """_one in a child process that is killed after `limit_s` seconds (EVRAK_HARD_TIME_LIMIT_S,
    the service's own limit): a hostile document that makes a reader spin stops one package,
    not the run. Parsers of PDF text layers cannot be interrupted from inside, so the bound
    is a process. UserError and other errors come back as they would in-process."""
    parent, child = multiprocessing.get_context("fork").Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(
        target=_child, args=(child, (path, out, trust, crls, pdf, history)), name=f"evrak-prescreen-{path.name}")
    proc.start()
    child.close()
    try:
        if not parent.poll(limit_s):
            raise TimeLimitExceeded(f"süre sınırı ({limit_s:.0f} sn) aşıldı; paket olduğu gibi duruyor, "
                                    "elle inceleyin (sınır: EVRAK_HARD_TIME_LIMIT_S)")
        try:
            msg = parent.recv()
        except EOFError:  # the child died without a word (killed by the OS, a crash in C code)
            raise RuntimeError(f"inceleme süreci beklenmedik biçimde sonlandı (çıkış {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if msg[0] == "ok":
        return msg[1]
    if msg[0] == "user":
        raise UserError(msg[1])
    raise _ChildError(msg[1], msg[2])


class _ChildError(Exception):
    """An unexpected error in the child, with its traceback text for hatalar.log."""

    def __init__(self, name: str, trace: str) -> None:
        super().__init__(name)
        self.name, self.trace = name, trace


def _cmd(args: argparse.Namespace) -> int:
    target = Path(args.package)
    if not target.exists():
        raise UserError("bulunamadı", file=str(target))
    out = Path(args.out)
    trust = arg_trust(args.trust)
    crls = tuple(Path(c) for c in args.crl or ())
    pdf = not args.no_pdf
    history = _history(args)
    if is_package(target):
        result = _one(target, out, trust, crls, pdf, history)
        if args.json:
            print((result.out_dir / "report.json").read_text(encoding="utf-8"))
        else:
            _print_one(result)
        return 0
    if not target.is_dir():
        raise UserError("paket bir klasör (basvuru.yaml ile) ya da .zip olmalı", file=str(target))
    packages = packages_in(target)
    if not packages:
        raise UserError("bu klasörde paket yok (basvuru.yaml içeren alt klasör ya da .zip)", file=str(target))
    results: list[tuple[Path, PipelineResult | None, str]] = []
    unexpected = 0
    console = make_console(stderr=args.json)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Ön inceleme", total=len(packages))
        limit_s = settings.hard_time_limit_s()
        for p in packages:
            try:
                results.append((p, _bounded(p, out, trust, crls, pdf, history, limit_s), ""))
            except (UserError, TimeLimitExceeded) as exc:  # one bad package does not stop the others
                results.append((p, None, str(exc)))
            except Exception as exc:  # nor does one that trips a bug: reported, the run goes on
                unexpected += 1
                trace = exc.trace if isinstance(exc, _ChildError) else traceback.format_exc()
                name = exc.name if isinstance(exc, _ChildError) else type(exc).__name__
                results.append((p, None, f"beklenmeyen hata ({name}); ayrıntılar: {_log_traceback(out, p, trace)}"))
            progress.advance(task)
    if args.json:
        print(json.dumps([{"package": str(p), **(r.to_dict() if r else {"error": e})} for p, r, e in results],
                         ensure_ascii=False, indent=2))
    else:
        _print_summary(results, out)
    # 0: every package screened; 2: some could not be opened or ran out of time (each row
    # says why); 1: some hit an unexpected error (traceback in OUT/hatalar.log). The rest always ran.
    return 1 if unexpected else 2 if any(r is None for _, r, _ in results) else 0


def _log_traceback(out: Path, package: Path, trace: str) -> str:
    """A traceback appended to OUT/hatalar.log; returns that path."""
    out.mkdir(parents=True, exist_ok=True)
    log = out / "hatalar.log"
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {package}\n{trace}\n")
    return str(log)


def _print_one(r: PipelineResult) -> None:
    c = make_console()
    style = VERDICT_STYLE.get(r.verdict, "")
    label = VERDICT_LABEL.get(r.verdict, r.verdict)
    c.print(f"[bold]{text(r.application_no)}[/bold] ({text(r.program)}): [{style}]{label}[/{style}]")
    report = json.loads((r.out_dir / "report.json").read_text(encoding="utf-8"))
    for f in report["findings"]:
        if f["severity"] == "info":
            continue
        c.print(f"  {text('[' + f['severity'] + ']')} {text(f['rule'])}: {text(f['message'])}")
    c.print(f"Çıktılar: {text(r.out_dir)}")


def _print_summary(results, out: Path) -> None:
    table = Table(title="Ön inceleme özeti")
    for col in ("Paket", "Başvuru No", "Program", "Sonuç", "Red", "İnceleme", "Eksik", "Uyarı"):
        table.add_column(col)
    totals: dict[str, int] = {}
    for p, r, err in results:
        if r is None:
            table.add_row(text(p.name), "—", "—", "[red]açılamadı[/red]", "", "", "", text(err[:60]))
            totals["hata"] = totals.get("hata", 0) + 1
            continue
        style = VERDICT_STYLE.get(r.verdict, "")
        totals[r.verdict] = totals.get(r.verdict, 0) + 1
        table.add_row(text(p.name), text(r.application_no), text(r.program),
                      f"[{style}]{VERDICT_LABEL[r.verdict]}[/{style}]",
                      str(r.counts.get("reject", 0)), str(r.counts.get("review", 0)),
                      str(r.counts.get("deficient", 0)), str(r.counts.get("warning", 0)))
    c = make_console()
    c.print(table)
    c.print("Toplam: " + ", ".join(f"{VERDICT_LABEL.get(k, k)} {v}" for k, v in sorted(totals.items())))
    c.print(f"Çıktılar: {text(out)}")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prescreen", help="başvuru paketlerinin ön incelemesi")
    p.add_argument("package", metavar="PACKAGE", help="paket klasörü, .zip ya da paketler klasörü")
    p.add_argument("--out", default="out/prescreen", help="çıktı klasörü (varsayılan: out/prescreen)")
    p.add_argument("--json", action="store_true", help="raporu JSON olarak standart çıktıya yaz")
    p.add_argument("--trust", help="güvenilir kök sertifikalar (varsayılan: EVRAK_TRUST_DIR)")
    p.add_argument("--crl", action="extend", nargs="+", help="iptal listesi (CRL) dosyaları; birden çok verilebilir")
    p.add_argument("--no-pdf", action="store_true", help="report.pdf ve mektup PDF'i üretme")
    p.add_argument("--gecmis", action="append", metavar="DOSYA",
                   help="başvuru sahibi geçmişi (.csv/.xlsx ya da klasör; birden çok verilebilir; "
                        "varsayılan: EVRAK_GECMIS); docs/applicant-history.md")
    p.set_defaults(func=_cmd)
