"""A rule pattern cannot hang a run: patterns from rules files run with a time budget for each
match, and one that needs more is an error naming its file and rule; the built-in rules are
linear (bench/bench_rules.py) and run on Python's re (issue 11)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.diff import boilerplate
from cpsdiff.diff.boilerplate import load_rules

from .conftest import FRIDAY, THURSDAY, invoke

SLOW = "(a|aa)+$"  # backtracks without end on a run of a's that does not reach the end


@pytest.fixture
def files(tmp_path):
    def write(pattern: str) -> tuple[str, str]:
        rules = tmp_path / "outlet.toml"
        rules.write_text(f"[[rule]]\nname = \"promo\"\npattern = '{pattern}'\n", "utf-8")
        story = tmp_path / "story.txt"
        story.write_text("The council met on Monday.\n\n" + "a" * 40 + "!\n\nIt voted.", "utf-8")
        return str(rules), str(story)

    return write


def test_a_pattern_too_slow_is_an_error_naming_the_rule(runner, files, monkeypatch):
    monkeypatch.setattr(boilerplate, "MATCH_SECONDS", 0.05)
    rules, story = files(SLOW)
    result = invoke(runner, "compare", story, story, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"cpsdiff: error: {rules}: rule 'promo': pattern too slow (over 0.05 s on one paragraph; "
        "nested repeats such as (a+)+ backtrack without end)\n"
    )


def test_a_slow_pattern_stops_an_ingest_run_by_its_workers(files, tmp_path):
    rules, story = files(SLOW)
    result = subprocess.run(
        [sys.executable, "-m", "cpsdiff", "ingest", story, "--rules", rules, "--db", str(tmp_path / "t.db")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"cpsdiff: error: {rules}: rule 'promo': pattern too slow (over 1 s")


def test_the_pattern_from_the_issue_finishes(files):
    rules, story = files("(a+)+$")  # hung Python's re: 2^40 ways to split the a's
    result = subprocess.run([sys.executable, "-m", "cpsdiff", "compare", story, story, "--rules", rules, "--json"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert (result.returncode, result.stderr) == (0, "")


def test_a_bad_pattern_names_the_file_and_the_rule(runner, files):
    rules, story = files("(unclosed")
    result = invoke(runner, "compare", story, story, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"cpsdiff: error: {rules}: rule 1 ('promo'): bad pattern: ")
    assert result.stderr.count("\n") == 1


def test_rules_pickle_to_equal_rules():
    # Rules go to worker processes with every batch: equal rules keep the verdict cache warm.
    rules = load_rules()
    copies = pickle.loads(pickle.dumps(rules))
    assert copies == rules and hash(tuple(copies)) == hash(tuple(rules))
    assert copies[0].pattern is rules[0].pattern  # compiled once per process


def test_the_built_in_rules_do_not_load_the_regex_module():
    # It costs every command about 10 ms of start-up; only rules files need it.
    code = (
        "import sys\n"
        "from cpsdiff.cli import main\n"
        f"sys.argv = ['cpsdiff', 'compare', {str(THURSDAY)!r}, {str(FRIDAY)!r}, '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str('regex' in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr == "False"
    assert all(rule.builtin and rule.pattern.__class__.__module__ == "re" for rule in load_rules())


QUADRATIC_TIMESTAMP = r"(?i)^(updated|published|posted|last updated|first published)( on| at)?:?\s+[\w ,:./-]*\d[\w ,:./-]*$"


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["Updated ", "Published on: ", "posted at ", "Last updated: ", "UPDATED", "First published "]),
    st.text(alphabet="1aZ_ ,:./-!é٣²", max_size=16),
)
def test_the_linear_timestamp_rule_matches_what_the_quadratic_one_did(head, rest):
    import re

    rule = next(r for r in load_rules() if r.name == "timestamp")
    old, new = re.search(QUADRATIC_TIMESTAMP, head + rest), rule.pattern.search(head + rest)
    assert (old and (old.span(), old.groups())) == (new and (new.span(), new.groups()))


@pytest.mark.parametrize(
    "pattern, size",
    [
        ("a{1000000000}", 1_000_000_000),
        ("(?:(?:ab){1000}){1000}", 1_000_000),  # nested repeats multiply
        ("(a{3})b{4}", 4),  # side by side, they do not
        ("x{2,99999}", 2),  # the least count is what regex unrolls
        ("a{300000,}", 300_000),
        (r"\{99999\}|[{]99999[}]|[]{99999}]|\p{Lu}{2}|\N{EM DASH}{3}|(?#{99999})", 3),  # literals, escapes, a comment
        ("a{" + "9" * 5000 + "}", 10**12),  # too many digits to read: huge
        pytest.param(r"\d{20000}", 20000, id="escaped-class-repeated"),  # \d takes no braces: they count
        pytest.param(r"(\w+) (\w+) \g{2}", 1, id="backreference"),  # \g{2} names a group: no count
        pytest.param("Advertisement", 1, id="no-repeat"),
        pytest.param(r"https?://\S{0,200}", 1, id="optional-repeat"),  # {0,n} copies the part once
        pytest.param("a{999999999999}", 999_999_999_999, id="twelve-digits-read-exactly"),
        pytest.param(r"\[\d{100}\]{200}", 200, id="escaped-brackets"),  # \[ opens no class
        # comments: skipped to their ")", wherever they stand
        pytest.param("(?#sponsor line)^Paid for by", 1, id="comment-first"),
        pytest.param(r"(Updated|Posted)(?# a time follows) \d{1,2}:\d{2}", 2, id="comment-after-a-group"),
        pytest.param("(?#note)(x{200}){100}", 20_000, id="comment-before-a-group"),
        pytest.param("(a{200}(?#note)){100}", 20_000, id="comment-closing-a-group"),
        pytest.param("((?:ab){100}){200}", 20_000, id="group-opening-a-group"),
        # character classes: one item, whatever they hold (a ] first is a literal, \] too)
        pytest.param("[0-9]{4}-[0-9]{2}-[0-9]{2}", 4, id="classes-repeated"),
        pytest.param("[.]{3}", 3, id="one-character-class"),
        pytest.param("^[.]{3}", 3, id="one-character-class-after-an-anchor"),
        pytest.param("[^.]{3}", 3, id="negated-one-character-class"),
        pytest.param("[]]{3}", 3, id="bracket-class"),
        pytest.param("[^][]{3}", 3, id="negated-bracket-class"),
        pytest.param("[[]x{20000}", 20_000, id="opening-bracket-class"),
        pytest.param(r"[\d]{20000}", 20_000, id="escape-in-a-class"),
        pytest.param(r"[\]x{20000}]", 1, id="escaped-bracket-in-a-class"),
        pytest.param("[x{20000}]", 1, id="count-inside-a-class"),
    ],
)
def test_the_size_of_a_pattern_unrolled(pattern, size):
    assert boilerplate._unrolled_size(pattern) == size


def test_a_repeated_escape_such_as_a_digit_is_refused_when_it_unrolls_too_far(runner, files):
    # \d{10000000} took 17 s and 2.7 GB to compile: its count was taken for part of the escape,
    # as the braces of \p{Lu} are
    rules, story = files(r"\d{20000}")
    result = invoke(runner, "compare", story, story, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"cpsdiff: error: {rules}: rule 1 ('promo'): bad pattern: repeats a part 20,000 times or more "
        "(at most 10,000, nested repeats multiplied)\n"
    )


def test_a_pattern_that_unrolls_too_far_is_refused_before_it_compiles(runner, files):
    rules, story = files("(x{100}){101}")
    result = invoke(runner, "compare", story, story, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"cpsdiff: error: {rules}: rule 1 ('promo'): bad pattern: repeats a part 10,100 times or more "
        "(at most 10,000, nested repeats multiplied)\n"
    )


def test_a_pattern_may_repeat_a_part_exactly_as_often_as_allowed(files):
    rules, _ = files("^(?:[0-9]{100}){100}$")  # 10,000: the most the error message allows
    assert [rule.name for rule in load_rules([rules]) if not rule.builtin] == ["promo"]
