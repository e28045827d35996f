"""What agents do with a draft card: send, edit and send, regenerate, dismiss, claim.

Every decision is one conditional state change in the store, so a double click, a reaction and a
button at the same moment, or two instances, still send the reply exactly once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.gateway import SlackGateway
from bot.playbook.models import Finding
from bot.services.drafting import Drafting, Suggestion
from bot.services.outcomes import Outcome
from bot.store import complaints as status
from bot.store.complaints import ComplaintStore
from bot.store.models import Complaint, utcnow
from bot.views.card import CardState, card_blocks, fallback_text

if TYPE_CHECKING:
    from bot.services.promises import PromiseService

log = logging.getLogger(__name__)


def analysis_json(suggestion: Suggestion) -> str:
    """What the card shows besides the draft, kept so the card can be redrawn without redrafting."""
    draft = suggestion.draft
    return json.dumps(
        {
            "steps": list(draft.steps) if draft else [],
            "notes": list(draft.notes) if draft else [],
            "findings": [
                {"rule": f.rule, "excerpt": f.excerpt, "message": f.message}
                for f in suggestion.findings
            ],
        },
        ensure_ascii=False,
    )


def card_state(complaint: Complaint, permalink: str | None) -> CardState:
    analysis = json.loads(complaint.analysis or "{}")
    closed = complaint.status if complaint.status in (status.DISMISSED, status.WITHDRAWN) else None
    return CardState(
        complaint_id=complaint.id,
        customer_id=complaint.user_id,
        channel=complaint.channel,
        message=complaint.text,
        permalink=permalink,
        anger=complaint.anger or 0,
        category=complaint.category or "other",
        language=complaint.language or "und",
        engine=complaint.engine or "playbook",
        draft=complaint.draft or "",
        steps=tuple(analysis.get("steps", ())),
        findings=tuple(Finding(**f) for f in analysis.get("findings", ())),
        notes=tuple(analysis.get("notes", ())),
        owner_id=complaint.owner_id,
        sent_by=complaint.sent_by if complaint.status == status.SENT else None,
        sent_at=complaint.sent_at,
        closed=closed,
    )


@dataclass
class CardService:
    store: ComplaintStore
    gateway: SlackGateway
    drafting: Drafting
    promises: PromiseService | None = None
    senders_usergroup: str | None = None  # when set, only its members may send

    def send(
        self, complaint_id: int, user_id: str, team_id: str | None, text: str | None = None
    ) -> Outcome:
        """Post the (possibly edited) draft in the customer's thread as the agent's reply."""
        if not self._may_send(user_id, team_id):
            return Outcome.NOT_ALLOWED
        if not self.store.move(complaint_id, status.OPEN, status=status.SENDING, sent_by=user_id):
            return Outcome.ALREADY_DECIDED if self.store.get(complaint_id) else Outcome.NOT_FOUND
        complaint = self.store.get(complaint_id)
        assert complaint is not None
        reply = text if text is not None else complaint.draft or ""
        try:
            sent_ts = self.gateway.post_reply(
                complaint.channel, complaint.reply_thread, reply, self.gateway.person(user_id)
            )
        except SlackApiError as error:
            log.error("sending the reply for complaint %s failed: %s", complaint_id, error)
            self.store.move(complaint_id, [status.SENDING], status=status.POSTED, sent_by=None)
            return Outcome.FAILED
        self.store.move(
            complaint_id,
            [status.SENDING],
            status=status.SENT,
            sent_ts=sent_ts,
            sent_at=utcnow(),
            draft=reply,
        )
        self.store.record_decision(complaint_id, user_id, "edit+send" if text else "send")
        self.refresh(complaint_id)
        if self.promises is not None:
            # The reply answers the thread (keeping its earlier promises) and may promise a
            # follow-up; the agent is told where they acted, on the card's channel.
            try:
                self.promises.on_team_reply(
                    reply,
                    user_id,
                    complaint.channel,
                    complaint.reply_thread,
                    sent_ts,
                    complaint_id=complaint_id,
                    confirm_in=complaint.card_channel,
                )
            except Exception:
                log.exception("recording the promises of complaint %s failed", complaint_id)
        return Outcome.DONE

    def regenerate(self, complaint_id: int, user_id: str, team_id: str | None) -> Outcome:
        if not self._allowed(user_id, team_id, "regenerate"):
            return Outcome.NOT_ALLOWED
        complaint = self.store.get(complaint_id)
        if complaint is None or complaint.status not in status.OPEN:
            return Outcome.ALREADY_DECIDED if complaint else Outcome.NOT_FOUND
        variant = complaint.variant + 1
        suggestion = self.drafting.suggest(complaint.text, variant=variant)
        if suggestion.draft is None:
            return Outcome.FAILED
        changed = self.store.move(
            complaint_id,
            status.OPEN,
            variant=variant,
            draft=suggestion.reply,
            engine=suggestion.engine,
            analysis=analysis_json(suggestion),
        )
        if changed:
            self.store.record_decision(complaint_id, user_id, "regenerate")
            self.refresh(complaint_id)
        return Outcome.DONE if changed else Outcome.ALREADY_DECIDED

    def dismiss(self, complaint_id: int, user_id: str, team_id: str | None) -> Outcome:
        return self._decide(complaint_id, user_id, team_id, "dismiss", status=status.DISMISSED)

    def claim(self, complaint_id: int, user_id: str, team_id: str | None) -> Outcome:
        return self._decide(complaint_id, user_id, team_id, "claim", owner_id=user_id)

    def editable(self, complaint_id: int, user_id: str, team_id: str | None) -> CardState | None:
        """The card to prefill the edit modal with, if this user may still send it."""
        complaint = self.store.get(complaint_id)
        if complaint is None or complaint.status not in status.OPEN:
            return None
        if not self._may_send(user_id, team_id):
            return None
        return card_state(complaint, None)

    def withdraw(self, channel: str, ts: str) -> None:
        """The customer deleted their message: close its card, or stop drafting it."""
        complaint = self.store.by_message(channel, ts)
        unsent = (status.PENDING, status.DRAFTING, status.POSTING, status.POSTED)
        if complaint and self.store.move(complaint.id, unsent, status=status.WITHDRAWN):
            self.refresh(complaint.id)

    def refresh(self, complaint_id: int) -> None:
        """Redraw the card from the store (after any change)."""
        complaint = self.store.get(complaint_id)
        if complaint is None or not (complaint.card_channel and complaint.card_ts):
            return
        state = card_state(
            complaint, self.gateway.permalink(complaint.channel, complaint.ts, complaint.thread_ts)
        )
        try:
            self.gateway.update_card(
                complaint.card_channel,
                complaint.card_ts,
                text=fallback_text(state),
                blocks=card_blocks(state),
            )
        except SlackApiError as error:
            log.warning("updating the card of complaint %s failed: %s", complaint_id, error)

    def _decide(
        self, complaint_id: int, user_id: str, team_id: str | None, action: str, **values: object
    ) -> Outcome:
        if not self._allowed(user_id, team_id, action):
            return Outcome.NOT_ALLOWED
        if not self.store.move(complaint_id, status.OPEN, **values):
            return Outcome.ALREADY_DECIDED if self.store.get(complaint_id) else Outcome.NOT_FOUND
        self.store.record_decision(complaint_id, user_id, action)
        self.refresh(complaint_id)
        return Outcome.DONE

    def _may_send(self, user_id: str, team_id: str | None) -> bool:
        if not self._allowed(user_id, team_id, "send"):
            return False
        group = self.senders_usergroup
        if group is None or self.gateway.in_usergroup(user_id, group):
            return True
        log.warning("ignored send by %s: not in the senders user group %s", user_id, group)
        return False

    def _allowed(self, user_id: str, team_id: str | None, action: str) -> bool:
        if self.gateway.is_team_member(user_id, team_id):
            return True
        log.warning("ignored %s by %s: not a member of the installing team", action, user_id)
        return False
