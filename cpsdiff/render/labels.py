"""Labels shared by the terminal, HTML and Markdown views: how kinds, roles, counts and
families are named, grouped and placed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from cpsdiff.model import Change, Comparison, Kind, Role, WordDiff

if TYPE_CHECKING:  # the compare views use these labels too: they must not load the lineage code
    from cpsdiff.lineage.blame import ParagraphBlame
    from cpsdiff.lineage.results import Family, Lineage

KIND_MARK = {Kind.UNCHANGED: "=", Kind.EDITED: "~", Kind.ADDED: "+", Kind.REMOVED: "−", Kind.MERGED: "⇉", Kind.SPLIT: "⇇"}
COUNT_LABEL = {"new": "new", "carried": "carried", "edited": "edited", "reused": "from another story",
               "boilerplate": "boilerplate"}  # a version's sentence counts (lineage.COUNTS)

# (group, heading, marker, meaning): the terminal's sections of a lineage, made exclusive.
FAMILY_GROUPS = (
    ("drift", "Quote drift", "⚠", "quoted words changed between versions"),
    ("reused", "Reused in another story", "↗", "the sentence turns up in a different story"),
    ("edited", "Edited along the way", "~", "the wording changed from one version to a later one"),
    ("carried", "Carried unchanged", "=", "in several versions, word for word"),
    ("single", "In one version only", "+", "seen once"),
    ("boilerplate", "Boilerplate", "·", "site chrome: teasers, credits, prompts"),
)
FOLDED_GROUPS = ("carried", "single", "boilerplate")


# The one vocabulary of the views and the summary: what a paragraph of reporting is now. The
# JSON's changes[].kind says what happened to the text of every paragraph, chrome included
# (added, unchanged); the summary and the views count reporting only (new, carried).
VERDICT = {Kind.ADDED: "new", Kind.UNCHANGED: "carried", Kind.EDITED: "edited", Kind.MERGED: "merged",
           Kind.SPLIT: "split", Kind.REMOVED: "removed"}


def is_chrome(result: Comparison, change: Change) -> bool:
    """Whether a change is site chrome: its NEW paragraphs (or the OLD ones it removed) are all
    boilerplate. The summary counts changes the same way."""
    labels = [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]
    return all(label.role is Role.BOILERPLATE for label in labels)


def verdict(result: Comparison, change: Change) -> str:
    """A change in the summary's words: new, carried, edited, merged, split, removed, or
    boilerplate for chrome."""
    return "boilerplate" if is_chrome(result, change) else VERDICT[change.kind]


def verdict_label(result: Comparison, change: Change) -> str:
    """A change as the views label it: its verdict, and for chrome what happened to it in the
    same words ("boilerplate, new"; "boilerplate" alone when it was carried)."""
    if not is_chrome(result, change):
        return VERDICT[change.kind]
    return "boilerplate" if change.kind is Kind.UNCHANGED else f"boilerplate, {VERDICT[change.kind]}"


def family_group(family: Family) -> str:
    """The one group a family is listed in."""
    if family.drift:
        return "drift"
    if family.role == "boilerplate":
        return "boilerplate"
    if family.cross_story:
        return "reused"
    if family.changed:
        return "edited"
    if len({a.version for a in family.appearances}) > 1:
        return "carried"
    return "single"


def family_path(lineage: Lineage, family: Family) -> list[tuple[int, int, str | None]]:
    """Where a family's sentence stands, in order, each place once: (version, paragraph, the
    story when it is another story's)."""
    from cpsdiff.lineage.results import Reuse

    steps: list[tuple[int, int, str | None]] = []
    seen: set[tuple[int, int, str | None]] = set()
    for a in family.appearances:
        step = (a.version, a.paragraph, lineage.versions[a.version].story if a.reuse == Reuse.OTHER_STORY else None)
        if step not in seen:
            seen.add(step)
            steps.append(step)
    return steps


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def refs(indices: Iterable[int]) -> str:
    """Paragraph numbers as shown: ¶1+¶2."""
    return "+".join(f"¶{i + 1}" for i in indices)


def hidden_chrome_note(new: int, removed: int) -> str | None:
    """What --boilerplate hide left out, counted as the summary counts boilerplate (the NEW
    paragraphs that are chrome), with the chrome removed from OLD apart."""
    if new and removed:
        return f"{plural(new, 'boilerplate paragraph')} hidden, and {removed} removed from the old version"
    if new:
        return f"{plural(new, 'boilerplate paragraph')} hidden"
    if removed:
        return f"hidden: {plural(removed, 'boilerplate paragraph')} removed from the old version"
    return None


def version_label(position: int) -> str:
    return f"v{position + 1}"


def percent(share: float) -> str:
    """A share as people read it: 0.004 is "<1%", not "0%"; 0.996 is ">99%", not "100%"."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{share:.0%}"


def reuse_note(result: Comparison, change: Change) -> str | None:
    """How much of a change's NEW text came from OLD, and from which paragraphs: "62% from old
    ¶5 and ¶12". None where there is nothing to say (carried text is all from its paragraph)."""
    if not change.new or change.kind is Kind.UNCHANGED or not result.spans:
        return None
    from cpsdiff.diff.provenance import sources
    from cpsdiff.diff.spans import covered

    spans = [span for j in change.new for span in result.spans[j]]
    length = sum(len(result.new.paragraphs[j].text) for j in change.new)
    inside = sum(covered(result.spans[j], len(result.new.paragraphs[j].text)) for j in change.new)
    if not inside:
        return None
    # the paragraphs the change links come first, then the others, most text first
    olds = [old for old, _ in sources(spans)]
    olds = [old for old in change.old if old in olds] + [old for old in olds if old not in change.old]
    return f"{percent(inside / length)} from old {_places([f'¶{old + 1}' for old in olds])}"


def blame_reuse_note(paragraph: ParagraphBlame) -> str | None:
    """How much of a new or edited paragraph of reporting lies in text of earlier versions, and
    where, most text first: "45% from v2 ¶7"."""
    if paragraph.status not in ("new", "edited") or paragraph.boilerplate or not paragraph.reused:
        return None
    from cpsdiff.diff.provenance import sources

    places = [place for place, _ in sources(paragraph.spans, attrgetter("source", "old"))]
    return f"{percent(paragraph.reused)} from {_places([f'{version_label(v)} ¶{p + 1}' for v, p in places])}"


def _places(names: Sequence[str]) -> str:
    """At most three places, in words: "¶5", "¶5 and ¶12", "¶5, ¶12, ¶2 and 4 more"."""
    shown = list(names[:3]) + ([f"{len(names) - 3} more"] if len(names) > 3 else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def similarity_words(similarity: float) -> str:
    """A similarity in words. It is 2 × the words kept in order ÷ the words of both versions:
    0.5 is half the wording kept."""
    if similarity >= 0.9:
        return "nearly all the wording kept"
    if similarity >= 0.7:
        return "most of the wording kept"
    if similarity >= 0.55:
        return "more than half the wording kept"
    if similarity >= 0.45:
        return "about half the wording kept"
    if similarity >= 0.25:
        return "less than half the wording kept"
    return "little of the wording kept"


REPAIRED_NOTE = "same text once its encoding damage (mojibake) is repaired"


def shown_diff(result: Comparison, change: Change) -> WordDiff | None:
    """The word diff as the views show it: inserted text reused from another OLD paragraph than
    the ones linked is marked as moved in (op provenance.MOVED_IN)."""
    if change.diff is None or change.kind not in (Kind.EDITED, Kind.MERGED) or not result.spans:
        return change.diff
    from cpsdiff.diff.provenance import with_moved_in

    return with_moved_in(change.diff, result.spans[change.new[0]], change.old)
