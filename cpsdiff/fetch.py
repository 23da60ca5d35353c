"""http(s) inputs: fetched with a timeout; every failure is a one-line InputError."""

from __future__ import annotations

import os
from dataclasses import dataclass

from cpsdiff.errors import InputError

TIMEOUT = float(os.environ.get("CPSDIFF_TIMEOUT", "20"))  # seconds, per request
MAX_BYTES = 20 * 1024 * 1024  # an article page is far smaller: refuse runaway downloads


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
    return path.startswith(("http://", "https://"))


def fetch(url: str, timeout: float | None = None) -> Fetched:
    import urllib.error
    import urllib.request

    from cpsdiff import __version__

    timeout = TIMEOUT if timeout is None else timeout
    request = urllib.request.Request(url, headers={
        "User-Agent": f"cpsdiff/{__version__} (+https://pypi.org/project/cpsdiff/)",
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.8,*/*;q=0.5",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: is_url)
            data = response.read(MAX_BYTES + 1)
            final, headers = response.geturl(), response.headers
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
    if len(data) > MAX_BYTES:
        raise InputError(f"{url}: larger than {MAX_BYTES // 2**20} MB, not an article page")
    return Fetched(final, data, headers.get_content_type().lower(), headers.get_content_charset())
