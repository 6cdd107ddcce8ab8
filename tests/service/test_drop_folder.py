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
import time
from pathlib import Path

import pytest

from tests.service.conftest import (
    Service,
    app_no,
    make_package,
    redis_db_url,
    safe,
    wait_for,
    zip_bytes,
)

N = 200


@pytest.fixture(params=["embedded", "redis"])
def service(request: pytest.FixtureRequest, make_service) -> Service:
    if request.param == "redis":
        return make_service(redis_db_url(request.getfixturevalue("redis_url")))
    return make_service()


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
    for name in outbox:
        report = json.loads((service.drop / "outbox" / name / "report.json").read_text(encoding="utf-8"))
        assert safe(report["application_no"]) == name
    assert service.names("inbox") == []
    assert service.names("work") == []
    assert service.names("failed") == []
    assert service.names("archive") == sorted(p.name for p in packages)
    assert not [p for p in (service.drop / "outbox").iterdir() if p.name.startswith(".")]

    # --- a duplicate: the same content under another name is reported, not redone ----
    first = next(j for j in jobs if j.application_no == app_no(7, "RUSH"))
    import shutil

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
                    30, "the slow zip to be processed")[0]
    assert done.application_no == app_no(1, "SLOW")
    assert done.input_sha256 == hashlib.sha256(data).hexdigest()
    assert (service.drop / "archive" / "yavas.zip").read_bytes() == data
    assert service.names("inbox") == []
