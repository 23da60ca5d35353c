"""The README must not drift from the code: options, commands and the CI script."""

from __future__ import annotations

import re

from .conftest import ROOT, invoke

README = (ROOT / "README.md").read_text("utf-8")


import pytest


@pytest.mark.parametrize("command", ["compare", "lineage", "blame"])
def test_every_option_is_documented(runner, command):
    assert f"cpsdiff {command}" in README
    help_text = invoke(runner, command, "--help").stdout
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help", "--no-pager"}
    missing = sorted(o for o in options if o not in README)
    assert not missing, f"README lacks {missing}"


def test_ci_runs_the_readme_test_command():
    test_command = next(
        line for line in README.splitlines() if line.startswith("python3 -m venv") and "pytest" in line
    )
    assert test_command in (ROOT / ".ci" / "run").read_text("utf-8")


def test_readme_main_command_compares_the_seeds():
    main = next(line for line in README.splitlines() if line.startswith("python3 -m venv") and "cpsdiff compare" in line)
    for name in re.findall(r"seeds/\S+", main):
        assert (ROOT / name).is_file()
