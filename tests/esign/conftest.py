"""Fixtures for the e-signature tests: a real test PKI, a real TSA on loopback, taahhütname
PDFs (testing.testdocs), and the applicant's imza sirküleri.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from evrak.facts import AuthorizedPerson, SignatureCircular, SigningMode
from testing.testdocs import make_taahhutname
from testing.testpki import SPECS, TestPKI, TestTSA, build_test_pki
from tests.conftest import shared_path
from verifiers.signatures.report import SignedFileReport
from verifiers.signatures.verify import verify_signed_file

# The repo's parent holds shared/ (read-only material); never copied into the repo:
# fixtures_dir() finds it through tests/conftest.py and skips with a reason without it.


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    return build_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def tsa(pki: TestPKI):
    server = TestTSA(pki).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def empty_trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("empty-trust")


@pytest.fixture(scope="session")
def taahhutname() -> bytes:
    return make_taahhutname()


@pytest.fixture(scope="session")
def taahhutname_with_field() -> bytes:
    return make_taahhutname(with_field=True)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def _write(name: str, data: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(data)
        return p

    return _write


def make_circular(**overrides) -> SignatureCircular:
    """The applicant's imza sirküleri: Ahmet alone; Ayşe and Mehmet jointly."""
    persons = [
        AuthorizedPerson(
            name="AHMET YILMAZ", tckn=SPECS["ahmet"].tckn, mode=SigningMode.ALONE, valid_from=date(2020, 1, 1)
        ),
        AuthorizedPerson(
            name="Ayşe Demir", tckn=SPECS["ayse"].tckn, mode=SigningMode.JOINT, joint_with=["Mehmet Kaya"]
        ),
        AuthorizedPerson(
            name="Mehmet Kaya", tckn=SPECS["mehmet"].tckn, mode=SigningMode.JOINT, joint_with=["Ayşe Demir"]
        ),
    ]
    kwargs = {
        "company": "ÖRNEK MAKİNA SANAYİ VE TİCARET A.Ş.",
        "vkn": SPECS["firma_muhur"].vkn,
        "persons": persons,
    }
    kwargs.update(overrides)
    return SignatureCircular(**kwargs)


@pytest.fixture
def circular() -> Callable[..., SignatureCircular]:
    return make_circular


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """../shared/fixtures/esign; a clear skip when the repository is used alone (tests/conftest.py)."""
    return shared_path("esign")


@pytest.fixture
def verify(pki: TestPKI, tmp_path: Path):
    """Write bytes to a file named `name` and verify it against the test PKI (root + CRLs)."""

    def _verify(name: str, data: bytes, *, crls: bool = True, **kwargs) -> SignedFileReport:
        path = tmp_path / name
        path.write_bytes(data)
        kwargs.setdefault("trust_dir", pki.trust_dir)
        kwargs.setdefault("crl_files", pki.crl_files if crls else ())
        return verify_signed_file(path, **kwargs)

    return _verify
