"""Families of exact and near-duplicate sentences across a corpus, without comparing all pairs.

Exact duplicates join by normalised hash. Near duplicates are found with a bottom-k MinHash
sketch: each distinct sentence is indexed under the k smallest xxhash values of its word
shingles, so two sentences with Jaccard similarity J share an index key with probability
about 1 - (1 - J)^k. Candidates are then verified on their full shingle sets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import xxhash

from cpsdiff.worddiff import compare_words

SKETCH = 6  # bottom-k keys per sentence
MAX_POSTING = 500  # a key shared by more sentences than this is too common to say anything
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.8  # a trimmed or extended sentence: most of the shorter one is kept
# Below those, a pair that shares enough shingles is checked word by word: a swap of two words
# breaks several shingles but keeps almost every word.
CHECK_JACCARD = 0.2
NEAR_WORDS = 0.75
MIN_NEAR_WORDS = 8  # shorter sentences share their frame too easily (“You have to have …”)


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one version, in reading order."""

    version: int  # position in the chronology
    paragraph: int
    sentence: int
    text: str
    norm_hash: str
    words: tuple[str, ...]
    boilerplate: bool


def shingle_hashes(words: Sequence[str], size: int = 3) -> set[int]:
    digest = xxhash.xxh3_64_intdigest
    if len(words) < size:
        return {digest(" ".join(words).encode())} if words else set()
    return {digest(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def _word_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    return compare_words(" ".join(a), " ".join(b)).similarity


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the earliest unit stays the root


def near_pairs(texts: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Pairs (i, j) of distinct word sequences that are near duplicates, found by sketch."""
    shingles = [shingle_hashes(words) for words in texts]
    index: dict[int, list[int]] = defaultdict(list)
    for i, hashes in enumerate(shingles):
        if len(texts[i]) >= MIN_NEAR_WORDS:
            for key in sorted(hashes)[:SKETCH]:
                index[key].append(i)
    candidates: set[tuple[int, int]] = set()
    for posting in index.values():
        if 1 < len(posting) <= MAX_POSTING:
            for a in range(len(posting)):
                for b in range(a + 1, len(posting)):
                    candidates.add((posting[a], posting[b]))
    pairs = []
    for i, j in sorted(candidates):
        common = len(shingles[i] & shingles[j])
        smaller = min(len(shingles[i]), len(shingles[j]))
        union = len(shingles[i]) + len(shingles[j]) - common
        jaccard = common / union
        if jaccard >= NEAR_JACCARD or common / smaller >= NEAR_CONTAINMENT:
            pairs.append((i, j))
        elif jaccard >= CHECK_JACCARD and _word_similarity(texts[i], texts[j]) >= NEAR_WORDS:
            pairs.append((i, j))
    return pairs


def group(units: Sequence[Unit]) -> list[list[int]]:
    """Families of unit indices (exact and near duplicates), each in unit order."""
    distinct: dict[str, int] = {}  # norm hash -> index of its distinct text
    texts: list[tuple[str, ...]] = []
    first_unit: list[int] = []
    finder = _UnionFind(len(units))
    for k, unit in enumerate(units):
        d = distinct.get(unit.norm_hash)
        if d is None:
            distinct[unit.norm_hash] = len(texts)
            texts.append(unit.words)
            first_unit.append(k)
        else:
            finder.union(first_unit[d], k)
    for a, b in near_pairs(texts):
        finder.union(first_unit[a], first_unit[b])
    families: dict[int, list[int]] = defaultdict(list)
    for k in range(len(units)):
        families[finder.find(k)].append(k)
    return sorted(families.values(), key=lambda members: members[0])
