"""Quoted text and who said it."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

_MARK = re.compile(r'[“”"]')
_SPEECH = r"(?:said|says|wrote|writes|added|adds|told|tells|stated|explained|argued|warned|asked|noted|tweeted|posted)"
# Attribution after a quote: “…,” Dr. Jane Doe said / “…,” said Jane Doe, the mayor.
_AFTER = re.compile(
    rf"[”\"]\s*,?\s*(?:(?P<name>(?:[A-Z][\w.’'-]*\s+){{0,6}}[A-Z][\w.’'-]*|the [a-z]+(?: [a-z]+)?|he|she|they)\s+{_SPEECH}"
    rf"|{_SPEECH}\s+(?P<name2>(?:[A-Z][\w.’'-]*\s+){{0,4}}[A-Z][\w.’'-]*))"
)
# Attribution before a quote or a colon: Jane Doe said in a statement: “…”  /  …wrote on Friday:
_BEFORE = re.compile(
    rf"(?P<name>(?:[A-Z][\w.’'-]*\s+){{0,6}}[A-Z][\w.’'-]*|the [a-z]+|he|she|they)\s+{_SPEECH}\b[^“\"]{{0,60}}[:,]\s*(?:[“\"]|$)"
)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside quotation marks; an unclosed quote runs to the end, as
    news style leaves a quote open when it continues in the next paragraph."""
    ranges = []
    start = None
    for match in _MARK.finditer(text):
        char, i = match.group(), match.start()
        if char == "“" or (char == '"' and start is None):
            start = i + 1
        elif start is not None:
            ranges.append((start, i))
            start = None
    if start is not None:
        ranges.append((start, len(text)))
    return ranges


# Every sentence of a paragraph asks about the same paragraph: worked out once per paragraph text,
# not once per sentence (a transcript of thousands of quotes in one paragraph was quadratic).
@lru_cache(maxsize=256)
def _paragraph_ranges(paragraph: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """quoted_ranges(paragraph) and their ends: the ranges follow one another without overlap,
    so both are sorted."""
    ranges = tuple(quoted_ranges(paragraph))
    return ranges, tuple(b for _, b in ranges)


def quoted_in(paragraph: str, start: int, end: int) -> list[str]:
    """The quoted text of paragraph[start:end] (a sentence), quotes opened earlier included."""
    ranges, ends = _paragraph_ranges(paragraph)
    spans = []
    k = bisect_right(ends, start)  # the first range ending after START
    while k < len(ranges) and ranges[k][0] < end:
        a, b = ranges[k]
        spans.append(paragraph[max(a, start) : min(b, end)])
        k += 1
    return [s.strip(" ,") for s in spans if s.strip(" ,")]


def speaker(sentence: str, paragraph: str, previous: str | None = None) -> str | None:
    """Who is quoted: named in the sentence, else in its paragraph, else in a lead-in paragraph
    that ends with a colon."""
    found = _attribution(sentence) or _paragraph_attribution(paragraph)
    if found:
        return found
    if previous and previous.rstrip().endswith(":"):
        return _paragraph_attribution(previous)
    return None


def _attribution(text: str) -> str | None:
    for pattern in (_AFTER, _BEFORE):
        match = pattern.search(text)
        if match:
            name = match.groupdict().get("name") or match.groupdict().get("name2")
            if name:
                return name.strip().rstrip(".,")
    return None


# A paragraph without an attribution is searched to its end, once for each of its sentences.
_paragraph_attribution = lru_cache(maxsize=256)(_attribution)
