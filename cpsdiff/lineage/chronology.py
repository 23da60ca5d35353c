"""Decide the chronology of a corpus: given order, timestamps, or inferred from the text."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from cpsdiff.errors import InputError
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.precedence import Precedence, TimedPrecedence, topological
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


def _before(a: _Moment, b: _Moment, weekdays: bool = True) -> bool | None:
    """True if a is certainly earlier than b, False if certainly later, None if unknown (by
    dates only unless WEEKDAYS: "Tuesday" is earlier than "Wednesday" only in the same week)."""
    if a.date and b.date and a.date != b.date:
        return a.date < b.date
    if not weekdays or a.day is None or b.day is None:
        return None
    if a.day != b.day:
        return a.day < b.day
    if a.part is None or b.part is None or a.part == b.part:
        return None
    return a.part < b.part


def _describe(moment: _Moment) -> str:
    said = [f"“{t}”" for t in (moment.day_text, moment.date_text) if t]
    return "latest past time mentioned: " + " and ".join(said) if said else "mentions no past time"


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
    times = [v.time for v in versions]
    timed = _timed_order(times)
    graph = TimedPrecedence(timed) if timed else Precedence(len(versions))
    # the times mentioned weigh every two versions that the timestamps do not already order
    untimed = [i for i, time in enumerate(times) if time is None]
    # An untimed version's weekdays are taken to be of the timed ones' week only if they have one
    # (a page tracked for months: its "Tuesday" says nothing against theirs).
    one_week = not timed or times[timed[-1]] - times[timed[0]] <= timedelta(days=7)
    for a in range(len(versions)):
        for b in untimed if times[a] is not None else range(len(versions)):
            same_week = one_week or (times[a] is None and times[b] is None)
            if a != b and _before(moments[a], moments[b], same_week):
                graph.add(a, b)
    for i in timed:
        reasons[i] = _stamped(times[i])
    numbered = _version_numbers(versions)
    numbered_untimed = [(i, rank) for i, rank in numbered if times[i] is None]
    for version, story_rank in numbered:
        others = numbered_untimed if times[version] is not None else numbered
        if not others:
            continue
        # the same all along: the edges this loop adds leave VERSION, and none of them closes
        # a cycle back to it
        earlier = graph.earlier(version)
        for other, other_rank in others:
            if versions[version].story == versions[other].story and story_rank < other_rank:
                if other not in earlier:
                    graph.add(version, other)
    followed: dict[int, list[str]] = {}
    for source, derived, why in derivations:
        linked = graph.reaches(source, derived) or graph.reaches(derived, source)
        if not linked:
            graph.add(source, derived)
            followed.setdefault(derived, []).append(f"; after {versions[source].id}: {why}")
    for derived, notes in followed.items():  # a few named; the rest counted (one update may follow thousands)
        more = len(notes) - FOLLOWED_NAMED
        counted = f"; and after {more} more version{'' if more == 1 else 's'}" if more > 0 else ""
        reasons[derived] += "".join(notes[:FOLLOWED_NAMED]) + counted
    # Inside a circle the edges that run backward by this key are set aside: timed versions
    # first, by their times (every edge of their chain runs forward: never set aside), then the
    # others as given.
    rank = {i: k for k, i in enumerate(timed)}
    order, entered = topological(len(versions), graph.edges, lambda i: (i not in rank, rank.get(i, 0), i))
    for i in entered:
        if i in rank:
            reasons[i] += "; placed by its time: the times mentioned contradict each other or the timestamps"
        else:
            reasons[i] += "; placed as given: the times mentioned contradict each other"
    return Chronology(tuple(order), "text", tuple(reasons))


FOLLOWED_NAMED = 3  # versions named in a reason as the ones it comes after


def _timed_order(times: Sequence) -> list[int]:
    """The versions with a time, in the order the times give them (ties as given)."""
    return sorted((i for i, time in enumerate(times) if time is not None), key=lambda i: (times[i], i))


def _stamped(time) -> str:
    return f"timestamp {time.isoformat()}"


def _version_numbers(versions: Sequence[Version]) -> list[tuple[int, int]]:
    return [(i, v.version) for i, v in enumerate(versions) if isinstance(v.version, int) and v.story]


def order_by_time(times: Sequence, ids: Sequence[str], mode: OrderMode) -> tuple[tuple[int, ...], str] | None:
    """The order as given or by the times, and its method; None when the text must decide."""
    given = tuple(range(len(times)))
    if mode is OrderMode.GIVEN:
        return given, "given"
    if all(t is not None for t in times):
        return tuple(_timed_order(times)), "timestamps"
    if mode is OrderMode.TIME:
        missing = next(ids[i] for i in given if times[i] is None)
        raise InputError(f"--order time: {missing} has no 'published' or 'updated' timestamp")
    return None


TEXT_ORDER_LIMIT = 5000  # versions without times: inferring their order weighs every two of them


def check_text_order(times: Sequence, instead: str, read_whole: bool = False) -> None:
    """Refuse to infer the order of versions with these TIMES from their text when that would
    weigh over TEXT_ORDER_LIMIT² pairs, each of a version without a time and another (4,000
    versions without times take 24 s and 500 MB; a few among thousands with times are quick),
    or, when they must be READ_WHOLE into memory for it (a store's), past TEXT_ORDER_LIMIT
    versions. What to do INSTEAD is said."""
    untimed = sum(t is None for t in times)
    if untimed * len(times) > TEXT_ORDER_LIMIT**2 or (read_whole and untimed and len(times) > TEXT_ORDER_LIMIT):
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
    return Chronology(order, method, tuple(_stamped(v.time) for v in versions))
