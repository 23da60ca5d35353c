"""Overlapping writers: real `cpsdiff ingest` and `cpsdiff track` processes, started together on a
new or an existing store, all succeed and store every version once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.inputs.corpus import iter_corpus
from cpsdiff.store.ingest import ingest as add
from cpsdiff.store.analysis import version_key
from cpsdiff.store.versions import Store

from .conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "bench"))
from generate import corpus  # noqa: E402

RUNS = 4

# Each process imports cpsdiff, says it is ready, and waits for the word: the runs then reach the
# store within a millisecond of each other, as cron jobs started by the same tick do.
_RUNNER = """
import os, sys, time
import cpsdiff.cli, cpsdiff.inputs.corpus, cpsdiff.store.ingest, cpsdiff.store.versions, cpsdiff.watch.track
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
sys.argv = ["cpsdiff", *sys.argv[3:]]
cpsdiff.cli.main()
"""


def run_together(tmp_path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Run the cpsdiff commands as processes released at the same moment; their results."""
    go = tmp_path / "go"
    readies = [tmp_path / f"ready{i}" for i in range(len(commands))]
    processes = [
        subprocess.Popen([sys.executable, "-c", _RUNNER, str(ready), str(go), *command],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for ready, command in zip(readies, commands)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(r.exists() for r in readies):
            assert time.monotonic() < deadline, "the processes did not start"
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            time.sleep(0.01)
        go.touch()
        results = []
        for process, command in zip(processes, commands):
            stdout, stderr = process.communicate(timeout=300)
            results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        go.unlink(missing_ok=True)
        for ready in readies:
            ready.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    """A corpus of 8 stories × 4 versions, and its two halves (which overlap the whole)."""
    folder = tmp_path_factory.mktemp("corpus")
    records = corpus(random.Random(11), 8, 4, size=1200)
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    paths = {}
    for name, part in (("all", lines), ("first", lines[: len(lines) // 2]), ("second", lines[len(lines) // 2 :])):
        paths[name] = folder / f"{name}.jsonl"
        paths[name].write_text("".join(part), "utf-8")
    return paths


def keys(*paths) -> set[str]:
    return {version_key(v) for v in iter_corpus([str(p) for p in paths], lambda: b"")}


def check_store(db, expected_keys: set[str]) -> None:
    """Each expected version once and whole, the indexes built, and SQLite's own check clean."""
    with Store(str(db), read_only=True) as store:
        rows = store.db.execute("SELECT key, paragraphs, sentences, id FROM versions").fetchall()
        assert sorted(key for key, *_ in rows) == sorted(expected_keys)
        for _, paragraphs, sentences, rowid in rows:
            assert store.db.execute("SELECT count(*) FROM paragraphs WHERE version_id = ?", (rowid,)).fetchone()[0] == paragraphs
            assert store.db.execute("SELECT count(*) FROM sentences WHERE version_id = ?", (rowid,)).fetchone()[0] == sentences
        assert not store.bulk_loading
        indexes = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"sentences_by_norm", "sketches_by_key", "versions_by_story"} <= indexes
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        distinct = store.db.execute("SELECT count(*), count(DISTINCT norm_hash) FROM distinct_sentences").fetchone()
        assert distinct[0] == distinct[1]


def assert_all_succeeded(results, allowed=(0,)) -> None:
    for result in results:
        assert result.returncode in allowed and "error" not in result.stderr, (result.args, result.returncode, result.stderr)


def fill(db) -> None:
    """An existing store: the seed articles."""
    with Store(str(db)) as store:
        add(store, iter_corpus([str(SEEDS)], lambda: b""), default_rules())


def ingest(db, *paths) -> list[str]:
    return ["ingest", *map(str, paths), "--db", str(db), "-q"]


def test_concurrent_ingests_into_a_new_store(tmp_path, stories):
    db = tmp_path / "new.db"
    results = run_together(tmp_path, [ingest(db, stories["all"])] * RUNS)
    assert_all_succeeded(results)
    check_store(db, keys(stories["all"]))


def test_concurrent_ingests_of_overlapping_inputs_into_an_existing_store(tmp_path, stories):
    db = tmp_path / "existing.db"
    fill(db)
    parts = [stories["all"], stories["first"], stories["second"], stories["all"]]
    results = run_together(tmp_path, [ingest(db, part) for part in parts])
    assert_all_succeeded(results)
    check_store(db, keys(SEEDS, stories["all"]))


class Pages:
    """Plain-text articles by path on a server on 127.0.0.1."""

    def __init__(self, count: int):
        self.bodies = {
            f"/story/{n}": "\n\n".join(
                f"Story {n}, paragraph {p}: the council voted {p + n} times on the budget plan this week."
                for p in range(4)
            ).encode()
            for n in range(count)
        }


@pytest.fixture
def pages():
    site = Pages(6)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = site.bodies.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site.urls = [base + path for path in site.bodies]
    yield site
    server.shutdown()
    server.server_close()


def track(db, urls) -> list[str]:
    return ["track", *urls, "--db", str(db), "--json"]


def check_tracked(db, results, urls) -> None:
    """Every page stored once, as version 1, and reported new by exactly one of the runs."""
    statuses: dict[str, list[str]] = {url: [] for url in urls}
    for result in results:
        for line in result.stdout.splitlines():
            record = json.loads(line)
            statuses[record["url"]].append(record["status"])
    for url in urls:
        assert sorted(statuses[url]) == ["new"] + ["unchanged"] * (len(results) - 1), url
    with Store(str(db), read_only=True) as store:
        tracked = sorted((v.story, v.version) for v in store.versions() if v.story in statuses)
    assert tracked == sorted((url, "1") for url in urls)


@pytest.mark.parametrize("existing", [False, True])
def test_concurrent_tracks(tmp_path, pages, existing):
    db = tmp_path / "t.db"
    if existing:
        fill(db)
    # Each run watches the pages in its own order, so that they meet on different pages.
    orders = [pages.urls[i:] + pages.urls[:i] for i in range(RUNS)]
    results = run_together(tmp_path, [track(db, urls) for urls in orders])
    assert_all_succeeded(results, allowed=(0, 1))  # 1: a page was new to this run
    check_tracked(db, results, pages.urls)


def test_ingests_and_tracks_together_on_a_new_store(tmp_path, stories, pages):
    db = tmp_path / "mixed.db"
    commands = [ingest(db, stories["all"]), track(db, pages.urls), ingest(db, stories["first"]), track(db, pages.urls)]
    results = run_together(tmp_path, commands)
    assert_all_succeeded(results, allowed=(0, 1))
    check_tracked(db, [results[1], results[3]], pages.urls)
    with Store(str(db), read_only=True) as store:
        rows = store.db.execute("SELECT key, story FROM versions").fetchall()
    assert {key for key, story in rows if story not in pages.urls} == keys(stories["all"])
    check_store(db, {key for key, _ in rows})


def test_a_writer_that_waits_too_long_for_the_lock_says_so(tmp_path, monkeypatch):
    from cpsdiff.errors import StoreError
    import cpsdiff.store.connect

    db = str(tmp_path / "locked.db")
    Store(db).close()
    monkeypatch.setattr(cpsdiff.store.connect, "LOCK_TIMEOUT", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(db) as store, pytest.raises(StoreError, match=r"locked\.db: another cpsdiff run held the store's write lock for 0\.2 s; try again$"):
            store.begin_bulk_load()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(db, read_only=True) as store:  # still a store, unharmed
        assert store.count("versions") == 0


def _holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="watches /proc for the store being opened")
def test_ctrl_c_stops_a_writer_waiting_for_the_lock(tmp_path):
    """SQLite waits for a lock in C, where Python does not see Ctrl-C: the wait is cut in steps."""
    db = tmp_path / "held.db"
    fill(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    process = subprocess.Popen([sys.executable, "-m", "cpsdiff", *ingest(db, SEEDS)], stderr=subprocess.PIPE, text=True)
    try:
        while not _holds_open(process.pid, db) and process.poll() is None:
            time.sleep(0.01)
        time.sleep(0.5)  # now waiting for the lock, which stays held
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)  # not the 600 s of LOCK_TIMEOUT
        assert process.returncode == 130 and "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        holder.execute("ROLLBACK")
        holder.close()
