"""The floor for bench_slack.py: a bare Bolt app that waits out the model latency and posts a
fixed card — no store, no triage, no drafting. Same server (waitress), same ack policy as Heard.

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… PORT=… FLOOR_LATENCY=0.3 \\
    HEARD_TRIAGE_CHANNEL=C… python tests/bench/floor_app.py
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
app = App(
    client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"], process_before_response=True
)
pool = ThreadPoolExecutor(64)
latency = float(os.environ.get("FLOOR_LATENCY", "0.3"))
triage = os.environ["HEARD_TRIAGE_CHANNEL"]


def post_card(ts: str) -> None:
    time.sleep(latency)
    client.chat_postMessage(channel=triage, text=f"fixed card for p{ts.replace('.', '')}")


@app.event("message")
def on_message(event: dict[str, Any]) -> None:
    pool.submit(post_card, event["ts"])


if __name__ == "__main__":
    waitress.serve(
        SlackRequestHandler(app), host="127.0.0.1", port=int(os.environ["PORT"]), threads=16
    )
