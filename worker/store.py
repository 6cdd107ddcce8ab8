"""The job store: one row per job, the source of truth for the service.

Brokers lose messages (the embedded transports whenever a worker dies hard, Redis after a
crash between fetch and ack), so the job table, not the queue, says what exists and in
which state. A message carries only a job id; a worker *claims* a job with one
`UPDATE ... WHERE state='queued'`, so two workers never both run it, and every later
transition of that run is conditional on the claim token it got. A sweep puts a job whose
worker stopped heart-beating back to `queued`.

SQLite by default (EVRAK_DB_URL, else <EVRAK_HOME>/evrak.db): WAL so readers (the web
page, `evrak jobs`) never block the workers, a busy timeout and `BEGIN IMMEDIATE` so
writers from several processes queue up instead of failing with "database is locked".
A PostgreSQL URL (postgresql+psycopg://...) works unchanged for several machines.

Times are stored as UTC and always come back timezone-aware.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from evrak.errors import UserError
from worker import settings

# Job states. received: recorded, input not yet in its work folder; queued: waiting for a
# worker (message sent); running: claimed by a worker; done / failed: final;
# duplicate: same SHA-256 as an earlier job, not processed.
RECEIVED, QUEUED, RUNNING, DONE, FAILED, DUPLICATE = (
    "received", "queued", "running", "done", "failed", "duplicate")
STATES = (RECEIVED, QUEUED, RUNNING, DONE, FAILED, DUPLICATE)
FINAL_STATES = (DONE, FAILED, DUPLICATE)
#: A new package with the same hash as a job in one of these states is a duplicate.
#: A failed job does not count: sending the same package again is how a retry is asked for.
LIVE_STATES = (RECEIVED, QUEUED, RUNNING, DONE)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive text) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the job store; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Job(Base):
    __tablename__ = "evrak_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # prescreen | batch
    state: Mapped[str] = mapped_column(String(16), index=True)
    input_name: Mapped[str] = mapped_column(String(512))  # the name it arrived under
    input_path: Mapped[str] = mapped_column(Text)  # where the input is now
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    base_dir: Mapped[str] = mapped_column(Text)  # holds work/ outbox/ archive/ failed/
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # kind-specific arguments
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    worker_id: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # also "not before" on retry
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outputs: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(String(32))
    application_no: Mapped[str | None] = mapped_column(String(255), index=True)
    program: Mapped[str | None] = mapped_column(String(128), index=True)
    verdict: Mapped[str | None] = mapped_column(String(32), index=True)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    # D34: the earlier submission of the same application this one completes or follows
    completes: Mapped[str | None] = mapped_column(String(32), index=True)
    # when the agency received this submission, where it says so (a completion's own
    # tamamlama.yaml `submitted_at`); else created_at is the receipt time
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the applicant's tax id and the KAYS submission time of a screened package, so the
    # same applicant's earlier applications can be found (evrak.history, worker/history_source.py)
    vkn: Mapped[str | None] = mapped_column(String(11), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AppEvent(Base):
    """What staff did to an application (letters issued, assignment, conclusion): kept, never edited."""

    __tablename__ = "evrak_app_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_no: Mapped[str] = mapped_column(String(255), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # letter_issued | assigned | concluded
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class AuditEntry(Base):
    """Who looked at personal data, decided, issued or downloaded what, and when (KVKK)."""

    __tablename__ = "evrak_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    application_no: Mapped[str | None] = mapped_column(String(255), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(64))


class LoginFailure(Base):
    """Failed logins per (username, client address): survives a restart, shared by processes."""

    __tablename__ = "evrak_login_failures"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class EventInfo:
    id: int
    application_no: str
    job_id: str | None
    kind: str
    username: str
    at: datetime
    data: dict

    @classmethod
    def of(cls, row: AppEvent) -> EventInfo:
        return cls(row.id, row.application_no, row.job_id, row.kind, row.username, row.at, dict(row.data or {}))


@dataclass(frozen=True)
class AuditInfo:
    id: int
    at: datetime
    username: str
    action: str
    application_no: str | None
    job_id: str | None
    detail: str
    address: str | None

    @classmethod
    def of(cls, row: AuditEntry) -> AuditInfo:
        return cls(row.id, row.at, row.username, row.action, row.application_no, row.job_id, row.detail,
                   row.address)


@dataclass
class JobInfo:
    """A detached snapshot of a job row: safe to keep, print or hand to a template."""

    id: str
    kind: str
    state: str
    input_name: str
    input_path: str
    input_sha256: str
    base_dir: str
    params: dict = field(default_factory=dict)
    attempts: int = 0
    max_attempts: int = 3
    claim_token: str | None = None
    worker_id: str | None = None
    heartbeat_at: datetime | None = None
    created_at: datetime | None = None
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    outputs: list = field(default_factory=list)
    error: str | None = None
    duplicate_of: str | None = None
    application_no: str | None = None
    program: str | None = None
    verdict: str | None = None
    counts: dict = field(default_factory=dict)
    completes: str | None = None
    received_at: datetime | None = None
    vkn: str | None = None
    submitted_at: datetime | None = None

    @property
    def receipt_time(self) -> datetime | None:
        """When the agency received it: the stated receipt time, else when it was recorded."""
        return self.received_at or self.created_at

    @classmethod
    def of(cls, row: Job) -> JobInfo:
        return cls(**{f: getattr(row, f) for f in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("claim_token")
        for k, v in d.items():
            if isinstance(v, datetime):
                d[k] = v.isoformat()
        return d


@dataclass(frozen=True)
class Claim:
    """What a worker holds while running a job: later transitions must present the token."""

    job: JobInfo
    token: str
    worker_id: str


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling starts transactions late and deferred, which
        # makes concurrent writers fail instead of waiting; we issue BEGIN ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _add_missing_columns(engine: Engine) -> None:
    """Columns added to a table after it was created (nullable ones only): ALTER TABLE ADD COLUMN.

    create_all never changes an existing table; an installation made before a column was
    added gets it here, on SQLite and PostgreSQL alike. Two processes racing: the loser's
    ALTER fails, and the column is there all the same.
    """
    insp = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not insp.has_table(table.name):
            continue
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in have or not col.nullable:
                continue
            ddl = f"ALTER TABLE {table.name} ADD COLUMN {col.name} {col.type.compile(dialect=engine.dialect)}"
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(ddl)
            except DBAPIError:
                if col.name not in {c["name"] for c in inspect(engine).get_columns(table.name)}:
                    raise


def new_job_id() -> str:
    return uuid.uuid4().hex[:12]


class JobStore:
    """All reads and state transitions of jobs. One instance per process (see `get_store`)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or settings.db_url()
        if self.url.startswith("sqlite"):
            self.engine = _sqlite_engine(self.url)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)

    def session(self) -> Session:
        return self._session()

    # --- creating and reading -------------------------------------------------------

    def create(self, *, kind: str, input_name: str, input_path: str, input_sha256: str, base_dir: str,
               params: dict | None = None, state: str = RECEIVED, duplicate_of: str | None = None,
               error: str | None = None, max_attempts: int | None = None,
               job_id: str | None = None) -> JobInfo:
        now = utcnow()
        row = Job(
            id=job_id or new_job_id(), kind=kind, state=state, input_name=input_name,
            input_path=input_path, input_sha256=input_sha256, base_dir=base_dir, params=params or {},
            attempts=0, max_attempts=max_attempts or settings.max_attempts(), created_at=now,
            outputs=[], counts={}, duplicate_of=duplicate_of, error=error,
            finished_at=now if state in FINAL_STATES else None,
        )
        with self.session() as s, s.begin():
            s.add(row)
        return JobInfo.of(row)

    def get(self, job_id: str) -> JobInfo | None:
        with self.session() as s:
            row = s.get(Job, job_id)
            return JobInfo.of(row) if row else None

    def resolve(self, ref: str) -> JobInfo:
        """A job by its id or a unique prefix of it; UserError otherwise (CLI input)."""
        job = self.get(ref)
        if job:
            return job
        with self.session() as s:
            rows = s.scalars(select(Job).where(Job.id.startswith(ref, autoescape=True)).limit(2)).all()
        if len(rows) == 1 and ref:
            return JobInfo.of(rows[0])
        if rows and ref:
            raise UserError(f"'{ref}' birden çok işe uyuyor; iş numarasını daha uzun yazın")
        raise UserError(f"iş bulunamadı: {ref!r} (evrak jobs ile listeleyin)")

    def find_by_sha(self, sha256: str, states: tuple[str, ...] = LIVE_STATES,
                    kind: str | None = None) -> JobInfo | None:
        """The oldest job with this input hash in one of `states` (duplicate detection)."""
        q = select(Job).where(Job.input_sha256 == sha256, Job.state.in_(states))
        if kind:
            q = q.where(Job.kind == kind)
        with self.session() as s:
            row = s.scalars(q.order_by(Job.created_at).limit(1)).first()
            return JobInfo.of(row) if row else None

    def find_received(self, input_path: str) -> JobInfo | None:
        """A job recorded for this inbox path whose intake was interrupted (resumed, not doubled)."""
        with self.session() as s:
            row = s.scalars(select(Job).where(Job.state == RECEIVED, Job.input_path == input_path)
                            .limit(1)).first()
            return JobInfo.of(row) if row else None

    def list(self, *, state: str | None = None, kind: str | None = None, application_no: str | None = None,
             limit: int | None = None, newest_first: bool = True) -> list[JobInfo]:
        """Jobs, newest first by default, optionally filtered by state, kind, application no."""
        q = select(Job)
        if state:
            q = q.where(Job.state == state)
        if kind:
            q = q.where(Job.kind == kind)
        if application_no:
            q = q.where(Job.application_no == application_no)
        order = Job.created_at.desc() if newest_first else Job.created_at
        q = q.order_by(order, Job.id)
        if limit:
            q = q.limit(limit)
        with self.session() as s:
            return [JobInfo.of(r) for r in s.scalars(q)]

    def submissions(self, application_no: str) -> list[JobInfo]:
        """Every pre-screening submission of one application, oldest first (D34: all kept)."""
        q = (select(Job).where(Job.kind == "prescreen", Job.application_no == application_no)
             .order_by(Job.created_at, Job.id))
        with self.session() as s:
            return [JobInfo.of(r) for r in s.scalars(q)]

    def screened(self) -> list[JobInfo]:
        """Done pre-screening jobs that recorded their applicant, oldest first: the applications
        the service has seen (worker/history_source.py)."""
        q = select(Job).where(Job.kind == "prescreen", Job.state == DONE, Job.vkn.is_not(None))
        with self.session() as s:
            return [JobInfo.of(r) for r in s.scalars(q.order_by(Job.created_at, Job.id))]

    def applications(self, program: str | None = None) -> list[JobInfo]:
        """The latest done pre-screening job of each application no (what the web page lists)."""
        latest = (select(Job.application_no, func.max(Job.finished_at).label("at"))
                  .where(Job.state == DONE, Job.kind == "prescreen", Job.application_no.is_not(None))
                  .group_by(Job.application_no).subquery())
        q = (select(Job).join(latest, (Job.application_no == latest.c.application_no)
                              & (Job.finished_at == latest.c.at))
             .where(Job.state == DONE, Job.kind == "prescreen"))
        if program:
            q = q.where(Job.program == program)
        with self.session() as s:
            rows = s.scalars(q.order_by(Job.application_no)).all()
        seen: dict[str, JobInfo] = {}
        for r in rows:  # equal finish times: keep one
            seen.setdefault(r.application_no or "", JobInfo.of(r))
        return list(seen.values())

    def count_by_state(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(Job.state, func.count()).group_by(Job.state)).all()
        return {state: n for state, n in rows}

    # --- transitions ----------------------------------------------------------------

    def _update(self, *where: Any, **values: Any) -> bool:
        with self.session() as s, s.begin():
            res = s.execute(update(Job).where(*where).values(**values))
            return res.rowcount == 1

    def mark_queued(self, job_id: str, *, input_path: str | None = None) -> bool:
        """received -> queued, once the input sits in its work folder."""
        values: dict[str, Any] = {"state": QUEUED, "queued_at": utcnow()}
        if input_path is not None:
            values["input_path"] = input_path
        return self._update(Job.id == job_id, Job.state == RECEIVED, **values)

    def claim(self, job_id: str, worker_id: str) -> Claim | None:
        """queued -> running for exactly one caller; None if done, failed or held by another."""
        token = uuid.uuid4().hex
        now = utcnow()
        ok = self._update(Job.id == job_id, Job.state == QUEUED,
                          state=RUNNING, claim_token=token, worker_id=worker_id, heartbeat_at=now,
                          started_at=now, attempts=Job.attempts + 1)
        if not ok:
            return None
        job = self.get(job_id)
        assert job is not None
        return Claim(job, token, worker_id)

    def heartbeat(self, job_id: str, token: str) -> bool:
        return self._update(Job.id == job_id, Job.state == RUNNING, Job.claim_token == token,
                            heartbeat_at=utcnow())

    def complete(self, job_id: str, token: str, *, input_path: str, outputs: list[str],
                 application_no: str | None = None, program: str | None = None,
                 verdict: str | None = None, counts: dict | None = None, completes: str | None = None,
                 received_at: datetime | None = None, vkn: str | None = None,
                 submitted_at: datetime | None = None) -> bool:
        """running -> done; False if the claim was lost (the sweep gave the job to another worker)."""
        return self._update(Job.id == job_id, Job.state == RUNNING, Job.claim_token == token,
                            state=DONE, finished_at=utcnow(), input_path=input_path, outputs=outputs,
                            application_no=application_no, program=program, verdict=verdict,
                            counts=counts or {}, error=None, claim_token=None, completes=completes,
                            received_at=received_at, vkn=vkn, submitted_at=submitted_at)

    def fail(self, job_id: str, token: str, *, error: str, input_path: str,
             application_no: str | None = None) -> bool:
        """running -> failed (poison input, or attempts used up)."""
        values: dict[str, Any] = {"state": FAILED, "finished_at": utcnow(), "error": error,
                                  "input_path": input_path, "claim_token": None}
        if application_no:
            values["application_no"] = application_no
        return self._update(Job.id == job_id, Job.state == RUNNING, Job.claim_token == token, **values)

    def release(self, job_id: str, token: str, *, error: str, not_before: datetime) -> bool:
        """running -> queued for a retry after a transient failure; queued_at is the earliest run."""
        return self._update(Job.id == job_id, Job.state == RUNNING, Job.claim_token == token,
                            state=QUEUED, error=error, queued_at=not_before, claim_token=None,
                            worker_id=None)

    def fail_received(self, job_id: str, *, error: str, input_path: str) -> bool:
        """received -> failed: the intake could not even move the input (reported, kept)."""
        return self._update(Job.id == job_id, Job.state == RECEIVED, state=FAILED, error=error,
                            input_path=input_path, finished_at=utcnow())

    def set_input_path(self, job_id: str, input_path: str) -> bool:
        """Where a final job's input ended up (archive/ or failed/), after the move."""
        return self._update(Job.id == job_id, input_path=input_path)

    # --- sweep ----------------------------------------------------------------------

    def stale_running(self, cutoff: datetime) -> list[JobInfo]:
        with self.session() as s:
            rows = s.scalars(select(Job).where(Job.state == RUNNING, Job.heartbeat_at < cutoff)).all()
            return [JobInfo.of(r) for r in rows]

    def requeue_stale(self, job: JobInfo, cutoff: datetime) -> bool:
        """running (stale) -> queued, only if nobody heart-beat or finished in the meantime."""
        return self._update(Job.id == job.id, Job.state == RUNNING, Job.claim_token == job.claim_token,
                            Job.heartbeat_at < cutoff, state=QUEUED, queued_at=utcnow(),
                            claim_token=None, worker_id=None,
                            error=f"işçi yanıt vermedi (deneme {job.attempts}), yeniden kuyrukta")

    def fail_stale(self, job: JobInfo, cutoff: datetime, *, error: str, input_path: str) -> bool:
        return self._update(Job.id == job.id, Job.state == RUNNING, Job.claim_token == job.claim_token,
                            Job.heartbeat_at < cutoff, state=FAILED, finished_at=utcnow(), error=error,
                            input_path=input_path, claim_token=None)

    def unclaimed_queued(self, before: datetime) -> list[JobInfo]:
        """Queued jobs whose (earliest run) time is older than `before`: their message may be lost."""
        with self.session() as s:
            rows = s.scalars(select(Job).where(Job.state == QUEUED, Job.queued_at < before)).all()
            return [JobInfo.of(r) for r in rows]

    def touch_queued(self, job: JobInfo) -> bool:
        """Renew queued_at before re-sending, so two sweepers do not both re-send."""
        return self._update(Job.id == job.id, Job.state == QUEUED, Job.queued_at == job.queued_at,
                            queued_at=utcnow())

    def stale_received(self, before: datetime) -> list[JobInfo]:
        with self.session() as s:
            rows = s.scalars(select(Job).where(Job.state == RECEIVED, Job.created_at < before)).all()
            return [JobInfo.of(r) for r in rows]


    # --- what staff did: application events and the audit trail --------------------------

    def add_event(self, application_no: str, kind: str, *, username: str, job_id: str | None = None,
                  data: dict | None = None) -> EventInfo:
        row = AppEvent(application_no=application_no, job_id=job_id, kind=kind, username=username,
                       at=utcnow(), data=data or {})
        with self.session() as s, s.begin():
            s.add(row)
        return EventInfo.of(row)

    def events(self, application_no: str | None = None, kind: str | None = None) -> list[EventInfo]:
        """Events oldest first, of one application or all."""
        q = select(AppEvent)
        if application_no is not None:
            q = q.where(AppEvent.application_no == application_no)
        if kind:
            q = q.where(AppEvent.kind == kind)
        with self.session() as s:
            return [EventInfo.of(r) for r in s.scalars(q.order_by(AppEvent.at, AppEvent.id))]

    def audit(self, username: str, action: str, *, application_no: str | None = None,
              job_id: str | None = None, detail: str = "", address: str | None = None) -> None:
        row = AuditEntry(at=utcnow(), username=username, action=action, application_no=application_no,
                         job_id=job_id, detail=detail[:2000], address=address)
        with self.session() as s, s.begin():
            s.add(row)

    def audit_trail(self, *, application_no: str | None = None, username: str | None = None,
                    limit: int = 500) -> list[AuditInfo]:
        """Audit entries, newest first."""
        q = select(AuditEntry)
        if application_no:
            q = q.where(AuditEntry.application_no == application_no)
        if username:
            q = q.where(AuditEntry.username == username)
        with self.session() as s:
            return [AuditInfo.of(r) for r in s.scalars(q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                                       .limit(limit))]

    # --- login throttling counters --------------------------------------------------

    def login_blocked_until(self, key: str) -> datetime | None:
        with self.session() as s:
            row = s.get(LoginFailure, key)
            return row.blocked_until if row else None

    def login_failed(self, key: str, *, delay_for: Callable[[int], float], forget_after_s: float) -> datetime | None:
        """Count a failure for `key`; `delay_for(n)` gives the wait in seconds after n failures.

        Returns when the next attempt is allowed (None: at once). Counts older than
        `forget_after_s` start again from one.
        """
        for _ in range(3):
            now = utcnow()
            try:
                with self.session() as s, s.begin():
                    row = s.get(LoginFailure, key, with_for_update=True)
                    if row is None:
                        row = LoginFailure(key=key, failures=0, last_at=now)
                        s.add(row)
                    elif (now - row.last_at).total_seconds() > forget_after_s:
                        row.failures = 0
                    row.failures += 1
                    row.last_at = now
                    wait = float(delay_for(row.failures))
                    row.blocked_until = now + timedelta(seconds=wait) if wait > 0 else None
                    return row.blocked_until
            except IntegrityError:  # another process inserted the same key first: count again
                continue
        return None

    def login_reset(self, key: str) -> None:
        with self.session() as s, s.begin():
            row = s.get(LoginFailure, key)
            if row is not None:
                s.delete(row)

    def forget_logins(self, prefix: str) -> None:
        """Drop every counter whose key starts with `prefix` (an account removed or re-enabled)."""
        with self.session() as s, s.begin():
            for row in s.scalars(select(LoginFailure).where(LoginFailure.key.startswith(prefix, autoescape=True))):
                s.delete(row)


_STORES: dict[tuple[int, str], JobStore] = {}


def get_store(url: str | None = None) -> JobStore:
    """The process's store for `url` (default EVRAK_DB_URL); a forked child gets its own engine."""
    url = url or settings.db_url()
    key = (os.getpid(), url)
    store = _STORES.get(key)
    if store is None:
        store = _STORES[key] = JobStore(url)
    return store
