"""Text clean-up shared by triage, the drafter and the linter."""

from __future__ import annotations

import html
import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "＂": '"', "`": "'"})
# Slack markup and social-media noise that carries no language: <@U123>, <http://…|label>,
# @handles, URLs, :emoji_codes:.
_SLACK_LINK = re.compile(r"<(?:[@#!][^>]*|https?://[^>|]*)(?:\|([^>]*))?>")
_NOISE = re.compile(r"(?:https?://\S+|www\.\S+|(?<!\w)@\w+|:[a-z0-9_+-]{2,}:)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*|\n+")

MAX_CHARS = 100_000


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
