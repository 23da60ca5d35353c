"""The store's commands: ingest (add versions) and stats (summarise it).

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

import sys
from typing import Annotated, Optional

import typer

from cpsdiff.cli.common import data_output, db_path, fail, note_upgrade, open_store, read_stdin
from cpsdiff.cli.options import DB_HELP, EncodingOption, EngineOption, OutputOption, RulesOption, SchedulerOption
from cpsdiff.errors import CpsdiffError, ExitStatus


def ingest_command(
    paths: Annotated[list[str], typer.Argument(metavar="PATHS...", help="Files (text, HTML, JSON Lines), directories, globs, http(s) URLs; - for stdin.")],
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=DB_HELP)] = None,
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

    path = db_path(db)
    try:
        rule_set = load_rules(rules or ())
        runner = make_engine(engine, scheduler)
        try:
            with Store(path) as store, progress_bar("ingest", "versions", not quiet) as bar:
                note_upgrade(store, quiet)
                report = ingest(
                    store, iter_corpus(paths, read_stdin, encoding), rule_set, runner,
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


def stats_command(
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=DB_HELP)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One JSON document (schema cpsdiff.stats/1).")] = False,
    output: OutputOption = None,
) -> None:
    """Summarise the store: versions, stories, paragraphs, sentences, time span, size."""
    path = db_path(db)
    with data_output(output) as out:
        try:
            with open_store(path) as store:
                stats = store.stats()
        except CpsdiffError as error:
            raise fail(str(error)) from None
        if json_out:
            from cpsdiff.render.json_compare import document_text

            out.write(document_text({"schema": "cpsdiff.stats/1", "db": path, **stats}, out))
        else:
            width = max(len(k) for k in stats)
            for key, value in stats.items():
                if isinstance(value, list):
                    shown = ", ".join(f"{k} ({v})" for k, v in value)
                else:  # versions without times have no first or last time
                    shown = "none" if value is None else value
                out.write(f"{key.replace('_', ' '):<{width}}  {shown}\n")
    raise typer.Exit(ExitStatus.SAME)
