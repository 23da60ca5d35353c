"""Pair equal items of two sequences the way a reader would: in order first.

Repeated items (table cells such as a town name, "Advertisement", a separator) must pair copy
for copy in the order they stand, never crosswise, or every copy looks moved. Items found once
in each sequence anchor the pairing (the longest chain of them that keeps its order, as in
patience diff); between two anchors the rest is paired by a diff of the two stretches, which
pairs repeats in order. What is left of a key pairs copy for copy: those moved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

from cpsdiff.moves import in_order
from cpsdiff.worddiff import diff_sequences


def pair_in_order(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Pairs (i, j) with old[i] == new[j], each index used once, sorted by j: as many as
    possible keep the order of both sequences; the others pair in order within their key."""
    old_at: dict[Hashable, list[int]] = defaultdict(list)
    new_at: dict[Hashable, list[int]] = defaultdict(list)
    for i, key in enumerate(old):
        old_at[key].append(i)
    for j, key in enumerate(new):
        new_at[key].append(j)
    unique = sorted((new_at[key][0], old_at[key][0]) for key in new_at if len(new_at[key]) == 1 and len(old_at.get(key, ())) == 1)
    points = [(k, i, j) for k, (j, i) in enumerate(unique)]
    anchors = sorted(unique[k] for k in in_order(points, [(1,)] * len(points)))  # by j, then i

    pairs: list[tuple[int, int]] = []
    previous_i = previous_j = -1
    for j, i in [*anchors, (len(new), len(old))]:
        pairs.extend(_pair_stretch(old, new, range(previous_i + 1, i), range(previous_j + 1, j)))
        if j < len(new):
            pairs.append((i, j))
        previous_i, previous_j = i, j

    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    for key, news in new_at.items():
        left_new = [j for j in news if j not in used_new]
        left_old = [i for i in old_at.get(key, ()) if i not in used_old]
        pairs.extend(zip(left_old, left_new))
    return sorted(pairs, key=lambda pair: pair[1])


def _pair_stretch(old: Sequence[Hashable], new: Sequence[Hashable], olds: range, news: range) -> list[tuple[int, int]]:
    """Equal items of two stretches, in order (the equal parts of their diff)."""
    if not olds or not news:
        return []
    pairs = []
    for i, j, length in diff_sequences([old[i] for i in olds], [new[j] for j in news]):
        pairs.extend((olds[i + k], news[j + k]) for k in range(length))
    return pairs
