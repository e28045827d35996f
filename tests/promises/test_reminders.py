"""Promises and their reminders, against a real database and the fake Slack, on a test clock.

The scheduler is driven tick by tick: each test moves the clock and asserts exactly which
messages Slack received, so "once", "at the right time" and "never after kept" are checked
directly.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fake_slack import AGENT_ID, CONNECT_CHANNEL, SUPPORT_CHANNEL, FakeSlack, User
from promise_harness import ESCALATION_CHANNEL, Clock, Heard, MakeHeard

from bot.services.outcomes import Outcome
from bot.services.promises import has_blanks
from bot.services.scheduler import MAX_ATTEMPTS
from bot.store import promises as state
from bot.store.models import PromiseRecord

THREAD = "1772614800.000100"
COLLEAGUE = "U0COLLEAGUE"


def reply(heard: Heard, clock: Clock, text: str, user: str = AGENT_ID) -> list[PromiseRecord]:
    """A team member's reply in the customer's thread, written now."""
    return heard.promises.on_team_reply(text, user, CONNECT_CHANNEL, THREAD, clock.ts())


def dms(fake: FakeSlack, user: str = AGENT_ID) -> list[str]:
    """Texts of the reminder DMs `user` got, in order."""
    return posts_in(fake, user)


def posts_in(fake: FakeSlack, channel: str) -> list[str]:
    """Texts of the messages Slack accepted for `channel` (failed calls are not posts)."""
    return [
        str(c.params["text"])
        for c in fake.calls("chat.postMessage")
        if c.params.get("channel") == channel and c.response.get("ok")
    ]


def kinds(heard: Heard, promise: PromiseRecord) -> dict[str, tuple[datetime, str]]:
    return {r.kind: (r.fire_at, r.status) for r in heard.store.reminders(promise.id)}


# ---------------------------------------------------------------- registering


def test_a_promise_gets_lead_due_and_escalation_reminders(heard: Heard, clock: Clock) -> None:
    [promise] = reply(heard, clock, "Sorry about that. I'll update you within 24 hours.")
    due = clock.now() + timedelta(hours=24)
    assert promise.due == due and not promise.vague and promise.owner_id == AGENT_ID
    assert kinds(heard, promise) == {
        "lead:7200": (due - timedelta(hours=2), state.PENDING),
        "lead:900": (due - timedelta(minutes=15), state.PENDING),
        state.DUE: (due, state.PENDING),
        state.ESCALATION: (due + timedelta(minutes=30), state.PENDING),
    }


def test_the_agent_is_told_quietly_that_a_reminder_was_set(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    [promise] = reply(heard, clock, "I'll get back to you by 15:00 today.")
    [note] = fake_slack.calls("chat.postEphemeral")
    assert note.params["user"] == AGENT_ID and note.params["thread_ts"] == THREAD
    epoch = int(promise.due.timestamp())
    assert f"<!date^{epoch}^" in note.params["text"]
    buttons = [e["text"]["text"] for e in note.params["blocks"][1]["elements"]]
    assert buttons == ["Change", "Not a promise"]


def test_lead_times_already_past_are_left_out(heard: Heard, clock: Clock) -> None:
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    assert set(kinds(heard, promise)) == {"lead:900", state.DUE, state.ESCALATION}


def test_due_times_are_read_in_the_owners_time_zone(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(User(COLLEAGUE, "ken", "Ken Sato", "Ken", tz="Asia/Tokyo"))
    [promise] = reply(heard, clock, "明日の10時までにご連絡いたします。", user=COLLEAGUE)
    # 09:00 UTC is 18:00 in Tokyo: "tomorrow 10:00" is 10:00 JST on the 5th.
    assert promise.due == datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    fake_slack.add_user(User("U0NYC", "sam", "Sam Lee", "Sam", tz="America/New_York"))
    clock.advance(timedelta(seconds=1))
    [in_new_york] = reply(heard, clock, "I'll call you tomorrow at 10am.", user="U0NYC")
    assert in_new_york.due == datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("America/New_York"))


def test_a_vague_promise_falls_due_after_the_followup_window(heard: Heard, clock: Clock) -> None:
    [promise] = reply(heard, clock, "We'll get back to you soon.")
    assert promise.vague and promise.due == clock.now() + timedelta(hours=24)


def test_a_redelivered_reply_records_its_promise_once(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    text = "I'll update you within 4 hours."
    ts = clock.ts()
    first = heard.promises.on_team_reply(text, AGENT_ID, CONNECT_CHANNEL, THREAD, ts)
    again = heard.promises.on_team_reply(text, AGENT_ID, CONNECT_CHANNEL, THREAD, ts)
    assert len(first) == 1 and again == []
    assert len(fake_slack.calls("chat.postEphemeral")) == 1


# ---------------------------------------------------------------- the scheduler


def test_reminders_fire_at_each_lead_time_at_due_and_escalate_once(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    start = clock.now()
    reply(heard, clock, "I'll update you within 24 hours.")
    sent: list[tuple[timedelta, int]] = []
    for offset in (21, 22, 22.1, 23.75, 23.9, 24, 24.25, 24.5, 25):
        clock.moment = start + timedelta(hours=offset)
        sent.append((timedelta(hours=offset), heard.scheduler.tick()))
    assert [n for _, n in sent] == [0, 1, 0, 1, 0, 1, 0, 1, 0]
    assert [text.split(":")[0] for text in dms(fake_slack)] == [
        "⏰ Due in 2 h",
        "⏰ Due in 15 min",
        "⏰ Due now",
    ]
    [escalation] = posts_in(fake_slack, ESCALATION_CHANNEL)
    assert f"<@{AGENT_ID}>" in escalation and "update you within 24 hours" in escalation


def test_a_reminder_dm_carries_the_three_buttons_and_a_link(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    reply(heard, clock, "I'll update you within 2 hours.")
    clock.advance(timedelta(hours=2))
    assert heard.scheduler.tick() == 1
    [call] = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == AGENT_ID]
    section, actions = call.params["blocks"]
    assert f"archives/{CONNECT_CHANNEL}/p" in section["text"]["text"]
    assert "<!date^" in section["text"]["text"]
    labels = [e["text"]["text"] for e in actions["elements"]]
    assert labels == ["Mark kept", "Snooze", "Draft an update"]


def test_no_escalation_without_an_escalation_channel(
    make_heard: MakeHeard, clock: Clock, fake_slack: FakeSlack
) -> None:
    heard = make_heard(escalation_channel=None)
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    assert state.ESCALATION not in kinds(heard, promise)
    clock.advance(timedelta(days=1))
    assert heard.scheduler.tick() == 1
    assert posts_in(fake_slack, ESCALATION_CHANNEL) == []


def test_snooze_reminds_again_later(heard: Heard, clock: Clock, fake_slack: FakeSlack) -> None:
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    clock.advance(timedelta(hours=1))
    assert heard.scheduler.tick() == 1
    assert heard.promises.snooze(promise.id, AGENT_ID, None) is Outcome.DONE
    clock.advance(timedelta(minutes=29))
    assert heard.scheduler.tick() == 0
    clock.advance(timedelta(minutes=1))
    assert heard.scheduler.tick() == 2  # the snooze, and the escalation (the customer waits)
    assert dms(fake_slack)[-1].startswith("⚠️ Overdue by 30 min")


def test_a_later_team_reply_keeps_the_promise_and_stops_its_reminders(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    [promise] = reply(heard, clock, "I'll update you within 4 hours.")
    clock.advance(timedelta(hours=1))
    reply(heard, clock, "Quick update: the fix is deployed, please try again.", user=COLLEAGUE)
    kept = heard.store.get(promise.id)
    assert kept is not None and kept.status == state.KEPT and kept.closed_by == COLLEAGUE
    assert {status for _, status in kinds(heard, promise).values()} == {state.CANCELLED}
    clock.advance(timedelta(days=1))
    assert heard.scheduler.tick() == 0
    assert dms(fake_slack) == [] and posts_in(fake_slack, ESCALATION_CHANNEL) == []


def test_a_reply_with_a_new_promise_keeps_the_old_one_and_schedules_the_new(
    heard: Heard, clock: Clock
) -> None:
    [old] = reply(heard, clock, "I'll update you within 4 hours.")
    clock.advance(timedelta(hours=3))
    [new] = reply(heard, clock, "Still investigating; I'll update you again within 1 hour.")
    assert heard.store.get(old.id).status == state.KEPT  # type: ignore[union-attr]
    assert heard.store.get(new.id).status == state.OPEN  # type: ignore[union-attr]
    assert [p.id for p in heard.promises.list_open(AGENT_ID)] == [new.id]


def test_reminders_due_during_downtime_fire_once_at_start_up(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    reply(heard, clock, "I'll update you within 24 hours.")
    clock.advance(timedelta(hours=30))  # the bot was down through every reminder
    fresh = heard.another_instance(fake_slack, str(heard.sessions.kw["bind"].url), "after-restart")
    assert fresh.tick() == 2  # one owner reminder (the latest) and the escalation
    assert fresh.tick() == 0 and heard.scheduler.tick() == 0
    assert [text.split(" by")[0] for text in dms(fake_slack)] == ["⚠️ Overdue"]
    assert len(posts_in(fake_slack, ESCALATION_CHANNEL)) == 1


def test_a_failed_send_is_retried_with_backoff(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    clock.advance(timedelta(hours=1))
    fake_slack.fail_next("chat.postMessage", 500)
    assert heard.scheduler.tick() == 0
    assert kinds(heard, promise)[state.DUE][1] == state.PENDING
    assert heard.scheduler.tick() == 0  # not before the backoff
    clock.advance(timedelta(seconds=10))
    assert heard.scheduler.tick() == 1
    assert len(dms(fake_slack)) == 1


def test_a_send_that_keeps_failing_gives_up(
    make_heard: MakeHeard, clock: Clock, fake_slack: FakeSlack
) -> None:
    heard = make_heard(escalation_channel=None)
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    clock.advance(timedelta(hours=1))
    fake_slack.fail_next("chat.postMessage", error="channel_not_found", times=MAX_ATTEMPTS)
    for _ in range(MAX_ATTEMPTS):
        heard.scheduler.tick()
        clock.advance(timedelta(minutes=5))
    assert kinds(heard, promise)[state.DUE][1] == state.FAILED


def test_a_claim_abandoned_by_a_dead_worker_is_sent_after_its_lease(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    reply(heard, clock, "I'll update you in 1 hour.")
    clock.advance(timedelta(hours=1))
    claimed = heard.store.claim_due(clock.now(), "dead-worker", 10)
    assert [c.kind for c in claimed] == ["lead:900", state.DUE]
    assert heard.scheduler.tick() == 0  # the dead worker's lease still holds
    clock.advance(timedelta(minutes=1))
    assert heard.scheduler.tick() == 0
    clock.advance(timedelta(minutes=1, seconds=1))
    assert heard.scheduler.tick() == 1
    assert not heard.store.finish(claimed[1].id, "dead-worker", status=state.SENT)  # too late
    assert len(dms(fake_slack)) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_instances_on_one_database_send_each_reminder_once(
    backend: str,
    request: pytest.FixtureRequest,
    make_heard: MakeHeard,
    clock: Clock,
    fake_slack: FakeSlack,
) -> None:
    url = request.getfixturevalue(f"{'pg' if backend == 'postgres' else 'sqlite'}_url")
    heard = make_heard(url, escalation_channel=None, leads=())
    for n in range(80):
        ts = f"{clock.now().timestamp() + n / 1000:.6f}"
        heard.promises.on_team_reply(
            "I'll update you in 1 hour.", AGENT_ID, SUPPORT_CHANNEL, f"1772614800.{n:06d}", ts
        )
    clock.advance(timedelta(hours=1, seconds=1))
    instances = [heard.another_instance(fake_slack, url, f"worker-{i}") for i in range(2)]
    for instance in instances:
        instance.batch = 7  # small batches, so the two really interleave
    totals = [0, 0]
    fake_slack.delay("chat.postMessage", 0.01)  # sends take time, as they do against Slack
    start = threading.Barrier(2)

    def drain(index: int) -> None:
        start.wait()
        while (sent := instances[index].tick()) or instances[index].store.next_fire_at():
            totals[index] += sent

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(totals) == 80 and all(totals)
    assert len(dms(fake_slack)) == 80


# ---------------------------------------------------------------- what the owner can do


def test_only_the_owner_on_our_team_may_act(heard: Heard, clock: Clock) -> None:
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    assert heard.promises.mark_kept(promise.id, COLLEAGUE, None) is Outcome.NOT_ALLOWED
    assert heard.promises.cancel(promise.id, AGENT_ID, "T0EXTERNAL") is Outcome.NOT_ALLOWED
    assert heard.promises.mark_kept(promise.id, AGENT_ID, None) is Outcome.DONE
    assert heard.promises.mark_kept(promise.id, AGENT_ID, None) is Outcome.ALREADY_DECIDED
    assert heard.promises.snooze(promise.id, AGENT_ID, None) is Outcome.ALREADY_DECIDED


def test_changing_the_due_time_starts_the_reminders_over(heard: Heard, clock: Clock) -> None:
    [promise] = reply(heard, clock, "I'll update you in 1 hour.")
    later = clock.now() + timedelta(hours=5)
    assert heard.promises.change_due(promise.id, AGENT_ID, None, later) is Outcome.DONE
    pending = {k: at for k, (at, s) in kinds(heard, promise).items() if s == state.PENDING}
    assert pending == {
        "lead:7200": later - timedelta(hours=2),
        "lead:900": later - timedelta(minutes=15),
        state.DUE: later,
        state.ESCALATION: later + timedelta(minutes=30),
    }


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("in 2h update Acme on the outage", datetime(2026, 3, 4, 11, 0, tzinfo=UTC)),
        ("tomorrow 10:00 call Acme back", datetime(2026, 3, 5, 10, 0, tzinfo=UTC)),
        ("2時間以内にAcme様へ障害の件を", datetime(2026, 3, 4, 11, 0, tzinfo=UTC)),
        ("завтра в 10:00 насчёт счёта", datetime(2026, 3, 5, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_promise_added_by_hand(heard: Heard, text: str, due: datetime) -> None:
    # The fake agent is in Europe/London, UTC in March.
    promise = heard.promises.add_manual(AGENT_ID, None, text, SUPPORT_CHANNEL)
    assert promise is not None and promise.due == due and promise.phrase == text


def test_a_promise_by_hand_needs_a_time(heard: Heard) -> None:
    assert heard.promises.add_manual(AGENT_ID, None, "update Acme", SUPPORT_CHANNEL) is None


@pytest.mark.parametrize(
    ("text", "language", "next_update"),
    [
        ("I'll update you within 4 hours.", "en", "within 4 hours"),
        ("4時間以内にご連絡いたします。", "ja", "4時間以内"),
        ("4시간 이내에 연락드리겠습니다.", "ko", "4시간 이내에"),
        ("Я напишу вам в течение 4 часов.", "ru", "в течение 4 часов"),
        ("Size 4 saat içinde dönüş yapacağım.", "tr", "4 saat içinde"),
    ],
)
def test_draft_an_update_is_transparent_and_in_the_customers_language(
    heard: Heard, clock: Clock, text: str, language: str, next_update: str
) -> None:
    [promise] = reply(heard, clock, text)
    assert promise.language == language
    draft = heard.promises.draft_update(promise)
    assert next_update in draft and "Mina" in draft
    assert has_blanks(draft)  # what is known, what is being done: for the agent to fill in


def test_sending_the_update_posts_as_the_agent_keeps_the_promise_and_makes_the_next(
    heard: Heard, clock: Clock, fake_slack: FakeSlack
) -> None:
    [promise] = reply(heard, clock, "I'll update you within 4 hours.")
    clock.advance(timedelta(hours=3))
    text = heard.promises.draft_update(promise)
    text = text.replace("[what you have found out]", "the sync job stalled")
    text = text.replace("[the next step, and who is on it]", "I'm replaying it now")
    text = text.replace("[customer name]", "Carol")
    assert not has_blanks(text)
    assert heard.promises.send_update(promise.id, AGENT_ID, None, text) is Outcome.DONE
    [posted] = [c for c in fake_slack.calls("chat.postMessage") if c.params.get("username")]
    assert posted.params["channel"] == CONNECT_CHANNEL and posted.params["thread_ts"] == THREAD
    assert posted.params["username"] == "Mina"
    assert heard.store.get(promise.id).status == state.KEPT  # type: ignore[union-attr]
    [following] = heard.promises.list_open(AGENT_ID)
    assert "update you again within 4 hours" in following.phrase
