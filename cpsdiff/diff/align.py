"""Align the paragraphs of two versions: equal paragraphs first, then verified near duplicates.

Equal paragraphs (the same text; the same once mojibake is repaired; the same normalised text)
pair in order (cpsdiff.diff.pairing), so repeated ones never pair crosswise. The rest is linked by a
list of links, each tying one or more OLD paragraphs to one or more NEW ones (1:1 edits, n:1
merges, 1:n splits). Candidates come from an inverted index of word shingles, never from all
pairs, and every link is verified with a word-level similarity or strong evidence (a shared
sentence, quote or rare phrase).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from cpsdiff.diff.pairing import pair_in_order
from cpsdiff.diff.worddiff import WordComparison, compare_words
from cpsdiff.model import Document, Kind, Paragraph
from cpsdiff.text.normalize import as_written, exact_hash, normalize, normalized_words, words
from cpsdiff.text.repair import looks_damaged, repaired_text
from cpsdiff.text.runs import longest_common_run, word_runs

if TYPE_CHECKING:
    from cpsdiff.forked import Spare

SHINGLE = 3  # words per shingle for paragraph and sentence matching
EDIT_SIMILARITY = 0.5  # word similarity that makes two paragraphs the same paragraph, edited
EVIDENCE_SIMILARITY = 0.2  # enough when a quote, sentence or rare phrase is shared
BOILERPLATE_SIMILARITY = 0.75  # chrome is only linked to chrome that is nearly the same
SENTENCE_MATCH = 0.5  # shingle Jaccard for two sentences to count as the same sentence
MIN_SENTENCE_WORDS = 5
COMMON_SENTENCE_SHINGLE = 64  # a shingle in more sentences of one paragraph is a repeated phrase
MIN_PART_SHARE = 0.3  # a merge/split part carries at least this share of the smaller paragraph
TRIM_SHARE = 0.6  # a paragraph cut down (or extended): kept words cover this share of the shorter
TRIM_WORDS = 8
COMMON_SHINGLE = 8  # a shingle in more OLD paragraphs than this (or √n) is not evidence
MAX_CANDIDATES = 12  # OLD paragraphs considered for each NEW one, most shared shingles first
QUOTE_WORDS = 5
RARE_PHRASE_WORDS = 6
# Below these, a second process for part of the work saves nothing measurable (README, "Two
# processes"): leftover NEW paragraphs to find candidate edges for, and pairs to verify.
BACKGROUND_PARAGRAPHS = 400
BACKGROUND_VERIFICATIONS = 400
# Of the expected verifications, by words, the share made in this process: more than half,
# as the child pays for copying each page of memory it touches (1 MB heavy pair: it waits least)
SHARE_KEPT = 0.55
_QUOTED = re.compile(r'"([^"]{8,})"')


@dataclass(slots=True)
class Link:
    kind: Kind
    old: tuple[int, ...]
    new: tuple[int, ...]
    evidence: str | None = None
    words: WordComparison | None = None  # the word diff made while verifying a 1:1 link
    repaired: bool = False  # equal once encoding damage is repaired


def _shingles(tokens: Sequence[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return set(word_runs(tokens, size))


@dataclass(slots=True)
class _Features:
    words: list[str]
    shingles: set[tuple[str, ...]]
    sentences: list[tuple[str, set[tuple[str, ...]], int]]  # (norm hash, shingles, words)
    quoted: list[list[str]]
    phrases: set[tuple[str, ...]]  # RARE_PHRASE_WORDS-word shingles
    boilerplate: bool
    text: str  # as written, to quote evidence the way the article does
    _index: tuple[dict, dict] | None = None  # see sentence_index

    def sentence_index(self) -> tuple[dict[str, int], dict[tuple[str, ...], list[int]]]:
        """Its sentences (of at least MIN_SENTENCE_WORDS words) by norm hash (the first with
        it) and by shingle: a huge paragraph is matched sentence by sentence through these,
        never against every sentence of the other."""
        if self._index is None:
            by_hash: dict[str, int] = {}
            by_shingle: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for i, (norm, shingles, count) in enumerate(self.sentences):
                if count >= MIN_SENTENCE_WORDS:
                    by_hash.setdefault(norm, i)
                    for shingle in shingles:
                        by_shingle[shingle].append(i)
            self._index = (by_hash, by_shingle)
        return self._index

    @classmethod
    def of(cls, paragraph: Paragraph, boilerplate: bool) -> _Features:
        normalized = normalize(paragraph.text)
        tokens = words(normalized)
        sentences = []
        for sentence in paragraph.sentences:
            sentence_words = normalized_words(sentence.text)
            sentences.append((sentence.norm_hash, _shingles(sentence_words), len(sentence_words)))
        quoted = [words(q) for q in _QUOTED.findall(normalized)]
        phrases = _shingles(tokens, RARE_PHRASE_WORDS) if len(tokens) >= RARE_PHRASE_WORDS else set()
        return cls(tokens, _shingles(tokens), sentences, quoted, phrases, boilerplate, paragraph.text)


@dataclass(slots=True)
class _Edge:
    old: int
    new: int
    weight: int
    evidence: str | None = None
    # the sentences the two paragraphs share, worked out when first needed (most candidate
    # edges of a long rewrite are never looked at: both their ends find partners first)
    matched: tuple[frozenset[int], frozenset[int], int] | None = None

    def sentences(self, old, new) -> tuple[frozenset[int], frozenset[int], int]:
        """(sentences of OLD found in NEW, sentences of NEW found in OLD, their words)."""
        if self.matched is None:
            old_hit, new_hit, words = _sentence_matches(old[self.old], new[self.new])
            self.matched = (frozenset(old_hit), frozenset(new_hit), words)
        return self.matched


@dataclass
class _Component:
    """Linked paragraphs being built up greedily: a star around one OLD or one NEW paragraph."""

    old: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    covered_old: set[tuple[int, int]] = field(default_factory=set)  # (paragraph, sentence)
    covered_new: set[tuple[int, int]] = field(default_factory=set)
    evidence: str | None = None
    words: WordComparison | None = None


def _sentence_matches(a: _Features, b: _Features) -> tuple[set[int], set[int], int]:
    """Sentences of a and b that are the same sentence (exactly or nearly: shingle Jaccard at
    least SENTENCE_MATCH), and their words. Each sentence of b takes the first of a that is the
    same, among those sharing its hash or a shingle with it (a shingle in more than
    COMMON_SENTENCE_SHINGLE sentences of a, a repeated phrase, finds none on its own)."""
    by_hash, by_shingle = a.sentence_index()
    a_hit: set[int] = set()
    b_hit: set[int] = set()
    shared_words = 0
    for j, (b_hash, b_shingles, b_words) in enumerate(b.sentences):
        if b_words < MIN_SENTENCE_WORDS:
            continue
        candidates = {by_hash[b_hash]} if b_hash in by_hash else set()
        for shingle in b_shingles:
            postings = by_shingle.get(shingle)
            if postings and len(postings) <= COMMON_SENTENCE_SHINGLE:
                candidates.update(postings)
        for i in sorted(candidates):
            a_hash, a_shingles, a_words = a.sentences[i]
            if a_hash != b_hash:
                common = len(a_shingles & b_shingles)
                union = len(a_shingles) + len(b_shingles) - common
                if union == 0 or common / union < SENTENCE_MATCH:
                    continue
            a_hit.add(i)
            b_hit.add(j)
            shared_words += min(a_words, b_words)
            break
    return a_hit, b_hit, shared_words


def _first_shared_quote(a: list[list[str]], b: list[list[str]]) -> tuple[list[str], list[str]] | None:
    """The first quote of A, with the first quote of B, that share a run of QUOTE_WORDS words.
    B's runs are indexed once: trying every pair of quotes made a paragraph of 2,000 quotes
    against another take 12 s."""
    first: dict[tuple[str, ...], int] = {}  # a run of words -> the first quote of B holding it
    for k, quote in enumerate(b):
        for run in word_runs(quote, QUOTE_WORDS):
            first.setdefault(run, k)
    for quote in a:
        found = [first[run] for run in word_runs(quote, QUOTE_WORDS) if run in first]
        if found:
            return quote, b[min(found)]
    return None


def _evidence(a: _Features, b: _Features, rare: set[tuple[str, ...]]) -> str | None:
    """A quote or rare phrase that both paragraphs share: strong sign of a rewrite. It is quoted
    as the newer paragraph (b) writes it, matched on normalised words."""
    pair = _first_shared_quote(a.quoted, b.quoted)
    if pair is not None:
        return f"shared quote “{as_written(b.text, longest_common_run(*pair, QUOTE_WORDS))}”"
    if rare and a.phrases & b.phrases & rare:
        run = longest_common_run(a.words, b.words, RARE_PHRASE_WORDS)
        if run:
            return f"shared phrase “{as_written(b.text, run)}”"
    return None


def _rare_phrases(old: list[_Features], new: list[_Features], old_ids, new_ids) -> set:
    """Long phrases found in exactly one leftover paragraph of each version."""
    old_counts = Counter(s for i in old_ids for s in old[i].phrases)
    new_counts = Counter(s for j in new_ids for s in new[j].phrases)
    return {s for s, n in old_counts.items() if n == 1 and new_counts.get(s) == 1}


def _candidate_edges(old, new, old_ids, new_ids, spare: Spare | None) -> tuple[list[_Edge], set]:
    """Edges from each leftover NEW paragraph to the OLD ones it shares most shingles with,
    strongest first. With a CPU to spare, a second process finds those of the later half of the
    NEW paragraphs."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in old_ids:
        for shingle in old[i].shingles:
            index[shingle].append(i)
    # A phrase found in many paragraphs ("said in a statement on") links nothing in particular.
    common = max(COMMON_SHINGLE, int(len(old_ids) ** 0.5))
    rare = _rare_phrases(old, new, old_ids, new_ids)
    half = len(new_ids) // 2
    later = None
    if spare is not None and len(new_ids) >= BACKGROUND_PARAGRAPHS:
        later = spare.start(_edges_from, old, new, new_ids[half:], index, common, rare)
    try:
        edges = _edges_from(old, new, new_ids[:half], index, common, rare)
    except BaseException:
        if later is not None:
            later.close()  # not left running while the error is reported
        raise
    edges += later.result() if later else _edges_from(old, new, new_ids[half:], index, common, rare)
    edges.sort(key=lambda e: (-e.weight, e.new, e.old))  # a total order: the same whoever found them
    return edges, rare


def _edges_from(old, new, new_ids, index, common: int, rare: set) -> list[_Edge]:
    edges = []
    for j in new_ids:
        shared = Counter(
            i for shingle in new[j].shingles if len(postings := index.get(shingle, ())) <= common for i in postings
        )
        # most shared first, ties by position: Counter.most_common keeps insertion order, which
        # here follows a set of strings and so PYTHONHASHSEED
        for i, count in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]:
            a, b = old[i], new[j]
            if a.boilerplate != b.boilerplate:
                continue  # chrome never explains reporting, nor the other way round
            edge = _Edge(i, j, count)
            if count / min(len(a.shingles), len(b.shingles)) < 0.1:
                # Too little in common to be an edit: kept only with a shared sentence (which
                # shares two shingles or more), quote or phrase (three or more). Most candidates
                # of a rewrite share one or two shingles: they are out before any other work.
                in_common = len(a.shingles & b.shingles)
                if in_common < 2 or (not edge.sentences(old, new)[2] and in_common < 3):
                    continue
                if not edge.sentences(old, new)[2]:
                    edge.evidence = _evidence(a, b, rare)
                    if edge.evidence is None:
                        continue
            edges.append(edge)
    return edges


_Verdict = tuple[tuple[int, int], "_Component | None"]  # (OLD, NEW) paragraph and the link made, if any


def _verdicts(edges: Sequence[_Edge], old_doc: Document, new_doc: Document, old, new, rare) -> list[_Verdict]:
    return [((edge.old, edge.new), _accept_pair(edge, old_doc, new_doc, old, new, rare)) for edge in edges]


class _Verifier:
    """Verifies candidate pairs (_accept_pair). The greedy walk verifies, in order, nearly every
    edge whose two ends are still free when it comes to it; with a CPU to spare, a second process
    verifies the later share of those meanwhile. A verdict does not depend on where it was made."""

    def __init__(self, edges: Sequence[_Edge], old_doc: Document, new_doc: Document, old, new, rare,
                 spare: Spare | None) -> None:
        self._args = (old_doc, new_doc, old, new, rare)
        self._later: set[tuple[int, int]] = set()  # the pairs the second process verifies
        self._found: dict[tuple[int, int], _Component | None] = {}
        self._child = None
        if spare is None or not spare.free():
            return  # no walk to predict
        expected, old_taken, new_taken = [], set(), set()
        for edge in edges:  # the walk, as if every verification succeeded
            if edge.old not in old_taken and edge.new not in new_taken:
                expected.append(edge)
                old_taken.add(edge.old)
                new_taken.add(edge.new)
        if len(expected) >= BACKGROUND_VERIFICATIONS:
            # the strongest edges come first and join the longest paragraphs: split by words,
            # not by count
            sizes = [len(old[edge.old].words) + len(new[edge.new].words) for edge in expected]
            child_from = bisect_left(list(accumulate(sizes)), sum(sizes) * SHARE_KEPT)
            later = expected[child_from:]
            self._child = spare.start(_verdicts, later, *self._args)
            if self._child is not None:
                self._later = {(edge.old, edge.new) for edge in later}

    def verdict(self, edge: _Edge) -> _Component | None:
        pair = (edge.old, edge.new)
        if self._child is not None and pair in self._later:
            self._found = dict(self._child.result())
            self._child = None
        if pair in self._found:
            return self._found.pop(pair)
        return _accept_pair(edge, *self._args)

    def close(self) -> None:
        """Stop a second process whose verdicts were never asked for."""
        if self._child is not None:
            self._child.close()
            self._child = None


def _accept_pair(edge: _Edge, old_doc: Document, new_doc: Document, old, new, rare) -> _Component | None:
    words = compare_words(old_doc.paragraphs[edge.old].text, new_doc.paragraphs[edge.new].text)
    sim = words.similarity
    boilerplate = old[edge.old].boilerplate
    if boilerplate and sim < BOILERPLATE_SIMILARITY:
        return None
    evidence = None
    if sim < EDIT_SIMILARITY:
        smaller_words = min(len(old[edge.old].words), len(new[edge.new].words)) or 1
        kept = words.kept
        if kept >= TRIM_WORDS and kept / smaller_words >= TRIM_SHARE:
            evidence = f"{kept / smaller_words:.0%} of the shorter paragraph kept"
        elif edge.sentences(old, new)[2] / smaller_words >= MIN_PART_SHARE:
            evidence = "shared sentence"
        else:
            evidence = edge.evidence or _evidence(old[edge.old], new[edge.new], rare)
        if evidence is None or sim < EVIDENCE_SIMILARITY:
            return None
    old_sentences, new_sentences, _ = edge.sentences(old, new)
    component = _Component([edge.old], [edge.new], evidence=evidence, words=words)
    component.covered_old = {(edge.old, s) for s in old_sentences}
    component.covered_new = {(edge.new, s) for s in new_sentences}
    return component


def _part_is_substantial(edge: _Edge, old, new) -> bool:
    smaller = min(len(old[edge.old].words), len(new[edge.new].words)) or 1
    _, new_sentences, shared_words = edge.sentences(old, new)
    return bool(new_sentences) and shared_words >= MIN_SENTENCE_WORDS and shared_words / smaller >= MIN_PART_SHARE


def _link_near(old_doc, new_doc, old, new, old_ids, new_ids, spare: Spare | None) -> list[_Component]:
    owner_old: dict[int, _Component] = {}
    owner_new: dict[int, _Component] = {}
    edges, rare = _candidate_edges(old, new, old_ids, new_ids, spare)
    verifier = _Verifier(edges, old_doc, new_doc, old, new, rare, spare)
    try:
        _walk(edges, verifier, old, new, owner_old, owner_new)
    finally:
        verifier.close()
    unique = {id(c): c for c in owner_new.values()}
    return list(unique.values())


def _walk(edges, verifier: _Verifier, old, new, owner_old, owner_new) -> None:
    """Greedy, strongest edge first: a pair of free paragraphs is verified; an edge to a
    paragraph already taken can add a merge or split part."""
    for edge in edges:
        in_old, in_new = owner_old.get(edge.old), owner_new.get(edge.new)
        if in_old is None and in_new is None:
            component = verifier.verdict(edge)
            if component:
                owner_old[edge.old] = owner_new[edge.new] = component
        elif in_old is None and len(in_new.new) == 1 and _part_is_substantial(edge, old, new):
            # Another OLD paragraph feeds this NEW one: a merge, if it brings sentences of its own.
            fresh = {(edge.new, s) for s in edge.sentences(old, new)[1]} - in_new.covered_new
            if fresh:
                in_new.old.append(edge.old)
                in_new.covered_new |= fresh
                owner_old[edge.old] = in_new
        elif in_new is None and len(in_old.old) == 1 and _part_is_substantial(edge, old, new):
            fresh = {(edge.old, s) for s in edge.sentences(old, new)[0]} - in_old.covered_old
            if fresh:
                in_old.new.append(edge.new)
                in_old.covered_old |= fresh
                owner_new[edge.new] = in_old


def _pair_equal(old_doc, new_doc, old_ids, new_ids, key) -> list[tuple[int, int]]:
    """Pairs of paragraphs with equal ``key``, in order: a text that repeats (a separator, a
    table cell, "Advertisement") pairs copy for copy where it stands, so repeats cause no moves."""
    pairs = pair_in_order([key(old_doc.paragraphs[i]) for i in old_ids], [key(new_doc.paragraphs[j]) for j in new_ids])
    return [(old_ids[a], new_ids[b]) for a, b in pairs]


def _repaired_hash(paragraph: Paragraph) -> str:
    return exact_hash(repaired_text(paragraph.text)) if looks_damaged(paragraph.text) else paragraph.hash


def align(
    old_doc: Document,
    new_doc: Document,
    old_boilerplate: Sequence[bool],
    new_boilerplate: Sequence[bool],
    spare: Spare | None = None,
) -> list[Link]:
    """Links between OLD and NEW paragraphs; paragraphs in no link were added or removed. Where
    ``spare`` has a CPU free, a second process does half of the pairing of a long rewrite; the
    links are the same either way."""
    links: list[Link] = []
    old_left = set(range(len(old_doc.paragraphs)))
    new_left = set(range(len(new_doc.paragraphs)))

    exact_keys = (
        (lambda p: p.hash, Kind.UNCHANGED, False),
        (_repaired_hash, Kind.UNCHANGED, True),  # the same but for encoding damage
        (lambda p: p.norm_hash, Kind.EDITED, False),
    )
    for key, kind, repaired in exact_keys:
        for i, j in _pair_equal(old_doc, new_doc, sorted(old_left), sorted(new_left), key):
            old_left.discard(i)
            new_left.discard(j)
            links.append(Link(kind, (i,), (j,), repaired=repaired))

    if old_left and new_left:
        old = {i: _Features.of(old_doc.paragraphs[i], old_boilerplate[i]) for i in old_left}
        new = {j: _Features.of(new_doc.paragraphs[j], new_boilerplate[j]) for j in new_left}
        for component in _link_near(old_doc, new_doc, old, new, sorted(old_left), sorted(new_left), spare):
            olds, news = tuple(sorted(component.old)), tuple(sorted(component.new))
            kind = Kind.MERGED if len(olds) > 1 else Kind.SPLIT if len(news) > 1 else Kind.EDITED
            words = component.words if kind is Kind.EDITED else None
            links.append(Link(kind, olds, news, component.evidence, words))
    return links
