"""Boilerplate by shape and by rule, on lines from many outlets' conventions."""

from __future__ import annotations

import pytest

from cpsdiff.boilerplate import classify, default_rules

BODY = ["The council met on Tuesday to discuss the budget."] * 8  # reporting around the probe


def _reason(line: str, position: str = "middle") -> str | None:
    paragraphs = list(BODY)
    index = {"top": 0, "middle": 4, "bottom": len(paragraphs)}[position]
    paragraphs.insert(index, line)
    return classify(paragraphs, default_rules())[index]


@pytest.mark.parametrize(
    ("line", "position"),
    [
        ("READ MORE: Mayor Vows To Fight State Budget Cuts", "middle"),
        ("HEADLINES: Storm Knocks Out Power To 40,000 Homes", "middle"),  # unknown label, by shape
        ("Also On WKRN: Titans Sign Veteran Linebacker", "middle"),
        ("Related: Coastal towns face ‘perfect storm’ as second homes soar", "middle"),
        ("More From The Ledger:", "bottom"),
        ("By Jane Doe and John Roe", "top"),
        ("By MARIA LOPEZ Associated Press", "top"),
        ("The Associated Press contributed to this report.", "bottom"),
        ("(Reporting by Anna Novak; Editing by Mark Heinrich)", "bottom"),
        ("Copyright 2024 Nexstar Media Inc. All rights reserved.", "bottom"),
        ("Advertisement", "middle"),
        ("Sign up for our Breaking News newsletter", "middle"),
        ("Photograph: Ellen Rowe/Coastline Pictures", "middle"),
        ("Follow Jane Doe on Twitter", "bottom"),
        ("Updated 3:45 PM CT, Fri Jan 29, 2021", "top"),
        ("KXYZ Digital Staff", "bottom"),
    ],
)
def test_boilerplate(line, position):
    assert _reason(line, position) is not None


@pytest.mark.parametrize(
    ("line", "position"),
    [
        ("Bottom line: the city lost $2 million.", "middle"),
        ("The vote was 5-2.", "bottom"),
        ("“We’re not going anywhere,” she said.", "bottom"),
        ("Mayor Lightfoot framed it as “time’s up.” Union President Jesse Sharkey wrote on Friday:", "middle"),
        ("UPDATE: The mayor said Friday that talks would resume Monday.", "middle"),
        ("By the end of the day, no deal had been reached.", "top"),
        ("Lightfoot Backs Down", "top"),  # a headline at the top is not a signature
        ("Chicago Public Schools", "middle"),  # short capitalised line inside the story
        ("Mayor Ann Lee said:", "middle"),  # a quote's short lead-in
        ("What We Know:", "middle"),  # a subhead
    ],
)
def test_reporting(line, position):
    assert _reason(line, position) is None


def test_every_label_has_a_reason_naming_its_source():
    reason = _reason("READ MORE: Mayor Vows To Fight State Budget Cuts")
    assert "READ MORE:" in reason
    assert "rule byline" in _reason("By Jane Doe", "top")
