"""`evrak sozlesme kontrol KLASOR`: the contract-stage documents of one successful application
(verifiers/contract_stage.py), checked before the contract is signed."""

from __future__ import annotations

import argparse
from pathlib import Path

from verifiers.contract_stage import check_contract_stage
from worker.commands.common import arg_crls, arg_date, arg_trust, print_json


def _cmd_check(args: argparse.Namespace) -> int:
    crls = arg_crls(args.crl)
    result = check_contract_stage(Path(args.folder), as_of=arg_date(args.tarih, "--tarih") if args.tarih else None,
                                  trust_dir=arg_trust(args.trust), crl_files=crls)
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.render_text())
    return 0  # the verdict is in the output; 2 only for the user's mistakes (worker/cli.py)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sozlesme", help="sözleşme aşaması belgelerinin denetimi")
    inner = p.add_subparsers(dest="sozlesme_command", metavar="ALT_KOMUT")
    inner.required = True
    k = inner.add_parser("kontrol", help="sozlesme.yaml ve belgelerle sözleşme öncesi denetim")
    k.add_argument("folder", metavar="KLASOR", help="sozlesme.yaml ve belgelerin bulunduğu klasör")
    k.add_argument("--tarih", help="sözleşme tarihi sayılacak gün (YYYY-AA-GG; varsayılan bugün)")
    k.add_argument("--trust", help="güvenilir kök sertifika klasörü (EVRAK_TRUST_DIR)")
    k.add_argument("--crl", action="append", help="iptal listesi (CRL) dosyası; birden çok verilebilir")
    k.add_argument("--json", action="store_true", help="sonucu JSON olarak yaz")
    k.set_defaults(func=_cmd_check)
