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


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS if rng.random() < 0.6 else _SMALL) for _ in range(rng.randint(8, 24))]
    if rng.random() < 0.3:
        quote = " ".join(words[: len(words) // 2]).capitalize()
        return f"“{quote},” {rng.choice(_NAMES)} said."
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def article(rng: random.Random, size: int) -> list[str]:
    paragraphs, total = [], 0
    while total < size:
        paragraphs.append(_paragraph(rng))
        total += len(paragraphs[-1]) + 2
    return paragraphs


def update(rng: random.Random, paragraphs: list[str], rate: float = 0.15) -> list[str]:
    """A later version: word edits, added and removed paragraphs, moves, merges and splits."""
    new = list(paragraphs)
    count = max(1, int(len(new) * rate))
    for _ in range(count):  # word edits
        i = rng.randrange(len(new))
        words = new[i].split()
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
        new[i] = " ".join(words)
    for _ in range(count // 2):  # new reporting
        new.insert(rng.randrange(len(new) + 1), _paragraph(rng))
    for _ in range(count // 3):  # removals
        new.pop(rng.randrange(len(new)))
    for _ in range(max(1, count // 5)):  # moves
        new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    for _ in range(max(1, count // 8)):  # merges
        i = rng.randrange(len(new) - 1)
        new[i : i + 2] = [new[i] + " " + new[i + 1]]
    return new


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


def corpus(rng: random.Random, stories: int, versions: int, size: int = 3000) -> list[dict]:
    """JSON Lines records: `stories` stories of `versions` updates each, timestamped, with a
    quote from each story reused (sometimes trimmed) by another story."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2021, 1, 4, 6, 0, tzinfo=timezone.utc)
    records = []
    firsts = []
    for story in range(stories):
        paragraphs = article(rng, size)
        if firsts and rng.random() < 0.5:  # borrow a quote from an earlier story
            words = rng.choice(firsts).split()
            if len(words) > 8 and rng.random() < 0.5:
                del words[rng.randrange(len(words))]
            paragraphs.insert(rng.randrange(len(paragraphs)), f"“{' '.join(words)}” a spokesperson said.")
        firsts.append(paragraphs[0])
        when = start + timedelta(hours=story)
        for number in range(versions):
            records.append(
                {
                    "story": f"story-{story:05d}",
                    "version": number + 1,
                    "published": (when + timedelta(minutes=45 * number)).isoformat(),
                    "section": "metro",
                    "text": "\n\n".join(paragraphs),
                }
            )
            paragraphs = update(rng, paragraphs)
    return records
