"""The embedded corpus store: SQLite, content-addressed by xxhash, safe to interrupt and to
share.

Each version is written with its paragraphs and sentences in one transaction (batched), keyed
by a hash of its text and metadata, so ingesting the same version twice adds nothing and an
interrupted ingest leaves only whole versions behind: running it again completes the work.
Concurrent writers take the write lock in turn and decide under it what is new, so each version
is stored once however many runs overlap. Texts are stored once however many versions repeat them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from cpsdiff.errors import StoreError
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.families import RARE_POSTING
from cpsdiff.store.analysis import Analysed
from cpsdiff.store.committed import Committed
from cpsdiff.store.connect import (
    Damaged, connect_reader, connect_writer, damaged, failure, guarded, guarding, patiently, remove_side_files,
)
from cpsdiff.store.records import SELECT_VERSION, StoredVersion, stored_version
from cpsdiff.store.schema import (
    BULK_INDEXES, SCHEMA_VERSION, TABLES, UPGRADABLE, add_schema_3, build_indexes, build_search, has_search, index_texts,
    migrate_2_to_3, schema_version, search_available, statements, survey,
)
from cpsdiff.text.normalize import collapse_whitespace

DEFAULT_DB = "cpsdiff.db"

# The default 2 MB page cache makes every insert into the sentence and sketch indexes a disk read
# once the store outgrows it; 128 MB keeps them warm (memory stays bounded).
_CACHE = "PRAGMA cache_size=-131072"
_CHUNK = 900  # bound variables per statement: SQLite before 3.32 allows 999


def rows_in(db: sqlite3.Connection, query: str, keys: Sequence[str]) -> Iterator[tuple]:
    """The rows of QUERY, whose ``IN ({})`` takes KEYS: _CHUNK of them to a statement."""
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        yield from db.execute(query.format(",".join("?" * len(chunk))), chunk)


def _texts_of(batch: Sequence[Analysed]) -> Iterator[tuple[str, str]]:
    """(hash, text) of each version's paragraphs, then of its whole text."""
    for a in batch:
        for p in a.paragraphs:
            yield p[2], p[1]
        yield a.text_hash, a.text


@guarding(
    "begin_bulk_load", "finish_bulk_load", "write", "stored_keys", "rewrite",
    "versions", "reporting", "version_of", "text", "texts", "count", "find", "get", "latest", "related", "stats",
)
class Store:
    """A store opened for writing (created when missing), or with ``read_only`` for reading an
    existing one without changing anything in it.

    Writers serialise on SQLite's write lock: each transaction begins IMMEDIATE (waiting up to
    ``LOCK_TIMEOUT`` for another writer's batch), and whether a version is already there is
    decided inside it, so overlapping runs store every version once. A reader sees one snapshot
    from opening to closing."""

    def __init__(self, path: str, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self.upgraded: int | None = None  # when this run upgraded the store: how many keys it recomputed
        self._texts, self._sentences = Committed(), Committed()  # by text hash; by norm hash
        # A reader of a WAL store makes SQLite create its -wal and -shm beside it; if they were
        # not there before, they go again when the reader closes (see close).
        self._left_side_files = read_only and not any(os.path.exists(path + side) for side in ("-wal", "-shm"))
        if read_only:
            self.db = connect_reader(path)
        else:
            self.db = connect_writer(path)
        try:
            with self.guard():
                if read_only:
                    self.db.execute(_CACHE)
                    self.db.execute("BEGIN")  # one snapshot for everything read
                    self._check_schema(schema_version(self.db))
                else:
                    patiently(self._open_for_writing)  # each step may meet a run creating the store
        except BaseException:
            self.db.close()
            raise

    def _open_for_writing(self) -> None:
        self.db.execute(_CACHE)  # the first statement reads the schema: it may find it locked
        found, other_tables = survey(self.db)
        if found is not None or other_tables:
            self._check_schema(found, other_tables)  # refused before anything is changed in it
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if found is None:
            with self._transaction():
                found, other_tables = survey(self.db)  # again under the lock: another run may have made it
                if found is None and not other_tables:
                    for statement in statements(TABLES):  # not executescript: it would commit
                        self.db.execute(statement)
                    add_schema_3(self.db, bulk_loading=False)
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                    found = SCHEMA_VERSION
        if found == UPGRADABLE:
            with self._transaction():
                found = schema_version(self.db)  # again under the lock: another run may have upgraded it
                if found == UPGRADABLE:
                    self.upgraded = migrate_2_to_3(self.db)
                    found = SCHEMA_VERSION
        self._check_schema(found, other_tables)
        if has_search(self.db) and not search_available():
            raise StoreError(
                f"{self.path}: the store has a full-text index (FTS5), which this Python's SQLite cannot update: "
                "use a Python whose sqlite3 module has FTS5"
            )
        self._restore_indexes()

    def _restore_indexes(self) -> None:
        """Build the secondary indexes a store lacks outside a bulk load: stores that earlier
        releases of `track` made never had them, and every read of their sentences was a scan."""
        present = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        if present.issuperset(BULK_INDEXES):
            return
        with self._transaction():
            if not self.bulk_loading:  # a bulk ingest builds them at its end
                build_indexes(self.db)

    def _check_schema(self, found: str | None, other_tables: bool = False) -> None:
        if found is None:
            held = "it holds other tables" if other_tables else "no cpsdiff tables"
            raise StoreError(f"{self.path}: not a cpsdiff database ({held})")
        if found == UPGRADABLE and not self.read_only:  # a writer upgrades it (_open_for_writing)
            return
        if found == UPGRADABLE:  # readers never write: the next writer upgrades it
            raise StoreError(
                f"{self.path}: database schema {found}, this cpsdiff reads {SCHEMA_VERSION}: upgrade it in place "
                f"with `cpsdiff reextract --db {self.path}` (or any ingest or track run into it)"
            )
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema {found}, this cpsdiff reads {SCHEMA_VERSION}: "
                "ingest the corpus again into a new store"
            )

    def close(self) -> None:
        self.db.close()
        if self._left_side_files:
            remove_side_files(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def guard(self) -> Iterator[None]:
        """SQLite's failures of the store itself (corrupt, read-only, locked…) as one-line errors."""
        try:
            yield
        except sqlite3.Error as error:
            raise failure(self.path, error) from None
        except Damaged as error:
            raise damaged(self.path, str(error)) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction holding the write lock from its start; inside ``write_lock``, that one."""
        if self.db.in_transaction:
            yield
            return
        committed = (self._texts, self._sentences)
        patiently(lambda: self.db.execute("BEGIN IMMEDIATE"))
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # a COMMIT that failed may leave it open (SQLITE_BUSY)
                self.db.rollback()
            for keys in committed:
                keys.rollback()
            raise
        for keys in committed:
            keys.commit()

    # -- writing --------------------------------------------------------------------------
    @property
    @guarded
    def bulk_loading(self) -> bool:
        """Whether a bulk ingest started and has not finished: its indexes are still to be built."""
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'bulk_loading'").fetchone() is not None

    def begin_bulk_load(self) -> bool:
        """Whether an ingest may write without the two large secondary indexes, building them once
        at the end (``finish_bulk_load``): when it finds the store empty, or a bulk ingest that has
        not finished (interrupted, or still running: then whichever finishes first builds them,
        and the other goes on with them). Decided and marked under the write lock, so of two runs
        on an empty store one starts the bulk load and the other joins it."""
        with self._transaction():
            if self.db.execute("SELECT 1 FROM meta WHERE key = 'bulk_loading'").fetchone() is None:
                if self.db.execute("SELECT 1 FROM versions LIMIT 1").fetchone() is not None:
                    return False
                self.db.execute("INSERT INTO meta VALUES ('bulk_loading', '1')")
            for name in BULK_INDEXES:
                self.db.execute(f"DROP INDEX IF EXISTS {name}")
        return True

    def finish_bulk_load(self) -> None:
        """Build the indexes a bulk ingest left out and clear its mark, in one transaction."""
        with self._transaction():
            build_indexes(self.db)
            build_search(self.db)
            self.db.execute("DELETE FROM meta WHERE key = 'bulk_loading'")

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """The store's write lock, from reading to writing, so that overlapping writers (two
        `cpsdiff track` runs) cannot both store the same version: what ``write`` adds inside is
        committed when the block ends, and rolled back if it fails."""
        with self.guard(), self._transaction():
            yield

    def write(self, batch: Iterable[Analysed]) -> int:
        """Write analysed versions in one transaction; returns how many were new. Whether a
        version is there is decided under the write lock, so a concurrent run cannot add it twice.
        Each table gets one executemany for the whole batch, its rows in the order writing the
        versions one at a time gives them (rowids included)."""
        with self._transaction():
            batch = list(batch)
            stored = self.stored_keys([a.key for a in batch])
            new: list[Analysed] = []
            for a in batch:
                if a.key not in stored:
                    stored.add(a.key)
                    new.append(a)
            if not new:
                return 0
            self._add_texts(new, has_search(self.db) and not self.bulk_loading)  # a bulk load indexes all at its end
            first = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM versions").fetchone()[0]
            rowids = range(first, first + len(new))  # what SQLite gives rows inserted without an id
            self.db.executemany(
                "INSERT INTO versions (id, key, source, story, version, time, epoch, extra, text_hash,"
                " content, paragraphs, sentences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(rowid, a.key, a.source, a.story, a.version, a.time, a.epoch, a.extra, a.text_hash,
                  a.content, len(a.paragraphs), len(a.sentences)) for rowid, a in zip(rowids, new)],
            )
            self._add_parts(list(zip(rowids, new)))
        return len(new)

    def stored_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these version keys the store holds."""
        return {key for (key,) in rows_in(self.db, "SELECT key FROM versions WHERE key IN ({})", keys)}

    def rewrite(self, stored: StoredVersion, a: Analysed) -> None:
        """Replace a stored version's text, paragraphs and sentences (a page extracted again),
        keeping its place: its id, story, number and time. Texts and sentences it no longer
        uses stay in the store, as they do for every other version that holds them."""
        with self._transaction():
            self._add_texts([a], has_search(self.db) and not self.bulk_loading)
            self.db.execute(
                "UPDATE versions SET key = ?, extra = ?, text_hash = ?, content = ?, paragraphs = ?, sentences = ?"
                " WHERE id = ?",
                (a.key, a.extra, a.text_hash, a.content, len(a.paragraphs), len(a.sentences), stored.rowid),
            )
            self.db.execute("DELETE FROM paragraphs WHERE version_id = ?", (stored.rowid,))
            self.db.execute("DELETE FROM sentences WHERE version_id = ?", (stored.rowid,))
            self._add_parts([(stored.rowid, a)])

    def _add_texts(self, batch: Sequence[Analysed], search: bool) -> None:
        """Each version's paragraph texts, then its whole text, new ones appended in that order.
        The search index takes the texts first met as a paragraph's."""
        before = self._last_text_id()
        self._insert_new(self._texts, "INSERT OR IGNORE INTO texts (hash, text) VALUES (?, ?)", _texts_of(batch))
        if search:
            whole = set()
            as_paragraph = set()
            for a in batch:
                as_paragraph.update(p[2] for p in a.paragraphs if p[2] not in whole)
                if a.text_hash not in as_paragraph:
                    whole.add(a.text_hash)
            added = self.db.execute("SELECT id, hash FROM texts WHERE id > ? ORDER BY id", (before,))
            index_texts(self.db, [rowid for rowid, text_hash in added if text_hash in as_paragraph])

    def _add_parts(self, placed: Sequence[tuple[int, Analysed]]) -> None:
        """Paragraphs and sentences of versions with their row ids; distinct sentences new to
        the store, each with its sketch keys."""
        self.db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)",
            [(rowid, p[0], p[2], p[3], p[4], p[5]) for rowid, a in placed for p in a.paragraphs],
        )
        self.db.executemany(
            "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)", [(rowid, *s) for rowid, a in placed for s in a.sentences]
        )
        keys: dict[str, tuple[int, ...]] = {}
        for _, a in placed:
            for norm, _text, sketch_keys in a.distinct:
                keys.setdefault(norm, sketch_keys)
        before = self.db.execute("SELECT coalesce(max(id), 0) FROM distinct_sentences").fetchone()[0]
        sentences = ((norm, text) for _, a in placed for norm, text, _keys in a.distinct)
        self._insert_new(self._sentences, "INSERT OR IGNORE INTO distinct_sentences (norm_hash, text) VALUES (?, ?)", sentences)
        added = self.db.execute("SELECT norm_hash FROM distinct_sentences WHERE id > ? ORDER BY id", (before,))
        self.db.executemany("INSERT INTO sketches VALUES (?, ?)", [(k, norm) for (norm,) in added for k in keys[norm]])

    def _insert_new(self, committed: Committed, insert: str, rows: Iterable[tuple[str, str]]) -> None:
        """``insert`` (an INSERT OR IGNORE) of the (key, value) rows whose key the store may
        lack: the first of each key, in order, as INSERT OR IGNORE would keep it."""
        fresh: dict[str, str] = {}
        missing = committed.may_be_missing
        for key, value in rows:
            if missing(key):
                fresh.setdefault(key, value)
        self.db.executemany(insert, fresh.items())
        committed.written(fresh)

    def _last_text_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM texts").fetchone()[0]

    # -- reading --------------------------------------------------------------------------
    def versions(self) -> list[StoredVersion]:
        return [stored_version(row) for row in self.db.execute(f"{SELECT_VERSION} ORDER BY id")]

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
        row = self.db.execute("SELECT text FROM texts WHERE hash = ?", (text_hash,)).fetchone()
        if row is None or not isinstance(row[0], str):
            raise Damaged(f"the text {text_hash} is missing")
        return row[0]

    def texts(self, hashes: Sequence[str]) -> dict[str, str]:
        """The texts of these hashes, by hash: many in a statement, not one each."""
        found = dict(rows_in(self.db, "SELECT hash, text FROM texts WHERE hash IN ({})", hashes))
        for text_hash in hashes:
            if not isinstance(found.get(text_hash), str):
                raise Damaged(f"the text {text_hash} is missing")
        return found

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)

    def find(self, source: str) -> StoredVersion | None:
        """A stored version by its source (file name or file:line)."""
        row = self.db.execute(f"{SELECT_VERSION} WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
        return None if row is None else stored_version(row)

    def get(self, rowid: int) -> StoredVersion | None:
        """A stored version by its id."""
        row = self.db.execute(f"{SELECT_VERSION} WHERE id = ?", (rowid,)).fetchone()
        return None if row is None else stored_version(row)

    def latest(self, story: str) -> StoredVersion | None:
        """The last version of ``story`` written to the store (safe inside ``write_lock``: it only reads)."""
        row = self.db.execute(f"{SELECT_VERSION} WHERE story = ? ORDER BY id DESC LIMIT 1", (story,)).fetchone()
        return None if row is None else stored_version(row)

    def related(self, norm_hashes: Iterable[str], keys: Iterable[int]) -> list[StoredVersion]:
        """Versions holding any of these sentences, or a near duplicate by its sketch keys."""
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
            f" {SELECT_VERSION} WHERE id IN (SELECT s.version_id FROM sentences s WHERE s.norm_hash IN ("
            " SELECT norm_hash FROM probe_norm UNION"
            " SELECT norm_hash FROM shared JOIN sizes USING (key) GROUP BY norm_hash"
            " HAVING count(*) >= 2 OR min(n) <= ?)) ORDER BY id", (RARE_POSTING,)
        )
        return [stored_version(row) for row in rows]

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
