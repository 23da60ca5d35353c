"""The compare command, and git-diff (compare as git's external diff driver).

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

import sys
from typing import Annotated, Optional

import typer

from cpsdiff.cli.common import check_format, collector_paused, context_lines, data_output, fail, one_of, output_form, read_stdin, show_view, write_report
from cpsdiff.cli.options import (
    REPORT_FORMATS, BoilerplateOption, ColorOption, ContextOption, CsvOption, EncodingOption, FormatOption, OutputOption,
    PagerOption, QuietOption, RulesOption, TsvOption,
)
from cpsdiff.errors import CpsdiffError, ExitStatus, InputError
from cpsdiff.render.output import BoilerplateMode, ColorMode


class _View:
    """How compare's result is written: the output form (json, jsonl, csv, tsv, stat, html,
    markdown, view or quiet) and the terminal view's settings. (A plain class: a dataclass
    would cost start-up.)"""

    def __init__(self, form: str, boilerplate: BoilerplateMode, context: int | None, color: ColorMode,
                 pager: bool | None, verbose: bool = False):
        self.form, self.boilerplate, self.context = form, boilerplate, context
        self.color, self.pager, self.verbose = color, pager, verbose


def _write_comparison(result, view: _View, out) -> None:
    form = view.form
    if form in ("json", "jsonl"):
        from cpsdiff.render.json_compare import write_json, write_jsonl

        (write_json if form == "json" else write_jsonl)(result, out)
    elif form in ("csv", "tsv"):
        from cpsdiff.render.table import COMPARE_COLUMNS, compare_rows, write_table

        write_table(COMPARE_COLUMNS, compare_rows(result), out, tsv=form == "tsv")
    elif form in REPORT_FORMATS:
        write_report(form, "compare", out, result, context=view.context, boilerplate=view.boilerplate)
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
        show_view(render(result, options), out, view.pager)
    out.flush()


def _compare_documents(sources, rules):
    from cpsdiff.diff.boilerplate import load_rules
    from cpsdiff.diff.comparison import compare
    from cpsdiff.text.segment import parse_document

    rule_set = load_rules(rules or ())
    # with a second CPU, the reused spans of long texts are found while paragraphs are aligned
    return compare(*(parse_document(s.text, s.name, s.hints) for s in sources), rule_set, processes=None)


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

    check_format(report)
    one_of(json=json_out, jsonl=jsonl, csv=csv_out, tsv=tsv_out, stat=stat, format=bool(report), quiet=quiet)
    one_of(quiet=quiet, verbose=verbose)
    labels = label or []
    if len(labels) > 2:
        raise fail("--label names OLD and NEW: give it at most twice")
    view = _View(output_form(json_out, jsonl, csv_out, tsv_out, stat, report, quiet), boilerplate, context_lines(context), color,
                 pager, verbose)
    with data_output(None if quiet else output) as out, collector_paused():
        try:
            if old == STDIN and new == STDIN:
                raise InputError("only one of OLD and NEW can be - (stdin)")
            sources = [read_source(path, read_stdin, encoding) for path in (old, new)]
            if labels:
                from dataclasses import replace

                sources = [replace(s, name=name) for s, name in zip(sources, labels)] + sources[len(labels):]
            result = _compare_documents(sources, rules)
        except CpsdiffError as error:
            raise fail(str(error)) from None
        _write_comparison(result, view, out)
    raise typer.Exit(ExitStatus.SAME if result.identical else ExitStatus.DIFFERENT)


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
    view = _View("view", boilerplate, context_lines(context), gitdiff.color_under_git(color), False)
    with collector_paused():
        _git_diff(call, view, rules, encoding)
    raise typer.Exit(ExitStatus.SAME)


def _git_diff(call, view: _View, rules, encoding) -> None:
    """One file of git's diff: its comparison, or a line that says why there is none."""
    from cpsdiff.cli import gitdiff

    try:
        sides = [gitdiff.read_side(name) for name in (call.old_file, call.new_file)]
        if any(map(gitdiff.is_binary, sides)):
            sys.stdout.write(f"Binary files {call.old_label} and {call.new_label} differ\n")
            return
        result = _compare_documents([gitdiff.side_source(data, name, encoding) for data, name in
                                     zip(sides, (call.old_label, call.new_label))], rules)
    except CpsdiffError as error:
        from cpsdiff.text.normalize import one_line

        # one file that cannot be compared must not stop git's diff of the others
        sys.stderr.write(f"cpsdiff: error: {one_line(str(error))}\n")
        return
    _write_comparison(result, view, sys.stdout)
