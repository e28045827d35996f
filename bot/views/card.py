"""The draft card agents act on, and the modal for editing a draft before sending it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.playbook.models import Finding
from bot.views.blocks import actions, button, clip, context, modal, section, text_input

SEND, EDIT, REGENERATE, DISMISS, CLAIM = "send", "edit", "regenerate", "dismiss", "claim"
ACTION_PREFIX = "heard_"
EDIT_VIEW = "heard_edit"
EDIT_BLOCK, EDIT_INPUT = "reply", "text"
_QUOTE_LIMIT = 600
_ANGER = ("calm", "annoyed", "angry", "furious")


@dataclass(frozen=True, slots=True)
class CardState:
    """Everything a card shows; rebuilt from the store whenever the card changes."""

    complaint_id: int
    customer_id: str
    channel: str
    message: str
    permalink: str | None
    anger: int
    category: str
    language: str
    engine: str
    draft: str
    steps: tuple[str, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]
    owner_id: str | None = None
    sent_by: str | None = None
    sent_at: datetime | None = None
    closed: str | None = None  # "dismissed" | "withdrawn" | None


def action_id(action: str) -> str:
    return f"{ACTION_PREFIX}{action}"


def fallback_text(state: CardState) -> str:
    """Notification text: what a phone shows for the card."""
    return f"Draft reply for <@{state.customer_id}> ({state.category}, anger {state.anger}/3)"


def card_blocks(state: CardState) -> list[dict[str, Any]]:
    link = f"<{state.permalink}|customer message>" if state.permalink else "customer message"
    anger = "●" * state.anger + "○" * (3 - state.anger)
    blocks: list[dict[str, Any]] = [
        section(
            f"*Complaint* from <@{state.customer_id}> in <#{state.channel}> · {link}\n"
            f"{anger} {_ANGER[state.anger]} · `{state.category}` · {state.language}"
        ),
        context(_quote(state.message)),
        section(f"*Suggested reply* ({_engine(state.engine)})\n{clip(state.draft)}"),
        context("Playbook steps: " + " → ".join(state.steps)),
    ]
    if state.findings:
        lines = [f"⚠️ *{f.rule}*: “{f.excerpt}” — {f.message}" for f in state.findings]
        blocks.append(section(clip("*Check before sending*\n" + "\n".join(lines))))
    if state.notes:
        blocks.append(context("\n".join(f"📝 {note}" for note in state.notes)))
    blocks.extend(_footer(state))
    return blocks


def edit_modal(state: CardState) -> dict[str, Any]:
    box = text_input(EDIT_BLOCK, EDIT_INPUT, "Reply to the customer", state.draft)
    return modal(
        EDIT_VIEW,
        str(state.complaint_id),
        "Edit and send",
        "Send",
        [context(_quote(state.message)), box],
    )


def _footer(state: CardState) -> list[dict[str, Any]]:
    """Buttons while the card is open; a status line once it is decided."""
    if state.sent_by:
        when = _date(state.sent_at) if state.sent_at else ""
        return [context(f"✅ Sent by <@{state.sent_by}> {when}")]
    if state.closed == "dismissed":
        return [context("❌ Dismissed")]
    if state.closed == "withdrawn":
        return [context("🗑️ The customer deleted the message; nothing to send")]
    value = str(state.complaint_id)
    buttons = [
        _button("Send", SEND, value, style="primary"),
        _button("Edit", EDIT, value),
        _button("Regenerate", REGENERATE, value),
        _button("Dismiss", DISMISS, value, style="danger"),
    ]
    footer: list[dict[str, Any]] = []
    if state.owner_id:
        footer.append(context(f"👀 Claimed by <@{state.owner_id}>"))
    else:
        buttons.append(_button("Claim", CLAIM, value))
    footer.append(actions("heard_card", buttons))
    return footer


def _engine(engine: str) -> str:
    return "drafted by the model" if engine == "openai" else "offline playbook draft"


def _date(moment: datetime) -> str:
    epoch = int(moment.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"


def _quote(text: str) -> str:
    clipped = text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"
    return "\n".join(f"> {line}" for line in clipped.splitlines() or [""])


def _button(label: str, action: str, value: str, style: str | None = None) -> dict[str, Any]:
    return button(label, action_id(action), value, style)
