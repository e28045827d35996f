"""What an agent's action on a card or a promise came to: shared by the services and listeners."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"
    ALREADY_DECIDED = "already decided"
    NOT_ALLOWED = "not allowed"
    NOT_FOUND = "not found"
    FAILED = "failed"
