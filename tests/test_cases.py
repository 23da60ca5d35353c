"""Data-file cases: tests/cases/<name>/args (one command line), stdout, stderr and status.

Adding a case is adding a folder. To write the expected files of a new case, or rewrite those of a
case whose output changed on purpose: CPSDIFF_UPDATE_CASES=1 python -m pytest tests/test_cases.py
Every case it rewrites is skipped with "rewritten", never passed: review `git diff tests/cases`
by eye against the input, then run the tests again without the variable. CI refuses the variable.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from .conftest import ROOT, in_ci, invoke

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
EXPECTED = ("stdout", "stderr", "status")


def _read(case: Path) -> dict[str, str] | None:
    if not all((case / name).is_file() for name in EXPECTED):
        return None
    return {name: (case / name).read_text("utf-8") for name in EXPECTED}


def check_case(runner, case: Path) -> None:
    """Run one case and compare; in update mode, rewrite what differs and skip."""
    args = shlex.split((case / "args").read_text("utf-8"))
    result = invoke(runner, *args)
    got = {"stdout": result.stdout, "stderr": result.stderr, "status": f"{result.exit_code}\n"}
    expected = _read(case)
    if os.environ.get("CPSDIFF_UPDATE_CASES"):
        if in_ci():
            pytest.fail("CPSDIFF_UPDATE_CASES is set in CI: expected files are written by people, not by CI")
        if got != expected:
            for name, text in got.items():
                (case / name).write_text(text, "utf-8")
            pytest.skip(f"rewritten tests/cases/{case.name}: review the diff, then run again without CPSDIFF_UPDATE_CASES")
    if expected is None:
        pytest.fail(f"{case.name} lacks {', '.join(EXPECTED)}: write them with CPSDIFF_UPDATE_CASES=1 and review them")
    assert result.stderr == expected["stderr"]
    assert result.stdout == expected["stdout"]
    assert result.exit_code == int(expected["status"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(runner, case, monkeypatch):
    monkeypatch.chdir(ROOT)
    check_case(runner, case)


def _stale_case(tmp_path: Path) -> Path:
    case = tmp_path / "stale"
    case.mkdir()
    (case / "args").write_text("compare fixtures/identical/old.txt fixtures/identical/new.txt --stat", "utf-8")
    for name, text in (("stdout", "out of date\n"), ("stderr", ""), ("status", "1\n")):
        (case / name).write_text(text, "utf-8")
    return case


def test_update_mode_rewrites_then_skips_never_passes(runner, tmp_path, monkeypatch):
    case = _stale_case(tmp_path)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("CPSDIFF_UPDATE_CASES", "1")
    with pytest.raises(pytest.skip.Exception, match="rewritten"):
        check_case(runner, case)
    assert (case / "status").read_text("utf-8") == "0\n"
    check_case(runner, case)  # nothing left to rewrite: compared, and passes


def test_update_mode_is_refused_in_ci(runner, tmp_path, monkeypatch):
    case = _stale_case(tmp_path)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("CPSDIFF_UPDATE_CASES", "1")
    with pytest.raises(pytest.fail.Exception, match="in CI"):
        check_case(runner, case)
    assert (case / "stdout").read_text("utf-8") == "out of date\n"


def test_a_case_without_expected_files_fails(runner, tmp_path, monkeypatch):
    case = _stale_case(tmp_path)
    (case / "stdout").unlink()
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CPSDIFF_UPDATE_CASES", raising=False)
    with pytest.raises(pytest.fail.Exception, match="lacks"):
        check_case(runner, case)
