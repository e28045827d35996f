"""`heard demo`: the real drafting pipeline, offline, on a bundled sample conversation.

It shows what Heard would post for each message — a draft card for complaints, nothing for
chit-chat — and what the linter says about an agent's own reply. No credentials, no network.
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from importlib import resources
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.playbook.lint import lint
from bot.promises import find_promises
from bot.services.drafting import Suggestion, suggest

_RULE = "─" * 78


def run_demo(out: TextIO) -> None:
    conversation = json.loads(
        resources.files("bot.demo").joinpath("conversation.json").read_text("utf-8")
    )
    zone = ZoneInfo(conversation["agent_tz"])
    sent_at = datetime.fromisoformat(conversation["now"]).replace(tzinfo=zone)
    out.write(f"Heard demo · watching {conversation['channel']} · engine: offline playbook\n")
    for message in conversation["messages"]:
        out.write(f"\n{_RULE}\n{message['who']}: {message['text']}\n")
        if message["role"] == "agent":
            _lint_note(message["text"], out)
            _promise_note(message["text"], sent_at, zone, out)
        else:
            _card(suggest(message["text"]), out)


def _card(suggestion: Suggestion, out: TextIO) -> None:
    reading = suggestion.triage
    if suggestion.draft is None:
        out.write(f"  → no draft: not a complaint ({reading.language})\n")
        return
    steps = " → ".join(suggestion.draft.steps)
    out.write(
        f"  → draft card in the internal triage channel\n"
        f"    anger {reading.anger}/3 · {reading.category} · {reading.language} · steps: {steps}\n"
    )
    out.write(textwrap.indent(suggestion.reply, "    │ ", lambda _: True) + "\n")
    status = "lint: clean" if not suggestion.findings else f"lint: {len(suggestion.findings)}"
    out.write(f"    {status}\n")
    for note in suggestion.draft.notes:
        out.write(f"    note for the agent: {note}\n")
    out.write("    [Send] [Edit] [Regenerate] [Dismiss] [Claim]\n")


def _lint_note(text: str, out: TextIO) -> None:
    findings = lint(text)
    if not findings:
        out.write("  → linter: clean\n")
        return
    out.write("  → linter, privately to the agent:\n")
    for finding in findings:
        out.write(f"    ⚠ {finding.rule}: “{finding.excerpt}”\n")


def _promise_note(text: str, sent_at: datetime, zone: ZoneInfo, out: TextIO) -> None:
    for promise in find_promises(text, now=sent_at, tz=zone):
        window = " (no time given: the default window)" if promise.vague else ""
        out.write(
            f"  → promise “{promise.phrase}”: due {promise.due:%a %H:%M %Z}{window}; "
            "the agent is reminded before then\n"
        )
