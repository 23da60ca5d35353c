"""Normalisation and hashing: the keys that decide when two pieces of text are "the same"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import xxhash

from cpsdiff.text.repair import looks_damaged, repaired_text

# Typographic variants that newsrooms swap freely between updates. (A loop of str.replace is
# several times faster than str.translate with a dict for the usual few hits per paragraph.)
_TYPOGRAPHY = tuple(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-",
    }.items()
)
_WORD = re.compile(r"\w+(?:'\w+)*")


def text_hash(text: str) -> str:
    """xxh3-64 of the text as 16 hex digits."""
    return xxhash.xxh3_64_hexdigest(text.encode("utf-8"))


def collapse_whitespace(text: str) -> str:
    """The exact text, with every run of whitespace (line breaks, NBSP, tabs) as one space."""
    return " ".join(text.split())


def preview(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut with an ellipsis."""
    flat = collapse_whitespace(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_DIACRITICS = re.compile("[\u0300-\u036f]+")  # combining accents of Latin, Greek and Cyrillic


def fold(text: str) -> str:
    """Typography and accents folded: straight quotes, ASCII dashes, ``naïve`` → ``naive``."""
    for fancy, plain in _TYPOGRAPHY:
        if fancy in text:
            text = text.replace(fancy, plain)
    if not text.isascii():
        text = unicodedata.normalize("NFC", _DIACRITICS.sub("", unicodedata.normalize("NFD", text)))
    return text


def normalize(text: str) -> str:
    """Matching form: encoding damage repaired, NFKC, straight quotes, ASCII dashes, accents
    dropped, single spaces, case-folded."""
    if text.isascii():
        return " ".join(text.split()).lower()
    if looks_damaged(text):
        text = repaired_text(text)
    folded = fold(unicodedata.normalize("NFKC", text))
    return " ".join(folded.split()).casefold()


def words(normalized: str) -> list[str]:
    """Word tokens of normalised text; punctuation and hyphens separate words."""
    return _WORD.findall(normalized)


@lru_cache(maxsize=65536)  # a corpus repeats most sentences from version to version
def normalized_words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(text)))


def _fold(chunk: str) -> str:
    """normalize() of one character and its combining marks, whitespace left alone."""
    return fold(unicodedata.normalize("NFKC", chunk)).casefold()


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """The words of normalize(text), each with the (start, end) of the characters of ``text`` it
    came from. Normalising a character at a time (with its combining marks) gives the same words
    as normalising the whole text, except for the rare sequences NFKC composes (Hangul jamo)."""
    folded: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = _fold(text[i:j])
        folded.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    joined = "".join(folded)
    return [(m.group(), starts[m.start()], ends[m.end() - 1]) for m in _WORD.finditer(joined)]


def as_written(text: str, run: Sequence[str]) -> str:
    """Consecutive normalised words of ``text`` shown as the text writes them: case, punctuation
    and typography kept, whitespace collapsed. The words themselves if the text lacks them."""
    spans = word_spans(text)
    tokens = [word for word, _, _ in spans]
    size = len(run)
    for i in range(len(tokens) - size + 1) if size else ():
        if tokens[i] == run[0] and tokens[i : i + size] == list(run):
            return collapse_whitespace(text[spans[i][1] : spans[i + size - 1][2]])
    return " ".join(run)


def exact_hash(text: str) -> str:
    return text_hash(collapse_whitespace(text))


def norm_hash(text: str) -> str:
    return text_hash(normalize(text))


def exact_and_norm_hash(text: str) -> tuple[str, str]:
    """(exact_hash(text), norm_hash(text)); for ASCII text, from one collapsing of whitespace."""
    if text.isascii():
        flat = " ".join(text.split())
        return text_hash(flat), text_hash(flat.lower())
    return exact_hash(text), norm_hash(text)


# C0/C1 controls (ESC would let article text drive the terminal) and bidi overrides: shown,
# never obeyed. Tabs and newlines are ordinary text.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text from an article, with control characters replaced by visible escapes."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """A message on one line, whatever a file name, a URL or a server put in it: controls shown
    as escapes, newlines and tabs too."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")
