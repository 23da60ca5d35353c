"""Decide the chronology of a corpus: given order, timestamps, or inferred from the text."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Sequence
from typing import Any
from dataclasses import dataclass
from enum import StrEnum

from cpsdiff.errors import InputError
from cpsdiff.inputs.corpus import Version
from cpsdiff.text.timerefs import TimeRef, time_refs


class OrderMode(StrEnum):
    AUTO = "auto"  # timestamps when every version has one, else inferred from the text around them
    GIVEN = "given"  # argument order
    TIME = "time"  # timestamps; an error if one is missing


@dataclass(frozen=True, slots=True)
class Chronology:
    order: tuple[int, ...]  # indices into the versions as given, earliest first
    method: str  # "given", "timestamps" or "text"
    reasons: tuple[str, ...]  # per version (as given): why it stands where it does


@dataclass(frozen=True, slots=True)
class _Moment:
    """The latest past time a text mentions: a lower bound on when it was written."""

    date: tuple[int, int] | None
    day: int | None
    part: int | None
    date_text: str | None
    day_text: str | None


def _week_start(refs: Sequence[TimeRef]) -> int:
    """First weekday of the story's week: just after the longest run of unmentioned days."""
    used = sorted({r.day % 7 for r in refs if r.day is not None and r.day >= 0})
    if not used:
        return 0
    gaps = [((used[(k + 1) % len(used)] - used[k] - 1) % 7, used[(k + 1) % len(used)]) for k in range(len(used))]
    return max(gaps)[1]


def _moment(refs: Sequence[TimeRef], week_start: int) -> _Moment:
    def linear(ref: TimeRef) -> tuple[int, int]:
        day = (ref.day - week_start) % 7 if ref.day >= 0 else ref.day - week_start
        return day, -1 if ref.part is None else ref.part

    days = [r for r in refs if r.day is not None]
    dates = [r for r in refs if r.date is not None]
    latest_day = max(days, key=linear, default=None)
    # of the mentions of that day, the one that says the latest part of it
    if latest_day is not None:
        same = [r for r in days if linear(r)[0] == linear(latest_day)[0]]
        latest_day = max(same, key=linear)
    latest_date = max(dates, key=lambda r: r.date, default=None)
    return _Moment(
        latest_date.date if latest_date else None,
        linear(latest_day)[0] if latest_day else None,
        latest_day.part if latest_day else None,
        latest_date.text if latest_date else None,
        latest_day.text if latest_day else None,
    )


def _before(a: _Moment, b: _Moment) -> bool | None:
    """True if a is certainly earlier than b, False if certainly later, None if unknown."""
    if a.date and b.date and a.date != b.date:
        return a.date < b.date
    if a.day is None or b.day is None:
        return None
    if a.day != b.day:
        return a.day < b.day
    if a.part is None or b.part is None or a.part == b.part:
        return None
    return a.part < b.part


def _describe(moment: _Moment) -> str:
    said = [f"“{t}”" for t in (moment.day_text, moment.date_text) if t]
    return "latest past time mentioned: " + " and ".join(said) if said else "mentions no past time"


def _topological(count: int, edges: dict[int, set[int]], entry: Callable[[int], Any] = int) -> tuple[list[int], list[int]]:
    """Kahn's algorithm; among versions free to go next, the earliest given goes first. Where
    the evidence runs in a circle (times mentioned that contradict each other: a Jan. 5 and a
    Monday before a Tuesday before a Wednesday and a Jan. 4), none of its versions would ever
    be free: inside each circle (a strongly connected set of versions) only the edges that run
    forward by ENTRY's key (the given order) are kept. (order, the versions that lost an edge)"""
    component = _components(count, edges)
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


def _components(count: int, edges: dict[int, set[int]]) -> list[int]:
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


class _Precedence:
    """Edges "comes before" between versions, with each version's predecessors as a bitset: who
    can reach whom is a walk over one integer per version, not over every edge (walking the
    edges, a thousand untimed updates of one story took 4 s and two thousand over 4 minutes)."""

    def __init__(self, count: int) -> None:
        self.edges: dict[int, set[int]] = {}
        self._predecessors = [0] * count  # bit i of entry v: an edge i -> v

    def add(self, source: int, target: int) -> None:
        self.edges.setdefault(source, set()).add(target)
        self._predecessors[target] |= 1 << source

    def add_chain(self, order: Sequence[int]) -> None:
        """Each version of ORDER before the next: an edge to the next, and for reachability all
        the earlier ones at once (walked one edge at a time, a chain of thousands is slow to
        search)."""
        earlier = 0
        for source, target in zip(order, order[1:]):
            earlier |= 1 << source
            self.edges.setdefault(source, set()).add(target)
            self._predecessors[target] |= earlier

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

    def reaches(self, start: int, goal: int) -> bool:
        return start == goal or bool(self.ancestors(goal) >> start & 1)


def infer_from_text(
    versions: Sequence[Version], derivations: Sequence[tuple[int, int, str]] = ()
) -> Chronology:
    """Order by the latest past time each text mentions; where that cannot decide, by the
    direction of derivation (``derivations``: (source, derived, why)); else as given. Versions
    with timestamps keep the order their times give them (ties as given): the text places the
    others among them."""
    refs = [time_refs(v.text) for v in versions]
    start = _week_start([r for rs in refs for r in rs])
    moments = [_moment(rs, start) for rs in refs]
    reasons = [_describe(m) for m in moments]
    graph = _Precedence(len(versions))
    times = [v.time for v in versions]
    timed = _timed_order(times)
    graph.add_chain(timed)
    # the times mentioned weigh every two versions that the timestamps do not already order
    untimed = [i for i, time in enumerate(times) if time is None]
    for a in range(len(versions)):
        for b in untimed if times[a] is not None else range(len(versions)):
            if a != b and _before(moments[a], moments[b]):
                graph.add(a, b)
    for i, time in enumerate(times):
        if time is not None:
            reasons[i] = f"timestamp {time.isoformat()}"
    numbered = _version_numbers(versions)
    numbered_untimed = [(i, rank) for i, rank in numbered if times[i] is None]
    for version, story_rank in numbered:
        others = numbered_untimed if times[version] is not None else numbered
        if not others:
            continue
        # the same all along: the edges this loop adds leave VERSION, and none of them closes
        # a cycle back to it
        earlier = graph.ancestors(version)
        for other, other_rank in others:
            if versions[version].story == versions[other].story and story_rank < other_rank:
                if not earlier >> other & 1:
                    graph.add(version, other)
    for source, derived, why in derivations:
        linked = graph.reaches(source, derived) or graph.reaches(derived, source)
        if not linked:
            graph.add(source, derived)
            reasons[derived] += f"; after {versions[source].id}: {why}"
    # A circle is entered at its earliest timed version: one whose earlier times are all placed
    # (a timed version is otherwise placed only after them), so the times keep their order.
    rank = {i: k for k, i in enumerate(timed)}
    order, entered = _topological(len(versions), graph.edges, lambda i: (i not in rank, rank.get(i, 0), i))
    for i in entered:
        if i in rank:
            reasons[i] += "; placed by its time: the times mentioned contradict each other or the timestamps"
        else:
            reasons[i] += "; placed as given: the times mentioned contradict each other"
    return Chronology(tuple(order), "text", tuple(reasons))


def _timed_order(times: Sequence) -> list[int]:
    """The versions with a time, in the order the times give them (ties as given)."""
    return sorted((i for i, time in enumerate(times) if time is not None), key=lambda i: (times[i], i))


def _version_numbers(versions: Sequence[Version]) -> list[tuple[int, int]]:
    return [(i, v.version) for i, v in enumerate(versions) if isinstance(v.version, int) and v.story]


def order_by_time(times: Sequence, ids: Sequence[str], mode: OrderMode) -> tuple[tuple[int, ...], str] | None:
    """The order as given or by the times, and its method; None when the text must decide."""
    given = tuple(range(len(times)))
    if mode is OrderMode.GIVEN:
        return given, "given"
    if all(t is not None for t in times):
        return tuple(sorted(given, key=lambda i: (times[i], i))), "timestamps"
    if mode is OrderMode.TIME:
        missing = next(ids[i] for i in given if times[i] is None)
        raise InputError(f"--order time: {missing} has no 'published' or 'updated' timestamp")
    return None


TEXT_ORDER_LIMIT = 5000  # versions without times: inferring their order weighs every two of them


def check_text_order(times: Sequence, instead: str) -> None:
    """Refuse to infer the order of versions with these TIMES from their text when that would
    weigh over TEXT_ORDER_LIMIT² pairs, each of a version without a time and another (4,000
    versions without times take 24 s and 500 MB; a few among thousands with times are quick).
    What to do INSTEAD is said."""
    untimed = sum(t is None for t in times)
    if untimed * len(times) > TEXT_ORDER_LIMIT**2:
        which = " without timestamps" if untimed == len(times) else f", {untimed} of them without a timestamp"
        raise InputError(f"{len(times)} versions{which}: too many to order by their text; {instead}")


def check_orderable(versions: Sequence[Version], mode: OrderMode) -> None:
    """Refuse at once, before any work on them, versions whose order would take too long to
    infer from their text (check_text_order)."""
    if mode is OrderMode.AUTO:
        check_text_order([v.time for v in versions], "use --order given, or give the records 'published' or 'updated' times")


def _no_derivations(among: Collection[int] | None = None) -> Sequence[tuple[int, int, str]]:
    return ()


def chronology(
    versions: Sequence[Version],
    mode: OrderMode,
    derivations: Callable[..., Sequence[tuple[int, int, str]]] = _no_derivations,
) -> Chronology:
    """The versions' order: as given, by their times, else inferred from their text, with the
    DERIVATIONS (source, derived, why) asked for only then: finding them pairs versions, which
    a corpus of thousands of timed updates of one story need not pay for."""
    decided = order_by_time([v.time for v in versions], [v.id for v in versions], mode)
    if decided is None:
        check_orderable(versions, mode)
        times = [v.time for v in versions]
        untimed = frozenset(i for i, time in enumerate(times) if time is None)
        # pairs of timed versions are ordered by their times: derivations are wanted only for the rest
        return infer_from_text(versions, derivations() if len(untimed) == len(times) else derivations(untimed))
    order, method = decided
    if method == "given":
        return Chronology(order, method, tuple("position in the arguments" for _ in versions))
    return Chronology(order, method, tuple(f"timestamp {v.time.isoformat()}" for v in versions))
