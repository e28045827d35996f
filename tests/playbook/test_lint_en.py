"""The tone linter in English: every PLAYBOOK §3 rule fires on the harmful phrase and stays quiet on
the de-escalating alternative."""

import pytest

from bot.playbook.lint import lint
from bot.playbook.tables import LINT_RULES

HARMFUL = [
    ("non-apology", "I'm sorry you feel that way about the update."),
    ("non-apology", "We apologize for any inconvenience this may have caused."),
    ("non-apology", "Sorry for the inconvenience."),
    ("non-apology", "I'm sorry you had this problem with the export."),
    ("understand-frustration", "I understand your frustration with the delay."),
    ("understand-frustration", "I understand how you feel."),
    ("but-after-apology", "I'm sorry, but the policy doesn't allow that."),
    ("but-after-apology", "I hear you. However, there is nothing I can change."),
    ("high-volume-excuse", "We are experiencing unusually high volume right now."),
    ("high-volume-excuse", "Due to high call volumes, replies may take longer."),
    ("vague-timeline", "We'll get back to you soon."),
    ("vague-timeline", "Someone will reach out shortly."),
    ("vague-timeline", "I will follow up with the details."),
    ("impossible-promise", "This will never happen again."),
    ("impossible-promise", "I guarantee the fix works."),
    ("impossible-promise", "It is 100% solved now."),
    ("unauthorized-compensation", "I'll refund you in full today."),
    ("unauthorized-compensation", "Here's 20% off your next order."),
    ("blame-customer", "You should have read the setup guide."),
    ("blame-customer", "As I already said, the button is on the left."),
    ("blame-customer", "Please calm down."),
    ("impersonal-voice", "We have checked your account and our team will fix it. We value you."),
    ("shouting", "WE HAVE FIXED IT."),
    ("shouting", "Please check the settings!!!"),
]

GOOD = [
    "I'm sorry your order arrived broken — that's on us.",
    "Waiting two weeks for a refund you were promised is not okay. I'm checking it now.",
    "I'm looking at this myself and will update you by 15:00 today.",
    "I'll update you within 4 hours with what I've found.",
    "I'll tell you what we change so this is less likely to happen again.",
    "Could you send me the order number? I need it to find the shipment.",
    "Thanks for raising this with me. Is there anything else I can help with?",
    "I checked the API logs and the SSL certificate on your URL; both look fine.",
]


@pytest.mark.parametrize(("rule", "text"), HARMFUL)
def test_harmful_phrase_is_flagged_with_its_excerpt(rule: str, text: str) -> None:
    findings = [f for f in lint(text, "en") if f.rule == rule]
    assert findings, f"{rule} not found in {text!r}"
    assert all(f.excerpt and f.excerpt.lower() in text.lower() for f in findings)
    assert all("Instead:" in f.message for f in findings)


@pytest.mark.parametrize("text", GOOD)
def test_de_escalating_text_lints_clean(text: str) -> None:
    assert lint(text, "en") == []


def test_every_rule_is_covered_by_the_examples() -> None:
    assert {rule for rule, _ in HARMFUL} == set(LINT_RULES)


def test_language_is_detected_when_not_given() -> None:
    assert [f.rule for f in lint("I understand your frustration.")] == ["understand-frustration"]


def test_same_finding_is_reported_once() -> None:
    findings = lint("Sorry for the inconvenience. Sorry for the inconvenience.", "en")
    assert [f.rule for f in findings] == ["non-apology"]


def test_unsupported_language_falls_back_to_english_rules_and_shouting() -> None:
    rules = {f.rule for f in lint("Bitte WARTEN Sie!!!", "de")}
    assert "shouting" in rules


def test_links_handles_and_support_acronyms_are_not_shouting() -> None:
    text = "Please DM us your DSL account here:https://t.co/XyZAbCdEfGh and tag @HelpDESK."
    assert [f for f in lint(text, "en") if f.rule == "shouting"] == []
