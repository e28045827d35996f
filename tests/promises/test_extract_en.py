"""English promises: what counts as one, and when it falls due.

Reference moment: Wednesday 4 March 2026, 10:00 in New York (before the DST change of 8 March).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.promises import Promise, find_promises

NY = ZoneInfo("America/New_York")
WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=NY)


def only(
    text: str, now: datetime = WEDNESDAY, vague_after: timedelta = timedelta(hours=24)
) -> Promise:
    """The single promise in `text`."""
    found = find_promises(text, now=now, tz=NY, language="en", vague_after=vague_after)
    assert len(found) == 1, found
    return found[0]


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Thanks for bearing with us. I'll update you within 24 hours.", at(5, 10)),
        ("I'll ping you in 2 hours with what the engineers find.", at(4, 12)),
        ("Expect an update from me in half an hour.", at(4, 10, 30)),
        ("We'll get back to you by Friday.", at(6, 17)),
        ("I'll let you know on Monday.", at(9, 17)),
        ("I will call you tomorrow at 9:30am.", at(5, 9, 30)),
        ("I will get back to you by 3pm.", at(4, 15)),
        ("I'll update you by 3 p.m. tomorrow. Thanks again.", at(5, 15)),
        ("I'll call you tomorrow at 5.", at(5, 17)),
        ("Let me check with the warehouse and get back to you before noon.", at(4, 12)),
        ("You'll hear from me by end of day.", at(4, 17)),
        ("I'll confirm the refund status and update you by COB.", at(4, 17)),
        ("We'll follow up with you later today.", at(4, 17)),
        ("Our billing team will reach out on Monday morning.", at(9, 12)),
        ("We've logged the fault and will follow up within 3 days.", at(7, 10)),
        ("I'll keep you posted by the end of the week.", at(6, 17)),
        ("I'll get back to you in 24-48 hours.", at(6, 10)),
        ("We'll follow up with you within 2 business days.", at(6, 17)),
        ("I'll send you an update first thing tomorrow.", at(5, 10)),
        ("I'll have an update for you tonight.", at(4, 21)),
        ("We'll get back to you within the hour.", at(4, 11)),
        ("I'll update you at 10:30 on Monday.", at(9, 10, 30)),
        ("A member of our support team will contact you the day after tomorrow.", at(6, 17)),
    ],
)
def test_timed_promises_resolve_to_a_concrete_deadline(text: str, due: datetime) -> None:
    promise = only(text)
    assert promise.due == due
    assert not promise.vague
    assert promise.language == "en"


def test_phrase_is_the_promise_as_written_with_its_time() -> None:
    text = "Sorry about the double charge — I’ll update you within 2 hours."
    promise = only(text)
    assert promise.phrase == "I’ll update you within 2 hours"
    assert text[promise.span[0] : promise.span[1]] == promise.phrase


def test_a_clause_that_is_only_a_time_lends_it_to_the_promise() -> None:
    promise = only("Within 2 hours, I'll send you an update.")
    assert promise.phrase == "Within 2 hours, I'll send you an update"
    assert promise.due == at(4, 12)


def test_by_friday_means_the_end_of_business_that_friday() -> None:
    friday_morning = datetime(2026, 3, 6, 9, 0, tzinfo=NY)
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=NY)
    assert only("I'll get back to you by Friday.", friday_morning).due == at(6, 17)
    assert only("I'll get back to you by Friday.", friday_evening).due == at(13, 17)


def test_a_clock_time_already_past_today_means_tomorrow() -> None:
    late = datetime(2026, 3, 4, 16, 0, tzinfo=NY)
    assert only("I will get back to you by 3pm.", late).due == at(5, 15)


def test_end_of_day_after_business_hours_is_the_end_of_the_calendar_day() -> None:
    evening = datetime(2026, 3, 4, 18, 30, tzinfo=NY)
    assert only("I'll update you by EOD.", evening).due == datetime(
        2026, 3, 4, 23, 59, 59, tzinfo=NY
    )


def test_business_days_skip_the_weekend() -> None:
    friday = datetime(2026, 3, 6, 11, 0, tzinfo=NY)
    promise = only("We'll follow up within 2 business days.", friday)
    assert promise.due == at(10, 17)  # Monday is the first, Tuesday the second


def test_tomorrow_at_5pm_across_the_autumn_dst_change_keeps_the_wall_clock_hour() -> None:
    saturday = datetime(2026, 10, 31, 12, 0, tzinfo=NY)
    promise = only("I'll call you tomorrow at 5pm.", saturday)
    assert promise.due.isoformat() == "2026-11-01T17:00:00-05:00"


def test_hours_across_the_dst_change_are_elapsed_time() -> None:
    saturday = datetime(2026, 10, 31, 12, 0, tzinfo=NY)
    promise = only("I'll update you within 24 hours.", saturday)
    assert promise.due.isoformat() == "2026-11-01T11:00:00-05:00"
    assert promise.due.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=24)


def test_days_across_the_dst_change_are_wall_clock_days() -> None:
    saturday = datetime(2026, 10, 31, 12, 0, tzinfo=NY)
    promise = only("I'll update you in 2 days.", saturday)
    assert promise.due.isoformat() == "2026-11-02T12:00:00-05:00"


@pytest.mark.parametrize(
    "text",
    [
        "We'll be in touch shortly.",
        "I'll get back to you as soon as possible.",
        "I'll reply soon, promise.",
        "We're checking with the bank and will get back to you.",
        "We'll update you when we know more.",  # "We" is not Wednesday
    ],
)
def test_vague_promises_fall_due_after_the_vague_window(text: str) -> None:
    promise = only(text)
    assert promise.vague
    assert promise.due == WEDNESDAY + timedelta(hours=24)


def test_the_vague_window_is_configurable() -> None:
    promise = only("I'll get back to you shortly.", vague_after=timedelta(hours=4))
    assert promise.due == at(4, 14)


def test_a_request_to_the_customer_does_not_lend_its_deadline() -> None:
    promise = only("Please reply within 24 hours and I'll update you.")
    assert promise.phrase == "I'll update you"
    assert promise.vague


def test_a_condition_does_not_lend_its_deadline() -> None:
    promise = only("If I don't hear back from the carrier by Friday, I'll follow up.")
    assert promise.phrase == "I'll follow up"
    assert promise.vague


@pytest.mark.parametrize(
    "text",
    [
        "I updated you yesterday about the refund.",
        "Your package will arrive within 3 days.",
        "Can you update me within 24 hours?",
        "Will you get back to me by Friday?",
        "Please reply within 24 hours.",
        "If you send the receipt by Friday, the refund can go out on Monday.",
        "I won't be able to get back to you today.",
        "I will not update you until the audit ends.",
        "I'll follow up with our courier about it tomorrow.",
        "The technician will call you tomorrow at 10am.",
        "Confirmation emails can take up to 24 hours.",
        "We shipped the replacement and it will arrive by Friday.",
    ],
)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=WEDNESDAY, tz=NY, language="en") == []


def test_each_sentence_with_a_promise_is_reported_in_order() -> None:
    text = "I'll call you in 1 hour. We'll also email you the invoice by Friday."
    found = find_promises(text, now=WEDNESDAY, tz=NY)
    assert [p.due for p in found] == [at(4, 11), at(6, 17)]


def test_the_deadline_is_given_in_the_owner_zone() -> None:
    utc_now = datetime(2026, 3, 4, 15, 0, tzinfo=ZoneInfo("UTC"))
    [promise] = find_promises("I'll update you by 5pm.", now=utc_now, tz="America/New_York")
    assert promise.due.isoformat() == "2026-03-04T17:00:00-05:00"


def test_naive_now_and_unknown_zones_are_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        find_promises("I'll update you.", now=datetime(2026, 3, 4, 10), tz=NY)
    with pytest.raises(ValueError, match="time zone"):
        find_promises("I'll update you.", now=WEDNESDAY, tz="Mars/Olympus_Mons")
