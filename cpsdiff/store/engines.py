"""Where the heavy, pure steps run: in this process, or on a Dask cluster.

Both engines run the same functions on the same batches and return results in input order, so
their output is identical; only the time differs.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from cpsdiff.errors import CpsdiffError
from cpsdiff.forked import end_with_parent, usable_cpus

IN_FLIGHT = 4  # batches per worker waiting or running: bounds memory while streaming


def _in_order(submit: Callable[[Any], Any], batches: Iterable[Any], slots: int) -> Iterator[Any]:
    """Results in input order, with at most ``slots`` batches submitted and not collected."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= slots:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _start_worker() -> None:
    """In each worker process, first: Ctrl-C is the parent's to handle (it stops the pool; a
    worker would only print a traceback), and the worker ends when its parent does, however the
    parent ends: kill -9 included, where no clean-up of the parent's runs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent()
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is not None:  # also catches a parent that died before the kernel was asked
        threading.Thread(target=_exit_when_gone, args=(parent,), name="cpsdiff-parent-watch", daemon=True).start()


def _exit_when_gone(parent) -> None:
    """Everywhere: the parent holds one end of a pipe whose other end (the sentinel) is ours;
    join() returns once it is closed, that is once the parent is gone."""
    parent.join()
    os._exit(1)


class LocalEngine:
    """This machine: batches go to a pool of worker processes, one per usable CPU (none on one).
    Workers ignore Ctrl-C and exit when this process does, however it ends."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or usable_cpus()
        self._pool = None

    def map(self, function: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        if self.workers < 2:
            yield from map(function, batches)
            return
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.workers, initializer=_start_worker)
        yield from _in_order(lambda batch: self._pool.submit(function, batch), batches, IN_FLIGHT * self.workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


# Dask's defaults suit long interactive sessions; a batch run on its own cluster wants none of
# the sampling (each worker profiles its task thread every 10 ms), and few wake-ups.
_OWN_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,  # batches are alike and all queued at once
}


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _call_pickled(function: Callable[[Any], Any], batch: bytes) -> bytes:
    """A batch and its result cross the cluster pickled whole, as bytes: given a list, Dask
    would try each item with msgpack, then pickle them one by one (1.9x the time to read a
    batch of analysed versions, and 24% more bytes). Plain pickle, not Dask's cloudpickle:
    batches and results are plain data (the function itself still goes Dask's way)."""
    return _pickled(function(pickle.loads(batch)))


def _unpickled_result(task) -> Any:
    return pickle.loads(task.result())


class DaskEngine:
    """A LocalCluster of its own by default, or the existing cluster whose scheduler is at
    ``address`` (tcp://host:8786), used as it is set up: cpsdiff changes nothing there. On its
    own cluster it sets what suits a batch run (_OWN_CLUSTER) and the workers' collector
    thresholds, and fetches results from the workers directly, not through the scheduler.

    With ``aside``, its own cluster starts on a thread of its own (about a second: a scheduler,
    and workers that are new interpreters) while the caller goes on; the first use waits for
    it. A lineage spends its first seconds in SQL on one core, beside which the start costs
    less. A cluster that failed to start then raises its error at the first use; ``close``
    does not raise it."""

    def __init__(self, address: str | None = None, aside: bool = False):
        from importlib.util import find_spec

        if find_spec("dask") is None or find_spec("distributed") is None:  # imported where used: it takes a while
            raise CpsdiffError("--engine dask needs the dask extra: pip install 'cpsdiff[dask]'")
        self._client = self._cluster = self._starting = None
        if address or not aside:
            self._start(address)
        else:
            from concurrent.futures import Future

            self._starting = Future()
            threading.Thread(target=self._start_aside, name="cpsdiff-dask-start", daemon=True).start()

    def _start_aside(self) -> None:
        try:
            self._start(None)
        except BaseException as error:
            self._starting.set_exception(error)
        else:
            self._starting.set_result(None)

    def _start(self, address: str | None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as error:  # installed, yet not importable (versions that do not fit)
            raise CpsdiffError(f"--engine dask: cannot import Dask ({error}); pip install 'cpsdiff[dask]'") from None
        try:
            if address:
                self._client = Client(address, timeout="10s")
            else:
                from cpsdiff.store.dask_worker import CollectorThresholds

                with dask.config.set(_OWN_CLUSTER):
                    self._cluster = LocalCluster(threads_per_worker=1, dashboard_address=None)
                self._client = Client(self._cluster, direct_to_workers=True)
                self._client.register_plugin(CollectorThresholds(gc.get_threshold()))
            self.slots = IN_FLIGHT * max(1, len(self._client.scheduler_info().get("workers", {})))
        except BaseException as error:
            self._close_client_and_cluster()  # nothing left running, whatever went wrong
            if isinstance(error, OSError):
                where = f"reach the Dask scheduler {address}" if address else "start a Dask LocalCluster"
                raise CpsdiffError(f"cannot {where}: {error}") from None
            if isinstance(error, ValueError) and address:  # Dask's word for an address it cannot parse
                raise CpsdiffError(f"--scheduler {address}: not a scheduler address ({error}); e.g. tcp://HOST:8786") from None
            raise

    @property
    def client(self):
        """The cluster's client, once the cluster has started (its error if it failed to)."""
        if self._starting is not None:
            self._starting.result()
        return self._client

    def map(self, function: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        """Results are unpickled, in order, on a thread of this call's own: the caller's thread
        is busy with its own work (an ingest's SQLite writes, which release the interpreter),
        and this overlaps it, as the local engine's result thread does (2.9 s of the client's
        CPU at 20,000 versions)."""
        from concurrent.futures import ThreadPoolExecutor

        client = self.client  # once started
        call = partial(_call_pickled, function)
        loader = ThreadPoolExecutor(1, thread_name_prefix="cpsdiff-results")

        def submit(batch: Any):
            return loader.submit(_unpickled_result, client.submit(call, _pickled(batch), pure=False))

        try:
            yield from _in_order(submit, batches, self.slots)
        finally:
            loader.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._starting is not None:
            self._starting.exception()  # waits for the start (else its cluster would outlive us); `client` raises its error
        self._close_client_and_cluster()

    def _close_client_and_cluster(self) -> None:
        client, cluster, self._client, self._cluster = self._client, self._cluster, None, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def make_engine(name: str, scheduler: str | None = None, aside: bool = False):
    """The engine called NAME; ``aside``: a Dask cluster of its own may start while the
    caller goes on (see DaskEngine)."""
    if name == "local":
        if scheduler:
            raise CpsdiffError("--scheduler needs --engine dask")
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler, aside)
    raise CpsdiffError(f"--engine must be local or dask, not {name!r}")
