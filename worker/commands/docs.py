"""`evrak render`, `evrak batch`, `evrak templates check`: the agency's documents (docgen)."""

from __future__ import annotations

import argparse
import os
import zipfile
from datetime import date
from pathlib import Path

from docgen.batch import run_batch
from docgen.check import check_all
from docgen.context import KINDS, RESULTS, Application, Missing, Reason, Signer, build_context
from docgen.render import render_document
from docgen.seal import SealConfig
from evrak.dates import now
from evrak.errors import UserError
from evrak.identifiers import digits
from evrak.manifest import load_manifest
from evrak.profiles import load_profile
from worker.commands.common import arg_date


def _signers(values: list[str] | None) -> list[Signer]:
    out = []
    for v in values or []:
        name, _, rest = v.partition(":")
        tckn, _, title = rest.partition(":")
        if not name.strip():
            raise UserError(f"--signer 'Ad Soyad:TCKN:Unvan' biçiminde olmalı: {v!r}")
        out.append(Signer(name.strip(), digits(tckn), title.strip() or "Yetkili"))
    return out


def _cmd_render(args: argparse.Namespace) -> int:
    manifest = load_manifest(Path(args.application))
    program = load_profile(manifest.program)
    doc_date = arg_date(args.date, "--date") if args.date else None
    if doc_date is None:
        doc_date = now().date()
    contract_date = arg_date(args.contract_date, "--contract-date") if args.contract_date else None
    app = Application.from_manifest(manifest, _signers(args.signer), contract_date)
    reasons = [Reason(c.strip()) for c in (args.reasons or "").split(",") if c.strip()]
    missing = [Missing(k.strip()) for k in (args.missing or "").split(",") if k.strip()]
    ctx = build_context(args.kind, program, app, doc_date=doc_date, result=args.result, reasons=reasons,
                        missing=missing, special_conditions=args.condition)
    seal = None
    if args.seal:
        if not args.pdf:
            raise UserError("--seal yalnızca --pdf ile kullanılır")
        pw = args.seal_password if args.seal_password is not None else os.environ.get("EVRAK_SEAL_PASSWORD")
        seal = SealConfig(Path(args.seal), pw.encode() if pw else None, tsa_url=args.tsa)
    out = Path(args.out)
    rendered = render_document(args.kind, ctx, out, pdf=args.pdf, seal=seal)
    print(rendered.docx)
    if rendered.pdf:
        print(rendered.pdf)
    if args.kind == "geri_odeme_plani":
        # lazy: openpyxl costs about 0.4 s on every evrak command otherwise
        from docgen.xlsx import write_schedule_xlsx

        print(write_schedule_xlsx(ctx, rendered.docx.with_suffix(".xlsx")))
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    doc_date = arg_date(args.date, "--date") if args.date else None
    if args.queue:
        if args.zip:
            raise UserError("--zip ile --queue birlikte kullanılamaz; parçalar bitince klasörü paketleyin")
        return _queue_batch(args, doc_date)
    if args.chunk_rows is not None:
        raise UserError("--chunk-rows yalnızca --queue ile kullanılır")
    res = run_batch(args.kind, Path(args.input), args.program, Path(args.out), pdf=args.pdf,
                    workers=args.workers, doc_date=doc_date, result=args.result, progress=True)
    print(f"üretilen: {res.done}, atlanan (zaten güncel): {res.skipped}, hatalı satır: {len(res.errors)}"
          f" -> {Path(args.out) / 'errors.csv'}")
    if args.zip:
        target = Path(args.out).with_suffix(".zip")
        names = sorted(p for p in Path(args.out).iterdir() if p.is_file() and not p.name.startswith("."))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in names:
                zi = zipfile.ZipInfo(p.name, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(zi, p.read_bytes())
        print(target)
    return 1 if res.errors and not res.done and not res.skipped else 0


def _queue_batch(args: argparse.Namespace, doc_date: date | None) -> int:
    # lazy: the job store, broker and Celery are loaded only when a batch is queued
    from worker.batch_queue import DEFAULT_CHUNK_ROWS, queue_batch

    jobs = queue_batch(args.kind, Path(args.input), args.program, Path(args.out), pdf=bool(args.pdf),
                       doc_date=doc_date, result=args.result,
                       chunk_rows=DEFAULT_CHUNK_ROWS if args.chunk_rows is None else args.chunk_rows)
    fresh = [j for j in jobs if j.state != "duplicate"]
    print(f"{len(fresh)} parça kuyruğa alındı ({len(jobs) - len(fresh)} yinelenen atlandı) -> {args.out}/part-*")
    for j in jobs:
        print(f"  iş {j.id}  {j.params.get('rows', j.input_name)}  {j.state}")
    return 0


def _cmd_templates_check(args: argparse.Namespace) -> int:
    results = check_all()
    bad = [r for r in results if r.problems]
    for r in results:
        status = "HATA" if r.problems else "tamam"
        print(f"{status:5} {r.template} ({r.cases} durum)")
        for p in r.problems:
            print(f"      - {p}")
    if bad:
        raise UserError(f"{len(bad)} şablonda sorun var")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="bir başvuru için belge üret (DOCX, istenirse PDF/A)")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--application", required=True, help="basvuru.yaml ya da paket klasörü")
    p.add_argument("--out", default=".", help="çıktı klasörü")
    p.add_argument("--pdf", action="store_true", help="PDF/A-2b de üret")
    p.add_argument("--seal", help="ajans mührü (PKCS#12) ile PAdES mühürle")
    p.add_argument("--seal-password", help="PKCS#12 parolası (ya da EVRAK_SEAL_PASSWORD)")
    p.add_argument("--tsa", help="zaman damgası sunucusu (RFC 3161) adresi")
    p.add_argument("--result", choices=RESULTS, help="sonuç yazısı türü")
    p.add_argument("--reasons", help="red gerekçesi kodları, virgülle (programın listesinden)")
    p.add_argument("--missing", help="eksik belge türleri ya da EK kodları, virgülle")
    p.add_argument("--signer", action="append", help="'Ad Soyad:TCKN:Unvan' (birden çok verilebilir)")
    p.add_argument("--condition", action="append", help="sözleşme özel koşulu (birden çok verilebilir)")
    p.add_argument("--date", help="belge tarihi YYYY-AA-GG (varsayılan: bugün)")
    p.add_argument("--contract-date", help="sözleşmenin son imza tarihi YYYY-AA-GG")
    p.set_defaults(func=_cmd_render)

    b = sub.add_parser("batch", help="KAYS dışa aktarımından toplu belge üret")
    b.add_argument("kind", choices=KINDS)
    b.add_argument("--input", required=True, help="KAYS dışa aktarımı (.xlsx/.csv) ya da bunların klasörü")
    b.add_argument("--program", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--pdf", action="store_true")
    b.add_argument("--workers", type=int, default=None, help="paralel işçi sayısı (varsayılan: çekirdek)")
    b.add_argument("--zip", action="store_true", help="çıktı klasörünü ayrıca .zip olarak paketle")
    b.add_argument("--result", choices=RESULTS)
    b.add_argument("--date", help="belge tarihi YYYY-AA-GG")
    b.add_argument("--queue", action="store_true", help="parçalara böl ve işçilere kuyrukla (evrak worker gerekir)")
    b.add_argument("--chunk-rows", type=int, default=None,
                   help="--queue ile bir işteki satır sayısı (varsayılan 25)")
    b.set_defaults(func=_cmd_batch)

    t = sub.add_parser("templates", help="şablon işlemleri")
    tsub = t.add_subparsers(dest="templates_command", metavar="İŞLEM")
    tsub.required = True
    c = tsub.add_parser("check", help="her şablonu zararlı verilerle işle ve kayıp ara")
    c.set_defaults(func=_cmd_templates_check)
