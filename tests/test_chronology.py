"""The order of a corpus: given, by timestamps, or inferred from the times each text mentions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.errors import InputError
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.chronology import OrderMode, chronology, infer_from_text, order_by_time
from cpsdiff.lineage.precedence import Precedence, TimedPrecedence, components, topological

T0 = datetime(2021, 1, 29, 9, 0, tzinfo=timezone.utc)
T1 = datetime(2021, 1, 29, 15, 30, tzinfo=timezone.utc)


def _versions(*texts: str, **fields) -> list[Version]:
    return [Version(f"v{k}.txt", text, **fields) for k, text in enumerate(texts)]


def _order(versions, derivations=()) -> list[str]:
    return [versions[i].id for i in infer_from_text(versions, derivations).order]


# -- timestamps and the given order ----------------------------------------------------------


def test_versions_with_equal_timestamps_keep_the_order_given():
    versions = [Version(name, "Text.", time=when) for name, when in (("b", T1), ("a", T0), ("c", T1), ("d", T0))]
    result = chronology(versions, OrderMode.AUTO)
    assert [versions[i].id for i in result.order] == ["a", "d", "b", "c"]
    assert result.method == "timestamps"
    assert result.reasons[0] == "timestamp 2021-01-29T15:30:00+00:00"


def test_the_given_order_ignores_timestamps():
    versions = [Version("b", "Text.", time=T1), Version("a", "Text.", time=T0)]
    result = chronology(versions, OrderMode.GIVEN)
    assert result.order == (0, 1) and result.method == "given"
    assert result.reasons == ("position in the arguments", "position in the arguments")


def test_time_order_names_the_version_without_a_timestamp():
    with pytest.raises(InputError) as error:
        order_by_time([T0, None, None], ["first.json:1", "first.json:2", "first.json:3"], OrderMode.TIME)
    assert str(error.value) == "--order time: first.json:2 has no 'published' or 'updated' timestamp"


def test_auto_order_reads_the_text_when_a_timestamp_is_missing():
    versions = [Version("late", "The mayor said Friday that talks would go on.", time=T0),
                Version("early", "The mayor said Thursday that talks had stalled.")]
    result = chronology(versions, OrderMode.AUTO)
    assert result.method == "text" and result.order == (1, 0)


def test_versions_with_timestamps_keep_their_order_among_versions_without():
    # the texts of the timed versions name days that run the other way: their times decide
    versions = [Version("first", "The council met on Tuesday.", time=T0),
                Version("second", "The council met on Monday.", time=T1),
                Version("untimed", "The budget was approved.")]
    result = chronology(versions, OrderMode.AUTO)
    assert result.method == "text" and result.order == (0, 1, 2)
    assert result.reasons[:2] == ("timestamp 2021-01-29T09:00:00+00:00", "timestamp 2021-01-29T15:30:00+00:00")
    # a version without a time goes where the time it mentions puts it among them
    placed = [*versions[:2], Version("before both", "The council met on Sunday, officials said.")]
    assert chronology(placed, OrderMode.AUTO).order == (2, 0, 1)


def test_weekdays_of_an_untimed_version_count_against_timed_ones_only_within_a_week():
    # a page tracked for two months, its last version without a time: its "Monday" is not
    # earlier than the first version's "Tuesday" of weeks before (it came out third of 2,000)
    spread = [Version("january", "The council met on Tuesday.", time=T0 - timedelta(days=60)),
              Version("march", "The council met on Wednesday.", time=T0),
              Version("untimed", "The council met on Monday.")]
    assert chronology(spread, OrderMode.AUTO).order == (0, 1, 2)
    same_week = [replace(spread[0], time=T0 - timedelta(days=2)), *spread[1:]]
    assert chronology(same_week, OrderMode.AUTO).order == (2, 0, 1)
    # dates still count, however far apart
    dated = [*spread[:2], Version("untimed", "The council met on Jan. 3.")]
    dated[0] = replace(dated[0], text="The council met on Jan. 5.")
    assert chronology(dated, OrderMode.AUTO).order == (2, 0, 1)


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.sampled_from([None, *DAYS]), st.one_of(st.none(), st.integers(0, 3))), min_size=1, max_size=9))
def test_timed_versions_come_in_the_order_of_their_times_whatever_the_text_says(specs):
    versions = [
        Version(f"v{k}", f"The council met on {day}." if day else "The council met.",
                time=None if hour is None else T0.replace(hour=hour))
        for k, (day, hour) in enumerate(specs)
    ]
    order = chronology(versions, OrderMode.AUTO).order
    assert sorted(order) == list(range(len(versions)))
    times = [versions[i].time for i in order if versions[i].time is not None]
    assert times == sorted(times)


# -- inferred from the text ------------------------------------------------------------------


def test_the_latest_past_day_mentioned_orders_versions():
    versions = _versions(
        "The mayor said Friday morning that talks would go on.",
        "The mayor said Thursday that talks had stalled.",
        "The union said late Thursday that a deal was near.",
    )
    assert _order(versions) == ["v1.txt", "v2.txt", "v0.txt"]


def test_a_week_that_spans_a_weekend_starts_after_the_days_not_mentioned():
    versions = _versions(
        "Officials said Monday that the roads had reopened.",
        "The storm hit the coast Saturday, officials said.",
        "Crews worked Sunday to restore power, the utility said.",
    )
    assert _order(versions) == ["v1.txt", "v2.txt", "v0.txt"]


def test_last_week_comes_before_this_week():
    versions = _versions(
        "The union voted Thursday to strike.",
        "Talks began last Sunday, the union said.",
        "The union said Wednesday that talks had failed.",
    )
    assert _order(versions) == ["v1.txt", "v2.txt", "v0.txt"]


def test_the_latest_part_of_the_day_mentioned_counts():
    versions = _versions(
        "The union said Thursday morning that talks would resume.",
        "Talks failed Thursday, the union said. Members walked out early Thursday.",
    )
    assert _order(versions) == ["v1.txt", "v0.txt"]


def test_calendar_dates_order_versions_before_weekdays_do():
    # by weekday alone v0 would come first: this week starts on Friday, the day after the longest gap
    versions = _versions(
        "The council voted on March 4 to close the school. It met Friday.",
        "The council voted on March 3 to delay the vote. It met Monday.",
    )
    result = infer_from_text(versions)
    assert [versions[i].id for i in result.order] == ["v1.txt", "v0.txt"]
    assert result.reasons[1] == "latest past time mentioned: “Monday” and “March 3”"


def test_a_text_that_mentions_no_past_time_goes_by_its_given_place():
    """Free to go anywhere, it goes as soon as nothing given before it is waiting."""
    versions = _versions(
        "The mayor said Friday that talks would go on.",
        "Talks are expected to continue.",
        "The mayor said Thursday that talks had stalled.",
    )
    result = infer_from_text(versions)
    assert [versions[i].id for i in result.order] == ["v1.txt", "v2.txt", "v0.txt"]
    assert result.reasons[1] == "mentions no past time"


def test_version_numbers_order_versions_of_one_story_only():
    text = "Talks are expected to continue."
    same_story = [Version("b", text, story="strike", version=2), Version("a", text, story="strike", version=1)]
    assert _order(same_story) == ["a", "b"]
    two_stories = [Version("b", text, story="strike", version=2), Version("a", text, story="budget", version=1)]
    assert _order(two_stories) == ["b", "a"]
    no_story = [Version("b", text, version=2), Version("a", text, version=1)]
    assert _order(no_story) == ["b", "a"]


def test_the_text_wins_over_a_version_number_that_contradicts_it():
    versions = [
        Version("one", "The mayor said Friday that talks would go on.", story="strike", version=1),
        Version("two", "The mayor said Thursday that talks had stalled.", story="strike", version=2),
    ]
    assert _order(versions) == ["two", "one"]


def test_a_derivation_orders_versions_the_text_cannot():
    versions = _versions("Talks are expected to continue.", "Talks are expected to continue today.")
    result = infer_from_text(versions, [(1, 0, "it quotes v1 more fully")])
    assert result.order == (1, 0)
    assert result.reasons[0] == "mentions no past time; after v1.txt: it quotes v1 more fully"


def test_a_derivation_that_contradicts_the_text_is_ignored():
    versions = _versions("The mayor said Thursday that talks had stalled.", "The mayor said Friday that talks would go on.")
    result = infer_from_text(versions, [(1, 0, "a guess")])
    assert result.order == (0, 1)
    assert "a guess" not in result.reasons[0]


# -- evidence that contradicts itself, and the cost of weighing it ----------------------------


def test_times_that_contradict_each_other_keep_every_version():
    # Monday before Tuesday before Wednesday, and Jan. 4 before Jan. 5: a circle. Every version
    # was once left out of the order (a lineage of three files held none).
    versions = _versions(
        "The council met on Jan. 5 to hear the plan. The mayor spoke Monday about the budget.",
        "The mayor spoke Tuesday about the budget plan for the whole city.",
        "The vote was held on Jan. 4 after a debate. The mayor spoke Wednesday about the budget.",
    )
    result = infer_from_text(versions)
    assert result.order == (0, 1, 2)  # the circle is entered at the earliest given
    assert result.reasons[0].endswith("; placed as given: the times mentioned contradict each other")
    assert "contradict" not in result.reasons[1] + result.reasons[2]


def test_a_cycle_among_some_versions_leaves_the_others_in_their_order():
    versions = _versions(
        "The council met again on Jan. 6 to vote on the plan.",  # after Jan. 4 and Jan. 5
        "The council met on Jan. 5 to hear the plan. The mayor spoke Monday about the budget.",
        "The mayor spoke Tuesday about the budget plan for the whole city.",
        "The vote was held on Jan. 4 after a debate. The mayor spoke Wednesday about the budget.",
    )
    assert _order(versions) == ["v1.txt", "v2.txt", "v3.txt", "v0.txt"]


def test_derivations_are_worked_out_only_when_the_text_decides():
    asked = []

    def derivations():
        asked.append(True)
        return [(1, 0, "reuses its text in a shortened form")]

    timed = [Version("a", "Text.", time=T0), Version("b", "Text.", time=T1)]
    assert chronology(timed, OrderMode.AUTO, derivations).order == (0, 1)
    assert chronology(timed, OrderMode.GIVEN, derivations).order == (0, 1)
    assert asked == []  # pairing every two versions of a story costs time the order never needed
    untimed = [Version("a", "Text."), Version("b", "Text.")]
    assert chronology(untimed, OrderMode.AUTO, derivations).order == (1, 0)
    assert asked == [True]


GRAPHS = st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40)))


def _edges(pairs) -> dict[int, set[int]]:
    edges: dict[int, set[int]] = {}
    for source, target in pairs:
        if source != target:
            edges.setdefault(source, set()).add(target)
    return edges


def _reachable(edges: dict[int, set[int]], start: int) -> set[int]:
    seen, stack = {start}, [start]
    while stack:
        for node in edges.get(stack.pop(), ()):
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return seen


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(GRAPHS, st.booleans())
def test_circles_are_broken_where_they_run_back_and_every_other_edge_is_kept(graph, reverse_key):
    count, pairs = graph
    edges = _edges(pairs)
    key = (lambda i: -i) if reverse_key else int
    order, entered = topological(count, edges, key)
    assert sorted(order) == list(range(count))  # every version, once
    position = {node: k for k, node in enumerate(order)}
    reach = [_reachable(edges, node) for node in range(count)]
    for source, targets in edges.items():
        for target in targets:
            circle = source in reach[target]  # each reaches the other
            if not circle or key(source) < key(target):
                assert position[source] < position[target], (source, target)
            else:
                assert target in entered
    assert entered == sorted({t for s, ts in edges.items() for t in ts if s in reach[t] and key(s) > key(t)})
    if not entered:  # no circle: Kahn's order, the earliest given first among those free
        free, plain, indegree = [], [], [0] * count
        for targets in edges.values():
            for target in targets:
                indegree[target] += 1
        free = [i for i in range(count) if indegree[i] == 0]
        while free:
            node = min(free)
            free.remove(node)
            plain.append(node)
            for target in edges.get(node, ()):
                indegree[target] -= 1
                if indegree[target] == 0:
                    free.append(target)
        assert order == plain


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(GRAPHS)
def test_circles_found_are_the_versions_that_reach_each_other(graph):
    count, pairs = graph
    edges = _edges(pairs)
    component = components(count, edges)
    reach = [_reachable(edges, node) for node in range(count)]
    for a in range(count):
        for b in range(count):
            assert (component[a] == component[b]) == (b in reach[a] and a in reach[b]), (a, b)


def test_a_circle_of_many_versions_keeps_each_group_together():
    # 150 versions each of Jan. 5 + Monday, Tuesday, Jan. 4 + Wednesday: every Tuesday waits on
    # every Monday. Entered one version at a time, with the circle sought again each time, this
    # was cubic (1,200 versions: 20 s); the edges back to the Mondays are dropped at once.
    texts = ["The council met on Jan. 5 to hear the plan. The mayor spoke Monday about the budget.",
             "The mayor spoke Tuesday about the budget plan for the whole city.",
             "The vote was held on Jan. 4 after a debate. The mayor spoke Wednesday about the budget."]
    versions = [Version(f"v{g}_{k}.txt", f"{texts[g]} Item {k}.") for g in range(3) for k in range(150)]
    result = infer_from_text(versions)
    assert list(result.order) == list(range(450))  # Monday's group, Tuesday's, Wednesday's
    assert [i for i, reason in enumerate(result.reasons) if "contradict" in reason] == list(range(150))


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(
    st.permutations(range(n)), st.integers(0, n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_who_precedes_whom_around_a_chain_of_timed_versions_is_what_a_walk_finds(graph):
    """Timed versions in a chain (any of them, in any order), every other edge with an untimed
    end, added one by one: after each, the versions before every version are those with a path
    to it, though the chain is never walked; whether the versions moved along it are sorted
    again all at once or put in place one by one."""
    order, timed_count, pairs = graph
    # sorted again as the class decides; never all at once (0); all at once and one by one in turn
    for shares in ([TimedPrecedence.RESORT_SHARE], [0], [10**9, 0]):
        _check_timed_precedence(order, timed_count, pairs, shares)


def _check_timed_precedence(order, timed_count, pairs, shares):
    chain, timed = list(order[:timed_count]), set(order[:timed_count])
    precedence = TimedPrecedence(chain)
    edges = _edges(zip(chain, chain[1:]))
    for source, target in pairs:
        if source == target:
            continue
        if source in timed and target in timed:
            with pytest.raises(ValueError):
                precedence.add(source, target)
            continue
        precedence.add(source, target)
        precedence.RESORT_SHARE = shares[len(edges) % len(shares)]
        edges.setdefault(source, set()).add(target)
        assert precedence.edges == edges
        for node in range(len(order)):
            before = precedence.earlier(node)
            assert {v for v in range(len(order)) if v in before} == {  # a path of one edge or more
                v for v in range(len(order)) if any(node in _reachable(edges, w) for w in edges.get(v, ()))}, node
        # each untimed version listed once, where it now stands (no stale entries to walk past)
        assert precedence._by_first_after == sorted((rank, v) for v, rank in precedence._first_after.items())


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(GRAPHS)
def test_who_reaches_whom_is_what_a_walk_over_the_edges_finds(graph):
    count, pairs = graph
    precedence = Precedence(count)
    for source, target in pairs:
        precedence.add(source, target)

    def walk(start: int, goal: int) -> bool:
        stack, seen = [start], set()
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(precedence.edges.get(node, ()))
        return False

    for start in range(count):
        for goal in range(count):
            assert precedence.reaches(start, goal) == walk(start, goal)


def test_numbered_versions_of_one_story_are_ordered_by_number_with_any_times_they_mention():
    # thousands of untimed updates once took minutes (a walk over every edge for every pair)
    count = 300
    versions = [Version(f"u{k}", f"Update {k} of the story.", story="s", version=count - k) for k in range(count)]
    assert infer_from_text(versions).order == tuple(reversed(range(count)))


def test_a_lineage_of_versions_whose_times_contradict_holds_them_all():
    from cpsdiff.lineage.trace import lineage

    versions = _versions(
        "The council met on Jan. 5 to hear the plan. The mayor spoke Monday about the budget.",
        "The mayor spoke Tuesday about the budget plan for the whole city.",
        "The vote was held on Jan. 4 after a debate. The mayor spoke Wednesday about the budget.",
    )
    result = lineage(versions)
    assert [v.id for v in result.versions] == ["v0.txt", "v1.txt", "v2.txt"]
    assert {a.version for family in result.families for a in family.appearances} == {0, 1, 2}


def test_too_many_untimed_versions_to_order_by_text_is_one_line_and_exit_2(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import cpsdiff.lineage.chronology

    from .conftest import invoke

    monkeypatch.setattr(cpsdiff.lineage.chronology, "TEXT_ORDER_LIMIT", 2)
    paths = []
    for k in range(3):
        path = tmp_path / f"v{k}.txt"
        path.write_text(f"Version {k} of the story about the city budget plan.\n", "utf-8")
        paths.append(str(path))
    runner = CliRunner()
    result = invoke(runner, "lineage", *paths, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("cpsdiff: error: 3 versions without timestamps: too many to order by their text; "
                             "use --order given, or give the records 'published' or 'updated' times\n")
    assert invoke(runner, "lineage", *paths, "--json", "--order", "given").exit_code == 1
    timed = tmp_path / "timed.jsonl"
    timed.write_text("".join(json.dumps({"id": f"t{k}", "published": f"2021-01-0{k + 1}T08:00:00+00:00",
                                         "text": f"Timed version {k} of the story about the parade."}) + "\n"
                             for k in range(2)), "utf-8")
    # a version without a time is weighed against every other: 1 × 3 pairs are few enough, 2 × 4 not
    assert invoke(runner, "lineage", str(timed), paths[0], "--json").exit_code == 1
    mixed = invoke(runner, "lineage", str(timed), *paths[:2], "--json")
    assert mixed.exit_code == 2
    assert mixed.stderr.startswith("cpsdiff: error: 4 versions, 2 of them without a timestamp: too many to order")
    db = tmp_path / "news.db"
    assert invoke(runner, "ingest", *paths, "--db", str(db), "-q").exit_code == 0
    stored = invoke(runner, "lineage", "--db", str(db), "--jsonl")
    assert stored.exit_code == 2
    assert stored.stderr.endswith("too many to order by their text; use --order given (ingest order) or ingest "
                                  "records with 'published' times\n")
    # a store read whole to be ordered by text holds at most TEXT_ORDER_LIMIT versions, even
    # when few pairs would be weighed (2 timed and 1 untimed: 3 pairs, as the files above passed)
    mixed_db = tmp_path / "mixed.db"
    assert invoke(runner, "ingest", str(timed), paths[0], "--db", str(mixed_db), "-q").exit_code == 0
    read_whole = invoke(runner, "lineage", "--db", str(mixed_db), "--jsonl")
    assert read_whole.exit_code == 2
    assert read_whole.stderr.startswith("cpsdiff: error: 3 versions, 1 of them without a timestamp: too many to order")


def test_derivations_among_some_versions_are_those_of_every_pair_that_holds_one(monkeypatch):
    """With timestamps on some versions, only pairs holding an untimed one are weighed: the
    evidence must be what weighing every pair finds for those pairs, in the same order."""
    import cpsdiff.lineage.trace as trace
    from cpsdiff.inputs.corpus import read_corpus

    from .conftest import FIXTURES, SEEDS

    asked = {}

    def keep_derivations(versions, mode, derivations):
        asked["derivations"] = derivations
        return chronology(versions, mode, derivations)

    monkeypatch.setattr(trace, "chronology", keep_derivations)
    paths = [str(FIXTURES / "lineage" / "chain_bridge.jsonl"), *sorted(map(str, SEEDS.glob("*.txt")))]
    versions = read_corpus(paths, lambda: b"")
    trace.lineage(versions, OrderMode.GIVEN)
    derivations = asked["derivations"]
    every = derivations()
    reasons = {why.split()[0] for _, _, why in every}
    assert reasons == {"reuses", "keeps"}  # evidence of both kinds to hold the subsets to
    count = len(versions)
    for among in [*({k} for k in range(count)), set(range(0, count, 2)), {1, 4, 7}, set(), set(range(count))]:
        assert derivations(frozenset(among)) == [d for d in every if d[0] in among or d[1] in among], among


def test_a_reason_names_a_few_versions_it_comes_after_and_counts_the_rest():
    versions = _versions(*(f"Update number {k} of the story." for k in range(6)))
    derivations = [(k, 0, "keeps its text and adds 1 more sentence") for k in range(1, 6)]
    reason = infer_from_text(versions, derivations).reasons[0]
    assert reason == ("mentions no past time; after v1.txt: keeps its text and adds 1 more sentence"
                      "; after v2.txt: keeps its text and adds 1 more sentence"
                      "; after v3.txt: keeps its text and adds 1 more sentence; and after 2 more versions")
    one_more = infer_from_text(versions[:5], derivations[:4]).reasons[0]
    assert one_more.endswith("; after v3.txt: keeps its text and adds 1 more sentence; and after 1 more version")
