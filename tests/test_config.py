"""Settings: defaults that need nothing, and one readable line for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(Settings.model_fields):
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.port == 3000
    assert settings.openai_api_key is None
    assert settings.heard_support_channels == ()


def test_support_channels_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARD_SUPPORT_CHANNELS", " C0123ABCD, G0456EFGH ,")
    assert load_settings().heard_support_channels == ("C0123ABCD", "G0456EFGH")


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HEARD_TRIAGE_CHANNEL=C0TRIAGE1\nPORT=8080\n")
    settings = load_settings()
    assert settings.heard_triage_channel == "C0TRIAGE1"
    assert settings.port == 8080


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HEARD_TRIAGE_CHANNEL", "general", "channel ID such as C0123ABCD"),
        ("HEARD_SUPPORT_CHANNELS", "C0123ABCD,#support", "channel ID"),
        ("SLACK_BOT_TOKEN", "xapp-123", "xoxb-"),
        ("SLACK_APP_TOKEN", "xoxb-123", "xapp-"),
        ("SLACK_API_URL", "slack.com/api", "http(s) URL"),
        ("OPENAI_BASE_URL", "localhost:11434", "http(s) URL"),
        ("DATABASE_URL", "heard.db", "SQLAlchemy URL"),
        ("PORT", "eighty", "integer"),
        ("PORT", "70000", "65535"),
        ("HEARD_COMPENSATION_POLICY", "sometimes", "'none', 'suggest' or 'allow'"),
        ("HEARD_OPENAI_TIMEOUT", "-1", "greater than 0"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(variable)
    assert expected in message
    assert "\n" not in message


def test_secrets_are_not_shown_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    assert "very-secret" not in repr(load_settings())


def test_blank_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copied .env.example has blanks; they must not count as (invalid) values."""
    for variable in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "HEARD_TRIAGE_CHANNEL", "PORT"):
        monkeypatch.setenv(variable, "")
    settings = load_settings()
    assert settings.slack_app_token is None and settings.slack_signing_secret is None
    assert settings.heard_triage_channel is None and settings.port == 3000
