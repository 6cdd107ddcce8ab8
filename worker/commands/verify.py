"""`evrak verify FILE [--kind KIND] [--json] [--trust DIR] [--crl FILE ...] [--content FILE]
[--report-xml FILE] [--online]`

Reads one uploaded document and prints its facts with their evidence and the document's own
findings (Turkish; JSON with --json). Signed files (.imz/.p7s/.p7m, or a PDF carrying a
signature) are also handed to the signature verifier when --trust names the trust anchors:
--content gives the signed file of a detached signature (x.pdf for x.pdf.p7s), --report-xml
writes the ETSI TS 119 102-2 validation report that EU tools read, --online lets the verifier
ask the OCSP responders named in the certificates.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evrak.errors import UserError
from worker.commands.common import arg_crls, print_json

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


def _signature_report(
    path: Path, trust: Path, crls: list[Path], content: Path | None, online: bool
) -> tuple[object | None, str | None]:
    """Verify the file's signatures; a verifier crash is reported, not fatal (D29)."""
    # lazy: pyHanko and the certificate stack cost about a second on every evrak command
    from verifiers.signatures.trust import TrustConfigError
    from verifiers.signatures.verify import verify_signed_file

    try:
        report = verify_signed_file(
            path, trust_dir=trust, crl_files=tuple(crls), timeout_s=10, content_file=content, online=online
        )
    except TrustConfigError as exc:  # the caller's own trust folder or CRL: exit 2 with its message
        raise UserError(str(exc)) from exc
    except Exception:  # D29: a verifier crash is "cannot verify", never a traceback
        return None, "imza doğrulanamadı (doğrulayıcıda beklenmeyen hata); inceleme gerekir"
    return report, None


def _write_report_xml(report: object, target: Path) -> None:
    """The ETSI TS 119 102-2 validation report of `report`, written to `target`."""
    # lazy: xsdata and the generated ETSI bindings load only when a report is asked for
    from verifiers.signatures.etsi_report import validation_report_xml

    try:
        target.write_text(validation_report_xml(report), encoding="utf-8")  # type: ignore[arg-type]
    except OSError as exc:
        raise UserError(f"doğrulama raporu yazılamadı ({exc.strerror})", file=str(target)) from exc


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
    crls = list(arg_crls(args.crl))
    content = Path(args.content) if args.content else None
    if content is not None and not content.is_file():
        raise UserError("imzalanan içerik dosyası (--content) bulunamadı", file=str(content))
    if content is not None and path.suffix.lower() not in SIGNED_SUFFIXES:
        raise UserError("--content yalnız ayrık imza dosyasıyla (.p7s/.imz/.p7m) verilir", file=str(path))
    report_xml = Path(args.report_xml) if args.report_xml else None
    if report_xml is not None and (trust is None or not is_signed(path)):
        raise UserError("--report-xml için imzalı bir dosya ve --trust KLASÖR gerekir", file=str(path))
    # the facts are read from the signed content itself when it is given
    result = read_document(content or path, kind=args.kind, incentive_certificate=args.tesvik)
    sig_report, sig_note = None, None
    if trust is not None and is_signed(path):
        sig_report, sig_note = _signature_report(path, trust, crls, content, args.online)
    elif is_signed(path):
        sig_note = "imzalı dosya: imzayı denetlemek için --trust KLASÖR verin"
    if report_xml is not None and sig_report is not None:
        _write_report_xml(sig_report, report_xml)
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
    p.add_argument("--content", metavar="DOSYA",
                   help="ayrık imzanın (.p7s/.imz) imzaladığı dosya, örn. x.pdf.p7s için x.pdf")
    p.add_argument("--report-xml", metavar="DOSYA",
                   help="ETSI TS 119 102-2 imza doğrulama raporunu (XML) bu dosyaya yaz")
    p.add_argument("--online", action="store_true",
                   help="iptal durumunu sertifikadaki OCSP/SİL adreslerinden çevrimiçi sor")
    p.add_argument("--tesvik", action="store_true",
                   help="bütçe kalemi Yatırım Teşvik Belgesi kapsamında (KDV %%0 kabul)")
    p.set_defaults(func=run)
