"""Word-level diffs with diff-match-patch: deterministic, readable, and cheap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from diff_match_patch import diff_match_patch

from cpsdiff.model import WordDiff

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]")
_OPS = {0: "=", -1: "-", 1: "+"}


def _engine() -> diff_match_patch:
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # no time limit: the same inputs always give the same diff
    return engine


_DMP = _engine()


def _encode(tokens: list[str], table: dict[str, str], vocab: list[str]) -> str:
    # One character per distinct token, so the character diff is a token diff.
    chars = []
    for token in tokens:
        char = table.get(token)
        if char is None:
            code = len(vocab) + 1
            if code >= 0xD800:  # skip the surrogate range
                code += 0x800
            char = table[token] = chr(code)
            vocab.append(token)
        chars.append(char)
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class WordComparison:
    diff: WordDiff  # semantically cleaned up, for people
    kept: int  # words in common, in order (from the diff before clean-up)
    old_words: int
    new_words: int

    @property
    def similarity(self) -> float:
        """Share of words kept: 2 × kept / (old words + new words)."""
        total = self.old_words + self.new_words
        return 1.0 if total == 0 else 2 * self.kept / total


def count_words(text: str) -> int:
    return sum(1 for token in _TOKEN.findall(text) if token[0].isalnum() or token[0] == "_")


@lru_cache(maxsize=16384)  # corpora diff the same pair of sentences more than once
def compare_words(old: str, new: str) -> WordComparison:
    """Word-level diff of two texts, with the similarity measured before clean-up.

    Clean-up merges small kept islands into edits for readability; measuring after it would
    call a verbatim quote inside a rewritten paragraph "nothing kept".
    """
    table: dict[str, str] = {}
    vocab: list[str] = []
    a = _encode(_TOKEN.findall(old), table, vocab)
    b = _encode(_TOKEN.findall(new), table, vocab)
    decode = {char: token for token, char in table.items()}
    diffs = _DMP.diff_main(a, b, False)
    kept = sum(count_words("".join(decode[c] for c in chars)) for op, chars in diffs if op == 0)
    _DMP.diff_cleanupSemantic(diffs)
    result: list[tuple[str, str]] = []
    for op, chars in diffs:
        text = "".join(decode[c] for c in chars)
        if result and result[-1][0] == _OPS[op]:
            result[-1] = (result[-1][0], result[-1][1] + text)
        else:
            result.append((_OPS[op], text))
    return WordComparison(tuple(result), kept, count_words(old), count_words(new))
