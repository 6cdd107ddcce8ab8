"""CAdES: .imz / .p7s / .p7m containers, attached or detached, validated by pyHanko.

Turkish e-imza tools wrap the signed file in an attached CMS (.imz) and often put several
parallel signatures (one SignerInfo per signer) in it. Each SignerInfo is validated on its
own, as a detached signature over the extracted content (architecture.md: "a CAdES .imz is
validated by taking out the embedded content and validating the signature as detached
over it"). When the content is itself a PDF, its own PAdES signatures are validated too.
"""

from __future__ import annotations

import base64
import re

from asn1crypto import cms, core, pem
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

from .assess import WEAK_DIGESTS, apply_status, validate_with_fallbacks
from .pades import _error_text, validate_pdf
from .report import DocumentTimestampReport, SignatureReport
from .signer import identity_of, signer_certificate
from .trust import TrustMaterial, validation_context

MAX_SIGNER_INFOS = 20


def load_cms(data: bytes) -> cms.ContentInfo:
    """DER, PEM or bare base64 (some portals save .imz as text) into a SignedData ContentInfo."""
    raw = data
    if pem.detect(data):
        raw = pem.unarmor(data)[2]
    elif not data[:1] == b"\x30" and re.fullmatch(rb"[A-Za-z0-9+/=\s]+", data[:4096] or b"-"):
        raw = base64.b64decode(b"".join(data.split()), validate=True)
    # Some tools pad the DER to a block size with zero bytes; anything else trailing is refused.
    ci = cms.ContentInfo.load(raw.rstrip(b"\x00") if raw.endswith(b"\x00\x00") else raw, strict=True)
    if ci["content_type"].native != "signed_data":
        raise ValueError(f"CMS içeriği imzalı veri değil ({ci['content_type'].native})")
    _ = ci["content"]["signer_infos"]  # parse now, inside the caller's error handling
    return ci


def embedded_content(data: bytes) -> bytes | None:
    """The signed content inside an attached CMS, or None for a detached one."""
    sd = load_cms(data)["content"]
    content = sd["encap_content_info"]["content"]
    return None if content.native is None else bytes(content.native)


async def validate_cms(
    data: bytes,
    material: TrustMaterial,
    detached_content: bytes | None = None,
) -> tuple[list[SignatureReport], list[DocumentTimestampReport], bytes | None]:
    """Validate every SignerInfo of a CMS container; then the PDF inside, if it is one.

    Returns the signature reports (CMS ones first), the document timestamps of an inner
    PDF, and the content that was signed (None when detached and not given).
    """
    ci = load_cms(data)
    sd: cms.SignedData = ci["content"]
    eci = sd["encap_content_info"]
    attached = eci["content"].native
    content = bytes(attached) if attached is not None else detached_content

    reports: list[SignatureReport] = []
    for index, si in enumerate(list(sd["signer_infos"])[:MAX_SIGNER_INFOS]):
        rep = SignatureReport(kind="cades", container="imz", field_names=[f"SignerInfo#{index + 1}"])
        reports.append(rep)
        try:
            await _validate_signer_info(rep, sd, si, content, material)
        except Exception as exc:  # anything unexpected: cannot verify (D29), never valid
            rep.readable = False
            rep.error = _error_text(exc)
            rep.intact = rep.signature_valid = rep.trusted = None

    stamps: list[DocumentTimestampReport] = []
    if content is not None and content[:1024].lstrip().startswith(b"%PDF"):
        inner, stamps = await validate_pdf(content, material, container="imz-icindeki-pdf")
        reports.extend(inner)
    return reports, stamps, content


async def _validate_signer_info(
    rep: SignatureReport,
    sd: cms.SignedData,
    si: cms.SignerInfo,
    content: bytes | None,
    material: TrustMaterial,
) -> None:
    cert = signer_certificate(sd, si)
    if cert is not None:
        rep.signer = identity_of(cert)
    rep.digest_algorithm = si["digest_algorithm"]["algorithm"].native
    rep.weak_algorithm = rep.digest_algorithm in WEAK_DIGESTS
    rep.coverage = "ENTIRE_CONTENT"
    if content is None:
        # Detached and no content given: the signature value over the signed attributes can
        # still be checked, and the chain; integrity cannot.
        rep.readable = False
        rep.error = "ayrık imza: imzalanan içerik dosyası verilmedi, bütünlük denetlenemedi"
        if cert is not None:
            try:
                _, valid = validate_sig_integrity(si, cert, "data", b"")
                rep.signature_valid = valid
            except Exception:
                rep.signature_valid = None
        content = b""
    single = _single_signer(sd, si)
    signed = content
    try:
        status, strict = await validate_with_fallbacks(
            lambda vc: async_validate_detached_cms(signed, single, signer_validation_context=vc),
            lambda moment=None, soft=False: validation_context(material, moment=moment, soft=soft),
        )
    except SignatureValidationError as exc:
        rep.signature_valid = False
        rep.trusted = False
        rep.trust_problem = _error_text(exc)
        return
    readable, error, sv = rep.readable, rep.error, rep.signature_valid
    apply_status(rep, status, strict)
    if not readable:  # keep "cannot verify integrity" for the detached-without-content case
        rep.readable, rep.error, rep.intact, rep.signature_valid = False, error, None, sv


def _single_signer(sd: cms.SignedData, si: cms.SignerInfo) -> cms.SignedData:
    """A detached copy of `sd` holding only `si`: pyHanko validates exactly one SignerInfo,
    and a detached validation must not see encapsulated content."""
    fields = {
        "version": sd["version"],
        "digest_algorithms": sd["digest_algorithms"],
        "encap_content_info": {"content_type": sd["encap_content_info"]["content_type"]},
        "signer_infos": cms.SignerInfos([si]),
    }
    for optional in ("certificates", "crls"):
        if not isinstance(sd[optional], core.Void):
            fields[optional] = sd[optional]
    return cms.SignedData(fields)
