"""Progress bars on stderr, only for people: off when stderr is not a terminal or with -q.

A bar never touches stdout: rich's live display would otherwise capture it (and everything
printed there would go to the screen, not to the file stdout was redirected to).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from cpsdiff.render.output import is_tty

REFRESHES_PER_SECOND = 4  # redrawing more often only costs the work time


class Silent:
    """No bar: updates do nothing, messages go straight to stderr."""

    def update(self, done: int, total: int | None = None) -> None:
        pass

    def say(self, text: str) -> None:
        sys.stderr.write(text)

    def close(self) -> None:
        pass


class _Bar:
    """A transient rich bar with throughput on stderr."""

    def __init__(self, description: str, unit: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._unit = unit
        self._start = time.perf_counter()
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
            refresh_per_second=REFRESHES_PER_SECOND,
        )
        self._task = self._progress.add_task(description, total=None, rate="")
        self._progress.start()
        self._live = True

    def update(self, done: int, total: int | None = None) -> None:
        rate = done / max(time.perf_counter() - self._start, 1e-9)
        self._progress.update(self._task, completed=done, total=total, rate=f"{rate:,.0f} {self._unit}/s")

    def say(self, text: str) -> None:
        """A message on stderr, above the bar while it is shown (a raw write would garble it)."""
        if self._live:
            self._progress.console.print(text, end="", markup=False, emoji=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(text)

    def close(self) -> None:
        """Take the bar off the screen; before output goes to the same terminal, for example."""
        if self._live:
            self._live = False
            self._progress.stop()


@contextmanager
def progress_bar(description: str, unit: str, enabled: bool) -> Iterator[Silent | _Bar]:
    """A bar (update(done, total=None), say(text), close()) while the block runs, or Silent."""
    if not (enabled and is_tty(sys.stderr)):
        yield Silent()
        return
    bar = _Bar(description, unit)
    try:
        yield bar
    finally:
        bar.close()
