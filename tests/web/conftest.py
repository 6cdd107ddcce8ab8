"""Fixtures for the web page tests: a temporary EVRAK_HOME with an account, sample zips.

Everything is real: the job store, the intake, the runner, the pipeline and, for the
browser tests, `evrak serve` and `evrak worker` as processes on loopback.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
TRUST = SAMPLES / "trust"
USER, PASSWORD = "ayse", "Gizli-Parola-2023"


def zip_folder(folder: Path, target: Path) -> Path:
    """A package zip as an applicant would send it (one top folder)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, arcname=f"{folder.name}/{p.relative_to(folder)}")
    return target


@pytest.fixture(scope="session")
def review_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """samples/packages/tr63-2023-makine/zaman-damgasiz zipped: one SIGNATURE_TIME_UNPROVEN finding."""
    out = tmp_path_factory.mktemp("pkg") / "zaman-damgasiz.zip"
    return zip_folder(SAMPLES / "packages" / "tr63-2023-makine" / "zaman-damgasiz", out)


@pytest.fixture(scope="session")
def small_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four rows of the sample KAYS export (one of them with a bad VKN) plus a broken row."""
    lines = (SAMPLES / "kays" / "kays-export-tr63.csv").read_text(encoding="utf-8").splitlines()
    bad = "TR63/23/FKD/MAKINE-0099;Hatalı Firma;123;Adres;Hatay;Proje;abc;1,00;2,00;08.05.2023;Ali Veli;17937512094"
    out = tmp_path_factory.mktemp("kays") / "kays-kucuk.csv"
    out.write_text("\n".join([*lines[:5], bad]) + "\n", encoding="utf-8")
    return out


@pytest.fixture
def evrak_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "evrak-home"
    home.mkdir()
    for k in ("EVRAK_DB_URL", "EVRAK_BROKER_URL", "EVRAK_SECRET_KEY", "EVRAK_SECURE_COOKIES"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("EVRAK_HOME", str(home))
    monkeypatch.setenv("EVRAK_TRUST_DIR", str(TRUST))
    monkeypatch.setenv("EVRAK_USERS_FILE", str(home / "users.toml"))
    monkeypatch.setenv("EVRAK_WEB_BATCH_CHUNK_ROWS", "2")
    from worker.web.users import add_user

    add_user(home / "users.toml", USER, PASSWORD, display_name="Ayşe Yılmaz")
    yield home


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF field"
    return m.group(1)

