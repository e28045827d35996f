"""Every language table against its own cases (`cases/<code>.toml`): the linter, triage and the
offline drafter. One module for all languages; a language's cases are data, written natively."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.playbook.models import Request
from bot.playbook.tables import LINT_RULES, language, supported_languages
from bot.playbook.triage import triage
from bot.services.drafting import suggest

CASES = Path(__file__).parent / "cases"


def _load(code: str) -> dict[str, Any]:
    path = CASES / f"{code}.toml"
    return tomllib.loads(path.read_text("utf-8")) if path.exists() else {}


def _cases(*path: str) -> list[Any]:
    """(code, case) pairs for one list in every language's file, for parametrize ids."""
    out = []
    for code in supported_languages():
        node: Any = _load(code)
        for key in path:
            node = node.get(key, {} if key != path[-1] else [])
        out += [pytest.param(code, case, id=f"{code}-{i}") for i, case in enumerate(node)]
    return out


def test_every_language_has_cases_for_every_rule() -> None:
    for code in supported_languages():
        table = language(code)
        assert table is not None
        assert set(LINT_RULES) <= set(table.lint)
        harmful = {rule for rule, _ in _load(code).get("lint", {}).get("harmful", [])}
        assert harmful >= set(LINT_RULES) - {"shouting"}, code


@pytest.mark.parametrize(("code", "case"), _cases("lint", "harmful"))
def test_harmful_phrase_is_caught(code: str, case: list[str]) -> None:
    rule, text = case
    assert rule in {f.rule for f in lint(text, code)}, text


@pytest.mark.parametrize(("code", "case"), _cases("lint", "clean"))
def test_good_text_is_left_alone(code: str, case: str) -> None:
    assert lint(case, code) == [], case


@pytest.mark.parametrize(("code", "case"), _cases("triage", "not_complaints"))
def test_not_a_complaint(code: str, case: str) -> None:
    reading = triage(case)
    assert reading.language == code
    assert not reading.is_complaint, case


@pytest.mark.parametrize(("code", "case"), _cases("triage", "complaints"))
def test_complaint_is_detected(code: str, case: str) -> None:
    reading = triage(case)
    assert reading.language == code
    assert reading.is_complaint, case


@pytest.mark.parametrize(("code", "case"), _cases("triage", "reading"))
def test_reading(code: str, case: dict[str, Any]) -> None:
    reading = triage(case["text"], code, tuple(case.get("thread", ())))
    assert reading.is_complaint
    expected = {k: v for k, v in case.items() if k not in ("text", "thread")}
    actual = {
        "categories": [str(p.category) for p in reading.problems],
        "issues": [p.issue for p in reading.problems],
        "request": str(reading.request),
        "repeat": reading.repeat,
        "broken_promise": reading.broken_promise,
        "anger": reading.anger,
        "name": reading.customer_name,
        "missing": [str(d) for d in reading.missing],
        "amounts": list(reading.facts.amounts),
        "order_ids": list(reading.facts.order_ids),
        "deadline": reading.facts.deadline,
        "product": reading.facts.product,
    }
    assert {k: actual[k] for k in expected} == expected, case["text"]


@pytest.mark.parametrize(("code", "case"), _cases("draft"))
def test_draft(code: str, case: dict[str, Any]) -> None:
    suggestion = suggest(case["text"], context=tuple(case.get("thread", ())))
    reply = suggestion.reply
    assert reply, case["text"]
    assert detect(reply) == code
    assert suggestion.findings == (), reply
    for part in case.get("contains", []):
        assert part in reply, reply
    for part in case.get("excludes", []):
        assert part not in reply, reply


@pytest.mark.parametrize(("code", "case"), _cases("draft"))
def test_regenerate_gives_a_clean_draft(code: str, case: dict[str, Any]) -> None:
    for variant in (1, 2):
        suggestion = suggest(case["text"], variant=variant)
        assert suggestion.findings == (), suggestion.reply
        assert detect(suggestion.reply) == code


def test_every_request_is_worded_in_every_language() -> None:
    for code in supported_languages():
        table = language(code)
        assert table is not None
        assert set(Request) - {Request.NONE} <= set(table.compose.requests)
