"""Keys of rows a store is known to hold, so a writer can leave out rows INSERT OR IGNORE would
skip. An ingest meets most texts and sentences again in later versions; a set lookup here costs
less than SQLite finding the row in its index (2.7 of a 10,000-version ingest's 9 CPU
seconds in the writing process went to those two statements)."""

from __future__ import annotations

from collections.abc import Iterable

# Past this many keys of one kind (texts, sentences) the set starts again, which loses only the
# saving: at most 57 MB of keys for each kind
LIMIT = 500_000


class Committed:
    """Keys of rows that are in the store and stay there: the store deletes no text or distinct
    sentence once it has opened (only the upgrade of an older schema does, before that). Rows a
    statement of the transaction under way has written count once that transaction commits."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._written: set[str] = set()

    def may_be_missing(self, key: str) -> bool:
        return key not in self._known and key not in self._written

    def written(self, keys: Iterable[str]) -> None:
        """Rows with these keys are in the transaction under way: called once the statement
        that wrote them has succeeded, as a failed one may have written only some."""
        self._written.update(keys)

    def commit(self) -> None:
        """The transaction under way is committed: its rows are there to stay."""
        if len(self._known) + len(self._written) > LIMIT:
            self._known.clear()
        if len(self._written) <= LIMIT:
            self._known |= self._written
        self._written.clear()

    def rollback(self) -> None:
        """The transaction under way is gone, and its rows with it."""
        self._written.clear()
