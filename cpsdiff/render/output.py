"""Where terminal output goes: colour decisions and the pager, kept apart from rendering."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
from enum import StrEnum
from typing import IO


class BoilerplateMode(StrEnum):
    SHOW = "show"
    DIM = "dim"
    HIDE = "hide"


class ColorMode(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


def is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(mode: ColorMode, stream: IO[str], environ=os.environ) -> bool:
    """--color always wins; auto means a terminal, no NO_COLOR (non-empty) and TERM not dumb."""
    if mode is ColorMode.ALWAYS:
        return True
    if mode is ColorMode.NEVER:
        return False
    return is_tty(stream) and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def terminal_width(stream: IO[str]) -> int | None:
    """Wrap width for a terminal; None (no wrapping) for pipes and files."""
    return shutil.get_terminal_size().columns if is_tty(stream) else None


def _pager_command() -> list[str] | None:
    """$PAGER (default less) as arguments; a value the shell could not parse means no pager."""
    try:
        return shlex.split(os.environ.get("PAGER") or "less")
    except ValueError:
        return None


def show(text: str, stream: IO[str], use_pager: bool | None) -> None:
    """Write text, through $PAGER (default less -FRX) when it is taller than the terminal."""
    if use_pager is None:
        use_pager = is_tty(stream) and text.count("\n") > shutil.get_terminal_size().lines
    command = _pager_command() if use_pager else None
    if command and shutil.which(command[0]):
        import subprocess  # only when paging: keeps it off the start-up of every command

        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        # Like git: Ctrl-C belongs to the pager while it runs; we wait for it to finish.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            subprocess.run(command, input=text, text=True, encoding="utf-8", errors="replace", env=env, check=False)
            return
        except OSError:
            pass
        finally:
            signal.signal(signal.SIGINT, previous)
    stream.write(text)
    stream.flush()
