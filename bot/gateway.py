"""The Slack Web API calls Heard makes, in one place, with the lookups it repeats cached.

Services talk to Slack only through this class, so the safety rules that depend on Slack's answers
(is this channel shared with customers? is this user one of ours?) are decided in one place.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
_CACHE_SECONDS = 600.0
CARD_EVENT = "heard_card"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the bot is and which organisation installed it."""

    bot_user_id: str
    bot_id: str
    team_id: str
    enterprise_id: str | None
    workspace_url: str  # https://<workspace>.slack.com/, for permalinks


@dataclass(frozen=True, slots=True)
class Person:
    user_id: str
    name: str
    avatar: str | None
    tz: str
    team_id: str | None
    enterprise_id: str | None
    is_bot: bool


class _TtlCache:
    def __init__(self) -> None:
        self._values: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            hit = self._values.get(key)
        return hit[1] if hit and time.monotonic() - hit[0] < _CACHE_SECONDS else None

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._values[key] = (time.monotonic(), value)


class SlackGateway:
    def __init__(self, client: WebClient, identity: Identity) -> None:
        self.client = client
        self.identity = identity
        self._channels = _TtlCache()
        self._people = _TtlCache()
        self._groups = _TtlCache()

    @classmethod
    def connect(cls, client: WebClient) -> SlackGateway:
        """Ask Slack who we are (auth.test); raises SlackApiError on a bad token."""
        auth = client.auth_test()
        identity = Identity(
            bot_user_id=str(auth["user_id"]),
            bot_id=str(auth.get("bot_id") or ""),
            team_id=str(auth["team_id"]),
            enterprise_id=auth.get("enterprise_id") or None,
            workspace_url=str(auth.get("url") or "https://slack.com/"),
        )
        return cls(client, identity)

    # ---------------------------------------------------------------- who and where

    def is_customer_visible(self, channel: str) -> bool:
        """True when people outside the team can read the channel (Slack Connect or shared).

        When Slack can't tell us, assume the worst: a draft must never reach a customer.
        """
        cached = self._channels.get(channel)
        if cached is not None:
            return bool(cached)
        try:
            info = self.client.conversations_info(channel=channel)["channel"]
        except SlackApiError as error:
            log.warning(
                "conversations.info failed for %s (%s): treating it as shared", channel, error
            )
            return True
        shared = bool(
            info.get("is_ext_shared") or info.get("is_shared") or info.get("is_pending_ext_shared")
        )
        self._channels.put(channel, shared)
        return shared

    def person(self, user_id: str) -> Person:
        cached = self._people.get(user_id)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        user = self.client.users_info(user=user_id)["user"]
        profile = user.get("profile") or {}
        person = Person(
            user_id=user_id,
            name=profile.get("display_name") or profile.get("real_name") or user.get("name", ""),
            avatar=profile.get("image_72") or profile.get("image_48"),
            tz=user.get("tz") or "UTC",
            team_id=user.get("team_id"),
            enterprise_id=(user.get("enterprise_user") or {}).get("enterprise_id"),
            is_bot=bool(user.get("is_bot")),
        )
        self._people.put(user_id, person)
        return person

    def is_team_member(self, user_id: str, team_id: str | None = None) -> bool:
        """A user of the installing organisation (not Slack's `is_stranger`, which is unreliable).

        `team_id` from a signed payload is used when present; otherwise users.info decides. A
        lookup failure counts as an outsider: acting for the wrong person is worse than not acting.
        """
        own = self.identity
        if team_id is None:
            try:
                person = self.person(user_id)
            except SlackApiError as error:
                log.warning("users.info failed for %s (%s): treating as outsider", user_id, error)
                return False
            if own.enterprise_id and person.enterprise_id == own.enterprise_id:
                return True
            team_id = person.team_id
        return team_id == own.team_id

    def in_usergroup(self, user_id: str, usergroup: str) -> bool:
        """Membership of a user group (usergroups.users.list, cached); a failed lookup denies."""
        members = self._groups.get(usergroup)
        if members is None:
            try:
                response = self.client.usergroups_users_list(usergroup=usergroup)
            except SlackApiError as error:
                log.warning("usergroups.users.list failed for %s: %s", usergroup, error)
                return False
            members = frozenset(response.get("users", []))
            self._groups.put(usergroup, members)
        return user_id in members

    # ---------------------------------------------------------------- messages

    def permalink(self, channel: str, ts: str, thread_ts: str | None = None) -> str:
        """A message's permalink, built the way Slack builds it: no API call per card."""
        link = f"{self.identity.workspace_url}archives/{channel}/p{ts.replace('.', '')}"
        return f"{link}?thread_ts={thread_ts}&cid={channel}" if thread_ts else link

    def post_card(
        self,
        channel: str,
        *,
        text: str,
        blocks: list[dict[str, Any]],
        complaint_id: int,
        thread_ts: str | None = None,
    ) -> str:
        """Post a draft card, tagged with its complaint so a crash mid-post can be recovered."""
        response = self.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            metadata={"event_type": CARD_EVENT, "event_payload": {"complaint_id": complaint_id}},
        )
        return str(response["ts"])

    def find_card(self, channel: str, complaint_id: int) -> str | None:
        """The ts of a card already posted for this complaint (after a crash), if any.

        Recovery runs within minutes of the crash, so the card is among the newest messages.
        """
        response = self.client.conversations_history(
            channel=channel, include_all_metadata=True, limit=200
        )
        messages: list[dict[str, Any]] = response.get("messages", [])
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == CARD_EVENT
                and payload.get("complaint_id") == complaint_id
            ):
                return str(message["ts"])
        return None

    def update_card(
        self, channel: str, ts: str, *, text: str, blocks: list[dict[str, Any]]
    ) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def post_reply(self, channel: str, thread_ts: str, text: str, as_person: Person) -> str:
        """The agent's reply in the customer's thread, shown with the agent's name and picture."""
        response = self.client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=text,
            username=as_person.name or None,
            icon_url=as_person.avatar,
            unfurl_links=False,
        )
        return str(response["ts"])

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view)

    # ---------------------------------------------------------------- promises and reminders

    def post_message(
        self, channel: str, *, text: str, blocks: list[dict[str, Any]]
    ) -> tuple[str, str]:
        """A bot message (a reminder DM when `channel` is a user ID); returns (channel, ts)."""
        response = self.client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False
        )
        return str(response["channel"]), str(response["ts"])

    def update_message(
        self, channel: str, ts: str, *, text: str, blocks: list[dict[str, Any]]
    ) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def post_ephemeral(
        self,
        channel: str,
        user_id: str,
        *,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None = None,
    ) -> None:
        """A message only `user_id` sees, safe even in a channel shared with customers."""
        self.client.chat_postEphemeral(
            channel=channel, user=user_id, text=text, blocks=blocks, thread_ts=thread_ts
        )

    def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        self.client.views_publish(user_id=user_id, view=view)
