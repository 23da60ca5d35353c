"""The options several commands share, as typer annotations (one definition, one help text).

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

from pathlib import Path
from typing import Annotated, Optional

import typer

from cpsdiff.render.output import BoilerplateMode, ColorMode

DB_HELP = "SQLite corpus store (default: $CPSDIFF_DB, else ./cpsdiff.db)."
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
