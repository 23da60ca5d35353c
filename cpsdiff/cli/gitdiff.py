"""cpsdiff as git's external diff driver (GIT_EXTERNAL_DIFF, diff.external, a .gitattributes
diff driver's diff.<name>.command).

git calls the driver once per changed file with 7 arguments,
``path old-file old-hex old-mode new-file new-hex new-mode``; for a rename or copy two more,
``new-path`` and a message (``similarity index 90%``…); for an unmerged path only ``path``. A
file that does not exist on one side (added, deleted) is ``/dev/null`` with hex and mode ".".
The driver must exit 0, or git stops with "external diff died".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cpsdiff.errors import InputError

DEV_NULL = "/dev/null"
_HEX = re.compile(r"(?:[0-9a-f]{40}|[0-9a-f]{64}|\.)")
_MODE = re.compile(r"(?:[0-7]{6}|\.)")
BINARY_PROBE = 8000  # git's own test: a NUL byte in the first 8000 bytes means binary


@dataclass(frozen=True, slots=True)
class GitCall:
    path: str
    old_file: str | None = None  # None: an unmerged path (git gives nothing to compare)
    new_file: str | None = None
    new_path: str | None = None  # a rename's or copy's new name

    @property
    def unmerged(self) -> bool:
        return self.old_file is None

    @property
    def old_label(self) -> str:
        return DEV_NULL if self.old_file == DEV_NULL else f"a/{self.path}"

    @property
    def new_label(self) -> str:
        return DEV_NULL if self.new_file == DEV_NULL else f"b/{self.new_path or self.path}"


def _shaped(args: list[str]) -> bool:
    return (
        len(args) in (7, 9)
        and all(_HEX.fullmatch(args[k]) for k in (2, 5))
        and all(_MODE.fullmatch(args[k]) for k in (3, 6))
    )


def is_external_call(args: list[str], environ=None) -> bool:
    """Whether a command line is git calling its external diff (``GIT_EXTERNAL_DIFF=cpsdiff``):
    7 or 9 arguments with object names and file modes where git puts them (no cpsdiff command
    line looks like that), or an unmerged path alone with the GIT_DIFF_PATH_COUNTER git sets."""
    import os

    environ = os.environ if environ is None else environ
    if len(args) == 1 and "GIT_DIFF_PATH_COUNTER" in environ:
        return not args[0].startswith("-")
    return _shaped(args)


def parse_call(args: list[str]) -> GitCall:
    """git's arguments as a GitCall; InputError when they are not what git passes."""
    if len(args) == 1:
        return GitCall(args[0])
    if not _shaped(args):
        raise InputError(
            "git-diff takes the arguments git gives an external diff: PATH OLD-FILE OLD-HEX OLD-MODE "
            f"NEW-FILE NEW-HEX NEW-MODE [NEW-PATH MESSAGE] (got {len(args)})"
        )
    return GitCall(args[0], args[1], args[4], args[7] if len(args) == 9 else None)


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:BINARY_PROBE]


def read_side(path: str) -> bytes:
    """The bytes of one side (/dev/null is the empty side of an added or deleted file)."""
    if path == DEV_NULL:
        return b""
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {(error.strerror or str(error)).lower()}") from None


def side_source(data: bytes, label: str, encoding: str | None = None):
    """One side as a loading.Source named ``label``: an empty side (an added or deleted file,
    an empty file) has no paragraphs."""
    from cpsdiff.inputs.loading import Source, source_from_bytes

    if not data.strip():
        return Source(label, "")
    return source_from_bytes(data, label, encoding)


def color_under_git(mode, environ=None):
    """--color auto under git: git pipes an external diff into its pager and says so in
    GIT_PAGER_IN_USE; colour there as git colours its own diff (NO_COLOR and TERM=dumb still
    win)."""
    import os

    from cpsdiff.render.output import ColorMode

    environ = os.environ if environ is None else environ
    pager = environ.get("GIT_PAGER_IN_USE", "").lower() in ("1", "true", "yes")
    if mode is ColorMode.AUTO and pager and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb":
        return ColorMode.ALWAYS
    return mode
