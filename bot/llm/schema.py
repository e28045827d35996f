"""The structured answer the model must give: triage and draft in one object.

The SDK turns this model into a strict JSON schema for the request and parses the answer back
into it. Field names follow `draft --json`; `reply` comes in parts, each tagged with the playbook
step it serves, so the card can explain the draft. Enums are the domain's own, so a value outside
the playbook fails parsing instead of reaching a card.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.playbook.models import Category, Detail, Step


class ReplyPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: Step = Field(description="The playbook step this part of the reply serves.")
    text: str = Field(description="This part of the reply, in the customer's language.")


class ModelDraft(BaseModel):
    """What the model answers for one complaint."""

    model_config = ConfigDict(extra="forbid")

    is_complaint: bool
    anger: Literal[0, 1, 2, 3] = Field(description="0 calm, 1 annoyed, 2 angry, 3 furious.")
    category: Category
    language: str = Field(description="ISO 639-1 code of the customer's language, e.g. en, ja.")
    missing: list[Detail] = Field(description="Details the agent must ask for; at most two.")
    reply: list[ReplyPart] = Field(
        description="The reply in playbook order; empty if no complaint."
    )
    note_to_agent: str | None = Field(description="Internal note for the agent, never sent.")
