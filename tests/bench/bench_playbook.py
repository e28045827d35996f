"""Benchmark the offline engine: draft + lint throughput on one core, and CLI cold start.

    python tests/bench/bench_playbook.py ../shared/eval/real [--seconds 3] [--runs 15]

Complaints are read from the data folder (evaluation data, never copied into the repo). Each figure
is shown beside its floor, measured in the same run: throughput beside language detection alone
(every path pays it), cold start beside a bare interpreter and beside importing the package.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.playbook.compose import compose  # noqa: E402
from bot.playbook.language import detect  # noqa: E402
from bot.playbook.triage import triage  # noqa: E402
from bot.services.drafting import suggest  # noqa: E402


def load_complaints(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.glob("complaints_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    return texts


def throughput(
    label: str, work: Callable[[str], object], texts: list[str], seconds: float
) -> float:
    for text in texts:  # warm caches: tables, compiled patterns, the detector's models
        work(text)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            work(text)
        done += len(texts)
    rate = done / (time.perf_counter() - start)
    print(f"  {label:<34}{rate:>10,.0f} complaints/s")
    return rate


def triage_and_compose(text: str) -> object:
    reading = triage(text)
    return compose(text, reading) if reading.is_complaint else None


def cold_start(label: str, command: list[str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"  {label:<34}{median * 1000:>8.0f} ms median  (min {min(timings) * 1000:.0f})")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = load_complaints(args.folder)
    texts = [t for t in texts if triage(t).is_complaint]  # the target is complaints/s
    print(f"throughput on one core, {len(texts)} real complaints:")
    floor = throughput("floor: language detection only", detect, texts, args.seconds)
    throughput("triage only", triage, texts, args.seconds)
    throughput("triage + compose", triage_and_compose, texts, args.seconds)
    full = throughput("triage + compose + lint = suggest", suggest, texts, args.seconds)
    print(f"  full path / floor: {full / floor:.2f}  (target: >= 300 complaints/s)")

    sample = texts[0]
    python = sys.executable
    print(f"\ncold start, median of {args.runs} runs:")
    bare = cold_start("floor: python -c pass", [python, "-c", "pass"], args.runs)
    cold_start("python -c 'import bot.cli'", [python, "-c", "import bot.cli"], args.runs)
    draft = cold_start(
        "python -m bot draft --json TEXT",
        [python, "-m", "bot", "draft", "--json", sample],
        args.runs,
    )
    print(f"  draft - bare interpreter: {(draft - bare) * 1000:.0f} ms  (target: draft <= 1500 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
