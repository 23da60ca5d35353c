"""-o/--output FILE: where a command's data goes instead of stdout.

A regular file is written beside itself under a temporary name and renamed over FILE only
when the command finishes, so a failed or interrupted run leaves FILE as it was (nothing the
user had is lost) and a reader never sees half a file. A device, a FIFO or a socket
(/dev/null, /dev/stdout, a named pipe) is written directly: it cannot be replaced.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from cpsdiff.errors import InputError

STDOUT = "-"


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _target(path: str) -> tuple[str, os.stat_result | None]:
    """The file to write (a symbolic link's target), and its status if it exists."""
    real = os.path.realpath(path)
    try:
        return real, os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as error:
        raise InputError(f"{path}: cannot write: {_reason(error)}") from None


@contextmanager
def output_to(path: str | None) -> Iterator[IO[str]]:
    """A text stream for the command's data: stdout when ``path`` is None or "-", else FILE
    (UTF-8), put in place when the block ends without an exception."""
    if path is None or path == STDOUT:
        yield sys.stdout
        return
    real, status = _target(path)
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path}: is a directory")
    if status is not None and not stat.S_ISREG(status.st_mode):
        try:
            stream = open(real, "w", encoding="utf-8", newline="")
        except OSError as error:
            raise InputError(f"{path}: cannot write: {_reason(error)}") from None
        with stream:
            yield stream
        return
    import tempfile  # only when writing a file: it costs every command's start-up otherwise

    folder = os.path.dirname(real) or "."
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".part", dir=folder)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {_reason(error)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
