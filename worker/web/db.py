"""The web page's own tables, on the job store's engine (same database, separate tables).

The job store belongs to the service; the page adds what only it knows (staff decisions,
batches started from the page) in tables of its own, created on first use, so neither
side migrates the other's schema.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from worker.store import get_store


class WebBase(DeclarativeBase):
    pass


_READY: set[int] = set()
# One-off data migrations the page's modules register (e.g. decisions of an earlier version);
# each runs once per engine after the tables exist, and must itself be idempotent.
ON_READY: list[Callable[[Engine], object]] = []


def session() -> Session:
    """A session on the store's engine; the web tables exist once this returns."""
    engine = get_store().engine
    if id(engine) not in _READY:
        WebBase.metadata.create_all(engine)
        for migrate in ON_READY:
            migrate(engine)
        _READY.add(id(engine))
    return sessionmaker(engine, expire_on_commit=False)()
