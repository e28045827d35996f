"""Benchmark promise extraction, and report what it finds in real agent replies.

    python tests/bench/bench_promises.py [DATA_FOLDER] [--messages N] [--seed S]

Measures the latency of `find_promises` per message (p50/p95/p99, with language detection and
with the language given) over a generated mix of promises and non-promises in five languages.
Given a data folder (e.g. ../shared/eval/real), it also runs extraction over
`agent_replies_followup.jsonl` there and prints how many replies contain a promise, how many are
vague or timed, and a few resolved examples. The data is read from the path, never copied.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.promises import Promise, find_promises

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("UTC"))
ZONE = "Europe/Berlin"
REPLIES = "agent_replies_followup.jsonl"

# Per language: openers, promise templates with a {when} slot, times, and non-promise sentences.
MIX: dict[str, dict[str, list[str]]] = {
    "en": {
        "open": ["Thanks for your patience.", "Sorry about the delay with your order.", ""],
        "promise": [
            "I'll update you {when}.",
            "We'll get back to you {when}.",
            "I'll check with the billing team and follow up {when}.",
            "You'll hear from me {when}.",
        ],
        "when": ["within 24 hours", "by Friday", "tomorrow at 9:30am", "by EOD", "shortly", ""],
        "other": [
            "Your package will arrive within 3 days.",
            "Can you send me the order number?",
            "I updated the ticket yesterday.",
            "Please reply within 24 hours so we can keep the case open.",
        ],
    },
    "ja": {
        "open": [
            "ご不便をおかけして申し訳ございません。",
            "お問い合わせありがとうございます。",
            "",
        ],
        "promise": ["{when}ご連絡いたします。", "確認のうえ、{when}ご報告します。"],
        "when": ["24時間以内に", "明日の10時までに", "本日中に", "2営業日以内に", "追って", ""],
        "other": ["注文番号をお知らせください。", "商品は3日以内に届きます。"],
    },
    "ko": {
        "open": ["불편을 드려 죄송합니다.", "문의 감사합니다.", ""],
        "promise": ["{when} 연락드리겠습니다.", "확인 후 {when} 안내해 드리겠습니다."],
        "when": ["2시간 안에", "내일 오전 10시까지", "오늘 중으로", "영업일 기준 2일 이내에", ""],
        "other": ["주문 번호를 알려 주세요.", "상품은 3일 안에 도착합니다."],
    },
    "ru": {
        "open": ["Спасибо за терпение.", "Приносим извинения за задержку.", ""],
        "promise": ["Я сообщу вам {when}.", "Мы свяжемся с вами {when}."],
        "when": ["в течение 24 часов", "завтра до 15:00", "до конца дня", "в ближайшее время", ""],
        "other": ["Пожалуйста, пришлите номер заказа.", "Посылка придёт через 3 дня."],
    },
    "tr": {
        "open": ["Sabrınız için teşekkür ederiz.", "Yaşadığınız sorun için özür dileriz.", ""],
        "promise": ["{when} size dönüş yapacağım.", "{when} bilgi vereceğiz."],
        "when": [
            "24 saat içinde",
            "yarın saat 15:00'e kadar",
            "gün sonuna kadar",
            "en kısa sürede",
        ],
        "other": [
            "Lütfen sipariş numaranızı iletiniz.",
            "Kargonuz 3 gün içinde teslim edilecektir.",
        ],
    },
}


def generate(count: int, seed: int) -> list[tuple[str, str]]:
    """(language, message) pairs: about two thirds contain a promise, one third do not."""
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        language = rng.choice(sorted(MIX))
        parts = MIX[language]
        body = [rng.choice(parts["open"]), rng.choice(parts["other"])]
        if rng.random() < 2 / 3:
            when = rng.choice(parts["when"])
            promise = rng.choice(parts["promise"]).format(when=when)
            body.append(promise.replace("  ", " ").replace(" .", "."))
        separator = "" if language == "ja" else " "
        messages.append((language, separator.join(p for p in body if p).strip()))
    return messages


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:.3f} ms  p95 {cuts[94]:.3f} ms  p99 {cuts[98]:.3f} ms"


def timed(messages: list[tuple[str, str]], call: Callable[[str, str], object]) -> list[float]:
    samples = []
    for language, text in messages:
        start = time.perf_counter()
        call(language, text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench(count: int, seed: int) -> None:
    messages = generate(count, seed)
    for language, text in messages[:50]:  # load tables and the language detector first
        find_promises(text, now=NOW, tz=ZONE)
        find_promises(text, now=NOW, tz=ZONE, language=language)
    detected = timed(messages, lambda _, text: find_promises(text, now=NOW, tz=ZONE))
    given = timed(
        messages, lambda language, text: find_promises(text, now=NOW, tz=ZONE, language=language)
    )
    found = sum(bool(find_promises(t, now=NOW, tz=ZONE, language=c)) for c, t in messages)
    print(f"{len(messages)} generated messages in 5 languages, {found} with a promise")
    print(f"  language detected: {percentiles(detected)}")
    print(f"  language given:    {percentiles(given)}")


def report(folder: Path, examples: int) -> None:
    path = folder / REPLIES
    lines = path.read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    results: list[tuple[dict[str, str], list[Promise]]] = [
        (r, find_promises(r["text"], now=NOW, tz=ZONE)) for r in records
    ]
    promises = [p for _, found in results for p in found]
    with_promise = sum(bool(found) for _, found in results)
    vague = sum(p.vague for p in promises)
    print(f"\n{path}: {len(records)} agent replies")
    print(f"  replies with a promise: {with_promise}/{len(records)}")
    print(f"  promises: {len(promises)} ({vague} vague, {len(promises) - vague} timed)")
    by_language: dict[str, list[int]] = {}
    for record, found in results:
        counts = by_language.setdefault(record.get("lang", "?"), [0, 0])
        counts[0] += 1
        counts[1] += bool(found)
    print(
        "  per language: " + ", ".join(f"{k} {v[1]}/{v[0]}" for k, v in sorted(by_language.items()))
    )
    print(f"  examples (now = {NOW.isoformat()}, zone {ZONE}):")
    timed_first = sorted(promises, key=lambda p: p.vague)
    for promise in timed_first[:examples]:
        kind = "vague" if promise.vague else "timed"
        print(f"    {promise.phrase!r} → {promise.due.isoformat()} ({kind})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help="folder with " + REPLIES)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    bench(args.messages, args.seed)
    if args.data is not None:
        report(args.data, args.examples)


if __name__ == "__main__":
    main()
