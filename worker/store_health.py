"""Job store health: checked at start and after an error; a broken store stops intake, quietly.

A watcher or worker whose job table is damaged (a SQLite file with a bad page) or
unreachable (PostgreSQL down) must not go on as if it were fine: it would log a traceback
every second and, worse, keep taking packages and messages it cannot record. So:

- `check(url)` asks the store itself: SQLite runs `PRAGMA quick_check` (`integrity_check`
  with full=True) on the file, PostgreSQL (or any other server) must answer `SELECT 1`
  within a few seconds. It returns a Turkish reason, or None when healthy.
- `StoreGuard` is what a process's loop consults: after a store error it runs the check;
  while the store is broken `usable()` says no (the process takes no work) and re-checks at
  growing intervals, up to EVRAK_STORE_RECHECK_MAX_S.
- `Throttle` keeps the log readable: one line per problem (no traceback), repeated at
  growing intervals with a count of what it did not print, and one line when it recovers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from worker import settings

#: Errors that come from the job store (the driver's, or SQLAlchemy's wrapping of them).
STORE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error)

_MAX_REASON = 300


def is_store_error(exc: BaseException) -> bool:
    return isinstance(exc, STORE_ERRORS)


def _first_line(text_: str) -> str:
    lines = [ln.strip() for ln in str(text_).splitlines() if ln.strip() and not ln.startswith("***")]
    line = lines[0] if lines else str(text_).strip()
    return line[:_MAX_REASON]


def describe(url: str) -> str:
    """The store's URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"


def check(url: str, *, full: bool = False, timeout_s: float = 5.0) -> str | None:
    """None if the store at `url` is usable; otherwise why not, in one Turkish line."""
    try:
        u = make_url(url)
    except Exception as exc:
        return f"iş deposu adresi geçersiz ({exc})"
    if u.get_backend_name() == "sqlite":
        return _check_sqlite(u.database, full=full)
    connect_args = {"connect_timeout": max(1, int(timeout_s))} if u.get_backend_name() == "postgresql" else {}
    try:
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except Exception as exc:
        return f"iş deposu açılamadı ({describe(url)}): {_first_line(str(exc))}"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        cause = getattr(exc, "orig", None) or exc
        return f"iş deposuna bağlanılamadı ({describe(url)}): {_first_line(str(cause))}"
    finally:
        engine.dispose()
    return None


def _check_sqlite(database: str | None, *, full: bool) -> str | None:
    if not database or database == ":memory:":
        return None
    path = Path(database)
    if not path.exists():
        return None  # created on first use
    try:
        con = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)
        try:
            rows = con.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"SQLite iş deposu okunamıyor ({path}): {_first_line(str(exc))}"
    problems = [r[0] for r in rows if r and r[0] != "ok"]
    if problems:
        return (f"SQLite iş deposu bozuk ({path}): {_first_line(problems[0])}; "
                "yedekten geri yükleyin ya da `sqlite3 evrak.db .recover` ile kurtarın")
    return None


class Throttle:
    """Log a recurring problem as one line at growing intervals (1 s, 2 s, 4 s ... max_s)."""

    def __init__(self, log: logging.Logger, *, first_s: float = 1.0, max_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.log, self.first_s, self.max_s, self.clock = log, first_s, max_s, clock
        self.lock = threading.Lock()
        self.active = False
        self.message = ""
        self.next_at = 0.0
        self.interval = first_s
        self.suppressed = 0

    def problem(self, message: str, level: int = logging.ERROR) -> bool:
        """Report `message`; True if a line was written, False if it was counted only."""
        with self.lock:
            now = self.clock()
            if self.active and message == self.message and now < self.next_at:
                self.suppressed += 1
                return False
            if not self.active or message != self.message:
                self.interval = self.first_s
            more = f" (son satırdan beri {self.suppressed} kez daha)" if self.suppressed else ""
            self.log.log(level, "%s%s", message, more)
            self.active, self.message, self.suppressed = True, message, 0
            self.next_at = now + self.interval
            self.interval = min(self.interval * 2, self.max_s)
            return True

    def recovered(self, message: str) -> None:
        with self.lock:
            if self.active:
                self.log.warning("%s", message)
            self.active, self.message, self.suppressed, self.interval = False, "", 0, self.first_s


class StoreGuard:
    """Whether this process may take work, given the state of its job store."""

    def __init__(self, url: str, log: logging.Logger, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url, self.log, self.clock = url, log, clock
        self.healthy = True
        self.reason = ""
        self.throttle = Throttle(log, clock=clock)
        self.errors = Throttle(log, clock=clock)
        self.next_check = 0.0
        self.delay = 1.0

    def start(self, *, full: bool = True) -> bool:
        """The check at start (a full integrity check on SQLite); False if the store is unusable."""
        reason = check(self.url, full=full)
        if reason is not None:
            self._broken(reason)
        return reason is None

    def usable(self) -> bool:
        """True while healthy; when broken, re-checks now and then and says so once per interval."""
        if self.healthy:
            return True
        now = self.clock()
        if now < self.next_check:
            return False
        reason = check(self.url)
        if reason is None:
            self.healthy, self.reason, self.delay = True, "", 1.0
            self.throttle.recovered(f"iş deposu yeniden kullanılabilir, iş alınıyor: {describe(self.url)}")
            return True
        self._broken(reason)
        return False

    def failed(self, exc: BaseException, doing: str) -> None:
        """A store call raised while `doing`: broken store, or one bad moment (busy, network)?"""
        reason = check(self.url)
        if reason is not None:
            self._broken(reason)
        else:  # the store looks fine: report the error itself, still one line, still throttled
            self.errors.problem(f"{doing}: iş deposu hatası ({type(exc).__name__}: "
                                f"{_first_line(str(getattr(exc, 'orig', None) or exc))})", logging.WARNING)

    def _broken(self, reason: str) -> None:
        self.healthy, self.reason = False, reason
        self.throttle.problem(f"iş deposu kullanılamıyor, iş alınmıyor: {reason}")
        self.next_check = self.clock() + self.delay
        self.delay = min(self.delay * 2, settings.store_recheck_max_s())

    def wait_until_usable(self, stop: threading.Event) -> bool:
        """Block until the store passes its start check (True) or `stop` is set (False)."""
        if self.start():
            return True
        while not stop.wait(max(0.05, self.next_check - self.clock())):
            if self.usable():
                return True
        return False
