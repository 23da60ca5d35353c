"""Families of exact and near-duplicate sentences across a corpus, without comparing all pairs.

Exact duplicates join by normalised hash. Near duplicates are found with a bottom-k MinHash
sketch: each distinct sentence is indexed under the k smallest xxhash values of its word
shingles, so two sentences with Jaccard similarity J share an index key with probability
about 1 - (1 - J)^k. Candidates are then verified on their full shingle sets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Generic, TypeVar

import xxhash

from cpsdiff.diff.worddiff import word_similarity
from cpsdiff.text.normalize import normalized_words

T = TypeVar("T", int, str)  # a sentence's index (in memory) or its norm hash (in the store)

SKETCH = 6  # bottom-k keys per sentence
MAX_POSTING = 40  # a key shared by more sentences than this is a common phrase: no evidence
RARE_POSTING = 5  # a key shared by at most this many sentences is evidence on its own
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.8  # a trimmed or extended sentence: most of the shorter one is kept
# Below those, a pair that shares enough shingles is checked word by word: a swap of two words
# breaks several shingles but keeps almost every word.
CHECK_JACCARD = 0.2
NEAR_WORDS = 0.75
MIN_NEAR_WORDS = 8  # shorter sentences share their frame too easily (“You have to have …”)
MAX_NEAR_WORDS = 120  # a longer "sentence" is a run of text without sentence punctuation (a
# table, a script): reuse inside it is for the span engine, not for sentence families
CONTAINMENT_RATIO = 3  # a sentence "contained" in one over three times longer is a phrase in it
MIN_FAMILY_WORDS = 3


def trivial(words: Sequence[str]) -> bool:
    """Too little to tie versions together: two words or fewer ("1.", "Photo: AP", "Yes."), or
    numbers and single letters only. Such a sentence forms no family; it stands alone."""
    return len(words) < MIN_FAMILY_WORDS or all(len(word) == 1 or word.isdigit() for word in words)


_LETTERS = re.compile("[A-Za-z]{2}")


def trivial_text(text: str) -> bool:
    """trivial(normalized_words(text)), without normalising a text that plainly is not: in ASCII
    text, three whitespace-separated tokens that hold two letters in a row are three words, none
    a number or a single letter (normalising costs more than the rest of naming a family)."""
    if text.isascii():
        lettered = 0
        for token in text.split():
            if _LETTERS.search(token):
                lettered += 1
                if lettered == 3:
                    return False
    return trivial(normalized_words(text))


def _shingles(words: Sequence[str]) -> frozenset[int]:
    """xxh3 of each run of three words, joined by spaces."""
    digest = xxhash.xxh3_64_intdigest
    if len(words) < 3:
        return frozenset({digest(" ".join(words).encode())} if words else ())
    return frozenset([digest(f"{a} {b} {c}".encode()) for a, b, c in zip(words, words[1:], words[2:])])


def _word_runs(words: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The runs _shingles hashes, as they are: what near_duplicate compares. Made in C, about
    ten times faster than hashing them, which only the sketches need; the counts compared are
    the same either way (barring a 64-bit collision of xxh3)."""
    if len(words) < 3:
        return frozenset([words] if words else ())
    return frozenset(zip(words, words[1:], words[2:]))


def _word_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    return word_similarity(" ".join(a), " ".join(b))


class UnionFind(Generic[T]):
    """Disjoint sets of any ordered keys; the smallest key of a set is its root."""

    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, item: T) -> T:
        parent = self.parent
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(item, item) != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: T, b: T) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def roots(self) -> dict[T, T]:
        """Each key ever joined, and its root."""
        return {item: self.find(item) for item in self.parent}


@lru_cache(maxsize=65536)
def _sketch(words: tuple[str, ...]) -> tuple[int, ...]:
    if not MIN_NEAR_WORDS <= len(words) <= MAX_NEAR_WORDS:
        return ()
    return _bottom_k(_shingles(words))


def _bottom_k(shingles: frozenset[int]) -> tuple[int, ...]:
    """The SKETCH smallest distinct ``h >> 1``: shifting keeps the order, so only the smallest
    few hashes are shifted (two may become one)."""
    keys: list[int] = []
    for h in sorted(shingles):
        h >>= 1
        if not keys or keys[-1] != h:
            keys.append(h)
            if len(keys) == SKETCH:
                break
    return tuple(keys)


def sketch(words: Sequence[str]) -> list[int]:
    """Index keys of a sentence: its SKETCH smallest shingle hashes, as 63-bit integers (SQLite
    stores signed 64-bit). Sentences too short to compare by shingles get none."""
    return list(_sketch(tuple(words)))


def near_duplicate(a: Sequence[str], b: Sequence[str]) -> bool:
    """Verify a candidate pair on the full shingle sets, then word by word if need be."""
    a, b = tuple(a), tuple(b)
    if max(len(a), len(b)) > MAX_NEAR_WORDS:
        return False
    return _near(a, b, _word_runs(a), _word_runs(b))


def _near(a: tuple[str, ...], b: tuple[str, ...], first: frozenset, second: frozenset) -> bool:
    """near_duplicate, given both sentences' shingles (hashed or not)."""
    if b < a:  # a word diff is not quite symmetric: decide the same either way
        a, b = b, a
        first, second = second, first
    common = len(first & second)
    if not common:
        return False
    jaccard = common / (len(first) + len(second) - common)
    shorter, longer = sorted((len(first), len(second)))
    if jaccard >= NEAR_JACCARD:
        return True
    if common / shorter >= NEAR_CONTAINMENT and longer <= CONTAINMENT_RATIO * shorter:
        return True
    return jaccard >= CHECK_JACCARD and _word_similarity(a, b) >= NEAR_WORDS


def candidates_from_postings(postings: Iterable[Sequence[T]]) -> set[tuple[T, T]]:
    """Pairs that share a rare index key, or two keys; keys shared too widely are skipped.

    On a generated 20,000-version corpus, pairs sharing just one key that many sentences hold
    were 97% of the candidates and 8% of the near duplicates: dropping them verifies 8x fewer
    pairs and leaves 3% of near-duplicate pairs unjoined (most reach their family by another pair).
    """
    pairs: set[tuple[T, T]] = set()
    once: set[tuple[T, T]] = set()  # pairs met under one common key so far
    for posting in postings:
        if not 1 < len(posting) <= MAX_POSTING:
            continue
        shared = set(combinations(sorted(posting), 2))  # set operations: no Python loop per pair
        if len(posting) <= RARE_POSTING:
            pairs |= shared
        else:
            pairs |= shared & once
            once |= shared
    return pairs


def near_pairs(texts: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Pairs (i, j) of distinct word sequences that are near duplicates, found by sketch."""
    index: dict[int, list[int]] = defaultdict(list)
    shingles: dict[int, frozenset[int]] = {}  # made once, for the sketch and for verifying
    for i, words in enumerate(texts):
        if MIN_NEAR_WORDS <= len(words) <= MAX_NEAR_WORDS:
            shingles[i] = _shingles(words)
            for key in _bottom_k(shingles[i]):
                index[key].append(i)
    candidates = candidates_from_postings(index.values())
    return [(i, j) for i, j in sorted(candidates) if _near(texts[i], texts[j], shingles[i], shingles[j])]


def group(norm_hashes: Sequence[str], texts: Sequence[str]) -> list[list[int]]:
    """Families of sentences (exact and near duplicates), given each sentence's normalised hash
    and text: lists of indices, each in order, the families in the order of their first.
    Everything but the last step is done once per distinct text."""
    first: dict[str, int] = {}  # norm hash -> its first sentence
    for k, norm in enumerate(norm_hashes):
        first.setdefault(norm, k)
    distinct = {norm: d for d, norm in enumerate(first)}
    words = [normalized_words(texts[k]) for k in first.values()]
    # A trivial sentence forms no family: each of its sentences stands alone (keyed below by -1 - k).
    lone = [trivial(w) for w in words]
    kept = [d for d, alone in enumerate(lone) if not alone]
    finder: UnionFind[int] = UnionFind()
    for a, b in near_pairs([words[d] for d in kept]):
        finder.union(kept[a], kept[b])
    key = [None if alone else finder.find(d) for d, alone in enumerate(lone)]
    families: dict[int, list[int]] = {}  # in order of their first sentence
    for k, d in enumerate(map(distinct.__getitem__, norm_hashes)):
        family = key[d]
        members = families.get(-1 - k if family is None else family)
        if members is None:
            families[-1 - k if family is None else family] = [k]
        else:
            members.append(k)
    return list(families.values())
