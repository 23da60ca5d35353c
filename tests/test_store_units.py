"""The store's own contract: what one version writes, how it reads back, what it finds."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.errors import InputError, StoreError
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.families import sketch
from cpsdiff.store.analysis import analyse, version_key
from cpsdiff.store.schema import SCHEMA_VERSION, has_search, search_available
from cpsdiff.store import versions as store_versions
from cpsdiff.store.versions import Store
from cpsdiff.text.normalize import normalized_words
from cpsdiff.text.segment import parse_document

MORNING = datetime(2021, 1, 29, 9, 0, tzinfo=timezone.utc)
EVENING = datetime(2021, 1, 29, 19, 45, tzinfo=timezone.utc)
STRIKE = (
    "CHICAGO (AP) — Teachers stayed home on Friday as talks with the city went on.\n\n"
    "The union said its members would not return until the schools were safe.\n\n"
    "By Jane Doe"
)


def _write(store: Store, *versions: Version) -> int:
    return store.write([analyse(v, default_rules()) for v in versions])


def test_the_same_text_is_a_new_version_when_its_story_number_or_time_differ():
    base = Version("a.txt", STRIKE, story="strike", version=1, time=MORNING)
    keys = {version_key(v) for v in (
        base,
        Version("a.txt", STRIKE, story="budget", version=1, time=MORNING),
        Version("a.txt", STRIKE, story="strike", version=2, time=MORNING),
        Version("a.txt", STRIKE, story="strike", version=1, time=EVENING),
        Version("a.txt", STRIKE + " ", story="strike", version=1, time=MORNING),
    )}
    assert len(keys) == 5
    assert version_key(Version("b.txt", STRIKE, story="strike", version=1, time=MORNING)) == version_key(base)


def test_writing_a_version_twice_stores_it_once_and_the_rest_of_the_batch_still_goes_in():
    first = Version("a.txt", STRIKE, story="strike", version=1)
    second = Version("b.txt", STRIKE + "\n\nMore later.", story="strike", version=2)
    with Store(":memory:") as store:
        assert _write(store, first) == 1
        assert _write(store, first, second) == 1
        assert _write(store, second, first) == 0  # all there already: nothing new to report
        assert [v.source for v in store.versions()] == ["a.txt", "b.txt"]


def test_a_stored_version_reads_back_as_it_was_given():
    given = Version("feed.jsonl:3", STRIKE, story="strike", version=4, time=EVENING, extra={"url": "https://x.test/ä"})
    unnumbered = Version("b.txt", "Just one paragraph.")
    with Store(":memory:") as store:
        _write(store, given, unnumbered)
        stored, plain = store.versions()
        back = store.version_of(stored)
        assert (back.id, back.text, back.story, back.version, back.time, back.extra) == (
            "feed.jsonl:3", STRIKE, "strike", 4, EVENING, {"url": "https://x.test/ä"})
        assert (stored.paragraphs, stored.sentences) == (3, 3)
        again = store.version_of(plain)
        assert (again.story, again.version, again.time, again.extra) == (None, None, None, {})
        assert store.find("feed.jsonl:3") == stored and store.find("c.txt") is None


def test_a_version_number_given_as_text_stays_text():
    with Store(":memory:") as store:
        _write(store, Version("a.txt", STRIKE, story="strike", version="2b"))
        (stored,) = store.versions()
        assert stored.number == "2b" and store.version_of(stored).version == "2b"


def test_boilerplate_found_from_markup_is_kept_in_the_store():
    """A page's markup marked a paragraph as chrome that the text alone cannot tell: reading the
    version back gives that evidence again, even for a paragraph with a line break in it."""
    text = "Teachers stayed home on Friday.\n\nShare this\nstory with friends\n\nThe union met on Sunday."
    hint = ("Share this story with friends", "in a share bar (markup)")
    with Store(":memory:") as store:
        _write(store, Version("page.html", text, hints=(hint,)))
        (stored,) = store.versions()
        assert store.version_of(stored).hints == (hint,)
        assert store.reporting(stored) == [p.norm_hash for p in parse_document(text).paragraphs if "Share" not in p.text]


def test_the_rows_of_a_version_hold_its_paragraphs_and_sentences():
    text = "Teachers  stayed home\non Friday. Talks went on.\n\nThe union met on Sunday."
    doc = parse_document(text)
    with Store(":memory:") as store:
        _write(store, Version("a.txt", text))
        paragraphs = store.db.execute("SELECT idx, text_hash, hash, norm_hash, boilerplate FROM paragraphs").fetchall()
        assert [(i, store.text(t), h, n, b) for i, t, h, n, b in paragraphs] == [
            (p.index, p.text, p.hash, p.norm_hash, None) for p in doc.paragraphs]
        sentences = store.db.execute("SELECT paragraph, idx, start, length, hash, norm_hash FROM sentences").fetchall()
        assert sentences == [(p.index, k, s.start, len(s.text), s.hash, s.norm_hash)
                             for p in doc.paragraphs for k, s in enumerate(p.sentences)]
        assert store.text(store.versions()[0].text_hash) == text


def test_the_latest_version_of_a_story_is_the_last_written():
    with Store(":memory:") as store:
        _write(store, Version("one", STRIKE, story="https://x.test/a", version=1),
               Version("other", "Another story.", story="https://x.test/b", version=1),
               Version("two", STRIKE + "\n\nUpdated.", story="https://x.test/a", version=2),
               Version("three", STRIKE, story="https://x.test/a", version=3))
        assert store.latest("https://x.test/a").source == "three"
        assert store.latest("https://x.test/c") is None


def test_related_versions_share_a_sentence_or_a_near_duplicate_of_one():
    sentence = "The union said its members would not return until the schools were safe for everyone."
    near = "The union said its members would not return until the schools were safe for all."
    with Store(":memory:") as store:
        _write(store,
               Version("same", f"Talks went on.\n\n{sentence}"),
               Version("near", f"Talks stalled.\n\n{near}"),
               Version("other", "The council met on Tuesday to discuss the budget for next year."))
        norm = parse_document(sentence).paragraphs[0].sentences[0].norm_hash
        assert [v.source for v in store.related([norm], [])] == ["same"]
        keys = sketch(normalized_words(sentence))
        assert [v.source for v in store.related([], keys)] == ["same", "near"]
        assert store.related([], []) == []


def test_stats_count_what_the_store_holds(tmp_path):
    path = tmp_path / "s.db"
    with Store(str(path)) as store:
        _write(store, Version("a", STRIKE, story="strike", time=EVENING), Version("b", STRIKE + "\n\nMore.", story="strike", time=MORNING),
               Version("c", "Another story entirely.", story="budget"), Version("d", "No story at all."))
    with Store(str(path)) as store:  # as `cpsdiff stats` sees it: written, closed, opened again
        stats = store.stats()
    assert stats["versions"] == 4 and stats["stories"] == 2 and stats["versions_without_story"] == 1
    assert (stats["paragraphs"], stats["boilerplate_paragraphs"], stats["sentences"]) == (9, 2, 9)
    # texts: four versions, three paragraphs of STRIKE and "More." (a one-paragraph text is its paragraph)
    assert (stats["distinct_sentences"], stats["distinct_texts"]) == (6, 8)
    assert (stats["first_time"], stats["last_time"]) == (MORNING.isoformat(), EVENING.isoformat())
    assert stats["largest_stories"] == [["strike", 2], ["(no story)", 1], ["budget", 1]]
    assert stats["bytes"] == path.stat().st_size > 0
    with Store(":memory:") as memory:
        assert memory.stats()["bytes"] == 0


def test_a_new_store_is_marked_with_its_schema_and_opens_again(tmp_path):
    path = tmp_path / "s.db"
    Store(str(path)).close()
    assert sqlite3.connect(path).execute("SELECT value FROM meta WHERE key = 'schema'").fetchall() == [(SCHEMA_VERSION,)]
    with Store(str(path)) as store:
        assert store.versions() == []


def test_a_directory_is_not_a_store(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a database file"):
        Store(str(tmp_path))


@pytest.mark.skipif(not search_available(), reason="this Python's SQLite has no FTS5")
def test_every_paragraph_written_is_found_by_full_text_search_wrapped_lines_too(tmp_path):
    """texts_fts indexes every distinct paragraph text as it is written (not during a bulk load),
    including a paragraph whose lines were wrapped (its text keeps the line break)."""
    wrapped = ("The union said its members would not return until the schools\n"
               "were safe, a spokeswoman for Mayor Brandon Johnson said.")
    text = f"CHICAGO (AP) — Teachers stayed home on Friday as talks with the city went on.\n\n{wrapped}\n\nBy Jane Doe"
    with Store(str(tmp_path / "s.db")) as store:
        assert not store.bulk_loading
        _write(store, Version("strike.txt", text, story="strike", version=1))

        def search(term: str) -> list[str]:
            return [t for (t,) in store.db.execute(
                "SELECT t.text FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid WHERE texts_fts MATCH ?", (term,))]

        assert search("spokeswoman") == [wrapped]
        assert search("teachers") == ["CHICAGO (AP) — Teachers stayed home on Friday as talks with the city went on."]
        assert search("doe") == ["By Jane Doe"]


def test_a_store_written_version_by_version_has_the_indexes_a_bulk_ingest_builds(tmp_path):
    """`track` makes its store with Store and writes it version by version (only `ingest` into an
    empty store bulk-loads): lineage and blame read either store through the same indexes."""

    def indexes(path) -> list[str]:
        with sqlite3.connect(path) as db:
            names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")]
        db.close()
        return names

    def searchable(store: Store) -> list[str]:
        if not has_search(store.db):
            return []
        return [text for (text,) in store.db.execute(  # the rows indexed (the table shows every text)
            "SELECT t.text FROM texts_fts_docsize f JOIN texts t ON t.id = f.id ORDER BY f.id")]

    tracked, bulk = tmp_path / "tracked.db", tmp_path / "bulk.db"
    with Store(str(tracked)) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike", version=1))
        tracked_search = searchable(store)
    with Store(str(bulk)) as store:
        assert store.begin_bulk_load()
        _write(store, Version("strike.txt", STRIKE, story="strike", version=1))
        store.finish_bulk_load()
        # the paragraphs' texts, not the whole version's, as when written one by one
        assert searchable(store) == tracked_search
        assert len(tracked_search) == (len(STRIKE.split("\n\n")) if search_available() else 0)
        # the index sort's helper threads are for building indexes only
        assert store.db.execute("PRAGMA threads").fetchone()[0] == 0
    assert indexes(tracked) == indexes(bulk)
    assert {"sentences_by_norm", "sketches_by_key", "paragraphs_by_text", "versions_by_story"} <= set(indexes(tracked))


def test_a_store_made_without_its_secondary_indexes_gets_them_from_the_next_writer(tmp_path):
    """Stores that earlier releases of `track` made lack the sentence and sketch indexes; the next
    run that writes builds them, a reader leaves the store as it is, and a bulk ingest under way
    keeps them for its end."""
    path = tmp_path / "tracked.db"
    with Store(str(path)) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike", version=1))

    def drop_and_list(drop: bool) -> set[str]:
        with sqlite3.connect(path) as db:
            for name in ("sentences_by_norm", "sketches_by_key") if drop else ():
                db.execute(f"DROP INDEX {name}")
            names = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        db.close()
        return names

    assert "sentences_by_norm" not in drop_and_list(drop=True)
    Store(str(path), read_only=True).close()
    assert "sentences_by_norm" not in drop_and_list(drop=False)
    Store(str(path)).close()
    assert {"sentences_by_norm", "sketches_by_key"} <= drop_and_list(drop=False)

    empty = tmp_path / "bulk.db"
    with Store(str(empty)) as store:
        assert store.begin_bulk_load()
    with Store(str(empty)) as store:  # a second run joining the bulk load: nothing built yet
        assert store.bulk_loading
    with sqlite3.connect(empty) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sentences_by_norm'").fetchone() == (0,)
    db.close()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("extra", '{"url": "https://x.test/strike"', "its extra fields are not a JSON object"),  # cut short
        ("extra", '["https://x.test/strike"]', "its extra fields are not a JSON object"),
        ("time", "Friday evening", "its time 'Friday evening' is not ISO 8601"),
    ],
    ids=["extra-not-json", "extra-a-list", "time-not-iso"],
)
def test_a_version_row_changed_by_other_means_is_refused_naming_the_version(tmp_path, column, value, reason):
    path = tmp_path / "news.db"
    with Store(str(path)) as store:
        _write(store, Version("feed.jsonl:2", STRIKE, story="strike", version=2, time=EVENING))
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE versions SET {column} = ?", (value,))
    db.close()
    with Store(str(path), read_only=True) as store, pytest.raises(StoreError) as refused:
        store.versions()
    assert str(refused.value) == (f"{path}: damaged store (version 'feed.jsonl:2': {reason}): "
                                  "restore a copy, or ingest the corpus again into a new store")


@pytest.mark.skipif(not search_available(), reason="this Python's SQLite has no FTS5")
def test_a_python_without_fts5_does_not_write_a_store_with_a_full_text_index(tmp_path, monkeypatch):
    path = tmp_path / "news.db"
    with Store(str(path)) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike"))
    monkeypatch.setattr(store_versions, "search_available", lambda: False)
    with pytest.raises(StoreError) as refused:
        Store(str(path))
    assert str(refused.value) == (f"{path}: the store has a full-text index (FTS5), which this Python's SQLite "
                                  "cannot update: use a Python whose sqlite3 module has FTS5")
    with Store(str(path), read_only=True) as store:  # reading needs no FTS5
        assert [v.source for v in store.versions()] == ["strike.txt"]


def _copy_with_changes_in_its_wal(path, folder, sides: tuple[str, ...]):
    """A copy of the store at ``path`` taken while a writer had changes in its -wal, with the side
    files named in ``sides`` beside it (a backup tool may take the -wal or the -shm alone)."""
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")  # the change stays in the -wal
        writer.execute("UPDATE versions SET story = 'teachers strike'")
        folder.mkdir()
        for side in ("", *sides):
            shutil.copy(f"{path}{side}", folder / f"news.db{side}")
    finally:
        writer.close()
    return folder / "news.db"


@pytest.mark.parametrize("sides", [("-wal",), ("-shm",)], ids=["wal", "shm"])
def test_a_reader_leaves_the_side_files_it_found_beside_the_store(tmp_path, sides):
    """A reader removes only the -wal and -shm SQLite made it create; one it found stays, and the
    changes a -wal holds are never copied into the store file by a reader."""
    path = tmp_path / "news.db"
    with Store(str(path)) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike"))
    copy = _copy_with_changes_in_its_wal(path, tmp_path / "copy", sides)
    before = {side: (copy.parent / f"news.db{side}").read_bytes() for side in ("", *sides)}
    with Store(str(copy), read_only=True) as store:
        story = store.versions()[0].story
    assert story == ("teachers strike" if "-wal" in sides else "strike")
    assert {p.name for p in copy.parent.iterdir()} >= {f"news.db{side}" for side in ("", *sides)}
    assert copy.read_bytes() == before[""]
    if "-wal" in sides:
        assert (copy.parent / "news.db-wal").read_bytes() == before["-wal"]


# -- rewriting a version (`cpsdiff reextract`) ----------------------------------------------------

REEXTRACTED = (
    "CHICAGO (AP) — Teachers stayed home on Friday as talks with Mayor Brandon Johnson's office went on.\n\n"
    "The union said its members would not return until the schools were safe, Dr. Maria Lopez told reporters.\n\n"
    "A U.S. Department of Education spokesman declined to comment.\n\n"
    "By Jane Doe"
)


def _rows(store: Store, table: str, rowid: int) -> list[tuple]:
    """A version's rows in ``table`` (paragraphs or sentences) in its order, without the version id."""
    order = "idx" if table == "paragraphs" else "paragraph, idx"
    return store.db.execute(f"SELECT * FROM {table} WHERE version_id = ? ORDER BY {order}", (rowid,)).fetchall()


def test_rewriting_a_version_replaces_its_text_paragraphs_and_sentences_and_keeps_its_place():
    """A page extracted again: the version keeps its id, source, story, number and time, and
    everything read from it afterwards is the fresh analysis; other versions are untouched."""
    url = "https://news.example/2021/01/29/chicago-teachers-strike"
    first = Version(url, STRIKE, story=url, version=1, time=MORNING, extra={"title": "Chicago teachers stay home"})
    second = Version(url, STRIKE + "\n\nTalks resume on Monday.", story=url, version=2, time=EVENING)
    other = Version("https://news.example/budget", "The council passed the budget on Tuesday.", story="budget")
    with Store(":memory:") as store:
        _write(store, first, second, other)
        old, kept, unrelated = store.versions()
        kept_rows = {table: _rows(store, table, kept.rowid) for table in ("paragraphs", "sentences")}
        counts = {table: store.count(table) for table in ("versions", "paragraphs", "sentences")}
        fresh = analyse(replace(first, text=REEXTRACTED), default_rules())

        store.rewrite(store.get(old.rowid), fresh)

        now = store.get(old.rowid)
        assert (now.rowid, now.source, now.story, now.number, now.time, now.extra) == (
            old.rowid, url, url, 1, MORNING.isoformat(), {"title": "Chicago teachers stay home"})
        assert (now.text_hash, now.content, now.paragraphs, now.sentences) == (
            fresh.text_hash, fresh.content, 4, 4) != (old.text_hash, old.content, old.paragraphs, old.sentences)
        assert store.version_of(now).text == REEXTRACTED
        assert [row[1:] for row in _rows(store, "paragraphs", old.rowid)] == [
            (idx, text_hash, hash_, norm, reason) for idx, _text, text_hash, hash_, norm, reason in fresh.paragraphs]
        assert [row[1:] for row in _rows(store, "sentences", old.rowid)] == list(fresh.sentences)
        assert store.stored_keys([fresh.key, version_key(first)]) == {fresh.key}
        spokesman = parse_document(REEXTRACTED).paragraphs[2].sentences[0].norm_hash
        assert [v.source for v in store.related([spokesman], [])] == [url]

        assert store.versions() == [now, kept, unrelated]
        assert {table: _rows(store, table, kept.rowid) for table in kept_rows} == kept_rows
        assert store.count("versions") == counts["versions"]
        assert store.count("paragraphs") == counts["paragraphs"] - 3 + 4
        assert store.count("sentences") == counts["sentences"] - 3 + 4


def test_a_version_is_got_by_its_id_and_an_unknown_id_gives_none():
    with Store(":memory:") as store:
        _write(store, Version("a.txt", STRIKE, story="strike", version=1, time=MORNING),
               Version("b.txt", STRIKE + "\n\nMore later.", story="strike", version=2, time=EVENING))
        first, second = store.versions()
        assert (store.get(first.rowid), store.get(second.rowid)) == (first, second)
        assert store.get(second.rowid + 1) is None


@pytest.mark.skipif(not search_available(), reason="this Python's SQLite has no FTS5")
def test_a_rewritten_version_is_found_by_full_text_search_under_its_new_text(tmp_path):
    url = "https://news.example/strike"
    with Store(str(tmp_path / "s.db")) as store:
        _write(store, Version(url, STRIKE, story=url, version=1))
        (stored,) = store.versions()
        store.rewrite(stored, analyse(Version(url, REEXTRACTED, story=url, version=1), default_rules()))
        hits = [t for (t,) in store.db.execute(
            "SELECT t.text FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid WHERE texts_fts MATCH 'spokesman'")]
        assert hits == ["A U.S. Department of Education spokesman declined to comment."]


def test_a_store_made_by_a_python_without_fts5_is_written_and_rewritten_version_by_version(tmp_path, monkeypatch):
    """No full-text index to keep up: writing and rewriting a version only store its texts."""
    import cpsdiff.store.schema

    monkeypatch.setattr(cpsdiff.store.schema, "search_available", lambda: False)
    monkeypatch.setattr(store_versions, "search_available", lambda: False)
    url = "https://news.example/strike"
    with Store(str(tmp_path / "plain.db")) as store:
        assert not store.bulk_loading
        assert _write(store, Version(url, STRIKE, story=url, version=1)) == 1
        (stored,) = store.versions()
        store.rewrite(stored, analyse(Version(url, REEXTRACTED, story=url, version=1), default_rules()))
        assert store.version_of(store.get(stored.rowid)).text == REEXTRACTED
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'texts_fts'").fetchone() == (0,)


# -- damage, bulk loads, locks, many keys -------------------------------------------------------

@pytest.mark.parametrize("damage", ["DELETE FROM texts", "UPDATE texts SET text = CAST(text AS BLOB)"],
                         ids=["text-deleted", "text-made-bytes"])
def test_a_version_whose_text_is_gone_is_refused_naming_the_text(tmp_path, damage):
    path = tmp_path / "news.db"
    with Store(str(path)) as store:
        _write(store, Version("feed.jsonl:2", "The union met on Sunday.", story="strike", version=2))
        (stored,) = store.versions()
    with sqlite3.connect(path) as db:
        db.execute(damage)
    db.close()
    for read in (lambda store: store.version_of(stored), lambda store: store.texts([stored.text_hash])):
        with Store(str(path), read_only=True) as store, pytest.raises(StoreError) as refused:
            read(store)
        assert str(refused.value) == (f"{path}: damaged store (the text {stored.text_hash} is missing): "
                                      "restore a copy, or ingest the corpus again into a new store")


def test_texts_are_read_many_to_a_statement(tmp_path, monkeypatch):
    import cpsdiff.store.versions as versions

    monkeypatch.setattr(versions, "_CHUNK", 2)
    with Store(str(tmp_path / "news.db")) as store:
        for n in range(5):
            _write(store, Version(f"feed.jsonl:{n}", f"Version {n} of the story.\n\nThe council met on day {n}.", story="s"))
        hashes = [h for (h,) in store.db.execute("SELECT hash FROM texts ORDER BY rowid")]
        assert store.texts(hashes) == {h: store.text(h) for h in hashes} and len(hashes) > 2 * 2


@pytest.mark.parametrize("scan_share", [0.0, 2.0], ids=["scanned", "looked-up"])
def test_sentence_texts_are_the_same_scanned_or_looked_up(tmp_path, monkeypatch, scan_share):
    """Lineage reads the texts of the sentences its candidates name by key, or, when it needs
    many of them, in one scan of the table: the same texts either way, and a sentence the store
    lacks is missing from both (lineage then reports the store as damaged)."""
    import cpsdiff.store.lineage as store_lineage

    monkeypatch.setattr(store_lineage, "SCAN_SHARE", scan_share)
    with Store(str(tmp_path / "news.db")) as store:
        for n in range(4):
            _write(store, Version(f"feed.jsonl:{n}", f"The council met on day {n}.\n\n{STRIKE}", story="s"))
        stored = dict(store.db.execute("SELECT norm_hash, text FROM distinct_sentences ORDER BY id"))
        some = sorted(stored)[::2]
        assert store_lineage.sentence_texts(store, some) == {norm: stored[norm] for norm in some}
        assert store_lineage.sentence_texts(store, sorted(stored) + ["0" * 16]) == stored


@pytest.mark.parametrize("scan_share", [0.0, 2.0], ids=["scanned", "looked-up"])
def test_a_candidate_sentence_the_store_lacks_is_damage_named_by_lineage(tmp_path, monkeypatch, scan_share):
    import cpsdiff.store.lineage as store_lineage

    monkeypatch.setattr(store_lineage, "SCAN_SHARE", scan_share)
    path = tmp_path / "news.db"
    said = "The city council voted on Tuesday to raise the school budget by four percent next year."
    with Store(str(path)) as store:
        _write(store, Version("a.txt", said, story="s", time=MORNING),
               Version("b.txt", said.replace("four", "five"), story="s", time=EVENING))
        (gone,) = store.db.execute("SELECT norm_hash FROM distinct_sentences WHERE text LIKE '%five%'").fetchone()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM distinct_sentences WHERE norm_hash = ?", (gone,))
    db.close()
    with Store(str(path), read_only=True) as store, pytest.raises(StoreError) as refused:
        store_lineage.store_lineage(store)
    assert str(refused.value) == (f"{path}: damaged store (the sentence {gone} is missing): "
                                  "restore a copy, or ingest the corpus again into a new store")


def test_an_ingest_into_a_store_that_holds_versions_is_no_bulk_load(tmp_path):
    """A store written version by version keeps its indexes for a later ingest: only an empty
    store, or one whose bulk load has not finished, is bulk-loaded (and its indexes rebuilt)."""
    path = tmp_path / "tracked.db"
    with Store(str(path)) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike", version=1))
    with Store(str(path)) as store:
        assert store.begin_bulk_load() is False
        assert not store.bulk_loading
        indexes = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert indexes.issuperset(store_versions.BULK_INDEXES)


def test_a_writer_opens_a_store_another_writer_holds_the_lock_of(tmp_path, monkeypatch):
    """Opening a store that has its indexes only reads it: a `track` run starts while an ingest
    holds the write lock for a batch, and waits only when it has something to write."""
    import cpsdiff.store.connect

    path = str(tmp_path / "news.db")
    with Store(path) as store:
        _write(store, Version("strike.txt", STRIKE, story="strike", version=1))
    monkeypatch.setattr(cpsdiff.store.connect, "LOCK_TIMEOUT", 0)  # any wait for the lock fails at once
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(path) as store:
            assert [v.source for v in store.versions()] == ["strike.txt"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_asking_about_thousands_of_keys_takes_a_query_per_900_within_old_sqlites_variable_limit():
    """`ingest` asks which of a batch's keys are stored before analysing it: one query per 900 keys,
    each within the 999 bound variables SQLite allowed before 3.32."""
    versions = [Version(f"{n}.txt", f"{STRIKE}\n\nUpdate {n}.", story="strike", version=n) for n in range(3)]
    asked = [f"{n:032x}" for n in range(2000)]
    with Store(":memory:") as store:
        _write(store, *versions)
        stored = [version_key(v) for v in versions]
        asked[0], asked[1000], asked[-1] = stored
        store.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        queries: list[str] = []
        store.db.set_trace_callback(queries.append)
        assert store.stored_keys(asked) == set(stored)
        store.db.set_trace_callback(None)
    assert len(queries) == 3


def test_a_database_another_program_makes_while_a_new_store_waits_for_the_lock_is_refused_untouched(tmp_path, monkeypatch):
    """Between finding the file empty and taking the write lock to create the store, another
    program made the file its own database: it is refused as such, with none of our tables in it."""
    path = tmp_path / "shared.db"
    surveys = []

    def survey_while_another_program_writes(db):
        found = survey(db)
        if not surveys:  # right after the first look, before the lock
            with sqlite3.connect(path) as other:
                other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
                other.execute("INSERT INTO notes VALUES (1, 'Call Dr. Smith back about the U.S. visa')")
            other.close()
        surveys.append(found)
        return found

    survey = store_versions.survey
    monkeypatch.setattr(store_versions, "survey", survey_while_another_program_writes)
    with pytest.raises(StoreError) as refused:
        Store(str(path))
    assert str(refused.value) == f"{path}: not a cpsdiff database (it holds other tables)"
    assert surveys == [(None, False), (None, True)]  # empty at first, then the other program's
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT type, name FROM sqlite_master").fetchall() == [("table", "notes")]
        assert db.execute("SELECT body FROM notes").fetchall() == [("Call Dr. Smith back about the U.S. visa",)]
    db.close()
