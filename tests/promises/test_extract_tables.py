"""The promise tables themselves, and how a message's language picks one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.promises import find_promises, tables

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("UTC"))


def test_every_language_table_loads_and_compiles() -> None:
    assert tables.supported_languages() == ("en", "ja", "ko", "ru", "tr")
    for code in tables.supported_languages():
        grammar = tables.grammar(code)
        assert grammar is not None
        assert grammar.code == code
    assert tables.grammar("de") is None


def test_an_unknown_placeholder_fails_loudly_naming_the_file() -> None:
    raw = tables._read("en.toml")
    promise = dict(raw["promise"])  # type: ignore[call-overload]
    promise["triggers"] = ["{no_such_thing} update you"]
    broken = tables.LanguageTable.model_validate({**raw, "promise": promise})
    with pytest.raises(tables.TableError, match=r"en\.toml: unknown placeholder \{no_such_thing\}"):
        tables._compile(broken)


def test_a_language_without_a_table_tries_every_table() -> None:
    [promise] = find_promises("I'll update you within 2 hours.", now=NOW, tz="UTC", language="de")
    assert promise.language == "en"


def test_the_detected_language_is_used_when_none_is_given() -> None:
    text = "Спасибо за ожидание. Мы свяжемся с вами в течение 2 часов."
    [promise] = find_promises(text, now=NOW, tz="UTC")
    assert promise.language == "ru"
    assert promise.due.isoformat() == "2026-03-04T12:00:00+00:00"


def test_text_without_a_promise_or_without_letters() -> None:
    assert find_promises("", now=NOW, tz="UTC") == []
    assert find_promises("12:00 !!!", now=NOW, tz="UTC") == []
