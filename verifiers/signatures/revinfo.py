"""Revocation data and certificates carried inside a CMS: the SignedData `crls` field (CRLs
and, as RFC 5940 'other' entries, OCSP responses), the CAdES revocation-values and
certificate-values attributes, and Adobe's revocation archival signed attribute (how
Acrobat and many Turkish tools embed revocation in a PDF signature, PAdES-LT without a DSS).
Broken entries are skipped: they can only make a status undetermined, never valid.
"""

from __future__ import annotations

from asn1crypto import cms, core, ocsp, x509
from asn1crypto import crl as asn1_crl

MAX_SIGNER_INFOS = 20
_REVOCATION_VALUES = "1.2.840.113549.1.9.16.2.24"
_CERTIFICATE_VALUES = "1.2.840.113549.1.9.16.2.23"

Material = tuple[list[x509.Certificate], list[asn1_crl.CertificateList], list[ocsp.OCSPResponse]]


class _CrlList(core.SequenceOf):
    _child_spec = asn1_crl.CertificateList


class _BasicOcspList(core.SequenceOf):
    _child_spec = ocsp.BasicOCSPResponse


class _RevocationValues(core.Sequence):
    """CAdES RevocationValues (EN 319 122-1 5.5.2)."""

    _fields = [  # noqa: RUF012 (asn1crypto declares fields this way)
        ("crl_vals", _CrlList, {"explicit": 0, "optional": True}),
        ("ocsp_vals", _BasicOcspList, {"explicit": 1, "optional": True}),
        ("other_rev_vals", core.Any, {"explicit": 2, "optional": True}),
    ]


class _CertificateValues(core.SequenceOf):
    _child_spec = x509.Certificate


def cms_validation_material(
    sd: cms.SignedData,
) -> tuple[list[x509.Certificate], list[asn1_crl.CertificateList], list[ocsp.OCSPResponse]]:
    """Certificates, CRLs and OCSP responses carried by the CMS; broken entries are skipped."""
    certs: list[x509.Certificate] = []
    crls: list[asn1_crl.CertificateList] = []
    ocsps: list[ocsp.OCSPResponse] = []
    try:
        for choice in sd["certificates"] or []:
            if choice.name == "certificate":
                certs.append(choice.chosen)
    except Exception:
        pass
    try:
        for choice in sd["crls"] or []:
            if choice.name == "crl":
                crls.append(choice.chosen)
            elif choice.name == "other" and choice.chosen["other_rev_info_format"].native == "ocsp_response":
                ocsps.append(choice.chosen["other_rev_info"])
    except Exception:
        pass
    for si in list(sd["signer_infos"])[:MAX_SIGNER_INFOS]:
        more = signer_info_material(si)
        certs += more[0]
        crls += more[1]
        ocsps += more[2]
    return certs, crls, ocsps


def signer_info_material(si: cms.SignerInfo) -> Material:
    """Certificates, CRLs and OCSP responses in one SignerInfo's attributes."""
    certs: list[x509.Certificate] = []
    crls: list[asn1_crl.CertificateList] = []
    ocsps: list[ocsp.OCSPResponse] = []
    for attrs_key in ("signed_attrs", "unsigned_attrs"):
        try:
            attrs = si[attrs_key]
            if isinstance(attrs, core.Void):
                continue
            for attr in attrs:
                _collect_attr(attr, certs, crls, ocsps)
        except Exception:
            continue
    return certs, crls, ocsps


def _collect_attr(attr: cms.CMSAttribute, certs: list, crls: list, ocsps: list) -> None:
    oid = attr["type"].dotted
    name = attr["type"].native
    for value in attr["values"]:
        try:
            if oid == _REVOCATION_VALUES:
                rv = _RevocationValues.load(value.dump())
                crls.extend(rv["crl_vals"] or [])
                for basic in rv["ocsp_vals"] or []:
                    ocsps.append(_wrap_basic(basic))
            elif oid == _CERTIFICATE_VALUES:
                certs.extend(_CertificateValues.load(value.dump()))
            elif name == "adobe_revocation_info_archival":
                parsed = value.parsed if hasattr(value, "parsed") else value
                crls.extend(parsed["crl"] or [])
                ocsps.extend(parsed["ocsp"] or [])
        except Exception:
            continue


def _wrap_basic(basic: ocsp.BasicOCSPResponse) -> ocsp.OCSPResponse:
    return ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
        }
    )


