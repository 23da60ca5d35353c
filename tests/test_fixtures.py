"""Fixture stories in other outlets' layouts, each with hand-judged expectations."""

from __future__ import annotations

import tomllib

import pytest

from cpsdiff.boilerplate import default_rules
from cpsdiff.comparison import compare
from cpsdiff.loading import read_source
from cpsdiff.model import Kind, Role
from cpsdiff.segment import parse_document

from .conftest import FIXTURES, PAIR_FOLDERS, ROOT, invoke

EXPECTATIONS = sorted((ROOT / "tests" / "expectations").glob("*.toml"))  # compare pairs only


def _load(name: str):
    docs = []
    for side in ("old", "new"):
        source = read_source(str(FIXTURES / name / f"{side}.txt"), lambda: b"")
        docs.append(parse_document(source.text, source.name))
    return compare(*docs, default_rules())


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.stem)
def test_fixture_expectations(path):
    expected = tomllib.loads(path.read_text("utf-8"))
    result = _load(path.stem)
    assert len(result.old.paragraphs) == expected["old_paragraphs"]
    assert len(result.new.paragraphs) == expected["new_paragraphs"]
    assert result.identical == expected["identical"]

    changes = {(c.old, c.new): c for c in result.changes}
    for want in expected.get("change", []):
        key = (tuple(want["old"]), tuple(want["new"]))
        assert key in changes, f"missing {want['kind']} {key}; got {sorted(changes)}"
        got = changes[key]
        assert got.kind == Kind(want["kind"]), key
        if "moved" in want:
            assert got.moved == want["moved"], key
        diff_text = " ".join(text for op, text in got.diff or () if op != "=")
        for word in want.get("words", []):
            assert word in diff_text, f"{word!r} not in the word diff of {key}"

    old_bp = {i for i, label in enumerate(result.old_labels) if label.role is Role.BOILERPLATE}
    new_bp = {j for j, label in enumerate(result.new_labels) if label.role is Role.BOILERPLATE}
    assert old_bp == set(expected["boilerplate_old"])
    assert new_bp == set(expected["boilerplate_new"])
    assert not new_bp & set(expected.get("reporting_new_not_boilerplate", []))


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.stem)
def test_fixture_exit_status(runner, path):
    expected = tomllib.loads(path.read_text("utf-8"))
    folder = FIXTURES / path.stem
    result = invoke(runner, "compare", str(folder / "old.txt"), str(folder / "new.txt"), "-q")
    assert result.exit_code == (0 if expected["identical"] else 1)
    assert result.stdout == ""
    assert result.stderr == ""


def test_every_fixture_has_expectations():
    folders = {p.name for p in PAIR_FOLDERS}
    assert folders == {p.stem for p in EXPECTATIONS}
    assert len(folders) >= 6
