"""Turn the time words found near a promise into one due moment.

Rules (the product's contract, also in the package docstring):
- "in 2 hours" is elapsed time; "in 2 days", "tomorrow at 17:00" are wall-clock time, so a DST
  change in between does not move the hour the agent wrote.
- A day without a time ("tomorrow", "by Friday", "today", EOD) means the end of business that
  day (`end_of_business` in common.toml, 17:00), not its first minute.
- A clock time already past on its day means its next occurrence (tomorrow); a named day already
  past its end of business means that weekday next week.
- "Today" or EOD said after the end of business still means today: the end of the calendar day
  (`end_of_day`, 23:59:59). "This week" after its last business day means the end of Sunday.
- N business days: the end of business on the N-th business day after today (weekends skipped).
- Several deadlines for one promise: the earliest wins; a deadline is never before the message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from bot.promises.tables import Calendar, Part, Unit

Kind = Literal["eod", "week", "relative", "clock", "part", "day", "weekday", "vague"]
_ANCHORS = ("day", "weekday", "week")
_TIMES_OF_DAY = ("clock", "part", "eod")
_ELAPSED = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1)}
_WALL_DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: Unit


@dataclass(frozen=True)
class Mention:
    """One time expression in the text: its kind, where it is and what it says."""

    kind: Kind
    start: int
    end: int
    value: int | Duration | time | Part | None = None


def wall(day: date, at: time, like: datetime) -> datetime:
    """`day` at wall-clock `at` in the zone of `like`; a time skipped by DST moves forward."""
    naive = datetime.combine(day, at, tzinfo=like.tzinfo)
    return naive.astimezone(UTC).astimezone(like.tzinfo)


def resolve(mentions: list[Mention], now: datetime, cal: Calendar) -> datetime | None:
    """The earliest deadline the mentions describe, in `now`'s zone; None when none is concrete."""
    candidates = [_after(m.value, now, cal) for m in mentions if isinstance(m.value, Duration)]
    point = _point(mentions, now, cal)
    if point is not None:
        candidates.append(point)
    return max(min(candidates), now) if candidates else None


def _after(duration: Duration, now: datetime, cal: Calendar) -> datetime:
    if duration.unit in _ELAPSED:
        elapsed = _ELAPSED[duration.unit] * duration.amount
        return (now.astimezone(UTC) + elapsed).astimezone(now.tzinfo)
    if duration.unit == "bday":
        day, left = now.date(), math.ceil(duration.amount)
        while left > 0:
            day += timedelta(days=1)
            left -= day.weekday() in cal.business_days
        return wall(day, cal.end_of_business, now)
    shifted = now.replace(tzinfo=None) + timedelta(days=_WALL_DAYS[duration.unit] * duration.amount)
    return wall(shifted.date(), shifted.time(), now)


def _point(mentions: list[Mention], now: datetime, cal: Calendar) -> datetime | None:
    """A named day and/or time of day ("tomorrow at 9:30", "by Friday", "EOD")."""
    anchor = next((m for m in mentions if m.kind in _ANCHORS), None)
    moment = next((m for m in mentions if m.kind in _TIMES_OF_DAY), None)
    if anchor is None and moment is None:
        return None
    at, hard = cal.end_of_business, False
    if moment is not None and isinstance(moment.value, time):
        at, hard = moment.value, True
    elif moment is not None and isinstance(moment.value, Part):
        at, hard = moment.value.at, moment.value.clock
    today = now.date()
    if anchor is not None and anchor.kind == "weekday":
        days = (today + timedelta(days=ahead) for ahead in range(8))
        matching = (wall(d, at, now) for d in days if d.weekday() == anchor.value)
        return next(due for due in matching if due > now)
    if anchor is not None and anchor.kind == "week" and isinstance(anchor.value, int):
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=anchor.value)
        due = wall(monday + timedelta(days=max(cal.business_days)), at, now)
        return due if due > now else wall(monday + timedelta(days=6), cal.end_of_day, now)
    offset = anchor.value if anchor is not None and isinstance(anchor.value, int) else 0
    day = today + timedelta(days=offset)
    due = wall(day, at, now)
    if due > now:
        return due
    return wall(day + timedelta(days=1), at, now) if hard else wall(day, cal.end_of_day, now)
