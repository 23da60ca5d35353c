"""What cpsdiff sets up in each Dask worker (imported with --engine dask only: it needs Dask)."""

from __future__ import annotations

import gc

from distributed import WorkerPlugin


class CollectorThresholds(WorkerPlugin):
    """Workers collect garbage as seldom as the client does (see cli.main): every worker,
    including those that join later. With Dask's spawned workers on the default thresholds,
    the collector costs about 5% of their CPU time on a store ingest."""

    name = "cpsdiff-gc-thresholds"

    def __init__(self, thresholds: tuple[int, ...]):
        self.thresholds = thresholds

    def setup(self, worker) -> None:
        gc.set_threshold(*self.thresholds)
