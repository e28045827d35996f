"""The model drafter: one structured call per complaint, checked, and repaired once.

Customer text is masked (redaction), cut to budget, defused (`guard.neutralise`) and delimited
before it leaves the process. The answer maps onto the playbook's own types, is linted with the
playbook linter plus the prompt-leak and injection checks, and problems trigger one repair
request that replays the conversation, so the cached prefix is reused. Whatever still fails is
returned with its findings for the agent to see. A failed call raises `ModelFailure`; choosing
the offline drafter then is the caller's job (services.drafting).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from openai.types.chat import ChatCompletionMessageParam

from bot.config import Settings
from bot.llm import guard
from bot.llm.budget import cut, recent
from bot.llm.client import Answer, ModelClient, ModelFailure
from bot.llm.prompts import Prompts
from bot.llm.redact import Redactor
from bot.llm.schema import ModelDraft
from bot.playbook import tables
from bot.playbook.language import UNDETERMINED, detect
from bot.playbook.lint import lint
from bot.playbook.models import Draft, Finding, Section, Triage
from bot.playbook.text import normalise, strip_noise
from bot.playbook.triage import triage

ENGINE = "openai"
COMPENSATION = "unauthorized-compensation"
_MAX_ASKS = 2
_ISO_639_1 = re.compile(r"[a-z]{2}")
log = logging.getLogger(__name__)


def is_chitchat(text: str) -> bool:
    """The cheap offline pre-filter: greetings, thanks and "ok" never reach the model."""
    cleaned = strip_noise(normalise(text)).strip()
    code = detect(text)
    if not cleaned or code == UNDETERMINED:
        return True
    chitchat = tables.language_or_default(code).triage.chitchat
    return chitchat is not None and chitchat.search(cleaned) is not None


@dataclass(frozen=True, slots=True)
class ModelSuggestion:
    triage: Triage
    draft: Draft | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class _Checked:
    draft: Draft
    problems: tuple[Finding, ...]  # what a repair should fix
    offers: tuple[Finding, ...]  # compensation the team's policy allows


class LlmDrafter:
    """Drafts with the model; safe to share between threads."""

    def __init__(self, settings: Settings) -> None:
        self.client = ModelClient(settings)
        self.prompts = Prompts.load(settings)
        self._redact = settings.heard_redact
        self._allow_compensation = settings.heard_compensation_policy == "allow"
        self._message_tokens = settings.heard_openai_message_tokens
        self._context_tokens = settings.heard_openai_context_tokens

    def draft(self, text: str, *, variant: int = 0, context: Sequence[str] = ()) -> ModelSuggestion:
        redactor = Redactor(enabled=self._redact)
        message = guard.neutralise(cut(redactor.mask(text), self._message_tokens))
        earlier = recent(
            [redactor.mask(m) for m in context], self._context_tokens, self._message_tokens
        )
        history = tuple(guard.neutralise(m) for m in earlier)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": self.prompts.system},
            {"role": "user", "content": self.prompts.complaint(message, history, variant=variant)},
        ]
        answer = self.client.ask(messages)
        reading = self._triage(answer.draft, text)
        if not reading.is_complaint:
            return ModelSuggestion(reading, None, tuple(guard.injection_findings(text)))
        checked = self._check(self._to_draft(answer.draft, reading.language, redactor), text)
        if checked.problems:
            checked = self._repair(messages, answer, checked, redactor, text, reading.language)
        notes = list(checked.draft.notes)
        if checked.offers:
            excerpts = "; ".join(f"“{f.excerpt}”" for f in checked.offers)
            notes.append(
                f"The draft offers compensation, which your team's policy allows: {excerpts}. "
                "Check the offer before sending."
            )
        if checked.problems:
            notes.append(
                "The draft still has problems after one automatic repair: fix the findings "
                "below before sending."
            )
        draft = replace(checked.draft, notes=tuple(notes))
        injected = guard.injection_findings(text)
        return ModelSuggestion(reading, draft, (*checked.problems, *injected))

    def _triage(self, answer: ModelDraft, text: str) -> Triage:
        """The model's reading where it gives one; the offline reading's facts, problems,
        request and name, which the card shows, otherwise."""
        offline = triage(text)
        language = answer.language.strip().lower()
        return replace(
            offline,
            is_complaint=answer.is_complaint,
            anger=answer.anger,
            category=answer.category,
            language=language if _ISO_639_1.fullmatch(language) else offline.language,
            missing=tuple(dict.fromkeys(answer.missing))[:_MAX_ASKS],
        )

    def _to_draft(self, answer: ModelDraft, language: str, redactor: Redactor) -> Draft:
        sections = tuple(
            Section(part.step, redactor.restore(part.text).strip())
            for part in answer.reply
            if part.text.strip()
        )
        if not sections:
            raise ModelFailure("it called the message a complaint but wrote no reply")
        note = redactor.restore(answer.note_to_agent or "").strip()
        return Draft(sections, language, ENGINE, (note,) if note else ())

    def _check(self, draft: Draft, text: str) -> _Checked:
        findings = lint(draft.reply, draft.language)
        offers = tuple(f for f in findings if self._allow_compensation and f.rule == COMPENSATION)
        leaks = guard.draft_findings(
            draft.reply, system_prompt=self.prompts.system, customer_text=text
        )
        problems = tuple(f for f in findings if f not in offers) + tuple(leaks)
        return _Checked(draft, problems, offers)

    def _repair(
        self,
        messages: list[ChatCompletionMessageParam],
        first: Answer,
        checked: _Checked,
        redactor: Redactor,
        text: str,
        language: str,
    ) -> _Checked:
        """One more request with the findings; the better of the two drafts wins."""
        findings = [
            f"{f.rule}: “{redactor.mask(f.excerpt)}” — {f.message}" for f in checked.problems
        ]
        request: list[ChatCompletionMessageParam] = [
            *messages,
            {"role": "assistant", "content": first.raw},
            {"role": "user", "content": self.prompts.repair(findings)},
        ]
        try:
            answer = self.client.ask(request)
            if not answer.draft.is_complaint:
                raise ModelFailure("it no longer called the message a complaint")
            repaired = self._check(self._to_draft(answer.draft, language, redactor), text)
        except ModelFailure as failure:
            log.warning("repair request failed: %s", failure)
            return checked
        log.info(
            "repair: %d findings before, %d after", len(checked.problems), len(repaired.problems)
        )
        return repaired if len(repaired.problems) <= len(checked.problems) else checked
