"""Fixtures for Slack tests: a fresh fake Slack per test and a real WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def slack_client(fake_slack: FakeSlack) -> WebClient:
    """No retry handlers, so a test sees each fault exactly as the fake sent it."""
    return WebClient(token="xoxb-test", base_url=fake_slack.url, timeout=5, retry_handlers=[])
