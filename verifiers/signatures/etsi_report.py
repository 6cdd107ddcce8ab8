"""ETSI TS 119 102-2 signature validation report (XML) for one signed file.

EU tools (DSS, the validation services of the member states) read this report, so the
verifier writes one `SignatureValidationReport` per signature and counter-signature, with
its `SignatureIdentifier` (digest of the signed attributes and the signature value), the
`ValidationTimeInfo` (validation time, and the best signature time proven by a timestamp),
the `SignersDocument` digest, the signature attributes that were read, the signer and the
`SignatureValidationStatus` (main and sub-indication, EN 319 102-1, from etsi.py). Document
and archive timestamps and the signers' certificates are `ValidationObject`s; a timestamp
carries its own validation status.

The XML is built with pyHanko's generated bindings of the standard's schema
(pyhanko.generated.etsi.ts_11910202) and serialised by xsdata, so element names, order and
namespaces follow the schema rather than hand-written strings.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pyhanko.generated.etsi import ts_11910202 as vr
from pyhanko.generated.etsi import xades
from pyhanko.generated.w3c import xmldsig_core as ds
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.models.datatype import XmlDateTime

from evrak.dates import now

from .etsi import FAILED, INDETERMINATE, PASSED
from .report import DocumentTimestampReport, SignatureReport, SignedFileReport

NAMESPACES = {
    "vr": "http://uri.etsi.org/19102/v1.2.1#",
    "XAdES": "http://uri.etsi.org/01903/v1.3.2#",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
_MAIN = {
    PASSED: "urn:etsi:019102:mainindication:total-passed",
    FAILED: "urn:etsi:019102:mainindication:total-failed",
    INDETERMINATE: "urn:etsi:019102:mainindication:indeterminate",
}
_DIGEST_URI = {
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha224": "http://www.w3.org/2001/04/xmldsig-more#sha224",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
}
_VO = "urn:etsi:019102:validationObject:"


def validation_report_xml(report: SignedFileReport, validation_time: datetime | None = None) -> str:
    """The TS 119 102-2 report of `report` as an XML string (UTF-8 declaration included)."""
    when = validation_time or now()
    objects: dict[str, vr.ValidationObjectType] = {}
    reports = [
        _signature_report(i, sig, report, when, objects) for i, sig in enumerate(report.signatures, 1)
    ]
    for n, ts in enumerate(report.document_timestamps, 1):
        _timestamp_object(n, ts, when, objects)
    root = vr.ValidationReport(
        signature_validation_report=tuple(reports),
        signature_validation_objects=vr.ValidationObjectListType(tuple(objects.values())) if objects else None,
    )
    config = SerializerConfig(indent="  ")
    return XmlSerializer(config=config).render(root, ns_map=NAMESPACES)


def _signature_report(
    index: int,
    sig: SignatureReport,
    report: SignedFileReport,
    when: datetime,
    objects: dict[str, vr.ValidationObjectType],
) -> vr.SignatureValidationReportType:
    data = sig.evidence_data
    md = (data.get("md_algorithm") or sig.digest_algorithm or "sha256").lower().replace("-", "")
    cert_id = _certificate_object(data.get("signer_cert_der"), objects)
    signed_attrs = data.get("signed_attrs")
    identifier = vr.SignatureIdentifierType(
        id=f"SIG-{index}",
        digest_alg_and_value=_digest(md, signed_attrs) if signed_attrs else None,
        signature_value=ds.SignatureValue(value=data["signature_value"]) if data.get("signature_value") else None,
        hash_only=False,
        doc_hash_only=False,
        daidentifier=", ".join(sig.field_names) or None,
    )
    best = sig.proven_time
    time_info = vr.ValidationTimeInfoType(
        validation_time=XmlDateTime.from_datetime(when),
        best_signature_time=vr.POEType(
            poetime=XmlDateTime.from_datetime(best),
            type_of_proof="urn:etsi:019102:poetype:validation",
        )
        if best
        else None,
    )
    doc_digest = data.get("document_digest")
    signers_document = (
        vr.SignersDocumentType(
            digest_alg_and_value=xades.DigestAlgAndValueType(
                digest_method=ds.DigestMethod(algorithm=_DIGEST_URI.get(md, md)),
                digest_value=ds.DigestValue(value=doc_digest),
            )
        )
        if doc_digest
        else None
    )
    status = vr.ValidationStatusType(
        main_indication=_MAIN.get(sig.indication or INDETERMINATE, _MAIN[INDETERMINATE]),
        sub_indication=(f"urn:etsi:019102:subindication:{sig.sub_indication}",) if sig.sub_indication else (),
        associated_validation_report_data=_report_data(sig, cert_id),
    )
    return vr.SignatureValidationReportType(
        signature_identifier=identifier,
        validation_time_info=time_info,
        signers_document=signers_document,
        signature_attributes=_attributes(sig),
        signer_information=vr.SignerInformationType(
            signer_certificate=vr.VOReferenceType(voreference=(cert_id,)) if cert_id else None,
            signer=(sig.signer.name or sig.signer.common_name) if sig.signer else None,
        )
        if sig.signer or cert_id
        else None,
        signature_validation_process=vr.SignatureValidationProcessType(
            signature_validation_process_id="urn:etsi:019102:validationprocess:LTVM"
            if best
            else "urn:etsi:019102:validationprocess:Basic"
        ),
        signature_validation_status=status,
    )


def _attributes(sig: SignatureReport) -> vr.SignatureAttributesType | None:
    kwargs: dict = {}
    if sig.signing_time_claimed:
        kwargs["signing_time"] = (
            vr.SASigningTimeType(signed=True, time=XmlDateTime.from_datetime(sig.signing_time_claimed)),
        )
    if sig.timestamp_time and sig.timestamp_source == "signature_timestamp":
        kwargs["signature_time_stamp"] = (
            vr.SATimestampType(signed=False, time_stamp_value=XmlDateTime.from_datetime(sig.timestamp_time)),
        )
    if sig.timestamp_time and sig.timestamp_source == "document_timestamp":
        kwargs["doc_time_stamp"] = (
            vr.SATimestampType(signed=False, time_stamp_value=XmlDateTime.from_datetime(sig.timestamp_time)),
        )
    return vr.SignatureAttributesType(**kwargs) if kwargs else None


def _report_data(sig: SignatureReport, cert_id: str | None) -> tuple[vr.ValidationReportDataType, ...]:
    """Revocation of the signer's certificate, when known: the time it was revoked."""
    if sig.revoked_at is None or cert_id is None:
        return ()
    return (
        vr.ValidationReportDataType(
            revocation_status_information=vr.RevocationStatusInformationType(
                validation_object_id=vr.VOReferenceType(voreference=(cert_id,)),
                revocation_time=XmlDateTime.from_datetime(sig.revoked_at),
            )
        ),
    )


def _timestamp_object(
    n: int, ts: DocumentTimestampReport, when: datetime, objects: dict[str, vr.ValidationObjectType]
) -> None:
    """A document or archive timestamp: a validation object with its own POE and status."""
    data = ts.evidence_data
    tid = f"TST-{n}"
    objects[tid] = vr.ValidationObjectType(
        id=tid,
        object_type=f"{_VO}timestamp",
        validation_object_representation=vr.ValidationObjectRepresentationType(
            digest_alg_and_value=_digest("sha256", data["signature_value"]) if data.get("signature_value") else None,
            uri=None if data.get("signature_value") else f"urn:evrak:{ts.kind}:{ts.field_name}",
        ),
        poe=vr.POEType(poetime=XmlDateTime.from_datetime(ts.time), type_of_proof="urn:etsi:019102:poetype:validation")
        if ts.time
        else None,
        validation_report=vr.SignatureValidationReportType(
            validation_time_info=vr.ValidationTimeInfoType(validation_time=XmlDateTime.from_datetime(when)),
            signature_validation_status=vr.ValidationStatusType(
                main_indication=_MAIN.get(ts.indication or INDETERMINATE, _MAIN[INDETERMINATE]),
                sub_indication=(f"urn:etsi:019102:subindication:{ts.sub_indication}",) if ts.sub_indication else (),
            ),
        ),
    )


def _certificate_object(der: bytes | None, objects: dict[str, vr.ValidationObjectType]) -> str | None:
    if not der:
        return None
    cid = "CERT-" + hashlib.sha256(der).hexdigest()[:20].upper()
    if cid not in objects:
        objects[cid] = vr.ValidationObjectType(
            id=cid,
            object_type=f"{_VO}certificate",
            validation_object_representation=vr.ValidationObjectRepresentationType(base64=der),
        )
    return cid


def _digest(md: str, data: bytes) -> xades.DigestAlgAndValueType:
    algo = md if md in _DIGEST_URI else "sha256"
    return xades.DigestAlgAndValueType(
        digest_method=ds.DigestMethod(algorithm=_DIGEST_URI[algo]),
        digest_value=ds.DigestValue(value=hashlib.new(algo, data).digest()),
    )
