"""Evaluate triage and the offline drafts on our own labelled set (`tests/eval/sets/`).

    python tests/eval/eval_drafts.py tests/eval/sets [--split tune|holdout|all] [--misses]
    python tests/eval/eval_drafts.py tests/eval/sets --review-out DIR

Per language: complaint detection, non-complaints drafted, main category right, every problem of
a multi-problem message found, cancel/refund/exchange requests read as such, drafts in the
language and lint-clean. `--review-out` writes, per language, the messages and drafts in a
shuffled order under opaque keys (for blind native review) and the key → id map beside them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.playbook.language import detect
from bot.services.drafting import suggest

ANSWERED = {"cancel": {"cancel"}, "refund": {"refund"}, "exchange": {"exchange", "replacement"}}
ANSWERED["replacement"] = ANSWERED["exchange"]


def _records(folder: Path, split: str) -> list[dict[str, Any]]:
    splits = ("tune", "holdout") if split == "all" else (split,)
    records = []
    for name in splits:
        for path in sorted(folder.glob(f"{name}_*.jsonl")):
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    records.append({**json.loads(line), "split": name})
    return records


def evaluate(records: list[dict[str, Any]], show_misses: bool) -> None:
    rows: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        expect = record["expect"]
        language = record["id"].split("-")[0]
        got = suggest(record["text"], context=tuple(record.get("thread", ())))
        reading, row = got.triage, rows[language]
        if not expect["is_complaint"]:
            row["non-complaint drafted"].append(reading.is_complaint)
            _miss(show_misses and reading.is_complaint, "DRAFTED", record, got)
            continue
        row["detected"].append(reading.is_complaint)
        _miss(show_misses and not reading.is_complaint, "MISSED", record, got)
        if not reading.is_complaint:
            continue
        wanted = [p["category"] for p in expect["problems"]]
        found = [str(p.category) for p in reading.problems]
        row["category"].append(found[:1] == wanted[:1])
        _miss(show_misses and found[:1] != wanted[:1], "CATEGORY", record, got)
        if len(wanted) > 1:
            row["all problems"].append(set(wanted) <= set(found))
        if expect["request"] in ANSWERED:
            ok = str(reading.request) in ANSWERED[expect["request"]]
            row["request"].append(ok)
            _miss(show_misses and not ok, "REQUEST", record, got)
        row["draft language"].append(detect(got.reply) == language)
        row["lint clean"].append(not got.findings)
    columns = [
        "detected",
        "non-complaint drafted",
        "category",
        "all problems",
        "request",
        "draft language",
        "lint clean",
    ]
    print("lang " + "".join(f"{c:>24}" for c in columns))
    for language, row in sorted(rows.items()):
        cells = [
            f"{sum(row[c])}/{len(row[c])} ({sum(row[c]) / len(row[c]):.0%})" if row[c] else "-"
            for c in columns
        ]
        print(f"{language:<5}" + "".join(f"{c:>24}" for c in cells))


def _miss(show: bool, kind: str, record: dict[str, Any], got: Any) -> None:
    if show:
        reading = got.triage
        found = [f"{p.category}/{p.issue}" for p in reading.problems]
        print(f"  {kind} {record['id']}: {found} req={reading.request} :: {record['text'][:90]!r}")


def review_files(records: list[dict[str, Any]], out: Path, seed: int) -> None:
    """Messages and drafts for blind review; the key → id map stays out of the reviewers' files."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_language[record["id"].split("-")[0]].append(record)
    for language, group in by_language.items():
        rng.shuffle(group)
        items, keys = [], {}
        for n, record in enumerate(group, 1):
            got = suggest(record["text"], context=tuple(record.get("thread", ())))
            key = f"{language}{n:03d}"
            keys[key] = {"id": record["id"], "split": record["split"]}
            items.append(
                {
                    "key": key,
                    "earlier_messages": record.get("thread", []),
                    "message": record["text"],
                    "draft": got.reply or "(no draft: Heard judged this not a complaint)",
                }
            )
        (out / f"review_{language}.json").write_text(
            json.dumps(items, ensure_ascii=False, indent=1), "utf-8"
        )
        (out / f"keys_{language}.json").write_text(json.dumps(keys, indent=1), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="all")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--review-out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = _records(args.folder, args.split)
    if args.review_out:
        review_files(records, args.review_out, args.seed)
    else:
        evaluate(records, args.misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
