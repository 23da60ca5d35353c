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

As a good citizen: pages and feeds are asked for conditionally (the ETag and Last-Modified of
their last answer; a 304 costs the server its headers only), compressed, and one at a time per
host with a pause between (web/polite.py). What is stored with a new version, in the same
transaction: the raw page (for `cpsdiff reextract`), the page's validators, and for a change a
`changes` record with the counts `cpsdiff compare` gives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urldefrag, urljoin

import xxhash

from cpsdiff.diff.boilerplate import Rule
from cpsdiff.diff.comparison import compare
from cpsdiff.errors import CpsdiffError, InputError
from cpsdiff.inputs.corpus import Version
from cpsdiff.inputs.loading import source_from_fetched
from cpsdiff.model import Comparison, Summary
from cpsdiff.store.analysis import Analysed, analyse
from cpsdiff.store.records import StoredVersion
from cpsdiff.store.versions import Store
from cpsdiff.text.segment import parse_document
from cpsdiff.web.fetch import Fetched, fetch, is_url, request_timeout

DEFAULT_DELAY = 1.0  # seconds between two requests to one host
MAX_DELAY = 3600.0
Get = Callable[..., Fetched]  # get(url), or get(url, etag=…, last_modified=…) for a conditional request


@dataclass(frozen=True, slots=True)
class Tracked:
    url: str
    status: str  # new | changed | unchanged | error
    version: int | None = None  # the stored version's number in its story
    paragraphs: int | None = None
    title: str | None = None
    summary: Summary | None = None  # against the previous stored version, when changed
    error: str | None = None
    report: str | None = None  # the HTML report of the change, when one was written


def page_address(link: str, base: str = "") -> str:
    """``link`` resolved against ``base``, without its #fragment: the key of a page's story.
    A link too malformed to resolve is kept as written, for fetch() to report."""
    link = link.strip()
    try:
        return urldefrag(urljoin(base, link)).url
    except ValueError:
        return link


def read_url_list(text: str, name: str) -> list[str]:
    """The URLs of a list file: one per line; blank lines and lines starting with # are skipped.
    A line that is not an http(s) URL is an error naming the file and line."""
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"{name}:{number}: not an http(s) URL: {line}")
        urls.append(line)
    return urls


# -- fetching ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Request:
    url: str
    etag: str | None = None
    last_modified: str | None = None


def _get(get: Get, request: _Request) -> Fetched:
    if request.etag or request.last_modified:
        return get(request.url, etag=request.etag, last_modified=request.last_modified)
    return get(request.url)


def _requests(store: Store, urls: Sequence[str]) -> list[_Request]:
    """Each URL with the validators of its last answer, when the store has them."""
    from cpsdiff.store.pages import watched

    known = watched(store, urls)
    return [_Request(url, known[url].etag, known[url].last_modified) if url in known else _Request(url) for url in urls]


def _moment(now: Callable[[], datetime]) -> datetime:
    return now().replace(microsecond=0)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- one page ---------------------------------------------------------------------------------

def track_one(store: Store, url: str, rules: Sequence[Rule], get: Get = fetch,
              now: Callable[[], datetime] = _utc_now, report_dir: str | None = None) -> Tracked:
    """Fetch ``url`` (conditionally, when the store knows it) and store it if its reporting
    changed; any failure comes back as a status."""
    request = _requests(store, [url])[0]
    try:
        outcome: Fetched | Exception = _get(get, request)
    except Exception as error:  # noqa: BLE001 (a surprise on one page must not stop the others)
        outcome = error
    return _record(store, url, outcome, rules, get, _moment(now), report_dir)


def _record(store: Store, url: str, outcome: Fetched | BaseException, rules: Sequence[Rule], get: Get,
            moment: datetime, report_dir: str | None) -> Tracked:
    if isinstance(outcome, BaseException):
        if not isinstance(outcome, Exception):  # Ctrl-C in a worker thread is not a page's failure
            raise outcome
        return _failed(url, outcome)
    try:
        if outcome.not_modified:
            unchanged = _not_modified(store, url, outcome, moment)
            if unchanged is not None:
                return unchanged
            outcome = get(url)  # the store lost the version the validators were for: fetch it whole
        return _store_if_changed(store, _article(outcome.article(url), url, moment), rules, outcome, report_dir)
    except Exception as error:  # noqa: BLE001 (as in track_one)
        return _failed(url, error)


def _not_modified(store: Store, url: str, fetched: Fetched, moment: datetime) -> Tracked | None:
    from cpsdiff.store.pages import remember

    with store.write_lock():
        latest = store.latest(url)
        if latest is None:
            return None
        remember(store, url, "page", fetched, moment.isoformat())
    return Tracked(url, "unchanged", int(latest.version or 0), latest.paragraphs, latest.extra.get("title"))


def _failed(url: str, error: Exception) -> Tracked:
    unexpected = not isinstance(error, CpsdiffError)
    return Tracked(url, "error", error=f"{url}: unexpected {type(error).__name__}: {error}" if unexpected else str(error))


def _article(fetched: Fetched, url: str, now: datetime) -> Version:
    source = source_from_fetched(fetched, url)
    extra = {"url": url, "fetched": now.isoformat(), **source.meta}
    return Version(f"{url} @ {now.isoformat()}", source.text, url, None, now, extra, source.hints)


def _store_if_changed(store: Store, version: Version, rules: Sequence[Rule], fetched: Fetched,
                      report_dir: str | None) -> Tracked:
    """Under the write lock, from reading the latest version to writing the next: the version,
    its raw page, its change record and the page's validators are committed together."""
    from cpsdiff.store.pages import archive, record_change, remember

    url, title = version.story, version.extra.get("title")
    checked = version.time.isoformat() if version.time else ""
    result = None
    with store.write_lock():
        previous = store.latest(url)
        number = 1 if previous is None else int(previous.version or 0) + 1
        analysed = analyse(replace(version, version=number), rules)
        if previous is not None and store.reporting(previous) == _reporting(analysed):
            remember(store, url, "page", fetched, checked)
            return Tracked(url, "unchanged", int(previous.version or 0), previous.paragraphs, title)
        store.write([analysed])
        stored = store.latest(url)
        archive(store, stored.rowid, fetched)
        remember(store, url, "page", fetched, checked)
        if previous is not None:
            result = _comparison(store, previous, version, rules)
            record_change(store, url, previous.rowid, stored.rowid, checked, result.summary)
    if previous is None:
        return Tracked(url, "new", number, len(analysed.paragraphs), title)
    report = None
    if report_dir is not None:
        try:
            report = write_report(report_dir, url, version.time or _utc_now(), number, result, title)
        except OSError as error:
            return Tracked(url, "error", number, len(analysed.paragraphs), title, result.summary,
                           f"{url}: version {number} stored, but its report could not be written "
                           f"({error.strerror or error})")
    return Tracked(url, "changed", number, len(analysed.paragraphs), title, result.summary, report=report)


def _reporting(analysed: Analysed) -> list[str]:
    """Normalised hashes of a version's reporting paragraphs, in order."""
    return [norm for _, _, _, _, norm, boilerplate in analysed.paragraphs if boilerplate is None]


def _comparison(store: Store, previous: StoredVersion, version: Version, rules: Sequence[Rule]) -> Comparison:
    """What `cpsdiff compare` says from the stored previous version (with its markup hints) to this one."""
    old = store.version_of(previous)
    return compare(parse_document(old.text, old.id, old.hints), parse_document(version.text, version.id, version.hints), rules)


# -- reports ----------------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def report_name(url: str, when: datetime, number: int) -> str:
    """A file name for the report of a change: the URL's host and path made safe (and short),
    a hash of the whole URL (two URLs never share a name), the time and the version."""
    bare = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    slug = _UNSAFE_NAME.sub("-", bare).strip("-.")[:80].strip("-.") or "page"
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{slug}-{xxhash.xxh3_64_hexdigest(url.encode())[:8]}-{stamp}-v{number}.html"


def write_report(folder: str, url: str, when: datetime, number: int, result: Comparison, title: str | None) -> str:
    """The HTML report of a change (as `cpsdiff compare --format html` makes it), written whole
    or not at all; returns its path."""
    from cpsdiff.render.html_report import compare_html

    path = os.path.join(folder, report_name(url, when, number))
    heading = f"{title} — {url} v{number}" if title else f"{url} v{number}"
    partial = path + ".part"
    with open(partial, "w", encoding="utf-8") as file:
        file.write(compare_html(result, heading))
    os.replace(partial, path)
    return path


# -- a run ------------------------------------------------------------------------------------

def track(store: Store, urls: Iterable[str], feeds: Iterable[str], rules: Sequence[Rule], get: Get = fetch,
          delay: float = DEFAULT_DELAY, report_dir: str | None = None,
          now: Callable[[], datetime] = _utc_now) -> Iterator[Tracked]:
    """Every URL, then every article of every feed, in order; a page is fetched once per run.
    Feeds are read first, then the pages, each list several hosts at once but one request at a
    time per host, ``delay`` seconds apart."""
    from cpsdiff.web.polite import PoliteFetcher

    request_timeout()  # a bad $CPSDIFF_TIMEOUT is one error for the run, not one per page
    fetcher: PoliteFetcher[_Request, Fetched] = PoliteFetcher(lambda r: _get(get, r), lambda r: r.url, delay)
    items: list[str | Tracked] = list(urls)
    items += _feed_items(store, list(feeds), fetcher, get, now)
    seen: set[str] = set()
    pages: list[str] = []
    for item in items:
        if isinstance(item, str):
            address = page_address(item)
            if address not in seen:
                seen.add(address)
                pages.append(address)
    outcomes = fetcher.map(_requests(store, pages))
    try:
        for item in items:
            if isinstance(item, Tracked):
                yield item
            elif page_address(item) in seen:  # its first mention
                seen.discard(page_address(item))
                yield _record(store, page_address(item), next(outcomes), rules, get, _moment(now), report_dir)
    finally:
        outcomes.close()


def _feed_items(store: Store, feeds: list[str], fetcher, get: Get, now) -> list[str | Tracked]:
    """Each feed's article links, or the error that it failed or lists none, in feed order."""
    items: list[str | Tracked] = []
    for feed, outcome in zip(feeds, fetcher.map(_requests(store, feeds))):
        try:
            if isinstance(outcome, BaseException):
                raise outcome
            links = _links(store, feed, outcome, get, _moment(now))
        except Exception as error:  # noqa: BLE001 (as in track_one)
            items.append(_failed(feed, error))
            continue
        items += links or [Tracked(feed, "error", error=f"{feed}: the feed lists no article links")]
    return items


def _links(store: Store, feed: str, fetched: Fetched, get: Get, moment: datetime) -> list[str]:
    """A feed's article links, resolved against its address: from the answer, or for a 304 the
    ones of its last full answer."""
    from cpsdiff.store.pages import remember, watched
    from cpsdiff.web.feeds import feed_links

    if fetched.not_modified:
        known = watched(store, [feed]).get(feed)
        if known is not None and known.links is not None:
            with store.write_lock():
                remember(store, feed, "feed", fetched, moment.isoformat())
            return list(known.links)
        fetched = get(feed)  # the store lost them: ask again, unconditionally
    served = fetched.content_type + (f"; charset={fetched.charset}" if fetched.charset else "")
    links = [page_address(link, fetched.url or feed) for link in feed_links(fetched.data, feed, served)]
    links = list(dict.fromkeys(links))
    if links:
        with store.write_lock():
            remember(store, feed, "feed", fetched, moment.isoformat(), links)
    return links
