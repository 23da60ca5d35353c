"""Pair equal items of two sequences the way a reader would: in order first.

Repeated items (table cells such as a town name, "Advertisement", a separator) must pair copy
for copy in the order they stand, never crosswise, or every copy looks moved. Items found once
in each sequence anchor the pairing (the longest chain of them that keeps its order, as in
patience diff), and each takes the equal items around it along, so a moved block keeps its own
repeated items; between two anchors the rest is paired by a diff of the two stretches, which
pairs repeats in order. What is left of a key pairs copy for copy: those moved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

from cpsdiff.diff.moves import in_order
from cpsdiff.diff.worddiff import diff_sequences


def pair_in_order(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Pairs (i, j) with old[i] == new[j], each index used once, sorted by j: as many as
    possible keep the order of both sequences; the others pair in order within their key."""
    old_at: dict[Hashable, list[int]] = defaultdict(list)
    new_at: dict[Hashable, list[int]] = defaultdict(list)
    for i, key in enumerate(old):
        old_at[key].append(i)
    for j, key in enumerate(new):
        new_at[key].append(j)
    unique = sorted((old_at[key][0], new_at[key][0]) for key in new_at if len(new_at[key]) == 1 and len(old_at.get(key, ())) == 1)

    owned = _owned_blocks(old, new, unique)
    # The blocks' pairs that keep their order, as many as possible, are in place; between
    # choices as long, pairs owned by the unique item before them (a row's cells after its
    # name) win over pairs claimed by the one after.
    points = sorted(owned, key=lambda p: (p[1], p[0]))
    kept = in_order([(k, i, j) for k, (i, j) in enumerate(points)], [(1, owned[p]) for p in points])
    partner_of_old: dict[int, int] = {}
    partner_of_new: dict[int, int] = {}

    def pair(i: int, j: int) -> None:
        partner_of_old[i] = j
        partner_of_new[j] = i

    for k in sorted(kept, key=lambda k: points[k][1]):
        pair(*points[k])
    anchors = sorted(((j, i) for i, j in partner_of_old.items()))

    # Blocks that moved keep their own items together, before any gap can take a moved row's
    # repeated cell for an equal cell that stands in the gap.
    for i, j in sorted(owned, key=lambda p: (-owned[p], p[1], p[0])):
        if i not in partner_of_old and j not in partner_of_new:
            pair(i, j)
    # Between two pairs in place, what is left pairs in order: a diff of the two stretches.
    previous_i = previous_j = -1
    for j, i in [*anchors, (len(new), len(old))]:
        olds = [a for a in range(previous_i + 1, i) if a not in partner_of_old]
        news = [b for b in range(previous_j + 1, j) if b not in partner_of_new]
        for a, b in _pair_stretch(old, new, olds, news):
            pair(a, b)
        previous_i, previous_j = i, j
    # What is left of a key pairs copy for copy, in order.
    for key, news in new_at.items():
        left_new = [j for j in news if j not in partner_of_new]
        left_old = [i for i in old_at.get(key, ()) if i not in partner_of_old]
        for i, j in zip(left_old, left_new):
            pair(i, j)
    return sorted(((i, j) for j, i in partner_of_new.items()), key=lambda pair: pair[1])


def _owned_blocks(old: Sequence[Hashable], new: Sequence[Hashable], unique: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Each unique item, with the equal items around it, is a block that stands together in
    both: a table row with its repeated cells, a paragraph and the separator under it. The pairs
    of the blocks of UNIQUE (sorted), each with 1 if a unique item or what follows one owns it."""
    owned: dict[tuple[int, int], int] = {}
    block_end: dict[int, int] = {}  # by diagonal (i - j): where the last block found on it ends, in OLD
    for i, j in unique:
        if i < block_end.get(i - j, 0):
            # inside the block of an earlier unique item, which is this one's block too: all it
            # would add is "follows" for pairs that already follow that item (an unchanged page
            # of N paragraphs would walk it N times)
            continue
        block = _block(old, new, i, j)
        block_end[i - j] = block[-1][0][0] + 1
        for pair, follows in block:
            owned[pair] = max(owned.get(pair, 0), follows)
    return owned


def _block(old: Sequence[Hashable], new: Sequence[Hashable], i: int, j: int) -> list[tuple[tuple[int, int], int]]:
    """The pair (i, j) and the equal items before and after it in both sequences, each with 1
    if it is (i, j) or after it, 0 if before."""
    start = 0
    while i - start > 0 and j - start > 0 and old[i - start - 1] == new[j - start - 1]:
        start += 1
    end = 1
    while i + end < len(old) and j + end < len(new) and old[i + end] == new[j + end]:
        end += 1
    return [((i + k, j + k), int(k >= 0)) for k in range(-start, end)]


STRETCH_LIMIT = 4_000_000  # old x new items past which a stretch pairs key by key (linear)


def _pair_stretch(old: Sequence[Hashable], new: Sequence[Hashable], olds: list[int], news: list[int]) -> list[tuple[int, int]]:
    """Equal items of two stretches, in order (the equal parts of their diff). Only items whose
    key is on both sides take part: a rewritten stretch, all different, costs nothing."""
    shared = {old[i] for i in olds} & {new[j] for j in news}
    olds = [i for i in olds if old[i] in shared]
    news = [j for j in news if new[j] in shared]
    # a common head and tail pair at once
    head = 0
    while head < min(len(olds), len(news)) and old[olds[head]] == new[news[head]]:
        head += 1
    tail = 0
    while tail < min(len(olds), len(news)) - head and old[olds[-1 - tail]] == new[news[-1 - tail]]:
        tail += 1
    pairs = list(zip(olds[:head], news[:head]))
    ends = list(zip(olds[len(olds) - tail :], news[len(news) - tail :]))
    olds, news = olds[head : len(olds) - tail], news[head : len(news) - tail]
    if olds and news and len(olds) * len(news) <= STRETCH_LIMIT:  # the diff is O(size x changes)
        for i, j, length in diff_sequences([old[i] for i in olds], [new[j] for j in news]):
            pairs.extend((olds[i + k], news[j + k]) for k in range(length))
    # past the limit, what is left pairs key by key, copy for copy in order
    return pairs + ends
