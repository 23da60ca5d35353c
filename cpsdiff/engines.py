"""Where the heavy, pure steps run: in this process, or on a Dask cluster.

Both engines run the same functions on the same batches and return results in input order, so
their output is identical; only the time differs.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cpsdiff.errors import CpsdiffError

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


class LocalEngine:
    """This machine: batches go to a pool of worker processes, one per core (none on one core)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool = None

    def map(self, function: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        if self.workers < 2:
            yield from map(function, batches)
            return
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.workers)
        yield from _in_order(lambda batch: self._pool.submit(function, batch), batches, IN_FLIGHT * self.workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class DaskEngine:
    """A LocalCluster by default, or the scheduler at ``address`` (tcp://host:8786)."""

    def __init__(self, address: str | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise CpsdiffError("--engine dask needs the dask extra: pip install 'cpsdiff[dask]'") from None
        self._cluster = None
        try:
            if address:
                self.client = Client(address, timeout="10s")
            else:
                self._cluster = LocalCluster(threads_per_worker=1, dashboard_address=None)
                self.client = Client(self._cluster)
        except OSError as error:
            raise CpsdiffError(f"cannot reach the Dask scheduler {address}: {error}") from None
        self.slots = IN_FLIGHT * max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, function: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
        yield from _in_order(lambda batch: self.client.submit(function, batch, pure=False), batches, self.slots)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str, scheduler: str | None = None):
    if name == "local":
        if scheduler:
            raise CpsdiffError("--scheduler needs --engine dask")
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler)
    raise CpsdiffError(f"--engine must be local or dask, not {name!r}")
