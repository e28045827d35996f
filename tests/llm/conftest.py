"""Fixtures for the model path: a fake OpenAI server per test and settings pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fake_openai import FakeOpenAI

from bot.config import Settings
from bot.services.drafting import Drafting, drafting_for

MakeSettings = Callable[..., Settings]
MakeDrafting = Callable[..., Drafting]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def make_settings(fake: FakeOpenAI) -> MakeSettings:
    """Settings for the fake server, with retry waits of milliseconds and a short timeout.
    `_env_file=None`: a developer's .env must not change what the tests see."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "openai_api_key": "sk-test-fake",
            "openai_base_url": fake.base_url,
            "heard_openai_model": "gpt-test-mini",
            "heard_openai_timeout": 5.0,
            "heard_openai_retry_wait": 0.001,
            "heard_openai_retry_max_wait": 1.0,
            "heard_product_name": "Acme Cloud",
            "heard_agent_name": "Mina",
            **overrides,
        }
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
def make_drafting(make_settings: MakeSettings) -> MakeDrafting:
    def make(**overrides: Any) -> Drafting:
        return drafting_for(make_settings(**overrides))

    return make
