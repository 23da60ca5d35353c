"""What the second process of `cpsdiff compare` saves: whole processes with the reused spans
found in process, and in a second process while the paragraphs are aligned.

    python bench/bench_processes.py [--runs 7] [--sizes 20000,50000,100000,200000,1000000]

Generated pairs (bench/generate.py) of each size, light (an update: 15% of paragraphs edited,
added, removed, moved, merged, split) and heavy (half of all words replaced), and one pair of
real text: every real text of the repository (seeds, fixtures, the Clough & Stevenson corpus;
bench/generate_reuse.py) one after the other, about 200 KB, against the same update of it. Both ways run
alternately, the same number of times; medians of wall time. The second process is used only
when both texts hold BACKGROUND_CHARACTERS or more together; here the threshold is set to 0 or
out of reach to time each way at every size. Needs 2 CPUs to show anything.
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

from generate import update  # noqa: E402
from generate_reuse import real_texts  # noqa: E402
from peers import generated_pairs  # noqa: E402

_RUN = (
    "import sys\n"
    "import cpsdiff.diff.comparison as comparison\n"
    "comparison.BACKGROUND_CHARACTERS = int(sys.argv.pop(1))\n"
    "from cpsdiff.cli import main\n"
    "main()\n"
)
WAYS = {"in process": str(10**15), "second process": "0"}


def real_pair(folder: Path) -> tuple[str, Path, Path]:
    """All the real texts as one long OLD, and an update of it (as the light pairs) as NEW."""
    old = [" ".join(sentences) for _, text in real_texts() for sentences in text]
    new = update(random.Random(9), old)
    paths = folder / "real-old.txt", folder / "real-new.txt"
    for path, paragraphs in zip(paths, (old, new)):
        path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    return f"real text, {paths[0].stat().st_size // 1000} KB light", *paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="20000,50000,100000,200000,1000000")
    args = parser.parse_args()
    print("| pair | " + " | ".join(WAYS) + " | saved |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        pairs = generated_pairs(Path(tmp), [int(s) for s in args.sizes.split(",")]) + [real_pair(Path(tmp))]
        for label, old, new in pairs:
            times: dict[str, list[float]] = {way: [] for way in WAYS}
            for _ in range(args.runs):
                for way, threshold in WAYS.items():
                    command = [sys.executable, "-c", _RUN, threshold, "compare", str(old), str(new), "--json"]
                    start = time.perf_counter()
                    subprocess.run(command, stdout=subprocess.DEVNULL, check=False, cwd=ROOT)
                    times[way].append(time.perf_counter() - start)
            alone, together = (statistics.median(times[way]) for way in WAYS)
            print(f"| {label} | {alone * 1000:,.0f} ms | {together * 1000:,.0f} ms | {1 - together / alone:.0%} |", flush=True)


if __name__ == "__main__":
    main()
