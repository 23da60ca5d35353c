"""What the store writes for one version, computed from the version alone: its key, its
paragraphs and sentences with their hashes and boilerplate reasons, and the sketch keys of its
distinct sentences. Plain values, so that the work can run in other processes (engines)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import xxhash

from cpsdiff.diff.boilerplate import Rule, classify
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.families import sketch
from cpsdiff.text.normalize import normalized_words, text_hash
from cpsdiff.text.segment import content_hash, parse_document


@dataclass(frozen=True, slots=True)
class Analysed:
    """Everything written for one version: computed apart from the store (in parallel with
    --engine dask), so only plain values."""

    key: str
    source: str
    story: str | None
    version: str | None
    time: str | None
    epoch: float | None
    extra: str
    text: str
    text_hash: str
    content: str
    paragraphs: tuple[tuple[int, str, str, str, str, str | None], ...]  # idx, text, text hash, hash, norm, reason
    sentences: tuple[tuple[int, int, int, int, str, str], ...]  # paragraph, idx, start, length, hash, norm
    distinct: tuple[tuple[str, str, tuple[int, ...]], ...]  # norm hash, text, sketch keys


def version_key(version: Version) -> str:
    meta = json.dumps([version.story, version.version, version.time and version.time.isoformat()])
    return xxhash.xxh3_128_hexdigest(meta.encode() + b"\0" + version.text.encode())


def analyse(version: Version, rules: Sequence[Rule]) -> Analysed:
    doc = parse_document(version.text, version.id, version.hints)
    reasons = classify([p.text for p in doc.paragraphs], rules, doc.hints)
    paragraphs = tuple(
        (p.index, p.text, text_hash(p.text), p.hash, p.norm_hash, reason)
        for p, reason in zip(doc.paragraphs, reasons)
    )
    sentences = []
    distinct: dict[str, tuple[str, str, tuple[int, ...]]] = {}
    for p in doc.paragraphs:
        for i, s in enumerate(p.sentences):
            sentences.append((p.index, i, s.start, len(s.text), s.hash, s.norm_hash))
            if s.norm_hash not in distinct:
                distinct[s.norm_hash] = (s.norm_hash, s.text, tuple(sketch(normalized_words(s.text))))
    time = version.time
    return Analysed(
        version_key(version),
        version.id,
        version.story,
        None if version.version is None else str(version.version),
        time.isoformat() if time else None,
        time.timestamp() if time else None,
        json.dumps(version.extra, ensure_ascii=False, sort_keys=True),
        version.text,
        doc.hash,
        content_hash(doc),
        paragraphs,
        tuple(sentences),
        tuple(distinct.values()),
    )
