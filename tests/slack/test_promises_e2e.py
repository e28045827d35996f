"""End to end for promises: signed requests to the running app, the fake Slack behind it, and
the scheduler ticked on a test clock. Nothing of ours is mocked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_slack import (
    AGENT_ID,
    CONNECT_CHANNEL,
    EXTERNAL_TEAM_ID,
    EXTERNAL_USER_ID,
    RESPONSE_URL,
    SUPPORT_CHANNEL,
    FakeSlack,
)
from payloads import block_actions, message_event, slash_command, text_input, view_submission
from running_app import TRIAGE_CHANNEL, RunningApp, settings_for
from test_app_e2e import card_button, customer_complaint, wait_until

from bot.store import promises as state
from bot.store.models import PromiseRecord
from bot.views.card import SEND
from bot.views.reminders import (
    CHANGE,
    DRAFT,
    DUE_BLOCK,
    DUE_INPUT,
    DUE_VIEW,
    KEPT,
    NOT_PROMISE,
    SNOOZE,
    UPDATE_BLOCK,
    UPDATE_INPUT,
    UPDATE_VIEW,
    action_id,
)


class Clock:
    """The scheduler's time; it starts where the payload builders' message timestamps do."""

    def __init__(self) -> None:
        self.moment = datetime.fromtimestamp(1_690_000_000, UTC)

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(fake_slack: FakeSlack, tmp_path: Path, clock: Clock) -> Iterator[RunningApp]:
    settings = settings_for(fake_slack, tmp_path / "heard.db")
    with RunningApp(fake_slack, settings) as running:
        running.heard.promises.now = clock.now
        running.heard.scheduler.now = clock.now
        yield running


def open_promises(app: RunningApp) -> list[PromiseRecord]:
    return app.heard.promises.list_open(AGENT_ID)


def team_reply(app: RunningApp, text: str, thread_ts: str) -> PromiseRecord:
    """The agent writes a reply by hand in the customer's thread; returns the promise."""
    event = message_event(text, channel=CONNECT_CHANNEL, user=AGENT_ID, thread_ts=thread_ts)
    assert app.event(event, is_ext_shared_channel=True)[0] == 200
    wait_until(lambda: open_promises(app))
    [promise] = open_promises(app)
    return promise


def click(app: RunningApp, action: str, promise: PromiseRecord, **payload: object) -> None:
    status, _ = app.interact(block_actions(action_id(action), str(promise.id), **payload))  # type: ignore[arg-type]
    assert status == 200


def status_of(app: RunningApp, promise: PromiseRecord) -> str:
    found = app.heard.promises.store.get(promise.id)
    assert found is not None
    return found.status


def test_sending_a_card_records_its_promise_and_confirms_it_in_the_triage_channel(
    app: RunningApp,
) -> None:
    _message, complaint_id = customer_complaint(app)
    card_button(app, complaint_id, SEND)
    [note] = app.fake.wait_for("chat.postEphemeral")
    assert note.params["channel"] == TRIAGE_CHANNEL and note.params["user"] == AGENT_ID
    assert "Reminder set for <!date^" in note.params["text"]
    [promise] = open_promises(app)
    assert promise.complaint_id == complaint_id and promise.channel == CONNECT_CHANNEL
    click(app, NOT_PROMISE, promise, response_url=app.fake.response_url())
    [replaced] = app.fake.wait_for(RESPONSE_URL)
    assert (
        replaced.params["replace_original"] is True and "Not a promise" in replaced.params["text"]
    )
    assert status_of(app, promise) == state.CANCELLED


def test_a_hand_written_reply_makes_a_promise_and_the_next_reply_keeps_it(
    app: RunningApp,
) -> None:
    message, _ = customer_complaint(app)
    thread = str(message["ts"])
    promise = team_reply(
        app, "Checking with the warehouse; I'll update you within 2 hours.", thread
    )
    assert promise.thread_ts == thread
    app.fake.wait_for("chat.postEphemeral", where=lambda c: c.params["channel"] == CONNECT_CHANNEL)
    later = message_event(
        "Found it, it ships today.", channel=CONNECT_CHANNEL, user=AGENT_ID, thread_ts=thread
    )
    app.event(later, is_ext_shared_channel=True)
    wait_until(lambda: status_of(app, promise) == state.KEPT)


def test_a_reminder_dm_and_mark_kept(app: RunningApp, clock: Clock) -> None:
    message, _ = customer_complaint(app)
    promise = team_reply(app, "I'll update you within 2 hours.", str(message["ts"]))
    clock.moment = promise.due
    assert app.heard.scheduler.tick() == 1
    [dm] = app.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == AGENT_ID)
    click(app, KEPT, promise, channel=dm.response["channel"], response_url=app.fake.response_url())
    [replaced] = app.fake.wait_for(RESPONSE_URL)
    assert "Kept" in replaced.params["text"]
    assert status_of(app, promise) == state.KEPT
    home = app.fake.home_view(AGENT_ID)
    assert home is not None and "Nothing open" in str(home["blocks"])


def test_snooze_from_the_dm(app: RunningApp, clock: Clock) -> None:
    message, _ = customer_complaint(app)
    promise = team_reply(app, "I'll update you within 2 hours.", str(message["ts"]))
    click(app, SNOOZE, promise, response_url=app.fake.response_url())
    app.fake.wait_for(RESPONSE_URL)
    kinds = {r.kind for r in app.heard.promises.store.reminders(promise.id)}
    assert state.SNOOZE in kinds


def test_draft_an_update_opens_a_modal_that_sends_into_the_customer_thread(
    app: RunningApp,
) -> None:
    message, _ = customer_complaint(app)
    thread = str(message["ts"])
    promise = team_reply(app, "I'll update you within 2 hours.", thread)
    click(app, DRAFT, promise)
    [opened] = app.fake.wait_for("views.open")
    draft = opened.params["view"]["blocks"][1]["element"]["initial_value"]
    assert "[what you have found out]" in draft

    def submit(text: str) -> tuple[int, str]:
        values = {UPDATE_BLOCK: {UPDATE_INPUT: text_input(text)}}
        return app.interact(view_submission(UPDATE_VIEW, values, private_metadata=str(promise.id)))

    status, body = submit(draft)
    assert status == 200 and "bracketed" in body  # blanks left: refused, nothing sent
    filled = draft.replace("[what you have found out]", "the parcel is at the depot")
    filled = filled.replace("[the next step, and who is on it]", "I booked a courier")
    filled = filled.replace("[customer name]", "Dev")
    assert submit(filled)[0] == 200
    [sent] = app.fake.wait_for(
        "chat.postMessage", where=lambda c: c.params.get("thread_ts") == thread
    )
    assert sent.params["channel"] == CONNECT_CHANNEL and "depot" in sent.params["text"]
    wait_until(lambda: status_of(app, promise) == state.KEPT)


def test_change_opens_a_picker_and_moves_the_due_time(app: RunningApp, clock: Clock) -> None:
    message, _ = customer_complaint(app)
    promise = team_reply(app, "I'll update you within 2 hours.", str(message["ts"]))
    click(app, CHANGE, promise)
    [opened] = app.fake.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == DUE_VIEW
    new_due = int((clock.now() + timedelta(hours=6)).timestamp())
    values = {DUE_BLOCK: {DUE_INPUT: {"type": "datetimepicker", "selected_date_time": new_due}}}
    app.interact(view_submission(DUE_VIEW, values, private_metadata=str(promise.id)))
    wait_until(lambda: int(open_promises(app)[0].due.timestamp()) == new_due)


def test_promise_command_adds_lists_and_cancels(app: RunningApp) -> None:
    def run(text: str) -> str:
        url = app.fake.response_url()
        assert app.command(slash_command("/promise", text, response_url=url))[0] == 200
        [answer] = app.fake.wait_for(RESPONSE_URL, where=lambda c: c.path.endswith(url[-6:]))
        return str(answer.params["text"])

    assert "Reminder set for <!date^" in run("in 2h update Acme on the outage")
    [promise] = open_promises(app)
    assert "update Acme on the outage" in run("list")
    assert "cancelled" in run(f"cancel {promise.id}")
    assert open_promises(app) == []
    assert "couldn't find a time" in run("update Acme sometime")


def test_the_home_tab_lists_open_promises_soonest_first(app: RunningApp) -> None:
    message, _ = customer_complaint(app)
    team_reply(app, "I'll update you within 4 hours.", str(message["ts"]))
    app.heard.promises.add_manual(AGENT_ID, None, "in 1h call Acme", SUPPORT_CHANNEL)
    event = {"type": "app_home_opened", "user": AGENT_ID, "channel": "D0AGENT", "tab": "home"}
    assert app.event(event)[0] == 200
    wait_until(lambda: "call Acme" in str(app.fake.home_view(AGENT_ID)))
    text = str(app.fake.home_view(AGENT_ID))
    assert text.index("call Acme") < text.index("within 4 hours")
    assert "Mark kept" in text and "Snooze" in text


def test_outsiders_cannot_touch_promises(app: RunningApp) -> None:
    message, _ = customer_complaint(app)
    promise = team_reply(app, "I'll update you within 2 hours.", str(message["ts"]))
    click(app, KEPT, promise, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID)
    click(app, NOT_PROMISE, promise, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID)
    app.command(slash_command("/promise", "list", user_id=EXTERNAL_USER_ID))
    app.heard.pool.submit(lambda: None).result()  # let the submitted clicks run
    assert status_of(app, promise) == state.OPEN
    assert app.fake.calls(RESPONSE_URL) == []
