"""Watching pages: track (fetch, store a version when the text changed) and reextract (extract
the archived pages again).

No `from __future__ import annotations` in this package: typer would have to eval every
annotation string at start-up (about 10 ms).
"""

import os
import sys
from typing import Annotated, Optional

import typer

from cpsdiff.cli.common import data_output, db_path, fail, note_upgrade, read_stdin
from cpsdiff.cli.options import DB_HELP, OutputOption, QuietOption, RulesOption
from cpsdiff.errors import CpsdiffError, ExitStatus, InputError


def track_command(
    urls: Annotated[Optional[list[str]], typer.Argument(metavar="[URLS]...", help="Article pages to watch (http or https).")] = None,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", metavar="URL", help="Also watch every article of this RSS or Atom feed (repeatable).")] = None,
    url_list: Annotated[Optional[list[str]], typer.Option("--urls", metavar="FILE", help="Also watch the URLs in FILE, one per line (# comments, blank lines); - for stdin. Repeatable.")] = None,
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=DB_HELP)] = None,
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
    path = db_path(db)
    changed = failed = False
    try:
        rule_set = load_rules(rules or ())
        folder = _report_folder(report_dir)
        with data_output(None if quiet else output) as out, Store(path) as store:
            note_upgrade(store, quiet)
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
        data = read_bytes(name, read_stdin)
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


def reextract_command(
    db: Annotated[Optional[str], typer.Option(metavar="FILE", help=DB_HELP)] = None,
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

    path = db_path(db)
    changed = failed = False
    try:
        rule_set = load_rules(rules or ())
        with Store(path) as store:
            note_upgrade(store, quiet)
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
