"""Builders for what Slack sends the app: Events API envelopes, interactivity payloads, slash
commands — shaped like Slack's own, so Bolt's routing, authorization and our handlers see the
real thing. Defaults name the fake's workspace (fake_slack constants); override any field.

Bodies go over HTTP as Slack sends them: `json.dumps(event_callback(...))` for events,
`interactivity_body(payload)` for actions, views and shortcuts, `form_body(slash_command(...))`
for commands; sign them with signing.sign.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fake_slack import (
    AGENT_ID,
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    CONNECT_CHANNEL,
    CUSTOMER_ID,
    SUPPORT_CHANNEL,
    TEAM_DOMAIN,
    TEAM_ID,
)

Json = dict[str, Any]

VERIFICATION_TOKEN = "fake-verification-token"
# Where `respond()` goes unless a test passes `fake.response_url()` to capture it.
DEFAULT_RESPONSE_URL = "https://hooks.slack.com/commands/T0TEAM/1/fake"
_CHANNEL_NAMES = {SUPPORT_CHANNEL: "support", CONNECT_CHANNEL: "ext-acme"}
# Before the fake's first ts (1700000000.…): a customer's message precedes the bot's answers.
_FIRST_TS = 1_690_000_000
_sequence = itertools.count(1)


def next_ts() -> str:
    """A fresh, increasing Slack timestamp for messages the tests invent."""
    micros = next(_sequence) * 100
    return f"{_FIRST_TS + micros // 1_000_000}.{micros % 1_000_000:06d}"


def _trigger_id() -> str:
    return f"{next(_sequence)}.{TEAM_ID}.fake-trigger"


def _channel_type(channel: str) -> str:
    return {"D": "im", "G": "group"}.get(channel[:1], "channel")


def _user(user: str, team_id: str) -> Json:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id}


def _team(team_id: str) -> Json:
    return {"id": team_id, "domain": TEAM_DOMAIN}


def _channel(channel: str) -> Json:
    return {"id": channel, "name": _CHANNEL_NAMES.get(channel, channel.lower())}


def event_callback(
    event: Json,
    *,
    team_id: str = TEAM_ID,
    enterprise_id: str | None = None,
    is_ext_shared_channel: bool = False,
    event_id: str | None = None,
    event_time: int | None = None,
) -> Json:
    """The Events API envelope around `event`, authorized for our bot in `team_id`."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "enterprise_id": enterprise_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_sequence):08d}",
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": enterprise_id,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": is_ext_shared_channel,
        "event_context": f"4-fake-{next(_sequence)}",
    }


def message_event(
    text: str,
    *,
    channel: str = SUPPORT_CHANNEL,
    user: str | None = CUSTOMER_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
    user_team: str = TEAM_ID,
    team: str = TEAM_ID,
) -> Json:
    """A `message` event; `user_team` differs from `team` for a Slack Connect user, and a bot's
    message has `bot_id` (with subtype "bot_message" and no `user` for a legacy integration)."""
    ts = ts or next_ts()
    event: Json = {
        "type": "message",
        "channel": channel,
        "channel_type": _channel_type(channel),
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "team": team,
    }
    if user:
        event.update(user=user, user_team=user_team, source_team=user_team)
    for key, value in (("thread_ts", thread_ts), ("subtype", subtype), ("bot_id", bot_id)):
        if value:
            event[key] = value
    return event


def reaction_added_event(
    reaction: str,
    *,
    channel: str = SUPPORT_CHANNEL,
    ts: str,
    user: str = AGENT_ID,
    item_user: str = BOT_USER_ID,
) -> Json:
    """`user` reacted with `reaction` to the message `ts` (by `item_user`) in `channel`."""
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": next_ts(),
    }


def block_actions(
    action_id: str,
    value: str | None = None,
    *,
    message: Json | None = None,
    channel: str = SUPPORT_CHANNEL,
    user: str = AGENT_ID,
    user_team: str = TEAM_ID,
    team_id: str = TEAM_ID,
    block_id: str = "actions",
    trigger_id: str | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
) -> Json:
    """A button click on `message` (e.g. the `message` the fake returned for our post)."""
    message = message or {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": ""}
    message = {**message, "ts": message.get("ts") or next_ts()}
    container: Json = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if "thread_ts" in message:
        container["thread_ts"] = message["thread_ts"]
    action: Json = {
        "type": "button",
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": action_id},
        "action_ts": next_ts(),
    }
    if value is not None:
        action["value"] = value
    return {
        "type": "block_actions",
        "token": VERIFICATION_TOKEN,
        "api_app_id": APP_ID,
        "user": _user(user, user_team),
        "team": _team(team_id),
        "enterprise": None,
        "is_enterprise_install": False,
        "container": container,
        "channel": _channel(channel),
        "message": message,
        "trigger_id": trigger_id or _trigger_id(),
        "response_url": response_url,
        "state": {"values": {}},
        "actions": [action],
    }


def text_input(value: str) -> Json:
    """One input's state in a view submission: `{block_id: {action_id: text_input("…")}}`."""
    return {"type": "plain_text_input", "value": value}


def view_submission(
    callback_id: str,
    values: Mapping[str, Mapping[str, Json]],
    *,
    private_metadata: str = "",
    view_id: str | None = None,
    user: str = AGENT_ID,
    user_team: str = TEAM_ID,
    team_id: str = TEAM_ID,
) -> Json:
    """A modal submitted with `values` (Slack's `state.values` shape)."""
    view_id = view_id or f"V{next(_sequence):08d}"
    return {
        "type": "view_submission",
        "token": VERIFICATION_TOKEN,
        "api_app_id": APP_ID,
        "team": _team(team_id),
        "user": _user(user, user_team),
        "enterprise": None,
        "is_enterprise_install": False,
        "trigger_id": _trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "blocks": [],
            "state": {"values": {k: dict(v) for k, v in values.items()}},
            "hash": f"{_FIRST_TS}.fake",
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "root_view_id": view_id,
            "previous_view_id": None,
        },
        "response_urls": [],
    }


def message_action(
    callback_id: str,
    *,
    message: Json,
    channel: str = SUPPORT_CHANNEL,
    user: str = AGENT_ID,
    user_team: str = TEAM_ID,
    team_id: str = TEAM_ID,
    trigger_id: str | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
) -> Json:
    """The message shortcut `callback_id` run on `message` (it needs at least `ts`)."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "api_app_id": APP_ID,
        "action_ts": next_ts(),
        "team": _team(team_id),
        "user": _user(user, user_team),
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": _channel(channel),
        "callback_id": callback_id,
        "trigger_id": trigger_id or _trigger_id(),
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": {"type": "message", **message},
    }


def slash_command(
    command: str,
    text: str = "",
    *,
    user_id: str = AGENT_ID,
    team_id: str = TEAM_ID,
    channel_id: str = SUPPORT_CHANNEL,
    trigger_id: str | None = None,
    response_url: str = DEFAULT_RESPONSE_URL,
) -> dict[str, str]:
    """The form fields of a slash command; send as `form_body(...)`."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": _channel(channel_id)["name"],
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _trigger_id(),
    }


def form_body(fields: Mapping[str, str]) -> str:
    return urlencode(fields)


def interactivity_body(payload: Json) -> str:
    """Slack posts interactivity as a form with one field, `payload`, holding the JSON."""
    return urlencode({"payload": json.dumps(payload)})
