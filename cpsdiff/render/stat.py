"""--stat: the summary alone, like `git diff --stat`."""

from __future__ import annotations

from cpsdiff.model import Comparison
from cpsdiff.render.summary_line import summary_line

_BAR = 50


def render_stat(result: Comparison, color: bool) -> str:
    summary = result.summary
    added, removed = summary.words_added, summary.words_removed
    scale = min(1.0, _BAR / max(1, added + removed))
    plus, minus = round(added * scale), round(removed * scale)
    if color:
        bar = f"\x1b[32m{'+' * plus}\x1b[0m\x1b[31m{'-' * minus}\x1b[0m"
    else:
        bar = "+" * plus + "-" * minus
    return (
        f"{result.old.source} → {result.new.source}\n"
        f" paragraphs  {len(result.old.paragraphs)} → {len(result.new.paragraphs)}\n"
        f" words       +{added} -{removed} {bar}\n"
        f" {summary_line(summary)}\n"
    )
