"""x.pdf and x.pdf.p7s (or .imz) side by side are one signed document (issue 13 item 1)."""

from __future__ import annotations

from testing.testpki import detach, make_cades
from verifiers.signatures.pairing import content_name, signed_documents


def test_content_name():
    assert content_name("taahhutname.pdf.p7s") == "taahhutname.pdf"
    assert content_name("ek/taahhutname.pdf.IMZ") == "ek/taahhutname.pdf"
    assert content_name("taahhutname.p7s") is None  # no signed file name inside
    assert content_name("taahhutname.pdf") is None


def test_signed_documents_pairs_once():
    present = {"a.pdf", "a.pdf.p7s", "b.pdf.imz", "c.pdf", "d.pdf", "d.pdf.imz"}
    listed = ["a.pdf", "a.pdf.p7s", "b.pdf.imz", "c.pdf", "d.pdf.imz"]
    assert signed_documents(listed, present) == [
        ("a.pdf", "a.pdf.p7s", "a.pdf"),  # listed twice: one document
        ("b.pdf.imz", "b.pdf.imz", None),  # nothing beside it: verified alone
        ("c.pdf", "c.pdf", None),
        ("d.pdf", "d.pdf.imz", "d.pdf"),
    ]


def test_pair_verified_as_one_document(verify, pki, tsa, taahhutname, write):
    p7s, content = detach(make_cades(taahhutname, pki, "ahmet", tsa=tsa))
    rep = verify("t.pdf.p7s", p7s, content_file=write("t.pdf", content))
    assert rep.findings == [] and rep.signatures[0].indication == "TOTAL-PASSED"


def test_attached_imz_whose_content_differs_from_the_file_beside_it(verify, pki, tsa, taahhutname, write):
    imz = make_cades(taahhutname, pki, "ahmet", tsa=tsa)
    rep = verify("t.pdf.imz", imz, content_file=write("t.pdf", taahhutname + b"\n%degisti\n"))
    assert rep.signatures[0].indication == "TOTAL-PASSED"  # the signature over its own content holds
    assert rep.rules == {"SIGNATURE_UNREADABLE"} and "aynı değil" in rep.findings[0].message
