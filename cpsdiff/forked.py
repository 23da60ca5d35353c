"""A pure function worked out in a forked child process while the caller goes on.

For work whose inputs are already in memory (fork shares them without copying or pickling) and
whose result is small: only the result crosses a pipe. Wherever a child cannot be used — no
fork on this platform, other threads running (forking them is unsafe), no resources, the child
dying — the function simply runs in the caller when its result is asked for, so the result never
depends on whether a child ran.
"""

from __future__ import annotations

import gc
import math
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, NoReturn, TypeVar

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
        parent = os.getpid()
        # Ctrl-C held back across the fork: caught in between, the child would run the
        # caller's handlers (a second "interrupted" line, the caller's clean-up)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        # The child inherits the caller's objects frozen, out of its garbage collector's sight:
        # a collection there would otherwise write to every one of them and so copy the
        # caller's whole memory, page by page (0.4 s after building 300 MB of objects). The
        # caller thaws its own at once, unless it had frozen objects itself (a server that
        # preloads before forking workers): those stay as it left them.
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid != 0 and freeze:
            gc.unfreeze()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            self._work_and_exit(parent, read, write)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(write)
        if pid < 0:
            os.close(read)
            return
        self._child = (pid, read)

    def _work_and_exit(self, parent: int, read: int, write: int) -> NoReturn:
        # os._exit, never a normal exit: the child must not flush the caller's buffered output
        # or run its exit handlers a second time.
        status = 1
        try:
            end_with_parent()
            if os.getppid() != parent:  # the caller died before the kernel was asked
                return
            os.close(read)
            # nor hold the caller's standard streams: a reader of its output sees the end as
            # soon as the caller is gone, even if killed
            import pickle  # here, not at start-up: most runs never fork

            quiet = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(quiet, stream)
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
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # SIGCHLD ignored by whoever started us: reaped already
                pass
            # The child writes only a finished result, and a pickle cut short does not load:
            # the data is all the proof needed, whatever the child's exit status.
            if data:
                import pickle

                try:
                    return pickle.loads(data)
                except (pickle.UnpicklingError, EOFError):
                    pass
        return self._function(*self._args)

    @property
    def started(self) -> bool:
        """Whether a child took the work (else result() will do it here)."""
        return self._child is not None

    def running(self) -> bool:
        """Whether a child is still at work: it writes its result only when done, and its pipe
        has nothing to read (not even the end) until then. poll, not select: select cannot
        watch a descriptor numbered 1024 or more (a caller with many files open)."""
        if self._child is None:
            return False
        watch = select.poll()
        watch.register(self._child[1], select.POLLIN)
        return not watch.poll(0)

    def close(self) -> None:
        """Stop a child whose result is no longer wanted (an error between start and result)."""
        if self._child is None:
            return
        pid, read = self._child
        self._child = None
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    def __del__(self) -> None:
        self.close()


class Spare:
    """A second CPU, lent to one child at a time: this process is to use ``processes`` CPUs
    (None: as many as it may), and while ``busy``, the last child started, is at work, no CPU
    is spare."""

    def __init__(self, processes: int | None, busy: Forked | None = None) -> None:
        self.processes, self.busy = processes, busy

    def free(self) -> bool:
        """Whether a CPU is spare now (a caller may skip preparing work for a child)."""
        return (self.processes or usable_cpus()) >= 2 and not (self.busy is not None and self.busy.running())

    def start(self, function: Callable[..., T], *args: object) -> Forked[T] | None:
        """``function(*args)`` started in a child where a CPU is spare and a child can be
        forked, else None (the caller does the work itself, only as far as it needs it)."""
        if not self.free():
            return None
        work = Forked(function, *args)
        if not work.started:
            return None
        self.busy = work
        return work


def end_with_parent() -> None:
    """Linux: have the kernel SIGKILL this process when its parent exits, however the parent
    ends (kill -9 included) and even while this process is deep in C code."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # no libc to call
        pass


def usable_cpus() -> int:
    """CPUs this process may use: its affinity (where the platform tells), capped by a
    container's CPU quota (cgroup v2)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(cpus, quota) if quota else cpus)


def _cgroup_cpu_quota(path: Path = Path("/sys/fs/cgroup/cpu.max")) -> int | None:
    """CPUs allowed by cgroup v2's "QUOTA PERIOD" (rounded up), None where unlimited or unknown."""
    try:
        quota, period = path.read_text().split()[:2]
        return None if quota == "max" else max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        return None
