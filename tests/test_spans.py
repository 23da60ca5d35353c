"""The reuse-span engine: every reused passage of NEW, to the character, whatever the layout."""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.diff import pairing
from cpsdiff.diff.comparison import compare
from cpsdiff.diff.pairing import pair_in_order
from cpsdiff.diff.provenance import MOVED_IN, MOVED_IN_WORDS, sources, with_moved_in
from cpsdiff.diff.spans import CANDIDATES, covered, find_spans
from cpsdiff.model import Kind, Role, Span
from cpsdiff.render.labels import reuse_note, shown_diff
from cpsdiff.text.normalize import normalize
from cpsdiff.text.segment import parse_document, split_paragraphs

PASSAGE = (
    "The bridge, built in 1931, carries about 4,200 vehicles a day and has been closed twice "
    "before for repairs to its deck, according to the county engineering office."
)
FILLER_OLD = [
    "Residents packed the library on Monday night to hear the plan for the east side.",
    "Several speakers asked why the work could not wait until the school year ended.",
]
FILLER_NEW = [
    "A second hearing is planned for next month at the recreation center on Elm Street.",
    "Officials did not say how much the detour would cost local businesses over the winter.",
]


def _spans(new: list[str], old: list[str]):
    return find_spans(new, [old])


def _reused_text(new: list[str], spans) -> list[str]:
    return [" ".join(new[s.new][s.new_start : s.new_end].split()) for s in spans]


def test_a_verbatim_passage_is_found_to_the_character():
    old = [FILLER_OLD[0], PASSAGE, FILLER_OLD[1]]
    new = [FILLER_NEW[0], "Critics noted one fact. " + PASSAGE + " Nobody disputed it.", FILLER_NEW[1]]
    spans = _spans(new, old)
    assert _reused_text(new, spans) == [PASSAGE]
    (span,) = spans
    assert (span.old, span.old_start, span.old_end) == (1, 0, len(PASSAGE))
    assert new[1][span.new_start : span.new_end] == PASSAGE


def test_a_passage_wrapped_at_another_width_is_found_across_lines_and_paragraphs():
    old_text = textwrap.fill(" ".join([FILLER_OLD[0], PASSAGE, FILLER_OLD[1]]), 50)
    new_text = textwrap.fill(" ".join([FILLER_NEW[0], PASSAGE, FILLER_NEW[1]]), 72)
    old, new = split_paragraphs(old_text), split_paragraphs(new_text)
    spans = _spans(new, old)
    found = " ".join(_reused_text(new, spans))
    assert normalize(found) == normalize(PASSAGE)


def test_sentences_cut_and_pasted_in_another_order_are_each_found():
    sentences = [
        "The council approved the budget on a 7-2 vote after a four-hour debate.",
        "Police overtime will be cut by twelve percent under the new plan.",
        "Two libraries will reopen on Sundays for the first time since the pandemic.",
        "The mayor called it the most difficult budget of her first term in office.",
    ]
    old = [" ".join(sentences[:2]), " ".join(sentences[2:])]
    new = [sentences[3] + " " + sentences[0], sentences[2], sentences[1]]
    spans = _spans(new, old)
    assert sorted(normalize(t) for t in _reused_text(new, spans)) == sorted(normalize(s) for s in sentences)
    # each sentence is credited to the paragraph it came from
    assert {(s.new, s.old) for s in spans} == {(0, 1), (0, 0), (1, 1), (2, 0)}


def test_one_shared_phrase_is_not_reuse_but_a_passage_is():
    old = ["The mayor said in a statement on Friday that she would not run again next year."]
    phrase = ["Police said in a statement that the road would reopen by noon on Saturday."]
    assert _spans(phrase, old) == []  # "said in a statement": four words prove nothing
    longer = ["Asked again, she said she would not run again next year, aides confirmed."]
    assert _reused_text(longer, _spans(longer, old)) == ["she would not run again next year"]


def test_light_edits_leave_the_runs_around_them_credited():
    old = [PASSAGE]
    new = [PASSAGE.replace("about 4,200", "roughly 4,300").replace("twice", "three times")]
    spans = _spans(new, old)
    assert len(spans) == 3
    share = covered(spans, len(new[0])) / len(new[0])
    assert 0.8 < share < 1.0  # the changed words are not credited


def test_provenance_knows_no_roles_but_alignment_keeps_chrome_apart():
    teaser = "READ MORE: Old Mill Road Bridge Closed For Repairs After Inspectors Find Cracks"
    restated = "The Old Mill Road bridge closed for repairs after inspectors find cracks, again."
    # the teaser's words are in the reporting paragraph: that is reuse, whatever the roles
    (span,) = find_spans([restated], [[FILLER_OLD[0], teaser]])
    assert (span.old, restated[span.new_start : span.new_end]) == (1, "Old Mill Road bridge closed for repairs after inspectors find cracks")
    # but a teaser never explains reporting in the alignment (nor the other way round)
    result = compare(parse_document("\n\n".join([FILLER_OLD[0], PASSAGE, teaser])),
                     parse_document("\n\n".join([FILLER_OLD[0], PASSAGE, restated])))
    assert [c.kind for c in result.changes if c.new == (2,) or c.old == (2,)] == [Kind.REMOVED, Kind.ADDED]


def test_damaged_encoding_still_matches_and_offsets_point_at_the_text_as_given():
    clean = "Los residentes hablan Español y don’t need a translator at the clinic, the director said."
    damaged = clean.replace("Español", "EspaÃ±ol").replace("don’t", "donât")
    (span,) = _spans([damaged], [clean])
    assert (span.new_start, span.new_end) == (0, len(damaged))
    assert (span.old_start, span.old_end) == (0, len(clean))


def test_accents_and_typography_do_not_break_a_passage():
    old = ['The "naive" plan, the critics said — and they said it twice — would cost the city dearly.']
    new = ["The “naïve” plan, the critics said – and they said it twice – would cost the city dearly."]
    (span,) = _spans(new, old)
    assert (span.new_start, span.new_end) == (0, len(new[0]))


def test_list_markers_and_numbers_prove_nothing_on_their_own():
    old = ["1.", "2.", "3.", "10 20 30 40 50 60"]
    new = ["1.", "2.", "3.", "10 20 30 40 50 60"]
    assert _spans(new, old) == []


def test_repeated_text_pairs_in_order_and_costs_no_more_than_once():
    cell = "Springfield County reported no new cases this week, the health department said."
    old = [cell] * 400
    new = [cell] * 399 + ["Shelbyville reported two new cases this week."]
    spans = _spans(new, old)
    assert [(s.new, s.old) for s in spans][:399] == [(k, k) for k in range(399)]
    assert all(s.old == 399 for s in spans[399:])  # what the edited last row keeps, in order


def test_pairing_repeated_items_keeps_their_order():
    old = ["Town", "Alpha", "Town", "Bravo", "Town", "Charlie"]
    new = ["Town", "Alpha", "Town", "Charlie", "Town", "Bravo"]
    pairs = pair_in_order(old, new)
    assert sorted(pairs) == sorted(set(pairs)) and all(old[i] == new[j] for i, j in pairs)
    assert len(pairs) == 6
    towns = [i for i, j in pairs if old[i] == "Town"]  # by j: the copies pair in order
    assert towns == sorted(towns)
    # a table of repeated cells with one row added pairs copy for copy, never crosswise
    table = ["Springfield", "12", "Shelbyville", "12", "Ogdenville", "7"]
    grown = ["Capital City", "3", *table]
    assert pair_in_order(table, grown) == [(k, k + 2) for k in range(6)]


def test_a_table_of_repeated_cells_compares_without_moves():
    rows = [f"Precinct {n}\nYes\n{100 + n}\nNo\n{90 + n}" for n in range(1, 30)]
    old = parse_document("Results by precinct.\n\n" + "\n\n".join(rows))
    new = parse_document("Results by precinct, updated.\n\n" + "\n\n".join(rows[:10] + rows[11:]))
    result = compare(old, new)
    assert not any(change.moved for change in result.changes)


def test_compare_reports_spans_and_the_share_of_reused_reporting():
    old = parse_document("\n\n".join([FILLER_OLD[0], PASSAGE, FILLER_OLD[1]]))
    new = parse_document("\n\n".join([FILLER_NEW[0], "It is old. " + PASSAGE, FILLER_OLD[1]]))
    result = compare(old, new)
    assert result.spans[0] == ()
    (span,) = result.spans[1]
    assert new.paragraphs[1].text[span.new_start : span.new_end] == PASSAGE
    carried = result.spans[2]
    assert [(s.old, s.new_start, s.new_end) for s in carried] == [(2, 0, len(FILLER_OLD[1]))]
    reporting = sum(len(p.text) for p in new.paragraphs)
    assert result.summary.reused_share == round((len(PASSAGE) + len(FILLER_OLD[1])) / reporting, 4)


def test_text_moved_in_from_another_paragraph_is_marked_as_such():
    promise = "Later, in a long interview, the mayor promised that no libraries would close under any circumstances this year, and she repeated it twice."
    old = parse_document("\n\n".join(["The council met on Tuesday to debate the budget for the coming year at length.", promise]))
    new = parse_document("\n\n".join([
        "The council met on Tuesday to debate the budget, and no libraries would close under any circumstances.",
        promise,
    ]))
    result = compare(old, new)
    change = next(c for c in result.changes if c.new == (0,))
    assert (change.kind, change.old) == (Kind.EDITED, (0,))
    shown = shown_diff(result, change)
    assert [text for op, text in shown if op == MOVED_IN] == ["no libraries would close under any circumstances"]
    assert not any(op == MOVED_IN for op, _ in change.diff)  # JSON keeps the plain diff
    assert reuse_note(result, change).endswith("from old ¶1 and ¶2")


def test_moved_in_marks_only_inserted_text_inside_foreign_spans():
    diff = (("=", "Kept words "), ("+", "brand new words and moved in text here"), ("=", "."))
    start = len("Kept words brand new words and ")
    end = start + len("moved in text here")
    spans = [Span(0, 5, 0, 18, 0, start, end, 4)]
    assert with_moved_in(diff, spans, linked=(1,)) == (
        ("=", "Kept words "), ("+", "brand new words and "), (MOVED_IN, "moved in text here"), ("=", "."),
    )
    assert with_moved_in(diff, spans, linked=(5,)) == diff  # from the linked paragraph: an edit


STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
    "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)


@pytest.mark.parametrize(("note_after", "quoted"), [(30, 16), (45, 20)])
def test_a_line_repeated_for_every_state_is_credited_to_the_state_it_quotes(note_after, quoted):
    """Fifty lines share "Polls close at 8 p.m. local time in": more places than are tried for one
    seed (spans.CANDIDATES), so only those around the expected place are, as many before it as
    after it, and never fewer than CANDIDATES even where the expected place is near the end."""
    assert len(STATES) > CANDIDATES
    lines = [f"Polls close at 8 p.m. local time in {state}." for state in STATES]
    note = "Officials expect record turnout in the western states this year."
    old = [*lines[:note_after], note, *lines[note_after:]]
    new = [
        "Officials expect record turnout in the western states this year, the secretary of state said.",
        f"Polls close at 8 p.m. local time in {STATES[quoted]}, where turnout was heavy all day.",
    ]
    found = [(s.new, s.old, new[s.new][s.new_start : s.new_end]) for s in find_spans(new, [old])]
    assert found == [
        (0, note_after, "Officials expect record turnout in the western states this year"),
        (1, quoted, f"Polls close at 8 p.m. local time in {STATES[quoted]}"),
    ]


@pytest.mark.parametrize("quote_first_in", ["new", "old"])
def test_a_span_at_the_start_of_a_paragraph_stops_there(quote_first_in):
    """Punctuation both texts have around a passage is taken in, but a passage that starts a
    paragraph has nothing before it: the quotation mark that ends the paragraph is not "before"."""
    starts = 'No new taxes this year, the mayor told the council, "not one cent."'
    quoted = 'Mayor Jane Doe: "No new taxes this year"'
    new, old = ([starts], [quoted]) if quote_first_in == "new" else ([quoted], [starts])
    (span,) = find_spans(new, [old])
    assert new[0][span.new_start : span.new_end] == "No new taxes this year"
    assert old[0][span.old_start : span.old_end] == "No new taxes this year"


def test_a_quote_reused_in_a_headline_takes_in_its_quotation_marks_in_both_texts():
    headline = '"No new taxes this year," mayor tells town hall'
    paragraph = 'Mayor Jane Doe told the town hall on Tuesday: "No new taxes this year," and the crowd cheered.'
    (span,) = find_spans([headline], [[paragraph]])
    assert headline[span.new_start : span.new_end] == '"No new taxes this year,"'
    assert paragraph[span.old_start : span.old_end] == '"No new taxes this year,"'


def test_an_unchanged_paragraph_is_one_span_from_its_pair_counting_its_words():
    """A carried paragraph is one span of the whole paragraph, from OLD (source 0), counting the
    words the span engine counts ("U.S." is two); a paragraph too short to be a passage
    ("Photo: AP") counts its words as written."""
    quote = "Dr. Ana Ruiz said the U.S. grant would fund the clinic through 2027, when a review is due."
    old = parse_document("\n\n".join([FILLER_OLD[0], quote, "Photo: AP"]))
    new = parse_document("\n\n".join([FILLER_NEW[0], quote, "Photo: AP"]))
    result = compare(old, new)
    engine_words = sum(s.words for s in find_spans([quote], [[quote]]))
    assert engine_words == len(re.findall(r"[^\W_]+", quote)) > len(quote.split())
    assert result.spans[1] == (Span(0, 1, 0, len(quote), 1, 0, len(quote), engine_words),)
    assert result.spans[2] == (Span(0, 2, 0, len("Photo: AP"), 2, 0, len("Photo: AP"), 2),)


def test_a_page_left_with_only_furniture_reuses_no_reporting():
    """A story taken down: the page keeps its "Advertisement" and newsletter prompt, carried
    unchanged, but no reporting, so none of NEW's reporting is reused."""
    old = parse_document("\n\n".join([FILLER_OLD[0], PASSAGE, "Advertisement"]))
    new = parse_document("Advertisement\n\nSign up for our newsletter")
    result = compare(old, new)
    assert all(label.role is Role.BOILERPLATE for label in result.new_labels)
    assert result.summary.reused_share == 0.0


def test_sources_of_a_paragraph_are_listed_by_the_text_they_gave_then_in_paragraph_order():
    """provenance.sources orders the "from old ¶…" of a reuse note: most characters first, the
    characters of several spans from one paragraph added up, equal amounts in paragraph order."""
    # NEW: "<60 chars from ¶5> <40 from ¶2> <30 from ¶5>. <45 from ¶8> <45 from ¶7>"
    spans = [
        Span(0, 5, 0, 60, 0, 0, 60, 10),
        Span(0, 2, 0, 40, 0, 61, 101, 7),
        Span(0, 5, 70, 100, 0, 102, 132, 5),
        Span(0, 8, 0, 45, 0, 134, 179, 8),
        Span(0, 7, 0, 45, 0, 180, 225, 8),
    ]
    assert sources(spans) == [(5, 90), (7, 45), (8, 45), (2, 40)]
    # the paragraph giving most text first, wherever its span stands
    late = [Span(0, 3, 0, 20, 0, 0, 20, 4), Span(0, 1, 0, 90, 0, 21, 111, 15)]
    assert sources(late) == [(1, 90), (3, 20)]
    early = [Span(0, 3, 0, 90, 0, 0, 90, 15), Span(0, 1, 0, 20, 0, 91, 111, 4)]
    assert sources(early) == [(3, 90), (1, 20)]


def _moved_in(diff, moved_text: str, linked=(0,)):
    """with_moved_in for a diff whose NEW text holds ``moved_text`` (once), reused from OLD ¶4."""
    new_text = "".join(text for op, text in diff if op != "-")
    start = new_text.index(moved_text)
    span = Span(0, 4, 0, len(moved_text), 0, start, start + len(moved_text), len(moved_text.split()))
    return with_moved_in(diff, [span], linked)


def test_text_moved_in_at_the_start_of_a_paragraph_is_marked_whole():
    diff = (("+", "Schools will stay open on Monday. "), ("=", "The council met on Tuesday to debate the budget."))
    assert _moved_in(diff, "Schools will stay open on Monday.") == (
        (MOVED_IN, "Schools will stay open on Monday."), ("+", " "), diff[1],
    )


def test_three_words_moved_in_are_marked_and_two_are_an_insertion():
    """Fewer than provenance.MOVED_IN_WORDS words from elsewhere ("the CPS") read as an insertion."""
    diff = (("=", "The council met on Tuesday"), ("+", ", Dr. Ruiz said"), ("=", "."))
    assert _moved_in(diff, "Dr. Ruiz said") == (diff[0], ("+", ", "), (MOVED_IN, "Dr. Ruiz said"), diff[2])
    assert _moved_in(diff, "Ruiz said") == diff


def test_a_few_words_of_a_foreign_span_leave_an_insertion_whole():
    """A span from elsewhere that reaches two words into an inserted clause does not cut it."""
    diff = (
        ("=", "The council met on Tuesday"), ("-", " night"), ("+", " and schools will stay open"),
        ("=", ", Mayor Jane Doe said."),
    )
    assert _moved_in(diff, "met on Tuesday and schools") == diff


def test_text_moved_in_after_an_earlier_insertion_is_found_where_it_stands():
    diff = (
        ("=", "The council met on Tuesday"), ("+", " in a packed hall"), ("=", ". The mayor "),
        ("+", "promised that no libraries would close"), ("=", "."),
    )
    assert _moved_in(diff, "no libraries would close") == (
        *diff[:3], ("+", "promised that "), (MOVED_IN, "no libraries would close"), diff[4],
    )



def _moved_in_plainly(diff, spans, linked):
    """with_moved_in as first written: every "+" op cut at the edges of every span from
    elsewhere, and each piece tested against every one of them."""
    elsewhere = [(s.new_start, s.new_end) for s in spans if s.old not in linked]
    if not elsewhere:
        return diff
    out, position = [], 0
    for op, text in diff:
        if op != "+":
            out.append((op, text))
            position += len(text) if op == "=" else 0
            continue
        cuts = sorted({0, len(text), *(max(0, min(len(text), edge - position)) for span in elsewhere for edge in span)})
        for a, b in zip(cuts, cuts[1:]):
            inside = any(start <= position + a and position + b <= end for start, end in elsewhere)
            kind = MOVED_IN if inside and len(text[a:b].split()) >= MOVED_IN_WORDS else "+"
            if out and out[-1][0] == kind:
                out[-1] = (kind, out[-1][1] + text[a:b])
            else:
                out.append((kind, text[a:b]))
        position += len(text)
    return tuple(out)


_OP_TEXT = st.lists(st.sampled_from(["a", "bb", "c", " ", "  ", "dd ee"]), max_size=10).map("".join)
_EDGE = st.integers(-3, 60)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.tuples(st.sampled_from("=+-"), _OP_TEXT), max_size=8),
    st.lists(st.tuples(st.integers(0, 3), _EDGE, _EDGE), max_size=6),
    st.sets(st.integers(0, 3), max_size=2),
)
def test_moved_in_swept_once_marks_as_cutting_at_every_span_edge(diff, spans, linked):
    """Spans from elsewhere in any layout (overlapping, nested, touching, empty, past either
    end of the text, before their start): the sweep marks what the plain search marks."""
    diff = tuple(diff)
    spans = [Span(0, old, 0, 1, 0, start, end, 1) for old, start, end in spans]
    assert with_moved_in(diff, spans, tuple(linked)) == _moved_in_plainly(diff, spans, tuple(linked))


LIVE = "LIVE UPDATE"
SHARE = "Share this update"


def test_a_removed_live_blog_entry_takes_its_repeated_header_lines_with_it():
    old = [LIVE, SHARE, "Polls opened at 7 a.m. across the state.",
           LIVE, SHARE, "Turnout is heavy in the northern suburbs, officials said."]
    new = [LIVE, SHARE, "Turnout is heavy in the northern suburbs, officials said."]
    assert pair_in_order(old, new) == [(3, 0), (4, 1), (5, 2)]  # old ¶1-3 removed together


def test_a_live_blog_entry_moved_to_the_top_keeps_its_header():
    entries = ["Polls opened at 7 a.m.", "Turnout is heavy in the north.", "Dr. Ruiz cast her vote at noon."]
    old = [LIVE, entries[0], LIVE, entries[1], LIVE, entries[2]]
    new = [LIVE, entries[2], LIVE, entries[0], LIVE, entries[1]]
    assert pair_in_order(old, new) == [(4, 0), (5, 1), (0, 2), (1, 3), (2, 4), (3, 5)]


def test_a_repeated_item_after_a_kept_paragraph_pairs_with_the_copy_after_it():
    old = ["Advertisement", "The council approved the budget on Tuesday.", "It takes effect in July.", "Advertisement"]
    new = ["The council approved the budget on Tuesday.", "Advertisement"]
    assert pair_in_order(old, new) == [(1, 0), (3, 1)]  # in order: nothing moved


def test_a_repeated_item_after_a_kept_paragraph_is_not_taken_from_above_it():
    """An ad slot added above the story and another below a new paragraph: the old ad after the
    budget paragraph pairs with the ad still after it (nothing moved), not with the new one on top."""
    old = ["The council approved the budget on Tuesday.", "Advertisement"]
    new = ["Advertisement", "The council approved the budget on Tuesday.", "Mayor Ana Ruiz signed it on Friday.",
           "Advertisement"]
    assert pair_in_order(old, new) == [(0, 1), (1, 3)]


def test_two_swapped_paragraphs_pair_with_each_other():
    old = ["The council met on Tuesday.", "The mayor spoke first, U.S. Rep. Ana Ruiz second."]
    assert pair_in_order(old, old[::-1]) == [(1, 0), (0, 1)]


@pytest.mark.parametrize(
    ("old", "new", "pairs"),
    [
        (  # rows re-sorted, Springfield dropped: its "No" is nobody else's
            ["Springfield", "No", "Shelbyville", "Yes", "Ogdenville", "No", "North Haverbrook", "No", "Yes"],
            ["North Haverbrook", "No", "Yes", "Ogdenville", "No", "Shelbyville", "Yes"],
            [(6, 0), (7, 1), (8, 2), (4, 3), (5, 4), (2, 5), (3, 6)],
        ),
        (  # rows re-sorted, Springfield dropped, Capital City added
            ["Springfield", "Yes", "Shelbyville", "No", "No", "Ogdenville", "Yes", "North Haverbrook", "Yes"],
            ["Ogdenville", "Yes", "Capital City", "No", "North Haverbrook", "Yes", "Shelbyville", "No", "No"],
            [(5, 0), (6, 1), (7, 4), (8, 5), (2, 6), (3, 7), (4, 8)],
        ),
        (  # two rows swapped, the last dropped
            ["Springfield", "Yes", "Shelbyville", "No", "Ogdenville", "Yes"],
            ["Shelbyville", "No", "Springfield", "Yes"],
            [(2, 0), (3, 1), (0, 2), (1, 3)],
        ),
        (  # Shelbyville's row moved above Springfield's, Capital City's row added below with an
           # equal cell: the moved row keeps its "No", the new row's "No" is new
            ["Springfield", "Yes", "Shelbyville", "No"],
            ["Shelbyville", "No", "Springfield", "Yes", "Capital City", "No"],
            [(2, 0), (3, 1), (0, 2), (1, 3)],
        ),
        (  # vote counts: Ogdenville's row moved up, Springfield's dropped
            ["Springfield", "12", "Shelbyville", "12", "Ogdenville", "7", "12"],
            ["Ogdenville", "7", "12", "Shelbyville", "12"],
            [(4, 0), (5, 1), (6, 2), (2, 3), (3, 4)],
        ),
    ],
)
def test_rows_of_a_results_table_reordered_keep_their_own_cells(old, new, pairs):
    assert pair_in_order(old, new) == pairs


# Paragraphs as a page repeats them (chrome, live-blog headers, table cells) and a few of its own.
PAGE_ITEMS = ["Advertisement", "LIVE UPDATE", "Yes", "No", "Share this update",
              "The council met on Tuesday.", "Dr. Ruiz said the U.S. plan was “a start.”"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PAGE_ITEMS), max_size=12), st.lists(st.sampled_from(PAGE_ITEMS), max_size=12))
def test_pairing_pairs_only_equal_items_each_once_and_every_copy_it_can(old, new):
    pairs = pair_in_order(old, new)
    assert all(old[i] == new[j] for i, j in pairs)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert [j for _, j in pairs] == sorted(j for _, j in pairs)
    # what is not kept in order still pairs copy for copy: only the surplus copies are added or removed
    assert len(pairs) == sum(min(old.count(item), new.count(item)) for item in set(new))


@pytest.mark.parametrize(
    ("old", "new", "pairs"),
    [
        (  # a row added above: the old cells keep their places below it, nothing moved
            ["No", "No", "Yes"],
            ["Yes", "No", "Yes"],
            [(1, 1), (2, 2)],
        ),
        (  # rows added above and below: the old cells are the middle ones, in order
            ["No", "Yes"],
            ["Yes", "No", "Yes", "No"],
            [(0, 1), (1, 2)],
        ),
        (  # the first two rows dropped: what is left is the end of the old column
            ["Yes", "No", "No", "Yes"],
            ["No", "Yes"],
            [(2, 0), (3, 1)],
        ),
    ],
    ids=["row-added-above", "rows-added-above-and-below", "first-rows-dropped"],
)
def test_repeated_cells_between_the_same_neighbours_pair_in_place(old, new, pairs):
    assert pair_in_order(old, new) == pairs


def test_a_stretch_too_large_to_diff_pairs_its_copies_key_by_key(monkeypatch):
    """The diff of a stretch costs O(size x changes): past STRETCH_LIMIT (old x new items) the
    copies pair key by key, first with first, even where that shows a move a diff would avoid."""
    old, new = ["No", "Yes"], ["Yes", "No", "Yes", "No"]
    monkeypatch.setattr(pairing, "STRETCH_LIMIT", len(old) * len(new))
    assert pair_in_order(old, new) == [(0, 1), (1, 2)]  # at the limit: still diffed, in place
    monkeypatch.setattr(pairing, "STRETCH_LIMIT", len(old) * len(new) - 1)
    assert pair_in_order(old, new) == [(1, 0), (0, 1)]  # "Yes" pairs with the first "Yes": moved


def test_a_headline_that_opens_and_closes_with_figures_is_credited_from_its_first_figure():
    """Numbers and single letters prove nothing on their own, but a seed holding a word among
    them does: "3 dead, 12" is a seed (the figures that end each text have nothing to do with it)."""
    headline = "3 dead, 12 hurt as tour bus overturns on Interstate 5"
    (span,) = find_spans([headline], [[headline, "The crash closed the southbound lanes near mile marker 212"]])
    assert (span.new_start, span.new_end, span.old_start, span.old_end) == (0, len(headline), 0, len(headline))


def test_a_passage_after_a_roman_numeral_written_as_one_character_is_still_found():
    """"Ⅱ" (one character, a letter) and "II" are the same word; the old version's "Ⅱ (1926-2022)"
    is all single letters and numbers, which proves nothing, but the text after it is still indexed."""
    new = ["Queen Elizabeth II (1926-2022) reigned for seven decades and visited Canada 22 times during her reign."]
    old = ["Queen Elizabeth Ⅱ (1926-2022) reigned for 70 years and visited Canada 22 times during her reign."]
    assert _reused_text(new, _spans(new, old)) == [
        "Queen Elizabeth II (1926-2022) reigned for", "and visited Canada 22 times during her reign."
    ]


def test_a_sentence_kept_but_for_its_fourth_to_last_word_is_credited_to_its_end():
    old = ["The storm will reach the coast by Friday night, forecasters said."]
    new = ["The storm will reach the coast by Thursday night, forecasters said."]
    assert _reused_text(new, _spans(new, old)) == ["The storm will reach the coast by", "night, forecasters said."]


def test_two_short_runs_six_words_apart_in_both_texts_are_one_passage():
    """Three words and three words: neither proves reuse alone, but PASSAGE_GAP (6) words of new
    text between them still make one passage."""
    old = ["Crews worked overnight to clear debris from the highway, state officials said."]
    new = ["Crews worked overnight restoring power to thousands of homes, state officials said."]
    assert _reused_text(new, _spans(new, old)) == ["Crews worked overnight", "state officials said."]
    farther = ["Crews worked overnight restoring power to thousands of rural homes, state officials said."]
    assert _spans(farther, old) == []  # seven words apart: two phrases, not a passage


def test_two_short_phrases_swapped_are_one_passage():
    """Each run goes back in OLD by at most PASSAGE_GAP (6) words from where the last one ended."""
    old = ["Council members voted late Tuesday night to approve the budget."]
    new = ["Late Tuesday night, council members voted down the budget."]
    assert _reused_text(new, _spans(new, old)) == ["Late Tuesday night", "council members voted"]
    longer = ["Late on Tuesday night, the council members voted down the budget."]
    assert _spans(longer, ["The council members voted late on Tuesday night to approve the budget."]) == []


REMINDER = "Voters should bring a photo ID to the polls"
PLACES = "The county added twelve polling places in the northern suburbs this year"


def test_a_repeated_sentence_after_a_kept_one_is_the_copy_that_follows_it_even_with_a_gap():
    """The reminder is in OLD twice: the copy after the kept sentence continues its order, and a
    new sentence between them in NEW moves the expected place forward, not back; much new text
    after it does not make the earlier copy nearer."""
    old = [f"{REMINDER}. {PLACES}. Lines were short in the morning. {REMINDER}."]
    later = old[0].rindex(REMINDER)
    tail = "Results are expected after midnight, when the last ballots from overseas are counted by hand downtown."
    for new in (
        [f"{PLACES}. Turnout was heavy before noon. {REMINDER}."],
        [f"{PLACES}. Turnout was heavy before noon. {REMINDER}. {tail} {tail.replace('midnight', 'dawn')}"],
    ):
        reminder = [s for s in _spans(new, old) if new[0][s.new_start : s.new_end].startswith("Voters")]
        assert [(s.old_start, s.old_end) for s in reminder] == [(later, later + len(REMINDER + "."))]


def test_a_repeated_sentence_after_a_longer_new_one_is_still_the_copy_that_follows_the_kept_text():
    old = [f"{PLACES}. {REMINDER}. Lines were short. {REMINDER}."]
    new = [f"{PLACES}. Officials blamed a shortage of volunteers and a late change in state rules for the long delays. {REMINDER}."]
    later = old[0].rindex(REMINDER)
    assert [(s.old_start, s.old_end) for s in _spans(new, old)][-1] == (later, later + len(REMINDER + "."))


def test_the_expected_place_moves_with_the_text_kept_not_with_where_it_stands_in_new():
    """A new lead before the kept text: the next repeated sentence is looked for after the kept
    text in OLD, not as far into OLD as it stands into NEW."""
    tail = "Results are expected after midnight, when the last ballots from overseas are counted by hand downtown."
    old = [f"{PLACES}. Lines were short. {REMINDER}. {tail} {REMINDER}."]
    new = [f"{tail.replace('midnight', 'dawn')} {PLACES}. Turnout was heavy. {REMINDER}."]
    first = old[0].index(REMINDER)
    assert [(s.old_start, s.old_end) for s in _spans(new, old)][-1] == (first, first + len(REMINDER + "."))


def test_the_first_reused_sentence_is_the_copy_at_the_same_place_in_the_story():
    """Nothing kept before it to continue: of two copies, the one as far into OLD as the sentence
    stands into NEW."""
    tail = "Results are expected after midnight, when the last ballots from overseas are counted by hand downtown."
    old = [f"{REMINDER}. {PLACES}. {tail} {REMINDER}."]
    new = [f"Turnout was heavy before noon in most precincts across the county. {REMINDER}."]
    (span,) = _spans(new, old)
    assert span.old_start == old[0].rindex(REMINDER)


def test_of_several_places_a_seed_is_found_the_longest_match_wins_even_after_a_shorter_one():
    new = ["The Cedar River crested at 22 feet on Saturday morning, the highest level since 2008."]
    old = [
        "The Cedar River crested at 19 feet in 1993.",
        "The Cedar River crested early, forecasters said.",
        "The Cedar River crested at 22 feet on Saturday morning, officials said.",
    ]
    assert [(s.old, new[0][s.new_start : s.new_end]) for s in _spans(new, old)] == [
        (2, "The Cedar River crested at 22 feet on Saturday morning,")
    ]


def test_the_version_a_passage_continues_from_keeps_the_credit_for_its_next_sentence():
    """An earlier version has the reminder at the same place, but the kept sentence came from the
    later one (the earlier said "ten"): the reminder is credited where the passage continues."""
    earlier = [f"{PLACES.replace('twelve', 'ten')}. Lines were short in the morning. {REMINDER}.",
               "Results are expected after midnight, when the last ballots from overseas are counted."]
    later = [f"{PLACES}. Lines were short in the morning. {REMINDER}."]
    new = [f"{PLACES}. Turnout was heavy before noon. {REMINDER}."]
    assert [(s.source, new[0][s.new_start : s.new_end]) for s in find_spans(new, [earlier, later])] == [
        (1, f"{PLACES}."), (1, f"{REMINDER}."),
    ]


def test_a_line_repeated_for_every_state_in_two_versions_is_credited_to_the_version_and_state_quoted():
    """More places than CANDIDATES, in two versions: those tried are around the expected place in
    the version the passage continues from (the later one, which added the note)."""
    lines = [f"Polls close at 8 p.m. local time in {state}." for state in STATES]
    note = "Officials expect record turnout in the western states this year."
    earlier, later = lines, [*lines[:45], note, *lines[45:]]
    new = [
        "Officials expect record turnout in the western states this year, the secretary of state said.",
        f"Polls close at 8 p.m. local time in {STATES[40]}, where turnout was heavy all day.",
    ]
    found = [(s.source, s.old, new[s.new][s.new_start : s.new_end]) for s in find_spans(new, [earlier, later])]
    assert found == [
        (1, 45, "Officials expect record turnout in the western states this year"),
        (1, 40, f"Polls close at 8 p.m. local time in {STATES[40]}"),
    ]


def test_a_seed_of_numbers_and_single_letters_only_is_no_seed():
    """A list marker or a figure proves no reuse on its own, but a seed is kept as soon as one
    of its three words is a real word, wherever that word stands in it."""
    from cpsdiff.diff.spans import Tokens

    tokens = Tokens.of(["a 1 2 apples b 3 c 4 d"])
    kept = [seed is not None for seed in tokens.seeds()]
    #          a 1 2   1 2 apples   2 apples b   apples b 3   b 3 c   3 c 4   c 4 d
    assert kept == [False, True, True, True, False, False, False]


_UNIT = st.lists(
    st.sampled_from(list("ab_1 .’\u00e9\u2014\n\r\u00a0\u0301\x92Â") + ["Ã©", "â€™", "donât", "don’t", "42"]), max_size=20
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_UNIT, max_size=6), st.lists(_UNIT, max_size=6))
def test_tokens_scanned_once_per_distinct_unit_are_the_tokens_of_each_unit(first, second):
    """Units shared between texts are scanned once (``scans``); the tokens are those a word
    pattern finds in each unit, offsets in the unit as given (encoding damage included)."""
    from cpsdiff.diff.spans import Tokens, _token_key
    from cpsdiff.text.repair import looks_damaged, repair

    scans: dict = {}
    for units in (first, second, first + second):
        tokens = Tokens.of(units, scans)
        expected = ([], [], [], [], [])
        for index, text in enumerate(units):
            fixed = repair(text) if looks_damaged(text) else None
            for match in re.finditer(r"[^\W_]+", fixed.text if fixed else text):
                word = match.group()
                start, end = match.span()
                if fixed:
                    start, end = fixed.original_start(start), fixed.original_end(end)
                for column, value in zip(expected, (_token_key(word), index, start, end, len(word) == 1 or word.isdigit())):
                    column.append(value)
        assert (tokens.keys, tokens.unit, tokens.start, tokens.end, tokens.weak) == expected
    assert set(scans) == set(first + second)


def test_a_repeated_paragraph_is_scanned_once(monkeypatch):
    from cpsdiff.diff import spans

    calls = []
    scan = spans._scan
    monkeypatch.setattr(spans, "_scan", lambda text: calls.append(text) or scan(text))
    found = spans.find_spans([PASSAGE, FILLER_NEW[0]], [[FILLER_OLD[0], PASSAGE, FILLER_OLD[1]]])
    assert sorted(calls) == sorted([PASSAGE, FILLER_NEW[0], *FILLER_OLD])
    assert [(s.old, s.new, s.new_start, s.new_end) for s in found] == [(1, 0, 0, len(PASSAGE))]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from("abcdefgXYZ"), max_size=40), st.lists(st.sampled_from("abcdefgXYZ"), max_size=40))
def test_unique_items_in_one_block_walk_it_once_and_own_what_each_would(old, new):
    """Each unique item walked its whole block, so an unchanged page of N paragraphs took N²
    steps (8,000: 28 s); one walk per block owns the same pairs, with the same "follows"."""
    old_at = {key: [i for i, k in enumerate(old) if k == key] for key in old}
    new_at = {key: [j for j, k in enumerate(new) if k == key] for key in new}
    unique = sorted((old_at[key][0], new_at[key][0]) for key in new_at if len(new_at[key]) == 1 and len(old_at.get(key, ())) == 1)
    every_walk: dict[tuple[int, int], int] = {}
    for i, j in unique:
        for pair, follows in pairing._block(old, new, i, j):
            every_walk[pair] = max(every_walk.get(pair, 0), follows)
    assert pairing._owned_blocks(old, new, unique) == every_walk


def test_an_unchanged_page_of_unique_paragraphs_pairs_in_place():
    page = [f"Paragraph {k} of the live page." for k in range(500)]
    assert pair_in_order(page, page) == [(k, k) for k in range(500)]
