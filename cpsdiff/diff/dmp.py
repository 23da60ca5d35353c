"""Character diffs: diff-match-patch's algorithm, from its C++ build when it is installed
(fast-diff-match-patch, several times faster) and from the pure-Python package otherwise. Both
give the same diff (a test checks them against each other); there is no time limit, so the
same inputs always give the same diff.

Ops are "=" kept, "-" deleted, "+" inserted (the C++ build's own), each with its text.
"""

from __future__ import annotations

import os
from functools import cache

Diff = list[tuple[str, str]]
_OPS = {0: "=", -1: "-", 1: "+"}  # the pure-Python build's ops


@cache
def _fast():
    """The C++ build, or None (not installed, or CPSDIFF_PURE_DMP set to compare the two)."""
    if os.environ.get("CPSDIFF_PURE_DMP"):
        return None
    try:
        from fast_diff_match_patch import diff
    except ImportError:
        return None
    return diff


@cache
def _pure():
    from diff_match_patch import diff_match_patch

    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # no time limit: the same inputs always give the same diff
    return engine


def diff(old: str, new: str) -> Diff:
    """The diff of two strings, neighbours of one op merged."""
    fast = _fast()
    if fast is not None:
        return fast(old, new, timelimit=0, checklines=False, cleanup="No", counts_only=False)
    return [(_OPS[op], text) for op, text in _pure().diff_main(old, new, False)]


def diff_and_readable(old: str, new: str) -> tuple[Diff, Diff]:
    """The diff, and the same after diff-match-patch's semantic clean-up (for people)."""
    fast = _fast()
    if fast is not None:
        raw = fast(old, new, timelimit=0, checklines=False, cleanup="No", counts_only=False)
        readable = fast(old, new, timelimit=0, checklines=False, cleanup="Semantic", counts_only=False)
        return raw, readable
    raw = _pure().diff_main(old, new, False)
    readable = list(raw)
    _pure().diff_cleanupSemantic(readable)
    return [(_OPS[op], text) for op, text in raw], [(_OPS[op], text) for op, text in readable]
