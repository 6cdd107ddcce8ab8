"""The Alındı Belgesi (002:L748; 001:L799, L817-819; 003:L1510-1511): every received
submission has its acceptance date, hour and reference number, from the job store's row, and
a wet-signed taahhütname's delivery as the agency logged it in the manifest."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evrak.errors import UserError
from worker.cli import main
from worker.receipts import build_receipt, manifest_of
from worker.store import JobInfo, JobStore

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "packages"


def _job(store: JobStore, package: Path) -> JobInfo:
    return store.create(kind="prescreen", input_name=package.name, input_path=str(package),
                        input_sha256="ab" * 32, base_dir=str(package.parent))


def test_a_receipt_names_the_reference_the_date_and_the_hour(tmp_path):
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    job = _job(store, SAMPLES / "tr63-2023-makine" / "gecerli")
    # the row's own time: received 24.02.2023 13:10 UTC = 16:10 in Istanbul (D1)
    job.created_at = datetime(2023, 2, 24, 13, 10, tzinfo=UTC)
    r = build_receipt(job, manifest_of(job))
    text = r.text()
    assert f"Kayıt (referans) no: {job.id}" in text
    assert "Alınma tarihi ve saati: 24 Şubat 2023 16:10" in text
    assert "Başvuru no: TR63/23/FKD/MAKINE-0042" in text and "T.C. Doğu Akdeniz Kalkınma Ajansı" in text
    assert "Taahhütname: e-imzalı, pakette (taahhutname.pdf)" in text
    assert "İmza:" in text and "002:L123, L130, L717-719, L748" in r.lines


def test_a_hand_delivered_taahhutname_is_on_the_receipt(tmp_path):
    """002:L748 "Taahhütnamesini elden teslim edenlere imzalı ve tarihli bir Alındı Belgesi verilir"."""
    pkg = tmp_path / "islak"
    shutil.copytree(SAMPLES / "tr63-2023-makine" / "gecerli", pkg)
    (pkg / "taahhutname.pdf").unlink()
    text = (pkg / "basvuru.yaml").read_text(encoding="utf-8")
    text = text.replace("taahhutname_received_at: null",
                        "taahhutname_received_at: '2023-02-24T16:10:00+03:00'\ntaahhutname_channel: elden")
    text = text.replace("  taahhutname:\n  - taahhutname.pdf\n", "")
    (pkg / "basvuru.yaml").write_text(text, encoding="utf-8")
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    job = _job(store, pkg)
    r = build_receipt(job, manifest_of(job))
    assert r.taahhutname == "ıslak imzalı asıl elden 24 Şubat 2023 16:10 tarihinde teslim alındı"


def test_a_job_whose_package_is_gone_still_has_its_receipt(tmp_path):
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    job = _job(store, tmp_path / "tasindi.zip")
    assert manifest_of(job) is None
    r = build_receipt(job, None)
    assert r.reference == job.id and r.applicant is None and "SHA-256: " + "ab" * 32 in r.text()


def test_no_time_no_receipt():
    job = JobInfo(id="x1", kind="prescreen", state="received", input_name="p", input_path="/p",
                  input_sha256="0" * 64, base_dir="/")
    with pytest.raises(UserError):
        build_receipt(job)


def test_evrak_receipt(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'evrak.db'}"
    monkeypatch.setenv("EVRAK_DB_URL", url)
    job = _job(JobStore(url), SAMPLES / "tr61-2023-imalat" / "gecerli")
    assert main(["receipt", job.id[:6], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"] == job.id and data["application_no"] == "TR61/23/IMALAT-0107"
    out = tmp_path / "alindi.txt"
    assert main(["receipt", job.id, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("ALINDI BELGESİ\nT.C. Batı Akdeniz Kalkınma Ajansı")
    assert main(["receipt", "yok"]) == 2
