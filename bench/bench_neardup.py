"""Near-duplicate candidates: cpsdiff's bottom-k MinHash index against datasketch's MinHashLSH.

    python bench/bench_neardup.py [--sentences 20000]

Generates sentences (Zipf-like made-up words) and, for a third of them, variants with one to
three words replaced, deleted or inserted: the true near-duplicate pairs. Both indexes get the
same word 3-shingles; we report the recall of true pairs among the candidates, the number of
candidates (what verification must then check), and the time to build and query. datasketch
(and its numpy) is needed only here: pip install datasketch.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import _sentence, _word  # noqa: E402

from cpsdiff.lineage.families import MAX_POSTING, candidates_from_postings, near_duplicate, sketch  # noqa: E402
from cpsdiff.text.normalize import normalized_words  # noqa: E402


def variant(rng: random.Random, sentence: str) -> str:
    words = sentence.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(1, len(words))
        action = rng.random()
        if action < 0.5:
            words[k] = _word(rng)
        elif action < 0.75 and len(words) > 6:
            del words[k]
        else:
            words.insert(k, _word(rng))
    return " ".join(words) + "."


def corpus(rng: random.Random, count: int) -> tuple[list[tuple[str, ...]], set[tuple[int, int]]]:
    texts, truth = [], set()
    while len(texts) < count:
        base = _sentence(rng)
        texts.append(tuple(normalized_words(base)))
        if rng.random() < 1 / 3:
            texts.append(tuple(normalized_words(variant(rng, base))))
            if len(texts[-2]) >= 8 and near_duplicate(texts[-2], texts[-1]):
                truth.add((len(texts) - 2, len(texts) - 1))
    return texts, truth


def ours(texts) -> set[tuple[int, int]]:
    index = defaultdict(list)
    for i, words in enumerate(texts):
        for key in sketch(words):
            index[key].append(i)
    return candidates_from_postings(index.values())


def datasketch_lsh(texts, threshold: float, num_perm: int) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for i, words in enumerate(texts):
        m = MinHash(num_perm=num_perm)
        shingles = [" ".join(words[k : k + 3]).encode() for k in range(max(1, len(words) - 2))]
        m.update_batch(shingles)
        hashes.append(m)
        lsh.insert(i, m)
    pairs = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000)
    args = parser.parse_args()
    texts, truth = corpus(random.Random(1), args.sentences)
    print(f"{len(texts):,} sentences, {len(truth):,} true near-duplicate pairs (verified as cpsdiff verifies)\n")
    print("| index | candidates | recall of true pairs | after verification: precision / recall | seconds |")
    print("|---|---:|---:|---:|---:|")
    runs = [("cpsdiff bottom-k (k=6, posting cap %d, two keys or one rare key)" % MAX_POSTING, lambda: ours(texts))]
    try:
        import datasketch  # noqa: F401

        for threshold, perms in ((0.5, 128), (0.3, 128)):
            runs.append((f"datasketch MinHashLSH (threshold {threshold}, {perms} perms)",
                         lambda t=threshold, p=perms: datasketch_lsh(texts, t, p)))
    except ImportError:
        print("(datasketch not installed: pip install datasketch)")
    for name, run in runs:
        start = time.perf_counter()
        candidates = run()
        seconds = time.perf_counter() - start
        verified = {pair for pair in candidates if near_duplicate(texts[pair[0]], texts[pair[1]])}
        hits = len(verified & truth)
        print(f"| {name} | {len(candidates):,} | {len(candidates & truth) / len(truth):.4f} "
              f"| {hits / max(1, len(verified)):.4f} / {hits / len(truth):.4f} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
