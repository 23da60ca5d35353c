"""Character precision, recall and F1 of compare's reused spans on realistic generated reuse,
and what the span engine costs.

    python bench/bench_spans.py [--samples 400] [--seed 1]

Samples come from bench/generate_reuse.py: passages of real texts inserted into other real
texts, re-wrapped, some double-encoded or stripped of accents, some reshuffled. A character of
NEW counts as found when a span of `compare` covers it (paragraph start + span offsets, as the
JSON gives them); only non-space characters are scored. The same samples are scored for the
baseline "every word 5-gram of NEW that also occurs in OLD". Cost: in-process time of the span
engine alone on generated pairs of growing size, per MB of NEW.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_reuse import real_texts, sample  # noqa: E402

from cpsdiff.diff.comparison import compare  # noqa: E402
from cpsdiff.text.segment import parse_document  # noqa: E402


def _found_by_compare(old: str, new: str) -> set[int]:
    result = compare(parse_document(old, "old"), parse_document(new, "new"))
    found: set[int] = set()
    for paragraph, spans in zip(result.new.paragraphs, result.spans):
        for span in spans:
            found.update(range(paragraph.start + span.new_start, paragraph.start + span.new_end))
    return found


_TOKEN = re.compile(r"\w+")


def _found_by_5grams(old: str, new: str) -> set[int]:
    from cpsdiff.text.normalize import normalize

    old_words = _TOKEN.findall(normalize(old))
    grams = {tuple(old_words[i : i + 5]) for i in range(len(old_words) - 4)}
    matches = list(_TOKEN.finditer(new))
    words = [normalize(m.group()) for m in matches]
    found: set[int] = set()
    for i in range(len(words) - 4):
        if tuple(words[i : i + 5]) in grams:
            found.update(range(matches[i].start(), matches[i + 4].end()))
    return found


def _score(samples, find) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for made in samples:
        truth = {i for a, b in made.reused for i in range(a, b)}
        found = find(made.old, made.new)
        for i, char in enumerate(made.new):
            if char.isspace():
                continue
            tp += i in truth and i in found
            fp += i in found and i not in truth
            fn += i in truth and i not in found
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def _cost(sizes: list[int]) -> list[tuple[int, float]]:
    from generate import article, update

    from cpsdiff.diff.spans import find_spans

    rows = []
    for size in sizes:
        rng = random.Random(size)
        old = article(rng, size)
        new = update(rng, old, rate=0.3)
        start = time.perf_counter()
        find_spans(new, [old])
        rows.append((sum(len(p) + 2 for p in new), time.perf_counter() - start))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sizes", default="250000,500000,1000000", help="bytes of the cost runs")
    args = parser.parse_args()
    rng, texts = random.Random(args.seed), real_texts()
    samples = [sample(rng, texts) for _ in range(args.samples)]
    print(f"{len(samples)} samples from {len(texts)} real texts\n")
    print("| method | precision | recall | F1 |")
    print("|---|---:|---:|---:|")
    for name, find in (("cpsdiff compare spans", _found_by_compare), ("word 5-gram baseline", _found_by_5grams)):
        precision, recall, f1 = _score(samples, find)
        print(f"| {name} | {precision:.4f} | {recall:.4f} | {f1:.4f} |")
    print("\n| NEW size | span engine s | s per MB |")
    print("|---:|---:|---:|")
    for size, seconds in _cost([int(s) for s in args.sizes.split(",")]):
        print(f"| {size / 1e6:.2f} MB | {seconds:.2f} | {seconds / (size / 1e6):.2f} |")


if __name__ == "__main__":
    main()
