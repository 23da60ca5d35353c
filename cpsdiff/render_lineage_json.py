"""JSON for `lineage` (cpsdiff.lineage/1, one family per line with --jsonl) and `blame`
(cpsdiff.blame/1). Schemas in cpsdiff/schemas/."""

from __future__ import annotations

import json
from typing import IO, Any

from cpsdiff import __version__
from cpsdiff.blame import Blame
from cpsdiff.lineage import Family, Lineage

LINEAGE_SCHEMA = "cpsdiff.lineage/1"
FAMILY_SCHEMA = "cpsdiff.lineage.family/1"
BLAME_SCHEMA = "cpsdiff.blame/1"


def _diff(diff) -> list | None:
    return [list(op) for op in diff] if diff is not None else None


def family_to_dict(family: Family, lineage: Lineage) -> dict[str, Any]:
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
            }
            for a in family.appearances
        ],
        "drift": [
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
        ],
    }


def _order(lineage: Lineage) -> dict[str, Any]:
    return {"method": lineage.method, "versions": [v.id for v in lineage.versions]}


def _versions(lineage: Lineage) -> list[dict[str, Any]]:
    return [
        {
            "id": v.id,
            "position": v.position,
            "story": v.story,
            "time": v.time,
            "order_reason": v.reason,
            "hash": doc.hash,
            "paragraphs": v.paragraphs,
            "sentences": v.counts,
            "extra": v.extra,
        }
        for v, doc in zip(lineage.versions, lineage.documents)
    ]


def lineage_to_dict(lineage: Lineage, families: list[Family]) -> dict[str, Any]:
    return {
        "schema": LINEAGE_SCHEMA,
        "tool": {"name": "cpsdiff", "version": __version__},
        "order": _order(lineage),
        "versions": _versions(lineage),
        "summary": {
            "versions": len(lineage.versions),
            "stories": len({v.story for v in lineage.versions}),
            "families": len(lineage.families),
            "listed": len(families),
            "changed": sum(f.changed for f in lineage.families),
            "cross_story": sum(f.cross_story for f in lineage.families),
            "drift": sum(bool(f.drift) for f in lineage.families),
        },
        "families": [family_to_dict(f, lineage) for f in families],
    }


def write_lineage_json(lineage: Lineage, families: list[Family], out: IO[str]) -> None:
    json.dump(lineage_to_dict(lineage, families), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_lineage_jsonl(lineage: Lineage, families: list[Family], out: IO[str]) -> None:
    for family in families:
        record = {"schema": FAMILY_SCHEMA, **family_to_dict(family, lineage)}
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


def blame_to_dict(result: Blame) -> dict[str, Any]:
    versions = result.lineage.versions
    return {
        "schema": BLAME_SCHEMA,
        "tool": {"name": "cpsdiff", "version": __version__},
        "order": _order(result.lineage),
        "target": versions[result.target].id,
        "versions": _versions(result.lineage),
        "unchanged": result.unchanged,
        "paragraphs": [
            {
                "index": p.index,
                "text": p.text,
                "role": "boilerplate" if p.boilerplate else "reporting",
                "status": p.status,
                "origin": None if p.origin is None else versions[p.origin].id,
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
    json.dump(blame_to_dict(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
