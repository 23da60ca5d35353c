"""Pieces every terminal renderer shares: a rich console that never interprets article text,
and word diffs as rich Text (colour, or git's plain markers without it)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from cpsdiff.model import WordDiff
from cpsdiff.text.normalize import visible as safe

DELETED = "red strike"
INSERTED = "green underline"
MOVED_IN = "magenta underline"
PARAGRAPH_BREAK = "\n\n"  # joins the paragraphs of a merge or split in a diff


def make_console(color: bool, width: int | None) -> tuple[Console, io.StringIO]:
    """A console writing to a buffer; width None means no hard wrapping (pipes, files)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 10_000,
        force_terminal=color,
        color_system="truecolor" if color else None,
        no_color=not color,
        soft_wrap=width is None,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    return console, buffer


def diff_text(diff: WordDiff, color: bool) -> Text:
    text = Text()
    for op, chunk in diff:
        chunk = safe(chunk.replace(PARAGRAPH_BREAK, " ¶ "))
        if op == "=":
            text.append(chunk)
        elif color:
            text.append(chunk, DELETED if op == "-" else INSERTED if op == "+" else MOVED_IN)
        else:
            text.append(f"[-{chunk}-]" if op == "-" else f"{{+{chunk}+}}" if op == "+" else f"{{>{chunk}<}}")
    return text
