"""D32: where the imza sirküleri's representation clause was not read (SigningMode.UNKNOWN),
the authority findings carry certainty UNREAD and are at most a review — never a rejection
built on "treated as joint"."""

from __future__ import annotations

from evrak.facts import AuthorizedPerson, SigningMode
from evrak.findings import Certainty, Severity, Verdict
from testing.testpki import SPECS, sign_pdf


def person(key: str, name: str, mode: SigningMode) -> AuthorizedPerson:
    return AuthorizedPerson(name=name, tckn=SPECS[key].tckn, mode=mode)


def test_unread_mode_single_signer_is_a_review(verify, pki, tsa, taahhutname, circular):
    persons = [person("ahmet", "AHMET YILMAZ", SigningMode.UNKNOWN), person("ayse", "AYŞE DEMİR", SigningMode.UNKNOWN)]
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "ahmet", tsa=tsa), circular=circular(persons=persons))
    (f,) = rep.findings
    assert f.rule == "SIGNER_JOINT_INCOMPLETE" and f.certainty is Certainty.UNREAD
    assert f.severity == Severity.REVIEW and rep.verdict == Verdict.REVIEW
    assert "temsil şekli okunamadı" in f.message
    assert "temsil şekli okunamadı" in rep.signatures[0].authority


def test_unread_mode_two_signers_satisfy_either_way(verify, pki, tsa, taahhutname, circular):
    persons = [person("ayse", "AYŞE DEMİR", SigningMode.UNKNOWN), person("mehmet", "MEHMET KAYA", SigningMode.UNKNOWN)]
    pdf = sign_pdf(sign_pdf(taahhutname, pki, "ayse", tsa=tsa), pki, "mehmet", tsa=tsa)
    rep = verify("t.pdf", pdf, circular=circular(persons=persons))
    assert rep.findings == [] and rep.authority_satisfied is True


def test_read_joint_mode_still_rejects(verify, pki, tsa, taahhutname, circular):
    persons = [person("ayse", "AYŞE DEMİR", SigningMode.JOINT), person("mehmet", "MEHMET KAYA", SigningMode.JOINT)]
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "ayse", tsa=tsa), circular=circular(persons=persons))
    (f,) = rep.findings
    assert f.rule == "SIGNER_JOINT_INCOMPLETE" and f.certainty is Certainty.READ
    assert rep.verdict == Verdict.REJECT


def test_joint_signer_with_an_unread_mode_cosigner(verify, pki, tsa, taahhutname, circular):
    """A co-signer whose mode was not read is still an authorized person: the joint signature
    is complete (whether that person may sign alone or jointly)."""
    persons = [person("ayse", "AYŞE DEMİR", SigningMode.JOINT), person("mehmet", "MEHMET KAYA", SigningMode.UNKNOWN)]
    pdf = sign_pdf(sign_pdf(taahhutname, pki, "ayse", tsa=tsa), pki, "mehmet", tsa=tsa)
    rep = verify("t.pdf", pdf, circular=circular(persons=persons))
    assert rep.findings == [] and rep.authority_satisfied is True


def test_file_verdict_caps_an_uncertain_reject_like_the_assessment():
    """`evrak verify` shows the file's own verdict; it follows the same D32 cap as admission:
    a reject resting on an inferred value is a review there too, a read one stays a reject."""
    from evrak.findings import Finding, capped
    from verifiers.signatures.report import SignedFileReport

    inferred = Finding("SIGNER_NOT_AUTHORIZED", "yetkili listesinde yok", certainty=Certainty.INFERRED)
    assert inferred.severity == Severity.REJECT  # the finding keeps its rule's severity ...
    assert SignedFileReport(file="t.pdf", findings=[inferred]).verdict == Verdict.REVIEW  # ... the verdict is capped
    read = Finding("SIGNER_NOT_AUTHORIZED", "yetkili listesinde yok")
    assert SignedFileReport(file="t.pdf", findings=[inferred, read]).verdict == Verdict.REJECT
    assert capped(Severity.DEFICIENT, Certainty.UNREAD) == Severity.REVIEW
    assert capped(Severity.WARNING, Certainty.UNREAD) == Severity.WARNING
