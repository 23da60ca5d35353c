"""Sentences rewritten from text the update dropped: lineage counts them as edited and names
their source, and blame takes every sentence's origin from the lineage."""

from __future__ import annotations

import json

import pytest

from cpsdiff.inputs.corpus import Version, read_corpus
from cpsdiff.lineage.blame import blame
from cpsdiff.lineage.chronology import OrderMode
from cpsdiff.diff.spans import covered, find_spans
from cpsdiff.lineage.rewrites import Source, Stated, Update, corpus_updates, rewrites, rewritten
from cpsdiff.lineage.trace import lineage

from .conftest import FIXTURES, SEEDS

LEDE = ("The county board voted 5-2 late Monday to close the Linden Street pool for the summer, "
        "deepening a feud with the city over who pays for the aging building.")
MERGE_A = "Repairs to the pool's filter system would cost about $1.2 million, the parks director said."
MERGE_B = "The board has set aside none of that money in next year's budget, according to county records."


def _version(*sentences: tuple[str, str], boilerplate=False) -> list:
    """A version's sentences (text, family), one per paragraph."""
    return [(Stated(i, 0, text, boilerplate), family) for i, (text, family) in enumerate(sentences)]


def _rewrites(*versions: tuple[str, list]) -> dict:
    return rewrites(corpus_updates(
        (story, [family for _, family in sentences], lambda i, sentences=sentences: sentences[i][0])
        for story, sentences in versions
    ))


def test_a_clause_made_a_sentence_comes_from_its_sentence():
    assert rewritten(["The vote deepened a feud with the city over who pays for the aging building."], [LEDE]) == {0: 0}


def test_a_merge_comes_from_the_sentence_that_gives_most_and_a_split_from_the_one_it_splits():
    merged = ("Repairs to the pool's filter system would cost about $1.2 million, and the board has set "
              "aside none of that money in next year's budget.")
    assert rewritten([merged], [MERGE_A, MERGE_B]) == {0: 0}
    halves = ["The county board voted 5-2 late Monday to close the Linden Street pool for the summer.",
              "The vote deepens a feud with the city over who pays for the aging building."]
    assert rewritten(halves, [LEDE]) == {0: 0, 1: 0}


def test_a_sentence_that_two_dropped_ones_give_equally_comes_from_the_earlier():
    first = "Aaaaa bbbbb ccccc ddddd eeeee were seen near the docks."
    second = "Fffff ggggg hhhhh iiiii jjjjj left the harbour quietly."
    new = ["Aaaaa bbbbb ccccc ddddd eeeee and fffff ggggg hhhhh iiiii jjjjj."]
    assert rewritten(new, [first, second]) == rewritten(new, [second, first]) == {0: 0}


def test_a_source_is_credited_with_all_its_runs_together_not_its_longest_or_its_first():
    """The later dropped sentence gives two runs (a word changed between them), each shorter
    than the earlier one's single run, but more characters in all: it is the source."""
    earlier = "The city council approved the new budget for the parks department on Tuesday."
    later = "Residents packed the meeting hall on Monday to protest the planned closing of three branch libraries."
    new = ("Residents packed the meeting hall on Monday to oppose the planned closing of three branch libraries, "
           "after the city council approved the new budget for the parks department.")
    spans = find_spans([new], [[earlier, later]])
    by_source = {}
    for span in spans:
        by_source.setdefault(span.old, []).append(span.new_end - span.new_start)
    assert len(by_source[1]) == 2 and max(by_source[1]) < by_source[0][0] < sum(by_source[1])
    assert rewritten([new], [earlier, later]) == {0: 1}


def test_a_sentence_exactly_half_inside_reused_text_is_a_rewrite():
    dropped = "Aaaaa bbbbb ccccc ddddd eeeee."
    new = "Aaaaa bbbbb ccccc ddddd eeeee zzzzz yyyyy xxxxx wwwwwwwwww"
    assert covered(find_spans([new], [[dropped]]), len(new)) * 2 == len(new)
    assert rewritten([new], [dropped]) == {0: 0}


def test_a_trivial_sentence_is_no_rewrite_even_inside_a_reused_run():
    """A run of reused words may cross from "Yes." into the next sentence, so the span engine
    covers all of "Yes.": a trivial sentence must still neither be a rewrite nor a source."""
    before = [Stated(0, 0, "Yes.", False), Stated(0, 1, "The board voted to close the Linden Street pool on Monday night.", False)]
    after = [Stated(0, 0, "Yes.", False), Stated(0, 1, "The board voted to close the Linden Street pool for the summer season.", False)]
    assert rewritten([s.text for s in after], [s.text for s in before]) == {0: 0, 1: 1}
    assert rewrites([Update(1, 0, after, before)]) == {(1, 0, 1): Source(0, 0, 1, before[1].text)}


def test_a_shared_phrase_is_not_a_rewrite():
    new = "Swimmers who use the Linden Street pool for the summer league will have to find another place to train."
    assert rewritten([new], [LEDE]) == {}
    assert rewritten([], [LEDE]) == rewritten([new], []) == {}


def test_only_text_the_update_dropped_from_the_version_before_of_its_story_is_a_source():
    clause = "The vote deepened a feud with the city over who pays for the aging building."
    lede = _version((LEDE, "lede"))
    assert _rewrites(("pool", lede), ("pool", _version((LEDE, "lede"), (clause, "clause")))) == {}  # the lede stayed
    update = _version((clause, "clause"))
    assert _rewrites(("pool", lede), ("pool", update)) == {(1, 0, 0): Source(0, 0, 0, LEDE)}
    assert _rewrites(("pool", lede), ("other", update)) == {}  # another story's first version
    # the story's latest version is the one before, whatever other stories come between
    between = ("other", _version(("An unrelated story about the council's budget hearing on Tuesday night.", "x")))
    assert _rewrites(("pool", lede), between, ("pool", update)) == {(2, 0, 0): Source(0, 0, 0, LEDE)}
    # a sentence already seen (its family met earlier) is no first appearance
    assert _rewrites(("pool", lede), ("other", update), ("pool", update)) == {}
    # kept: a near duplicate of the lede (its family) is still there, so the lede is not dropped
    assert _rewrites(("pool", lede), ("pool", _version((LEDE.replace("5-2", "6-1"), "lede"), (clause, "clause")))) == {}


def test_boilerplate_and_trivial_sentences_are_neither_rewrites_nor_sources():
    clause = "The vote deepened a feud with the city over who pays for the aging building."
    assert _rewrites(("pool", _version((LEDE, "lede"), boilerplate=True)), ("pool", _version((clause, "clause")))) == {}
    assert _rewrites(("pool", _version((LEDE, "lede"))), ("pool", _version((clause, "clause"), boilerplate=True))) == {}
    assert _rewrites(("pool", _version(("1. 2.", "one"))), ("pool", _version(("1. 2.", "one-again")))) == {}


def _versions(*texts: str, story: str = "pool") -> list[Version]:
    return [Version(f"v{i}.txt", text, story, i + 1) for i, text in enumerate(texts)]


def test_lineage_counts_a_rewrite_as_edited_and_names_its_source():
    later = "The vote deepened a feud with the city over who pays for the aging building.\n\nMore news follows."
    result = lineage(_versions(LEDE, later), OrderMode.GIVEN)
    (family,) = [f for f in result.families if f.first.text.startswith("The vote deepened")]
    first = family.first
    assert first.source == Source(0, 0, 0, LEDE) and family.changed
    assert 0 < first.similarity < 1 and {op for op, _ in first.diff} >= {"-", "="}
    assert result.versions[1].counts["edited"] == 1 and result.versions[1].counts["new"] == 1

    from cpsdiff.render.json_lineage import family_to_dict
    appearance = family_to_dict(family, result)["appearances"][0]
    assert appearance["rewritten_from"] == {"version": "v0.txt", "position": 0, "paragraph": 0, "sentence": 0, "text": LEDE}


def test_the_lineage_views_show_where_a_rewrite_came_from(runner, tmp_path):
    from .conftest import invoke

    corpus = tmp_path / "pool.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": v.id, "text": v.text, "story": v.story, "version": v.version}) + "\n"
        for v in _versions(LEDE, "The vote deepened a feud with the city over who pays for the aging building.")
    ), "utf-8")
    terminal = invoke(runner, "lineage", "--order", "given", "--color", "never", str(corpus))
    assert "v2 rewritten from v1 ¶1: similarity 0.58" in terminal.stdout
    html = invoke(runner, "lineage", "--order", "given", "--format", "html", str(corpus))
    assert "rewritten from <a" in html.stdout and "(similarity 0.58)" in html.stdout


def _lineage_origin(result, position: int, paragraph: int, sentence: int) -> tuple[int, int]:
    for family in result.families:
        for a in family.appearances:
            if (a.version, a.paragraph, a.sentence) == (position, paragraph, sentence):
                first = family.first
                if first.version < position:
                    return first.version, first.paragraph
                return (first.source.position, first.source.paragraph) if first.source else (position, paragraph)
    raise AssertionError("no appearance")


CORPORA = [SEEDS, FIXTURES / "lineage" / "chain_bridge", FIXTURES / "lineage" / "shared_quote",
           FIXTURES / "lineage" / "traps.jsonl", FIXTURES / "lineage" / "chain_bridge.jsonl"]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_blame_and_lineage_give_every_sentence_the_same_origin(corpus):
    result = lineage(read_corpus([str(corpus)], lambda: b""))
    rewrites_seen = 0
    for position in range(len(result.versions)):
        for paragraph in blame(result, position).paragraphs:
            for sentence in paragraph.sentences:
                origin = _lineage_origin(result, position, paragraph.index, sentence.index)
                assert (sentence.origin, sentence.origin_paragraph) == origin, sentence.text
                if result.by_id[sentence.family].first.source and sentence.origin < position:
                    assert sentence.status == "edited" and sentence.diff, sentence.text
                    rewrites_seen += 1
    # the fixtures that hold a rewrite (see tests/expectations/lineage) show it in blame too
    assert rewrites_seen == {"chain_bridge": 1, "shared_quote": 1, "chain_bridge.jsonl": 1}.get(corpus.name, 0)


def test_blame_views_say_how_much_of_a_new_paragraph_lies_in_earlier_text(runner, tmp_path):
    """The ferry story restates a clause of the bridge story's schedule: not a rewrite (another
    story, whose text it did not drop), so new, but the views say where its words were before."""
    from .conftest import invoke

    records = (FIXTURES / "lineage" / "traps.jsonl").read_text("utf-8").splitlines()
    (tmp_path / "bridge.jsonl").write_text("\n".join(records[:2]) + "\n", "utf-8")
    (tmp_path / "ferry.txt").write_text(json.loads(records[2])["text"], "utf-8")
    args = ("blame", str(tmp_path / "ferry.txt"), str(tmp_path / "bridge.jsonl"))
    terminal = invoke(runner, *args, "--color", "never").stdout
    assert "¶3   v3     new      · 98% from v2 ¶8\n      The bridge will stay closed for several weeks." in terminal
    assert "¶1   v3     new     \n" in terminal  # nothing of it was written before: no note
    assert "- **¶3** v3 new · 98% from v2 ¶8" in invoke(runner, *args, "--format", "markdown").stdout
    assert '<span class="muted">98% from v2 ¶8</span>' in invoke(runner, *args, "--format", "html").stdout
