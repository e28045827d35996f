"""Keep customer text within a token budget before it is sent.

A rough count is enough to bound cost and latency, and needs no tokenizer download: about four
characters per token for alphabetic scripts, one token per CJK character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_CHARS_PER_TOKEN = 4
_HEAD_SHARE = 2 / 3  # the start of a message says what it is about; its end, what they want
MARKER = "[… {cut} characters cut …]"


def estimate_tokens(text: str) -> int:
    wide = len(_WIDE.findall(text))
    return wide + -(-(len(text) - wide) // _CHARS_PER_TOKEN)


def cut(text: str, tokens: int) -> str:
    """`text` itself when it fits, else its head and tail around a marker saying what was cut."""
    if estimate_tokens(text) <= tokens:
        return text
    keep = len(text)
    while keep:
        keep = keep * 9 // 10
        head, tail = int(keep * _HEAD_SHARE), keep - int(keep * _HEAD_SHARE)
        if estimate_tokens(text[:head]) + estimate_tokens(text[len(text) - tail :]) <= tokens:
            break
    cut_chars = len(text) - head - tail
    end = text[len(text) - tail :].lstrip()
    return f"{text[:head].rstrip()}\n{MARKER.format(cut=cut_chars)}\n{end}"


def recent(messages: Sequence[str], tokens: int, per_message: int) -> tuple[str, ...]:
    """The newest messages that fit in `tokens`, oldest first; each cut to `per_message`."""
    kept: list[str] = []
    used = 0
    for message in reversed(messages):
        trimmed = cut(message, per_message)
        cost = estimate_tokens(trimmed)
        if used + cost > tokens:
            break
        kept.append(trimmed)
        used += cost
    return tuple(reversed(kept))
