"""Labels shared by the HTML and Markdown reports: how kinds, roles and families are named."""

from __future__ import annotations

from collections.abc import Iterable

from cpsdiff.lineage import Family
from cpsdiff.model import Kind, Role

KIND_MARK = {Kind.UNCHANGED: "=", Kind.EDITED: "~", Kind.ADDED: "+", Kind.REMOVED: "−", Kind.MERGED: "⇉", Kind.SPLIT: "⇇"}
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


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def refs(indices: Iterable[int]) -> str:
    """Paragraph numbers as shown: ¶1+¶2."""
    return "+".join(f"¶{i + 1}" for i in indices)


def version_label(position: int) -> str:
    return f"v{position + 1}"
