"""compare(OLD, NEW): every paragraph of both versions accounted for, labelled and ordered."""

from __future__ import annotations

from bisect import bisect_right

from collections import defaultdict
from collections.abc import Sequence

from cpsdiff.diff.align import Link, align
from cpsdiff.diff.boilerplate import Rule, classify, default_rules
from cpsdiff.diff.moves import in_order
from cpsdiff.diff.provenance import paragraph_spans, reused_share, reused_spans
from cpsdiff.diff.worddiff import compare_words, count_words
from cpsdiff.model import Change, Comparison, Document, Kind, Label, Role, Summary
from cpsdiff.text.segment import share_breaks

_JOIN = "\n\n"  # paragraphs of a merge or split are diffed as one text
# Texts shorter than this together are compared in one process: below it a second process
# saves nothing measurable (README, "Two processes").
BACKGROUND_CHARACTERS = 50_000


def _spare(old: Document, new: Document, processes: int | None):
    """Where work may go to a second process: nowhere for short texts, or when asked for one
    process (either way without loading forked), else where a CPU is spare."""
    if processes == 1 or len(old.text) + len(new.text) < BACKGROUND_CHARACTERS:
        return None
    from cpsdiff.forked import Spare

    return Spare(processes)


def _finish(link: Link, old: Document, new: Document, moved: bool) -> Change:
    if link.kind is Kind.UNCHANGED:
        return Change(link.kind, link.old, link.new, moved, 1.0, repaired=link.repaired)
    old_text = _JOIN.join(old.paragraphs[i].text for i in link.old)
    new_text = _JOIN.join(new.paragraphs[j].text for j in link.new)
    words = link.words or compare_words(old_text, new_text)
    return Change(
        link.kind, link.old, link.new, moved, round(words.similarity, 3), link.evidence, words.diff
    )


def rows_with_places(changes: Sequence[Change], old_count: int) -> list[tuple[Change, int | None]]:
    """(change, None) in NEW order, with each removed OLD paragraph, and each place a moved one
    left as (change, its OLD index), right after the kept text that preceded it in OLD."""
    placed = sorted((c for c in changes if c.new), key=lambda c: c.new[0])
    removed = {c.old[0]: c for c in changes if not c.new}
    by_old = {i: c for c in placed for i in c.old}
    slot_of = {j: k for k, c in enumerate(placed) for j in c.new}
    after: dict[int, list[tuple[Change, int | None]]] = defaultdict(list)  # slot (-1: the top) -> rows
    anchor = -1
    for i in range(old_count):
        change = by_old.get(i)
        if change is not None and not change.moved:
            anchor = max(change.new)
            continue
        after[slot_of[anchor] if anchor >= 0 else -1].append((removed[i], None) if change is None else (change, i))
    rows = list(after[-1])
    for slot, change in enumerate(placed):
        rows.append((change, None))
        rows.extend(after.get(slot, ()))
    return rows


def _ordered(changes: list[Change], old_count: int) -> list[Change]:
    """NEW order, with each removed OLD paragraph right after the kept text that preceded it."""
    return [change for change, was in rows_with_places(changes, old_count) if was is None]


def _labels(
    count: int, reasons: Sequence[str | None], fate: dict[int, Change], side: str
) -> tuple[Label, ...]:
    labels = []
    for index in range(count):
        change = fate[index]
        if reasons[index] is not None:
            labels.append(Label(Role.BOILERPLATE, reasons[index]))
            continue
        other = change.new if side == "old" else change.old
        where = "+".join(f"¶{k + 1}" for k in other)
        if change.kind is Kind.UNCHANGED:
            role, reason = Role.CARRIED, f"unchanged {'in new' if side == 'old' else 'from old'} {where}"
        elif change.kind is Kind.ADDED:
            role, reason = Role.NEW, "no counterpart in old"
        elif change.kind is Kind.REMOVED:
            role, reason = Role.REMOVED, "no counterpart in new"
        else:
            role = Role.EDITED
            reason = f"{change.kind} {'into' if side == 'old' else 'from'} {where}"
            if change.similarity is not None:
                reason += f" (similarity {change.similarity:.2f})"
        labels.append(Label(role, reason))
    return tuple(labels)


def _summary(comparison_changes: Sequence[Change], old: Document, new: Document,
             old_labels: Sequence[Label], new_labels: Sequence[Label], reused: float) -> Summary:
    """Counts of reporting: boilerplate is counted once, as the NEW paragraphs that are chrome."""
    def chrome(change: Change) -> bool:
        labels = [new_labels[j] for j in change.new] or [old_labels[i] for i in change.old]
        return all(label.role is Role.BOILERPLATE for label in labels)

    changes = [c for c in comparison_changes if not chrome(c)]
    words_removed = words_added = 0
    for change in changes:
        if change.kind is Kind.ADDED:
            words_added += count_words(new.paragraphs[change.new[0]].text)
        elif change.kind is Kind.REMOVED:
            words_removed += count_words(old.paragraphs[change.old[0]].text)
        elif change.diff:
            words_removed += sum(count_words(text) for op, text in change.diff if op == "-")
            words_added += sum(count_words(text) for op, text in change.diff if op == "+")
    kinds = [change.kind for change in changes]
    roles = [label.role for label in new_labels]
    return Summary(
        new=roles.count(Role.NEW),
        edited=kinds.count(Kind.EDITED),
        merged=kinds.count(Kind.MERGED),
        split=kinds.count(Kind.SPLIT),
        carried=roles.count(Role.CARRIED),
        removed=kinds.count(Kind.REMOVED),
        boilerplate=roles.count(Role.BOILERPLATE),
        moved=sum(change.moved for change in changes),
        words_added=words_added,
        words_removed=words_removed,
        reused_share=round(reused, 4),
    )


def compare(old: Document, new: Document, rules: Sequence[Rule] | None = None, processes: int | None = 1) -> Comparison:
    """Compare two parsed versions of a story (see ``cpsdiff.text.segment.parse_document``).
    With ``processes`` of 2 or more (None: as many as this process may use), long texts have
    their reused spans found in a second process while the paragraphs are aligned; the result
    is the same either way."""
    rules = default_rules() if rules is None else list(rules)
    old, new = share_breaks(old, new)
    spare = _spare(old, new, processes)
    # the span engine first, while the paragraphs are aligned; align may use the CPU it frees
    engine = spare.start(reused_spans, old, new) if spare else None
    old_reasons = classify([p.text for p in old.paragraphs], rules, old.hints)
    new_reasons = classify([p.text for p in new.paragraphs], rules, new.hints)
    old_chrome = [r is not None for r in old_reasons]
    new_chrome = [r is not None for r in new_reasons]
    links = align(old, new, old_chrome, new_chrome, spare)

    points = [(k, i, j) for k, link in enumerate(links) for i in link.old for j in link.new]
    # The order that matters is the unchanged text's; edited links fill in after it.
    weights = [
        (int(link.kind is Kind.UNCHANGED), 1, sum(len(new.paragraphs[j].text) for j in link.new))
        for link in links
    ]
    kept = in_order(points, weights)
    changes = [_finish(link, old, new, moved=k not in kept) for k, link in enumerate(links)]

    linked_old = {i for link in links for i in link.old}
    linked_new = {j for link in links for j in link.new}
    changes += [Change(Kind.REMOVED, (i,), ()) for i in range(len(old.paragraphs)) if i not in linked_old]
    changes += [Change(Kind.ADDED, (), (j,)) for j in range(len(new.paragraphs)) if j not in linked_new]
    changes = _ordered(changes, len(old.paragraphs))

    old_fate = {i: c for c in changes for i in c.old}
    new_fate = {j: c for c in changes for j in c.new}
    old_labels = _labels(len(old.paragraphs), old_reasons, old_fate, "old")
    new_labels = _labels(len(new.paragraphs), new_reasons, new_fate, "new")
    spans = paragraph_spans(old, new, links, engine.result() if engine else reused_spans(old, new))
    summary = _summary(changes, old, new, old_labels, new_labels, reused_share(new, spans, new_chrome))
    return Comparison(old, new, tuple(changes), old_labels, new_labels, summary, spans)


def changes_within(result: Comparison, start: int, end: int) -> list[Change]:
    """The changes of the NEW paragraphs that hold text of [start, end) of NEW's text, in order:
    compare may cut a paragraph where the other version shows a paragraph end (share_breaks), so
    one paragraph as parsed alone can be several here. (Many ranges: ChangesByPlace.)"""
    return ChangesByPlace(result).within(start, end)


class ChangesByPlace:
    """A comparison's changes by where their NEW paragraphs stand, indexed once for many ranges
    (blame asks of every paragraph: scanning all of them each time was quadratic)."""

    def __init__(self, result: Comparison) -> None:
        self._paragraphs = result.new.paragraphs  # in order, none overlapping
        self._starts = [p.start for p in self._paragraphs]
        self._change: dict[int, Change] = {}
        for change in result.changes:
            for j in change.new:
                self._change.setdefault(j, change)  # the first that holds it

    def within(self, start: int, end: int) -> list[Change]:
        """changes_within, for this comparison."""
        found: list[Change] = []
        k = max(bisect_right(self._starts, start) - 1, 0)  # none before it reaches START
        while k < len(self._paragraphs) and self._paragraphs[k].start < end:
            paragraph = self._paragraphs[k]
            if paragraph.start + len(paragraph.text) > start:
                change = self._change[paragraph.index]
                if change not in found:
                    found.append(change)
            k += 1
        return found
