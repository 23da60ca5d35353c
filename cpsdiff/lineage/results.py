"""What a lineage is: versions in order, and families of sentences with their appearances,
edits and quote drift. Made in memory (lineage.trace) or streamed from a store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from cpsdiff.lineage.rewrites import Source
from cpsdiff.model import Document, WordDiff

if TYPE_CHECKING:
    from cpsdiff.lineage.family_work import FamilyWork


METHODS = {"given": "as given", "timestamps": "from the timestamps", "text": "inferred from the text"}


class Reuse:
    FIRST = "first"  # the family's first appearance
    UPDATE = "update"  # again in a later version of the same story
    OTHER_STORY = "other-story"  # reused by a different story


class Appearance(NamedTuple):  # a corpus has one per sentence: a named tuple is made fastest
    version: int  # position in the chronology
    paragraph: int
    sentence: int
    text: str
    reuse: str
    similarity: float | None = None  # against the previous appearance (a rewrite's: its source)
    diff: WordDiff | None = None  # against the previous appearance, when the wording differs
    source: Source | None = None  # a family's first appearance rewritten from an earlier sentence


@dataclass(frozen=True, slots=True)
class Drift:
    speaker: str | None
    before: int  # version positions
    after: int
    before_paragraph: int
    after_paragraph: int
    old_quote: str
    new_quote: str
    diff: WordDiff


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    role: str  # "boilerplate" or "reporting"
    appearances: tuple[Appearance, ...]
    changed: bool
    cross_story: bool
    drift: tuple[Drift, ...]

    @property
    def first(self) -> Appearance:
        return self.appearances[0]


@dataclass(frozen=True, slots=True)
class VersionInfo:
    id: str
    story: str
    position: int
    reason: str
    time: str | None
    paragraphs: int
    counts: dict[str, int]  # sentences: new, carried, edited, reused, boilerplate
    extra: dict
    hash: str  # of the text
    content: str  # of its paragraph hashes: equal for versions that say the same


def extra_with_version(extra: dict, number: int | str | None) -> dict:
    """A version's passed-through fields, with its version number when it has one."""
    return extra if number is None else {**extra, "version": number}


@dataclass(frozen=True)
class Lineage:
    method: str
    versions: tuple[VersionInfo, ...]  # in chronological order
    documents: tuple[Document, ...]  # in chronological order (empty when read from a store)
    boilerplate: tuple[tuple[bool, ...], ...]  # per document, per paragraph (as documents)
    families: tuple[Family, ...]  # by first appearance

    @cached_property
    def family_of(self) -> dict[tuple[int, int, int], str]:
        """(version, paragraph, sentence) -> family id."""
        return {(a.version, a.paragraph, a.sentence): f.id for f in self.families for a in f.appearances}

    def run(self) -> LineageRun:
        return LineageRun(self.method, self.versions, iter(self.families))

    @cached_property
    def by_id(self) -> dict[str, Family]:
        return {family.id: family for family in self.families}

    @property
    def identical(self) -> bool:
        return self.run().identical


@dataclass(frozen=True)
class LineageRun:
    """A lineage whose families arrive one at a time, as a store streams them; the versions'
    counts are complete once every family has been read. Read the families once: from
    ``families`` or through ``each``."""

    method: str
    versions: tuple[VersionInfo, ...]
    families: Iterator[Family]
    mapper: Callable[[FamilyWork], Iterator[Any]] | None = None  # a store's: each, in its engine

    def each(self, work: FamilyWork) -> Iterator[Any]:
        """WORK's result for every family, in order (a store builds and works on its families
        in its engine's processes, so WORK must pickle)."""
        if self.mapper is not None:
            return self.mapper(work)
        return map(work(self.versions), self.families)

    @property
    def identical(self) -> bool:
        """All versions say the same (paragraph by paragraph, whitespace aside)."""
        return len({v.content for v in self.versions}) <= 1
