"""Fetching many pages as a good citizen: several hosts at once, but one request at a time to
any host, each at least ``delay`` seconds after the previous answer from that host ended.

Results come back in the order the requests were given, whatever order the answers arrive in
(same input, same output), and at most WINDOW requests run ahead of the one the caller is
waiting for, so memory stays bounded however long the list. The worker threads are daemons and
stop taking requests when the caller stops reading: an interrupted run does not wait for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
R = TypeVar("R")

WORKERS = 4  # hosts fetched at once
WINDOW = 16  # requests fetched ahead of the one being read


def host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{parts.hostname or ''}:{parts.port or ''}".lower()
    except ValueError:  # a malformed URL fails in fetch, with its own message
        return url


class PoliteFetcher(Generic[T, R]):
    """Runs ``get(item)`` for items, one at a time per host (``url_of(item)``'s), spacing the
    requests to a host by ``delay`` seconds. One fetcher remembers its hosts across ``map``
    calls (a feed, then its articles on the same site)."""

    def __init__(self, get: Callable[[T], R], url_of: Callable[[T], str], delay: float,
                 workers: int = WORKERS, window: int = WINDOW):
        self.get, self.url_of, self.delay = get, url_of, delay
        self.workers, self.window = workers, window
        self._free_at: dict[str, float] = {}  # host -> monotonic time it may be asked again

    def map(self, items: Sequence[T]) -> Iterator[R | BaseException]:
        """Each item's result (or the exception its get raised), in the order of ``items``."""
        if not items:
            return
        run = _Run(self, list(items))
        threads = [threading.Thread(target=run.work, daemon=True, name="cpsdiff-fetch")
                   for _ in range(min(self.workers, len({host_of(self.url_of(i)) for i in items})))]
        for thread in threads:
            thread.start()
        try:
            for index in range(len(run.items)):
                yield run.result(index)
        finally:
            run.stop()


class _Run(Generic[T, R]):
    def __init__(self, fetcher: PoliteFetcher[T, R], items: list[T]):
        self.fetcher, self.items = fetcher, items
        self.hosts = [host_of(fetcher.url_of(item)) for item in items]
        self.results: dict[int, R | BaseException] = {}
        self.taken: set[int] = set()
        self.busy: set[str] = set()
        self.read = 0  # results handed to the caller
        self.stopped = False
        self.changed = threading.Condition()

    def result(self, index: int) -> R | BaseException:
        with self.changed:
            while index not in self.results:
                self.changed.wait()
            self.read = index + 1
            self.changed.notify_all()  # the window moved
            return self.results.pop(index)

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()

    def work(self) -> None:
        while (index := self._next()) is not None:
            host = self.hosts[index]
            try:
                outcome: R | BaseException = self.fetcher.get(self.items[index])
            except Exception as error:  # noqa: BLE001 (handed to the caller, in its place)
                outcome = error
            with self.changed:
                self.busy.discard(host)
                self.fetcher._free_at[host] = time.monotonic() + self.fetcher.delay
                self.results[index] = outcome
                self.changed.notify_all()

    def _next(self) -> int | None:
        """The first request in the window whose host is idle and rested; waits for one."""
        with self.changed:
            while not self.stopped:
                now, soonest = time.monotonic(), None
                end = min(len(self.items), self.read + self.fetcher.window)
                for index in range(self.read, end):
                    host = self.hosts[index]
                    if index in self.taken or host in self.busy:
                        continue
                    free_at = self.fetcher._free_at.get(host, 0.0)
                    if free_at <= now:
                        self.taken.add(index)
                        self.busy.add(host)
                        return index
                    soonest = free_at if soonest is None else min(soonest, free_at)
                if len(self.taken) == len(self.items):
                    return None
                self.changed.wait(None if soonest is None else soonest - now)
            return None
