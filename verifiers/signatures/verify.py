"""verify_signed_file: one signed file in, one report out — never a traceback, never a hang.

D29: whatever goes wrong while reading or validating (a malformed PDF, a CMS that makes
pyHanko trip an assertion, a file that sends a parser into a loop) ends as
SIGNATURE_UNREADABLE for a person to look at, never as a valid signature. Validation runs
in a worker thread with a time limit; a thread that overruns is abandoned (Python cannot
kill a thread) and the file is reported unreadable. Callers that must also bound CPU use
of such a runaway run the whole call in a worker process (the worker pool does).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from evrak.dates import aware
from evrak.facts import SignatureCircular
from evrak.findings import Evidence, Finding

from .assess import signature_findings
from .authority import check_authority, check_deadline, qc_limit_findings
from .cades import validate_cms
from .errors import detail_of, explain
from .pades import validate_pdf
from .report import SignedFileReport
from .trust import TrustMaterial, close_fetchers, load_trust, open_fetchers

# pyHanko logs validation problems as warnings with tracebacks; with no logging configured,
# Python's last-resort handler would print them to stderr. The report carries the problem.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

CMS_SUFFIXES = {".imz", ".p7s", ".p7m", ".p7", ".pkcs7", ".cms"}
MAX_FILE_BYTES = 200 * 1024 * 1024


def verify_signed_file(
    path: Path | str,
    *,
    trust_dir: Path | str,
    crl_files: Sequence[Path | str] = (),
    circular: SignatureCircular | None = None,
    deadline: datetime | None = None,
    amount: Decimal | None = None,
    timeout_s: float = 10,
    content_file: Path | str | None = None,
    online: bool = False,
) -> SignedFileReport:
    """Verify the e-signatures of a PDF (PAdES) or a CMS container (.imz/.p7s/.p7m).

    trust_dir: folder of PEM/DER root certificates, the only trust anchors.
    crl_files: CRLs (DER or PEM) used, with the PDF's own DSS data, for revocation.
    circular: the imza sirküleri facts; when given, authority is checked (D26, D28).
    deadline: the taahhütname deadline; when given, the proven signing time is checked (D24, D25).
    amount: the amount the document commits to; compared with QC and circular limits.
    content_file: the signed content for a detached .p7s/.imz.
    online: fetch OCSP/CRL from the addresses in the certificates (off by default).
    Raises TrustConfigError only for the caller's own configuration (missing trust folder
    or CRL file); everything about the signed file itself ends in the report.
    """
    path = Path(path)
    material = load_trust(trust_dir, crl_files)
    started = time.perf_counter()
    report = SignedFileReport(file=path.name, deadline=aware(deadline) if deadline else None)

    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = asyncio.run(_verify(path, material, report, content_file, online))
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"evrak-verify-{path.name}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        report = SignedFileReport(file=path.name, kind=report.kind, deadline=report.deadline)
        report.findings.append(
            Finding(
                "SIGNATURE_UNREADABLE",
                f"İmza doğrulaması {timeout_s:g} saniyede bitmedi; dosya incelenmeli",
                evidence=[Evidence(file=path.name)],
            )
        )
    elif "error" in box:
        error: BaseException = box["error"]  # type: ignore[assignment]
        report.signatures.clear()
        report.error_detail = detail_of(error)
        where = {"pdf": "PDF", "cades": "CMS (.imz/.p7s)"}.get(report.kind, "imza dosyası")
        report.findings.append(
            Finding(
                "SIGNATURE_UNREADABLE",
                f"Dosya ya da imza okunamadı (BELİRSİZ): {explain(error, where)}; kişi incelemeli",
                evidence=[Evidence(file=path.name)],
                refs=["D29"],
            )
        )
    else:
        _conclude(report, circular, deadline, amount)
    report.elapsed_ms = (time.perf_counter() - started) * 1000
    return report


async def _verify(
    path: Path, material: TrustMaterial, report: SignedFileReport, content_file: Path | str | None, online: bool
) -> None:
    open_fetchers.set([])
    try:
        await _verify_file(path, material, report, content_file, online)
    finally:
        await close_fetchers()


async def _verify_file(
    path: Path, material: TrustMaterial, report: SignedFileReport, content_file: Path | str | None, online: bool
) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise MemoryError(f"file too large ({size} bytes)")
    data = path.read_bytes()
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF") or (b"%PDF-" in data[:1024] and path.suffix.lower() == ".pdf"):
        report.kind = "pdf"
        sigs, stamps = await validate_pdf(data, material, online=online)
    elif path.suffix.lower() in CMS_SUFFIXES or data[:1] == b"\x30" or head.startswith(b"-----BEGIN"):
        report.kind = "cades"
        detached = Path(content_file).read_bytes() if content_file else None
        sigs, stamps, signed = await validate_cms(data, material, detached, online=online)
        report.content_file = Path(content_file).name if content_file else None
        if detached is not None and signed is not None and signed != detached:
            # an attached .imz whose content is not the file next to it: which one was signed?
            report.findings.append(
                Finding(
                    "SIGNATURE_UNREADABLE",
                    f"{path.name} içindeki imzalı belge yanındaki {report.content_file} ile aynı değil; "
                    "imzalanan belgenin hangisi olduğu incelenmeli",
                    evidence=[Evidence(file=path.name), Evidence(file=report.content_file)],
                    refs=["D24"],
                )
            )
    else:
        raise _NotSigned()
    report.signatures = sigs
    report.document_timestamps = stamps


class _NotSigned(ValueError):
    """Neither a PDF nor a CMS container."""


def _conclude(
    report: SignedFileReport,
    circular: SignatureCircular | None,
    deadline: datetime | None,
    amount: Decimal | None,
) -> None:
    """Per-signature findings, then authority and deadline over the signatures that count."""
    for sig in report.signatures:
        sig.findings = signature_findings(sig, report.file)
        report.findings.extend(sig.findings)
    if not report.signatures:
        report.findings.append(
            Finding(
                "SIGNATURE_MISSING",
                "Dosyada e-imza bulunamadı",
                evidence=[Evidence(file=report.file)],
                refs=["D24"],
            )
        )
        return
    counted = [s for s in report.signatures if s.cryptographically_ok]
    if circular is not None:
        outcome = check_authority(report.signatures, circular, report.file, amount)
        report.authority_satisfied = outcome.satisfied
        report.authority_summary = outcome.summary
        report.findings.extend(outcome.findings)
        counted = outcome.counted or counted
    elif amount is not None:
        for s in counted:
            report.findings.extend(qc_limit_findings(s, amount, report.file))
    if deadline is not None:
        report.findings.extend(check_deadline(counted, deadline, report.file))
