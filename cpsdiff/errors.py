"""Errors the CLI turns into one-line messages, and the exit statuses (as in diff(1))."""

from enum import IntEnum


class ExitStatus(IntEnum):
    SAME = 0
    DIFFERENT = 1
    TROUBLE = 2
    INTERRUPTED = 130


class CpsdiffError(Exception):
    """A problem the user can fix; the message is shown as is."""


class InputError(CpsdiffError):
    """Unreadable, undecodable, binary or empty input, or a bad rules file."""


class StoreError(InputError):
    """A store that cannot be opened, read or written: missing, not a database, corrupt, read-only,
    not permitted, or locked by another writer for too long."""
