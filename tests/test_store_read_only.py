"""Reading a store changes nothing in it and works on read-only media; a store that cannot be
read or written gets one accurate line: not a database, corrupt, read-only, permission denied."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.inputs.corpus import iter_corpus
from cpsdiff.store.ingest import ingest
from cpsdiff.store.versions import Store

from .conftest import FIXTURES, ROOT, SEEDS, invoke

sys.path.insert(0, str(ROOT / "bench"))
from generate import corpus  # noqa: E402

BRIDGE = FIXTURES / "lineage" / "chain_bridge.jsonl"
NOBODY = 65534


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """A store written and closed as `cpsdiff ingest` leaves it: no -wal or -shm beside it."""
    path = tmp_path_factory.mktemp("made") / "news.db"
    with Store(str(path)) as store:
        ingest(store, iter_corpus([str(BRIDGE), str(SEEDS)], lambda: b""), default_rules())
    assert sorted(p.name for p in path.parent.iterdir()) == ["news.db"]
    return path


@pytest.fixture
def store_copy(store_file, tmp_path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return Path(shutil.copy(store_file, folder / "news.db"))


# The read-only commands, and what they print for the store made above.
READS = (
    ("stats", "--json"),
    ("lineage", "--jsonl", "--order", "given"),
    ("blame", f"{BRIDGE}:3", "--json"),
)


def read_all(runner, db: Path) -> list[tuple[int, str]]:
    return [(r.exit_code, r.stdout) for r in (invoke(runner, *args, "--db", str(db)) for args in READS)]


def test_readers_never_write_the_store(runner, store_copy):
    before = store_copy.read_bytes()
    results = read_all(runner, store_copy)
    assert [status for status, _ in results] == [0, 1, 1]
    assert store_copy.read_bytes() == before
    # SQLite needs a WAL index (-shm) to read a WAL store and makes one, with an empty -wal,
    # in a writable directory: the reader has it removed again when it closes.
    assert sorted(p.name for p in store_copy.parent.iterdir() if p != store_copy) == []
    listing = snapshot(store_copy.parent)
    read_all(runner, store_copy)
    assert snapshot(store_copy.parent).keys() == listing.keys()
    assert store_copy.read_bytes() == before


def _read_only_mount_works() -> bool:
    if not shutil.which("unshare"):
        return False
    folder = tempfile.mkdtemp(prefix="cpsdiff-")
    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$0" "$0" && touch "$0/probe"', folder],
                               capture_output=True, text=True)
        return "Read-only file system" in probe.stderr
    finally:
        shutil.rmtree(folder)


def on_read_only_media(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`cpsdiff ARGS` with ``folder`` bind-mounted read-only (a user and mount namespace: no root needed)."""
    command = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    return subprocess.run(["unshare", "-rm", "sh", "-c", command, str(folder), sys.executable, "-m", "cpsdiff", *args],
                          capture_output=True, text=True)


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs unshare with user namespaces for a read-only mount")
def test_a_store_on_read_only_media_is_read_and_left_as_it_was(runner, store_file, store_copy):
    expected = read_all(runner, store_file)
    folder = store_copy.parent
    before = snapshot(folder)
    for args, (status, stdout) in zip(READS, expected):
        result = on_read_only_media(folder, *args, "--db", str(store_copy))
        assert result.returncode == status, result.stderr
        assert result.stdout.replace(str(store_copy), str(store_file)) == stdout.replace(str(store_copy), str(store_file))
    assert snapshot(folder) == before  # no -wal, no -shm, not a byte changed

    for writer in (("ingest", str(SEEDS), "--db", str(store_copy)), ("ingest", str(SEEDS), "--db", str(folder / "new.db")),
                   ("track", "http://127.0.0.1:9/a", "--db", str(store_copy))):
        result = on_read_only_media(folder, *writer)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "read-only file system" in result.stderr, result.stderr
    assert snapshot(folder) == before


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs unshare with user namespaces for a read-only mount")
def test_a_store_with_changes_left_in_its_wal_on_read_only_media(store_copy, tmp_path):
    """A copy taken while a writer was running: its last changes are in the -wal, which SQLite
    can read only with the -shm beside it."""
    with_index, without = tmp_path / "with", tmp_path / "without"
    writer = sqlite3.connect(store_copy, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")  # the change stays in the -wal
        writer.execute("UPDATE versions SET story = 'moved' WHERE story IS NULL")
        for folder, suffixes in ((with_index, ("", "-wal", "-shm")), (without, ("", "-wal"))):
            folder.mkdir()
            for suffix in suffixes:
                shutil.copy(f"{store_copy}{suffix}", folder / f"news.db{suffix}")
    finally:
        writer.close()
    read = on_read_only_media(tmp_path, "stats", "--db", str(with_index / "news.db"), "--json")
    assert read.returncode == 0 and json.loads(read.stdout)["versions_without_story"] == 0, read.stderr
    refused = on_read_only_media(tmp_path, "stats", "--db", str(without / "news.db"))
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (f"cpsdiff: error: {without / 'news.db'}: read-only file system, and news.db-wal holds "
                              "changes not yet in the store file: copy the store with both its -wal and -shm files\n")


def _as_another_user():
    """How to run cpsdiff as a user without write access to files this process creates, or None.
    As root (whom permissions do not stop) that is `nobody` via setpriv, with an interpreter
    and packages that user can read; otherwise this user, who owns the files."""
    if os.geteuid() != 0:
        return [sys.executable, "-m", "cpsdiff"], None
    if not shutil.which("setpriv"):
        return None
    packages = [str(ROOT), *(p for p in sys.path if p.endswith("site-packages"))]
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "env", f"PYTHONPATH={os.pathsep.join(packages)}"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for interpreter in (sys.executable, shutil.which(version), f"/usr/bin/{version}"):
        if interpreter and subprocess.run([*drop, interpreter, "-c", "import cpsdiff.store.versions"], capture_output=True).returncode == 0:
            return [*drop, interpreter, "-m", "cpsdiff"], NOBODY
    return None


ANOTHER_USER = _as_another_user()


@pytest.mark.skipif(ANOTHER_USER is None, reason="as root, needs setpriv and an interpreter user nobody can run")
def test_permissions_give_accurate_messages(runner, store_file):
    command, _ = ANOTHER_USER
    top = Path(tempfile.mkdtemp(prefix="cpsdiff-"))  # pytest's own folders are closed to other users
    top.chmod(0o755)
    folder = top / "shelf"
    folder.mkdir()
    for name, mode in (("hidden.db", 0o000), ("frozen.db", 0o444), ("theirs.db", 0o644)):
        shutil.copy(store_file, folder / name)
        (folder / name).chmod(mode)
    folder.chmod(0o555)  # nobody (or this user) may not create files here
    before = snapshot(folder) if os.geteuid() == 0 else None

    def run(*args):
        result = subprocess.run([*command, *args], capture_output=True, text=True)
        assert result.stderr.count("cpsdiff: error") <= 1 and "internal error" not in result.stderr, result.stderr
        return result

    try:
        hidden = run("stats", "--db", str(folder / "hidden.db"))
        assert (hidden.returncode, hidden.stderr) == (2, f"cpsdiff: error: {folder / 'hidden.db'}: permission denied\n")

        # Nobody may write it: read without SQLite's locks (there is no writer to lock out).
        frozen = run("stats", "--db", str(folder / "frozen.db"), "--json")
        assert frozen.returncode == 0 and json.loads(frozen.stdout)["versions"] == 9
        assert run("lineage", "--db", str(folder / "frozen.db"), "--jsonl").returncode == 1
        refused = run("ingest", str(SEEDS), "--db", str(folder / "frozen.db"))
        assert refused.returncode == 2 and "frozen.db: read-only" in refused.stderr

        # Its owner may write it while we read: reading it safely needs a -shm, which cannot be made here.
        theirs = run("stats", "--db", str(folder / "theirs.db"))
        assert theirs.returncode == 2
        assert "theirs.db: permission denied: reading the store needs theirs.db-shm" in theirs.stderr

        new = run("ingest", str(SEEDS), "--db", str(folder / "new.db"))
        assert new.returncode == 2 and "cannot create the store: permission denied" in new.stderr
        if before is not None:
            assert snapshot(folder) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)


def test_an_empty_file_is_not_a_store_and_stays_empty(runner, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in READS:
        result = invoke(runner, *args, "--db", str(empty))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"cpsdiff: error: {empty}: not a cpsdiff database (an empty file)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"] and empty.stat().st_size == 0


def test_other_databases_are_refused_untouched(runner, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    before = other.read_bytes()
    read = invoke(runner, "stats", "--db", str(other))
    assert (read.exit_code, read.stderr) == (2, f"cpsdiff: error: {other}: not a cpsdiff database (no cpsdiff tables)\n")
    written = invoke(runner, "ingest", str(SEEDS), "--db", str(other))
    assert (written.exit_code, written.stderr) == (2, f"cpsdiff: error: {other}: not a cpsdiff database (it holds other tables)\n")
    assert other.read_bytes() == before


def corrupt_the_middle(path: Path, pages: int) -> None:
    """Overwrite ``pages`` pages in the middle of a database file with noise."""
    page_size = 4096
    middle = path.stat().st_size // page_size // 2
    noise = random.Random(3).randbytes(page_size * pages)
    with path.open("r+b") as file:
        file.seek((middle - pages // 2) * page_size)
        file.write(noise)


@pytest.fixture(scope="module")
def larger_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("larger")
    source = folder / "corpus.jsonl"
    records = corpus(random.Random(5), 10, 4, size=1500)
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    path = folder / "larger.db"
    with Store(str(path)) as store:
        ingest(store, iter_corpus([str(source)], lambda: b""), default_rules())
    return path


def test_corruption_in_the_middle_is_reported_as_corruption(runner, larger_store, tmp_path):
    damaged = Path(shutil.copy(larger_store, tmp_path / "damaged.db"))
    corrupt_the_middle(damaged, pages=larger_store.stat().st_size // 4096 // 3)
    with Store(str(larger_store), read_only=True) as store:
        doc = store.versions()[-1].source
    for args in (("stats",), ("lineage", "--jsonl"), ("blame", doc, "--json")):
        result = invoke(runner, *args, "--db", str(damaged))
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith(f"cpsdiff: error: {damaged}: corrupt database (database disk image is malformed)")
        assert result.stderr.count("\n") == 1


def test_a_damaged_header_is_not_a_database(runner, store_copy):
    with store_copy.open("r+b") as file:
        file.write(b"\0" * 100)
    result = invoke(runner, "stats", "--db", str(store_copy))
    assert (result.exit_code, result.stderr) == (2, f"cpsdiff: error: {store_copy}: not a cpsdiff database (file is not a database)\n")


def test_a_store_left_by_an_interrupted_bulk_ingest_is_read_as_it_is(runner, larger_store, tmp_path):
    """Its indexes are not built yet: a reader scans instead (the same results) and builds
    nothing; the next ingest completes the store."""
    source = larger_store.parent / "corpus.jsonl"
    versions = list(iter_corpus([str(source)], lambda: b""))
    path = tmp_path / "interrupted.db"

    def interrupted():
        yield from versions[:25]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), Store(str(path)) as store:
        ingest(store, interrupted(), default_rules(), batch=10)
    complete = tmp_path / "complete.db"
    with Store(str(complete)) as store:  # the same 20 versions, indexes built
        ingest(store, versions[:20], default_rules())

    before = snapshot(tmp_path)
    with Store(str(path), read_only=True) as store:
        assert store.bulk_loading and store.count("versions") == 20
    for args in (("lineage", "--jsonl"), ("blame", f"{source}:3", "--json")):
        from_interrupted = invoke(runner, *args, "--db", str(path))
        from_complete = invoke(runner, *args, "--db", str(complete))
        assert from_interrupted.exit_code == from_complete.exit_code == 1
        assert from_interrupted.stdout == from_complete.stdout
    assert {name: data for name, data in snapshot(tmp_path).items() if name in before} == before

    assert invoke(runner, "ingest", str(source), "--db", str(path), "-q").exit_code == 0
    with Store(str(path), read_only=True) as store:
        assert not store.bulk_loading and store.count("versions") == len(versions)


def test_ingest_rate_is_shown_only_when_measurable(runner, tmp_path, monkeypatch):
    import cpsdiff.store.ingest
    from cpsdiff.store.ingest import IngestReport

    assert IngestReport(1, 1, 2.5).rate == pytest.approx(0.4)
    assert IngestReport(900, 900, 0.01).rate is None
    monkeypatch.setattr(cpsdiff.store.ingest, "ingest", lambda *args, **kwargs: IngestReport(1, 1, 2.5))
    slow = invoke(runner, "ingest", str(SEEDS), "--db", str(tmp_path / "r.db"))
    assert slow.stderr.endswith(": 1 version added, 0 already there (1 read in 2.5 s, 0.4 versions/s)\n")
    monkeypatch.setattr(cpsdiff.store.ingest, "ingest", lambda *args, **kwargs: IngestReport(3, 0, 0.02))
    fast = invoke(runner, "ingest", str(SEEDS), "--db", str(tmp_path / "r.db"))
    assert fast.stderr.endswith(": 0 versions added, 3 already there (3 read in 0.0 s)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    for args in (("stats",), ("ingest", str(SEEDS))):  # a reader, a writer
        result = subprocess.run([sys.executable, "-m", "cpsdiff", *args, "--db", str(pipe)],
                                capture_output=True, text=True, timeout=60)  # opening it for reading would block
        assert (result.returncode, result.stderr) == (2, f"cpsdiff: error: {pipe}: not a cpsdiff database (not a regular file)\n")
