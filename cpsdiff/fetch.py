"""http(s) inputs: fetched with a timeout; every failure is a one-line InputError.

Only http and https are ever opened, redirects included: a feed or a redirect that points at
file:// or ftp:// must not read local files or reach other services.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cache

from cpsdiff.errors import InputError

DEFAULT_TIMEOUT = 20.0  # seconds, per request; $CPSDIFF_TIMEOUT overrides it
MAX_BYTES = 20 * 1024 * 1024  # an article page is far smaller: refuse runaway downloads
_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str  # lower case, without parameters
    charset: str | None

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
    """Seconds to wait for a server: $CPSDIFF_TIMEOUT, read when needed so that a bad value
    troubles only the commands that fetch."""
    given = os.environ.get("CPSDIFF_TIMEOUT", "").strip()
    if not given:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(given)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise InputError(f"CPSDIFF_TIMEOUT must be a positive number of seconds, not {given!r}")
    return seconds


class _RefusedRedirect(Exception):
    """A redirect to a URL that is not http(s); the argument is that URL."""


@cache
def _opener():
    """An opener with the HTTP(S) handlers only (no file://, ftp:// or data:), whose redirects
    may lead to http(s) URLs only."""
    import urllib.request

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if _scheme(newurl) not in _SCHEMES:
                raise _RefusedRedirect(newurl)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    proxies = {scheme: url for scheme, url in urllib.request.getproxies().items() if scheme in _SCHEMES}
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
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


def _request(url: str):
    import urllib.request

    from cpsdiff import __version__

    return urllib.request.Request(url, headers={
        "User-Agent": f"cpsdiff/{__version__} (+https://pypi.org/project/cpsdiff/)",
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.8,*/*;q=0.5",
    })


def fetch(url: str, timeout: float | None = None) -> Fetched:
    import http.client
    import urllib.error

    timeout = request_timeout() if timeout is None else timeout
    try:
        if _scheme(url) not in _SCHEMES:
            raise InputError(f"{url}: not an http(s) URL")
        with _opener().open(_request(url), timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            final, headers = response.geturl(), response.headers
    except _RefusedRedirect as error:
        raise InputError(f"{url}: redirected to {error}, not an http(s) URL") from None
    except urllib.error.HTTPError as error:
        raise InputError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise InputError(f"{url}: no answer within {timeout:g} s") from None
        raise InputError(f"{url}: cannot fetch ({getattr(error.reason, 'strerror', None) or error.reason})") from None
    except TimeoutError:
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as error:
        raise InputError(f"{url}: cannot fetch ({error.strerror or error})") from None
    except http.client.IncompleteRead:
        raise InputError(f"{url}: the server stopped before the end of the page") from None
    except (http.client.InvalidURL, ValueError) as error:  # a bad host, port, IPv6 brackets, spaces
        raise InputError(f"{url}: not a valid URL ({_brief(error)})") from None
    except http.client.HTTPException as error:  # a garbled status line or headers
        raise InputError(f"{url}: not a valid HTTP response ({type(error).__name__}: {_brief(error)})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{url}: larger than {MAX_BYTES // 2**20} MB, not an article page")
    _check_complete(url, data, headers.get("Content-Length"))
    return Fetched(final, data, headers.get_content_type().lower(), headers.get_content_charset())


def _brief(error: Exception) -> str:
    """An exception's message on one line and short: it may quote whatever the server sent."""
    text = " ".join(str(error).split())
    return text if len(text) <= 100 else text[:99] + "…"


def _check_complete(url: str, data: bytes, content_length: str | None) -> None:
    """A body shorter than its Content-Length is a cut connection (urllib returns it silently)."""
    try:
        expected = int(content_length or "")
    except ValueError:  # absent or garbled: nothing to check against
        return
    if len(data) < expected:
        raise InputError(f"{url}: the server stopped before the end of the page ({len(data)} of {expected} bytes)")
