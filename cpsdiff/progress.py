"""Progress bars on stderr, only for people: off when stderr is not a terminal or with -q."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cpsdiff.output import is_tty


@contextmanager
def progress_bar(description: str, unit: str, enabled: bool) -> Iterator[Callable[..., None]]:
    """Yields update(done, total=None): a rich bar with throughput, or a no-op."""
    if not (enabled and is_tty(sys.stderr)):
        yield lambda done, total=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    start = time.perf_counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(description, total=None, rate="")

        def update(done: int, total: int | None = None) -> None:
            rate = done / max(time.perf_counter() - start, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} {unit}/s")

        yield update
