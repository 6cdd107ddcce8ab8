"""A deadline rush through the drop folder, with the embedded broker and with Redis.

200 packages renamed into the inbox at once are each processed exactly once (cheap path:
valid manifests with no documents and EVRAK_PDF=0, so 200 runs fit the time budget; the
full pipeline with PDFs runs in test_cli.py). Then a duplicate is detected, and a zip
written slowly in chunks, with a pause longer than the settle interval, is not taken
before it is complete.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.service.conftest import (
    REPO,
    Service,
    app_no,
    make_package,
    redis_db_url,
    safe,
    wait_for,
    zip_bytes,
)
from verifiers.package import sha256_of
from worker.pipeline import process_package

N = 200


@pytest.fixture(params=["embedded", "redis"])
def service(request: pytest.FixtureRequest, make_service) -> Service:
    # Nothing is killed here: a stale threshold of 10 s (not 2) and re-sends after 60 s keep a
    # loaded 2-core box (a heartbeat thread starved for seconds, a long queue) from re-running
    # or re-sending jobs that are merely slow; the crash tests use the short settings.
    slow_box = {"EVRAK_STALE_S": "10", "EVRAK_HEARTBEAT_S": "1", "EVRAK_REQUEUE_AFTER_S": "60"}
    if request.param == "redis":
        return make_service(redis_db_url(request.getfixturevalue("redis_url")), **slow_box)
    return make_service(**slow_box)


def test_rush_duplicate_and_slow_copy(service: Service, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    packages = [make_package(staging / f"basvuru-{i:03d}", app_no(i, "RUSH"), pdfs=(i % 50 == 0))
                for i in range(N)]
    service.worker(2)
    service.watcher()
    wait_for(lambda: (service.drop / "inbox").is_dir(), 20, "the watcher to create the drop folder")
    service.drop_all(packages)
    try:
        wait_for(lambda: service.states().get("done", 0) >= N, 150,
                 f"{N} done jobs", step=0.5)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None
    time.sleep(1.0)  # anything processed twice would show up now

    jobs = service.store.list(kind="prescreen")
    assert service.states() == {"done": N}, service.states()
    by_app: dict[str, int] = {}
    for j in jobs:
        by_app[j.application_no] = by_app.get(j.application_no, 0) + 1
        assert j.attempts == 1, (j.id, j.attempts, j.error)
        assert j.verdict and j.program == "tr63-2023-makine"
        assert j.finished_at is not None and j.finished_at.tzinfo is not None
        assert Path(j.input_path).parent == service.drop / "archive"
    assert by_app == {app_no(i, "RUSH"): 1 for i in range(N)}
    outbox = service.names("outbox")
    assert outbox == sorted(safe(app_no(i, "RUSH")) for i in range(N))
    for j in jobs:  # D34: outbox/<application no>/<job id>/, one folder per submission
        folder = service.drop / "outbox" / safe(j.application_no)
        assert [p.name for p in folder.iterdir()] == [j.id]
        report = json.loads((folder / j.id / "report.json").read_text(encoding="utf-8"))
        assert report["application_no"] == j.application_no
    assert service.names("inbox") == []
    assert service.names("work") == []
    assert service.names("failed") == []
    assert service.names("archive") == sorted(p.name for p in packages)
    assert not [p for p in (service.drop / "outbox").iterdir() if p.name.startswith(".")]

    # --- a duplicate: the same content under another name is reported, not redone ----
    first = next(j for j in jobs if j.application_no == app_no(7, "RUSH"))
    shutil.copytree(service.drop / "archive" / "basvuru-007", tmp_path / "tekrar-007")
    service.drop_all([tmp_path / "tekrar-007"])
    dup = wait_for(lambda: service.store.list(state="duplicate"), 20, "a duplicate job")[0]
    assert dup.duplicate_of == first.id
    assert dup.input_name == "tekrar-007"
    wait_for(lambda: (service.drop / "failed" / "tekrar-007.error.txt").exists(), 10, "the duplicate note")
    note = (service.drop / "failed" / "tekrar-007.error.txt").read_text(encoding="utf-8")
    assert "Yinelenen paket" in note and first.id in note
    assert (service.drop / "failed" / "tekrar-007" / "basvuru.yaml").is_file()  # kept, not deleted
    assert service.states()["done"] == N  # not redone

    # --- a zip copied slowly, with a stall longer than the settle interval ------------
    data = zip_bytes(app_no(1, "SLOW"), padding=256 * 1024)
    target = service.drop / "inbox" / "yavas.zip"
    chunks = [data[i:i + 32 * 1024] for i in range(0, len(data), 32 * 1024)]
    with target.open("wb") as fh:
        for k, chunk in enumerate(chunks):
            fh.write(chunk)
            fh.flush()
            time.sleep(1.2 if k == len(chunks) // 2 else 0.1)  # 1.2 s stall > settle 0.3 s
            assert target.exists(), "the half-written zip left the inbox"
            assert not [j for j in service.store.list() if j.input_name == "yavas.zip"], \
                "a half-written zip was taken"
    done = wait_for(lambda: [j for j in service.store.list(state="done") if j.input_name == "yavas.zip"],
                    90, "the slow zip to be processed")[0]
    assert done.application_no == app_no(1, "SLOW")
    assert done.input_sha256 == hashlib.sha256(data).hexdigest()
    assert (service.drop / "archive" / "yavas.zip").read_bytes() == data
    assert service.names("inbox") == []


SAMPLE = REPO / "samples" / "packages" / "tr63-2023-makine" / "gecerli"


def _copy_with_pauses(src: Path, dest: Path, pause_after: set[int], pause: float,
                      check: Callable[[], None]) -> None:
    """Copy a package file by file, manifest first (the worst order), pausing after some files."""
    dest.mkdir()
    files = sorted(src.iterdir(), key=lambda p: (p.name != "basvuru.yaml", p.name))
    for k, f in enumerate(files):
        shutil.copy2(f, dest / f.name)
        if k in pause_after:
            time.sleep(pause)
            check()


@pytest.mark.slow
def test_folder_copied_with_pauses_is_not_taken_half_copied(make_service, tmp_path: Path) -> None:
    """Fallback contract: settled *and* every file the manifest names present. Pauses of 1 s
    (settle 0.3 s) after the manifest and after some documents do not get it taken early."""
    service = make_service(EVRAK_FOLDER_WAIT_S="60")
    service.worker(1)
    service.watcher()
    inbox = service.drop / "inbox"
    wait_for(inbox.is_dir, 20, "the drop folder")
    copy = inbox / "yavas-klasor"

    def not_taken() -> None:
        assert copy.is_dir(), "the half-copied folder left the inbox"
        assert service.store.list() == [], "a half-copied folder was taken"
        assert service.names("outbox") == []

    _copy_with_pauses(SAMPLE, copy, pause_after={0, 3, 9}, pause=1.0, check=not_taken)
    done = wait_for(lambda: service.store.list(state="done"), 60, "the complete folder to be processed")
    assert len(done) == 1 and done[0].input_name == "yavas-klasor"
    assert done[0].input_sha256 == sha256_of(SAMPLE)  # the whole package, nothing missing
    direct = process_package(SAMPLE, tmp_path / "direct", pdf=False)
    assert done[0].verdict == direct.verdict and done[0].counts == direct.counts
    report = json.loads((service.drop / "outbox" / safe(direct.application_no) / done[0].id / "report.json")
                        .read_text(encoding="utf-8"))
    assert not [f for f in report["findings"] if f["rule"] == "DOC_MISSING"], report["findings"]
    assert service.names("inbox") == [] and service.names("failed") == []


@pytest.mark.slow
def test_ready_marker_is_the_contract(make_service) -> None:
    """EVRAK_REQUIRE_READY=1: a complete folder waits for its `.ready` file; the marker is not
    part of the package (removed before hashing). A folder naming a file it lacks is taken after
    EVRAK_FOLDER_WAIT_S in fallback mode, and fails or is judged with its reason, not kept for ever."""
    strict = make_service(EVRAK_REQUIRE_READY="1")
    strict.watcher()  # no worker: the job row and work/<id>/ show the intake
    inbox = strict.drop / "inbox"
    wait_for(inbox.is_dir, 20, "the drop folder")
    shutil.copytree(SAMPLE, inbox / "isaretli")
    time.sleep(1.5)  # five settle intervals
    assert strict.store.list() == [] and (inbox / "isaretli").is_dir()
    (inbox / "isaretli" / ".ready").touch()
    job = wait_for(lambda: strict.store.list(), 10, "the marked folder to be taken")[0]
    assert job.input_sha256 == sha256_of(SAMPLE)
    work = strict.drop / "work" / job.id / "isaretli"
    assert work.is_dir() and not (work / ".ready").exists()
    assert sorted(p.name for p in work.iterdir()) == sorted(p.name for p in SAMPLE.iterdir())

    loose = make_service(EVRAK_FOLDER_WAIT_S="3")
    loose.watcher()
    wait_for((loose.drop / "inbox").is_dir, 20, "the second drop folder")
    lacking = loose.drop / "inbox" / "eksik-dosyali"
    shutil.copytree(SAMPLE, lacking)
    (lacking / "sgk-calisan-listesi.pdf").unlink()  # named in the manifest, never arrives
    time.sleep(2.0)
    assert loose.store.list() == []  # waits while the copy could still be going on
    job = wait_for(lambda: loose.store.list(), 10, "the incomplete folder to be taken at last")[0]
    assert job.input_name == "eksik-dosyali"
