"""`evrak verify FILE [--kind KIND] [--json] [--trust DIR] [--crl FILE ...]`

Reads one uploaded document and prints its facts with their evidence and the document's own
findings (Turkish; JSON with --json). Signed files (.imz/.p7s/.p7m, or a PDF carrying a
signature) are also handed to the signature verifier when --trust names the trust anchors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evrak.errors import UserError
from worker.commands.common import print_json

SIGNED_SUFFIXES = {".imz", ".p7s", ".p7m"}


def is_signed(path: Path) -> bool:
    if path.suffix.lower() in SIGNED_SUFFIXES:
        return True
    if path.suffix.lower() == ".pdf":
        try:
            with path.open("rb") as fh:
                data = fh.read(50 * 1024 * 1024)
        except OSError:
            return False
        return b"/ByteRange" in data and b"/Sig" in data
    return False


def _signature_report(path: Path, trust: Path, crls: list[Path]) -> tuple[object | None, str | None]:
    """Verify the file's signatures; a verifier crash is reported, not fatal (D29)."""
    # lazy: pyHanko and the certificate stack cost about a second on every evrak command
    from verifiers.signatures import verify_signed_file

    try:
        report = verify_signed_file(path, trust_dir=trust, crl_files=tuple(crls), timeout_s=10)
    except Exception as exc:  # D29: a verifier crash is "cannot verify", never a traceback
        return None, f"imza doğrulanamadı ({type(exc).__name__}: {exc}); inceleme gerekir"
    return report, None


def run(args: argparse.Namespace) -> int:
    # lazy: the readers load pdfplumber, pypdfium2 and Tesseract bindings (slow for other commands)
    from verifiers.document import read_document
    from verifiers.kinds import KINDS

    path = Path(args.file)
    if not path.exists():
        raise UserError("dosya bulunamadı; yolu denetleyin", file=str(path))
    if not path.is_file():
        raise UserError("bir dosya değil", file=str(path))
    if args.kind and args.kind not in KINDS:
        raise UserError(f"bilinmeyen belge türü {args.kind!r}; geçerli türler: {', '.join(KINDS)}")
    trust = Path(args.trust) if args.trust else None
    if trust is not None and not trust.is_dir():
        raise UserError("güven deposu bir klasör olmalı", file=str(trust))
    crls = [Path(c) for c in args.crl or []]
    for c in crls:
        if not c.is_file():
            raise UserError("CRL dosyası bulunamadı", file=str(c))
    result = read_document(path, kind=args.kind, incentive_certificate=args.tesvik)
    sig_report, sig_note = None, None
    if trust is not None and is_signed(path):
        sig_report, sig_note = _signature_report(path, trust, crls)
    elif is_signed(path):
        sig_note = "imzalı dosya: imzayı denetlemek için --trust KLASÖR verin"
    if args.json:
        out = result.to_dict()
        if sig_report is not None:
            out["signature"] = sig_report.to_dict()
        if sig_note:
            out["signature_note"] = sig_note
        print_json(out)
    else:
        print(result.render_text())
        if sig_report is not None:
            print("İmza:")
            print(sig_report.render_text())
        if sig_note:
            print(f"Not: {sig_note}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="bir belgeyi oku: bilgiler, kanıtlar ve bulgular")
    p.add_argument("file", metavar="DOSYA", help="PDF, taranmış PDF/görüntü, e-Fatura XML veya .imz")
    p.add_argument("--kind", metavar="TÜR", help="belge türü (örn. proforma, imza_sirkuleri); yoksa içerikten")
    p.add_argument("--json", action="store_true", help="JSON çıktı")
    p.add_argument("--trust", metavar="KLASÖR", help="imza doğrulaması için güvenilen kök sertifikalar")
    p.add_argument("--crl", metavar="DOSYA", action="extend", nargs="+", default=[], help="iptal listeleri (CRL)")
    p.add_argument("--tesvik", action="store_true",
                   help="bütçe kalemi Yatırım Teşvik Belgesi kapsamında (KDV %%0 kabul)")
    p.set_defaults(func=run)
