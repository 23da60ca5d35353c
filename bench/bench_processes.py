"""What the second processes of `cpsdiff compare` save: whole processes with everything done in
process; with the reused spans found in a second process while the paragraphs are aligned; and
with, besides, half of the candidate edges and verifications of a long rewrite made by a second
process once the spans are found.

    python bench/bench_processes.py [--runs 7] [--sizes 20000,50000,100000,200000,1000000]

Generated pairs (bench/generate.py) of each size, light (an update: 15% of paragraphs edited,
added, removed, moved, merged, split) and heavy (half of all words replaced), and one pair of
real text: every real text of the repository (seeds, fixtures, the Clough & Stevenson corpus;
bench/generate_reuse.py) one after the other, about 200 KB, against the same update of it. The
ways run alternately, the same number of times; medians of wall time. A second process is used
only when both texts hold BACKGROUND_CHARACTERS or more together, and align's only for
BACKGROUND_PARAGRAPHS leftover paragraphs or BACKGROUND_VERIFICATIONS pairs; here the first is
set to 0 or out of reach to time each way at every size, and align's left as they are or put out
of reach. Needs 2 CPUs to show anything.
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
    "import cpsdiff.diff.align as align\n"
    "comparison.BACKGROUND_CHARACTERS = int(sys.argv.pop(1))\n"
    "work = int(sys.argv.pop(1))\n"
    "if work:\n"
    "    align.BACKGROUND_PARAGRAPHS = align.BACKGROUND_VERIFICATIONS = work\n"
    "from cpsdiff.cli import main\n"
    "main()\n"
)
OUT_OF_REACH = str(10**15)
# (BACKGROUND_CHARACTERS, align's BACKGROUND_PARAGRAPHS and _VERIFICATIONS: 0 keeps align's own)
WAYS = {"in process": (OUT_OF_REACH, OUT_OF_REACH), "spans aside": ("0", OUT_OF_REACH), "spans and align's halves aside": ("0", "0")}


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
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        pairs = generated_pairs(Path(tmp), [int(s) for s in args.sizes.split(",")]) + [real_pair(Path(tmp))]
        for label, old, new in pairs:
            times: dict[str, list[float]] = {way: [] for way in WAYS}
            for _ in range(args.runs):
                for way, thresholds in WAYS.items():
                    command = [sys.executable, "-c", _RUN, *thresholds, "compare", str(old), str(new), "--json"]
                    start = time.perf_counter()
                    subprocess.run(command, stdout=subprocess.DEVNULL, check=False, cwd=ROOT)
                    times[way].append(time.perf_counter() - start)
            medians = [statistics.median(times[way]) for way in WAYS]
            cells = " | ".join(f"{m * 1000:,.0f} ms" for m in medians)
            print(f"| {label} | {cells} | {1 - medians[-1] / medians[0]:.0%} |", flush=True)


if __name__ == "__main__":
    main()
