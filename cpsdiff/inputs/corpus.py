"""Read a corpus: text files, directories, globs and JSON Lines records, from paths or stdin.

Every input becomes a Version. JSON Lines records carry `text` (or a page's `html`) and
optionally `story`, `version`, `published`/`updated` (ISO 8601); other fields are kept and passed
through. HTML pages, saved or at http(s) URLs, are read with cpsdiff.web.pages.
"""

from __future__ import annotations

import glob
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cpsdiff.errors import InputError
from cpsdiff.inputs.loading import STDIN, clean_text, open_file, read_source
from cpsdiff.web.fetch import is_url

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_KNOWN = ("text", "html", "story", "version", "published", "updated")


@dataclass(frozen=True)
class Version:
    id: str  # unique in the corpus: the file name, or file:line for a record
    text: str
    story: str | None = None  # None: to be inferred from shared text
    version: int | str | None = None
    time: datetime | None = None  # `updated`, else `published`
    extra: dict[str, Any] = field(default_factory=dict)
    hints: tuple[tuple[str, str], ...] = ()  # boilerplate evidence from a page's markup


def _parse_time(value: Any, where: str, key: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be an ISO 8601 string")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{where}: {key!r} is not an ISO 8601 timestamp: {value!r}") from None


class _NotJson(ValueError):
    """NaN, Infinity or a number too large for a float: Python reads them, JSON has none, and
    writing them back would make output that is not JSON."""


def _refuse_constant(name: str):
    raise _NotJson(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise _NotJson(f"{text[:20]} is too large a number")
    return number


def _record(line: str, where: str) -> Version:
    try:
        data = json.loads(line, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno})") from None
    except _NotJson as error:
        raise InputError(f"{where}: not valid JSON ({error})") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise InputError(f"{where}: a number with more than {sys.get_int_max_str_digits()} digits") from None
    except RecursionError:
        raise InputError(f"{where}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: a record must be a JSON object")
    text, page = data.get("text"), None
    if "html" in data:
        if text is not None:
            raise InputError(f"{where}: record has both 'text' and 'html'; give one")
        if not isinstance(data["html"], str):
            raise InputError(f"{where}: 'html' must be a string")
        from cpsdiff.web.pages import extract

        page = extract(data["html"], where)
        text = page.text
    if not isinstance(text, str):
        missing = "has no 'text' (or 'html')" if text is None else "'text' must be a string"
        raise InputError(f"{where}: record {missing}")
    if not text.strip():
        raise InputError(f"{where}: record has empty 'text'")
    story = data.get("story")
    if story is not None and not isinstance(story, (str, int)):
        raise InputError(f"{where}: 'story' must be a string")
    version = data.get("version")
    if version is not None and not isinstance(version, (str, int)):
        raise InputError(f"{where}: 'version' must be a number or a string")
    time = None
    for key in ("updated", "published"):
        if data.get(key) is not None:
            time = _parse_time(data[key], where, key)
            break
    if time is not None and time.tzinfo is None:
        raise InputError(f"{where}: timestamps need a time zone (e.g. 2021-01-29T14:05:00-06:00)")
    extra = {k: v for k, v in data.items() if k not in _KNOWN}
    if page:
        extra = {**page.meta(), **extra}
        time = time or page.time
    text = clean_text(text)
    return Version(where, text, None if story is None else str(story), version, time, extra, page.hints if page else ())


def read_jsonl(text: str, name: str) -> Iterator[Version]:
    count = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            count += 1
            yield _record(line, f"{name}:{number}")
    if count == 0:
        raise InputError(f"{name}: no records")


def _looks_like_jsonl(text: str) -> bool:
    return text.lstrip().startswith("{")


def _expand(path: str) -> list[str]:
    """A path, a directory (its text and JSON Lines files, recursively) or a glob."""
    if path == STDIN or is_url(path):
        return [path]
    if os.path.isdir(path):
        found = []
        for root, dirs, files in os.walk(path):
            # "Save page as… complete" puts a page's frames and ads in NAME_files/: not articles
            dirs[:] = sorted(d for d in dirs if not d.endswith("_files"))
            found += [
                os.path.join(root, name)
                for name in sorted(files)
                if name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES) and not name.startswith(".")
                and _may_be_file(os.path.join(root, name))
            ]
        if not found:
            raise InputError(f"{path}: directory holds no .txt, .md, .html or .jsonl files")
        return found
    if not os.path.exists(path) and glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            raise InputError(f"{path}: no files match")
        return [m for m in matches if _may_be_file(m)]
    return [path]


def _may_be_file(path: str) -> bool:
    """Whether a path found in a directory or by a glob is read: a file, or a link that does
    not resolve (reading it says why). Not a directory, and not a named pipe, socket or device:
    reading a FIFO nobody writes would wait for ever."""
    return os.path.isfile(path) or not os.path.exists(path)


def _stream_jsonl(path: str, encoding: str | None) -> Iterator[Version]:
    """Records of a JSON Lines file, read a line at a time: memory stays flat however big."""
    count = 0
    with open_file(path) as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line = raw.decode(encoding or "utf-8")
            except (UnicodeError, LookupError) as error:
                raise InputError(f"{path}:{number}: cannot decode the line ({error})") from None
            count += 1
            yield _record(line, f"{path}:{number}")
    if count == 0:
        raise InputError(f"{path}: empty input, no records")


def iter_corpus(
    paths: Iterable[str], read_stdin: Callable[[], bytes], encoding: str | None = None
) -> Iterator[Version]:
    """The versions named by ``paths``, in the order given, one at a time."""
    stdin_used = False
    any_version = False
    for given in paths:
        for path in _expand(given):
            if path == STDIN:
                if stdin_used:
                    raise InputError("- (stdin) can be given only once")
                stdin_used = True
            if path != STDIN and path.endswith(JSONL_SUFFIXES) and os.path.isfile(path):
                for version in _stream_jsonl(path, encoding):
                    any_version = True
                    yield version
                continue
            source = read_source(path, read_stdin, encoding, article=not path.endswith(JSONL_SUFFIXES))
            if source.page is None and (path.endswith(JSONL_SUFFIXES) or (path == STDIN and _looks_like_jsonl(source.text))):
                for version in read_jsonl(source.text, source.name):
                    any_version = True
                    yield version
            else:
                any_version = True
                yield Version(source.name, source.text, time=source.time, extra=source.meta, hints=source.hints)
    if not any_version:
        raise InputError("no input versions")


def read_corpus(
    paths: Iterable[str], read_stdin: Callable[[], bytes], encoding: str | None = None
) -> list[Version]:
    """All versions named by ``paths``, in the order given; an id may not repeat."""
    versions = list(iter_corpus(paths, read_stdin, encoding))
    seen: set[str] = set()
    for version in versions:
        if version.id in seen:
            raise InputError(f"{version.id}: given twice")
        seen.add(version.id)
    return versions
