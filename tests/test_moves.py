"""Which links keep their order: the fewest, lightest moves explain the new order."""

from __future__ import annotations

from cpsdiff.diff.comparison import compare
from cpsdiff.diff.moves import in_order
from cpsdiff.text.segment import parse_document

EDITED = (0, 1, 100)  # (unchanged?, links, characters): an edited paragraph of 100 characters
SHORT = (0, 1, 60)


def test_nothing_to_order_keeps_nothing():
    assert in_order([], []) == set()


def test_links_in_the_same_order_all_keep_it():
    assert in_order([(0, 0, 0), (1, 1, 1), (2, 2, 2)], [EDITED, SHORT, SHORT]) == {0, 1, 2}


def test_the_heavier_chain_stays_and_the_rest_moved():
    # NEW order: 1, 2, 0 -- moving link 0 (100 characters) or links 1 and 2 (110): 1 and 2 stay
    assert in_order([(0, 0, 2), (1, 1, 0), (2, 2, 1)], [EDITED, SHORT, (0, 1, 50)]) == {1, 2}
    # two links outweigh one, whatever their length
    assert in_order([(0, 0, 2), (1, 1, 0), (2, 2, 1)], [(0, 1, 500), SHORT, (0, 1, 50)]) == {1, 2}


def test_unchanged_text_keeps_its_order_before_edited_text_does():
    assert in_order([(0, 0, 1), (1, 1, 0)], [(1, 1, 10), (0, 1, 500)]) == {0}


def test_a_split_or_merge_counts_once_however_many_paragraphs_it_has():
    split = [(0, 0, 2), (1, 1, 0), (1, 1, 1)]  # link 1: OLD 1 became NEW 0 and 1
    assert in_order(split, [EDITED, SHORT]) == {0}
    merge = [(0, 0, 1), (1, 1, 0), (1, 2, 0)]  # link 1: OLD 1 and 2 became NEW 0
    assert in_order(merge, [EDITED, SHORT]) == {0}


def test_compare_moves_the_shorter_of_two_crossing_changes():
    board = ("The school board met on Tuesday evening to discuss the budget for the coming year and the many "
             "problems it faces, from buses to buildings.")
    nurses = "Teachers said the district has not hired enough nurses."
    phone = "A spokesperson declined to comment on the talks."
    result = compare(parse_document(f"{board}\n\n{nurses} {phone}", "old"),
                     parse_document(f"{nurses}\n\n{phone}\n\n{board.replace('Tuesday', 'Monday')}", "new"))
    assert [(c.kind.value, c.moved) for c in result.changes] == [("split", True), ("edited", False)]
