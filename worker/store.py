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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
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
    select,
    update,
)
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
                 verdict: str | None = None, counts: dict | None = None) -> bool:
        """running -> done; False if the claim was lost (the sweep gave the job to another worker)."""
        return self._update(Job.id == job_id, Job.state == RUNNING, Job.claim_token == token,
                            state=DONE, finished_at=utcnow(), input_path=input_path, outputs=outputs,
                            application_no=application_no, program=program, verdict=verdict,
                            counts=counts or {}, error=None, claim_token=None)

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


_STORES: dict[tuple[int, str], JobStore] = {}


def get_store(url: str | None = None) -> JobStore:
    """The process's store for `url` (default EVRAK_DB_URL); a forked child gets its own engine."""
    url = url or settings.db_url()
    key = (os.getpid(), url)
    store = _STORES.get(key)
    if store is None:
        store = _STORES[key] = JobStore(url)
    return store
