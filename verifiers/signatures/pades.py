"""PAdES: every distinct signature and document timestamp in a PDF, validated by pyHanko.

Why the care: a signature dictionary may be referenced from several fields (it is one
signature, counted once); one broken signature must not hide the others (each is
validated in its own try block); a document timestamp proves the time of every signature
in an earlier revision (D25); and D27 is applied on top of pyHanko's difference analysis
(changes.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from evrak.dates import aware

from .assess import WEAK_DIGESTS, apply_status, validate_with_fallbacks
from .changes import assess_changes
from .errors import detail_of, explain
from .etsi import judge_timestamp
from .report import DocumentTimestampReport, SignatureReport
from .revinfo import signer_info_material
from .signer import identity_of
from .trust import TrustMaterial, validation_context

MAX_SIGNATURES = 50  # more than any real taahhütname; bounds the work on hostile files


async def validate_pdf(
    data: bytes, material: TrustMaterial, container: str = "pdf", *, online: bool = False
) -> tuple[list[SignatureReport], list[DocumentTimestampReport]]:
    """Validate all signatures of a PDF given as bytes. Raises only when the PDF itself
    cannot be opened; a broken signature becomes a report with readable=False."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    groups = _distinct_signatures(reader)

    dss_certs, dss_crls, dss_ocsps = _dss_material(reader)

    def make_vc(
        moment: datetime | None = None, soft: bool = False, certs=(), crls=(), ocsps=()
    ) -> tuple[ValidationContext, bool]:
        return validation_context(
            material,
            other_certs=[*dss_certs, *certs],
            extra_crls=[*dss_crls, *crls],
            extra_ocsps=[*dss_ocsps, *ocsps],
            moment=moment,
            soft=soft,
            online=online,
        )

    vc, _ = make_vc()

    sig_reports: list[SignatureReport] = []
    ts_reports: list[DocumentTimestampReport] = []
    embedded: list[tuple[SignatureReport, EmbeddedPdfSignature | None]] = []
    for names, sig_field in groups[:MAX_SIGNATURES]:
        emb = None
        try:
            emb = EmbeddedPdfSignature(reader, sig_field, names[0])
            is_timestamp = emb.sig_object_type == "/DocTimeStamp"
        except Exception as exc:
            rep = SignatureReport(
                kind="pades",
                container=container,
                field_names=names,
                readable=False,
                error=explain(exc, "PDF imzası"),
                error_detail=detail_of(exc),
            )
            embedded.append((rep, None))
            continue
        if is_timestamp:
            ts_reports.append(await _validate_timestamp(emb, names[0], vc))
            continue
        rep = SignatureReport(kind="pades", container=container, field_names=names)
        embedded.append((rep, emb))

    revisions = [(e.signed_revision, set(r.field_names)) for r, e in embedded if e is not None]
    revisions += [(t.revision, {t.field_name}) for t in ts_reports if t.revision is not None]
    for rep, emb in embedded:
        if emb is None:
            sig_reports.append(rep)
            continue
        rep.revision = emb.signed_revision
        later = set()
        for rev, names in revisions:
            if rev > emb.signed_revision:
                later |= names
        await _validate_signature(rep, emb, reader, make_vc, later)
        sig_reports.append(rep)

    _prove_times_by_document_timestamps(sig_reports, ts_reports)
    return sig_reports, ts_reports


def _distinct_signatures(reader: PdfFileReader) -> list[tuple[list[str], generic.DictionaryObject]]:
    """Signature fields grouped by the signature dictionary they point at."""
    groups: dict[object, tuple[list[str], generic.DictionaryObject]] = {}
    order: list[object] = []
    for fq_name, sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        raw = sig_field.get_object().raw_get("/V")
        key = (
            (raw.reference.idnum, raw.reference.generation)
            if isinstance(raw, generic.IndirectObject)
            else ("direct", id(sig_obj))
        )
        if key in groups:
            groups[key][0].append(fq_name)
        else:
            groups[key] = ([fq_name], sig_field)
            order.append(key)
        if len(order) > MAX_SIGNATURES:
            break
    return [groups[k] for k in order]


def _dss_material(reader: PdfFileReader):
    """Certificates, CRLs and OCSP responses from the document security store, if any."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:
        return [], [], []
    certs, crls, ocsps = [], [], []
    try:
        certs = list(dss.load_certs())
    except Exception:
        certs = []
    for ref in getattr(dss, "crls", []) or []:
        try:
            crls.append(asn1_crl.CertificateList.load(ref.get_object().data))
        except Exception:
            continue
    for ref in getattr(dss, "ocsps", []) or []:
        try:
            ocsps.append(asn1_ocsp.OCSPResponse.load(ref.get_object().data))
        except Exception:
            continue
    return certs, crls, ocsps


async def _validate_timestamp(emb: EmbeddedPdfSignature, name: str, vc) -> DocumentTimestampReport:
    rep = DocumentTimestampReport(field_name=name, revision=emb.signed_revision)
    try:
        st = await async_validate_pdf_timestamp(emb, validation_context=vc)
        rep.time = aware(st.timestamp)
        rep.intact = bool(st.intact and st.valid)
        rep.trusted = bool(st.intact and st.valid and st.trusted)
    except Exception as exc:
        rep.error = explain(exc, "zaman damgası")
        rep.error_detail = detail_of(exc)
    _timestamp_evidence(rep, emb)
    judge_timestamp(rep)
    return rep


async def _validate_signature(
    rep: SignatureReport,
    emb: EmbeddedPdfSignature,
    reader: PdfFileReader,
    make_vc: Callable[..., tuple[ValidationContext, bool]],
    later_fields: set[str],
) -> None:
    try:
        rep.signer = identity_of(emb.signer_cert)
    except Exception:
        rep.signer = None
    try:
        rep.digest_algorithm = emb.md_algorithm
        rep.weak_algorithm = emb.md_algorithm in WEAK_DIGESTS
    except Exception:
        pass
    _signature_evidence(rep, emb)
    try:
        certs, crls, ocsps = signer_info_material(emb.signer_info)
    except Exception:
        certs, crls, ocsps = [], [], []
    if certs or crls or ocsps:  # revocation archived in the signature itself (Adobe, CAdES attributes)

        def make_vc_own(moment=None, soft=False, _base=make_vc):
            return _base(moment=moment, soft=soft, certs=certs, crls=crls, ocsps=ocsps)

        signature_vc = make_vc_own
    else:
        signature_vc = make_vc
    try:
        status, strict, outcome = await validate_with_fallbacks(
            lambda vc: async_validate_pdf_signature(emb, signer_validation_context=vc), signature_vc
        )
    except SignatureValidationError as exc:
        # pyHanko judged the signature itself wrong (bad attributes, banned algorithm ...)
        rep.signature_valid = False
        rep.trusted = False
        rep.trust_problem = explain(exc, "PDF imzası")
        rep.ades_hint = getattr(exc.ades_subindication, "name", None)
        rep.error_detail = detail_of(exc)
        return
    except Exception as exc:
        rep.readable = False
        rep.error = explain(exc, "PDF imzası")
        rep.error_detail = detail_of(exc)
        return
    apply_status(rep, status, strict, outcome)
    rep.coverage = status.coverage.name if status.coverage is not None else None
    rep.docmdp_ok = status.docmdp_ok
    verdict = assess_changes(reader, emb.signed_revision, status.coverage, status.diff_result, later_fields)
    rep.modified_after_signing = verdict.modified
    rep.modification_level = verdict.modification_level
    rep.changed_form_fields = verdict.changed_form_fields
    rep.changes_after_signing = verdict.forbidden
    rep.accepted_changes = verdict.accepted


def _prove_times_by_document_timestamps(
    sigs: Iterable[SignatureReport], stamps: list[DocumentTimestampReport]
) -> None:
    """D25: a trusted document timestamp in a later revision proves the signature existed then."""
    good = sorted(
        (t for t in stamps if t.trusted and t.time and t.revision is not None), key=lambda t: t.time
    )
    for sig in sigs:
        if sig.timestamp_trusted or sig.revision is None:
            continue
        for ts in good:
            if ts.revision > sig.revision:
                sig.timestamp_time = ts.time
                sig.timestamp_trusted = True
                sig.timestamp_source = "document_timestamp"
                break


def _timestamp_evidence(rep: SignatureReport | DocumentTimestampReport, emb: EmbeddedPdfSignature) -> None:
    """What the ETSI report identifies a signature or document timestamp by; best effort,
    never raises (a broken structure is already reported by the validation itself)."""
    try:
        si = emb.signer_info
        rep.evidence_data.update(
            signature_value=si["signature"].native,
            signed_attrs=si["signed_attrs"].untag().dump(),
            md_algorithm=emb.md_algorithm,
            signer_cert_der=emb.signer_cert.dump(),
        )
    except Exception:
        pass


def _signature_evidence(rep: SignatureReport, emb: EmbeddedPdfSignature) -> None:
    """The same as a document timestamp's, plus the digest of the signed revision."""
    _timestamp_evidence(rep, emb)
    try:
        rep.evidence_data["document_digest"] = emb.compute_digest()
    except Exception:
        pass
