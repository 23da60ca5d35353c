"""Runs of consecutive words (word_runs), and the longest run two texts share, in time linear
in their length.

Measuring the shared run from every pair of equal starts is quadratic when words repeat (a
table's cells, "ha ha ha", a refrain): each start of one text meets every start of the other.
The other text's runs are kept instead in a suffix automaton (each state is a set of runs that
end at the same places, with an edge per word that extends them), and the one text is read
through it once, keeping at each word the longest run that ends there and is shared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def word_runs(words: Sequence[str], size: int) -> Iterator[tuple[str, ...]]:
    """Every run of SIZE consecutive WORDS, in order (none when there are fewer); zip makes the
    tuples in C."""
    return zip(*(words[k:] for k in range(size)))


class _Runs:
    """Every run of consecutive WORDS, as a suffix automaton (state 0 is the empty run)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.next: list[dict[str, int]] = [{}]
        self.link = [-1]  # the state of the longest shorter run that ends at more places
        self.length = [0]  # the longest run of each state
        last = 0
        for word in words:
            last = self._extend(last, word)

    def _state(self, length: int, link: int, next: dict[str, int]) -> int:
        self.next.append(next)
        self.link.append(link)
        self.length.append(length)
        return len(self.next) - 1

    def _extend(self, last: int, word: str) -> int:
        current = self._state(self.length[last] + 1, 0, {})
        state = last
        while state != -1 and word not in self.next[state]:
            self.next[state][word] = current
            state = self.link[state]
        if state == -1:
            return current
        after = self.next[state][word]
        if self.length[state] + 1 == self.length[after]:
            self.link[current] = after
            return current
        clone = self._state(self.length[state] + 1, self.link[after], dict(self.next[after]))
        while state != -1 and self.next[state].get(word) == after:
            self.next[state][word] = clone
            state = self.link[state]
        self.link[after] = self.link[current] = clone
        return current


def longest_common_run(a: Sequence[str], b: Sequence[str], minimum: int) -> list[str]:
    """The longest run of consecutive words that A and B share, if at least MINIMUM long; of
    equally long ones, the first in A."""
    if min(len(a), len(b)) < minimum:
        return []
    runs = _Runs(b)
    state = length = best = best_end = 0
    for end, word in enumerate(a):
        while state and word not in runs.next[state]:
            state = runs.link[state]
            length = runs.length[state]
        if word in runs.next[state]:
            state = runs.next[state][word]
            length += 1
        else:  # not in B at all
            state = length = 0
        if length > best:
            best, best_end = length, end
    return list(a[best_end - best + 1 : best_end + 1]) if best and best >= minimum else []
