"""Mask personal data before customer text leaves the process, and put it back in the draft.

E-mail addresses, phone numbers, card numbers (Luhn-checked) and IBANs (mod-97-checked) become
placeholders such as `[EMAIL_1]`; the same value always gets the same placeholder, so the model
can still refer to it, and `restore` swaps the originals back into whatever the model kept.
Checksums keep order numbers and amounts from being masked: the model needs those to help.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# A run of digits with the separators phone numbers use; which runs count is decided below.
_PHONE = re.compile(r"(?<![\w-])(?:\+|00)?\(?\d[\d ().-]{6,20}\d(?![\w-])")
_PHONE_DIGITS = (9, 15)
_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN)_\d+\]")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_card(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return 13 <= len(digits) <= 19 and _luhn(digits)


def _is_iban(text: str) -> bool:
    compact = text.replace(" ", "")
    rotated = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rotated)
    return 15 <= len(compact) <= 34 and int(number) % 97 == 1


def _is_phone(text: str) -> bool:
    """International (+/00), trunk-prefixed (0…) or grouped numbers; a bare digit run is more
    likely an order or account number, which the model needs to see."""
    digits = re.sub(r"\D", "", text)
    low, high = _PHONE_DIGITS
    if not low <= len(digits) <= high:
        return False
    grouped = re.search(r"\d[ ().-]+\d", text) is not None
    return text.startswith(("+", "00", "0", "(")) or grouped


@dataclass(slots=True)
class Redactor:
    """One per complaint: the placeholders it hands out are restored in that complaint's draft."""

    enabled: bool = True
    originals: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def mask(self, text: str) -> str:
        if not self.enabled:
            return text
        text = _EMAIL.sub(lambda m: self._placeholder("EMAIL", m.group()), text)
        text = self._sub(_IBAN, "IBAN", _is_iban, text)
        text = self._sub(_CARD, "CARD", _is_card, text)
        return self._sub(_PHONE, "PHONE", _is_phone, text)

    def restore(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.originals.get(m.group(), m.group()), text)

    def _sub(
        self, pattern: re.Pattern[str], kind: str, accept: Callable[[str], bool], text: str
    ) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group()
            return self._placeholder(kind, value) if accept(value) else value

        return pattern.sub(replace, text)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._by_value:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            placeholder = f"[{kind}_{self._counts[kind]}]"
            self._by_value[key] = placeholder
            self.originals[placeholder] = value
        return self._by_value[key]
