"""Text as it comes from real pages: the key facts of four fixture pairs, judged by hand.

hardwrap_newsletter: hard-wrapped at 70 and 78 columns; mojibake_council: double-encoded UTF-8;
table_cells_gov: a table flattened to one cell per paragraph; cutpaste_answer: passages pasted
out of order across paragraphs. Paragraphs are found by their text, not by index, so one
paragraph read wrongly does not hide what was read right. What cpsdiff gets wrong today is a
strict xfail naming the input, what is expected and what it gives.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cpsdiff.diff.comparison import compare
from cpsdiff.inputs.loading import read_source
from cpsdiff.model import Comparison, Kind, Role
from cpsdiff.text.normalize import collapse_whitespace
from cpsdiff.text.segment import parse_document

from .conftest import FIXTURES, invoke


def _compare(name: str) -> Comparison:
    docs = []
    for side in ("old", "new"):
        source = read_source(str(FIXTURES / name / f"{side}.txt"), lambda: b"")
        docs.append(parse_document(source.text, source.name))
    return compare(*docs)


def _json(runner, name: str) -> dict:
    folder = FIXTURES / name
    result = invoke(runner, "compare", str(folder / "old.txt"), str(folder / "new.txt"), "--json")
    assert (result.exit_code, result.stderr) == (1, "")
    return json.loads(result.stdout)


def _find(paragraphs, prefix: str) -> int | None:
    """Index of the one paragraph that starts with ``prefix`` (None if there is none)."""
    found = [p.index for p in paragraphs if collapse_whitespace(p.text).startswith(prefix)]
    assert len(found) <= 1, prefix
    return found[0] if found else None


def _fate(result: Comparison, new_index: int):
    return next(c for c in result.changes if new_index in c.new)


# -- hardwrap_newsletter -----------------------------------------------------------------------

NEWSLETTER = "hardwrap_newsletter"
REWRAPPED = [
    "Crews will begin", "Most of the increase", "Federal rules now", "The customer service office",
    "If you received",
]


@pytest.fixture(scope="module")
def newsletter() -> Comparison:
    return _compare(NEWSLETTER)


@pytest.mark.parametrize("prefix", REWRAPPED)
def test_a_rewrapped_paragraph_is_unchanged(newsletter, prefix):
    j = _find(newsletter.new.paragraphs, prefix)
    i = _find(newsletter.old.paragraphs, prefix)
    change = _fate(newsletter, j)
    old, new = newsletter.old.paragraphs[i].text, newsletter.new.paragraphs[j].text
    assert old != new and old.split() == new.split()  # wrapped differently, same words
    assert (change.kind, change.old, change.moved) == (Kind.UNCHANGED, (i,), False)


def test_the_rate_hearing_edit_is_found(newsletter):
    j = _find(newsletter.new.paragraphs, "The Board of Directors")
    change = _fate(newsletter, j)
    assert change.kind is Kind.EDITED
    assert change.old == (_find(newsletter.old.paragraphs, "The Board of Directors"),)
    deleted = " ".join(text for op, text in change.diff if op == "-")
    inserted = " ".join(text for op, text in change.diff if op == "+")
    assert "Tuesday" in deleted and "Foundry Street" in deleted
    assert "Thursday" in inserted and "Public Library" in inserted
    # the re-wrapped rest of the paragraph is no part of the edit
    assert "proposal" not in deleted + inserted and "base charge" not in deleted + inserted


def test_the_grant_paragraph_is_new(newsletter):
    change = _fate(newsletter, _find(newsletter.new.paragraphs, "Homeowners who find a lead line"))
    assert change.kind is Kind.ADDED


# Paragraph ends on a full line. cpsdiff re-flows wrapped text by line shape: a line ends its
# paragraph when the next word would have fitted on it. Three paragraphs here end on a line
# that is full anyway, with no blank line after: one version alone reads the two paragraphs as
# one, and compare cuts them where the other version shows the paragraph end.

def test_the_postcard_results_paragraph_is_removed(newsletter):
    i = _find(newsletter.old.paragraphs, "Last year, 412 customers")
    assert i is not None
    assert next(c for c in newsletter.changes if i in c.old).kind is Kind.REMOVED


def test_the_flushing_paragraphs_stay_apart_in_new(newsletter):
    for prefix in ("Customers may notice", "Signs will be posted"):
        j = _find(newsletter.new.paragraphs, prefix)
        assert j is not None
        assert _fate(newsletter, j).kind is Kind.UNCHANGED


def test_the_footer_paragraphs_stay_apart_in_old(newsletter):
    for prefix in ("Questions? Call", "You are receiving"):
        i = _find(newsletter.old.paragraphs, prefix)
        assert i is not None
        assert next(c for c in newsletter.changes if i in c.old).kind is Kind.UNCHANGED


# -- mojibake_council --------------------------------------------------------------------------

COUNCIL = "mojibake_council"
EDITED_MEETING = 20  # "Tuesday, March 25 — ...": the one real edit
NAV = 1  # "Home | ... | EspaÃ±ol | Tiáº¿ng Viá»‡t"


@pytest.fixture(scope="module")
def council() -> Comparison:
    return _compare(COUNCIL)


def test_damaged_paragraphs_are_unchanged_once_repaired(council):
    assert len(council.old.paragraphs) == len(council.new.paragraphs) == 23
    for j, paragraph in enumerate(council.new.paragraphs):
        if j == EDITED_MEETING:
            continue
        change = _fate(council, j)
        assert (change.kind, change.old, change.moved) == (Kind.UNCHANGED, (j,), False), j
        # the ASCII paragraphs came through undamaged; all others are damaged and repaired
        assert change.repaired is (paragraph.text != council.old.paragraphs[j].text), j
    assert sum(c.repaired for c in council.changes) == 18  # the language menu too


@pytest.mark.parametrize("damage", ["donât", "cityâs", "RoomÂ 2A", "OrtÃ\u00adz", "PÃ\u00addalo", "â€\x9d"])
def test_lossy_and_odd_damage_is_repaired(council, damage):
    damaged = [p.index for p in council.new.paragraphs if damage in p.text]
    assert damaged
    for j in damaged:
        change = _fate(council, j)
        assert (change.kind, change.repaired) == (Kind.UNCHANGED, True)


def test_the_real_edit_is_edited_not_repaired(council):
    change = _fate(council, EDITED_MEETING)
    assert (change.kind, change.old, change.repaired) == (Kind.EDITED, (EDITED_MEETING,), False)
    inserted = " ".join(text for op, text in change.diff if op == "+")
    assert "moved to Tuesday, April 8" in inserted


def test_double_encoded_names_are_not_copyright_notices(council):
    # "é" double-encoded is "Ã©": the copyright rule took "JosÃ©" for a notice
    chrome = [j for j, label in enumerate(council.new_labels) if label.role is Role.BOILERPLATE]
    assert chrome == [len(council.new.paragraphs) - 1]  # "Â© 2025 City of Puerto Alegre ..."


def test_json_marks_each_repaired_paragraph(runner):
    data = _json(runner, COUNCIL)
    repaired = {c["new"][0] for c in data["changes"] if c["repaired"]}
    ascii_only = {p["index"] for p in data["new"]["paragraphs"] if p["text"].isascii()}
    assert repaired == set(range(23)) - ascii_only - {EDITED_MEETING}
    assert data["summary"]["edited"] == 1


def test_vietnamese_link_text_is_repaired(council):
    # Tiếng Việt double-encoded is Tiáº¿ng Viá»‡t: 3-byte letters whose lead byte shows as á
    change = _fate(council, NAV)
    assert (change.kind, change.old, change.repaired) == (Kind.UNCHANGED, (NAV,), True)


# -- table_cells_gov ---------------------------------------------------------------------------

TABLE = "table_cells_gov"
ROW = 7  # cells per row: office, address, town, phone, days, hours, status
EAST_HARLOW_OLD = range(43, 50)
EAST_HARLOW_NEW = range(64, 71)
KINGSPORT_HOURS = 76


@pytest.fixture(scope="module")
def table() -> Comparison:
    return _compare(TABLE)


def _runs(indices: list[int]) -> int:
    """How many runs of consecutive numbers ``indices`` (sorted) make."""
    return sum(1 for k, n in enumerate(indices) if k == 0 or n != indices[k - 1] + 1)


def test_one_block_of_one_row_moves(table):
    moved = [c for c in table.changes if c.moved]
    assert all(c.kind is Kind.UNCHANGED for c in moved)
    new = sorted(j for c in moved for j in c.new)
    old = sorted(i for c in moved for i in c.old)
    assert len(moved) == ROW and table.summary.moved == ROW
    assert _runs(new) == 1 and _runs(old) == 1  # one block, not duplicates paired crosswise


def test_everything_else_stays_and_only_the_hours_cell_changes(table):
    others = [c for c in table.changes if not c.moved]
    assert [(c.kind, c.old, c.new) for c in others if c.kind is not Kind.UNCHANGED] == [
        (Kind.EDITED, (KINGSPORT_HOURS,), (KINGSPORT_HOURS,))
    ]
    edit = _fate(table, KINGSPORT_HOURS)
    assert [piece for piece in edit.diff if piece[0] != "="] == [("-", "4"), ("+", "3")]
    for change in others:
        (i,), (j,) = change.old, change.new
        assert table.old.paragraphs[i].text == table.new.paragraphs[j].text or j == KINGSPORT_HOURS


def test_the_moved_block_is_the_east_harlow_row(table):
    # its repeated trailing cells (Mon–Fri, hours, Open) go with its own unique cells, not with
    # the copies in the rows beside it
    moved = [c for c in table.changes if c.moved]
    assert sorted(j for c in moved for j in c.new) == list(EAST_HARLOW_NEW)
    assert sorted(i for c in moved for i in c.old) == list(EAST_HARLOW_OLD)


# -- cutpaste_answer ---------------------------------------------------------------------------

ANSWER = "cutpaste_answer"
# Judged by hand: each maximal stretch of the answer that is copied from the source, in answer
# order, as (answer paragraph, source paragraph, text). A passage that runs across a paragraph
# break of either text is one entry per paragraph. Everything else is the student's own.
PASTED = [
    (1, 1, "An urban heat island is a built-up area that is markedly warmer than the countryside around it."),
    (1, 3, "Tall buildings add to the effect by blocking the wind and trapping reflected sunlight between "
           "their walls, a shape that planners describe as an urban canyon."),
    # runs on across the source's paragraph break, and two words into its next sentence
    (1, 4, "Heat from human activity makes the problem worse. Air conditioners"),
    (2, 2, "These surfaces absorb a large share of the sunlight that reaches them and store the heat "
           "during the day."),
    # the same source sentence pair, cut across two answer paragraphs
    (3, 2, "After dark they release it slowly into the air near the ground, which keeps the temperature "
           "of the street high long after the sun has gone down."),
    (3, 6, "Several measures can reduce the effect."),
    (3, 6, "Cool roofs, coated with reflective paint or light-colored membranes, can lower the surface "
           "temperature of a roof by more than 20 degrees on a sunny afternoon."),
    (4, 5, "studies of past heat waves have found that deaths rise fastest in the hottest neighborhoods "
           "of a city, which are often the poorest and have the fewest trees. Warmer cities also use "
           "more electricity for cooling, which raises both energy bills and the emissions from power "
           "stations."),
]
# By hand: the answer's paragraphs have 43 + 538 + 158 + 380 + 313 = 1,432 characters, of which
# the pasted passages cover 95 + 157 + 66 + 104 + 144 + 39 + 158 + 280 = 1,043: 0.7284. No
# paragraph is boilerplate. The question shares "warmer than the countryside" (4 words) with the
# source and the student's "the difference is" 3: too short to count as reuse.
REUSED_SHARE = 0.7284


@pytest.fixture(scope="module")
def answer() -> dict:
    return _json(CliRunner(), ANSWER)


def test_the_hand_counts_add_up():
    texts = (FIXTURES / ANSWER / "new.txt").read_text("utf-8").strip().split("\n\n")
    assert [len(t) for t in texts] == [43, 538, 158, 380, 313]
    assert [len(text) for _, _, text in PASTED] == [95, 157, 66, 104, 144, 39, 158, 280]
    assert round(1043 / 1432, 4) == REUSED_SHARE


def test_spans_cover_exactly_the_pasted_passages(answer):
    new, old = answer["new"]["paragraphs"], answer["old"]["paragraphs"]
    found = []
    for paragraph in new:
        for span in paragraph["spans"]:
            shown = paragraph["text"][span["new_start"] : span["new_end"]]
            source = old[span["old"]]["text"][span["old_start"] : span["old_end"]]
            assert collapse_whitespace(source) == collapse_whitespace(shown)
            found.append((paragraph["index"], span["old"], collapse_whitespace(shown)))
    assert found == PASTED


def test_reused_share_is_the_pasted_share(answer):
    assert answer["summary"]["reused_share"] == REUSED_SHARE
    for paragraph in answer["new"]["paragraphs"]:
        pasted = sum(len(text) for j, _, text in PASTED if j == paragraph["index"])
        assert paragraph["reused"] == round(pasted / len(paragraph["text"]), 4)
