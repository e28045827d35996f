"""Settings: every environment variable Heard reads, validated once at start-up.

A configuration mistake must stop the program with one line that names the variable and what it
expects — never a traceback. `.env` in the working directory is read too.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_CHANNEL_HINT = "must be a channel ID such as C0123ABCD (channel details → About → Channel ID)"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION_HINT = "must be a duration such as 90s, 15m, 2h or 1d"


class ConfigError(ValueError):
    """A bad setting; str() is the one line to show the user."""


def _channel_id(value: str, variable: str) -> str:
    value = value.strip()
    if not CHANNEL_ID.match(value):
        raise ValueError(f"{variable}={value!r}: {_CHANNEL_HINT}")
    return value


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"{value!r} {_DURATION_HINT}")
    return timedelta(seconds=float(match[1]) * _DURATION_UNITS[match[2].lower()])


def _token(value: SecretStr | None, prefix: str, variable: str) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"{variable} must start with {prefix!r}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,  # `SLACK_APP_TOKEN=` left blank (as in .env.example) means unset
    )

    # Slack (DESIGN §6)
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(default=3000, ge=1, le=65535)

    # OpenAI (the SDK's own variables; no key → the offline playbook drafter)
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    heard_openai_model: str = "gpt-5-mini"
    heard_openai_timeout: float = Field(default=30.0, gt=0, le=600)
    heard_openai_max_tokens: int = Field(default=1500, ge=100, le=32_000)
    heard_redact: bool = True
    # Only for reasoning models (gpt-5 family, o-series); unset = the model's default, not sent.
    heard_openai_reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None
    # Model calls in flight at once per process; also the size of the benchmark's worker pool.
    heard_openai_concurrency: int = Field(default=16, ge=1, le=256)
    # Attempts per model request (1 = no retry) and the exponential backoff between them.
    heard_openai_attempts: int = Field(default=3, ge=1, le=10)
    heard_openai_retry_wait: float = Field(default=1.0, ge=0, le=60)
    heard_openai_retry_max_wait: float = Field(default=20.0, ge=0, le=600)
    # Token budgets for customer text sent to the model: each message, and the thread history.
    heard_openai_message_tokens: int = Field(default=1500, ge=100, le=32_000)
    heard_openai_context_tokens: int = Field(default=1500, ge=0, le=32_000)
    # Folder with the prompt files; default: prompts/ next to the bot package.
    heard_prompts_dir: str | None = None

    # Storage
    database_url: str = "sqlite:///heard.db"

    # Channels
    heard_support_channels: Annotated[tuple[str, ...], NoDecode] = ()
    heard_triage_channel: str | None = None
    # Bots whose posts are complaints (an e-mail or helpdesk integration forwarding tickets).
    heard_allowed_bot_ids: Annotated[tuple[str, ...], NoDecode] = ()
    # Reactions on a card that act on it (emoji names without colons).
    heard_send_emoji: str = "white_check_mark"
    heard_regenerate_emoji: str = "repeat"
    heard_dismiss_emoji: str = "x"
    heard_claim_emoji: str = "eyes"
    # Drafting threads, separate from Bolt's own small pool so slow model calls never block acks.
    heard_draft_workers: int = Field(default=16, ge=1, le=256)
    # Processes that draft, resume and remind at lower CPU priority, so a burst of drafting never
    # delays Slack's acks (bot.background); 0 keeps everything in the web process.
    heard_background_processes: int = Field(default=2, ge=0, le=32)

    # The team's policy, used by drafters and prompts
    heard_product_name: str = "our product"
    heard_compensation_policy: Literal["none", "suggest", "allow"] = "suggest"
    heard_business_hours: str = "Mon-Fri 09:00-18:00"
    heard_followup_hours: int = Field(default=24, ge=1, le=24 * 14)

    # Promises and reminders: DMs this long before a promise falls due (and one at due), the
    # channel an overdue promise is announced in after the grace period, and what Snooze waits.
    heard_reminder_leads: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(hours=2),
        timedelta(minutes=15),
    )
    heard_escalation_channel: str | None = None
    # Optional: only members of this user group (ID such as S0123ABCD) may send replies.
    heard_senders_usergroup: str | None = None
    heard_escalation_grace: timedelta = timedelta(minutes=30)
    heard_snooze: timedelta = timedelta(minutes=30)
    # Who signs model drafts; empty = a placeholder the agent fills in.
    heard_agent_name: str = ""
    heard_agent_signature: str = ""
    heard_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _token(value, "xoxb-", "SLACK_BOT_TOKEN")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _token(value, "xapp-", "SLACK_APP_TOKEN")

    @field_validator("slack_api_url", "openai_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"{value!r} must be an http(s) URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9+]*://", value):
            raise ValueError(f"{value!r} must be a SQLAlchemy URL such as sqlite:///heard.db")
        return value

    @field_validator("heard_support_channels", mode="before")
    @classmethod
    def _support_channels(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple):
            raise ValueError("must be comma-separated channel IDs")
        return tuple(_channel_id(str(v), "HEARD_SUPPORT_CHANNELS") for v in value)

    @field_validator("heard_allowed_bot_ids", mode="before")
    @classmethod
    def _bot_ids(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple) or not all(
            re.match(r"^B[A-Z0-9]{6,}$", v) for v in value
        ):
            raise ValueError("must be comma-separated bot IDs such as B0123ABCD")
        return tuple(value)

    @field_validator("heard_senders_usergroup")
    @classmethod
    def _usergroup(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^S[A-Z0-9]{6,}$", value.strip()):
            raise ValueError(f"{value!r} must be a user group ID such as S0123ABCD")
        return value.strip() if value else None

    @field_validator("heard_triage_channel")
    @classmethod
    def _triage_channel(cls, value: str | None) -> str | None:
        return (
            None
            if value is None or not value.strip()
            else _channel_id(value, "HEARD_TRIAGE_CHANNEL")
        )

    @field_validator("heard_escalation_channel")
    @classmethod
    def _escalation_channel(cls, value: str | None) -> str | None:
        return (
            None
            if value is None or not value.strip()
            else _channel_id(value, "HEARD_ESCALATION_CHANNEL")
        )

    @field_validator("heard_reminder_leads", mode="before")
    @classmethod
    def _leads(cls, value: object) -> tuple[timedelta, ...]:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple):
            raise ValueError(
                f"must be comma-separated durations such as 2h,15m; each {_DURATION_HINT}"
            )
        leads = sorted({_duration(v) for v in value}, reverse=True)
        if any(lead <= timedelta(0) or lead > timedelta(days=14) for lead in leads):
            raise ValueError("each lead time must be more than 0 and at most 14 days")
        return tuple(leads)

    @field_validator("heard_escalation_grace", "heard_snooze", mode="before")
    @classmethod
    def _positive_duration(cls, value: object) -> timedelta:
        duration = _duration(value)
        if not timedelta(0) < duration <= timedelta(days=14):
            raise ValueError(f"{value!r} must be more than 0 and at most 14 days")
        return duration

    @field_validator("heard_log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def load_settings(**overrides: object) -> Settings:
    """Read and validate the environment; raise ConfigError with one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        variable = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        message = str(first["msg"]).removeprefix("Value error, ")
        if not message.startswith(variable):
            shown = first.get("input")
            value = f"={shown!r}" if isinstance(shown, str | int | float) else ""
            message = f"{variable}{value}: {message}"
        raise ConfigError(message) from None
