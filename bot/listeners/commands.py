"""`/draft <message>` drafts a reply; `/draft lint <reply>` checks the agent's own text."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.views.ondemand import draft_answer, lint_answer, usage

log = logging.getLogger(__name__)
COMMAND = "/draft"


def register(app: App) -> None:
    app.command(COMMAND)(on_draft_command)


def on_draft_command(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    heard = context["heard"]
    user = command["user_id"]
    if not heard.gateway.is_team_member(user, None):
        log.warning("ignored %s by %s: not a member of the installing team", COMMAND, user)
        return
    text = (command.get("text") or "").strip()
    verb, _, rest = text.partition(" ")
    if not text or verb.lower() == "help":
        respond(**usage())
    elif verb.lower() == "lint":
        if not rest.strip():
            respond(**usage())
            return
        language = detect(rest)
        respond(**lint_answer(lint(rest, language), language))
    else:
        heard.pool.submit(lambda: respond(**draft_answer(heard.drafting.suggest(text))))
