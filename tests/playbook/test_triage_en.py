"""Triage in English: complaint or not, anger, category, missing details."""

import pytest

from bot.playbook.models import Category, Detail
from bot.playbook.triage import triage

NOT_COMPLAINTS = [
    "Good morning team!",
    "ok",
    "Thanks, that fixed it!",
    "thank you so much",
    "Can we move tomorrow's sync call to 3pm?",
    "How do I export my reports to CSV?",
    "Where can I find the invoice settings?",
    "Sounds good, talk soon",
    "No problem at all, thanks for checking.",
    "👍",
    "",
    "   ",
]


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_chit_chat_and_plain_questions_are_not_complaints(text: str) -> None:
    reading = triage(text)
    assert not reading.is_complaint
    assert reading.anger == 0


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The whole dashboard is down and nobody can log in.", Category.OUTAGE),
        ("You charged me twice for March and I want to know why.", Category.BILLING),
        (
            "My package still hasn't arrived, the tracking hasn't moved in a week.",
            Category.DELIVERY,
        ),
        ("The app keeps crashing when I upload a photo.", Category.DEFECT),
        ("You sent me the wrong size and now I have to return it.", Category.MISTAKE),
        (
            "Please cancel my subscription, the service is not working for us.",
            Category.CANCELLATION,
        ),
        (
            "It's ridiculous there's no dark mode, please add it, it's hurting my eyes.",
            Category.FEATURE_REQUEST,
        ),
        (
            "Your competitor is cheaper, I want a discount or I'm not renewing.",
            Category.DISCOUNT_REQUEST,
        ),
        (
            "Nobody can tell me why my ticket was closed, I've asked three times.",
            Category.UNKNOWN_ANSWER,
        ),
        ("You are all incompetent idiots.", Category.RUDE),
    ],
)
def test_category(text: str, category: Category) -> None:
    reading = triage(text)
    assert reading.is_complaint
    assert reading.language == "en"
    assert reading.category == category


@pytest.mark.parametrize(
    ("text", "anger"),
    [
        ("Could you please check why my invoice shows the wrong amount?", 0),
        ("The export is broken since this morning.", 1),
        ("The export is STILL broken. This is ridiculous!!", 2),
        ("Third time I'm writing about this. If it isn't fixed today I'm calling my lawyer.", 3),
        ("Fix it or I will cancel my account and post this everywhere.", 3),
    ],
)
def test_anger_levels(text: str, anger: int) -> None:
    assert triage(text).anger == anger


def test_missing_details_are_asked_for_only_when_absent() -> None:
    assert triage("My order never arrived.").missing == (Detail.ORDER_ID,)
    assert triage("My order #48213 never arrived.").missing == ()


def test_facts_keep_the_customers_details() -> None:
    facts = triage("Order #48213 was charged $49.99 and I've waited 10 DAYS for it!").facts
    assert facts.order_ids == ("#48213",)
    assert facts.amounts == ("$49.99",)
    assert facts.durations == ("10 days",)


def test_mentions_and_links_do_not_change_the_reading() -> None:
    plain = triage("my internet is down again")
    noisy = triage("<@U0123> my internet is down again https://status.example.com @isp_help")
    assert (plain.is_complaint, plain.category, plain.anger) == (
        noisy.is_complaint,
        noisy.category,
        noisy.anger,
    )
