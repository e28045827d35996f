"""The command line keeps the DESIGN §6 contract: JSON shapes, stdin, exit codes, one-line
errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.playbook.tables import LINT_RULES

ROOT = Path(__file__).resolve().parents[1]
DRAFT_KEYS = {"is_complaint", "anger", "category", "language", "reply", "lint", "engine"}
CATEGORIES = {
    "mistake", "defect", "outage", "billing", "delivery", "feature-request", "discount-request",
    "cancellation", "unknown-answer", "rude", "other",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key, no .env from the developer's checkout: the CLI must work offline."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(list(argv)) == 0
    payload: dict[str, object] = json.loads(capsys.readouterr().out)
    return payload


def run_process(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv], input=stdin, capture_output=True, env=env, cwd=ROOT
    )


def test_draft_json_shape_for_a_complaint(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys, "draft", "--json", "My order #4521 still hasn't arrived!!")
    assert set(payload) == DRAFT_KEYS
    assert payload["is_complaint"] is True
    assert payload["anger"] in (0, 1, 2, 3)
    assert payload["category"] in CATEGORIES
    assert payload["language"] == "en"
    assert isinstance(payload["reply"], str) and "#4521" in payload["reply"]
    assert payload["lint"] == []
    assert payload["engine"] == "playbook"


def test_draft_json_for_chit_chat_has_empty_reply(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys, "draft", "--json", "thanks, have a nice weekend!")
    assert payload["is_complaint"] is False
    assert payload["reply"] == ""
    assert payload["lint"] == []


def test_lint_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys, "lint", "--json", "Sorry for the inconvenience, but we are busy.")
    assert payload["language"] == "en"
    findings = payload["findings"]
    assert isinstance(findings, list) and findings
    for finding in findings:
        assert set(finding) == {"rule", "excerpt", "message"}
        assert finding["rule"] in LINT_RULES


def test_text_from_stdin() -> None:
    result = run_process("lint", "--json", "-", stdin=b"I understand your frustration.")
    assert result.returncode == 0, result.stderr
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules == ["understand-frustration"]


def test_invalid_utf8_on_stdin_is_a_one_line_error() -> None:
    result = run_process("draft", "--json", "-", stdin=b"caf\xe9 is broken")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().count("\n") == 1
    assert "UTF-8" in result.stderr.decode()


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_bad_input(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert main(["draft", "--json", text]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty" in err


def test_text_over_the_limit_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "x" * 100_001]) == 2
    assert "limit" in capsys.readouterr().err


def test_fifty_thousand_characters_get_a_result(capsys: pytest.CaptureFixture[str]) -> None:
    text = ("The sync is broken again and I lost my work. " * 1200)[:50_000]
    payload = run_json(capsys, "draft", "--json", text)
    assert payload["is_complaint"] is True and payload["lint"] == []


def test_emoji_only_is_not_a_complaint(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys, "draft", "--json", "😡😡😡🔥")
    assert payload["is_complaint"] is False
    assert payload["language"] == "und"


def test_mixed_languages_reply_in_the_dominant_one(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Hello, my order from last week is still missing and nobody answers. ありがとう"
    payload = run_json(capsys, "draft", "--json", text)
    assert payload["language"] == "en"
    assert payload["is_complaint"] is True


def test_bad_usage_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", "--no-such-flag", "x"]) == 2
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and all(
        line.startswith("heard: error:") for line in err.splitlines()
    )


def test_bad_configuration_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEARD_TRIAGE_CHANNEL", "general")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "HEARD_TRIAGE_CHANNEL" in err and "C0123ABCD" in err


def test_check_summarises_a_good_configuration(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEARD_SUPPORT_CHANNELS", "C0123ABCD,C0456EFGH")
    assert main(["check"]) == 0
    assert "configuration OK" in capsys.readouterr().out


def test_demo_runs_offline_and_shows_cards_and_lint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "draft card" in out
    assert "no draft: not a complaint" in out
    assert "⚠ non-apology" in out
    assert "promise “I'll update you within 1 hour”: due Mon 10:05 GMT" in out


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("heard")
    result = subprocess.run([script, "lint", "--json", "ok"], capture_output=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []
