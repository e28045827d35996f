"""The complaint store's hot paths (accept, claim, move) on SQLite and, where TEST_DATABASE_URL
names a Postgres server, on Postgres: the prebuilt Core statements must mean the same on both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import complaints as status
from bot.store.complaints import ComplaintStore
from bot.store.db import connect, write_gate

LEASE = timedelta(minutes=2)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> ComplaintStore:
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url = request.getfixturevalue(fixture)
    return ComplaintStore(connect(url), write_gate(url))


def _accept(
    store: ComplaintStore, event_id: str | None, ts: str = "1700000000.000100"
) -> int | None:
    return store.accept(
        event_id=event_id, channel="C1", ts=ts, thread_ts=None, user_id="U1", text="Refund me!!"
    )


def test_accept_records_a_message_once_by_event_id_and_by_channel_and_ts(
    store: ComplaintStore,
) -> None:
    first = _accept(store, "Ev1")
    assert first is not None
    assert _accept(store, "Ev1") is None  # Slack redelivered the event
    assert _accept(store, "Ev2") is None  # the same message under another event id
    assert _accept(store, None, ts="1700000000.000200") not in (None, first)
    complaint = store.get(first)
    assert complaint is not None
    assert (complaint.status, complaint.attempts, complaint.variant) == (status.PENDING, 0, 0)
    assert complaint.created_at.tzinfo is not None


def test_claim_takes_a_pending_complaint_once_until_its_lease_runs_out(
    store: ComplaintStore,
) -> None:
    complaint_id = _accept(store, "Ev1")
    assert complaint_id is not None
    claimed = store.claim(complaint_id, "worker-a", LEASE)
    assert claimed is not None
    assert (claimed.status, claimed.claimed_by, claimed.attempts) == (
        status.DRAFTING,
        "worker-a",
        1,
    )
    assert store.claim(complaint_id, "worker-b", LEASE) is None  # a live lease
    retaken = store.claim(complaint_id, "worker-b", timedelta(0))  # the lease is over
    assert retaken is not None
    assert (retaken.claimed_by, retaken.attempts) == ("worker-b", 2)


def test_move_changes_only_from_an_expected_state_and_returns_the_row(
    store: ComplaintStore,
) -> None:
    complaint_id = _accept(store, "Ev1")
    assert complaint_id is not None
    assert store.move(complaint_id, [status.POSTING], status=status.POSTED) is None
    moved = store.move(
        complaint_id, [status.PENDING, status.DRAFTING], status=status.POSTING, draft="Hi"
    )
    assert moved is not None
    assert (moved.status, moved.draft, moved.reply_thread) == (
        status.POSTING,
        "Hi",
        "1700000000.000100",
    )
    stored = store.get(complaint_id)
    assert stored is not None and stored.status == status.POSTING
