"""--json and --jsonl output validate against the JSON Schema files shipped in the package."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from .conftest import FRIDAY, PAIR_FOLDERS, THURSDAY, TV_STORY, invoke

PAIRS = [(THURSDAY, FRIDAY), (FRIDAY, TV_STORY)] + [
    (folder / "old.txt", folder / "new.txt") for folder in PAIR_FOLDERS
]


def _schema(name: str) -> dict:
    return json.loads(resources.files("cpsdiff").joinpath(f"schemas/{name}").read_text("utf-8"))


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=lambda p: p.parent.name + "/" + p.name)
def test_json_document_matches_schema(runner, old, new):
    result = invoke(runner, "compare", str(old), str(new), "--json")
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(_schema("compare-1.schema.json")).validate(document)
    assert document["schema"] == "cpsdiff.compare/1"
    assert document["identical"] == (result.exit_code == 0)


@pytest.mark.parametrize(("old", "new"), PAIRS[:3], ids=lambda p: p.name)
def test_jsonl_records_match_schema(runner, old, new):
    result = invoke(runner, "compare", str(old), str(new), "--jsonl")
    validator = jsonschema.Draft202012Validator(_schema("compare-change-1.schema.json"))
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        validator.validate(json.loads(line))


def test_schema_rejects_a_broken_document(runner):
    document = json.loads(invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--json").stdout)
    document["changes"][0]["kind"] = "rewritten"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, _schema("compare-1.schema.json"))


def test_word_diff_reassembles_both_texts(runner):
    document = json.loads(invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--json").stdout)
    old = [p["text"] for p in document["old"]["paragraphs"]]
    new = [p["text"] for p in document["new"]["paragraphs"]]
    for change in document["changes"]:
        if change["diff"] is None:
            continue
        before = "".join(text for op, text in change["diff"] if op != "+")
        after = "".join(text for op, text in change["diff"] if op != "-")
        assert before == "\n\n".join(old[i] for i in change["old"])
        assert after == "\n\n".join(new[j] for j in change["new"])


def test_json_is_compact_for_programs_and_indented_for_people():
    import io
    import json

    from cpsdiff.render.json_compare import document_text

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    document = {"schema": "x/1", "list": [1, 2], "text": "Español"}
    compact = document_text(document, io.StringIO())
    indented = document_text(document, Terminal())
    assert compact.count("\n") == 1 and json.loads(compact) == document
    assert '\n  "list": [\n    1,' in indented and json.loads(indented) == document
