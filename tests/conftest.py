from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"
THURSDAY = next(SEEDS.glob("001_*.txt"))
FRIDAY = next(SEEDS.glob("000_*.txt"))
TV_STORY = next(SEEDS.glob("002_*.txt"))
# Fixture pairs for compare: folders holding old.txt and new.txt (fixtures/lineage/ holds corpora).
PAIR_FOLDERS = sorted(p.parent for p in FIXTURES.glob("*/old.txt"))


def in_ci() -> bool:
    """Running in CI (.ci/run sets CI, as CI services do): nothing may be skipped or rewritten there."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(autouse=True)
def no_politeness_delay(monkeypatch):
    """`track` pauses 1 s between two requests to one host; the test servers are ours, on
    127.0.0.1, and need no such care (tests of the pause set CPSDIFF_DELAY or --delay). Set in
    os.environ, so that cpsdiff processes started by the tests have it too."""
    monkeypatch.setenv("CPSDIFF_DELAY", "0")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: bytes | str | None = None, env=None):
    """Run the CLI the way main() does: errors map to statuses, stdout and stderr apart."""
    from cpsdiff.cli import app

    return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
