"""`message` events in the watched channels: customer messages become complaints to draft;
team members' replies in a thread keep that thread's promises and may make new ones."""

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
    thread_ts = event.get("thread_ts")
    if _is_team_reply(event, heard):
        heard.pool.submit(
            heard.promises.on_team_reply,
            event["text"],
            event["user"],
            channel,
            thread_ts,
            event["ts"],
        )
        return
    author = _author(event, heard)
    if author is None:
        return
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


def _is_team_reply(event: dict[str, Any], heard: Any) -> bool:
    """A person of our team writing in a thread: an answer to the customer, maybe a promise."""
    user = event.get("user")
    in_thread = bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
    return bool(
        in_thread
        and user
        and not event.get("bot_id")
        and heard.gateway.is_team_member(user, event.get("user_team"))
    )


def _author(event: dict[str, Any], heard: Any) -> str | None:
    """Who wrote a message worth drafting for, or None when it is not a complaint to draft.

    Customers' messages are drafted, top-level or in a thread. Team members' top-level posts
    count only in an internal intake channel (a forwarded e-mail); their thread replies never
    reach here (see `_is_team_reply`). Bots count only when allowed (an e-mail or helpdesk
    integration).
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
    return None if heard.gateway.is_customer_visible(event["channel"]) else str(user)
