"""Queries for complaints, their cards and the agents' decisions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, Table, Update, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import GroupCommit, PriorityGate, gated
from bot.store.models import Base, Complaint, Decision, SeenEvent, utcnow

PENDING = "pending"
DRAFTING = "drafting"
POSTING = "posting"
POSTED = "posted"
SENDING = "sending"
SENT = "sent"
IGNORED = "ignored"
DISMISSED = "dismissed"
WITHDRAWN = "withdrawn"
FAILED = "failed"
OPEN = (POSTED,)  # a card an agent can still act on


_COMPLAINTS: Table = Complaint.__table__  # type: ignore[assignment]
# State changes are built once, with the new values passed as parameters: building and hashing
# a statement per call cost more than running it.
_UPDATE_RETURNING_ROW = update(_COMPLAINTS).returning(*_COMPLAINTS.c)
_THIS_COMPLAINT = _COMPLAINTS.c.id == bindparam("complaint_id_")
_MOVE = _UPDATE_RETURNING_ROW.where(
    _THIS_COMPLAINT, _COMPLAINTS.c.status.in_(bindparam("expected_", expanding=True))
)
_CLAIM = _UPDATE_RETURNING_ROW.where(
    _THIS_COMPLAINT,
    or_(
        _COMPLAINTS.c.status == PENDING,
        (_COMPLAINTS.c.status == DRAFTING) & (_COMPLAINTS.c.claimed_at < bindparam("stale_")),
    ),
).values(attempts=_COMPLAINTS.c.attempts + 1)


def _insert_ignoring_conflicts(dialect: str, model: type[Base]) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()


class ComplaintStore:
    """The hot paths (`accept` and the state transitions, several per complaint) use SQLAlchemy
    Core on a plain connection: a quarter of the ORM's CPU per statement, measured under load."""

    def __init__(self, sessions: sessionmaker[Session], gate: PriorityGate | None = None) -> None:
        """`gate` orders SQLite writers; `accept` goes first, because Slack's ack waits on it."""
        self._sessions = sessions
        self._engine = sessions.kw["bind"]
        self._gate = gate
        # Built once with their parameters left open: building an ORM insert per event was
        # three quarters of the CPU of an ack.
        dialect = self._engine.dialect.name
        self._insert_seen = _insert_ignoring_conflicts(dialect, SeenEvent)
        self._insert_complaint = _insert_ignoring_conflicts(dialect, Complaint).returning(
            _COMPLAINTS.c.id
        )
        self._intake = GroupCommit(self._accept_all)

    def accept(
        self,
        *,
        event_id: str | None,
        channel: str,
        ts: str,
        thread_ts: str | None,
        user_id: str,
        text: str,
    ) -> int | None:
        """Record a customer message once; None when this event or message was seen before.
        Concurrent calls share one transaction (GroupCommit)."""
        row = {
            "channel": channel,
            "ts": ts,
            "thread_ts": thread_ts,
            "user_id": user_id,
            "text": text,
        }
        return self._intake((event_id, row))

    def _accept_all(
        self, messages: Sequence[tuple[str | None, dict[str, Any]]]
    ) -> list[int | None]:
        """One transaction for every (event id, complaint row) waiting; an id or None each."""
        now = utcnow()
        accepted: list[int | None] = []
        with gated(self._gate, urgent=True), self._engine.begin() as connection:
            for event_id, row in messages:
                if event_id is not None:
                    seen = connection.execute(
                        self._insert_seen, {"event_id": event_id, "received_at": now}
                    )
                    if cast(CursorResult[Any], seen).rowcount == 0:
                        accepted.append(None)
                        continue
                inserted = connection.execute(
                    self._insert_complaint, {**row, "status": PENDING, "created_at": now}
                ).scalar_one_or_none()
                accepted.append(inserted)
        return accepted

    def claim(self, complaint_id: int, worker: str, lease: timedelta) -> Complaint | None:
        """Take a complaint to draft, unless another worker holds a live lease on it."""
        now = utcnow()
        return self._transition(
            _CLAIM,
            complaint_id,
            stale_=now - lease,
            status=DRAFTING,
            claimed_by=worker,
            claimed_at=now,
        )

    def move(self, complaint_id: int, expected: Collection[str], **values: Any) -> Complaint | None:
        """Change a complaint only if it is still in one of the `expected` states; the changed
        row, or None when another state change got there first."""
        return self._transition(_MOVE, complaint_id, expected_=list(expected), **values)

    def unfinished(self, lease: timedelta) -> list[Complaint]:
        """Work a crash or another instance left behind: pending, or held past its lease."""
        stale = utcnow() - lease
        query = select(Complaint).where(
            or_(
                Complaint.status == PENDING,
                Complaint.status.in_((DRAFTING, POSTING)) & (Complaint.claimed_at < stale),
            )
        )
        with self._sessions() as session:
            return list(session.scalars(query.order_by(Complaint.id)))

    def get(self, complaint_id: int) -> Complaint | None:
        with self._sessions() as session:
            return session.get(Complaint, complaint_id)

    def by_card(self, channel: str, ts: str) -> Complaint | None:
        query = select(Complaint).where(Complaint.card_channel == channel, Complaint.card_ts == ts)
        with self._sessions() as session:
            return session.scalars(query).first()

    def by_message(self, channel: str, ts: str) -> Complaint | None:
        query = select(Complaint).where(Complaint.channel == channel, Complaint.ts == ts)
        with self._sessions() as session:
            return session.scalars(query).first()

    def thread_messages(self, channel: str, thread_ts: str, before_id: int) -> list[str]:
        """Earlier customer messages of the same thread, oldest first (context for the drafter)."""
        query = (
            select(Complaint.text)
            .where(
                Complaint.channel == channel,
                or_(Complaint.thread_ts == thread_ts, Complaint.ts == thread_ts),
                Complaint.id < before_id,
            )
            .order_by(Complaint.id)
        )
        with self._sessions() as session:
            return list(session.scalars(query))

    def record_decision(self, complaint_id: int, user_id: str, action: str) -> None:
        with gated(self._gate), self._sessions.begin() as session:
            session.add(Decision(complaint_id=complaint_id, user_id=user_id, action=action))

    def decisions(self, complaint_id: int) -> list[tuple[str, str, datetime]]:
        query = (
            select(Decision.user_id, Decision.action, Decision.at)
            .where(Decision.complaint_id == complaint_id)
            .order_by(Decision.id)
        )
        with self._sessions() as session:
            return [(row.user_id, row.action, row.at) for row in session.execute(query)]

    def _transition(
        self, statement: Update, complaint_id: int, **parameters: Any
    ) -> Complaint | None:
        """One conditional UPDATE … RETURNING: atomic on SQLite and Postgres, and no second
        round trip to read the row back. `parameters`: the new values and the condition's."""
        with gated(self._gate), self._engine.begin() as connection:
            row = connection.execute(
                statement, {"complaint_id_": complaint_id, **parameters}
            ).first()
        return None if row is None else Complaint(**row._mapping)
