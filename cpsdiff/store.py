"""The embedded corpus store: SQLite, content-addressed by xxhash, safe to interrupt.

Each version is written with its paragraphs and sentences in one transaction (batched), keyed
by a hash of its text and metadata, so ingesting the same version twice adds nothing and an
interrupted ingest leaves only whole versions behind: running it again completes the work.
Texts are stored once however many versions repeat them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import xxhash

from cpsdiff.boilerplate import Rule, classify
from cpsdiff.corpus import Version
from cpsdiff.errors import InputError
from cpsdiff.families import RARE_POSTING, sketch
from cpsdiff.segment import content_hash, parse_document
from cpsdiff.text import collapse_whitespace, normalized_words, text_hash

DEFAULT_DB = "cpsdiff.db"
SCHEMA_VERSION = "2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Texts are appended in rowid order and found through a small index on their hash: keyed by the
-- hash itself, every insert would land at a random place among hundreds of MB of text.
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,            -- ingest order
    key TEXT NOT NULL UNIQUE,          -- xxh3-128 of text and metadata: the content address
    source TEXT NOT NULL,              -- file name, or file:line of a JSON Lines record
    story TEXT,
    version TEXT,
    time TEXT,                         -- ISO 8601 as given
    epoch REAL,                        -- the same instant, for ordering
    extra TEXT NOT NULL,               -- other record fields, JSON
    text_hash TEXT NOT NULL REFERENCES texts(hash),
    content TEXT NOT NULL,             -- hash of the paragraph hashes: equal when the text is
    paragraphs INTEGER NOT NULL,
    sentences INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paragraphs (
    version_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    text_hash TEXT NOT NULL REFERENCES texts(hash),
    hash TEXT NOT NULL,
    norm_hash TEXT NOT NULL,
    boilerplate TEXT,                  -- the reason, or NULL for reporting
    PRIMARY KEY (version_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentences (
    version_id INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    length INTEGER NOT NULL,
    hash TEXT NOT NULL,
    norm_hash TEXT NOT NULL,
    PRIMARY KEY (version_id, paragraph, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS distinct_sentences (
    id INTEGER PRIMARY KEY,
    norm_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL                 -- the first wording seen
);
CREATE TABLE IF NOT EXISTS sketches (  -- written once per distinct sentence
    key INTEGER NOT NULL,
    norm_hash TEXT NOT NULL
);
"""

# Secondary indexes, for reading. A bulk ingest into an empty store drops the two large ones and
# builds them once at the end: one sort instead of a random B-tree insert per row (2x at 100k).
_INDEXES = """
CREATE INDEX IF NOT EXISTS sentences_by_norm ON sentences (norm_hash);
CREATE INDEX IF NOT EXISTS sketches_by_key ON sketches (key, norm_hash);
CREATE INDEX IF NOT EXISTS versions_by_story ON versions (story, id);
"""


@dataclass(frozen=True, slots=True)
class Analysed:
    """Everything written for one version: computed apart from the store (in parallel with
    --engine dask), so only plain values."""

    key: str
    source: str
    story: str | None
    version: str | None
    time: str | None
    epoch: float | None
    extra: str
    text: str
    text_hash: str
    content: str
    paragraphs: tuple[tuple[int, str, str, str, str, str | None], ...]  # idx, text, text hash, hash, norm, reason
    sentences: tuple[tuple[int, int, int, int, str, str], ...]  # paragraph, idx, start, length, hash, norm
    distinct: tuple[tuple[str, str, tuple[int, ...]], ...]  # norm hash, text, sketch keys


def version_key(version: Version) -> str:
    meta = json.dumps([version.story, version.version, version.time and version.time.isoformat()])
    return xxhash.xxh3_128_hexdigest(meta.encode() + b"\0" + version.text.encode())


def analyse(version: Version, rules: Sequence[Rule]) -> Analysed:
    doc = parse_document(version.text, version.id, version.hints)
    reasons = classify([p.text for p in doc.paragraphs], rules, doc.hints)
    paragraphs = tuple(
        (p.index, p.text, text_hash(p.text), p.hash, p.norm_hash, reason)
        for p, reason in zip(doc.paragraphs, reasons)
    )
    sentences = []
    distinct: dict[str, tuple[str, str, tuple[int, ...]]] = {}
    for p in doc.paragraphs:
        for i, s in enumerate(p.sentences):
            sentences.append((p.index, i, s.start, len(s.text), s.hash, s.norm_hash))
            if s.norm_hash not in distinct:
                distinct[s.norm_hash] = (s.norm_hash, s.text, tuple(sketch(normalized_words(s.text))))
    time = version.time
    return Analysed(
        version_key(version),
        version.id,
        version.story,
        None if version.version is None else str(version.version),
        time.isoformat() if time else None,
        time.timestamp() if time else None,
        json.dumps(version.extra, ensure_ascii=False, sort_keys=True),
        version.text,
        doc.hash,
        content_hash(doc),
        paragraphs,
        tuple(sentences),
        tuple(distinct.values()),
    )


@dataclass(frozen=True, slots=True)
class StoredVersion:
    rowid: int
    source: str
    story: str | None
    version: str | None
    time: str | None
    epoch: float | None
    extra: dict
    text_hash: str
    content: str
    paragraphs: int
    sentences: int

    @property
    def number(self) -> int | str | None:
        """The version number as given: stored as text, a number again when it was one."""
        return int(self.version) if self.version is not None and self.version.isdigit() else self.version

    def as_version(self, text: str) -> Version:
        when = datetime.fromisoformat(self.time) if self.time else None
        return Version(self.source, text, self.story, self.number, when, self.extra)


_SELECT_VERSION = (
    "SELECT id, source, story, version, time, epoch, extra, text_hash, content, paragraphs, sentences FROM versions"
)


def _stored(row: tuple) -> StoredVersion:
    return StoredVersion(*row[:6], json.loads(row[6]), *row[7:])


class Store:
    def __init__(self, path: str):
        self.path = path
        if path != ":memory:" and os.path.isdir(path):
            raise InputError(f"{path}: is a directory, not a database file")
        try:
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # The default 2 MB page cache makes every insert into the sentence and sketch indexes
            # a disk read once the store outgrows it; 128 MB keeps them warm (memory stays bounded).
            self.db.execute("PRAGMA cache_size=-131072")
            has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            found = has_meta and self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if found and found[0] != SCHEMA_VERSION:  # refused before anything is changed in it
                raise InputError(
                    f"{path}: database schema {found[0]}, this cpsdiff reads {SCHEMA_VERSION}: "
                    "ingest the corpus again into a new store"
                )
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise InputError(f"{path}: not a cpsdiff database ({error})") from None
        if not found:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    @property
    def bulk_loading(self) -> bool:
        """Whether a bulk ingest started and has not finished: its indexes are still to be built."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'bulk_loading'").fetchone() is not None

    def start_bulk_load(self) -> None:
        """Drop the secondary indexes until ``finish_bulk_load``; an interrupted run leaves the mark,
        so running it again continues without them."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('bulk_loading', '1')")
        self.db.executescript("DROP INDEX IF EXISTS sentences_by_norm; DROP INDEX IF EXISTS sketches_by_key;")

    def finish_bulk_load(self) -> None:
        self.db.executescript(_INDEXES)
        with self.db:
            self.db.execute("DELETE FROM meta WHERE key = 'bulk_loading'")

    def ensure_indexes(self) -> None:
        """Readers call this: the indexes of a store left by an interrupted bulk ingest are built."""
        if self.bulk_loading:
            self.finish_bulk_load()  # builds them
        else:
            self.db.executescript(_INDEXES)  # cheap when they exist

    def has(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM versions WHERE key = ?", (key,)).fetchone() is not None

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """The store's write lock, from reading to writing, so that overlapping writers (two
        `cpsdiff track` runs) cannot both store the same version. ``write``'s own transaction
        commits it; when nothing was written it is rolled back here."""
        self.ensure_indexes()  # before the lock: executescript would commit the transaction
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # another writer held it past the busy timeout
            raise InputError(f"{self.path}: cannot lock the store ({error})") from None
        try:
            yield
        finally:
            if self.db.in_transaction:
                self.db.rollback()

    def write(self, batch: Iterable[Analysed]) -> int:
        """Write analysed versions in one transaction; returns how many were new."""
        added = 0
        with self.db:
            for a in batch:
                if self.has(a.key):
                    continue
                self.db.execute("INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)", (a.text_hash, a.text))
                cursor = self.db.execute(
                    "INSERT INTO versions (key, source, story, version, time, epoch, extra, text_hash,"
                    " content, paragraphs, sentences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a.key, a.source, a.story, a.version, a.time, a.epoch, a.extra, a.text_hash,
                     a.content, len(a.paragraphs), len(a.sentences)),
                )
                rowid = cursor.lastrowid
                self.db.executemany(
                    "INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)", [(p[2], p[1]) for p in a.paragraphs]
                )
                self.db.executemany(
                    "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)",
                    [(rowid, p[0], p[2], p[3], p[4], p[5]) for p in a.paragraphs],
                )
                self.db.executemany(
                    "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)", [(rowid, *s) for s in a.sentences]
                )
                for norm, text, keys in a.distinct:
                    inserted = self.db.execute(
                        "INSERT OR IGNORE INTO distinct_sentences (norm_hash, text) VALUES (?, ?)", (norm, text)
                    ).rowcount
                    if inserted:
                        self.db.executemany("INSERT INTO sketches VALUES (?, ?)", [(k, norm) for k in keys])
                added += 1
        return added

    # -- reading --------------------------------------------------------------------------
    def versions(self) -> list[StoredVersion]:
        return [_stored(row) for row in self.db.execute(f"{_SELECT_VERSION} ORDER BY id")]

    def reporting(self, stored: StoredVersion) -> list[str]:
        """Normalised hashes of a stored version's reporting paragraphs, in order."""
        rows = self.db.execute(
            "SELECT norm_hash FROM paragraphs WHERE version_id = ? AND boilerplate IS NULL ORDER BY idx", (stored.rowid,)
        )
        return [norm for (norm,) in rows]

    def version_of(self, stored: StoredVersion) -> Version:
        """A stored version as read: its text, metadata, and the boilerplate reasons found when it
        was ingested (so a page's markup evidence, which the text alone lacks, is kept)."""
        reasons = self.db.execute(
            "SELECT t.text, p.boilerplate FROM paragraphs p JOIN texts t ON t.hash = p.text_hash"
            " WHERE p.version_id = ? AND p.boilerplate IS NOT NULL ORDER BY p.idx", (stored.rowid,)
        )
        hints = tuple((collapse_whitespace(text), reason) for text, reason in reasons)
        return replace(stored.as_version(self.text(stored.text_hash)), hints=hints)

    def text(self, text_hash: str) -> str:
        return self.db.execute("SELECT text FROM texts WHERE hash = ?", (text_hash,)).fetchone()[0]

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)

    def find(self, source: str) -> StoredVersion | None:
        """A stored version by its source (file name or file:line)."""
        row = self.db.execute(f"{_SELECT_VERSION} WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
        return None if row is None else _stored(row)

    def latest(self, story: str) -> StoredVersion | None:
        """The last version of ``story`` written to the store (safe inside ``write_lock``: it only reads)."""
        row = self.db.execute(f"{_SELECT_VERSION} WHERE story = ? ORDER BY id DESC LIMIT 1", (story,)).fetchone()
        return None if row is None else _stored(row)

    def related(self, norm_hashes: Iterable[str], keys: Iterable[int]) -> list[StoredVersion]:
        """Versions holding any of these sentences, or a near duplicate by its sketch keys."""
        self.ensure_indexes()
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS probe_norm (norm_hash TEXT PRIMARY KEY)")
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS probe_key (key INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM probe_norm")
        self.db.execute("DELETE FROM probe_key")
        self.db.executemany("INSERT OR IGNORE INTO probe_norm VALUES (?)", [(n,) for n in norm_hashes])
        self.db.executemany("INSERT OR IGNORE INTO probe_key VALUES (?)", [(k,) for k in keys])
        # Near duplicates as lineage finds its candidates: two shared keys, or one rare key.
        rows = self.db.execute(
            "WITH shared AS (SELECT k.norm_hash, k.key FROM sketches k JOIN probe_key p ON p.key = k.key),"
            " sizes AS (SELECT key, count(*) AS n FROM shared GROUP BY key)"
            f" {_SELECT_VERSION} WHERE id IN (SELECT s.version_id FROM sentences s WHERE s.norm_hash IN ("
            " SELECT norm_hash FROM probe_norm UNION"
            " SELECT norm_hash FROM shared JOIN sizes USING (key) GROUP BY norm_hash"
            " HAVING count(*) >= 2 OR min(n) <= ?)) ORDER BY id", (RARE_POSTING,)
        )
        return [_stored(row) for row in rows]

    def stats(self) -> dict:
        """Counts, time span and size, for `cpsdiff stats`."""
        store, db = self, self.db
        span = db.execute("SELECT min(time), max(time) FROM versions WHERE epoch IS NOT NULL").fetchone()
        top = db.execute(
            "SELECT coalesce(story, '(no story)'), count(*) AS n FROM versions GROUP BY story ORDER BY n DESC, story LIMIT 5"
        ).fetchall()
        size = 0 if store.path == ":memory:" else os.path.getsize(store.path)
        return {
            "versions": store.count("versions"),
            "stories": db.execute("SELECT count(DISTINCT story) FROM versions").fetchone()[0],
            "versions_without_story": db.execute("SELECT count(*) FROM versions WHERE story IS NULL").fetchone()[0],
            "paragraphs": store.count("paragraphs"),
            "boilerplate_paragraphs": db.execute("SELECT count(*) FROM paragraphs WHERE boilerplate IS NOT NULL").fetchone()[0],
            "sentences": store.count("sentences"),
            "distinct_sentences": store.count("distinct_sentences"),
            "distinct_texts": store.count("texts"),
            "first_time": span[0],
            "last_time": span[1],
            "largest_stories": [list(row) for row in top],
            "bytes": size,
        }
