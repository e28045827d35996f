"""The offline drafter: a reply in the customer's language that follows PLAYBOOK §1–2.

Hear (restate with the customer's own details) → empathise → apologise in the first person →
resolve with numbered steps and a real time for the next update → ask for what is missing, and
why → thank. Category and anger choose the wording; `variant` gives “Regenerate” another take.
Compensation is never promised: ideas for the agent go into `notes`.
"""

from __future__ import annotations

from bot.playbook import tables
from bot.playbook.lint import lint
from bot.playbook.models import Draft, Facts, Section, Step, Triage
from bot.playbook.text import normalise, sentences, strip_noise

ENGINE = "playbook"
_QUOTE_MIN_CHARS = 4
_QUOTE_MAX_CHARS = 160


def compose(
    text: str,
    triage: Triage,
    *,
    variant: int = 0,
    customer_name: str | None = None,
    agent_name: str | None = None,
) -> Draft:
    common = tables.common()
    notes: list[str] = []
    table = tables.language(triage.language)
    if table is None:
        table = tables.language("en")
        notes.append(common.notes["untranslated"])
    assert table is not None, "the English table always exists"
    phrases = table.compose
    angry = triage.anger >= 2
    names = {
        "name": customer_name or phrases.name_placeholder,
        "agent": agent_name or phrases.agent_placeholder,
    }

    def say(template: str, **values: str) -> str:
        return template.format(**names, **values)

    hear = [
        say(phrases.greeting),
        say(_pick(phrases.intro, variant)),
        phrases.hear[triage.category],
    ]
    join = phrases.sentence_joiner.join
    sections = [Section(Step.HEAR, hear[0] + "\n" + join(hear[1:]))]
    quote = _quote(text, table.code)
    if quote:
        sections.append(Section(Step.HEAR, say(phrases.quote, quote=quote)))
    facts = _facts_line(triage.facts)
    if facts:
        sections.append(Section(Step.HEAR, say(phrases.facts, facts=facts)))
    sections.append(Section(Step.EMPATHISE, phrases.empathy[triage.category][int(angry)]))

    apology = [phrases.apology[triage.category]]
    if angry:
        apology.append(phrases.priority)
    if triage.anger >= 3:
        apology.append(phrases.escalate)
    sections.append(Section(Step.APOLOGISE, join(apology)))

    hours = common.update_hours[triage.category][int(angry)]
    steps = [f"{n}. {step}" for n, step in enumerate(phrases.resolve[triage.category], 1)]
    update = say(phrases.update, within=phrases.within[hours])
    sections.append(Section(Step.RESOLVE, "\n".join([phrases.resolve_intro, *steps, update])))

    if triage.missing:
        asks = [f"• {phrases.ask[detail]}" for detail in triage.missing]
        sections.append(Section(Step.ASK, "\n".join([phrases.ask_intro, *asks])))
    sections.append(
        Section(Step.THANK, say(_pick(phrases.thanks, variant)) + "\n" + say(phrases.signature))
    )

    if triage.category in common.notes:
        notes.append(common.notes[triage.category])
    if angry:
        notes.append(common.notes["angry"])
    return Draft(tuple(sections), language=triage.language, engine=ENGINE, notes=tuple(notes))


def _pick(options: list[str], variant: int) -> str:
    return options[variant % len(options)]


def _facts_line(facts: Facts) -> str:
    return ", ".join((*facts.order_ids, *facts.amounts, *facts.durations))


def _quote(text: str, language: str) -> str:
    """The customer's most telling sentence, if it can be quoted without tripping the linter.

    Quoting their own words is the strongest proof the message was read (PLAYBOOK §1 “hear”);
    a sentence that shouts or swears is left out rather than echoed back.
    """
    table = tables.language(language)
    if table is None:
        return ""
    markers, chitchat = table.triage.complaint, table.triage.chitchat
    candidates = [
        s
        for s in sentences(strip_noise(normalise(text)))
        if _QUOTE_MIN_CHARS <= len(s) <= _QUOTE_MAX_CHARS
        and not (chitchat and chitchat.search(s))  # “Hello!” proves nothing was read
    ]
    scored = sorted(
        candidates,
        key=lambda s: -(len(markers.findall(s)) if markers else 0),
    )
    for sentence in scored:
        quote = sentence.rstrip(".。!！?？ ")
        if quote and not lint(quote, language):
            return quote
    return ""
