"""HTTP servers on 127.0.0.1 for tests that run cpsdiff as a whole process: pages that answer,
a server that never answers and one that trickles its answer a byte at a time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def page_server(pages: dict[str, tuple[int, str, bytes, dict[str, str]]],
                requests: list[str] | None = None) -> Iterator[str]:
    """Serves ``pages`` (path → status, content type, body, extra headers); yields the base URL.
    ``pages`` may be changed while it runs; each requested path is appended to ``requests``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if requests is not None:
                requests.append(self.path)
            status, kind, body, headers = pages.get(self.path, (404, "text/plain", b"not found", {}))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with serving(Handler) as base:
        yield base


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Runs ``handler`` on a free port of 127.0.0.1 in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Silent(str):
    """A URL on a server that accepts connections and never answers; ``reached`` is set once
    a client has connected."""

    reached: threading.Event


@contextmanager
def silent_server() -> Iterator[Silent]:
    listener = socket.create_server(("127.0.0.1", 0))
    url = Silent(f"http://127.0.0.1:{listener.getsockname()[1]}/silent")
    url.reached = threading.Event()
    held = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return
            url.reached.set()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield url
    finally:
        stop_listening(listener, acceptor)
        for connection in held:
            connection.close()


def stop_listening(listener: socket.socket, thread: threading.Thread) -> None:
    """Close a listening socket and end the thread blocked in its accept(): on Linux close()
    alone does not wake it, and the thread would outlive the test."""
    try:
        listener.shutdown(socket.SHUT_RDWR)
    except OSError:  # not every platform allows shutdown of a listening socket
        pass
    listener.close()
    thread.join(timeout=5)


@contextmanager
def trickling_server(answer: bytes, interval: float, at_once: bytes = b"", stop_after: float = 30.0) -> Iterator[str]:
    """Answers every request with ``at_once``, then ``answer`` one byte every ``interval``
    seconds (for at most ``stop_after`` seconds, so that a test never leaves it running);
    yields a URL on it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stopped = threading.Event()

    def trickle(connection: socket.socket) -> None:
        deadline = time.monotonic() + stop_after
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(at_once)
                for byte in answer:
                    if stopped.wait(interval) or time.monotonic() > deadline:
                        return
                    connection.sendall(bytes([byte]))
            except OSError:  # the client gave up
                return

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/trickle"
    finally:
        stopped.set()
        stop_listening(listener, server)
