"""Ctrl-C: every command says "cpsdiff: interrupted" and exits 130, and nothing else is printed
(worker processes included). Ctrl-C at a terminal sends SIGINT to the whole process group: so
do these tests, to real processes caught waiting for a page that never comes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, THURSDAY
from .local_servers import silent_server

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="sends SIGINT to a process group")


def interrupted(args: list[str], url, cwd) -> subprocess.CompletedProcess:
    """Run cpsdiff, wait until it has connected to the silent server ``url``, then Ctrl-C it."""
    process = subprocess.Popen([sys.executable, "-m", "cpsdiff", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=cwd, start_new_session=True, text=True,
                               env={**os.environ, "CPSDIFF_TIMEOUT": "120"})
    try:
        assert url.reached.wait(60), "cpsdiff never connected"
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return subprocess.CompletedProcess(args, process.returncode, out, err)


COMMANDS = {
    "compare": ["compare", str(THURSDAY), "{url}"],
    "lineage": ["lineage", str(THURSDAY), "{url}", "--json"],
    "blame": ["blame", "{url}", str(THURSDAY)],
    "blame --db": ["blame", "{url}", "--db", "{store}"],
    "track": ["track", "{url}", "--db", "{new}"],
    "ingest": ["ingest", "{corpus}", "{url}", "--db", "{new}"],  # with its worker processes running
}


@pytest.mark.parametrize("command", COMMANDS)
def test_ctrl_c_says_interrupted_and_exits_130(command, tmp_path):
    with silent_server() as url:
        places = {"url": url, "new": tmp_path / "new.db"}
        if command == "blame --db":
            places["store"] = store(tmp_path)
        if command == "ingest":
            places["corpus"] = corpus(tmp_path)
        result = interrupted([arg.format(**places) for arg in COMMANDS[command]], url, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "cpsdiff: interrupted\n")


def corpus(folder: Path) -> Path:
    """250 versions: a whole batch for ingest's worker processes before the page that never comes."""
    path = folder / "corpus.jsonl"
    path.write_text("".join(
        json.dumps({"text": f"Version {n} of the story.\n\nThe council met on day {n}."}) + "\n" for n in range(250)
    ))
    return path


def store(folder: Path) -> Path:
    path = folder / "s.db"
    result = subprocess.run([sys.executable, "-m", "cpsdiff", "ingest", str(FIXTURES / "lineage" / "chain_bridge.jsonl"),
                             "--db", str(path), "-q"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return path
