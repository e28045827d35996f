"""Engine and session factory for the configured DATABASE_URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base


def connect(url: str) -> sessionmaker[Session]:
    """Create the engine, the tables if missing, and a session factory."""
    engine = _engine(url)
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    # SQLite has one writer at a time, and a blocked writer sleeps in SQLite's busy handler in
    # steps of up to 100 ms. One pooled connection makes threads queue in Python instead, woken
    # the moment the previous transaction ends; every transaction here is a few statements.
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: Any, _record: Any) -> None:
        # WAL lets the worker threads read while one writes; busy_timeout waits instead of failing.
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine
