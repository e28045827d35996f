"""A fake OpenAI server: real HTTP on 127.0.0.1, speaking enough Chat Completions for the SDK.

Each test scripts what it answers, in order (`script`), falling back to `default` (a reply or a
function of the request) once the script runs out. Every request is recorded with its headers
and JSON body so tests can assert on what Heard sent. A prefix cache is simulated: a request whose
system message was seen before reports those tokens as `cached_tokens`, like the real API.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """One scripted response: a status, a JSON or raw body, headers, and a delay before it."""

    status: int = 200
    body: Json | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: Json

    @property
    def messages(self) -> list[Json]:
        return list(self.body["messages"])

    def content(self, role: str) -> str:
        """The content of the last message with `role`."""
        return str(next(m["content"] for m in reversed(self.messages) if m["role"] == role))


Responder = Callable[[Request], Reply]


def answer(
    reply: list[tuple[str, str]] | None = None,
    *,
    is_complaint: bool = True,
    anger: int = 2,
    category: str = "billing",
    language: str = "en",
    missing: list[str] | None = None,
    note: str | None = None,
) -> Reply:
    """A canned structured answer in the shape of `bot.llm.schema.ModelDraft`."""
    draft = {
        "is_complaint": is_complaint,
        "anger": anger,
        "category": category,
        "language": language,
        "missing": missing or [],
        "reply": [{"step": step, "text": text} for step, text in (reply or [])],
        "note_to_agent": note,
    }
    return content(json.dumps(draft, ensure_ascii=False))


def content(text: str, *, refusal: str | None = None, finish_reason: str = "stop") -> Reply:
    """A completion whose message content is `text` verbatim (malformed JSON included)."""
    message = {"role": "assistant", "content": text, "refusal": refusal}
    return Reply(body={"choices": [{"message": message, "finish_reason": finish_reason}]})


def refusal(text: str) -> Reply:
    return content("", refusal=text)


def error(
    status: int,
    message: str = "fake error",
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    body = {"error": {"message": message, "type": code or "server_error", "code": code}}
    return Reply(status=status, body=body, headers=headers or {})


def hang(seconds: float) -> Reply:
    """Answer only after `seconds` (or when the server stops): a provider that hangs."""
    return Reply(delay=seconds, body={"choices": []})


class FakeOpenAI:
    """Start with `with FakeOpenAI() as fake:`; point the SDK at `fake.base_url`."""

    def __init__(self, *, latency: float = 0.0, default: Reply | Responder | None = None) -> None:
        self.latency = latency
        self.default: Reply | Responder = default or error(500, "nothing scripted")
        self.requests: list[Request] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._prefixes: set[str] = set()
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
        return self.default if isinstance(self.default, Reply) else self.default(request)

    def _usage(self, request: Request, completion: str) -> Json:
        system = next((str(m["content"]) for m in request.messages if m["role"] == "system"), "")
        prompt = sum(len(str(m["content"])) for m in request.messages) // 4
        with self._lock:
            cached = (len(system) // 4) // 128 * 128 if system in self._prefixes else 0
            self._prefixes.add(system)
        return {
            "prompt_tokens": prompt,
            "completion_tokens": len(completion) // 4,
            "total_tokens": prompt + len(completion) // 4,
            "prompt_tokens_details": {"cached_tokens": cached},
        }

    def _complete(self, request: Request, body: Json) -> Json:
        """Fill a scripted `choices` body out into a full chat.completion object."""
        choices = [
            {"index": i, "logprobs": None, **choice} for i, choice in enumerate(body["choices"])
        ]
        text = "".join(str(c["message"].get("content") or "") for c in choices)
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.body.get("model", "unknown"),
            "choices": choices,
            "usage": self._usage(request, text),
        }


class _Server(ThreadingHTTPServer):
    """A listen backlog like a real server's: the stdlib default of 5 drops connections when
    dozens arrive at once, and the client's 1 s SYN retry would be measured as latency."""

    request_queue_size = 256
    daemon_threads = True


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (~40 ms)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            request = Request(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(self.rfile.read(length) or b"{}"),
            )
            reply = fake._next(request)
            if fake._stopping.wait(fake.latency + reply.delay):
                return
            body = reply.body
            if reply.status == 200 and isinstance(body, dict) and "choices" in body:
                body = fake._complete(request, body)
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests assert on `fake.requests`, not on access logs."""

    return Handler
