"""Block Kit for promises: the confirmation after a promise is found, reminder DMs, the
escalation notice, and the modals to move a due time or send an update.

Times go out as Slack `<!date^…>` tokens, so every reader sees them in their own time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.store.models import PromiseRecord
from bot.views.blocks import actions, button, clip, context, modal, section, text_input

ACTION_PREFIX = "heard_promise_"
KEPT, SNOOZE, DRAFT, CHANGE, NOT_PROMISE = "kept", "snooze", "draft", "change", "cancel"
DUE_VIEW, UPDATE_VIEW = "heard_promise_due", "heard_promise_update"
DUE_BLOCK, DUE_INPUT = "due", "at"
UPDATE_BLOCK, UPDATE_INPUT = "update", "text"
_QUOTE_LIMIT = 300


def action_id(action: str) -> str:
    return f"{ACTION_PREFIX}{action}"


def when(moment: datetime) -> str:
    """A time each reader sees in their own zone (the fallback is UTC)."""
    epoch = int(moment.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"


def span(delta: timedelta) -> str:
    """A lead time as people say it: "2 h", "15 min", "1 h 30 min"."""
    minutes = round(delta.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
    return " ".join(parts) or "now"


def where(promise: PromiseRecord, permalink: str | None) -> str:
    """Where the promise was made, linked when Slack gave us a permalink."""
    place = f"<#{promise.channel}>"
    return f"<{permalink}|the customer thread> in {place}" if permalink else place


def confirmation(promise: PromiseRecord) -> tuple[str, list[dict[str, Any]]]:
    """The small "Reminder set for … — Change / Not a promise" note after a reply."""
    vague = " (no time was given, so I picked one)" if promise.vague else ""
    text = f"⏰ Reminder set for {when(promise.due)}{vague} — “{_quote(promise.phrase)}”"
    buttons = [
        _button("Change", CHANGE, promise.id),
        _button("Not a promise", NOT_PROMISE, promise.id),
    ]
    return text, [section(text), actions(f"heard_promise_confirm_{promise.id}", buttons)]


def reminder(
    promise: PromiseRecord, left: timedelta, permalink: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """The DM to the owner, `left` before the promise falls due (negative: overdue)."""
    if abs(left) < timedelta(minutes=1):
        head = "⏰ Due now"
    elif left > timedelta(0):
        head = f"⏰ Due in {span(left)}"
    else:
        head = f"⚠️ Overdue by {span(-left)}"
    text = f"{head}: you promised “{_quote(promise.phrase)}”"
    body = (
        f"*{head}* ({when(promise.due)}) — {where(promise, permalink)}\n> {_quote(promise.phrase)}"
    )
    return text, [section(body), promise_actions(promise)]


def escalation(promise: PromiseRecord, permalink: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The notice in the escalation channel: a promise past due and past its grace period."""
    text = f"⚠️ Overdue promise by <@{promise.owner_id}>: “{_quote(promise.phrase)}”"
    body = (
        f"⚠️ *Overdue promise* — <@{promise.owner_id}> promised a customer in "
        f"{where(promise, permalink)}, due {when(promise.due)}, and it is not kept yet.\n"
        f"> {_quote(promise.phrase)}"
    )
    return text, [section(body)]


def closed(promise: PromiseRecord, note: str) -> tuple[str, list[dict[str, Any]]]:
    """A reminder or confirmation once acted on: the words, and what happened, no buttons."""
    text = f"{note} — “{_quote(promise.phrase)}”"
    return text, [section(text)]


def promise_actions(promise: PromiseRecord) -> dict[str, Any]:
    """Mark kept / Snooze / Draft an update (only when there is a customer thread to answer)."""
    buttons = [
        _button("Mark kept", KEPT, promise.id, style="primary"),
        _button("Snooze", SNOOZE, promise.id),
    ]
    if promise.thread_ts:
        buttons.append(_button("Draft an update", DRAFT, promise.id))
    return actions(f"heard_promise_{promise.id}", buttons)


def due_modal(promise: PromiseRecord) -> dict[str, Any]:
    """Pick another due time; Slack's picker shows and returns it in the viewer's own zone."""
    picker = {
        "type": "input",
        "block_id": DUE_BLOCK,
        "label": {"type": "plain_text", "text": "Due"},
        "element": {
            "type": "datetimepicker",
            "action_id": DUE_INPUT,
            "initial_date_time": int(promise.due.timestamp()),
        },
    }
    return modal(
        DUE_VIEW,
        str(promise.id),
        "Change the reminder",
        "Save",
        [context(f"> {_quote(promise.phrase)}"), picker],
    )


def update_modal(promise: PromiseRecord, draft: str) -> dict[str, Any]:
    """The drafted status update, to complete and send into the customer's thread."""
    intro = context(
        f"You promised “{_quote(promise.phrase)}”, due {when(promise.due)}. "
        "Fill in the [bracketed] parts; sending keeps the promise."
    )
    box = text_input(UPDATE_BLOCK, UPDATE_INPUT, "Update to the customer", draft)
    return modal(UPDATE_VIEW, str(promise.id), "Send an update", "Send", [intro, box])


def listing(promises: list[PromiseRecord]) -> str:
    """`/promise list`: the caller's open promises, soonest first."""
    if not promises:
        return "You have no open promises."
    lines = [f"`#{p.id}` {when(p.due)} — {_quote(p.phrase)}" for p in promises]
    return clip("*Your open promises*\n" + "\n".join(lines))


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"


def _button(label: str, action: str, promise_id: int, style: str | None = None) -> dict[str, Any]:
    return button(label, action_id(action), str(promise_id), style)
