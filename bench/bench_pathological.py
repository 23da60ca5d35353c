"""Inputs that make naive diff tools quadratic, doubled step by step: how the cost grows.

    python bench/bench_pathological.py [--steps 4] [--only NAME]

Each case is a NEW that differs from OLD in one place; each step doubles the input. For every
step: the whole `cpsdiff compare --json` process (wall seconds, CPU seconds, peak memory) and
the growth of CPU time against the step before (linear is x2.0; the goal is at most x2.3).

- one-paragraph: a page with no line break at all (one paragraph of sentences), one sentence
  changed, from 250 KB;
- identical-paragraphs: one paragraph repeated N times, one copy changed, from 1,250 copies;
- one-line-paragraphs: N distinct one-line paragraphs (wire copy), a few edited, moved and
  removed, from 2,500 lines;
- one-sentence: a run of words with no sentence punctuation, one word changed, from 250 KB;
- live-blog: N entries (a time line and a paragraph, an ad after every fifth), 20 new ones on
  top, the rest unchanged, from 1,000 entries;
- hard-wrapped: a transcript of N sentences as one paragraph wrapped at 72 columns, a word
  changed in every 20th sentence, from 2,000 sentences.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import _paragraph, _sentence, _word  # noqa: E402


def _one_paragraph(rng: random.Random, step: int) -> tuple[str, str]:
    sentences, size = [], 0
    while size < 250_000 * 2**step:
        sentences.append(_sentence(rng))
        size += len(sentences[-1]) + 1
    changed = list(sentences)
    changed[len(changed) // 2] = _sentence(rng)
    return " ".join(sentences), " ".join(changed)


def _identical_paragraphs(rng: random.Random, step: int) -> tuple[str, str]:
    paragraph = "The county reported no new cases this week, and the clinic on Elm Street stays open."
    copies = [paragraph] * (1250 * 2**step)
    changed = list(copies)
    changed[len(changed) // 2] = paragraph.replace("no new cases", "two new cases")
    return "\n\n".join(copies), "\n\n".join(changed)


def _one_line_paragraphs(rng: random.Random, step: int) -> tuple[str, str]:
    lines = [_sentence(rng) for _ in range(2500 * 2**step)]
    changed = list(lines)
    for _ in range(len(lines) // 100):
        k = rng.randrange(len(changed))
        changed[k] = changed[k].replace(" ", f" {_word(rng)} ", 1)
    for _ in range(len(lines) // 200):
        changed.insert(rng.randrange(len(changed)), changed.pop(rng.randrange(len(changed))))
    del changed[rng.randrange(len(changed))]
    return "\n".join(lines), "\n".join(changed)


def _one_sentence(rng: random.Random, step: int) -> tuple[str, str]:
    words, size = [], 0
    while size < 250_000 * 2**step:
        words.append(_word(rng))
        size += len(words[-1]) + 1
    changed = list(words)
    changed[len(changed) // 2] = "changed"
    return " ".join(words), " ".join(changed)


def _live_blog(rng: random.Random, step: int) -> tuple[str, str]:
    """Entries of a time line and a paragraph, an ad after every fifth; NEW adds 20 on top."""
    def entry(k: int) -> list[str]:
        return [f"{1 + k // 60 % 12}:{k % 60:02d} p.m. ET", _paragraph(rng)] + (["Advertisement"] if k % 5 == 4 else [])

    count = 1000 * 2**step
    old = [entry(k) for k in range(count, 0, -1)]
    new = [entry(k) for k in range(count + 20, count, -1)] + old
    return tuple("\n\n".join(p for e in entries for p in e) for entries in (old, new))


def _hard_wrapped(rng: random.Random, step: int) -> tuple[str, str]:
    """A transcript as one paragraph wrapped at 72 columns; a word changed in every 20th sentence."""
    sentences = [_sentence(rng) for _ in range(2000 * 2**step)]
    changed = [s.replace(" the ", " a ", 1) if k % 20 == 0 else s for k, s in enumerate(sentences)]
    return tuple("A headline about the council vote\n\n" + textwrap.fill(" ".join(ss), 72) for ss in (sentences, changed))


CASES = {
    "one-paragraph": _one_paragraph,
    "identical-paragraphs": _identical_paragraphs,
    "one-line-paragraphs": _one_line_paragraphs,
    "one-sentence": _one_sentence,
    "live-blog": _live_blog,
    "hard-wrapped": _hard_wrapped,
}


def _run(old: Path, new: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one whole `cpsdiff compare --json`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "import resource, runpy, sys; sys.argv[0] = 'cpsdiff'; "
         "import cpsdiff.cli as c\ntry:\n    c.main()\nfinally:\n"
         "    sys.stderr.write(f'peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')",
         "compare", str(old), str(new), "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    peak = next((int(line.split()[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("peak ")), float("nan"))
    if done.returncode not in (0, 1):
        raise SystemExit(f"compare failed ({done.returncode}): {done.stderr.strip()}")
    return wall, cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--only", choices=sorted(CASES))
    args = parser.parse_args()
    print("| case | input | wall s | CPU s | growth | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            if args.only and name != args.only:
                continue
            previous = None
            for step in range(args.steps):
                old_text, new_text = make(random.Random(step), step)
                old, new = Path(tmp, "old.txt"), Path(tmp, "new.txt")
                old.write_text(old_text, "utf-8")
                new.write_text(new_text, "utf-8")
                wall, cpu, peak = _run(old, new)
                growth = f"×{cpu / previous:.2f}" if previous else ""
                previous = cpu
                size = f"{len(old_text.encode()) / 1e6:.2f} MB"
                print(f"| {name} | {size} | {wall:.2f} | {cpu:.2f} | {growth} | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
