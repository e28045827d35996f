"""A fake Slack Web API: real HTTP on 127.0.0.1, enough of Slack for Heard and the real slack_sdk.

There is no Slack in CI, so end-to-end tests point `slack_sdk.WebClient(base_url=fake.url)` (our
`SLACK_API_URL`) here. The fake keeps a small workspace (users, channels, messages, views) so the
app can read back what it wrote, records every call for assertions, and injects the failures a
real workspace produces (rate limits, 5xx, `ok: false`, latency). It also serves `response_url`
posts so ephemeral answers to slash commands and actions can be checked.

Strict where Slack is strict and a lenient fake would hide a bug (unknown channel, editing a
missing message, reacting twice); lenient where tests cannot easily seed state (a permalink or a
thread reply to a message the fake never stored, since events do not pass through the Web API).
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Json = dict[str, Any]
MethodHandler = Callable[[Json], Json]
Answer = tuple[int, Json, dict[str, str]]  # HTTP status, JSON body, extra headers

TEAM_ID = "T0TEAM"
TEAM_NAME = "Heard Test"
TEAM_DOMAIN = "heard-test"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0HEARD"
AGENT_ID = "U0AGENT"
CUSTOMER_ID = "U0CUSTOMER"
SUPPORT_CHANNEL = "C0SUPPORT"
# A customer's own org, connected to ours through a Slack Connect channel.
EXTERNAL_TEAM_ID = "T0EXTERNAL"
EXTERNAL_USER_ID = "U0EXTERNAL"
CONNECT_CHANNEL = "C0CONNECT"
# The method name under which posts to a `response_url` are recorded.
RESPONSE_URL = "response_url"
# Arguments Slack takes as JSON-encoded strings in form bodies; recorded decoded.
JSON_ARGUMENTS = frozenset({"blocks", "attachments", "view", "metadata"})
_FIRST_TS = 1_700_000_000


class SlackError(Exception):
    """Raised by a method handler; answered as HTTP 200 `{"ok": false, "error": ...}` like Slack."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    domain: str
    enterprise_id: str | None = None

    def to_json(self) -> Json:
        team: Json = {"id": self.id, "name": self.name, "domain": self.domain}
        if self.enterprise_id:
            team["enterprise_id"] = self.enterprise_id
        return team


@dataclass(frozen=True)
class User:
    """A member; give another `team_id` for a Slack Connect user from a customer's org."""

    id: str
    name: str
    real_name: str = ""
    display_name: str = ""
    team_id: str = TEAM_ID
    tz: str = "Europe/London"
    tz_offset: int = 0
    is_bot: bool = False
    email: str | None = None

    def to_json(self) -> Json:
        profile: Json = {
            "display_name": self.display_name,
            "real_name": self.real_name,
            "image_48": f"https://fake.slack.com/avatars/{self.id}_48.png",
            "team": self.team_id,
        }
        if self.email:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": False,
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_offset": self.tz_offset,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": profile,
        }


@dataclass(frozen=True)
class Channel:
    """A conversation; `is_im` for a DM, `is_ext_shared` for a Slack Connect channel."""

    id: str
    name: str = ""
    is_private: bool = False
    is_ext_shared: bool = False
    is_member: bool = True
    is_im: bool = False
    user: str | None = None

    def to_json(self) -> Json:
        channel: Json = {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private and not self.is_im,
            "is_group": self.is_private and not self.is_im,
            "is_im": self.is_im,
            "is_private": self.is_private or self.is_im,
            "is_archived": False,
            "is_shared": self.is_ext_shared,
            "is_ext_shared": self.is_ext_shared,
            "is_org_shared": False,
            "is_member": self.is_member,
            "context_team_id": TEAM_ID,
        }
        if self.user:
            channel["user"] = self.user
        return channel


@dataclass(frozen=True)
class Bot:
    id: str
    name: str
    user_id: str
    app_id: str

    def to_json(self) -> Json:
        return {
            "id": self.id,
            "deleted": False,
            "name": self.name,
            "updated": _FIRST_TS,
            "app_id": self.app_id,
            "user_id": self.user_id,
            "icons": {"image_48": f"https://fake.slack.com/bots/{self.id}_48.png"},
        }


@dataclass(frozen=True)
class Call:
    """One request as the fake saw it: `params` without the token, `headers` lower-cased,
    `at` in epoch seconds, and the answer it got (`status`, `response`)."""

    method: str
    path: str
    params: Json
    headers: dict[str, str]
    token: str | None
    at: float
    status: int
    response: Json


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str
    retry_after: int

    def answer(self) -> Answer:
        headers = {"Retry-After": str(self.retry_after)} if self.status == 429 else {}
        return self.status, {"ok": False, "error": self.error}, headers


class FakeSlack:
    """Use `with FakeSlack() as fake:` (or `start()`/`stop()`); point WebClient at `fake.url`.

    Valid tokens: any `xoxb-` token, or exactly `tokens` when given. The workspace starts with
    team T0TEAM, the bot user U0BOT (bot B0BOT), agent U0AGENT, customer U0CUSTOMER, channel
    C0SUPPORT, and the Slack Connect channel C0CONNECT shared with org T0EXTERNAL, whose user
    U0EXTERNAL is also known; the bot is a member of both channels.
    """

    def __init__(
        self, *, tokens: Iterable[str] | None = None, enterprise_id: str | None = None
    ) -> None:
        self.tokens = frozenset(tokens) if tokens is not None else None
        self.enterprise_id = enterprise_id
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._teams = {TEAM_ID: Team(TEAM_ID, TEAM_NAME, TEAM_DOMAIN, enterprise_id)}
        self._users: dict[str, User] = {}
        self._channels: dict[str, Channel] = {}
        self._bots = {BOT_ID: Bot(BOT_ID, "heard", BOT_USER_ID, APP_ID)}
        self._messages: dict[str, list[Json]] = defaultdict(list)
        self._views: dict[str, Json] = {}
        self._home_views: dict[str, str] = {}
        self._calls: list[Call] = []
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._ts_sequence = itertools.count(1)
        self._ids = itertools.count(1)
        self._methods: dict[str, MethodHandler] = {
            "auth.test": self._auth_test,
            "bots.info": self._bots_info,
            "team.info": self._team_info,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "apps.connections.open": self._apps_connections_open,
        }
        # Set by a FakeSocketMode server: where Socket Mode clients are sent to connect.
        self.socket_mode_url: str | None = None
        self.add_user(User(BOT_USER_ID, "heard", "Heard", "Heard", is_bot=True))
        self.add_user(User(AGENT_ID, "mina", "Mina Park", "Mina"))
        self.add_user(
            User(
                CUSTOMER_ID, "carol", "Carol Diaz", "Carol", tz="America/New_York", tz_offset=-18000
            )
        )
        self.add_team(Team(EXTERNAL_TEAM_ID, "Acme Corp", "acme"))
        self.add_user(
            User(
                EXTERNAL_USER_ID,
                "dev",
                "Dev Rao",
                "Dev",
                team_id=EXTERNAL_TEAM_ID,
                tz="Asia/Kolkata",
                tz_offset=19800,
            )
        )
        self.add_channel(Channel(SUPPORT_CHANNEL, "support"))
        self.add_channel(Channel(CONNECT_CHANNEL, "ext-acme", is_ext_shared=True))
        self._server = _Server(("127.0.0.1", 0), _request_handler(self))
        self._server.daemon_threads = True
        # A short poll interval: `stop()` waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The Web API base URL, for `WebClient(base_url=...)` and SLACK_API_URL."""
        return f"{self._origin}/api/"

    @property
    def _origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests held by `delay` are released at once, unanswered."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- workspace set-up ---------------------------------------------------------------------

    def add_user(self, user: User) -> User:
        with self._lock:
            self._users[user.id] = user
            self._teams.setdefault(user.team_id, Team(user.team_id, user.team_id, user.team_id))
        return user

    def add_channel(self, channel: Channel) -> Channel:
        with self._lock:
            self._channels[channel.id] = channel
        return channel

    def add_team(self, team: Team) -> Team:
        """Name another org (Slack Connect) for `team.info`; `add_user` registers a bare one."""
        with self._lock:
            self._teams[team.id] = team
        return team

    def add_bot(self, bot: Bot) -> Bot:
        with self._lock:
            self._bots[bot.id] = bot
        return bot

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str | None = CUSTOMER_ID,
        ts: str | None = None,
        **fields: Any,
    ) -> Json:
        """Store a message someone else wrote (a customer, an agent), so history, replies,
        reactions and edits see it. Returns the stored message; its `ts` is fresh unless given."""
        with self._lock:
            message: Json = {"type": "message", "text": text, "ts": ts or self._next_ts()}
            if user:
                message["user"] = user
                message["team"] = self._users[user].team_id if user in self._users else TEAM_ID
            message.update(fields)
            self._messages[channel].append(message)
            return copy.deepcopy(message)

    def add_event_message(self, event: Json) -> Json:
        """Store the message of a `message` event (see payloads.message_event); returns `event`,
        so `event_callback(fake.add_event_message(message_event(...)))` reads as one step."""
        skipped = ("type", "channel", "channel_type", "event_ts", "user")
        fields = {k: v for k, v in event.items() if k not in skipped}
        self.add_message(event["channel"], user=event.get("user"), **fields)
        return event

    def messages(self, channel: str) -> list[Json]:
        """Every stored message of `channel` (thread replies included), oldest first."""
        with self._lock:
            return copy.deepcopy(sorted(self._messages[channel], key=_ts_key))

    def message(self, channel: str, ts: str) -> Json:
        with self._lock:
            return copy.deepcopy(self._find(channel, ts))

    def view(self, view_id: str) -> Json:
        with self._lock:
            return copy.deepcopy(self._views[view_id])

    def home_view(self, user_id: str) -> Json | None:
        with self._lock:
            view_id = self._home_views.get(user_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def response_url(self, name: str | None = None) -> str:
        """A `response_url` served by the fake; posts to it are recorded as RESPONSE_URL calls."""
        return f"{self._origin}/response/{name or f'R{next(self._ids)}'}"

    def on(self, method: str, handler: MethodHandler) -> None:
        """Answer `method` with `handler(params)` (plus `ok: true`; raise SlackError to fail),
        for a method the fake lacks or a test that needs a special answer."""
        with self._lock:
            self._methods[method] = handler

    # --- faults -------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        *,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail, after any faults already queued.

        Default: HTTP 429 `ratelimited` with `Retry-After: retry_after`. With `error` alone:
        HTTP 200 `{"ok": false, "error": error}`. Another `status` (500, 503): that status.
        """
        status = status or (200 if error else 429)
        default_error = {200: "fatal_error", 429: "ratelimited"}.get(status, "internal_error")
        fault = _Fault(status, error or default_error, retry_after)
        with self._lock:
            self._faults[method].extend([fault] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Answer every later call of `method` only after `seconds` (0 removes the delay)."""
        with self._lock:
            self._delays[method] = seconds

    def reset(self) -> None:
        """Forget recorded calls, queued faults and delays; the workspace state stays."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._delays.clear()

    # --- assertions ---------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls of `method` (matching `where`) arrived; return them all.

        The app answers Slack before it finishes its work, so tests wait rather than sleep.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls(method) if where is None or where(c)]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    break
                self._changed.wait(remaining)
            if len(found) >= count:
                return found
            seen = ", ".join(_summary(c) for c in self._calls) or "none"
            matching = " matching the predicate" if where else ""
            raise AssertionError(
                f"waited {timeout}s for {count} {method} call(s){matching}, got {len(found)}; "
                f"all calls so far: {seen}"
            )

    # --- request handling ---------------------------------------------------------------------

    def _handle(self, path: str, query: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one HTTP request: (status, JSON body, extra headers)."""
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
        elif path.startswith("/response/"):
            method = RESPONSE_URL
        else:
            return 404, {"ok": False, "error": "not_found"}, {}
        answer: Answer | None = None
        try:
            params = _parse(query, headers.get("content-type", ""), body)
        except ValueError:
            params, answer = {}, (200, {"ok": False, "error": "invalid_json"}, {})
        bearer = headers.get("authorization", "")
        token = bearer.removeprefix("Bearer ") if bearer.startswith("Bearer ") else None
        token = token or params.pop("token", None)
        with self._lock:
            if answer is None and self._faults[method]:
                answer = self._faults[method].popleft().answer()
            status, response, extra = answer or self._dispatch(method, token, params)
            # A copy: a stored message in the answer changes with later edits and reactions.
            recorded = copy.deepcopy(response)
            self._calls.append(
                Call(method, path, params, headers, token, time.time(), status, recorded)
            )
            self._changed.notify_all()
            latency = self._delays.get(method, 0.0)
        if latency:
            self._stopping.wait(latency)
        return status, response, extra

    def _dispatch(self, method: str, token: str | None, params: Json) -> Answer:
        if method == RESPONSE_URL:
            return 200, {"ok": True}, {}
        handler = self._methods.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        # apps.connections.open takes the app-level token (xapp-); every other method the bot's.
        prefix = "xapp-" if method == "apps.connections.open" else "xoxb-"
        if not token or not (
            token in self.tokens if self.tokens is not None else token.startswith(prefix)
        ):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        try:
            return 200, {"ok": True, **handler(params)}, {}
        except SlackError as failure:
            return 200, {"ok": False, "error": failure.error}, {}
        except Exception as bug:  # a fake bug must reach the test as a message, not a hang
            return 500, {"ok": False, "error": f"fake_slack_bug: {bug!r}"}, {}

    def _next_ts(self) -> str:
        micros = next(self._ts_sequence) * 100
        return f"{_FIRST_TS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _channel(self, channel_id: str) -> Channel:
        """The channel the bot may use; DMs open on first use, like posting to a user ID."""
        if channel_id in self._users:
            channel_id = "D" + channel_id[1:]
        if channel_id.startswith("D") and channel_id not in self._channels:
            user = "U" + channel_id[1:]
            self._channels[channel_id] = Channel(channel_id, is_im=True, user=user)
        channel = self._channels.get(channel_id)
        if channel is None:
            raise SlackError("channel_not_found")
        if not channel.is_member:
            raise SlackError("not_in_channel")
        return channel

    def _find(self, channel: str, ts: str) -> Json:
        for message in self._messages[channel]:
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def _shown(self, channel: str, message: Json, with_metadata: bool) -> Json:
        """A message as the history methods show it: thread summary on parents, metadata only
        when asked for (Slack omits it without `include_all_metadata`)."""
        shown = {k: v for k, v in message.items() if with_metadata or k != "metadata"}
        replies = [
            m
            for m in self._messages[channel]
            if m.get("thread_ts") == message["ts"] and m["ts"] != message["ts"]
        ]
        if replies:
            shown["thread_ts"] = message["ts"]
            shown["reply_count"] = len(replies)
            shown["reply_users"] = sorted({str(m.get("user")) for m in replies})
            shown["latest_reply"] = max((m["ts"] for m in replies), key=float)
        return shown

    def _page(self, channel: str, messages: list[Json], params: Json, newest_first: bool) -> Json:
        inclusive = _flag(params.get("inclusive"))
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")

        def inside(message: Json) -> bool:
            ts = float(message["ts"])
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        chosen = sorted(filter(inside, messages), key=_ts_key, reverse=newest_first)
        limit = int(params.get("limit") or 100)
        with_metadata = _flag(params.get("include_all_metadata"))
        return {
            "messages": [self._shown(channel, m, with_metadata) for m in chosen[:limit]],
            "has_more": len(chosen) > limit,
            "response_metadata": {"next_cursor": ""},
        }

    # --- Web API methods ----------------------------------------------------------------------

    def _auth_test(self, params: Json) -> Json:
        answer: Json = {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": TEAM_NAME,
            "team_id": TEAM_ID,
            "user": "heard",
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }
        if self.enterprise_id:
            answer["enterprise_id"] = self.enterprise_id
        return answer

    def _bots_info(self, params: Json) -> Json:
        bot = self._bots.get(params.get("bot", ""))
        if bot is None:
            raise SlackError("bot_not_found")
        return {"bot": bot.to_json()}

    def _team_info(self, params: Json) -> Json:
        team = self._teams.get(params.get("team") or TEAM_ID)
        if team is None:
            raise SlackError("team_not_found")
        return {"team": team.to_json()}

    def _users_info(self, params: Json) -> Json:
        user = self._users.get(params.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.to_json()}

    def _conversations_info(self, params: Json) -> Json:
        channel = self._channels.get(params.get("channel", ""))
        if channel is None:
            raise SlackError("channel_not_found")
        return {"channel": channel.to_json()}

    def _conversations_history(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        top_level = [
            m
            for m in self._messages[channel]
            if m.get("thread_ts", m["ts"]) == m["ts"] or _flag(m.get("reply_broadcast"))
        ]
        return self._page(channel, top_level, params, newest_first=True)

    def _conversations_replies(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        ts = params.get("ts", "")
        thread = [m for m in self._messages[channel] if ts in (m["ts"], m.get("thread_ts"))]
        if not thread:
            raise SlackError("thread_not_found")
        return self._page(channel, thread, params, newest_first=False)

    def _chat_post_message(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        message: Json = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": params.get("text", ""),
            "ts": self._next_ts(),
        }
        for key in ("thread_ts", "blocks", "attachments", "metadata", "username"):
            if key in params:
                message[key] = params[key]
        if _flag(params.get("reply_broadcast")):
            message["reply_broadcast"] = True
        if "icon_url" in params:
            message["icons"] = {"image_48": params["icon_url"]}
        self._messages[channel].append(message)
        return {"channel": channel, "ts": message["ts"], "message": dict(message)}

    def _chat_update(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        message = self._find(channel, params.get("ts", ""))
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in params:
                message[key] = params[key]
            if message.get(key) == []:
                del message[key]  # Slack: an empty list removes blocks or attachments
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": dict(message),
        }

    def _chat_delete(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        message = self._find(channel, params.get("ts", ""))
        self._messages[channel].remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def _chat_post_ephemeral(self, params: Json) -> Json:
        self._channel(params.get("channel", ""))
        if params.get("user") not in self._users:
            raise SlackError("user_not_found")
        return {"message_ts": self._next_ts()}

    def _chat_get_permalink(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        ts = params.get("message_ts", "")
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        stored = next((m for m in self._messages[channel] if m["ts"] == ts), {})
        thread_ts = stored.get("thread_ts", ts)
        if thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _reactions_add(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        message = self._find(channel, params.get("timestamp", ""))
        reactions: list[Json] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == params.get("name")), None)
        if reaction is None:
            reaction = {"name": params.get("name"), "users": [], "count": 0}
            reactions.append(reaction)
        if BOT_USER_ID in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(BOT_USER_ID)
        reaction["count"] += 1
        return {}

    def _reactions_remove(self, params: Json) -> Json:
        channel = self._channel(params.get("channel", "")).id
        message = self._find(channel, params.get("timestamp", ""))
        reactions: list[Json] = message.get("reactions", [])
        reaction = next((r for r in reactions if r["name"] == params.get("name")), None)
        if reaction is None or BOT_USER_ID not in reaction["users"]:
            raise SlackError("no_reaction")
        reaction["users"].remove(BOT_USER_ID)
        reaction["count"] -= 1
        if not reaction["count"]:
            reactions.remove(reaction)
        return {}

    def _store_view(self, view: object, view_id: str | None = None) -> Json:
        if not isinstance(view, dict) or "type" not in view:
            raise SlackError("invalid_arguments")
        view_id = view_id or f"V{next(self._ids):08d}"
        stored: Json = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "blocks": [],
            **view,
            "state": {"values": {}},
            "hash": f"{_FIRST_TS}.{next(self._ids):08d}",
            "root_view_id": view_id,
            "previous_view_id": None,
        }
        self._views[view_id] = stored
        return {"view": dict(stored)}

    def _views_open(self, params: Json) -> Json:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise SlackError("invalid_arguments")
        return self._store_view(params.get("view"))

    def _views_update(self, params: Json) -> Json:
        view_id = params.get("view_id") or next(
            (
                v["id"]
                for v in self._views.values()
                if v["external_id"] == params.get("external_id")
            ),
            None,
        )
        if view_id not in self._views:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != self._views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        return self._store_view(params.get("view"), view_id)

    def _apps_connections_open(self, params: Json) -> Json:
        if self.socket_mode_url is None:
            raise SlackError("not_allowed_token_type")
        return {"url": self.socket_mode_url}

    def _views_publish(self, params: Json) -> Json:
        user_id = params.get("user_id", "")
        if user_id not in self._users:
            raise SlackError("user_not_found")
        answer = self._store_view(params.get("view"), self._home_views.get(user_id))
        self._home_views[user_id] = answer["view"]["id"]
        return answer


def _parse(query: str, content_type: str, body: bytes) -> Json:
    """Arguments from the query string and a form or JSON body; JSON strings decoded."""
    params: Json = dict(parse_qsl(query, keep_blank_values=True))
    if body and "json" in content_type:
        params.update(json.loads(body))
    elif body:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    for key in JSON_ARGUMENTS & params.keys():
        if isinstance(params[key], str) and params[key][:1] in ("[", "{"):
            params[key] = json.loads(params[key])
    return {k: v for k, v in params.items() if v is not None}


def _flag(value: object) -> bool:
    """Slack booleans arrive as true/false from JSON and as "1"/"true" from forms."""
    return value is True or str(value).lower() in ("1", "true")


def _ts_key(message: Json) -> float:
    return float(message["ts"])


def _summary(call: Call) -> str:
    outcome = "ok" if call.response.get("ok") else call.response.get("error", call.status)
    return f"{call.method}→{outcome}"


class _Server(ThreadingHTTPServer):
    """A listen backlog like a real server's: the stdlib default of 5 drops connections when
    dozens arrive at once, and the client's 1 s SYN retry would be measured as latency."""

    request_queue_size = 256
    daemon_threads = True


def _request_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer, extra = fake._handle(url.path, url.query, headers, body)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test): nothing to answer

        do_GET = do_POST

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests assert on `fake.calls()`, not on access logs."""

    return Handler
