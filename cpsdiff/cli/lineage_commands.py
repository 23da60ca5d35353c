"""The lineage command (a corpus, from files or a store) and blame (one version against the others).

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

import os
import sys
from typing import Annotated, Optional

import typer

from cpsdiff.cli.common import check_format, collector_paused, data_output, fail, one_of, open_store, output_form, read_stdin, show_view, write_report
from cpsdiff.cli.options import (
    REPORT_FORMATS, ColorOption, CsvOption, EncodingOption, EngineOption, FormatOption, OrderOption, OutputOption,
    PagerOption, QuietOption, RulesOption, SchedulerOption, TsvOption,
)
from cpsdiff.errors import CpsdiffError, ExitStatus, InputError
from cpsdiff.render.output import ColorMode


ORDER_LINES = 30


def _report_order(lineage, quiet: bool, say=None) -> None:
    """Which chronology was used and why: for people, on stderr (through ``say``, above a
    progress bar)."""
    if quiet:
        return
    from cpsdiff.lineage.results import METHODS
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

    versions = read_corpus(paths, read_stdin, encoding)
    return lineage(versions, OrderMode(order), load_rules(rules or ()))


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
        write_report(form, "lineage", out, result, families)
    else:
        from cpsdiff.render.lineage_view import View, render_lineage
        from cpsdiff.render.output import terminal_width, use_color

        terminal = View(use_color(view.color, out), terminal_width(out), view.show_all)
        show_view(render_lineage(result, families, terminal), out, view.pager)


def _lineage_from_store(db, order, engine, scheduler, keep, view: _LineageView) -> None:
    from cpsdiff.cli.progress import progress_bar
    from cpsdiff.lineage.chronology import OrderMode
    from cpsdiff.store.engines import make_engine
    from cpsdiff.store.lineage import store_lineage

    try:
        runner = make_engine(engine, scheduler, aside=True)  # its SQL comes first: a cluster may start meanwhile
        try:
            with open_store(db) as store, progress_bar("lineage", "families", view.form != "quiet") as bar:
                run = store_lineage(store, OrderMode(order), bar.update, runner)
                status = _finish_lineage(run, keep, view, bar)
        finally:
            runner.close()
    except CpsdiffError as error:
        raise fail(str(error)) from None
    raise typer.Exit(status)


def _store_named(db: str | None) -> str | None:
    """The store a reading command uses: --db, else $CPSDIFF_DB, else none."""
    return db or os.environ.get("CPSDIFF_DB") or None


def lineage_command(
    paths: Annotated[Optional[list[str]], typer.Argument(metavar="[PATHS]...", help="Files (text, HTML, JSON Lines), directories, globs, http(s) URLs; - for stdin.")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help="Read the corpus from this store (see cpsdiff ingest) instead of PATHS; without PATHS, default $CPSDIFF_DB.")] = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    order: OrderOption = "auto",
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.lineage/2).")] = False,
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
    check_format(report)
    one_of(json=json_out, jsonl=jsonl, csv=csv_out, tsv=tsv_out, format=bool(report), quiet=quiet)
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
    from cpsdiff.lineage.family_work import FamilyFilter

    keep = FamilyFilter(min_appearances, role, drift_only)
    with data_output(None if quiet else output) as out:
        view = _LineageView(output_form(json_out, jsonl, csv_out, tsv_out, report=report, quiet=quiet), color, show_all,
                            pager, out)
        if store:
            return _lineage_from_store(store, order, engine, scheduler, keep, view)
        with collector_paused():
            try:
                result = _load_lineage(paths, order, rules, encoding)
            except CpsdiffError as error:
                raise fail(str(error)) from None
            raise typer.Exit(_finish_lineage(result.run(), keep, view))


def blame_command(
    doc: Annotated[str, typer.Argument(metavar="DOC", help="The version to annotate: a file, a URL, -, or with --db a stored version's source (corpus.jsonl:12).")],
    others: Annotated[Optional[list[str]], typer.Argument(metavar="[PATHS]...", help="Earlier or related versions.")] = None,
    against: Annotated[Optional[list[str]], typer.Option("--against", metavar="PATHS", help="Earlier or related versions (repeatable; files, directories, globs).")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help="Also take earlier and related versions from this store (default $CPSDIFF_DB); DOC may name a stored version (its source, e.g. corpus.jsonl:12).")] = None,
    order: OrderOption = "auto",
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.blame/3).")] = False,
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
    check_format(report)
    one_of(json=json_out, format=bool(report), quiet=quiet)
    if order not in ("auto", "given", "time"):
        raise fail(f"--order must be auto, given or time, not {order!r}")
    with data_output(None if quiet else output) as out, collector_paused():
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
            write_report(report, "blame", out, result)
        elif json_out:
            from cpsdiff.render.json_lineage import write_blame_json

            write_blame_json(result, out)
        elif not quiet:
            from cpsdiff.render.lineage_view import View, render_blame
            from cpsdiff.render.output import terminal_width, use_color

            show_view(render_blame(result, View(use_color(color, out), terminal_width(out))), out, pager)
        out.flush()
        raise typer.Exit(ExitStatus.SAME if result.unchanged else ExitStatus.DIFFERENT)


def _blame_versions(doc: str, others: list[str], db: str | None, order: str, rules, encoding):
    """DOC's lineage for blame: DOC (a file, or a stored version's source), the versions given
    and, with a store, the related versions in it. (lineage, DOC's id, the rules)"""
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.inputs.corpus import read_corpus
    from cpsdiff.lineage.chronology import OrderMode
    from cpsdiff.lineage.trace import lineage

    store = open_store(db) if db else None
    stored_doc = store.find(doc) if store and not os.path.exists(doc) else None
    targets = [store.version_of(stored_doc)] if stored_doc else read_corpus([doc], read_stdin, encoding)
    if len(targets) != 1:
        raise InputError(f"{doc}: holds {len(targets)} versions; blame needs one")
    context = read_corpus(others, read_stdin, encoding) if others else []
    rule_set = load_rules(rules or ())
    if store:
        from cpsdiff.store.lineage import related_versions

        context += related_versions(store, targets[0], rule_set)
        store.close()
    # DOC last: with --order given (and on ties) it is the newest version.
    seen = {targets[0].id}
    versions = [v for v in context if v.id not in seen and not seen.add(v.id)] + targets
    return lineage(versions, OrderMode(order), rule_set), targets[0].id, rule_set
