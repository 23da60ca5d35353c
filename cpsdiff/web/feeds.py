"""Article links of a news feed: RSS 0.9x, 1.0 and 2.0 and Atom, read by feedparser, which takes
feeds as they are served rather than as the specifications say (an unescaped ``&``, a missing
closing tag, HTML entities, a wrong encoding declaration, a feed cut short), as browsers and
feed readers take them.

Two things are decided here rather than left to it: a feed that declares XML entities is refused
(an entity bomb expands a few hundred bytes into gigabytes; no real feed needs one), and a feed
that declares UTF-16 or UTF-32 without a byte-order mark is read as UTF-8, as browsers read such
pages (it cannot be what it says).
"""

from __future__ import annotations

import re

from cpsdiff.errors import CpsdiffError, InputError

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_WIDE_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*encoding\s*=\s*["'])(utf-?(?:16|32)[^"']*)""", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_LINKED_BY_ID = ("rss090", "rss10")  # RSS 0.90 and 1.0 items name their page in rdf:about


def feed_links(data: bytes, url: str, content_type: str | None = None) -> list[str]:
    """Article links of a feed, in feed order, once each, as written (relative ones are for the
    caller to resolve against the feed's address); InputError when ``data`` is no feed at all.
    ``content_type`` is the served one with its charset (``application/rss+xml; charset=…``)."""
    try:
        import feedparser
    except ImportError:
        raise CpsdiffError("reading feeds needs the html extra: pip install 'cpsdiff[html]'") from None
    head = data[:65536]
    if _ENTITY_DECLARATION.search(head[: _root_start(head)]):
        raise InputError(f"{url}: not an RSS or Atom feed cpsdiff reads (it declares XML entities)")
    if not data.startswith(_BOMS):
        data = _WIDE_DECLARATION.sub(rb"\1utf-8", data, count=1)
    headers = {"content-type": content_type} if content_type else {}
    # No base URL: feedparser drops links it cannot join (http://[::1) instead of reporting them.
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InputError(f"{url}: not an RSS or Atom feed" + (f" ({_brief(reason)})" if reason else ""))
    links: dict[str, None] = {}  # in feed order, each once (a dict: feeds of thousands of entries)
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if parsed.version in _LINKED_BY_ID else None)
        if link and link.strip():
            links.setdefault(link.strip())
    return list(links)


def _root_start(head: bytes) -> int:
    """Where the root element starts: the prolog (declaration, comments, DOCTYPE) is before it."""
    found = re.search(rb"<[A-Za-z]", head)
    return found.start() if found else len(head)


def _brief(error: object) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 100 else text[:99] + "…"
