"""Helpers for promise and scheduler tests: a controllable clock, a real database (SQLite file,
or Postgres from TEST_DATABASE_URL in a schema of its own), and the fake Slack over HTTP."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))

from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.gateway import SlackGateway
from bot.services.promises import PromiseService
from bot.services.scheduler import Scheduler
from bot.store.db import connect
from bot.store.promises import PromiseStore

ESCALATION_CHANNEL = "C0ESCALATE"
# A Wednesday morning in London (the fake agent's zone), in Slack's ts format.
START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> datetime:
        self.moment += delta
        return self.moment

    def ts(self) -> str:
        """A Slack message ts for "now"."""
        return f"{self.moment.timestamp():.6f}"


def postgres_url(url: str | None = None) -> str | None:
    """`url` (default TEST_DATABASE_URL) when it names a Postgres server that answers; None
    otherwise (tests then skip)."""
    url = url or os.environ.get("TEST_DATABASE_URL")
    if not url or url.startswith("sqlite"):
        return None
    try:
        with create_engine(url).connect() as connection:
            connection.execute(text("select 1"))
    except Exception:
        return None
    return url


@contextmanager
def schema_url(url: str) -> Iterator[str]:
    """A fresh schema on the Postgres server for one test, dropped afterwards."""
    schema = f"heard_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"create schema {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        engine.dispose()


def gateway_for(fake: FakeSlack) -> SlackGateway:
    """No retry handlers: a test sees each fault exactly as the fake sent it."""
    client = WebClient(token="xoxb-test", base_url=fake.url, timeout=5, retry_handlers=[])
    return SlackGateway.connect(client)


@dataclass
class Heard:
    """The promise side of the bot, as `bot.app.build_heard` wires it, on a test clock."""

    sessions: sessionmaker[Session]
    store: PromiseStore
    promises: PromiseService
    scheduler: Scheduler

    def another_instance(self, fake: FakeSlack, url: str, worker: str) -> Scheduler:
        """A second bot process: its own engine, Slack client and worker id."""
        store = PromiseStore(connect(url))
        service = PromiseService(store, gateway_for(fake), self.promises.policy, self.promises.now)
        return Scheduler(store, service, worker, now=self.promises.now)


MakeHeard = Callable[..., Heard]
