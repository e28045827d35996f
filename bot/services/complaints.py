"""Complaint → suggestion (DESIGN §4): what happens when a customer message arrives.

`receive` runs before Slack gets its ack: it only records the message durably (deduplicated by
event id and by channel+ts) and hands the id to the drafting pool. `process` then claims it, drafts,
lints and posts one card. A crash at any point leaves a row that `resume` picks up again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.gateway import SlackGateway
from bot.services.cards import analysis_json, card_state
from bot.services.drafting import Drafting
from bot.store import complaints as status
from bot.store.complaints import ComplaintStore
from bot.store.models import Complaint, utcnow
from bot.views.card import card_blocks, fallback_text

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    event_id: str | None
    channel: str
    ts: str
    thread_ts: str | None
    user_id: str
    text: str


@dataclass
class ComplaintService:
    store: ComplaintStore
    gateway: SlackGateway
    drafting: Drafting
    pool: Executor
    triage_channel: str | None
    worker_id: str
    lease: timedelta = timedelta(minutes=2)
    # Where accepted complaints go to be drafted: the background process (bot.background), or
    # when None, this process's own drafting pool.
    hand_off: Callable[[int], None] | None = None

    def receive(self, message: IncomingMessage) -> int | None:
        """Record the message once and schedule its draft; None for a redelivery or duplicate."""
        complaint_id = self.store.accept(
            event_id=message.event_id,
            channel=message.channel,
            ts=message.ts,
            thread_ts=message.thread_ts,
            user_id=message.user_id,
            text=message.text,
        )
        if complaint_id is None:
            return None
        if self.hand_off is not None:
            self.hand_off(complaint_id)
        else:
            self.pool.submit(self.process, complaint_id)
        return complaint_id

    def process(self, complaint_id: int) -> None:
        complaint = self.store.claim(complaint_id, self.worker_id, self.lease)
        if complaint is None:
            return  # another worker has it, or it is already done
        try:
            self._draft_and_post(complaint)
        except Exception:
            log.exception(
                "drafting complaint %s failed (attempt %s)", complaint_id, complaint.attempts
            )
            retry = complaint.attempts < MAX_ATTEMPTS
            self.store.move(
                complaint_id,
                [status.DRAFTING],
                status=status.PENDING if retry else status.FAILED,
                error="drafting failed; see logs",
            )

    def resume(self) -> int:
        """Pick up work left unfinished by a crash or a dead instance; returns how many."""
        unfinished = self.store.unfinished(self.lease)
        for complaint in unfinished:
            if complaint.status == status.POSTING:
                self._recover_posting(complaint)
            else:
                self.pool.submit(self.process, complaint.id)
        return len(unfinished)

    def _draft_and_post(self, complaint: Complaint) -> None:
        context = (  # a top-level message has no earlier thread to build on
            self.store.thread_messages(complaint.channel, complaint.thread_ts, complaint.id)
            if complaint.thread_ts
            else []
        )
        suggestion = self.drafting.suggest(
            complaint.text, variant=complaint.variant, context=context
        )
        reading = suggestion.triage
        fields = {
            "language": reading.language,
            "anger": reading.anger,
            "category": reading.category,
        }
        if suggestion.draft is None:
            self.store.move(complaint.id, [status.DRAFTING], status=status.IGNORED, **fields)
            return
        destination = self._destination(complaint)
        if destination is None:
            log.error(
                "complaint %s is in customer-visible channel %s and HEARD_TRIAGE_CHANNEL is "
                "not set: no card posted",
                complaint.id,
                complaint.channel,
            )
            self.store.move(
                complaint.id, [status.DRAFTING], status=status.FAILED, error="no triage channel"
            )
            return
        card_channel, card_thread = destination
        posting = self.store.move(
            complaint.id,
            [status.DRAFTING],
            status=status.POSTING,
            draft=suggestion.reply,
            engine=suggestion.engine,
            analysis=analysis_json(suggestion),
            card_channel=card_channel,
            **fields,
        )
        if posting is None:
            return  # withdrawn while drafting
        self._post(posting, card_channel, card_thread)

    def _destination(self, complaint: Complaint) -> tuple[str, str | None] | None:
        """Where the card may go: never anywhere a customer can read it (DESIGN §2)."""
        if not self.gateway.is_customer_visible(complaint.channel):
            return complaint.channel, complaint.reply_thread
        if self.triage_channel and not self.gateway.is_customer_visible(self.triage_channel):
            return self.triage_channel, None
        return None

    def _post(self, complaint: Complaint, channel: str, thread_ts: str | None) -> None:
        state = card_state(
            complaint, self.gateway.permalink(complaint.channel, complaint.ts, complaint.thread_ts)
        )
        card_ts = self.gateway.post_card(
            channel,
            text=fallback_text(state),
            blocks=card_blocks(state),
            complaint_id=complaint.id,
            thread_ts=thread_ts,
        )
        self.store.move(complaint.id, [status.POSTING], status=status.POSTED, card_ts=card_ts)

    def _recover_posting(self, complaint: Complaint) -> None:
        """A worker died while posting: find its card before posting again (never two cards)."""
        if not self.store.move(
            complaint.id, [status.POSTING], claimed_by=self.worker_id, claimed_at=utcnow()
        ):
            return
        channel = complaint.card_channel
        assert channel is not None
        try:
            found = self.gateway.find_card(channel, complaint.id)
        except SlackApiError as error:
            log.warning("could not look for the card of complaint %s: %s", complaint.id, error)
            return
        if found:
            self.store.move(complaint.id, [status.POSTING], status=status.POSTED, card_ts=found)
            return
        thread = None if channel == self.triage_channel else complaint.reply_thread
        self.pool.submit(self._post, complaint, channel, thread)
