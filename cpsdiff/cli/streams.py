"""The process's standard streams, for main: missing or closed ones, encodings that cannot take
every character, a reader that went away (`cpsdiff … | head`), and the words for a system failure.
"""

import errno
import io
import os
import sys


def tolerant_stdout() -> None:
    """An ASCII or Latin-1 stdout must not crash on article text: JSON is written with \\u
    escapes there (see render/json_compare.py), terminal text with replacement characters."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def silence_stdout() -> None:
    # The reader went away (`cpsdiff … | head`): stop writing, and don't fail again at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class _ClosedStdout(io.TextIOBase):
    """stdout when the process was started without one (`cpsdiff … >&-`): writing to it is an
    error, as writing to a closed descriptor is; a run that writes nothing (-q) is fine."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def missing_streams() -> None:
    # Python sets sys.stdout or sys.stderr to None when its descriptor is closed; every write
    # would be an AttributeError (an internal error, or with no stderr a traceback and exit 1).
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # nowhere to say anything; the status still tells
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()


# What writing stdout fails with: a full disk or quota, a file too large, a closed descriptor, a
# terminal that hung up. Inputs and stores report their own errors; any other OSError that
# reaches main came from the system (too many open files, no memory for a process).
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO, errno.EPIPE})


def system_failure(error: OSError) -> str:
    from cpsdiff.text.normalize import one_line

    reason = one_line(error.strerror or str(error))
    if error.errno in _OUTPUT_ERRNOS:
        return f"cannot write output: {reason}"
    if error.errno in (errno.EMFILE, errno.ENFILE):
        return f"{reason} (cpsdiff needs a few per worker process; see ulimit -n)"
    return reason


def reader_gone() -> bool:
    """Whether stdout's reader went away before taking everything (`cpsdiff … | head`). A large
    write into a pipe whose reader closes half-way returns short instead of failing, so the
    pipe itself is asked: its write end reports an error once nobody can read it."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return True
    except (OSError, ValueError):
        return False
    try:
        import select
        import stat

        fd = sys.stdout.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False
