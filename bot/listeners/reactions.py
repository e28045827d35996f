"""Reactions on a draft card act on it (reaction events carry no trigger_id, so no Edit here)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext


def register(app: App) -> None:
    app.event("reaction_added")(on_reaction)


def on_reaction(event: dict[str, Any], context: BoltContext) -> None:
    heard = context["heard"]
    item = event.get("item") or {}
    decide = heard.reaction_actions.get(event.get("reaction"))
    if item.get("type") != "message" or decide is None:
        return
    complaint = heard.store.by_card(item.get("channel", ""), item.get("ts", ""))
    if complaint is not None:
        heard.pool.submit(decide, complaint.id, event["user"], None)
