"""A time limit for a whole exchange over sockets (connect, headers, body, redirects), not for
each read: a socket timeout bounds one blocking call, so a server sending a byte a second
never trips it.

When time is up, a Deadline shuts down every socket registered with it, which wakes any call
blocked on one of them; the caller then checks ``expired`` and reports the time limit rather
than whatever error (or short read) the cut connection made. Any HTTP client can use it: it
needs only each new socket (``guard``) and, for connecting, ``remaining()``.
"""

from __future__ import annotations

import socket
import threading
import time

_SHORTEST = 0.001  # a socket timeout of 0 would mean "non-blocking", not "no time left"


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._end = time.monotonic() + seconds
        self._copies: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            for copy in self._copies:
                copy.close()
            self._copies.clear()
        self._timer.join()  # gone, not only cancelled: a process with threads left cannot fork safely

    def remaining(self) -> float:
        """Seconds left, for a timeout on connecting (never 0)."""
        return max(self._end - time.monotonic(), _SHORTEST)

    def guard(self, sock: socket.socket) -> None:
        """Cut ``sock`` when time is up. It is held through a duplicate descriptor: TLS wrapping
        detaches the original object, and closing it must not free a number the cut could hit."""
        copy = sock.dup()
        with self._lock:
            self._copies.append(copy)
            if self.expired:
                _cut(copy)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for copy in self._copies:
                _cut(copy)


def _cut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv (it returns end of file)
    except OSError:  # already closed by the other end
        pass
