"""Quoted text and its speaker, as lineage's quote drift and the reports' edited quotes find them.

quoted_in and speaker look a paragraph's quotes up once per paragraph, and the digest finds each
quote's ops by position; these tests hold them to the plain computation they stand for (every
quote of the paragraph, every op of the diff) on generated texts: curly, straight, unclosed and
stray marks, sentences that start or end on a quote's edge, quotes across paragraphs.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpsdiff.diff.comparison import compare
from cpsdiff.diff.provenance import MOVED_IN
from cpsdiff.render import digest as digest_module
from cpsdiff.render.digest import QUOTE_KEPT_WORDS, QuoteEdit, digest
from cpsdiff.render.labels import is_chrome, shown_diff
from cpsdiff.text import quotes
from cpsdiff.text.quotes import quoted_in, quoted_ranges, speaker
from cpsdiff.text.segment import parse_document

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


# Edited quotes in a report's digest, against the op-by-op search it stands for.

def _quote_edits_plainly(result, change) -> list[QuoteEdit]:
    diff = shown_diff(result, change)
    if not diff:
        return []
    paragraphs = [result.new.paragraphs[j] for j in change.new]
    text = digest_module._JOIN.join(p.text for p in paragraphs)
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph.text) + len(digest_module._JOIN)
    edits = []
    for a, b in quoted_ranges(text):
        ops = []
        for op, piece, start, end in digest_module._placed(diff):
            if op == "-" and a <= start <= b:
                ops.append((op, piece))
            elif op != "-" and start < b and end > a:
                ops.append(("+" if op == MOVED_IN else op, piece[max(a, start) - start : min(b, end) - start]))
        kept = sum(len(piece.split()) for op, piece in ops if op == "=")
        changed = any(op != "=" and digest_module._WORD.search(piece) for op, piece in ops)
        if changed and kept >= QUOTE_KEPT_WORDS:
            part = max(k for k, start in enumerate(starts) if start <= a)
            edits.append(QuoteEdit(change.new[part], speaker(text[a:b], paragraphs[part].text),
                                   digest_module._trimmed(ops)))
    return edits


QUOTE_WORDS = st.lists(st.sampled_from("we will not cut a single teacher from the budget this year".split()),
                       min_size=2, max_size=9)
OPENING, CLOSING = st.sampled_from(["“", '"', ""]), st.sampled_from(["”", '"', ""])
SAID = st.sampled_from([" Jane Doe said.", " said Mayor Ann Lee.", "", " he added."])
QUOTED_SENTENCE = st.builds(lambda o, w, c, s: f"{o}{' '.join(w).capitalize()},{c}{s}", OPENING, QUOTE_WORDS, CLOSING, SAID)
QUOTE_PARAGRAPH = st.lists(QUOTED_SENTENCE, min_size=1, max_size=6)
SWAPS = st.sampled_from(["changed", "", "“new words”", "more words here", "budgets"])


@st.composite
def _edited_versions(draw):
    """OLD, and NEW with words swapped, dropped and added inside and around quotes, and some
    paragraphs split (a change of several NEW paragraphs, a quote maybe left open across them)
    or merged."""
    old = draw(st.lists(QUOTE_PARAGRAPH, min_size=1, max_size=5))
    new = []
    for sentences in old:
        edited = []
        for sentence in sentences:
            words = sentence.split(" ")
            for _ in range(draw(st.integers(0, 2))):
                words[draw(st.integers(0, len(words) - 1))] = draw(SWAPS)
            edited.append(" ".join(w for w in words if w))
        cut = draw(st.integers(0, len(edited)))
        new += [" ".join(part) for part in (edited[:cut], edited[cut:]) if part]
    if len(new) > 1 and draw(st.booleans()):
        k = draw(st.integers(0, len(new) - 2))
        new[k : k + 2] = [new[k] + " " + new[k + 1]]
    return ["Headline here"] + [" ".join(p) for p in old], ["Headline here"] + new


@SETTINGS
@given(_edited_versions())
def test_edited_quotes_are_those_every_op_of_the_diff_gives(versions):
    old, new = versions
    result = compare(parse_document("\n\n".join(old), "old"), parse_document("\n\n".join(new), "new"))
    expected = []
    for change in result.changes:
        found = digest_module._quote_edits(result, change)
        assert found == _quote_edits_plainly(result, change)
        if not is_chrome(result, change):
            expected += found
    assert all(edit in expected for edit in digest(result).quotes)


def test_edited_quotes_of_one_long_paragraph():
    sentences = [f"“Quote number {k} says a few words about the budget,” Jane Doe said." for k in range(60)]
    edited = [s.replace("a few", "some") if k % 4 == 0 else s for k, s in enumerate(sentences)]
    result = compare(parse_document("Headline\n\n" + " ".join(sentences), "old"),
                     parse_document("Headline\n\n" + " ".join(edited), "new"))
    quotes_found = digest(result).quotes
    assert len(quotes_found) == 15
    assert {edit.speaker for edit in quotes_found} == {"Jane Doe"}
    for change in result.changes:
        assert digest_module._quote_edits(result, change) == _quote_edits_plainly(result, change)
