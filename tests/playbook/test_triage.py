"""Triage behaviour that holds in every language (per-language readings are in `cases/`)."""

from bot.playbook.triage import triage


def test_empty_text_is_not_a_complaint() -> None:
    for text in ("", "   ", "👍"):
        reading = triage(text)
        assert not reading.is_complaint
        assert reading.anger == 0


def test_facts_keep_the_customers_details() -> None:
    facts = triage("Order #48213 was charged $49.99 and I've waited 10 DAYS for it!").facts
    assert facts.order_ids == ("#48213",)
    assert facts.amounts == ("$49.99",)
    assert facts.durations == ("10 days",)


def test_amounts_with_grouping_spaces_stay_whole() -> None:
    assert triage("Списали 45 000 ₽ дважды, верните деньги!").facts.amounts == ("45 000 ₽",)


def test_mentions_and_links_do_not_change_the_reading() -> None:
    plain = triage("my internet is down again")
    noisy = triage("<@U0123> my internet is down again https://status.example.com @isp_help")
    assert (plain.is_complaint, plain.category, plain.anger) == (
        noisy.is_complaint,
        noisy.category,
        noisy.anger,
    )


def test_up_to_three_problems_in_the_order_raised() -> None:
    reading = triage(
        "You sent the wrong item, charged me twice for it, and the app crashes when I try "
        "to return it. Also my parcel never arrived."
    )
    assert len(reading.problems) == 3
    assert reading.problems[0].issue == "wrong-item"
