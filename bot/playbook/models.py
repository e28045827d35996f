"""Domain objects shared by triage, the drafters and the linter."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """What the complaint is about (PLAYBOOK §4); each has its own resolve step."""

    MISTAKE = "mistake"
    DEFECT = "defect"
    OUTAGE = "outage"
    BILLING = "billing"
    DELIVERY = "delivery"
    FEATURE_REQUEST = "feature-request"
    DISCOUNT_REQUEST = "discount-request"
    CANCELLATION = "cancellation"
    UNKNOWN_ANSWER = "unknown-answer"
    RUDE = "rude"
    OTHER = "other"


class Step(StrEnum):
    """The steps of a good reply (PLAYBOOK §1), used to explain what each part of a draft does."""

    HEAR = "hear"
    EMPATHISE = "empathise"
    APOLOGISE = "apologise"
    RESOLVE = "resolve"
    ASK = "ask"
    THANK = "thank"


class Detail(StrEnum):
    """Facts an agent needs to act; triage reports the ones the customer did not give."""

    ORDER_ID = "order_id"
    ACCOUNT = "account"
    DEVICE = "device"
    ERROR = "error"
    TIME = "time"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Facts:
    """Concrete details lifted from the customer's own words, reused when restating the problem."""

    order_ids: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()
    durations: tuple[str, ...] = ()
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Triage:
    is_complaint: bool
    anger: int
    category: Category
    language: str
    missing: tuple[Detail, ...] = ()
    facts: Facts = field(default_factory=Facts)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    excerpt: str
    message: str


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a draft and the playbook step it serves."""

    step: Step
    text: str


@dataclass(frozen=True, slots=True)
class Draft:
    sections: tuple[Section, ...]
    language: str
    engine: str
    notes: tuple[str, ...] = ()

    @property
    def reply(self) -> str:
        return "\n\n".join(section.text for section in self.sections)

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(dict.fromkeys(section.step for section in self.sections))
