"""Running cpsdiff as a whole process for one bad-input case, and checking what it did: a Case
says how to run it (arguments, stdin, what stdout and stderr are, the environment, limits) and
what must come of it; run_case runs it, check asserts.

Every run must end within TIMEOUT seconds with no traceback and no "internal error". Then, by
``expect``: "error" (status 2, ONE line "cpsdiff: error: …" on stderr after any order report,
nothing on stdout), "usage" (an error line that also names the command's --help), "help" (the
whole usage on stderr, status 2: a bare `cpsdiff`), "ok" (the given status, no
error message), "either" (an error or an answer), "errors" (one error line per failed page),
"silent" (status 2 and nothing to say: a reader that went away), "status-only" (no stderr).
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

TIMEOUT = 20.0  # seconds for one case; a case that needs more is a hang


@dataclass(frozen=True)
class Case:
    """``args`` may hold {w} (the workspace), {url} (the faulty server) and {tmp} (an empty
    folder of the case's own, also its working directory); ``expect`` as in the module's text."""

    id: str
    args: tuple[str, ...]
    expect: str = "error"
    says: str = ""  # in the error message (or, for "ok", in stdout)
    status: tuple[int, ...] = (2,)
    stdin: bytes | str | None = None  # None: /dev/null; "closed": no stdin at all; "write-only": unreadable
    stdout: str = "pipe"  # pipe | full (/dev/full) | closed | head (read 10 bytes, then close) | tty
    stderr: str = "pipe"  # pipe | closed
    env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False  # "ok" with nothing on stdout
    lacks: str = ""  # must not be in stdout
    json: bool = False  # stdout must be strict JSON (one document, or one per line)
    records: bool = False  # an error may follow output (track --json's records, a streamed document)
    fifo_writer: str = ""  # a file to write into {tmp}/fifo.txt once a reader opens it
    cwd_gone: bool = False  # run from a working directory that was deleted
    open_files: int = 0  # run with at most this many open files (ulimit -n)
    memory_kb: int = 0  # run with at most this much virtual memory (ulimit -v)
    creates: str = ""  # a file the run must leave in {tmp}
    skip: str = ""
    xfail: str = ""


def ok(id: str, *args: str, status=(1,), **kwargs) -> Case:
    return Case(id, args, "ok", status=status, **kwargs)


def err(id: str, *args: str, says: str = "", **kwargs) -> Case:
    return Case(id, args, "error", says, **kwargs)


def usage(id: str, *args: str, says: str = "", **kwargs) -> Case:
    return Case(id, args, "usage", says, **kwargs)


def help_shown(id: str, *args: str, says: str = "", **kwargs) -> Case:
    return Case(id, args, "help", says, **kwargs)


@dataclass
class Outcome:
    status: int | None  # None: still running at TIMEOUT (killed)
    stdout: bytes
    stderr: bytes
    seconds: float
    files: tuple[str, ...] = ()  # what the run left in its folder


def _fill(text: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    return text


def _environment(case: Case, places: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CPSDIFF_", "PYTHONIO", "LC_"))}
    for name in ("NO_COLOR", "PAGER", "COLUMNS", "LINES", "PYTHONUTF8", "PYTHONCOERCECLOCALE"):
        env.pop(name, None)
    env.update({"PAGER": "cat", "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update({k: _fill(v, places) for k, v in case.env.items()})
    return env


def _shell_wrapped(argv: list[str], case: Case) -> list[str]:
    """``argv`` run by sh with the redirections a case needs (closed descriptors, /dev/full, a
    FIFO writer started first)."""
    redirections = []
    if case.stdin == "closed":
        redirections.append("<&-")
    if case.stdin == "write-only":
        redirections.append("0>>/dev/null")
    if case.stdout == "closed":
        redirections.append(">&-")
    if case.stdout == "full":
        redirections.append(">/dev/full")
    if case.stderr == "closed":
        redirections.append("2>&-")
    prelude = "mkdir gone && cd gone && rmdir ../gone && " if case.cwd_gone else ""
    if case.open_files:
        prelude += f"ulimit -n {case.open_files} && "
    if case.memory_kb:
        prelude += f"ulimit -v {case.memory_kb} && "
    if case.fifo_writer:
        # stdout and stderr leave the test's pipes before the open that waits for a reader
        prelude += 'cat "$CASE_FIFO_SOURCE" 2>/dev/null >/dev/null >"$CASE_FIFO" & '
    if not redirections and not prelude:
        return argv
    return ["sh", "-c", prelude + 'exec "$@" ' + " ".join(redirections), "sh", *argv]


def run_case(case: Case, places: dict[str, str], tmp: Path) -> Outcome:
    outcome = _run(case, places, tmp)
    outcome.files = tuple(sorted(p.name for p in tmp.iterdir())) if tmp.exists() else ()
    return outcome


def _run(case: Case, places: dict[str, str], tmp: Path) -> Outcome:
    tmp.mkdir(parents=True, exist_ok=True)
    places = {**places, "tmp": str(tmp)}
    args = [_fill(arg, places) for arg in case.args]
    env = _environment(case, places)
    if case.fifo_writer:
        os.mkfifo(tmp / "fifo.txt")
        env["CASE_FIFO"] = str(tmp / "fifo.txt")
        env["CASE_FIFO_SOURCE"] = os.path.join(places["w"], case.fifo_writer)
    argv = _shell_wrapped([sys.executable, "-m", "cpsdiff", *args], case)
    stdin_data = case.stdin.encode() if isinstance(case.stdin, str) and case.stdin not in ("closed", "write-only") else case.stdin
    started = time.monotonic()
    if case.stdout == "tty":
        return _run_on_terminal(argv, env, tmp, started)
    process = subprocess.Popen(
        argv,
        cwd=tmp,
        env=env,
        stdin=subprocess.PIPE if isinstance(stdin_data, bytes) else subprocess.DEVNULL,
        stdout=subprocess.PIPE if case.stdout in ("pipe", "head") else None,
        stderr=subprocess.PIPE,
        start_new_session=True,  # one group: a timed-out case is ended with all it started
    )
    try:
        if case.stdout == "head":
            # `| head -c 10`: take 10 bytes, then go away.
            first = _read_within(process.stdout, started, limit=10)
            process.stdout.close()
            stderr = _read_within(process.stderr, started)
            status = process.wait(timeout=max(0.1, TIMEOUT - (time.monotonic() - started)))
            return Outcome(status, first, stderr, time.monotonic() - started)
        stdout, stderr = process.communicate(stdin_data if isinstance(stdin_data, bytes) else None, timeout=TIMEOUT)
        return Outcome(process.returncode, stdout or b"", stderr, time.monotonic() - started)
    except subprocess.TimeoutExpired:
        _end_group(process.pid)
        stdout, stderr = process.communicate()
        return Outcome(None, stdout or b"", stderr, time.monotonic() - started)
    finally:
        _end_group(process.pid)  # anything a case started in the background (a FIFO writer)
        process.wait()


def _read_within(stream, started: float, limit: int = 2**30) -> bytes:
    """What ``stream`` gives until its end, ``limit`` bytes or TIMEOUT."""
    chunks, size = [], 0
    while size < limit and time.monotonic() - started < TIMEOUT:
        ready, _, _ = select.select([stream], [], [], 0.1)
        if ready:
            chunk = os.read(stream.fileno(), min(65536, limit - size))
            size += len(chunk)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _end_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_on_terminal(argv: list[str], env: dict[str, str], cwd: Path, started: float) -> Outcome:
    """stdout on a pseudo-terminal (what the terminal receives is the stdout), stderr a pipe."""
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=terminal,
                                   stderr=subprocess.PIPE, start_new_session=True)
        os.close(terminal)
        terminal = -1
        screen, errors = bytearray(), bytearray()
        open_streams = {controller: screen, process.stderr.fileno(): errors}
        while open_streams and time.monotonic() - started < TIMEOUT:
            ready, _, _ = select.select(list(open_streams), [], [], 0.1)
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: nobody holds the terminal any more
                    chunk = b""
                if chunk:
                    open_streams[fd] += chunk
                else:
                    del open_streams[fd]
        try:
            status = process.wait(timeout=max(0.1, TIMEOUT - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            status = None
        _end_group(process.pid)
        process.wait()
        process.stderr.close()
        return Outcome(status, bytes(screen).replace(b"\r\n", b"\n"), bytes(errors), time.monotonic() - started)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)


# --- checks -----------------------------------------------------------------------------------


def _strict_json(text: str) -> None:
    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError as error:
        raise AssertionError(f"stdout is not strict JSON: {error}: {text[:200]!r}") from None


def _is_order_report(line: str) -> bool:
    """`lineage` and `blame` say which chronology they used, on stderr, before any output."""
    return line.startswith(("cpsdiff: order ", "  "))


def check(case: Case, outcome: Outcome) -> None:
    stdout = outcome.stdout.decode("utf-8", "replace")
    stderr = outcome.stderr.decode("utf-8", "replace")
    shown = f"\nstatus {outcome.status} after {outcome.seconds:.1f} s\nstdout: {stdout[:800]!r}\nstderr: {stderr[:2000]!r}"
    assert outcome.status is not None, f"still running after {TIMEOUT:g} s{shown}"
    assert "Traceback" not in stderr and "internal error" not in stderr, shown
    assert outcome.status in case.status, shown
    lines = stderr.splitlines()
    if case.expect == "either":  # a clean error, or an answer
        case = replace(case, expect="error" if outcome.status == 2 else "ok")
    if case.expect == "usage":  # an error like any other, pointing at the command's help
        assert re.search(r"; see 'cpsdiff( [a-z-]+)? --help'$", stderr.rstrip("\n")), shown
        case = replace(case, expect="error")
    if case.expect == "error":
        assert stderr.endswith("\n") and lines, f"no message{shown}"
        *before, message = lines
        assert message.startswith("cpsdiff: error: "), shown
        assert all(_is_order_report(line) for line in before), f"the error is not one line{shown}"
        assert not any(ord(c) < 0x20 for c in message), f"control characters in the message{shown}"
        assert case.says in message, shown
        if not case.records:
            assert stdout == "", shown
    elif case.expect == "errors":  # several pages failed: one line each
        assert lines and all(line.startswith("cpsdiff: error: ") and case.says in line for line in lines), shown
    elif case.expect == "help":  # asked for nothing: the whole usage, on stderr
        assert stderr.startswith("Usage: cpsdiff "), shown
        assert case.says in stderr, shown
        assert stdout == "", shown
    elif case.expect == "ok":
        assert "error" not in stderr, shown
        assert all(line.startswith(("cpsdiff: ", "  ")) for line in lines), f"a message broken across lines{shown}"
        if case.quiet:
            assert stdout == "", shown
        else:
            assert stdout.strip(), shown
        if case.says:
            assert case.says in stdout, shown
    elif case.expect == "silent":  # the reader went away: trouble, and nothing to say about it
        assert all(_is_order_report(line) for line in lines), shown
    else:
        assert case.expect == "status-only", case.expect
    if case.creates:
        assert case.creates in outcome.files, f"{case.creates} not made: {outcome.files}{shown}"
    if case.lacks:
        assert case.lacks not in stdout, shown
    if case.json and stdout.strip():
        if case.expect == "ok" and "--json" in case.args:
            _strict_json(stdout)
        else:
            for line in stdout.splitlines():
                _strict_json(line)
