"""Load, validate and compile the promise tables in `languages/`.

Each language is one TOML file with the same shape as `en.toml`: the phrases that commit the
author to a follow-up, and the words that say when. Adding a language means adding a file, not
code. Patterns may use `{name}` placeholders: the file's own `[define]` entries, and in deadline
patterns `{n}` (a number, digits or words, optionally a range) and `{unit}` (a time unit). A
malformed table fails loudly at load time, naming the file and the pattern.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import time
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Unit = Literal["bday", "week", "day", "hour", "minute"]
# Longest first, so "business days" is read as one unit before "days" is tried.
UNITS: tuple[Unit, ...] = ("bday", "week", "day", "hour", "minute")
_FLAGS = re.IGNORECASE
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Offset(_Strict):
    offset: int = Field(ge=0, le=14)
    pattern: str


class Part(_Strict):
    """A named time of day ("tonight", 「午前中」); `clock` ones roll to tomorrow like a time."""

    at: time
    pattern: str
    clock: bool = False


class PromiseRules(_Strict):
    triggers: list[str] = Field(min_length=1)
    question: list[str] = Field(min_length=1)
    foreign: list[str] = Field(min_length=1)
    clause_break: str


class DeadlineRules(_Strict):
    numbers: dict[str, float]
    range: str
    units: dict[Unit, str]
    relative: list[str] = Field(min_length=1)
    clock: list[str] = Field(min_length=1)
    eod: list[str] = Field(min_length=1)
    vague: list[str] = Field(min_length=1)
    weekdays: list[str] = Field(min_length=7, max_length=7)
    day: list[Offset] = Field(min_length=1)
    week: list[Offset] = Field(min_length=1)
    part: list[Part] = Field(default_factory=list)


class LanguageTable(_Strict):
    code: str
    name: str
    define: dict[str, str] = Field(default_factory=dict)
    promise: PromiseRules
    deadline: DeadlineRules


class Calendar(_Strict):
    """Language-neutral working-time policy (common.toml)."""

    end_of_business: time
    end_of_day: time
    business_days: frozenset[int] = Field(min_length=1)
    bare_segment_letters: int = Field(ge=0)


class TableError(RuntimeError):
    """A promise table is malformed; the message names the file and the pattern."""


@dataclass(frozen=True)
class Tagged:
    """A compiled pattern with the value it stands for (day offset, weekday, time of day…)."""

    regex: re.Pattern[str]
    value: int | Part | None = None


@dataclass(frozen=True)
class Grammar:
    """A language table compiled for matching: one alternation for triggers, lists elsewhere."""

    code: str
    triggers: re.Pattern[str]
    question: re.Pattern[str]
    foreign: re.Pattern[str]
    clause_break: re.Pattern[str]
    numbers: dict[str, float]
    eod: tuple[Tagged, ...]
    week: tuple[Tagged, ...]
    relative: tuple[Tagged, ...]
    clock: tuple[Tagged, ...]
    part: tuple[Tagged, ...]
    day: tuple[Tagged, ...]
    weekday: tuple[Tagged, ...]
    vague: tuple[Tagged, ...]


def _read(name: str) -> dict[str, object]:
    text = resources.files("bot.promises").joinpath("languages", name).read_text("utf-8")
    return tomllib.loads(text)


class _Compiler:
    """Expands placeholders and compiles, so every error names the offending pattern."""

    def __init__(self, table: LanguageTable) -> None:
        self.table = table
        rules = table.deadline
        words = sorted(rules.numbers, key=len, reverse=True)
        number = "|".join([r"\d{1,4}(?:[.,]\d+)?", *(re.escape(w) for w in words)])
        self.builtins = {
            "n": rf"(?:(?:{number})\s*(?:{rules.range})\s*)?(?P<n>{number})",
            "unit": "(?:" + "|".join(f"(?P<u_{u}>{rules.units[u]})" for u in UNITS) + ")",
        }

    def expand(self, source: str, *, deadline: bool = False) -> str:
        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if deadline and name in self.builtins:
                return self.builtins[name]
            if name in self.table.define:
                return f"(?:{self.table.define[name]})"
            raise TableError(
                f"{self.table.code}.toml: unknown placeholder {{{name}}} in {source!r}"
            )

        return _PLACEHOLDER.sub(substitute, source)

    def one(self, source: str, *, deadline: bool = False) -> re.Pattern[str]:
        try:
            return re.compile(self.expand(source, deadline=deadline), _FLAGS)
        except re.error as error:
            raise TableError(f"{self.table.code}.toml: {error} in {source!r}") from error

    def alternation(self, sources: list[str]) -> re.Pattern[str]:
        return self.one("|".join(f"(?:{s})" for s in sources))

    def tagged(
        self, sources: list[str], values: list[int | Part | None] | None = None
    ) -> tuple[Tagged, ...]:
        tags = values if values is not None else [None] * len(sources)
        return tuple(
            Tagged(self.one(s, deadline=True), v) for s, v in zip(sources, tags, strict=True)
        )


def _require_groups(code: str, kind: str, patterns: tuple[Tagged, ...], needed: str) -> None:
    for tagged in patterns:
        names = tagged.regex.groupindex
        if not any(name == needed or name.startswith(needed) for name in names):
            raise TableError(
                f"{code}.toml: {kind} pattern {tagged.regex.pattern!r} has no {needed}"
            )


def _compile(table: LanguageTable) -> Grammar:
    c = _Compiler(table)
    rules = table.deadline
    grammar = Grammar(
        code=table.code,
        triggers=c.alternation(table.promise.triggers),
        question=c.alternation(table.promise.question),
        foreign=c.alternation(table.promise.foreign),
        clause_break=c.one(table.promise.clause_break),
        numbers={word.lower(): value for word, value in rules.numbers.items()},
        eod=c.tagged(rules.eod),
        week=c.tagged([o.pattern for o in rules.week], [o.offset for o in rules.week]),
        relative=c.tagged(rules.relative),
        clock=c.tagged(rules.clock),
        part=c.tagged([p.pattern for p in rules.part], list(rules.part)),
        day=c.tagged([o.pattern for o in rules.day], [o.offset for o in rules.day]),
        weekday=c.tagged(rules.weekdays, list(range(7))),
        vague=c.tagged(rules.vague),
    )
    _require_groups(table.code, "relative", grammar.relative, "u_")
    _require_groups(table.code, "clock", grammar.clock, "hour")
    return grammar


@cache
def calendar() -> Calendar:
    try:
        return Calendar.model_validate(_read("common.toml"))
    except (ValidationError, tomllib.TOMLDecodeError) as error:
        raise TableError(f"common.toml: {error}") from error


@cache
def grammar(code: str) -> Grammar | None:
    """The compiled table for an ISO 639-1 code, or None when Heard has none for it."""
    if code not in supported_languages():
        return None
    try:
        table = LanguageTable.model_validate(_read(f"{code}.toml"))
    except (ValidationError, tomllib.TOMLDecodeError) as error:
        raise TableError(f"{code}.toml: {error}") from error
    if table.code != code:
        raise TableError(f"{code}.toml: code is {table.code!r}")
    return _compile(table)


@cache
def supported_languages() -> tuple[str, ...]:
    folder = resources.files("bot.promises").joinpath("languages")
    names = (entry.name for entry in folder.iterdir())
    return tuple(
        sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml") and n != "common.toml")
    )
