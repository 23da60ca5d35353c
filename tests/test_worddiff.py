"""Word diffs: what is kept, how changes read, and the same answers for long texts."""

from __future__ import annotations

import re

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.diff import dmp
from cpsdiff.diff.worddiff import (
    _TOKEN, WORD_LEVEL_LIMIT, _Builder, _is_word, _key, compare_words, count_words, diff_sequences, word_similarity,
)


def _sides(diff) -> tuple[str, str]:
    return "".join(t for op, t in diff if op != "+"), "".join(t for op, t in diff if op != "-")


@pytest.mark.parametrize(
    ("old", "new", "diff", "kept"),
    [
        (
            "Teachers stayed home on Friday as talks went on.",
            "Teachers stayed home on Friday, and talks went on.",
            (("=", "Teachers stayed home on Friday"), ("-", " as"), ("+", ", and"), ("=", " talks went on.")),
            8,
        ),
        # a word that only changed case joins the change before it: one change, not two
        (
            "Chicago Public Schools said the deal was done.",
            "Chicago schools said the deal was done.",
            (("=", "Chicago "), ("-", "Public Schools"), ("+", "schools"), ("=", " said the deal was done.")),
            7,
        ),
        # typography is shown, but keeps every word
        (
            'The mayor said the "deal" was done -- for now.',
            "The mayor said the “deal” was done — for now.",
            (("=", "The mayor said the "), ("-", '"'), ("+", "“"), ("=", "deal"), ("-", '"'), ("+", "”"),
             ("=", " was done "), ("-", "--"), ("+", "—"), ("=", " for now.")),
            9,
        ),
        ("The MAYOR said no.", "The mayor said no.", (("=", "The "), ("-", "MAYOR"), ("+", "mayor"), ("=", " said no.")), 4),
        # a case change right after an insertion: one change, deletions first
        (
            "They reached the deal.",
            "They reached the new Deal.",
            (("=", "They reached the "), ("-", "deal"), ("+", "new Deal"), ("=", ".")),
            4,
        ),
        # ... and at the very start
        (
            "Public Schools said no.",
            "schools said no.",
            (("-", "Public Schools"), ("+", "schools"), ("=", " said no.")),
            3,
        ),
        ("Talks went on.", "", (("-", "Talks went on."),), 0),
        ("", "", (), 0),
    ],
)
def test_a_word_diff_shows_each_change_once_and_counts_the_words_kept(old, new, diff, kept):
    result = compare_words(old, new)
    assert result.diff == diff
    assert result.kept == kept
    assert (result.old_words, result.new_words) == (count_words(old), count_words(new))
    assert _sides(result.diff) == (old, new)


def test_similarity_is_the_share_of_words_kept():
    result = compare_words("Teachers stayed home on Friday as talks went on.", "Teachers stayed home on Friday, and talks went on.")
    assert result.similarity == 2 * 8 / (9 + 9)
    assert compare_words("", "").similarity == 1.0
    assert compare_words("Talks went on.", "A deal was reached.").similarity == 0.0


def test_count_words_counts_words_and_numbers_not_punctuation():
    assert count_words("It's a 5-2 vote — snake_case, “quoted”!") == 7
    assert count_words(" — ... ") == 0
    assert count_words("__init__ and _private") == 3  # an underscore is a word character


_TEXT = st.text(alphabet=st.sampled_from(list("ab_1Z '’\n\t.,-—№™½é\u0301\u00a0\u200b")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_count_words_counts_the_word_tokens_the_diff_is_made_of(text):
    assert count_words(text) == sum(1 for token in _TOKEN.findall(text) if _is_word(token))


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_words_kept_are_the_words_of_the_equal_stretches_of_the_raw_token_diff(old, new):
    """kept, counted from prefix sums, against a plain count over the same diff."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    codes: dict[str, str] = {}
    encode = lambda tokens: "".join(codes.setdefault(_key(t), chr(len(codes) + 1)) for t in tokens)  # noqa: E731
    a, b = encode(old_tokens), encode(new_tokens)
    expected, i = 0, 0
    for op, chars in dmp.diff(a, b):
        if op == "=":
            expected += sum(1 for token in old_tokens[i : i + len(chars)] if _is_word(token))
        if op != "+":
            i += len(chars)
    assert compare_words(old, new).kept == expected


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_word_similarity_is_the_similarity_of_the_full_comparison(old, new):
    assert word_similarity(old, new) == compare_words(old, new).similarity



@pytest.mark.parametrize(
    ("old", "new", "diff"),
    [
        # a deletion and three case changes in a row: one change, its words joined as written
        (
            "Chicago Public Schools Chief Executive Pedro Martinez said on Friday.",
            "Chicago schools chief executive Pedro Martinez said on Friday.",
            (("=", "Chicago "), ("-", "Public Schools Chief Executive"), ("+", "schools chief executive"),
             ("=", " Pedro Martinez said on Friday.")),
        ),
        # a headline's capitals and a changed mark between them: one change, not four
        (
            "BREAKING: CITY COUNCIL votes to close three schools.",
            "Breaking — city council votes to close three schools.",
            (("-", "BREAKING: CITY COUNCIL"), ("+", "Breaking — city council"), ("=", " votes to close three schools.")),
        ),
    ],
    ids=["deletion then case changes", "case changes around a changed mark"],
)
def test_neighbouring_changes_of_case_and_wording_read_as_one_change(old, new, diff):
    result = compare_words(old, new)
    assert result.diff == diff
    assert _sides(result.diff) == (old, new)


def test_keys_past_the_first_55295_are_told_apart_from_every_other():
    """diff_sequences gives each distinct key one character, skipping the surrogate range: a
    sequence of paragraph hashes longer than that still pairs each with itself only."""
    old = [f"{k * 2654435761 % 2**64:016x}" for k in range(56_000)]  # distinct, hash-like
    for k in (55_294, 55_295, 55_999):  # the last below the surrogates, the first above, the end
        assert diff_sequences(old, [old[k]]) == [(k, 0, 1)]
    assert diff_sequences(old, old[:1000] + old[55_000:]) == [(0, 0, 1000), (55_000, 1000, 1000)]

# -- long texts: sentence by sentence first ---------------------------------------------------

SUBJECTS = ["The mayor", "The union", "A teacher", "The board", "Parents", "The governor", "Police", "A judge"]
VERBS = ["said", "argued", "warned", "told reporters", "wrote", "insisted", "repeated", "conceded"]


def _sentence(k: int) -> str:
    return (f"{SUBJECTS[k % 8]} {VERBS[k // 8 % 8]} on day {k} that plan number {k * 7} "
            f"would cost {k + 3} million dollars over {k % 5 + 2} years.")


def _long_text(count: int) -> list[str]:
    return [_sentence(k) for k in range(count)]


def test_a_long_text_is_diffed_sentence_by_sentence_with_the_same_result():
    old = _long_text(160)
    new = list(old)
    new[10] = new[10].replace("million", "billion")  # one word
    deleted = new.pop(50)  # a whole sentence
    inserted = "Nobody at the meeting asked about the cost of the buses."
    new.insert(90, inserted)
    new[120] = new[120].replace("The ", "THE ", 1)  # case only: no word lost
    new[-1] = new[-1].replace("years", "decades")  # the very end
    old_text, new_text = " ".join(old), " ".join(new)
    assert len(old_text.split()) * 2 > WORD_LEVEL_LIMIT  # past the limit: sentences first
    result = compare_words(old_text, new_text)
    assert _sides(result.diff) == (old_text, new_text)
    assert result.kept == count_words(old_text) - 2 - count_words(deleted)
    assert (result.old_words, result.new_words) == (count_words(old_text), count_words(new_text))
    changes = [(op, text) for op, text in result.diff if op != "="]
    assert ("-", "million") in changes and ("+", "billion") in changes
    assert ("-", deleted + " ") in changes or ("-", " " + deleted) in changes
    assert any(op == "+" and inserted in text for op, text in changes)
    assert ("-", "The") in changes and ("+", "THE") in changes
    assert result.diff[-2:] == (("-", "years"), ("+", "decades")) or result.diff[-3:-1] == (("-", "years"), ("+", "decades"))


def test_a_long_stretch_rewritten_whole_is_one_removal_and_one_addition():
    old = _long_text(160)
    rewritten = [s.replace("would cost", "will save").replace("dollars", "euros") + " Nobody objected." for s in old[:150]]
    old_text, new_text = " ".join(old), " ".join(rewritten + old[150:])
    result = compare_words(old_text, new_text)
    assert _sides(result.diff) == (old_text, new_text)
    assert [op for op, _ in result.diff] == ["-", "+", "="]
    assert result.kept == count_words(" ".join(old[150:]))


def test_a_long_text_without_sentence_ends_is_replaced_whole_when_it_changes():
    """Too long to diff word by word and nothing to cut it at: shown as removed and added, fast."""
    words = [f"item{k}" for k in range(1600)]
    old_text = " ".join(words)
    new_text = old_text.replace("item800", "entry800")
    result = compare_words(old_text, new_text)
    assert result.diff == (("-", old_text), ("+", new_text))
    assert (result.kept, result.old_words, result.new_words) == (0, 1600, 1600)


def test_a_long_text_compared_with_itself_keeps_every_word():
    text = " ".join(_long_text(160))
    result = compare_words(text, text)
    assert result.diff == (("=", text),)
    assert result.similarity == 1.0


def test_a_changed_stretch_of_a_long_text_is_diffed_word_by_word_up_to_the_limit():
    """Inside a long text, a stretch of changed sentences is diffed word by word when both its
    sides together hold at most WORD_LEVEL_LIMIT tokens (the limit compare_words sets for a whole
    text), and shown removed and added whole past it."""
    old = _long_text(160)

    def tokens(sentences: list[str]) -> int:  # as worddiff counts them: words, spaces, marks
        return sum(len(re.findall(r"\w+|\s+|[^\w\s]", s + " ")) for s in sentences)

    for extra, expected in ((0, WORD_LEVEL_LIMIT), (1, WORD_LEVEL_LIMIT + 1)):
        new = list(old)
        for k in range(40, 81):  # 41 sentences revised, one word each
            new[k] = new[k].replace("would cost", "will cost")
        new[60] = new[60].replace("will cost", "will in the end cost")
        if extra:
            new[70] = new[70].replace("dollars over", "dollars, over")
        assert tokens(old[40:81] + new[40:81]) == expected
        old_text, new_text = " ".join(old), " ".join(new)
        result = compare_words(old_text, new_text)
        assert _sides(result.diff) == (old_text, new_text)
        if expected == WORD_LEVEL_LIMIT:
            assert result.kept == count_words(old_text) - 41
            assert ("-", "would") in result.diff and ("+", "will") in result.diff
        else:
            assert result.kept == count_words(old_text) - count_words(" ".join(old[40:81]))
            assert [op for op, _ in result.diff] == ["=", "-", "+", "="]


def test_word_similarity_of_long_texts_is_that_of_the_sentence_by_sentence_comparison():
    old = " ".join(_long_text(200))
    new = " ".join(_long_text(200)[:50] + ["The board met again."] + _long_text(200)[60:])
    assert len(old.split()) > WORD_LEVEL_LIMIT // 2  # beyond the word-level limit, tokens counted
    assert word_similarity(old, new) == compare_words(old, new).similarity < 1


class _PlainBuilder:
    """_Builder as first written: a change before a space joined and made again at every word."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, str]] = []

    def add(self, op: str, text: str) -> None:
        if text and self.ops and self.ops[-1][0] == op:
            self.ops[-1] = (op, self.ops[-1][1] + text)
        elif text:
            self.ops.append((op, text))

    def change(self, old: str, new: str) -> None:
        ops = self.ops
        if len(ops) >= 2 and ops[-1][0] == "=" and ops[-1][1].isspace() and ops[-2][0] != "=":
            space = ops.pop()[1]
            deleted = inserted = ""
            while ops and ops[-1][0] != "=":
                op, text = ops.pop()
                if op == "-":
                    deleted = text + deleted
                else:
                    inserted = text + inserted
            old, new = deleted + space + old, inserted + space + new
        if ops and ops[-1][0] == "+" and old:
            inserted = ops.pop()[1]
            self.add("-", old)
            self.add("+", inserted + new)
        else:
            self.add("-", old)
            self.add("+", new)


_PIECE = st.sampled_from(["a", "B", " ", "  ", "\n", ".", ""])
_CALL = st.one_of(
    st.tuples(st.just("add"), st.sampled_from("=-+"), _PIECE),
    st.tuples(st.just("change"), _PIECE.filter(bool), _PIECE),
)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(_CALL, max_size=30))
def test_changes_grown_in_place_read_as_joined_and_made_again(calls):
    """Any order of kept text, changes and words written differently: the same diff as the
    builder that joined the changes before a space and made them again at every word."""
    built, plain = _Builder(), _PlainBuilder()
    for name, *args in calls:
        getattr(built, name)(*args)
        getattr(plain, name)(*args)
    assert built.ops == plain.ops
