"""Start-up budget of `cpsdiff compare --json`: what importing costs before any work is done.

    python bench/bench_startup.py [--runs 9] [--budget-ms 70]

Runs `python -X importtime -m cpsdiff compare OLD NEW --json` on the seed pair --runs times and
prints the median of the imports' total (the cumulative time of every top-level import), the
modules that cost most by themselves (their median self time), and whether the total is within
the budget; the exit status is 1 when it is not. Imports are most of a small comparison's time
(the seed pair's whole run is about 100 ms): a new import on the JSON path shows up here first.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from peers import SEEDS, warm_up  # noqa: E402


COMMAND = [sys.executable, "-X", "importtime", "-m", "cpsdiff", "compare", *map(str, SEEDS), "--json"]


def import_times() -> tuple[float, dict[str, float]]:
    """(total import time, self time per module), in milliseconds, of one run."""
    command = COMMAND
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    total, own = 0.0, {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|")
        own[name.strip()] = int(self_us) / 1000
        if not name[1:].startswith(" "):  # top level (nested names are indented): its cumulative
            total += int(cumulative_us) / 1000  # time holds its children's
    return total, own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--budget-ms", type=float, default=70.0)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    totals, selves = [], defaultdict(list)
    warm_up(COMMAND, cwd=ROOT)
    for _ in range(args.runs):
        total, own = import_times()
        totals.append(total)
        for name, ms in own.items():
            selves[name].append(ms)
    total = statistics.median(totals)
    print(f"imports of `cpsdiff compare --json` (seed pair): {total:.1f} ms, median of {args.runs} runs")
    print("| module | self ms |")
    print("|---|---:|")
    ranked = sorted(selves.items(), key=lambda item: (-statistics.median(item[1]), item[0]))
    for name, times in ranked[: args.top]:
        print(f"| {name} | {statistics.median(times):.1f} |")
    within = total <= args.budget_ms
    print(f"budget {args.budget_ms:.0f} ms: {'within' if within else 'OVER'}")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
