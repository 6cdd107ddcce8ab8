"""The service at scale on real servers: PostgreSQL (job store) + Redis (broker), two worker
"machines" and kill -9 of one machine's workers in the middle of a deadline rush.

Two machines are two sets of processes with their own EVRAK_HOME (their own embedded
folders, logs and `evrak submit` space) that share only what docs/service.md says they must
share: EVRAK_DB_URL (one PostgreSQL), EVRAK_BROKER_URL (one Redis) and the drop folder with
its results (job rows store absolute paths). Machine A runs the watcher and a worker;
machine B a worker. The packages are the real sample packages (PDFs, e-signatures, a
scanned circular that goes through OCR) copied with distinct application numbers.
EVRAK_PDF=0: reports as JSON/HTML and letters as DOCX; LibreOffice PDF rendering of 200
results does not fit the time budget on a 2-core box (it runs in test_cli.py).

The figures (packages per second, how long the killed machine's jobs took to come back)
are printed and written to <tmp>/figures.json; run with -s to see them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.service.conftest import REPO, Service, free_port, redis_db_url, safe, wait_for
from tests.service.pg import postgres_server
from worker.store import JobStore, utcnow

SAMPLES = sorted(p for p in (REPO / "samples" / "packages").glob("*/*") if (p / "basvuru.yaml").is_file())
# 200 packages with real documents, as the issue asks: on an otherwise idle 2-core machine the
# run takes about a minute (4.2 packages/s). EVRAK_SCALE_N sets another count.
N = int(os.environ.get("EVRAK_SCALE_N", "200"))
KILL_AT = N // 3  # kill machine B's workers once this many are done


@pytest.fixture(scope="module")
def pg_url() -> str:
    with postgres_server(free_port()) as cluster:
        yield cluster.url


def real_packages(staging: Path, n: int) -> dict[str, Path]:
    """n copies of the sample packages, each with its own application number -> {app no: folder}."""
    out = {}
    for i in range(n):
        src = SAMPLES[i % len(SAMPLES)]
        dest = staging / f"{i:03d}-{src.parent.name}-{src.name}"
        shutil.copytree(src, dest)
        manifest = dest / "basvuru.yaml"
        text = manifest.read_text(encoding="utf-8")
        app = f"OLCEK-{i:04d}"
        text, k = re.subn(r"(?m)^application_no:.*$", f"application_no: {app}", text)
        assert k == 1, src
        manifest.write_text(text, encoding="utf-8")
        out[app] = dest
    return out


def _group_pids(pgid: int) -> set[int]:
    pids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.getpgid(int(d.name)) == pgid:
                    pids.add(int(d.name))
            except (ProcessLookupError, PermissionError):
                pass
    return pids


def _ready(service: Service) -> bool:
    return any(" ready." in f.read_text(errors="replace") for f in service.logs.glob("*-worker.log"))


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_two_machines_postgres_redis_kill9(pg_url: str, redis_url: str, tmp_path: Path) -> None:
    if not SAMPLES:
        pytest.fail("samples/packages boş: örnek paketler gerekir (scripts/build_samples.py)")
    broker = redis_db_url(redis_url)
    shared = {"EVRAK_DB_URL": pg_url, "EVRAK_STALE_S": "5", "EVRAK_HEARTBEAT_S": "0.5",
              "EVRAK_REQUEUE_AFTER_S": "60", "EVRAK_SOFT_TIME_LIMIT_S": "120", "EVRAK_HARD_TIME_LIMIT_S": "150"}
    a = Service(tmp_path / "makine-a", broker, **shared)
    b = Service(tmp_path / "makine-b", broker, **shared)
    store = JobStore(pg_url)
    try:
        packages = real_packages(tmp_path / "staging", N)
        a.worker(1)
        worker_b = b.worker(1)
        a.watcher()
        wait_for(lambda: _ready(a) and _ready(b) and (a.drop / "inbox").is_dir(), 60, "both workers ready")

        t0 = time.monotonic()
        a.drop_all(list(packages.values()))
        done = lambda: store.count_by_state().get("done", 0)  # noqa: E731
        wait_for(lambda: done() >= KILL_AT, 240, f"{KILL_AT} done before the kill", step=0.2)

        b_pids = _group_pids(worker_b.pid)

        def running_on_b() -> set[str]:
            return {j.id for j in store.list(state="running") if int(j.worker_id.rsplit(":", 1)[1]) in b_pids}

        wait_for(running_on_b, 60, "machine B to be running a job", step=0.05)
        t_kill, kill_at = time.monotonic(), utcnow()
        b.kill9(worker_b)  # machine B's worker and its pool children, at once, mid-job
        killed = running_on_b()
        done_at_kill = done()

        back: dict[str, float] = {}
        finished: dict[str, float] = {}

        def progress() -> bool:
            now = time.monotonic() - t_kill
            for jid in killed:
                job = store.get(jid)
                if job.state != "running" and jid not in back:
                    back[jid] = now
                if job.state == "done" and jid not in finished:
                    finished[jid] = now
            return done() >= N

        try:
            wait_for(progress, 300, f"all {N} done after the kill", step=0.2)
        except AssertionError:
            raise AssertionError(f"{store.count_by_state()}\n{a.log_tail()}\n{b.log_tail()}") from None
        elapsed = time.monotonic() - t0
        time.sleep(2.0)  # anything processed twice would show up now

        # --- every package done exactly once, nothing lost ---------------------------
        jobs = store.list(limit=None)
        assert store.count_by_state() == {"done": N}, store.count_by_state()
        assert sorted(j.application_no for j in jobs) == sorted(packages)
        assert killed, "machine B was running nothing when it was killed"
        for j in jobs:
            assert j.attempts == (2 if j.id in killed else 1), (j.id, j.attempts, j.error)
            assert j.verdict and j.counts and j.program
            assert Path(j.input_path).parent == a.drop / "archive"
            assert all(Path(o).exists() for o in j.outputs), j.outputs
        # a job taken back from the dead machine goes ahead of the queue (Redis priority): only
        # what machine A was running or had already fetched starts before it, not the whole queue
        # Counted from the moment the sweep put it back in the queue (it cannot overtake anything
        # before it is there: until then machine A rightly goes on with the queue).
        overtook: list = []
        for jid in killed:
            requeued = kill_at + timedelta(seconds=back.get(jid, 0.0))
            restarted = store.get(jid).started_at
            overtook = max(overtook, [j for j in jobs if j.id not in killed and requeued < j.started_at < restarted],
                           key=len)
        assert len(overtook) <= 4, (len(overtook), N - done_at_kill)
        workers = {j.worker_id.rsplit(":", 1)[1] for j in jobs if j.worker_id}
        assert len(workers) >= 2, "both machines took work"
        outbox = a.drop / "outbox"
        assert sorted(p.name for p in outbox.iterdir() if not p.name.startswith(".")) == \
            sorted(safe(app) for app in packages)
        for j in jobs:  # one result per application, the done job's, nothing left by the killed run
            folder = outbox / safe(j.application_no)
            entries = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
            assert entries == {Path(o).relative_to(folder).parts[0] for o in j.outputs}, (entries, j.outputs)
            assert json.loads(Path(next(o for o in j.outputs if o.endswith("report.json"))).read_text(
                encoding="utf-8"))["application_no"] == j.application_no
        assert a.names("inbox") == [] and a.names("work") == [] and a.names("failed") == []
        assert a.names("archive") == sorted(p.name for p in packages.values())

        figures = {
            "packages": N, "machines": 2, "workers_per_machine": 1, "store": "postgresql", "broker": "redis",
            "seconds": round(elapsed, 1), "packages_per_second": round(N / elapsed, 2),
            "done_at_kill": done_at_kill, "killed_jobs": len(killed),
            "killed_jobs_requeued_after_s": round(max(back.values()), 1),
            "killed_jobs_done_after_s": round(max(finished.values()), 1),
            "stale_after_s": float(shared["EVRAK_STALE_S"]),
        }
        (tmp_path / "figures.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        print("\nölçek:", json.dumps(figures, ensure_ascii=False))
    finally:
        for s in (a, b):
            s.close()
        store.engine.dispose()
