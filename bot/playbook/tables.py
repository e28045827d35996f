"""Load and validate the phrase tables in `languages/`, and compile their patterns once.

Each supported language is one TOML file with the same shape as `en.toml`; adding a language
means adding a file, not code. A malformed table fails loudly at load time, naming the file.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from bot.playbook.models import Category, Detail

LINT_RULES = (
    "non-apology",
    "understand-frustration",
    "but-after-apology",
    "high-volume-excuse",
    "vague-timeline",
    "impossible-promise",
    "unauthorized-compensation",
    "blame-customer",
    "impersonal-voice",
    "shouting",
)
UPDATE_WINDOWS = (1, 4, 24)


def _compile(patterns: object) -> object:
    """Join a list of regex sources into one case-insensitive alternation (None when empty)."""
    if isinstance(patterns, re.Pattern) or patterns is None:
        return patterns
    if not isinstance(patterns, list):
        raise TypeError("expected a list of regular expressions")
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _compile_each(patterns: object) -> object:
    """Compile each source on its own, so a scorer can count how many different patterns hit."""
    if not isinstance(patterns, list | tuple):
        raise TypeError("expected a list of regular expressions")
    return tuple(p if isinstance(p, re.Pattern) else re.compile(p, re.IGNORECASE) for p in patterns)


Regex = Annotated[re.Pattern[str] | None, BeforeValidator(_compile)]
Regexes = Annotated[tuple[re.Pattern[str], ...], BeforeValidator(_compile_each)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class LintRule(_Strict):
    instead: str
    patterns: Regex = None
    follow_up: Regex = None
    concrete_time: Regex = None
    we: Regex = None
    i: Regex = None


class TriageTable(_Strict):
    chitchat: Regex
    benign: Regex
    complaint: Regex
    weak: Regex
    anger2: Regex
    anger3: Regex
    calm: Regex
    duration: Regex
    categories: dict[Category, Regexes]
    details: dict[Detail, Regex]


class ComposeTable(_Strict):
    greeting: str
    sentence_joiner: str = " "  # "" for languages written without spaces (ja)
    name_placeholder: str
    agent_placeholder: str
    intro: list[str] = Field(min_length=1)
    quote: str
    facts: str
    priority: str
    escalate: str
    resolve_intro: str
    update: str
    ask_intro: str
    thanks: list[str] = Field(min_length=1)
    signature: str
    within: dict[int, str]
    hear: dict[Category, str]
    empathy: dict[Category, tuple[str, str]]
    apology: dict[Category, str]
    resolve: dict[Category, list[str]]
    ask: dict[Detail, str]


class UpdateTable(_Strict):
    """A status update on a promise (PLAYBOOK §2): what is known, what is being done, and when
    the next update comes (`next`, with compose.within). `command` wraps `/promise` text in a
    promise sentence so the promise tables can read its time."""

    opening: str
    known: str
    doing: str
    next: str = Field(pattern=r"\{within\}")
    command: str = Field(pattern=r"\{text\}")


class LanguageTable(_Strict):
    code: str
    name: str
    lint: dict[str, LintRule]
    triage: TriageTable
    compose: ComposeTable
    update: UpdateTable


class Script(_Strict):
    name: str
    ranges: list[tuple[int, int]]
    language: str
    weight: int


class Shouting(_Strict):
    acronyms: frozenset[str]
    long_word: int


class CommonTable(_Strict):
    scripts: list[Script]
    shouting: Shouting
    details: dict[Detail, Regex]
    needs: dict[Category, list[Detail]]
    update_hours: dict[Category, tuple[int, int]]
    notes: dict[str, str]


class TableError(RuntimeError):
    """A phrase table is malformed; the message names the file and the field."""


def _read(name: str) -> dict[str, object]:
    text = resources.files("bot.playbook").joinpath("languages", name).read_text("utf-8")
    return tomllib.loads(text)


def _check_complete(table: LanguageTable) -> None:
    missing = [rule for rule in LINT_RULES if rule not in table.lint]
    missing += [
        f"compose.{part}.{c}"
        for c in Category
        for part in ("hear", "apology", "resolve")
        if c not in getattr(table.compose, part)
    ]
    missing += [f"compose.empathy.{c}" for c in Category if c not in table.compose.empathy]
    missing += [f"compose.within.{h}" for h in UPDATE_WINDOWS if h not in table.compose.within]
    missing += [f"compose.ask.{d}" for d in Detail if d not in table.compose.ask]
    if missing:
        raise TableError(f"{table.code}.toml is missing: {', '.join(missing)}")


@cache
def common() -> CommonTable:
    try:
        return CommonTable.model_validate(_read("common.toml"))
    except (ValidationError, re.error, tomllib.TOMLDecodeError) as error:
        raise TableError(f"common.toml: {error}") from error


@cache
def language(code: str) -> LanguageTable | None:
    """The phrase table for an ISO 639-1 code, or None when Heard has none for that language."""
    if code not in supported_languages():
        return None
    try:
        table = LanguageTable.model_validate(_read(f"{code}.toml"))
    except (ValidationError, re.error, tomllib.TOMLDecodeError) as error:
        raise TableError(f"{code}.toml: {error}") from error
    _check_complete(table)
    return table


@cache
def supported_languages() -> tuple[str, ...]:
    folder = resources.files("bot.playbook").joinpath("languages")
    names = (entry.name for entry in folder.iterdir())
    return tuple(
        sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml") and n != "common.toml")
    )
