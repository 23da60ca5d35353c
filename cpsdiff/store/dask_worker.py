"""What cpsdiff sets up in each worker of the Dask LocalCluster it starts itself (imported with
--engine dask only: it needs Dask). A cluster given with --scheduler is left as it is."""

from __future__ import annotations

import gc

from distributed import WorkerPlugin


class CollectorThresholds(WorkerPlugin):
    """Workers collect garbage as seldom as the client does (see cli.main), a restarted one
    too: on the default thresholds, the collector took about 5% of the workers' CPU time in a
    store ingest."""

    name = "cpsdiff-gc-thresholds"

    def __init__(self, thresholds: tuple[int, ...]):
        self.thresholds = thresholds

    def setup(self, worker) -> None:
        gc.set_threshold(*self.thresholds)
