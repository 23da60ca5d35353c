"""Families of sentences across versions: near-duplicate verification, sketches, candidates, groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpsdiff.lineage.families import (
    MAX_NEAR_WORDS,
    MAX_POSTING,
    MIN_NEAR_WORDS,
    RARE_POSTING,
    UnionFind,
    candidates_from_postings,
    group,
    near_duplicate,
    near_pairs,
    sketch,
    trivial,
    trivial_text,
)
from cpsdiff.text.normalize import norm_hash, normalized_words

SCHOOLS = "The mayor said on Friday that the city would close three schools before the end of the year."


def _near(a: str, b: str) -> bool:
    return near_duplicate(normalized_words(a), normalized_words(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # clauses in another order: most shingles survive, the word diff does not see it
        (SCHOOLS, "The mayor said on Friday that before the end of the year the city would close three schools."),
        (SCHOOLS, "Before the end of the year the city would close three schools, the mayor said on Friday."),
        # cut down: the shorter sentence is kept whole
        ("The mayor said the city would close three schools.",
         "The mayor said the city would close three schools before the end of the year, according to a letter sent to parents."),
        # two words changed: several shingles break, almost every word stays
        ("Police said the driver of the truck was taken to a hospital with minor injuries on Friday.",
         "Police said the driver of the truck was taken to the hospital with serious injuries on Friday."),
    ],
    ids=["clauses moved", "clauses moved to the front", "cut down", "words changed"],
)
def test_rewordings_of_one_sentence_are_near_duplicates(a, b):
    assert _near(a, b) and _near(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # shingle Jaccard exactly 0.5 (4 of 8 distinct three-word runs shared); 5 of 8 words in order
        ("Schools will close in June, the mayor said.", "The mayor said schools will close in June."),
        # 8 of the shorter one's 10 shingles kept (containment exactly 0.8), Jaccard 0.47
        ("The union said its members would not return until the buildings reopen.",
         "The union said its members would not return until the schools were safe for students and staff."),
        # kept whole in a sentence exactly three times as long (5 shingles in 15)
        ("Police said the driver of the truck.",
         "Police said the driver of the truck was taken to a hospital with minor injuries on Friday."),
        # two words changed three apart: Jaccard exactly 0.2 (3 of 15), 9 of 11 words kept
        ("Police said the driver of the truck was taken to hospital.",
         "Police said the owner of the van was taken to hospital."),
        # three words changed: exactly 0.75 of the words kept (9 of 12 on each side), Jaccard 0.33
        ("Police said the driver of the truck was taken to a hospital.",
         "Officials reported the driver of the van was taken to a hospital."),
    ],
    ids=["jaccard 0.5", "containment 0.8", "three times as long", "jaccard 0.2 checked word by word", "words kept 0.75"],
)
def test_a_pair_exactly_at_a_documented_threshold_is_a_near_duplicate(a, b):
    """The README's rule is "at least": shingle Jaccard >= 0.5, or containment >= 0.8 (in a sentence
    at most three times longer), or a word similarity >= 0.75 when Jaccard >= 0.2."""
    assert _near(a, b) and _near(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Police said the driver of the truck was taken to a hospital with minor injuries.", SCHOOLS),
        # one clause shared, the rest rewritten around it
        ("The mayor said on Friday that the city would close three schools.",
         "The city would close three schools, the mayor said on Friday, according to a letter sent to parents and seen by the Ledger."),
    ],
)
def test_different_sentences_are_not_near_duplicates(a, b):
    assert not _near(a, b) and not _near(b, a)


def test_near_duplicate_verification_does_not_depend_on_which_sentence_comes_first():
    # the word diff is not symmetric here: 0.74 of the words kept one way, 0.84 the other, around
    # the 0.75 that decides
    a = "These decisions, however, cannot be made unilaterally in a vacuum."
    b = "These decisions, however, cannot be unilaterally made in vacuum."
    assert _near(a, b) == _near(b, a)


def test_a_sentence_is_a_near_duplicate_of_itself_and_shares_nothing_with_an_empty_one():
    words = normalized_words(SCHOOLS)
    assert near_duplicate(words, words)
    assert not near_duplicate(words, ())
    assert not near_duplicate(("talks", "went", "on"), ("a", "new", "deal"))
    assert near_duplicate(("no", "comment"), ("no", "comment"))  # shorter than a shingle: the whole
    assert not near_duplicate(("no", "comment"), ("no", "deal"))
    assert not near_duplicate((), ())


def test_a_sketch_is_a_few_stable_non_negative_63_bit_keys_of_a_long_enough_sentence():
    keys = sketch(normalized_words(SCHOOLS))
    assert len(keys) == 6 and keys == sorted(set(keys))
    assert all(0 <= key < 2**63 for key in keys)
    assert keys == sketch(list(normalized_words(SCHOOLS)))
    assert sketch(normalized_words("The union said its members would not return.")) != []  # eight words
    assert sketch(normalized_words("The union said its members would return.")) == []  # seven: too short
    # a near duplicate shares some keys
    assert set(keys) & set(sketch(normalized_words(SCHOOLS.replace("three", "four"))))


def test_a_rare_key_makes_candidates_of_all_who_share_it():
    assert candidates_from_postings([[3, 1, 2]]) == {(1, 2), (1, 3), (2, 3)}
    assert candidates_from_postings([[7]]) == set()  # alone: no pair
    five = list(range(RARE_POSTING))
    assert len(candidates_from_postings([five])) == 10


def test_a_common_key_makes_candidates_only_of_pairs_that_share_another():
    common = list(range(RARE_POSTING + 1))
    assert candidates_from_postings([common]) == set()
    assert candidates_from_postings([common, [4, 0, 9, 10, 11, 12]]) == {(0, 4)}
    assert candidates_from_postings([common, common]) == {(a, b) for a in common for b in common if a < b}


def test_a_key_shared_too_widely_is_no_evidence():
    widest = list(range(MAX_POSTING))
    assert len(candidates_from_postings([widest, widest])) == MAX_POSTING * (MAX_POSTING - 1) // 2
    too_wide = list(range(MAX_POSTING + 1))
    assert candidates_from_postings([too_wide, too_wide]) == set()


def test_near_pairs_are_found_by_sketch_and_verified():
    texts = [normalized_words(t) for t in (
        SCHOOLS,
        "Police said the driver of the truck was taken to a hospital with minor injuries on Friday.",
        "The mayor said on Friday that the city would close four schools before the end of the year.",
        "Police said the driver of the truck was taken to the hospital with serious injuries on Friday.",
        "Talks went on.",
    )]
    assert near_pairs(texts) == [(0, 2), (1, 3)]


def test_families_join_exact_and_near_duplicates_in_sentence_order():
    texts = [
        SCHOOLS,
        "Talks went on.",
        "Talks went on.",
        SCHOOLS.replace("three", "four"),
        "TALKS WENT ON.",  # the same sentence, normalised
        "The union met on Sunday to vote on the offer from the district.",
    ]
    assert group([norm_hash(t) for t in texts], texts) == [[0, 3], [1, 2, 4], [5]]


def test_union_find_roots_each_set_at_its_smallest_key():
    sets: UnionFind[str] = UnionFind()
    sets.union("d", "c")
    sets.union("c", "b")
    sets.union("x", "y")
    assert sets.find("d") == "b" and sets.find("y") == "x" and sets.find("z") == "z"
    assert sets.roots() == {"d": "b", "c": "b", "y": "x"}


def _results_table(words: int) -> str:
    """Election results pasted as one run of text with no sentence end, ``words`` words long."""
    cells = ["Results", "by", "ward"]
    for ward in range(1, 40):
        cells += ["Ward", str(ward), "Smith", str(400 + 7 * ward), "Jones", str(380 + 5 * ward)]
    return " ".join(cells[:words])


def test_every_sentence_long_enough_for_a_sketch_and_short_enough_is_checked_for_near_duplicates():
    """near_pairs (in memory) and near_duplicate (the store's verification) take the same lengths
    as the sketch: MIN_NEAR_WORDS to MAX_NEAR_WORDS words, both ends included."""
    shortest = [normalized_words("The union said its members would not return."),
                normalized_words("The union said its members would not strike.")]
    longest = [normalized_words(_results_table(MAX_NEAR_WORDS)),
               normalized_words(_results_table(MAX_NEAR_WORDS).replace("Smith 470", "Smith 471"))]
    too_long = [normalized_words(_results_table(MAX_NEAR_WORDS + 1)),
                normalized_words(_results_table(MAX_NEAR_WORDS + 1).replace("Smith 470", "Smith 471"))]
    assert [len(pair[0]) for pair in (shortest, longest, too_long)] == [MIN_NEAR_WORDS, MAX_NEAR_WORDS, MAX_NEAR_WORDS + 1]
    for pair in (shortest, longest):
        assert sketch(pair[0]) and near_pairs(pair) == [(0, 1)] and near_duplicate(*pair)
    # a run of text past the limit is for the span engine: no sketch, and never a near duplicate
    assert not sketch(too_long[0]) and near_pairs(too_long) == [] and not near_duplicate(*too_long)


def test_sentences_too_slight_to_tie_versions_together_each_stand_alone():
    # two words, a score line (numbers only), initials (single letters only)
    for slight in ("Photo: AP", "21-17, 14-10.", "U.S.A."):
        assert trivial(normalized_words(slight)), slight
    assert not trivial(normalized_words("Talks went on.")) and not trivial(normalized_words("Vote: 52 to 48."))
    texts = ["Photo: AP", "Photo: AP", SCHOOLS, "21-17, 14-10.", "21-17, 14-10.", "U.S.A.", "U.S.A.", SCHOOLS]
    assert group([norm_hash(t) for t in texts], texts) == [[0], [1], [2, 7], [3], [4], [5], [6]]


WORDY = st.text(alphabet=st.sampled_from(list("ab Zé1_'-.\u00a0\n’ï")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(WORDY | st.text(max_size=30))
def test_trivial_text_is_trivial_of_the_normalised_words(text):
    """The shortcut that skips normalising a text with three lettered tokens agrees with the rule."""
    assert trivial_text(text) == trivial(normalized_words(text))


@pytest.mark.parametrize("text", ["1.", "Photo: AP", "A B C.", "1 2 3 4 5 6 7 8 9 10.", "Yes, no.", "U.S. Go on",
                                  "don't go home", "ab 12 cd", "ab cd", "ab cd ef", "naïve café owners", "x_y z_w v_u"])
def test_trivial_text_on_familiar_lines(text):
    assert trivial_text(text) == trivial(normalized_words(text))
