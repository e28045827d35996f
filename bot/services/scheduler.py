"""The reminder loop: claim due reminders atomically, send them, record what was sent.

- Never twice: a reminder is sent only by the worker whose claim moved it to `sending` (one
  UPDATE … RETURNING; SKIP LOCKED on Postgres), and only that worker may record the outcome.
- Never lost: reminders are rows, so those due while the bot was down are simply due at
  start-up; a worker that dies mid-send loses its lease (`lease`) and the row is claimed again;
  a failed send goes back to `pending` with a backoff, up to MAX_ATTEMPTS.
- Not noisy: when several reminders of one promise are due together (after downtime), only the
  latest is sent and the others are marked `skipped`; reminders of a closed promise are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.promises import PromiseService
from bot.store import promises as state
from bot.store.models import PromiseRecord, utcnow
from bot.store.promises import Claimed, PromiseStore

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
_FIRST_RETRY = timedelta(seconds=10)
_LONGEST_RETRY = timedelta(minutes=5)
_SHORTEST_SLEEP = 0.02  # rows due but held by another instance: don't spin


@dataclass
class Scheduler:
    store: PromiseStore
    promises: PromiseService
    worker_id: str
    now: Callable[[], datetime] = utcnow
    batch: int = 200
    lease: timedelta = timedelta(minutes=2)
    idle: float = 0.5  # the longest sleep between ticks, in seconds

    def tick(self) -> int:
        """Claim what is due now and send it; returns how many reminders were sent."""
        now = self.now()
        self.store.reclaim(now - self.lease)
        claimed = self.store.claim_due(now, self.worker_id, self.batch)
        if not claimed:
            return 0
        promises = self.store.by_ids({c.promise_id for c in claimed})
        latest = {
            c.promise_id: c.id for c in claimed if c.kind != state.ESCALATION
        }  # claimed is sorted by fire_at: the last one per promise wins
        sent = 0
        for reminder in claimed:
            promise = promises.get(reminder.promise_id)
            if promise is None or promise.status != state.OPEN:
                self.store.finish(reminder.id, self.worker_id, status=state.CANCELLED)
            elif reminder.kind != state.ESCALATION and latest[promise.id] != reminder.id:
                self.store.finish(reminder.id, self.worker_id, status=state.SKIPPED)
            else:
                sent += self._send(reminder, promise, now)
        return sent

    def run(self, stopping: threading.Event) -> None:
        """Tick until `stopping` is set; sleep until the next reminder, at most `idle`."""
        while not stopping.is_set():
            sent = 0
            try:
                sent = self.tick()
            except Exception:
                log.exception("the reminder tick failed")
            if sent < self.batch:
                stopping.wait(self._until_next())

    def _send(self, reminder: Claimed, promise: PromiseRecord, now: datetime) -> int:
        try:
            message = self.promises.deliver(reminder, promise, now)
        except Exception as error:  # Slack errors and network failures alike: try again later
            retry = reminder.attempts < MAX_ATTEMPTS
            log.warning(
                "reminder %s (attempt %s) failed: %s%s",
                reminder.id,
                reminder.attempts,
                error,
                "; will retry" if retry else "; giving up",
            )
            wait = min(_FIRST_RETRY * 2 ** (reminder.attempts - 1), _LONGEST_RETRY)
            self.store.finish(
                reminder.id,
                self.worker_id,
                status=state.PENDING if retry else state.FAILED,
                fire_at=self.now() + wait if retry else reminder.fire_at,
                claimed_by=None,
                error=str(error)[:500],
            )
            return 0
        if message is None:
            self.store.finish(
                reminder.id, self.worker_id, status=state.FAILED, error="nowhere to send"
            )
            return 0
        channel, ts = message
        self.store.finish(
            reminder.id,
            self.worker_id,
            status=state.SENT,
            sent_at=self.now(),
            sent_channel=channel,
            sent_ts=ts,
        )
        return 1

    def _until_next(self) -> float:
        upcoming = self.store.next_fire_at()
        if upcoming is None:
            return self.idle
        return min(max((upcoming - self.now()).total_seconds(), _SHORTEST_SLEEP), self.idle)
