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


class Request(StrEnum):
    """What the customer explicitly asks for; the reply answers it as such."""

    NONE = "none"
    CANCEL = "cancel"
    REFUND = "refund"
    EXCHANGE = "exchange"
    REPLACEMENT = "replacement"
    ESCALATION = "escalation"
    STATUS = "status"
    DEADLINE = "deadline"
    CALLBACK = "callback"


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
    """Concrete details lifted from the customer's words, used to restate the problem exactly."""

    order_ids: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()
    durations: tuple[str, ...] = ()
    product: str = ""  # the table's own word for the product, in the case its phrases need
    deadline: str = ""  # the customer's own deadline ("by Friday"), as they wrote it


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a message: its category and, when recognised, the specific issue
    (a key of the language tables' `issues`, e.g. "double-charge") that words the reply."""

    category: Category
    issue: str


@dataclass(frozen=True, slots=True)
class Triage:
    is_complaint: bool
    anger: int
    category: Category
    language: str
    missing: tuple[Detail, ...] = ()
    facts: Facts = field(default_factory=Facts)
    problems: tuple[Problem, ...] = ()  # up to three, the main one first
    request: Request = Request.NONE
    repeat: bool = False  # they wrote before about this, or the thread shows it
    broken_promise: bool = False  # something we promised earlier was not kept
    customer_name: str = ""  # as they gave it (greeting, signature, company line)
    register: str = ""  # a named style of the language table the reply should match
    sarcastic: bool = False


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
