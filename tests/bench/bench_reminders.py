"""Benchmark the reminder scheduler: lateness of reminders and the cost of the claim query.

    python tests/bench/bench_reminders.py [--promises N] [--due N] [--window SECONDS]
                                          [--postgres URL] [--slack-latency SECONDS]

Stores N open promises (default 100,000, four reminders each, ~400k rows) of which `--due`
(default 1,000) fall due spread over `--window` seconds (default 60) starting a few seconds from
now; then runs the real Scheduler loop (production settings: 0.5 s idle) against the fake Slack
over HTTP, in real time, until all are sent. Prints, per backend (SQLite file; Postgres when
`--postgres`, TEST_DATABASE_URL or DATABASE_URL answers), the claim query's p50/p99 as it ran
in the loop, a floor (a bare indexed SELECT of the same due rows, no update), and each
reminder's lateness (recorded send time minus its fire_at) p50/p99/max.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "slack"), str(ROOT / "tests" / "promises")]

from fake_slack import AGENT_ID, FakeSlack  # noqa: E402
from promise_harness import postgres_url, schema_url  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from bot.gateway import SlackGateway  # noqa: E402
from bot.services.promises import Policy, PromiseService  # noqa: E402
from bot.services.scheduler import Scheduler  # noqa: E402
from bot.store import promises as state  # noqa: E402
from bot.store.db import connect  # noqa: E402
from bot.store.models import PromiseRecord, Reminder  # noqa: E402
from bot.store.promises import Claimed, PromiseStore  # noqa: E402

LEAD_IN = 3.0  # seconds before the first reminder falls due, after the loop starts
CHUNK = 20_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def rows(first: int, count: int, at: Any, soon: bool) -> tuple[list[Any], list[Any]]:
    """Promises `first`… due at `at(n)`, with four reminders each; lead times of the soon ones
    were sent already (they are history the claim must step over, like in production)."""
    created = datetime.now(UTC) - timedelta(hours=1)
    promise_rows: list[dict[str, Any]] = []
    reminder_rows: list[dict[str, Any]] = []
    for n in range(first, first + count):
        due = at(n)
        promise_rows.append(
            {
                "id": n,
                "owner_id": AGENT_ID,
                "channel": "C0SUPPORT",
                "thread_ts": f"1700000000.{n:06d}",
                "message_ts": f"1700000001.{n:06d}",
                "position": 0,
                "phrase": "I'll update you within 24 hours",
                "language": "en",
                "due": due,
                "vague": False,
                "status": state.OPEN,
                "created_at": created,
            }
        )
        kinds = {
            "lead:7200": (due - timedelta(hours=2), state.SENT if soon else state.PENDING),
            "lead:900": (due - timedelta(minutes=15), state.SENT if soon else state.PENDING),
            state.DUE: (due, state.PENDING),
            state.ESCALATION: (due + timedelta(minutes=30), state.PENDING),
        }
        for kind, (fire_at, status) in kinds.items():
            reminder_rows.append(
                {"promise_id": n, "kind": kind, "fire_at": fire_at, "status": status}
            )
    return promise_rows, reminder_rows


def store(
    sessions: sessionmaker[Session], promise_rows: list[Any], reminder_rows: list[Any]
) -> None:
    with sessions.begin() as session:
        for i in range(0, len(promise_rows), CHUNK):
            session.execute(insert(PromiseRecord), promise_rows[i : i + CHUNK])
        for i in range(0, len(reminder_rows), CHUNK):
            session.execute(insert(Reminder), reminder_rows[i : i + CHUNK])


def populate(sessions: sessionmaker[Session], promises: int, due: int, window: float) -> datetime:
    """Open promises days ahead; then, once that bulk load is done (so it costs the run no
    time), `due` more whose due reminders fire over the window starting LEAD_IN from now."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    store(
        sessions,
        *rows(
            due + 1, promises - due, lambda _: now + timedelta(days=1 + rng.random() * 13), False
        ),
    )
    bind = sessions.kw["bind"]
    if bind.dialect.name == "postgresql":
        with bind.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("analyze"))
    start = datetime.now(UTC) + timedelta(seconds=LEAD_IN)
    step = timedelta(seconds=window / max(due - 1, 1))
    store(sessions, *rows(1, due, lambda n: start + step * (n - 1), True))
    return start


def floor(sessions: sessionmaker[Session], now: datetime, limit: int, rounds: int = 200) -> float:
    """p50 ms of a bare indexed SELECT of due rows: what any claim must at least cost."""
    query = (
        select(Reminder.id)
        .where(Reminder.status == state.PENDING, Reminder.fire_at <= now)
        .order_by(Reminder.fire_at)
        .limit(limit)
    )
    times = []
    with sessions() as session:
        for _ in range(rounds):
            begin = time.perf_counter()
            session.execute(query).all()
            times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


class TimedStore(PromiseStore):
    """The real store, timing each claim as the scheduler runs it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        super().__init__(sessions)
        self.claims_ms: list[float] = []
        self.sent = 0

    def claim_due(self, now: datetime, worker: str, limit: int) -> list[Claimed]:
        begin = time.perf_counter()
        claimed = super().claim_due(now, worker, limit)
        self.claims_ms.append((time.perf_counter() - begin) * 1000)
        self.sent += len(claimed)
        return claimed


def run(name: str, url: str, args: argparse.Namespace, fake: FakeSlack) -> dict[str, Any]:
    sessions = connect(url)
    began = time.perf_counter()
    start = populate(sessions, args.promises, args.due, args.window)
    print(f"{name}: stored {args.promises:,} promises in {time.perf_counter() - began:.1f} s")
    timed = TimedStore(sessions)
    client = WebClient(token="xoxb-bench", base_url=fake.url, timeout=10)
    service = PromiseService(timed, SlackGateway.connect(client), Policy())
    scheduler = Scheduler(timed, service, f"bench-{name}")
    floor_ms = floor(sessions, start + timedelta(seconds=args.window), scheduler.batch)
    stopping = threading.Event()
    loop = threading.Thread(target=scheduler.run, args=(stopping,))
    loop.start()
    deadline = start + timedelta(seconds=args.window + 30)
    sent_query = select(Reminder.fire_at, Reminder.sent_at).where(
        Reminder.status == state.SENT, Reminder.kind == state.DUE
    )
    while datetime.now(UTC) < deadline and timed.sent < args.due:
        time.sleep(0.5)
    stopping.set()
    loop.join()
    with sessions() as session:
        sent = list(session.execute(sent_query))
    lateness = [(r.sent_at - r.fire_at).total_seconds() for r in sent]
    return {
        "backend": name,
        "sent": len(sent),
        "claim_p50": percentile(timed.claims_ms, 0.5),
        "claim_p99": percentile(timed.claims_ms, 0.99),
        "floor": floor_ms,
        "late_p50": percentile(lateness, 0.5),
        "late_p99": percentile(lateness, 0.99),
        "late_max": max(lateness, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--promises", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--slack-latency", type=float, default=0.0)
    args = parser.parse_args()
    postgres = postgres_url(args.postgres or os.environ.get("DATABASE_URL"))
    results = []
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as folder:
        fake.delay("chat.postMessage", args.slack_latency)
        results.append(run("sqlite", f"sqlite:///{folder}/bench.db", args, fake))
        if postgres:
            with schema_url(postgres) as url:
                results.append(run("postgres", url, args, fake))
        else:
            print("postgres: skipped (no reachable --postgres / TEST_DATABASE_URL)")
    print(
        f"\n{args.promises:,} open promises, {args.due:,} due over {args.window:.0f} s, "
        f"Slack latency {args.slack_latency * 1000:.0f} ms"
    )
    header = (
        f"{'backend':<10}{'sent':>7}{'claim p50':>11}{'claim p99':>11}{'floor':>9}"
        f"{'late p50':>10}{'late p99':>10}{'late max':>10}"
    )
    print(header)
    for r in results:
        print(
            f"{r['backend']:<10}{r['sent']:>7}{r['claim_p50']:>9.2f}ms{r['claim_p99']:>9.2f}ms"
            f"{r['floor']:>7.2f}ms{r['late_p50']:>9.2f}s{r['late_p99']:>9.2f}s"
            f"{r['late_max']:>9.2f}s"
        )


if __name__ == "__main__":
    main()
