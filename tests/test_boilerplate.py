"""Boilerplate by shape and by rule, on lines from many outlets' conventions."""

from __future__ import annotations

import pickle
import sys

import pytest

from cpsdiff.diff import boilerplate
from cpsdiff.diff.boilerplate import classify, default_rules, load_rules, rule_name
from cpsdiff.errors import InputError

BODY = ["The council met on Tuesday to discuss the budget."] * 8  # reporting around the probe


@pytest.fixture(autouse=True)
def _cold_caches():
    """Every test parses the rules, builds its rule set and reaches its verdicts itself. Besides
    keeping tests independent of their order, this lets mutation testing see which tests rely on
    which function: mutmut runs for each mutant only the tests that called the function, and a
    test answered from a cache calls nothing."""
    caches = (boilerplate._default_rules, boilerplate._compiled, boilerplate._rule_set, boilerplate._verdict)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def _reason(line: str, position: str = "middle") -> str | None:
    paragraphs = list(BODY)
    index = {"top": 0, "middle": 4, "bottom": len(paragraphs)}[position]
    paragraphs.insert(index, line)
    return classify(paragraphs, default_rules())[index]


@pytest.mark.parametrize(
    ("line", "position"),
    [
        ("READ MORE: Mayor Vows To Fight State Budget Cuts", "middle"),
        ("HEADLINES: Storm Knocks Out Power To 40,000 Homes", "middle"),  # unknown label, by shape
        ("Also On WKRN: Titans Sign Veteran Linebacker", "middle"),
        ("Related: Coastal towns face ‘perfect storm’ as second homes soar", "middle"),
        ("More From The Ledger:", "bottom"),
        ("By Jane Doe and John Roe", "top"),
        ("By MARIA LOPEZ Associated Press", "top"),
        ("The Associated Press contributed to this report.", "bottom"),
        ("(Reporting by Anna Novak; Editing by Mark Heinrich)", "bottom"),
        ("Copyright 2024 Nexstar Media Inc. All rights reserved.", "bottom"),
        ("Advertisement", "middle"),
        ("Sign up for our Breaking News newsletter", "middle"),
        ("Photograph: Ellen Rowe/Coastline Pictures", "middle"),
        ("Follow Jane Doe on Twitter", "bottom"),
        ("Updated 3:45 PM CT, Fri Jan 29, 2021", "top"),
        ("KXYZ Digital Staff", "bottom"),
    ],
)
def test_boilerplate(line, position):
    assert _reason(line, position) is not None


@pytest.mark.parametrize(
    ("line", "position"),
    [
        ("Bottom line: the city lost $2 million.", "middle"),
        ("The vote was 5-2.", "bottom"),
        ("“We’re not going anywhere,” she said.", "bottom"),
        ("Mayor Lightfoot framed it as “time’s up.” Union President Jesse Sharkey wrote on Friday:", "middle"),
        ("UPDATE: The mayor said Friday that talks would resume Monday.", "middle"),
        ("By the end of the day, no deal had been reached.", "top"),
        ("Lightfoot Backs Down", "top"),  # a headline at the top is not a signature
        ("Chicago Public Schools", "middle"),  # short capitalised line inside the story
        ("Mayor Ann Lee said:", "middle"),  # a quote's short lead-in
        ("What We Know:", "middle"),  # a subhead
    ],
)
def test_reporting(line, position):
    assert _reason(line, position) is None


def test_every_label_has_a_reason_naming_its_source():
    reason = _reason("READ MORE: Mayor Vows To Fight State Budget Cuts")
    assert "READ MORE:" in reason
    assert "rule byline" in _reason("By Jane Doe", "top")


# -- where a label applies -------------------------------------------------------------------


def _reasons_at_each_position(line: str) -> list[str | None]:
    """The label of ``line`` put at each place of a nine-paragraph story."""
    return [classify(BODY[:i] + [line] + BODY[i:], default_rules())[i] for i in range(len(BODY) + 1)]


def test_an_edge_rule_applies_only_in_the_first_and_last_three_paragraphs():
    found = [reason is not None for reason in _reasons_at_each_position("By Jane Doe")]
    assert found == [True, True, True, False, False, False, True, True, True]


def test_a_bottom_rule_applies_only_in_the_last_three_paragraphs():
    line = "Contact Priya Raman at praman@example.com or 555-0142."
    found = [reason is not None for reason in _reasons_at_each_position(line)]
    assert found == [False] * 6 + [True] * 3


# Rule.explain is what classify runs, unrolled for speed (bench/bench_rules.py times it).
# A paragraph's place: among the first three (top), the last three (bottom), both in a short story.
PLACES = {"middle": (False, False), "top": (True, False), "bottom": (False, True), "short story": (True, True)}
FUNDING = "This story was produced with support from the Hartwell Family Foundation."  # 12 words


def _funding_rule(tmp_path, where: str, max_words: int | None = None):
    limit = "" if max_words is None else f"max_words = {max_words}\n"
    (rule,) = [rule for rule in load_rules([_rules_file(tmp_path, f"""
[[rule]]
name = "funding"
pattern = 'produced with support from (?P<funder>[^.]+)'
reason = "funding credit: {{funder}}"
where = "{where}"
{limit}""")]) if not rule.builtin]
    return rule


@pytest.mark.parametrize(
    ("where", "places"),
    [
        ("any", {"middle", "top", "bottom", "short story"}),
        ("edge", {"top", "bottom", "short story"}),
        ("top", {"top", "short story"}),
        ("bottom", {"bottom", "short story"}),
    ],
    ids=["any", "edge", "top", "bottom"],
)
def test_a_rule_explains_a_paragraph_only_where_it_applies_as_classify_does(tmp_path, where, places):
    rule = _funding_rule(tmp_path, where)
    explained = {place: rule.explain(FUNDING, 12, *flags) for place, flags in PLACES.items()}
    reason = "funding credit: the Hartwell Family Foundation (rule funding)"
    assert explained == {place: reason if place in places else None for place in PLACES}
    rules = [rule, *default_rules()]
    story = [FUNDING, *BODY[:3], FUNDING, *BODY[3:6], FUNDING]  # at the top, in the middle, at the bottom
    assert [classify(story, rules)[i] for i in (0, 4, 8)] == [explained["top"], explained["middle"], explained["bottom"]]
    assert classify(["Flooding closed the bridge on Monday.", FUNDING], rules)[1] == explained["short story"]


def test_a_rule_limited_in_words_explains_a_paragraph_of_exactly_that_many(tmp_path):
    rule = _funding_rule(tmp_path, "any", max_words=12)
    assert rule.explain(FUNDING, 12, False, False) == "funding credit: the Hartwell Family Foundation (rule funding)"
    assert rule.explain(FUNDING.replace("the Hartwell", "the Ohio-based Hartwell"), 13, False, False) is None


def test_a_rule_explains_nothing_in_a_paragraph_it_does_not_match(tmp_path):
    assert _funding_rule(tmp_path, "any").explain(BODY[0], 9, True, True) is None
    byline = next(rule for rule in default_rules() if rule.name == "byline")
    assert byline.explain("By Jane Doe and John Roe", 6, True, False) == "byline (rule byline)"  # one of ours, on re
    assert byline.explain("By Monday, the union had reached a deal.", 8, True, False) is None


def test_copies_of_the_rules_find_the_verdicts_reached_with_the_originals(tmp_path):
    # Rules reach ingest's worker processes as copies (pickled); a batch judged with the copies
    # must find the verdicts cached for equal rules, even when its rule set had to be rebuilt.
    rules = [_funding_rule(tmp_path, "bottom"), *default_rules()]
    story = ["By Jane Doe", *BODY, FUNDING]
    reasons = classify(story, rules)
    boilerplate._rule_set.cache_clear()  # as when more than eight sets of rules were used
    hits = boilerplate._verdict.cache_info().hits
    assert classify(story, pickle.loads(pickle.dumps(rules))) == reasons
    assert boilerplate._verdict.cache_info().hits - hits == len(story)
    # the cache key: equal rules make equal sets, other rules (or a bare tuple) do not
    assert boilerplate._RuleSet(tuple(pickle.loads(pickle.dumps(rules)))) == boilerplate._RuleSet(tuple(rules))
    assert boilerplate._RuleSet(tuple(default_rules())) != boilerplate._RuleSet(tuple(rules))
    assert boilerplate._RuleSet(tuple(rules)) != tuple(rules)


def test_the_built_in_rules_are_read_and_run_without_the_regex_module(monkeypatch):
    # regex costs every command about 10 ms of start-up: only rules files need it
    monkeypatch.delitem(sys.modules, "regex", raising=False)
    assert classify(["By Jane Doe", *BODY], default_rules())[0] == "byline (rule byline)"
    assert "regex" not in sys.modules
    assert all(rule.builtin is True for rule in default_rules())


@pytest.mark.parametrize(
    "story",
    [
        ["Lightfoot Backs Down", "The mayor said on Friday that the talks would resume."],
        ["Lightfoot Backs Down", "The mayor said on Friday that the talks would resume.", "Teachers return Monday."],
    ],
)
def test_the_headline_of_a_short_story_is_not_a_signature(story):
    """In a story of two or three paragraphs the first is also among the last three."""
    assert classify(story, default_rules()) == [None] * len(story)


@pytest.mark.parametrize(
    "story",
    [
        ["The mayor said on Friday that the talks would resume.", "KXYZ Digital Staff"],
        ["The mayor said on Friday that the talks would resume.", "Teachers return Monday.", "KXYZ Digital Staff"],
    ],
)
def test_the_signature_of_a_short_story_is_found(story):
    reasons = classify(story, default_rules())
    assert reasons[:-1] == [None] * (len(story) - 1)
    assert reasons[-1].startswith("signature")


# -- shape features -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("READ MORE: Mayor Vows To Fight State Budget Cuts", "teaser"),  # by rule
        ("WATCH THE VIDEO: Storm Knocks Out Power To 40,000 Homes", "teaser"),  # unknown label, by shape
        ("Elsewhere In The Ledger Today: Storm Knocks Out Power To Homes", "teaser"),  # five label words
        ("Elsewhere In The Ledger Today Online: Storm Knocks Out Power", None),  # six: not a label
        ("Also On WKRN: Titans sign a veteran linebacker for the season", None),  # the rest is a sentence, not a headline
        ("Also On WKRN: Titans Sign Veteran Linebacker.", None),  # it ends like a sentence
        ("Also on wkrn: Titans Sign Veteran Linebacker", None),  # the label is not in headline case
        ("Also On WKRN: Titans Sign Veteran Linebacker for the Season", "teaser"),  # small words stay small
        ("Also On WKRN: 2nd Suspect Charged", "teaser"),  # a word may start with a figure
        ("HEADLINES: Apple Unveils New iPhone", "teaser"),  # three capitalised words in four are enough
    ],
)
def test_a_teaser_is_a_short_label_before_a_headline(line, expected):
    reason = _reason(line)
    assert (reason.split(":")[0] if reason else None) == expected


@pytest.mark.parametrize(
    ("line", "is_signature"),
    [
        ("KXYZ Digital Staff", True),
        ("Staff", True),
        ("Reporter Jane Q. Public, Ledger Staff", True),  # six words
        ("Reporter Jane Q. Public, The Ledger Staff", False),  # seven words
        ("Reach the newsroom at 555-0142", False),  # not in headline case
        ("The Vote Was Unanimous.", False),  # it ends like a sentence
        ("“We Will Be Back!”", False),  # so does a quote that ends with its mark
        ("Teachers And Staff:", False),  # a lead-in
        ("More Photos From Saturday's Big Parade:", False),  # a lead-in too long for a section label
        ("jane doe ledger staff", False),
        ("and The Ledger Staff", False),  # a signature starts with a capital
        ("2024 Ledger Staff", True),  # or a figure
        ("Staff at KXYZ", True),
        ("What Comes Next?", False),  # a question
        ("More To Come…", False),  # a sentence cut short
    ],
)
def test_a_signature_is_a_short_capitalised_line_at_the_end(line, is_signature):
    reason = _reason(line, "bottom")
    assert (reason is not None and reason.startswith("signature")) == is_signature


# -- rules files --------------------------------------------------------------------------


def _rules_file(tmp_path, body: str):
    path = tmp_path / "outlet.toml"
    path.write_text(body, "utf-8")
    return path


def test_a_rule_may_be_limited_to_the_top_and_to_a_number_of_words(tmp_path):
    rules = load_rules([_rules_file(tmp_path, """
[[rule]]
name = "kicker"
pattern = "^EXCLUSIVE"
where = "top"
max_words = 4
""")])
    story = ["EXCLUSIVE Ledger investigation", *BODY[:4], "EXCLUSIVE Ledger investigation", *BODY[4:]]
    reasons = classify(story, rules)
    assert reasons[0] == "kicker (rule kicker)"  # no reason given: the rule's name
    assert reasons[5] is None  # not at the top
    assert classify(["EXCLUSIVE: an investigation by the Ledger", *BODY], rules)[0] is None  # 6 words
    assert classify(["EXCLUSIVE Ledger investigation continues", *BODY], rules)[0] == "kicker (rule kicker)"  # 4


def test_a_named_group_fills_the_reason_and_an_unmatched_one_fills_nothing(tmp_path):
    rules = load_rules([_rules_file(tmp_path, """
[[rule]]
name = "sponsor"
pattern = '^Paid (?:for by (?P<sponsor>.+)|content)$'
reason = "paid for[{sponsor}]"
""")])
    assert _reason_with("Paid for by Acme Bank", rules) == "paid for[Acme Bank] (rule sponsor)"
    assert _reason_with("Paid content", rules) == "paid for[] (rule sponsor)"


def _reason_with(line: str, rules) -> str | None:
    return classify([*BODY[:4], line, *BODY[4:]], rules)[4]


def test_a_rules_file_without_rules_adds_none(tmp_path):
    assert load_rules([_rules_file(tmp_path, "# nothing yet\n")]) == default_rules()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('rules = 1\n', "unknown key 'rules' (rules are [[rule]] tables)"),
        ('rule = 1\n', "'rule' must be an array of tables ([[rule]])"),
        ('rule = [1]\n', "rule 1: must be a table"),
        ('[[rule]]\nname = "a"\npattern = "b"\nwhen = "top"\n',
         "rule 1: unknown key 'when' (known: name, pattern, where, max_words, reason)"),
        ('[[rule]]\nname = "a"\npattern = "b"\nmax_words = "4"\n', "rule 1: 'max_words' must be a int"),
        ('[[rule]]\nname = "a"\npattern = "b"\nmax_words = true\n', "rule 1: 'max_words' must be a int"),
        ('[[rule]]\nname = "a"\n', "rule 1: missing 'pattern'"),
        ('[[rule]]\nname = "a"\npattern = "b"\nwhere = "middle"\n', "rule 1: 'where' must be one of any, edge, top, bottom"),
        ('[[rule]]\nname = "a"\npattern = "("\n', "bad pattern: missing )"),
        ('[[rule]]\nname = "a"\npattern = "(?#unclosed comment"\n', "bad pattern: missing )"),
        ('[[rule]]\nname = "a"\npattern = "By Jane Doe)"\n', "bad pattern: unbalanced parenthesis"),
        ('[[rule]]\nname = "a"\npattern = "^By [A-Z"\n', "bad pattern: unterminated character set"),
        ('[[rule]\n', "not a valid TOML rules file"),
    ],
)
def test_a_bad_rules_file_is_named_with_what_is_wrong(tmp_path, body, says):
    path = _rules_file(tmp_path, body)
    with pytest.raises(InputError) as error:
        load_rules([path])
    assert str(error.value).startswith(f"{path}: ")
    assert says in str(error.value)


def test_a_missing_rules_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read rules file: No such file or directory"):
        load_rules([tmp_path / "missing.toml"])


@pytest.mark.parametrize(
    ("reason", "name"),
    [
        ("byline (rule byline)", "byline"),
        ("teaser: label “READ MORE:” before a headline (rule teaser-label)", "teaser-label"),
        ("signature: short capitalised line at the end of the story", None),  # a shape, no rule
        (None, None),  # reporting
    ],
)
def test_rule_name_reads_the_rule_back_from_a_reason(reason, name):
    assert rule_name(reason) == name
