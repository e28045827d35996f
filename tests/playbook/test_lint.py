"""The tone linter's behaviour beyond the phrase tables (those are in `cases/<code>.toml`)."""

from bot.playbook.lint import lint


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
