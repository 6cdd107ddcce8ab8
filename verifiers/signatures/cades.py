"""CAdES: .imz / .p7s / .p7m containers in DER or BER, attached, detached or enveloping.

Turkish e-imza tools wrap the signed file in an attached CMS (.imz), often with several
parallel signatures (one SignerInfo per signer) and serial ones (a counter-signature in the
unsigned attributes of the signature it signs). Each SignerInfo is validated on its own, as
a detached signature over the content (architecture.md: "a CAdES .imz is validated by
taking out the embedded content and validating the signature as detached over it"); each
counter-signature on its own too (countersign.py), and each archive timestamp. When the
content is itself a PDF, its own PAdES signatures are validated as well.

BER: some tools write the CMS with indefinite lengths (30 80 ... 00 00) and the content as a
constructed OCTET STRING; asn1crypto reads both. The trailing 00 00 of an indefinite length
is its end-of-contents marker, not padding: only zero bytes after a complete structure are
padding and are dropped.

Revocation data carried by the CMS itself (the SignedData `crls` field with CRLs and OCSP
responses, the CAdES revocation-values and certificate-values attributes, Adobe's
revocation archival attribute) is used alongside the trust folder's.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import datetime

from asn1crypto import cms, core, pem, x509
from asn1crypto import parser as asn1_parser
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity, validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from evrak.dates import aware

from .assess import WEAK_DIGESTS, apply_status, validate_with_fallbacks
from .countersign import format_problems, token_trusted, validate_counter_signature
from .errors import detail_of, explain
from .etsi import judge_timestamp
from .pades import validate_pdf
from .report import DocumentTimestampReport, SignatureReport
from .revinfo import cms_validation_material
from .signer import identity_of, signer_certificate
from .trust import TrustMaterial, validation_context

MAX_SIGNER_INFOS = 20
MAX_COUNTER_DEPTH = 3  # counter-signature of a counter-signature of ...; more is hostile
MAX_COUNTER_SIGNATURES = 40

_ARCHIVE_TS_OIDS = {"0.4.0.1733.2.4": "archive-time-stamp-v3", "1.2.840.113549.1.9.16.2.48": "archive-time-stamp-v2"}


def load_cms(data: bytes) -> cms.ContentInfo:
    """DER, BER, PEM or bare base64 (some portals save .imz as text) into a SignedData."""
    raw = data
    if pem.detect(data):
        raw = pem.unarmor(data)[2]
    elif not data[:1] == b"\x30" and re.fullmatch(rb"[A-Za-z0-9+/=\s]+", data[:4096] or b"-"):
        raw = base64.b64decode(b"".join(data.split()), validate=True)
    raw = _drop_padding(raw)
    ci = cms.ContentInfo.load(raw, strict=True)
    if ci["content_type"].native != "signed_data":
        raise ValueError(f"CMS content is not signed data ({ci['content_type'].native})")
    sd = ci["content"]
    _ = sd["signer_infos"]  # parse now, inside the caller's error handling
    _ = sd["encap_content_info"]["content"]
    return ci


def _drop_padding(raw: bytes) -> bytes:
    """Zero bytes after one complete (DER or BER) structure are block padding; the 00 00 that
    closes an indefinite length belongs to the structure and stays."""
    if not raw.endswith(b"\x00"):
        return raw
    try:
        _, _, _, header, contents, trailer = asn1_parser.parse(raw)  # the first complete value
    except Exception:
        return raw
    end = len(header) + len(contents) + len(trailer)
    rest = raw[end:]
    return raw[:end] if rest and not rest.strip(b"\x00") else raw


def embedded_content(data: bytes) -> bytes | None:
    """The signed content inside an attached CMS, or None for a detached one."""
    sd = load_cms(data)["content"]
    return _content_of(sd)


def _content_of(sd: cms.SignedData) -> bytes | None:
    content = sd["encap_content_info"]["content"]
    if isinstance(content, core.Void) or content.native is None:
        return None
    value = content.native
    return bytes(value) if isinstance(value, bytes | bytearray) else content.contents


async def validate_cms(
    data: bytes,
    material: TrustMaterial,
    detached_content: bytes | None = None,
    *,
    online: bool = False,
) -> tuple[list[SignatureReport], list[DocumentTimestampReport], bytes | None]:
    """Validate every SignerInfo of a CMS container, its counter-signatures and archive
    timestamps; then the PDF inside, if it is one.

    Returns the signature reports (CMS ones first, each counter-signature after the
    signature it signs), the timestamps (archive ones, then an inner PDF's document
    timestamps), and the content that was signed (None when detached and not given).
    """
    ci = load_cms(data)
    sd: cms.SignedData = ci["content"]
    attached = _content_of(sd)
    content = attached if attached is not None else detached_content
    extra_certs, crls, ocsps = cms_validation_material(sd)

    def make_vc(moment: datetime | None = None, soft: bool = False) -> tuple[ValidationContext, bool]:
        return validation_context(
            material,
            other_certs=extra_certs,
            extra_crls=crls,
            extra_ocsps=ocsps,
            moment=moment,
            soft=soft,
            online=online,
        )

    reports: list[SignatureReport] = []
    stamps: list[DocumentTimestampReport] = []
    for index, si in enumerate(list(sd["signer_infos"])[:MAX_SIGNER_INFOS]):
        rep = SignatureReport(kind="cades", container="imz", field_names=[f"SignerInfo#{index + 1}"])
        reports.append(rep)
        position = len(reports)
        try:
            await _validate_signer_info(rep, sd, si, content, make_vc, extra_certs)
        except Exception as exc:  # anything unexpected: cannot verify (D29), never valid
            rep.readable = False
            rep.error = explain(exc, "CMS imzası")
            rep.error_detail = detail_of(exc)
            rep.intact = rep.signature_valid = rep.trusted = None
        await _counter_signatures(si, sd, position, f"SignerInfo#{index + 1}", reports, make_vc, extra_certs, 1)
        stamps.extend(await _archive_timestamps(si, position, make_vc))

    if content is not None and content[:1024].lstrip().startswith(b"%PDF"):
        inner, inner_stamps = await validate_pdf(content, material, container="imz-icindeki-pdf", online=online)
        reports.extend(inner)
        stamps.extend(inner_stamps)
    return reports, stamps, content


async def _validate_signer_info(
    rep: SignatureReport,
    sd: cms.SignedData,
    si: cms.SignerInfo,
    content: bytes | None,
    make_vc: Callable[..., tuple[ValidationContext, bool]],
    extra_certs: list[x509.Certificate],
) -> None:
    cert = signer_certificate(sd, si, extra_certs)
    if cert is not None:
        rep.signer = identity_of(cert)
    rep.digest_algorithm = si["digest_algorithm"]["algorithm"].native
    rep.weak_algorithm = rep.digest_algorithm in WEAK_DIGESTS
    rep.coverage = "ENTIRE_CONTENT"
    rep.evidence_data.update(
        signature_value=si["signature"].native,
        md_algorithm=rep.digest_algorithm,
    )
    if not isinstance(si["signed_attrs"], core.Void):
        rep.evidence_data["signed_attrs"] = si["signed_attrs"].untag().dump()
    if cert is not None:
        rep.evidence_data["signer_cert_der"] = cert.dump()
    problems = format_problems(si)
    if problems:
        rep.format_problem = "; ".join(problems)
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
    else:
        try:
            rep.evidence_data["document_digest"] = hashlib.new(rep.digest_algorithm, content).digest()
        except Exception:
            pass
    single = _single_signer(sd, si)
    signed = content
    try:
        status, strict, outcome = await validate_with_fallbacks(
            lambda vc: async_validate_detached_cms(signed, single, signer_validation_context=vc), make_vc
        )
    except SignatureValidationError as exc:
        rep.signature_valid = False
        rep.trusted = False
        rep.trust_problem = explain(exc, "CMS imzası")
        rep.ades_hint = getattr(exc.ades_subindication, "name", None)
        rep.error_detail = detail_of(exc)
        return
    readable, error, sv = rep.readable, rep.error, rep.signature_valid
    apply_status(rep, status, strict, outcome)
    if not readable:  # keep "cannot verify integrity" for the detached-without-content case
        rep.readable, rep.error, rep.intact, rep.signature_valid = False, error, None, sv


async def _counter_signatures(
    si: cms.SignerInfo,
    sd: cms.SignedData,
    parent_position: int,
    parent_name: str,
    reports: list[SignatureReport],
    make_vc: Callable[..., tuple[ValidationContext, bool]],
    extra_certs: list[x509.Certificate],
    depth: int,
) -> None:
    """Every counter-signature (unsigned attribute counterSignature) as its own report,
    right after the signature it signs; nested ones too, to a bounded depth."""
    if depth > MAX_COUNTER_DEPTH:
        return
    try:
        attrs = si["unsigned_attrs"]
        counters = [] if isinstance(attrs, core.Void) else [
            c for a in attrs if a["type"].native == "counter_signature" for c in a["values"]
        ]
    except Exception as exc:
        rep = SignatureReport(kind="cades", container="imz", role="counter_signature", parent=parent_position,
                              field_names=[f"{parent_name}/karşı-imza"], readable=False,
                              error=explain(exc, "karşı imza"), error_detail=detail_of(exc))
        reports.append(rep)
        return
    for n, csi in enumerate(counters, 1):
        if sum(r.role == "counter_signature" for r in reports) >= MAX_COUNTER_SIGNATURES:
            return
        name = f"{parent_name}/KarşıImza#{n}"
        rep = SignatureReport(kind="cades", container="imz", role="counter_signature", parent=parent_position,
                              field_names=[name])
        reports.append(rep)
        position = len(reports)
        try:
            await validate_counter_signature(rep, si, csi, sd, make_vc, extra_certs)
        except Exception as exc:
            rep.readable = False
            rep.error = explain(exc, "karşı imza")
            rep.error_detail = detail_of(exc)
            rep.intact = rep.signature_valid = rep.trusted = None
        await _counter_signatures(csi, sd, position, name, reports, make_vc, extra_certs, depth + 1)


async def _archive_timestamps(
    si: cms.SignerInfo, parent_position: int, make_vc: Callable[..., tuple[ValidationContext, bool]]
) -> list[DocumentTimestampReport]:
    """CAdES-A archive timestamps: each token validated (TSA signature, chain). Their message
    imprint (over the whole signature with its validation data, ATSHashIndex) is not
    recomputed, so they are reported but never used as the proof of a signing time."""
    out: list[DocumentTimestampReport] = []
    try:
        attrs = si["unsigned_attrs"]
        if isinstance(attrs, core.Void):
            return out
        found = [(a["type"].dotted, v) for a in attrs if a["type"].dotted in _ARCHIVE_TS_OIDS for v in a["values"]]
    except Exception:
        return out
    for n, (oid, value) in enumerate(found[:10], 1):
        ts = DocumentTimestampReport(
            field_name=f"SignerInfo#{parent_position}/{_ARCHIVE_TS_OIDS[oid]}#{n}",
            kind="archive_timestamp",
            parent=parent_position,
        )
        try:
            token = cms.ContentInfo.load(value.dump())
            tst_sd = token["content"]
            imprint = tst_sd["encap_content_info"]["content"].parsed["message_imprint"]["hashed_message"].native
            vc, _ = make_vc(soft=True)
            kwargs = await validate_tst_signed_data(tst_sd, vc, lambda _algo, imprint=imprint: imprint)
            ts.time = aware(kwargs["timestamp"])
            ts.intact = bool(kwargs.get("intact") and kwargs.get("valid"))
            ts.trusted = bool(ts.intact and token_trusted(kwargs))
            ts.error = "arşiv zaman damgasının kapsamı (özet) yeniden hesaplanmadı; yalnız damga denetlendi"
        except Exception as exc:
            ts.error = explain(exc, "arşiv zaman damgası")
            ts.error_detail = detail_of(exc)
        judge_timestamp(ts)
        out.append(ts)
    return out


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
