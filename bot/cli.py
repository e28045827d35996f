"""Command line: `python -m bot run | draft | lint | promises | demo | check` (also `heard`).

Contract (DESIGN §6): JSON shapes are fixed; `TEXT` may be `-` for stdin; exit status 0 on success,
2 on bad usage or bad input with a one-line error on stderr — never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from bot.config import ConfigError, load_settings
from bot.playbook.text import MAX_CHARS

if TYPE_CHECKING:
    from bot.services.drafting import Suggestion

PROG = "heard"
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or bad input: shown as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _read_text(argument: str) -> str:
    if argument == "-":
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UsageError(
                f"stdin is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})"
            ) from None
    else:
        text = argument
    if not text.strip():
        raise UsageError("TEXT is empty: pass the message as an argument or '-' to read stdin")
    if len(text) > MAX_CHARS:
        raise UsageError(f"TEXT is {len(text):,} characters; the limit is {MAX_CHARS:,}")
    return text


def _print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def _findings(findings: Sequence[Any]) -> list[dict[str, str]]:
    return [{"rule": f.rule, "excerpt": f.excerpt, "message": f.message} for f in findings]


def _draft_payload(suggestion: Suggestion) -> dict[str, Any]:
    reading = suggestion.triage
    return {
        "is_complaint": reading.is_complaint,
        "anger": reading.anger,
        "category": str(reading.category),
        "language": reading.language,
        "reply": suggestion.reply,
        "lint": _findings(suggestion.findings),
        "engine": suggestion.engine,
    }


def _draft(args: argparse.Namespace) -> int:
    from bot.services.drafting import drafting_for

    drafting = drafting_for(load_settings())
    if args.jsonl:
        return _batch(args.text, lambda text: _draft_payload(drafting.suggest(text)))
    text = _read_text(args.text)
    suggestion = drafting.suggest(text)
    reading = suggestion.triage
    if args.json:
        _print_json(_draft_payload(suggestion))
        return 0
    if not reading.is_complaint:
        print(f"Not a complaint ({reading.language}): no draft.")
        return 0
    print(
        f"complaint · anger {reading.anger}/3 · {reading.category} · {reading.language}"
        f" · engine {suggestion.engine}\n"
    )
    print(suggestion.reply)
    for finding in suggestion.findings:
        print(f"\n⚠ {finding.rule}: “{finding.excerpt}” — {finding.message}")
    if suggestion.draft and suggestion.draft.notes:
        print("\nNotes for the agent:")
        for note in suggestion.draft.notes:
            print(f"  • {note}")
    return 0


def _lint_payload(text: str, language: str | None) -> dict[str, Any]:
    from bot.playbook.language import detect
    from bot.playbook.lint import lint

    code = language or detect(text)
    return {"language": code, "findings": _findings(lint(text, code))}


def _lint(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _batch(args.text, lambda text: _lint_payload(text, args.language))
    text = _read_text(args.text)
    payload = _lint_payload(text, args.language)
    if args.json:
        _print_json(payload)
        return 0
    if not payload["findings"]:
        print(f"No findings ({payload['language']}).")
    for finding in payload["findings"]:
        print(f"{finding['rule']}: “{finding['excerpt']}”\n  {finding['message']}")
    return 0


def _batch(source: str, answer: Callable[[str], dict[str, Any]]) -> int:
    """One JSON object per line in, one per line out, in order, each carrying its `id` back.
    A bad line gets `{"id", "error"}` and the run goes on (DESIGN §6)."""
    if source != "-":
        raise UsageError("--jsonl reads stdin: pass '-' as TEXT")
    for number, raw in enumerate(sys.stdin.buffer, 1):
        if not raw.strip():
            continue
        ident: Any = None
        try:
            record = json.loads(raw)
            if not isinstance(record, dict):
                raise UsageError("a line must be a JSON object with 'id' and 'text'")
            ident = record.get("id")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise UsageError("'text' must be a non-empty string")
            if len(text) > MAX_CHARS:
                raise UsageError(f"'text' is {len(text):,} characters; the limit is {MAX_CHARS:,}")
            line = {"id": ident, **answer(text)}
        except UsageError as error:
            line = {"id": ident, "error": str(error)}
        except ValueError:  # not JSON, or not UTF-8
            line = {"id": None, "error": f"line {number} is not a JSON object in UTF-8"}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def _promises(args: argparse.Namespace) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.promises import find_promises

    text = _read_text(args.text)
    try:
        zone = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"--tz {args.tz!r} is not an IANA time zone such as Europe/Istanbul"
        ) from None
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(zone)
    except ValueError:
        raise UsageError(
            f"--now {args.now!r} is not an ISO-8601 time such as 2026-11-02T09:30+03:00"
        ) from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)  # a wall-clock time in the owner's zone
    found = find_promises(text, now=now, tz=zone)
    if args.json:
        _print_json(
            {
                "promises": [
                    {"phrase": p.phrase, "due": p.due.isoformat(), "vague": p.vague} for p in found
                ]
            }
        )
        return 0
    if not found:
        print("No promises found.")
    for promise in found:
        kind = "vague, default window" if promise.vague else "due"
        print(f"“{promise.phrase}” → {kind} {promise.due:%a %Y-%m-%d %H:%M %Z}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    del args
    run_demo(sys.stdout)
    return 0


def _check(args: argparse.Namespace) -> int:
    del args
    settings = load_settings()
    mode = "Socket Mode" if settings.slack_app_token else f"HTTP on port {settings.port}"
    engine = f"OpenAI ({settings.heard_openai_model})" if settings.openai_api_key else "playbook"
    print(f"configuration OK · {mode} · drafts: {engine} · database: {settings.database_url}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.run import run

    del args
    run(load_settings())
    return 0


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description="Heard: de-escalating reply drafts for support teams.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    draft = commands.add_parser("draft", help="triage a customer message and draft a reply")
    draft.add_argument("--json", action="store_true", help="print the JSON contract")
    draft.add_argument("--jsonl", action="store_true", help="batch: JSON lines on stdin (TEXT -)")
    draft.add_argument("text", metavar="TEXT", help="the message, or - for stdin")
    draft.set_defaults(run=_draft)

    lint = commands.add_parser("lint", help="check a reply for phrases that escalate")
    lint.add_argument("--json", action="store_true", help="print the JSON contract")
    lint.add_argument("--jsonl", action="store_true", help="batch: JSON lines on stdin (TEXT -)")
    lint.add_argument("--language", metavar="CODE", help="ISO 639-1 code (default: detected)")
    lint.add_argument("text", metavar="TEXT", help="the reply, or - for stdin")
    lint.set_defaults(run=_lint)

    promises = commands.add_parser("promises", help="find follow-up promises and their deadlines")
    promises.add_argument("--json", action="store_true", help="print the JSON contract")
    promises.add_argument("--now", metavar="ISO", help="when the message was sent (default: now)")
    promises.add_argument("--tz", metavar="ZONE", default="UTC", help="the owner's IANA time zone")
    promises.add_argument("text", metavar="TEXT", help="the agent's reply, or - for stdin")
    promises.set_defaults(run=_promises)

    demo = commands.add_parser("demo", help="run the pipeline offline on a sample conversation")
    demo.set_defaults(run=_demo)

    run = commands.add_parser("run", help="start the Slack app (Socket Mode or HTTP)")
    run.set_defaults(run=_run)

    check = commands.add_parser("check", help="validate the configuration")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        code: int = args.run(args)
        return code
    except (UsageError, ConfigError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for the user; the traceback on request
        if os.environ.get("HEARD_DEBUG"):
            raise
        print(f"{PROG}: internal error: {error!r} (set HEARD_DEBUG=1 for details)", file=sys.stderr)
        return 1
