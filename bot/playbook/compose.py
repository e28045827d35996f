"""The offline drafter: a reply in the customer's language, in the agent's own words.

A short reply a skilled agent would send (PLAYBOOK §1–2): the greeting (by name when the customer
gave it), a first-person apology that restates the main problem with the customer's own facts,
the other problems named too, an acknowledgement when they are chasing us or we broke a promise,
the answer to what they asked for, the next step with a real time, one question only when
something needed is missing, and a sign-off. Nothing of the customer's text is quoted back but
facts (order numbers, amounts, durations, their deadline). Compensation is never promised: ideas
for the agent go into `notes`. `variant` gives “Regenerate” another wording.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from bot.playbook import tables
from bot.playbook.models import Category, Draft, Facts, Problem, Request, Section, Step, Triage

ENGINE = "playbook"
_FIELDS = string.Formatter()


def compose(
    text: str,
    triage: Triage,
    *,
    variant: int = 0,
    customer_name: str | None = None,
    agent_name: str | None = None,
) -> Draft:
    del text  # the reply is built from the reading, never from the customer's sentences
    common = tables.common()
    notes: list[str] = []
    table = tables.language(triage.language)
    if table is None:
        notes.append(common.notes["untranslated"])
    table = table or tables.language_or_default(triage.language)
    words = table.compose
    join = words.sentence_joiner.join
    frame = words.registers.get(triage.register, words.frame)
    slots = _slots(triage.facts, agent=agent_name or words.agent_placeholder)
    problems = triage.problems or (Problem(triage.category, str(triage.category)),)
    main = words.issues[problems[0].issue]

    name = customer_name or triage.customer_name
    greeting = (
        frame.greeting.format(name=name, first=name.split()[0])
        if name
        else frame.greeting_anonymous
    )
    opening = [frame.opening.format(**slots)] if frame.opening else []
    sections = [Section(Step.HEAR, "\n\n".join([greeting, *opening]))]

    owning = [_fill(main.sorry, slots, variant)]
    if triage.broken_promise:
        owning.append(_pick(words.broken_promise, variant))
    elif triage.repeat:
        owning.append(_pick(words.repeat, variant))
    owning += [
        _also(words, words.issues[p.issue], slots, variant)
        for p in problems[1:]
        if not (p.category is Category.CANCELLATION and triage.request is Request.CANCEL)
    ]
    sections.append(Section(Step.APOLOGISE, join(owning)))

    request = _answered(triage)
    hours = common.request_hours.get(
        request, common.update_hours[problems[0].category][int(triage.anger >= 2)]
    )
    within = words.within[hours]
    said = words.requests.get(request, "").format(within=within, **slots)
    plan: list[str] = []
    if request in common.plan_replacing:
        plan.append(said)
    else:
        step = _fill(main.step, slots, variant)
        plan.append(words.plan.format(step=step, within=within))
        if said:
            plan.append(said)
        if triage.facts.deadline and request is not Request.DEADLINE:
            plan.append(words.requests[Request.DEADLINE].format(**slots))
    if triage.anger >= 2 and words.angry and not (triage.repeat or triage.broken_promise):
        plan.append(_pick(words.angry, variant))
    sections.append(Section(Step.RESOLVE, join(plan)))

    if triage.missing:
        sections.append(Section(Step.ASK, join(words.ask[d] for d in triage.missing)))
    sections.append(Section(Step.THANK, _pick(frame.close, variant).format(**slots)))

    notes += [common.notes[p.category] for p in problems if p.category in common.notes]
    if triage.anger >= 2:
        notes.append(common.notes["angry"])
    return Draft(tuple(sections), language=triage.language, engine=ENGINE, notes=tuple(notes))


def _also(
    words: tables.ComposeTable, issue: tables.IssueWords, slots: Mapping[str, str], variant: int
) -> str:
    """A second problem: the issue's own line, or the table's `also` around its topic."""
    if issue.also:
        return _fill(issue.also, slots, variant)
    return words.also.format(topic=_fill(issue.topic, slots, variant))


def _answered(triage: Triage) -> Request:
    """The request the reply answers in its own sentence. “Is it down?” is answered as such
    only for an outage; for an order, the plan itself says what is going on and when."""
    main = triage.problems[0].category if triage.problems else triage.category
    if triage.request is Request.STATUS and main is not Category.OUTAGE:
        return Request.NONE
    if triage.request is Request.DEADLINE and not triage.facts.deadline:
        return Request.NONE
    return triage.request


def _slots(facts: Facts, *, agent: str) -> dict[str, str]:
    """What a phrase may name; an unknown fact is an empty string, so its phrase is skipped."""
    return {
        "id": facts.order_ids[0] if facts.order_ids else "",
        "amount": facts.amounts[0] if facts.amounts else "",
        "duration": facts.durations[0] if facts.durations else "",
        "product": facts.product,
        "deadline": facts.deadline,
        "agent": agent,
    }


def _fill(options: Sequence[str], slots: Mapping[str, str], variant: int) -> str:
    """The alternatives whose slots are all known; `variant` picks among those."""
    usable = [option for option in options if all(slots.get(f) for f in _fields(option))]
    if not usable:  # tables end each list with a slot-free option; stay safe if one doesn't
        usable = [options[-1]]
    return usable[variant % len(usable)].format(**slots)


def _fields(template: str) -> list[str]:
    return [field for _, field, _, _ in _FIELDS.parse(template) if field]


def _pick(options: Sequence[str], variant: int) -> str:
    return options[variant % len(options)]
