"""The result model shared by the library and every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset of the sentence inside its paragraph's text
    hash: str
    norm_hash: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    text: str
    hash: str  # exact text, whitespace collapsed
    norm_hash: str  # normalised text (see cpsdiff.text.normalize.normalize)
    sentences: tuple[Sentence, ...]
    start: int = 0  # offset of the paragraph in its document's text


@dataclass(frozen=True, slots=True)
class Document:
    source: str
    text: str
    hash: str
    paragraphs: tuple[Paragraph, ...]
    # Boilerplate evidence from a page's markup: (paragraph text, whitespace collapsed; reason).
    hints: tuple[tuple[str, str], ...] = ()


class Kind(StrEnum):
    UNCHANGED = "unchanged"
    EDITED = "edited"
    ADDED = "added"
    REMOVED = "removed"
    MERGED = "merged"
    SPLIT = "split"


class Role(StrEnum):
    BOILERPLATE = "boilerplate"
    CARRIED = "carried"
    EDITED = "edited"
    NEW = "new"
    REMOVED = "removed"  # an OLD paragraph that did not survive into NEW


# A word diff: ("=", text) kept, ("-", text) deleted, ("+", text) inserted.
WordDiff = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Change:
    kind: Kind
    old: tuple[int, ...]
    new: tuple[int, ...]
    moved: bool = False
    similarity: float | None = None
    evidence: str | None = None  # why a weakly similar pair was linked
    diff: WordDiff | None = None
    repaired: bool = False  # unchanged once encoding damage (mojibake) is repaired: readers see it

    @property
    def quiet(self) -> bool:
        """Nothing to show: the text stayed, as it was written, and in its place."""
        return self.kind is Kind.UNCHANGED and not self.moved and not self.repaired


@dataclass(frozen=True, slots=True)
class Span:
    """A reused stretch inside one NEW paragraph, from one paragraph of an earlier text.
    Offsets are characters of the two paragraphs' text, end exclusive."""

    source: int  # which earlier text (0 in a comparison: OLD)
    old: int  # its paragraph
    old_start: int
    old_end: int
    new: int  # the NEW paragraph
    new_start: int
    new_end: int
    words: int


@dataclass(frozen=True, slots=True)
class Label:
    role: Role
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of reporting; boilerplate is counted once, as the NEW paragraphs that are chrome."""

    new: int  # NEW paragraphs of new reporting
    edited: int  # edited changes (reporting)
    merged: int
    split: int
    carried: int  # NEW reporting paragraphs carried unchanged
    removed: int  # OLD reporting paragraphs with no counterpart
    boilerplate: int  # NEW paragraphs that are site chrome
    moved: int  # reporting changes that left the order of the unchanged text
    words_added: int  # in reporting
    words_removed: int
    reused_share: float = 0.0  # of NEW's reporting characters, inside spans of OLD text


@dataclass(frozen=True)
class Comparison:
    old: Document
    new: Document
    changes: tuple[Change, ...]  # NEW order, removed OLD paragraphs where they stood
    old_labels: tuple[Label, ...]
    new_labels: tuple[Label, ...]
    summary: Summary = field(compare=False)
    spans: tuple[tuple[Span, ...], ...] = field(default=(), compare=False)  # per NEW paragraph

    @property
    def identical(self) -> bool:
        return all(c.quiet for c in self.changes)
