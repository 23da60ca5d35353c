"""Time `cpsdiff compare` as a whole process and the alignment core alone.

    python bench/bench_compare.py [--runs 15]

Prints a markdown table: median and best wall time of whole processes (what a user waits for,
start-up included) on the seed pair and on generated ~100 KB articles, and in-process timings
of parse + compare. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import article, update  # noqa: E402

SEEDS = ROOT / "seeds"


def _process_times(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def _core_times(old_path: Path, new_path: Path, runs: int) -> list[float]:
    from cpsdiff.diff.boilerplate import default_rules
    from cpsdiff.diff.comparison import compare
    from cpsdiff.text.segment import parse_document

    from cpsdiff.diff import boilerplate

    from cpsdiff.text import segment

    from cpsdiff.text import normalize as text

    from cpsdiff.diff import worddiff

    caches = (segment._analyse, text.normalized_words, worddiff.compare_words, worddiff._key, boilerplate._verdict)
    rules = default_rules()
    old_text, new_text = old_path.read_text("utf-8"), new_path.read_text("utf-8")
    times = []
    for _ in range(runs):
        for cache in caches:  # each run as cold as a fresh process
            cache.cache_clear()
        start = time.perf_counter()
        compare(parse_document(old_text, "old"), parse_document(new_text, "new"), rules)
        times.append(time.perf_counter() - start)
    return times


def _row(name: str, times: list[float]) -> str:
    return f"| {name} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cpsdiff = [sys.executable, "-m", "cpsdiff", "compare"]
    thursday, friday = next(SEEDS.glob("001_*.txt")), next(SEEDS.glob("000_*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp)
        rng = random.Random(1)
        old = article(rng, 100_000)
        (big / "old.txt").write_text("\n\n".join(old), "utf-8")
        (big / "new.txt").write_text("\n\n".join(update(rng, old)), "utf-8")
        sizes = [p.stat().st_size for p in (big / "old.txt", big / "new.txt")]
        print(f"generated pair: {sizes[0]:,} and {sizes[1]:,} bytes, {len(old)} paragraphs (OLD)\n")
        print("| what | median | best |")
        print("|---|---:|---:|")
        print(_row("python -c pass (interpreter start-up)", _process_times([sys.executable, "-c", "pass"], args.runs)))
        for label, pair in (("seed pair", (thursday, friday)), ("100 KB pair", (big / "old.txt", big / "new.txt"))):
            files = [str(p) for p in pair]
            print(_row(f"`cpsdiff compare --json`, {label}", _process_times(cpsdiff + files + ["--json"], args.runs)))
            print(_row(f"`cpsdiff compare --color always`, {label}", _process_times(cpsdiff + files + ["--color", "always"], args.runs)))
            print(_row(f"parse + compare in process, {label}", _core_times(*pair, args.runs)))


if __name__ == "__main__":
    main()
