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


@pytest.mark.slow
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


def test_an_older_table_gets_the_new_columns(tmp_path: Path) -> None:
    """A job table made before `completes`/`received_at` existed is extended in place, rows kept."""
    import sqlite3

    db = tmp_path / "evrak.db"
    con = sqlite3.connect(db)
    con.execute("create table evrak_jobs (id varchar(32) primary key, kind varchar(32), state varchar(16), "
                "input_name varchar(512), input_path text, input_sha256 varchar(64), base_dir text, params json, "
                "attempts integer, max_attempts integer, claim_token varchar(32), worker_id varchar(255), "
                "heartbeat_at datetime, created_at datetime, queued_at datetime, started_at datetime, "
                "finished_at datetime, outputs json, error text, duplicate_of varchar(32), "
                "application_no varchar(255), program varchar(128), verdict varchar(32), counts json)")
    con.execute("insert into evrak_jobs values ('old1', 'prescreen', 'done', 'p', '/x', '0', '/x', '{}', 1, 3, "
                "null, null, null, '2026-01-01 10:00:00', null, null, '2026-01-01 10:01:00', '[]', null, null, "
                "'A-1', 'tr63-2023-makine', 'pass', '{}')")
    con.commit()
    con.close()
    store = JobStore(f"sqlite:///{db}")
    (old,) = store.submissions("A-1")
    assert old.id == "old1" and old.completes is None and old.received_at is None
    assert old.receipt_time == old.created_at and old.created_at.tzinfo is not None
    JobStore(f"sqlite:///{db}")  # a second opening finds the columns there


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path):
    """The same store API on SQLite and on a real PostgreSQL server (tests/service/pg.py)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evrak.db'}"
        return
    from tests.service.conftest import free_port
    from tests.service.pg import postgres_server

    with postgres_server(free_port()) as cluster:
        yield cluster.url


def test_submissions_events_audit_and_login_counters(store_url: str) -> None:
    store = JobStore(store_url)
    ids = []
    for n in range(3):
        c = store.claim(_new(store, n), "w")
        assert store.complete(c.job.id, c.token, input_path="/a", outputs=[], application_no="A-1",
                              program="tr63-2023-makine", verdict="deficient", counts={},
                              completes=ids[-1] if ids else None)
        ids.append(c.job.id)
    assert [j.id for j in store.submissions("A-1")] == ids
    assert [j.completes for j in store.submissions("A-1")] == [None, ids[0], ids[1]]
    e = store.add_event("A-1", "letter_issued", username="ayse", job_id=ids[0], data={"kind": "eksik_evrak_yazisi"})
    assert [x.id for x in store.events("A-1")] == [e.id] and store.events("A-2") == []
    store.audit("ayse", "view", application_no="A-1", job_id=ids[0], detail="sayfa", address="10.0.0.9")
    store.audit("mehmet", "download", application_no="A-1")
    assert [a.action for a in store.audit_trail(application_no="A-1")] == ["download", "view"]
    assert [a.username for a in store.audit_trail(username="ayse")] == ["ayse"]

    def delay(n: int) -> float:
        return 0 if n < 3 else 60

    assert store.login_failed("ayse|1.2.3.4", delay_for=delay, forget_after_s=3600) is None
    assert store.login_failed("ayse|1.2.3.4", delay_for=delay, forget_after_s=3600) is None
    until = store.login_failed("ayse|1.2.3.4", delay_for=delay, forget_after_s=3600)
    assert until is not None and timedelta(seconds=55) < until - utcnow() <= timedelta(seconds=60)
    reopened = JobStore(store_url)
    assert reopened.login_blocked_until("ayse|1.2.3.4") == until  # a restart keeps the counter
    assert store.login_blocked_until("ayse|5.6.7.8") is None
    store.forget_logins("ayse|")
    assert store.login_blocked_until("ayse|1.2.3.4") is None
    reopened.engine.dispose()
    store.engine.dispose()
