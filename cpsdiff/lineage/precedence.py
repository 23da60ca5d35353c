"""Who comes before whom among versions: edges of evidence, who reaches whom, the circles
they may run in, and one order that keeps every edge outside a circle.

Two representations of the same relation: bitsets of predecessors when no version has a time
(every two may be ordered by their text), and a chain with the untimed versions around it when
some have times (the chain is never walked).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Callable, Container, Sequence
from typing import Any


def topological(count: int, edges: dict[int, set[int]], entry: Callable[[int], Any] = int) -> tuple[list[int], list[int]]:
    """Kahn's algorithm; among versions free to go next, the earliest given goes first. Where
    the evidence runs in a circle (times mentioned that contradict each other: a Jan. 5 and a
    Monday before a Tuesday before a Wednesday and a Jan. 4), none of its versions would ever
    be free: inside each circle (a strongly connected set of versions) only the edges that run
    forward by ENTRY's key (the given order) are kept. (order, the versions that lost an edge)"""
    component = components(count, edges)
    kept: dict[int, list[int]] = {}
    entered: set[int] = set()
    for source in sorted(edges):
        for target in sorted(edges[source]):
            if component[source] != component[target] or entry(source) < entry(target):
                kept.setdefault(source, []).append(target)
            else:
                entered.add(target)
    indegree = [0] * count
    for targets in kept.values():
        for target in targets:
            indegree[target] += 1
    ready = [i for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for target in kept.get(i, ()):
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, target)
    return order, sorted(entered)


def components(count: int, edges: dict[int, set[int]]) -> list[int]:
    """Each version's strongly connected component, numbered (Tarjan's algorithm, with a stack
    of its own instead of recursion: a circle may hold thousands of versions)."""
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    component = [-1] * count
    counter = found = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, iter(sorted(edges.get(root, ()))))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if index[target] < 0:  # first visit: go down to it, come back to NODE later
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if on_stack[target]:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:  # NODE is the first of its component reached
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        component[member] = found
                        if member == node:
                            break
                    found += 1
    return component


class Precedence:
    """Edges "comes before" between versions, with each version's predecessors as a bitset: who
    can reach whom is a walk over one integer per version, not over every edge (walking the
    edges, a thousand untimed updates of one story took 4 s and two thousand over 4 minutes)."""

    def __init__(self, count: int) -> None:
        self.edges: dict[int, set[int]] = {}
        self._predecessors = [0] * count  # bit i of entry v: an edge i -> v

    def add(self, source: int, target: int) -> None:
        self.edges.setdefault(source, set()).add(target)
        self._predecessors[target] |= 1 << source

    def ancestors(self, node: int) -> int:
        """The versions with a path to NODE, as a bitset."""
        predecessors = self._predecessors
        seen, frontier = 0, predecessors[node]
        while frontier:
            seen |= frontier
            found = 0
            while frontier:
                lowest = frontier & -frontier
                found |= predecessors[lowest.bit_length() - 1]
                frontier ^= lowest
            frontier = found & ~seen
        return seen

    def earlier(self, node: int) -> Container[int]:
        """The versions with a path to NODE."""
        return _Bits(self.ancestors(node))

    def reaches(self, start: int, goal: int) -> bool:
        return start == goal or bool(self.ancestors(goal) >> start & 1)


class _Bits:
    """A bitset of versions, asked whether it holds one."""

    def __init__(self, bits: int) -> None:
        self.bits = bits

    def __contains__(self, version: object) -> bool:
        return isinstance(version, int) and bool(self.bits >> version & 1)


class TimedPrecedence:
    """Precedence among versions of which those with times form a chain in time order, every
    other edge having an untimed end. The versions before one are then the chain up to some
    rank and a set of untimed versions: found by walking the untimed ones only, never the chain,
    and kept without a bitset per timed version (thousands of timed records and one file blamed
    against them would take the square of their number in both)."""

    RESORT_SHARE = 8  # more than 1 in this many listed versions moved: sort all again

    def __init__(self, chain: Sequence[int]) -> None:
        self.edges: dict[int, set[int]] = {}
        self._rank = {version: rank for rank, version in enumerate(chain)}
        self._last_timed: dict[int, int] = {}  # untimed version -> its latest timed predecessor's rank
        self._untimed_before: dict[int, set[int]] = {}  # version -> its untimed predecessors
        self._first_after: dict[int, int] = {}  # untimed version -> rank of the earliest timed one it precedes
        # the same, sorted as (rank, version); those moved since are put in place when next asked
        self._by_first_after: list[tuple[int, int]] = []
        self._listed: dict[int, int] = {}  # each version's rank in _by_first_after
        self._moved: set[int] = set()
        for source, target in zip(chain, chain[1:]):
            self.edges.setdefault(source, set()).add(target)

    def add(self, source: int, target: int) -> None:
        source_rank, target_rank = self._rank.get(source), self._rank.get(target)
        if source_rank is not None and target_rank is not None:
            raise ValueError(f"an edge between timed versions {source} and {target} off their chain")
        self.edges.setdefault(source, set()).add(target)
        if source_rank is not None:
            if source_rank > self._last_timed.get(target, -1):
                self._last_timed[target] = source_rank
            return
        self._untimed_before.setdefault(target, set()).add(source)
        if target_rank is not None and target_rank < self._first_after.get(source, len(self._rank)):
            self._first_after[source] = target_rank
            self._moved.add(source)

    def _sort_moved(self) -> None:
        listed, moved = self._listed, self._moved
        if len(moved) * self.RESORT_SHARE > len(listed):  # many (every pair weighed at once): sort them all again
            self._by_first_after = sorted((rank, version) for version, rank in self._first_after.items())
            self._listed = dict(self._first_after)
        else:  # a few: each found by bisection and put in its place
            for version in sorted(moved):
                if version in listed:
                    del self._by_first_after[bisect_left(self._by_first_after, (listed[version], version))]
                listed[version] = self._first_after[version]
                insort(self._by_first_after, (listed[version], version))
        moved.clear()

    def earlier(self, node: int) -> Container[int]:
        """The versions with a path to NODE."""
        if self._moved:
            self._sort_moved()
        last = self._rank[node] - 1 if node in self._rank else self._last_timed.get(node, -1)
        found: set[int] = set()
        waiting = list(self._untimed_before.get(node, ()))
        scanned = 0  # of _by_first_after: the untimed versions before a timed one up to LAST
        while True:
            while waiting:
                version = waiting.pop()
                if version not in found:
                    found.add(version)
                    last = max(last, self._last_timed.get(version, -1))
                    waiting.extend(self._untimed_before.get(version, ()))
            while scanned < len(self._by_first_after) and self._by_first_after[scanned][0] <= last:
                waiting.append(self._by_first_after[scanned][1])
                scanned += 1
            if not waiting:
                return _Before(last, found, self._rank)

    def reaches(self, start: int, goal: int) -> bool:
        return start == goal or start in self.earlier(goal)


class _Before:
    """The versions before one: the timed ones up to rank LAST, and the untimed ones FOUND."""

    def __init__(self, last: int, found: set[int], rank: dict[int, int]) -> None:
        self.last, self.found, self.rank = last, found, rank

    def __contains__(self, version: object) -> bool:
        rank = self.rank.get(version)  # type: ignore[arg-type]
        return version in self.found if rank is None else rank <= self.last
