"""Realistic text reuse with character-offset truth, made from real text.

Passages (runs of one to four sentences) of a donor text are inserted into a host text, and
the pair is then mangled the way real pages are: both texts wrapped at different widths (or
one line per paragraph), the NEW text double-encoded (mojibake) or stripped of its accents, the
sentences of a passage reshuffled. The truth is the set of NEW's characters that came from the
donor. Donors and hosts are real articles and answers from the repository (seeds, fixtures,
the Clough & Stevenson corpus), never generated words.

    python bench/generate_reuse.py --count 3 --seed 1 OUT_DIR  # OUT_DIR/NNN/{old,new}.txt + truth.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpsdiff.text.segment import split_sentences  # noqa: E402


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return text.replace("\r\n", "\n").replace("\ufeff", "")


def _group(path: Path) -> str:
    """Texts of one group share text already (versions of a story, answers from one source):
    a donor and its host come from different groups, so the only reuse is the one inserted."""
    if path.parent.name == "seeds":
        return "seeds"
    if path.parent.name == "clough-stevenson":
        return "clough-" + path.stem[-1]  # task a..e: its answers and its source
    return "fixture-" + path.parent.name


def real_texts() -> list[tuple[str, list[list[str]]]]:
    """Real texts of the repository, each as its group and its paragraphs of sentences."""
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures").glob("*/*.txt"))
    paths += sorted((ROOT / "bench" / "data" / "clough-stevenson").glob("*.txt"))
    texts, seen = [], set()
    for path in paths:
        text = _read(path)
        key = " ".join(text.split())
        if key in seen:
            continue
        seen.add(key)
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=\S)", text) if p.strip()]
        sentences = [split_sentences(p) for p in paragraphs]
        if sum(len(p) for p in sentences) >= 4:
            texts.append((_group(path), sentences))
    return texts


@dataclass
class Sample:
    old: str
    new: str
    reused: list[tuple[int, int]]  # character ranges of NEW that came from OLD


def _labelled(paragraphs: list[list[tuple[str, bool]]]) -> tuple[str, list[bool]]:
    """The text (paragraphs of labelled sentences, blank lines between) and a label per char."""
    text, labels = [], []
    for p, sentences in enumerate(paragraphs):
        if p:
            text.append("\n\n")
            labels += [False, False]
        for s, (sentence, reused) in enumerate(sentences):
            if s:
                text.append(" ")
                labels.append(reused and sentences[s - 1][1])
            text.append(sentence)
            labels += [reused] * len(sentence)
    return "".join(text), labels


def _wrap(text: str, width: int | None) -> str:
    """Wrapped at ``width`` (spaces become line breaks: offsets stay), or as it is."""
    if width is None:
        return text
    out = []
    for paragraph in text.split("\n\n"):
        lines = textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False)
        out.append("\n".join(lines) if " ".join(lines) == paragraph else paragraph)
    return "\n\n".join(out)


def _per_char(text: str, labels: list[bool], change) -> tuple[str, list[bool]]:
    out, out_labels = [], []
    for char, label in zip(text, labels):
        changed = change(char)
        out.append(changed)
        out_labels += [label] * len(changed)
    return "".join(out), out_labels


def _mojibake(char: str) -> str:
    if char.isascii():
        return char
    try:
        return char.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return char.encode("utf-8").decode("latin-1")


def _strip_accents(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)) or char


def _ranges(labels: list[bool]) -> list[tuple[int, int]]:
    ranges, start = [], None
    for i, label in enumerate([*labels, False]):
        if label and start is None:
            start = i
        elif not label and start is not None:
            ranges.append((start, i))
            start = None
    return ranges


def sample(rng: random.Random, texts: list[tuple[str, list[list[str]]]]) -> Sample:
    (donor_group, donor), (host_group, host) = rng.sample(texts, 2)
    while donor_group == host_group:
        (donor_group, donor), (host_group, host) = rng.sample(texts, 2)
    donor_sentences = [s for p in donor for s in p]
    paragraphs = [[(s, False) for s in p] for p in host]
    for _ in range(rng.randint(1, 4)):
        length = rng.randint(1, min(4, len(donor_sentences)))
        start = rng.randrange(len(donor_sentences) - length + 1)
        passage = donor_sentences[start : start + length]
        if len(passage) > 1 and rng.random() < 0.3:
            rng.shuffle(passage)
        where = rng.randrange(len(paragraphs) + 1)
        if rng.random() < 0.5 or not paragraphs:
            paragraphs.insert(where, [(s, True) for s in passage])  # a paragraph of its own
        else:
            target = paragraphs[min(where, len(paragraphs) - 1)]
            at = rng.randrange(len(target) + 1)
            target[at:at] = [(s, True) for s in passage]
    new, labels = _labelled(paragraphs)
    old = "\n\n".join(" ".join(p) for p in donor)
    widths = [None, 60, 72, 80, 100]
    new = _wrap(new, rng.choice(widths))
    old = _wrap(old, rng.choice(widths))
    if rng.random() < 0.15:
        new, labels = _per_char(new, labels, _mojibake)
    elif rng.random() < 0.15:
        new, labels = _per_char(new, labels, _strip_accents)
    return Sample(old, new, _ranges(labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng, texts = random.Random(args.seed), real_texts()
    for n in range(args.count):
        made = sample(rng, texts)
        folder = args.out / f"{n:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "old.txt").write_text(made.old + "\n", "utf-8")
        (folder / "new.txt").write_text(made.new + "\n", "utf-8")
        (folder / "truth.json").write_text(json.dumps({"reused": made.reused}) + "\n", "utf-8")


if __name__ == "__main__":
    main()
