"""Shared fixtures for docgen tests: profiles, a sample application, one LibreOffice pool."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.context import Application, Signer
from evrak.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_XLSX = ROOT / "samples" / "kays" / "kays-export-tr63.xlsx"
SAMPLE_CSV = ROOT / "samples" / "kays" / "kays-export-tr63.csv"


@pytest.fixture(scope="session")
def tr63():
    return load_profile("tr63-2023-makine")


@pytest.fixture
def app_tr63() -> Application:
    """The example application of package-format.md: 2.100.000,00 TL credit, 900.000,00 TL co-financing."""
    return Application(
        program_id="tr63-2023-makine",
        application_no="TR63/23/FKD/MAKINE-0042",
        applicant_name="Örnek Makina Sanayi ve Ticaret A.Ş.",
        tax_id="8084759118",
        address="Sanayi Mah. 50. Sok. No:5 Antakya/Hatay",
        province="Hatay",
        project_title="CNC ile hassas işleme kapasitesinin artırılması",
        credit=Decimal("2100000.00"),
        co_financing=Decimal("900000.00"),
        contract_date=date(2023, 5, 2),
        signers=[Signer("Ayşe Yılmaz", "17937512094", "Yönetim Kurulu Başkanı")],
    )


@pytest.fixture(scope="session")
def pool():
    from docgen.pdf import Pool

    p = Pool(size=2)
    yield p
    p.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
