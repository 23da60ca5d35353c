"""Watch articles: fetch each URL (or every item of a feed) and store a new version only when the
article's content changed, as NewsDiffs and diffengine do. Made for cron: one line per change.

A version's content is the hash of its paragraph hashes, so a page whose markup, ads or
timestamps changed but whose text did not stores nothing. The story of a tracked page is its
URL; its time is when it was fetched (pages often keep their "updated" date when they change).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree import ElementTree

from cpsdiff.boilerplate import Rule
from cpsdiff.comparison import compare
from cpsdiff.corpus import Version
from cpsdiff.errors import CpsdiffError, InputError
from cpsdiff.fetch import Fetched, fetch
from cpsdiff.loading import source_from_bytes
from cpsdiff.model import Summary
from cpsdiff.segment import parse_document
from cpsdiff.store import Store, analyse

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class Tracked:
    url: str
    status: str  # new | changed | unchanged | error
    version: int | None = None  # the stored version's number in its story
    paragraphs: int | None = None
    title: str | None = None
    summary: Summary | None = None  # against the previous stored version, when changed
    error: str | None = None


def feed_links(data: bytes, url: str) -> list[str]:
    """Article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order, once each."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise InputError(f"{url}: not an RSS or Atom feed ({error})") from None
    links: list[str] = []
    for item in root.iter():
        tag = item.tag.rsplit("}", 1)[-1]
        if tag == "item":
            link = next((c.text for c in item if c.tag.rsplit("}", 1)[-1] == "link" and c.text), None)
            link = link or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        elif item.tag == f"{_ATOM}entry":
            anchors = [a for a in item.findall(f"{_ATOM}link") if a.get("rel", "alternate") == "alternate"]
            link = anchors[0].get("href") if anchors else None
        else:
            continue
        if link and link.strip() not in links:
            links.append(link.strip())
    if not links and root.tag.rsplit("}", 1)[-1] not in ("rss", "feed", "RDF"):
        raise InputError(f"{url}: not an RSS or Atom feed (root element <{root.tag}>)")
    return links


def _article(fetched: Fetched, url: str, now: datetime) -> Version:
    source = source_from_bytes(fetched.data, url, fetched.charset, fetched.is_html)
    extra = {"url": url, "fetched": now.isoformat(), **(source.page.meta() if source.page else {})}
    return Version(f"{url} @ {now.isoformat()}", source.text, url, None, now, extra, source.hints)


def track_one(store: Store, url: str, rules: Sequence[Rule], get: Callable[[str], Fetched] = fetch,
              now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> Tracked:
    """Fetch ``url`` and store it if its content changed; errors come back as a status."""
    try:
        moment = now().replace(microsecond=0)
        version = _article(get(url).article(url), url, moment)
        previous = store.latest(url)
        number = 1 if previous is None else int(previous.version or 0) + 1
        analysed = analyse(Version(version.id, version.text, url, number, moment, version.extra, version.hints), rules)
        title = version.extra.get("title")
        if previous is not None and previous.content == analysed.content:
            return Tracked(url, "unchanged", int(previous.version or 0), previous.paragraphs, title)
        store.write([analysed])
        if previous is None:
            return Tracked(url, "new", number, len(analysed.paragraphs), title)
        old = parse_document(store.text(previous.text_hash), previous.source)
        result = compare(old, parse_document(version.text, version.id, version.hints), rules)
        return Tracked(url, "changed", number, len(analysed.paragraphs), title, result.summary)
    except CpsdiffError as error:
        return Tracked(url, "error", error=str(error))


def track(store: Store, urls: Iterable[str], feeds: Iterable[str], rules: Sequence[Rule],
          get: Callable[[str], Fetched] = fetch) -> Iterator[Tracked]:
    """Every URL, then every article of every feed, in order; a URL is fetched once per run."""
    seen: set[str] = set()

    def pending() -> Iterator[str | Tracked]:
        yield from urls
        for feed in feeds:
            try:
                yield from feed_links(get(feed).data, feed)
            except CpsdiffError as error:
                yield Tracked(feed, "error", error=str(error))

    for item in pending():
        if isinstance(item, Tracked):
            yield item
        elif item not in seen:
            seen.add(item)
            yield track_one(store, item, rules, get)
