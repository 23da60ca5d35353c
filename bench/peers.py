"""cpsdiff beside the tools people would pick instead, on the same pairs, in one run.

    python bench/peers.py [--runs 5] [--sizes 10000,100000,1000000] [--timeout 120]

Whole processes (start-up included), median wall time of --runs runs, and each tool's time
over cpsdiff's. Pairs: the seed pair (Thursday -> Friday), and generated articles of each size
(bench/generate.py) with a light edit (an update: 15% of paragraphs edited, paragraphs added,
removed, moved, merged and split) and a heavy rewrite (half of all words replaced).

Tools: `cpsdiff compare --json`; `redlines compare` (pip install redlines; JSON of word
changes); difflib (word-level SequenceMatcher opcodes, the standard library); `git diff
--no-index --word-diff=porcelain`. A tool that is not installed, or fails on the seed pair, is
left out (said on stderr); a run over --timeout seconds or one that fails is shown as such. Each
tool runs once untimed first. The machine is shared and noisy: read ratios, not
milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import _word, article, update  # noqa: E402

SEEDS = (ROOT / "seeds" / "001_1861ff6766a32200.txt", ROOT / "seeds" / "000_76f09b83511aca2f.txt")
_DIFFLIB = (
    "import difflib, sys\n"
    "a, b = (open(p, encoding='utf-8').read().split() for p in sys.argv[1:3])\n"
    "ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()\n"
    "sys.stdout.write(''.join(f'{t} {i1} {i2} {j1} {j2}\\n' for t, i1, i2, j1, j2 in ops))\n"
)


class Tool(NamedTuple):
    command: list[str]  # {old} and {new} stand for the pair's files
    finished: tuple[int, ...] = (0,)  # exit statuses of a run that did its work


def _tools() -> dict[str, Tool]:
    different = (0, 1)  # diff's manners: 1 says the files differ
    tools = {"cpsdiff": Tool([sys.executable, "-m", "cpsdiff", "compare", "{old}", "{new}", "--json"], different)}
    redlines = shutil.which("redlines")
    if redlines:
        tools["redlines"] = Tool([redlines, "compare", "{old}", "{new}"])
    tools["difflib"] = Tool([sys.executable, "-c", _DIFFLIB, "{old}", "{new}"])
    if shutil.which("git"):
        tools["git word-diff"] = Tool(["git", "diff", "--no-index", "--word-diff=porcelain", "{old}", "{new}"], different)
    return tools


def _heavy(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Half of all words replaced."""
    return [" ".join(_word(rng) if rng.random() < 0.5 else w for w in p.split()) for p in paragraphs]


def _pairs(folder: Path, sizes: list[int]) -> list[tuple[str, Path, Path]]:
    return [("seed pair", *SEEDS), *generated_pairs(folder, sizes)]


def generated_pairs(folder: Path, sizes: list[int]) -> list[tuple[str, Path, Path]]:
    """(label, OLD, NEW) of a light and a heavy pair of each size, written into ``folder``."""
    pairs = []
    for size in sizes:
        for kind in ("light", "heavy"):
            rng = random.Random(size)
            old = article(rng, size)
            new = update(rng, old) if kind == "light" else _heavy(rng, old)
            label = f"{size // 1000} KB {kind}" if size < 1_000_000 else f"{size // 1_000_000} MB {kind}"
            paths = []
            for side, paragraphs in (("old", old), ("new", new)):
                path = folder / f"{size}-{kind}-{side}.txt"
                path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
                paths.append(path)
            pairs.append((label, *paths))
    return pairs


def _arguments(command: list[str], old: Path, new: Path) -> list[str]:
    return [str(old) if part == "{old}" else str(new) if part == "{new}" else part for part in command]


def warm_up(args: list[str], cwd: Path | None = None) -> int:
    """One run, not timed, with Python free to write bytecode caches: where
    PYTHONDONTWRITEBYTECODE is set, a source tree that has none is compiled again at every run
    (30 ms of cpsdiff's imports here, which no installed copy pays). Its exit status."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False).returncode


def _time(tool: Tool, old: Path, new: Path, runs: int, timeout: float) -> float | str:
    """Median wall seconds of ``runs`` runs, or why there is none."""
    args = _arguments(tool.command, old, new)
    times = []
    for _ in range(runs):
        seconds, status = _run(args, timeout)
        if seconds >= timeout and status == -signal.SIGKILL:
            return f"> {timeout:g} s"
        if status not in tool.finished:
            return f"failed (exit {status})"  # a crash is not a time
        times.append(seconds)
    return statistics.median(times)


def _run(args: list[str], timeout: float) -> tuple[float, int]:
    """(wall seconds, exit status) of one run, killed at ``timeout``. The wait blocks in
    waitpid: subprocess's wait(timeout) polls in sleeps that grow to 50 ms, which rounded every
    time up to its next poll (a 110 ms run measured 114 or 164 ms)."""
    start = time.perf_counter()
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        stopper = threading.Timer(timeout, process.kill)
        stopper.start()
        try:
            status = process.wait()
        finally:
            stopper.cancel()
    return time.perf_counter() - start, status


def _cell(seconds: float | str, base: float | str, is_base: bool) -> str:
    if isinstance(seconds, str):
        return seconds
    if is_base or isinstance(base, str):
        return f"{seconds * 1000:,.0f} ms"
    return f"{seconds * 1000:,.0f} ms (×{seconds / base:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    tools = _tools()
    for name, tool in list(tools.items()):
        status = warm_up(_arguments(tool.command, *SEEDS))
        if status not in tool.finished and name != "cpsdiff":
            print(f"peers: {name} failed on the seed pair (exit {status}): left out", file=sys.stderr)
            del tools[name]
    with tempfile.TemporaryDirectory() as tmp:
        pairs = _pairs(Path(tmp), [int(s) for s in args.sizes.split(",")])
        print("| pair | " + " | ".join(tools) + " |")
        print("|---|" + "---:|" * len(tools))
        for label, old, new in pairs:
            runs = args.runs if old.stat().st_size < 500_000 else max(1, args.runs // 2)
            times = {name: _time(tool, old, new, runs, args.timeout) for name, tool in tools.items()}
            cells = [_cell(seconds, times["cpsdiff"], name == "cpsdiff") for name, seconds in times.items()]
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
