"""What every command does alike: reading stdin, one-line errors (exit 2), checking exclusive
options, writing to stdout or -o FILE, reports and the terminal view, finding the store.
"""

import os
import sys
from contextlib import contextmanager

import typer

from cpsdiff.cli.options import REPORT_FORMATS
from cpsdiff.errors import CpsdiffError, ExitStatus, InputError


def read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None:
        return b""
    buffer = getattr(stream, "buffer", None)
    try:
        return buffer.read() if buffer is not None else stream.read().encode("utf-8")
    except OSError as error:  # opened for writing only, a terminal hung up: not an output error
        raise InputError(f"<stdin>: cannot read: {error.strerror or error}") from None


def fail(message: str) -> typer.Exit:
    from cpsdiff.text.normalize import one_line

    sys.stderr.write(f"cpsdiff: error: {one_line(message)}\n")
    return typer.Exit(ExitStatus.TROUBLE)


def check_format(report: str | None) -> None:
    if report is not None and report not in REPORT_FORMATS:
        raise fail(f"--format must be html or markdown, not {report!r}")


def one_of(**chosen: bool) -> None:
    """At most one output form; the names as the options are spelled."""
    if sum(map(bool, chosen.values())) > 1:
        names = [("-" if len(n) == 1 else "--") + n.replace("_", "-") for n in chosen]
        raise fail(f"choose one of {', '.join(names[:-1])} and {names[-1]}")


def context_lines(value: str | None) -> int | None:
    from cpsdiff.render.folding import parse_context

    try:
        return parse_context(value)
    except ValueError as error:
        raise fail(str(error)) from None


@contextmanager
def collector_paused():
    """No automatic garbage collection while a command works on input held in memory (compare,
    lineage of files, and blame: with --db it reads only the versions related to DOC). Their
    objects are freed by reference counting: a 1 MB rewrite and a 1,600-version lineage each
    left under 40 objects in cycles, yet the collector's scans of their young objects took 0.3 s
    of the rewrite's 3 s. The other store commands keep collecting: they stream for as long as
    the store is large, and Dask's event loop makes cycles."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def data_output(path: str | None):
    """Where the data goes (-o FILE, else stdout). Opened before the work, so that a FILE that
    cannot be written is one line and exit 2 at once; put in place when the block ends, or ends
    with the command's status 0 or 1."""
    if path is None or path == "-":
        yield sys.stdout
        return
    from cpsdiff.cli.outfile import output_to

    try:
        manager = output_to(path)
        out = manager.__enter__()
    except CpsdiffError as error:
        raise fail(str(error)) from None
    try:
        yield out
    except typer.Exit as done:
        if done.exit_code in (ExitStatus.SAME, ExitStatus.DIFFERENT):
            manager.__exit__(None, None, None)
        elif not manager.__exit__(*sys.exc_info()):
            raise
        raise
    except BaseException:
        if not manager.__exit__(*sys.exc_info()):
            raise
    else:
        manager.__exit__(None, None, None)


def _write_text(text: str, out) -> None:
    """A report: UTF-8 whatever the locale (a page that says charset=utf-8 is UTF-8)."""
    buffer = getattr(out, "buffer", None) if out is sys.stdout else None
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)
        out.flush()


def write_report(report: str, view: str, out, *args, **options) -> None:
    """An HTML page or Markdown for ``view`` (compare, lineage or blame)."""
    if report == "html":
        from cpsdiff.render import html_report as module
    else:
        from cpsdiff.render import markdown_report as module
    _write_text(getattr(module, f"{view}_{report}")(*args, **options), out)


def show_view(text: str, out, pager: bool | None) -> None:
    """The terminal view: through the pager only on the terminal itself, never into -o FILE."""
    from cpsdiff.render.output import show

    show(text, out, pager if out is sys.stdout else False)


def output_form(json_out=False, jsonl=False, csv_out=False, tsv_out=False, stat=False, report=None, quiet=False) -> str:
    for name, chosen in (("json", json_out), ("jsonl", jsonl), ("csv", csv_out), ("tsv", tsv_out), ("stat", stat),
                         ("quiet", quiet)):
        if chosen:
            return name
    return report or "view"


def open_store(path: str):
    """The store at ``path``, opened read-only: it must exist, and reading changes nothing."""
    from cpsdiff.store.versions import Store

    return Store(path, read_only=True)


def db_path(db: str | None) -> str:
    from cpsdiff.store.versions import DEFAULT_DB

    path = db or os.environ.get("CPSDIFF_DB") or DEFAULT_DB
    if path == ":memory:":  # SQLite's name for a store that is gone when the run ends
        raise fail(f"{path}: a store in memory keeps nothing after the run; give a file")
    return path


def note_upgrade(store, quiet: bool) -> None:
    if store.upgraded is not None and not quiet:
        from cpsdiff.store.schema import SCHEMA_VERSION
        from cpsdiff.text.normalize import one_line

        sys.stderr.write(f"cpsdiff: {one_line(store.path)}: store upgraded to schema {SCHEMA_VERSION} "
                         f"({store.upgraded} normalised keys recomputed)\n")
