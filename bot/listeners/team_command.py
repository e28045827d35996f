"""What every slash command does first: only the team may use it, and it reads `verb rest`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TeamCommand:
    heard: Any
    user: str
    text: str
    verb: str  # the first word, lower-cased ("" for an empty command)
    rest: str


def read_team_command(command: dict[str, Any], context: BoltContext) -> TeamCommand | None:
    """The command by a team member, or None (and a log line) when an outsider sent it."""
    heard = context["heard"]
    user = command["user_id"]
    if not heard.gateway.is_team_member(user, None):
        log.warning(
            "ignored %s by %s: not a member of the installing team", command["command"], user
        )
        return None
    text = (command.get("text") or "").strip()
    verb, _, rest = text.partition(" ")
    return TeamCommand(heard, user, text, verb.lower(), rest.strip())
