"""Message shortcut “Draft a reply”: a draft for any message, shown only to the agent."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.views.ondemand import draft_answer

log = logging.getLogger(__name__)
CALLBACK_ID = "heard_draft_reply"


def register(app: App) -> None:
    app.shortcut(CALLBACK_ID)(on_draft_shortcut)


def on_draft_shortcut(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    heard = context["heard"]
    user = body["user"]
    if not heard.gateway.is_team_member(user["id"], user.get("team_id")):
        log.warning("ignored the shortcut by %s: not a member of the installing team", user["id"])
        return
    text = (body.get("message") or {}).get("text") or ""
    heard.pool.submit(lambda: respond(**draft_answer(heard.drafting.suggest(text))))
