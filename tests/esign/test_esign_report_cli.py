"""`evrak verify SIG --content FILE --report-xml F`: the detached signature checked against its
content, and the ETSI TS 119 102-2 validation report, one SignatureValidationReport per
signature with its indications."""

from __future__ import annotations

import json

from lxml import etree

from testing.testpki import add_counter_signature, detach, make_cades
from verifiers.signatures.etsi_report import validation_report_xml
from worker.cli import main

NS = {"vr": "http://uri.etsi.org/19102/v1.2.1#", "ds": "http://www.w3.org/2000/09/xmldsig#"}


def test_cli_detached_with_content_and_xml_report(pki, tsa, taahhutname, tmp_path, capsys):
    p7s, content = detach(make_cades(taahhutname, pki, "ahmet", tsa=tsa))
    (tmp_path / "t.pdf").write_bytes(content)
    (tmp_path / "t.pdf.p7s").write_bytes(p7s)
    xml = tmp_path / "rapor.xml"
    crls = [str(p) for p in pki.crl_files]
    args = ["verify", str(tmp_path / "t.pdf.p7s"), "--trust", str(pki.trust_dir), "--crl", *crls]
    assert main([*args, "--content", str(tmp_path / "t.pdf"), "--report-xml", str(xml), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    sig = out["signature"]["signatures"][0]
    assert (sig["indication"], sig["intact"]) == ("TOTAL-PASSED", True)
    root = etree.parse(str(xml)).getroot()
    assert root.tag == "{http://uri.etsi.org/19102/v1.2.1#}ValidationReport"
    (rep,) = root.findall("vr:SignatureValidationReport", NS)
    assert rep.findtext("vr:SignatureValidationStatus/vr:MainIndication", namespaces=NS) == (
        "urn:etsi:019102:mainindication:total-passed"
    )
    assert rep.find("vr:SignatureIdentifier/ds:SignatureValue", NS) is not None
    assert rep.find("vr:SignersDocument/vr:DigestAlgAndValue/ds:DigestValue", NS) is not None
    assert rep.find("vr:ValidationTimeInfo/vr:BestSignatureTime/vr:POETime", NS) is not None
    # without the content: indeterminate, a review, and the report says so
    assert main([*args, "--report-xml", str(xml), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["signature"]["verdict"] == "review"
    status = etree.parse(str(xml)).getroot().find("vr:SignatureValidationReport/vr:SignatureValidationStatus", NS)
    assert status.findtext("vr:MainIndication", namespaces=NS).endswith("indeterminate")
    assert status.findtext("vr:SubIndication", namespaces=NS).endswith("SIGNED_DATA_NOT_FOUND")


def test_cli_argument_errors_exit_2(pki, tmp_path, capsys):
    (tmp_path / "t.pdf.p7s").write_bytes(b"0")
    assert main(["verify", str(tmp_path / "t.pdf.p7s"), "--trust", str(pki.trust_dir),
                 "--content", str(tmp_path / "yok.pdf")]) == 2
    assert "--content" in capsys.readouterr().err


def test_xml_report_one_entry_per_signature_and_counter_signature(verify, pki, tsa, taahhutname):
    imz = add_counter_signature(make_cades(taahhutname, pki, "can", tsa=tsa), pki, "mehmet")
    rep = verify("t.imz", imz)
    root = etree.fromstring(validation_report_xml(rep).encode())
    reports = root.findall("vr:SignatureValidationReport", NS)
    assert len(reports) == len(rep.signatures) == 2
    mains = [r.findtext("vr:SignatureValidationStatus/vr:MainIndication", namespaces=NS) for r in reports]
    subs = [r.findtext("vr:SignatureValidationStatus/vr:SubIndication", namespaces=NS) for r in reports]
    assert mains[0].endswith("total-failed") and subs[0].endswith("REVOKED")  # can: revoked in 2021
    assert mains[1].endswith("total-passed") and subs[1] is None
    revoked = reports[0].find(".//vr:RevocationStatusInformation/vr:RevocationTime", NS)
    assert revoked is not None and revoked.text.startswith("2021-06-01")
    # the signer certificates are validation objects the reports point at
    ids = {o.get("id") for o in root.findall("vr:SignatureValidationObjects/vr:ValidationObject", NS)}
    refs = {r.find("vr:SignerInformation/vr:SignerCertificate", NS).get("VOReference") for r in reports}
    assert refs <= ids and len(refs) == 2
