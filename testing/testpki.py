"""A real, reproducible test PKI and a real RFC 3161 timestamp authority over loopback.

Why this exists: the signature verifier must be tested against real certificates, real
CRLs and real timestamps (architecture.md: "tests build their own fixtures ... a test PKI
and a test timestamp authority"), and the sample-package builder, docgen (the agency seal)
and the benchmark need the same material. Keys are derived from fixed seeds and all dates
are fixed, so two builds of the PKI are byte-identical: a failing test can be replayed.

Contents (`build_test_pki(folder)`):
- root CA "Evrak Test Kök SM" and the intermediate "Evrak Test NES SM" (nitelikli e-imza);
- persons with a TCKN in the subject serialNumber in the forms met in practice (bare 11
  digits, "TCKN..." and the ETSI "IDCTR-..."), one with a QcStatements monetary limit;
- a company e-seal (mali mühür) carrying a VKN and no TCKN (D28);
- an expired person certificate and a revoked one, with CRLs from both CAs;
- the agency's own e-seal as PKCS#12 (docgen seals generated PDFs with it);
- a timestamp authority certificate (RSA: pyHanko's DummyTimeStamper signs RSA only).

`TestTSA` serves RFC 3161 over HTTP on 127.0.0.1 with an ephemeral port, so signing goes
through pyHanko's real `HTTPTimeStamper`. Helpers sign PDFs (PAdES, incrementally) and
wrap files into CAdES `.imz` containers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import random
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.ades import qualified_asn1
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from stdnum.tr import tckimlik, vkn

PKI_VERSION = "evrak-testpki-1"
P12_PASSWORD = b"evrak-test"

# Fixed validity windows: reproducible bytes, and far enough in the future for years of CI.
VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2045, 1, 1, tzinfo=UTC)
EXPIRED_UNTIL = datetime(2021, 1, 1, tzinfo=UTC)
REVOKED_ON = datetime(2021, 6, 1, tzinfo=UTC)
CRL_THIS_UPDATE = datetime(2024, 1, 1, tzinfo=UTC)
CRL_NEXT_UPDATE = datetime(2045, 1, 1, tzinfo=UTC)
CRL_URL = "http://127.0.0.1:9/evrak-test-nes.crl"  # never fetched: CRLs are supplied


def make_tckn(base9: str) -> str:
    """A checksum-valid TCKN from nine digits (first digit non-zero)."""
    return base9 + tckimlik.calc_check_digits(base9)


def make_vkn(base9: str) -> str:
    """A checksum-valid VKN from nine digits."""
    return base9 + vkn.calc_check_digit(base9)


@dataclass(frozen=True)
class IdentitySpec:
    """One end-entity certificate of the test PKI."""

    key: str
    name: str  # CN, as on a Turkish qualified certificate (upper case)
    given: str | None = None
    surname: str | None = None
    tckn: str | None = None
    serial_form: str = "{}"  # how the TCKN is written in subject serialNumber
    vkn: str | None = None
    organization: str | None = None
    qc_limit: Decimal | None = None  # QcLimitValue in TRY
    expired: bool = False
    revoked: bool = False
    seal: bool = False


IDENTITIES: tuple[IdentitySpec, ...] = (
    IdentitySpec(
        "ahmet", "AHMET YILMAZ", "AHMET", "YILMAZ", make_tckn("123456789"), qc_limit=Decimal("100000")
    ),
    IdentitySpec("ayse", "AYŞE DEMİR", "AYŞE", "DEMİR", make_tckn("234567891"), serial_form="TCKN{}"),
    IdentitySpec("mehmet", "MEHMET KAYA", "MEHMET", "KAYA", make_tckn("345678912"), serial_form="IDCTR-{}"),
    IdentitySpec("zeynep", "ZEYNEP ÇELİK", "ZEYNEP", "ÇELİK", make_tckn("456789123")),
    IdentitySpec("elif", "ELİF ŞAHİN", "ELİF", "ŞAHİN", make_tckn("567891234"), expired=True),
    IdentitySpec("can", "CAN ÖZTÜRK", "CAN", "ÖZTÜRK", make_tckn("678912345"), revoked=True),
    IdentitySpec(
        "firma_muhur",
        "ÖRNEK MAKİNA SANAYİ VE TİCARET A.Ş.",
        vkn=make_vkn("123456789"),
        organization="ÖRNEK MAKİNA SANAYİ VE TİCARET A.Ş.",
        seal=True,
    ),
    IdentitySpec(
        "ajans_muhur",
        "EVRAK TEST KALKINMA AJANSI",
        vkn=make_vkn("987654321"),
        organization="EVRAK TEST KALKINMA AJANSI",
        seal=True,
    ),
)
SPECS = {s.key: s for s in IDENTITIES}


# --- deterministic keys -----------------------------------------------------------------


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"{PKI_VERSION}:{label}".encode()).digest()


def _ec_key(label: str) -> ec.EllipticCurvePrivateKey:
    """EC P-256 key derived from a label: instant and reproducible."""
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    scalar = int.from_bytes(_seed(label), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _probably_prime(n: int, rng: random.Random, rounds: int = 24) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _rsa_key(label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """RSA key from a seeded generator: the TSA must be RSA, and builds must be reproducible."""
    rng = random.Random(_seed(label))
    e = 65537

    def prime(nbits: int) -> int:
        while True:
            c = rng.getrandbits(nbits) | (3 << (nbits - 2)) | 1
            if c % e != 1 and _probably_prime(c, rng):
                return c

    p = prime(bits // 2)
    q = prime(bits // 2)
    while q == p:
        q = prime(bits // 2)
    d = pow(e, -1, (p - 1) * (q - 1))
    pub = rsa.RSAPublicNumbers(e, p * q)
    return rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), pub
    ).private_key()


# --- certificates -----------------------------------------------------------------------


def _name(
    cn: str,
    *,
    org: str | None = None,
    serial: str | None = None,
    given: str | None = None,
    surname: str | None = None,
    org_id: str | None = None,
) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "TR")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if org_id:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    if given:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, given))
    if surname:
        attrs.append(x509.NameAttribute(NameOID.SURNAME, surname))
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _serial(label: str) -> int:
    return int.from_bytes(_seed("serial:" + label)[:16], "big") >> 1


def _sign_cert(builder: x509.CertificateBuilder, issuer_key) -> x509.Certificate:
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _qc_statements_der(limit: Decimal | None) -> bytes:
    statements = [qualified_asn1.QcStatement({"statement_id": "qc_compliance"})]
    if limit is not None:
        sign_, digits_, exp_ = limit.normalize().as_tuple()
        amount = int("".join(map(str, digits_))) * (-1 if sign_ else 1)
        statements.append(
            qualified_asn1.QcStatement(
                {
                    "statement_id": "qc_limit_value",
                    "statement_info": qualified_asn1.MonetaryValue(
                        {
                            "currency": qualified_asn1.Iso4217CurrencyCode(name="alphabetic", value="TRY"),
                            "amount": amount,
                            "exponent": int(exp_),
                        }
                    ),
                }
            )
        )
    return qualified_asn1.QcStatements(statements).dump()


def _ca_cert(
    subject: x509.Name, key, issuer: x509.Name, issuer_key, label: str, path_len: int | None
) -> x509.Certificate:
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(_serial(label))
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )
    return _sign_cert(b, issuer_key)


def _ee_cert(spec: IdentitySpec, key, ca_name: x509.Name, ca_key) -> x509.Certificate:
    if spec.seal:
        subject = _name(spec.name, org=spec.organization, serial=spec.vkn, org_id=f"VATTR-{spec.vkn}")
    else:
        subject = _name(
            spec.name, serial=spec.serial_form.format(spec.tckn), given=spec.given, surname=spec.surname
        )
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(_serial(spec.key))
        .not_valid_before(VALID_FROM)
        .not_valid_after(EXPIRED_UNTIL if spec.expired else VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
            ),
            critical=False,
        )
        .add_extension(
            x509.UnrecognizedExtension(
                x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), _qc_statements_der(spec.qc_limit)
            ),
            critical=False,
        )
    )
    return _sign_cert(b, ca_key)


def _tsa_cert(key, ca_name: x509.Name, ca_key) -> x509.Certificate:
    b = (
        x509.CertificateBuilder()
        .subject_name(_name("Evrak Test Zaman Damgası", org="Evrak Test SM"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(_serial("tsa"))
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    return _sign_cert(b, ca_key)


def _crl(issuer: x509.Name, issuer_key, revoked: list[int]) -> x509.CertificateRevocationList:
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer)
        .last_update(CRL_THIS_UPDATE)
        .next_update(CRL_NEXT_UPDATE)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )
    for serial in revoked:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(REVOKED_ON)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return b.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# --- the PKI as files -------------------------------------------------------------------


@dataclass
class TestPKI:
    """Paths and loaded objects of a built test PKI; `signer(key)` gives a pyHanko signer."""

    __test__ = False  # not a pytest test class

    folder: Path
    trust_dir: Path  # the root CA only: what a verifier is told to trust
    crl_files: list[Path]
    agency_seal_p12: Path
    p12_password: bytes = P12_PASSWORD
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def root_cert(self) -> asn1_x509.Certificate:
        return self._load_cert(self.trust_dir / "root.pem")

    @property
    def nes_cert(self) -> asn1_x509.Certificate:
        return self._load_cert(self.folder / "ca" / "nes.pem")

    @property
    def tsa_cert(self) -> asn1_x509.Certificate:
        return self._load_cert(self.folder / "tsa" / "tsa.pem")

    def tsa_key(self) -> asn1_keys.PrivateKeyInfo:
        return self._load_key(self.folder / "tsa" / "tsa.key.pem")

    def spec(self, key: str) -> IdentitySpec:
        return SPECS[key]

    def cert(self, key: str) -> asn1_x509.Certificate:
        return self._load_cert(self.folder / "ee" / f"{key}.pem")

    def cert_path(self, key: str) -> Path:
        return self.folder / "ee" / f"{key}.pem"

    def signer(self, key: str) -> signers.SimpleSigner:
        """A pyHanko signer for identity `key`, embedding the NES CA (not the root)."""
        cache_key = ("signer", key)
        if cache_key not in self._cache:
            self._cache[cache_key] = signers.SimpleSigner(
                signing_cert=self.cert(key),
                signing_key=self._load_key(self.folder / "ee" / f"{key}.key.pem"),
                cert_registry=SimpleCertificateStore.from_certs([self.nes_cert]),
            )
        return self._cache[cache_key]

    def _load_cert(self, path: Path) -> asn1_x509.Certificate:
        if path not in self._cache:
            der = x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(serialization.Encoding.DER)
            self._cache[path] = asn1_x509.Certificate.load(der)
        return self._cache[path]

    def _load_key(self, path: Path) -> asn1_keys.PrivateKeyInfo:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)


def build_test_pki(folder: Path | str) -> TestPKI:
    """Build (or reuse, when already built with this version) the test PKI in `folder`.

    Layout: trust/root.pem (the only trust anchor), ca/nes.pem, ee/<key>.pem + .key.pem,
    crl/root.crl + crl/nes.crl (DER), tsa/tsa.pem + tsa.key.pem, seal/ajans.p12.
    """
    folder = Path(folder)
    marker = folder / "pki.json"
    pki = TestPKI(
        folder=folder,
        trust_dir=folder / "trust",
        crl_files=[folder / "crl" / "root.crl", folder / "crl" / "nes.crl"],
        agency_seal_p12=folder / "seal" / "ajans.p12",
    )
    if marker.exists() and json.loads(marker.read_text()).get("version") == PKI_VERSION:
        return pki
    for sub in ("trust", "ca", "ee", "crl", "tsa", "seal"):
        (folder / sub).mkdir(parents=True, exist_ok=True)

    root_key = _ec_key("root")
    root_name = _name("Evrak Test Kök SM", org="Evrak Test SM")
    root = _ca_cert(root_name, root_key, root_name, root_key, "root", 1)
    nes_key = _ec_key("nes")
    nes_name = _name("Evrak Test NES SM", org="Evrak Test SM")
    nes = _ca_cert(nes_name, nes_key, root_name, root_key, "nes", 0)
    (folder / "trust" / "root.pem").write_bytes(_pem_cert(root))
    (folder / "ca" / "nes.pem").write_bytes(_pem_cert(nes))

    revoked: list[int] = []
    certs: dict[str, tuple[x509.Certificate, object]] = {}
    for spec in IDENTITIES:
        key = _ec_key("ee:" + spec.key)
        cert = _ee_cert(spec, key, nes_name, nes_key)
        certs[spec.key] = (cert, key)
        (folder / "ee" / f"{spec.key}.pem").write_bytes(_pem_cert(cert))
        (folder / "ee" / f"{spec.key}.key.pem").write_bytes(_pem_key(key))
        if spec.revoked:
            revoked.append(cert.serial_number)

    (folder / "crl" / "root.crl").write_bytes(
        _crl(root_name, root_key, []).public_bytes(serialization.Encoding.DER)
    )
    (folder / "crl" / "nes.crl").write_bytes(
        _crl(nes_name, nes_key, revoked).public_bytes(serialization.Encoding.DER)
    )

    tsa_key = _rsa_key("tsa")
    tsa = _tsa_cert(tsa_key, nes_name, nes_key)
    (folder / "tsa" / "tsa.pem").write_bytes(_pem_cert(tsa))
    (folder / "tsa" / "tsa.key.pem").write_bytes(_pem_key(tsa_key))

    seal_cert, seal_key = certs["ajans_muhur"]
    (folder / "seal" / "ajans.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ajans", seal_key, seal_cert, [nes], serialization.BestAvailableEncryption(P12_PASSWORD)
        )
    )
    marker.write_text(
        json.dumps(
            {
                "version": PKI_VERSION,
                "identities": {s.key: {"name": s.name, "tckn": s.tckn, "vkn": s.vkn} for s in IDENTITIES},
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return pki


# --- the timestamp authority --------------------------------------------------------------


class TestTSA:
    """RFC 3161 over HTTP on 127.0.0.1 (ephemeral port), answers built by DummyTimeStamper.

    `fixed_time` (aware datetime) makes the TSA stamp that time instead of now: how the
    tests produce a proven signing time after a deadline without waiting for one.
    Use as a context manager or call start()/stop().
    """

    __test__ = False

    def __init__(self, pki: TestPKI, fixed_time: datetime | None = None) -> None:
        self.pki = pki
        self.fixed_time = fixed_time
        self._stamper_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests_served = 0

    def _respond(self, body: bytes) -> bytes:
        req = tsp.TimeStampReq.load(body)
        with self._stamper_lock:
            stamper = DummyTimeStamper(
                tsa_cert=self.pki.tsa_cert,
                tsa_key=self.pki.tsa_key(),
                certs_to_embed=SimpleCertificateStore.from_certs([self.pki.nes_cert]),
                fixed_dt=self.fixed_time,
            )
            resp = stamper.request_tsa_response(req)
            self.requests_served += 1
        return resp.dump()

    def start(self) -> TestTSA:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = tsa._respond(self.rfile.read(length))
                except Exception:  # a bad request gets an HTTP error, never a dead server
                    self.send_error(400, "bad timestamp request")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:  # quiet in tests
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="evrak-test-tsa", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "TSA not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def timestamper(self) -> HTTPTimeStamper:
        """pyHanko's real HTTP client pointed at this server."""
        return HTTPTimeStamper(self.url, timeout=10)

    def __enter__(self) -> TestTSA:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- signing helpers --------------------------------------------------------------------


def sign_pdf(
    pdf: bytes,
    pki: TestPKI,
    who: str,
    *,
    tsa: TestTSA | None = None,
    field_name: str | None = None,
    md_algorithm: str = "sha256",
    reason: str | None = None,
    visible_box: tuple[int, int, int, int] | None = None,
) -> bytes:
    """PAdES-sign `pdf` as identity `who`, appended as an incremental update.

    Earlier signatures stay intact (that is how a co-signer adds a signature). With `tsa`,
    the signature carries a signature timestamp from it (PAdES B-T). With `visible_box`
    (x1, y1, x2, y2 on page 1), the signature gets a visible appearance.
    """
    name = field_name or f"Imza_{who}"
    spec = SigFieldSpec(sig_field_name=name, box=visible_box, on_page=0) if visible_box else None
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm=md_algorithm,
        reason=reason,
        subfilter=SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(
        writer,
        meta,
        signer=pki.signer(who),
        timestamper=tsa.timestamper() if tsa else None,
        new_field_spec=spec,
    )
    return out.getvalue()


def timestamp_pdf(pdf: bytes, tsa: TestTSA, field_name: str = "BelgeZamanDamgasi") -> bytes:
    """Add a document timestamp (/DocTimeStamp) to `pdf` incrementally."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    ts_signer = signers.PdfTimeStamper(tsa.timestamper(), field_name=field_name)
    out = ts_signer.timestamp_pdf(writer, md_algorithm="sha256")
    return out.getvalue()


def make_cades(
    content: bytes,
    pki: TestPKI,
    who: str,
    *,
    detached: bool = False,
    tsa: TestTSA | None = None,
    md_algorithm: str = "sha256",
) -> bytes:
    """A CAdES signature (DER ContentInfo) over `content`: attached (.imz) or detached (.p7s)."""
    signer = pki.signer(who)

    async def _sign() -> cms.ContentInfo:
        return await signer.async_sign_general_data(
            content,
            md_algorithm,
            detached=detached,
            use_cades=True,
            timestamper=tsa.timestamper() if tsa else None,
        )

    return asyncio.run(_sign()).dump()


def add_parallel_signature(imz: bytes, pki: TestPKI, who: str, *, tsa: TestTSA | None = None) -> bytes:
    """Add `who`'s signature next to the existing ones in an attached CAdES (parallel
    signatures: one SignerInfo per signer, as Turkish e-imza tools do for joint signing)."""
    ci = cms.ContentInfo.load(imz)
    sd = ci["content"]
    content = bytes(sd["encap_content_info"]["content"].native)
    other = cms.ContentInfo.load(make_cades(content, pki, who, tsa=tsa))["content"]
    certs = list(sd["certificates"]) + [c for c in other["certificates"] if c not in list(sd["certificates"])]
    algos = list(sd["digest_algorithms"])
    for a in other["digest_algorithms"]:
        if a.native not in [x.native for x in algos]:
            algos.append(a)
    merged = cms.SignedData({
        "version": sd["version"],
        "digest_algorithms": algos,
        "encap_content_info": sd["encap_content_info"],
        "certificates": certs,
        "signer_infos": [*sd["signer_infos"], *other["signer_infos"]],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": merged}).dump()


__all__ = [
    "IDENTITIES",
    "P12_PASSWORD",
    "SPECS",
    "IdentitySpec",
    "TestPKI",
    "TestTSA",
    "add_parallel_signature",
    "build_test_pki",
    "make_cades",
    "make_tckn",
    "make_vkn",
    "sign_pdf",
    "timestamp_pdf",
]


# --- variants for the issue-13 cases: BER, counter-signatures, detached, OCSP, chains ------


def to_ber(der: bytes, chunk: int = 1000) -> bytes:
    """The same CMS re-encoded as BER the way some Turkish e-imza tools write it: indefinite
    lengths (30 80 ... 00 00) on the outer structures and the content as a constructed
    OCTET STRING in chunks. Certificates and SignerInfos keep their DER (their bytes are
    signed), so the signatures stay valid."""
    def children(contents: bytes) -> list[bytes]:
        out, rest = [], contents
        while rest:
            _, _, _, header, body, trailer = asn1_parser.parse(rest, strict=False)
            size = len(header) + len(body) + len(trailer)
            out.append(rest[:size])
            rest = rest[size:]
        return out

    def parts(tlv: bytes) -> tuple[bytes, bytes]:
        _, _, _, header, body, _ = asn1_parser.parse(tlv)
        return header[:1], body

    def indefinite(tag: bytes, inner: list[bytes]) -> bytes:
        return tag + b"\x80" + b"".join(inner) + b"\x00\x00"

    def chunked_octets(tlv: bytes) -> bytes:
        _, body = parts(tlv)
        pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
        return indefinite(b"\x24", [_der_tlv(b"\x04", p) for p in pieces])

    tag, body = parts(der)  # ContentInfo
    oid, explicit = children(body)
    _, explicit_body = parts(explicit)
    (sd,) = children(explicit_body)
    _, sd_body = parts(sd)
    out = []
    for item in children(sd_body):
        t, item_body = parts(item)
        if t == b"\x31":  # digestAlgorithms, signerInfos: SET, indefinite, members as they are
            out.append(indefinite(t, children(item_body)))
        elif t == b"\x30":  # encapContentInfo
            eci = children(item_body)
            if len(eci) == 2:
                _, e_body = parts(eci[1])
                (octets,) = children(e_body)
                eci[1] = indefinite(b"\xa0", [chunked_octets(octets)])
            out.append(indefinite(t, eci))
        else:
            out.append(item)
    return indefinite(tag, [oid, indefinite(b"\xa0", [indefinite(b"\x30", out)])])


def _der_tlv(tag: bytes, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return tag + bytes([n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return tag + bytes([0x80 | len(size)]) + size + body


def detach(imz: bytes) -> tuple[bytes, bytes]:
    """An attached CAdES split into a detached one (.p7s) and its content: the signatures
    do not change (they are over the content's digest)."""
    ci = cms.ContentInfo.load(imz)
    sd = ci["content"]
    content = bytes(sd["encap_content_info"]["content"].native)
    fields = {k: sd[k] for k in ("version", "digest_algorithms", "certificates", "signer_infos")}
    fields["encap_content_info"] = {"content_type": sd["encap_content_info"]["content_type"]}
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(fields)}).dump(), content


def add_counter_signature(
    imz: bytes, pki: TestPKI, who: str, *, signer_index: int | None = None, tsa: TestTSA | None = None,
    md_algorithm: str = "sha256", signer=None,
) -> bytes:
    """`who` counter-signs (serial signing) the SignerInfo at `signer_index` (default: the
    first one not yet counter-signed; a SET OF is re-sorted when written): an unsigned
    attribute counterSignature whose message digest is over that signature's value (RFC
    5652 11.4), with an optional signature timestamp from `tsa`."""
    ci = cms.ContentInfo.load(imz)
    sd = ci["content"]
    infos = list(sd["signer_infos"])
    if signer_index is None:
        signer_index = next(
            (i for i, si in enumerate(infos) if not si["unsigned_attrs"].native
             or all(a["type"].native != "counter_signature" for a in si["unsigned_attrs"])),
            0,
        )
    parent = infos[signer_index]
    signer = signer or pki.signer(who)
    digest = hashlib.new(md_algorithm, parent["signature"].native).digest()
    attrs = cms.CMSAttributes([
        simple_cms_attribute("message_digest", digest),
        simple_cms_attribute("signing_time", cms.Time({"utc_time": datetime.now(UTC).replace(microsecond=0)})),
        simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(signer.signing_cert)),
    ])

    async def _sign() -> cms.ContentInfo:
        return await signer.async_sign_prescribed_attributes(
            md_algorithm, attrs, timestamper=tsa.timestamper() if tsa else None
        )

    counter = asyncio.run(_sign())["content"]["signer_infos"][0]
    unsigned = list(parent["unsigned_attrs"]) if parent["unsigned_attrs"].native else []
    unsigned.append(cms.CMSAttribute({"type": "counter_signature", "values": [counter]}))
    new_parent = cms.SignerInfo({k: parent[k] for k in parent if k != "unsigned_attrs"} | {
        "unsigned_attrs": cms.CMSAttributes(unsigned)
    })
    infos[signer_index] = new_parent
    certs = list(sd["certificates"])
    for c in [signer.signing_cert, *signer.cert_registry]:
        if all(x.chosen.dump() != c.dump() for x in certs):
            certs.append(cms.CertificateChoices(name="certificate", value=c))
    fields = {k: sd[k] for k in ("version", "digest_algorithms", "encap_content_info")}
    fields.update(certificates=certs, signer_infos=infos)
    if sd["crls"].native:
        fields["crls"] = sd["crls"]
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(fields)}).dump()


def signer_without_chain(pki: TestPKI, who: str) -> signers.SimpleSigner:
    """A signer that embeds only its own certificate (no intermediate): the chain to the
    root cannot be built from the signature alone."""
    return signers.SimpleSigner(
        signing_cert=pki.cert(who),
        signing_key=pki._load_key(pki.folder / "ee" / f"{who}.key.pem"),
        cert_registry=SimpleCertificateStore.from_certs([]),
    )


def issue_person(pki: TestPKI, key: str, name: str, tckn9: str, *, ocsp_url: str | None = None,
                 not_after: datetime = VALID_UNTIL) -> signers.SimpleSigner:
    """A further person certificate from the NES CA, with an OCSP address (AIA) when given:
    how the tests point a certificate at a responder on a loopback port chosen at run time."""
    nes_key = _ec_key("nes")
    nes_name = _name("Evrak Test NES SM", org="Evrak Test SM")
    ee_key = _ec_key("ee:" + key)
    given, _, surname = name.partition(" ")
    subject = _name(name, serial=make_tckn(tckn9), given=given, surname=surname)
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(nes_name)
        .public_key(ee_key.public_key())
        .serial_number(_serial(key))
        .not_valid_before(VALID_FROM)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ee_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(nes_key.public_key()), critical=False)
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), _qc_statements_der(None)),
            critical=False,
        )
    )
    if ocsp_url:
        b = b.add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP,
                                        x509.UniformResourceIdentifier(ocsp_url))]
            ),
            critical=False,
        )
    cert = _sign_cert(b, nes_key)
    der = cert.public_bytes(serialization.Encoding.DER)
    key_der = ee_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([pki.nes_cert]),
    )


def ocsp_response(
    pki: TestPKI, cert: asn1_x509.Certificate, *, revoked_at: datetime | None = None,
    produced_at: datetime | None = None, issuer: str = "nes",
) -> bytes:
    """A real OCSP response (DER) about `cert`, signed by its issuing CA (nes or root):
    good, or revoked at `revoked_at`."""
    ca_key = _ec_key(issuer)
    ca_cert = x509.load_der_x509_certificate((pki.nes_cert if issuer == "nes" else pki.root_cert).dump())
    subject = x509.load_der_x509_certificate(cert.dump())
    when = produced_at or datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    status = ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=subject,
        issuer=ca_cert,
        algorithm=hashes.SHA256(),
        cert_status=status,
        this_update=when,
        next_update=when + timedelta(days=7),
        revocation_time=revoked_at,
        revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca_cert)
    return b.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class TestOCSPResponder:
    """A real OCSP responder over HTTP on 127.0.0.1 (ephemeral port), certomancer-style:
    answers each request for a certificate of the test PKI as its CA would, good unless the
    serial is in `revoked` (serial -> revocation time). POST (RFC 6960 A.1) and GET."""

    __test__ = False

    def __init__(self, pki: TestPKI, revoked: dict[int, datetime] | None = None) -> None:
        self.pki = pki
        self.revoked = dict(revoked or {})
        self.requests_served = 0
        self._server: ThreadingHTTPServer | None = None

    def _respond(self, body: bytes) -> bytes:
        req = ocsp.load_der_ocsp_request(body)
        ca_cert = x509.load_der_x509_certificate(self.pki.nes_cert.dump())
        serial = req.serial_number
        # answered by the CertID hashes of the request: no need to know the certificate itself
        revoked_at = self.revoked.get(serial)
        now_ = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=req.issuer_name_hash,
            issuer_key_hash=req.issuer_key_hash,
            serial_number=serial,
            algorithm=req.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now_,
            next_update=now_ + timedelta(days=1),
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca_cert)
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                builder = builder.add_extension(ext.value, critical=False)
        self.requests_served += 1
        return builder.sign(_ec_key("nes"), hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def start(self) -> TestOCSPResponder:
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bytes) -> None:
                try:
                    payload = responder._respond(body)
                except Exception:
                    self.send_error(400, "bad OCSP request")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def do_GET(self) -> None:
                self._answer(base64.b64decode(urllib.parse.unquote(self.path.rsplit("/", 1)[-1])))

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="evrak-test-ocsp", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "OCSP responder not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/ocsp"

    def __enter__(self) -> TestOCSPResponder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ += [
    "TestOCSPResponder",
    "add_counter_signature",
    "detach",
    "issue_person",
    "ocsp_response",
    "signer_without_chain",
    "to_ber",
]


ARCHIVE_TIMESTAMP_V2 = "1.2.840.113549.1.9.16.2.48"


def add_archive_timestamp(imz: bytes, tsa: TestTSA, *, signer_index: int = 0) -> bytes:
    """A CAdES-A archive-time-stamp (v2 attribute) on the SignerInfo at `signer_index`: a real
    token from `tsa` over the digest of the SignerInfo's signature value and the content
    (the tests check that it is reported and judged on its own, not its exact coverage)."""
    ci = cms.ContentInfo.load(imz)
    sd = ci["content"]
    infos = list(sd["signer_infos"])
    si = infos[signer_index]
    digest = hashlib.sha256(si["signature"].native + bytes(sd["encap_content_info"]["content"].native or b"")).digest()

    async def _stamp() -> cms.ContentInfo:
        return await tsa.timestamper().async_timestamp(digest, "sha256")

    token = asyncio.run(_stamp())
    unsigned = list(si["unsigned_attrs"]) if si["unsigned_attrs"].native else []
    unsigned.append(cms.CMSAttribute({"type": ARCHIVE_TIMESTAMP_V2, "values": [token]}))
    infos[signer_index] = cms.SignerInfo(
        {k: si[k] for k in si if k != "unsigned_attrs"} | {"unsigned_attrs": cms.CMSAttributes(unsigned)}
    )
    fields = {k: sd[k] for k in ("version", "digest_algorithms", "encap_content_info", "certificates")}
    fields["signer_infos"] = infos
    return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(fields)}).dump()


__all__ += ["add_archive_timestamp"]
