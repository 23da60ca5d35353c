"""http(s) inputs: every failure is a one-line InputError.

A fetch, redirects included, has a deadline ($CPSDIFF_TIMEOUT seconds for the whole of it, not
for each read: see deadline.py) and a size limit (MAX_BYTES): neither a slow nor a huge page
can hold a run.

Only http and https are ever opened, redirects included: a feed or a redirect that points at
file:// or ftp:// must not read local files or reach other services.

A fetch asks for gzip or deflate (decoded here, within the same size limit, so a compression bomb
is refused like any page too large) and can be conditional: given the ETag and Last-Modified of
an earlier answer, a server that answers 304 costs only its headers (``Fetched.not_modified``).
"""

from __future__ import annotations

import math
import os
import zlib
from dataclasses import dataclass

from cpsdiff.errors import InputError

DEFAULT_TIMEOUT = 20.0  # seconds for a whole fetch, redirects included; $CPSDIFF_TIMEOUT overrides it
MAX_TIMEOUT = 86_400.0  # a day: past ~9e9 s a timer cannot even be set (OverflowError)
MAX_BYTES = 20 * 1024 * 1024  # an article page is far smaller: refuse runaway downloads
_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str  # lower case, without parameters
    charset: str | None
    etag: str | None = None  # the validators the server gave, for the next conditional fetch
    last_modified: str | None = None
    not_modified: bool = False  # a 304 to a conditional fetch: no body, the earlier one stands

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")

    def article(self, url: str) -> Fetched:
        """Itself, if it can be an article: an HTML page or plain text (a feed, a PDF or an image is not)."""
        if not (self.is_html or self.content_type in ("text/plain", "text/markdown")):
            raise InputError(f"{url}: not an article page (served as {self.content_type})")
        return self


def is_url(path: str) -> bool:
    return path[:8].lower().startswith(("http://", "https://"))


def request_timeout() -> float:
    """Seconds a whole fetch may take: $CPSDIFF_TIMEOUT, read when needed so that a bad value
    troubles only the commands that fetch."""
    given = os.environ.get("CPSDIFF_TIMEOUT", "").strip()
    if not given:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(given)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise InputError(f"CPSDIFF_TIMEOUT must be a positive number of seconds up to {MAX_TIMEOUT:.0f}, not {given!r}")
    return seconds


class _RefusedRedirect(Exception):
    """A redirect to a URL that is not http(s); the argument is that URL."""


class _TooManyRedirects(Exception):
    """urllib's limit on redirects was reached: _REDIRECTS_LIMIT in all, or 4 to one URL."""


_REDIRECTS_LIMIT = 10


def _opener(deadline):
    """An opener with the HTTP(S) handlers only (no file://, ftp:// or data:), whose redirects
    may lead to http(s) URLs only, and whose every connection is cut when ``deadline`` passes."""
    import urllib.request
    from urllib.error import HTTPError
    from urllib.parse import urljoin

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        max_redirections = _REDIRECTS_LIMIT

        def http_error_302(self, req, fp, code, msg, headers):
            # Checked before urllib's own test, which refuses file: and data: in other words
            # (and lets ftp: through).
            location = headers.get("location") or headers.get("uri")
            target = urljoin(req.full_url, location.strip()) if location else ""
            if target and _scheme(target) not in _SCHEMES:
                fp.close()
                raise _RefusedRedirect(target)
            try:
                return super().http_error_302(req, fp, code, msg, headers)
            except HTTPError as error:
                if str(error.msg).startswith(self.inf_msg):
                    raise _TooManyRedirects() from None
                raise

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def guarded(base):
        class Guarded(base):  # hands each new socket to the deadline, before any TLS handshake
            def do_open(self, http_class, req, **kwargs):
                class Connection(http_class):
                    def __init__(self, *args, **kwargs):
                        super().__init__(*args, **kwargs)
                        self._create_connection = connect

                return super().do_open(Connection, req, **kwargs)

        return Guarded

    def connect(address, timeout=None, source_address=None):
        import socket

        sock = socket.create_connection(address, deadline.remaining(), source_address)
        deadline.guard(sock)
        return sock

    proxies = {scheme: url for scheme, url in urllib.request.getproxies().items() if scheme in _SCHEMES}
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies),
        guarded(urllib.request.HTTPHandler)(),
        guarded(urllib.request.HTTPSHandler)(),
        urllib.request.HTTPDefaultErrorHandler(),
        HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),  # any other scheme: an error, not a silent None
    ):
        opener.add_handler(handler)
    return opener


def _scheme(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).scheme


def user_agent() -> str:
    from cpsdiff import __version__

    return f"cpsdiff/{__version__} (+https://pypi.org/project/cpsdiff/)"


def _request(url: str, etag: str | None, last_modified: str | None):
    import urllib.request

    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.8,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return urllib.request.Request(url, headers=headers)


def fetch(url: str, timeout: float | None = None, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """``url``'s page; the whole fetch (connecting, redirects, headers, body) takes at most
    ``timeout`` seconds (default $CPSDIFF_TIMEOUT) and at most MAX_BYTES are read, compressed
    or not. With ``etag`` or ``last_modified`` (from an earlier Fetched) the fetch is
    conditional, and a 304 comes back as ``not_modified`` with no data."""
    from cpsdiff.web.deadline import Deadline

    seconds = request_timeout() if timeout is None else timeout
    with Deadline(seconds) as deadline:
        try:
            final, headers, data = _get(url, deadline, etag, last_modified)
        except Exception as error:
            if deadline.expired:  # whatever the cut connection raised
                raise InputError(_too_slow(url, seconds)) from None
            raise _input_error(url, error, seconds) from None
        if deadline.expired:  # a cut may also look like the end of the body
            raise InputError(_too_slow(url, seconds))
    validators = headers.get("ETag") or etag, headers.get("Last-Modified") or last_modified
    if data is None:
        return Fetched(final, b"", headers.get_content_type().lower(), headers.get_content_charset(), *validators, True)
    _check_complete(url, data, headers.get("Content-Length"))
    data = _decoded(url, data, headers.get("Content-Encoding"))
    return Fetched(final, data, headers.get_content_type().lower(), headers.get_content_charset(),
                   headers.get("ETag"), headers.get("Last-Modified"))


def _get(url: str, deadline, etag: str | None = None, last_modified: str | None = None) -> tuple[str, object, bytes | None]:
    """(URL after redirects, headers, body), refusing a body over MAX_BYTES; the body is None
    for a 304 to a conditional request."""
    from urllib.error import HTTPError

    if _scheme(url) not in _SCHEMES:
        raise InputError(f"{url}: not an http(s) URL")
    try:
        response = _opener(deadline).open(_request(url, etag, last_modified), timeout=deadline.remaining())
    except HTTPError as error:
        if error.code != 304 or not (etag or last_modified):
            raise
        error.close()
        return error.geturl() or url, error.headers, None
    with response:
        final, headers = response.geturl(), response.headers
        if _declared_length(headers.get("Content-Length")) > MAX_BYTES:
            raise InputError(_too_large(url))
        chunks, size = [], 0
        while size <= MAX_BYTES and (chunk := response.read(min(_CHUNK, MAX_BYTES + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    if size > MAX_BYTES:
        raise InputError(_too_large(url))
    return final, headers, b"".join(chunks)


def _too_slow(url: str, seconds: float) -> str:
    return f"{url}: no complete answer within {seconds:g} s (CPSDIFF_TIMEOUT)"


def _too_large(url: str) -> str:
    limit = f"{MAX_BYTES // 2**20} MB" if MAX_BYTES >= 2**20 else f"{MAX_BYTES:,} bytes"
    return f"{url}: larger than {limit} (the most cpsdiff fetches), not an article page"


def _declared_length(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1


def _input_error(url: str, error: Exception, seconds: float) -> Exception:
    """The one-line InputError for a failed fetch (other exceptions, bugs, as they are)."""
    import http.client
    import urllib.error

    if isinstance(error, InputError):
        return error
    if isinstance(error, _RefusedRedirect):
        return InputError(f"{url}: redirected to {error}, not an http(s) URL")
    if isinstance(error, _TooManyRedirects):
        return InputError(f"{url}: too many redirects (more than {_REDIRECTS_LIMIT}, or a loop)")
    if isinstance(error, urllib.error.HTTPError):
        return InputError(f"{url}: HTTP {error.code} {_brief(error.reason)}")
    if isinstance(error, urllib.error.URLError):
        if isinstance(error.reason, TimeoutError):
            return InputError(_too_slow(url, seconds))
        return InputError(f"{url}: cannot fetch ({_brief(getattr(error.reason, 'strerror', None) or error.reason)})")
    if isinstance(error, TimeoutError):
        return InputError(_too_slow(url, seconds))
    if isinstance(error, OSError):
        return InputError(f"{url}: cannot fetch ({error.strerror or _brief(error)})")
    if isinstance(error, http.client.IncompleteRead):
        return InputError(f"{url}: the server stopped before the end of the page")
    if isinstance(error, (http.client.InvalidURL, ValueError)):  # a bad host, port, IPv6 brackets, spaces
        return InputError(f"{url}: not a valid URL ({_brief(error)})")
    if isinstance(error, http.client.HTTPException):  # a garbled status line or headers
        return InputError(f"{url}: not a valid HTTP response ({type(error).__name__}: {_brief(error)})")
    return error


def _brief(error: object) -> str:
    """A message on one line and short: it may quote whatever the server sent."""
    text = " ".join(str(error).split())
    return text if len(text) <= 100 else text[:99] + "…"


def _decoded(url: str, data: bytes, content_encoding: str | None) -> bytes:
    """The body with its Content-Encoding (gzip or deflate, the ones asked for) undone, refused
    past MAX_BYTES however well it compressed."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    for coding in reversed([c for c in codings if c and c != "identity"]):
        if coding in ("gzip", "x-gzip"):
            data = _inflate(url, data, coding, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send it
            try:
                data = _inflate(url, data, coding, zlib.MAX_WBITS)
            except InputError:
                data = _inflate(url, data, coding, -zlib.MAX_WBITS)
        else:
            raise InputError(f"{url}: served with Content-Encoding {_brief(coding)}, which cpsdiff did not ask for")
    return data


def _inflate(url: str, data: bytes, coding: str, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as error:
        raise InputError(f"{url}: its {coding} compression is damaged ({_brief(error)})") from None
    if len(out) > MAX_BYTES:
        raise InputError(_too_large(url))
    if not inflater.eof:
        raise InputError(f"{url}: the server stopped before the end of the page (its {coding} stream is cut)")
    return out


def _check_complete(url: str, data: bytes, content_length: str | None) -> None:
    """A body shorter than its Content-Length is a cut connection (urllib returns it silently)."""
    try:
        expected = int(content_length or "")
    except ValueError:  # absent or garbled: nothing to check against
        return
    if len(data) < expected:
        raise InputError(f"{url}: the server stopped before the end of the page ({len(data)} of {expected} bytes)")
