"""Quoted text and its speaker, as lineage's quote drift and the reports' edited quotes find them.

quoted_in and speaker look a paragraph's quotes up once per paragraph; these tests hold them to
the plain computation they stand for (every quote of the paragraph) on generated texts: curly,
straight, unclosed and stray marks, sentences that start or end on a quote's edge.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsdiff.text import quotes
from cpsdiff.text.quotes import quoted_in, quoted_ranges, speaker

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# words, attributions and every mark quoted_ranges knows, stray and unbalanced ones included
PIECES = st.sampled_from(
    ["the", "budget", "vote", "Friday", ",", ".", " ", "“", "”", '"', "“We", "won”", '"No,"',
     "Jane Doe said", "said Mayor Ann Lee", "he said", "the mayor said", "Lee wrote:", "“”", '""']
)
TEXT = st.lists(PIECES, max_size=40).map(" ".join)


def _quoted_in_plainly(paragraph: str, start: int, end: int) -> list[str]:
    spans = [paragraph[max(a, start) : min(b, end)] for a, b in quoted_ranges(paragraph) if a < end and b > start]
    return [s.strip(" ,") for s in spans if s.strip(" ,")]


def _speaker_plainly(sentence: str, paragraph: str, previous: str | None) -> str | None:
    for text in (sentence, paragraph):
        found = quotes._attribution(text)
        if found:
            return found
    if previous and previous.rstrip().endswith(":"):
        return quotes._attribution(previous)
    return None


def _edges(text: str) -> list[int]:
    """Every position next to a quote's edge or a mark, where an off-by-one would show."""
    points = {0, len(text)}
    for a, b in quoted_ranges(text):
        points |= {a - 1, a, a + 1, b - 1, b, b + 1}
    points |= {i for i, char in enumerate(text) if char in "“”\""}
    return sorted(p for p in points if 0 <= p <= len(text))


@SETTINGS
@given(TEXT)
def test_quoted_in_finds_what_every_quote_of_the_paragraph_gives(paragraph):
    edges = _edges(paragraph)
    for start in edges:
        for end in edges:
            if start <= end:
                assert quoted_in(paragraph, start, end) == _quoted_in_plainly(paragraph, start, end)


@SETTINGS
@given(TEXT, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=8))
def test_quoted_in_of_any_window(paragraph, windows):
    for start, length in windows:
        start = min(start, len(paragraph))
        end = min(start + length, len(paragraph))
        assert quoted_in(paragraph, start, end) == _quoted_in_plainly(paragraph, start, end)


def test_quoted_in_at_the_edges_of_quotes():
    paragraph = '“One two,” Lee said. “Three" "four” five “six'
    (a1, b1), (a2, b2), (a3, b3), (a4, b4) = quoted_ranges(paragraph)
    assert paragraph[a1:b1] == "One two,"
    assert paragraph[a2:b2] == "Three"  # a straight mark closes a curly one
    assert paragraph[a3:b3] == "four"
    assert (paragraph[a4:b4], b4) == ("six", len(paragraph))  # left open: runs to the end
    assert quoted_in(paragraph, 0, a1) == []  # ends where the quote begins
    assert quoted_in(paragraph, b1, a2) == []  # between two quotes
    assert quoted_in(paragraph, 0, a1 + 1) == ["O"]
    assert quoted_in(paragraph, b1 - 1, b1 + 5) == []  # only the comma, stripped
    assert quoted_in(paragraph, a1 + 4, a3 + 2) == ["two", "Three", "fo"]
    assert quoted_in(paragraph, b4, b4) == []
    assert quoted_in(paragraph, a4 - 2, len(paragraph)) == ["six"]
    # a second opening mark starts the quote again; a stray closing mark opens nothing
    assert quoted_in("“a “b c” d” e", 0, 12) == ["b c"]


def test_a_paragraph_asked_again_with_other_text_is_not_answered_from_before():
    first, second = "“Alpha beta gamma,” Jane Doe said.", "Alpha “beta,” the mayor said."
    assert quoted_in(first, 0, len(first)) == ["Alpha beta gamma"]
    assert quoted_in(second, 0, len(second)) == ["beta"]
    assert quoted_in(first, 0, len(first)) == ["Alpha beta gamma"]
    assert speaker("“Alpha.”", first) == "Jane Doe"
    assert speaker("“Alpha.”", second) == "the mayor"
    assert speaker("“Alpha.”", "“Alpha.”") is None


@SETTINGS
@given(TEXT, TEXT, st.one_of(st.none(), TEXT, TEXT.map(lambda t: t + ":")))
def test_speaker_is_the_sentences_else_the_paragraphs_else_a_lead_ins(sentence, paragraph, previous):
    assert speaker(sentence, paragraph, previous) == _speaker_plainly(sentence, paragraph, previous)


def test_speaker_of_many_sentences_of_one_paragraph():
    sentences = ["“We will vote,” Jane Doe said.", "“Not now.”", "“Later,” he said.", "“Why?”"]
    paragraph = " ".join(sentences)
    lead_in = "Mayor Ann Lee wrote on Friday:"
    for previous in (None, lead_in, "No colon here"):
        for sentence in sentences:
            assert speaker(sentence, paragraph, previous) == _speaker_plainly(sentence, paragraph, previous)
    unattributed = "“Not now.” “Why?”"
    assert speaker("“Why?”", unattributed, lead_in) == "Mayor Ann Lee"
    assert speaker("“Why?”", unattributed, lead_in + " then") is None
    assert speaker("“Why?”", unattributed) is None
