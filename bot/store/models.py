"""Tables. Times are stored as UTC-aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class SeenEvent(Base):
    """Slack event ids already accepted: Slack redelivers on timeouts and retries."""

    __tablename__ = "seen_events"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Complaint(Base):
    """One customer message and the life of its draft card.

    status: pending → drafting → posting → posted → sending → sent,
    or → ignored (not a complaint), dismissed, withdrawn (customer deleted it), failed.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        UniqueConstraint("channel", "ts", name="uq_complaint_message"),
        Index("ix_complaint_card", "card_channel", "card_ts"),
        Index("ix_complaint_status", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    language: Mapped[str | None] = mapped_column(String(8))
    anger: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(32))
    engine: Mapped[str | None] = mapped_column(String(16))
    draft: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[str | None] = mapped_column(Text)  # JSON: steps, lint findings, notes
    variant: Mapped[int] = mapped_column(Integer, default=0)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    sent_by: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def reply_thread(self) -> str:
        """Replies go into the customer's thread: the thread it is in, or one under it."""
        return self.thread_ts or self.ts


class Decision(Base):
    """What an agent did with a draft; the acceptance rate is the product's own quality signal."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromiseRecord(Base):
    """A follow-up an agent promised a customer, and who must keep it.

    status: open → kept (a later team reply, "Mark kept", or a sent update) or cancelled.
    `message_ts` and `position` identify where the words were found, so a redelivered event
    never records the same promise twice; manual promises (`/promise`) have neither.
    """

    __tablename__ = "promises"
    __table_args__ = (
        UniqueConstraint("channel", "message_ts", "position", name="uq_promise_source"),
        Index("ix_promise_thread", "channel", "thread_ts", "status"),
        Index("ix_promise_owner", "owner_id", "status", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    phrase: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    vague: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")
    complaint_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reminder(Base):
    """One message to send about a promise: a lead time before it, at due, a snooze, or the
    escalation after the grace period. One row per (promise, kind), claimed atomically.

    status: pending → sending → sent, or → pending again (a failed send, retried later),
    cancelled (the promise closed), skipped (superseded by a later reminder that was also due),
    failed (gave up after MAX_ATTEMPTS).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("promise_id", "kind", name="uq_reminder_kind"),
        Index("ix_reminder_due", "status", "fire_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    promise_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(24))
    fire_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_channel: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
