"""Sentences rewritten from text the update dropped.

A sentence first seen in an update is no near duplicate of anything earlier, yet it may be
made of an earlier sentence's words: two sentences merged into one, a long one split, a clause
kept and the rest reworded. Such a sentence is edited, not new reporting, and its origin is
the sentence it came from. It is found with the reuse-span engine, between the update's first
appearances and the sentences of the version before (same story) that the update no longer
holds: text that stayed needs no second home, and an update drops few sentences, so the
engine sees little text even over millions of versions.

The walk takes each version's sentences in chronological order; memory and store lineage both
feed it, and so agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import NamedTuple

from cpsdiff.diff.spans import covered, find_spans
from cpsdiff.lineage.families import trivial
from cpsdiff.text.normalize import normalized_words

SENTENCE_REUSED = 0.5  # share of a sentence inside spans for it to come from earlier text


class Stated(NamedTuple):
    """A sentence of a version, as the walk needs it."""

    paragraph: int
    sentence: int
    family: Hashable
    first: bool  # the first appearance of its family
    text: str
    boilerplate: bool


class Source(NamedTuple):
    """Where a rewritten sentence came from: a sentence of an earlier version."""

    position: int
    paragraph: int
    sentence: int
    text: str


def _plain(sentence: Stated) -> bool:
    """Reporting that may carry reuse: neither boilerplate nor trivial (\"1.\", \"Yes.\")."""
    return not sentence.boilerplate and not trivial(normalized_words(sentence.text))


def rewritten(new: Sequence[str], dropped: Sequence[str]) -> dict[int, int]:
    """For each sentence of NEW at least half inside reused spans of DROPPED, the index of the
    dropped sentence that gives it the most characters (the earlier one on a tie)."""
    if not new or not dropped:
        return {}
    given: dict[int, Counter[int]] = defaultdict(Counter)
    spans: dict[int, list] = defaultdict(list)
    for span in find_spans(new, [dropped]):
        spans[span.new].append(span)
        given[span.new][span.old] += span.new_end - span.new_start
    return {
        i: min(given[i], key=lambda old: (-given[i][old], old))
        for i in sorted(spans)
        if covered(spans[i], len(new[i])) >= SENTENCE_REUSED * len(new[i])
    }


def rewrites(versions: Iterable[tuple[str, Sequence[Stated]]]) -> dict[tuple[int, int, int], Source]:
    """(position, paragraph, sentence) of every rewritten first appearance -> its source, given
    each version's story and sentences, in chronological order."""
    found: dict[tuple[int, int, int], Source] = {}
    latest: dict[str, tuple[int, Sequence[Stated]]] = {}  # story -> its latest version so far
    for position, (story, sentences) in enumerate(versions):
        before = latest.get(story)
        latest[story] = position, sentences
        if before is None:
            continue
        new = [s for s in sentences if s.first and _plain(s)]
        if not new:
            continue
        kept = {s.family for s in sentences}
        dropped = [s for s in before[1] if s.family not in kept and _plain(s)]
        for i, j in rewritten([s.text for s in new], [s.text for s in dropped]).items():
            source = dropped[j]
            found[position, new[i].paragraph, new[i].sentence] = Source(
                before[0], source.paragraph, source.sentence, source.text
            )
    return found
