"""One verdict in every view: `compare OLD NEW` and `blame NEW --against OLD` give every paragraph
of NEW the same verdict (new, edited, carried), on the seeds and on every fixture pair."""

from __future__ import annotations

import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.diff.comparison import changes_within, compare
from cpsdiff.inputs.corpus import Version
from cpsdiff.inputs.loading import read_source
from cpsdiff.lineage.blame import blame
from cpsdiff.lineage.chronology import OrderMode
from cpsdiff.lineage.trace import lineage
from cpsdiff.model import Kind, Role
from cpsdiff.text.segment import parse_document

from .conftest import FRIDAY, PAIR_FOLDERS, THURSDAY, TV_STORY

PAIRS = [(THURSDAY, FRIDAY), (FRIDAY, TV_STORY), (THURSDAY, TV_STORY)] + [
    (folder / "old.txt", folder / "new.txt") for folder in PAIR_FOLDERS
]


def _verdict_of_change(kind: Kind) -> str:
    return {Kind.ADDED: "new", Kind.UNCHANGED: "carried"}.get(kind, "edited")


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_compare_and_blame_agree_on_every_paragraph(old_path, new_path):
    rules = default_rules()
    sources = [read_source(str(path), lambda: b"") for path in (old_path, new_path)]
    docs = [parse_document(s.text, s.name) for s in sources]
    compared = compare(*docs, rules)

    versions = [Version(id=s.name, text=s.text) for s in sources]
    blamed = blame(lineage(versions, OrderMode.GIVEN, rules), 1, rules)
    assert len(blamed.paragraphs) == len(docs[1].paragraphs)
    for paragraph in blamed.paragraphs:
        # compare may cut a wrapped paragraph where OLD shows a paragraph end: its pieces' verdicts
        parsed = docs[1].paragraphs[paragraph.index]
        pieces = [p for p in compared.new.paragraphs if parsed.start <= p.start < parsed.start + len(parsed.text)]
        verdicts = {
            _verdict_of_change(changes_within(compared, p.start, p.start + 1)[0].kind)
            if compared.new_labels[p.index].role is Role.BOILERPLATE else compared.new_labels[p.index].role.value
            for p in pieces
        }
        expected = verdicts.pop() if len(verdicts) == 1 else "edited"
        got = "carried" if paragraph.status == "reused" else paragraph.status  # another story's text
        assert got == expected, (paragraph.index, paragraph.text[:60])
    # blame exits 0 exactly when compare finds nothing new or edited in NEW
    assert blamed.unchanged == all(c.kind is Kind.UNCHANGED for c in compared.changes if c.new)


def test_the_changes_within_a_range_of_new_text_exclude_paragraphs_that_only_touch_its_ends():
    """[start, end) as Python slices it: a range from the end of one paragraph to the start of the
    one after next holds the paragraph between, and only that one."""
    old = parse_document(
        "CHICAGO (AP) — Teachers stayed home on Friday as talks with the city went on.\n\n"
        "The union said its members would not return until the schools were safe.", "old")
    new = parse_document(
        "CHICAGO (AP) — Teachers stayed home on Friday as talks with the city went on.\n\n"
        "The union said its members would not return until the schools were safe for students and staff.\n\n"
        "Mayor Brandon Johnson said on Friday that the city would close three schools.", "new")
    compared = compare(old, new, default_rules())
    first, second, third = compared.new.paragraphs
    change = {p.index: next(c for c in compared.changes if p.index in c.new) for p in (first, second, third)}
    assert [change[p.index].kind for p in (first, second, third)] == [Kind.UNCHANGED, Kind.EDITED, Kind.ADDED]
    assert changes_within(compared, first.start + len(first.text), third.start) == [change[second.index]]
    assert changes_within(compared, 0, second.start) == [change[first.index]]
    assert changes_within(compared, second.start, len(new.text)) == [change[second.index], change[third.index]]


def _changes_by_scanning(result, start: int, end: int) -> list:
    """changes_within as first written: every NEW paragraph and every change, at every call."""
    found = []
    for paragraph in result.new.paragraphs:
        if paragraph.start < end and paragraph.start + len(paragraph.text) > start:
            change = next(c for c in result.changes if paragraph.index in c.new)
            if change not in found:
                found.append(change)
    return found


@pytest.mark.parametrize("folder", ["hardwrap_newsletter", "wire_ap", "rewrite_topdown"])
def test_changes_by_place_answer_every_range_as_a_scan_of_all_changes_does(folder):
    from cpsdiff.diff.comparison import ChangesByPlace

    from .conftest import FIXTURES

    old, new = (parse_document((FIXTURES / folder / name).read_text("utf-8")) for name in ("old.txt", "new.txt"))
    result = compare(old, new)
    by_place = ChangesByPlace(result)
    edges = sorted({0, len(result.new.text)} | {p.start + d for p in result.new.paragraphs for d in (-1, 0, 1, len(p.text))})
    for start in edges:
        for end in edges:
            assert by_place.within(start, end) == _changes_by_scanning(result, start, end)
