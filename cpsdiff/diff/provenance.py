"""Where the text of each NEW paragraph came from: the reused spans of a comparison, its
share of reused text, and word diffs that tell text moved in from elsewhere from new words."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from operator import attrgetter
from typing import TypeVar

from cpsdiff.diff.spans import covered, find_spans
from cpsdiff.model import Document, Kind, Span, WordDiff

MOVED_IN = ">"  # a word-diff op for display: inserted here, but reused from another OLD paragraph
MOVED_IN_WORDS = 3  # fewer words reused from elsewhere ("CPS") read as an insertion
P = TypeVar("P", bound=Hashable)


def reused_spans(old: Document, new: Document) -> list[Span]:
    """Every reused stretch of NEW in OLD (see find_spans)."""
    return find_spans([p.text for p in new.paragraphs], [[p.text for p in old.paragraphs]])


def paragraph_spans(old: Document, new: Document, links, found: Sequence[Span]) -> tuple[tuple[Span, ...], ...]:
    """For each NEW paragraph, its reused spans of OLD text (``found``: reused_spans), in
    order. A paragraph carried unchanged is one span, from the paragraph it was paired with."""
    per: list[list[Span]] = [[] for _ in new.paragraphs]
    for span in found:
        per[span.new].append(span)
    for link in links:
        if link.kind is Kind.UNCHANGED:
            (i,), (j,) = link.old, link.new
            words = sum(span.words for span in per[j]) or len(new.paragraphs[j].text.split())
            per[j] = [Span(0, i, 0, len(old.paragraphs[i].text), j, 0, len(new.paragraphs[j].text), words)]
    return tuple(tuple(spans) for spans in per)


def reused(text: str, spans: Sequence[Span]) -> float:
    """Share of a paragraph's characters inside its spans."""
    return covered(spans, len(text)) / len(text) if text else 0.0


def reused_share(doc: Document, spans: Sequence[Sequence[Span]], chrome: Sequence[bool]) -> float:
    """Share of a document's reporting characters (boilerplate aside) inside spans."""
    total = inside = 0
    for paragraph, own, is_chrome in zip(doc.paragraphs, spans, chrome):
        if not is_chrome:
            total += len(paragraph.text)
            inside += covered(own, len(paragraph.text))
    return inside / total if total else 0.0


def sources(spans: Sequence[Span], place: Callable[[Span], P] = attrgetter("old")) -> list[tuple[P, int]]:
    """(place, characters it gave) for each source of a paragraph's text, most first; a place
    is an OLD paragraph, or what ``place`` makes of a span (its version and paragraph, in blame)."""
    given: dict[P, int] = {}
    for span in spans:
        given[place(span)] = given.get(place(span), 0) + span.new_end - span.new_start
    return sorted(given.items(), key=lambda item: (-item[1], item[0]))


def with_moved_in(diff: WordDiff, spans: Sequence[Span], linked: Sequence[int]) -> WordDiff:
    """The diff with inserted text that lies in a span from an OLD paragraph other than the
    ones this change links (text moved in from elsewhere) marked MOVED_IN instead of "+".
    Offsets: "=" and "+" pieces, in order, spell the NEW text."""
    elsewhere = [(s.new_start, s.new_end) for s in spans if s.old not in linked]
    if not elsewhere:
        return diff
    # Positions only grow along the diff, so the span edges (where pieces are cut) and the spans
    # are sorted once and swept, not all searched again for every "+" op (a long paragraph that
    # gains a sentence from each of 2,000 others: seconds).
    edges = sorted({edge for span in elsewhere for edge in span})
    by_start = sorted(elsewhere)
    next_edge = next_span = 0
    out: list[tuple[str, str]] = []
    position = 0
    for op, text in diff:
        if op != "+":
            out.append((op, text))
            if op == "=":
                position += len(text)
            continue
        if not text:
            continue
        end = position + len(text)
        while next_edge < len(edges) and edges[next_edge] <= position:
            next_edge += 1
        cuts = [0]
        at = next_edge
        while at < len(edges) and edges[at] < end:
            cuts.append(edges[at] - position)
            at += 1
        cuts.append(len(text))
        for a, b in zip(cuts, cuts[1:]):
            # No edge falls inside a piece, so a span covers it all if it covers its start. Spans
            # ended by then are passed for good; if the first one left has not begun, none has.
            while next_span < len(by_start) and by_start[next_span][1] <= position + a:
                next_span += 1
            inside = next_span < len(by_start) and by_start[next_span][0] <= position + a
            piece = text[a:b]
            kind = MOVED_IN if inside and len(piece.split()) >= MOVED_IN_WORDS else "+"
            if out and out[-1][0] == kind:
                out[-1] = (kind, out[-1][1] + piece)
            else:
                out.append((kind, piece))
        position = end
    return tuple(out)
