"""`evrak receipt JOB`: the Alındı Belgesi of a recorded submission (worker/receipts.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from evrak.errors import UserError
from worker.commands.common import print_json
from worker.store import get_store


def _cmd_receipt(args: argparse.Namespace) -> int:
    # lazy: the receipt opens the stored package (the readers), which other commands do not need
    from worker.receipts import build_receipt, manifest_of

    job = get_store().resolve(args.job)
    if job.kind != "prescreen":
        raise UserError(f"iş {job.id} bir başvuru paketi değil ({job.kind}); alındı belgesi başvurular içindir")
    receipt = build_receipt(job, manifest_of(job))
    if args.json:
        print_json(receipt.to_dict())
        return 0
    text = receipt.text()
    if args.out:
        out = Path(args.out)
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"yazılamadı: {exc.strerror}", file=str(out)) from exc
        print(f"alındı belgesi: {out}")
    else:
        print(text, end="")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("receipt", help="bir gönderimin alındı belgesi (tarih, saat, referans no)")
    p.add_argument("job", metavar="JOB", help="iş kimliği ya da önek")
    p.add_argument("--out", metavar="DOSYA", help="belgeyi bu dosyaya yaz (yazdırılıp imzalanır)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_receipt)
