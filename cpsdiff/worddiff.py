"""Word-level diffs with diff-match-patch: deterministic, readable, and cheap."""

from __future__ import annotations

import re

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


def word_diff(old: str, new: str) -> WordDiff:
    """[(op, text)] with op "=", "-" or "+", at word granularity, semantically cleaned up."""
    table: dict[str, str] = {}
    vocab: list[str] = []
    a = _encode(_TOKEN.findall(old), table, vocab)
    b = _encode(_TOKEN.findall(new), table, vocab)
    decode = {char: token for token, char in table.items()}
    diffs = _DMP.diff_main(a, b, False)
    _DMP.diff_cleanupSemantic(diffs)
    result: list[tuple[str, str]] = []
    for op, chars in diffs:
        text = "".join(decode[c] for c in chars)
        if result and result[-1][0] == _OPS[op]:
            result[-1] = (result[-1][0], result[-1][1] + text)
        else:
            result.append((_OPS[op], text))
    return tuple(result)


def _word_count(text: str) -> int:
    return sum(1 for token in _TOKEN.findall(text) if token[0].isalnum() or token[0] == "_")


def similarity(diff: WordDiff) -> float:
    """Share of words kept: 2 × kept / (old words + new words)."""
    kept = sum(_word_count(text) for op, text in diff if op == "=")
    old = kept + sum(_word_count(text) for op, text in diff if op == "-")
    new = kept + sum(_word_count(text) for op, text in diff if op == "+")
    return 1.0 if old + new == 0 else 2 * kept / (old + new)


def kept_words(diff: WordDiff) -> int:
    return sum(_word_count(text) for op, text in diff if op == "=")


def changed_words(diff: WordDiff) -> tuple[int, int]:
    """(words removed, words inserted) in a diff."""
    removed = sum(_word_count(text) for op, text in diff if op == "-")
    added = sum(_word_count(text) for op, text in diff if op == "+")
    return removed, added
