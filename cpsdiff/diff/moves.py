"""Which links left the order of the rest: the complement of the heaviest in-order chain."""

from __future__ import annotations

from collections.abc import Sequence


def in_order(points: Sequence[tuple[int, int, int]], weights: Sequence[tuple[int, ...]]) -> set[int]:
    """Ids of the groups that keep their order.

    ``points`` are (group id, old index, new index); a group (a merge or split) may have several
    points and keeps its order if any of them is on the chain. The chain is strictly increasing
    in both indices and has the largest total weight, compared as tuples (the caller ranks:
    unchanged text first, then links, then characters), so the groups left off it are the
    fewest moves that explain the new order.
    """
    if not points:
        return set()
    size = max(old for _, old, _ in points) + 2
    zero = tuple(0 for _ in weights[points[0][0]])
    tree: list[tuple[tuple[int, ...], int]] = [(zero, -1)] * (size + 1)  # Fenwick, prefix max

    def query(position: int) -> tuple[tuple[int, ...], int]:
        best = (zero, -1)
        while position > 0:
            best = max(best, tree[position])
            position -= position & -position
        return best

    def update(position: int, value: tuple[tuple[int, ...], int]) -> None:
        while position <= size:
            if value > tree[position]:
                tree[position] = value
            position += position & -position

    # Same new index: visit larger old first, so two points of one NEW paragraph never chain.
    order = sorted(range(len(points)), key=lambda k: (points[k][2], -points[k][1]))
    back = [-1] * len(points)
    for k in order:
        group, old, _ = points[k]
        total, previous = query(old + 1)  # chains ending at an old index < this one
        back[k] = previous
        update(old + 2, (tuple(map(sum, zip(total, weights[group]))), k))
    _, last = query(size)
    kept = set()
    while last != -1:
        kept.add(points[last][0])
        last = back[last]
    return kept
