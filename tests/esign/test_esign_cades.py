"""CAdES .imz / .p7s around a taahhütname, signed with the test PKI."""

from __future__ import annotations

import base64
from datetime import timedelta

from evrak.dates import now
from evrak.findings import Verdict
from testing.testdocs import flip_byte
from testing.testpki import SPECS, add_parallel_signature, make_cades, sign_pdf
from verifiers.signatures.cades import embedded_content


def test_imz_around_pdf_valid(verify, pki, tsa, taahhutname, circular):
    imz = make_cades(taahhutname, pki, "ahmet", tsa=tsa)
    rep = verify("taahhutname.pdf.imz", imz, circular=circular(), deadline=now() + timedelta(days=1))
    assert rep.kind == "cades"
    assert rep.findings == [], [f.message for f in rep.findings]
    (sig,) = rep.signatures  # the PDF inside carries no signature of its own
    assert sig.kind == "cades" and sig.container == "imz"
    assert sig.intact and sig.signature_valid and sig.trusted and sig.revocation == "good"
    assert sig.signer.tckn == SPECS["ahmet"].tckn
    assert sig.timestamp_trusted
    assert embedded_content(imz) == taahhutname


def test_imz_around_signed_pdf_reports_both(verify, pki, tsa, taahhutname, circular):
    """Ayşe signs the PDF (PAdES), Mehmet signs the .imz around it: joint authority complete."""
    inner = sign_pdf(taahhutname, pki, "ayse", tsa=tsa)
    imz = make_cades(inner, pki, "mehmet", tsa=tsa)
    rep = verify("t.imz", imz, circular=circular())
    assert [s.container for s in rep.signatures] == ["imz", "imz-icindeki-pdf"]
    assert [s.signer.tckn for s in rep.signatures] == [SPECS["mehmet"].tckn, SPECS["ayse"].tckn]
    assert rep.findings == [], [f.message for f in rep.findings]
    assert rep.authority_satisfied is True


def test_imz_with_only_one_joint_signer(verify, pki, tsa, taahhutname, circular):
    rep = verify("t.imz", make_cades(taahhutname, pki, "mehmet", tsa=tsa), circular=circular())
    assert rep.rules == {"SIGNER_JOINT_INCOMPLETE"}


def test_parallel_signatures_in_one_imz(verify, pki, tsa, taahhutname, circular):
    imz = add_parallel_signature(make_cades(taahhutname, pki, "ayse", tsa=tsa), pki, "mehmet", tsa=tsa)
    rep = verify("t.imz", imz, circular=circular())
    assert len(rep.signatures) == 2 and all(s.cryptographically_ok for s in rep.signatures)
    assert rep.findings == [] and rep.authority_satisfied is True


def test_tampered_imz_content(verify, pki, tsa, taahhutname):
    imz = make_cades(taahhutname, pki, "ahmet", tsa=tsa)
    offset = imz.index(taahhutname[:200]) + 150  # a byte inside the embedded PDF
    rep = verify("t.imz", flip_byte(imz, offset))
    assert "SIGNATURE_INVALID" in rep.rules
    assert rep.signatures[0].intact is False
    assert rep.verdict == Verdict.REJECT


def test_detached_p7s_with_and_without_content(verify, pki, tsa, taahhutname, write):
    p7s = make_cades(taahhutname, pki, "ahmet", tsa=tsa, detached=True)
    content = write("taahhutname.pdf", taahhutname)
    rep = verify("t.p7s", p7s, content_file=content)
    assert rep.findings == [] and rep.signatures[0].intact
    rep = verify("t.p7s", p7s)
    assert "SIGNATURE_UNREADABLE" in rep.rules
    assert rep.verdict != Verdict.PASS
    other = write("other.pdf", taahhutname + b"\n% eklendi\n")
    rep = verify("t.p7s", p7s, content_file=other)
    assert "SIGNATURE_INVALID" in rep.rules and rep.signatures[0].intact is False


def test_imz_as_pem_and_base64(verify, pki, taahhutname):
    der = make_cades(taahhutname, pki, "ahmet")
    b64 = base64.encodebytes(der)
    pem = b"-----BEGIN PKCS7-----\n" + b64 + b"-----END PKCS7-----\n"
    for data in (b64, pem):
        rep = verify("t.imz", data)
        assert rep.signatures[0].intact and rep.signatures[0].trusted


def test_seal_on_imz(verify, pki, tsa, taahhutname, circular):
    rep = verify("t.imz", make_cades(taahhutname, pki, "firma_muhur", tsa=tsa), circular=circular())
    assert rep.rules == {"SIGNER_IS_SEAL"}
