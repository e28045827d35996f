"""Fixtures for promise and scheduler tests (the helpers live in promise_harness.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))  # the fake Slack

import pytest
from fake_slack import Channel, FakeSlack
from promise_harness import (
    ESCALATION_CHANNEL,
    Clock,
    Heard,
    MakeHeard,
    gateway_for,
    postgres_url,
    schema_url,
)

from bot.services.promises import Policy, PromiseService
from bot.services.scheduler import Scheduler
from bot.store.db import connect
from bot.store.promises import PromiseStore


@pytest.fixture
def pg_url() -> Iterator[str]:
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_DATABASE_URL is not set or Postgres is unreachable")
    with schema_url(url) as scoped:
        yield scoped


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'heard.db'}"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def make_heard(fake_slack: FakeSlack, clock: Clock, sqlite_url: str) -> MakeHeard:
    fake_slack.add_channel(Channel(ESCALATION_CHANNEL, "support-leads"))

    def make(url: str = sqlite_url, **policy: object) -> Heard:
        sessions = connect(url)
        store = PromiseStore(sessions)
        values: dict[str, Any] = {"escalation_channel": ESCALATION_CHANNEL, **policy}
        service = PromiseService(store, gateway_for(fake_slack), Policy(**values), now=clock.now)
        return Heard(sessions, store, service, Scheduler(store, service, "w1", now=clock.now))

    return make


@pytest.fixture
def heard(make_heard: MakeHeard) -> Heard:
    return make_heard()
