"""Which language a message is written in (ISO 639-1, or "und").

Writing systems decide most cases for free (Hangul is Korean, kana is Japanese); the lingua
detector, limited to a short list of languages, separates the Latin and Cyrillic ones. It runs in
low-accuracy mode: high accuracy costs 1.5–3 s of model loading on first use, which would break
the CLI's cold-start budget. Its weakness, short texts, is offset by a prior: a message in a
support channel is far more likely to be in a language the team supports (one with a phrase
table) than in a neighbouring one, so those languages' confidence is multiplied before choosing.
"""

from __future__ import annotations

from collections import Counter
from functools import cache, lru_cache
from typing import Any

from bot.playbook import tables
from bot.playbook.text import normalise, strip_noise

UNDETERMINED = "und"
_LATIN_AND_CYRILLIC = (
    "ENGLISH",
    "TURKISH",
    "RUSSIAN",
    "UKRAINIAN",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "PORTUGUESE",
    "ITALIAN",
    "DUTCH",
    "POLISH",
    "SWEDISH",
    "INDONESIAN",
    "VIETNAMESE",
    "AZERBAIJANI",
    "BULGARIAN",
    "KAZAKH",
    "SERBIAN",
)
_MIN_LETTERS = 2
_SUPPORTED_PRIOR = 20.0
_DETECTOR_INPUT_CHARS = 400
_CACHED_CHARS = 4000  # the opening of a message says enough; keeps the cost flat


@cache
def _script_of() -> dict[int, tuple[str, str, int]]:
    """Code point → (script, language, weight), built once from common.toml."""
    table: dict[int, tuple[str, str, int]] = {}
    for script in tables.common().scripts:
        for start, end in script.ranges:
            for point in range(start, end + 1):
                table[point] = (script.name, script.language, script.weight)
    return table


def warm_up() -> None:
    """Load the detector's models now rather than in the first request (about 0.1 s)."""
    _detector()


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LATIN_AND_CYRILLIC]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(text: str) -> str:
    """The dominant language of `text`; "und" for text without enough letters."""
    # A message is read by triage, the drafter's pre-filter and the linter: remember
    # message-sized texts rather than detect them three times.
    return _detect_cached(text) if len(text) <= _CACHED_CHARS else _detect(text)


@lru_cache(maxsize=4096)
def _detect_cached(text: str) -> str:
    return _detect(text)


def _detect(text: str) -> str:
    cleaned = strip_noise(normalise(text))
    script_of = _script_of()
    weights: Counter[str] = Counter()
    letters = 0
    for char in cleaned:
        entry = script_of.get(ord(char))
        if entry is not None:
            weights[entry[0]] += entry[2]
            letters += 1
    if letters < _MIN_LETTERS:
        return UNDETERMINED
    if weights["kana"]:
        weights["kana"] += weights.pop("han", 0)  # kanji with kana is Japanese
    script, _ = weights.most_common(1)[0]
    fixed = next(s.language for s in tables.common().scripts if s.name == script)
    if fixed:
        return fixed
    return _latin_or_cyrillic(cleaned[:_DETECTOR_INPUT_CHARS])


def _latin_or_cyrillic(text: str) -> str:
    supported = set(tables.supported_languages())
    best, best_score = UNDETERMINED, 0.0
    for candidate in _detector().compute_language_confidence_values(text):
        code = candidate.language.iso_code_639_1.name.lower()
        score = candidate.value * (_SUPPORTED_PRIOR if code in supported else 1.0)
        if score > best_score:
            best, best_score = code, score
    return best
