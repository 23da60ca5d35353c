"""Add versions to a store: analysed in batches (by any engine), written a few batches per transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice

from cpsdiff.diff.boilerplate import Rule
from cpsdiff.inputs.corpus import Version
from cpsdiff.store.engines import LocalEngine
from cpsdiff.store.analysis import Analysed, analyse, version_key
from cpsdiff.store.versions import Store

BATCH = 200
# Batches per transaction. Each commit writes every page it changed (the hash indexes' pages are
# all over the file), and SQLite checkpoints the log to the store about once a commit: five
# batches a commit took a quarter less CPU, and half the wall time on a busy disk, at 20,000.
COMMIT_BATCHES = 5
MEASURABLE = 0.5  # seconds: a shorter run's rate would be mostly start-up, or noise


@dataclass(frozen=True, slots=True)
class IngestReport:
    read: int
    added: int
    seconds: float

    @property
    def skipped(self) -> int:
        return self.read - self.added

    @property
    def rate(self) -> float | None:
        """Versions read per second; None when the run was too short to measure one."""
        return self.read / self.seconds if self.seconds >= MEASURABLE else None


def analyse_batch(batch: Sequence[Version], rules: Sequence[Rule]) -> list[Analysed]:
    return [analyse(version, rules) for version in batch]


def _batches(versions: Iterable[Version], size: int) -> Iterator[list[Version]]:
    iterator = iter(versions)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest(
    store: Store,
    versions: Iterable[Version],
    rules: Sequence[Rule],
    engine=None,
    progress: Callable[[int, int], None] = lambda read, added: None,
    batch: int = BATCH,
) -> IngestReport:
    """Stream ``versions`` into ``store``; versions already there are skipped before analysis."""
    engine = engine or LocalEngine(workers=1)
    start = time.perf_counter()
    bulk = store.begin_bulk_load()
    counts = {"read": 0, "added": 0}

    def fresh() -> Iterator[list[Version]]:
        for chunk in _batches(versions, batch):
            counts["read"] += len(chunk)
            keys = [version_key(version) for version in chunk]
            seen = store.stored_keys(keys)
            todo = []
            for key, version in zip(keys, chunk):
                if key not in seen:
                    seen.add(key)
                    todo.append(version)
            if todo:
                yield todo
            else:
                progress(counts["read"], counts["added"])

    finished: list[list[Analysed]] = []

    def write_finished() -> None:
        batches = finished[:]
        finished.clear()
        with store.write_lock():  # taken once the results are in: no other writer waits on ours
            for analysed in batches:
                counts["added"] += store.write(analysed)
        progress(counts["read"], counts["added"])

    try:
        for analysed in engine.map(partial(analyse_batch, rules=rules), fresh()):
            finished.append(analysed)
            if len(finished) == COMMIT_BATCHES:
                write_finished()
    finally:
        if finished:  # interrupted too: every finished batch is kept
            write_finished()
    if bulk:
        store.finish_bulk_load()
    return IngestReport(counts["read"], counts["added"], time.perf_counter() - start)
