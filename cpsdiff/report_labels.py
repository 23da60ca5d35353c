"""Labels shared by the terminal, HTML and Markdown views: how kinds, roles, counts and
families are named, grouped and placed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cpsdiff.model import Kind, Role

if TYPE_CHECKING:  # the compare views use these labels too: they must not load the lineage code
    from cpsdiff.lineage import Family, Lineage

KIND_MARK = {Kind.UNCHANGED: "=", Kind.EDITED: "~", Kind.ADDED: "+", Kind.REMOVED: "−", Kind.MERGED: "⇉", Kind.SPLIT: "⇇"}
COUNT_LABEL = {"new": "new", "carried": "carried", "edited": "edited", "reused": "from another story",
               "boilerplate": "boilerplate"}  # a version's sentence counts (lineage.COUNTS)
ROLE_TEXT = {Role.NEW: "new reporting", Role.CARRIED: "carried", Role.BOILERPLATE: "boilerplate"}

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
    from cpsdiff.lineage import Reuse

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


def version_label(position: int) -> str:
    return f"v{position + 1}"
