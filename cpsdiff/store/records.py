"""A version as the store holds it (its row), read back and checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cpsdiff.inputs.corpus import Version
from cpsdiff.store.connect import Damaged


@dataclass(frozen=True, slots=True)
class StoredVersion:
    rowid: int
    source: str
    story: str | None
    version: str | None
    time: str | None
    epoch: float | None
    extra: dict
    text_hash: str
    content: str
    paragraphs: int
    sentences: int

    @property
    def number(self) -> int | str | None:
        """The version number as given: stored as text, a number again when it was one."""
        return int(self.version) if self.version is not None and self.version.isdigit() else self.version

    def as_version(self, text: str) -> Version:
        when = datetime.fromisoformat(self.time) if self.time else None
        return Version(self.source, text, self.story, self.number, when, self.extra)


SELECT_VERSION = (
    "SELECT id, source, story, version, time, epoch, extra, text_hash, content, paragraphs, sentences FROM versions"
)


def stored_version(row: tuple) -> StoredVersion:
    source, time, extra = row[1], row[4], row[6]
    try:
        extra = json.loads(extra)
    except (TypeError, ValueError):
        extra = None
    if not isinstance(extra, dict):
        raise Damaged(f"version {source!r}: its extra fields are not a JSON object")
    if time is not None:
        try:
            datetime.fromisoformat(time)
        except (TypeError, ValueError):
            raise Damaged(f"version {source!r}: its time {time!r} is not ISO 8601") from None
    return StoredVersion(*row[:6], extra, *row[7:])
