"""Benchmark the model path: N complaints through a fake model of fixed latency, C at a time.

    .venv/bin/python tests/bench/bench_llm.py [--complaints 200] [--concurrency 16] [--latency 1]

The target (issue: LLM drafting) is elapsed ≤ 1.2 × the ideal complaints × latency / concurrency,
with memory flat: RSS before, after the timed pass and after another pass, and the Python memory
retained after two more passes under tracemalloc (the second must not retain more than the
first). Exit status 1 when the ratio misses the target. Loopback only: no network, no key.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fake_openai import FakeOpenAI, answer

from bot.config import Settings
from bot.services.drafting import Drafting, drafting_for

TARGET = 1.2
TEMPLATES = (
    "You charged me twice for order #{n}!! Fix it today.",
    "My export has been failing with error 500 since {n} minutes ago, AGAIN.",
    "注文番号{n}の商品がまだ届きません。いつ届きますか？",
    "결제가 두 번 되었어요!! 주문 {n} 확인해 주세요.",
    "Приложение падает уже {n} раз подряд, сколько можно?!",
    "Sipariş {n} hâlâ gelmedi, çok kötü bir hizmet!",
)
CLEAN = answer(
    [
        ("hear", "Hi, I'm Mina. I've read your whole message about the problem."),
        ("apologise", "I'm sorry this happened; it's on us."),
        ("resolve", "1. I'm checking it now.\n2. I'll update you by 15:00 today."),
        ("thank", "Thank you for telling me.\nMina"),
    ]
)


def rss_mib() -> float:
    """Resident set size from /proc (Linux); 0 elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * 4096 / 2**20


def run(
    fake: FakeOpenAI, drafting: Drafting, complaints: list[str], concurrency: int
) -> list[float]:
    """Draft every complaint, `concurrency` at a time; the fake's request log is emptied after,
    so what the fake records doesn't count as Heard's memory."""

    def one(text: str) -> float:
        started = time.perf_counter()
        suggestion = drafting.suggest(text)
        assert suggestion.engine == "openai", suggestion.draft and suggestion.draft.notes
        return time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(one, complaints))
    assert len(fake.requests) == len(complaints), "one request per complaint, no repairs"
    fake.requests.clear()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=1.0, help="fake model latency, seconds")
    args = parser.parse_args()
    complaints = [TEMPLATES[i % len(TEMPLATES)].format(n=1000 + i) for i in range(args.complaints)]

    with FakeOpenAI(latency=args.latency, default=CLEAN) as fake:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            openai_api_key="sk-bench",
            openai_base_url=fake.base_url,
            heard_openai_concurrency=args.concurrency,
            heard_agent_name="Mina",
        )
        drafting = drafting_for(settings)
        run(
            fake, drafting, complaints[: len(TEMPLATES)], args.concurrency
        )  # warm-up: tables, lingua
        gc.collect()
        rss_before = rss_mib()
        started = time.perf_counter()
        latencies = run(fake, drafting, complaints, args.concurrency)
        elapsed = time.perf_counter() - started
        gc.collect()
        rss_after = rss_mib()
        run(fake, drafting, complaints, args.concurrency)
        gc.collect()
        rss_again = rss_mib()

        # Memory is traced on separate passes: tracing slows every allocation, so it would
        # distort the timing. Flat means the second pass retains no more than the first.
        tracemalloc.start()
        retained = []
        for _ in range(2):
            run(fake, drafting, complaints, args.concurrency)
            gc.collect()
            retained.append(tracemalloc.get_traced_memory()[0])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    ideal = args.complaints * args.latency / args.concurrency
    ratio = elapsed / ideal
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"{args.complaints} complaints, concurrency {args.concurrency}, "
        f"model latency {args.latency:g}s, one request each"
    )
    print(f"elapsed {elapsed:.2f}s · ideal {ideal:.2f}s · ratio {ratio:.3f} (target ≤ {TARGET})")
    print(f"per complaint: p50 {p50:.3f}s · p95 {p95:.3f}s")
    print(
        f"traced memory retained: after pass 1 {retained[0] / 2**20:.2f} MiB · after pass 2 "
        f"{retained[1] / 2**20:.2f} MiB · peak {peak / 2**20:.2f} MiB"
    )
    print(
        f"RSS: before {rss_before:.1f} MiB · after the timed pass {rss_after:.1f} MiB · "
        f"after another pass {rss_again:.1f} MiB"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
