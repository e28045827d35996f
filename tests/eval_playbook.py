"""Evaluate the offline playbook engine on real data read from a folder given on the command line.

    python tests/eval_playbook.py ../shared/eval/real [--misses]

The data is evaluation-only and never copied into the repository. Prints, per language, the
complaint-detection rate, the language-match rate of triage and of the drafts, and the
lint-clean rate of the drafts; then what the linter finds in real agent replies.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.playbook.language import detect
from bot.playbook.lint import lint
from bot.services.drafting import suggest


def _records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def evaluate_complaints(folder: Path, show_misses: bool) -> bool:
    print(f"{'lang':<5}{'n':>5}{'detected':>10}{'lang ok':>9}{'draft lang':>12}{'lint clean':>12}")
    all_ok = True
    for path in sorted(folder.glob("complaints_*.jsonl")):
        records = _records(path)
        detected = lang_ok = draft_lang = clean = 0
        for record in records:
            text, expected = record["text"], record["lang"]
            suggestion = suggest(text)
            lang_ok += suggestion.triage.language == expected
            if not suggestion.triage.is_complaint:
                if show_misses:
                    print(f"  MISS {expected}: {text[:100]!r}")
                continue
            detected += 1
            draft_lang += detect(suggestion.reply) == expected
            clean += not suggestion.findings
            if show_misses and suggestion.findings:
                print(f"  LINT {expected}: {[f.rule for f in suggestion.findings]}")
        n = len(records)
        print(
            f"{path.stem[-2:]:<5}{n:>5}{detected / n:>10.1%}{lang_ok / n:>9.1%}"
            f"{draft_lang / max(detected, 1):>12.1%}{clean / max(detected, 1):>12.1%}"
        )
        all_ok &= detected / n >= 0.95 and draft_lang == detected and clean == detected
    return all_ok


def lint_agent_replies(folder: Path) -> None:
    path = folder / "agent_replies_followup.jsonl"
    if not path.exists():
        return
    records = _records(path)
    rules: Counter[str] = Counter()
    flagged = 0
    for record in records:
        findings = lint(record["text"])
        flagged += bool(findings)
        rules.update(f.rule for f in findings)
    print(f"\nagent replies: {len(records)}, with findings: {flagged}")
    for rule, count in rules.most_common():
        print(f"  {rule:<28}{count:>4}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--misses", action="store_true", help="print the texts that missed")
    args = parser.parse_args()
    ok = evaluate_complaints(args.folder, args.misses)
    lint_agent_replies(args.folder)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
