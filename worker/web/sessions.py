"""Server-side record of staff sessions, so that logging out really ends a session.

Flask's session is a signed cookie: without a record on the server, a copied cookie keeps
working until it expires, even after logout. Each login writes a random id here; every
request must present a live one; logout (or expiry) deletes it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from worker.store import UTCDateTime
from worker.web import db

LIFETIME = timedelta(hours=8)


class StaffSession(db.WebBase):
    __tablename__ = "evrak_web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


def open_session(username: str) -> str:
    sid = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with db.session() as s, s.begin():
        s.execute(delete(StaffSession).where(StaffSession.expires_at < now))
        s.add(StaffSession(id=sid, username=username, created_at=now, expires_at=now + LIFETIME))
    return sid


def is_live(sid: str | None, username: str | None) -> bool:
    if not sid or not username:
        return False
    with db.session() as s:
        row = s.scalar(select(StaffSession).where(StaffSession.id == sid))
    return row is not None and row.username == username and row.expires_at > datetime.now(UTC)


def close_session(sid: str | None) -> None:
    if sid:
        with db.session() as s, s.begin():
            s.execute(delete(StaffSession).where(StaffSession.id == sid))
