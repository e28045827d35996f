"""Reading a customer message (PLAYBOOK §4): complaint or not, how angry, which problems (up to
three, the main one first), what the customer asks for, whether they are chasing us, their name,
and which details the agent still needs to ask for.

Rules, not a trained model: every decision traces to a pattern in the language's table, so a
support lead can see why a message was read the way it was and fix it in one line of data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.playbook import tables
from bot.playbook.language import detect
from bot.playbook.models import Category, Detail, Facts, Problem, Request, Triage
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
_MAX_PROBLEMS = 3
_WEAK_NEEDED = 2
_FURIOUS_SIGNALS = 5
_EXCLAIMS = re.compile(r"!{2,}|\?!|!\?")


def triage(text: str, language: str | None = None, context: Sequence[str] = ()) -> Triage:
    """`context`: the customer's earlier messages in the same thread, oldest first."""
    code = language or detect(text)
    table = tables.language_or_default(code)
    rules = table.triage
    cleaned = strip_noise(normalise(text)).strip()
    quiet = Triage(is_complaint=False, anger=0, category=Category.OTHER, language=code)
    if not cleaned or _matches(rules.chitchat, cleaned):
        return quiet
    scored = rules.benign.sub(" ", cleaned) if rules.benign else cleaned
    problems = _problems(rules, scored)
    request = _request(rules, scored)
    strong = _count(rules.complaint, scored)
    fallback = _category(rules.categories, scored)
    signals = _count(rules.anger2, scored) + _shouting(cleaned) + len(_EXCLAIMS.findall(cleaned))
    furious = _matches(rules.anger3, scored)
    weak = _count(rules.weak, scored) + (fallback is not Category.OTHER)
    question = _matches(rules.question, cleaned)
    if not problems and request in (Request.NONE, Request.CALLBACK):
        if question and not (strong or furious or signals):
            return quiet  # a how-to question is answered, not apologised for
        if not (strong or weak >= _WEAK_NEEDED or furious or signals):
            return quiet
    if not problems:
        problems = [Problem(fallback, str(fallback))]
    if request is Request.CANCEL and all(p.category is not Category.CANCELLATION for p in problems):
        problems.append(Problem(Category.CANCELLATION, str(Category.CANCELLATION)))
    problems = problems[:_MAX_PROBLEMS]
    repeat = _matches(rules.repeat, scored) or _chasing(context, code)
    broken = _matches(rules.broken_promise, scored)
    anger = _anger(signals, furious, calm=_matches(rules.calm, scored), strong=strong)
    if repeat or broken:
        anger = max(anger, 2)
    facts = _facts(rules, cleaned, exact=strip_noise(html.unescape(text)))
    return Triage(
        is_complaint=True,
        anger=anger,
        category=problems[0].category,
        language=code,
        missing=_missing(problems[0].category, rules.details, cleaned),
        facts=facts,
        problems=tuple(problems),
        request=request,
        repeat=repeat,
        broken_promise=broken,
        customer_name=_group(rules.name, text, "name"),
        register=next((r for r, p in rules.registers.items() if p and p.search(cleaned)), ""),
        sarcastic=_matches(rules.sarcasm, cleaned),
    )


def _problems(rules: tables.TriageTable, text: str) -> list[Problem]:
    """Every recognised issue, in the order the customer raised them; one per category."""
    categories = tables.common().issues
    found: dict[Category, tuple[int, str]] = {}
    for issue, pattern in rules.issues.items():
        match = pattern.search(text) if pattern else None
        if match is None:
            continue
        category = categories[issue]
        if category not in found or match.start() < found[category][0]:
            found[category] = (match.start(), issue)
    ordered = sorted(found.items(), key=lambda item: item[1][0])
    return [Problem(category, issue) for category, (_, issue) in ordered]


def _request(rules: tables.TriageTable, text: str) -> Request:
    """A cancellation wins (it changes the whole reply); otherwise the first thing asked for."""
    found: list[tuple[int, Request]] = []
    for request, pattern in rules.requests.items():
        match = pattern.search(text) if pattern else None
        if match:
            found.append((-1 if request is Request.CANCEL else match.start(), request))
    return min(found)[1] if found else Request.NONE


def _chasing(context: Sequence[str], language: str) -> bool:
    """Earlier complaints from the same customer in this thread make this message a repeat."""
    return any(triage(earlier, language).is_complaint for earlier in context)


def _count(pattern: re.Pattern[str] | None, text: str) -> int:
    return 0 if pattern is None else sum(1 for _ in pattern.finditer(text))


def _matches(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _group(patterns: Sequence[re.Pattern[str]], text: str, name: str) -> str:
    """The named group of the first pattern that matches, spaces folded."""
    for pattern in patterns:
        match = pattern.search(text)
        if match and match.group(name):
            return " ".join(match.group(name).split())
    return ""


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
    """At most one ask, and only when the message identifies nothing the agent could look up."""
    common = tables.common()
    needed = common.needs.get(category)
    if needed is None:
        return ()
    identified = any(
        _matches(common.details.get(d), text) or _matches(detectors.get(d), text)
        for d in (needed, *common.identifying)
    )
    return () if identified else (needed,)


def _facts(rules: tables.TriageTable, text: str, *, exact: str) -> Facts:
    """Ids and amounts as the customer wrote them (`exact`: no NFKC, which turns № into "No");
    the rest from the normalised `text` the tables' patterns are written for."""
    details = tables.common().details

    def found(
        pattern: re.Pattern[str] | None, source: str = text, *, lower: bool = False
    ) -> tuple[str, ...]:
        if pattern is None:
            return ()
        values = (" ".join(m.group().split()) for m in pattern.finditer(source))
        return tuple(dict.fromkeys(v.lower() if lower else v for v in values))[:3]

    product = next((word for word, p in rules.products.items() if p and p.search(text)), "")
    return Facts(
        order_ids=found(details.get(Detail.ORDER_ID), exact),
        amounts=found(details.get(Detail.AMOUNT), exact),
        durations=found(rules.duration, lower=True),  # “5 DAYS” must not shout back
        product=product,
        deadline=_group(rules.deadline, text, "deadline"),
    )
