"""lineage and blame: chronology, families, quote drift, JSON, errors."""

from __future__ import annotations

import json
import tomllib
from importlib import resources

import jsonschema
import pytest

from cpsdiff.inputs.corpus import read_corpus
from cpsdiff.lineage.chronology import OrderMode
from cpsdiff.lineage.trace import lineage

from .conftest import FIXTURES, FRIDAY, ROOT, SEEDS, THURSDAY, TV_STORY, invoke

CORPORA = FIXTURES / "lineage"
EXPECTATIONS = sorted((ROOT / "tests" / "expectations" / "lineage").glob("*.toml"))


def _schema(name: str):
    text = resources.files("cpsdiff").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _lineage(*paths, mode=OrderMode.AUTO):
    return lineage(read_corpus([str(p) for p in paths], lambda: b""), mode)


def _name(version_id: str) -> str:
    return version_id.rsplit("/", 1)[-1]


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.stem)
def test_corpus_expectations(path):
    expected = tomllib.loads(path.read_text("utf-8"))
    # Given in reverse alphabetical order: the order must come from the text, not the names.
    files = sorted((CORPORA / path.stem).glob("*.txt"), reverse=True)
    result = _lineage(*files)
    names = [_name(v.id) for v in result.versions]
    assert names == expected["order"]
    for want in expected.get("family", []):
        family = next(
            f for f in result.families for a in f.appearances if want["contains"] in a.text
        )
        assert names[family.first.version] == want["first"], want["contains"]
        seen = {names[a.version] for a in family.appearances}
        assert seen == set(want["appears_in"]), want["contains"]
        assert family.changed == want["changed"], want["contains"]
        assert family.cross_story == want["cross_story"], want["contains"]
        source = family.first.source  # a first appearance made of an earlier sentence's words
        if "rewritten_from" in want:
            assert source and names[source.position] == want["rewritten_from"], want["contains"]
            assert want["source_contains"] in source.text
        else:
            assert source is None, want["contains"]
    for want in expected.get("drift", []):
        drifts = [d for f in result.families for d in f.drift]
        match = [
            d for d in drifts
            if d.speaker and want["speaker"].split()[-1] in d.speaker and names[d.after] == want["later"]
        ]
        assert match, f"no drift by {want['speaker']} into {want['later']}: {drifts}"
        drift = match[0]
        assert names.index(want["first"]) <= drift.before < drift.after
        removed = " ".join(t for op, t in drift.diff if op == "-")
        inserted = " ".join(t for op, t in drift.diff if op == "+")
        assert all(w in removed for w in want.get("old_words", []))
        assert all(w in inserted for w in want.get("new_words", []))


def test_seeds_auto_order_and_drift():
    result = _lineage(SEEDS)
    assert [_name(v.id) for v in result.versions] == [THURSDAY.name, FRIDAY.name, TV_STORY.name]
    assert result.method == "text"
    assert result.versions[0].story == result.versions[1].story != result.versions[2].story
    drifts = {(d.before, d.after): d for f in result.families for d in f.drift if "always" in d.old_quote}
    union = drifts[0, 1]
    assert union.speaker == "the union"
    assert ("-", "always has") in union.diff and ("+", "has always") in union.diff
    assert ("-", "up on") in union.diff and ("+", "upon") in union.diff
    sharkey = next(d for f in result.families for d in f.drift if "differences" in d.old_quote)
    assert (sharkey.before, sharkey.after) == (1, 2)
    assert "Jesse Sharkey" in sharkey.speaker
    assert ("-", "our ") in sharkey.diff
    family = next(f for f in result.families if f.drift and f.drift[0] is sharkey)
    assert family.cross_story


def test_jsonl_records_order_by_timestamp_and_pass_fields_through():
    records = CORPORA / "chain_bridge.jsonl"
    by_time = _lineage(records)
    assert by_time.method == "timestamps"
    by_text = _lineage(CORPORA / "chain_bridge")
    assert [v.paragraphs for v in by_time.versions] == [v.paragraphs for v in by_text.versions]
    assert all(v.extra.get("section") == "Metro" and "url" in v.extra for v in by_time.versions)
    assert [v.extra["version"] for v in by_time.versions] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("added", [1, 2])
def test_an_update_that_adds_sentences_is_later_and_says_how_many(added):
    from cpsdiff.inputs.corpus import Version

    base = ["The council met on the budget for the new school year.", "Teachers asked for more money in the plan.",
            "The mayor said the vote would come soon."]
    more = ["Residents filled the hall to hear the debate.", "Parents waited outside until the doors closed."]
    short = Version("short.txt", "\n\n".join(base), "s")
    longer = Version("longer.txt", "\n\n".join(base + more[:added]), "s")
    result = lineage([longer, short])
    assert [v.id for v in result.versions] == ["short.txt", "longer.txt"]
    noun = "sentence" if added == 1 else "sentences"
    assert result.versions[1].reason.endswith(f"after short.txt: keeps its text and adds {added} more {noun}")


def test_given_order_is_kept():
    files = [TV_STORY, THURSDAY, FRIDAY]
    result = _lineage(*files, mode=OrderMode.GIVEN)
    assert [_name(v.id) for v in result.versions] == [f.name for f in files]
    assert result.method == "given"


def test_cli_reports_the_order_on_stderr_and_json(runner):
    result = invoke(runner, "lineage", str(SEEDS), "--json")
    assert result.exit_code == 1
    assert "order inferred from the text" in result.stderr and "late Thursday" in result.stderr
    document = json.loads(result.stdout)
    _schema("lineage-2").validate(document)
    assert document["order"]["method"] == "text"
    assert [_name(v) for v in document["order"]["versions"]] == [THURSDAY.name, FRIDAY.name, TV_STORY.name]


def test_jsonl_one_family_per_line(runner):
    result = invoke(runner, "lineage", str(CORPORA / "chain_bridge.jsonl"), "--jsonl", "--min-appearances", "2")
    validator = _schema("lineage-family-2")
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        validator.validate(record)
        assert len({a["version"] for a in record["appearances"]}) >= 2


def test_filters(runner):
    drift = json.loads(invoke(runner, "lineage", str(SEEDS), "--json", "--drift-only").stdout)
    assert drift["families"] and all(f["drift"] for f in drift["families"])
    chrome = json.loads(invoke(runner, "lineage", str(SEEDS), "--json", "--role", "boilerplate").stdout)
    assert chrome["families"] and all(f["role"] == "boilerplate" for f in chrome["families"])
    assert any("READ MORE" in f["appearances"][0]["text"] for f in chrome["families"])
    everything = json.loads(invoke(runner, "lineage", str(SEEDS), "--json").stdout)
    total = sum(len(f["appearances"]) for f in everything["families"])
    sentences = sum(sum(v["sentences"].values()) for v in everything["versions"])
    assert total == sentences  # every sentence of every version is in exactly one family


def test_terminal_view(runner):
    result = invoke(runner, "lineage", str(SEEDS), "--color", "never")
    assert "Quote drift" in result.stdout
    assert "[-always has-]{+has always+}" in result.stdout
    assert "Jesse Sharkey" in result.stdout
    assert "\x1b[" not in result.stdout


def test_stdin_jsonl(runner):
    data = (CORPORA / "chain_bridge.jsonl").read_bytes()
    result = invoke(runner, "lineage", "-", "--json", input=data)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["order"]["method"] == "timestamps"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_json.jsonl", "bad_json.jsonl:3: not valid JSON"),
        ("missing_text.jsonl", "missing_text.jsonl:2: record has no 'text'"),
        ("wrong_type.jsonl", "wrong_type.jsonl:2: record 'text' must be a string"),
        ("empty.jsonl", "empty input"),
    ],
)
def test_bad_records_name_the_line(runner, name, message):
    result = invoke(runner, "lineage", str(CORPORA / "bad" / name))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_missing_glob_and_time_order_without_timestamps(runner):
    assert "no files match" in invoke(runner, "lineage", "nothing/*.txt").stderr
    result = invoke(runner, "lineage", str(SEEDS), "--order", "time")
    assert result.exit_code == 2 and "no 'published' or 'updated'" in result.stderr


def test_blame_seeds(runner):
    result = invoke(runner, "blame", str(FRIDAY), "--against", str(SEEDS), "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    _schema("blame-3").validate(document)
    paragraphs = document["paragraphs"]
    by_start = {p["text"][:40]: p for p in paragraphs}
    merged = next(p for p in paragraphs if p["text"].startswith("“We need to get this deal done"))
    assert {_name(s["origin"]) for s in merged["sentences"]} == {THURSDAY.name}
    assert [s["status"] for s in merged["sentences"]] == ["carried", "edited"]
    tye = next(p for p in paragraphs if p["text"].startswith("As CBS 2’s Chris Tye reported"))
    assert tye["status"] == "edited" and _name(tye["origin"]) == THURSDAY.name
    # compare calls the lede an edit of Thursday's old ¶4: so does blame (it called it new once)
    lede = paragraphs[0]
    assert lede["status"] == "edited" and _name(lede["origin"]) == THURSDAY.name
    assert _name(document["since"]) == THURSDAY.name
    assert lede["reused"] > 0 and all(_name(s["version"]) == THURSDAY.name for s in lede["spans"])
    carried = next(p for p in paragraphs if p["text"].startswith("However, Chicago Public Health"))
    assert carried["status"] == "carried"
    assert len(by_start) > 30


def test_blame_terminal_and_exit_status(runner, tmp_path):
    text = invoke(runner, "blame", str(FRIDAY), str(THURSDAY), "--color", "never")
    assert "carried" in text.stdout and "edited" in text.stdout
    assert text.exit_code == 1
    copy = tmp_path / "copy.txt"
    copy.write_bytes(THURSDAY.read_bytes())
    same = invoke(runner, "blame", str(copy), "--against", str(THURSDAY), "-q")
    assert (same.exit_code, same.stdout, same.stderr) == (0, "", "")  # nothing new in the copy


TRAPS = FIXTURES / "lineage" / "traps.jsonl"


def _families_by_text(result) -> dict[str, list]:
    found: dict[str, list] = {}
    for family in result.families:
        found.setdefault(family.first.text, []).append(family)
    return found


def test_real_text_traps_form_no_false_families():
    result = lineage(read_corpus([str(TRAPS)], lambda: b""))
    by_text = _families_by_text(result)
    # list markers stand alone, each with its own family id: they tie nothing together
    markers = by_text["1."] + by_text["2."]
    assert len(markers) == 6 and all(len(f.appearances) == 1 for f in markers)
    assert len({f.id for f in result.families}) == len(result.families)
    # accents do not split a sentence from itself
    (naive,) = by_text["Council members called the plan naïve and said the city should have kept a spare ferry."]
    assert [a.version for a in naive.appearances] == [0, 1] and naive.appearances[1].similarity == 1.0
    # a run of text without sentence punctuation (a schedule, a script) is no sentence's relative
    (run,) = [f for text, fs in by_text.items() if text.startswith("Schedule of closures") for f in fs]
    assert len(run.appearances) == 1


def test_store_lineage_keeps_trivial_sentences_apart_as_memory_does(tmp_path):
    from cpsdiff.store.ingest import ingest
    from cpsdiff.store.lineage import materialise, store_lineage
    from cpsdiff.store.versions import Store

    from cpsdiff.diff.boilerplate import default_rules
    from cpsdiff.inputs.corpus import iter_corpus

    with Store(str(tmp_path / "t.db")) as store:
        ingest(store, iter_corpus([str(TRAPS)], lambda: b""), default_rules())
        from_store = materialise(store_lineage(store))
    in_memory = lineage(read_corpus([str(TRAPS)], lambda: b""))
    assert from_store.families == in_memory.families
    assert from_store.versions == in_memory.versions


@pytest.mark.parametrize("ascii_only", [False, True])
def test_family_json_is_what_json_dumps_writes(ascii_only):
    """The lineage JSON writes families from their fields; it must equal json.dumps of the dict,
    on text with quotes, accents, controls, emoji and backslashes, drift and diffs included."""
    from cpsdiff.inputs.corpus import Version
    from cpsdiff.render.json_lineage import FamilyEncoder, family_to_dict

    lede = "The café board voted 5-2 late Monday to close the Linden Street pool, deepening a feud with “City Hall” over the bills."
    base = ["“We will not back down,” said Ana Ruiz, the union’s president.", "Café owners on Main St. met at 9 a.m.",
            'A tab\there, a bell\x07, a backslash \\ and "straight" quotes 🎉 in the plan.', "1.", lede]
    edited = ["“We will never back down,” said Ana Ruiz, the union’s president.", "Café owners on Main St. met at 9 a.m.",
              'A tab\there, a bell\x07, a backslash \\ and "straight" quotes 🎉 in the new plan.', "1.",
              "The vote deepened a feud with “City Hall” over the bills."]
    versions = [Version("a.txt", "\n\n".join(base), "s", 1), Version("b.txt", "\n\n".join(edited), "s", 2),
                Version("é/c.txt", "\n\n".join(edited[:2]), "other", 1)]
    result = lineage(versions, OrderMode.GIVEN)
    assert any(f.drift for f in result.families) and any(f.changed for f in result.families)
    assert any(f.first.source for f in result.families)  # a rewrite: its rewritten_from object
    encode = FamilyEncoder(result.versions, ascii_only)
    for family in result.families:
        assert encode(family) == json.dumps(family_to_dict(family, result), ensure_ascii=ascii_only)


@pytest.mark.parametrize("kept", [(1, "all", False), (2, "all", False), (1, "reporting", False), (1, "boilerplate", False),
                                  (1, "all", True), (3, "reporting", True)])
def test_a_family_filter_keeps_what_its_fields_say_and_pickles(kept):
    """Views filter families with a FamilyFilter, which a store's run sends to its workers."""
    import pickle

    from cpsdiff.lineage.family_work import FamilyFilter

    keep = FamilyFilter(*kept)
    assert pickle.loads(pickle.dumps(keep)) == keep
    min_versions, role, drift_only = kept
    families = lineage(read_corpus([str(CORPORA / "chain_bridge.jsonl")], lambda: b"")).families
    expected = [f for f in families if len({a.version for a in f.appearances}) >= min_versions
                and role in ("all", f.role) and (f.drift or not drift_only)]
    assert [f for f in families if keep(f)] == expected and 0 < len(expected) <= len(families)
    assert (len(expected) < len(families)) == (kept != (1, "all", False))
