"""Job store health: a damaged SQLite file is detected at start and after an error, the
process takes no work while it is broken and says so in one line at growing intervals
(the issue: a traceback every second, 170 KB in 25 s, and a worker reporting "ready")."""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from pathlib import Path

import pytest

from tests.service.conftest import app_no, free_port, make_package, wait_for
from tests.service.pg import postgres_server
from worker.store import JobStore
from worker.store_health import StoreGuard, Throttle, check, is_store_error


def damaged_db(path: Path, rows: int = 300) -> Path:
    """A real job table with `rows` jobs, then garbage written over every third data page.

    Page 1 (the schema) is left alone, so the file still opens and the store can be
    constructed; reading the jobs fails with "database disk image is malformed".
    """
    store = JobStore(f"sqlite:///{path}")
    for n in range(rows):
        store.create(kind="prescreen", input_name=f"paket-{n:04d}", input_path=f"/srv/evrak/inbox/paket-{n:04d}",
                     input_sha256=f"{n:064d}", base_dir="/srv/evrak")
    store.engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    pages = path.stat().st_size // 4096
    rnd = random.Random(7)
    with path.open("r+b") as fh:
        for page in range(3, pages, 3):
            fh.seek(page * 4096 + 100)
            fh.write(bytes(rnd.randrange(256) for _ in range(2000)))
    return path


def test_check_finds_the_damage_and_the_guard_stops_work(tmp_path: Path, caplog) -> None:
    db = damaged_db(tmp_path / "evrak.db")
    url = f"sqlite:///{db}"
    reason = check(url)
    assert reason is not None and "bozuk" in reason and str(db) in reason
    assert "\n" not in reason and len(reason) < 500
    assert check(f"sqlite:///{tmp_path / 'yeni.db'}") is None  # not there yet: created on first use

    store = JobStore(url)  # the schema page is intact: this works; reading jobs does not
    with pytest.raises(Exception) as info:
        store.list()
    assert is_store_error(info.value)
    now = [0.0]
    guard = StoreGuard(url, logging.getLogger("evrak.test"), clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="evrak.test"):
        guard.failed(info.value, "paket-1 alınamadı")
        assert not guard.healthy and not guard.usable()  # no work until the next check
        for _ in range(50):  # fifty loop rounds in 0.1 s: no new line
            now[0] += 0.002
            assert not guard.usable()
    lines = [r for r in caplog.records if r.name == "evrak.test"]
    assert len(lines) == 1 and lines[0].exc_info is None
    assert "iş deposu kullanılamıyor, iş alınmıyor" in lines[0].getMessage()
    store.engine.dispose()

    for suffix in ("", "-wal", "-shm"):  # repaired (here: replaced by a fresh file)
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    now[0] += 120
    with caplog.at_level(logging.WARNING, logger="evrak.test"):
        assert guard.usable() and guard.healthy
    assert "yeniden kullanılabilir" in caplog.records[-1].getMessage()


def test_throttle_grows_its_interval() -> None:
    now = [0.0]
    log = logging.getLogger("evrak.test.throttle")
    written = []
    log.addHandler(handler := logging.Handler())
    handler.emit = written.append  # type: ignore[method-assign]
    try:
        throttle = Throttle(log, first_s=1.0, max_s=8.0, clock=lambda: now[0])
        for _ in range(600):  # one problem ten times a second for a minute
            throttle.problem("iş deposu kullanılamıyor")
            now[0] += 0.1
    finally:
        log.removeHandler(handler)
    # 1 + 2 + 4 + 8 + 8 ... seconds apart: 0, 1, 3, 7, 15, 23, 31, 39, 47, 55 -> ten lines, not 600
    assert len(written) == 10, [r.getMessage() for r in written]
    assert "kez daha" in written[-1].getMessage()


@pytest.mark.slow
def test_watcher_and_worker_on_a_damaged_store(make_service, tmp_path: Path) -> None:
    service = make_service(EVRAK_STORE_RECHECK_MAX_S="2")
    service.home.mkdir(parents=True)
    damaged_db(service.home / "evrak.db")
    (service.drop / "inbox").mkdir(parents=True)
    service.drop_all([make_package(tmp_path / "bekleyen", app_no(1, "HEALTH"))])
    watcher = service.watcher()
    worker = service.worker(1)

    def logs() -> dict[str, str]:
        return {f.name: f.read_text(errors="replace") for f in service.logs.iterdir()}

    wait_for(lambda: all("iş deposu kullanılamıyor" in t for t in logs().values()), 90,
             "both processes to say the store is unusable", step=0.3)
    time.sleep(6)  # a traceback a second would be 6 tracebacks each by now
    assert watcher.poll() is None and worker.poll() is None  # alive, waiting
    for name, text in logs().items():
        assert "Traceback" not in text, (name, text[-3000:])
        assert len(text) < 4000, (name, len(text))  # a few lines, not a flood
        assert text.count("iş deposu kullanılamıyor") <= 6, text  # 1, 2, 2, 2 s apart (max 2 s here)
    worker_log = next(t for n, t in logs().items() if n.endswith("worker.log"))
    assert " ready." not in worker_log  # not ready while its store is broken
    assert service.names("inbox") == ["bekleyen"] and service.names("work") == []

    for suffix in ("", "-wal", "-shm"):  # the operator restores the store (here: a fresh one)
        Path(f"{service.home / 'evrak.db'}{suffix}").unlink(missing_ok=True)
    try:  # taken and run once the store is back (done, or failed for a reason of its own)
        wait_for(lambda: set(service.states()) <= {"done", "failed"} and sum(service.states().values()) == 1,
                 90, "the waiting package to be taken and finished", step=0.3)
    except AssertionError:
        raise AssertionError(f"{service.states()}\n{service.log_tail()}") from None
    assert "yeniden kullanılabilir" in "".join(logs().values())
    assert " ready." in next(t for n, t in logs().items() if n.endswith("worker.log"))
    (job,) = service.store.list()
    assert job.input_name == "bekleyen" and "deposu" not in (job.error or "")
    assert service.names("inbox") == [] and service.names("work") == []


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_postgres_down_stops_intake_and_work_until_it_is_back(make_service, tmp_path: Path) -> None:
    """A running watcher and worker on a real PostgreSQL that goes away: both say so in a line,
    take nothing (the worker shuts its consumer down and waits, same process), and carry on
    when the server is back."""
    with postgres_server(free_port()) as pg:
        service = make_service(EVRAK_DB_URL=pg.url, EVRAK_STORE_RECHECK_MAX_S="1")
        store = JobStore(pg.url)
        worker = service.worker(1)
        watcher = service.watcher()
        wait_for(lambda: (service.drop / "inbox").is_dir(), 90, "the drop folder")
        service.drop_all([make_package(tmp_path / "once", app_no(1, "PGDOWN"))])
        wait_for(lambda: store.count_by_state() == {"done": 1}, 120, "the first package done", step=0.3)

        def logs() -> dict[str, str]:
            return {f.name: f.read_text(errors="replace") for f in service.logs.iterdir()}

        pg.stop()
        try:
            wait_for(lambda: all("iş deposu kullanılamıyor" in t for t in logs().values()), 90,
                     "both processes to say the store is unreachable", step=0.3)
        except AssertionError:
            raise AssertionError(service.log_tail()) from None
        service.drop_all([make_package(tmp_path / "sonra", app_no(2, "PGDOWN"))])
        time.sleep(4)
        assert service.names("inbox") == ["sonra"]  # nothing taken while the store is away
        assert worker.poll() is None and watcher.poll() is None  # waiting, not dead

        pg.start()
        try:
            wait_for(lambda: store.count_by_state() == {"done": 2}, 120, "the second package done", step=0.3)
        except AssertionError:
            raise AssertionError(service.log_tail()) from None
        text = logs()
        worker_log = next(t for n, t in text.items() if n.endswith("worker.log"))
        assert worker_log.count(" ready.") == 2  # stopped taking work, started afresh when it was back
        assert "Warm shutdown" in worker_log
        assert "yeniden kullanılabilir" in next(t for n, t in text.items() if n.endswith("watch.log"))
        for name, t in text.items():
            assert "Traceback" not in t, (name, t[-3000:])
            assert t.count("iş deposu kullanılamıyor") <= 8, (name, t[-3000:])
        service.close()  # before the server goes away
        store.engine.dispose()
