"""Known operations, known outcomes: NEW is made from OLD by edits, insertions, deletions, merges,
splits, moves and boilerplate churn (tests/articles.py), and compare() must report what was done.

Hypothesis runs derandomised and without its example database, so every run (CI included) tries
the same examples; to search further, raise ``max_examples`` or drop ``derandomize`` locally.
Properties that fail on known defects left for the alignment rewrite (issue 10) are strict xfails
next to their smallest example, so they turn red once fixed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from cpsdiff.diff.boilerplate import classify, default_rules
from cpsdiff.diff.comparison import compare
from cpsdiff.lineage.families import near_duplicate
from cpsdiff.model import Comparison, Kind, Role
from cpsdiff.text.normalize import collapse_whitespace, normalized_words
from cpsdiff.text.segment import parse_document
from tests.articles import (
    CONTENT,
    Expected,
    Plan,
    articles,
    links_of,
    move_plans,
    plans,
    repeated_plans,
    sentences,
)

SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _compare(plan: Plan) -> Comparison:
    return compare(plan.old.document("old"), plan.new.document("new"))


def _found(result: Comparison) -> set[Expected]:
    return {Expected(c.kind, c.old, c.new) for c in result.changes}


def _of_kind(changes: set[Expected], kind: Kind) -> set[Expected]:
    return {c for c in changes if c.kind is kind}


def _accounted_once(result: Comparison) -> None:
    assert sorted(i for c in result.changes for i in c.old) == list(range(len(result.old.paragraphs)))
    assert sorted(j for c in result.changes for j in c.new) == list(range(len(result.new.paragraphs)))


def _recoverable(result: Comparison, change) -> None:
    before = "".join(text for op, text in change.diff if op != "+")
    after = "".join(text for op, text in change.diff if op != "-")
    assert before == "\n\n".join(result.old.paragraphs[i].text for i in change.old)
    assert after == "\n\n".join(result.new.paragraphs[j].text for j in change.new)


# --- the generator writes what it means ----------------------------------------------------------

@SETTINGS
@given(plans())
def test_generated_text_parses_and_classifies_as_written(plan):
    """Paragraphs, sentences and roles are what the generator made: the known outcomes below
    rest on that (and it checks the segmenter and classifier on wire-copy shapes)."""
    for article in (plan.old, plan.new):
        doc = article.document()
        assert [p.text for p in doc.paragraphs] == article.paragraph_texts()
        for parsed, made in zip(doc.paragraphs, article.paragraphs):
            if made.chrome is None:
                assert [collapse_whitespace(s.text) for s in parsed.sentences] == [" ".join(s) for s in made.sentences]
        reasons = classify([p.text for p in doc.paragraphs], default_rules())
        assert [r is not None for r in reasons] == [p.chrome is not None for p in article.paragraphs], reasons


# --- nothing changed -------------------------------------------------------------------------

@SETTINGS
@given(articles(), st.integers(40, 100))
def test_hard_wrapping_changes_nothing(article, width):
    """The same article hard-wrapped: the same paragraphs, and no change. (With fewer than three
    wrapped lines in the whole text, wrapping cannot be told from one paragraph per line by the
    lengths of the lines: see the example below.)"""
    wrapped = replace(article, wrap=width)
    doc = wrapped.document("wrapped")
    blocks = [block.split("\n") for block in doc.text.replace("\r\n", "\n").split("\n\n")]
    assume(sum(len(lines) - 1 for lines in blocks) >= 3)
    assert [collapse_whitespace(p.text) for p in doc.paragraphs] == [p.text for p in article.paragraphs]
    result = compare(article.document("old"), doc)
    assert result.identical


@pytest.mark.xfail(strict=True, reason="ambiguous by design: two lines that each end a sentence, with too few "
                   "lines to tell wrapping from one-paragraph-per-line copy by their lengths, are read as two "
                   "paragraphs (wire copy with a stray blank line is more common than prose wrapped at sentence ends)")
def test_hard_wrapping_changes_nothing_example():
    """A two-line paragraph wrapped where its first sentence ends, among paragraphs separated
    by blank lines."""
    text = "The council approved the budget on Friday.\nPolice said the bridge would reopen.\n\nThe levy rose."
    assert [collapse_whitespace(p.text) for p in parse_document(text).paragraphs] == [
        "The council approved the budget on Friday. Police said the bridge would reopen.", "The levy rose."]


@SETTINGS
@given(articles())
def test_a_text_compared_with_itself_is_unchanged(article):
    """Also across line endings: the same article with CRLF on one side and LF on the other."""
    other = replace(article, crlf=not article.crlf)
    assert other.document("old") == article.document("old")  # line endings are gone on reading
    for new in (article, other):
        result = compare(article.document("old"), new.document("new"))
        assert result.identical
        assert _found(result) == {Expected(Kind.UNCHANGED, (i,), (i,)) for i in range(len(article.paragraphs))}


# --- each operation is found -----------------------------------------------------------------

@SETTINGS
@given(plans(operations=("edit", "edit", "insert", "delete")))
def test_each_edited_paragraph_is_an_edit_of_its_origin(plan):
    assume("edit" in plan.operations)
    found = _found(_compare(plan))
    assert _of_kind(found, Kind.EDITED) == plan.of_kind(Kind.EDITED)
    assert found == plan.expected()


@SETTINGS
@given(plans(operations=("edit", "edit", "insert", "delete")))
def test_edits_keep_the_texts_recoverable_from_the_diff(plan):
    """Each known edit is found as one (a word diff that nobody made proves nothing), and its
    diff gives back both texts; so does every other change that carries a diff."""
    assume("edit" in plan.operations)
    result = _compare(plan)
    by_new = {c.new: c for c in result.changes}
    for edit in plan.of_kind(Kind.EDITED):
        change = by_new.get(edit.new)
        assert change is not None and (change.kind, change.old) == (Kind.EDITED, edit.old)
        assert change.diff is not None and change.similarity >= 0.5
        _recoverable(result, change)
    for change in result.changes:
        if change.diff is not None:
            _recoverable(result, change)


@SETTINGS
@given(plans(operations=("insert", "delete", "edit")))
def test_inserted_paragraphs_are_added_and_deleted_ones_removed(plan):
    found = _found(_compare(plan))
    assert _of_kind(found, Kind.ADDED) == plan.of_kind(Kind.ADDED)
    assert _of_kind(found, Kind.REMOVED) == plan.of_kind(Kind.REMOVED)


@SETTINGS
@given(plans(operations=("merge", "split", "merge", "split", "edit", "insert", "delete")))
def test_merges_and_splits_are_found_with_their_parts(plan):
    assume({"merge", "split"} & set(plan.operations))
    result = _compare(plan)
    found = _found(result)
    assert _of_kind(found, Kind.MERGED) == plan.of_kind(Kind.MERGED)
    assert _of_kind(found, Kind.SPLIT) == plan.of_kind(Kind.SPLIT)
    assert not any(c.moved for c in result.changes)


@pytest.mark.xfail(strict=True, reason="alignment rewrite (issue 10): a part of short sentences only (under "
                   "five words, cpsdiff.diff.align.MIN_SENTENCE_WORDS) is not found in a merge or split (example below)")
@settings(SETTINGS, phases=[Phase.explicit, Phase.generate])  # a known failure: no time shrinking it
@given(plans(operations=("merge short", "split short", "edit", "insert", "delete")))
def test_short_parts_of_merges_and_splits_are_found(plan):
    assume({"merge short", "split short"} & set(plan.operations))
    found = _found(_compare(plan))
    assert _of_kind(found, Kind.MERGED) == plan.of_kind(Kind.MERGED)
    assert _of_kind(found, Kind.SPLIT) == plan.of_kind(Kind.SPLIT)


@pytest.mark.xfail(strict=True, reason="alignment rewrite (issue 10): a short part of a split reported as added")
def test_short_parts_of_merges_and_splits_are_found_example():
    """The smallest case the property above finds: a short sentence split off its paragraph."""
    old = "Fire crews were called to the warehouse on Main Street after midnight. No one was hurt."
    new = "Fire crews were called to the warehouse on Main Street after midnight.\n\nNo one was hurt."
    result = compare(parse_document(old), parse_document(new))
    assert [(c.kind, c.old, c.new) for c in result.changes] == [(Kind.SPLIT, (0,), (0, 1))]


@SETTINGS
@given(plans(operations=("restate", "churn", "restate", "churn", "edit", "insert", "delete")))
def test_boilerplate_is_never_linked_to_reporting(plan):
    """A teaser restating a deleted paragraph is new chrome, not an edit of the paragraph."""
    assume({"restate", "churn"} & set(plan.operations))
    result = _compare(plan)
    for change in result.changes:
        if change.old and change.new:
            sides = {result.old_labels[i].role is Role.BOILERPLATE for i in change.old}
            sides |= {result.new_labels[j].role is Role.BOILERPLATE for j in change.new}
            assert len(sides) == 1, change
    assert _found(result) == plan.expected()


@SETTINGS
@given(plans())
def test_known_operations_give_the_known_outcome(plan):
    """Any mix of operations, in order: every change as made, each paragraph once, none moved."""
    result = _compare(plan)
    _accounted_once(result)
    assert _found(result) == plan.expected()
    assert not any(c.moved for c in result.changes)


@settings(SETTINGS, max_examples=300)
@given(move_plans())
def test_a_moved_block_is_the_fewest_moves(plan):
    """Moving a block past others is the same as moving the others past it: the side reported
    moved is the one whose moving explains the new order at the least cost (unchanged paragraphs
    first, then changes, then characters, as cpsdiff.diff.moves documents); nothing else moves."""
    result = _compare(plan)
    assert _found(result) == plan.expected()
    moved = {c.new for c in result.changes if c.moved}
    doc = plan.new.document()

    def cost(side: list[Expected]) -> tuple[int, int, int]:
        unchanged = sum(e.kind is Kind.UNCHANGED for e in side)
        return unchanged, len(side), sum(len(doc.paragraphs[j].text) for e in side for j in e.new)

    block, jumped = links_of(plan, plan.moved_block), links_of(plan, plan.jumped)
    if not block or not jumped:
        assert moved == set()
        return
    sides = sorted([block, jumped], key=cost)
    expected = {e.new for e in sides[0]}
    if cost(block) == cost(jumped):
        assert moved in (expected, {e.new for e in sides[1]})
    else:
        assert moved == expected


@SETTINGS
@given(repeated_plans(reword=False))
def test_repeated_paragraphs_are_paired_in_order(plan):
    """Copies of one text (a marker, a repeated paragraph) pair first with first, second with
    second: nothing moves."""
    result = _compare(plan)
    _accounted_once(result)
    assert _found(result) == plan.expected()
    assert not any(c.moved for c in result.changes)


def test_repeated_markers_are_paired_in_order_example():
    """The smallest case the property above finds: two paragraphs go, the markers stay."""
    result = compare(parse_document("One.\n\nTwo.\n\nAdvertisement\n\nAdvertisement"),
                     parse_document("Advertisement\n\nAdvertisement"))
    assert [(c.kind, c.old, c.new, c.moved) for c in result.changes if c.new] == [
        (Kind.UNCHANGED, (2,), (0,), False), (Kind.UNCHANGED, (3,), (1,), False)]


@SETTINGS
@given(repeated_plans(reword=True))
def test_tied_near_duplicates_are_paired_by_position(plan):
    """Copies of a paragraph, each reworded the same way, tie as near duplicates: the first
    copy's edit is the first rewording, the second's the second; nothing moves."""
    result = _compare(plan)
    assert _found(result) == plan.expected()
    assert not any(c.moved for c in result.changes)


# --- symmetry --------------------------------------------------------------------------------

_MIRROR = {Kind.MERGED: Kind.SPLIT, Kind.SPLIT: Kind.MERGED, Kind.ADDED: Kind.REMOVED, Kind.REMOVED: Kind.ADDED}


@SETTINGS
@given(plans())
def test_alignment_mirrors_when_the_versions_swap(plan):
    """NEW → OLD links the same paragraphs as OLD → NEW: an edit i→j is an edit j→i, a merge is
    a split, an addition a removal."""
    old, new = plan.old.document("old"), plan.new.document("new")
    forward, backward = _found(compare(old, new)), _found(compare(new, old))
    assert backward == {Expected(_MIRROR.get(c.kind, c.kind), c.new, c.old) for c in forward}


@st.composite
def reworded(draw) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A sentence's words and a rewording: swaps, substitutions, insertions, deletions, the
    halves exchanged; from one change to many, to cross every threshold of near_duplicate."""
    words = list(normalized_words(" ".join(draw(sentences))))
    original = tuple(words)
    for _ in range(draw(st.integers(1, 8))):
        k = draw(st.integers(0, len(words) - 1))
        action = draw(st.sampled_from(["swap", "substitute", "insert", "delete", "halves"]))
        if action == "swap" and k + 1 < len(words):
            words[k], words[k + 1] = words[k + 1], words[k]
        elif action == "substitute":
            words[k] = draw(st.sampled_from(CONTENT))
        elif action == "insert":
            words.insert(k, draw(st.sampled_from(CONTENT)))
        elif action == "delete" and len(words) > 3:
            del words[k]
        elif action == "halves":
            words = words[k:] + words[:k]
    return original, tuple(words)


@settings(SETTINGS, max_examples=1000)
@given(reworded())
def test_near_duplicate_verification_is_symmetric(pair):
    a, b = pair
    assert near_duplicate(a, b) == near_duplicate(b, a)


@st.composite
def long_sentences(draw) -> tuple[str, ...]:
    """The words of two generated sentences run together, each word once: 18 or more."""
    words = normalized_words(" ".join(draw(sentences) + draw(sentences)))
    words = tuple(dict.fromkeys(words))
    assume(len(words) >= 18)
    return words


@SETTINGS
@given(long_sentences(), st.data())
def test_a_lightly_reworded_sentence_is_a_near_duplicate(words, data):
    """A word replaced; two neighbours swapped (“said Friday” / “Friday said”); the two halves
    exchanged (“Officials said Friday the plan failed” / “The plan failed, officials said
    Friday”), with a word replaced as well. Each keeps the sentence: a near duplicate."""
    def position(low: int = 0, high: int = len(words) - 1) -> int:
        return data.draw(st.integers(low, high))

    def replaced(sequence: tuple[str, ...], k: int) -> tuple[str, ...]:
        substitute = data.draw(st.sampled_from([w for w in CONTENT if w not in words]))
        return (*sequence[:k], substitute, *sequence[k + 1 :])

    short = words[:10]  # in a short sentence a swap breaks most shingles: words decide
    k = position(0, len(short) - 2)
    swapped = (*short[:k], short[k + 1], short[k], *short[k + 2 :])
    cut = position(6, len(words) - 6)
    exchanged = words[cut:] + words[:cut]
    # a word well inside one half: the seam and the ends keep their shingles
    inside = data.draw(st.sampled_from([*range(2, cut - 3), *range(cut + 3, len(words) - 2)]))
    one_replaced = replaced(words, inside)
    exchanged_and_replaced = one_replaced[cut:] + one_replaced[:cut]
    assert near_duplicate(short, swapped), swapped
    for reworded in (replaced(words, position()), exchanged, exchanged_and_replaced):
        assert near_duplicate(words, reworded), reworded


# --- same input, same output -----------------------------------------------------------------

_RUN = """
import json, sys
from cpsdiff.diff.comparison import compare
from cpsdiff.inputs.loading import clean_text
from cpsdiff.render.json_compare import write_json
from cpsdiff.text.segment import parse_document
for old, new in json.load(sys.stdin):
    write_json(compare(parse_document(clean_text(old), "old"), parse_document(clean_text(new), "new")), sys.stdout)
"""


@settings(SETTINGS, max_examples=2)
@given(st.lists(plans(repeats=True), min_size=6, max_size=6), st.lists(move_plans(), min_size=2, max_size=2),
       st.lists(repeated_plans(reword=False), min_size=2, max_size=2),
       st.lists(repeated_plans(reword=True), min_size=2, max_size=2))
def test_the_json_does_not_depend_on_the_hash_seed(mixed, moved, repeated, reworded):
    """Generated pairs, including tied paragraphs, compared in fresh interpreters under three
    PYTHONHASHSEED values: byte-identical JSON."""
    pairs = [*mixed, *moved, *repeated, *reworded]
    given_pairs = json.dumps([[p.old.text(), p.new.text()] for p in pairs])
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _RUN], input=given_pairs, capture_output=True, text=True,
                             env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
