"""`heard run` in Socket Mode, end to end: the real CLI process connects with Slack's Socket Mode
client to a fake WebSocket endpoint, acknowledges envelopes, and posts one card per complaint."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import CONNECT_CHANNEL, EXTERNAL_TEAM_ID, EXTERNAL_USER_ID, Channel, FakeSlack
from fake_socket_mode import FakeSocketMode
from payloads import event_callback, message_event
from running_app import TRIAGE_CHANNEL, run_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def socket_app(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[FakeSocketMode]:
    fake_slack.add_channel(Channel(TRIAGE_CHANNEL, "triage"))
    env = run_env(
        fake_slack,
        tmp_path / "heard.db",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
    )
    with FakeSocketMode(fake_slack) as socket_mode, (tmp_path / "heard.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stderr=log
        )
        try:
            socket_mode.wait_connected()
            yield socket_mode
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_socket_mode_acknowledges_the_envelope_and_posts_one_card(
    socket_app: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    event = message_event(
        "You charged me twice for order #5521 and nobody answers!!",
        channel=CONNECT_CHANNEL,
        user=EXTERNAL_USER_ID,
        user_team=EXTERNAL_TEAM_ID,
    )
    payload = event_callback(event, is_ext_shared_channel=True, event_id="EvSock1")
    envelope = socket_app.send("events_api", payload)
    socket_app.wait_ack(envelope)
    [card] = fake_slack.wait_for("chat.postMessage", timeout=10)
    assert card.params["channel"] == TRIAGE_CHANNEL
    assert "#5521" in json.dumps(card.params["blocks"])
    # Slack redelivers the same event on another envelope: acknowledged, still one card
    socket_app.wait_ack(socket_app.send("events_api", payload))
    assert len(fake_slack.calls("chat.postMessage")) == 1
