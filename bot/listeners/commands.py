"""`/draft <message>` drafts a reply; `/draft lint <reply>` checks the agent's own text."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.listeners.team_command import read_team_command
from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.views.ondemand import draft_answer, lint_answer, usage

COMMAND = "/draft"


def register(app: App) -> None:
    app.command(COMMAND)(on_draft_command)


def on_draft_command(
    ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    call = read_team_command(command, context)
    if call is None:
        return
    heard, text, rest = call.heard, call.text, call.rest
    if not text or call.verb == "help":
        respond(**usage())
    elif call.verb == "lint":
        if not rest:
            respond(**usage())
            return
        language = detect(rest)
        respond(**lint_answer(lint(rest, language), language))
    else:
        heard.pool.submit(lambda: respond(**draft_answer(heard.drafting.suggest(text))))
