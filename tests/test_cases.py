"""Data-file cases: tests/cases/<name>/args (one command line), stdout, stderr and status.

Adding a case is adding a folder. To write the expected files of a new case (and review them
by eye before committing): CPSDIFF_UPDATE_CASES=1 pytest tests/test_cases.py
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from .conftest import ROOT, invoke

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(runner, case, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = shlex.split((case / "args").read_text("utf-8"))
    result = invoke(runner, *args)
    if os.environ.get("CPSDIFF_UPDATE_CASES"):
        (case / "stdout").write_text(result.stdout, "utf-8")
        (case / "status").write_text(f"{result.exit_code}\n", "utf-8")
        (case / "stderr").write_text(result.stderr, "utf-8")
    assert result.stderr == (case / "stderr").read_text("utf-8")
    assert result.stdout == (case / "stdout").read_text("utf-8")
    assert result.exit_code == int((case / "status").read_text("utf-8"))
