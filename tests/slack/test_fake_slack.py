"""The fake Slack driven by the real slack_sdk (and once by a real Bolt app), so e2e tests can
trust that what passes against the fake would pass against Slack's Web API."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Sequence

import pytest
from fake_slack import (
    AGENT_ID,
    BOT_USER_ID,
    CONNECT_CHANNEL,
    CUSTOMER_ID,
    EXTERNAL_TEAM_ID,
    EXTERNAL_USER_ID,
    RESPONSE_URL,
    SUPPORT_CHANNEL,
    TEAM_ID,
    Bot,
    Channel,
    FakeSlack,
    Json,
    SlackError,
)
from payloads import (
    block_actions,
    event_callback,
    form_body,
    interactivity_body,
    message_action,
    message_event,
    reaction_added_event,
    slash_command,
    text_input,
    view_submission,
)
from signing import SIGNING_SECRET, sign
from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

METADATA = {"event_type": "heard_draft", "event_payload": {"case": "42"}}


def test_post_update_permalink_history_round_trip(
    fake_slack: FakeSlack, slack_client: WebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Draft*"}}]
    posted = slack_client.chat_postMessage(
        channel=SUPPORT_CHANNEL, text="Draft", blocks=blocks, metadata=METADATA
    )
    assert posted["ts"] == "1700000000.000100"
    assert posted["message"]["user"] == BOT_USER_ID
    reply = slack_client.chat_postMessage(
        channel=SUPPORT_CHANNEL, text="in thread", thread_ts=posted["ts"], username="Heard"
    )
    assert float(reply["ts"]) > float(posted["ts"])

    updated = slack_client.chat_update(channel=SUPPORT_CHANNEL, ts=posted["ts"], text="Sent")
    assert updated["message"]["text"] == "Sent"
    assert updated["message"]["blocks"] == blocks  # Slack keeps blocks that are not resent

    link = slack_client.chat_getPermalink(channel=SUPPORT_CHANNEL, message_ts=reply["ts"])
    assert link["permalink"] == (
        f"https://fake.slack.com/archives/{SUPPORT_CHANNEL}/p1700000000000200"
        f"?thread_ts={posted['ts']}&cid={SUPPORT_CHANNEL}"
    )

    history = slack_client.conversations_history(channel=SUPPORT_CHANNEL)
    [parent] = history["messages"]
    assert (parent["text"], parent["reply_count"]) == ("Sent", 1)
    assert "metadata" not in parent
    with_metadata = slack_client.conversations_history(
        channel=SUPPORT_CHANNEL, include_all_metadata=True
    )
    assert with_metadata["messages"][0]["metadata"] == METADATA

    replies = slack_client.conversations_replies(channel=SUPPORT_CHANNEL, ts=posted["ts"])
    assert [m["text"] for m in replies["messages"]] == ["Sent", "in thread"]

    [call] = fake_slack.calls("chat.postMessage")[:1]
    assert call.params["blocks"] == blocks
    assert call.token == "xoxb-test"
    assert call.headers["authorization"] == "Bearer xoxb-test"


def test_history_window_limit_and_form_encoded_json_arguments(fake_slack: FakeSlack) -> None:
    seeded = [fake_slack.add_message(SUPPORT_CHANNEL, f"m{i}", user=CUSTOMER_ID) for i in range(4)]
    fake_slack.add_message(SUPPORT_CHANNEL, "reply", thread_ts=seeded[0]["ts"])
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)

    page = client.conversations_history(
        channel=SUPPORT_CHANNEL, oldest=seeded[0]["ts"], latest=seeded[3]["ts"], limit=1
    )
    assert [m["text"] for m in page["messages"]] == ["m2"]
    assert page["has_more"] is True
    inclusive = client.conversations_history(
        channel=SUPPORT_CHANNEL, oldest=seeded[0]["ts"], inclusive=True
    )
    assert [m["text"] for m in inclusive["messages"]] == ["m3", "m2", "m1", "m0"]

    # Form bodies carry JSON arguments as strings; the fake records them decoded.
    client.api_call(
        "chat.postMessage",
        params={"channel": SUPPORT_CHANNEL, "blocks": json.dumps([{"type": "divider"}])},
    )
    assert fake_slack.calls("chat.postMessage")[0].params["blocks"] == [{"type": "divider"}]


def test_edits_deletes_reactions_and_their_errors(slack_client: WebClient) -> None:
    ts = slack_client.chat_postMessage(channel=SUPPORT_CHANNEL, text="hi")["ts"]
    slack_client.reactions_add(channel=SUPPORT_CHANNEL, timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError) as twice:
        slack_client.reactions_add(channel=SUPPORT_CHANNEL, timestamp=ts, name="eyes")
    assert twice.value.response["error"] == "already_reacted"
    slack_client.reactions_remove(channel=SUPPORT_CHANNEL, timestamp=ts, name="eyes")

    slack_client.chat_delete(channel=SUPPORT_CHANNEL, ts=ts)
    for method in ("chat.update", "chat.delete"):
        with pytest.raises(SlackApiError) as missing:
            slack_client.api_call(method, json={"channel": SUPPORT_CHANNEL, "ts": ts})
        assert missing.value.response["error"] == "message_not_found"

    with pytest.raises(SlackApiError) as unknown:
        slack_client.chat_postMessage(channel="C0NOWHERE", text="hi")
    assert unknown.value.response["error"] == "channel_not_found"


def test_users_conversations_team_and_auth(slack_client: WebClient, fake_slack: FakeSlack) -> None:
    external = slack_client.users_info(user=EXTERNAL_USER_ID)["user"]
    assert external["team_id"] == EXTERNAL_TEAM_ID
    assert external["profile"]["display_name"] == "Dev"
    assert external["tz_offset"] == 19800
    assert slack_client.users_info(user=BOT_USER_ID)["user"]["is_bot"] is True

    connect = slack_client.conversations_info(channel=CONNECT_CHANNEL)["channel"]
    assert (connect["is_ext_shared"], connect["is_shared"], connect["is_member"]) == (
        True,
        True,
        True,
    )
    fake_slack.add_channel(Channel("G0SECRET", "escalations", is_private=True, is_member=False))
    secret = slack_client.conversations_info(channel="G0SECRET")["channel"]
    assert (secret["is_private"], secret["is_channel"]) == (True, False)
    with pytest.raises(SlackApiError) as outside:
        slack_client.chat_postMessage(channel="G0SECRET", text="hi")
    assert outside.value.response["error"] == "not_in_channel"

    auth = slack_client.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == (TEAM_ID, BOT_USER_ID, "B0BOT")
    assert slack_client.bots_info(bot="B0BOT")["bot"]["user_id"] == BOT_USER_ID
    fake_slack.add_bot(Bot("B0ZENDESK", "zendesk", "U0ZENDESK", "A0ZENDESK"))
    assert slack_client.bots_info(bot="B0ZENDESK")["bot"]["name"] == "zendesk"
    assert slack_client.team_info(team=EXTERNAL_TEAM_ID)["team"]["name"] == "Acme Corp"


def test_dm_ephemeral_and_views(fake_slack: FakeSlack, slack_client: WebClient) -> None:
    dm = slack_client.chat_postMessage(channel=AGENT_ID, text="your follow-up is due")
    assert dm["channel"] == "D0AGENT"
    assert slack_client.conversations_info(channel="D0AGENT")["channel"]["is_im"] is True
    ephemeral = slack_client.chat_postEphemeral(channel=SUPPORT_CHANNEL, user=AGENT_ID, text="x")
    assert ephemeral["message_ts"]

    modal = {"type": "modal", "callback_id": "edit", "title": {"type": "plain_text", "text": "E"}}
    opened = slack_client.views_open(trigger_id="1.T0TEAM.t", view=modal)["view"]
    assert opened["callback_id"] == "edit"
    updated = slack_client.views_update(view_id=opened["id"], view=modal, hash=opened["hash"])
    with pytest.raises(SlackApiError) as stale:
        slack_client.views_update(view_id=opened["id"], view=modal, hash=opened["hash"])
    assert stale.value.response["error"] == "hash_conflict"
    assert fake_slack.view(opened["id"])["hash"] == updated["view"]["hash"]

    home = {"type": "home", "blocks": []}
    first = slack_client.views_publish(user_id=AGENT_ID, view=home)["view"]
    again = slack_client.views_publish(user_id=AGENT_ID, view=home)["view"]
    assert first["id"] == again["id"] == fake_slack.home_view(AGENT_ID)["id"]  # type: ignore[index]


def test_auth_and_unknown_methods(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as unknown:
        WebClient(token="xoxb-test", base_url=fake_slack.url).api_call("chat.sing")
    assert unknown.value.response["error"] == "unknown_method"
    with pytest.raises(SlackApiError) as user_token:
        WebClient(token="xoxp-user", base_url=fake_slack.url).auth_test()
    assert user_token.value.response["error"] == "invalid_auth"

    with FakeSlack(tokens={"xoxb-only"}, enterprise_id="E0GRID") as strict:
        with pytest.raises(SlackApiError):
            WebClient(token="xoxb-test", base_url=strict.url).auth_test()
        auth = WebClient(base_url=strict.url).auth_test(token="xoxb-only")  # form `token`
        assert auth["enterprise_id"] == "E0GRID"
        assert strict.calls("auth.test")[-1].token == "xoxb-only"


def test_rate_limit_is_retried_after_retry_after(fake_slack: FakeSlack) -> None:
    fake_slack.fail_next("chat.postMessage", retry_after=0)
    client = WebClient(
        token="xoxb-test",
        base_url=fake_slack.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    response = client.chat_postMessage(channel=SUPPORT_CHANNEL, text="hello")
    assert response["ok"] is True
    first, second = fake_slack.calls("chat.postMessage")
    assert (first.status, first.response["error"], second.status) == (429, "ratelimited", 200)
    assert len(fake_slack.messages(SUPPORT_CHANNEL)) == 1  # the failed attempt stored nothing


def test_rate_limit_header_and_server_errors_without_retry(
    fake_slack: FakeSlack, slack_client: WebClient
) -> None:
    fake_slack.fail_next("users.info", retry_after=7)
    fake_slack.fail_next("users.info", status=500)
    fake_slack.fail_next("users.info", error="user_not_visible", times=2)
    with pytest.raises(SlackApiError) as limited:
        slack_client.users_info(user=AGENT_ID)
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    with pytest.raises(SlackApiError) as broken:
        slack_client.users_info(user=AGENT_ID)
    assert broken.value.response.status_code == 500
    for _ in range(2):
        with pytest.raises(SlackApiError) as refused:
            slack_client.users_info(user=AGENT_ID)
        assert (refused.value.response.status_code, refused.value.response["error"]) == (
            200,
            "user_not_visible",
        )
    assert slack_client.users_info(user=AGENT_ID)["ok"] is True


def test_wait_for_delay_and_reset(fake_slack: FakeSlack, slack_client: WebClient) -> None:
    fake_slack.delay("chat.postMessage", 0.2)
    started = time.monotonic()
    worker = threading.Thread(
        target=lambda: slack_client.chat_postMessage(channel=SUPPORT_CHANNEL, text="late")
    )
    worker.start()
    [call] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params["text"] == "late")
    worker.join()
    assert time.monotonic() - started >= 0.2
    assert call.at <= time.time()

    with pytest.raises(AssertionError, match=r"2 chat.postMessage call\(s\), got 1; .*ok"):
        fake_slack.wait_for("chat.postMessage", count=2, timeout=0.05)
    fake_slack.reset()
    assert fake_slack.calls() == []
    assert len(fake_slack.messages(SUPPORT_CHANNEL)) == 1


def test_custom_method_and_response_url(fake_slack: FakeSlack) -> None:
    def lookup(params: Json) -> Json:
        if params["email"] != "carol@example.com":
            raise SlackError("users_not_found")
        return {"user": {"id": CUSTOMER_ID}}

    fake_slack.on("users.lookupByEmail", lookup)
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    found = client.users_lookupByEmail(email="carol@example.com")
    assert found["user"]["id"] == CUSTOMER_ID

    url = fake_slack.response_url("cmd")
    WebhookClient(url).send(text="Only you can see this", response_type="ephemeral")
    [answer] = fake_slack.wait_for(RESPONSE_URL)
    assert answer.path == "/response/cmd"
    assert answer.params["response_type"] == "ephemeral"


def test_signer_matches_slack_sdk_verifier() -> None:
    verifier = SignatureVerifier(SIGNING_SECRET)
    body = json.dumps(event_callback(message_event("hi")))
    assert verifier.is_valid_request(body, sign(SIGNING_SECRET, body))
    assert not verifier.is_valid_request(body, sign(SIGNING_SECRET, body, stale=True))
    assert not verifier.is_valid_request(body, sign(SIGNING_SECRET, body, wrong_signature=True))
    fixed = sign(SIGNING_SECRET, body.encode(), timestamp=1_700_000_000)
    assert fixed["X-Slack-Request-Timestamp"] == "1700000000"
    assert (
        verifier.generate_signature(timestamp="1700000000", body=body)
        == (fixed["X-Slack-Signature"])
    )


def test_payloads_carry_what_bolt_and_heard_read(fake_slack: FakeSlack) -> None:
    event = message_event(
        "hello", channel=CONNECT_CHANNEL, user=EXTERNAL_USER_ID, user_team=EXTERNAL_TEAM_ID
    )
    envelope = event_callback(fake_slack.add_event_message(event), is_ext_shared_channel=True)
    assert envelope["authorizations"][0]["user_id"] == BOT_USER_ID
    stored = fake_slack.message(CONNECT_CHANNEL, event["ts"])
    assert (stored["user"], stored["user_team"]) == (EXTERNAL_USER_ID, EXTERNAL_TEAM_ID)
    assert float(event["ts"]) < 1_700_000_000  # customer messages precede the bot's posts

    reaction = reaction_added_event("white_check_mark", ts=event["ts"])
    assert reaction["item"] == {"type": "message", "channel": SUPPORT_CHANNEL, "ts": event["ts"]}
    submitted = view_submission("edit", {"reply": {"text": text_input("Sorry!")}})
    assert submitted["view"]["state"]["values"]["reply"]["text"]["value"] == "Sorry!"
    shortcut = message_action("draft_reply", message=stored)
    assert shortcut["message_ts"] == event["ts"]
    assert "payload=%7B" in interactivity_body(shortcut)


def test_real_bolt_app_against_the_fake(fake_slack: FakeSlack) -> None:
    """Signed requests through Bolt's verification; its Web API calls land in the fake."""
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    app = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=True)

    @app.event("message")
    def on_message(event: dict[str, str], say: Say) -> None:
        say(text=f"heard: {event['text']}", thread_ts=event["ts"])

    @app.action("approve")
    def on_approve(ack: Ack, body: dict[str, dict[str, str]], respond: Respond) -> None:
        ack()
        respond(text=f"approved by {body['user']['id']}", replace_original=False)

    @app.command("/heard")
    def on_command(ack: Ack, command: dict[str, str]) -> None:
        ack(text=f"status: {command['text']}")

    def dispatch(body: str, **signing: bool) -> BoltResponse:
        headers: dict[str, str | Sequence[str]] = {**sign(SIGNING_SECRET, body, **signing)}
        return app.dispatch(BoltRequest(body=body, headers=headers))

    event = fake_slack.add_event_message(message_event("where is my refund?"))
    body = json.dumps(event_callback(event))
    assert dispatch(body, stale=True).status == 401
    assert dispatch(body, wrong_signature=True).status == 401
    assert dispatch(body).status == 200
    [said] = fake_slack.wait_for("chat.postMessage")
    assert said.params["text"] == "heard: where is my refund?"
    assert (said.params["channel"], said.params["thread_ts"]) == (SUPPORT_CHANNEL, event["ts"])

    message = said.response["message"]
    click = block_actions("approve", "yes", message=message, response_url=fake_slack.response_url())
    assert dispatch(interactivity_body(click)).status == 200
    [respond] = fake_slack.wait_for(RESPONSE_URL)
    assert respond.params["text"] == f"approved by {AGENT_ID}"

    answer = dispatch(form_body(slash_command("/heard", "open cases")))
    assert (answer.status, answer.body) == (200, "status: open cases")


def test_http_port_is_ephemeral_and_stops() -> None:
    with FakeSlack() as first, FakeSlack() as second:
        assert first.url != second.url
        assert first.url.startswith("http://127.0.0.1:") and first.url.endswith("/api/")
    with pytest.raises(OSError):
        urllib.request.urlopen(first.url + "auth.test", timeout=1)
