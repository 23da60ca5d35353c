"""Decide the chronology of a corpus: given order, timestamps, or inferred from the text."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cpsdiff.errors import InputError
from cpsdiff.inputs.corpus import Version
from cpsdiff.text.timerefs import TimeRef, time_refs


class OrderMode(StrEnum):
    AUTO = "auto"  # timestamps when every version has one, else inferred from the text
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


def _topological(count: int, edges: dict[int, set[int]]) -> list[int]:
    """Kahn's algorithm; among versions free to go next, the earliest given goes first."""
    indegree = [0] * count
    for targets in edges.values():
        for t in targets:
            indegree[t] += 1
    ready = [i for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for t in sorted(edges.get(i, ())):
            indegree[t] -= 1
            if indegree[t] == 0:
                heapq.heappush(ready, t)
    return order


def _reaches(edges: dict[int, set[int]], start: int, goal: int) -> bool:
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False


def infer_from_text(
    versions: Sequence[Version], derivations: Sequence[tuple[int, int, str]] = ()
) -> Chronology:
    """Order by the latest past time each text mentions; where that cannot decide, by the
    direction of derivation (``derivations``: (source, derived, why)); else as given."""
    refs = [time_refs(v.text) for v in versions]
    start = _week_start([r for rs in refs for r in rs])
    moments = [_moment(rs, start) for rs in refs]
    reasons = [_describe(m) for m in moments]
    edges: dict[int, set[int]] = {}
    for a in range(len(versions)):
        for b in range(len(versions)):
            if a != b and _before(moments[a], moments[b]):
                edges.setdefault(a, set()).add(b)
    numbered = _version_numbers(versions)
    for version, story_rank in numbered:
        for other, other_rank in numbered:
            if versions[version].story == versions[other].story and story_rank < other_rank:
                if not _reaches(edges, other, version):
                    edges.setdefault(version, set()).add(other)
    for source, derived, why in derivations:
        linked = _reaches(edges, source, derived) or _reaches(edges, derived, source)
        if not linked:
            edges.setdefault(source, set()).add(derived)
            reasons[derived] += f"; after {versions[source].id}: {why}"
    order = _topological(len(versions), edges)
    return Chronology(tuple(order), "text", tuple(reasons))


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


def chronology(
    versions: Sequence[Version],
    mode: OrderMode,
    derivations: Sequence[tuple[int, int, str]] = (),
) -> Chronology:
    decided = order_by_time([v.time for v in versions], [v.id for v in versions], mode)
    if decided is None:
        return infer_from_text(versions, derivations)
    order, method = decided
    if method == "given":
        return Chronology(order, method, tuple("position in the arguments" for _ in versions))
    return Chronology(order, method, tuple(f"timestamp {v.time.isoformat()}" for v in versions))
