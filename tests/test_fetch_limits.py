"""A fetch cannot hold a run: $CPSDIFF_TIMEOUT bounds the whole of it (connecting, headers,
body, redirects), and a page over the size limit is refused. Against servers on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from cpsdiff.errors import InputError
from cpsdiff.web import fetch
from cpsdiff.web.deadline import Deadline

from .conftest import THURSDAY
from .local_servers import page_server, silent_server, trickling_server

BODY = b"A plain article that arrives slowly.\n\n" + b"x" * 2000
HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(BODY)


def cpsdiff(*args: str, timeout: str = "1") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpsdiff", *args], capture_output=True, text=True,
                          env={**os.environ, "CPSDIFF_TIMEOUT": timeout}, timeout=60)


@pytest.mark.parametrize(("phase", "command"), [("headers", "compare"), ("body", "track")])
def test_a_trickling_server_cannot_outlast_the_timeout(phase, command, tmp_path):
    # One byte every 0.5 s: a timeout on each read (1 s) never fires; the whole answer would
    # take over 20 minutes, and the server gives up after 30 s.
    answer, at_once = (HEADERS + BODY, b"") if phase == "headers" else (BODY, HEADERS)
    with trickling_server(answer, 0.5, at_once) as url:
        args = ["compare", url, str(THURSDAY)] if command == "compare" else ["track", url, "--db", str(tmp_path / "t.db")]
        result = cpsdiff(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {url}: no complete answer within 1 s (CPSDIFF_TIMEOUT)\n"


def test_a_silent_server_times_out(tmp_path):
    with silent_server() as url:
        result = cpsdiff("lineage", url, str(THURSDAY), timeout="0.5")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {url}: no complete answer within 0.5 s (CPSDIFF_TIMEOUT)\n"


def test_the_deadline_covers_redirects():
    # Each hop answers at once, but they keep coming: the deadline is for the whole fetch.
    with trickling_server(BODY, 0.5, HEADERS) as slow:
        pages = {"/a": (302, "text/plain", b"", {"Location": "/b"}), "/b": (302, "text/plain", b"", {"Location": slow})}
        with page_server(pages) as base:
            with pytest.raises(InputError, match=r"/a: no complete answer within 1 s"):
                fetch.fetch(f"{base}/a", timeout=1)


def test_a_deadline_cuts_a_blocked_read():
    left, right = socket.socketpair()
    with left, right, Deadline(0.05) as deadline:
        deadline.guard(left)
        assert left.recv(10) == b""  # woken by the cut, not by the other end
        assert deadline.expired
        assert left.fileno() != -1  # shut down, not closed: closing is the caller's


def test_a_deadline_that_passed_cuts_a_socket_guarded_late():
    left, right = socket.socketpair()
    with left, right, Deadline(0.01) as deadline:
        deadline._expire()
        deadline.guard(left)
        assert left.recv(10) == b""


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)


def test_a_page_declared_too_large_is_refused_before_reading(small_limit):
    with page_server({"/big": (200, "text/plain", b"y" * 1001, {})}) as base:
        with pytest.raises(InputError) as error:
            fetch.fetch(f"{base}/big", timeout=5)
    assert str(error.value) == f"{base}/big: larger than 1,000 bytes (the most cpsdiff fetches), not an article page"


@pytest.mark.parametrize("framing", ["close", "chunked"])
def test_a_page_that_turns_out_too_large_is_refused(small_limit, framing):
    body = b"z" * 1500
    if framing == "chunked":
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    else:  # no length: the body ends when the connection does
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
    with trickling_server(b"", 0, head + body) as url:
        with pytest.raises(InputError, match="larger than 1,000 bytes"):
            fetch.fetch(url, timeout=5)


def test_a_page_at_the_limit_is_taken(small_limit):
    with page_server({"/ok": (200, "text/plain", b"w" * 1000, {})}) as base:
        assert len(fetch.fetch(f"{base}/ok", timeout=5).data) == 1000
