"""From a pyHanko validation status to our report fields and per-signature findings.

Shared by PAdES and CAdES: both end in a pyHanko `StandardCMSSignatureStatus`, and both
must say the same things the same way (integrity, value, trust, revocation, expiry,
timestamp, digest algorithm).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation.status import StandardCMSSignatureStatus
from pyhanko_certvalidator import ValidationContext

from evrak.dates import aware, format_datetime, now
from evrak.findings import Evidence, Finding

from .etsi import FAILED, INDETERMINATE, judge
from .report import SignatureReport

WEAK_DIGESTS = {"md5", "md2", "sha1", "sha-1"}

# AdES sub-indications that mean "the revocation status could not be established":
# a person must look (review), the signature is not proven wrong.
_REVOCATION_UNKNOWN = {
    AdESIndeterminate.TRY_LATER,
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
}
_EXPIRY = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}

_TRUST_TEXT = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: "sertifika zinciri güvenilen bir köke bağlanamadı",
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE: (
        "sertifika zinciri kısıtları sağlanmıyor (anahtar kullanımı vb.)"
    ),
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE: "sertifika zinciri doğrulanamadı",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE: "izin verilmeyen (zayıf) algoritma",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: "izin verilmeyen (zayıf) algoritma",
    AdESIndeterminate.TRY_LATER: "iptal durumu belirlenemedi (güncel SİL/OCSP yok)",
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE: (
        "iptal durumu belirlenemedi (SİL/OCSP geçerlilik dışı)"
    ),
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "sertifika geçerlilik süresi dışında",
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: "sertifika geçerlilik süresi dışında",
    AdESIndeterminate.EXPIRED: "sertifikanın süresi dolmuş",
    AdESIndeterminate.NOT_YET_VALID: "sertifika henüz geçerli değil",
    AdESIndeterminate.REVOKED_NO_POE: "sertifika iptal edilmiş",
    AdESIndeterminate.REVOKED_CA_NO_POE: "sertifikayı veren kuruluşun sertifikası iptal edilmiş",
    AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND: "imzalayan sertifikası bulunamadı",
}


_REVINFO_MISSING = {
    AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,  # pyHanko's mapping of InsufficientRevinfoError
    AdESIndeterminate.TRY_LATER,
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
}


@dataclass
class FallbackOutcome:
    """What the first validation (at the current time) said, when it was redone at the
    proven signing time: the revocation found then is a note, not a verdict."""

    revoked_at: datetime | None = None
    expired_now: bool = False


async def validate_with_fallbacks(
    run: Callable[[ValidationContext], Awaitable[StandardCMSSignatureStatus]],
    make_vc: Callable[..., tuple[ValidationContext, bool]],
) -> tuple[StandardCMSSignatureStatus, bool, FallbackOutcome]:
    """Validate now; if the certificate is expired/revoked now but proven signed before,
    again at the proven time; if strict revocation failed only because the CRLs at hand do
    not cover this chain, again without (the report then says "not checked", never "good").
    Returns the status, whether revocation was checked strictly, and what the first pass
    found when the signature was judged again at its proven time."""
    vc, strict = make_vc()
    status = await run(vc)
    outcome = FallbackOutcome()
    moment = point_in_time(status)
    if moment is not None:
        if status.revocation_details is not None:
            outcome.revoked_at = aware(status.revocation_details.revocation_date)
        outcome.expired_now = status.trust_problem_indic in _EXPIRY
        vc, strict = make_vc(moment=moment)
        status = await run(vc)
        if outcome.revoked_at is not None and _revinfo_missing(status):
            # pyhanko-certvalidator does not count an OCSP answer "revoked at T" as "good
            # before T" at an earlier point in time; that answer did establish it, so the
            # status is known (strict), and the chain is checked without revocation
            soft_vc, _ = make_vc(moment=moment, soft=True)
            soft = await run(soft_vc)
            if soft.trusted:
                return soft, True, outcome
    if strict and _revinfo_missing(status):
        soft_vc, _ = make_vc(moment=moment, soft=True)
        soft = await run(soft_vc)
        if soft.trusted:
            return soft, False, outcome
    return status, strict, outcome


def _revinfo_missing(status: StandardCMSSignatureStatus) -> bool:
    return bool(
        not status.trusted
        and status.intact
        and status.valid
        and status.revocation_details is None
        and status.trust_problem_indic in _REVINFO_MISSING
    )


def point_in_time(status: StandardCMSSignatureStatus) -> datetime | None:
    """The proven signing time to re-validate at, when the certificate is expired or revoked
    now but a trusted signature timestamp shows it was signed before that (validity at
    signing time is what counts); None otherwise."""
    tv = status.timestamp_validity
    if status.trusted or not (status.intact and status.valid) or tv is None:
        return None
    if not (tv.intact and tv.valid and tv.trusted):
        return None
    indic = status.trust_problem_indic
    when = tv.timestamp
    if indic in _EXPIRY:
        validity = status.signing_cert["tbs_certificate"]["validity"]
        if validity["not_before"].native <= when <= validity["not_after"].native:
            return when
    details = status.revocation_details
    if details is not None and details.revocation_date > when:
        return when
    return None


def apply_status(
    rep: SignatureReport,
    status: StandardCMSSignatureStatus,
    strict_revocation: bool,
    outcome: FallbackOutcome | None = None,
) -> None:
    """Copy a pyHanko status into the report, keeping each dimension apart."""
    rep.intact = bool(status.intact)
    rep.signature_valid = bool(status.valid)
    rep.trusted = bool(status.trusted)
    indic = status.trust_problem_indic
    if indic is not None:
        rep.trust_problem = _TRUST_TEXT.get(indic, getattr(indic, "name", str(indic)))
        rep.trust_problem_indic = getattr(indic, "name", str(indic))
    if status.revocation_details is not None or indic in _REVOKED:
        rep.revocation = "revoked"
        if status.revocation_details is not None:
            rep.revoked_at = aware(status.revocation_details.revocation_date)
    elif rep.trusted and strict_revocation:
        rep.revocation = "good"
    else:
        rep.revocation = "unchecked"
    rep.digest_algorithm = (status.md_algorithm or "").lower() or rep.digest_algorithm
    rep.weak_algorithm = rep.weak_algorithm or (rep.digest_algorithm in WEAK_DIGESTS)
    if status.signer_reported_dt is not None:
        rep.signing_time_claimed = aware(status.signer_reported_dt)
    tv = status.timestamp_validity
    if tv is not None:
        rep.timestamp_time = aware(tv.timestamp)
        rep.timestamp_trusted = bool(tv.intact and tv.valid and tv.trusted)
        rep.timestamp_source = "signature_timestamp"
    if outcome is not None and outcome.revoked_at is not None and rep.trusted:
        rep.revoked_after_proof = True
        rep.revoked_at = outcome.revoked_at
        rep.notes.append(
            f"Sertifika {format_datetime(outcome.revoked_at)} tarihinde iptal edilmiş; imza bundan önce "
            f"({format_datetime(rep.proven_time)}) atıldığı zaman damgasıyla kanıtlı olduğundan geçerli"
        )
    if outcome is not None and outcome.expired_now and rep.trusted:
        rep.notes.append("Sertifikanın süresi şimdi dolmuş; imza zamanında geçerliydi")
    try:
        cert = status.signing_cert
        rep.evidence_data["signer_cert_der"] = cert.dump()
    except Exception:
        pass
    _mark_expiry(rep, indic)


def _mark_expiry(rep: SignatureReport, indic) -> None:
    """Expired at signing: the certificate's validity ended before the (best known) signing time."""
    s = rep.signer
    if s is None or s.valid_until is None:
        return
    when: datetime = rep.proven_time or rep.signing_time_claimed or now()
    rep.expired_at_signing = bool(when > s.valid_until or (s.valid_from and when < s.valid_from))
    if indic in _EXPIRY and not rep.expired_at_signing:
        # expired now but not at signing: pyHanko validated at the current time
        rep.trust_problem = (rep.trust_problem or "") + " (imza tarihinde geçerliydi; şimdi süresi dolmuş)"


def signature_findings(rep: SignatureReport, file_name: str) -> list[Finding]:
    """Per-signature findings, following the ETSI indication (etsi.py): TOTAL-FAILED is a
    rejection (SIGNATURE_INVALID, or SIGNATURE_MODIFIED_AFTER_SIGNING for D27 changes),
    INDETERMINATE a review (SIGNATURE_UNREADABLE: could not be established); then the
    weak-algorithm policy and a TCKN failing its checksum."""
    judge(rep)
    who = _who(rep)
    label = "Karşı imza" if rep.role == "counter_signature" else "İmza"
    ev = [Evidence(file=file_name, text=who, value=", ".join(rep.field_names) or None)]
    out: list[Finding] = []
    tag = f"{rep.indication}" + (f"/{rep.sub_indication}" if rep.sub_indication else "")
    if rep.indication == FAILED and rep.modified_after_signing and rep.sub_indication == "HASH_FAILURE" \
            and rep.intact is not False:
        out.append(
            Finding(
                "SIGNATURE_MODIFIED_AFTER_SIGNING",
                f"İmzadan sonra belgede izin verilmeyen değişiklik var ({who}): "
                + "; ".join(rep.changes_after_signing),
                evidence=[Evidence(file=file_name, text=c) for c in rep.changes_after_signing] or ev,
                refs=["D27"],
            )
        )
    elif rep.indication == FAILED:
        out.append(Finding("SIGNATURE_INVALID", f"{label} geçersiz ({who}; {tag}): {rep.explanation}", evidence=ev))
    elif rep.indication == INDETERMINATE and rep.sub_indication != "CRYPTO_CONSTRAINTS_FAILURE_NO_POE":
        out.append(
            Finding(
                "SIGNATURE_UNREADABLE",
                f"{label} doğrulanamadı ({who}; {tag}): {rep.explanation}; kişi incelemeli",
                evidence=ev,
                refs=["D29"],
            )
        )
    if rep.modified_after_signing and not any(f.rule == "SIGNATURE_MODIFIED_AFTER_SIGNING" for f in out):
        out.append(
            Finding(
                "SIGNATURE_MODIFIED_AFTER_SIGNING",
                f"İmzadan sonra belgede izin verilmeyen değişiklik var ({who}): "
                + "; ".join(rep.changes_after_signing),
                evidence=[Evidence(file=file_name, text=c) for c in rep.changes_after_signing] or ev,
                refs=["D27"],
            )
        )
    if rep.weak_algorithm and rep.readable:  # D29: nothing more is concluded from an unreadable CMS
        out.append(
            Finding(
                "SIGNATURE_WEAK_ALGORITHM",
                f"İmzada zayıf özet algoritması kullanılmış ({rep.digest_algorithm}); kabul edilmez",
                evidence=ev,
            )
        )
    if rep.signer and rep.signer.tckn and not rep.signer.tckn_valid:
        out.append(
            Finding(
                "TCKN_INVALID",
                f"Sertifikadaki TCKN doğrulama hanesi hatalı ({rep.signer.serial_number})",
                evidence=ev,
            )
        )
    return out


def _who(rep: SignatureReport) -> str:
    if rep.signer and (rep.signer.name or rep.signer.common_name):
        return rep.signer.name or rep.signer.common_name or ""
    return ", ".join(rep.field_names) or "imza"
