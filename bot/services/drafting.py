"""Complaint → suggestion: triage, draft, lint (DESIGN §4)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.playbook.compose import compose
from bot.playbook.lint import lint
from bot.playbook.models import Draft, Finding, Triage
from bot.playbook.triage import triage


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What Heard proposes for one customer message; `draft` is None when it isn't a complaint."""

    triage: Triage
    draft: Draft | None = None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def reply(self) -> str:
        return self.draft.reply if self.draft else ""


def suggest(text: str, *, variant: int = 0) -> Suggestion:
    reading = triage(text)
    if not reading.is_complaint:
        return Suggestion(reading)
    draft = compose(text, reading, variant=variant)
    return Suggestion(reading, draft, tuple(lint(draft.reply, reading.language)))
