"""Regression tests for defects found in review: each names what a user would hit."""

from __future__ import annotations

import re
import time

import pytest

from cpsdiff.diff.boilerplate import load_rules
from cpsdiff.diff.comparison import compare
from cpsdiff.errors import InputError
from cpsdiff.model import Kind
from cpsdiff.text.normalize import as_written, normalized_words
from cpsdiff.text.segment import parse_document, split_paragraphs, split_sentences

from .conftest import FIXTURES, ROOT, invoke


def _changes(old: list[str], new: list[str]):
    result = compare(parse_document("\n\n".join(old)), parse_document("\n\n".join(new)))
    return [(c.kind.value, c.old, c.new, c.moved) for c in result.changes]


def test_readme_library_example_runs(tmp_path):
    block = re.search(r"## Library\n\n```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S).group(1)
    (tmp_path / "old.txt").write_text("One.\n\nTwo.", "utf-8")
    (tmp_path / "new.txt").write_text("One.\n\nTwo, edited.", "utf-8")
    code = block.replace('"old.txt"', repr(str(tmp_path / "old.txt"))).replace('"new.txt"', repr(str(tmp_path / "new.txt")))
    exec(compile(code, "README", "exec"), {})


def test_sentence_splitting_is_linear():
    paragraph = "Word " * 12 + ". " + ("Another sentence of some length goes here. " * 4000)
    start = time.perf_counter()
    assert len(split_sentences(paragraph)) > 4000
    assert time.perf_counter() - start < 5  # was quadratic: minutes at this size


def test_long_different_paragraphs_are_cheap():
    old = " ".join(f"W{n} w{n * 7 % 997} w{n * 13 % 991}." for n in range(3000))
    new = " ".join(f"X{n} x{n * 7 % 997} x{n * 13 % 991}." for n in range(3000))
    start = time.perf_counter()
    compare(parse_document(old), parse_document(new))
    assert time.perf_counter() - start < 10  # word diffs of whole long texts were minutes


def test_typography_alone_keeps_full_similarity():
    old = "“We’re done,” the mayor said — and left. Officials said 5 people were hurt."
    new = '"We\'re done," the mayor said - and left. Officials said 5 people were hurt.'
    (change,) = compare(parse_document(old), parse_document(new)).changes
    assert change.kind is Kind.EDITED and change.similarity == 1.0
    assert ("-", "”") in change.diff and ("+", '"') in change.diff


def test_repeated_paragraphs_cause_no_moves():
    assert not any(moved for *_, moved in _changes(
        ["Alpha one.", "***", "Bravo two.", "***", "Charlie three."],
        ["Alpha one.", "Bravo two.", "***", "Charlie three."],
    ))
    assert not any(moved for *_, moved in _changes(
        ["Alpha one.", "Bravo two.", "Charlie three.", "Alpha one."], ["Bravo two.", "Charlie three.", "Alpha one."]
    ))


def test_a_stray_blank_line_does_not_change_the_paragraphs():
    text = (FIXTURES / "reuters_single_newline" / "old.txt").read_text("utf-8")
    lines = text.split("\n")
    stray = "\n".join(lines[:5] + [""] + lines[5:])
    assert split_paragraphs(stray) == split_paragraphs(text)


def test_hard_wrapped_paragraphs_stay_whole():
    text = "The council met on Tuesday and voted\nto close the pool for the summer.\n\nNext paragraph."
    assert split_paragraphs(text) == ["The council met on Tuesday and voted\nto close the pool for the summer.", "Next paragraph."]


def test_control_characters_are_shown_not_obeyed(runner, tmp_path):
    (tmp_path / "a.txt").write_text("Safe line.\n\nBad \x1b[2J clear \u202e rlo.", "utf-8")
    (tmp_path / "b.txt").write_text("Safe line.\n\nBad \x1b[2J clear \u202e rlo, edited.", "utf-8")
    for color in ("never", "always"):
        out = invoke(runner, "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--color", color).stdout
        assert "\x1b[2J" not in out and "\u202e" not in out
        assert "\\x1b[2J" in out and "\\u202e" in out


@pytest.mark.parametrize(
    "lede",
    ["By Monday, CPS and the union had reached a tentative deal, officials said.",
     "By Friday afternoon, the union had rejected the offer."],
)
def test_a_lede_starting_with_by_is_not_a_byline(lede):
    result = compare(parse_document(lede + "\n\nSecond paragraph."), parse_document(lede + "\n\nSecond one."))
    assert result.new_labels[0].role.value != "boilerplate"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[rule]]\nname = "x"\npattern = "a"\nmax_words = "ten"\n', "'max_words' must be a int"),
        ("rule = 5\n", "array of tables"),
        ('[[rule]]\nname = "x"\npattern = "a"\nmaxwords = 3\n', "unknown key 'maxwords'"),
        ('[[rule]]\nname = "x"\n', "missing 'pattern'"),
        ('[[rule]]\nname = "x"\npattern = "a"\nwhere = "middle"\n', "'where' must be one of"),
    ],
)
def test_bad_rules_files_are_clear_errors(tmp_path, toml, message):
    path = tmp_path / "rules.toml"
    path.write_text(toml, "utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_rules([str(path)])


def test_utf16_without_bom_with_encoding(runner, tmp_path):
    (tmp_path / "a.txt").write_bytes("Hello there.\n\nSecond.".encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes("Hello there.\n\nSecond.".encode("utf-8"))
    assert "binary data" in invoke(runner, "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).stderr
    ok = invoke(runner, "compare", "--encoding", "utf-16-le", str(tmp_path / "a.txt"), str(tmp_path / "a.txt"))
    assert ok.exit_code == 0, ok.stderr


def test_invisible_characters_are_not_edits(runner, tmp_path):
    (tmp_path / "a.txt").write_text("Mayor Lightfoot spoke.\n\nMore.", "utf-8")
    (tmp_path / "b.txt").write_text("Mayor Light\u200bfoot spo\u00adke.\n\nMore.", "utf-8")
    assert invoke(runner, "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).exit_code == 0
    (tmp_path / "z.txt").write_text("\u200b\n\u200b\n", "utf-8")
    assert "empty input" in invoke(runner, "compare", str(tmp_path / "z.txt"), str(tmp_path / "a.txt")).stderr


def test_summary_counts_boilerplate_once():
    old = ["By Jane Doe", "The council met.", "Copyright 2024 KXYZ. All rights reserved."]
    new = ["By Jane Doe and John Roe", "The council met again today."]
    result = compare(parse_document("\n\n".join(old)), parse_document("\n\n".join(new)))
    summary = result.summary
    assert summary.boilerplate == 1 and summary.removed == 0 and summary.edited == 1


@pytest.mark.parametrize(
    ("old", "new", "evidence"),
    [
        (
            "“We will not close a single school — not one,” Mayor Ana Ruiz said on Tuesday, adding that the budget was balanced.",
            "Asked about the shortfall at a town hall in the West End, the mayor repeated her promise: “We will not close a single school — not one.” Critics on the council called it unrealistic.",
            "shared quote “We will not close a single school — not one”",
        ),
        (
            "Engineers closed the Old Mill Road bridge, built in 1931, on Thursday after finding cracks in two of its piers.",
            "Late Friday, after a second inspection that lasted most of the afternoon, the county’s director of public works said traffic would be detoured around the Old Mill Road bridge — built in 1931 — for the rest of the year.",
            "shared phrase “the Old Mill Road bridge — built in 1931”",
        ),
    ],
    ids=["quote", "phrase"],
)
def test_evidence_is_quoted_as_the_article_writes_it(old, new, evidence):
    # It was shown in matching form: lower case, no punctuation ("we will not close a single school not one").
    result = compare(parse_document("Intro line here.\n\n" + old), parse_document("Intro line here.\n\n" + new))
    change = next(c for c in result.changes if c.new == (1,))
    assert (change.kind, change.old, change.evidence) == (Kind.EDITED, (1,), evidence)


@pytest.mark.parametrize(
    ("text", "matched", "shown"),
    [
        ("Die Straße, sagt er.", "strasse sagt", "Straße, sagt"),  # casefold makes ß two letters
        ("The ﬁnal Word.", "final word", "ﬁnal Word"),  # NFKC splits the ligature
        ("Le Cafe\u0301 DU Monde", "café du", "Cafe\u0301 DU"),  # combining accent kept with its letter
        ("“It’s over,”\nshe  said.", "it's over she said", "It’s over,” she said"),  # whitespace collapsed
        ("Nothing in common here.", "absent words", "absent words"),  # not found: the words themselves
        ("Nothing in common here.", "absent", "absent"),
        ("Nothing in common here.", "", ""),
        # a name typed with combining accents opens the paragraph; the comma after it is not its
        ("Jose\u0301 Marti\u0301, 52, said the plant would close.", "josé martí", "Jose\u0301 Marti\u0301"),
    ],
    ids=["casefold", "ligature", "combining", "whitespace", "absent", "absent-word", "no-words", "combining-first"],
)
def test_as_written_maps_normalised_words_back_to_the_text(text, matched, shown):
    assert as_written(text, normalized_words(matched)) == shown
