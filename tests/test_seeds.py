"""What cpsdiff must show on the three CBS Chicago seeds (Thursday → Friday)."""

from __future__ import annotations

import pytest

from cpsdiff.diff.comparison import compare
from cpsdiff.model import Kind, Role
from cpsdiff.text.segment import parse_document

from .conftest import FRIDAY, THURSDAY


@pytest.fixture(scope="module")
def result():
    old = parse_document(THURSDAY.read_text("utf-8"), THURSDAY.name)
    new = parse_document(FRIDAY.read_text("utf-8"), FRIDAY.name)
    return compare(old, new)


def _find(doc, start: str) -> int:
    hits = [p.index for p in doc.paragraphs if p.text.startswith(start)]
    assert len(hits) == 1, start
    return hits[0]


def _change_of_new(result, index):
    return next(c for c in result.changes if index in c.new)


def test_health_commissioner_block_is_carried_not_moved(result):
    start = _find(result.new, "However, Chicago Public Health Commissioner")
    end = _find(result.new, "“We have offered a very specific plan")
    for j in range(start, end + 1):
        change = _change_of_new(result, j)
        assert change.kind is Kind.UNCHANGED and not change.moved, j
        assert result.new_labels[j].role is Role.CARRIED


def test_chris_tye_paragraph_is_edited_and_moved_with_the_grades(result):
    tye = _find(result.new, "As CBS 2’s Chris Tye reported")
    change = _change_of_new(result, tye)
    assert change.kind is Kind.EDITED and change.moved
    assert change.old == (_find(result.old, "As CBS 2’s Chris Tye reported"),)
    for j in (tye + 1, tye + 2):  # the two grades paragraphs
        follow = _change_of_new(result, j)
        assert follow.kind is Kind.UNCHANGED and follow.moved


def test_we_need_to_get_this_deal_done_is_merged_from_two_thursday_paragraphs(result):
    merged = _change_of_new(result, _find(result.new, "“We need to get this deal done"))
    assert merged.kind is Kind.MERGED
    assert merged.old == (
        _find(result.old, "“We need to get this deal done"),
        _find(result.old, "“There’s no reason why we shouldn’t"),
    )


def test_union_statement_edit_shows_the_word_swap(result):
    change = _change_of_new(result, _find(result.new, "“Prior to educators voting"))
    assert change.kind is Kind.EDITED
    assert change.old == (_find(result.old, "“Our union begged"),)
    assert ("-", "always has") in change.diff and ("+", "has always") in change.diff
    assert ("-", "up on") in change.diff and ("+", "upon") in change.diff


@pytest.mark.parametrize("doc_name", ["old", "new"])
def test_teasers_also_from_and_byline_are_boilerplate(result, doc_name):
    doc = getattr(result, doc_name)
    labels = getattr(result, f"{doc_name}_labels")
    chrome = [
        p.index
        for p in doc.paragraphs
        if p.text.startswith(("READ MORE:", "MORE NEWS:", "Also From"))
        or p.text in ("CBS 2 Chicago Staff",)
        or p.text.endswith("contributed to this report.")
    ]
    assert len(chrome) >= 5
    for i in range(len(doc.paragraphs)):
        is_chrome = labels[i].role is Role.BOILERPLATE
        assert is_chrome == (i in chrome), (i, doc.paragraphs[i].text[:50], labels[i])


def test_every_paragraph_is_accounted_for_once(result):
    old_seen = [i for c in result.changes for i in c.old]
    new_seen = [j for c in result.changes for j in c.new]
    assert sorted(old_seen) == list(range(len(result.old.paragraphs)))
    assert sorted(new_seen) == list(range(len(result.new.paragraphs)))
