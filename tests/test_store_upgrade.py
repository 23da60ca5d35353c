"""Schema-2 stores are upgraded in place to schema 3 by the first run that writes to them.

The stores in tests/stores were made by earlier releases (tests/stores/make_schema2_store.py
says how): 805bad2, from before normalisation folded accents and repaired mojibake, so its
sentence and paragraph keys are stale; and 1d8819a, the last release of schema 2. Kept as files
rather than rebuilt from old-style rows, so that what is upgraded is exactly what those releases
wrote, tables, indexes, bulk-load marks and all.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpsdiff.cli import app
from cpsdiff.lineage.families import sketch
from cpsdiff.store.versions import Store
from cpsdiff.text.normalize import norm_hash, normalized_words

STORES = Path(__file__).parent / "stores"
OLD = STORES / "schema2-805bad2.db"  # before the normalisation change
LAST = STORES / "schema2-1d8819a.db"  # the last schema-2 release


def copy(store: Path, folder: Path) -> str:
    target = folder / store.name
    shutil.copyfile(store, target)
    return str(target)


def stale_keys(path: str) -> int:
    """Stored normalised keys that differ from what this release computes from the stored text."""
    db = sqlite3.connect(path)
    try:
        stale = 0
        texts = dict(db.execute("SELECT hash, text FROM texts"))
        for version, idx, text_hash, norm in db.execute("SELECT version_id, idx, text_hash, norm_hash FROM paragraphs"):
            text = texts[text_hash]
            stale += norm != norm_hash(text)
            for start, length, sentence_norm in db.execute(
                "SELECT start, length, norm_hash FROM sentences WHERE version_id = ? AND paragraph = ?", (version, idx)
            ):
                stale += sentence_norm != norm_hash(text[start : start + length])
        distinct = dict(db.execute("SELECT norm_hash, text FROM distinct_sentences"))
        stale += sum(norm != norm_hash(text) for norm, text in distinct.items())
        sketches = set(db.execute("SELECT key, norm_hash FROM sketches"))
        expected = {(key, norm) for norm, text in distinct.items() for key in sketch(normalized_words(text))}
        stale += len(sketches ^ expected)
        used = {norm for (norm,) in db.execute("SELECT norm_hash FROM sentences")}
        stale += len(used - set(distinct))  # every sentence's key has its distinct entry
        return stale
    finally:
        db.close()


def schema(path: str) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    finally:
        db.close()


def test_a_store_of_an_earlier_release_gets_its_keys_recomputed(tmp_path):
    path = copy(OLD, tmp_path)
    assert stale_keys(path) > 0  # accents and mojibake hashed the old way: the test can fail
    with Store(path) as store:
        assert store.upgraded and store.upgraded > 0
    assert schema(path) == "3"
    assert stale_keys(path) == 0
    with Store(path) as store:  # once only
        assert store.upgraded is None


def test_the_last_schema_2_release_is_upgraded_and_reads_as_a_new_store(tmp_path, monkeypatch):
    path = copy(LAST, tmp_path)
    assert stale_keys(path) == 0
    with Store(path) as store:
        assert store.upgraded == 0
        assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The same corpus ingested by this release: the same keys, row for row.
    monkeypatch.chdir(STORES)  # sources named as when the stores were made
    fresh = str(tmp_path / "fresh.db")
    assert CliRunner().invoke(app, ["ingest", "schema2_corpus.jsonl", "--db", fresh, "-q"]).exit_code == 0
    (tmp_path / "old").mkdir()
    for old_path in (path, copy(OLD, tmp_path / "old")):
        Store(old_path).close()
        assert rows(old_path) == rows(fresh)


def rows(path: str) -> dict[str, list]:
    db = sqlite3.connect(path)
    ingested = "(SELECT id FROM versions WHERE source LIKE 'schema2_corpus.jsonl:%')"
    try:
        return {
            "paragraphs": db.execute(
                f"SELECT v.source, p.idx, p.hash, p.norm_hash FROM paragraphs p JOIN versions v ON v.id = p.version_id"
                f" WHERE p.version_id IN {ingested} ORDER BY v.source, p.idx").fetchall(),
            "sentences": db.execute(
                f"SELECT v.source, s.paragraph, s.idx, s.start, s.length, s.hash, s.norm_hash FROM sentences s"
                f" JOIN versions v ON v.id = s.version_id WHERE s.version_id IN {ingested} ORDER BY 1, 2, 3").fetchall(),
            "distinct": db.execute(
                f"SELECT norm_hash, text FROM distinct_sentences WHERE norm_hash IN"
                f" (SELECT norm_hash FROM sentences WHERE version_id IN {ingested}) ORDER BY id").fetchall(),
            "search": db.execute(
                "SELECT t.text FROM texts_fts f JOIN texts t ON t.id = f.rowid WHERE texts_fts MATCH 'cafe' ORDER BY 1"
            ).fetchall(),
        }
    finally:
        db.close()


def test_the_upgraded_store_has_the_views_and_search(tmp_path):
    path = copy(OLD, tmp_path)
    Store(path).close()
    db = sqlite3.connect(path)
    tracked = db.execute("SELECT url, title, version FROM article_versions WHERE url IS NOT NULL ORDER BY id").fetchall()
    assert [(title, version) for _, title, version in tracked] == [
        ("Brackenbury Market to close for 14 months for roof repairs", "1"),
        ("Brackenbury Market to close for 14 months for roof repairs", "2"),
    ]
    # The search index folds accents as cpsdiff's matching does.
    found = db.execute("SELECT t.text FROM texts_fts f JOIN texts t ON t.id = f.rowid WHERE texts_fts MATCH 'crepes'"
                       " ORDER BY t.id").fetchall()
    assert found == [("The café serves crêpes and naïve art hangs on the walls.",),
                     ("The cafe serves crepes and naive art hangs on the walls.",)]


@pytest.mark.parametrize("command", [["stats"], ["lineage", "--jsonl"]])
def test_readers_do_not_upgrade_and_say_how(tmp_path, command):
    path = copy(LAST, tmp_path)
    before = Path(path).read_bytes()
    result = CliRunner().invoke(app, [*command, "--db", path])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"cpsdiff: error: {path}: database schema 2, this cpsdiff reads 3: upgrade it in place with "
                             f"`cpsdiff reextract --db {path}` (or any ingest or track run into it)\n")
    assert Path(path).read_bytes() == before
    upgrade = CliRunner().invoke(app, ["reextract", "--db", path])
    assert (upgrade.exit_code, upgrade.stdout) == (0, "")
    assert upgrade.stderr == f"cpsdiff: {path}: store upgraded to schema 3 (0 normalised keys recomputed)\n"
    assert CliRunner().invoke(app, [*command, "--db", path]).exit_code in (0, 1)  # lineage: 1, the versions differ


def test_an_upgrade_that_fails_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    import cpsdiff.store.schema

    path = copy(OLD, tmp_path)
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()

    def broken(db):  # after the paragraphs and sentences were re-keyed
        raise KeyboardInterrupt

    monkeypatch.setattr(cpsdiff.store.schema, "_rekey_distinct_sentences", broken)
    with pytest.raises(KeyboardInterrupt):
        Store(path)
    assert schema(path) == "2"
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == tables
    assert stale_keys(path) > 0  # the paragraphs re-keyed before the failure were rolled back too


def test_runs_that_meet_an_old_store_together_upgrade_it_once(tmp_path):
    path = copy(OLD, tmp_path)
    start, upgraded = threading.Barrier(4), []

    def open_store():
        start.wait()
        with Store(path) as store:
            upgraded.append(store.upgraded)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert upgraded.count(None) == 3
    assert next(n for n in upgraded if n is not None) > 0
    assert schema(path) == "3" and stale_keys(path) == 0
