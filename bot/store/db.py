"""Engine and session factory for the configured DATABASE_URL."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

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


class PriorityGate:
    """Lets one SQLite writer in at a time, urgent ones first.

    Slack's ack waits on the intake insert while dozens of drafting workers write too. SQLite's
    own locking would let the intake starve (its busy handler sleeps and wakes to a lock already
    taken again); behind this gate it waits for one transaction at most. The leaving writer hands
    the gate straight to the next one: waking every waiter to re-check cost a tenth of the CPU
    under load.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._urgent: deque[threading.Lock] = deque()
        self._normal: deque[threading.Lock] = deque()

    @contextmanager
    def hold(self, *, urgent: bool = False) -> Iterator[None]:
        with self._lock:
            turn = None
            if self._busy:
                turn = threading.Lock()
                turn.acquire()
                (self._urgent if urgent else self._normal).append(turn)
            self._busy = True
        if turn is not None:
            turn.acquire()  # released by the writer before us, which leaves the gate busy
        try:
            yield
        finally:
            with self._lock:
                waiting = self._urgent or self._normal
                if waiting:
                    waiting.popleft().release()
                else:
                    self._busy = False


def write_gate(url: str) -> PriorityGate | None:
    """A gate for SQLite, whose writers must take turns; None where the database arbitrates."""
    return PriorityGate() if url.startswith("sqlite") else None


def gated(gate: PriorityGate | None, *, urgent: bool = False) -> AbstractContextManager[None]:
    return gate.hold(urgent=urgent) if gate is not None else nullcontext()
