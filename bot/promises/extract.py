"""Find the follow-up promises in a message and when each falls due.

A promise is a trigger phrase from the language table (a first-person or company-voice
commitment to get back to the reader) in a sentence that is not a question. Its deadline is read
from the clause the trigger is in, plus any clause of the same sentence that is nothing but a time
("Within 2 hours, I'll…"). Clauses that ask something of the customer ("please reply within
24 hours") never lend their times to the promise. Only sentences with a trigger are scanned for
times, which keeps extraction fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.playbook.language import detect
from bot.promises import tables
from bot.promises.deadline import Duration, Kind, Mention, resolve
from bot.promises.tables import UNITS, Grammar, Part, Tagged

_QUOTES = str.maketrans({"’": "'", "‘": "'", "＂": '"', "`": "'"})
_SENTENCE_END = re.compile(r"[!?。]+|\n+|\.+(?=\s)")
_EDGES = " \t\r\n.,;:、。-–—"
_CJK_START = 0x2E80  # CJK and Hangul letters carry about a word each: count them double
_MAX_SPAN = timedelta(days=366)
_UNIT_SIZE = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "bday": timedelta(days=1),
    "week": timedelta(weeks=1),
}


@dataclass(frozen=True)
class Promise:
    """A commitment found in a message: the words, when it falls due, and whether it was vague.

    `span` is the phrase's (start, end) in the original text; `due` is aware, in the owner's zone.
    """

    phrase: str
    due: datetime
    vague: bool
    span: tuple[int, int]
    language: str


def find_promises(
    text: str,
    *,
    now: datetime,
    tz: str | ZoneInfo,
    language: str | None = None,
    vague_after: timedelta = timedelta(hours=24),
) -> list[Promise]:
    """The follow-up promises in `text`, in order, with deadlines resolved in zone `tz`.

    `now` is the message's own (aware) timestamp. `language` is detected when not given; when it
    has no table every table is tried. A promise without a concrete time is `vague` and falls due
    `vague_after` after `now`. Raises ValueError for a naive `now` or an unknown zone.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(_zone(tz))
    folded, starts, ends = _fold(text)
    found: list[Promise] = []
    for grammar in _grammars(text, language):
        for start, end, due in _find(grammar, folded, local_now):
            vague = due is None
            when = due or (local_now.astimezone(UTC) + vague_after).astimezone(local_now.tzinfo)
            span = (starts[start], ends[end - 1])
            found.append(Promise(text[span[0] : span[1]], when, vague, span, grammar.code))
    return _first_of_overlapping(found)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def _grammars(text: str, language: str | None) -> list[Grammar]:
    code = language or detect(text)
    chosen = tables.grammar(code)
    if chosen is not None:
        return [chosen]
    return [g for c in tables.supported_languages() if (g := tables.grammar(c)) is not None]


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """NFKC-fold (full-width → ASCII) and straighten quotes, keeping a map back to `text`.

    Returns the folded text and, per folded character, the start and end of the original
    characters it came from, so a phrase is reported exactly as written.
    """
    if unicodedata.is_normalized("NFKC", text):
        positions = list(range(len(text) + 1))
        return text.translate(_QUOTES), positions[:-1], positions[1:]
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j]).translate(_QUOTES)
        pieces.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(pieces), starts, ends


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans; a full stop followed by a lower-case word ("3 p.m. tomorrow") is no end."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            rest = text[match.end() :].lstrip()
            if rest[:1].islower() or rest[:1].isdigit():
                continue
        yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _segments(grammar: Grammar, sentence: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut at the language's clause breaks (commas, "and", "if"…)."""
    cuts = [0]
    for match in grammar.clause_break.finditer(sentence):
        cuts += [match.start(), match.end()]
    cuts.append(len(sentence))
    pairs = zip(cuts[::2], cuts[1::2], strict=True)
    return [(a, b) for a, b in pairs if b > a] or [(0, len(sentence))]


def _find(grammar: Grammar, text: str, now: datetime) -> Iterator[tuple[int, int, datetime | None]]:
    """(start, end, due or None) of each promise, one per sentence, offsets into `text`."""
    if grammar.triggers.search(text) is None:
        return
    cal = tables.calendar()
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        segments = _segments(grammar, sentence)
        own: set[int] = set()
        spans: list[tuple[int, int]] = []
        for trigger in grammar.triggers.finditer(sentence):
            first = _segment_at(segments, trigger.start())
            last = _segment_at(segments, trigger.end() - 1)
            region = sentence[segments[first][0] : segments[last][1]]
            if grammar.question.search(region) is None:
                own.update(range(first, last + 1))
                spans.append(trigger.span())
        if not spans:
            continue
        mentions: list[Mention] = []
        for index, (a, b) in enumerate(segments):
            clause = sentence[a:b]
            found = _scan(grammar, clause, a)
            if index in own or (
                found
                and _letters_outside(clause, a, found) <= cal.bare_segment_letters
                and grammar.foreign.search(clause) is None
            ):
                mentions += found
        mentions.sort(key=lambda m: m.start)
        spans += [(m.start, m.end) for m in mentions]
        start = min(a for a, _ in spans)
        end = max(b for _, b in spans)
        while end > start and sentence[end - 1] in _EDGES:
            end -= 1
        while start < end and sentence[start] in _EDGES:
            start += 1
        yield s_start + start, s_start + end, resolve(mentions, now, cal)


def _segment_at(segments: list[tuple[int, int]], offset: int) -> int:
    return next((i for i, (_, b) in enumerate(segments) if offset < b), len(segments) - 1)


def _letters_outside(clause: str, offset: int, mentions: list[Mention]) -> int:
    """How much wording a clause has besides its time expressions (CJK letters count double)."""
    inside = {i - offset for m in mentions for i in range(m.start, m.end)}
    return sum(
        2 if ord(ch) >= _CJK_START else 1
        for i, ch in enumerate(clause)
        if ch.isalpha() and i not in inside
    )


def _scan(grammar: Grammar, clause: str, offset: int) -> list[Mention]:
    """Every time expression in a clause; earlier kinds claim text before later ones."""
    kinds: tuple[tuple[Kind, tuple[Tagged, ...]], ...] = (
        ("eod", grammar.eod),
        ("week", grammar.week),
        ("relative", grammar.relative),
        ("clock", grammar.clock),
        ("part", grammar.part),
        ("day", grammar.day),
        ("weekday", grammar.weekday),
        ("vague", grammar.vague),
    )
    found: list[Mention] = []
    for kind, patterns in kinds:
        for tagged in patterns:
            for match in tagged.regex.finditer(clause):
                start, end = match.start() + offset, match.end() + offset
                if end == start or any(start < m.end and m.start < end for m in found):
                    continue
                value = _value(grammar, kind, tagged, match)
                if value is not False:
                    found.append(Mention(kind, start, end, value))
    return found


def _value(
    grammar: Grammar, kind: Kind, tagged: Tagged, match: re.Match[str]
) -> int | Duration | time | Part | bool | None:
    """What a match means; False when it cannot be a deadline (25:00, "in 9999 days")."""
    if kind == "relative":
        return _duration(grammar, match)
    if kind == "clock":
        return _clock(match)
    return tagged.value


def _duration(grammar: Grammar, match: re.Match[str]) -> Duration | bool:
    groups = match.groupdict()
    unit = next(u for u in UNITS if groups.get(f"u_{u}"))
    number = groups.get("n")
    if number is None:
        amount = 1.0
    else:
        word = number.lower()
        amount = grammar.numbers[word] if word in grammar.numbers else float(word.replace(",", "."))
    return Duration(amount, unit) if _UNIT_SIZE[unit] * amount <= _MAX_SPAN else False


def _clock(match: re.Match[str]) -> time | bool:
    """A written time of day; 1–7 o'clock without am/pm (or a leading zero) is the afternoon."""
    groups = match.groupdict()
    written = groups["hour"]
    hour = int(written)
    minute = 30 if groups.get("half") else int(groups.get("minute") or 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        return False
    if hour == 24:
        return tables.calendar().end_of_day
    twelve_hour = not groups.get("am") and not written.startswith("0") and 1 <= hour < 8
    if (groups.get("pm") and hour < 12) or twelve_hour:
        hour += 12
    elif groups.get("am") and hour == 12:
        hour = 0
    return time(hour, minute)


def _first_of_overlapping(promises: list[Promise]) -> list[Promise]:
    """In text order; when two tables found the same words, the first found is kept."""
    kept: list[Promise] = []
    for promise in sorted(promises, key=lambda p: p.span):
        if not kept or promise.span[0] >= kept[-1].span[1]:
            kept.append(promise)
    return kept
