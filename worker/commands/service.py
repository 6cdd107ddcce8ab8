"""`evrak watch | worker | submit | jobs | status` (and `evrak batch ... --queue`): the service.

Thin wrappers over worker.watch, worker.celery_app, worker.intake and worker.store; the
job table (EVRAK_DB_URL) and the broker (EVRAK_BROKER_URL) are shared by every process,
so these commands can run on different machines over shared storage (docs/service.md).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from evrak.dates import format_datetime
from evrak.errors import UserError
from worker import cycle, settings
from worker.commands.common import print_json
from worker.layout import Layout
from worker.store import FINAL_STATES, STATES, JobInfo, get_store

STATE_TR = {"received": "alındı", "queued": "kuyrukta", "running": "çalışıyor", "done": "tamam",
            "failed": "başarısız", "duplicate": "yinelenen"}


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _cmd_watch(args: argparse.Namespace) -> int:
    # lazy: the watcher loads watchdog, Celery and the broker
    from worker.watch import run_watch

    base = Path(args.dir)
    if base.exists() and not base.is_dir():
        raise UserError("bir klasör olmalı", file=str(base))
    _logging()
    return run_watch(base, poll=args.poll, with_worker=args.with_worker, concurrency=args.concurrency)


def _cmd_worker(args: argparse.Namespace) -> int:
    # lazy: the worker side loads the whole pipeline (readers, OCR, LibreOffice pool)
    from worker.celery_app import worker_main

    if args.concurrency is not None and args.concurrency < 1:
        raise UserError("--concurrency en az 1 olmalı")
    worker_main(args.concurrency, loglevel=args.loglevel)
    return 0


def _cmd_submit(args: argparse.Namespace) -> int:
    # lazy: intake loads Celery and the broker, which the other commands do not need
    from worker.intake import take

    source = Path(args.package)
    if not source.exists():
        raise UserError("paket bulunamadı", file=str(source))
    if not (source.is_dir() or source.suffix.lower() == ".zip"):
        raise UserError("paket bir klasör ya da .zip olmalı", file=str(source))
    layout = Layout.at(Path(args.dir) if args.dir else settings.evrak_home())
    params = {}
    if args.completes:  # D34: a completion after a deficiency letter, linked to the job it completes
        base = get_store().resolve(args.completes)
        if base.kind != "prescreen" or base.state != "done":
            raise UserError(f"--completes: iş {base.id} bitmiş bir ön inceleme değil ({STATE_TR[base.state]})")
        params["completes"] = base.id
    result = take(source.resolve(), layout, copy=True, params=params)
    job = result.job
    if result.duplicate_of is not None:
        first = result.duplicate_of
        print(f"yinelenen paket: iş {first.id} ile aynı içerik ({STATE_TR[first.state]}); "
              f"yeniden işlenmedi (kayıt: {job.id})")
        return 0
    print(f"kuyruğa alındı: iş {job.id}")
    if not result.queued:
        print("uyarı: kuyruğa mesaj gönderilemedi; iş kayıtlı, sweep yeniden gönderecek", file=sys.stderr)
    if args.wait:
        return _wait(job.id, args.wait)
    return 0


def _wait(job_id: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = get_store().get(job_id)
        if job and job.state in FINAL_STATES:
            _print_status(job)
            return 0 if job.state == "done" else 1
        time.sleep(0.5)
    raise UserError(f"iş {job_id} {timeout:g} sn içinde bitmedi (evrak status {job_id})")


def _row(job: JobInfo) -> str:
    when = job.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if job.created_at else "-"
    what = job.application_no or job.input_name
    tail = job.verdict or (job.error or "")[:60]
    link = f"  (önceki: {job.completes})" if job.completes else ""
    return f"{job.id}  {when}  {STATE_TR.get(job.state, job.state):10}  {job.kind:9}  {what}  {tail}{link}"


def _cmd_jobs(args: argparse.Namespace) -> int:
    if args.state and args.state not in STATES:
        raise UserError(f"bilinmeyen durum {args.state!r}; geçerli: {', '.join(STATES)}")
    jobs = get_store().list(state=args.state, limit=args.limit, application_no=args.application)
    if args.json:
        print_json([j.to_dict() for j in jobs])
        return 0
    if not jobs:
        print("iş yok")
    for j in jobs:
        print(_row(j))
    return 0


def _print_status(job: JobInfo) -> None:
    print(f"iş: {job.id} ({job.kind})")
    print(f"durum: {STATE_TR.get(job.state, job.state)}, deneme {job.attempts}/{job.max_attempts}")
    print(f"girdi: {job.input_name} -> {job.input_path}")
    print(f"sha256: {job.input_sha256}")
    if job.application_no:
        print(f"başvuru: {job.application_no} ({job.program}), sonuç: {job.verdict}")
    if job.counts:
        print("sayımlar: " + ", ".join(f"{k}={v}" for k, v in job.counts.items()))
    for out in job.outputs:
        print(f"çıktı: {out}")
    if job.duplicate_of:
        print(f"yinelenen: iş {job.duplicate_of} ile aynı içerik")
    if job.error:
        print(f"hata: {job.error}")


def _print_case(case: cycle.Case) -> None:
    print(f"başvuru {case.application_no}: {case.label}"
          + (f", tamamlama son günü {format_datetime(case.deadline)} ({case.remaining()})" if case.deadline else ""))
    for s in case.submissions:
        kind = "tamamlama" if s.is_completion else "başvuru"
        late = "  SÜRESİ DIŞINDA" if s.late else ""
        when = format_datetime(s.job.receipt_time) if s.job.receipt_time else "-"
        print(f"  {s.number}. {s.job.id}  {when}  {kind:9}  {STATE_TR.get(s.job.state, s.job.state):10}  "
              f"{s.job.verdict or ''}{late}")
    for lt in case.letters:
        print(f"  yazı: {lt.kind} {format_datetime(lt.issued_at)} ({lt.event.username})"
              + (f", tebliğ {lt.notified_on.isoformat()}" if lt.notified_on else ""))


def _cmd_status(args: argparse.Namespace) -> int:
    """One job, or one application (all its submissions and letters) by its number."""
    store = get_store()
    case = cycle.case_of(store, args.job)
    if case is not None:
        job = None
    else:
        job = store.resolve(args.job)
        case = cycle.case_of(store, job.application_no) if job.application_no and job.kind == "prescreen" else None
    if args.json:
        data = job.to_dict() if job else {}
        if case is not None:
            data["application"] = cycle.summary(case)
        print_json(data)
        return 0
    if job:
        _print_status(job)
    if case is not None:
        _print_case(case)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="bırakma klasörünü izle (DIR/inbox), paketleri kuyruğa al")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--poll", action="store_true", help="inotify yerine yoklama (ağ paylaşımları)")
    p.add_argument("--with-worker", action="store_true", help="aynı anda bir işçi de başlat")
    p.add_argument("--concurrency", type=int, help="--with-worker işçisinin süreç sayısı")
    p.set_defaults(func=_cmd_watch)

    p = sub.add_parser("worker", help="kuyruktaki işleri işleyen Celery işçisi")
    p.add_argument("--concurrency", type=int, help="eşzamanlı iş sayısı (varsayılan: çekirdek sayısı)")
    p.add_argument("--loglevel", default="INFO")
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser("submit", help="bir paketi klasörsüz kuyruğa al (kopyalanır, taşınmaz)")
    p.add_argument("package", metavar="PACKAGE")
    p.add_argument("--dir", help="iş klasörleri (varsayılan: EVRAK_HOME)")
    p.add_argument("--wait", type=float, metavar="SN", help="bitmesini en çok SN saniye bekle")
    p.add_argument("--completes", metavar="JOB",
                   help="eksik evrak yazısına cevap: bu paket JOB işinin tamamlaması (yalnız eksikler "
                        "tamamlama.yaml ile ya da paketin tamamı)")
    p.set_defaults(func=_cmd_submit)

    p = sub.add_parser("jobs", help="işleri listele")
    p.add_argument("--json", action="store_true")
    p.add_argument("--state", metavar="S", help="/".join(STATES))
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--application", metavar="NO", help="yalnız bu başvurunun gönderimleri")
    p.set_defaults(func=_cmd_jobs)

    p = sub.add_parser("status", help="bir işin ya da bir başvurunun (numarasıyla) durumu ve çıktıları")
    p.add_argument("job", metavar="JOB|BAŞVURU_NO")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_status)
