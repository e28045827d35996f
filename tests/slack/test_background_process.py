"""`heard run` drafts in a background process (bot.background): the web process only stores and
acks. Killing the background process loses nothing: the web process starts another, which drafts
what was accepted meanwhile, and every complaint still gets exactly one card."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import CONNECT_CHANNEL, EXTERNAL_TEAM_ID, EXTERNAL_USER_ID, Channel, FakeSlack
from payloads import event_callback, message_event
from running_app import TRIAGE_CHANNEL, background_pids, free_port, run_env
from signing import SIGNING_SECRET, sign

PROCESSES = 2


class HeardProcess:
    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port

    def wait_background(self, without: int | None = None, timeout: float = 30.0) -> set[int]:
        """The background processes, once all PROCESSES run (and `without` is not among them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = background_pids(self.process.pid)
            if len(pids) == PROCESSES and without not in pids:
                return pids
            time.sleep(0.05)
        raise AssertionError(f"expected {PROCESSES} background processes")

    def complain(self, text: str, event_id: str) -> str:
        event = message_event(
            text, channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
        )
        body = json.dumps(event_callback(event, is_ext_shared_channel=True, event_id=event_id))
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events",
            data=body.encode(),
            headers={"Content-Type": "application/json", **sign(SIGNING_SECRET, body)},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        return str(event["ts"])


@pytest.fixture
def heard(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[HeardProcess]:
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc to find the background process")
    fake_slack.add_channel(Channel(TRIAGE_CHANNEL, "triage"))
    port = free_port()
    env = run_env(
        fake_slack,
        tmp_path / "heard.db",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PORT=str(port),
        HEARD_BACKGROUND_PROCESSES=str(PROCESSES),
    )
    with (tmp_path / "heard.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, stderr=log)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            yield HeardProcess(process, port)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _cards(fake: FakeSlack) -> list[str]:
    return [
        str(c.params.get("text"))
        for c in fake.calls("chat.postMessage")
        if c.params["channel"] == TRIAGE_CHANNEL
    ]


def test_the_background_process_drafts_and_posts_the_card(
    heard: HeardProcess, fake_slack: FakeSlack
) -> None:
    background = heard.wait_background()
    heard.complain("You charged me twice for order #8801 and nobody answers!!", "EvBg1")
    fake_slack.wait_for(
        "chat.postMessage", timeout=15, where=lambda c: c.params["channel"] == TRIAGE_CHANNEL
    )
    assert heard.process.pid not in background
    assert len(_cards(fake_slack)) == 1


def test_a_killed_background_process_is_replaced_and_nothing_is_lost(
    heard: HeardProcess, fake_slack: FakeSlack
) -> None:
    first = min(heard.wait_background())
    os.kill(first, signal.SIGKILL)
    # accepted while no background process is alive: stored as pending, acked, not lost
    heard.complain("My refund for order #8802 never arrived, this is unacceptable!!", "EvBg2")
    heard.wait_background(without=first)  # replaced
    heard.complain("The app logs me out every five minutes, order #8803, fix it!!", "EvBg3")
    heard.complain("Where is my parcel? Order #8804, a week late!!", "EvBg4")
    fake_slack.wait_for(
        "chat.postMessage",
        count=3,
        timeout=20,
        where=lambda c: c.params["channel"] == TRIAGE_CHANNEL,
    )
    time.sleep(0.5)  # a duplicate would arrive now
    cards = _cards(fake_slack)
    assert len(cards) == 3, cards
