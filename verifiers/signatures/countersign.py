"""Counter-signatures (serial signing): a second signer signs the first signature's value.

RFC 5652 11.4: the counter-signature is a SignerInfo in the unsigned attribute
counterSignature of the signature it signs; its message-digest attribute is the digest of
that signature's value, and it carries no content-type attribute. pyHanko validates
SignerInfos over content, not over another signature, so the three checks are done here
with the same libraries: the digest (intact), the signature value over the DER of the signed
attributes (pyHanko's signature validator), and the certificate path with revocation
(pyhanko-certvalidator), judged at the time proven by the counter-signature's own
signature timestamp when it has one, as for any signature.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from asn1crypto import cms, core, x509
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    RevokedError,
)
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator, SignatureValidationContext

from evrak.dates import aware, format_datetime

from .assess import WEAK_DIGESTS
from .report import SignatureReport
from .signer import identity_of, signer_certificate


async def validate_counter_signature(
    rep: SignatureReport,
    parent: cms.SignerInfo,
    csi: cms.SignerInfo,
    sd: cms.SignedData,
    make_vc: Callable[..., tuple[ValidationContext, bool]],
    extra_certs: list[x509.Certificate],
) -> None:
    """Fill `rep` for the counter-signature `csi` over `parent`'s signature value."""
    cert = signer_certificate(sd, csi, extra_certs)
    md = csi["digest_algorithm"]["algorithm"].native
    rep.digest_algorithm = md
    rep.weak_algorithm = md in WEAK_DIGESTS
    rep.coverage = "ENTIRE_CONTENT"
    signature = csi["signature"].native
    rep.evidence_data.update(signature_value=signature, md_algorithm=md)
    if cert is None:
        rep.trusted = False
        rep.trust_problem_indic = "NO_SIGNING_CERTIFICATE_FOUND"
        rep.trust_problem = "karşı imzalayanın sertifikası dosyada yok"
        return
    rep.signer = identity_of(cert)
    rep.evidence_data["signer_cert_der"] = cert.dump()
    attrs = csi["signed_attrs"]
    parent_value = parent["signature"].native
    if isinstance(attrs, core.Void):
        # no signed attributes: the signature is directly over the parent's signature value
        rep.intact = True
        signed_bytes = parent_value
    else:
        problems = format_problems(csi)
        if any(a["type"].native == "content_type" for a in attrs):
            problems.append("karşı imzada içerik türü niteliği olmamalı (RFC 5652 11.4)")
        if problems:
            rep.format_problem = "; ".join(problems)
        claimed = find_unique_cms_attribute(attrs, "message_digest").native
        rep.intact = hashlib.new(md, parent_value).digest() == claimed
        signed_bytes = attrs.untag().dump()
        rep.evidence_data["signed_attrs"] = signed_bytes
        try:
            rep.signing_time_claimed = aware(find_unique_cms_attribute(attrs, "signing_time").native)
        except Exception:
            pass
    try:
        DefaultSignatureValidator().validate_signature(
            signature,
            signed_bytes,
            cert.public_key,
            csi["signature_algorithm"],
            context=SignatureValidationContext(contextual_md_algorithm=md, prehashed=False),
        )
        rep.signature_valid = True
    except Exception:
        rep.signature_valid = False
        return
    await _timestamp(rep, csi, make_vc)
    await _path(rep, cert, sd, make_vc, extra_certs)


async def _timestamp(rep: SignatureReport, csi: cms.SignerInfo, make_vc) -> None:
    """The counter-signature's own signature timestamp, if it has one (proves its time)."""
    attrs = csi["unsigned_attrs"]
    if isinstance(attrs, core.Void):
        return
    tokens = [v for a in attrs if a["type"].native == "signature_time_stamp_token" for v in a["values"]]
    if not tokens:
        return
    value = csi["signature"].native

    def imprint(algo: str) -> bytes:
        return hashlib.new(algo, value).digest()

    try:
        tst_sd = tokens[0]["content"]
        vc, _ = make_vc()
        kwargs = await validate_tst_signed_data(tst_sd, vc, imprint)
        rep.timestamp_time = aware(kwargs["timestamp"])
        rep.timestamp_trusted = token_trusted(kwargs)
        rep.timestamp_source = "signature_timestamp"
    except Exception:
        rep.timestamp_trusted = False


async def _path(
    rep: SignatureReport, cert: x509.Certificate, sd: cms.SignedData, make_vc, extra_certs
) -> None:
    """Certificate path, revocation and validity; at the proven time when revoked or expired
    after it, as for signatures (assess.validate_with_fallbacks)."""
    others = [c.chosen for c in (sd["certificates"] or []) if c.name == "certificate"] + list(extra_certs)

    async def attempt(moment: datetime | None, soft: bool = False) -> Exception | None:
        vc, strict = make_vc(moment=moment, soft=soft)
        try:
            await CertificateValidator(cert, others, vc).async_validate_path()
        except Exception as exc:
            return exc
        rep.revocation = "good" if strict else "unchecked"
        return None

    error = await attempt(None)
    proven = rep.proven_time
    if isinstance(error, RevokedError) and proven is not None and aware(error.revocation_dt) > proven:
        revoked_at = aware(error.revocation_dt)
        error = await attempt(proven)
        if isinstance(error, InsufficientRevinfoError) and await attempt(proven, soft=True) is None:
            # the answer that said "revoked at T" (OCSP) also says "good before T": established
            error = None
            rep.revocation = "good"
        if error is None:
            rep.revoked_after_proof = True
            rep.revoked_at = revoked_at
            rep.notes.append(
                f"Sertifika {format_datetime(revoked_at)} tarihinde iptal edilmiş; karşı imza bundan önce "
                f"({format_datetime(proven)}) atıldığı zaman damgasıyla kanıtlı olduğundan geçerli"
            )
    elif isinstance(error, ExpiredError) and proven is not None:
        s = rep.signer
        if s and s.valid_until and proven <= s.valid_until:
            error = await attempt(proven)
    if isinstance(error, InsufficientRevinfoError):
        soft = await attempt(None, soft=True)
        if soft is None:
            rep.trusted = True
            rep.revocation = "unchecked"
            return
    if error is None:
        rep.trusted = True
        return
    rep.trusted = False
    if isinstance(error, RevokedError):
        rep.revocation = "revoked"
        rep.revoked_at = aware(error.revocation_dt)
        rep.trust_problem_indic = "REVOKED_NO_POE"
        rep.trust_problem = "sertifika iptal edilmiş"
    elif isinstance(error, ExpiredError):
        rep.trust_problem_indic = "OUT_OF_BOUNDS_NO_POE"
        rep.trust_problem = "sertifika geçerlilik süresi dışında"
        rep.expired_at_signing = proven is None or (rep.signer is not None and rep.signer.valid_until is not None
                                                    and proven > rep.signer.valid_until)
    elif isinstance(error, NotYetValidError):
        rep.trust_problem_indic = "NOT_YET_VALID"
        rep.trust_problem = "sertifika henüz geçerli değil"
    elif isinstance(error, PathBuildingError):
        rep.trust_problem_indic = "NO_CERTIFICATE_CHAIN_FOUND"
        rep.trust_problem = "sertifika zinciri güvenilen bir köke bağlanamadı"
    elif isinstance(error, InsufficientRevinfoError):
        rep.trust_problem_indic = "TRY_LATER"
        rep.trust_problem = "iptal durumu belirlenemedi"
    else:
        rep.trust_problem_indic = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
        rep.trust_problem = "sertifika zinciri doğrulanamadı"


# Attributes that CMS/CAdES allow once and with one value (RFC 5652 11, EN 319 122-1).
_SINGLE = {"content_type", "message_digest", "signing_time", "signing_certificate", "signing_certificate_v2"}


def format_problems(si: cms.SignerInfo) -> list[str]:
    """Turkish: where the SignerInfo breaks CMS/CAdES (duplicated signed attributes ...)."""
    out: list[str] = []
    attrs = si["signed_attrs"]
    if isinstance(attrs, core.Void):
        return out
    names = Counter(a["type"].native for a in attrs)
    for name, count in names.items():
        if count > 1:
            out.append(f"'{name}' imzalı niteliği {count} kez var")
    for a in attrs:
        name = a["type"].native
        if name in _SINGLE and len(a["values"]) != 1:
            out.append(f"'{name}' imzalı niteliğinde {len(a['values'])} değer var (bir olmalı)")
    return out


def token_trusted(kwargs: dict) -> bool:
    """A timestamp token validated by pyHanko's validate_tst_signed_data: intact, valid and
    chained to a trusted root (its status keywords carry no 'trusted' key)."""
    return bool(
        kwargs.get("intact")
        and kwargs.get("valid")
        and kwargs.get("trust_problem_indic") is None
        and kwargs.get("validation_path") is not None
    )
