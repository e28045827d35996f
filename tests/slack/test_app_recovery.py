"""Start-up: `heard run` refuses bad configuration in one line, and work a crash left behind is
finished exactly once when the app starts again."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_slack import (
    CONNECT_CHANNEL,
    EXTERNAL_TEAM_ID,
    EXTERNAL_USER_ID,
    FakeSlack,
)
from payloads import message_event
from running_app import TRIAGE_CHANNEL, RunningApp, run_env, settings_for

from bot.gateway import CARD_EVENT
from bot.store import complaints as status
from bot.store.complaints import ComplaintStore
from bot.store.db import connect

ROOT = Path(__file__).resolve().parents[2]
COMPLAINT = "You charged me twice for order #77123 and nobody answers!!"


def run_heard(fake: FakeSlack, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = run_env(
        fake,
        tmp_path / "heard.db",
        **{
            "SLACK_BOT_TOKEN": "xoxb-good",
            "SLACK_SIGNING_SECRET": "secret",
            "PORT": "39999",
            **env,
        },
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-revoked"},
            "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)",
        ),
        ({"SLACK_BOT_TOKEN": "oops"}, "SLACK_BOT_TOKEN must start with 'xoxb-'"),
        ({"HEARD_SUPPORT_CHANNELS": "C0NOSUCH1"}, "HEARD_SUPPORT_CHANNELS: channel C0NOSUCH1"),
        ({"HEARD_SUPPORT_CHANNELS": ""}, "HEARD_SUPPORT_CHANNELS is empty"),
        ({"HEARD_TRIAGE_CHANNEL": ""}, "HEARD_TRIAGE_CHANNEL is not set, but C0CONNECT is shared"),
        ({"HEARD_TRIAGE_CHANNEL": CONNECT_CHANNEL}, "is shared with another organisation"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
    ],
)
def test_run_refuses_bad_configuration_in_one_line(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    with FakeSlack(tokens={"xoxb-good"}) as fake:
        from fake_slack import Channel

        fake.add_channel(Channel(TRIAGE_CHANNEL, "triage"))
        result = run_heard(fake, tmp_path, **env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr


def _stored(fake: FakeSlack, database: Path) -> ComplaintStore:
    del fake
    return ComplaintStore(connect(f"sqlite:///{database}"))


def test_work_left_pending_by_a_crash_is_drafted_at_start_up(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "heard.db"
    store = _stored(fake_slack, database)
    message = message_event(
        COMPLAINT, channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
    )
    # the previous process stored the event and acked it, then died before drafting
    store.accept(
        event_id="Ev1",
        channel=CONNECT_CHANNEL,
        ts=str(message["ts"]),
        thread_ts=None,
        user_id=EXTERNAL_USER_ID,
        text=COMPLAINT,
    )
    with RunningApp(fake_slack, settings_for(fake_slack, database)) as app:
        assert app.heard.complaints.resume() == 1
        fake_slack.wait_for("chat.postMessage")
        # Slack redelivers the event it never saw acked: still one card
        assert app.event(message, event_id="Ev1")[0] == 200
        time.sleep(0.3)
    cards = [
        c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == TRIAGE_CHANNEL
    ]
    assert len(cards) == 1


def test_a_card_posted_just_before_a_crash_is_found_not_posted_again(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    database = tmp_path / "heard.db"
    store = _stored(fake_slack, database)
    complaint_id = store.accept(
        event_id="Ev2",
        channel=CONNECT_CHANNEL,
        ts="1690000000.000777",
        thread_ts=None,
        user_id=EXTERNAL_USER_ID,
        text=COMPLAINT,
    )
    assert complaint_id is not None
    # the previous process posted the card, then died before recording it
    store.move(
        complaint_id,
        [status.PENDING],
        status=status.POSTING,
        card_channel=TRIAGE_CHANNEL,
        claimed_by="dead",
        claimed_at=store.get(complaint_id).created_at,
    )  # type: ignore[union-attr]
    with RunningApp(fake_slack, settings_for(fake_slack, database)) as app:
        posted = app.heard.gateway.post_card(
            TRIAGE_CHANNEL, text="card", blocks=[], complaint_id=complaint_id
        )
        app.heard.complaints.lease = (
            app.heard.complaints.lease * 0
        )  # the dead worker's lease is over
        assert app.heard.complaints.resume() == 1
        time.sleep(0.3)
        recovered = app.heard.store.get(complaint_id)
    assert (
        recovered is not None and recovered.status == status.POSTED and recovered.card_ts == posted
    )
    cards = [
        c
        for c in fake_slack.calls("chat.postMessage")
        if (c.params.get("metadata") or {}).get("event_type") == CARD_EVENT
    ]
    assert len(cards) == 1
