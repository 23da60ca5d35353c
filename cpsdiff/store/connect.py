"""Opening a store's SQLite file, for reading or for writing, and SQLite's failures as one-line
messages: not a database, corrupt, read-only, permission denied, locked.

Readers open the file read-only (``mode=ro``): they never write to it. A store in WAL mode is
read through its -shm index, which SQLite creates next to the store when the directory allows;
on read-only media, where it cannot, a store that nobody can write is opened ``immutable``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import quote

from cpsdiff.errors import StoreError

# How long a writer waits for another to finish its transaction (a batch of versions, or the
# index build that ends a bulk ingest) before giving up. In WAL mode readers do not wait.
LOCK_TIMEOUT = 600.0
# SQLite waits in C, where Ctrl-C is not seen: a writer waits in steps of this many seconds.
LOCK_STEP = 0.5

T = TypeVar("T")
_HEADER = b"SQLite format 3\x00"
# A read-only connection could not create or use the store's WAL index (-shm) next to it: on
# read-only media (cannot open), in a directory this user cannot write, or with a -shm file
# this user cannot write.
_NO_WAL_INDEX = (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_READONLY_CANTINIT)


def connect(target: str, uri: bool = False, wait: float | None = None) -> sqlite3.Connection:
    # Autocommit: every write transaction is begun explicitly with BEGIN IMMEDIATE, so a writer
    # takes the lock before it reads, and never has to upgrade a read snapshot, which fails at
    # once when another writer committed meanwhile, whatever the busy timeout.
    wait = min(LOCK_STEP, LOCK_TIMEOUT) if wait is None else wait
    return sqlite3.connect(target, timeout=wait, isolation_level=None, uri=uri)


def patiently(action: Callable[[], T]) -> T:
    """``action()``, again while it finds the store locked by another writer (BEGIN IMMEDIATE,
    or opening a store another run is creating), up to LOCK_TIMEOUT: each try waits at most
    LOCK_STEP inside SQLite, and between tries Python sees Ctrl-C."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            return action()
        except sqlite3.OperationalError as error:
            if _code(error) not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or time.monotonic() >= deadline:
                raise


def connect_writer(path: str) -> sqlite3.Connection:
    """A connection that may write ``path``, created when missing; refused with a clear reason
    when the file or its directory cannot be written."""
    if path == ":memory:":  # for tests of the library
        return connect(path)
    _check_writable(path)
    # Always as a URI of the absolute path: SQLite reads a name starting with "file:" as a URI
    # itself, so '--db file:x.db' wrote x.db and 'file:x.db?mode=memory' kept nothing.
    address = "file:" + quote(os.path.abspath(path))
    try:
        return connect(address, uri=True)
    except sqlite3.Error as error:
        raise failure(path, error) from None


def connect_reader(path: str) -> sqlite3.Connection:
    """A read-only connection to an existing store file; nothing is created or changed in it."""
    _check_readable(path)
    address = "file:" + quote(os.path.abspath(path))
    db = None
    try:
        db = connect(f"{address}?mode=ro", uri=True, wait=LOCK_TIMEOUT)  # only while a WAL is recovered
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL index
        return db
    except sqlite3.Error as error:
        if db is not None:
            db.close()
        if getattr(error, "sqlite_errorcode", None) not in _NO_WAL_INDEX:
            raise failure(path, error) from None
    refused = _why_not_unlocked(path)
    if refused:
        raise StoreError(f"{path}: {refused}")
    db = connect(f"{address}?mode=ro&immutable=1", uri=True, wait=LOCK_TIMEOUT)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.Error as error:
        db.close()
        raise failure(path, error) from None


def _why_not_unlocked(path: str) -> str | None:
    """Why the store may not be read without SQLite's locks and WAL index, or None when it may:
    nobody can be writing it (it is on read-only media, or nobody has permission to write it)
    and no writer left changes in a WAL (the store file alone holds everything)."""
    name, directory = os.path.basename(path), os.path.dirname(os.path.abspath(path))
    wal = f"{path}-wal"
    pending = os.path.exists(wal) and os.path.getsize(wal) > 0
    if os.statvfs(path).f_flag & os.ST_RDONLY:
        if not pending:
            return None
        return (f"read-only file system, and {name}-wal holds changes not yet in the store file: "
                f"copy the store with both its -wal and -shm files")
    if not pending and not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return None
    return (f"permission denied: reading the store needs {name}-shm next to it, and {directory} is "
            "not writable (make it writable, or make the store read-only: chmod a-w)")


def _check_readable(path: str) -> None:
    try:
        _check_kind(path, os.stat(path).st_mode)
        with open(path, "rb") as file:
            header = file.read(len(_HEADER))
    except FileNotFoundError:
        raise StoreError(f"{path}: no such database (run cpsdiff ingest first)") from None
    except OSError as error:
        raise StoreError(f"{path}: {_os_reason(error)}") from None
    if not header:
        raise StoreError(f"{path}: not a cpsdiff database (an empty file)")
    if header != _HEADER:
        raise StoreError(f"{path}: not a cpsdiff database (file is not a database)")


def _check_kind(path: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise StoreError(f"{path}: is a directory, not a database file")
    if not stat.S_ISREG(mode):  # a FIFO would block the reader, a device is no store
        raise StoreError(f"{path}: not a cpsdiff database (not a regular file)")


def _check_writable(path: str) -> None:
    if os.path.exists(path):
        _check_kind(path, os.stat(path).st_mode)
    try:
        directory = os.path.dirname(os.path.abspath(path))
    except FileNotFoundError:  # a relative path, from a directory that was deleted
        raise StoreError(f"{path}: cannot create the store: the current directory no longer exists") from None
    try:
        os.close(os.open(path, os.O_RDWR))
    except FileNotFoundError:
        if not os.path.isdir(directory):
            raise StoreError(f"{path}: no such directory: {directory}") from None
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            raise StoreError(f"{path}: cannot create the store: read-only file system") from None
        if not os.access(directory, os.W_OK):
            raise StoreError(f"{path}: cannot create the store: permission denied in {directory}") from None
        return
    except OSError as error:
        if error.errno == errno.EACCES and os.access(path, os.R_OK):
            raise StoreError(f"{path}: read-only: no permission to write to the store") from None
        raise StoreError(f"{path}: cannot write to the store: {_os_reason(error)}") from None
    wal = f"{path}-wal"
    if not os.path.exists(wal) and not os.access(directory, os.W_OK):  # SQLite makes its WAL there
        raise StoreError(f"{path}: read-only: cannot create {os.path.basename(wal)} in {directory}")


def _os_reason(error: OSError) -> str:
    if error.errno == errno.EROFS:
        return "read-only file system"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code of an extended one


def damaged(path: str, reason: str) -> StoreError:
    """A store that SQLite reads but cpsdiff did not write so: changed by other means."""
    return StoreError(f"{path}: damaged store ({reason}): restore a copy, or ingest the corpus again into a new store")


def failure(path: str, error: sqlite3.Error) -> Exception:
    """The one-line StoreError for a failure of the store itself; other errors (a constraint,
    a misuse: bugs) are returned as they are."""
    code, reason = _code(error), str(error)
    if code == sqlite3.SQLITE_NOTADB:
        return StoreError(f"{path}: not a cpsdiff database ({reason})")
    if code == sqlite3.SQLITE_CORRUPT:
        return StoreError(
            f"{path}: corrupt database ({reason}): restore a copy, or ingest the corpus again into a new store"
        )
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(f"{path}: read-only: cannot write to the store ({reason})")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(f"{path}: another cpsdiff run held the store's write lock for {LOCK_TIMEOUT:g} s; try again")
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreError(f"{path}: cannot open the store ({reason}): check the permissions of the file and its directory")
    if code == sqlite3.SQLITE_ERROR and reason.startswith(("no such table", "no such column")):
        return damaged(path, reason)  # a store of this schema has them all: one was dropped
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"{path}: disk full ({reason})")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOMEM):
        return StoreError(f"{path}: cannot read or write the store ({reason})")
    return error


def remove_side_files(path: str) -> None:
    """Let SQLite remove the -wal and -shm a reader made it create beside a store: the last
    connection to close a WAL database removes them, but only a connection that may write does.
    One is opened and closed (it writes nothing: the WAL is empty); when another run still has
    the store open, or the file or its folder cannot be written, the files stay, as they would."""
    directory = os.path.dirname(os.path.abspath(path))
    if not (os.access(path, os.W_OK) and os.access(directory, os.W_OK)):
        return
    try:
        db = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=rw", uri=True, timeout=0)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        pass


class Damaged(Exception):
    """A row cpsdiff did not write so (the store was changed by other means); the argument says which."""


def guarded(method):
    """A store method whose SQLite failures (corrupt, locked…) and damaged rows become
    one-line StoreErrors."""

    @wraps(method)
    def checked(self, *args):
        try:
            return method(self, *args)
        except sqlite3.Error as error:
            raise failure(self.path, error) from None
        except Damaged as error:
            raise damaged(self.path, str(error)) from None

    return checked


def guarding(*names: str):
    """A class decorator: ``guarded`` for the named methods. Applied here rather than on each
    method, because mutmut leaves decorated functions out of a mutation run."""

    def wrap(cls):
        for name in names:
            setattr(cls, name, guarded(getattr(cls, name)))
        return cls

    return wrap
