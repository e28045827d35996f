"""Ephemeral answers for drafts on demand: the slash command and the message shortcut."""

from __future__ import annotations

from typing import Any

from bot.playbook.models import Finding
from bot.services.drafting import Suggestion
from bot.views.blocks import context, section

USAGE = (
    "*Heard* — drafts replies that calm an upset customer down.\n"
    "• `/draft <customer message>` — a de-escalating draft reply, with lint notes\n"
    "• `/draft lint <your reply>` — check your own reply for phrases that make customers angrier\n"
    "• Message menu (⋯) → *Draft a reply* — a draft for any message"
)


def usage() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": USAGE}


def draft_answer(suggestion: Suggestion) -> dict[str, Any]:
    reading = suggestion.triage
    if suggestion.draft is None:
        text = (
            f"That doesn't read like a complaint ({reading.language}), so there's no draft. "
            "Paste the customer's message after `/draft`."
        )
        return {"response_type": "ephemeral", "text": text}
    header = (
        f"*Draft reply* · anger {reading.anger}/3 · `{reading.category}` · {reading.language}"
        f" · {'model' if suggestion.engine == 'openai' else 'offline playbook'}"
    )
    blocks: list[dict[str, Any]] = [
        section(f"{header}\n{suggestion.reply}"),
        context("Playbook steps: " + " → ".join(suggestion.draft.steps)),
    ]
    if suggestion.findings:
        blocks.append(_findings_section(suggestion.findings))
    for note in suggestion.draft.notes:
        blocks.append(context(f"📝 {note}"))
    return {"response_type": "ephemeral", "text": suggestion.reply[:3000], "blocks": blocks}


def lint_answer(findings: list[Finding], language: str) -> dict[str, Any]:
    if not findings:
        return {"response_type": "ephemeral", "text": f"✅ No phrases that escalate ({language})."}
    return {
        "response_type": "ephemeral",
        "text": f"{len(findings)} phrase(s) to reconsider",
        "blocks": [_findings_section(findings)],
    }


def _findings_section(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, Any]:
    lines = [f"⚠️ *{f.rule}*: “{f.excerpt}”\n{f.message}" for f in findings]
    return section("\n".join(lines))
