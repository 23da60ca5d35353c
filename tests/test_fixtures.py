"""Fixture stories in other outlets' layouts, each with hand-judged expectations."""

from __future__ import annotations

import tomllib

import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.diff.comparison import compare
from cpsdiff.inputs.loading import read_source
from cpsdiff.model import Kind, Role
from cpsdiff.text.segment import parse_document

from .conftest import FIXTURES, PAIR_FOLDERS, ROOT, invoke

EXPECTATIONS = sorted((ROOT / "tests" / "expectations").glob("*.toml"))  # compare pairs only


def _expected(path):
    """An expectations file as a test parameter. The file holds the truth as judged by hand; a
    top-level ``known_failure`` says why cpsdiff does not meet it yet: a strict xfail, so a fix
    shows up as a failure until the key is removed."""
    reason = tomllib.loads(path.read_text("utf-8")).get("known_failure")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(path, marks=marks, id=path.stem)


def _load(name: str):
    docs = []
    for side in ("old", "new"):
        source = read_source(str(FIXTURES / name / f"{side}.txt"), lambda: b"")
        docs.append(parse_document(source.text, source.name))
    return compare(*docs, default_rules())


def _change_problem(want: dict, changes: dict) -> str | None:
    """What is wrong with the expected change ``want`` in ``changes``, or None."""
    key = (tuple(want["old"]), tuple(want["new"]))
    if key not in changes:
        return f"missing {want['kind']} {key}; got {sorted(changes)}"
    got = changes[key]
    if got.kind != Kind(want["kind"]):
        return f"{key} is {got.kind}, not {want['kind']}"
    if "moved" in want and got.moved != want["moved"]:
        return f"{key}: moved is {got.moved}"
    if "repaired" in want and got.repaired != want["repaired"]:
        return f"{key}: repaired is {got.repaired}"
    diff_text = " ".join(text for op, text in got.diff or () if op != "=")
    missing = [word for word in want.get("words", []) if word not in diff_text]
    return f"{missing} not in the word diff of {key}" if missing else None


@pytest.mark.parametrize("path", [_expected(path) for path in EXPECTATIONS])
def test_fixture_expectations(path):
    expected = tomllib.loads(path.read_text("utf-8"))
    result = _load(path.stem)
    assert len(result.old.paragraphs) == expected["old_paragraphs"]
    assert len(result.new.paragraphs) == expected["new_paragraphs"]
    assert result.identical == expected["identical"]

    changes = {(c.old, c.new): c for c in result.changes}
    for want in expected.get("change", []):
        problem = _change_problem(want, changes)
        # a change with a known_failure must still fail: strict, like a strict xfail
        if "known_failure" in want:
            assert problem, f"known failure no longer fails, remove it: {want['known_failure']}"
        else:
            assert problem is None, problem

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
