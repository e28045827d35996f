"""End to end: signed requests to the running app over HTTP, a fake Slack behind it.

Nothing of ours is mocked: Bolt verifies signatures and routes, our listeners and services run,
the store is a real SQLite file, and every Slack call crosses HTTP to the fake.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import (
    AGENT_ID,
    BOT_ID,
    CONNECT_CHANNEL,
    CUSTOMER_ID,
    EXTERNAL_TEAM_ID,
    EXTERNAL_USER_ID,
    RESPONSE_URL,
    SUPPORT_CHANNEL,
    FakeSlack,
    User,
)
from payloads import (
    block_actions,
    message_action,
    message_event,
    reaction_added_event,
    slash_command,
    text_input,
    view_submission,
)
from running_app import TRIAGE_CHANNEL, RunningApp, settings_for

from bot.store import complaints as status
from bot.views.card import EDIT_BLOCK, EDIT_INPUT, EDIT_VIEW, action_id

COMPLAINT = "My order #4521 still hasn't arrived and nobody answers my emails. This is ridiculous!"


@pytest.fixture
def app(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(fake_slack, settings_for(fake_slack, tmp_path / "heard.db")) as running:
        yield running


def cards(fake: FakeSlack, channel: str = TRIAGE_CHANNEL) -> list[dict[str, object]]:
    return [
        m
        for m in fake.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == "heard_card"
    ]


def customer_complaint(app: RunningApp, **event: object) -> tuple[dict[str, object], int]:
    """A Slack Connect customer complains; returns the event and the card's complaint id."""
    message = message_event(
        COMPLAINT,
        channel=CONNECT_CHANNEL,
        user=EXTERNAL_USER_ID,
        user_team=EXTERNAL_TEAM_ID,
        **event,
    )  # type: ignore[arg-type]
    status_code, _ = app.event(message, is_ext_shared_channel=True)
    assert status_code == 200
    app.fake.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == TRIAGE_CHANNEL)
    complaint = app.heard.store.by_message(CONNECT_CHANNEL, str(message["ts"]))
    assert complaint is not None
    wait_until(lambda: app.heard.store.get(complaint.id).status == status.POSTED)  # type: ignore[union-attr]
    return message, complaint.id


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def card_button(app: RunningApp, complaint_id: int, action: str, **payload: object) -> None:
    complaint = app.heard.store.get(complaint_id)
    assert complaint is not None and complaint.card_ts
    status_code, _ = app.interact(
        block_actions(
            action_id(action),
            str(complaint_id),
            channel=TRIAGE_CHANNEL,
            message={"type": "message", "ts": complaint.card_ts, "bot_id": BOT_ID, "text": ""},
            **payload,  # type: ignore[arg-type]
        )
    )
    assert status_code == 200


def replies_in(fake: FakeSlack, channel: str, thread_ts: str) -> list[dict[str, object]]:
    return [
        m
        for m in fake.messages(channel)
        if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
    ]


# ---------------------------------------------------------------- complaint → one card


def test_a_customer_complaint_gets_one_card_in_the_triage_channel(app: RunningApp) -> None:
    _message, complaint_id = customer_complaint(app)
    [card] = cards(app.fake)
    text = str(card["blocks"])
    assert "#4521" in text and "Send" in text and "Regenerate" in text
    assert "archives/C0CONNECT" in text  # the permalink to the customer message
    assert app.heard.store.get(complaint_id).language == "en"  # type: ignore[union-attr]


def test_slack_redelivering_the_event_never_yields_a_second_card(app: RunningApp) -> None:
    message = message_event(
        COMPLAINT, channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
    )
    for retry in range(3):
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else None
        )
        assert app.event(message, event_id="Ev0001", headers=headers)[0] == 200
    # the same message under another event id (e.g. a second delivery path) is still one card
    assert app.event(message, event_id="Ev0002")[0] == 200
    app.fake.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(cards(app.fake)) == 1


@pytest.mark.parametrize("forgery", [{"wrong_signature": True}, {"stale": True}])
def test_bad_or_stale_signature_is_refused_without_side_effects(
    app: RunningApp, forgery: dict[str, bool]
) -> None:
    message = message_event(
        COMPLAINT, channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
    )
    app.fake.reset()
    assert app.event(message, **forgery)[0] == 401
    time.sleep(0.2)
    assert app.heard.store.by_message(CONNECT_CHANNEL, str(message["ts"])) is None
    assert app.fake.calls() == []


def test_a_draft_never_lands_in_an_externally_shared_channel(app: RunningApp) -> None:
    _message, _ = customer_complaint(app)
    posted = [c.params.get("channel") for c in app.fake.calls("chat.postMessage")]
    assert CONNECT_CHANNEL not in posted
    assert app.fake.calls("reactions.add") == []


def test_in_an_internal_channel_the_card_goes_into_the_complaints_thread(app: RunningApp) -> None:
    message = message_event(
        "The export is broken again and I lost an hour of work!",
        channel=SUPPORT_CHANNEL,
        user=CUSTOMER_ID,
    )
    assert app.event(message)[0] == 200
    [call] = app.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == SUPPORT_CHANNEL
    assert call.params["thread_ts"] == message["ts"]
    assert cards(app.fake) == []  # nothing in the triage channel


def test_chit_chat_gets_no_card(app: RunningApp) -> None:
    message = message_event(
        "thanks, have a great weekend!",
        channel=CONNECT_CHANNEL,
        user=EXTERNAL_USER_ID,
        user_team=EXTERNAL_TEAM_ID,
    )
    assert app.event(message)[0] == 200
    wait_until(
        lambda: (
            (c := app.heard.store.by_message(CONNECT_CHANNEL, str(message["ts"]))) is not None
            and c.status == status.IGNORED
        )
    )
    assert app.fake.calls("chat.postMessage") == []


@pytest.mark.parametrize(
    "event",
    [
        {"subtype": "message_changed"},
        {"subtype": "channel_join"},
        {"bot_id": "B0OTHER"},
        {"user": AGENT_ID, "user_team": "T0TEAM", "thread": True},  # an agent's reply in the thread
        {"user": AGENT_ID, "user_team": "T0TEAM"},  # an agent talking in the shared channel
    ],
)
def test_messages_that_are_not_customer_complaints_are_ignored(
    app: RunningApp, event: dict[str, object]
) -> None:
    thread = event.pop("thread", False)
    fields = {"user": EXTERNAL_USER_ID, "user_team": EXTERNAL_TEAM_ID, **event}
    if thread:
        fields["thread_ts"] = "1690000000.000001"
    message = message_event(COMPLAINT, channel=CONNECT_CHANNEL, **fields)  # type: ignore[arg-type]
    assert app.event(message)[0] == 200
    time.sleep(0.3)
    assert app.heard.store.by_message(CONNECT_CHANNEL, str(message["ts"])) is None
    assert app.fake.calls("chat.postMessage") == []


def test_an_allowed_integration_bot_is_drafted_for(fake_slack: FakeSlack, tmp_path: Path) -> None:
    settings = settings_for(fake_slack, tmp_path / "heard.db", heard_allowed_bot_ids="B0HELPDESK")
    with RunningApp(fake_slack, settings) as running:
        message = message_event(
            "Ticket #881: customer says the invoice is wrong and they were charged twice.",
            channel=SUPPORT_CHANNEL,
            user=None,
            bot_id="B0HELPDESK",
            subtype="bot_message",
        )
        assert running.event(message)[0] == 200
        [call] = fake_slack.wait_for("chat.postMessage")
        assert call.params["thread_ts"] == message["ts"]


def test_a_rate_limited_post_is_retried_and_still_yields_one_card(app: RunningApp) -> None:
    app.fake.fail_next("chat.postMessage", 429, retry_after=1)
    customer_complaint(app)
    assert len(cards(app.fake)) == 1
    statuses = [c.status for c in app.fake.calls("chat.postMessage")]
    assert statuses == [429, 200]


# ---------------------------------------------------------------- agents decide


def test_send_by_a_team_member_posts_the_reply_in_the_customers_thread(app: RunningApp) -> None:
    message, complaint_id = customer_complaint(app)
    card_button(app, complaint_id, "send")
    [reply] = app.fake.wait_for(
        "chat.postMessage", where=lambda c: c.params.get("channel") == CONNECT_CHANNEL
    )
    assert reply.params["thread_ts"] == message["ts"]
    assert reply.params["username"] == "Mina"  # shown as the agent (chat:write.customize)
    assert "#4521" in reply.params["text"]
    wait_until(
        lambda: (
            "Sent by"
            in str(
                app.fake.message(TRIAGE_CHANNEL, app.heard.store.get(complaint_id).card_ts)[
                    "blocks"
                ]
            )
        )
    )  # type: ignore[union-attr]
    # a second click does nothing
    card_button(app, complaint_id, "send")
    time.sleep(0.3)
    assert len(replies_in(app.fake, CONNECT_CHANNEL, str(message["ts"]))) == 1
    assert app.heard.store.decisions(complaint_id)[0][:2] == (AGENT_ID, "send")


def test_send_by_an_external_user_does_nothing(app: RunningApp) -> None:
    message, complaint_id = customer_complaint(app)
    card_button(app, complaint_id, "send", user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID)
    time.sleep(0.4)
    assert replies_in(app.fake, CONNECT_CHANNEL, str(message["ts"])) == []
    assert app.heard.store.get(complaint_id).status == status.POSTED  # type: ignore[union-attr]


def test_reacting_with_a_check_mark_on_the_card_sends(app: RunningApp) -> None:
    _message, complaint_id = customer_complaint(app)
    card_ts = app.heard.store.get(complaint_id).card_ts  # type: ignore[union-attr]
    assert (
        app.event(
            reaction_added_event("white_check_mark", channel=TRIAGE_CHANNEL, ts=str(card_ts))
        )[0]
        == 200
    )
    app.fake.wait_for(
        "chat.postMessage", where=lambda c: c.params.get("channel") == CONNECT_CHANNEL
    )
    # the same reaction by someone outside the team on another card does nothing
    _, other_id = customer_complaint(app)
    other_ts = app.heard.store.get(other_id).card_ts  # type: ignore[union-attr]
    app.event(
        reaction_added_event(
            "white_check_mark", channel=TRIAGE_CHANNEL, ts=str(other_ts), user=EXTERNAL_USER_ID
        )
    )
    time.sleep(0.4)
    assert app.heard.store.get(other_id).status == status.POSTED  # type: ignore[union-attr]


def test_edit_opens_a_modal_and_sends_the_edited_text(app: RunningApp) -> None:
    _message, complaint_id = customer_complaint(app)
    card_button(app, complaint_id, "edit")
    [opened] = app.fake.wait_for("views.open")
    assert "#4521" in str(opened.params["view"])
    values = {
        EDIT_BLOCK: {
            EDIT_INPUT: text_input("Hi Dev, I'm on it and will update you within 2 hours. — Mina")
        }
    }
    assert (
        app.interact(view_submission(EDIT_VIEW, values, private_metadata=str(complaint_id)))[0]
        == 200
    )
    [reply] = app.fake.wait_for(
        "chat.postMessage", where=lambda c: c.params.get("channel") == CONNECT_CHANNEL
    )
    assert reply.params["text"].startswith("Hi Dev, I'm on it")
    wait_until(lambda: [d[1] for d in app.heard.store.decisions(complaint_id)] == ["edit+send"])


def test_regenerate_redraws_the_card_with_another_wording(app: RunningApp) -> None:
    _, complaint_id = customer_complaint(app)
    before = app.heard.store.get(complaint_id).draft  # type: ignore[union-attr]
    card_button(app, complaint_id, "regenerate")
    [update] = app.fake.wait_for("chat.update")
    after = app.heard.store.get(complaint_id).draft  # type: ignore[union-attr]
    assert after != before and after in str(update.params["blocks"]).replace("\\n", "\n")


def test_dismiss_and_claim_update_the_card(app: RunningApp) -> None:
    _, complaint_id = customer_complaint(app)
    card_button(app, complaint_id, "claim")
    app.fake.wait_for("chat.update")
    assert app.heard.store.get(complaint_id).owner_id == AGENT_ID  # type: ignore[union-attr]
    card_button(app, complaint_id, "dismiss")
    updates = app.fake.wait_for("chat.update", count=2)
    assert "Dismissed" in str(updates[-1].params["blocks"])
    card_button(app, complaint_id, "send")  # too late: dismissed cards are closed
    time.sleep(0.3)
    assert app.heard.store.get(complaint_id).status == status.DISMISSED  # type: ignore[union-attr]


def test_a_deleted_customer_message_withdraws_its_card(app: RunningApp) -> None:
    message, _complaint_id = customer_complaint(app)
    deleted = message_event("", channel=CONNECT_CHANNEL, user=None, subtype="message_deleted")
    deleted["deleted_ts"] = message["ts"]
    assert app.event(deleted)[0] == 200
    update = app.fake.wait_for("chat.update")[-1]
    assert "deleted the message" in str(update.params["blocks"])


# ---------------------------------------------------------------- drafts on demand


def test_slash_command_answers_with_an_ephemeral_draft(app: RunningApp) -> None:
    url = app.fake.response_url()
    assert (
        app.command(slash_command("/draft", "You charged me twice for March!!", response_url=url))[
            0
        ]
        == 200
    )
    [answer] = app.fake.wait_for(RESPONSE_URL)
    assert answer.params["response_type"] == "ephemeral"
    assert "billing" in str(answer.params["blocks"])


def test_slash_command_lints_the_agents_own_text(app: RunningApp) -> None:
    url = app.fake.response_url()
    app.command(
        slash_command(
            "/draft", "lint Sorry for the inconvenience, but we are very busy.", response_url=url
        )
    )
    [answer] = app.fake.wait_for(RESPONSE_URL)
    assert "non-apology" in str(answer.params) and "but-after-apology" in str(answer.params)


def test_slash_command_without_text_explains_itself(app: RunningApp) -> None:
    url = app.fake.response_url()
    app.command(slash_command("/draft", "", response_url=url))
    [answer] = app.fake.wait_for(RESPONSE_URL)
    assert "/draft lint" in answer.params["text"]


def test_commands_and_shortcuts_by_outsiders_do_nothing(app: RunningApp) -> None:
    url = app.fake.response_url()
    app.command(
        slash_command(
            "/draft",
            "My order never arrived",
            user_id=EXTERNAL_USER_ID,
            team_id=EXTERNAL_TEAM_ID,
            response_url=url,
        )
    )
    shortcut = message_action(
        "heard_draft_reply",
        message={"type": "message", "text": COMPLAINT, "ts": "1690000000.000009"},
        user=EXTERNAL_USER_ID,
        user_team=EXTERNAL_TEAM_ID,
        response_url=url,
    )
    app.interact(shortcut)
    time.sleep(0.4)
    assert app.fake.calls(RESPONSE_URL) == []


def test_message_shortcut_drafts_a_reply_for_any_message(app: RunningApp) -> None:
    url = app.fake.response_url()
    shortcut = message_action(
        "heard_draft_reply",
        message={"type": "message", "text": COMPLAINT, "ts": "1690000000.000010"},
        response_url=url,
    )
    assert app.interact(shortcut)[0] == 200
    [answer] = app.fake.wait_for(RESPONSE_URL)
    assert "#4521" in str(answer.params)


def test_a_senders_user_group_restricts_who_may_send(fake_slack: FakeSlack, tmp_path: Path) -> None:
    fake_slack.add_user(User("U0LEAD", "lee", "Lee Chen", "Lee"))
    fake_slack.on("usergroups.users.list", lambda params: {"users": ["U0LEAD"]})
    settings = settings_for(fake_slack, tmp_path / "heard.db", heard_senders_usergroup="S0SENDERS")
    with RunningApp(fake_slack, settings) as running:
        message, complaint_id = customer_complaint(running)
        card_button(running, complaint_id, "send")  # Mina is on the team but not a sender
        card_button(running, complaint_id, "claim")  # anyone on the team may still claim
        wait_until(lambda: running.heard.store.get(complaint_id).owner_id == AGENT_ID)  # type: ignore[union-attr]
        assert replies_in(fake_slack, CONNECT_CHANNEL, str(message["ts"])) == []
        card_button(running, complaint_id, "send", user="U0LEAD")
        fake_slack.wait_for(
            "chat.postMessage", where=lambda c: c.params.get("channel") == CONNECT_CHANNEL
        )
