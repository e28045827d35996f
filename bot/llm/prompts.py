"""Prompt files from `prompts/`, filled in with `string.Template` (`$name`).

The text lives in plain files so the team can edit wording without touching code. All files are
read and checked once at start-up: a missing file or an unknown `$placeholder` stops the program
there, not in the middle of a complaint.

Message order is what makes the provider's prompt cache work: the system message (playbook, then
the team's settings) is identical for every complaint, and everything that varies comes last.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.config import ConfigError, Settings

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "prompts"
_FILES = (
    "system",
    "team",
    "compensation-none",
    "compensation-suggest",
    "compensation-allow",
    "complaint",
    "history",
    "earlier",
    "variant",
    "repair",
)
_AGENT_PLACEHOLDER = "[agent name]"
_SIGNATURE_PLACEHOLDER = "the agent's usual sign-off"


class PromptError(ConfigError):
    """A prompt file is missing or has a placeholder the code doesn't fill: a configuration
    mistake (HEARD_PROMPTS_DIR or an edited file), shown as one line like any other."""


def _read(folder: Path) -> dict[str, Template]:
    templates: dict[str, Template] = {}
    for name in _FILES:
        path = folder / f"{name}.txt"
        try:
            templates[name] = Template(path.read_text("utf-8"))
        except OSError as error:
            raise PromptError(f"prompt file {path}: {error.strerror}") from None
    return templates


def _fill(template: Template, name: str, **values: object) -> str:
    try:
        return template.substitute(**values)
    except (KeyError, ValueError) as error:
        raise PromptError(f"prompts/{name}.txt: unknown or malformed placeholder {error}") from None


@dataclass(frozen=True, slots=True)
class Prompts:
    """The team's system prompt (built once) and the per-complaint templates."""

    system: str
    templates: dict[str, Template]

    @classmethod
    def load(cls, settings: Settings) -> Prompts:
        folder = Path(settings.heard_prompts_dir) if settings.heard_prompts_dir else DEFAULT_DIR
        templates = _read(folder)
        policy = settings.heard_compensation_policy
        team = _fill(
            templates["team"],
            "team",
            product_name=settings.heard_product_name,
            agent_name=settings.heard_agent_name or f"not set: write {_AGENT_PLACEHOLDER}",
            signature=settings.heard_agent_signature or _SIGNATURE_PLACEHOLDER,
            business_hours=settings.heard_business_hours,
            followup_hours=settings.heard_followup_hours,
            compensation=templates[f"compensation-{policy}"].template.strip(),
        )
        prompts = cls(
            system=templates["system"].template.rstrip() + "\n\n" + team, templates=templates
        )
        prompts.complaint("check", ("check",), variant=1)  # every template fills, or fail now
        prompts.repair(["check"])
        return prompts

    def complaint(self, message: str, history: tuple[str, ...] = (), *, variant: int = 0) -> str:
        """The per-complaint user message; each element gets its own unguessable id, so text
        inside it can't forge the closing tag."""
        earlier = "".join(
            _fill(self.templates["earlier"], "earlier", nonce=_nonce(), message=text)
            for text in history
        )
        again = variant + 1
        return _fill(
            self.templates["complaint"],
            "complaint",
            history=_fill(self.templates["history"], "history", messages=earlier)
            if earlier
            else "",
            nonce=_nonce(),
            message=message,
            variant=_fill(self.templates["variant"], "variant", variant=again) if variant else "",
        )

    def repair(self, findings: list[str]) -> str:
        lines = "\n".join(f"- {finding}" for finding in findings)
        return _fill(self.templates["repair"], "repair", findings=lines)


def _nonce() -> str:
    return secrets.token_hex(6)
