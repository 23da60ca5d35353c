"""Child processes of a test's subprocess, as /proc shows them (Linux): which are running,
and whether killing the parent takes them with it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _stat(int(entry.name))[1] == pid:
            found.add(int(entry.name))
    return found


def _stat(pid: int) -> tuple[str, int]:
    """(state, parent pid), or ("", 0) for a process that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "", 0
    return fields[0], int(fields[1])


def running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if _stat(pid)[0] not in ("", "Z", "X")}  # a zombie has ended


def wait_for(condition, seconds: float):
    """``condition()``'s first true value, polled for up to ``seconds`` (a bound on waiting
    for an event, not a measurement)."""
    end = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < end:
        time.sleep(0.05)
    return value


def kill_and_collect(process: subprocess.Popen) -> set[int]:
    """SIGKILL ``process`` once it has workers; the workers still running a while later."""
    workers = wait_for(lambda: children(process.pid), 60)
    assert workers, "no worker process started"
    process.kill()
    process.wait()
    wait_for(lambda: not running(workers), 15)
    left = running(workers)
    for pid in left:  # do not leave them behind for the next test
        os.kill(pid, signal.SIGKILL)
    return left
