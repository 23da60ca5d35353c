"""Watch articles: fetch each URL (or every item of a feed) and store a new version only when the
article's reporting changed, as NewsDiffs and diffengine do. Made for cron: one line per change.

What counts as a change: the page's reporting paragraphs (those the boilerplate rules do not
flag), in order, compared by their normalised text (case, spacing, quote and dash styles
ignored) with those of the last stored version. Markup, ads, scripts, timestamps and rotating
chrome such as a "READ MORE:" teaser change nothing and store nothing.

The story of a tracked page is its URL without its #fragment; its time is when it was fetched
(pages often keep their "updated" date when they change). Feed links are resolved against the
feed's address. Every page is tracked on its own: one that fails is reported as an error and
the others are still done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urldefrag, urljoin
from xml.etree import ElementTree

from cpsdiff.boilerplate import Rule
from cpsdiff.comparison import compare
from cpsdiff.corpus import Version
from cpsdiff.errors import CpsdiffError, InputError
from cpsdiff.fetch import Fetched, fetch, request_timeout
from cpsdiff.loading import source_from_fetched
from cpsdiff.model import Summary
from cpsdiff.segment import parse_document
from cpsdiff.store import Analysed, Store, StoredVersion, analyse

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


@dataclass(frozen=True, slots=True)
class Tracked:
    url: str
    status: str  # new | changed | unchanged | error
    version: int | None = None  # the stored version's number in its story
    paragraphs: int | None = None
    title: str | None = None
    summary: Summary | None = None  # against the previous stored version, when changed
    error: str | None = None


def page_address(link: str, base: str = "") -> str:
    """``link`` resolved against ``base``, without its #fragment: the key of a page's story.
    A link too malformed to resolve is kept as written, for fetch() to report."""
    link = link.strip()
    try:
        return urldefrag(urljoin(base, link)).url
    except ValueError:
        return link


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _item_link(item: ElementTree.Element) -> str | None:
    """The article link of an RSS item or an Atom entry, as written."""
    if _local(item.tag) == "item":
        link = next((c.text for c in item if _local(c.tag) == "link" and c.text and c.text.strip()), None)
        return link or item.get(_RDF_ABOUT)
    anchors = [a for a in item.findall(f"{_ATOM}link") if a.get("rel", "alternate") == "alternate"]
    return anchors[0].get("href") if anchors else None


def feed_links(data: bytes, url: str, base: str | None = None) -> list[str]:
    """Article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order, once each;
    relative ones resolved against ``base`` (the feed's address after redirects)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise InputError(f"{url}: not an RSS or Atom feed ({error})") from None
    links: list[str] = []
    for item in root.iter():
        if _local(item.tag) != "item" and item.tag != f"{_ATOM}entry":
            continue
        link = _item_link(item)
        address = page_address(link, base or url) if link and link.strip() else None
        if address and address not in links:
            links.append(address)
    if not links and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise InputError(f"{url}: not an RSS or Atom feed (root element <{root.tag}>)")
    return links


def _article(fetched: Fetched, url: str, now: datetime) -> Version:
    source = source_from_fetched(fetched, url)
    extra = {"url": url, "fetched": now.isoformat(), **source.meta}
    return Version(f"{url} @ {now.isoformat()}", source.text, url, None, now, extra, source.hints)


def track_one(store: Store, url: str, rules: Sequence[Rule], get: Callable[[str], Fetched] = fetch,
              now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> Tracked:
    """Fetch ``url`` and store it if its reporting changed; any failure comes back as a status."""
    try:
        moment = now().replace(microsecond=0)
        return _store_if_changed(store, _article(get(url).article(url), url, moment), rules)
    except Exception as error:  # noqa: BLE001 (a surprise on one page must not stop the others)
        return _failed(url, error)


def _failed(url: str, error: Exception) -> Tracked:
    unexpected = not isinstance(error, CpsdiffError)
    return Tracked(url, "error", error=f"{url}: unexpected {type(error).__name__}: {error}" if unexpected else str(error))


def _store_if_changed(store: Store, version: Version, rules: Sequence[Rule]) -> Tracked:
    url, title = version.story, version.extra.get("title")
    with store.write_lock():
        previous = store.latest(url)
        number = 1 if previous is None else int(previous.version or 0) + 1
        analysed = analyse(replace(version, version=number), rules)
        if previous is not None and store.reporting(previous) == _reporting(analysed):
            return Tracked(url, "unchanged", int(previous.version or 0), previous.paragraphs, title)
        store.write([analysed])
    if previous is None:
        return Tracked(url, "new", number, len(analysed.paragraphs), title)
    return Tracked(url, "changed", number, len(analysed.paragraphs), title, _summary(store, previous, version, rules))


def _reporting(analysed: Analysed) -> list[str]:
    """Normalised hashes of a version's reporting paragraphs, in order."""
    return [norm for _, _, _, _, norm, boilerplate in analysed.paragraphs if boilerplate is None]


def _summary(store: Store, previous: StoredVersion, version: Version, rules: Sequence[Rule]) -> Summary:
    """What `cpsdiff compare` says from the stored previous version (with its markup hints) to this one."""
    old = store.version_of(previous)
    result = compare(parse_document(old.text, old.id, old.hints), parse_document(version.text, version.id, version.hints), rules)
    return result.summary


def track(store: Store, urls: Iterable[str], feeds: Iterable[str], rules: Sequence[Rule],
          get: Callable[[str], Fetched] = fetch) -> Iterator[Tracked]:
    """Every URL, then every article of every feed, in order; a page is fetched once per run."""
    request_timeout()  # a bad $CPSDIFF_TIMEOUT is one error for the run, not one per page
    seen: set[str] = set()
    for item in _pages(urls, feeds, get):
        if isinstance(item, Tracked):
            yield item
            continue
        address = page_address(item)
        if address not in seen:
            seen.add(address)
            yield track_one(store, address, rules, get)


def _pages(urls: Iterable[str], feeds: Iterable[str], get: Callable[[str], Fetched]) -> Iterator[str | Tracked]:
    """The URLs, then each feed's links; a feed that fails, or lists nothing, is an error."""
    yield from urls
    for feed in feeds:
        try:
            fetched = get(feed)
            links = feed_links(fetched.data, feed, fetched.url)
        except Exception as error:  # noqa: BLE001 (as in track_one)
            yield _failed(feed, error)
            continue
        yield from links or [Tracked(feed, "error", error=f"{feed}: the feed lists no article links")]
