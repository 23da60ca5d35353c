"""JSON for `lineage` (cpsdiff.lineage/2, one family per line with --jsonl) and `blame`
(cpsdiff.blame/3). Schemas in cpsdiff/schemas/."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from cpsdiff import __version__
from cpsdiff.lineage.blame import Blame
from cpsdiff.lineage.rewrites import Source
from cpsdiff.lineage.family_work import VersionName
from cpsdiff.lineage.results import Family, Lineage, LineageRun, VersionInfo
from cpsdiff.render.json_compare import document_text, unicode_ok

LINEAGE_SCHEMA = "cpsdiff.lineage/2"
FAMILY_SCHEMA = "cpsdiff.lineage.family/2"
BLAME_SCHEMA = "cpsdiff.blame/3"


def _diff(diff) -> list | None:
    return [list(op) for op in diff] if diff is not None else None


def family_to_dict(family: Family, lineage: Lineage | LineageRun) -> dict[str, Any]:
    versions = lineage.versions
    return {
        "id": family.id,
        "role": family.role,
        "changed": family.changed,
        "cross_story": family.cross_story,
        "stories": sorted({versions[a.version].story for a in family.appearances}),
        "first": {"version": versions[family.first.version].id, "paragraph": family.first.paragraph},
        "appearances": [
            {
                "version": versions[a.version].id,
                "position": a.version,
                "paragraph": a.paragraph,
                "sentence": a.sentence,
                "text": a.text,
                "reuse": a.reuse,
                "similarity": a.similarity,
                "diff": _diff(a.diff),
                "rewritten_from": _source(a.source, versions),
            }
            for a in family.appearances
        ],
        "drift": _drift(family, versions),
    }


def _source(source: Source | None, versions) -> dict[str, Any] | None:
    if source is None:
        return None
    return {"version": versions[source.position].id, "position": source.position,
            "paragraph": source.paragraph, "sentence": source.sentence, "text": source.text}


def _drift(family: Family, versions) -> list[dict[str, Any]]:
    return [
        {
            "speaker": d.speaker,
            "before": versions[d.before].id,
            "before_paragraph": d.before_paragraph,
            "after": versions[d.after].id,
            "after_paragraph": d.after_paragraph,
            "old_quote": d.old_quote,
            "new_quote": d.new_quote,
            "diff": _diff(d.diff),
        }
        for d in family.drift
    ]


class FamilyEncoder:
    """``json.dumps(family_to_dict(family, lineage), ensure_ascii=ascii_only)``, written
    directly: a family's appearances are most of a lineage's output, and formatting each from
    its fields (the version ids encoded once) is about three times faster than building a dict
    for each and encoding it. A test holds the two equal. VERSIONS: by position, every version
    (a sequence) or those the families appear in (a mapping, as LineageRun.each may give).
    LEAD goes before the family's first field, END after its closing brace (a JSON Lines record's
    schema and newline, written by the worker that encodes the family: not copied again here)."""

    def __init__(
        self, versions: Sequence[VersionInfo] | Mapping[int, VersionName], ascii_only: bool, lead: str = "", end: str = ""
    ):
        from json.encoder import encode_basestring, encode_basestring_ascii

        self._string = encode_basestring_ascii if ascii_only else encode_basestring
        self._ascii_only = ascii_only
        self._versions = versions
        self._lead, self._end = lead, end
        if isinstance(versions, Mapping):
            self._ids = {position: self._string(v.id) for position, v in versions.items()}
        else:
            self._ids = [self._string(v.id) for v in versions]

    def _json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=self._ascii_only)

    def __call__(self, family: Family) -> str:
        string, ids, versions = self._string, self._ids, self._versions
        appearances = ", ".join([
            f'{{"version": {ids[a.version]}, "position": {a.version:d}, "paragraph": {a.paragraph:d}, '
            f'"sentence": {a.sentence:d}, "text": {string(a.text)}, "reuse": {string(a.reuse)}, '
            f'"similarity": {_number(a.similarity)}, "diff": {"null" if a.diff is None else self._json(a.diff)}, '
            f'"rewritten_from": {"null" if a.source is None else self._json(_source(a.source, versions))}}}'
            for a in family.appearances
        ])
        stories = ", ".join([string(story) for story in sorted({versions[a.version].story for a in family.appearances})])
        drift = self._json(_drift(family, versions)) if family.drift else "[]"
        return (
            f'{{{self._lead}"id": {string(family.id)}, "role": {string(family.role)}, "changed": {_bool(family.changed)}, '
            f'"cross_story": {_bool(family.cross_story)}, "stories": [{stories}], '
            f'"first": {{"version": {ids[family.first.version]}, "paragraph": {family.first.paragraph:d}}}, '
            f'"appearances": [{appearances}], "drift": {drift}}}{self._end}'
        )


def _number(value: float | None) -> str:
    return "null" if value is None else float.__repr__(value) if isinstance(value, float) else int.__repr__(value)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _order(lineage: Lineage | LineageRun) -> dict[str, Any]:
    return {"method": lineage.method, "versions": [v.id for v in lineage.versions]}


def _versions(lineage: Lineage | LineageRun) -> list[dict[str, Any]]:
    return [
        {
            "id": v.id,
            "position": v.position,
            "story": v.story,
            "time": v.time,
            "order_reason": v.reason,
            "hash": v.hash,
            "paragraphs": v.paragraphs,
            "sentences": v.counts,
            "extra": v.extra,
        }
        for v in lineage.versions
    ]


@dataclass(frozen=True)
class FamilyLines:
    """FamilyWork (LineageRun.each) for the JSON writers: each family's flags for the summary
    (changed, cross-story, drift) and its JSON, or None when KEEP leaves it out."""

    ascii_only: bool
    keep: Callable[[Family], bool]
    lead: str = ""  # as FamilyEncoder's
    end: str = ""

    def __call__(self, versions) -> Callable[[Family], tuple[bool, bool, bool, str | None]]:
        encode, keep = FamilyEncoder(versions, self.ascii_only, self.lead, self.end), self.keep

        def line(family: Family) -> tuple[bool, bool, bool, str | None]:
            return family.changed, family.cross_story, bool(family.drift), encode(family) if keep(family) else None

        return line


def write_lineage_json(run: LineageRun, keep: Callable[[Family], bool], out: IO[str]) -> None:
    """One JSON document, streamed: the families as they come, then the versions (whose counts
    are complete only then) and the summary. KEEP must pickle (a FamilyFilter does): a store's
    run filters and encodes in its engine's workers."""
    counts = Counter()
    ascii_only = not unicode_ok(out)
    out.write("{\n")
    out.write(f'  "schema": {json.dumps(LINEAGE_SCHEMA)},\n')
    out.write(f'  "tool": {json.dumps({"name": "cpsdiff", "version": __version__})},\n')
    out.write(f'  "order": {json.dumps(_order(run), ensure_ascii=ascii_only)},\n')
    out.write('  "families": [')
    for changed, cross_story, drift, line in run.each(FamilyLines(ascii_only, keep)):
        counts["families"] += 1
        counts["changed"] += changed
        counts["cross_story"] += cross_story
        counts["drift"] += drift
        if line is not None:
            out.write(",\n    " if counts["listed"] else "\n    ")
            out.write(line)
            counts["listed"] += 1
    out.write("\n  ],\n" if counts["listed"] else "],\n")
    versions = _versions(run)
    summary = {
        "versions": len(versions),
        "stories": len({v["story"] for v in versions}),
        **{k: counts[k] for k in ("families", "listed", "changed", "cross_story", "drift")},
    }
    out.write(f'  "versions": {json.dumps(versions, ensure_ascii=ascii_only)},\n')
    out.write(f'  "summary": {json.dumps(summary)}\n')
    out.write("}\n")


def write_lineage_jsonl(run: LineageRun, keep: Callable[[Family], bool], out: IO[str]) -> None:
    """One family per line (KEEP must pickle, as for write_lineage_json)."""
    record = FamilyLines(not unicode_ok(out), keep, lead=f'"schema": {json.dumps(FAMILY_SCHEMA)}, ', end="\n")
    for *_, line in run.each(record):  # as {"schema": …, **family_to_dict(…)}
        if line is not None:
            out.write(line)


def blame_to_dict(result: Blame) -> dict[str, Any]:
    versions = result.lineage.versions
    return {
        "schema": BLAME_SCHEMA,
        "tool": {"name": "cpsdiff", "version": __version__},
        "order": _order(result.lineage),
        "target": versions[result.target].id,
        "versions": _versions(result.lineage),
        "since": None if result.since is None else versions[result.since].id,
        "unchanged": result.unchanged,
        "paragraphs": [
            {
                "index": p.index,
                "text": p.text,
                "role": "boilerplate" if p.boilerplate else "reporting",
                "status": p.status,
                "origin": None if p.origin is None else versions[p.origin].id,
                "spans": [
                    {"version": versions[s.source].id, "paragraph": s.old, "old_start": s.old_start,
                     "old_end": s.old_end, "new_start": s.new_start, "new_end": s.new_end}
                    for s in p.spans
                ],
                "reused": p.reused,
                "diff": _diff(p.diff),
                "sentences": [
                    {
                        "index": s.index,
                        "text": s.text,
                        "family": s.family,
                        "status": s.status,
                        "origin": versions[s.origin].id,
                        "origin_paragraph": s.origin_paragraph,
                        "diff": _diff(s.diff),
                    }
                    for s in p.sentences
                ],
            }
            for p in result.paragraphs
        ],
    }


def write_blame_json(result: Blame, out: IO[str]) -> None:
    out.write(document_text(blame_to_dict(result), out))
