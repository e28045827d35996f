"""The complaint store's hot paths (accept, claim, move) on SQLite and, where TEST_DATABASE_URL
names a Postgres server, on Postgres: the prebuilt Core statements must mean the same on both.
Also the write path's concurrency: accepts batched into shared transactions (GroupCommit) and
SQLite writers of different processes taking turns through the lock file."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.store import complaints as status
from bot.store.complaints import ComplaintStore
from bot.store.db import GroupCommit, connect, write_gate

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


def test_concurrent_accepts_share_transactions_and_each_gets_its_own_answer(
    sqlite_url: str,
) -> None:
    store = ComplaintStore(connect(sqlite_url), write_gate(sqlite_url))
    # 40 threads, each event sent twice: every message is stored once, whichever copy wins
    events = [f"Ev{n}" for n in range(40)] * 2
    with ThreadPoolExecutor(16) as pool:
        answers = list(
            pool.map(lambda n: _accept(store, events[n], ts=f"1700000000.{n % 40:06d}"), range(80))
        )
    first, second = answers[:40], answers[40:]
    for once, again in zip(first, second, strict=True):
        assert (once is None) != (again is None)
    ids = [a for a in answers if a is not None]
    assert len(set(ids)) == 40


def test_a_failed_batch_fails_every_caller_in_it_and_the_next_batch_still_runs() -> None:
    release = threading.Event()
    batches: list[list[int]] = []

    def write_all(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        if len(batches) == 1:
            release.wait(5)  # hold the first batch so the others queue behind it
        if 13 in items:
            raise RuntimeError("disk full")
        return [item * 10 for item in items]

    commit: GroupCommit[int, int] = GroupCommit(write_all)
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(commit, 1)
        while not batches:
            time.sleep(0.001)
        queued = [pool.submit(commit, n) for n in (12, 13, 14)]
        time.sleep(0.05)
        release.set()
        assert first.result(5) == 10
        outcomes = []
        for future in queued:
            try:
                outcomes.append(future.result(5))
            except RuntimeError as error:
                outcomes.append(str(error))
    assert batches[0] == [1] and sorted(batches[1]) == [12, 13, 14]  # one batch for the queue
    assert outcomes == ["disk full"] * 3
    assert commit(2) == 20  # the group recovers


def test_sqlite_writers_in_different_processes_take_turns_through_the_lock_file(
    sqlite_url: str,
) -> None:
    # two gates on one database stand for the web and background processes
    first, second = write_gate(sqlite_url), write_gate(sqlite_url)
    assert first is not None and second is not None
    entered = threading.Event()

    def write_second() -> None:
        with second.hold():
            entered.set()

    with ThreadPoolExecutor(1) as pool:
        with first.hold():
            waiting = pool.submit(write_second)
            time.sleep(0.1)
            assert not entered.is_set()  # blocked while the first process writes
        waiting.result(5)
    assert entered.is_set()
