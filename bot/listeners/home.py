"""The App Home tab: opening it shows the viewer's open promises."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    heard = context["heard"]
    heard.pool.submit(heard.promises.refresh_home, event["user"])
