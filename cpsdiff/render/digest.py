"""What changed, in the terms a reader asks about: the headline, the new reporting, what was
removed, quotes whose words changed, other edits and moves. The reports open with it (HTML and
Markdown render it; the terminal has the annotated diff).

Only reporting is listed: chrome (teasers, credits) is counted, never listed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from cpsdiff.diff.provenance import MOVED_IN
from cpsdiff.model import Change, Comparison, Document, Kind, Label, Role, WordDiff
from cpsdiff.render.labels import is_chrome, plural, shown_diff, similarity_words
from cpsdiff.text.quotes import quoted_ranges, speaker

FIRST_WORDS = 12
HEADLINE_WORDS = 25
LEDE_WORDS = 8
QUOTE_CONTEXT = 6  # words kept around the changes of an edited quote
QUOTE_KEPT_WORDS = 3  # a quote with fewer words kept is a new quote, not an edited one
_WORD = re.compile(r"\w")
_SKIP_LINK = re.compile(r"(?i)^(skip|jump) to\b")  # a page's first line, not its headline
_JOIN = "\n\n"  # how a merge's or split's paragraphs are joined in its diff


@dataclass(frozen=True, slots=True)
class Mention:
    """A paragraph named by its first words: NEW's (side "new") or OLD's ("old"), 0-based."""

    side: str
    index: int
    words: str
    note: str | None = None  # an edit's similarity in words; a move's old place


@dataclass(frozen=True, slots=True)
class QuoteEdit:
    index: int  # the NEW paragraph holding the quote
    speaker: str | None
    diff: WordDiff  # the quote's words with the changes marked, long kept stretches cut to "…"


@dataclass(frozen=True)
class Digest:
    headline: str | None  # NEW's headline, when its first paragraph reads as one
    old_headline: str | None  # OLD's, when the headline changed
    lede: str  # the first words of NEW's first paragraph of reporting (a title without a headline)
    counts: str  # the summary, in a sentence
    new: tuple[Mention, ...]
    removed: tuple[Mention, ...]
    quotes: tuple[QuoteEdit, ...]
    edited: tuple[Mention, ...]
    moved: tuple[Mention, ...]

    @property
    def title(self) -> str:
        return self.headline or self.lede


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def headline(doc: Document, labels: tuple[Label, ...]) -> str | None:
    """The first paragraph, when it reads as a headline: reporting, one line, at most 25
    words, not ending like a sentence of body text (a full stop, a colon, a comma)."""
    if not doc.paragraphs or labels[0].role is Role.BOILERPLATE:
        return None
    text = doc.paragraphs[0].text.strip()
    if "\n" in text or len(text.split()) > HEADLINE_WORDS or text[-1] in ".:;," or _SKIP_LINK.match(text):
        return None
    return " ".join(text.split())


def _lede(result: Comparison) -> str:
    paragraphs, labels = result.new.paragraphs, result.new_labels
    reporting = [p for p, label in zip(paragraphs, labels) if label.role is not Role.BOILERPLATE]
    sentences = [p for p in reporting if len(p.text.split()) >= LEDE_WORDS]  # not a nav line
    chosen = next(iter(sentences or reporting or paragraphs), None)
    return first_words(chosen.text) if chosen else result.new.source


def _counts(result: Comparison) -> str:
    summary, total = result.summary, len(result.new.paragraphs)
    reporting = [c for c in result.changes if not is_chrome(result, c)]
    split_paragraphs = sum(len(c.new) for c in reporting if c.kind is Kind.SPLIT)
    parts = [
        (summary.new, f"{summary.new} new reporting"),
        (summary.edited, f"{summary.edited} edited"),
        (summary.merged, f"{summary.merged} merged from several old paragraphs"),
        (split_paragraphs, f"{split_paragraphs} made by splitting {plural(summary.split, 'old paragraph')}"),
        (summary.carried, f"{summary.carried} carried over unchanged"),
        (summary.boilerplate, f"{summary.boilerplate} boilerplate (site chrome)"),
    ]
    shown = [text for count, text in parts if count]
    if not shown:
        sentence = "The new version has no paragraphs."
    else:
        listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        sentence = f"The new version has {plural(total, 'paragraph')}: {listed}."
    after = []
    if summary.removed:
        after.append(f"{plural(summary.removed, 'paragraph')} of reporting {'was' if summary.removed == 1 else 'were'} removed")
    if summary.moved:
        after.append(f"{summary.moved} moved")
    if after:
        sentence += " " + " and ".join(after) + "."
    return sentence[0].upper() + sentence[1:]


def _placed(diff: WordDiff) -> list[tuple[str, str, int, int]]:
    """Each op with where it stands in the NEW text: a deletion at a point."""
    placed, position = [], 0
    for op, text in diff:
        if op == "-":
            placed.append((op, text, position, position))
        else:
            placed.append((op, text, position, position + len(text)))
            position += len(text)
    return placed


def _cut(text: str, head: int, tail: int) -> str:
    words = text.split(" ")
    if len(words) <= head + tail + 1:
        return text
    return " ".join(words[:head]) + " … " + " ".join(words[-tail:]) if tail else " ".join(words[:head]) + "…"


def _trimmed(ops: list[tuple[str, str]]) -> WordDiff:
    """An edited quote made short: neighbouring ops of one kind joined, long kept stretches cut
    to the words next to a change and long changes to their ends, so the change stands out."""
    joined: list[list[str]] = []
    for op, text in ops:
        if text and joined and joined[-1][0] == op:
            joined[-1][1] += text
        elif text:
            joined.append([op, text])
    out: list[tuple[str, str]] = []
    for k, (op, text) in enumerate(joined):
        if op != "=":
            out.append((op, _cut(text, QUOTE_CONTEXT, QUOTE_CONTEXT // 2)))
            continue
        words = text.split(" ")
        if len(words) <= 2 * QUOTE_CONTEXT + 1:
            out.append((op, text))
        elif k == 0:
            out.append((op, "…" + " ".join(words[-QUOTE_CONTEXT:])))
        elif k == len(joined) - 1:
            out.append((op, " ".join(words[:QUOTE_CONTEXT]) + "…"))
        else:
            out.append((op, _cut(text, QUOTE_CONTEXT, QUOTE_CONTEXT)))
    return tuple(out)


def _quote_edits(result: Comparison, change: Change) -> list[QuoteEdit]:
    """Quotes of a change's NEW text that were there before with some words changed."""
    diff = shown_diff(result, change)
    if not diff:
        return []
    paragraphs = [result.new.paragraphs[j] for j in change.new]
    text = _JOIN.join(p.text for p in paragraphs)
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph.text) + len(_JOIN)
    placed = _placed(diff)
    # Quotes and ops both run in text order: each quote looks only at the ops from the first that
    # ends at or after it to the last that starts inside it, not at all of them.
    ends = [end for _, _, _, end in placed]
    edits = []
    for a, b in quoted_ranges(text):
        ops: list[tuple[str, str]] = []
        k = bisect_left(ends, a)
        while k < len(placed) and placed[k][2] <= b:
            op, piece, start, end = placed[k]
            if op == "-" and a <= start <= b:
                ops.append((op, piece))
            elif op != "-" and start < b and end > a:
                ops.append(("+" if op == MOVED_IN else op, piece[max(a, start) - start : min(b, end) - start]))
            k += 1
        kept = sum(len(piece.split()) for op, piece in ops if op == "=")
        changed = any(op != "=" and _WORD.search(piece) for op, piece in ops)
        if changed and kept >= QUOTE_KEPT_WORDS:
            part = bisect_right(starts, a) - 1  # the paragraph the quote opens in
            j = change.new[part]
            edits.append(QuoteEdit(j, speaker(text[a:b], paragraphs[part].text), _trimmed(ops)))
    return edits


def digest(result: Comparison) -> Digest:
    """What changed between the two versions of ``result``, for the top of a report."""
    new_head = headline(result.new, result.new_labels)
    old_head = headline(result.old, result.old_labels)
    head_changed = new_head is not None and old_head is not None and new_head != old_head
    new_items, removed, quotes, edited, moved = [], [], [], [], []
    old, new = result.old.paragraphs, result.new.paragraphs
    for change in result.changes:
        if is_chrome(result, change):
            continue
        if head_changed and 0 in change.new:
            continue  # said as the headline's change
        if change.kind is Kind.ADDED:
            new_items.append(Mention("new", change.new[0], first_words(new[change.new[0]].text)))
        elif change.kind is Kind.REMOVED:
            removed.append(Mention("old", change.old[0], first_words(old[change.old[0]].text)))
        elif change.kind is not Kind.UNCHANGED:
            found = _quote_edits(result, change)
            quotes += found
            if not found:
                note = similarity_words(change.similarity) if change.similarity is not None else None
                edited.append(Mention("new", change.new[0], first_words(new[change.new[0]].text), note))
        if change.moved:
            moved.append(Mention("new", change.new[0], first_words(new[change.new[0]].text, 8),
                                 f"was old ¶{change.old[0] + 1}"))
    return Digest(new_head, old_head if head_changed else None, _lede(result), _counts(result),
                  tuple(new_items), tuple(removed), tuple(quotes), tuple(edited), tuple(moved))
