"""Command line: parse arguments, call the library, render, map errors to exit statuses.

The typer app, its root options and main() live here; each command group in its own module
(compare_commands, lineage_commands, store_commands, track_commands) over the shared options
(options) and helpers (common); streams handles the process's stdout and stderr for main. Only
typer and the modules the chosen command needs are imported: commands import the library inside
their functions, so that start-up stays fast.

This package may import every other cpsdiff package; none may import it.

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

import gc
import sys
from typing import Annotated

import typer
from typer import Abort, TyperException

from cpsdiff import __version__
from cpsdiff.cli import compare_commands, lineage_commands, store_commands, track_commands
from cpsdiff.cli.streams import missing_streams, reader_gone, silence_stdout, system_failure, tolerant_stdout
from cpsdiff.errors import ExitStatus

__all__ = ["app", "main"]


app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="See how news stories change: annotated, provenance-aware diffs of article versions.\n\n"
    "Exit status: 0 same, 1 different, 2 trouble.",
)


def _version(value: bool) -> None:
    if value:
        print(f"cpsdiff {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("-V", "--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """See how news stories change."""


# The commands, in the order --help lists them (each module holds one group's commands).
app.command("compare")(compare_commands.compare_command)
app.command("git-diff", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})(
    compare_commands.git_diff_command
)
app.command("lineage")(lineage_commands.lineage_command)
app.command("blame")(lineage_commands.blame_command)
app.command("ingest")(store_commands.ingest_command)
app.command("track")(track_commands.track_command)
app.command("reextract")(track_commands.reextract_command)
app.command("stats")(store_commands.stats_command)


def _show_usage_error(error: TyperException, args: list[str]) -> None:
    """A usage error in one line, as every other error, saying where the usage is; the help that
    a bare `cpsdiff` asks for is shown whole."""
    from typer._click.exceptions import NoArgsIsHelpError  # typer is pinned to 0.28 (pyproject.toml)

    from cpsdiff.text.normalize import one_line

    if isinstance(error, NoArgsIsHelpError):
        error.show()
        return
    context = getattr(error, "ctx", None)
    if context is not None:
        path = context.command_path
    else:  # an option's value missing at the end is found before the command has a context
        named = args[0] if args and args[0] in {command.name for command in app.registered_commands} else None
        path = f"cpsdiff {named}" if named else "cpsdiff"
    where = f"; see '{path} --help'"
    sys.stderr.write(f"cpsdiff: error: {one_line(error.format_message()).rstrip('.')}{where}\n")


def main() -> None:
    """Entry point. Every failure exits 2 (trouble): nothing unexpected may exit 1 (different)."""
    missing_streams()
    tolerant_stdout()
    # A run builds millions of small objects and frees few cycles: with the default thresholds
    # the collector rescans them again and again (a third of the time on a 2 MB paragraph, and
    # growing faster than the input).
    gc.set_threshold(50_000, 20, 100)
    args = sys.argv[1:]
    if len(args) in (1, 7, 9):  # GIT_EXTERNAL_DIFF=cpsdiff: git's 7 (or 9, or 1) arguments?
        from cpsdiff.cli.gitdiff import is_external_call

        if is_external_call(args):
            args = ["git-diff", "--", *args]
    try:
        status = app(args=args, prog_name="cpsdiff", standalone_mode=False)
    except SystemExit as exit:
        # Commands return their status; typer exits 1 itself only when the reader closed the
        # pipe (`cpsdiff … | head`): that is trouble, not "different". One place for every command.
        status = exit.code
        if status == 1:
            silence_stdout()
            status = ExitStatus.TROUBLE
    except TyperException as error:  # usage errors
        _show_usage_error(error, args)
        status = ExitStatus.TROUBLE
    except (Abort, KeyboardInterrupt):  # (typer turns a Ctrl-C inside a command into status 130)
        status = ExitStatus.INTERRUPTED
    except OSError as error:  # a full disk, /dev/full; or the system refused a resource
        sys.stderr.write(f"cpsdiff: error: {system_failure(error)}\n")
        status = ExitStatus.TROUBLE
    except MemoryError:  # a limit (ulimit -v, a container) too small for the input
        sys.stderr.write("cpsdiff: error: out of memory\n")
        status = ExitStatus.TROUBLE
    except Exception as error:  # a bug: one line, not a traceback, and never "different"
        from cpsdiff.text.normalize import one_line

        sys.stderr.write(f"cpsdiff: internal error: {type(error).__name__}: {one_line(str(error))}\n")
        status = ExitStatus.TROUBLE
    if status == ExitStatus.INTERRUPTED:
        sys.stderr.write("cpsdiff: interrupted\n")
    if status in (ExitStatus.SAME, ExitStatus.DIFFERENT) and reader_gone():
        silence_stdout()
        status = ExitStatus.TROUBLE
    sys.exit(int(status or 0))
