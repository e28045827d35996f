"""`message` events in the watched channels: customer messages become complaints to draft."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.services.complaints import IncomingMessage

log = logging.getLogger(__name__)
# Subtypes that carry a new message from a person or an allowed integration; the rest (edits,
# joins, topic changes…) are not complaints.
_NEW_MESSAGE_SUBTYPES = {None, "file_share", "thread_broadcast", "bot_message"}


def register(app: App) -> None:
    app.event("message")(on_message)


def on_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    heard = context["heard"]
    channel = event.get("channel", "")
    if channel not in heard.settings.heard_support_channels:
        return
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        deleted = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts")
        if deleted:
            heard.cards.withdraw(channel, deleted)
        return
    if subtype not in _NEW_MESSAGE_SUBTYPES or not (event.get("text") or "").strip():
        return
    author = _author(event, heard)
    if author is None:
        return
    thread_ts = event.get("thread_ts")
    heard.complaints.receive(
        IncomingMessage(
            event_id=body.get("event_id"),
            channel=channel,
            ts=event["ts"],
            thread_ts=thread_ts if thread_ts != event["ts"] else None,
            user_id=author,
            text=event["text"],
        )
    )


def _author(event: dict[str, Any], heard: Any) -> str | None:
    """Who wrote a message worth drafting for, or None when it is not a complaint to draft.

    Customers' messages are drafted, top-level or in a thread. Team members' thread replies are
    answers, not complaints; their top-level posts count only in an internal intake channel
    (a forwarded e-mail). Bots count only when allowed (an e-mail or helpdesk integration).
    """
    bot_id = event.get("bot_id")
    if bot_id:
        allowed = (
            bot_id != heard.gateway.identity.bot_id
            and bot_id in heard.settings.heard_allowed_bot_ids
        )
        return str(event.get("user") or bot_id) if allowed else None
    user = event.get("user")
    if not user:
        return None
    if not heard.gateway.is_team_member(user, event.get("user_team")):
        return str(user)
    in_thread = bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
    if in_thread or heard.gateway.is_customer_visible(event["channel"]):
        return None
    return str(user)
