"""Promise buttons (reminder DMs, confirmations, App Home), their modals, and `/promise`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.listeners.team_command import read_team_command
from bot.services.outcomes import Outcome
from bot.services.promises import has_blanks
from bot.store.models import PromiseRecord
from bot.views.reminders import (
    ACTION_PREFIX,
    CHANGE,
    DRAFT,
    DUE_BLOCK,
    DUE_INPUT,
    DUE_VIEW,
    KEPT,
    NOT_PROMISE,
    SNOOZE,
    UPDATE_BLOCK,
    UPDATE_INPUT,
    UPDATE_VIEW,
    action_id,
    closed,
    due_modal,
    listing,
    update_modal,
    when,
)

COMMAND = "/promise"
_DECISIONS = re.compile(f"^{ACTION_PREFIX}({KEPT}|{SNOOZE}|{NOT_PROMISE})$")
_DONE_NOTES = {KEPT: "✅ Kept", SNOOZE: "😴 Snoozed", NOT_PROMISE: "🚫 Not a promise, no reminders"}
USAGE = (
    "*`/promise`* — Heard reminds you before a promise to a customer falls due.\n"
    "• `/promise in 2h update Acme on the outage` — add one by hand\n"
    "• `/promise tomorrow 10:00 call Acme back`\n"
    "• `/promise list` — your open promises · `/promise cancel <id>` — stop one"
)


def register(app: App) -> None:
    app.action(_DECISIONS)(on_decision)
    app.action(action_id(CHANGE))(on_change)
    app.action(action_id(DRAFT))(on_draft)
    app.view(DUE_VIEW)(on_due_submitted)
    app.view(UPDATE_VIEW)(on_update_submitted)
    app.command(COMMAND)(on_promise_command)


def on_decision(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """Mark kept / Snooze / Not a promise; the message clicked on loses its buttons."""
    ack()
    heard = context["heard"]
    verb = action["action_id"].removeprefix(ACTION_PREFIX)
    decide = {
        KEPT: heard.promises.mark_kept,
        SNOOZE: heard.promises.snooze,
        NOT_PROMISE: heard.promises.cancel,
    }[verb]
    user = body["user"]
    promise_id = int(action["value"])
    in_message = bool(body.get("response_url"))

    def run() -> None:
        outcome = decide(promise_id, user["id"], user.get("team_id"))
        promise = heard.promises.store.get(promise_id)
        if not in_message or promise is None or outcome is Outcome.NOT_ALLOWED:
            return
        if outcome is Outcome.DONE:
            text, blocks = closed(promise, _DONE_NOTES[verb])
            respond(replace_original=True, text=text, blocks=blocks)
        else:
            respond(response_type="ephemeral", replace_original=False, text=_already(promise))

    heard.pool.submit(run)


def on_change(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    heard = context["heard"]
    user = body["user"]
    promise = heard.promises.editable(int(action["value"]), user["id"], user.get("team_id"))
    if promise is not None:
        heard.gateway.open_view(body["trigger_id"], due_modal(promise))


def on_draft(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    heard = context["heard"]
    user = body["user"]
    promise = heard.promises.editable(int(action["value"]), user["id"], user.get("team_id"))
    if promise is not None and promise.thread_ts:
        draft = heard.promises.draft_update(promise)
        heard.gateway.open_view(body["trigger_id"], update_modal(promise, draft))


def on_due_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    heard = context["heard"]
    picked = view["state"]["values"][DUE_BLOCK][DUE_INPUT].get("selected_date_time")
    due = datetime.fromtimestamp(int(picked), UTC) if picked else None
    if due is None or due <= heard.promises.now():
        ack(response_action="errors", errors={DUE_BLOCK: "Pick a time in the future."})
        return
    ack()
    user = body["user"]
    heard.pool.submit(
        heard.promises.change_due,
        int(view["private_metadata"]),
        user["id"],
        user.get("team_id"),
        due,
    )


def on_update_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    text = (view["state"]["values"][UPDATE_BLOCK][UPDATE_INPUT].get("value") or "").strip()
    if not text or has_blanks(text):
        problem = "Fill in the [bracketed] parts first." if text else "The update is empty."
        ack(response_action="errors", errors={UPDATE_BLOCK: problem})
        return
    ack()
    heard = context["heard"]
    user = body["user"]
    heard.pool.submit(
        heard.promises.send_update,
        int(view["private_metadata"]),
        user["id"],
        user.get("team_id"),
        text,
    )


def on_promise_command(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    call = read_team_command(command, context)
    if call is None:
        return
    heard, user, text, rest = call.heard, call.user, call.text, call.rest
    if not text or call.verb == "help":
        respond(response_type="ephemeral", text=USAGE)
    elif call.verb == "list":
        respond(response_type="ephemeral", text=listing(heard.promises.list_open(user)))
    elif call.verb == "cancel":
        number = rest.lstrip("#")
        if not number.isdigit():
            respond(response_type="ephemeral", text=USAGE)
            return
        outcome = heard.promises.cancel(int(number), user, None)
        answer = {
            Outcome.DONE: f"🚫 Promise #{number} cancelled; no more reminders.",
            Outcome.ALREADY_DECIDED: f"Promise #{number} is already closed.",
        }.get(outcome, f"You have no promise #{number}.")
        respond(response_type="ephemeral", text=answer)
    else:
        heard.pool.submit(_add, heard, user, text, command.get("channel_id", ""), respond)


def _add(heard: Any, user: str, text: str, channel: str, respond: Respond) -> None:
    promise = heard.promises.add_manual(user, None, text, channel)
    if promise is None:
        respond(
            response_type="ephemeral",
            text="I couldn't find a time in that. " + USAGE.split("\n", 1)[1],
        )
        return
    respond(
        response_type="ephemeral",
        text=f"⏰ Reminder set for {when(promise.due)} (#{promise.id}) — “{promise.phrase}”",
    )


def _already(promise: PromiseRecord) -> str:
    return f"That promise is already {promise.status}."
