"""The tone linter: finds the phrases that make angry customers angrier (PLAYBOOK §3).

Each finding names the rule, quotes the offending excerpt and says what to write instead. The
phrases live in the language tables; only the rules that count rather than match (impersonal
voice, shouting) have code of their own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from bot.playbook import tables
from bot.playbook.language import detect
from bot.playbook.models import Finding
from bot.playbook.text import CAPS_WORD, MIXED_CASE_WORD, normalise, sentences, strip_noise

WHY = {
    "non-apology": "Non-apology: it regrets the customer's feelings or “any inconvenience” "
    "instead of owning the problem.",
    "understand-frustration": "Stock phrase: “I understand your frustration” signals an "
    "agreement it doesn't give.",
    "but-after-apology": "“But/however” right after an apology cancels it.",
    "high-volume-excuse": "The “high volume” excuse is one of the most annoying phrases in "
    "customer service.",
    "vague-timeline": "A follow-up without a time: the customer can't tell when to expect it.",
    "impossible-promise": "A guarantee the team can't be sure to keep.",
    "unauthorized-compensation": "Promises money or a freebie; that is the team's decision.",
    "blame-customer": "Puts the fault on the customer or tells them how to feel.",
    "impersonal-voice": "Only “we/our team”, no “I”: reads as a faceless corporate shield.",
    "shouting": "ALL-CAPS words or wild punctuation read as shouting.",
}
_EXCERPT_MAX = 120
_WILD_PUNCTUATION = re.compile(r"[!?]*![!?]*!+|\?!|!\?")
_MIN_WE_FOR_IMPERSONAL = 2
_MIN_CASE_SWITCHES = 4


def lint(text: str, language: str | None = None) -> list[Finding]:
    """Findings for `text`, in the order they occur; `language` is detected when not given."""
    code = language or detect(text)
    table = tables.language_or_default(code)
    normalised = normalise(text)
    found: dict[tuple[str, str], Finding] = {}
    for rule_id, rule in table.lint.items():
        for excerpt in _matches(rule_id, rule, normalised):
            finding = Finding(rule_id, excerpt, f"{WHY[rule_id]} Instead: {rule.instead}")
            found.setdefault((rule_id, excerpt.lower()), finding)
    return list(found.values())


def _matches(rule_id: str, rule: tables.LintRule, text: str) -> Iterator[str]:
    if rule.patterns is not None:
        for match in rule.patterns.finditer(text):
            yield _excerpt(match.group())
    if rule.follow_up is not None:
        yield from _untimed_follow_ups(rule, text)
    if rule_id == "impersonal-voice":
        yield from _impersonal(rule, text)
    elif rule_id == "shouting":
        yield from _shouting(text)


def _untimed_follow_ups(rule: tables.LintRule, text: str) -> Iterator[str]:
    assert rule.follow_up is not None
    for sentence in sentences(text):
        if rule.patterns is not None and rule.patterns.search(sentence):
            continue  # its vague word is already reported
        match = rule.follow_up.search(sentence)
        if match and (rule.concrete_time is None or not rule.concrete_time.search(sentence)):
            yield _excerpt(sentence)


def _impersonal(rule: tables.LintRule, text: str) -> Iterator[str]:
    if rule.we is None or rule.i is None:
        return
    plural = list(rule.we.finditer(text))
    if len(plural) >= _MIN_WE_FOR_IMPERSONAL and rule.i.search(text) is None:
        first = plural[0]
        yield _excerpt(first.group())


def _shouting(text: str) -> Iterator[str]:
    shouting = tables.common().shouting
    text = strip_noise(text)  # link codes and @handles are not words anyone shouts
    loud = [w for w in CAPS_WORD.findall(text) if len(w) >= 3 and w not in shouting.acronyms]
    long_words = [w for w in loud if len(w) >= shouting.long_word]
    if long_words or len(loud) >= 2:
        yield (long_words or loud)[0]
    for word in MIXED_CASE_WORD.findall(text):
        switches = sum(a.isupper() != b.isupper() for a, b in itertools.pairwise(word))
        if switches >= _MIN_CASE_SWITCHES:
            yield word
    for punctuation in _WILD_PUNCTUATION.finditer(text):
        yield punctuation.group()


def _excerpt(span: str) -> str:
    excerpt = " ".join(span.split())
    return excerpt if len(excerpt) <= _EXCERPT_MAX else excerpt[: _EXCERPT_MAX - 1] + "…"
