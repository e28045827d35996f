"""One structured Chat Completions call, with Heard's retry policy around it.

Retries live here, in tenacity, and the SDK's own are off (`max_retries=0`). One layer, because
two multiply: the SDK's 2 retries inside tenacity's 3 attempts would be 9 requests per complaint.
Tenacity rather than the SDK, because the SDK retries what must not be retried (a 429 with
`insufficient_quota` never succeeds; 408/409 are client errors), waits out any Retry-After up to
a fixed two minutes (far longer than an agent should wait for a draft), and can't be told to wait
milliseconds in tests or to log each attempt. Here: rate limits, timeouts, connection errors and
5xx are retried with exponential backoff and jitter; a Retry-After is honoured, and one longer
than the longest wait we accept ends the retries at once, so the offline drafter answers instead
of keeping the agent waiting.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import openai
import pydantic
from openai.lib._parsing._completions import type_to_response_format_param
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_random_exponential

from bot.config import Settings
from bot.llm.schema import ModelDraft

# The strict JSON schema of the answer, built once. `completions.parse(response_format=Model)`
# rebuilds it and walks it through the SDK's request transform on every call: 6 ms of CPU per
# complaint, a third of Heard's whole path. `_call` sends it as it is.
RESPONSE_FORMAT = type_to_response_format_param(ModelDraft)

log = logging.getLogger(__name__)


class ModelFailure(Exception):
    """The model gave no usable answer; str() is the reason shown to the agent."""


@dataclass(frozen=True, slots=True)
class Answer:
    draft: ModelDraft
    raw: str  # the JSON as the model wrote it, replayed as the assistant turn of a repair


def _quota_exhausted(error: BaseException) -> bool:
    return isinstance(error, openai.RateLimitError) and "insufficient_quota" in (
        error.code,
        error.type,
    )


def retryable(error: BaseException) -> bool:
    """Transient: rate limits (not an empty quota), timeouts, connection errors and 5xx."""
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.RateLimitError):
        return not _quota_exhausted(error)
    return isinstance(error, openai.APIStatusError) and error.status_code >= 500


def retry_after(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms`, `retry-after` seconds or date)."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is not None:
                return max(0.0, email.utils.mktime_tz(parsed) - time.time())
    return None


def _outcome_error(state: RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome else None


class _WaitRetryAfter(wait_base):
    """The server's Retry-After when it gives one, else exponential backoff with full jitter."""

    def __init__(self, initial: float, longest: float) -> None:
        self._backoff = wait_random_exponential(multiplier=initial, max=longest)

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = retry_after(_outcome_error(retry_state))
        return asked if asked is not None else self._backoff(retry_state)


class _StopOnLongRetryAfter(stop_base):
    def __init__(self, longest: float) -> None:
        self._longest = longest

    def __call__(self, retry_state: RetryCallState) -> bool:
        asked = retry_after(_outcome_error(retry_state))
        return asked is not None and asked > self._longest


class ModelClient:
    """The OpenAI SDK client and everything about how Heard calls it."""

    def __init__(self, settings: Settings) -> None:
        assert settings.openai_api_key is not None, "the model path needs a key"
        self.model = settings.heard_openai_model
        self._client = openai.OpenAI(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout=settings.heard_openai_timeout,
            max_retries=0,  # tenacity retries; see the module docstring
        )
        self._max_tokens = settings.heard_openai_max_tokens
        self._effort = settings.heard_openai_reasoning_effort
        self._timeout = settings.heard_openai_timeout
        self._attempts = settings.heard_openai_attempts
        self._slots = threading.BoundedSemaphore(settings.heard_openai_concurrency)
        longest = settings.heard_openai_retry_max_wait
        self._wait = _WaitRetryAfter(settings.heard_openai_retry_wait, longest)
        self._stop = stop_after_attempt(self._attempts) | _StopOnLongRetryAfter(longest)

    def ask(self, messages: Sequence[ChatCompletionMessageParam]) -> Answer:
        """The parsed answer, or ModelFailure saying why there is none."""
        retrying = Retrying(
            retry=retry_if_exception(retryable),
            wait=self._wait,
            stop=self._stop,
            before_sleep=_log_retry,
            reraise=True,
        )
        try:
            completion = retrying(self._call, messages)
        except openai.OpenAIError as error:
            raise ModelFailure(self._reason(error)) from error
        choice = completion.choices[0]
        if choice.finish_reason == "length":
            raise ModelFailure("its answer was cut off at HEARD_OPENAI_MAX_TOKENS")
        if choice.finish_reason == "content_filter":
            raise ModelFailure("the provider's content filter withheld the answer")
        if choice.message.refusal:
            raise ModelFailure(f"it refused: {choice.message.refusal}")
        content = choice.message.content
        if not content:
            raise ModelFailure("its answer was empty")
        try:
            parsed = ModelDraft.model_validate_json(content)
        except pydantic.ValidationError as error:
            raise ModelFailure(
                f"its answer did not match the schema ({error.error_count()} errors)"
            ) from error
        return Answer(parsed, content)

    def _call(self, messages: Sequence[ChatCompletionMessageParam]) -> ChatCompletion:
        started = time.monotonic()
        body: dict[str, object] = {
            "model": self.model,
            "messages": list(messages),
            "max_completion_tokens": self._max_tokens,
            "response_format": RESPONSE_FORMAT,
        }
        if self._effort:
            body["reasoning_effort"] = self._effort
        with self._slots:
            # The SDK's documented raw `post` (same client, errors and parsing): `create` first
            # walks the body against its typed parameters, a tenth of a draft's CPU under load,
            # and our body is plain JSON already.
            completion = self._client.post("/chat/completions", body=body, cast_to=ChatCompletion)
        usage = completion.usage
        details = usage.prompt_tokens_details if usage else None
        log.info(
            "openai %s answered in %.2fs: prompt %d tokens (cached %d), completion %d",
            completion.model or self.model,
            time.monotonic() - started,
            usage.prompt_tokens if usage else 0,
            (details.cached_tokens or 0) if details else 0,
            usage.completion_tokens if usage else 0,
        )
        return completion

    def _reason(self, error: openai.OpenAIError) -> str:
        tries = f"after {self._attempts} attempts" if self._attempts > 1 else "(no retries)"
        if _quota_exhausted(error):
            return "the OpenAI account has no quota left (insufficient_quota)"
        if isinstance(error, openai.APITimeoutError):
            return f"it did not answer within {self._timeout:g}s {tries}"
        if isinstance(error, openai.APIConnectionError):
            return f"the server could not be reached {tries}"
        if isinstance(error, openai.RateLimitError):
            asked = retry_after(error)
            if asked is not None and self._attempts > 1:
                return f"it is rate-limited and asked to wait {asked:g}s"
            return f"it is rate-limited (429) {tries}"
        if isinstance(error, openai.APIStatusError):
            if error.status_code >= 500:
                return f"the server failed ({error.status_code}) {tries}"
            return f"the request was rejected ({error.status_code}): {error.message}"
        return f"the call failed: {error}"


def _log_retry(state: RetryCallState) -> None:
    error = _outcome_error(state)
    wait = state.next_action.sleep if state.next_action else 0.0
    log.warning(
        "openai attempt %d failed (%s); retrying in %.2fs", state.attempt_number, error, wait
    )
