"""blame(lineage, DOC): like `git blame` for an article — for each paragraph of one version, what
changed since the version before it and where its text first appeared.

One verdict in every view: a paragraph's status is what `compare` says of it against the
version before it (the previous version of the same story, else the earlier version it reuses
most), so `compare OLD NEW` and `blame NEW --against OLD` never disagree. Where each sentence
came from is what `lineage` says: its sentence family, which reaches back to earlier wordings,
or the earlier sentence it was rewritten from (found by the reuse-span engine, lineage.rewrites).
Each paragraph's reused spans are found against every earlier version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cpsdiff.diff.boilerplate import Rule
from cpsdiff.diff.spans import covered, find_spans
from cpsdiff.diff.worddiff import compare_words
from cpsdiff.lineage.results import Lineage
from cpsdiff.model import Comparison, Kind, Span, WordDiff
from cpsdiff.text.normalize import normalize


@dataclass(frozen=True, slots=True)
class SentenceBlame:
    index: int
    text: str
    family: str
    origin: int  # chronology position of the version it first appeared in, or was rewritten from
    origin_paragraph: int
    status: str  # new | carried | edited | reused
    diff: WordDiff | None = None  # from the wording of its origin (first appearance or source), when edited


@dataclass(frozen=True, slots=True)
class ParagraphBlame:
    index: int
    text: str
    boilerplate: bool
    origin: int | None  # None when its sentences come from different versions (see sentences)
    status: str  # new | carried | edited | reused: compare's verdict against the version before
    sentences: tuple[SentenceBlame, ...]
    spans: tuple[Span, ...] = ()  # reused text, from any earlier version (Span.source: its position)
    reused: float = 0.0  # share of its characters inside spans
    diff: WordDiff | None = None  # against its counterpart in the version before, when edited
    linked: tuple[int, ...] = ()  # its counterparts in the version before (compare's link)

    @property
    def by_sentence(self) -> bool:
        """Whether its sentences must be shown one by one: they come from different places."""
        return self.origin is None or len({s.status for s in self.sentences}) > 1

    @property
    def as_edit(self) -> bool:
        """Whether it is best shown as the word diff against the version before: an edit whose
        sentences do not need listing one by one."""
        return self.diff is not None and not self.by_sentence


@dataclass(frozen=True)
class Blame:
    lineage: Lineage
    target: int  # chronology position of the blamed version
    since: int | None  # the version it is compared with: the one before it, or None (the first)
    paragraphs: tuple[ParagraphBlame, ...]

    @property
    def unchanged(self) -> bool:
        """Nothing new or edited since the version before."""
        return all(p.status in ("carried", "reused") for p in self.paragraphs)


def _status(kinds: set[Kind], other_story: bool) -> str:
    """The verdict on a paragraph from the kinds of the changes that hold its text."""
    if kinds <= {Kind.ADDED}:
        return "new"
    if kinds == {Kind.UNCHANGED}:
        return "reused" if other_story else "carried"
    return "edited"


def _previous(lineage: Lineage, target: int, spans: Sequence[Span]) -> int | None:
    """The version DOC follows: the latest earlier version of its story, else the earlier
    version it reuses most text from."""
    story = lineage.versions[target].story
    same = [v.position for v in lineage.versions[:target] if v.story == story]
    if same:
        return same[-1]
    given = Counter()
    for span in spans:
        given[span.source] += span.new_end - span.new_start
    return min(given, key=lambda source: (-given[source], -source)) if given else None


def _sentence(lineage: Lineage, target: int, paragraph: int, index: int, text: str, family_id: str) -> SentenceBlame:
    """A sentence's origin as the lineage has it: its family's first appearance, or for a first
    appearance rewritten from an earlier sentence, that sentence."""
    first = lineage.by_id[family_id].first
    if first.version < target:  # an earlier wording of the same sentence (exact or near)
        origin, origin_paragraph, earlier = first.version, first.paragraph, first.text
    elif first.source is not None:  # made of an earlier sentence's words (lineage.rewrites)
        origin, origin_paragraph, earlier = first.source.position, first.source.paragraph, first.source.text
    else:
        return SentenceBlame(index, text, family_id, target, paragraph, "new")
    if normalize(earlier) != normalize(text):
        return SentenceBlame(index, text, family_id, origin, origin_paragraph, "edited", compare_words(earlier, text).diff)
    same_story = lineage.versions[origin].story == lineage.versions[target].story
    return SentenceBlame(index, text, family_id, origin, origin_paragraph, "carried" if same_story else "reused")


def blame(lineage: Lineage, target: int, rules: Sequence[Rule] | None = None) -> Blame:
    from cpsdiff.diff.comparison import ChangesByPlace, compare  # the verdict is compare's, by construction

    docs = lineage.documents
    doc = docs[target]
    chrome = lineage.boilerplate
    spans = find_spans([p.text for p in doc.paragraphs], [[p.text for p in d.paragraphs] for d in docs[:target]])
    per_paragraph: list[list[Span]] = [[] for _ in doc.paragraphs]
    for span in spans:
        per_paragraph[span.new].append(span)

    since = _previous(lineage, target, spans)
    comparison: Comparison | None = compare(docs[since], doc, rules) if since is not None else None
    other_story = since is not None and lineage.versions[since].story != lineage.versions[target].story
    by_place = ChangesByPlace(comparison) if comparison else None

    paragraphs = []
    for paragraph in doc.paragraphs:
        own = per_paragraph[paragraph.index]
        sentences = tuple(
            _sentence(lineage, target, paragraph.index, s, sentence.text, lineage.family_of[target, paragraph.index, s])
            for s, sentence in enumerate(paragraph.sentences)
        )
        changes = by_place.within(paragraph.start, paragraph.start + len(paragraph.text)) if by_place else []
        change = changes[0] if len(changes) == 1 else None
        status = _status({c.kind for c in changes}, other_story)
        origins = {s.origin for s in sentences}
        if status == "new":
            origin = target
        elif origins == {target}:  # reworded from the version before, no sentence kept whole
            origin = since
        else:
            origin = origins.pop() if len(origins) == 1 else None  # None: from several versions
        diff = change.diff if change and change.kind in (Kind.EDITED, Kind.MERGED) else None
        linked = change.old if change else tuple(i for c in changes for i in c.old)
        share = covered(own, len(paragraph.text)) / len(paragraph.text) if paragraph.text else 0.0
        paragraphs.append(
            ParagraphBlame(paragraph.index, paragraph.text, chrome[target][paragraph.index], origin, status,
                           sentences, tuple(own), round(share, 4), diff, linked)
        )
    return Blame(lineage, target, since, tuple(paragraphs))
