"""A pure function worked out in a forked child process while the caller goes on.

For work whose inputs are already in memory (fork shares them without copying or pickling) and
whose result is small: only the result crosses a pipe. Wherever a child cannot be used — no
fork on this platform, other threads running (forking them is unsafe), no resources, the child
dying — the function simply runs in the caller when its result is asked for, so the result never
depends on whether a child ran.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Forked(Generic[T]):
    """``function(*args)``, started in a child process now, collected by ``result()``."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._function, self._args = function, args
        self._child: tuple[int, int] | None = None  # (pid, read end of its pipe)
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            self._work_and_exit(read, write)
        os.close(write)
        self._child = (pid, read)

    def _work_and_exit(self, read: int, write: int) -> None:
        # os._exit, never a normal exit: the child must not flush the parent's buffered output
        # or run its exit handlers a second time.
        status = 1
        try:
            os.close(read)
            # nor hold the caller's stdin and stdout: a reader of its output sees the end as
            # soon as the caller is gone, even if killed
            quiet = os.open(os.devnull, os.O_RDWR)
            os.dup2(quiet, 0)
            os.dup2(quiet, 1)
            data = pickle.dumps(self._function(*self._args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)

    def result(self) -> T:
        """The function's result: the child's, or worked out here if there is none."""
        if self._child is not None:
            pid, read = self._child
            self._child = None
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            if status == 0:
                return pickle.loads(data)
        return self._function(*self._args)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, where the platform tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
