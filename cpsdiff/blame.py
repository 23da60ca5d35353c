"""blame(lineage, DOC): like `git blame` for an article — where each paragraph and sentence of
one version first appeared, and whether it changed since."""

from __future__ import annotations

from dataclasses import dataclass

from cpsdiff.lineage import Lineage
from cpsdiff.model import WordDiff
from cpsdiff.text import normalize
from cpsdiff.worddiff import compare_words


@dataclass(frozen=True, slots=True)
class SentenceBlame:
    index: int
    text: str
    family: str
    origin: int  # chronology position of the version where the sentence first appeared
    origin_paragraph: int
    status: str  # new | carried | edited | reused
    diff: WordDiff | None = None  # from the first appearance's wording, when edited


@dataclass(frozen=True, slots=True)
class ParagraphBlame:
    index: int
    text: str
    boilerplate: bool
    origin: int | None  # None when its sentences come from different versions (see sentences)
    status: str  # new | carried | edited | reused | mixed
    sentences: tuple[SentenceBlame, ...]

    @property
    def by_sentence(self) -> bool:
        """Whether its sentences must be shown one by one: they come from different places."""
        return self.origin is None or len({s.status for s in self.sentences}) > 1


@dataclass(frozen=True)
class Blame:
    lineage: Lineage
    target: int  # chronology position of the blamed version
    paragraphs: tuple[ParagraphBlame, ...]

    @property
    def unchanged(self) -> bool:
        """Every sentence was already there, word for word, before this version."""
        return all(s.status == "carried" for p in self.paragraphs for s in p.sentences)


def _sentence(lineage: Lineage, target: int, index: int, family_id: str, text: str) -> SentenceBlame:
    first = lineage.by_id[family_id].first
    if first.version == target:
        return SentenceBlame(index, text, family_id, first.version, first.paragraph, "new")
    if normalize(first.text) != normalize(text):
        diff = compare_words(first.text, text).diff
        return SentenceBlame(index, text, family_id, first.version, first.paragraph, "edited", diff)
    same_story = lineage.versions[first.version].story == lineage.versions[target].story
    status = "carried" if same_story else "reused"
    return SentenceBlame(index, text, family_id, first.version, first.paragraph, status)


def blame(lineage: Lineage, target: int) -> Blame:
    doc = lineage.documents[target]
    boilerplate = lineage.boilerplate[target]
    paragraphs = []
    for paragraph in doc.paragraphs:
        sentences = []
        for s, sentence in enumerate(paragraph.sentences):
            family_id = lineage.family_of[target, paragraph.index, s]
            sentences.append(_sentence(lineage, target, s, family_id, sentence.text))
        origins = {s.origin for s in sentences}
        statuses = {s.status for s in sentences}
        origin = origins.pop() if len(origins) == 1 else None
        if origin is None:
            status = "mixed"
        elif len(statuses) == 1:
            status = statuses.pop()
        else:
            status = "edited"
        paragraphs.append(
            ParagraphBlame(paragraph.index, paragraph.text, boilerplate[paragraph.index], origin, status, tuple(sentences))
        )
    return Blame(lineage, target, tuple(paragraphs))
