"""--csv and --tsv: one row per change of `compare`, one row per family of `lineage`, for
spreadsheets, pandas and sqlite-utils. The columns are documented in the README (*Tables*).

CSV follows RFC 4180 (Python's csv module: fields with a comma, a quote or a line break are
quoted, quotes doubled; lines end with CRLF). TSV has one line per row, so a tab, a line break,
a carriage return or a backslash inside a field is written as \\t, \\n, \\r or \\\\ (as
PostgreSQL's and MySQL's text formats do). Paragraph numbers are 1-based, as the views show
them (¶1 is the first; the JSON's indices are 0-based).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO, TYPE_CHECKING

from cpsdiff.diff.worddiff import count_words
from cpsdiff.model import Change, Comparison, Kind
from cpsdiff.render.labels import family_group, is_chrome, verdict

if TYPE_CHECKING:
    from cpsdiff.lineage.results import Family, LineageRun

COMPARE_COLUMNS = (
    "change", "verdict", "kind", "old_paragraphs", "new_paragraphs", "moved", "similarity", "reused",
    "words_added", "words_removed", "evidence", "reason", "old_text", "new_text", "diff",
)
LINEAGE_COLUMNS = (
    "family", "group", "role", "versions", "stories", "appearances", "first_version", "first_paragraph",
    "last_version", "last_paragraph", "changed", "cross_story", "drift", "speakers", "first_text", "last_text",
)
_PARAGRAPH_BREAK = "\n\n"


def _numbers(indices: Iterable[int]) -> str:
    return "+".join(str(i + 1) for i in indices)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _marked(diff) -> str:
    """A word diff with git's markers, as the terminal shows it without colour."""
    out = []
    for op, text in diff:
        out.append(text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}" if op == "+" else f"{{>{text}<}}")
    return "".join(out)


def _words(result: Comparison, change: Change) -> tuple[int, int]:
    if change.kind is Kind.ADDED:
        return count_words(result.new.paragraphs[change.new[0]].text), 0
    if change.kind is Kind.REMOVED:
        return 0, count_words(result.old.paragraphs[change.old[0]].text)
    if not change.diff:
        return 0, 0
    return (sum(count_words(t) for op, t in change.diff if op == "+"),
            sum(count_words(t) for op, t in change.diff if op == "-"))


def _reused(result: Comparison, change: Change) -> str:
    if not change.new or not result.spans:
        return ""
    from cpsdiff.diff.spans import covered

    length = sum(len(result.new.paragraphs[j].text) for j in change.new)
    inside = sum(covered(result.spans[j], len(result.new.paragraphs[j].text)) for j in change.new)
    return str(round(inside / length, 4)) if length else "0"  # as the JSON's reused


def compare_rows(result: Comparison) -> Iterator[list[str]]:
    """One row per change, in the order of the JSON's ``changes`` (NEW order)."""
    for number, change in enumerate(result.changes, 1):
        added, removed = _words(result, change)
        labels = [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]
        reasons = dict.fromkeys(label.reason for label in labels) if is_chrome(result, change) else {}
        yield [
            str(number),
            verdict(result, change),
            change.kind.value,
            _numbers(change.old),
            _numbers(change.new),
            _flag(change.moved),
            "" if change.similarity is None else f"{change.similarity:g}",
            _reused(result, change),
            str(added),
            str(removed),
            change.evidence or "",
            "; ".join(reasons),
            _PARAGRAPH_BREAK.join(result.old.paragraphs[i].text for i in change.old),
            _PARAGRAPH_BREAK.join(result.new.paragraphs[j].text for j in change.new),
            _marked(change.diff) if change.diff is not None else "",
        ]


def lineage_rows(run: LineageRun, keep: Callable[[Family], bool]) -> Iterator[list[str]]:
    """One row per family that ``keep`` keeps, as they come (a store streams them, made in its
    engine's workers: ``keep`` must pickle, as a FamilyFilter does)."""
    return filter(None, run.each(FamilyRows(keep)))


@dataclass(frozen=True)
class FamilyRows:
    """FamilyWork (LineageRun.each) for lineage_rows: a family's row, or None when KEEP leaves
    it out."""

    keep: Callable[[Family], bool]

    def __call__(self, versions) -> Callable[[Family], list[str] | None]:
        return partial(_family_row, versions, self.keep)


def _family_row(versions, keep: Callable[[Family], bool], family: Family) -> list[str] | None:
    if not keep(family):
        return None
    first, last = family.appearances[0], family.appearances[-1]
    speakers = dict.fromkeys(d.speaker for d in family.drift if d.speaker)
    return [
        family.id,
        family_group(family),
        family.role,
        str(len({a.version for a in family.appearances})),
        str(len({versions[a.version].story for a in family.appearances})),
        str(len(family.appearances)),
        versions[first.version].id,
        str(first.paragraph + 1),
        versions[last.version].id,
        str(last.paragraph + 1),
        _flag(family.changed),
        _flag(family.cross_story),
        str(len(family.drift)),
        "; ".join(speakers),
        first.text,
        last.text,
    ]


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def write_table(columns: Sequence[str], rows: Iterable[list[str]], out: IO[str], tsv: bool = False) -> None:
    """A header and the rows, as CSV (RFC 4180) or TSV (escaped, one line per row)."""
    if tsv:
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(field.translate(_TSV_ESCAPES) for field in row) + "\n")
        return
    writer = csv.writer(out)  # excel dialect: minimal quoting, CRLF line ends
    writer.writerow(columns)
    writer.writerows(rows)
