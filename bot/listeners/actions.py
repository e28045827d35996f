"""Buttons on a draft card, and the edit modal."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.views.card import (
    ACTION_PREFIX,
    CLAIM,
    DISMISS,
    EDIT,
    EDIT_BLOCK,
    EDIT_INPUT,
    EDIT_VIEW,
    REGENERATE,
    SEND,
    action_id,
    edit_modal,
)

_DECISIONS = re.compile(f"^{ACTION_PREFIX}({SEND}|{REGENERATE}|{DISMISS}|{CLAIM})$")


def register(app: App) -> None:
    app.action(_DECISIONS)(on_decision)
    app.action(action_id(EDIT))(on_edit)
    app.view(EDIT_VIEW)(on_edit_submitted)


def on_decision(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    heard = context["heard"]
    decide = getattr(heard.cards, action["action_id"].removeprefix(ACTION_PREFIX))
    user = body["user"]
    heard.pool.submit(decide, int(action["value"]), user["id"], user.get("team_id"))


def on_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    heard = context["heard"]
    user = body["user"]
    state = heard.cards.editable(int(action["value"]), user["id"], user.get("team_id"))
    if state is not None:
        heard.gateway.open_view(body["trigger_id"], edit_modal(state))


def on_edit_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    text = (view["state"]["values"][EDIT_BLOCK][EDIT_INPUT].get("value") or "").strip()
    if not text:
        ack(response_action="errors", errors={EDIT_BLOCK: "The reply is empty."})
        return
    ack()
    heard = context["heard"]
    user = body["user"]
    heard.pool.submit(
        heard.cards.send, int(view["private_metadata"]), user["id"], user.get("team_id"), text
    )
