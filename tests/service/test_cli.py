"""The service commands end to end: submit (full pipeline with PDFs), jobs, status, errors,
and `evrak batch --queue` running docgen's batch per chunk on a real worker."""

from __future__ import annotations

import json
from pathlib import Path

from tests.service.conftest import REPO, app_no, make_package, safe, wait_for
from verifiers.package import sha256_of


def test_submit_jobs_status_and_batch_queue(make_service, tmp_path: Path) -> None:
    service = make_service(EVRAK_PDF="1")
    pkg = make_package(tmp_path / "basvuru-cli", app_no(1, "CLI"), pdfs=True)
    before = sha256_of(pkg)
    service.worker(1)

    r = service.cli("submit", str(pkg), "--wait", "120")
    assert r.returncode == 0, r.stdout + r.stderr + service.log_tail()
    assert r.stdout.startswith("kuyruğa alındı: iş ")
    job_id = r.stdout.split()[3]
    assert "durum: tamam" in r.stdout
    assert pkg.is_dir() and sha256_of(pkg) == before  # the user's package is copied, never moved
    out = service.home / "outbox" / safe(app_no(1, "CLI")) / job_id  # D34: one folder per submission
    assert (out / "report.json").is_file()
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (service.home / "archive" / "basvuru-cli" / "basvuru.yaml").is_file()
    assert not any((service.home / "work").iterdir())

    r = service.cli("submit", str(pkg))
    assert r.returncode == 0 and "yinelenen paket" in r.stdout and job_id in r.stdout

    r = service.cli("jobs", "--json")
    jobs = json.loads(r.stdout)
    assert sorted(j["state"] for j in jobs) == ["done", "duplicate"]
    assert all(j["created_at"].endswith("+00:00") for j in jobs)
    r = service.cli("jobs", "--state", "done")
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 1 and job_id in r.stdout

    r = service.cli("status", job_id[:6], "--json")
    status = json.loads(r.stdout)
    assert status["id"] == job_id and status["state"] == "done"
    assert status["application_no"] == app_no(1, "CLI") and status["verdict"]
    assert str(out / "report.pdf") in status["outputs"]

    for args in (("jobs", "--state", "bitti"), ("status", "yok-boyle-is"), ("submit", str(tmp_path / "yok"))):
        r = service.cli(*args)
        assert r.returncode == 2, args
        assert r.stderr.startswith("evrak: hata: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr

    # evrak batch --queue: the KAYS export in chunks of 8 rows, each a job running docgen's batch
    export = REPO / "samples" / "kays" / "kays-export-tr63.csv"
    r = service.cli("batch", "taahhutname", "--input", str(export), "--program", "tr63-2023-makine",
                    "--out", str(tmp_path / "toplu"), "--queue", "--chunk-rows", "8")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("3 parça kuyruğa alındı")
    wait_for(lambda: len(service.store.list(kind="batch", state="done")) == 3, 120, "three batch chunks",
             step=0.5)
    chunks = service.store.list(kind="batch")
    assert sum(j.counts["done"] for j in chunks) + sum(j.counts["errors"] for j in chunks) == 20
    assert sum(j.counts["done"] for j in chunks) >= 1
    docs = sorted((tmp_path / "toplu").glob("part-*/*.docx"))
    assert len(docs) == sum(j.counts["done"] for j in chunks)
    for n in (1, 2, 3):
        assert (tmp_path / "toplu" / f"part-{n:04d}" / "manifest.json").is_file()
