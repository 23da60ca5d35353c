"""Paragraph and sentence splitting, and hashing."""

from __future__ import annotations

import pytest

from cpsdiff.segment import parse_document, split_paragraphs, split_sentences
from cpsdiff.text import normalize, preview


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
        ("It happened at 5 p.m. Officials said nothing.", ["It happened at 5 p.m.", "Officials said nothing."]),
        ("The vote is at 10 a.m. Thursday in the U.S. Capitol.", None),
        ("WASHINGTON (AP) — The Senate voted. It passed.", ["WASHINGTON (AP) — The Senate voted.", "It passed."]),
        ("SACRAMENTO, Calif. (AP) — Gov. Ruiz spoke.", None),
        ("He moved to the U.S. He is 40.", ["He moved to the U.S.", "He is 40."]),
        ("Wait... there is more.", None),
        ("Who pays? The city does.", ["Who pays?", "The city does."]),
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
