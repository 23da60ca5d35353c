"""Invariants that must hold for any text, checked with generated articles (known edits, merges,
splits and moves with their outcomes: test_properties_operations.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsdiff.diff.comparison import compare
from cpsdiff.model import Kind
from cpsdiff.text.segment import parse_document

WORDS = st.sampled_from(
    "the mayor said council vote budget school union teachers city police fire “quote” "
    "Friday Thursday 5.4% 1,500 Dr. U.S. READ MORE: Staff — and of to in on".split()
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
ARTICLE = st.lists(PARAGRAPH, min_size=1, max_size=12)
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _doc(paragraphs: list[str], name: str):
    return parse_document("\n\n".join(paragraphs), name)


def _accounted_once(result) -> None:
    old_seen = sorted(i for c in result.changes for i in c.old)
    new_seen = sorted(j for c in result.changes for j in c.new)
    assert old_seen == list(range(len(result.old.paragraphs)))
    assert new_seen == list(range(len(result.new.paragraphs)))
    assert len(result.old_labels) == len(result.old.paragraphs)
    assert len(result.new_labels) == len(result.new.paragraphs)


@SETTINGS
@given(ARTICLE)
def test_a_text_compared_with_itself_is_unchanged(paragraphs):
    result = compare(_doc(paragraphs, "a"), _doc(paragraphs, "b"))
    assert result.identical
    assert {c.kind for c in result.changes} == {Kind.UNCHANGED}
    assert not any(c.moved for c in result.changes)


@SETTINGS
@given(ARTICLE, ARTICLE)
def test_every_paragraph_is_in_exactly_one_change(old, new):
    _accounted_once(compare(_doc(old, "old"), _doc(new, "new")))


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=2, max_size=12, unique=True), st.randoms(use_true_random=False))
def test_shuffling_paragraphs_gives_only_moves(paragraphs, random):
    shuffled = paragraphs[:]
    random.shuffle(shuffled)
    result = compare(_doc(paragraphs, "old"), _doc(shuffled, "new"))
    assert {c.kind for c in result.changes} == {Kind.UNCHANGED}
    moved = sum(c.moved for c in result.changes)
    # the fewest moves: paragraphs left after the longest run kept in order
    positions = [paragraphs.index(p) for p in shuffled]
    assert moved == len(positions) - _longest_increasing(positions)


def _longest_increasing(values: list[int]) -> int:
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)
