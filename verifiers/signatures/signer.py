"""Certificate identity: who signed, by TCKN or VKN, and what the certificate allows.

Turkish qualified certificates put the TCKN in the subject serialNumber, either bare
("12345678901") or with a prefix ("TCKN12345678901", the ETSI forms "IDCTR-..." and
"PNOTR-..."). A company e-seal (mali mühür) carries the VKN (serialNumber or the ETSI
organizationIdentifier "VATTR-...") and no TCKN (D28). The identity is read from the
certificate alone, before and independently of any validation, so that even a signature
that fails validation still tells staff who it claims to be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from asn1crypto import cms, x509
from pyhanko.sign.ades import qualified_asn1

from evrak.dates import aware
from evrak.identifiers import is_valid_tckn, is_valid_vkn

from .report import SignerIdentity

# Prefixes seen in subject serialNumber / organizationIdentifier before the digits.
_TCKN_RE = re.compile(r"^(?:TCKN|TC|TCKIMLIKNO|IDCTR-?|PNOTR-?|TINTR-?)?[:\s-]*(\d{11})$", re.IGNORECASE)
_VKN_RE = re.compile(r"^(?:VKN|VATTR-?|NTRTR-?|TINTR-?)?[:\s-]*(\d{10})$", re.IGNORECASE)


def tckn_from_serial(value: str | None) -> str | None:
    """The 11-digit TCKN written in a subject serialNumber, with or without a known prefix."""
    if not value:
        return None
    m = _TCKN_RE.match(value.strip().replace(" ", ""))
    return m.group(1) if m else None


def vkn_from_serial(value: str | None) -> str | None:
    """The 10-digit VKN written in a serialNumber or organizationIdentifier."""
    if not value:
        return None
    m = _VKN_RE.match(value.strip().replace(" ", ""))
    return m.group(1) if m else None


def identity_of(cert: x509.Certificate) -> SignerIdentity:
    """Read the signer's identity from a certificate; never raises on odd certificates."""
    ident = SignerIdentity()
    try:
        subject = _name_dict(cert.subject)
    except Exception:
        subject = {}
    ident.common_name = subject.get("common_name")
    given, surname = subject.get("given_name"), subject.get("surname")
    ident.name = f"{given} {surname}" if given and surname else ident.common_name
    ident.organization = subject.get("organization_name")
    serial = subject.get("serial_number")
    ident.serial_number = serial
    tckn = tckn_from_serial(serial)
    if tckn:
        ident.tckn = tckn
        ident.tckn_valid = is_valid_tckn(tckn)
    vkn = vkn_from_serial(serial) or vkn_from_serial(subject.get("organization_identifier"))
    if vkn and is_valid_vkn(vkn):
        ident.vkn = vkn
    try:
        ident.issuer = cert.issuer.human_friendly
    except Exception:
        ident.issuer = None
    try:
        ident.certificate_serial = format(cert.serial_number, "x")
        validity = cert["tbs_certificate"]["validity"]
        ident.valid_from = aware(validity["not_before"].native)
        ident.valid_until = aware(validity["not_after"].native)
    except Exception:
        pass
    eseal_type = False
    try:
        for st in qualified_asn1.get_qc_statements(cert):
            sid = st["statement_id"].native
            if sid == "qc_compliance":
                ident.qualified = True
            elif sid == "qc_limit_value":
                mv = (
                    st["statement_info"].parsed
                    if hasattr(st["statement_info"], "parsed")
                    else st["statement_info"]
                )
                amount = Decimal(int(mv["amount"].native)).scaleb(int(mv["exponent"].native))
                ident.qc_limit = (
                    amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount
                )
                ident.qc_limit_currency = str(mv["currency"].chosen.native)
            elif sid == "qc_type":
                types = st["statement_info"].native or []
                eseal_type = "qct_eseal" in types
    except Exception:
        pass  # an unreadable QcStatements extension is no identity at all; leave the fields empty
    # D28: a VKN and no TCKN (or the certificate says it is an e-seal) is a company seal.
    ident.is_seal = (ident.vkn is not None and ident.tckn is None) or (eseal_type and ident.tckn is None)
    return ident


def signer_certificate(
    signed_data: cms.SignedData, signer_info: cms.SignerInfo, extra: Iterable[x509.Certificate] = ()
) -> x509.Certificate | None:
    """The certificate the SignerInfo points at (issuer+serial or subject key id), if embedded
    in the SignedData (or in `extra`, e.g. the CAdES certificate-values attribute)."""
    sid = signer_info["sid"]
    embedded = signed_data["certificates"]
    certs = [c.chosen for c in (embedded or []) if c.name == "certificate"]
    certs += [c for c in extra if c not in certs]
    if sid.name == "issuer_and_serial_number":
        iss = sid.chosen["issuer"]
        serial = sid.chosen["serial_number"].native
        for c in certs:
            if c.serial_number == serial and c.issuer == iss:
                return c
    else:
        ski = sid.chosen.native
        for c in certs:
            if c.key_identifier == ski:
                return c
    return certs[0] if len(certs) == 1 else None


def _name_dict(name: x509.Name) -> dict[str, str]:
    """Subject attributes by name; multi-valued ones joined, unknown OIDs by dotted string."""
    out: dict[str, str] = {}
    for rdn in name.chosen:
        for ava in rdn:
            key = ava["type"].native
            try:
                value = ava["value"].native
            except Exception:
                continue
            if isinstance(value, str):
                out[key] = f"{out[key]} {value}" if key in out else value
    return out
