"""Mojibake: text that was UTF-8, decoded as Windows-1252 or Latin-1 somewhere on its way
(``Español`` → ``EspaÃ±ol``, ``don’t`` → ``donâ€™t``, a no-break space → ``Â``).

Repair is for matching only: the text shown stays what the user gave. ftfy undoes the damage
when the bytes survived; when a page lost the invisible middle bytes (``don’t`` → ``donât``),
the few shapes that remain are mapped back by hand. ftfy is imported only for a text that looks
damaged, so clean text costs a substring test.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

# A lead byte of a UTF-8 sequence (C2-F4) as Windows-1252 or Latin-1 shows it, followed by a
# continuation byte (80-BF) as they show it: what every double-encoded letter looks like
# (é -> Ã©, ’ -> â€™, ế -> áº¿, ж -> Ð¶), and what clean text almost never holds.
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_SEQUENCE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
_MARKS = ("Ã", "Â", "â")  # the lead bytes of the lossy shapes below
# Windows-1252 punctuation read as Latin-1 ("it\x92s" for "it’s"): C1 controls, which no clean
# text holds.
_CONTROL = re.compile("[\u0080-\u009f]")
# What lossy damage leaves: a contraction's apostrophe reduced to "â" ("donât", "itâs", "Iâm"),
# a dash reduced to a lone "â", a no-break space to "Â". Only contractions English has, so a
# name such as "Lâm" stays as it is.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])â(?=(?:s|re|ll|ve|d)\b)|(?<=n)â(?=t\b)|(?<=\bI)â(?=m\b)")
_LOST_DASH = re.compile(r"(?<=\s)â(?=\s)")
_LOST_SPACE = re.compile(r"Â(?=[\s\xa0]|$)")
# Runs of non-space; a no-break space right after "Ã" is the second byte of "à" (C3 A0).
_CHUNK = re.compile(r"(?:\S|(?<=Ã)\xa0)+")


def _suspect(text: str) -> bool:
    return bool(_SEQUENCE.search(text) or _CONTROL.search(text)) or any(mark in text for mark in _MARKS)


@lru_cache(maxsize=4096)
def looks_damaged(text: str) -> bool:
    """Whether the text shows double-encoding damage (cheap for clean text)."""
    if text.isascii() or not _suspect(text):
        return False
    if _CONTROL.search(text) or _LOST_APOSTROPHE.search(text) or _LOST_SPACE.search(text) or _LOST_DASH.search(text):
        return True
    from ftfy.badness import is_bad

    return is_bad(text)


@lru_cache(maxsize=16384)
def _repair_chunk(chunk: str) -> str:
    from ftfy import fix_encoding

    if chunk == "â":  # a dash whose other two bytes were lost
        return "—"
    fixed = fix_encoding(chunk)
    fixed = _LOST_APOSTROPHE.sub("’", fixed)
    return _LOST_SPACE.sub("", fixed)


class Repaired:
    """A repaired text and the way back to offsets in the text as given."""

    __slots__ = ("text", "_starts", "_pieces")

    def __init__(self, text: str, pieces: list[tuple[int, int, int, int]]):
        self.text = text
        # (repaired start, original start, repaired length, original length), in order
        self._pieces = pieces
        self._starts = [piece[0] for piece in pieces]

    def original_start(self, offset: int) -> int:
        """Where the character at ``offset`` of the repaired text starts in the original."""
        return self._map(offset, end=False)

    def original_end(self, offset: int) -> int:
        """Where a stretch of the repaired text ending at ``offset`` ends in the original."""
        return self._map(offset, end=True)

    def _map(self, offset: int, end: bool) -> int:
        k = bisect_right(self._starts, offset) - 1
        if k < 0:
            return offset
        start, original, length, original_length = self._pieces[k]
        if end and offset == start and k > 0:  # an end falls at the end of the piece before
            start, original, length, original_length = self._pieces[k - 1]
        inside = offset - start
        if length == original_length:
            return original + inside
        # a repaired chunk maps as a whole: a stretch touching it takes all of it
        if end:
            return original + (original_length if inside > 0 else 0)
        return original + (0 if inside < length else original_length)


def repair(text: str) -> Repaired:
    """The text with damaged chunks (runs of non-space) repaired, and an offset map."""
    pieces: list[tuple[int, int, int, int]] = []
    out: list[str] = []
    position = 0  # in the original
    length = 0  # of the repaired text so far
    damaged = looks_damaged(text)
    for match in _CHUNK.finditer(text) if damaged else ():
        chunk = match.group()
        if not _suspect(chunk):
            continue
        fixed = _repair_chunk(chunk)
        if fixed == chunk:
            continue
        if match.start() > position:
            kept = text[position : match.start()]
            pieces.append((length, position, len(kept), len(kept)))
            out.append(kept)
            length += len(kept)
        pieces.append((length, match.start(), len(fixed), len(chunk)))
        out.append(fixed)
        length += len(fixed)
        position = match.end()
    if not pieces:
        return Repaired(text, [(0, 0, len(text), len(text))])
    rest = text[position:]
    pieces.append((length, position, len(rest), len(rest)))
    out.append(rest)
    return Repaired("".join(out), pieces)


def repaired_text(text: str) -> str:
    """The text with any double-encoding damage undone (itself when clean)."""
    return repair(text).text if looks_damaged(text) else text
