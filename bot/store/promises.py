"""Queries for promises and their reminders.

The scheduler's claim is one statement on every backend: an UPDATE that moves due `pending`
reminders to `sending` and returns them. On Postgres the rows are picked by a subquery with
`FOR UPDATE SKIP LOCKED`, so two instances claim disjoint sets without waiting on each other; on
SQLite the same UPDATE … RETURNING runs under SQLite's single writer lock. Both use the
(status, fire_at) index, so the claim stays cheap however many reminders are stored. A claimant
that dies mid-send leaves rows in `sending`; after the lease they go back to `pending`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base, PromiseRecord, Reminder, utcnow

OPEN, KEPT, CANCELLED = "open", "kept", "cancelled"
PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
DUE, ESCALATION, SNOOZE = "due", "escalation", "snooze"
_LEAD = "lead:"


def lead_kind(lead: timedelta) -> str:
    """The reminder kind for a lead time, e.g. "lead:7200" for two hours before."""
    return f"{_LEAD}{int(lead.total_seconds())}"


@dataclass(frozen=True, slots=True)
class NewPromise:
    owner_id: str
    channel: str
    thread_ts: str | None
    message_ts: str | None
    position: int
    phrase: str
    language: str
    due: datetime
    vague: bool
    created_at: datetime  # when it was promised: the message's time
    complaint_id: int | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A reminder this worker now holds in `sending`."""

    id: int
    promise_id: int
    kind: str
    fire_at: datetime
    attempts: int


def _insert(session: Session, model: type[Base]) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def _upsert_reminders(session: Session, promise_id: int, reminders: Mapping[str, datetime]) -> None:
    """Schedule (or reschedule) reminders; one in flight right now is left alone."""
    if not reminders:
        return
    rows = [
        {"promise_id": promise_id, "kind": kind, "fire_at": at, "status": PENDING, "attempts": 0}
        for kind, at in reminders.items()
    ]
    insert = _insert(session, Reminder).values(rows)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[Reminder.promise_id, Reminder.kind],
            set_={"fire_at": insert.excluded.fire_at, "status": PENDING, "attempts": 0},
            where=Reminder.status != SENDING,
        )
    )


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


class PromiseStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # ------------------------------------------------------------ promises

    def add(self, promise: NewPromise, reminders: Mapping[str, datetime]) -> PromiseRecord | None:
        """Record a promise and its reminders in one transaction; None if already recorded."""
        with self._sessions.begin() as session:
            values = {
                "owner_id": promise.owner_id,
                "channel": promise.channel,
                "thread_ts": promise.thread_ts,
                "message_ts": promise.message_ts,
                "position": promise.position,
                "phrase": promise.phrase,
                "language": promise.language,
                "due": promise.due,
                "vague": promise.vague,
                "complaint_id": promise.complaint_id,
                "status": OPEN,
                "created_at": promise.created_at,
            }
            insert = _insert(session, PromiseRecord).values(**values)
            promise_id = session.execute(
                insert.on_conflict_do_nothing().returning(PromiseRecord.id)
            ).scalar()
            if promise_id is None:
                return None
            _upsert_reminders(session, promise_id, reminders)
            return session.get(PromiseRecord, promise_id)

    def get(self, promise_id: int) -> PromiseRecord | None:
        with self._sessions() as session:
            return session.get(PromiseRecord, promise_id)

    def by_ids(self, ids: Collection[int]) -> dict[int, PromiseRecord]:
        with self._sessions() as session:
            query = select(PromiseRecord).where(PromiseRecord.id.in_(ids))
            return {p.id: p for p in session.scalars(query)}

    def list_open(self, owner_id: str, limit: int = 50) -> list[PromiseRecord]:
        """The owner's open promises, soonest first."""
        query = (
            select(PromiseRecord)
            .where(PromiseRecord.owner_id == owner_id, PromiseRecord.status == OPEN)
            .order_by(PromiseRecord.due, PromiseRecord.id)
            .limit(limit)
        )
        with self._sessions() as session:
            return list(session.scalars(query))

    def close(self, promise_id: int, status: str, by: str) -> PromiseRecord | None:
        """Keep or cancel an open promise and stop its reminders; None if it was not open."""
        return next(iter(self._close([PromiseRecord.id == promise_id], status, by)), None)

    def keep_thread(self, channel: str, thread_ts: str, before_ts: str, by: str) -> list[int]:
        """A team reply at `before_ts` keeps the thread's promises made before it."""
        conditions = [
            PromiseRecord.channel == channel,
            PromiseRecord.thread_ts == thread_ts,
            PromiseRecord.message_ts < before_ts,
        ]
        return [p.id for p in self._close(conditions, KEPT, by)]

    def _close(self, conditions: list[Any], status: str, by: str) -> list[PromiseRecord]:
        with self._sessions.begin() as session:
            closed = list(
                session.scalars(
                    update(PromiseRecord)
                    .where(*conditions, PromiseRecord.status == OPEN)
                    .values(status=status, closed_by=by, closed_at=utcnow())
                    .returning(PromiseRecord)
                )
            )
            if closed:
                session.execute(
                    update(Reminder)
                    .where(
                        Reminder.promise_id.in_([p.id for p in closed]),
                        Reminder.status == PENDING,
                    )
                    .values(status=CANCELLED)
                )
            return closed

    def reschedule(
        self, promise_id: int, due: datetime, reminders: Mapping[str, datetime]
    ) -> PromiseRecord | None:
        """Move an open promise to a new due time: its reminders start over."""
        with self._sessions.begin() as session:
            moved = _rowcount(
                session.execute(
                    update(PromiseRecord)
                    .where(PromiseRecord.id == promise_id, PromiseRecord.status == OPEN)
                    .values(due=due, vague=False)
                )
            )
            if not moved:
                return None
            session.execute(
                update(Reminder)
                .where(Reminder.promise_id == promise_id, Reminder.status == PENDING)
                .values(status=CANCELLED)
            )
            _upsert_reminders(session, promise_id, reminders)
            return session.get(PromiseRecord, promise_id)

    def snooze(self, promise_id: int, fire_at: datetime) -> bool:
        """One more reminder at `fire_at` (a second snooze moves it), if the promise is open."""
        with self._sessions.begin() as session:
            promise = session.get(PromiseRecord, promise_id)
            if promise is None or promise.status != OPEN:
                return False
            _upsert_reminders(session, promise_id, {SNOOZE: fire_at})
            return True

    # ------------------------------------------------------------ reminders

    def claim_due(self, now: datetime, worker: str, limit: int) -> list[Claimed]:
        """Atomically take up to `limit` due reminders, oldest first (see the module docstring)."""
        due = (
            select(Reminder.id)
            .where(Reminder.status == PENDING, Reminder.fire_at <= now)
            .order_by(Reminder.fire_at)
            .limit(limit)
            .with_for_update(skip_locked=True)  # Postgres only; SQLite renders no locking clause
        )
        # No second status test outside the subquery: SQLite would then scan the status index
        # instead of looking the ids up, and it is not needed: SQLite runs the statement under
        # its one write lock, and Postgres re-checks the WHERE of a row it locks FOR UPDATE
        # after another claimant committed it, while SKIP LOCKED passes over rows still held.
        claim = (
            update(Reminder)
            .where(Reminder.id.in_(due.scalar_subquery()))
            .values(
                status=SENDING,
                claimed_by=worker,
                claimed_at=now,
                attempts=Reminder.attempts + 1,
            )
            .returning(
                Reminder.id,
                Reminder.promise_id,
                Reminder.kind,
                Reminder.fire_at,
                Reminder.attempts,
            )
        )
        with self._sessions.begin() as session:
            rows = session.execute(claim).all()
        claimed = [Claimed(r.id, r.promise_id, r.kind, r.fire_at, r.attempts) for r in rows]
        return sorted(claimed, key=lambda c: (c.fire_at, c.id))

    def reclaim(self, stale_before: datetime) -> int:
        """Reminders a dead worker left in `sending` become due again."""
        with self._sessions.begin() as session:
            return _rowcount(
                session.execute(
                    update(Reminder)
                    .where(Reminder.status == SENDING, Reminder.claimed_at < stale_before)
                    .values(status=PENDING, claimed_by=None)
                )
            )

    def finish(self, reminder_id: int, worker: str, **values: Any) -> bool:
        """Record what happened to a claimed reminder, if this worker still holds it."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(Reminder)
                .where(
                    Reminder.id == reminder_id,
                    Reminder.status == SENDING,
                    Reminder.claimed_by == worker,
                )
                .values(**values)
            )
            return bool(_rowcount(result))

    def next_fire_at(self) -> datetime | None:
        query = select(Reminder.fire_at).where(Reminder.status == PENDING)
        with self._sessions() as session:
            return session.scalar(query.order_by(Reminder.fire_at).limit(1))

    def reminders(self, promise_id: int) -> list[Reminder]:
        query = select(Reminder).where(Reminder.promise_id == promise_id).order_by(Reminder.id)
        with self._sessions() as session:
            return list(session.scalars(query))
