"""Trust anchors and revocation data: from a folder and CRL files, never the OS store.

A Turkish qualified signature is trusted when it chains to a root the agency chose
(Kamu SM, E-Güven, E-Tuğra, Türktrust ... or the test root): the operating system's TLS
roots are the wrong list, so the trust manager is always built explicitly, also when the
folder is empty (pyhanko-certvalidator falls back to the OS list only when given None).
Loaded material is cached by path, size and modification time: loading costs more than
validating a one-page PDF.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.ltv.poe import POEManager
from pyhanko_certvalidator.registry import SimpleTrustManager

_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
_CRL_SUFFIXES = {".crl"}
_OCSP_SUFFIXES = {".ocsp", ".ors"}  # stored OCSP responses (DER)
FETCH_TIMEOUT_S = 5  # per OCSP/CRL request when fetching online


class TrustConfigError(ValueError):
    """The trust folder or a CRL file given by the caller cannot be used (Turkish message)."""


@dataclass(frozen=True)
class TrustMaterial:
    roots: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]
    skipped: tuple[str, ...] = ()  # files in the trust folder that could not be read
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...] = ()  # stored OCSP responses from the trust folder
    intermediates: tuple[asn1_x509.Certificate, ...] = ()  # CA certificates that are not roots


_cache: dict[tuple, TrustMaterial] = {}
_cache_lock = threading.Lock()


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def load_trust(trust_dir: Path | str, crl_files: Sequence[Path | str] = ()) -> TrustMaterial:
    """Roots from every PEM/DER certificate file in `trust_dir`, the given CRLs, and the CRLs
    (*.crl) and stored OCSP responses (*.ocsp) found anywhere under `trust_dir` — revocation
    data the agency keeps next to its roots. A broken file found in the folder is skipped
    (and listed); a broken CRL the caller named is the caller's error."""
    tdir = Path(trust_dir)
    if not tdir.is_dir():
        raise TrustConfigError(f"güvenilen kök sertifika klasörü bulunamadı: {tdir}")
    files = sorted(p for p in tdir.iterdir() if p.is_file() and p.suffix.lower() in _CERT_SUFFIXES)
    crl_paths = [Path(p) for p in crl_files]
    for p in crl_paths:
        if not p.is_file():
            raise TrustConfigError(f"SİL (CRL) dosyası bulunamadı: {p}")
    named = {p.resolve() for p in crl_paths}
    found = sorted(
        p for p in tdir.rglob("*")
        if p.is_file() and p.suffix.lower() in _CRL_SUFFIXES | _OCSP_SUFFIXES and p.resolve() not in named
    )
    key = (
        _stamp(tdir), *(_stamp(p) for p in files), "crl", *(_stamp(p) for p in crl_paths),
        "found", *(_stamp(p) for p in found),
    )
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    roots: list[asn1_x509.Certificate] = []
    intermediates: list[asn1_x509.Certificate] = []
    skipped: list[str] = []
    for p in files:
        try:
            for cert in _read_certs(p.read_bytes()):
                # a self-signed certificate is a trust anchor; another CA certificate placed
                # next to the roots (an intermediate) helps build chains but anchors nothing
                (roots if cert.self_signed != "no" else intermediates).append(cert)
        except Exception:
            skipped.append(p.name)
    crls: list[asn1_crl.CertificateList] = []
    for p in crl_paths:
        try:
            for der in _unarmor(p.read_bytes()):
                c = asn1_crl.CertificateList.load(der)
                _ = c.issuer  # parse now: a broken CRL is the caller's error, said once
                crls.append(c)
        except Exception as exc:
            raise TrustConfigError(f"SİL (CRL) dosyası okunamadı: {p}") from exc
    ocsps: list[asn1_ocsp.OCSPResponse] = []
    for p in found:
        try:
            for der in _unarmor(p.read_bytes()):
                if p.suffix.lower() in _CRL_SUFFIXES:
                    c = asn1_crl.CertificateList.load(der)
                    _ = c.issuer
                    crls.append(c)
                else:
                    r = asn1_ocsp.OCSPResponse.load(der)
                    _ = r["response_status"].native
                    ocsps.append(r)
        except Exception:
            skipped.append(p.name)
    material = TrustMaterial(tuple(roots), tuple(crls), tuple(skipped), tuple(ocsps), tuple(intermediates))
    with _cache_lock:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = material
    return material


def _unarmor(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def _read_certs(data: bytes) -> list[asn1_x509.Certificate]:
    out = []
    for der in _unarmor(data):
        cert = asn1_x509.Certificate.load(der)
        _ = cert.subject  # force parsing: a broken file is skipped, not a crash later
        out.append(cert)
    return out


def validation_context(
    material: TrustMaterial,
    *,
    other_certs: Iterable[asn1_x509.Certificate] = (),
    extra_crls: Iterable[asn1_crl.CertificateList] = (),
    extra_ocsps: Iterable[asn1_ocsp.OCSPResponse] = (),
    moment: datetime | None = None,
    soft: bool = False,
    online: bool = False,
) -> tuple[ValidationContext, bool]:
    """A fresh validation context (they cache paths; one per file) and whether revocation
    was checked strictly.

    With revocation data at hand (CRL files, the PDF's DSS, OCSP responses), revocation is
    "hard-fail": a certificate whose status cannot be established is not trusted. Without
    any (or with `soft`, the retry when the data at hand does not cover this chain),
    "soft-fail" and the report says the status was not checked; `soft` checks the chain
    without any revocation data.
    online: fetch OCSP responses and CRLs from the addresses in the certificates (AIA, CRL
    distribution points), each request bounded by FETCH_TIMEOUT_S; off by default, a
    pre-screening run must not depend on the network.
    """
    crls = [*material.crls, *extra_crls]
    ocsps = [*material.ocsps, *extra_ocsps]
    strict = bool(crls or ocsps or online) and not soft
    if soft:
        # the chain alone: revocation data that cannot settle the question (an OCSP answer
        # pyhanko-certvalidator reads only for the present) must not fail it in soft mode
        crls, ocsps, online = [], [], False
    # Proof of existence for the revocation data at hand: it exists when we validate (or, for a
    # validation at the proven signing time, is accepted retroactively). pyhanko-certvalidator
    # otherwise dates it a few microseconds after the validation time and ignores OCSP answers.
    poe = POEManager(current_dt_override=moment or datetime.now(UTC))
    vc = ValidationContext(
        poe_manager=poe,
        trust_manager=SimpleTrustManager.build(trust_roots=list(material.roots)),
        other_certs=[*material.intermediates, *other_certs],
        crls=crls,
        ocsps=ocsps,
        allow_fetching=online,
        fetcher_backend=_fetchers() if online else None,
        revocation_mode="hard-fail" if strict else "soft-fail",
        moment=moment,
        # validating at a past moment (the proven signing time): CRLs issued later still tell
        # whether the certificate was revoked before that moment
        retroactive_revinfo=moment is not None,
    )
    return vc, strict


# The fetcher backends opened during one verification (one event loop), closed at its end.
open_fetchers: contextvars.ContextVar[list | None] = contextvars.ContextVar("evrak_fetchers", default=None)


def _fetchers():
    """pyhanko-certvalidator's aiohttp fetchers with a short per-request timeout."""
    backend = AIOHttpFetcherBackend(per_request_timeout=FETCH_TIMEOUT_S)
    scope = open_fetchers.get()
    if scope is not None:
        scope.append(backend)
    return backend


async def close_fetchers() -> None:
    """Close the HTTP sessions the online checks of this verification opened."""
    for backend in open_fetchers.get() or []:
        try:
            await backend.close()
        except Exception:
            continue
