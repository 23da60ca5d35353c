"""Keys of rows a store is known to hold, so a writer can leave out rows INSERT OR IGNORE would
skip. An ingest meets most texts and sentences again in later versions; a set lookup here costs
less than SQLite finding the row in its index (2.7 of a 10,000-version ingest's 9 CPU
seconds in the writing process went to those two statements)."""

from __future__ import annotations

# Past this many keys the set starts again, which loses only the saving: at most 57 MB of keys
LIMIT = 500_000


class Committed:
    """Keys of rows that are in the store and stay there (the store never deletes texts or
    distinct sentences): those committed, and those added by the transaction under way, which
    count only once it commits."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._pending: set[str] = set()

    def first_time(self, key: str) -> bool:
        """Whether a row with ``key`` may be missing from the store; if so, it is pending from now."""
        if key in self._known or key in self._pending:
            return False
        self._pending.add(key)
        return True

    def commit(self) -> None:
        if len(self._known) + len(self._pending) > LIMIT:
            self._known.clear()
        self._known |= self._pending
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()
