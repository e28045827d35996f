"""Build the Bolt app from Settings and the services; the only place that wires things together."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.gateway import SlackGateway
from bot.listeners import register_all
from bot.playbook import language
from bot.services.cards import CardService
from bot.services.complaints import ComplaintService
from bot.services.drafting import Drafting, drafting_for
from bot.services.outcomes import Outcome
from bot.services.promises import Policy, PromiseService
from bot.services.scheduler import Scheduler
from bot.store.complaints import ComplaintStore
from bot.store.db import connect, write_gate
from bot.store.promises import PromiseStore

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
RESUME_EVERY_SECONDS = 60.0

Decide = Callable[[int, str, str | None], Outcome]


@dataclass
class Heard:
    """Everything the listeners need, put on every request's context as context["heard"]."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: ComplaintStore
    gateway: SlackGateway
    drafting: Drafting
    pool: ThreadPoolExecutor
    complaints: ComplaintService
    cards: CardService
    promises: PromiseService
    scheduler: Scheduler
    reaction_actions: dict[str, Decide] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)

    def close(self) -> None:
        self.stopping.set()
        self.pool.shutdown(wait=True)


def web_client(settings: Settings) -> WebClient:
    """The Web API client: our base URL, and Slack's own retry handlers for 429s and resets."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_heard(
    settings: Settings, gateway: SlackGateway, hand_off: Callable[[int], None] | None = None
) -> Heard:
    """`hand_off`: where accepted complaints go to be drafted (see ComplaintService)."""
    sessions = connect(settings.database_url)
    store = ComplaintStore(sessions, write_gate(settings.database_url))
    drafting = drafting_for(settings)
    language.warm_up()  # not in the first requests, and not in several threads at once
    pool = ThreadPoolExecutor(settings.heard_draft_workers, thread_name_prefix="heard-draft")
    worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    complaints = ComplaintService(
        store, gateway, drafting, pool, settings.heard_triage_channel, worker_id, hand_off=hand_off
    )
    policy = Policy(
        leads=settings.heard_reminder_leads,
        snooze=settings.heard_snooze,
        vague_after=timedelta(hours=settings.heard_followup_hours),
        escalation_channel=settings.heard_escalation_channel,
        escalation_grace=settings.heard_escalation_grace,
    )
    promise_store = PromiseStore(sessions)
    promises = PromiseService(promise_store, gateway, policy)
    cards = CardService(store, gateway, drafting, promises, settings.heard_senders_usergroup)
    scheduler = Scheduler(promise_store, promises, worker_id)
    heard = Heard(
        settings, sessions, store, gateway, drafting, pool, complaints, cards, promises, scheduler
    )
    heard.reaction_actions = {
        settings.heard_send_emoji: cards.send,
        settings.heard_regenerate_emoji: cards.regenerate,
        settings.heard_dismiss_emoji: cards.dismiss,
        settings.heard_claim_emoji: cards.claim,
    }
    return heard


def build_app(heard: Heard, *, socket_mode: bool = False) -> App:
    secret = heard.settings.slack_signing_secret
    app = App(
        client=heard.gateway.client,
        signing_secret=secret.get_secret_value() if secret else None,
        # Listeners record work durably and hand it to our pool, then return: the ack goes out
        # only after the event is safely stored (DESIGN §2 “nothing is lost”).
        process_before_response=True,
        request_verification_enabled=not socket_mode,
    )

    @app.middleware
    def provide_services(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["heard"] = heard
        return next()

    register_all(app)
    return app


def start_background(heard: Heard) -> threading.Thread:
    """Start the reminder scheduler, and resume unfinished work now and then periodically (a
    crash or a dead instance's leftovers). Both threads stop with `heard.close()`."""
    threading.Thread(
        target=heard.scheduler.run, args=(heard.stopping,), name="heard-reminders", daemon=True
    ).start()

    def loop() -> None:
        while not heard.stopping.is_set():
            try:
                resumed = heard.complaints.resume()
                if resumed:
                    log.info("resumed %s unfinished complaint(s)", resumed)
            except Exception:
                log.exception("resuming unfinished work failed")
            heard.stopping.wait(RESUME_EVERY_SECONDS)

    thread = threading.Thread(target=loop, name="heard-resume", daemon=True)
    thread.start()
    return thread


def wsgi_app(app: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """Slack's endpoint plus a health check for the load balancer."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return slack(environ, start_response)

    return application
