"""Sentences rewritten from text the update dropped.

A sentence first seen in an update is no near duplicate of anything earlier, yet it may be
made of an earlier sentence's words: two sentences merged into one, a long one split, a clause
kept and the rest reworded. Such a sentence is edited, not new reporting, and its origin is
the sentence it came from. It is found with the reuse-span engine, between the update's first
appearances and the sentences of the version before (same story) that the update no longer
holds: text that stayed needs no second home, and an update drops few sentences, so the
engine sees little text even over millions of versions.

Lineage in memory finds each update's first appearances and dropped sentences by walking the
versions (corpus_updates); a store finds them with SQL, from the paragraphs an update changed. Both
give rewrites the same lists, so they agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import tee
from typing import NamedTuple

from cpsdiff.diff.spans import covered, find_spans
from cpsdiff.lineage.families import trivial_text
from cpsdiff.model import Span

SENTENCE_REUSED = 0.5  # share of a sentence inside spans for it to come from earlier text


class Stated(NamedTuple):
    """A sentence of a version, as the search needs it."""

    paragraph: int
    sentence: int
    text: str
    boilerplate: bool


class Update(NamedTuple):
    """A version and the version before it in its story: the sentences it shows first (new
    families) and those of the version before that it no longer holds (in reading order)."""

    position: int
    before: int
    new: Sequence[Stated]
    dropped: Sequence[Stated]


class Source(NamedTuple):
    """Where a rewritten sentence came from: a sentence of an earlier version."""

    position: int
    paragraph: int
    sentence: int
    text: str


def _plain(sentence: Stated) -> bool:
    """Reporting that may carry reuse: neither boilerplate nor trivial ("1.", "Yes.")."""
    return not sentence.boilerplate and not trivial_text(sentence.text)


def rewritten(new: Sequence[str], dropped: Sequence[str]) -> dict[int, int]:
    """For each sentence of NEW at least half inside reused spans of DROPPED, the index of the
    dropped sentence that gives it the most characters (the earlier one on a tie)."""
    if not new or not dropped:
        return {}
    given: dict[int, Counter[int]] = defaultdict(Counter)
    spans: dict[int, list[Span]] = defaultdict(list)
    for span in find_spans(new, [dropped]):
        spans[span.new].append(span)
        given[span.new][span.old] += span.new_end - span.new_start
    return {
        i: min(given[i], key=lambda old: (-given[i][old], old))
        for i in sorted(spans)
        if covered(spans[i], len(new[i])) >= SENTENCE_REUSED * len(new[i])
    }


def rewrites(updates: Iterable[Update]) -> dict[tuple[int, int, int], Source]:
    """(position, paragraph, sentence) of every rewritten first appearance -> its source."""
    found: dict[tuple[int, int, int], Source] = {}
    for update in updates:
        new = [s for s in update.new if _plain(s)]
        dropped = [s for s in update.dropped if _plain(s)] if new else []
        for i, j in rewritten([s.text for s in new], [s.text for s in dropped]).items():
            source = dropped[j]
            found[update.position, new[i].paragraph, new[i].sentence] = Source(
                update.before, source.paragraph, source.sentence, source.text
            )
    return found


def story_predecessors(stories: Iterable[Hashable]) -> Iterator[int | None]:
    """For each version, in chronological order given its story, the position of the version
    before it in that story (None for a story's first)."""
    latest: dict[Hashable, int] = {}
    for position, story in enumerate(stories):
        yield latest.get(story)
        latest[story] = position


def corpus_updates(versions: Iterable[tuple[str, Sequence[Hashable], Callable[[int], Stated]]]) -> Iterator[Update]:
    """The updates of a corpus, given for each version in chronological order its story, its
    sentences' families (in reading order) and how to state its i-th sentence."""
    seen: set[Hashable] = set()  # families met so far
    waiting: dict[int, tuple[Sequence[Hashable], Callable[[int], Stated]]] = {}  # the latest of each story
    ahead, versions = tee(versions)  # read in step: tee holds one version at most
    befores = story_predecessors(story for story, _, _ in ahead)
    for position, ((_, families, sentence), before) in enumerate(zip(versions, befores)):
        new = []
        for i, family in enumerate(families):
            if family not in seen:
                seen.add(family)
                new.append(i)
        waiting[position] = families, sentence
        if before is None:
            continue
        earlier, stated = waiting.pop(before)  # a version is the one before only one other
        if new:
            kept = set(families)
            dropped = [stated(i) for i, family in enumerate(earlier) if family not in kept]
            yield Update(position, before, [sentence(i) for i in new], dropped)
