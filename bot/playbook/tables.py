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

from bot.playbook.models import Category, Detail, Request

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
DEFAULT_LANGUAGE = "en"


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
    # Specific issues ("double-charge", "not-charging"…): each key is in common.toml `issues`
    # with its category, and in this table's `compose.issues` with its wording.
    issues: dict[str, Regex] = Field(default_factory=dict)
    requests: dict[Request, Regex] = Field(default_factory=dict)
    repeat: Regex = None  # "third time I'm writing"
    broken_promise: Regex = None  # "I was told it would ship in 48 hours"
    sarcasm: Regex = None
    question: Regex = None  # a plain how-to question: not a complaint on its own
    name: Regexes = ()  # each with a group `name`: how customers give their name
    deadline: Regexes = ()  # each with a group `deadline`: the customer's own deadline
    products: dict[str, Regex] = Field(default_factory=dict)  # our word → how they write it
    registers: dict[str, Regex] = Field(default_factory=dict)  # style → what reveals it


class Frame(_Strict):
    """The parts of a reply around its body that change with the register it answers in."""

    greeting: str  # with {name}
    greeting_anonymous: str
    opening: str = ""  # e.g. お世話になっております。 — with {agent}
    close: list[str] = Field(min_length=1)  # with {agent}


class IssueWords(_Strict):
    """How one issue is put into words. Each list holds alternatives: the first whose {slots}
    are all known is used (`variant` rotates among those), so a fact is named when we have it.
    Slots: {id} {amount} {duration} {product} {deadline}."""

    sorry: list[str] = Field(min_length=1)  # a first-person apology that restates the problem
    topic: list[str] = Field(min_length=1)  # a noun phrase, when it is a second problem
    step: list[str] = Field(min_length=1)  # what I do now, without a time (`plan` adds one)
    also: list[str] = Field(default_factory=list)  # its own line as a second problem


class ComposeTable(_Strict):
    sentence_joiner: str = " "  # "" for languages written without spaces (ja)
    name_placeholder: str  # for the update drafts of promises
    agent_placeholder: str
    frame: Frame
    registers: dict[str, Frame] = Field(default_factory=dict)
    repeat: list[str] = Field(min_length=1)
    broken_promise: list[str] = Field(min_length=1)
    angry: list[str] = Field(default_factory=list)  # optional line for anger ≥ 2
    plan: str = Field(pattern=r"\{step\}.*\{within\}|\{within\}.*\{step\}")
    also: str = Field(pattern=r"\{topic\}")
    within: dict[int, str]
    requests: dict[Request, str]
    issues: dict[str, IssueWords]
    ask: dict[Detail, str]
    signature: str  # for the update drafts of promises, with {agent}
    greeting: str  # for the update drafts of promises, with {name}


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
    needs: dict[Category, Detail]
    identifying: list[Detail]  # any one of these in the message identifies the case
    issues: dict[str, Category]  # every issue key and its category; categories are issues too
    plan_replacing: list[Request]  # requests whose sentence is the whole plan (cancel…)
    update_hours: dict[Category, tuple[int, int]]
    request_hours: dict[Request, int]
    notes: dict[str, str]


class TableError(RuntimeError):
    """A phrase table is malformed; the message names the file and the field."""


def _read(name: str) -> dict[str, object]:
    text = resources.files("bot.playbook").joinpath("languages", name).read_text("utf-8")
    return tomllib.loads(text)


def _check_complete(table: LanguageTable) -> None:
    issues = common().issues
    missing = [rule for rule in LINT_RULES if rule not in table.lint]
    missing += [f"compose.issues.{key}" for key in issues if key not in table.compose.issues]
    missing += [f"compose.within.{h}" for h in UPDATE_WINDOWS if h not in table.compose.within]
    missing += [
        f"compose.requests.{r}"
        for r in Request
        if r is not Request.NONE and r not in table.compose.requests
    ]
    missing += [f"compose.ask.{d}" for d in common().needs.values() if d not in table.compose.ask]
    unknown = [f"issues.{key}" for key in table.triage.issues if key not in issues]
    unknown += [f"compose.issues.{key}" for key in table.compose.issues if key not in issues]
    if missing:
        raise TableError(f"{table.code}.toml is missing: {', '.join(missing)}")
    if unknown:
        raise TableError(f"{table.code}.toml names issues common.toml lacks: {', '.join(unknown)}")


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


def language_or_default(code: str) -> LanguageTable:
    """The table for `code`, or English's for a language Heard has no table for."""
    table = language(code) or language(DEFAULT_LANGUAGE)
    if table is None:
        raise TableError(f"{DEFAULT_LANGUAGE}.toml is missing")
    return table


@cache
def supported_languages() -> tuple[str, ...]:
    folder = resources.files("bot.playbook").joinpath("languages")
    names = (entry.name for entry in folder.iterdir())
    return tuple(
        sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml") and n != "common.toml")
    )
