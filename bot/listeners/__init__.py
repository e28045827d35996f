"""Thin Slack adapters: parse the payload, call a service, render blocks. One module per surface."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, home, messages, promises, reactions, shortcuts


def register_all(app: App) -> None:
    for surface in (messages, reactions, actions, commands, shortcuts, promises, home):
        surface.register(app)
