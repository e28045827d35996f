"""Complaint → suggestion: triage, draft, lint (DESIGN §4).

One `Drafting` is built per process from the settings; it decides the engine once so the bot, the
slash command and the CLI all draft the same way: the model when `OPENAI_API_KEY` is set, else the
offline playbook drafter, which also answers whenever the model fails, and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.playbook.compose import ENGINE as PLAYBOOK
from bot.playbook.compose import compose
from bot.playbook.lint import lint
from bot.playbook.models import Draft, Finding, Triage
from bot.playbook.triage import triage

if TYPE_CHECKING:  # the OpenAI SDK costs ~0.7 s to import: only loaded when a key is set
    from bot.llm.drafter import LlmDrafter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What Heard proposes for one customer message; `draft` is None when it isn't a complaint."""

    triage: Triage
    draft: Draft | None = None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def reply(self) -> str:
        return self.draft.reply if self.draft else ""

    @property
    def engine(self) -> str:
        return self.draft.engine if self.draft else PLAYBOOK


class Drafting:
    """Drafts replies with the model when one is configured, else with the offline playbook."""

    def __init__(self, model: LlmDrafter | None = None) -> None:
        self.model = model

    def suggest(self, text: str, *, variant: int = 0, context: Sequence[str] = ()) -> Suggestion:
        """`context`: the customer's earlier messages in the same thread, oldest first."""
        if self.model is None:
            return suggest(text, variant=variant, context=context)
        from bot.llm.client import ModelFailure
        from bot.llm.drafter import is_chitchat

        if is_chitchat(text):
            return suggest(text, variant=variant, context=context)
        try:
            result = self.model.draft(text, variant=variant, context=context)
        except ModelFailure as failure:
            log.warning("model drafting failed, offline drafter answers: %s", failure)
            return _fallback(suggest(text, variant=variant, context=context), str(failure))
        return Suggestion(result.triage, result.draft, result.findings)


def drafting_for(settings: Settings) -> Drafting:
    """The drafting engine the settings ask for."""
    if not settings.openai_api_key:
        return Drafting()
    from bot.llm.drafter import LlmDrafter

    return Drafting(LlmDrafter(settings))


def suggest(text: str, *, variant: int = 0, context: Sequence[str] = ()) -> Suggestion:
    """The offline suggestion: needs no key and no network, and is the fallback for every engine.
    `context`: the customer's earlier messages in the thread, oldest first."""
    reading = triage(text, context=context)
    if not reading.is_complaint:
        return Suggestion(reading)
    draft = compose(text, reading, variant=variant)
    return Suggestion(reading, draft, tuple(lint(draft.reply, reading.language)))


def _fallback(offline: Suggestion, reason: str) -> Suggestion:
    if offline.draft is None:
        return offline
    note = f"The model failed ({reason}); this is the offline playbook draft."
    return replace(offline, draft=replace(offline.draft, notes=(note, *offline.draft.notes)))
