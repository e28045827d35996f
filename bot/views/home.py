"""The App Home tab: the viewer's open promises, soonest first, with the reminder buttons."""

from __future__ import annotations

from typing import Any

from bot.store.models import PromiseRecord
from bot.views.blocks import context, section
from bot.views.reminders import promise_actions, when

# Slack allows 100 blocks per view: a header, a hint, then three blocks per promise.
MAX_SHOWN = 30
USAGE = (
    "Heard reminds you before a promise to a customer falls due. Promises come from replies you "
    "send through Heard or write in a watched thread; add one with `/promise in 2h update Acme`."
)


def home_view(promises: list[PromiseRecord]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your open promises"}},
        context(USAGE),
    ]
    if not promises:
        blocks.append(section("Nothing open — every promise is kept. 🎉"))
    for promise in promises[:MAX_SHOWN]:
        place = f"<#{promise.channel}>" if promise.thread_ts else "added by hand"
        blocks += [
            {"type": "divider"},
            section(f"*Due {when(promise.due)}* · {place}\n> {promise.phrase[:300]}"),
            promise_actions(promise),
        ]
    if len(promises) > MAX_SHOWN:
        more = len(promises) - MAX_SHOWN
        blocks.append(section(f"…and {more} more; `/promise list` shows them all."))
    return {"type": "home", "blocks": blocks}
