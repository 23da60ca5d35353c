"""Word-level diffs with diff-match-patch: deterministic, readable, and bounded in cost.

Tokens are compared by their normalised form (case, curly quotes, dashes, kinds of space), so
typography never lowers a similarity; the diff still shows the text as written, and a change of
typography alone appears as a small - / + pair. Long texts are diffed sentence by sentence
first, and word by word only inside the sentences that changed: diff-match-patch is quadratic
in the size of what differs.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from cpsdiff.diff import dmp
from cpsdiff.model import WordDiff
from cpsdiff.text.normalize import normalize
from cpsdiff.text.segment import sentence_spans

_WORD_TOKEN = r"\w+(?:['’]\w+)*"
_TOKEN = re.compile(_WORD_TOKEN + r"|\s+|[^\w\s]")
_WORD = re.compile(_WORD_TOKEN)  # finds exactly the word tokens of _TOKEN: no other token starts with \w
WORD_LEVEL_LIMIT = 3000  # tokens in both texts together; beyond it, sentences first


@lru_cache(maxsize=65536)
def _key(token: str) -> str:
    if token.isspace():
        return " "
    return token.lower() if token.isascii() else normalize(token)


def _encode(keys: Sequence[Hashable], table: dict[Hashable, str]) -> str:
    # One character per distinct key, so the character diff is a token diff. New keys get the
    # next code in order of first appearance; the lookups themselves run in C (map, join).
    for key in dict.fromkeys(keys):
        if key not in table:
            code = len(table) + 1
            if code >= 0xD800:  # skip the surrogate range
                code += 0x800
            table[key] = chr(code)
    return "".join(map(table.__getitem__, keys))


def diff_sequences(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """The equal blocks (old start, new start, length) of a diff of two sequences of keys: the
    longest common subsequence diff-match-patch finds, with no time limit."""
    table: dict[Hashable, str] = {}
    blocks = []
    i = j = 0
    for op, chars in dmp.diff(_encode(old, table), _encode(new, table)):
        n = len(chars)
        if op == "=":
            blocks.append((i, j, n))
        if op != "+":
            i += n
        if op != "-":
            j += n
    return blocks


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


def _words_before(tokens: list[str]) -> list[int]:
    """How many of ``tokens`` before each position are words (one more entry: all of them)."""
    word = {token: _is_word(token) for token in dict.fromkeys(tokens)}  # each distinct token once
    return list(accumulate(map(word.__getitem__, tokens), initial=0))


@dataclass(frozen=True, slots=True)
class WordComparison:
    diff: WordDiff  # semantically cleaned up, for people
    kept: int  # words in common, in order, compared normalised (from the diff before clean-up)
    old_words: int
    new_words: int

    @property
    def similarity(self) -> float:
        return _similarity(self.kept, self.old_words, self.new_words)


def _similarity(kept: int, old_words: int, new_words: int) -> float:
    """Share of words kept: 2 × kept / (old words + new words)."""
    total = old_words + new_words
    return 1.0 if total == 0 else 2 * kept / total


class _Builder:
    """Collects (op, text) pairs, merging neighbours with the same op. Texts are kept as lists
    of pieces and joined once: growing one string piece by piece is quadratic in a long text."""

    def __init__(self) -> None:
        self._ops: list[tuple[str, list[str]]] = []

    @property
    def ops(self) -> list[tuple[str, str]]:
        return [(op, "".join(pieces)) for op, pieces in self._ops]

    def add(self, op: str, text: str) -> None:
        if not text:
            return
        if self._ops and self._ops[-1][0] == op:
            self._ops[-1][1].append(text)
        else:
            self._ops.append((op, [text]))

    def change(self, old: str, new: str) -> None:
        """A word written differently (case, typography) as a deletion and an insertion. The
        changes before it grow where they stand: joined and made again at every word, a run of
        words all written differently (a text put in capitals) was quadratic."""
        ops = self._ops
        if len(ops) >= 2 and ops[-1][0] == "=" and all(p.isspace() for p in ops[-1][1]) and ops[-2][0] != "=":
            # "[-City Public-] [-Schools-]{+schools+}" reads better as one change
            space = ops.pop()[1]
            start = len(ops)
            while start and ops[start - 1][0] != "=":
                start -= 1
            deleted = [piece for op, pieces in ops[start:] if op == "-" for piece in pieces]
            inserted = [piece for op, pieces in ops[start:] if op != "-" for piece in pieces]
            del ops[start:]
            ops.append(("-", [*deleted, *space, old]))
            ops.append(("+", [*inserted, *space, new]))
            return
        # deletions before insertions, as diff-match-patch orders them
        if ops and ops[-1][0] == "+" and old:
            inserted = ops.pop()[1]
            self.add("-", old)
            inserted.append(new)
            ops.append(("+", inserted))
        else:
            self.add("-", old)
            self.add("+", new)


def _encoded(old_tokens: list[str], new_tokens: list[str]) -> tuple[str, str]:
    table: dict[str, str] = {}
    return _encode(list(map(_key, old_tokens)), table), _encode(list(map(_key, new_tokens)), table)


def _kept(old_tokens: list[str], raw: dmp.Diff) -> int:
    """Words of OLD inside the equal stretches of a token diff (before clean-up)."""
    words_before = _words_before(old_tokens)
    kept = 0
    i = 0
    for op, chars in raw:
        if op == "=":
            kept += words_before[i + len(chars)] - words_before[i]
        if op != "+":
            i += len(chars)
    return kept


def _word_level(old_tokens: list[str], new_tokens: list[str], out: _Builder) -> int:
    """Diff two token lists into ``out``; returns the words kept."""
    raw, diffs = dmp.diff_and_readable(*_encoded(old_tokens, new_tokens))
    kept = _kept(old_tokens, raw)
    i = j = 0
    for op, chars in diffs:
        n = len(chars)
        if op == "-":
            out.add("-", "".join(old_tokens[i : i + n]))
            i += n
        elif op == "+":
            out.add("+", "".join(new_tokens[j : j + n]))
            j += n
        else:
            for old, new in zip(old_tokens[i : i + n], new_tokens[j : j + n]):
                if old == new:
                    out.add("=", old)
                else:  # the same word, written differently (case, quotes, dashes, spaces)
                    out.change(old, new)
            i += n
            j += n
    return kept


def _sentence_chunks(text: str) -> list[str]:
    starts = [start for start, _ in sentence_spans(text)] or [0]
    starts[0] = 0
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def _sentence_level(old: str, new: str, out: _Builder) -> int:
    """Diff sentence by sentence, then word by word inside each changed stretch if small."""
    old_chunks, new_chunks = _sentence_chunks(old), _sentence_chunks(new)
    table: dict[str, str] = {}
    a = _encode([normalize(c) for c in old_chunks], table)
    b = _encode([normalize(c) for c in new_chunks], table)
    diffs = dmp.diff(a, b)
    kept = 0
    i = j = 0
    pending_old: list[str] = []
    pending_new: list[str] = []

    def flush() -> int:
        found = 0
        old_part, new_part = "".join(pending_old), "".join(pending_new)
        old_tokens, new_tokens = _TOKEN.findall(old_part), _TOKEN.findall(new_part)
        if old_tokens and new_tokens and len(old_tokens) + len(new_tokens) <= WORD_LEVEL_LIMIT:
            found = _word_level(old_tokens, new_tokens, out)
        else:
            out.add("-", old_part)
            out.add("+", new_part)
        pending_old.clear()
        pending_new.clear()
        return found

    for op, chars in diffs:
        n = len(chars)
        if op == "-":
            pending_old.extend(old_chunks[i : i + n])
            i += n
        elif op == "+":
            pending_new.extend(new_chunks[j : j + n])
            j += n
        else:
            kept += flush()
            for old_chunk, new_chunk in zip(old_chunks[i : i + n], new_chunks[j : j + n]):
                kept += count_words(old_chunk)
                if old_chunk == new_chunk:
                    out.add("=", old_chunk)
                else:
                    _word_level(_TOKEN.findall(old_chunk), _TOKEN.findall(new_chunk), out)
            i += n
            j += n
    kept += flush()
    return kept


@lru_cache(maxsize=16384)
def word_similarity(old: str, new: str) -> float:
    """compare_words(old, new).similarity, without the readable diff: to decide, not to show."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) + len(new_tokens) > WORD_LEVEL_LIMIT:
        return compare_words(old, new).similarity
    kept = _kept(old_tokens, dmp.diff(*_encoded(old_tokens, new_tokens)))
    return _similarity(kept, count_words(old), count_words(new))


@lru_cache(maxsize=16384)  # corpora diff the same pair of sentences more than once
def compare_words(old: str, new: str) -> WordComparison:
    """Word-level diff of two texts; the similarity is measured before clean-up, because
    clean-up folds small kept islands (a verbatim quote in a rewritten paragraph) into edits."""
    out = _Builder()
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) + len(new_tokens) <= WORD_LEVEL_LIMIT:
        kept = _word_level(old_tokens, new_tokens, out)
    else:
        kept = _sentence_level(old, new, out)
    return WordComparison(tuple(out.ops), kept, count_words(old), count_words(new))
