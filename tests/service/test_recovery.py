"""Crashes, poison and restarts with real processes on the embedded broker.

The embedded transport loses a message its worker had fetched when the worker is killed;
these tests prove the job table and the sweep make up for it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.service.conftest import REPO, app_no, make_package, safe, wait_for


def _assert_clean(service, apps: list[str], archived: list[str]) -> None:
    done = service.store.list(state="done")
    assert sorted(j.application_no for j in done) == sorted(apps)  # one done job each
    assert service.names("outbox") == sorted(safe(a) for a in apps)  # one result each
    assert service.names("archive") == sorted(archived)
    assert service.names("inbox") == []
    assert service.names("work") == []


def test_worker_killed_mid_job(make_service, tmp_path: Path) -> None:
    service = make_service()
    apps = [app_no(i, "CRASH") for i in range(4)]
    packages = [make_package(tmp_path / f"p{i}", a) for i, a in enumerate(apps)]
    first = service.worker(2, EVRAK_TEST_SLOW_JOB_S="30")  # test hook: jobs sleep first
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    service.drop_all(packages)
    running = wait_for(lambda: service.store.list(state="running"), 30, "a running job")
    time.sleep(0.5)
    service.kill9(first)  # kill -9 the worker and its pool children mid-job
    killed = {j.id for j in service.store.list(state="running")}
    assert killed >= {running[0].id}
    assert service.names("outbox") == []

    service.worker(2)  # restart; the sweep sees the stale heartbeats and re-queues
    try:
        wait_for(lambda: service.states().get("done", 0) == 4, 60, "all four jobs done", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None
    time.sleep(1.0)
    _assert_clean(service, apps, [p.name for p in packages])
    assert service.states() == {"done": 4}
    for job in service.store.list():
        assert job.attempts == (2 if job.id in killed else 1), (job.id, job.attempts)
    assert not [p for p in (service.drop / "outbox").iterdir() if p.name.startswith(".")]


def test_poison_and_broken_manifest(make_service, tmp_path: Path) -> None:
    service = make_service()
    good = [make_package(tmp_path / f"iyi-{i}", app_no(i, "GOOD")) for i in range(3)]
    poison = make_package(tmp_path / "zehir-paket", app_no(1, "POISON"))
    broken = make_package(tmp_path / "bozuk-manifest", app_no(1, "BROKEN"))
    yaml = broken / "basvuru.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("heading: makine_ekipman", "heading: makina"),
                    encoding="utf-8")
    service.worker(2, EVRAK_TEST_FAIL_MATCH="zehir")  # test hook: this package's job raises
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    service.drop_all([poison, broken, *good])
    try:
        wait_for(lambda: service.states().get("failed", 0) == 2 and service.states().get("done", 0) == 3,
                 60, "two failed and three done", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None

    failed = {j.input_name: j for j in service.store.list(state="failed")}
    assert failed["zehir-paket"].attempts == 3  # retried with backoff up to N
    assert "RuntimeError" in failed["zehir-paket"].error
    assert failed["bozuk-manifest"].attempts == 1  # poison input: at once, no retries
    assert "budget.0.heading" in failed["bozuk-manifest"].error
    assert "\n" not in failed["bozuk-manifest"].error
    assert "work/" not in failed["bozuk-manifest"].error  # named as the user knows it
    assert service.names("failed") == ["bozuk-manifest", "bozuk-manifest.error.txt",
                                       "zehir-paket", "zehir-paket.error.txt"]
    note = (service.drop / "failed" / "bozuk-manifest.error.txt").read_text(encoding="utf-8")
    assert failed["bozuk-manifest"].error in note
    note = (service.drop / "failed" / "zehir-paket.error.txt").read_text(encoding="utf-8")
    assert "deneme: 3/3" in note and "yapay hata" in note
    assert (service.drop / "failed" / "bozuk-manifest" / "basvuru.yaml").is_file()
    assert service.names("archive") == sorted(p.name for p in good)
    assert service.names("outbox") == sorted(safe(app_no(i, "GOOD")) for i in range(3))
    assert service.names("work") == [] and service.names("inbox") == []


def test_watcher_restarts_lose_nothing(make_service, tmp_path: Path) -> None:
    service = make_service()
    apps = [app_no(i, "RESTART") for i in range(40)]
    packages = [make_package(tmp_path / f"r{i:02d}", a) for i, a in enumerate(apps)]
    service.worker(2)
    waiting = service.watcher(EVRAK_SETTLE_S="60")  # sees the files, takes none yet
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    service.drop_all(packages[:20])
    time.sleep(1.5)
    service.kill9(waiting)
    assert len(service.names("inbox")) == 20
    assert service.store.list() == []

    hasty = service.watcher()  # startup scan finds the 20; killed in the middle of taking them
    service.drop_all(packages[20:])
    wait_for(lambda: len(service.store.list()) >= 5, 20, "intake to start")
    service.kill9(hasty)  # usually mid-intake: some packages recorded, some still waiting

    service.watcher()
    try:
        wait_for(lambda: service.states().get("done", 0) == 40, 60, "all forty done", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None
    time.sleep(1.0)
    assert service.states() == {"done": 40}  # no duplicates, nothing failed
    _assert_clean(service, apps, [p.name for p in packages])


@pytest.mark.slow
def test_time_limit_fails_the_job_and_the_worker_goes_on(make_service, tmp_path: Path) -> None:
    """A package that runs past the soft time limit becomes a failed job with a Turkish reason;
    the same worker process goes on with the others."""
    service = make_service(EVRAK_SOFT_TIME_LIMIT_S="2", EVRAK_HARD_TIME_LIMIT_S="6", EVRAK_MAX_ATTEMPTS="2")
    good = [make_package(tmp_path / f"iyi-{i}", app_no(i, "LIMIT")) for i in range(3)]
    slow = make_package(tmp_path / "yavas-paket", app_no(9, "LIMIT"))
    worker = service.worker(1, EVRAK_TEST_SLOW_JOB_S="30", EVRAK_TEST_SLOW_MATCH="yavas")  # test hook
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the drop folder")
    service.drop_all([slow, *good])
    try:
        wait_for(lambda: service.states() == {"failed": 1, "done": 3}, 90, "one failed, three done", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None
    (failed,) = service.store.list(state="failed")
    assert failed.input_name == "yavas-paket" and failed.attempts == 2
    assert failed.error.startswith("zaman sınırı aşıldı: paket 2 sn içinde işlenemedi")
    note = (service.drop / "failed" / "yavas-paket.error.txt").read_text(encoding="utf-8")
    assert "zaman sınırı aşıldı" in note and "deneme: 2/2" in note
    assert worker.poll() is None  # the worker lives on
    assert service.names("outbox") == sorted(safe(app_no(i, "LIMIT")) for i in range(3))


@pytest.mark.slow
def test_prescreen_folder_run_goes_on_after_bad_packages(tmp_path: Path) -> None:
    """`evrak prescreen DIR`: a package with a broken manifest and one that trips a bug (test
    hook) are reported; the real packages around them are screened. Exit 1 when a package hit
    an unexpected error, 2 when packages could not be opened, 0 when all were screened."""
    samples = sorted((REPO / "samples" / "packages" / "tr63-2023-makine").iterdir())
    real = [p for p in samples if p.is_dir()][:2]
    folder = tmp_path / "paketler"
    folder.mkdir()
    for p in real:
        shutil.copytree(p, folder / f"b-{p.name}")
    shutil.copytree(real[0], folder / "a-bozuk")
    (folder / "a-bozuk" / "basvuru.yaml").write_text("program: [\n", encoding="utf-8")
    shutil.copytree(real[0], folder / "c-cokertici")
    out = tmp_path / "sonuc"

    def run(*extra: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "worker.cli", "prescreen", str(folder), "--out", str(out),
                               "--no-pdf", "--json", *extra], cwd=REPO, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "EVRAK_HOME": str(tmp_path / "home"), **env})

    r = run(EVRAK_TEST_FAIL_MATCH="cokertici")
    assert r.returncode == 1, r.stderr
    rows = {Path(row["package"]).name: row for row in json.loads(r.stdout)}
    assert list(rows) == ["a-bozuk", "b-" + real[0].name, "b-" + real[1].name, "c-cokertici"]
    assert "satır" in rows["a-bozuk"]["error"] and "basvuru.yaml" in rows["a-bozuk"]["error"]
    assert rows["c-cokertici"]["error"].startswith("beklenmeyen hata (RuntimeError)")
    assert "yapay hata" in (out / "hatalar.log").read_text(encoding="utf-8")  # the traceback, kept
    for p in real:  # the rest ran, after the bad ones too
        row = rows["b-" + p.name]
        assert row["verdict"] and Path(row["out_dir"], "report.json").is_file()
    assert "Traceback" not in r.stderr

    shutil.rmtree(folder / "c-cokertici")
    r = run()
    assert r.returncode == 2, r.stderr
    assert [row.get("error") is None for row in json.loads(r.stdout)] == [False, True, True]


@pytest.mark.slow
def test_prescreen_dir_stops_a_package_that_runs_out_of_time(tmp_path: Path) -> None:
    """`evrak prescreen DIR`: each package runs in a child process killed at the time limit
    (EVRAK_HARD_TIME_LIMIT_S, the service's own); a hanging package (test hook) gets a Turkish
    row saying so, exit 2, its input untouched; the packages after it are screened."""
    real = sorted(p for p in (REPO / "samples" / "packages" / "tr63-2023-makine").iterdir() if p.is_dir())[0]
    folder = tmp_path / "paketler"
    folder.mkdir()
    shutil.copytree(real, folder / "a-asili")
    shutil.copytree(real, folder / "b-gercek")
    before = sorted(p.name for p in (folder / "a-asili").iterdir())
    out = tmp_path / "sonuc"
    env = {**os.environ, "EVRAK_HOME": str(tmp_path / "home"), "EVRAK_HARD_TIME_LIMIT_S": "20",
           "EVRAK_TEST_SLOW_JOB_S": "600", "EVRAK_TEST_SLOW_MATCH": "asili"}
    r = subprocess.run([sys.executable, "-m", "worker.cli", "prescreen", str(folder), "--out", str(out), "--no-pdf",
                        "--json"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 2, r.stderr
    rows = {Path(row["package"]).name: row for row in json.loads(r.stdout)}
    assert "süre sınırı (20 sn) aşıldı" in rows["a-asili"]["error"]
    assert rows["b-gercek"]["verdict"] and Path(rows["b-gercek"]["out_dir"], "report.json").is_file()
    assert sorted(p.name for p in (folder / "a-asili").iterdir()) == before
    assert "Traceback" not in r.stderr
