"""What `track` keeps in a store beside the versions (schema 3, see schema.py): the raw
pages it fetched, zlib-compressed and stored once per content however many versions or URLs
served them; what it knows of each page and feed between runs (validators for conditional
requests, a feed's last links); and a `changes` record for every change it detected.

The writing functions run inside ``Store.write_lock()``, so that a version, its raw page, its
change record and its page's state are committed together or not at all.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import xxhash

from cpsdiff.model import Summary
from cpsdiff.store.versions import Store
from cpsdiff.web.fetch import Fetched

_LEVEL = 6  # zlib's default: HTML shrinks about 5x; level 9 saves ~1% for twice the time


@dataclass(frozen=True, slots=True)
class Watched:
    url: str
    kind: str  # page | feed
    etag: str | None
    last_modified: str | None
    checked: str
    links: tuple[str, ...] | None  # a feed's article links at its last full answer


def watched(store: Store, urls: Iterable[str]) -> dict[str, Watched]:
    """What the store remembers of these pages or feeds (those it has seen)."""
    found: dict[str, Watched] = {}
    wanted = list(dict.fromkeys(urls))
    with store.guard():
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound variables
            chunk = wanted[start : start + 500]
            rows = store.db.execute(
                f"SELECT url, kind, etag, last_modified, checked, links FROM watched WHERE url IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for url, kind, etag, modified, checked, links in rows:
                found[url] = Watched(url, kind, etag, modified, checked, _links(links))
    return found


def _links(stored: str | None) -> tuple[str, ...] | None:
    try:
        links = json.loads(stored) if stored else None
    except ValueError:
        return None
    return tuple(link for link in links if isinstance(link, str)) if isinstance(links, list) else None


def remember(store: Store, url: str, kind: str, fetched: Fetched, checked: str, links: list[str] | None = None) -> None:
    """Record a page's or a feed's latest answer: its validators, when, and a feed's links."""
    with store.guard():
        if fetched.not_modified:  # the validators and links of the full answer still hold
            store.db.execute("UPDATE watched SET checked = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                             " WHERE url = ?", (checked, fetched.etag, fetched.last_modified, url))
            return
        store.db.execute(
            "INSERT OR REPLACE INTO watched (url, kind, etag, last_modified, checked, links) VALUES (?, ?, ?, ?, ?, ?)",
            (url, kind, fetched.etag, fetched.last_modified, checked, None if links is None else json.dumps(links)),
        )


def archive(store: Store, version_id: int, fetched: Fetched) -> None:
    """Keep the page a version was extracted from (compressed, once per content)."""
    key = xxhash.xxh3_128_hexdigest(fetched.data)
    with store.guard():
        store.db.execute("INSERT OR IGNORE INTO raw_pages (hash, size, data) VALUES (?, ?, ?)",
                         (key, len(fetched.data), zlib.compress(fetched.data, _LEVEL)))
        raw_id = store.db.execute("SELECT id FROM raw_pages WHERE hash = ?", (key,)).fetchone()[0]
        store.db.execute("INSERT OR REPLACE INTO version_pages VALUES (?, ?, ?, ?, ?)",
                         (version_id, raw_id, fetched.url, fetched.content_type, fetched.charset))


def record_change(store: Store, story: str, from_id: int, to_id: int, time: str, summary: Summary) -> None:
    counts = (summary.new, summary.edited, summary.merged, summary.split, summary.carried, summary.removed,
              summary.boilerplate, summary.moved, summary.words_added, summary.words_removed)
    with store.guard():
        store.db.execute(
            "INSERT OR REPLACE INTO changes (story, from_id, to_id, time, new, edited, merged, split, carried, removed,"
            " boilerplate, moved, words_added, words_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (story, from_id, to_id, time, *counts),
        )


@dataclass(frozen=True, slots=True)
class ArchivedVersion:
    version_id: int
    fetched: Fetched  # the page as it was served


def archived(store: Store) -> Iterator[ArchivedVersion]:
    """Every version that has its raw page, in store order, decompressed one at a time."""
    with store.guard():
        ids = [row[0] for row in store.db.execute("SELECT version_id FROM version_pages ORDER BY version_id")]
    for version_id in ids:
        with store.guard():
            row = store.db.execute(
                "SELECT r.data, r.size, vp.url, vp.content_type, vp.charset FROM version_pages vp"
                " JOIN raw_pages r ON r.id = vp.raw_page WHERE vp.version_id = ?", (version_id,)
            ).fetchone()
        if row is None:
            continue
        data, size, url, content_type, charset = row
        try:
            raw = zlib.decompress(data)
        except (zlib.error, TypeError):
            raw = None
        if raw is None or len(raw) != size:
            from cpsdiff.store.connect import damaged

            raise damaged(store.path, f"the raw page of version {version_id} does not decompress")
        yield ArchivedVersion(version_id, Fetched(url, raw, content_type, charset))
