"""Command line: parse arguments, call the library, render, map errors to exit statuses.

No `from __future__ import annotations` here: typer would have to eval every annotation
string at start-up (about 10 ms).
"""

import errno
import gc
import io
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer import Abort, TyperException

from cpsdiff import __version__
from cpsdiff.errors import CpsdiffError, ExitStatus, InputError
from cpsdiff.render.output import BoilerplateMode, ColorMode

_DB_HELP = "SQLite corpus store (default: $CPSDIFF_DB, else ./cpsdiff.db)."
_ENGINE_HELP = "Where to run the heavy steps: local (a worker process per core) or dask (needs cpsdiff[dask])."
_SCHEDULER_HELP = "With --engine dask: a scheduler address (tcp://host:8786); default: a LocalCluster."
_ORDER_HELP = "Chronology: auto (timestamps if every version has one, else inferred from the text), given, time."

ColorOption = Annotated[ColorMode, typer.Option(metavar="auto|always|never", help="Colour: auto (terminal, no NO_COLOR), always, never.")]
RulesOption = Annotated[Optional[list[Path]], typer.Option("--rules", metavar="FILE", help="Extra boilerplate rules (TOML); repeatable.")]
EncodingOption = Annotated[Optional[str], typer.Option(metavar="NAME", help="Encoding of inputs without a BOM (default UTF-8).")]
PagerOption = Annotated[Optional[bool], typer.Option("--pager/--no-pager", help="Page terminal output (default: when taller than the terminal).")]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing; report by exit status.")]
OrderOption = Annotated[str, typer.Option(metavar="auto|given|time", help=_ORDER_HELP, autocompletion=lambda: ["auto", "given", "time"])]
EngineOption = Annotated[str, typer.Option(metavar="local|dask", help=_ENGINE_HELP, autocompletion=lambda: ["local", "dask"])]
SchedulerOption = Annotated[Optional[str], typer.Option(metavar="ADDRESS", help=_SCHEDULER_HELP)]
FormatOption = Annotated[Optional[str], typer.Option("--format", metavar="html|markdown", help="A report instead of the terminal view: html (one self-contained page) or markdown.", autocompletion=lambda: list(REPORT_FORMATS))]
OutputOption = Annotated[Optional[str], typer.Option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout; FILE is replaced only when the command finishes.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="A table, one row per item (CSV, RFC 4180); columns in the README.")]
TsvOption = Annotated[bool, typer.Option("--tsv", help="The same table as tab-separated values (tabs and line breaks escaped).")]
BoilerplateOption = Annotated[BoilerplateMode, typer.Option(help="Site chrome: show, dim or hide (views and reports).", metavar="show|dim|hide")]
ContextOption = Annotated[
    Optional[str],
    typer.Option(metavar="N|all", help="Unchanged paragraphs shown around each change (default 1; all: every one); the rest are folded and counted.",
                 autocompletion=lambda: ["0", "1", "2", "3", "all"]),
]
REPORT_FORMATS = ("html", "markdown")


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


def _read_stdin() -> bytes:
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


def _check_format(report: str | None) -> None:
    if report is not None and report not in REPORT_FORMATS:
        raise fail(f"--format must be html or markdown, not {report!r}")


def _one_of(**chosen: bool) -> None:
    """At most one output form; the names as the options are spelled."""
    if sum(map(bool, chosen.values())) > 1:
        names = [("-" if len(n) == 1 else "--") + n.replace("_", "-") for n in chosen]
        raise fail(f"choose one of {', '.join(names[:-1])} and {names[-1]}")


def _context(value: str | None) -> int | None:
    from cpsdiff.render.folding import parse_context

    try:
        return parse_context(value)
    except ValueError as error:
        raise fail(str(error)) from None


@contextmanager
def _output(path: str | None):
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


def _write_report(report: str, view: str, out, *args, **options) -> None:
    """An HTML page or Markdown for ``view`` (compare, lineage or blame)."""
    if report == "html":
        from cpsdiff.render import html_report as module
    else:
        from cpsdiff.render import markdown_report as module
    _write_text(getattr(module, f"{view}_{report}")(*args, **options), out)


def _show(text: str, out, pager: bool | None) -> None:
    """The terminal view: through the pager only on the terminal itself, never into -o FILE."""
    from cpsdiff.render.output import show

    show(text, out, pager if out is sys.stdout else False)


class _View:
    """How compare's result is written: the output form (json, jsonl, csv, tsv, stat, html,
    markdown, view or quiet) and the terminal view's settings. (A plain class: a dataclass
    would cost start-up.)"""

    def __init__(self, form: str, boilerplate: BoilerplateMode, context: int | None, color: ColorMode,
                 pager: bool | None, verbose: bool = False):
        self.form, self.boilerplate, self.context = form, boilerplate, context
        self.color, self.pager, self.verbose = color, pager, verbose


def _form(json_out=False, jsonl=False, csv_out=False, tsv_out=False, stat=False, report=None, quiet=False) -> str:
    for name, chosen in (("json", json_out), ("jsonl", jsonl), ("csv", csv_out), ("tsv", tsv_out), ("stat", stat),
                         ("quiet", quiet)):
        if chosen:
            return name
    return report or "view"


def _write_comparison(result, view: _View, out) -> None:
    form = view.form
    if form in ("json", "jsonl"):
        from cpsdiff.render.json_compare import write_json, write_jsonl

        (write_json if form == "json" else write_jsonl)(result, out)
    elif form in ("csv", "tsv"):
        from cpsdiff.render.table import COMPARE_COLUMNS, compare_rows, write_table

        write_table(COMPARE_COLUMNS, compare_rows(result), out, tsv=form == "tsv")
    elif form in REPORT_FORMATS:
        _write_report(form, "compare", out, result, context=view.context, boilerplate=view.boilerplate)
    elif form == "quiet":
        return
    elif result.identical:  # like diff: nothing to show; -v says so
        if view.verbose:
            out.write(f"{result.old.source} and {result.new.source} are identical\n")
    elif form == "stat":
        from cpsdiff.render.output import use_color
        from cpsdiff.render.stat import render_stat

        out.write(render_stat(result, use_color(view.color, out)))
    else:
        from cpsdiff.render.compare_view import Options, render
        from cpsdiff.render.output import terminal_width, use_color

        options = Options(use_color(view.color, out), terminal_width(out), view.boilerplate, view.context)
        _show(render(result, options), out, view.pager)
    out.flush()


def _compare_documents(sources, rules):
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.diff.comparison import compare
    from cpsdiff.text.segment import parse_document

    rule_set = load_rules(rules or ())
    return compare(*(parse_document(s.text, s.name, s.hints) for s in sources), rule_set)


@app.command("compare")
def compare_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Earlier version: a text or HTML file, an http(s) URL, or - for stdin.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Later version: a text or HTML file, an http(s) URL, or - for stdin.")],
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.compare/1).")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON change record per line.")] = False,
    csv_out: CsvOption = False,
    tsv_out: TsvOption = False,
    stat: Annotated[bool, typer.Option("--stat", help="Only the summary: counts and a words bar.")] = False,
    quiet: QuietOption = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Say so when the versions are identical (otherwise nothing is printed).")] = False,
    boilerplate: BoilerplateOption = BoilerplateMode.SHOW,
    context: ContextOption = None,
    label: Annotated[Optional[list[str]], typer.Option("-L", "--label", metavar="NAME", help="Name OLD, then NEW, in the output instead of their paths (as diff -L); repeatable.")] = None,
    output: OutputOption = None,
    color: ColorOption = ColorMode.AUTO,
    rules: RulesOption = None,
    encoding: EncodingOption = None,
    pager: PagerOption = None,
    report: FormatOption = None,
) -> None:
    """Compare two versions of a story: what is new, carried, edited, moved, merged or split.

    Identical versions print nothing (-v says so). Exit status: 0 identical, 1 different, 2 trouble.
    """
    from cpsdiff.inputs.loading import STDIN, read_source

    _check_format(report)
    _one_of(json=json_out, jsonl=jsonl, csv=csv_out, tsv=tsv_out, stat=stat, format=bool(report), quiet=quiet)
    _one_of(quiet=quiet, verbose=verbose)
    labels = label or []
    if len(labels) > 2:
        raise fail("--label names OLD and NEW: give it at most twice")
    view = _View(_form(json_out, jsonl, csv_out, tsv_out, stat, report, quiet), boilerplate, _context(context), color,
                 pager, verbose)
    with _output(None if quiet else output) as out:
        try:
            if old == STDIN and new == STDIN:
                raise InputError("only one of OLD and NEW can be - (stdin)")
            sources = [read_source(path, _read_stdin, encoding) for path in (old, new)]
            if labels:
                from dataclasses import replace

                sources = [replace(s, name=name) for s, name in zip(sources, labels)] + sources[len(labels):]
            result = _compare_documents(sources, rules)
        except CpsdiffError as error:
            raise fail(str(error)) from None
        _write_comparison(result, view, out)
    raise typer.Exit(ExitStatus.SAME if result.identical else ExitStatus.DIFFERENT)


@app.command(
    "git-diff",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
def git_diff_command(
    args: Annotated[list[str], typer.Argument(metavar="PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE", help="What git gives an external diff.")],
    boilerplate: BoilerplateOption = BoilerplateMode.SHOW,
    context: ContextOption = None,
    color: ColorOption = ColorMode.AUTO,
    rules: RulesOption = None,
    encoding: EncodingOption = None,
) -> None:
    """git's external diff driver: GIT_EXTERNAL_DIFF=cpsdiff git diff (see the README, *git*).

    Always exit 0 so that git goes on to the next file; 2 only for trouble writing.
    """
    from cpsdiff.cli import gitdiff

    try:
        call = gitdiff.parse_call(args)
    except CpsdiffError as error:
        raise fail(str(error)) from None
    if call.unmerged:
        sys.stdout.write(f"* Unmerged path {call.path}\n")
        raise typer.Exit(ExitStatus.SAME)
    view = _View("view", boilerplate, _context(context), gitdiff.color_under_git(color), False)
    try:
        sides = [gitdiff.read_side(name) for name in (call.old_file, call.new_file)]
        if any(map(gitdiff.is_binary, sides)):
            sys.stdout.write(f"Binary files {call.old_label} and {call.new_label} differ\n")
            raise typer.Exit(ExitStatus.SAME)
        result = _compare_documents([gitdiff.side_source(data, name, encoding) for data, name in
                                     zip(sides, (call.old_label, call.new_label))], rules)
    except CpsdiffError as error:
        from cpsdiff.text.normalize import one_line

        # one file that cannot be compared must not stop git's diff of the others
        sys.stderr.write(f"cpsdiff: error: {one_line(str(error))}\n")
        raise typer.Exit(ExitStatus.SAME) from None
    _write_comparison(result, view, sys.stdout)
    raise typer.Exit(ExitStatus.SAME)


ORDER_LINES = 30


def _report_order(lineage, quiet: bool, say=None) -> None:
    """Which chronology was used and why: for people, on stderr (through ``say``, above a
    progress bar)."""
    if quiet:
        return
    from cpsdiff.lineage.trace import METHODS
    from cpsdiff.text.normalize import one_line

    say = say or sys.stderr.write
    shown = lineage.versions if len(lineage.versions) <= ORDER_LINES else lineage.versions[: ORDER_LINES - 1]
    lines = [f"cpsdiff: order {METHODS[lineage.method]}:\n"]
    lines += [f"  {info.position + 1}. {one_line(info.id)}: {one_line(info.reason)}\n" for info in shown]
    if len(shown) < len(lineage.versions):
        lines.append(f"  … and {len(lineage.versions) - len(shown)} more (the JSON output lists them all)\n")
    say("".join(lines))


def _load_lineage(paths, order, rules, encoding):
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.inputs.corpus import read_corpus
    from cpsdiff.lineage.chronology import OrderMode
    from cpsdiff.lineage.trace import lineage

    versions = read_corpus(paths, _read_stdin, encoding)
    return lineage(versions, OrderMode(order), load_rules(rules or ()))


def _family_filter(min_appearances: int, role: str, drift_only: bool):
    def keep(family) -> bool:
        return (
            len({a.version for a in family.appearances}) >= min_appearances
            and (role == "all" or family.role == role)
            and bool(family.drift or not drift_only)
        )

    return keep


class _LineageView:
    """How a lineage is written: the output form (json, jsonl, csv, tsv, html, markdown, view
    or quiet), the terminal view's settings and where (stdout or -o FILE)."""

    def __init__(self, form: str, color: ColorMode, show_all: bool, pager: bool | None, out):
        self.form, self.color, self.show_all, self.pager, self.out = form, color, show_all, pager, out


def _finish_lineage(run, keep, view: _LineageView, bar=None) -> ExitStatus:
    """Say the order, write a lineage (streamed from a store or held in memory) as JSON, JSON
    Lines, a table, a report or a view, and give the exit status. ``bar``: the progress bar
    running, if any."""
    from cpsdiff.cli.progress import Silent

    bar = bar or Silent()
    _report_order(run, view.form == "quiet", bar.say)
    if view.form != "quiet":
        _emit_lineage(run, keep, view, view.out, bar)
    return ExitStatus.SAME if run.identical else ExitStatus.DIFFERENT


def _emit_lineage(run, keep, view: _LineageView, out, bar) -> None:
    from cpsdiff.render.output import is_tty

    form = view.form
    if form in ("json", "jsonl", "csv", "tsv"):  # streamed, family by family
        if is_tty(out):  # the bar would be drawn over the output
            bar.close()
        if form in ("csv", "tsv"):
            from cpsdiff.render.table import LINEAGE_COLUMNS, lineage_rows, write_table

            write_table(LINEAGE_COLUMNS, lineage_rows(run, keep), out, tsv=form == "tsv")
        else:
            from cpsdiff.render.json_lineage import write_lineage_json, write_lineage_jsonl

            (write_lineage_json if form == "json" else write_lineage_jsonl)(run, keep, out)
        out.flush()
        return
    from cpsdiff.store.lineage import materialise

    result = materialise(run)  # a report and the terminal view need every family at once
    bar.close()  # before the output and the pager take the terminal
    families = [f for f in result.families if keep(f)]
    if form in REPORT_FORMATS:
        _write_report(form, "lineage", out, result, families)
    else:
        from cpsdiff.render.lineage_view import View, render_lineage
        from cpsdiff.render.output import terminal_width, use_color

        terminal = View(use_color(view.color, out), terminal_width(out), view.show_all)
        _show(render_lineage(result, families, terminal), out, view.pager)


def _lineage_from_store(db, order, engine, scheduler, keep, view: _LineageView) -> None:
    from functools import partial

    from cpsdiff.cli.progress import progress_bar
    from cpsdiff.lineage.chronology import OrderMode
    from cpsdiff.store.engines import make_engine
    from cpsdiff.store.lineage import parallel_verify, store_lineage

    try:
        runner = make_engine(engine, scheduler)
        try:
            with _open_store(db) as store, progress_bar("lineage", "families", view.form != "quiet") as bar:
                verify = partial(parallel_verify, runner)
                run = store_lineage(store, OrderMode(order), bar.update, verify)
                status = _finish_lineage(run, keep, view, bar)
        finally:
            runner.close()
    except CpsdiffError as error:
        raise fail(str(error)) from None
    raise typer.Exit(status)


def _store_named(db: str | None) -> str | None:
    """The store a reading command uses: --db, else $CPSDIFF_DB, else none."""
    return db or os.environ.get("CPSDIFF_DB") or None


@app.command("lineage")
def lineage_command(
    paths: Annotated[Optional[list[str]], typer.Argument(metavar="[PATHS]...", help="Files (text, HTML, JSON Lines), directories, globs, http(s) URLs; - for stdin.")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help="Read the corpus from this store (see cpsdiff ingest) instead of PATHS; without PATHS, default $CPSDIFF_DB.")] = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    order: OrderOption = "auto",
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.lineage/1).")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON family per line.")] = False,
    csv_out: CsvOption = False,
    tsv_out: TsvOption = False,
    quiet: QuietOption = False,
    min_appearances: Annotated[int, typer.Option(min=1, metavar="N", help="Only families seen in at least N versions.")] = 1,
    role: Annotated[str, typer.Option(metavar="all|reporting|boilerplate", help="Only families of this role.", autocompletion=lambda: ["all", "reporting", "boilerplate"])] = "all",
    drift_only: Annotated[bool, typer.Option("--drift-only", help="Only families whose quoted words drifted.")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Terminal: list every family, not only those that changed.")] = False,
    output: OutputOption = None,
    color: ColorOption = ColorMode.AUTO,
    rules: RulesOption = None,
    encoding: EncodingOption = None,
    pager: PagerOption = None,
    report: FormatOption = None,
) -> None:
    """Where every sentence of a corpus first appeared, how it changed, where it was reused.

    Exit status: 0 all versions identical, 1 they differ, 2 trouble.
    """
    _check_format(report)
    _one_of(json=json_out, jsonl=jsonl, csv=csv_out, tsv=tsv_out, format=bool(report), quiet=quiet)
    if order not in ("auto", "given", "time"):
        raise fail(f"--order must be auto, given or time, not {order!r}")
    if role not in ("all", "reporting", "boilerplate"):
        raise fail(f"--role must be all, reporting or boilerplate, not {role!r}")
    if paths and db:
        raise fail("give PATHS or --db FILE (one of them)")
    store = None if paths else _store_named(db)
    if not paths and not store:
        raise fail("give PATHS, or --db FILE (or set CPSDIFF_DB) to read a store")
    if store and (rules or encoding):
        raise fail("--rules and --encoding apply when versions are read: give them to cpsdiff ingest")
    keep = _family_filter(min_appearances, role, drift_only)
    with _output(None if quiet else output) as out:
        view = _LineageView(_form(json_out, jsonl, csv_out, tsv_out, report=report, quiet=quiet), color, show_all,
                            pager, out)
        if store:
            return _lineage_from_store(store, order, engine, scheduler, keep, view)
        try:
            result = _load_lineage(paths, order, rules, encoding)
        except CpsdiffError as error:
            raise fail(str(error)) from None
        raise typer.Exit(_finish_lineage(result.run(), keep, view))


@app.command("blame")
def blame_command(
    doc: Annotated[str, typer.Argument(metavar="DOC", help="The version to annotate: a file, a URL, -, or with --db a stored version's source (corpus.jsonl:12).")],
    others: Annotated[Optional[list[str]], typer.Argument(metavar="[PATHS]...", help="Earlier or related versions.")] = None,
    against: Annotated[Optional[list[str]], typer.Option("--against", metavar="PATHS", help="Earlier or related versions (repeatable; files, directories, globs).")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help="Also take earlier and related versions from this store (default $CPSDIFF_DB); DOC may name a stored version (its source, e.g. corpus.jsonl:12).")] = None,
    order: OrderOption = "auto",
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.blame/2).")] = False,
    quiet: QuietOption = False,
    output: OutputOption = None,
    color: ColorOption = ColorMode.AUTO,
    rules: RulesOption = None,
    encoding: EncodingOption = None,
    pager: PagerOption = None,
    report: FormatOption = None,
) -> None:
    """Like git blame for an article: where each paragraph and sentence of DOC first appeared.

    Exit status: 0 DOC has nothing new or edited, 1 it has, 2 trouble.
    """
    _check_format(report)
    _one_of(json=json_out, format=bool(report), quiet=quiet)
    if order not in ("auto", "given", "time"):
        raise fail(f"--order must be auto, given or time, not {order!r}")
    with _output(None if quiet else output) as out:
        try:
            result_lineage, target_id, rule_set = _blame_versions(doc, [*(others or ()), *(against or ())],
                                                                  _store_named(db), order, rules, encoding)
        except CpsdiffError as error:
            raise fail(str(error)) from None
        from cpsdiff.lineage.blame import blame

        target = next(v.position for v in result_lineage.versions if v.id == target_id)
        result = blame(result_lineage, target, rule_set)
        _report_order(result_lineage, quiet)
        if report:
            _write_report(report, "blame", out, result)
        elif json_out:
            from cpsdiff.render.json_lineage import write_blame_json

            write_blame_json(result, out)
        elif not quiet:
            from cpsdiff.render.lineage_view import View, render_blame
            from cpsdiff.render.output import terminal_width, use_color

            _show(render_blame(result, View(use_color(color, out), terminal_width(out))), out, pager)
        out.flush()
        raise typer.Exit(ExitStatus.SAME if result.unchanged else ExitStatus.DIFFERENT)


def _blame_versions(doc: str, others: list[str], db: str | None, order: str, rules, encoding):
    """DOC's lineage for blame: DOC (a file, or a stored version's source), the versions given
    and, with a store, the related versions in it. (lineage, DOC's id, the rules)"""
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.inputs.corpus import read_corpus
    from cpsdiff.lineage.chronology import OrderMode
    from cpsdiff.lineage.trace import lineage

    store = _open_store(db) if db else None
    stored_doc = store.find(doc) if store and not os.path.exists(doc) else None
    targets = [store.version_of(stored_doc)] if stored_doc else read_corpus([doc], _read_stdin, encoding)
    if len(targets) != 1:
        raise InputError(f"{doc}: holds {len(targets)} versions; blame needs one")
    context = read_corpus(others, _read_stdin, encoding) if others else []
    rule_set = load_rules(rules or ())
    if store:
        from cpsdiff.store.lineage import related_versions

        context += related_versions(store, targets[0], rule_set)
        store.close()
    # DOC last: with --order given (and on ties) it is the newest version.
    seen = {targets[0].id}
    versions = [v for v in context if v.id not in seen and not seen.add(v.id)] + targets
    return lineage(versions, OrderMode(order), rule_set), targets[0].id, rule_set


def _open_store(path: str):
    """The store at ``path``, opened read-only: it must exist, and reading changes nothing."""
    from cpsdiff.store.versions import Store

    return Store(path, read_only=True)


def _db_path(db: str | None) -> str:
    from cpsdiff.store.versions import DEFAULT_DB

    path = db or os.environ.get("CPSDIFF_DB") or DEFAULT_DB
    if path == ":memory:":  # SQLite's name for a store that is gone when the run ends
        raise fail(f"{path}: a store in memory keeps nothing after the run; give a file")
    return path


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(metavar="PATHS...", help="Files (text, HTML, JSON Lines), directories, globs, http(s) URLs; - for stdin.")],
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=_DB_HELP)] = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar or summary.")] = False,
    rules: RulesOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Add versions to the store. The same version twice adds nothing; an interrupted ingest
    keeps every finished batch, and running it again completes the work.

    Exit status: 0 done, 2 trouble.
    """
    from cpsdiff.cli.progress import progress_bar
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.inputs.corpus import iter_corpus
    from cpsdiff.store.engines import make_engine
    from cpsdiff.store.ingest import ingest
    from cpsdiff.store.versions import Store

    path = _db_path(db)
    try:
        rule_set = load_rules(rules or ())
        runner = make_engine(engine, scheduler)
        try:
            with Store(path) as store, progress_bar("ingest", "versions", not quiet) as bar:
                _note_upgrade(store, quiet)
                report = ingest(
                    store, iter_corpus(paths, _read_stdin, encoding), rule_set, runner,
                    progress=lambda read, added: bar.update(read),
                )
        finally:
            runner.close()
    except CpsdiffError as error:
        raise fail(str(error)) from None
    if not quiet:
        rate = report.rate
        rate_shown = "" if rate is None else f", {rate:,.0f} versions/s" if rate >= 10 else f", {rate:.2g} versions/s"
        sys.stderr.write(
            f"cpsdiff: {path}: {report.added} {'version' if report.added == 1 else 'versions'} added, {report.skipped} already there "
            f"({report.read} read in {report.seconds:.1f} s{rate_shown})\n"
        )
    raise typer.Exit(ExitStatus.SAME)


@app.command("track")
def track_command(
    urls: Annotated[Optional[list[str]], typer.Argument(metavar="[URLS]...", help="Article pages to watch (http or https).")] = None,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", metavar="URL", help="Also watch every article of this RSS or Atom feed (repeatable).")] = None,
    url_list: Annotated[Optional[list[str]], typer.Option("--urls", metavar="FILE", help="Also watch the URLs in FILE, one per line (# comments, blank lines); - for stdin. Repeatable.")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=_DB_HELP)] = None,
    report_dir: Annotated[Optional[str], typer.Option("--report-dir", metavar="DIR", help="Write the HTML report of each change into DIR (made if missing).")] = None,
    delay: Annotated[Optional[str], typer.Option("--delay", metavar="SECONDS", envvar="CPSDIFF_DELAY", help="Pause between two requests to the same host (default 1).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON record per URL (schema cpsdiff.track/1), unchanged ones too.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Also list unchanged pages.")] = False,
    quiet: QuietOption = False,
    output: OutputOption = None,
    rules: RulesOption = None,
) -> None:
    """Fetch articles and store a new version only when the text changed; one line per change
    (for cron: silent when nothing changed). Pages are asked for conditionally and compressed,
    one request at a time per host.

    Exit status: 0 nothing changed, 1 a page is new or changed, 2 trouble (some page failed).
    """
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.store.versions import Store
    from cpsdiff.watch.track import track
    from cpsdiff.web.fetch import is_url

    try:
        listed = _listed_urls(url_list or ())
    except CpsdiffError as error:
        raise fail(str(error)) from None
    urls = [*(urls or ()), *listed]
    if not urls and not feed:
        raise fail("give URLs to watch, --urls FILE or --feed URL")
    bad = next((u for u in [*urls, *(feed or ())] if not is_url(u)), None)
    if bad:
        raise fail(f"{bad}: not an http(s) URL")
    if json_out and quiet:
        raise fail("choose one of --json and --quiet")
    pause = _delay(delay)
    path = _db_path(db)
    changed = failed = False
    try:
        rule_set = load_rules(rules or ())
        folder = _report_folder(report_dir)
        with _output(None if quiet else output) as out, Store(path) as store:
            _note_upgrade(store, quiet)
            for result in track(store, urls, feed or (), rule_set, delay=pause, report_dir=folder):
                changed |= result.status in ("new", "changed")
                failed |= result.status == "error"
                _report_tracked(result, json_out, verbose, quiet, out)
    except CpsdiffError as error:
        raise fail(str(error)) from None
    raise typer.Exit(ExitStatus.TROUBLE if failed else ExitStatus.DIFFERENT if changed else ExitStatus.SAME)


def _listed_urls(files) -> list[str]:
    from cpsdiff.inputs.loading import read_bytes
    from cpsdiff.watch.track import read_url_list

    urls = []
    for name in files:
        data = read_bytes(name, _read_stdin)
        shown = "<stdin>" if name == "-" else name
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(f"{shown}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None
        urls += read_url_list(text, shown)
    return urls


def _delay(given: str | None) -> float:
    import math

    from cpsdiff.watch.track import DEFAULT_DELAY, MAX_DELAY

    if given is None or not given.strip():
        return DEFAULT_DELAY
    try:
        seconds = float(given)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 <= seconds <= MAX_DELAY):
        raise fail(f"--delay must be a number of seconds from 0 to {MAX_DELAY:.0f}, not {given!r}")
    return seconds


def _report_folder(folder: str | None) -> str | None:
    if folder is None:
        return None
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot make the report folder ({error.strerror or error})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: cannot write reports there (permission denied)")
    return folder


def _note_upgrade(store, quiet: bool) -> None:
    if store.upgraded is not None and not quiet:
        from cpsdiff.store.schema import SCHEMA_VERSION
        from cpsdiff.text.normalize import one_line

        sys.stderr.write(f"cpsdiff: {one_line(store.path)}: store upgraded to schema {SCHEMA_VERSION} "
                         f"({store.upgraded} normalised keys recomputed)\n")


@app.command("reextract")
def reextract_command(
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=_DB_HELP)] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Also list versions that read the same.")] = False,
    quiet: QuietOption = False,
    rules: RulesOption = None,
) -> None:
    """Extract every raw page archived by track again, with this release's extractor and
    rules; versions that read differently are rewritten in place (same story, number and time)
    and their stories' change records recounted. Also upgrades an older store.

    Exit status: 0 nothing read differently, 1 some version was rewritten, 2 trouble.
    """
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.store.versions import Store
    from cpsdiff.text.normalize import one_line, visible
    from cpsdiff.watch.reextract import reextract

    path = _db_path(db)
    changed = failed = False
    try:
        rule_set = load_rules(rules or ())
        with Store(path) as store:
            _note_upgrade(store, quiet)
            for item in reextract(store, rule_set):
                changed |= item.status == "changed"
                failed |= item.status == "error"
                if item.status == "error":
                    sys.stderr.write(f"cpsdiff: error: {one_line(item.error)}\n")
                elif not quiet and (item.status == "changed" or verbose):
                    what = (f"{item.paragraphs_before} → {item.paragraphs_after} paragraphs" if item.status == "changed"
                            else "reads the same")
                    sys.stdout.write(f"{item.status:<9} {visible(item.url)} v{item.version}: {what}\n")
                    sys.stdout.flush()
    except CpsdiffError as error:
        raise fail(str(error)) from None
    raise typer.Exit(ExitStatus.TROUBLE if failed else ExitStatus.DIFFERENT if changed else ExitStatus.SAME)


def _report_tracked(result, json_out: bool, verbose: bool, quiet: bool, out) -> None:
    from cpsdiff.text.normalize import one_line

    if result.status == "error":
        sys.stderr.write(f"cpsdiff: error: {one_line(result.error)}\n")
    if json_out:
        from cpsdiff.render.json_compare import tracked_record, unicode_ok

        out.write(tracked_record(result, ascii_only=not unicode_ok(out)) + "\n")
    elif not quiet and (result.status in ("new", "changed") or (verbose and result.status == "unchanged")):
        from cpsdiff.render.summary_line import tracked_line

        out.write(tracked_line(result) + "\n")
    out.flush()


@app.command("stats")
def stats_command(
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=_DB_HELP)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.stats/1).")] = False,
    output: OutputOption = None,
) -> None:
    """Summarise the store: versions, stories, paragraphs, sentences, time span, size."""
    path = _db_path(db)
    with _output(output) as out:
        try:
            with _open_store(path) as store:
                stats = store.stats()
        except CpsdiffError as error:
            raise fail(str(error)) from None
        if json_out:
            from cpsdiff.render.json_compare import document_text

            out.write(document_text({"schema": "cpsdiff.stats/1", "db": path, **stats}, out))
        else:
            width = max(len(k) for k in stats)
            for key, value in stats.items():
                shown = ", ".join(f"{k} ({v})" for k, v in value) if isinstance(value, list) else value
                out.write(f"{key.replace('_', ' '):<{width}}  {shown}\n")
    raise typer.Exit(ExitStatus.SAME)


def _tolerant_stdout() -> None:
    """An ASCII or Latin-1 stdout must not crash on article text: JSON is written with \\u
    escapes there (see render_json), terminal text with replacement characters."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _silence_stdout() -> None:
    # The reader went away (`cpsdiff … | head`): stop writing, and don't fail again at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class _ClosedStdout(io.TextIOBase):
    """stdout when the process was started without one (`cpsdiff … >&-`): writing to it is an
    error, as writing to a closed descriptor is; a run that writes nothing (-q) is fine."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def _missing_streams() -> None:
    # Python sets sys.stdout or sys.stderr to None when its descriptor is closed; every write
    # would be an AttributeError (an internal error, or with no stderr a traceback and exit 1).
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # nowhere to say anything; the status still tells
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()


def main() -> None:
    """Entry point. Every failure exits 2 (trouble): nothing unexpected may exit 1 (different)."""
    _missing_streams()
    _tolerant_stdout()
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
            _silence_stdout()
            status = ExitStatus.TROUBLE
    except TyperException as error:  # usage errors: typer prints them, the status is ours
        error.show()
        status = ExitStatus.TROUBLE
    except (Abort, KeyboardInterrupt):  # (typer turns a Ctrl-C inside a command into status 130)
        status = ExitStatus.INTERRUPTED
    except OSError as error:  # a full disk, /dev/full; or the system refused a resource
        sys.stderr.write(f"cpsdiff: error: {_system_failure(error)}\n")
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
    if status in (ExitStatus.SAME, ExitStatus.DIFFERENT) and _reader_gone():
        _silence_stdout()
        status = ExitStatus.TROUBLE
    sys.exit(int(status or 0))


# What writing stdout fails with: a full disk or quota, a file too large, a closed descriptor, a
# terminal that hung up. Inputs and stores report their own errors; any other OSError that
# reaches main came from the system (too many open files, no memory for a process).
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO, errno.EPIPE})


def _system_failure(error: OSError) -> str:
    from cpsdiff.text.normalize import one_line

    reason = one_line(error.strerror or str(error))
    if error.errno in _OUTPUT_ERRNOS:
        return f"cannot write output: {reason}"
    if error.errno in (errno.EMFILE, errno.ENFILE):
        return f"{reason} (cpsdiff needs a few per worker process; see ulimit -n)"
    return reason


def _reader_gone() -> bool:
    """Whether stdout's reader went away before taking everything (`cpsdiff … | head`). A large
    write into a pipe whose reader closes half-way returns short instead of failing, so the
    pipe itself is asked: its write end reports an error once nobody can read it."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return True
    except (OSError, ValueError):
        return False
    try:
        import select
        import stat

        fd = sys.stdout.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False
