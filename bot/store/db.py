"""Engine and session factory for the configured DATABASE_URL."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.store.models import Base

Item = TypeVar("Item")
Result = TypeVar("Result")

try:
    import fcntl
except ImportError:  # not on Windows: there processes fall back on SQLite's busy handler
    fcntl = None  # type: ignore[assignment]


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

    def __init__(self, lock_file: Path | None = None) -> None:
        """`lock_file`: shared with the other processes writing the same database (the web and
        background processes), so they take turns too — a kernel lock wakes the next writer at
        once, where SQLite's busy handler sleeps up to 100 ms between tries (measured: acks
        stalled 100–450 ms behind the background process's writes)."""
        self._lock = threading.Lock()
        self._busy = False
        self._urgent: deque[threading.Lock] = deque()
        self._normal: deque[threading.Lock] = deque()
        self._lock_file = lock_file
        self._descriptor: int | None = None

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
            with self._across_processes():
                yield
        finally:
            with self._lock:
                waiting = self._urgent or self._normal
                if waiting:
                    waiting.popleft().release()
                else:
                    self._busy = False

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        if self._lock_file is None or fcntl is None:
            yield
            return
        if self._descriptor is None:  # only the gate's holder gets here: no race
            self._descriptor = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)


def write_gate(url: str) -> PriorityGate | None:
    """A gate for SQLite, whose writers must take turns; None where the database arbitrates.
    A database file gets a lock file beside it, shared by every process that writes it."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    in_memory = not database or database == ":memory:" or database.startswith("file:")
    return PriorityGate(None if in_memory else Path(f"{database}.write-lock"))


def gated(gate: PriorityGate | None, *, urgent: bool = False) -> AbstractContextManager[None]:
    return gate.hold(urgent=urgent) if gate is not None else nullcontext()


@dataclass(eq=False)
class _Waiter(Generic[Item, Result]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False
    result: Result | None = None
    error: BaseException | None = None

    def outcome(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommit(Generic[Item, Result]):
    """Writes concurrent requests in one transaction: the first caller leads and writes the rows
    of everyone waiting; the others sleep until that commit, then return at once.

    Slack's acks each wait on one insert. One at a time, every insert paid a commit and a hand-over
    of the interpreter lock to the next writer thread, and at 50 events in flight those hand-overs
    queued acks for ~25 ms; a batch pays them once.
    """

    def __init__(self, write_all: Callable[[Sequence[Item]], Sequence[Result]]) -> None:
        """`write_all`: writes a batch in one transaction, one result per item, in order."""
        self._write_all = write_all
        self._lock = threading.Lock()
        self._queue: list[_Waiter[Item, Result]] = []
        self._leading = False

    def __call__(self, item: Item) -> Result:
        waiter: _Waiter[Item, Result] = _Waiter(item)
        with self._lock:
            self._queue.append(waiter)
            follows = self._leading
            self._leading = True
        if follows:
            waiter.done.wait()
            if not waiter.leads:
                return waiter.outcome()
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            for member, result in zip(batch, self._write_all([m.item for m in batch]), strict=True):
                member.result = result
        except Exception as error:  # every ack of the batch fails: Slack will redeliver
            for member in batch:
                member.error = error
        with self._lock:
            successor = self._queue[0] if self._queue else None
            self._leading = successor is not None
        for member in batch:
            member.done.set()
        if successor is not None:
            successor.leads = True
            successor.done.set()
        return waiter.outcome()
