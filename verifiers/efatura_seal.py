"""The mali mühür of an e-Fatura: the XAdES signature enveloped in ext:UBLExtensions.

signxml checks the XML signature itself (every reference digest, the SignedInfo signature
with the certificate's key, the XAdES SignedProperties and SigningCertificate digest) and a
reference must cover the whole invoice (URI="" with the enveloped-signature transform), so a
seal over only part of the document does not count. The certificate chain is then validated
by pyhanko-certvalidator against the configured trust roots (the --trust folder or
EVRAK_TRUST_DIR; CRL files found there are used), the same material the PDF signature
checks use, never the operating system's store. The sealing VKN (or TCKN for a sole
trader) comes from the certificate, the time from xades:SigningTime (a claim: it carries no
timestamp of its own).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import threading
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509 as c_x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from pyhanko_certvalidator import CertificateValidator
from signxml.exceptions import InvalidCertificate, InvalidInput, InvalidSignature
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from evrak.dates import format_datetime
from evrak.facts import SealFacts
from evrak.findings import Certainty, Evidence, Finding
from verifiers.signatures.signer import identity_of
from verifiers.signatures.trust import TrustConfigError, load_trust, validation_context

SIG_NS = {
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
}
_SIGS = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature"
# where signxml looks for the signature: the mali mühür's place, not any ds:Signature in the file
_LOCATION = "".join(f"{{{SIG_NS['ext']}}}{t}/" for t in ("UBLExtensions", "UBLExtension", "ExtensionContent"))
_LOCATION = "./" + _LOCATION


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["v"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["e"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join()
    if "e" in box:
        raise box["e"]
    return box.get("v")


def _certs(sig: etree._Element) -> list[c_x509.Certificate]:
    out = []
    for node in sig.xpath("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=SIG_NS):
        try:
            out.append(c_x509.load_der_x509_certificate(base64.b64decode("".join((node.text or "").split()))))
        except (ValueError, binascii.Error):
            continue
    return out


def _signing_time(sig: etree._Element) -> datetime | None:
    node = sig.xpath(".//xades:SignedSignatureProperties/xades:SigningTime", namespaces=SIG_NS)
    if not node or not node[0].text:
        return None
    try:
        moment = datetime.fromisoformat(node[0].text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml_check(data: bytes, root_tag: str,
               certs: list[c_x509.Certificate]) -> tuple[c_x509.Certificate | None, str, bool]:
    """(the certificate whose key made a valid signature over the whole invoice, problem, and
    whether the problem is proven: a digest or signature that does not match is; a structure
    signxml does not support (e.g. an XPath transform) only means "cannot verify")."""
    problem, proven = "imzanın içinde sertifika yok", True
    for cert in certs:
        # the validity period is judged by the chain check at the sealing time, with a clear
        # message; here only the XML signature itself (so an expired seal is not "altered")
        config = XAdESSignatureConfiguration(expect_references=True, verification_time=cert.not_valid_before_utc,
                                             location=_LOCATION)
        try:
            results = XAdESVerifier().verify(data, x509_cert=cert, expect_config=config, parser=_parser())
        except InvalidCertificate as exc:
            problem, proven = f"mühür sertifikası kullanılamıyor ({exc})", True
            continue
        except InvalidSignature as exc:
            problem, proven = f"imza ya da özet değeri tutmuyor; belge mühürlendikten sonra değiştirilmiş ({exc})", True
            continue
        except InvalidInput as exc:
            problem, proven = f"imza yapısı bozuk ya da desteklenmiyor ({exc})", False
            continue
        except Exception as exc:  # signxml on malformed signatures: a finding, never a crash
            problem, proven = f"imza doğrulanamadı ({type(exc).__name__}: {exc})", False
            continue
        if not any(r.signed_xml is not None and r.signed_xml.tag == root_tag for r in results):
            return None, "mühür faturanın tamamını kapsamıyor (URI=\"\" referansı yok)", True
        return cert, "", True
    return None, problem, proven


def _chain(cert: c_x509.Certificate, others: list[c_x509.Certificate], trust_dir: Path,
           moment: datetime | None) -> tuple[str, bool]:
    """('' when the certificate chains to a configured root at `moment`, else the problem;
    whether revocation was checked against CRLs in the trust folder)."""
    material = load_trust(trust_dir, tuple(sorted(trust_dir.rglob("*.crl"))))
    if not material.roots:
        return f"güvenilir kök sertifika klasöründe ({trust_dir}) sertifika yok", False
    asn = asn1_x509.Certificate.load(cert.public_bytes(encoding=Encoding.DER))
    inter = [asn1_x509.Certificate.load(c.public_bytes(encoding=Encoding.DER)) for c in others]
    vc, strict = validation_context(material, other_certs=inter, moment=moment)
    validator = CertificateValidator(asn, intermediate_certs=inter, validation_context=vc)
    try:
        _run(validator.async_validate_usage(set()))
    except Exception as exc:
        return (f"mühür sertifikası güvenilir bir köke zincirlenmiyor, iptal edilmiş ya da geçerli değil "
                f"({type(exc).__name__}: {exc})", strict)
    return "", strict


def verify_seal(root: etree._Element, data: bytes, file: str, *,
                trust_dir: Path | None) -> tuple[SealFacts, list[Finding]]:
    """SealFacts, and EFATURA_SEAL_INVALID (review) when a seal is there but does not verify."""
    facts = SealFacts()
    sigs = root.xpath(_SIGS, namespaces=SIG_NS)
    if not sigs:
        return facts, []  # a note, not a finding (verifiers.efatura_checks.einvoice_notes)
    sig = sigs[0]
    facts.present = True
    facts.signed_at = _signing_time(sig)
    certs = _certs(sig)
    findings: list[Finding] = []
    signer, problem, proven = _xml_check(data, root.tag, certs)
    ident_cert = signer or (certs[0] if certs else None)
    if ident_cert is not None:
        ident = identity_of(asn1_x509.Certificate.load(ident_cert.public_bytes(encoding=Encoding.DER)))
        facts.vkn, facts.tckn = ident.vkn, ident.tckn
        facts.subject = ident.organization or ident.common_name
    ev = [Evidence(file=file, text="ext:UBLExtensions/…/ds:Signature", value=facts.vkn or facts.subject)]
    if signer is None:
        facts.valid = False
        facts.problem = problem
        verdict = "geçersiz" if proven else "doğrulanamadı"
        findings.append(Finding("EFATURA_SEAL_INVALID", f"{file}: mali mühür {verdict}: {problem}",
                                evidence=ev, subject="e_fatura",
                                certainty=Certainty.READ if proven else Certainty.UNREAD))
        return facts, findings
    if trust_dir is None:
        facts.problem = ("güvenilir kök sertifika klasörü yapılandırılmamış (EVRAK_TRUST_DIR ya da --trust); "
                         "mühür sertifikası doğrulanamadı")
        findings.append(Finding("EFATURA_SEAL_INVALID", f"{file}: imza değeri tutuyor ama {facts.problem}",
                                evidence=ev, subject="e_fatura", certainty=Certainty.UNREAD))
        return facts, findings
    try:
        chain_problem, facts.revocation_checked = _chain(signer, [c for c in certs if c is not signer],
                                                         Path(trust_dir), facts.signed_at)
    except TrustConfigError as exc:
        chain_problem = str(exc)
    facts.trusted = not chain_problem
    facts.valid = not chain_problem
    if chain_problem:
        facts.problem = chain_problem
        when = f" (mühür zamanı {format_datetime(facts.signed_at)})" if facts.signed_at else ""
        findings.append(Finding("EFATURA_SEAL_INVALID", f"{file}: mali mühür geçersiz{when}: {chain_problem}",
                                evidence=ev, subject="e_fatura"))
    return facts, findings
