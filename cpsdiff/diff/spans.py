"""Reused passages: every stretch of a NEW text that is also in earlier texts, to the character.

The approach of text-alignment systems: seeds are hashed word n-grams of normalised tokens
(case, accents, typography and encoding damage do not matter), looked up in an index of the
earlier texts, never compared pair by pair. A seed is extended word by word into the longest
exact run; runs that follow each other in both texts with small gaps (a word changed, a clause
cut) form a passage, and a passage counts only when it holds enough words, so one shared
phrase ("said in a statement") proves nothing. Each run is credited for exactly what it
covers. Runs cross paragraph and line boundaries, so hard-wrapped text or a passage cut and
pasted across paragraphs is found whole; spans are cut at paragraph boundaries only when
reported.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from typing import NamedTuple

import xxhash

from cpsdiff.model import Span
from cpsdiff.text.normalize import fold
from cpsdiff.text.repair import looks_damaged, repair

SEED = 3  # words in a seed n-gram
MIN_PASSAGE = 5  # words a passage needs to count as reuse
PASSAGE_GAP = 6  # words that may differ between two runs of one passage, in either text
CANDIDATES = 32  # earlier places tried for one seed: bounds the cost of repeated text
PLACE_BITS = 40  # a place in the index: its source << PLACE_BITS | its token position
PLACE_MASK = (1 << PLACE_BITS) - 1
_WORD_GAPS = re.compile(r"([^\W_]+)")  # words: letters and digits; split keeps them


@lru_cache(maxsize=131072)
def _token_key(token: str) -> int:
    if token.isascii():
        key = token.lower()
    else:
        key = fold(unicodedata.normalize("NFKC", token)).casefold()
    return xxhash.xxh3_64_intdigest(key.encode("utf-8", "surrogatepass"))


class _Scan(NamedTuple):
    """The word tokens of one unit, as four parallel lists."""

    keys: list[int]
    starts: list[int]  # character offsets in the unit's text
    ends: list[int]
    weak: list[bool]


def _scan(text: str) -> _Scan:
    """The word tokens of one unit: keys, character offsets in ``text`` and weakness."""
    fixed = repair(text) if looks_damaged(text) else None
    # Split into gap, word, gap, word, …, gap: the offsets are running sums of the lengths,
    # worked out in C rather than asked of a match object per word.
    pieces = _WORD_GAPS.split(fixed.text if fixed else text)
    tokens = pieces[1::2]
    edges = list(accumulate(map(len, pieces)))
    starts, ends = edges[0:-1:2], edges[1::2]
    if fixed:
        starts = [fixed.original_start(start) for start in starts]
        ends = [fixed.original_end(end) for end in ends]
    # weak: a number or a single letter (list markers, figures) proves no reuse on its own
    return _Scan(list(map(_token_key, tokens)), starts, ends, [len(token) == 1 or token.isdigit() for token in tokens])


@dataclass(slots=True)
class Tokens:
    """The word tokens of a text made of units (paragraphs), with where each one stands."""

    keys: list[int]
    unit: list[int]
    start: list[int]  # character offsets inside the unit's text
    end: list[int]
    weak: list[bool]
    _seeds: list[tuple[int, int, int] | None] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, units: Sequence[str], scans: dict[str, _Scan] | None = None) -> Tokens:
        """The tokens of ``units``; ``scans`` keeps each distinct unit's scan, to share between
        texts that repeat units (versions of one story keep most of their paragraphs)."""
        tokens = cls([], [], [], [], [])
        scans = {} if scans is None else scans
        for index, text in enumerate(units):
            scan = scans.get(text)
            if scan is None:
                scan = scans[text] = _scan(text)
            tokens._add(index, scan)
        return tokens

    def seeds(self) -> list[tuple[int, int, int] | None]:
        """The seed at each position, None where it is numbers and single letters only. Worked
        out once, when a text is complete: the index, the seeds wanted and the runs all read it."""
        if self._seeds is None:
            keys, weak = self.keys, self.weak
            seeds: list[tuple[int, int, int] | None] = list(zip(keys, keys[1:], keys[2:]))
            for p in compress(range(len(seeds)), weak):  # weak tokens are few: look only at them
                if weak[p + 1] and weak[p + 2]:
                    seeds[p] = None
            self._seeds = seeds
        return self._seeds

    def _add(self, index: int, scan: _Scan) -> None:
        self._seeds = None
        self.keys += scan.keys  # copied: a scan may be shared with other texts
        self.unit += [index] * len(scan.keys)
        self.start += scan.starts
        self.end += scan.ends
        self.weak += scan.weak

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class Run:
    """Equal tokens: NEW[new : new + length] == source[old : old + length]."""

    new: int
    source: int
    old: int
    length: int


class Index:
    """Seeds of earlier texts, to look up NEW text in. Texts can be added one at a time (a
    corpus in chronological order); sources are numbered as added."""

    def __init__(self) -> None:
        self.sources: list[Tokens] = []
        # seed -> places, each source << PLACE_BITS | position: plain ints, in order
        self.postings: dict[tuple[int, int, int], list[int]] = {}

    def add(self, tokens: Tokens, wanted: set | None = None) -> int:
        """Index a text; with ``wanted``, only the seeds in it (those a NEW text holds)."""
        source = len(self.sources)
        self.sources.append(tokens)
        postings, get = self.postings, self.postings.get
        base = source << PLACE_BITS
        for p, seed in enumerate(tokens.seeds()):
            if seed is None or (wanted is not None and seed not in wanted):
                continue
            found = get(seed)
            if found is None:
                postings[seed] = [base | p]
            else:
                found.append(base | p)
        return source


def _common_length(a: list[int], i: int, b: list[int], j: int, limit: int) -> int:
    """How many tokens a[i:] and b[j:] share from the start (at most ``limit``)."""
    n = 0
    step = 64
    while n + step <= limit and a[i + n : i + n + step] == b[j + n : j + n + step]:
        n += step
    while n < limit and a[i + n] == b[j + n]:
        n += 1
    return n


def _candidates(postings: list[int], near: int) -> list[int]:
    """At most CANDIDATES places, those nearest the expected one: repeated text pairs in order."""
    if len(postings) <= CANDIDATES:
        return postings
    k = bisect_left(postings, near)
    low = max(0, min(k - CANDIDATES // 2, len(postings) - CANDIDATES))
    return postings[low : low + CANDIDATES]


def runs(new: Tokens, index: Index) -> list[Run]:
    """Greedy parse of NEW into the longest runs found in the index, left to right. Among
    runs of equal length, the one that continues the previous run's order wins, then the
    earliest source: ties never depend on anything but position."""
    keys = new.keys
    seeds = new.seeds()
    lookup = index.postings.get
    found: list[Run] = []
    size = len(keys)
    previous: Run | None = None
    i = 0
    while i <= size - SEED:
        seed = seeds[i]
        postings = lookup(seed) if seed is not None else None
        if not postings:
            i += 1
            continue
        if previous is not None:
            near_source, near_old = previous.source, previous.old + previous.length + (i - previous.new - previous.length)
        else:
            near_source = postings[0] >> PLACE_BITS
            near_old = i * len(index.sources[near_source]) // max(1, size)
        best: tuple[int, int, int, int] | None = None  # (length, -distance, -source, -old)
        for place in _candidates(postings, near_source << PLACE_BITS | max(0, near_old)):
            source, old = place >> PLACE_BITS, place & PLACE_MASK
            other = index.sources[source].keys
            limit = min(size - i, len(other) - old)
            if best is not None and (limit < best[0] or keys[i : i + best[0]] != other[old : old + best[0]]):
                continue  # cannot be as long as the best: one slice comparison rules it out
            length = _common_length(keys, i, other, old, limit)
            distance = abs(old - near_old) if source == near_source else size + len(other)
            rank = (length, -distance, -source, -old)
            if best is None or rank > best:
                best = rank
        length, source, old = best[0], -best[2], -best[3]
        run = Run(i, source, old, length)
        found.append(run)
        previous = run
        i += length
    return found


def passages(found: Sequence[Run]) -> list[list[Run]]:
    """Runs grouped into passages: consecutive in NEW, from one source, in order there, with
    at most PASSAGE_GAP words between them on either side."""
    groups: list[list[Run]] = []
    for run in found:
        if groups:
            last = groups[-1][-1]
            new_gap = run.new - (last.new + last.length)
            old_gap = run.old - (last.old + last.length)
            if run.source == last.source and 0 <= new_gap <= PASSAGE_GAP and -PASSAGE_GAP <= old_gap <= PASSAGE_GAP:
                groups[-1].append(run)
                continue
        groups.append([run])
    return groups


def reused_runs(new: Tokens, index: Index) -> list[Run]:
    """The runs of NEW that belong to passages long enough to count as reuse."""
    kept = []
    for group in passages(runs(new, index)):
        strong = sum(1 for run in group for k in range(run.new, run.new + run.length) if not new.weak[k])
        if strong >= MIN_PASSAGE:
            kept.extend(group)
    return kept


def _widen(text_a: str, a_start: int, a_end: int, text_b: str, b_start: int, b_end: int) -> tuple[int, int, int, int]:
    """Take in the punctuation both texts have right around a run (quotes, a final period)."""
    while (
        a_end < len(text_a) and b_end < len(text_b)
        and not text_a[a_end].isspace() and not text_a[a_end].isalnum()
        and fold(text_a[a_end]) == fold(text_b[b_end])
    ):
        a_end += 1
        b_end += 1
    while (
        a_start > 0 and b_start > 0
        and not text_a[a_start - 1].isspace() and not text_a[a_start - 1].isalnum()
        and fold(text_a[a_start - 1]) == fold(text_b[b_start - 1])
    ):
        a_start -= 1
        b_start -= 1
    return a_start, a_end, b_start, b_end


def to_spans(
    found: Sequence[Run], new: Tokens, new_texts: Sequence[str], index: Index, source_texts: Sequence[Sequence[str]]
) -> list[Span]:
    """Runs cut at the paragraph boundaries of both texts, as character spans, in NEW order."""
    spans = []
    for run in found:
        old_tokens = index.sources[run.source]
        first = 0
        for k in range(1, run.length + 1):
            end = k == run.length
            if not end and new.unit[run.new + k] == new.unit[run.new + first] and (
                old_tokens.unit[run.old + k] == old_tokens.unit[run.old + first]
            ):
                continue
            a, b = run.new + first, run.new + k - 1  # NEW tokens of this piece, inclusive
            c, d = run.old + first, run.old + k - 1
            unit, old_unit = new.unit[a], old_tokens.unit[c]
            new_start, new_end, old_start, old_end = _widen(
                new_texts[unit], new.start[a], new.end[b], source_texts[run.source][old_unit], old_tokens.start[c], old_tokens.end[d]
            )
            spans.append(Span(run.source, old_unit, old_start, old_end, unit, new_start, new_end, k - first))
            first = k
    return spans


def find_spans(new_texts: Sequence[str], sources: Sequence[Sequence[str]]) -> list[Span]:
    """Every reused stretch of NEW (a list of paragraphs) in the earlier texts (each a list
    of paragraphs). Provenance knows no roles: a teaser that repeats a sentence of reporting
    reuses it (alignment, not this, keeps chrome and reporting apart). Only the seeds NEW
    holds are indexed."""
    scans: dict[str, _Scan] = {}
    new = Tokens.of(new_texts, scans)
    wanted = set(new.seeds())
    wanted.discard(None)
    index = Index()
    for texts in sources:
        index.add(Tokens.of(texts, scans), wanted)
    return to_spans(reused_runs(new, index), new, new_texts, index, sources)


def covered(spans: Sequence[Span], length: int) -> int:
    """Characters of a paragraph of ``length`` inside at least one of its spans."""
    total = 0
    reach = 0
    for span in sorted(spans, key=lambda s: (s.new_start, s.new_end)):
        start = max(span.new_start, reach)
        end = min(span.new_end, length)
        if end > start:
            total += end - start
        reach = max(reach, span.new_end)
    return total
