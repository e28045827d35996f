"""Promise → reminder (DESIGN §4): find the promises in a team reply, schedule their reminders,
and everything the owner can do with one (keep, snooze, move, cancel, send an update).

A promise is due in the owner's Slack time zone, anchored at the message's own timestamp. Its
reminders are rows (one per lead time, one at due, one escalation after the grace period) that
the Scheduler claims and sends; closing a promise cancels the ones not yet sent. Only the owner,
a member of the installing team, may act on a promise (DESIGN §2 "only the team acts").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.gateway import SlackGateway
from bot.playbook import tables
from bot.playbook.language import detect
from bot.promises import find_promises
from bot.services.outcomes import Outcome
from bot.store import promises as state
from bot.store.models import PromiseRecord, utcnow
from bot.store.promises import Claimed, NewPromise, PromiseStore
from bot.views import reminders as views
from bot.views.home import home_view

log = logging.getLogger(__name__)
# A blank of the update draft the agent has not filled in: "[what you have found out]".
_BLANK = re.compile(r"\[[^\]\n]{1,80}\]")


@dataclass(frozen=True, slots=True)
class Policy:
    """When reminders fire (Settings: HEARD_REMINDER_LEADS, _ESCALATION_*, _SNOOZE, …)."""

    leads: tuple[timedelta, ...] = (timedelta(hours=2), timedelta(minutes=15))
    snooze: timedelta = timedelta(minutes=30)
    vague_after: timedelta = timedelta(hours=24)
    escalation_channel: str | None = None
    escalation_grace: timedelta = timedelta(minutes=30)


def has_blanks(text: str) -> bool:
    """True while the update still has a [bracketed] blank the agent must fill in."""
    return _BLANK.search(text) is not None


@dataclass
class PromiseService:
    store: PromiseStore
    gateway: SlackGateway
    policy: Policy
    now: Callable[[], datetime] = utcnow

    # ------------------------------------------------------------ where promises come from

    def on_team_reply(
        self,
        text: str,
        author: str,
        channel: str,
        thread_ts: str,
        ts: str,
        *,
        complaint_id: int | None = None,
        confirm_in: str | None = None,
    ) -> list[PromiseRecord]:
        """A team member answered in a customer thread: that keeps the thread's earlier
        promises, and the reply may make new ones. Idempotent for a redelivered event."""
        kept = self.store.keep_thread(channel, thread_ts, ts, author)
        added = self.register_from_reply(
            text, author, channel, thread_ts, ts, complaint_id=complaint_id, confirm_in=confirm_in
        )
        owners = {p.owner_id for p in self.store.by_ids(kept).values()} | {author}
        if kept or added:
            for owner in owners:
                self.refresh_home(owner)
        return added

    def register_from_reply(
        self,
        text: str,
        owner: str,
        channel: str,
        thread_ts: str,
        ts: str,
        *,
        complaint_id: int | None = None,
        confirm_in: str | None = None,
    ) -> list[PromiseRecord]:
        """Record the promises in a reply and confirm each to its author (ephemeral, in
        `confirm_in` or the reply's own channel); a promise already recorded is skipped."""
        sent_at = datetime.fromtimestamp(float(ts), UTC)
        found = find_promises(
            text, now=sent_at, tz=self._zone(owner), vague_after=self.policy.vague_after
        )
        added: list[PromiseRecord] = []
        for promise in found:
            record = self.store.add(
                NewPromise(
                    owner_id=owner,
                    channel=channel,
                    thread_ts=thread_ts,
                    message_ts=ts,
                    position=promise.span[0],
                    phrase=promise.phrase,
                    language=promise.language,
                    due=promise.due,
                    vague=promise.vague,
                    created_at=sent_at,
                    complaint_id=complaint_id,
                ),
                self._schedule(promise.due),
            )
            if record is not None:
                added.append(record)
                in_thread = None if confirm_in else thread_ts
                self._confirm(record, confirm_in or channel, in_thread)
        return added

    def add_manual(
        self, owner: str, team_id: str | None, text: str, channel: str
    ) -> PromiseRecord | None:
        """`/promise in 2h update Acme`: the time is read by the promise tables of the text's
        language; None when the text names no time (or the user is not one of ours)."""
        if not self._allowed(owner, team_id, "/promise"):
            return None
        code = detect(text)
        table = tables.language_or_default(code)
        sentence = table.update.command.format(text=text)
        now = self.now()
        found = find_promises(sentence, now=now, tz=self._zone(owner), language=table.code)
        timed = next((p for p in found if not p.vague), None)
        if timed is None:
            return None
        record = self.store.add(
            NewPromise(owner, channel, None, None, 0, text, table.code, timed.due, False, now),
            self._schedule(timed.due),
        )
        self.refresh_home(owner)
        return record

    # ------------------------------------------------------------ what the owner can do

    def list_open(self, owner: str) -> list[PromiseRecord]:
        return self.store.list_open(owner)

    def mark_kept(self, promise_id: int, user: str, team_id: str | None) -> Outcome:
        return self._close(promise_id, user, team_id, state.KEPT)

    def cancel(self, promise_id: int, user: str, team_id: str | None) -> Outcome:
        """ "Not a promise" or `/promise cancel`: no more reminders."""
        return self._close(promise_id, user, team_id, state.CANCELLED)

    def snooze(self, promise_id: int, user: str, team_id: str | None) -> Outcome:
        """Remind again after HEARD_SNOOZE; the other reminders (and escalation) stay."""
        if self._owned(promise_id, user, team_id) is None:
            return Outcome.NOT_ALLOWED
        if not self.store.snooze(promise_id, self.now() + self.policy.snooze):
            return Outcome.ALREADY_DECIDED
        return Outcome.DONE

    def change_due(self, promise_id: int, user: str, team_id: str | None, due: datetime) -> Outcome:
        if self._owned(promise_id, user, team_id) is None:
            return Outcome.NOT_ALLOWED
        if self.store.reschedule(promise_id, due, self._schedule(due)) is None:
            return Outcome.ALREADY_DECIDED
        self.refresh_home(user)
        return Outcome.DONE

    def editable(self, promise_id: int, user: str, team_id: str | None) -> PromiseRecord | None:
        """The open promise, if this user may change it (to prefill a modal)."""
        promise = self._owned(promise_id, user, team_id)
        return promise if promise is not None and promise.status == state.OPEN else None

    def draft_update(self, promise: PromiseRecord) -> str:
        """A transparent status update (PLAYBOOK §2) in the promise's language: what is known,
        what is being done, and when the next update comes; [blanks] for the agent to fill."""
        table = tables.language_or_default(promise.language)
        compose, update = table.compose, table.update
        lines = [
            compose.greeting.format(name=compose.name_placeholder),
            update.opening,
            update.known,
            update.doing,
            update.next.format(within=compose.within[self._next_window(promise)]),
            compose.signature.format(
                agent=self._name(promise.owner_id) or compose.agent_placeholder
            ),
        ]
        return "\n".join(lines)

    def send_update(self, promise_id: int, user: str, team_id: str | None, text: str) -> Outcome:
        """Post the update in the customer's thread as the agent: this keeps the promise, and
        the update's own "next update by …" becomes the next promise."""
        promise = self._owned(promise_id, user, team_id)
        if promise is None or promise.thread_ts is None:
            return Outcome.NOT_ALLOWED
        try:
            sent_ts = self.gateway.post_reply(
                promise.channel, promise.thread_ts, text, self.gateway.person(user)
            )
        except SlackApiError as error:
            log.error("sending the update for promise %s failed: %s", promise_id, error)
            return Outcome.FAILED
        self.store.close(promise.id, state.KEPT, user)
        self.on_team_reply(text, user, promise.channel, promise.thread_ts, sent_ts)
        return Outcome.DONE

    def refresh_home(self, user: str) -> None:
        try:
            self.gateway.publish_home(user, home_view(self.store.list_open(user)))
        except SlackApiError as error:
            log.warning("publishing the home tab of %s failed: %s", user, error)

    # ------------------------------------------------------------ what the scheduler sends

    def deliver(
        self, reminder: Claimed, promise: PromiseRecord, now: datetime
    ) -> tuple[str, str] | None:
        """Send one reminder; (channel, ts) of the message, or None when there is nowhere it
        may go (no escalation channel, or one customers can read)."""
        link = self._permalink(promise)
        if reminder.kind == state.ESCALATION:
            channel = self.policy.escalation_channel
            if channel is None or self.gateway.is_customer_visible(channel):
                log.error("not escalating promise %s: no internal escalation channel", promise.id)
                return None
            text, blocks = views.escalation(promise, link)
            return self.gateway.post_message(channel, text=text, blocks=blocks)
        text, blocks = views.reminder(promise, promise.due - now, link)
        return self.gateway.post_message(promise.owner_id, text=text, blocks=blocks)

    # ------------------------------------------------------------ helpers

    def _schedule(self, due: datetime) -> dict[str, datetime]:
        """The reminders of a promise due at `due`; lead times already past are left out."""
        now = self.now()
        fire = {state.lead_kind(lead): due - lead for lead in self.policy.leads}
        reminders = {kind: at for kind, at in fire.items() if at > now}
        reminders[state.DUE] = due
        if self.policy.escalation_channel:
            reminders[state.ESCALATION] = due + self.policy.escalation_grace
        return reminders

    def _next_window(self, promise: PromiseRecord) -> int:
        """Hours until the next update: the window the agent first promised, rounded up to one
        the phrase tables can say (1, 4 or 24)."""
        promised = promise.due - promise.created_at
        return next(
            (h for h in tables.UPDATE_WINDOWS if promised <= timedelta(hours=h)),
            tables.UPDATE_WINDOWS[-1],
        )

    def _close(self, promise_id: int, user: str, team_id: str | None, status: str) -> Outcome:
        if self._owned(promise_id, user, team_id) is None:
            return Outcome.NOT_ALLOWED
        if self.store.close(promise_id, status, user) is None:
            return Outcome.ALREADY_DECIDED
        self.refresh_home(user)
        return Outcome.DONE

    def _owned(self, promise_id: int, user: str, team_id: str | None) -> PromiseRecord | None:
        promise = self.store.get(promise_id)
        if promise is None or promise.owner_id != user:
            log.warning("ignored an action on promise %s by %s: not the owner", promise_id, user)
            return None
        return promise if self._allowed(user, team_id, "promise action") else None

    def _allowed(self, user: str, team_id: str | None, action: str) -> bool:
        if self.gateway.is_team_member(user, team_id):
            return True
        log.warning("ignored %s by %s: not a member of the installing team", action, user)
        return False

    def _confirm(self, promise: PromiseRecord, channel: str, thread_ts: str | None) -> None:
        text, blocks = views.confirmation(promise)
        try:
            self.gateway.post_ephemeral(
                channel, promise.owner_id, text=text, blocks=blocks, thread_ts=thread_ts
            )
        except SlackApiError as error:
            log.warning("confirming promise %s failed: %s", promise.id, error)

    def _zone(self, user: str) -> str:
        try:
            return self.gateway.person(user).tz
        except SlackApiError as error:
            log.warning("users.info failed for %s (%s): reading times in UTC", user, error)
            return "UTC"

    def _name(self, user: str) -> str:
        try:
            return self.gateway.person(user).name
        except SlackApiError:
            return ""

    def _permalink(self, promise: PromiseRecord) -> str | None:
        anchor = promise.message_ts or promise.thread_ts
        if anchor is None:
            return None
        return self.gateway.permalink(promise.channel, anchor, promise.thread_ts)
