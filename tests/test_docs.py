"""The README must not drift from the code: options, commands and the CI script."""

from __future__ import annotations

import re

from .conftest import ROOT, invoke

README = (ROOT / "README.md").read_text("utf-8")


import pytest


@pytest.mark.parametrize("command", ["compare", "lineage", "blame", "git-diff", "ingest", "stats", "track", "reextract"])
def test_every_option_is_documented(runner, command):
    assert f"cpsdiff {command}" in README
    help_text = invoke(runner, command, "--help").stdout
    options = set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help", "--no-pager"}
    missing = sorted(o for o in options if o not in README)
    assert not missing, f"README lacks {missing}"


def _readme_test_command() -> str:
    return next(line for line in README.splitlines() if line.startswith("python3 -m venv") and "pytest" in line)


def _last_command(script: str) -> tuple[str, str]:
    """The last command line of a shell script (comments and blank lines aside), and the line before."""
    lines = [line.strip() for line in script.splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    return commands[-1], commands[-2] if len(commands) > 1 else ""


def test_ci_runs_the_readme_test_command_last_with_nothing_appended():
    last, before = _last_command((ROOT / ".ci" / "run").read_text("utf-8"))
    # word for word: no "|| true", "; true", "|| echo …" or "| tee" that could turn a failure green
    assert last == _readme_test_command()
    assert not before.endswith("\\"), "the line before continues into the test command"


def test_ci_traps_do_not_change_the_status():
    for handler in re.findall(r"trap\s+'([^']*)'", (ROOT / ".ci" / "run").read_text("utf-8")):
        assert not re.search(r"\b(exit|return)\b", handler), handler


@pytest.mark.parametrize(
    "tail",
    [" || true", "; true", " || echo failed", " | tee log", " &", "\ntrue", "\nexit 0", "\n# a comment\nexit 0"],
)
def test_the_ci_check_sees_anything_after_the_test_command(tail):
    last, _ = _last_command("set -e\n" + _readme_test_command() + tail + "\n# the end\n")
    assert last != _readme_test_command()


def test_readme_main_command_compares_the_seeds():
    main = next(line for line in README.splitlines() if line.startswith("python3 -m venv") and "cpsdiff compare" in line)
    for name in re.findall(r"seeds/\S+", main):
        assert (ROOT / name).is_file()
