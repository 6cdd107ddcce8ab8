"""Service settings from the environment, read at call time.

Everything the watcher, the workers and `evrak submit` must agree on (where the job table
and the broker live, how long a file must sit still, when a worker counts as dead) comes
from EVRAK_* variables, so several processes and machines are configured the same way
and tests can shrink the intervals without touching code.
"""

from __future__ import annotations

import os
from pathlib import Path

from evrak.errors import UserError


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise UserError(f"{name} bir sayı olmalı: {raw!r}") from None


def _int(name: str, default: int) -> int:
    return int(_float(name, default))


def evrak_home() -> Path:
    """EVRAK_HOME: the job table, the embedded broker and `evrak submit`'s folders live here."""
    raw = os.environ.get("EVRAK_HOME")
    home = Path(raw).expanduser() if raw else Path.home() / ".evrak"
    home.mkdir(parents=True, exist_ok=True)
    return home.resolve()


def db_url() -> str:
    """EVRAK_DB_URL, else a SQLite file in EVRAK_HOME (WAL, busy timeout; see store.py)."""
    return os.environ.get("EVRAK_DB_URL") or f"sqlite:///{evrak_home() / 'evrak.db'}"


def broker_url() -> str:
    """EVRAK_BROKER_URL, else the embedded filesystem transport (folders under broker_dir())."""
    return os.environ.get("EVRAK_BROKER_URL") or "filesystem://"


def broker_dir() -> Path:
    """EVRAK_BROKER_DIR, else <EVRAK_HOME>/broker: the embedded broker's message folders."""
    raw = os.environ.get("EVRAK_BROKER_DIR")
    return Path(raw).expanduser().resolve() if raw else evrak_home() / "broker"


def settle_s() -> float:
    """A file or folder in the inbox must keep its size and mtime this long before it is taken."""
    return _float("EVRAK_SETTLE_S", 5.0)


def zip_wait_s() -> float:
    """A .zip that is not yet a readable zip waits up to this long past settling (slow copies)."""
    return _float("EVRAK_ZIP_WAIT_S", 300.0)


def folder_wait_s() -> float:
    """A folder without its `.ready` marker whose manifest is unreadable or names files not yet
    there waits up to this long past settling (a copy with pauses); then it is taken as it is."""
    return _float("EVRAK_FOLDER_WAIT_S", zip_wait_s())


def require_ready() -> bool:
    """EVRAK_REQUIRE_READY=1: a folder in the inbox is taken only once its `.ready` marker exists."""
    return os.environ.get("EVRAK_REQUIRE_READY", "0").strip().lower() in ("1", "true", "yes", "evet")


def scan_interval_s() -> float:
    """How often the watcher looks at its candidates (and the polling observer at the disk)."""
    return _float("EVRAK_SCAN_S", 1.0)


def rescan_s() -> float:
    """Full inbox rescan, for whatever file system events were missed (network shares)."""
    return _float("EVRAK_RESCAN_S", 60.0)


def sweep_s() -> float:
    """How often the watcher and the workers run the stale-job sweep."""
    return _float("EVRAK_SWEEP_S", 30.0)


def store_recheck_max_s() -> float:
    """A process whose job store is broken re-checks it at growing intervals up to this."""
    return _float("EVRAK_STORE_RECHECK_MAX_S", 60.0)


def heartbeat_s() -> float:
    """How often a running job refreshes its heartbeat in the job table."""
    return _float("EVRAK_HEARTBEAT_S", 10.0)


def stale_s() -> float:
    """A running job whose heartbeat is older than this belongs to a dead worker."""
    return _float("EVRAK_STALE_S", 90.0)


def requeue_after_s() -> float:
    """A queued job nobody claimed for this long gets its message sent again (lost messages)."""
    return _float("EVRAK_REQUEUE_AFTER_S", 600.0)


def max_attempts() -> int:
    """Tries before a job that keeps failing (or killing its worker) goes to failed/."""
    return max(1, _int("EVRAK_MAX_ATTEMPTS", 3))


def retry_base_s() -> float:
    """First retry delay; doubled on each further attempt (exponential backoff)."""
    return _float("EVRAK_RETRY_BASE_S", 30.0)


def retry_max_s() -> float:
    return _float("EVRAK_RETRY_MAX_S", 600.0)


def soft_time_limit_s() -> float:
    """A job running longer gets SoftTimeLimitExceeded (a retryable failure)."""
    return _float("EVRAK_SOFT_TIME_LIMIT_S", 600.0)


def hard_time_limit_s() -> float:
    """A job running longer has its worker process killed; the sweep takes it from there."""
    return _float("EVRAK_HARD_TIME_LIMIT_S", 660.0)


def history_files() -> list[Path]:
    """EVRAK_GECMIS: the staff's applicant-history files or folders (docs/applicant-history.md),
    separated by the path separator (':' on Linux); empty: none."""
    raw = os.environ.get("EVRAK_GECMIS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def history_from_store() -> bool:
    """EVRAK_GECMIS_DEPO=1: the applications the service screened itself count as the
    applicants' earlier applications (off by default: a test or demo installation screens the
    same sample firm many times)."""
    return os.environ.get("EVRAK_GECMIS_DEPO", "0").strip().lower() in ("1", "true", "yes", "evet")


def pdf_enabled() -> bool:
    """EVRAK_PDF=0: workers write report.json/html and DOCX letters but no PDFs (no LibreOffice)."""
    return os.environ.get("EVRAK_PDF", "1").strip().lower() not in ("0", "false", "no", "hayir", "hayır")


def test_slow_job_s() -> float:
    """Test hook: EVRAK_TEST_SLOW_JOB_S makes every job sleep first (crash tests kill it mid-job)."""
    return _float("EVRAK_TEST_SLOW_JOB_S", 0.0)


def test_slow_match() -> str:
    """Test hook: EVRAK_TEST_SLOW_MATCH; only jobs whose input name contains it sleep ("": all)."""
    return os.environ.get("EVRAK_TEST_SLOW_MATCH", "")


def test_fail_match() -> str:
    """Test hook: EVRAK_TEST_FAIL_MATCH; a job whose input name contains it raises RuntimeError."""
    return os.environ.get("EVRAK_TEST_FAIL_MATCH", "")
