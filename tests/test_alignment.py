"""Which OLD paragraph became which NEW one: compare() on small texts whose answer is known.

These assert what a reader sees (kinds, pairs, moves, the evidence named), not how the aligner
finds it, so they hold for any alignment engine; the last ones check its faster searches against
plain versions of them.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.diff.align import QUOTE_WORDS, _first_shared_quote
from cpsdiff.text.runs import longest_common_run
from cpsdiff.diff.comparison import compare
from cpsdiff.model import Kind
from cpsdiff.text.segment import parse_document
from tests.articles import rare_phrase_pair

LEDE = "The council met on Tuesday to discuss the budget for next year."
VOTE = "The vote is expected next week after a public hearing."
BOARD = "The school board met on Tuesday evening to discuss the budget for the coming year."
NURSES = "Teachers said the district has not hired enough nurses or counselors for its schools this year."
PHONE = "A spokesperson for the mayor declined to comment on the negotiations when reached by phone."
NEXT = "The board will meet again next month to vote on the final version of the plan."
AD = "Advertisement"


def _compare(old: list[str], new: list[str]):
    return compare(parse_document("\n\n".join(old), "old"), parse_document("\n\n".join(new), "new"))


def _pairs(result) -> list[tuple[str, tuple[int, ...], tuple[int, ...], bool]]:
    return [(c.kind.value, c.old, c.new, c.moved) for c in result.changes]


def _accounted_once(result) -> None:
    assert sorted(i for c in result.changes for i in c.old) == list(range(len(result.old.paragraphs)))
    assert sorted(j for c in result.changes for j in c.new) == list(range(len(result.new.paragraphs)))


# -- boilerplate and reporting ---------------------------------------------------------------

VOWED = "Mayor Ann Lee vowed to fight the state budget cuts to city schools, calling them unfair."
TEASER = "READ MORE: Mayor Ann Lee Vows To Fight State Budget Cuts To City Schools"


def test_a_teaser_restating_a_removed_paragraph_is_not_an_edit_of_it():
    result = _compare([LEDE, VOWED, VOTE], [LEDE, VOTE, TEASER])
    assert _pairs(result) == [
        ("unchanged", (0,), (0,), False),
        ("removed", (1,), (), False),
        ("unchanged", (2,), (1,), False),
        ("added", (), (2,), False),
    ]
    assert result.summary.removed == 1 and result.summary.boilerplate == 1 and result.summary.new == 0


def test_a_paragraph_restating_a_removed_teaser_is_new_reporting():
    result = _compare([LEDE, VOTE, TEASER], [LEDE, VOWED, VOTE])
    assert ("added", (), (1,), False) in _pairs(result)
    assert ("removed", (2,), (), False) in _pairs(result)
    assert result.summary.new == 1 and result.summary.edited == 0


def test_a_teaser_is_linked_only_to_a_nearly_identical_teaser():
    old = [LEDE, "READ MORE: Mayor Vows To Fight State Budget Cuts", NURSES]
    reworded = _compare(old, [LEDE, "READ MORE: Mayor Vows To Fight New State Budget Cuts", NURSES])
    assert _pairs(reworded)[1] == ("edited", (1,), (1,), False)
    other = _compare(old, [LEDE, "READ MORE: Mayor Vows To Fight Cuts As Teachers Strike", NURSES])
    assert [p[0] for p in _pairs(other)] == ["unchanged", "removed", "added", "unchanged"]


def test_a_paragraph_reworded_like_a_removed_teaser_is_still_an_edit_of_its_own_paragraph():
    """The removed teaser shares more words with the new wording, but chrome is never its match:
    the paragraph's own OLD version is."""
    result = _compare(
        [LEDE, TEASER, VOWED, VOTE],
        [LEDE, "Mayor Ann Lee vows to fight state budget cuts to city schools, she said on Friday.", VOTE],
    )
    assert _pairs(result)[1:3] == [("removed", (1,), (), False), ("edited", (2,), (1,), False)]


def test_a_byline_that_changed_one_name_is_the_same_byline_edited():
    """Six of eight words kept is similarity 0.75, the least chrome needs to be linked to chrome."""
    result = _compare([LEDE, NURSES, "By Jane Doe and Bill Smith, Staff Writers"],
                      [LEDE, NURSES, "By Jane Doe and Ann Lee, Staff Writers"])
    assert _pairs(result)[2] == ("edited", (2,), (2,), False) and result.changes[2].similarity == 0.75
    assert result.new_labels[2].role.value == "boilerplate"


# -- edits, merges and splits ----------------------------------------------------------------


def test_paragraphs_run_together_are_a_merge_and_one_broken_up_is_a_split():
    merged = _compare([BOARD, NURSES, PHONE, NEXT], [BOARD, f"{NURSES} {PHONE}", NEXT])
    assert _pairs(merged) == [
        ("unchanged", (0,), (0,), False), ("merged", (1, 2), (1,), False), ("unchanged", (3,), (2,), False)]
    assert merged.summary.merged == 1 and merged.changes[1].similarity == 1.0
    split = _compare([BOARD, f"{NURSES} {PHONE}", NEXT], [BOARD, NURSES, PHONE, NEXT])
    assert _pairs(split) == [
        ("unchanged", (0,), (0,), False), ("split", (1,), (1, 2), False), ("unchanged", (2,), (3,), False)]
    assert split.summary.split == 1


PARENTS = "Parents who spoke at the meeting asked the board to delay the vote until the public could read the proposal."


def test_a_merge_or_split_takes_only_parts_that_bring_sentences_of_their_own():
    """A third paragraph that repeats a sentence already accounted for is no part of the merge."""
    merged = _compare([BOARD, NURSES, PHONE, f"{PHONE} {PARENTS}", NEXT], [BOARD, f"{NURSES} {PHONE}", NEXT])
    assert _pairs(merged)[1:3] == [("merged", (1, 2), (1,), False), ("removed", (3,), (), False)]
    split = _compare([BOARD, f"{NURSES} {PHONE}", f"{PHONE} {PARENTS}", NEXT], [BOARD, NURSES, PHONE, NEXT])
    assert _pairs(split)[1:3] == [("split", (1,), (1, 2), False), ("removed", (2,), (), False)]


DECLINED = "Superintendent Ruth Adams declined comment."  # a whole sentence of five words


@pytest.mark.parametrize("way", ["merge", "split"])
def test_a_five_word_sentence_run_into_the_paragraph_before_is_a_merge_and_broken_out_a_split(way):
    """Five words make a sentence that counts (MIN_SENTENCE_WORDS): the short paragraph is a part."""
    apart, together = [BOARD, NURSES, DECLINED, NEXT], [BOARD, f"{NURSES} {DECLINED}", NEXT]
    if way == "merge":
        assert _pairs(_compare(apart, together))[1] == ("merged", (1, 2), (1,), False)
    else:
        assert _pairs(_compare(together, apart))[1] == ("split", (1,), (1, 2), False)


DELAYED = "The vote was delayed again. Dr. Maria Chen said the delay would cost the district money."
PACKED = "The vote was delayed again. Parents packed the meeting room on Tuesday night."


def test_a_paragraph_repeating_a_sentence_of_the_first_part_is_no_part_of_a_merge_or_split():
    """The first part's sentences stay accounted for once a second part joins."""
    merged = _compare([BOARD, DELAYED, PHONE, PACKED, NEXT], [BOARD, f"{DELAYED} {PHONE}", NEXT])
    assert _pairs(merged)[1:3] == [("merged", (1, 2), (1,), False), ("removed", (3,), (), False)]
    split = _compare([BOARD, f"{DELAYED} {PHONE}", NEXT], [BOARD, DELAYED, PHONE, PACKED, NEXT])
    assert _pairs(split)[1:3] == [("split", (1,), (1, 2), False), ("added", (), (3,), False)]


RALLY_LEE = 'At a rally on Thursday, Lee said: "This city will never balance the budget on the backs of our children."'
RALLY_UNION = 'At the rally, the union president answered: "Not on the backs of our children and teachers."'


@pytest.mark.parametrize(
    ("old", "new", "evidence"),
    [
        (
            'Lee, speaking at City Hall on Thursday, said: "We will not balance this budget on the backs of our '
            'children." Aides said she would veto it.',
            '"We will not balance this budget on the backs of our children," the mayor told reporters at a rally '
            "outside a school on Friday morning.",
            "shared quote “we will not balance this budget on the backs of our children”",
        ),
        (
            "Police closed the road for three hours. The driver of the truck was taken to a hospital with minor "
            "injuries. Traffic was diverted through the town center.",
            "The driver of the truck was taken to a hospital with minor injuries. Officials have not said what "
            "caused the crash, which happened during the morning rush, or whether charges would follow.",
            "shared sentence",
        ),
        (
            "The plan would close the Harmon Street fire station in the spring, according to documents seen by "
            "the Ledger.",
            "Firefighters protested outside City Hall against plans to close the Harmon Street fire station in the "
            "spring and cut two engine companies.",
            "shared phrase “close the harmon street fire station in the spring”",
        ),
        (
            f"{NURSES} {PHONE} {NEXT}",
            "Teachers said the district has not hired enough nurses or counselors.",
            "100% of the shorter paragraph kept",
        ),
        # the words shared end one quote and not the other, either way round
        (RALLY_LEE, RALLY_UNION, "shared quote “on the backs of our children”"),
        (RALLY_UNION, RALLY_LEE, "shared quote “on the backs of our children”"),
        # short sentences before the shared one
        (
            "No one was hurt. The driver of the truck was taken to a hospital with minor injuries. Traffic was "
            "diverted through the town center for most of the afternoon while crews cleared the road.",
            "Police said little. The driver of the truck was taken to a hospital with minor injuries. Officials have "
            "not said what caused the crash, which happened during the morning rush, or whether charges would follow.",
            "shared sentence",
        ),
        # two short sentences kept, together a third of the paragraph
        (
            "Police said the fire started in a kitchen. Two people were treated at the scene. The building had no "
            "working smoke alarms, according to a fire department spokesperson who spoke on condition of anonymity "
            "because the investigation was continuing.",
            "Two people were treated at the scene. Investigators have not determined how the blaze began or whether "
            "anyone will face charges, and neighbors said the landlord had ignored their complaints for months. "
            "Police said the fire started in a kitchen.",
            "shared sentence",
        ),
        # cut down to eight words (TRIM_WORDS: at least eight kept)
        (
            f"{NURSES} {PHONE} {NEXT}",
            "Teachers said the district has not hired nurses.",
            "100% of the shorter paragraph kept",
        ),
        # cut down to a paragraph of which exactly three fifths are old words (TRIM_SHARE: at least)
        (
            f"{NURSES} {PHONE} {NEXT}",
            "Teachers said the district has not hired enough nurses, union leaders told reporters late Friday.",
            "60% of the shorter paragraph kept",
        ),
        # a sentence that is exactly three tenths of the shorter paragraph (MIN_PART_SHARE: at least)
        (
            "Mayor Ann Lee declined to comment. Her office said a written statement would follow once the talks "
            "ended on Sunday.",
            "Mayor Ann Lee declined to comment. Union leaders, meanwhile, asked parents to keep their children home "
            "for the rest of the week.",
            "shared sentence",
        ),
        # long paragraphs sharing nothing but a five-word quote: three shingles in common, fewer
        # than a tenth, is enough to weigh the quote (QUOTE_WORDS)
        (
            '"Our children belong in classrooms," Mayor Ann Lee told reporters outside City Hall on Thursday, '
            "saying the strike had gone on long enough and that she would meet union leaders again on Monday to "
            "make a final offer.",
            '"Our children belong in classrooms, not on picket lines," the teachers union president, Maria Ortiz, '
            "told a crowd of parents on Friday, and she urged the mayor to return to the table with a better offer.",
            "shared quote “our children belong in classrooms”",
        ),
        # a one-sentence paragraph folded into a longer one
        (
            "The city will close three schools.",
            "Officials said late Friday that the city will close three schools in the fall as enrollment keeps "
            "falling across the district.",
            "shared phrase “the city will close three schools”",
        ),
    ],
    ids=["quote", "sentence", "rare phrase", "cut down", "quote at the end", "quote at the end, reversed",
         "sentence after a short one", "two sentences", "cut to eight words", "cut to three fifths",
         "a sentence, three tenths", "five-word quote in long paragraphs", "six words folded in"],
)
def test_a_rewrite_that_keeps_little_is_an_edit_when_something_strong_is_shared(old, new, evidence):
    result = _compare([LEDE, old, VOTE], [LEDE, new, VOTE])
    change = result.changes[1]
    assert (change.kind, change.old, change.new) == (Kind.EDITED, (1,), (1,))
    assert change.similarity < 0.5
    assert change.evidence.casefold() == evidence.casefold()


def test_a_paragraph_that_keeps_half_its_words_is_an_edit_on_its_words_alone():
    """Similarity 0.5 is enough (EDIT_SIMILARITY is a minimum): no other evidence is named."""
    chen = "Dr. Maria Chen, the county health officer, resigned on Monday."
    result = _compare([LEDE, f"{chen} Her deputy, Sam Ortiz, will lead the department until June.", VOTE],
                      [LEDE, f"{chen} She cited exhaustion after two hard winters of pandemic work.", VOTE])
    change = result.changes[1]
    assert (change.kind, change.similarity, change.evidence) == (Kind.EDITED, 0.5, None)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # two shingles of the smaller paragraph's twenty ("would hire forty", "hire forty new"): a
        # tenth is enough to weigh the two on their words
        ("Lee told reporters on Friday that the city would hire forty new teachers and ten nurses before the "
         "school year begins in September.",
         "Lee told parents on Monday that the district would hire forty new counselors and two librarians before "
         "the first day of classes."),
        # fewer than a tenth, but a sentence reworded in one word ("The talks are still ...") shares
        # two of its three shingles: a shared sentence keeps the pair
        ("Lee told reporters on Friday that the city would hire new teachers and nurses before the school year "
         "begins in September. The talks are still continuing.",
         "Lee told parents on Monday that the district would hire more counselors and librarians before the first "
         "day of classes. The talks are still going."),
    ],
    ids=["a tenth of the shingles", "a short sentence reworded"],
)
def test_a_paragraph_reworded_word_by_word_is_an_edit_though_it_keeps_few_three_word_runs(old, new):
    """Half the words kept, but scattered: few shingles in common. The candidate rules let the pair
    through to the word comparison, which finds the edit."""
    result = _compare([LEDE, old, VOTE], [LEDE, new, VOTE])
    change = result.changes[1]
    assert (change.kind, change.old, change.new, change.evidence) == (Kind.EDITED, (1,), (1,), None)
    assert change.similarity >= 0.5


@pytest.mark.parametrize(
    ("part", "in_merge"),
    [
        # eight words, one changed: half the shingles in common (SENTENCE_MATCH is a minimum)
        ("The board will vote on the plan Thursday.", "The board will vote on the budget Thursday."),
        # the sentence carried over is three tenths of the paragraph (MIN_PART_SHARE is a minimum)
        ("Mayor Ann Lee declined to comment. Her office said a written statement would follow once the talks "
         "ended on Sunday.", "Mayor Ann Lee declined to comment."),
    ],
    ids=["a sentence reworded", "three tenths of a paragraph"],
)
def test_a_paragraph_whose_sentence_is_run_into_the_one_before_is_part_of_a_merge(part, in_merge):
    result = _compare([LEDE, NURSES, part, VOTE], [LEDE, f"{NURSES} {in_merge}", VOTE])
    assert _pairs(result)[1] == ("merged", (1, 2), (1,), False)


def test_a_rewrite_that_shares_only_common_words_is_removed_and_added():
    result = _compare(
        [LEDE, "Lee, the mayor, said on Thursday that she would fight cuts to the city's schools.", VOTE],
        [LEDE, "Mayor Ann Lee vows to fight state budget cuts to city schools, she said on Friday.", VOTE],
    )
    assert [p[0] for p in _pairs(result)] == ["unchanged", "removed", "added", "unchanged"]


def test_a_stock_phrase_is_no_evidence_unless_found_once_on_each_side():
    """"said in a statement on Friday that" in two NEW paragraphs ties neither to the OLD one that
    has it too; a phrase found once in each version does tie its two paragraphs."""
    old = [
        LEDE,
        "The governor said in a statement on Friday that the budget would be balanced by cutting travel and freezing hiring.",
        "The mayor said she would veto any budget that closes a fire station.",
        "The plan would close the Harmon Street fire station in the spring, according to documents seen by the Ledger.",
    ]
    new = [
        LEDE,
        "The teachers union said in a statement on Friday that its members would strike next week unless talks resume.",
        "Officers will refuse overtime shifts during any strike, the police union said in a statement on Friday that "
        "was sent to members.",
        "Firefighters protested outside City Hall against plans to close the Harmon Street fire station in the spring "
        "and cut two engine companies.",
    ]
    result = _compare(old, new)
    assert [p[0] for p in _pairs(result)] == ["unchanged", "removed", "removed", "added", "added", "edited"]
    assert result.changes[-1].evidence.startswith("shared phrase")


# A closings list updated a day later: every entry re-dated, so none is carried over unchanged, and
# the wording they all share ("will be closed on", "the district said in a statement") is stock.
SCHOOLS = ["Lincoln Elementary", "Jefferson Middle", "Oak Hill Elementary", "Central High", "Riverside Elementary",
           "Washington Middle", "Maple Grove Elementary", "North High", "Eastside Elementary", "Hamilton Middle"]
CLOSINGS = "Dozens of schools across the county will stay closed as the storm moves east, officials said."


def _closing(school: str, day: str) -> str:
    return f"{school} School will be closed on {day} because of the storm, the district said in a statement."


@pytest.mark.parametrize(
    ("schools", "new_entry"),
    [
        (SCHOOLS[:9], _closing("Roosevelt Middle", "Wednesday")),
        (SCHOOLS, "Roosevelt Middle School will open two hours late on Wednesday because of the storm, the district "
                  "said in a statement."),
        # twenty entries, ten of them elementary schools: "Elementary School will" is stock too
        ([f"{name} {kind}" for name in ("Adams", "Brookside", "Cedar Park", "Garfield", "Kennedy", "Lakeview",
                                        "Madison", "Pine Ridge", "Sunset Hills", "Franklin")
          for kind in ("High", "Elementary")], _closing("Roosevelt Elementary", "Wednesday")),
    ],
    ids=["same wording", "reworded", "twenty entries"],
)
def test_a_school_added_to_a_long_closings_list_is_not_an_edit_of_one_dropped_from_it(schools, new_entry):
    # Not yet true when the two entries share more than stock wording: a dropped "Hamilton Middle"
    # entry is taken for a new "Roosevelt Middle" one, as their sentences (a name and a day apart)
    # count as the same sentence.
    old = [CLOSINGS] + [_closing(school, "Tuesday") for school in schools]
    new = [CLOSINGS] + [_closing(school, "Wednesday") for school in schools[:-1]] + [new_entry]
    result = _compare(old, new)
    assert _pairs(result)[-2:] == [("removed", (len(schools),), (), False), ("added", (), (len(schools),), False)]
    assert [p[0] for p in _pairs(result)[1:-2]] == ["edited"] * (len(schools) - 1)


@pytest.mark.parametrize(
    "lede",
    [
        "Crews worked through the night to repair a broken boiler at one school as the storm moved east.",
        "The district said in a statement that crews had worked through the night on a broken boiler.",
    ],
    ids=["a lede sharing three words", "a lede sharing three words and stock wording"],
)
def test_an_entry_reworded_in_a_long_closings_list_is_an_edit_of_its_own_entry(lede):
    """Garfield's entry shares little but stock wording with its new version (one-word names make
    few shingles of their own), and an earlier paragraph shares "a broken boiler" with it."""
    old = [lede] + [_closing(school, "Tuesday") for school in SCHOOLS[:9]] + [_closing("Garfield", "Tuesday")]
    new = [CLOSINGS] + [_closing(school, "Wednesday") for school in SCHOOLS[:9]] + [
        "Garfield School will be closed on Wednesday because of a broken boiler, the district said in a statement."]
    result = _compare(old, new)
    assert _pairs(result)[0:2] == [("removed", (0,), (), False), ("added", (), (0,), False)]
    assert _pairs(result)[2:] == [("edited", (i,), (i,), False) for i in range(1, 11)]


def test_wording_shared_by_as_many_entries_as_the_stock_limit_still_ties_a_reworded_entry_to_its_own():
    """Eight old entries (COMMON_SHINGLE, a maximum) share "the district said in a statement": it
    still counts, and Garfield's reworded entry, which shares only that and its name with the
    old one, is an edit of it. (With a ninth entry the wording is stock.)"""
    schools = SCHOOLS[:7]
    old = [CLOSINGS] + [_closing(school, "Tuesday") for school in schools] + [_closing("Garfield", "Tuesday")]
    new = [CLOSINGS] + [_closing(school, "Wednesday") for school in schools] + [
        "Garfield School will stay closed on Wednesday because of a broken boiler, the district said in a statement."]
    result = _compare(old, new)
    assert _pairs(result)[1:] == [("edited", (i,), (i,), False) for i in range(1, 9)]


def test_a_stock_phrase_is_no_evidence_even_beside_a_name_both_paragraphs_mention():
    """"Gov. Ann Lee" in both is rare, but rare three-word names are not the phrases that count: the
    shared six-word run, "said in a statement on Friday that", is stock (two NEW paragraphs have it)."""
    result = _compare(
        [LEDE,
         "Gov. Ann Lee said in a statement on Friday that the budget would be balanced by cutting travel, "
         "freezing hiring and delaying road repairs across the state.",
         "The mayor said she would veto any budget that closes a fire station."],
        [LEDE,
         "The teachers union said in a statement on Friday that its members would strike next week unless Gov. "
         "Ann Lee reopens talks on pay.",
         "Officers will refuse overtime shifts during any strike, the police union said in a statement on Friday "
         "that was sent to members."],
    )
    assert [p[0] for p in _pairs(result)] == ["unchanged", "removed", "removed", "added", "added"]


def test_of_two_equally_long_shared_passages_the_evidence_quotes_the_first():
    result = _compare(
        [LEDE, 'Speaking to parents at Lincoln Elementary on Thursday night, Mayor Ann Lee said: "We will not cut a '
               'single teacher, and we will not close a single school." The crowd cheered.', VOTE],
        [LEDE, '"We will not close a single school, and we will not cut a single teacher," Lee told reporters on '
               'Friday, a day after union leaders accused her of planning layoffs.', VOTE],
    )
    assert result.changes[1].kind is Kind.EDITED
    assert result.changes[1].evidence == "shared quote “we will not cut a single teacher”"


RECAP_SCHOOLS = ["Oak Hill", "Pine Ridge", "Cedar Park", "Maple Grove", "Sunset Hills", "Deer Creek", "Fox River",
                 "Eagle Point", "Mill Creek", "Stone Bridge", "Red Oak", "Elm Park", "Lake Forest", "Willow Bend"]


def test_a_recap_naming_every_school_is_an_edit_of_the_old_recap_when_each_entry_names_one_too():
    """The recap shares a school's name with each of fourteen entries, more than the candidates
    weighed for it: the old recap, which shares the most, is weighed first though it comes last."""
    def recap(day):
        return f"Closed on {day}: " + ", ".join(f"{name} Elementary" for name in RECAP_SCHOOLS) + "."

    old = [CLOSINGS] + [_closing(f"{name} Elementary", "Tuesday") for name in RECAP_SCHOOLS] + [recap("Tuesday")]
    new = [CLOSINGS] + [_closing(f"{name} Elementary", "Wednesday") for name in RECAP_SCHOOLS] + [recap("Wednesday")]
    result = _compare(old, new)
    assert _pairs(result)[1:] == [("edited", (i,), (i,), False) for i in range(1, 16)]


# "What we know" bullets, each a sentence of eight words: every bullet shares exactly as many
# shingles with the paragraph that runs them together.
BULLETS = [
    "The storm made landfall near Galveston on Tuesday.",
    "Winds reached ninety miles an hour at sea.",
    "More than two hundred thousand homes lost power.",
    "Schools in four counties will stay closed Wednesday.",
    "Governor Ann Lee declared a state of emergency.",
    "Shelters are open at six high schools downtown.",
    "Two people were killed by a falling tree.",
    "The airport canceled all flights until Thursday morning.",
    "Forecasters expect the river to crest on Friday.",
    "Residents near the coast were ordered to leave.",
    "The Red Cross has sent volunteers from Dallas.",
    "Officials said damage could exceed two billion dollars.",
    "Dr. Sam Ortiz urged people to boil water.",
    "Police closed Interstate 45 south of Houston overnight.",
    "The U.S. Coast Guard rescued eleven fishermen.",
    "Federal aid is expected to arrive by Friday.",
]


@pytest.mark.parametrize("order", ["as listed", "reversed", "from the middle"])
def test_bullets_run_into_one_paragraph_are_merged_earliest_first_the_same_on_every_run(order):
    """Thirteen bullets tie for the merge: the candidates weighed for one paragraph (MAX_CANDIDATES)
    are its strongest, ties by position, so those left out are the last bullets, never ones picked
    by PYTHONHASHSEED's set order. (That a merge stops at MAX_CANDIDATES parts is a known limit.)"""
    # three orders: a set order that happens to leave out the last bullets of one rarely does in all
    bullets = {"as listed": BULLETS, "reversed": BULLETS[::-1], "from the middle": BULLETS[8:] + BULLETS[:8]}[order]
    intro = "Here is what we know about Hurricane Delia so far."
    old = [f"{intro} {' '.join(bullets[:3])}"] + bullets[3:]
    result = _compare(old, [f"{intro} {' '.join(bullets)}"])
    merged, *left_out = result.changes
    assert merged.kind is Kind.MERGED and merged.new == (0,)
    assert merged.old == tuple(range(len(merged.old)))
    assert [(c.kind, c.old) for c in left_out] == [(Kind.REMOVED, (i,)) for i in range(len(merged.old), len(old))]


def test_a_stock_sentence_is_no_evidence():
    """Two reports that end with the same five-word sentence are not one report edited."""
    result = _compare(
        [LEDE, "A man was shot in the leg outside a gas station on the West Side early Sunday, police said. "
               "The cause is under investigation.", VOTE],
        [LEDE, "A fire at a vacant house on the South Side was put out by crews early Monday, the fire department "
               "reported. The cause is under investigation.", VOTE],
    )
    assert [p[0] for p in _pairs(result)] == ["unchanged", "removed", "added", "unchanged"]


def test_a_sentence_too_short_to_count_is_not_a_shared_sentence():
    """"Police said Friday." is three words: a longer paragraph that opens with them shares no
    sentence with it, and nothing else ties the two."""
    result = _compare(
        [LEDE, "Police said Friday.", VOTE],
        [LEDE, "Police said Friday that the driver, a 34-year-old man from Dayton, had been drinking.", VOTE],
    )
    assert [p[0] for p in _pairs(result)] == ["unchanged", "removed", "added", "unchanged"]
    assert not any(c.evidence for c in result.changes)


def test_a_short_paragraph_that_changed_only_its_punctuation_is_an_edit():
    result = _compare([LEDE, "Developing story", VOTE], [LEDE, "Developing story...", VOTE])
    assert _pairs(result)[1] == ("edited", (1,), (1,), False)


def test_a_paragraph_merged_into_one_is_not_also_an_edit_of_another():
    result = _compare([BOARD, NURSES, PHONE, NEXT], [BOARD, f"{NURSES} {PHONE}", NEXT, PHONE.replace("phone.", "phone on Friday.")])
    _accounted_once(result)
    assert _pairs(result)[1] == ("merged", (1, 2), (1,), False)


def test_a_long_paragraph_that_shares_only_a_short_sentence_is_not_merged():
    parents = ("Parents who spoke at the meeting asked the board to delay the vote until the public could read the "
               "whole proposal, and several said they had learned of the plan only from a neighbor. The budget was not ready.")
    result = _compare([BOARD, NURSES, parents, NEXT], [BOARD, f"{NURSES} The budget was not ready.", NEXT])
    assert _pairs(result)[1:3] == [("edited", (1,), (1,), False), ("removed", (2,), (), False)]


def test_an_edit_carries_its_word_diff_and_similarity():
    result = _compare([LEDE, NURSES], [LEDE, NURSES.replace("nurses or counselors", "nurses, counselors or librarians")])
    change = result.changes[1]
    assert change.kind is Kind.EDITED and change.evidence is None
    assert 0.9 < change.similarity < 1
    assert ("+", " librarians") in change.diff or any(op == "+" and "librarians" in text for op, text in change.diff)


def test_a_change_of_typography_alone_is_an_edit_that_keeps_every_word():
    result = _compare([LEDE, 'The mayor said the "deal" was done -- for now.'], [LEDE, "The mayor said the “deal” was done — for now."])
    change = result.changes[1]
    assert (change.kind, change.similarity) == (Kind.EDITED, 1.0)


# -- repeated paragraphs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([LEDE, AD, NURSES, AD, PHONE], [AD, LEDE, AD, NURSES, AD, PHONE]),  # one more at the top
        ([AD, LEDE, AD, NURSES, AD, PHONE], [AD, LEDE, AD, NEXT, AD, NURSES, AD, PHONE]),  # one more in the middle
        ([AD, LEDE, AD, NURSES, AD, PHONE], [LEDE, AD, NURSES, AD, PHONE]),  # one fewer
    ],
)
def test_a_separator_added_or_removed_moves_nothing(old, new):
    result = _compare(old, new)
    _accounted_once(result)
    assert not any(c.moved for c in result.changes)
    assert result.summary.carried == len(set(old) & set(new) - {AD})
    assert result.summary.new == len(set(new) - set(old))


def test_every_paragraph_is_accounted_for_once_when_separators_repeat():
    _accounted_once(_compare([LEDE, AD, NURSES, AD, PHONE], [LEDE, AD, NURSES, AD, PHONE, AD, NEXT]))


def test_marks_without_words_are_not_edits_of_each_other():
    """An end mark and a section break have no words to recognise them by: the one removed and
    the other added, never one "edited" (and moved) into the other."""
    result = _compare([LEDE, NURSES, "■"], [LEDE, "* * *", NURSES])
    assert sorted(p[:3] for p in _pairs(result)) == [
        ("added", (), (1,)), ("removed", (2,), ()), ("unchanged", (0,), (0,)), ("unchanged", (1,), (2,))]


# -- labels and counts -------------------------------------------------------------------


def test_every_paragraph_is_labelled_with_its_fate_and_where_it_went():
    share = (("Share this story", "in a share bar (markup)"),)
    old = parse_document("\n\n".join([BOARD, f"{NURSES} {PHONE}", PARENTS, "Share this story"]), "old", share)
    new = parse_document(
        "\n\n".join([BOARD.replace("Tuesday", "Monday"), NURSES, PHONE, NEXT, "Share this story", BOARD]), "new", share)
    result = compare(old, new)
    assert [(label.role.value, label.reason) for label in result.old_labels] == [
        ("carried", "unchanged in new ¶6"),
        ("edited", "split into ¶2+¶3 (similarity 1.00)"),
        ("removed", "no counterpart in new"),
        ("boilerplate", "in a share bar (markup)"),
    ]
    assert [(label.role.value, label.reason) for label in result.new_labels] == [
        ("new", "no counterpart in old"),
        ("edited", "split from ¶2 (similarity 1.00)"),
        ("edited", "split from ¶2 (similarity 1.00)"),
        ("new", "no counterpart in old"),
        ("boilerplate", "in a share bar (markup)"),
        ("carried", "unchanged from old ¶1"),
    ]
    words = len(BOARD.split()) + len(NEXT.split())
    # moved: the first paragraph went to the end, or everything else went before it
    counts = {name: getattr(result.summary, name) for name in (
        "new", "edited", "merged", "split", "carried", "removed", "boilerplate", "moved", "words_added", "words_removed")}
    assert counts == dict(new=2, edited=0, merged=0, split=1, carried=1, removed=1, boilerplate=1, moved=1,
                          words_added=words, words_removed=len(PARENTS.split()))


def test_an_edit_is_labelled_with_its_similarity_rounded_for_people():
    result = _compare([LEDE, NURSES], [LEDE, NURSES.replace("nurses or counselors", "nurses, counselors or librarians")])
    change = result.changes[1]
    assert change.similarity == 0.909  # 2 × 15 kept / 33 words
    assert result.new_labels[1].reason == "edited from ¶2 (similarity 0.91)"
    assert result.old_labels[1].reason == "edited into ¶2 (similarity 0.91)"


def test_a_paragraph_cut_to_one_sentence_keeping_a_fifth_of_the_words_is_still_an_edit():
    """The shortest kind of trim: 8 of a 10-word sentence kept from a 70-word paragraph is a
    similarity of exactly 0.2 (2 x 8 / 80), the least a pair with evidence needs."""
    cut = ("The spending plan adds money for road repairs across the north side, keeps library hours as they are, "
           "and sets aside funds for two new fire engines, while council members argued for hours over a proposed "
           "tax on short-term rentals that was dropped late in the evening before the vote, which ended well after "
           "eleven that night in City Hall.")
    intro = "Springfield will spend $48 million next year under a plan approved this week."
    old = [intro, "Mayor Ana Ruiz signed the budget on Friday after " + cut]
    new = [intro, "Mayor Ana Ruiz signed the budget on Friday, aides said."]
    assert _pairs(_compare(old, new))[1][:3] == ("edited", (1,), (1,))


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_rare_phrase_makes_a_candidate_of_paragraphs_that_share_little_else_in_a_row(where):
    """Under a tenth of their three-word runs in common and no sentence: without the rare phrase
    they would never be compared, yet most of their words are kept in order."""
    old, new = rare_phrase_pair()
    other_old, other_new = "The weather stayed dry all week in the valley.", "A new bakery opened on Main Street on Saturday."
    new_paragraphs = [new, other_new] if where == "first" else [other_new, new]
    result = _compare([old, other_old], new_paragraphs)
    edited = [c for c in result.changes if c.kind is Kind.EDITED]
    assert [(c.old, c.new) for c in edited] == [((0,), (new_paragraphs.index(new),))]
    assert edited[0].similarity >= 0.5


# -- the aligner's searches, against plain versions of them -------------------------------------

_QUOTES = st.lists(st.lists(st.sampled_from("ab"), max_size=9), max_size=5)  # two words: runs are often shared


def _shared_quote_plainly(a: list[list[str]], b: list[list[str]]) -> list[str]:
    """The evidence's quote as first written: every quote of A against every quote of B."""
    for qa in a:
        for qb in b:
            run = longest_common_run(qa, qb, QUOTE_WORDS)
            if run:
                return run
    return []


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(_QUOTES, _QUOTES)
def test_the_first_shared_quote_is_the_one_trying_every_pair_finds(a, b):
    pair = _first_shared_quote(a, b)
    assert (longest_common_run(*pair, QUOTE_WORDS) if pair else []) == _shared_quote_plainly(a, b)


def _longest_common_run_plainly(a: list[str], b: list[str], minimum: int) -> list[str]:
    """_longest_common_run as first written: every shared start measured to its end."""
    best: list[str] = []
    for i in range(len(a) - minimum + 1):
        for j in range(len(b) - minimum + 1):
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length >= minimum and length > len(best):
                best = list(a[i : i + length])
    return best


_WORDS = st.lists(st.sampled_from("abc"), max_size=30)  # few words: runs repeat, as table cells do


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(_WORDS, _WORDS, st.integers(0, 6))
def test_the_longest_common_run_is_the_first_of_the_longest(a, b, minimum):
    """Read once through an index of B's runs, A's longest shared run is the first of the
    longest, as measuring from every pair of starts finds it."""
    assert longest_common_run(a, b, minimum) == _longest_common_run_plainly(a, b, minimum)
