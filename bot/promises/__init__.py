"""Promise extraction, pure: no Slack, no network, no database.

`find_promises(text, now=…, tz=…)` finds the follow-ups an agent commits to ("I'll update you
within 24 hours", 「明日の10時までにご連絡いたします」) and resolves when each falls due in the
owner's time zone; the reminder scheduler builds on it. Every language-specific word lives in the
data tables under `languages/`, one TOML file per language; `deadline.py` documents how a day,
a time or "end of day" becomes a moment.
"""

from bot.promises.extract import Promise, find_promises

__all__ = ["Promise", "find_promises"]
