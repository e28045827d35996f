"""Heard's real Bolt app, served over HTTP on loopback by waitress, talking to a fake Slack.

Used by the end-to-end tests and the Slack benchmark: requests go through signature checks,
Bolt's routing and our listeners exactly as in production.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import waitress
from fake_slack import CONNECT_CHANNEL, SUPPORT_CHANNEL, Channel, FakeSlack
from payloads import event_callback, form_body, interactivity_body
from signing import SIGNING_SECRET, sign

from bot.app import Heard, build_app, build_heard, web_client, wsgi_app
from bot.config import Settings
from bot.gateway import SlackGateway

TRIAGE_CHANNEL = "C0TRIAGE"


def run_env(fake: FakeSlack, database: Path, **variables: str) -> dict[str, str]:
    """The environment for a `heard run` subprocess against `fake`: this process's environment
    without any Slack, Heard or OpenAI variables of the developer's, plus `variables`."""
    own = ("SLACK_", "HEARD_", "OPENAI_")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(own)},
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{database}",
        "HEARD_SUPPORT_CHANNELS": CONNECT_CHANNEL,
        "HEARD_TRIAGE_CHANNEL": TRIAGE_CHANNEL,
        **variables,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def background_pids(web_pid: int) -> set[int]:
    """The background processes of a `heard run` (not multiprocessing's resource tracker); any
    thread of the web process may have started them. Linux only (/proc)."""
    tasks = Path(f"/proc/{web_pid}/task").iterdir()
    children = [child for task in tasks for child in (task / "children").read_text().split()]
    return {
        int(child)
        for child in children
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    }


def settings_for(fake: FakeSlack, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.url,
        "database_url": f"sqlite:///{database}",
        "heard_support_channels": f"{SUPPORT_CHANNEL},{CONNECT_CHANNEL}",
        "heard_triage_channel": TRIAGE_CHANNEL,
        "openai_api_key": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class RunningApp:
    """`with RunningApp(fake, settings) as app:` then `app.event(...)`, `app.action(...)` …"""

    def __init__(self, fake: FakeSlack, settings: Settings, threads: int = 8) -> None:
        fake.add_channel(Channel(TRIAGE_CHANNEL, "support-triage"))
        self.fake = fake
        self.settings = settings
        self.heard: Heard = build_heard(settings, SlackGateway.connect(web_client(settings)))
        self._server = waitress.create_server(
            wsgi_app(build_app(self.heard)), host="127.0.0.1", port=0, threads=threads
        )
        self.url = f"http://127.0.0.1:{self._server.effective_port}/slack/events"  # type: ignore[union-attr]
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> RunningApp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Close waitress from inside its own loop thread; closing from here races its select().
        server: Any = self._server
        server.trigger.pull_trigger(lambda: [ch.close() for ch in list(server._map.values())])
        self._thread.join(timeout=5)
        server.task_dispatcher.shutdown()
        self.heard.close()

    def post(
        self, body: str, content_type: str, headers: Mapping[str, str] | None = None, **signing: Any
    ) -> tuple[int, str]:
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                **sign(SIGNING_SECRET, body, **signing),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict[str, Any], **options: Any) -> tuple[int, str]:
        headers = options.pop("headers", None)
        signing = {k: options.pop(k) for k in ("stale", "wrong_signature") if k in options}
        body = json.dumps(event_callback(event, **options))
        return self.post(body, "application/json", headers, **signing)

    def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        return self.post(interactivity_body(payload), "application/x-www-form-urlencoded")

    def command(self, fields: Mapping[str, str]) -> tuple[int, str]:
        return self.post(form_body(fields), "application/x-www-form-urlencoded")
