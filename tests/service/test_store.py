"""The job store without a broker: claims are exclusive across processes, times are aware,
a stale claim is taken back and its holder can no longer finish, applications list."""

from __future__ import annotations

import multiprocessing
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from worker.store import QUEUED, JobStore, utcnow


def _new(store: JobStore, n: int, **kw) -> str:
    job = store.create(kind="prescreen", input_name=f"p{n}", input_path=f"/x/p{n}",
                       input_sha256=f"{n:064d}", base_dir="/x", **kw)
    assert store.mark_queued(job.id)
    return job.id


def _claim_all(url: str, ids: list[str], seed: int, out: multiprocessing.Queue) -> None:
    store = JobStore(url)
    random.Random(seed).shuffle(ids)
    out.put([i for i in ids if store.claim(i, f"w{seed}") is not None])


def test_claims_are_exclusive_across_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'evrak.db'}"
    store = JobStore(url)
    ids = [_new(store, n) for n in range(80)]
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(url, list(ids), seed, out)) for seed in range(4)]
    for p in procs:
        p.start()
    won = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    flat = [i for w in won for i in w]
    assert sorted(flat) == sorted(ids)  # every job claimed, none twice
    assert all(j.attempts == 1 and j.state == "running" for j in store.list())


def test_times_are_aware_utc(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    job = store.get(_new(store, 1))
    assert job.created_at.tzinfo is not None and job.created_at.utcoffset() == timedelta(0)
    assert abs(utcnow() - job.created_at) < timedelta(seconds=30)
    with pytest.raises(Exception, match="naive"):
        store.release(job.id, "x", error="e", not_before=datetime(2025, 1, 1))


def test_stale_claim_is_taken_back(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    job_id = _new(store, 1)
    claim = store.claim(job_id, "dead-worker")
    assert claim is not None and store.claim(job_id, "other") is None
    assert store.stale_running(utcnow() - timedelta(seconds=60)) == []  # fresh heartbeat
    future = utcnow() + timedelta(seconds=1)
    (stale,) = store.stale_running(future)
    assert store.requeue_stale(stale, future)
    assert store.get(job_id).state == QUEUED
    # the dead worker wakes up: its token is void, it cannot finish or heartbeat
    assert not store.heartbeat(job_id, claim.token)
    assert not store.complete(job_id, claim.token, input_path="/x/a", outputs=[])
    second = store.claim(job_id, "new-worker")
    assert second is not None and second.job.attempts == 2
    assert store.complete(job_id, second.token, input_path="/x/archive/p1", outputs=["/o/r.json"],
                          application_no="A-1", program="tr63-2023-makine", verdict="pass",
                          counts={"reject": 0})
    assert store.get(job_id).state == "done"


def test_applications_lists_latest_done_per_application(tmp_path: Path) -> None:
    store = JobStore(f"sqlite:///{tmp_path / 'evrak.db'}")
    for n, (app, verdict) in enumerate([("A-1", "deficient"), ("A-2", "pass"), ("A-1", "pass")]):
        c = store.claim(_new(store, n), "w")
        assert store.complete(c.job.id, c.token, input_path="/a", outputs=[], application_no=app,
                              program="tr63-2023-makine", verdict=verdict, counts={})
    apps = store.applications()
    assert [(a.application_no, a.verdict) for a in apps] == [("A-1", "pass"), ("A-2", "pass")]
    assert store.find_by_sha(f"{0:064d}").state == "done"  # a resubmission would be a duplicate
