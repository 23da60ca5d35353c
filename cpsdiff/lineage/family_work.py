"""Work on a lineage's families that may run in another process (a store builds its families
in its engine's workers): what the work is given, and the work the views do."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from cpsdiff.lineage.results import Family, VersionInfo


class VersionName(NamedTuple):
    """What naming a family's versions needs: work on families in another process gets these
    for the versions its families appear in, not every VersionInfo."""

    id: str
    story: str


class FamilyWork(Protocol):
    """Work on each family, as LineageRun.each does it: given the versions (a sequence by
    position, or a mapping from position to VersionName), a function of one family. A store's
    run may do it in other processes, so the work and its results must pickle."""

    def __call__(self, versions: Sequence[VersionInfo] | Mapping[int, VersionName]) -> Callable[[Family], Any]: ...


def family_itself(versions) -> Callable[[Family], Family]:
    """The FamilyWork that gives the families themselves."""
    return _itself


def _itself(family: Family) -> Family:
    return family


@dataclass(frozen=True)
class FamilyFilter:
    """Which families a view lists: seen in at least MIN_VERSIONS versions, of ROLE ("all",
    "reporting" or "boilerplate"), and with quote drift if DRIFT_ONLY. A value, so it pickles."""

    min_versions: int = 1
    role: str = "all"
    drift_only: bool = False

    def __call__(self, family: Family) -> bool:
        return (
            len({a.version for a in family.appearances}) >= self.min_versions
            and (self.role == "all" or family.role == self.role)
            and bool(family.drift or not self.drift_only)
        )
