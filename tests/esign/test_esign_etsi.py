"""Issue 13: the cases the reference validators judge, built with the test PKI and TSA — BER
CMS, counter-signatures, detached content, revocation at the proven time from CRLs, from
OCSP (in the CMS, in the PDF's DSS, from a loopback responder), a missing intermediate, a
document-timestamp-only revision — each with its ETSI EN 319 102-1 indication."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

import pytest
from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from evrak.findings import Verdict
from testing.testdocs import flip_byte
from testing.testpki import (
    REVOKED_ON,
    SPECS,
    TestOCSPResponder,
    TestTSA,
    add_archive_timestamp,
    add_counter_signature,
    add_parallel_signature,
    detach,
    issue_person,
    make_cades,
    ocsp_response,
    sign_pdf,
    signer_without_chain,
    timestamp_pdf,
    to_ber,
)
from verifiers.signatures.cades import embedded_content
from verifiers.signatures.trust import load_trust, validation_context

BEFORE_REVOCATION = datetime(2020, 6, 1, 12, 0, tzinfo=UTC)  # "can" is revoked on 2021-06-01
AFTER_REVOCATION = datetime(2021, 7, 1, 12, 0, tzinfo=UTC)
NEVER_FETCHED = "http://127.0.0.1:9/ocsp"  # an AIA address for OCSP tests that run offline


def indications(rep) -> list[tuple[str, str, str | None]]:
    return [(s.role, s.indication, s.sub_indication) for s in rep.signatures]


def with_ocsp_in_cms(imz: bytes, responses: list[bytes]) -> bytes:
    """The CMS with OCSP responses in its SignedData `crls` field (RFC 5940 'other')."""
    sd = cms.ContentInfo.load(imz)["content"]
    fields = {k: sd[k] for k in ("version", "digest_algorithms", "encap_content_info", "certificates", "signer_infos")}
    fields["crls"] = [
        cms.RevocationInfoChoice(
            name="other",
            value={"other_rev_info_format": "ocsp_response", "other_rev_info": asn1_ocsp.OCSPResponse.load(r)},
        )
        for r in responses
    ]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(fields)}).dump()


def cades_by(signer, content: bytes, tsa: TestTSA | None) -> bytes:
    async def _sign():
        return await signer.async_sign_general_data(
            content, "sha256", detached=False, use_cades=True, timestamper=tsa.timestamper() if tsa else None
        )

    return asyncio.run(_sign()).dump()


def pades_by(signer, pdf: bytes, tsa: TestTSA | None, name: str = "Imza") -> bytes:
    meta = signers.PdfSignatureMetadata(field_name=name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.sign_pdf(writer, meta, signer=signer, timestamper=tsa.timestamper() if tsa else None).getvalue()


# --- 1. DER and BER, attached, detached, enveloping ---------------------------------------


def test_ber_indefinite_length_cms(verify, pki, tsa, taahhutname):
    der = make_cades(taahhutname, pki, "ahmet", tsa=tsa)
    ber = to_ber(der)
    assert ber[:2] == b"\x30\x80" and ber.endswith(b"\x00\x00") and ber != der
    for data in (ber, ber + b"\x00" * 7):  # its end-of-contents marker, then block padding
        rep = verify("t.imz", data)
        assert rep.findings == [], [f.message for f in rep.findings]
        assert indications(rep) == [("signature", "TOTAL-PASSED", None)]
    assert embedded_content(ber) == taahhutname
    # a BER CMS whose content was changed is still judged, not "unreadable"
    offset = ber.index(taahhutname[:200]) + 150
    rep = verify("t.imz", flip_byte(ber, offset))
    assert indications(rep) == [("signature", "TOTAL-FAILED", "HASH_FAILURE")]
    assert rep.rules == {"SIGNATURE_INVALID"}


def test_detached_cades_with_its_content(verify, pki, tsa, taahhutname, write):
    p7s, content = detach(make_cades(taahhutname, pki, "ahmet", tsa=tsa))
    good = write("taahhutname.pdf", content)
    rep = verify("taahhutname.pdf.p7s", p7s, content_file=good)
    assert indications(rep) == [("signature", "TOTAL-PASSED", None)] and rep.content_file == "taahhutname.pdf"
    rep = verify("taahhutname.pdf.p7s", p7s)
    assert indications(rep) == [("signature", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND")]
    assert rep.verdict == Verdict.REVIEW
    bad = write("baska.pdf", flip_byte(content, len(content) // 2))
    rep = verify("taahhutname.pdf.p7s", to_ber(p7s), content_file=bad)
    assert indications(rep) == [("signature", "TOTAL-FAILED", "HASH_FAILURE")] and rep.verdict == Verdict.REJECT


# --- 2. every signer: parallel, counter-signatures, timestamps -----------------------------


def test_counter_signature_is_its_own_signature(verify, pki, tsa, taahhutname, circular):
    """Ayşe signs, Mehmet counter-signs (serial signing): two signers, joint authority complete."""
    imz = add_counter_signature(make_cades(taahhutname, pki, "ayse", tsa=tsa), pki, "mehmet", tsa=tsa)
    rep = verify("t.imz", imz, circular=circular())
    assert indications(rep) == [("signature", "TOTAL-PASSED", None), ("counter_signature", "TOTAL-PASSED", None)]
    _, counter = rep.signatures
    assert counter.parent == 1 and counter.signer.tckn == SPECS["mehmet"].tckn
    assert counter.proven_time is not None  # its own signature timestamp
    assert rep.findings == [] and rep.authority_satisfied is True


def test_three_signatures_three_counter_signatures(verify, pki, taahhutname):
    imz = make_cades(taahhutname, pki, "ayse")
    imz = add_parallel_signature(add_parallel_signature(imz, pki, "mehmet"), pki, "ahmet")
    for who in ("zeynep", "ahmet", "ayse"):
        imz = add_counter_signature(imz, pki, who)
    rep = verify("t.imz", imz)
    assert len(rep.signatures) == 6
    counters = [s for s in rep.signatures if s.role == "counter_signature"]
    assert len(counters) == 3 and all(s.indication == "TOTAL-PASSED" for s in rep.signatures)
    # each counter-signature points at a (distinct) main signature
    assert sorted(rep.signatures[c.parent - 1].role for c in counters) == ["signature"] * 3
    assert len({c.parent for c in counters}) == 3


def test_counter_signature_over_another_value_fails(verify, pki, taahhutname):
    imz = add_counter_signature(make_cades(taahhutname, pki, "ayse"), pki, "mehmet")
    sd = cms.ContentInfo.load(imz)["content"]
    si = sd["signer_infos"][0]
    # the main signature's value changes: the main one breaks, and the counter-signature's
    # digest no longer matches what it signed
    raw = si["signature"].native
    tampered = imz.replace(raw, raw[:-1] + bytes([raw[-1] ^ 1]))
    rep = verify("t.imz", tampered)
    assert indications(rep) == [
        ("signature", "TOTAL-FAILED", "SIG_CRYPTO_FAILURE"),
        ("counter_signature", "TOTAL-FAILED", "HASH_FAILURE"),
    ]
    assert "Karşı imza geçersiz" in " ".join(f.message for f in rep.findings)


def test_document_timestamp_and_dss_in_one_later_revision(verify, pki, tsa, taahhutname):
    """D27: a later revision holding only a document timestamp and validation data is no
    modification after signing."""
    signed = sign_pdf(taahhutname, pki, "ahmet")
    vc, _ = validation_context(load_trust(pki.trust_dir, pki.crl_files))
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    out = signers.PdfTimeStamper(tsa.timestamper(), field_name="BelgeZD").timestamp_pdf(
        writer, md_algorithm="sha256", validation_context=vc
    )
    rep = verify("t.pdf", out.getvalue())
    (sig,) = rep.signatures
    assert not sig.modified_after_signing and rep.findings == []
    assert any("DSS" in c for c in sig.accepted_changes) and any("zaman damgası" in c for c in sig.accepted_changes)
    assert sig.timestamp_source == "document_timestamp"
    assert [(t.indication, t.trusted) for t in rep.document_timestamps] == [("TOTAL-PASSED", True)]


def test_document_timestamps_are_judged(verify, pki, tsa, taahhutname, empty_trust):
    pdf = timestamp_pdf(sign_pdf(taahhutname, pki, "ahmet", tsa=tsa), tsa)
    rep = verify("t.pdf", pdf, trust_dir=empty_trust)
    assert [t.indication for t in rep.document_timestamps] == ["INDETERMINATE"]


# --- 3. revocation at the proven time -----------------------------------------------------


@pytest.mark.parametrize("source", ["crl", "ocsp-in-cms"])
def test_revoked_after_or_before_the_proven_time(verify, pki, taahhutname, source):
    cases = ((BEFORE_REVOCATION, ("TOTAL-PASSED", None)), (AFTER_REVOCATION, ("TOTAL-FAILED", "REVOKED")))
    for when, expected in cases:
        with TestTSA(pki, fixed_time=when) as past_tsa:
            if source == "crl":
                imz = make_cades(taahhutname, pki, "can", tsa=past_tsa)
                rep = verify("t.imz", imz)
            else:
                signer = issue_person(pki, "ocsp-can", "CANAN ÖZ", "678912346", ocsp_url=NEVER_FETCHED)
                imz = cades_by(signer, taahhutname, past_tsa)
                answer = ocsp_response(pki, signer.signing_cert, revoked_at=REVOKED_ON)
                rep = verify("t.imz", with_ocsp_in_cms(imz, [answer]))
        (sig,) = rep.signatures
        assert (sig.indication, sig.sub_indication) == expected, (source, when, sig.explanation)
        if expected[0] == "TOTAL-PASSED":
            assert rep.findings == [] and sig.revoked_after_proof
            assert any("iptal edilmiş" in n and "geçerli" in n for n in sig.notes)  # the note
        else:
            assert rep.rules == {"SIGNATURE_INVALID"} and sig.revocation == "revoked"


def test_revoked_without_proof_of_time_is_indeterminate(verify, pki, taahhutname):
    rep = verify("t.pdf", sign_pdf(taahhutname, pki, "can"))
    (sig,) = rep.signatures
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "REVOKED_NO_POE")
    assert "SIGNATURE_UNREADABLE" in rep.rules and "SIGNATURE_INVALID" not in rep.rules


def test_ocsp_in_the_pdf_dss(verify, pki, tsa, taahhutname):
    """PAdES-LT: the OCSP answer in the DSS decides revocation (good, revoked); without it
    the status is undetermined (review)."""
    signer = issue_person(pki, "ocsp-lt", "LEYLA TAŞ", "223344556", ocsp_url=NEVER_FETCHED)
    pdf = pades_by(signer, taahhutname, tsa)
    rep = verify("t.pdf", pdf, crls=False)
    assert indications(rep) == [("signature", "INDETERMINATE", "TRY_LATER")]
    crls = [asn1_crl.CertificateList.load(p.read_bytes()) for p in pki.crl_files]
    for revoked_at, expected in ((None, ("TOTAL-PASSED", None)), (REVOKED_ON, ("TOTAL-FAILED", "REVOKED"))):
        answer = asn1_ocsp.OCSPResponse.load(ocsp_response(pki, signer.signing_cert, revoked_at=revoked_at))
        buf = io.BytesIO(pdf)
        DocumentSecurityStore.add_dss(buf, sig_contents=None, certs=[pki.nes_cert], ocsps=[answer], crls=crls)
        rep = verify("t.pdf", buf.getvalue(), crls=False)
        (sig,) = rep.signatures
        assert (sig.indication, sig.sub_indication) == expected
        assert not sig.modified_after_signing  # a DSS-only revision is allowed (D27)


def test_ocsp_responder_on_loopback(verify, pki, tsa, taahhutname):
    """online=True: the verifier asks the certificate's OCSP responder (a real HTTP server
    on 127.0.0.1 here) and judges by its answer."""
    with TestOCSPResponder(pki) as responder:
        signer = issue_person(pki, "ocsp-online", "OSMAN ÇAKIR", "112233445", ocsp_url=responder.url)
        imz = cades_by(signer, taahhutname, tsa)
        rep = verify("t.imz", imz, crls=False, online=True)
        assert indications(rep) == [("signature", "TOTAL-PASSED", None)]
        assert responder.requests_served >= 1 and rep.signatures[0].revocation == "good"
        responder.revoked[signer.signing_cert.serial_number] = REVOKED_ON
        rep = verify("t.imz", imz, crls=False, online=True)
        assert indications(rep) == [("signature", "TOTAL-FAILED", "REVOKED")]
        rep = verify("t.imz", imz, crls=False)  # offline: nobody asked, status undetermined
        assert indications(rep) == [("signature", "INDETERMINATE", "TRY_LATER")]


def test_ocsp_responder_revoked_after_the_proven_time(verify, pki, taahhutname):
    with TestOCSPResponder(pki) as responder, TestTSA(pki, fixed_time=BEFORE_REVOCATION) as past_tsa:
        signer = issue_person(pki, "ocsp-online2", "ORHAN ÇAKIR", "112233447", ocsp_url=responder.url)
        responder.revoked[signer.signing_cert.serial_number] = REVOKED_ON
        rep = verify("t.imz", cades_by(signer, taahhutname, past_tsa), crls=False, online=True)
        (sig,) = rep.signatures
        assert (sig.indication, sig.sub_indication) == ("TOTAL-PASSED", None), sig.explanation
        assert sig.notes and rep.findings == []


# --- 4. chain building --------------------------------------------------------------------


def test_missing_intermediate_is_indeterminate_not_invalid(verify, pki, taahhutname, tmp_path):
    imz = cades_by(signer_without_chain(pki, "ahmet"), taahhutname, None)
    rep = verify("t.imz", imz)
    assert indications(rep) == [("signature", "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")]
    assert rep.verdict == Verdict.REVIEW and "SIGNATURE_INVALID" not in rep.rules
    # the intermediate in the trust folder completes the chain
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "root.pem").write_bytes((pki.trust_dir / "root.pem").read_bytes())
    (trust / "nes.pem").write_bytes((pki.folder / "ca" / "nes.pem").read_bytes())
    for crl in pki.crl_files:
        (trust / crl.name).write_bytes(crl.read_bytes())  # CRLs found in the trust folder
    rep = verify("t.imz", imz, trust_dir=trust, crls=False)
    assert indications(rep) == [("signature", "TOTAL-PASSED", None)]


def test_archive_timestamp_reported_on_its_own(verify, pki, tsa, taahhutname, empty_trust):
    imz = add_archive_timestamp(make_cades(taahhutname, pki, "ahmet", tsa=tsa), tsa)
    rep = verify("t.imz", imz)
    assert indications(rep) == [("signature", "TOTAL-PASSED", None)] and rep.findings == []
    (ats,) = rep.document_timestamps
    assert ats.kind == "archive_timestamp" and ats.parent == 1 and ats.time is not None
    assert (ats.indication, ats.trusted) == ("TOTAL-PASSED", True)
    assert "yeniden hesaplanmadı" in ats.error  # its coverage is not claimed
    rep = verify("t.imz", imz, trust_dir=empty_trust)
    assert [t.indication for t in rep.document_timestamps] == ["INDETERMINATE"]


def test_ocsp_response_stored_in_the_trust_folder(verify, pki, tsa, taahhutname, tmp_path):
    signer = issue_person(pki, "ocsp-folder", "FATMA ÖZ", "334455667", ocsp_url=NEVER_FETCHED)
    imz = cades_by(signer, taahhutname, tsa)
    trust = tmp_path / "guven"
    (trust / "iptal").mkdir(parents=True)
    (trust / "root.pem").write_bytes((pki.trust_dir / "root.pem").read_bytes())
    assert indications(verify("t.imz", imz, trust_dir=trust, crls=False)) == [
        ("signature", "INDETERMINATE", "TRY_LATER")
    ]
    (trust / "iptal" / "fatma.ocsp").write_bytes(ocsp_response(pki, signer.signing_cert, revoked_at=REVOKED_ON))
    rep = verify("t.imz", imz, trust_dir=trust, crls=False)
    assert indications(rep) == [("signature", "TOTAL-FAILED", "REVOKED")]


def test_ocsp_archived_in_the_pdf_signature_itself(verify, pki, tsa, taahhutname):
    """Adobe-style PAdES-LT: revocation in the signed attribute, no DSS (pyHanko refuses to
    sign with a revoked certificate here, so the revoked case is covered by the DSS test)."""
    signer = issue_person(pki, "ocsp-adobe", "ADEM ÖZ", "445566778", ocsp_url=NEVER_FETCHED)
    crls = [asn1_crl.CertificateList.load(p.read_bytes()) for p in pki.crl_files]
    answer = asn1_ocsp.OCSPResponse.load(ocsp_response(pki, signer.signing_cert))
    vc = ValidationContext(trust_roots=[pki.root_cert], other_certs=[pki.nes_cert], ocsps=[answer], crls=crls)
    results = []
    for embed in (False, True):
        meta = signers.PdfSignatureMetadata(
            field_name="Imza", md_algorithm="sha256", subfilter=SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
            embed_validation_info=embed, validation_context=vc if embed else None,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(taahhutname), strict=False)
        pdf = signers.sign_pdf(writer, meta, signer=signer, timestamper=tsa.timestamper()).getvalue()
        assert b"/DSS" not in pdf
        results.append(indications(verify("t.pdf", pdf, crls=False)))
    assert results == [[("signature", "INDETERMINATE", "TRY_LATER")], [("signature", "TOTAL-PASSED", None)]]
