"""The store's schema: the tables of schema 2 (versions, texts, paragraphs, sentences, distinct
sentences and their sketch keys), what schema 3 adds to them, and the upgrade of a schema-2 store
to schema 3 in place.

Schema 3 keeps every table of schema 2 and adds: the raw pages `track` fetched (compressed,
content-addressed), what `track` remembers of each page and feed between runs (validators for
conditional requests), a `changes` record per change it detected, an index of paragraphs by text,
full-text search over paragraph text (SQLite FTS5, where this SQLite has it) and views that show
the store as people read it (see the README, "Exploring a store").

The upgrade runs in one transaction under the store's write lock (the caller's), so it is all
or nothing, and of two runs that meet an old store one upgrades it and the other finds it done.
It also brings the stored keys up to date: normalisation now repairs encoding damage and folds
accents, so a paragraph's or sentence's normalised hash (and a distinct sentence's sketch) made
by an earlier release is recomputed from the stored text wherever it differs. ASCII text
normalises as it always did, so only non-ASCII text is read again.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from cpsdiff.forked import usable_cpus
from cpsdiff.lineage.families import sketch
from cpsdiff.text.normalize import norm_hash, normalized_words

SEARCH_TABLE = "texts_fts"

ADDITIONS = """
CREATE TABLE IF NOT EXISTS raw_pages (   -- pages as served (after HTTP decompression), once per content
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,           -- xxh3-128 of the bytes
    size INTEGER NOT NULL,               -- bytes before compression
    data BLOB NOT NULL                   -- zlib-compressed bytes
);
CREATE TABLE IF NOT EXISTS version_pages (  -- the raw page each tracked version was extracted from
    version_id INTEGER PRIMARY KEY,
    raw_page INTEGER NOT NULL REFERENCES raw_pages(id),
    url TEXT NOT NULL,                   -- after redirects
    content_type TEXT NOT NULL,
    charset TEXT                         -- as served
);
CREATE TABLE IF NOT EXISTS watched (     -- what track remembers of each page and feed between runs
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                  -- page | feed
    etag TEXT,                           -- validators for the next conditional request
    last_modified TEXT,
    checked TEXT NOT NULL,               -- ISO 8601, the last answer
    links TEXT                           -- a feed's article links (JSON), for when it answers 304
);
CREATE TABLE IF NOT EXISTS changes (     -- one per change track detected
    id INTEGER PRIMARY KEY,
    story TEXT NOT NULL,
    from_id INTEGER NOT NULL,            -- versions.id of the previous version
    to_id INTEGER NOT NULL UNIQUE,       -- versions.id of the new one
    time TEXT NOT NULL,                  -- the new version's time (when it was fetched)
    new INTEGER NOT NULL, edited INTEGER NOT NULL, merged INTEGER NOT NULL, split INTEGER NOT NULL,
    carried INTEGER NOT NULL, removed INTEGER NOT NULL, boilerplate INTEGER NOT NULL, moved INTEGER NOT NULL,
    words_added INTEGER NOT NULL, words_removed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_by_story ON changes (story, to_id)
"""

# The views are for people and tools such as datasette and sqlite-utils; cpsdiff reads the tables.
VIEWS = """
DROP VIEW IF EXISTS article_versions;
CREATE VIEW article_versions AS
SELECT v.id, v.story,
       coalesce(json_extract(v.extra, '$.url'),
                CASE WHEN v.story LIKE 'http://%' OR v.story LIKE 'https://%' THEN v.story END) AS url,
       json_extract(v.extra, '$.title') AS title,
       v.version, v.time, v.paragraphs, v.sentences, v.source, t.text
FROM versions v LEFT JOIN texts t ON t.hash = v.text_hash;
DROP VIEW IF EXISTS article_changes;
CREATE VIEW article_changes AS
SELECT c.id, c.story,
       coalesce(json_extract(b.extra, '$.url'), c.story) AS url,
       json_extract(b.extra, '$.title') AS title,
       a.version AS from_version, b.version AS to_version, a.time AS from_time, c.time,
       c.new, c.edited, c.merged, c.split, c.carried, c.removed, c.boilerplate, c.moved,
       c.words_added, c.words_removed, c.from_id, c.to_id
FROM changes c JOIN versions a ON a.id = c.from_id JOIN versions b ON b.id = c.to_id;
DROP VIEW IF EXISTS article_paragraphs;
CREATE VIEW article_paragraphs AS
SELECT p.version_id, v.story,
       coalesce(json_extract(v.extra, '$.url'),
                CASE WHEN v.story LIKE 'http://%' OR v.story LIKE 'https://%' THEN v.story END) AS url,
       v.version, v.time, p.idx + 1 AS number,
       CASE WHEN p.boilerplate IS NULL THEN 'reporting' ELSE 'boilerplate' END AS role,
       p.boilerplate AS reason,
       (SELECT CASE WHEN previous IS NULL THEN NULL ELSE EXISTS (
                 SELECT 1 FROM paragraphs q WHERE q.version_id = previous AND q.norm_hash = p.norm_hash) END
          FROM (SELECT max(w.id) AS previous FROM versions w WHERE w.story = v.story AND w.id < v.id)) AS in_previous,
       t.text, p.text_hash
FROM paragraphs p JOIN versions v ON v.id = p.version_id JOIN texts t ON t.hash = p.text_hash;
DROP VIEW IF EXISTS article_stories;
CREATE VIEW article_stories AS
SELECT v.story,
       coalesce(json_extract(last.extra, '$.url'),
                CASE WHEN v.story LIKE 'http://%' OR v.story LIKE 'https://%' THEN v.story END) AS url,
       json_extract(last.extra, '$.title') AS title,
       count(*) AS versions, min(v.time) AS first_time, max(v.time) AS last_time,
       (SELECT count(*) FROM changes c WHERE c.story = v.story) AS changes
FROM versions v JOIN versions last ON last.id = (SELECT max(id) FROM versions w WHERE w.story IS v.story)
GROUP BY v.story
"""

# A paragraph's versions from its text (a search hit): built at the end of a bulk ingest, as the
# other large indexes are.
TEXT_INDEX = "CREATE INDEX IF NOT EXISTS paragraphs_by_text ON paragraphs (text_hash)"

_SEARCH = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "text, content=\"texts\", content_rowid=\"id\", tokenize=\"unicode61 remove_diacritics 2\")"
)


SCHEMA_VERSION = "3"
UPGRADABLE = "2"  # an older schema upgraded in place by the first run that writes (migrate_2_to_3)

TABLES = """
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
CREATE INDEX IF NOT EXISTS versions_by_story ON versions (story, id)
"""

# Secondary indexes, for reading. A bulk ingest into an empty store drops the two large ones and
# builds them once at the end: one sort instead of a random B-tree insert per row (2x at 100k).
# Without them (a bulk ingest unfinished), reading scans instead: the same results, slower.
# (Schema 3 adds the paragraphs' text index and the full-text index of paragraphs to them.)
BULK_INDEXES = ("sentences_by_norm", "sketches_by_key", "paragraphs_by_text")
INDEXES = f"""
CREATE INDEX IF NOT EXISTS sentences_by_norm ON sentences (norm_hash);
CREATE INDEX IF NOT EXISTS sketches_by_key ON sketches (key, norm_hash);
CREATE INDEX IF NOT EXISTS versions_by_story ON versions (story, id);
{TEXT_INDEX}
"""


@lru_cache(maxsize=1)
def search_available() -> bool:
    """Whether this Python's SQLite has FTS5 (some builds leave it out)."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        db.close()


def statements(script: str) -> list[str]:
    return [statement for statement in script.split(";\n") if statement.strip()]


def has_search(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)).fetchone() is not None


def survey(db: sqlite3.Connection) -> tuple[str | None, bool]:
    """The schema version (None when there are no cpsdiff tables), and whether the database
    holds any table, read from one snapshot: a concurrent run may be creating the store."""
    if db.in_transaction:
        return schema_version(db), db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
    db.execute("BEGIN")
    try:
        return survey(db)
    finally:
        db.execute("COMMIT")


def schema_version(db: sqlite3.Connection) -> str | None:
    """The store's schema version; None when it has no cpsdiff tables."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        return None
    found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return None if found is None else found[0]


def add_schema_3(db: sqlite3.Connection, bulk_loading: bool) -> None:
    """Create what schema 3 adds to schema 2's tables, and the secondary indexes (inside the
    caller's transaction). During a bulk ingest the large indexes and the search index are left
    to its end; otherwise they are made here: a store written version by version (`track`) is
    never bulk-loaded, and without them every read of its sentences is a scan."""
    for statement in statements(ADDITIONS) + statements(VIEWS):
        db.execute(statement)
    if search_available():
        db.execute(_SEARCH)
    if not bulk_loading:
        build_indexes(db)
        build_search(db)


def build_indexes(db: sqlite3.Connection) -> None:
    """Create the secondary indexes a store lacks. SQLite sorts each index's rows on helper
    threads when allowed to (a fifth less time at 100,000 versions on 2 cores); the pragma is
    per connection, so it is set back for the queries that follow."""
    helpers = min(4, usable_cpus() - 1)  # besides the connection's own thread: none on one CPU
    db.execute(f"PRAGMA threads = {helpers}")
    try:
        for statement in statements(INDEXES):
            db.execute(statement)
    finally:
        db.execute("PRAGMA threads = 0")


def build_search(db: sqlite3.Connection) -> None:
    """(Re)index every paragraph text for full-text search (a store made with FTS5 only)."""
    if not has_search(db):
        return
    db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
    db.execute(
        f"INSERT INTO {SEARCH_TABLE}(rowid, text) SELECT id, text FROM texts t"
        # texts in rowid order, each looked up in the index: the IN form reads them in hash order
        " WHERE EXISTS (SELECT 1 FROM paragraphs p WHERE p.text_hash = t.hash) ORDER BY id"
    )


def index_texts(db: sqlite3.Connection, ids: list[int]) -> None:
    """Index these texts (by id) for full-text search."""
    db.executemany(f"INSERT INTO {SEARCH_TABLE}(rowid, text) SELECT id, text FROM texts WHERE id = ?", [(i,) for i in ids])


def migrate_2_to_3(db: sqlite3.Connection) -> int:
    """Upgrade a schema-2 store in place, inside the caller's write transaction; returns how
    many stored keys (paragraph, sentence and distinct-sentence norm hashes) were recomputed."""
    bulk = db.execute("SELECT 1 FROM meta WHERE key = 'bulk_loading'").fetchone() is not None
    db.execute(TEXT_INDEX)  # the re-keying below finds paragraphs by their text
    changed = _rekey_paragraphs(db) + _rekey_distinct_sentences(db)
    if bulk:  # the ingest that finishes the bulk load builds it again
        db.execute("DROP INDEX IF EXISTS paragraphs_by_text")
    add_schema_3(db, bulk)
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    return changed


def _rekey_paragraphs(db: sqlite3.Connection) -> int:
    """New norm hashes for the paragraphs and sentences whose non-ASCII text normalises
    differently now. A paragraph text's sentences are the same wherever it occurs (they are
    split from it alone), so each distinct text is normalised once."""
    changed = 0
    # Streamed: only paragraphs and sentences are written meanwhile, and the IN list is built first.
    texts = db.cursor().execute("SELECT hash, text FROM texts WHERE hash IN (SELECT text_hash FROM paragraphs)")
    for text_hash, text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        places = db.execute("SELECT version_id, idx, norm_hash FROM paragraphs WHERE text_hash = ?", (text_hash,)).fetchall()
        new_norm = norm_hash(text)
        stale = [(new_norm, version, idx) for version, idx, old in places if old != new_norm]
        db.executemany("UPDATE paragraphs SET norm_hash = ? WHERE version_id = ? AND idx = ?", stale)
        changed += len(stale)
        version, idx, _ = places[0]
        sentences = db.execute(
            "SELECT idx, start, length, norm_hash FROM sentences WHERE version_id = ? AND paragraph = ?", (version, idx)
        ).fetchall()
        renamed = {}
        for sentence, start, length, old in sentences:
            piece = text[start : start + length]
            if not piece.isascii() and (new := norm_hash(piece)) != old:
                renamed[sentence] = new
        if renamed:
            rows = [(new, v, i, s) for v, i, _ in places for s, new in renamed.items()]
            db.executemany("UPDATE sentences SET norm_hash = ? WHERE version_id = ? AND paragraph = ? AND idx = ?", rows)
            changed += len(rows)
    return changed


def _rekey_distinct_sentences(db: sqlite3.Connection) -> int:
    """Distinct sentences under their new norm hash, with new sketches. Two wordings that now
    share a hash (café and cafe) become one entry, the one seen first, as in a new store."""
    moved: dict[int, tuple[str, str, str]] = {}  # id -> (old norm, new norm, text)
    for row_id, old, text in db.execute("SELECT id, norm_hash, text FROM distinct_sentences ORDER BY id"):
        if isinstance(text, str) and not text.isascii() and (new := norm_hash(text)) != old:
            moved[row_id] = (old, new, text)
    if not moved:
        return 0
    db.execute("CREATE TEMP TABLE rekeyed (old TEXT PRIMARY KEY)")
    db.executemany("INSERT OR IGNORE INTO rekeyed VALUES (?)", [(old,) for old, _, _ in moved.values()])
    db.execute("DELETE FROM sketches WHERE norm_hash IN (SELECT old FROM rekeyed)")
    db.execute("DELETE FROM distinct_sentences WHERE norm_hash IN (SELECT old FROM rekeyed)")
    db.execute("DROP TABLE rekeyed")
    # Back in their old places (ids), unless a wording seen earlier, or kept, holds the hash now.
    for row_id, (_, new, text) in sorted(moved.items()):
        holder = db.execute("SELECT id FROM distinct_sentences WHERE norm_hash = ?", (new,)).fetchone()
        if holder is not None and holder[0] < row_id:
            continue
        if holder is not None:  # a later wording kept its hash: the earlier one takes its place
            db.execute("DELETE FROM distinct_sentences WHERE id = ?", (holder[0],))
            db.execute("DELETE FROM sketches WHERE norm_hash = ?", (new,))
        db.execute("INSERT INTO distinct_sentences (id, norm_hash, text) VALUES (?, ?, ?)", (row_id, new, text))
        db.executemany("INSERT INTO sketches VALUES (?, ?)", [(key, new) for key in sketch(normalized_words(text))])
    return len(moved)
