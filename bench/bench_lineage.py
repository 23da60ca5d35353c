"""Throughput, peak memory and scaling of `cpsdiff lineage` on generated corpora.

    python bench/bench_lineage.py [--stories 150] [--versions 8] [--scales 1 2 4] [--size 3000]

Each scale multiplies the number of stories; every run is a whole `cpsdiff lineage --json`
process reading a JSON Lines corpus (timestamped records, so the order comes from the records).
--size is the bytes of text per version: 3000 gives about 10 paragraphs, 8000 news-like
versions of 12 to 30 paragraphs. CPU seconds are the child's user + system time (the machine
is shared: wall time varies with the load, CPU time much less).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import corpus  # noqa: E402


def run(path: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of the child: its own peak (os.wait4's), not the
    largest of every child so far."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "cpsdiff", "lineage", str(path), "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    errors = child.stderr.read()
    child.stderr.close()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(errors)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--versions", type=int, default=8)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--size", type=int, default=3000, help="bytes of text per version")
    args = parser.parse_args()
    print("| scale | stories | versions | MB of text | seconds | CPU s | versions/s (CPU) | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            records = corpus(random.Random(scale), args.stories * scale, args.versions, size=args.size)
            path = Path(tmp) / f"corpus-{scale}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
            seconds, cpu, peak = run(path)
            mb = path.stat().st_size / 1e6
            growth = f" (×{cpu / previous:.2f})" if previous else ""
            previous = cpu
            print(f"| {scale}× | {args.stories * scale} | {len(records)} | {mb:.1f} | {seconds:.1f} | {cpu:.1f}{growth} "
                  f"| {len(records) / cpu:.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
