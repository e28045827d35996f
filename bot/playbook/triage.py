"""Reading a customer message (PLAYBOOK §4): complaint or not, how angry, about what, in which
language, and which details the agent still needs to ask for."""

from __future__ import annotations

import re

from bot.playbook import tables
from bot.playbook.language import detect
from bot.playbook.models import Category, Detail, Facts, Triage
from bot.playbook.text import CAPS_WORD, normalise, strip_noise

# Ties between categories go to the one listed first: the specific problem beats the mood.
_TIE_ORDER = (
    Category.OUTAGE,
    Category.BILLING,
    Category.DELIVERY,
    Category.DEFECT,
    Category.MISTAKE,
    Category.FEATURE_REQUEST,
    Category.DISCOUNT_REQUEST,
    Category.UNKNOWN_ANSWER,
    Category.CANCELLATION,
    Category.RUDE,
)
_MAX_ASKS = 2
_WEAK_NEEDED = 2
_FURIOUS_SIGNALS = 5
_EXCLAIMS = re.compile(r"!{2,}|\?!|!\?")


def triage(text: str, language: str | None = None) -> Triage:
    code = language or detect(text)
    table = tables.language(code) or tables.language("en")
    assert table is not None, "the English table always exists"
    rules = table.triage
    cleaned = strip_noise(normalise(text)).strip()
    if not cleaned or _matches(rules.chitchat, cleaned):
        return Triage(is_complaint=False, anger=0, category=Category.OTHER, language=code)
    scored = rules.benign.sub(" ", cleaned) if rules.benign else cleaned
    strong = _count(rules.complaint, scored)
    category = _category(rules.categories, scored)
    weak = _count(rules.weak, scored) + (category is not Category.OTHER)
    signals = _count(rules.anger2, scored) + _shouting(cleaned) + len(_EXCLAIMS.findall(cleaned))
    furious = _matches(rules.anger3, scored)
    if not (strong or weak >= _WEAK_NEEDED or furious or signals):
        return Triage(is_complaint=False, anger=0, category=Category.OTHER, language=code)
    return Triage(
        is_complaint=True,
        anger=_anger(signals, furious, calm=_matches(rules.calm, scored), strong=strong),
        category=category,
        language=code,
        missing=_missing(category, rules.details, cleaned),
        facts=_facts(rules.duration, cleaned),
    )


def _count(pattern: re.Pattern[str] | None, text: str) -> int:
    return 0 if pattern is None else sum(1 for _ in pattern.finditer(text))


def _matches(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _shouting(text: str) -> int:
    acronyms = tables.common().shouting.acronyms
    return sum(1 for w in CAPS_WORD.findall(text) if len(w) >= 3 and w not in acronyms)


def _anger(signals: int, furious: bool, *, calm: bool, strong: int) -> int:
    """0 calm question · 1 annoyed · 2 angry · 3 furious or threatening (PLAYBOOK §4)."""
    if furious or signals >= _FURIOUS_SIGNALS:
        return 3
    if signals:
        return 2
    return 0 if calm and strong <= 1 else 1


def _category(patterns: dict[Category, tuple[re.Pattern[str], ...]], text: str) -> Category:
    scores = {
        category: sum(_count(p, text) for p in patterns.get(category, ()))
        for category in _TIE_ORDER
    }
    best = max(_TIE_ORDER, key=lambda category: scores[category])
    return best if scores[best] else Category.OTHER


def _missing(
    category: Category, detectors: dict[Detail, re.Pattern[str] | None], text: str
) -> tuple[Detail, ...]:
    common = tables.common().details
    needed = tables.common().needs.get(category, [])
    missing = [
        detail
        for detail in needed
        if not (_matches(common.get(detail), text) or _matches(detectors.get(detail), text))
    ]
    return tuple(missing[:_MAX_ASKS])


def _facts(duration: re.Pattern[str] | None, text: str) -> Facts:
    details = tables.common().details

    def found(pattern: re.Pattern[str] | None, *, lower: bool = False) -> tuple[str, ...]:
        if pattern is None:
            return ()
        values = (" ".join(m.group().split()) for m in pattern.finditer(text))
        return tuple(dict.fromkeys(v.lower() if lower else v for v in values))[:3]

    return Facts(
        order_ids=found(details.get(Detail.ORDER_ID)),
        amounts=found(details.get(Detail.AMOUNT)),
        durations=found(duration, lower=True),  # “5 DAYS” must not shout back
    )
