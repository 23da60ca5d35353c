"""A web server on 127.0.0.1 that gets HTTP wrong in every way the bad-input tests need: error
statuses, garbage, broken headers and chunks, redirect loops and redirects to other schemes,
bodies that never end, a gzip bomb, charsets that are no text encodings, feeds that are not
feeds or link to local files."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A PNG header and every byte value: binary data for servers and files alike.
IMAGE = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + bytes(range(256)) * 4
FEED_ITEMS = b"<item><link>file:///etc/passwd</link></item><item><link>ftp://127.0.0.1/x</link></item>"
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b']><rss><channel><item><link>&lol9;</link></item></channel></rss>'
)


def _gzip_bomb() -> bytes:
    return gzip.compress(bytes(50 * 2**20), compresslevel=9)


# Answers written byte for byte: what http.server would not send.
RAW = {
    "/bad-chunk": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(200)) + b"\r\nhello",
    "/long-header": b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70_000 + b"\r\n\r\nhello",
    "/status-999": b"HTTP/1.1 999 Weird\r\nContent-Length: 5\r\n\r\nhello",
    "/no-content": b"HTTP/1.1 204 No Content\r\n\r\n",
    "/redirect-nowhere": b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n",
    "/redirect-control": b"HTTP/1.1 302 Found\r\nLocation: http://exa mple.com/\x1b[2J\r\nContent-Length: 0\r\n\r\n",
    "/http-0.9": b"Council approves the budget, says a server from 1991.",
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # set on the class by faulty_server
    stopped: threading.Event
    page: bytes
    update: bytes

    def log_message(self, *args):
        pass

    def _send(self, status: int, kind: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _chunks(self, chunk: bytes, pause: float) -> None:
        """A chunked body that never ends (until the client goes, or the test ends)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        deadline = time.monotonic() + 30
        try:
            while not self.stopped.is_set() and time.monotonic() < deadline:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                if pause:
                    time.sleep(pause)
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self):  # noqa: N802 (http.server's name)
        path, page = self.path, self.page
        if path in RAW:
            self.wfile.write(RAW[path])
            self.close_connection = True
        elif path == "/empty-content-type":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: \r\nContent-Length: %d\r\n\r\n%s" % (len(page), page))
            self.close_connection = True
        elif path == "/text":
            self._send(200, "text/plain; charset=utf-8", page)
        elif path == "/text2":
            self._send(200, "text/plain; charset=utf-8", self.update)
        elif path == "/404":
            self._send(404, "text/html", b"<h1>Not found</h1>")
        elif path == "/500":
            self._send(500, "text/html", b"<h1>Oops</h1>")
        elif path == "/garbage":
            self.wfile.write(b"\x00\xff\xfegarbage that is not HTTP\r\n\r\n" + IMAGE)
            self.close_connection = True
        elif path == "/bad-header":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type text/html\r\n\x00\x01: \xff\r\n\r\nhello")
            self.close_connection = True
        elif path == "/nothing":
            self.close_connection = True  # closes without a word
        elif path == "/loop":
            self._send(302, "text/html", b"", {"Location": "/loop"})
        elif path == "/to-ftp":
            self._send(301, "text/html", b"", {"Location": "ftp://127.0.0.1/x"})
        elif path == "/to-file":
            self._send(302, "text/html", b"", {"Location": "file:///etc/passwd"})
        elif path == "/to-bad-url":
            self._send(302, "text/html", b"", {"Location": "http://[::1:bad/"})
        elif path == "/png":
            self._send(200, "image/png", IMAGE)
        elif path == "/json":
            self._send(200, "application/json", b'{"text": "hello"}')
        elif path == "/html-empty":
            self._send(200, "text/html", b"")
        elif path == "/html-no-article":
            self._send(200, "text/html", b"<html><body><nav>Home | News</nav></body></html>")
        elif path == "/short":
            self._send(200, "text/plain", page[:20], {"Content-Length": str(len(page) + 1000)})
        elif path == "/gzip-bomb":
            self._send(200, "text/html", _gzip_bomb(), {"Content-Encoding": "gzip"})
        elif path == "/charset-rot13":
            self._send(200, "text/plain; charset=rot13", page)
        elif path == "/meta-base64":
            self._send(200, "text/html", b'<html><head><meta charset="base64"></head><body><article><p>'
                       + page.replace(b"\n\n", b"</p><p>") + b"</p></article></body></html>")
        elif path == "/charset-undefined":
            self._send(200, "text/plain; charset=undefined", page)
        elif path == "/charset-bogus":
            self._send(200, "text/plain; charset=no-such-charset", page)
        elif path == "/binary-as-text":
            self._send(200, "text/plain", IMAGE)
        elif path == "/endless-slow":
            self._chunks(b"<p>more</p>", 0.05)
        elif path == "/endless-fast":
            self._chunks(b"<p>" + b"x" * 65536 + b"</p>", 0)
        elif path == "/feed-garbage":
            self._send(200, "application/rss+xml", b"this is not XML <<<")
        elif path == "/feed-empty":
            self._send(200, "application/rss+xml", b"<rss><channel><title>t</title></channel></rss>")
        elif path == "/feed-html":
            self._send(200, "text/html", b"<html><body><p>A page, not a feed</p></body></html>")
        elif path == "/feed-local":
            self._send(200, "application/rss+xml", b"<rss><channel>" + FEED_ITEMS + b"</channel></rss>")
        elif path == "/feed-bomb":
            self._send(200, "application/rss+xml", BOMB)
        else:
            self._send(404, "text/plain", b"no such test page")


@contextmanager
def faulty_server(page: bytes, update: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 whose paths misbehave each in its own way (see _Handler); /text
    serves ``page`` and /text2 ``update`` as plain text. Yields its base URL."""
    handler = type("Handler", (_Handler,), {"stopped": threading.Event(), "page": page, "update": update})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        handler.stopped.set()
        server.shutdown()
        server.server_close()
