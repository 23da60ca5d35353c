"""JSON and JSON Lines output: the public, versioned interface (schemas in cpsdiff/schemas/)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

from cpsdiff import __version__
from cpsdiff.diff.boilerplate import rule_name
from cpsdiff.diff.provenance import reused
from cpsdiff.model import Change, Comparison, Document, Label, Role, Span

COMPARE_SCHEMA = "cpsdiff.compare/1"
CHANGE_SCHEMA = "cpsdiff.compare.change/1"


def _span(span: Span) -> dict[str, int]:
    return {"old": span.old, "old_start": span.old_start, "old_end": span.old_end,
            "new_start": span.new_start, "new_end": span.new_end}


def _provenance(text: str, spans: tuple[Span, ...]) -> dict[str, Any]:
    return {"spans": [_span(s) for s in spans], "reused": round(reused(text, spans), 4)}


def _document(doc: Document, labels: tuple[Label, ...], spans: tuple[tuple[Span, ...], ...] = ()) -> dict[str, Any]:
    return {
        "source": doc.source,
        "hash": doc.hash,
        "paragraphs": [
            {
                "index": p.index,
                "start": p.start,
                "text": p.text,
                "hash": p.hash,
                "norm_hash": p.norm_hash,
                "role": label.role.value,
                "reason": label.reason,
                "rule": rule_name(label.reason) if label.role is Role.BOILERPLATE else None,
                "sentences": [
                    {"start": s.start, "text": s.text, "hash": s.hash, "norm_hash": s.norm_hash}
                    for s in p.sentences
                ],
                **(_provenance(p.text, spans[p.index]) if spans else {}),
            }
            for p, label in zip(doc.paragraphs, labels)
        ],
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "old": list(change.old),
        "new": list(change.new),
        "moved": change.moved,
        "similarity": change.similarity,
        "evidence": change.evidence,
        "diff": [list(op) for op in change.diff] if change.diff is not None else None,
        "repaired": change.repaired,
    }


def comparison_to_dict(result: Comparison) -> dict[str, Any]:
    summary = result.summary
    return {
        "schema": COMPARE_SCHEMA,
        "tool": {"name": "cpsdiff", "version": __version__},
        "identical": result.identical,
        "summary": asdict(summary),
        "old": _document(result.old, result.old_labels),
        "new": _document(result.new, result.new_labels, result.spans),
        "changes": [_change(c) for c in result.changes],
    }


def change_records(result: Comparison) -> Iterator[dict[str, Any]]:
    """One self-contained record per change, with the texts and roles it concerns."""
    for change in result.changes:
        record = {"schema": CHANGE_SCHEMA, "old_source": result.old.source, "new_source": result.new.source}
        record.update(_change(change))
        record["old_text"] = [result.old.paragraphs[i].text for i in change.old]
        record["new_text"] = [result.new.paragraphs[j].text for j in change.new]
        record["old_roles"] = [result.old_labels[i].role.value for i in change.old]
        record["new_roles"] = [result.new_labels[j].role.value for j in change.new]
        record["new_spans"] = [[_span(s) for s in result.spans[j]] for j in change.new]
        record["new_reused"] = [round(reused(result.new.paragraphs[j].text, result.spans[j]), 4) for j in change.new]
        yield record


def unicode_ok(out: IO[str]) -> bool:
    """Whether ``out`` can take any character; else JSON escapes non-ASCII (still valid JSON)."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf16", "utf32")


def document_text(document: dict[str, Any], out: IO[str]) -> str:
    """One JSON document as ``out`` wants it: indented for a person at a terminal, compact
    otherwise (for jq, pandas, files), which Python's C encoder writes about three times faster
    (it cannot indent). Written in one piece: json.dump would send thousands of small chunks
    through a pipe."""
    try:
        person = out.isatty()
    except (AttributeError, ValueError):
        person = False
    return json.dumps(document, ensure_ascii=not unicode_ok(out), indent=2 if person else None) + "\n"


def write_json(result: Comparison, out: IO[str]) -> None:
    out.write(document_text(comparison_to_dict(result), out))


def write_jsonl(result: Comparison, out: IO[str]) -> None:
    ascii_only = not unicode_ok(out)
    for record in change_records(result):
        out.write(json.dumps(record, ensure_ascii=ascii_only))
        out.write("\n")


TRACK_SCHEMA = "cpsdiff.track/1"


def tracked_record(result, ascii_only: bool = False) -> str:
    """One line of `cpsdiff track --json`; ``ascii_only`` for an output that cannot take any
    character (see unicode_ok)."""
    record = {
        "schema": TRACK_SCHEMA,
        "url": result.url,
        "status": result.status,
        "version": result.version,
        "paragraphs": result.paragraphs,
        "title": result.title,
        "summary": asdict(result.summary) if result.summary else None,
        "error": result.error,
    }
    return json.dumps(record, ensure_ascii=ascii_only)
