"""ETSI EN 319 102-1 indications: one outcome per signature, from which the findings follow.

The reference validators (EU DSS, the Turkish e-imza test suites) answer each signature with
a main indication (TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE) and a sub-indication saying
why. Staff and the EU tools read the same words, so the verifier judges the same way:

- TOTAL-FAILED is proof that the signature is wrong: the signed data changed (HASH_FAILURE),
  the value does not verify (SIG_CRYPTO_FAILURE), the CMS breaks its standard
  (FORMAT_FAILURE), the certificate was revoked before the proven signing time (REVOKED) or
  was not yet valid (NOT_YET_VALID). The finding is SIGNATURE_INVALID (reject). A PDF changed
  after signing beyond what D27 allows is also TOTAL-FAILED/HASH_FAILURE: the document as
  presented is not what was signed (SIGNATURE_MODIFIED_AFTER_SIGNING).
- INDETERMINATE is "could not be established": no chain to a trusted root, revocation status
  unknown, revoked or expired with no proof that the signature came first, no signed content
  for a detached signature, a file that cannot be parsed (D29). The finding is
  SIGNATURE_UNREADABLE (review), never a rejection.
- The pairing of sub-indication and main indication is pyHanko's (`AdESFailure`,
  `AdESIndeterminate`), which follows the standard's table.
"""

from __future__ import annotations

from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

from evrak.dates import format_datetime

from .report import DocumentTimestampReport, SignatureReport

PASSED = "TOTAL-PASSED"
FAILED = "TOTAL-FAILED"
INDETERMINATE = "INDETERMINATE"

_FAILED_SUBS = {s.name for s in AdESFailure}
_INDETERMINATE_SUBS = {s.name for s in AdESIndeterminate}

# Turkish for each sub-indication: what staff read next to the indication.
SUB_TEXT = {
    "FORMAT_FAILURE": "imza yapısı standarda uymuyor",
    "HASH_FAILURE": "imzalanan içerik imzadan sonra değişmiş (bütünlük bozuk)",
    "SIG_CRYPTO_FAILURE": "imza değeri sertifikadaki anahtarla doğrulanmıyor",
    "REVOKED": "imzalayanın sertifikası imzadan önce iptal edilmiş",
    "NOT_YET_VALID": "imza zamanında sertifika henüz geçerli değildi",
    "SIG_CONSTRAINTS_FAILURE": "imza nitelikleri doğrulama kurallarını karşılamıyor",
    "CHAIN_CONSTRAINTS_FAILURE": "sertifika zinciri kısıtları sağlanmıyor (anahtar kullanımı vb.)",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "sertifika zinciri doğrulanamadı",
    "CRYPTO_CONSTRAINTS_FAILURE": "izin verilmeyen (zayıf) algoritma",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "izin verilmeyen (zayıf) algoritma",
    "EXPIRED": "imza zamanında sertifikanın süresi dolmuştu",
    "TIMESTAMP_ORDER_FAILURE": "zaman damgalarının sırası tutarsız",
    "NO_SIGNING_CERTIFICATE_FOUND": "imzalayanın sertifikası bulunamadı",
    "NO_CERTIFICATE_CHAIN_FOUND": "sertifikadan güvenilen bir köke zincir kurulamadı (ara sertifika eksik "
    "ya da kök güven deposunda yok)",
    "REVOKED_NO_POE": "sertifika iptal edilmiş; imzanın iptalden önce atıldığı zaman damgasıyla kanıtlanmıyor",
    "REVOKED_CA_NO_POE": "sertifikayı veren kuruluşun sertifikası iptal edilmiş",
    "OUT_OF_BOUNDS_NO_POE": "sertifika geçerlilik süresi dışında; imzanın süre içinde atıldığı kanıtlanmıyor",
    "OUT_OF_BOUNDS_NOT_REVOKED": "sertifika geçerlilik süresi dışında",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "iptal durumu belirlenemedi (SİL/OCSP geçerlilik dışı)",
    "TRY_LATER": "iptal durumu belirlenemedi (sertifika için SİL/OCSP yanıtı yok)",
    "SIGNED_DATA_NOT_FOUND": "ayrık imza: imzalanan içerik verilmedi, bütünlük denetlenemedi",
    "NO_POE": "imzanın zamanı kanıtlanamadı",
    "GENERIC": "imza okunamadı ya da doğrulanamadı",
}


def main_indication_of(sub: str) -> str:
    """The main indication a sub-indication belongs to (EN 319 102-1, as pyHanko pairs them)."""
    if sub in _FAILED_SUBS and sub not in _INDETERMINATE_SUBS:
        return FAILED
    return INDETERMINATE


def judge(rep: SignatureReport) -> None:
    """Set rep.indication, rep.sub_indication and rep.explanation (Turkish) from the checks."""
    main, sub, why = _judge(rep)
    rep.indication, rep.sub_indication, rep.explanation = main, sub, why


def _judge(rep: SignatureReport) -> tuple[str, str | None, str]:
    if rep.format_problem:
        return FAILED, "FORMAT_FAILURE", f"{SUB_TEXT['FORMAT_FAILURE']}: {rep.format_problem}"
    if rep.intact is False:
        return FAILED, "HASH_FAILURE", SUB_TEXT["HASH_FAILURE"]
    if rep.signature_valid is False:
        if rep.ades_hint and rep.ades_hint not in ("SIG_CRYPTO_FAILURE", "GENERIC"):
            main = main_indication_of(rep.ades_hint)
            return main, rep.ades_hint, _with(SUB_TEXT.get(rep.ades_hint), rep.trust_problem)
        return FAILED, "SIG_CRYPTO_FAILURE", SUB_TEXT["SIG_CRYPTO_FAILURE"]
    if not rep.readable:
        if rep.error and rep.error.startswith("ayrık imza"):
            return INDETERMINATE, "SIGNED_DATA_NOT_FOUND", SUB_TEXT["SIGNED_DATA_NOT_FOUND"]
        return INDETERMINATE, "GENERIC", rep.error or SUB_TEXT["GENERIC"]
    if rep.modified_after_signing:
        changes = "; ".join(rep.changes_after_signing) or "izin verilmeyen değişiklik"
        return FAILED, "HASH_FAILURE", f"belge imzadan sonra değiştirilmiş (D27): {changes}"
    proven = rep.proven_time
    if rep.revocation == "revoked":
        when = f" ({format_datetime(rep.revoked_at)})" if rep.revoked_at else ""
        if proven is not None and (rep.revoked_at is None or rep.revoked_at <= proven):
            return FAILED, "REVOKED", f"{SUB_TEXT['REVOKED']}{when}; imza zamanı {format_datetime(proven)}"
        return INDETERMINATE, "REVOKED_NO_POE", f"{SUB_TEXT['REVOKED_NO_POE']}{when}"
    s = rep.signer
    if s is not None and proven is not None:
        if s.valid_from is not None and proven < s.valid_from:
            return FAILED, "NOT_YET_VALID", SUB_TEXT["NOT_YET_VALID"]
        if s.valid_until is not None and proven > s.valid_until:
            return INDETERMINATE, "EXPIRED", f"{SUB_TEXT['EXPIRED']} ({format_datetime(s.valid_until)})"
    if rep.expired_at_signing:
        return INDETERMINATE, "OUT_OF_BOUNDS_NO_POE", SUB_TEXT["OUT_OF_BOUNDS_NO_POE"]
    if rep.trusted is False or rep.trusted is None:
        sub = rep.trust_problem_indic or "CERTIFICATE_CHAIN_GENERAL_FAILURE"
        if sub in ("OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED") and proven is None:
            sub = "OUT_OF_BOUNDS_NO_POE"
        return main_indication_of(sub), sub, SUB_TEXT.get(sub) or rep.trust_problem or SUB_TEXT["GENERIC"]
    if rep.revocation != "good":
        return INDETERMINATE, "TRY_LATER", SUB_TEXT["TRY_LATER"]
    if rep.weak_algorithm:
        return INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE", f"{SUB_TEXT['CRYPTO_CONSTRAINTS_FAILURE']} " \
            f"({rep.digest_algorithm})"
    return PASSED, None, "imza geçerli"


def judge_timestamp(ts: DocumentTimestampReport) -> None:
    """Indication of a document or archive timestamp: its token's integrity and chain."""
    if ts.error and ts.intact is None:
        ts.indication, ts.sub_indication = INDETERMINATE, "GENERIC"
    elif ts.intact is False:
        ts.indication, ts.sub_indication = FAILED, "HASH_FAILURE"
    elif not ts.trusted:
        ts.indication, ts.sub_indication = INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND"
    else:
        ts.indication, ts.sub_indication = PASSED, None


def _with(text: str | None, extra: str | None) -> str:
    if text and extra and extra not in text:
        return f"{text} ({extra})"
    return text or extra or SUB_TEXT["GENERIC"]
