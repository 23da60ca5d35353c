"""Output is never lost to a terminal: every command run with stderr on a pseudo-terminal (where
progress bars are drawn) and stdout in a file writes exactly what it writes with no terminal.

rich's live display captures stdout by default: `cpsdiff lineage --db news.db --jsonl > out`
from a terminal once wrote an empty file (issue 11).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, FRIDAY, SEEDS, THURSDAY
from .local_servers import page_server

CORPUS = FIXTURES / "lineage" / "chain_bridge.jsonl"
DOC = FIXTURES / "lineage" / "chain_bridge" / "08d.txt"
ENV = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
ENV.pop("NO_COLOR", None)
ENV.pop("CPSDIFF_DB", None)
PAGE = b"Council approves the budget\n\nThe council voted 7-2 on Tuesday to approve the budget."


def run_with_terminal(args: list[str], out: Path, cwd: Path) -> tuple[int, bytes, bytes]:
    """(status, stdout, what reached the terminal) of cpsdiff with stderr on a pseudo-terminal
    and stdout in the file ``out``."""
    import pty  # noqa: F401 (POSIX only: the test module is skipped elsewhere)

    controller, terminal = os.openpty()
    try:
        with out.open("wb") as sink:
            process = subprocess.Popen([sys.executable, "-m", "cpsdiff", *args], stdin=subprocess.DEVNULL,
                                       stdout=sink, stderr=terminal, cwd=cwd, env=ENV)
        os.close(terminal)
        screen = bytearray()
        while True:  # read until the child's end closes, or the terminal fills and blocks it
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: no process holds the terminal any more
                break
            if not chunk:
                break
            screen += chunk
        status = process.wait(timeout=120)
    finally:
        os.close(controller)
    return status, out.read_bytes(), bytes(screen)


def run_plain(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpsdiff", *args], stdin=subprocess.DEVNULL,
                          capture_output=True, cwd=cwd, env=ENV, timeout=120)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    result = run_plain(["ingest", str(CORPUS), "--db", str(folder / "news.db"), "-q"], folder)
    assert result.returncode == 0, result.stderr
    return folder / "news.db"


@pytest.fixture(scope="module")
def site():
    with page_server({"/story": (200, "text/plain; charset=utf-8", PAGE, {})}) as base:
        yield f"{base}/story"


COMMANDS = {
    "compare": ["compare", str(THURSDAY), str(FRIDAY)],
    "lineage --jsonl": ["lineage", str(CORPUS), "--jsonl"],
    "lineage": ["lineage", str(SEEDS)],
    "lineage --db --jsonl": ["lineage", "--db", "{db}", "--jsonl"],
    "lineage --db --json": ["lineage", "--db", "{db}", "--json"],
    "lineage --db": ["lineage", "--db", "{db}", "--all"],
    "lineage --db --format markdown": ["lineage", "--db", "{db}", "--format", "markdown"],
    "blame": ["blame", str(DOC), str(DOC.parent)],
    "blame --db": ["blame", str(DOC), "--db", "{db}"],
    "stats": ["stats", "--db", "{db}"],
    "ingest": ["ingest", str(CORPUS), "--db", "{fresh}"],
    "track": ["track", "{url}", "--db", "{fresh}"],
}
QUIET = ["compare", "lineage", "lineage --db", "blame", "blame --db", "ingest", "track"]
BARS = {"lineage --db --jsonl": "lineage", "ingest": "ingest"}  # where a bar must have been drawn


def arguments(name: str, quiet: bool, store: Path, site: str, fresh: Path) -> list[str]:
    """The command line; ``fresh``: a new store (ingest and track write one)."""
    args = [a.format(db=store, url=site, fresh=fresh) for a in COMMANDS[name]]
    if quiet:
        args = [a for a in args if a not in ("--all",)] + ["-q"]
    return args


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("name", "quiet"), [(n, False) for n in COMMANDS] + [(n, True) for n in QUIET],
                         ids=[*COMMANDS, *(f"{n} -q" for n in QUIET)])
def test_stdout_is_the_same_with_a_terminal_on_stderr(name, quiet, store, site, tmp_path):
    with subprocess.Popen([sys.executable, "-m", "cpsdiff", *arguments(name, quiet, store, site, tmp_path / "a.db")],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=tmp_path, env=ENV) as process:  # at the same time as the run on a terminal
        args = arguments(name, quiet, store, site, tmp_path / "b.db")
        status, stdout, screen = run_with_terminal(args, tmp_path / "out", tmp_path)
        out, err = process.communicate(timeout=120)
        plain = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    assert plain.returncode in (0, 1), plain.stderr
    assert status == plain.returncode, screen.decode(errors="replace")
    assert stdout == plain.stdout
    if quiet:
        assert screen == b""  # -q: nothing at all for people
        assert plain.stdout == b""
        return
    assert plain.stdout or name == "ingest"
    if name in BARS:  # the test means something only if the bar was there to take the output
        assert BARS[name].encode() in screen
    messages = plain.stderr.decode().splitlines()
    if messages and name != "ingest":  # (ingest's summary gives its time)
        assert messages[0].encode() in screen.replace(b"\r\n", b"\n")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_leaves_stdout_and_stderr_alone(monkeypatch):
    """rich's live display replaces sys.stdout and sys.stderr unless told not to."""
    from cpsdiff.cli.progress import progress_bar

    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    stdout, stderr = sys.stdout, sys.stderr
    with progress_bar("ingest", "versions", True) as bar:
        bar.update(3)
        assert (sys.stdout, sys.stderr) == (stdout, stderr)
        bar.say("cpsdiff: a message\n")
    assert "ingest" in stderr.getvalue()
    assert "cpsdiff: a message\n" in stderr.getvalue()


def test_no_bar_without_a_terminal_or_with_quiet(monkeypatch):
    from cpsdiff.cli.progress import Silent, progress_bar

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar("ingest", "versions", True) as bar:
        assert isinstance(bar, Silent)
        bar.say("cpsdiff: said\n")
    assert sys.stderr.getvalue() == "cpsdiff: said\n"
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    with progress_bar("ingest", "versions", False) as bar:
        assert isinstance(bar, Silent)
