"""PAdES taahhütnames signed with the test PKI and timestamped by the loopback TSA."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from evrak.dates import ISTANBUL, now
from evrak.facts import AuthorizedPerson, SigningMode
from evrak.findings import Verdict
from testing.testdocs import add_annotation, append_page, edit_content, fill_field
from testing.testpki import SPECS, TestTSA, sign_pdf, timestamp_pdf


def future_deadline() -> datetime:
    return now() + timedelta(days=3)


@pytest.fixture(scope="module")
def signed_ahmet(pki, tsa, taahhutname) -> bytes:
    return sign_pdf(taahhutname, pki, "ahmet", tsa=tsa)


def test_valid_signature_by_authorized_person(verify, signed_ahmet, circular):
    rep = verify("taahhutname.pdf", signed_ahmet, circular=circular(), deadline=future_deadline())
    assert rep.findings == [], [f.message for f in rep.findings]
    assert rep.verdict == Verdict.PASS
    assert rep.authority_satisfied is True
    (sig,) = rep.signatures
    assert sig.kind == "pades" and sig.field_names == ["Imza_ahmet"]
    assert sig.intact and sig.signature_valid and sig.trusted
    assert sig.revocation == "good"
    assert sig.signer.name == "AHMET YILMAZ"
    assert sig.signer.tckn == SPECS["ahmet"].tckn and sig.signer.tckn_valid
    assert not sig.signer.is_seal
    assert sig.signer.qualified and sig.signer.qc_limit == Decimal("100000")
    assert sig.timestamp_trusted and sig.timestamp_source == "signature_timestamp"
    assert abs((sig.proven_time - now()).total_seconds()) < 600
    assert sig.proven_time.tzinfo is not None
    assert sig.coverage == "ENTIRE_FILE" and not sig.modified_after_signing
    assert sig.digest_algorithm == "sha256"

    data = rep.to_dict()
    json.dumps(data)  # JSON-ready: dates and Decimals are strings
    assert data["signatures"][0]["signer"]["qc_limit"] == "100000"
    assert data["signatures"][0]["proven_time"].endswith("+03:00")
    text = rep.render_text()
    assert "AHMET YILMAZ" in text and "Uygun" in text
    assert SPECS["ahmet"].tckn not in text  # KVKK: masked
    assert SPECS["ahmet"].tckn[:2] + "*******" + SPECS["ahmet"].tckn[-2:] in text


def test_unauthorized_signer(verify, pki, tsa, taahhutname, circular):
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "zeynep", tsa=tsa), circular=circular())
    assert "SIGNER_NOT_AUTHORIZED" in rep.rules
    assert rep.verdict == Verdict.REJECT
    assert rep.signatures[0].cryptographically_ok  # the signature itself is fine


def test_name_only_match_goes_to_review(verify, pki, tsa, taahhutname, circular):
    persons = [AuthorizedPerson(name="Zeynep Çelik", tckn=None, mode=SigningMode.ALONE)]
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "zeynep", tsa=tsa), circular=circular(persons=persons))
    assert rep.rules == {"SIGNER_NAME_ONLY_MATCH"}
    assert rep.verdict == Verdict.REVIEW
    assert rep.authority_satisfied is False


def test_name_matches_but_tckn_differs(verify, pki, tsa, taahhutname, circular):
    persons = [AuthorizedPerson(name="ZEYNEP ÇELİK", tckn=SPECS["ahmet"].tckn, mode=SigningMode.ALONE)]
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "zeynep", tsa=tsa), circular=circular(persons=persons))
    assert "SIGNER_NAME_ONLY_MATCH" in rep.rules
    assert rep.authority_satisfied is False


def test_joint_signers_incomplete_then_complete(verify, pki, tsa, taahhutname, circular):
    one = sign_pdf(taahhutname, pki, "ayse", tsa=tsa)
    rep = verify("t.pdf", one, circular=circular())
    assert "SIGNER_JOINT_INCOMPLETE" in rep.rules
    assert "Mehmet Kaya" in next(f.message for f in rep.findings if f.rule == "SIGNER_JOINT_INCOMPLETE")

    both = sign_pdf(one, pki, "mehmet", tsa=tsa)
    rep = verify("t.pdf", both, circular=circular(), deadline=future_deadline())
    assert rep.findings == [], [f.message for f in rep.findings]
    assert rep.authority_satisfied is True
    first, second = rep.signatures
    assert second.field_names == ["Imza_mehmet"] and not second.modified_after_signing
    # the later signature is an accepted change for the first one (D27)
    assert not first.modified_after_signing
    assert first.modification_level == "FORM_FILLING"
    assert any("Imza_mehmet" in c for c in first.accepted_changes)


def test_visible_later_signature_is_accepted(verify, pki, tsa, taahhutname, circular):
    one = sign_pdf(taahhutname, pki, "ayse", tsa=tsa)
    both = sign_pdf(one, pki, "mehmet", tsa=tsa, visible_box=(72, 100, 272, 160))
    rep = verify("t.pdf", both, circular=circular())
    assert rep.findings == [], [f.message for f in rep.findings]
    assert rep.signatures[0].accepted_changes == ["Sonradan imza eklenmiş ('Imza_mehmet')"]


def test_edit_between_two_signatures(verify, pki, tsa, taahhutname, circular):
    """An edit appended before a co-signature breaks the first signature, not the second."""
    edited = edit_content(sign_pdf(taahhutname, pki, "ayse", tsa=tsa))
    rep = verify("t.pdf", sign_pdf(edited, pki, "mehmet", tsa=tsa), circular=circular())
    first, second = rep.signatures
    assert first.modified_after_signing and any("içeriği" in c for c in first.changes_after_signing)
    assert second.cryptographically_ok
    assert {"SIGNATURE_MODIFIED_AFTER_SIGNING", "SIGNER_JOINT_INCOMPLETE"} <= rep.rules


def test_joint_cosigner_with_invalid_signature_does_not_complete(verify, pki, tsa, taahhutname, circular):
    """A revoked co-signer's signature is no valid co-signature."""
    persons = [
        AuthorizedPerson(name="Ayşe Demir", tckn=SPECS["ayse"].tckn, mode=SigningMode.JOINT),
        AuthorizedPerson(name="Can Öztürk", tckn=SPECS["can"].tckn, mode=SigningMode.JOINT),
    ]
    pdf = sign_pdf(sign_pdf(taahhutname, pki, "ayse", tsa=tsa), pki, "can", tsa=tsa)
    rep = verify("t.pdf", pdf, circular=circular(persons=persons))
    assert {"SIGNATURE_INVALID", "SIGNER_JOINT_INCOMPLETE"} <= rep.rules


def test_authority_expired(verify, signed_ahmet, circular):
    persons = [
        AuthorizedPerson(name="AHMET YILMAZ", tckn=SPECS["ahmet"].tckn, valid_until=date(2022, 12, 31)),
    ]
    rep = verify("t.pdf", signed_ahmet, circular=circular(persons=persons))
    assert rep.rules == {"SIGNER_AUTHORITY_EXPIRED"}


def test_signed_after_deadline(verify, pki, taahhutname, circular):
    deadline = datetime(2024, 2, 23, 17, 0, tzinfo=ISTANBUL)
    with TestTSA(pki, fixed_time=deadline + timedelta(minutes=1)) as late_tsa:
        pdf = sign_pdf(taahhutname, pki, "ahmet", tsa=late_tsa)
    rep = verify("t.pdf", pdf, circular=circular(), deadline=deadline)
    assert rep.rules == {"TAAHHUTNAME_LATE"}
    with TestTSA(pki, fixed_time=deadline - timedelta(minutes=1)) as early_tsa:
        pdf = sign_pdf(taahhutname, pki, "ahmet", tsa=early_tsa)
    rep = verify("t.pdf", pdf, circular=circular(), deadline=deadline)
    assert rep.findings == []


def test_timestamp_missing_is_unproven_time(verify, pki, taahhutname, circular):
    pdf = sign_pdf(taahhutname, pki, "ahmet")
    rep = verify("t.pdf", pdf, circular=circular(), deadline=future_deadline())
    assert rep.rules == {"SIGNATURE_TIME_UNPROVEN"}
    assert rep.verdict == Verdict.REVIEW
    sig = rep.signatures[0]
    assert sig.proven_time is None and sig.signing_time_claimed is not None


def test_document_timestamp_proves_time(verify, pki, tsa, taahhutname, circular):
    pdf = timestamp_pdf(sign_pdf(taahhutname, pki, "ahmet"), tsa)
    rep = verify("t.pdf", pdf, circular=circular(), deadline=future_deadline())
    assert rep.findings == [], [f.message for f in rep.findings]
    (sig,) = rep.signatures
    assert sig.timestamp_source == "document_timestamp" and sig.proven_time is not None
    assert len(rep.document_timestamps) == 1 and rep.document_timestamps[0].trusted
    assert any("zaman damgası" in c for c in sig.accepted_changes)


def test_form_field_filled_after_signing(verify, pki, tsa, taahhutname_with_field, circular):
    signed = sign_pdf(taahhutname_with_field, pki, "ahmet", tsa=tsa)
    rep = verify("t.pdf", fill_field(signed, "ad_soyad", "Ahmet Yılmaz"), circular=circular())
    assert "SIGNATURE_MODIFIED_AFTER_SIGNING" in rep.rules
    sig = rep.signatures[0]
    # pyHanko alone would accept this as form filling; D27 does not
    assert sig.modification_level == "FORM_FILLING"
    assert sig.intact and sig.trusted and sig.modified_after_signing
    assert any("ad_soyad" in c for c in sig.changes_after_signing)
    assert rep.verdict == Verdict.REJECT


def test_page_appended_after_signing(verify, signed_ahmet):
    rep = verify("t.pdf", append_page(signed_ahmet))
    assert "SIGNATURE_MODIFIED_AFTER_SIGNING" in rep.rules
    assert any("sayfa eklenmiş" in c for c in rep.signatures[0].changes_after_signing)


def test_content_edited_after_signing(verify, signed_ahmet):
    rep = verify("t.pdf", edit_content(signed_ahmet))
    assert "SIGNATURE_MODIFIED_AFTER_SIGNING" in rep.rules
    assert any("içeriği" in c for c in rep.signatures[0].changes_after_signing)


def test_annotation_added_after_signing(verify, signed_ahmet):
    rep = verify("t.pdf", add_annotation(signed_ahmet))
    assert "SIGNATURE_MODIFIED_AFTER_SIGNING" in rep.rules
    assert any("açıklama" in c for c in rep.signatures[0].changes_after_signing)


def test_revoked_certificate_with_crl(verify, pki, tsa, taahhutname):
    pdf = sign_pdf(taahhutname, pki, "can", tsa=tsa)
    rep = verify("t.pdf", pdf)
    assert "SIGNATURE_INVALID" in rep.rules
    sig = rep.signatures[0]
    assert sig.revocation == "revoked" and sig.revoked_at is not None and not sig.trusted
    # without the CRL the verifier says it could not check, never "good"
    rep = verify("t.pdf", pdf, crls=False)
    assert rep.signatures[0].revocation == "unchecked"


def test_expired_certificate(verify, pki, tsa, taahhutname):
    """Signed (proven by timestamp) after the certificate expired: EN 319 102-1 says
    INDETERMINATE/EXPIRED (as EU DSS does), so a person looks; it is never valid."""
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "elif", tsa=tsa))
    sig = rep.signatures[0]
    assert sig.expired_at_signing is True and not sig.cryptographically_ok
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "EXPIRED")
    assert rep.rules == {"SIGNATURE_UNREADABLE"} and rep.verdict == Verdict.REVIEW
    assert "süresi dolmuştu" in rep.findings[0].message


def test_e_seal_is_not_a_person(verify, pki, tsa, taahhutname, circular):
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "firma_muhur", tsa=tsa), circular=circular())
    assert rep.rules == {"SIGNER_IS_SEAL"}
    signer = rep.signatures[0].signer
    assert signer.is_seal and signer.tckn is None and signer.vkn == SPECS["firma_muhur"].vkn


def test_qc_limit_below_amount(verify, signed_ahmet, circular):
    rep = verify("t.pdf", signed_ahmet, circular=circular(), amount=Decimal("250000.00"))
    assert rep.rules == {"SIGNER_LIMIT_BELOW_AMOUNT"}
    rep = verify("t.pdf", signed_ahmet, circular=circular(), amount=Decimal("99999.99"))
    assert rep.findings == []


def test_untrusted_root(verify, signed_ahmet, empty_trust):
    """No path to a trusted root: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, a review."""
    rep = verify("t.pdf", signed_ahmet, trust_dir=empty_trust)
    assert rep.rules == {"SIGNATURE_UNREADABLE"} and rep.verdict == Verdict.REVIEW
    sig = rep.signatures[0]
    assert sig.intact and sig.signature_valid and not sig.trusted
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")


def test_sha1_is_refused(verify, pki, tsa, taahhutname):
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "ahmet", tsa=tsa, md_algorithm="sha1"))
    assert "SIGNATURE_WEAK_ALGORITHM" in rep.rules
    assert rep.verdict == Verdict.REJECT


def test_unsigned_pdf(verify, taahhutname):
    rep = verify("t.pdf", taahhutname)
    assert rep.rules == {"SIGNATURE_MISSING"} and rep.signatures == []


def test_validity_counts_at_the_proven_signing_time(verify, pki, taahhutname):
    """Expired or revoked after a timestamp-proven signature: valid (judged at signing time);
    expired or revoked before it: invalid."""
    before_expiry = datetime(2020, 6, 1, 12, 0, tzinfo=ISTANBUL)  # elif valid until 2021-01-01
    with TestTSA(pki, fixed_time=before_expiry) as past_tsa:
        expired_later = sign_pdf(taahhutname, pki, "elif", tsa=past_tsa)
        revoked_later = sign_pdf(taahhutname, pki, "can", tsa=past_tsa)  # revoked 2021-06-01
    for pdf in (expired_later, revoked_later):
        rep = verify("t.pdf", pdf)
        sig = rep.signatures[0]
        assert sig.proven_time == before_expiry
        assert sig.trusted and not sig.expired_at_signing, sig.trust_problem
        assert "SIGNATURE_INVALID" not in rep.rules
    after_revocation = datetime(2021, 7, 1, 12, 0, tzinfo=ISTANBUL)
    with TestTSA(pki, fixed_time=after_revocation) as past_tsa:
        revoked_before = sign_pdf(taahhutname, pki, "can", tsa=past_tsa)
    rep = verify("t.pdf", revoked_before)
    assert "SIGNATURE_INVALID" in rep.rules and rep.signatures[0].revocation == "revoked"


def test_crls_that_do_not_cover_the_chain(verify, pki, tsa, taahhutname, signed_ahmet):
    """With only the root's CRL, the person's status is 'not checked' — not 'good', not a
    rejection: INDETERMINATE/TRY_LATER, a review (issue 13 item 3); a revoked certificate is
    then not known to be revoked."""
    root_only = [p for p in pki.crl_files if p.name == "root.crl"]
    rep = verify("t.pdf", signed_ahmet, crls=False, crl_files=root_only)
    sig = rep.signatures[0]
    assert sig.trusted and sig.revocation == "unchecked"
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "TRY_LATER")
    assert rep.rules == {"SIGNATURE_UNREADABLE"} and rep.verdict == Verdict.REVIEW
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "can", tsa=tsa), crls=False, crl_files=root_only)
    assert rep.signatures[0].revocation == "unchecked"
