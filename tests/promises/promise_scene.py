"""The fixed moment and zone the per-language extraction tests read promises in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.promises import Promise, find_promises


@dataclass(frozen=True)
class Scene:
    """Wednesday 4 March 2026, 10:00 in `zone`. With `detect`, the language is left to the
    detector and checked afterwards; otherwise it is given."""

    zone: ZoneInfo
    language: str
    detect: bool = False

    @property
    def wednesday(self) -> datetime:
        return self.at(4, 10)

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 3, day, hour, minute, tzinfo=self.zone)

    def only(self, text: str, now: datetime | None = None) -> Promise:
        """The one promise in `text`."""
        language = None if self.detect else self.language
        found = find_promises(text, now=now or self.wednesday, tz=self.zone, language=language)
        assert len(found) == 1, found
        if self.detect:
            assert found[0].language == self.language
        return found[0]
