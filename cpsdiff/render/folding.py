"""Which unchanged paragraphs a view shows: those within N paragraphs of a change, as git shows
N lines of context (shared by the terminal, HTML and Markdown views).

The default is one paragraph. git's three lines of context are about one news paragraph: a
paragraph of reporting runs 25–40 words, three lines at 80 columns (the seeds: 30 words, 3.3
lines). One paragraph on each side is also the unit a reader needs to place a change: the
paragraph before a quote usually names its speaker or leads into it, the one after closes it.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_CONTEXT = 1
ALL = "all"


def parse_context(value: str | int | None) -> int | None:
    """--context as given: a number of paragraphs, or "all" (None: nothing folded)."""
    if value is None:
        return DEFAULT_CONTEXT
    if isinstance(value, int):
        number = value
    elif value.strip().lower() == ALL:
        return None
    else:
        try:
            number = int(value.strip())
        except ValueError:  # not a number, or one of thousands of digits
            shown = value if len(value) <= 20 else value[:20] + "…"
            raise ValueError(f"--context must be a number of paragraphs or all, not {shown!r}") from None
    if number < 0:
        raise ValueError(f"--context must be 0 or more, not {number}")
    return number


def shown(quiet: Sequence[bool], context: int | None) -> list[bool]:
    """For each row, whether to show it: every row that is not quiet, quiet rows at most
    ``context`` rows from one, and a quiet row that would be folded alone. None shows
    everything. Linear in the rows, whatever ``context``."""
    count = len(quiet)
    if context is None:
        return [True] * count
    far = count + context + 1  # farther than any context
    before = [far] * count  # distance to the nearest change at or before each row
    last = None
    for n, is_quiet in enumerate(quiet):
        if not is_quiet:
            last = n
        before[n] = far if last is None else n - last
    keep = [False] * count
    last = None
    for n in range(count - 1, -1, -1):
        if not quiet[n]:
            last = n
        after = far if last is None else last - n
        keep[n] = min(before[n], after) <= context
    # a fold line saves nothing over a single paragraph: fold runs of two or more
    for n in range(count):
        if not keep[n] and (n == 0 or keep[n - 1]) and (n + 1 == count or keep[n + 1]):
            keep[n] = True
    return keep
