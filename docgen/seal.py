"""PAdES seal of a generated PDF with the agency's certificate (PKCS#12), optionally timestamped.

The seal is an incremental update, so the PDF/A content LibreOffice wrote stays byte for
byte what it was; a configured TSA adds a signature timestamp (PAdES B-T), which is what
proves when the agency issued the document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from evrak.errors import UserError


@dataclass(frozen=True)
class SealConfig:
    p12: Path
    password: bytes | None = None
    tsa_url: str | None = None
    field_name: str = "AjansMuhru"
    reason: str = "Ajans tarafından üretilen belge"
    location: str | None = None


def load_signer(cfg: SealConfig):
    """The pyHanko signer of the agency's PKCS#12; a wrong file or password is a user error."""
    from pyhanko.sign import signers

    if not Path(cfg.p12).is_file():
        raise UserError("mühür dosyası (PKCS#12) bulunamadı", file=str(cfg.p12))
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(cfg.p12), passphrase=cfg.password)
    except (ValueError, OSError) as exc:
        raise UserError(f"mühür dosyası açılamadı (parola?): {exc}", file=str(cfg.p12)) from exc
    if signer is None:
        raise UserError("mühür dosyası açılamadı (parola yanlış olabilir)", file=str(cfg.p12))
    return signer


def seal_pdf(data: bytes, cfg: SealConfig, signer=None) -> bytes:
    """Return `data` with a PAdES signature of the agency appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps import HTTPTimeStamper

    signer = signer or load_signer(cfg)
    meta = signers.PdfSignatureMetadata(
        field_name=cfg.field_name,
        md_algorithm="sha256",
        reason=cfg.reason,
        location=cfg.location,
        subfilter=SigSeedSubFilter.PADES,
    )
    timestamper = HTTPTimeStamper(cfg.tsa_url, timeout=15) if cfg.tsa_url else None
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer)
    return out.getvalue()
