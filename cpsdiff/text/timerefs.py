"""Time references in news text, for ordering versions when they carry no timestamps.

A story update reports what already happened: "announced late Thursday", "said Friday morning",
"on Wednesday officials said". Mentions of the future ("until Monday", "a vote is expected
Thursday") say nothing about when the text was written and are ignored. The latest past
mention is a lower bound on the time of writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
MONTH_ABBREVIATIONS = {m[:3]: i for i, m in enumerate(MONTHS, 1)} | {"sept": 9}
# Part of the day, in order; "late Thursday" is late in the day.
_PARTS = {"early": 0, "dawn": 0, "midnight": 0, "morning": 1, "midday": 2, "noon": 2, "afternoon": 3,
          "evening": 4, "night": 5, "tonight": 5, "late": 5, "overnight": 5}
# Words that can stand right before the day: "late Tuesday", "before dawn Tuesday".
_LEADING = ("late", "early", "dawn", "midnight", "noon")
_FUTURE = frozenset(
    """will would could should can may might until till by before beyond next following starting
    through expected scheduled planned plans set due upcoming coming""".split()
)
_PAST_IRREGULAR = frozenset(
    """said told wrote sent gave came went took met spoke made held began left rose fell found
    became brought saw struck ran won lost paid chose put cut hit kept led read shut spent sought
    thought taught broke drew flew grew knew threw arose""".split()
)
_TOKEN = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")
_SENTENCE_END = frozenset(".!?")


@dataclass(frozen=True, slots=True)
class TimeRef:
    day: int | None  # weekday 0-6, or None for a calendar date
    date: tuple[int, int] | None  # (month, day)
    part: int | None  # part of the day (see _PARTS); None when the text does not say
    text: str  # the words as written, e.g. "late Thursday"


def _is_past_verb(word: str) -> bool:
    word = word.lower()
    return word in _PAST_IRREGULAR or (len(word) > 4 and word.endswith("ed"))


def _narrative(tokens: list[str], start: int, end: int, qualified: bool) -> bool:
    """Whether the mention at tokens[start:end] reports the past rather than plans."""
    before = []
    for token in reversed(tokens[max(0, start - 4) : start]):
        if token in _SENTENCE_END:
            break
        before.append(token.lower())
    if any(word in _FUTURE for word in before):
        return False
    if "as" in before and "early" in before:  # "as early as Monday"
        return False
    if qualified or "since" in before[:2]:
        return True
    after = [t for t in tokens[end : end + 3] if t.isalpha()]
    return any(_is_past_verb(w) for w in before[:3]) or any(_is_past_verb(w) for w in after[:2])


def time_refs(text: str) -> list[TimeRef]:
    """Past-tense time mentions in ``text``, in order of appearance."""
    tokens = _TOKEN.findall(text)
    refs = []
    for i, token in enumerate(tokens):
        if not token[0].isupper():
            continue  # days and months are proper nouns; "may" and "march" are words too
        word = token.lower()
        if word in WEEKDAYS:
            day, date, end = WEEKDAYS.index(word), None, i + 1
        elif word.rstrip(".") in MONTH_ABBREVIATIONS or word in MONTHS:
            month = MONTHS.index(word) + 1 if word in MONTHS else MONTH_ABBREVIATIONS[word]
            j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1] == ".")
            if j >= len(tokens) or not tokens[j].isdigit() or not 1 <= int(tokens[j]) <= 31:
                continue
            day, date, end = None, (month, int(tokens[j])), j + 1
        else:
            continue
        part = None
        previous = tokens[i - 1].lower() if i else ""
        following = tokens[end].lower() if end < len(tokens) else ""
        if previous in _LEADING:
            part = _PARTS[previous]
        if following in _PARTS and following not in _LEADING:
            part = _PARTS[following]
        start = i - 1 if previous in _LEADING or previous == "last" else i
        if previous in ("dawn", "midnight", "noon") and i > 1 and tokens[i - 2].lower() in ("before", "after"):
            start -= 1  # "before dawn Tuesday" is a time of day, not a deadline
        if not _narrative(tokens, start, end, qualified=part is not None):
            continue
        if previous == "last" and day is not None:
            day -= 7  # "last Friday": the week before
        words = tokens[start : end + (following in _PARTS)]
        refs.append(TimeRef(day, date, part, re.sub(r" (?=[.,])", "", " ".join(words))))
    return refs
