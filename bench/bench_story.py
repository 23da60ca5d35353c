"""`cpsdiff lineage` of one story updated N times, N doubled step by step: with times, with all but one, without.

    python bench/bench_story.py [--steps 4] [--start 500] [--size 1500]

A page tracked every few minutes for weeks has thousands of versions of one story. With
timestamps the order is theirs, and the cost should grow linearly; so with one version
without a time (the last), which is placed among the others by its text. Without any, the
order is inferred from the text, which weighs every two versions against each other: quadratic
by design (more than 5,000 untimed versions are refused). Each row is a whole process; the
growth is of CPU time against the step before (linear is ×2.0).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lineage import run  # noqa: E402
from generate import corpus  # noqa: E402


def _untimed(records: list[dict]) -> list[dict]:
    return [{key: value for key, value in record.items() if key not in ("published", "updated")} for record in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--start", type=int, default=500, help="versions at the first step")
    parser.add_argument("--size", type=int, default=1500, help="bytes of text per version")
    args = parser.parse_args()
    print("| versions | times | seconds | CPU s | growth | peak MB |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("timestamps", "all but one", "none"):
            previous = None
            for step in range(args.steps):
                count = args.start * 2**step
                records = corpus(random.Random(count), 1, count, size=args.size)
                if kind == "none":
                    records = _untimed(records)
                elif kind == "all but one":
                    records[-1:] = _untimed(records[-1:])
                path = Path(tmp) / f"story-{kind.replace(' ', '-')}-{count}.jsonl"
                path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
                seconds, cpu, peak = run(path)
                growth = f"×{cpu / previous:.2f}" if previous else ""
                previous = cpu
                print(f"| {count:,} | {kind} | {seconds:.2f} | {cpu:.2f} | {growth} | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
