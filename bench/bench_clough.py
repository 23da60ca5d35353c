"""Grade the Clough & Stevenson answers from `compare`'s summary.reused_share.

    python bench/bench_clough.py [--data bench/data/clough-stevenson]

Each answer (NEW) is compared with its task's Wikipedia source (OLD). Thresholds on
summary.reused_share are fitted on half of the participants and scored on the other half, then
the other way round: binary (non vs derived: F1 of "derived") and 4-class (non < heavy < light
< cut: accuracy). Word 1-gram containment (share of the answer's words found in the source) is
graded the same way on the same split, as the baseline. Two splits: participants sorted by
name, first half against second half, and alternate participants. The corpus is real: 17
answers are Windows-1252, read as `--encoding cp1252` would.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpsdiff.diff.comparison import compare  # noqa: E402
from cpsdiff.inputs.loading import clean_text  # noqa: E402
from cpsdiff.text.segment import parse_document  # noqa: E402

CLASSES = ("non", "heavy", "light", "cut")


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return clean_text(data.decode("cp1252"))


def _unigram_containment(answer: str, source: str) -> float:
    words = re.findall(r"\w+", answer.lower())
    vocabulary = set(re.findall(r"\w+", source.lower()))
    return sum(w in vocabulary for w in words) / max(1, len(words))


def _reused_share(answer: str, source: str) -> float:
    return compare(parse_document(source, "source"), parse_document(answer, "answer")).summary.reused_share


def _midpoints(values: list[float]) -> list[float]:
    xs = sorted(set(values))
    return [(a + b) / 2 for a, b in zip(xs, xs[1:])] or xs


def _fit_binary(train: list[tuple[str, float]]) -> float:
    """The threshold (the middle of the best ones) that best tells non from derived."""
    cuts = _midpoints([v for _, v in train])
    scores = [sum((v > t) == (c != "non") for c, v in train) for t in cuts]
    best = [t for t, s in zip(cuts, scores) if s == max(scores)]
    return statistics.median(best)


def _fit_classes(train: list[tuple[str, float]]) -> tuple[float, float, float]:
    """Three ordered thresholds with the best training accuracy (the mean of the best)."""
    cuts = _midpoints([v for _, v in train])
    best, ties = -1, []
    for a in range(len(cuts)):
        for b in range(a + 1, len(cuts)):
            for c in range(b + 1, len(cuts)):
                t = (cuts[a], cuts[b], cuts[c])
                hits = sum(CLASSES[bisect.bisect(t, v)] == cls for cls, v in train)
                if hits > best:
                    best, ties = hits, [t]
                elif hits == best:
                    ties.append(t)
    return tuple(statistics.mean(t[k] for t in ties) for k in range(3))


def grade(rows: list[tuple[str, str, float]], first_half: set[str]) -> tuple[float, float]:
    """(binary F1, 4-class accuracy) with thresholds fitted on one half and scored on the other."""
    hits, tp, fp, fn = [], 0, 0, 0
    for fit_on_first in (True, False):
        train = [(c, v) for p, c, v in rows if (p in first_half) == fit_on_first]
        test = [(c, v) for p, c, v in rows if (p in first_half) != fit_on_first]
        binary, classes = _fit_binary(train), _fit_classes(train)
        for cls, v in test:
            hits.append(CLASSES[bisect.bisect(classes, v)] == cls)
            derived, predicted = cls != "non", v > binary
            tp += derived and predicted
            fp += predicted and not derived
            fn += derived and not predicted
    return 2 * tp / (2 * tp + fp + fn), sum(hits) / len(hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "clough-stevenson")
    parser.add_argument("--show", action="store_true", help="print every answer's figures")
    args = parser.parse_args()
    with open(args.data / "file_information.csv", newline="", encoding="utf-8") as handle:
        answers = [r for r in csv.DictReader(handle) if r["Category"] != "orig"]
    sources = {task: _read(args.data / f"orig_task{task}.txt") for task in "abcde"}
    measures = {"cpsdiff reused_share": _reused_share, "word 1-gram containment": _unigram_containment}
    rows = {name: [] for name in measures}
    for answer in answers:
        text, source = _read(args.data / answer["File"]), sources[answer["Task"]]
        participant = answer["File"].split("_")[0]
        for name, measure in measures.items():
            rows[name].append((participant, answer["Category"], measure(text, source)))
    participants = sorted({p for p, _, _ in rows["cpsdiff reused_share"]})
    splits = {
        "first half / second half": set(participants[: len(participants) // 2]),
        "alternate participants": set(participants[::2]),
    }
    if args.show:
        for name, values in rows.items():
            print(f"{name}:")
            for cls in CLASSES:
                print(f"  {cls:<6}", " ".join(f"{v:.2f}" for v in sorted(v for _, c, v in values if c == cls)))
    print(f"Clough & Stevenson: {len(answers)} answers, {len(participants)} participants\n")
    print("| measure | split | binary F1 | 4-class accuracy |")
    print("|---|---|---:|---:|")
    for name, values in rows.items():
        for split_name, first_half in splits.items():
            f1, accuracy = grade(values, first_half)
            print(f"| {name} | {split_name} | {f1:.3f} | {accuracy:.3f} |")


if __name__ == "__main__":
    main()
