"""Text clean-up shared by triage, the drafter and the linter."""

from __future__ import annotations

import html
import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "＂": '"', "`": "'"})
# Slack markup and social-media noise that carries no language: <@U123>, <http://…|label>,
# @handles, URLs, :emoji_codes:.
_SLACK_LINK = re.compile(r"<(?:[@#!][^>]*|https?://[^>|]*)(?:\|([^>]*))?>")
_NOISE = re.compile(r"(?:https?://\S+|www\.\S+|(?<!\w)@\w+|:[a-z0-9_+-]{2,}:(?!//))")
# After NFKC, ！？ are ASCII: a sentence also ends at !? directly followed by CJK or Hangul text.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+|(?<=[。！？])\s*|(?<=[!?])(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])|\n+"
)

MAX_CHARS = 100_000

# Cased alphabets (Latin, Greek, Cyrillic): classes built from Unicode, not typed out. Scripts
# without case (CJK, Hangul) are never “shouting” and never part of a mixed-case word.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x530)) if c.islower() and c.isalpha())
# Capitals glued to digits, "-" or "_" are codes (INV-2024, ERR_TIMED_OUT, 5G), not shouting.
CAPS_WORD = re.compile(rf"(?<![{_UPPER}{_LOWER}\d_-])[{_UPPER}]{{2,}}(?![{_UPPER}{_LOWER}\d_-])")
# Anchored at a word start so a long word is scanned once, not once per letter.
MIXED_CASE_WORD = re.compile(
    rf"(?<![{_UPPER}{_LOWER}])[{_UPPER}{_LOWER}]*[{_LOWER}][{_UPPER}][{_UPPER}{_LOWER}]*"
)


def normalise(text: str) -> str:
    """NFKC-fold (full-width → ASCII, compatibility forms), straighten quotes, unescape HTML."""
    return unicodedata.normalize("NFKC", html.unescape(text)).translate(_QUOTES)


def strip_noise(text: str) -> str:
    """Remove mentions, links and emoji codes, keeping link labels."""
    text = _SLACK_LINK.sub(lambda m: m.group(1) or " ", text)
    return _NOISE.sub(" ", text)


def sentences(text: str) -> list[str]:
    """Split on sentence punctuation (Latin and CJK) and line breaks; drop empty pieces."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
