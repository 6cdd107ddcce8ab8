"""The mali mühür on UBL-TR invoices (XAdES in ext:UBLExtensions), sealed here with the
project's test PKI through signxml; and hostile XML (entities, DOCTYPE, size, depth, NaN/INF)."""

from __future__ import annotations

import shutil
import time
from decimal import Decimal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml.xades import XAdESSigner

from testing.testpki import SPECS, TestPKI, build_test_pki
from tests.verifiers.helpers import rules, write
from tests.verifiers.test_efatura_ubl import REAL, L, build, tamper
from verifiers.document import read_document
from verifiers.efatura import MAX_DEPTH, MAX_XML_BYTES, read_efatura

D = Decimal


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    return build_test_pki(tmp_path_factory.mktemp("pki"))


def seal(xml: bytes, pki: TestPKI, who: str = "firma_muhur") -> bytes:
    """Seal `xml` (built with a ds:Signature placeholder in ext:ExtensionContent) as `who`."""
    key = serialization.load_pem_private_key((pki.folder / "ee" / f"{who}.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate(pki.cert_path(who).read_bytes())
    nes = x509.load_pem_x509_certificate((pki.folder / "ca" / "nes.pem").read_bytes())
    signed = XAdESSigner(signature_algorithm="ecdsa-sha256", digest_algorithm="sha256").sign(
        etree.fromstring(xml), key=key, cert=[cert, nes])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="module")
def sealed(pki) -> bytes:
    return seal(build([L(D(2), D("1500.00"))], seal_placeholder=True).xml, pki)


def test_valid_seal(tmp_path, pki, sealed):
    res = read_document(write(tmp_path, "f.xml", sealed), trust_dir=pki.trust_dir)
    s = res.facts.einvoice.seal
    assert res.findings == []
    assert s.present and s.valid and s.trusted and s.vkn == SPECS["firma_muhur"].vkn
    assert s.subject == SPECS["firma_muhur"].organization and s.signed_at is not None and s.signed_at.tzinfo
    note = next(n for n in res.notes if n.startswith(f"Mali mühür geçerli: VKN {s.vkn}"))
    assert "satıcının VKN'si 4540536920" in note  # sealed by another VKN (an integrator may): a note
    assert res.facts.grand_total == D("3600.00")  # the facts are read as usual


def test_sealed_invoice_inside_an_envelope(tmp_path, pki, sealed):
    body = sealed.split(b"?>", 1)[1]
    zarf = (b'<?xml version="1.0" encoding="UTF-8"?><sh:StandardBusinessDocument '
            b'xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">'
            b'<ef:Package xmlns:ef="http://www.efatura.gov.tr/package-namespace"><Elements><ElementList>'
            + body + b"</ElementList></Elements></ef:Package></sh:StandardBusinessDocument>")
    res = read_document(write(tmp_path, "zarf.xml", zarf), trust_dir=pki.trust_dir)
    assert res.findings == [] and res.facts.einvoice.seal.valid and res.facts.grand_total == D("3600.00")


def test_trust_from_environment(tmp_path, pki, sealed, monkeypatch):
    monkeypatch.setenv("EVRAK_TRUST_DIR", str(pki.trust_dir))
    facts, findings = read_efatura(sealed, "f.xml", schema=False)
    assert findings == [] and facts.einvoice.seal.valid


def test_tampered_after_sealing(tmp_path, pki, sealed):
    bad = tamper(sealed, "//cac:AccountingSupplierParty//cac:PartyName/cbc:Name", "BAŞKA FİRMA A.Ş.")
    res = read_document(write(tmp_path, "f.xml", bad), trust_dir=pki.trust_dir)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"]
    assert "değiştirilmiş" in res.findings[0].message and "f.xml" in res.findings[0].message
    assert res.facts.einvoice.seal.valid is False and res.facts.supplier == "BAŞKA FİRMA A.Ş."


def test_unsupported_signature_structure_is_cannot_verify(tmp_path, pki, sealed):
    """An algorithm signxml does not know: a review ("cannot verify"), not a proven forgery."""
    root = etree.fromstring(sealed)
    root.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureMethod").set("Algorithm", "urn:bilinmeyen-yontem")
    res = read_document(write(tmp_path, "f.xml", etree.tostring(root)), trust_dir=pki.trust_dir)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"] and res.findings[0].certainty == "unread"
    assert "mali mühür doğrulanamadı" in res.findings[0].message


def test_tampered_amount_gives_seal_and_arithmetic_findings(tmp_path, pki, sealed):
    bad = tamper(sealed, "//cac:LegalMonetaryTotal/cbc:PayableAmount", "36000.00")
    res = read_document(write(tmp_path, "f.xml", bad), trust_dir=pki.trust_dir)
    assert set(rules(res.findings)) == {"EFATURA_SEAL_INVALID", "PROFORMA_ARITHMETIC"}


def test_missing_seal_is_a_note(tmp_path, pki):
    res = read_document(write(tmp_path, "f.xml", build([L(D(1), D("10.00"))]).xml), trust_dir=pki.trust_dir)
    assert res.findings == [] and not res.facts.einvoice.seal.present
    assert any(n.startswith("Mali mühür (XAdES imzası) yok") for n in res.notes)


def test_root_not_trusted(tmp_path, sealed):
    other = tmp_path / "trust"
    other.mkdir()
    res = read_document(write(tmp_path, "f.xml", sealed), trust_dir=other)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"] and not res.facts.einvoice.seal.trusted


def test_no_trust_configured_is_a_review_not_a_pass(tmp_path, sealed, monkeypatch):
    monkeypatch.delenv("EVRAK_TRUST_DIR", raising=False)
    facts, findings = read_efatura(sealed, "f.xml", schema=False)
    assert rules(findings) == ["EFATURA_SEAL_INVALID"] and findings[0].certainty == "unread"
    assert facts.einvoice.seal.valid is None and "EVRAK_TRUST_DIR" in findings[0].message


def test_revoked_certificate_with_the_crls_in_the_trust_folder(tmp_path, pki):
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(pki.trust_dir / "root.pem", trust / "root.pem")
    for crl in pki.crl_files:
        shutil.copy(crl, trust / crl.name)
    xml = seal(build([L(D(1), D("10.00"))], seal_placeholder=True).xml, pki, who="can")
    res = read_document(write(tmp_path, "f.xml", xml), trust_dir=trust)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"] and res.facts.einvoice.seal.revocation_checked
    assert "iptal" in res.findings[0].message
    good = seal(build([L(D(1), D("10.00"))], seal_placeholder=True).xml, pki)
    res = read_document(write(tmp_path, "g.xml", good), trust_dir=trust)
    assert res.findings == [] and res.facts.einvoice.seal.revocation_checked
    assert not any("iptal durumu denetlenmedi" in n for n in res.notes)


def test_expired_certificate(tmp_path, pki):
    xml = seal(build([L(D(1), D("10.00"))], seal_placeholder=True).xml, pki, who="elif")
    res = read_document(write(tmp_path, "f.xml", xml), trust_dir=pki.trust_dir)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"]
    assert "değiştirilmiş" not in res.findings[0].message and "zincir" in res.findings[0].message
    assert res.facts.einvoice.seal.tckn == SPECS["elif"].tckn


def test_seal_over_part_of_the_invoice_does_not_count(tmp_path, pki):
    xml = build([L(D(1), D("10.00"))], seal_placeholder=True).xml
    root = etree.fromstring(xml)
    note = root.find("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}UUID")
    note.set("Id", "only-this")
    key = serialization.load_pem_private_key((pki.folder / "ee" / "firma_muhur.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate(pki.cert_path("firma_muhur").read_bytes())
    signed = XAdESSigner(signature_algorithm="ecdsa-sha256", digest_algorithm="sha256").sign(
        root, key=key, cert=[cert], reference_uri=["#only-this"])
    res = read_document(write(tmp_path, "f.xml", etree.tostring(signed)), trust_dir=pki.trust_dir)
    assert rules(res.findings) == ["EFATURA_SEAL_INVALID"], [f.message for f in res.findings]


# --- hostile XML ----------------------------------------------------------------------------------


def _refused(res, *words: str) -> None:
    assert rules(res.findings) == ["DOC_UNREADABLE"], [f.message for f in res.findings]
    assert res.facts is None and "kotu.xml" in res.findings[0].message
    for w in words:
        assert w in res.findings[0].message


def test_doctype_without_entities_is_refused(tmp_path):
    xml = build([L(D(1), D("10.00"))]).xml.replace(b"?>", b'?>\n<!DOCTYPE Invoice SYSTEM "http://x/ubl.dtd">', 1)
    _refused(read_document(write(tmp_path, "kotu.xml", xml)), "DOCTYPE")


def test_entity_deep_in_a_large_file_is_refused(tmp_path):
    pad = b"<!-- " + b"x" * 70000 + b" -->"
    xml = build([L(D(1), D("10.00"))]).xml.replace(b"?>", b"?>" + pad + b'<!DOCTYPE i [<!ENTITY a "b">]>', 1)
    _refused(read_document(write(tmp_path, "kotu.xml", xml)), "ENTITY")


def test_huge_file_is_refused_without_parsing(tmp_path):
    xml = build([L(D(1), D("10.00"))]).xml
    big = xml.replace(b"</Invoice>", b"<!--" + b"x" * (MAX_XML_BYTES + 1) + b"--></Invoice>")
    start = time.monotonic()
    _refused(read_document(write(tmp_path, "kotu.xml", big)), "çok büyük")
    assert time.monotonic() - start < 20  # hang guard


@pytest.mark.parametrize("levels", [MAX_DEPTH + 10, 20000])
def test_deeply_nested_is_refused(tmp_path, levels):
    xml = build([L(D(1), D("10.00"))]).xml
    nest = b"<a>" * levels + b"</a>" * levels
    bad = xml.replace(b"<ext:ExtensionContent/>", b"<ext:ExtensionContent>" + nest + b"</ext:ExtensionContent>")
    assert bad != xml
    _refused(read_document(write(tmp_path, "kotu.xml", bad)), "derin")


@pytest.mark.parametrize("field, value", [
    ("//cac:LegalMonetaryTotal/cbc:PayableAmount", "NaN"),
    ("//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "Infinity"),
    ("//cac:InvoiceLine/cac:Price/cbc:PriceAmount", "-INF"),
    ("//cac:InvoiceLine/cbc:LineExtensionAmount", "1e999999"),
    ("//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "12,50"),
])
def test_non_numeric_amount_is_a_clear_finding(tmp_path, field, value):
    bad = tamper(build([L(D(1), D("10.00"))]).xml, field, value)
    res = read_document(write(tmp_path, "kotu.xml", bad))
    assert rules(res.findings) == ["DOC_UNREADABLE"], [f.message for f in res.findings]
    msg = res.findings[0].message
    local = field.rsplit(":", 1)[1]
    assert f"{local} = '{value}'" in msg and "satır" in msg and "kotu.xml" in msg
    assert res.facts is not None  # the rest of the invoice is still read


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary",
                                  b"<?xml version='1.0' encoding='UTF-8'?><Invoice>\xff\xfe"])
def test_garbage_is_unreadable_not_an_exception(tmp_path, data):
    res = read_document(write(tmp_path, "kotu.xml", data))
    assert rules(res.findings) == ["DOC_UNREADABLE"] and res.facts is None


def test_real_fixture_is_unsealed():
    path = REAL / "izibiz-FATURA_5.xml"
    if not path.is_file():
        pytest.skip(f"shared fixtures not present: {path}")
    res = read_document(path)
    assert not res.facts.einvoice.seal.present and res.findings == []
