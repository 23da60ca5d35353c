"""Paragraph and sentence splitting, and hashing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.text.normalize import normalize, preview
from cpsdiff.text.segment import ROBUST_WIDTH_LINES, parse_document, split_paragraphs, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.\n\n\n  \nThree.", ["One.", "Two.", "Three."]),
        ("One.\nTwo.\nThree.", ["One.", "Two.", "Three."]),  # no blank line: one per line
        ("A wrapped\nparagraph.\n\nNext.", ["A wrapped\nparagraph.", "Next."]),
        ("  \n\n  ", []),
        ("One.\n \t\nTwo.", ["One.", "Two."]),
        # no blank line at all: one paragraph per line, punctuated or not
        ("Mayor Backs Down\nThe mayor said the talks would go on", ["Mayor Backs Down", "The mayor said the talks would go on"]),
        ("CHICAGO\nSchools stay closed\nThe union votes tonight", ["CHICAGO", "Schools stay closed", "The union votes tonight"]),
        # a block whose lines mostly (here 3 of 5) end a sentence is wire copy, one paragraph per line
        (
            "Council\nThe council met Tuesday.\nThe budget passed 5-2.\nSchools\nClasses resume Monday.\n"
            "Teachers return Friday.\n\nMore later.",
            ["Council", "The council met Tuesday.", "The budget passed 5-2.", "Schools", "Classes resume Monday.",
             "Teachers return Friday.", "More later."],
        ),
    ],
)
def test_paragraphs(text, expected):
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "“We need a deal today,” she said. “There is no reason to wait.”",
            ["“We need a deal today,” she said.", "“There is no reason to wait.”"],
        ),
        (
            "“Today is the day. My patience is up,” she said.",
            ["“Today is the day.", "My patience is up,” she said."],
        ),
        ("Dr. Allison Arwady said the rate fell to 5.4% with 1,500 doses.", None),
        ("John F. Kennedy visited on Jan. 5 with Sen. Tom Reed.", None),
        ("“Why?” she asked.", None),
        # a capitalised attribution closes the quoted question too (found by the generated articles)
        ("“Why now?” Sen. Tom Reyes asked. Then he left.", ["“Why now?” Sen. Tom Reyes asked.", "Then he left."]),
        ('"We won!" Maria Okafor said.', None),
        ("Is it over? Nobody knows.", ["Is it over?", "Nobody knows."]),
        ("It happened at 5 p.m. Officials said nothing.", ["It happened at 5 p.m.", "Officials said nothing."]),
        ("The vote is at 10 a.m. Thursday in the U.S. Capitol.", None),
        ("WASHINGTON (AP) — The Senate voted. It passed.", ["WASHINGTON (AP) — The Senate voted.", "It passed."]),
        ("SACRAMENTO, Calif. (AP) — Gov. Ruiz spoke.", None),
        ("He moved to the U.S. He is 40.", ["He moved to the U.S.", "He is 40."]),
        ("Wait... there is more.", None),
        ("Who pays? The city does.", ["Who pays?", "The city does."]),
        # an attribution closes only a quoted question: here the question ends its sentence
        ("Was anyone hurt? Police said two people were treated at the scene.",
         ["Was anyone hurt?", "Police said two people were treated at the scene."]),
        # a capital that is not a word character (a circled letter) still opens a sentence
        ("The plan has two parts. Ⓐ A new bridge. Ⓑ A wider road.",
         ["The plan has two parts.", "Ⓐ A new bridge.", "Ⓑ A wider road."]),
        ("The curfew starts at 9 p.m. Residents were told to stay home.",
         ["The curfew starts at 9 p.m.", "Residents were told to stay home."]),
        ("The vote was 7 to 2. Residents cheered.", ["The vote was 7 to 2.", "Residents cheered."]),
        # a state's postal code is no initial, an initialism before a name or title is no end
        ("The plant is in Austin, TX. It employs 500 people.", ["The plant is in Austin, TX.", "It employs 500 people."]),
        ("The deal was approved by the S.E.C. The shares rose.", ["The deal was approved by the S.E.C.", "The shares rose."]),
        ("Officials at the F.B.I. Director Chris Wray said little.", None),
        ("The rapper, a.k.a. Slim, performed.", None),
        ("He left.  \n", ["He left."]),  # spans stop at the last non-space character
    ],
)
def test_sentences(paragraph, expected):
    assert split_sentences(paragraph) == (expected or [paragraph])


def test_sentence_offsets_point_into_the_paragraph():
    doc = parse_document("“A quote,” he said. “Another one.” Then a fact.")
    (paragraph,) = doc.paragraphs
    for sentence in paragraph.sentences:
        assert paragraph.text[sentence.start : sentence.start + len(sentence.text)] == sentence.text


def test_hashes():
    doc = parse_document("The “quote” — here.\n\nThe \"quote\" - here.\n\nThe  “quote”\u00a0— here.")
    a, b, c = doc.paragraphs
    assert a.hash != b.hash and a.norm_hash == b.norm_hash  # typography only
    assert a.hash == c.hash  # whitespace is not content
    assert len(a.hash) == 16 and int(a.hash, 16) >= 0


def test_normalize():
    assert normalize("“Curly” ‘quotes’ — dashes\u00a0and CASE") == "\"curly\" 'quotes' - dashes and case"


def _wrap(paragraphs: list[str], width: int, separator: str) -> str:
    import textwrap

    return separator.join(textwrap.fill(p, width, break_on_hyphens=False) for p in paragraphs)


_PROSE = [
    "The city council voted 7-2 on Tuesday to close the Old Mill Road bridge for repairs after inspectors found cracks in two of its support beams, officials said.",
    "Detour signs went up along Farm-to-Market Road 1190, adding roughly seven miles to the trip between downtown and the Lakeview subdivision for thousands of drivers.",
    "“We’re not going to take chances with people’s safety,” Commissioner Dale Pruitt said.",
    "Engineers expect to report by the end of February on whether the bridge can be repaired or must be replaced, and the council will then decide how to pay for the work.",
]


@pytest.mark.parametrize("separator", ["\n", "\n\n"], ids=["no-blank-lines", "blank-lines"])
@pytest.mark.parametrize("width", [50, 72])
def test_hard_wrapped_text_is_reflowed_into_its_paragraphs(width, separator):
    found = split_paragraphs(_wrap(_PROSE, width, separator))
    assert [" ".join(p.split()) for p in found] == _PROSE
    assert all("\n" in p for p in found[:2])  # the text as given, line breaks kept


def test_a_wrapped_line_stopping_a_word_short_mid_sentence_does_not_end_its_paragraph():
    import textwrap

    # "Old Mill Road" kept on one line: the first line stops before "Old", which would have fitted
    head, name, rest = _PROSE[0].partition(" Old Mill Road ")
    first = head + "\n" + textwrap.fill(name.strip() + " " + rest, 60, break_on_hyphens=False)
    text = "\n\n".join([first, *(textwrap.fill(p, 60, break_on_hyphens=False) for p in _PROSE[1:])])
    assert [" ".join(p.split()) for p in split_paragraphs(text)] == _PROSE


def test_the_same_text_wrapped_at_other_widths_hashes_the_same():
    narrow = parse_document(_wrap(_PROSE, 50, "\n"))
    wide = parse_document(_wrap(_PROSE, 72, "\n"))
    assert [p.hash for p in narrow.paragraphs] == [p.hash for p in wide.paragraphs]


def test_one_line_per_paragraph_wire_copy_still_splits_per_line():
    assert split_paragraphs("\n".join(_PROSE)) == _PROSE


def test_short_lines_without_end_punctuation_are_still_paragraphs():
    # a list of places, or a table column: short lines are not "wrapped" prose
    lines = ["Springfield", "Shelbyville", "Capital City", "Ogdenville", "North Haverbrook"]
    assert split_paragraphs("\n".join(lines)) == lines


@pytest.mark.parametrize("separator", ["\n", "\n\n", "\n  \n"])
def test_every_paragraph_knows_where_it_stands_in_the_document(separator):
    text = "\n\n" + _wrap(_PROSE, 60, separator) + "\n\n  Signed off.\n"
    doc = parse_document(text)
    assert len(doc.paragraphs) == len(_PROSE) + 1
    for paragraph in doc.paragraphs:
        assert doc.text[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text


def test_a_paragraph_end_one_version_cannot_show_is_taken_from_the_other():
    import textwrap

    from cpsdiff.text.segment import share_breaks

    first = "The county will close the bridge for repairs on Monday."
    second = "Detours will add about seven miles to the trip downtown for most drivers."
    width = len(first)  # OLD's line ends with the first sentence, full: no sign of a paragraph end
    old_text = "\n\n".join([*(textwrap.fill(p, width) for p in _PROSE), textwrap.fill(first + " " + second, width)])
    old = parse_document(old_text)
    assert [" ".join(p.text.split()) for p in old.paragraphs][-1] == first + " " + second
    new = parse_document("\n\n".join([*_PROSE, first, second]))
    old, new = share_breaks(old, new)
    assert [" ".join(p.text.split()) for p in old.paragraphs][-2:] == [first, second]
    assert old.paragraphs[-1].start == old.text.index("Detours")
    assert [p.index for p in old.paragraphs] == list(range(len(_PROSE) + 2))
    # the same with spaces left at the end of the line, or the next line indented
    for spaced in (old_text.replace(first + "\n", first + "   \n"), old_text.replace(first + "\nDetours", first + "\n    Detours")):
        cut, _ = share_breaks(parse_document(spaced), new)
        assert [p.text for p in cut.paragraphs][-2:] == [first, spaced[spaced.index("Detours"):]]
    # a line break inside a sentence is never cut, whatever the other version holds
    mid = parse_document("Intro.\n\n" + textwrap.fill(first, 30))
    other = parse_document("\n\n".join(["Intro.", *textwrap.wrap(first, 30)]))
    assert len(mid.paragraphs) == 2 and len(share_breaks(mid, other)[0].paragraphs) == 2


def test_a_byte_order_mark_is_not_text():
    doc = parse_document("\ufeffHello there.\n\nWorld news.")
    assert doc.text == "Hello there.\n\nWorld news."
    assert doc.paragraphs[0].text == "Hello there."
    assert doc.hash == parse_document("Hello there.\n\nWorld news.").hash


def test_a_document_keeps_its_text_and_is_named_text_by_default():
    doc = parse_document("One.\n\nTwo.")
    assert doc.text == "One.\n\nTwo."
    assert doc.source == "<text>"
    assert parse_document("One.", "v1.txt").source == "v1.txt"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("Five!", 5, "Five!"), ("Six ch", 5, "Six …"), ("Line\nbreak", 20, "Line break")],
)
def test_preview_is_one_line_cut_to_the_limit(text, limit, expected):
    assert preview(text, limit) == expected


def _fill(paragraphs: list[str], width: int, separator: str = "\n") -> str:
    import textwrap

    return separator.join(textwrap.fill(p, width, break_on_hyphens=False, break_long_words=False) for p in paragraphs)


_BULLETIN = [
    "The city council voted 7-2 on Tuesday to close the Old Mill Road bridge for repairs after inspectors found cracks in two of its support beams, officials said.",
    "“We’re not going to take chances with people’s safety,” Commissioner Dale Pruitt said.",
    "The 212-page inspection report, posted at https://www.cedarvalleynews.com/2024/03/12/old-mill-road-bridge-inspection-report/ on Tuesday, lists 37 defects.",
    "Engineers expect to report by the end of February on whether the bridge can be repaired or must be replaced, and the council will then decide how to pay for the work.",
]


def test_a_link_too_long_to_wrap_does_not_set_the_width_of_a_wrapped_newsletter():
    """Ten lines followed by another (ROBUST_WIDTH_LINES), one of them a link longer than the
    width: the width is the third longest line, so the text is still re-flowed."""
    assert split_paragraphs(_fill(_BULLETIN, 72)) != _fill(_BULLETIN, 72).split("\n")
    assert [" ".join(p.split()) for p in split_paragraphs(_fill(_BULLETIN, 72))] == _BULLETIN


def test_a_line_lengthened_by_an_edit_after_wrapping_does_not_set_the_width():
    """An editor put a few words into one line of a wrapped newsletter without wrapping again:
    one line over the width, and the text is still re-flowed into its paragraphs. Eleven lines:
    exactly ROBUST_WIDTH_LINES of them followed by another, enough to set aside the longest."""
    paragraphs = _PROSE
    lines = _fill(paragraphs, 72).split("\n")
    lines[1] = lines[1] + " (and later on Tuesday evening)"
    assert len(lines) - 1 == ROBUST_WIDTH_LINES and max(map(len, lines)) > 90
    found = split_paragraphs("\n".join(lines))
    assert len(found) == len(paragraphs)
    assert [" ".join(p.split()) for p in found[1:]] == paragraphs[1:]


def test_a_link_on_a_line_of_its_own_does_not_set_the_width_of_a_short_wrapped_story():
    """Fewer lines than ROBUST_WIDTH_LINES, one of them a link too long to wrap: a line of one
    word could not have been broken, so it is no evidence of the width."""
    text = _fill([_PROSE[0], _BULLETIN[2], _PROSE[2]], 72)
    assert sum(1 for line in text.split("\n") if line) < ROBUST_WIDTH_LINES + 1
    assert [" ".join(p.split()) for p in split_paragraphs(text)] == [_PROSE[0], _BULLETIN[2], _PROSE[2]]


def test_lines_of_one_word_each_are_a_list_not_wrapped_text():
    words = ["Lincoln", "Jefferson", "Roosevelt", "Washington", "Hamilton"]
    assert split_paragraphs("\n".join(words)) == words


_FLOOD = [
    "Gov. Kim Reynolds declared a disaster emergency for 14 counties on Sunday, freeing state money for cleanup and debris removal in the hardest-hit towns.",
    "The Cedar River crested at 22 feet on Saturday morning, four feet above flood stage, and is expected to fall slowly through the week.",
]


@pytest.mark.parametrize(
    ("paragraphs", "width"),
    [
        (_FLOOD, 32),  # ten lines followed by another: the third longest (30) is the width
        (_FLOOD[1:], 30),  # a width of exactly MIN_WRAP_WIDTH is still wrapping
        ([_PROSE[0]], 30),
        (["A winter storm is expected to drop up to eight inches of snow on the region overnight, the National Weather Service said."], 31),
    ],
    ids=["two-items-32", "one-item-30", "council-30", "storm-31"],
)
def test_an_alert_hard_wrapped_in_a_narrow_column_is_reflowed(paragraphs, width):
    """Few lines, the longest of them the width (below ROBUST_WIDTH_LINES lines, no line is
    passed over as a stray long one)."""
    assert [" ".join(p.split()) for p in split_paragraphs(_fill(paragraphs, width))] == paragraphs


def test_wire_copy_of_short_lines_one_per_paragraph_is_not_taken_for_wrapped_text():
    """Lines of any length up to NARROW_WRAP, few of them full: one paragraph per line."""
    lines = [
        "Tickets go on sale Friday at 10 a.m. at the box office and online.",
        "That's all for today. See you tomorrow.",
        "Dr. Ana Ruiz, the county health director, said flu cases rose for a third straight week.",
        "“We’re not going to take chances with people’s safety,” Commissioner Dale Pruitt said.",
        "A winter storm is expected to drop up to eight inches of snow on the region overnight, the National Weather Service said.",
    ]
    assert split_paragraphs("\n".join(lines)) == lines


def test_a_tv_bulletin_of_short_items_wrapped_with_three_lines_in_ten_full_is_reflowed():
    """Short items leave few full lines: three of ten lines followed by another
    (NARROW_WRAP_SHARE, 30%) is still wrapping."""
    items = [
        "Good evening.",
        "Gov. Kim Reynolds declared a disaster emergency for 14 counties on Sunday.",
        "Schools will open two hours late.",
        "Stay warm out there.",
        "Police said no one was hurt in the crash on Route 30.",
        "A winter storm is headed our way, and it could drop up to eight inches of snow by morning.",
        "The Hawkeyes beat Purdue 71-68 on a buzzer-beater in front of a sold-out crowd.",
        "That's all for tonight.",
    ]
    assert [" ".join(p.split()) for p in split_paragraphs(_fill(items, 69))] == items


def test_a_newsletter_wrapped_at_exactly_the_terminal_limit_is_reflowed():
    """At NARROW_WRAP (132) columns the narrow rule still applies: three lines are enough."""
    assert [" ".join(p.split()) for p in split_paragraphs(_fill(_FLOOD, 132))] == _FLOOD


_WIRE = [
    "WASHINGTON (AP) — The Senate voted 51-49 late Monday to approve a $1.2 trillion spending package that funds the government through September, averting a partial shutdown hours before the deadline after weeks of negotiations between the White House and congressional leaders of both parties.",
    "The measure, which the House passed on Friday by a vote of 286-134, includes money for border security, disaster relief and military aid to Ukraine and Israel, though it leaves out several of the conservative policy provisions that House Republicans had demanded, angering some members of the party's right flank.",
    "President Joe Biden is expected to sign the bill on Tuesday, the White House said in a statement, ending a fight that twice brought federal agencies within days of closing their doors and forced lawmakers to pass four short-term extensions since the fiscal year began on Oct. 1.",
]


def test_a_wire_story_wrapped_wider_than_a_terminal_is_reflowed():
    """Wider than NARROW_WRAP, wrapping needs WIDE_WRAP_LINES (8) lines followed by another, 75% of
    them full: three paragraphs of three lines at 136 columns have exactly that."""
    text = _fill(_WIRE, 136)
    assert len(text.split("\n")) == 9
    assert [" ".join(p.split()) for p in split_paragraphs(text)] == _WIRE


def test_a_wrapped_line_of_exactly_three_fifths_the_width_stopping_mid_sentence_continues():
    """A line ends its paragraph when it is much shorter than the width: strictly under 60% of
    it. Here the first line (36 of 60 columns) stops before a road name kept on one line."""
    import textwrap

    head = "Detour signs went up on Monday along"
    rest = "Farm-to-Market Road 1190, adding roughly seven miles to the trip between downtown and the Lakeview subdivision for thousands of drivers."
    assert len(head) == 0.6 * 60
    first = head + "\n" + textwrap.fill(rest, 60, break_on_hyphens=False)
    text = "\n\n".join([_fill([_PROSE[0]], 60), first, _fill([_PROSE[3]], 60)])
    assert [" ".join(p.split()) for p in split_paragraphs(text)] == [_PROSE[0], head + " " + rest, _PROSE[3]]


def test_markup_hints_survive_a_paragraph_end_taken_from_the_other_version():
    """share_breaks rebuilds a version it cuts: the boilerplate hints from its page's markup stay."""
    import textwrap

    from dataclasses import replace

    from cpsdiff.diff.comparison import compare
    from cpsdiff.model import Role

    first = "The county will close the bridge for repairs on Monday."
    second = "Detours will add about seven miles to the trip downtown for most drivers."
    quote = "Bridge closures and detours across the county this winter, mapped by neighborhood"
    hints = ((quote, "link-dense: 100% of its words are link text"),)
    width = len(first)
    old = parse_document("\n\n".join([*(textwrap.fill(p, width) for p in _PROSE), quote, textwrap.fill(first + " " + second, width)]),
                         "old", hints)
    new = parse_document("\n\n".join([*_PROSE, quote, first, second]), "new", hints)
    result = compare(old, new)
    assert compare(replace(old, hints=()), new).old_labels[len(_PROSE)].role is not Role.BOILERPLATE
    assert len(result.old.paragraphs) == len(result.new.paragraphs) == len(_PROSE) + 3  # OLD was cut
    assert result.old.hints == hints
    assert [label.role for label in result.old_labels][len(_PROSE)] is Role.BOILERPLATE


def _cuts_by_hashing_every_piece(text: str, known: set[str]) -> list[tuple[int, int]]:
    """The cuts as first written: every piece before and after every break hashed (quadratic)."""
    from cpsdiff.text.normalize import exact_hash
    from cpsdiff.text.segment import _PARAGRAPH_ENDS

    breaks = [i for i, c in enumerate(text) if c == "\n" and text[:i].rstrip().endswith(_PARAGRAPH_ENDS)]
    pieces, start = [], 0
    for at in breaks:
        after = at + 1 + (len(text) - at - 1 - len(text[at + 1 :].lstrip()))
        if exact_hash(text[start:at]) in known or exact_hash(text[after:]) in known:
            pieces.append((start, len(text[:at].rstrip())))
            start = after
    pieces.append((start, len(text)))
    return pieces


_LINES = ["The council met.", "It voted 5-2 on the plan", "to widen Main St.", "“We won,” she said.", "Ms. Ruiz (D)",
          "Details:", "Done!", "wait…", "10\u00a0a.m. on Friday"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12), st.lists(st.sampled_from(_LINES), max_size=4),
       st.sampled_from(["\n", " \n", "\n  ", "\t\n\u00a0"]))
def test_cutting_wrapped_text_measures_before_it_hashes_and_cuts_the_same(lines, others, newline):
    from cpsdiff.text.normalize import collapse_whitespace, exact_hash
    from cpsdiff.text.segment import _cuts

    text = newline.join(lines)
    # the other version's paragraphs: some runs of these lines, and others
    runs = [newline.join(lines[a:b]) for a in range(len(lines)) for b in range(a + 1, len(lines) + 1) if (a + b) % 3 == 0]
    paragraphs = runs + others
    known = {exact_hash(p) for p in paragraphs}
    lengths = {len(collapse_whitespace(p)) for p in paragraphs}
    assert _cuts(text, known, lengths) == _cuts_by_hashing_every_piece(text, known)
