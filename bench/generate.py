"""Generate article version pairs of a given size, with known edits, for benchmarks.

    python bench/generate.py --size 100000 --seed 1 OUT_DIR   # writes OUT_DIR/old.txt, new.txt
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_WORDS = (
    "council mayor budget school district teachers union police officials residents vote plan "
    "city county state board meeting statement agreement proposal safety health vaccine "
    "contract deadline negotiations spokesperson reporters million percent week month year "
    "morning evening Monday Tuesday Wednesday Thursday Friday said added noted warned "
    "announced expected approved rejected delayed funding cuts hospital court judge ruling"
).split()
_SMALL = "the a of to in and on for with that by from at as".split()
_NAMES = ["Jordan Lee", "Maria Ortiz", "Dr. Sam Patel", "Gov. Ana Ruiz", "Sen. Tom Reed"]


def _lexicon(size: int = 6000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf-like frequencies: shingles collide about as often as in news."""
    rng = random.Random(0)
    syllables = [c + v for c in "bcdfghklmnprstvwz" for v in "aeiou"] + ["ar", "en", "is", "on", "ul"]
    words = list(_WORDS)
    while len(words) < size:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


_LEXICON, _CUMULATIVE = _lexicon()


def _word(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(_SMALL)
    return rng.choices(_LEXICON, cum_weights=_CUMULATIVE)[0]


def _sentence(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(8, 24))]
    if rng.random() < 0.3:
        quote = " ".join(words[: len(words) // 2]).capitalize()
        return f"“{quote},” {rng.choice(_NAMES)} said."
    return " ".join(words).capitalize() + "."


def _sentences(rng: random.Random) -> list[str]:
    return [_sentence(rng) for _ in range(rng.randint(1, 4))]


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentences(rng))


def _teaser(rng: random.Random) -> str:
    return "READ MORE: " + " ".join(_word(rng).capitalize() for _ in range(rng.randint(5, 10)))


def _edit(rng: random.Random, sentence: str) -> str:
    """Replace one word inside a sentence, keeping its first word and its end."""
    words = sentence.split()
    if len(words) > 3:
        words[rng.randrange(1, len(words) - 2)] = _word(rng)
    return " ".join(words)


def article(rng: random.Random, size: int) -> list[str]:
    paragraphs, total = [], 0
    while total < size:
        paragraphs.append(_paragraph(rng))
        total += len(paragraphs[-1]) + 2
    return paragraphs


class Tracked:
    """Paragraphs as lists of (sentence, id): the id says which original sentence it is, through
    edits, moves, merges and splits. Two paragraphs of consecutive versions are truly linked
    when they hold a sentence with the same id."""

    def __init__(self, rng: random.Random, paragraphs: list[list[str]]):
        self.rng = rng
        self.next_id = 0
        self.items: list[list[tuple[str, int]]] = [self._fresh(p) for p in paragraphs]

    def _fresh(self, sentences: list[str]) -> list[tuple[str, int]]:
        fresh = []
        for sentence in sentences:
            self.next_id += 1
            fresh.append((sentence, self.next_id))
        return fresh

    def texts(self) -> list[str]:
        return [" ".join(sentence for sentence, _ in item) for item in self.items]

    def ids(self) -> list[set[int]]:
        return [{i for _, i in item} for item in self.items]

    def update(self, rate: float = 0.15) -> Tracked:
        """The next version: word edits, inserts, removals, moves, merges, splits, teaser churn."""
        rng, new = self.rng, Tracked.__new__(Tracked)
        new.rng, new.next_id = rng, self.next_id
        items = [list(item) for item in self.items if not item[0][0].startswith("READ MORE:")]
        count = max(1, int(len(items) * rate))
        for _ in range(count):  # word edits
            item = items[rng.randrange(len(items))]
            k = rng.randrange(len(item))
            item[k] = (_edit(rng, item[k][0]), item[k][1])
        for _ in range(count // 2):  # new reporting
            items.insert(rng.randrange(len(items) + 1), new._fresh(_sentences(rng)))
        for _ in range(count // 3):  # removals
            items.pop(rng.randrange(len(items)))
        for _ in range(max(1, count // 5)):  # moves
            items.insert(rng.randrange(len(items)), items.pop(rng.randrange(len(items))))
        for _ in range(max(1, count // 8)):  # merges
            i = rng.randrange(len(items) - 1)
            items[i : i + 2] = [items[i] + items[i + 1]]
        for _ in range(max(1, count // 8)):  # splits at a sentence boundary
            i = rng.randrange(len(items))
            if len(items[i]) > 1:
                cut = rng.randrange(1, len(items[i]))
                items[i : i + 1] = [items[i][:cut], items[i][cut:]]
        for _ in range(2):  # teasers change every version
            items.insert(rng.randrange(1, len(items) + 1), new._fresh([_teaser(rng)]))
        new.items = items
        return new


def update(rng: random.Random, paragraphs: list[str], rate: float = 0.15) -> list[str]:
    """A later version of plain paragraphs (sentences found at ". ")."""
    tracked = Tracked(rng, [p.replace(". ", ".\0").split("\0") for p in paragraphs])
    return tracked.update(rate).texts()


def corpus(rng: random.Random, stories: int, versions: int, size: int = 3000, truth: list | None = None) -> list[dict]:
    """JSON Lines records: `stories` stories of `versions` updates each, timestamped, with a
    quote from each story reused (sometimes trimmed) by another story. With ``truth``, appends
    the true paragraph links between consecutive versions of a story:
    (story, version, paragraph) -> (story, version + 1, paragraph)."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2021, 1, 4, 6, 0, tzinfo=timezone.utc)
    records = []
    firsts = []
    for story in range(stories):
        paragraphs, total = [], 0
        while total < size:
            paragraphs.append(_sentences(rng))
            total += sum(len(s) + 1 for s in paragraphs[-1]) + 1
        if firsts and rng.random() < 0.5:  # borrow a sentence from an earlier story, as a quote
            words = rng.choice(firsts).rstrip(".").split()
            if len(words) > 8 and rng.random() < 0.5:
                del words[rng.randrange(1, len(words))]
            paragraphs.insert(rng.randrange(len(paragraphs)), [f"“{' '.join(words)},” a spokesperson said."])
        firsts.append(paragraphs[0][0])
        tracked = Tracked(rng, paragraphs)
        when = start + timedelta(hours=story)
        for number in range(versions):
            if number:
                previous, tracked = tracked, tracked.update()
                if truth is not None:
                    for p, old_ids in enumerate(previous.ids()):
                        for q, new_ids in enumerate(tracked.ids()):
                            if old_ids & new_ids:
                                truth.append(((story, number, p), (story, number + 1, q)))
            records.append(
                {
                    "story": f"story-{story:05d}",
                    "version": number + 1,
                    "published": (when + timedelta(minutes=45 * number)).isoformat(),
                    "section": "metro",
                    "text": "\n\n".join(tracked.texts()),
                }
            )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=100_000, help="bytes of OLD text (approx.)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    old = article(rng, args.size)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "old.txt").write_text("\n\n".join(old) + "\n", "utf-8")
    (args.out / "new.txt").write_text("\n\n".join(update(rng, old)) + "\n", "utf-8")


if __name__ == "__main__":
    main()

