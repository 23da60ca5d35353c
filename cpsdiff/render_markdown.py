"""GitHub-flavoured Markdown of a comparison, a lineage and a blame, for issues and chats.

A heading, a summary line, then one list item per change with the article text quoted under
it. Unchanged paragraphs are summarised as counts. Word diffs are ~~deleted~~ and **inserted**;
where GFM would not take the delimiters (a change inside a word, next to punctuation) they fall
back to git's [-deleted-] and {+inserted+}, which read the same without formatting.

Article text is one line per item (whitespace collapsed) with every character that could start
formatting backslash-escaped: emphasis, links, HTML, tables, maths ($), mentions (@), issue
references (#) and :emoji: codes all come out as the characters they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence

from cpsdiff.blame import Blame, ParagraphBlame, SentenceBlame
from cpsdiff.lineage import METHODS, Family, Lineage
from cpsdiff.model import Change, Comparison, Kind, Role, WordDiff
from cpsdiff.provenance import MOVED_IN
from cpsdiff.report_labels import (
    COUNT_LABEL,
    FAMILY_GROUPS,
    FOLDED_GROUPS,
    KIND_MARK,
    REPAIRED_NOTE,
    ROLE_TEXT,
    family_group,
    family_path,
    plural,
    refs,
    reuse_note,
    shown_diff,
    version_label,
)
from cpsdiff.summary_line import summary_parts
from cpsdiff.terminal import PARAGRAPH_BREAK
from cpsdiff.text import visible

LIST_LIMIT = 30  # items per list in a lineage; the rest are counted
_SPECIAL = re.compile(r"[\\`*_~\[\]<>&|#@$!]|:(?=[\w+-]+:)")
_SPACE = re.compile(r"\s+")
_BLOCK_START = re.compile(r"[-+=]|\d{1,9}[.)]")  # would open a list or a rule at a line's start
_KEY = ("_Key: ~~deleted~~ **inserted**, or [-deleted-] {+inserted+} where Markdown cannot mark them "
        "(inside words, at punctuation or spaces); ¶ marks a paragraph break._")


def escape(text: str) -> str:
    """Text as one Markdown line that renders as itself: whitespace collapsed, controls made
    visible, formatting characters escaped."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), visible(_SPACE.sub(" ", text)))


def _punctuation(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "PS"


def _space(char: str | None) -> bool:
    return char is None or char.isspace()


def _delimited(prev: str | None, core: str, nxt: str | None) -> bool:
    """Whether `~~core~~` / `**core**` opens after ``prev`` and closes before ``nxt`` (CommonMark's
    flanking rules; None is the start or end of the line)."""
    first, last = core[0], core[-1]
    opens = not first.isspace() and (not _punctuation(first) or _space(prev) or _punctuation(prev))
    closes = not last.isspace() and (not _punctuation(last) or _space(nxt) or _punctuation(nxt))
    return opens and closes


def diff_markdown(diff: WordDiff) -> str:
    """A word diff on one line: ~~deleted~~ and **inserted** (or [-…-] and {+…+})."""
    pieces: list[tuple[str, str]] = []  # (op, escaped text); changed text without edge spaces
    for op, text in diff:
        text = _SPACE.sub(" ", text.replace(PARAGRAPH_BREAK, " ¶ "))
        core = text.strip()
        if op == "=" or not core:
            pieces.append((op, escape(text) if op == "=" else text))
            continue
        start = text.index(core)
        pieces.extend((("=", text[:start]), (op, escape(core)), ("=", text[start + len(core):])))
    pieces = [(op, text) for op, text in pieces if text]
    out: list[str] = []
    for k, (op, text) in enumerate(pieces):
        if op == "=":
            out.append(text)
            continue
        if op == MOVED_IN:
            out.append(f"{{>{text}<}}")
            continue
        prev = out[-1][-1] if out and out[-1] else None
        following = pieces[k + 1] if k + 1 < len(pieces) else None
        nxt = None if following is None else ("~" if following[0] != "=" else following[1][0])
        if text.strip() and _delimited(prev, text, nxt):
            out.append(f"~~{text}~~" if op == "-" else f"**{text}**")
        else:  # a change of spacing alone, or delimiters GFM would not see
            # "\[": a deletion followed by "(url)" in the text must not become a link
            out.append(f"\\[-{text}-\\]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)


def _quote(body: str, indent: int = 2) -> str:
    """A quoted line under a list item; a leading "- ", "+ " or "1. " stays text, not a list."""
    start = _BLOCK_START.match(body)
    if start:
        body = body[: start.end() - 1] + "\\" + body[start.end() - 1 :]
    return f"{' ' * indent}> {body}"


def _span(numbers: Sequence[int]) -> str:
    return f"¶{numbers[0]}" if len(numbers) == 1 else f"¶{numbers[0]}–¶{numbers[-1]}"


# -- compare ------------------------------------------------------------------------------


def _change_item(result: Comparison, change: Change) -> list[str]:
    kind = change.kind
    labels = [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]
    where = refs(change.new) if change.new else f"old {refs(change.old)}"
    tags = [f"{KIND_MARK[kind]} {kind.value}"] + ["↕ moved"] * change.moved
    tags += list(dict.fromkeys(ROLE_TEXT[label.role] for label in labels if label.role in ROLE_TEXT))
    notes = []
    if change.old and change.new and (change.moved or change.old != change.new or kind is not Kind.EDITED):
        verb = {Kind.MERGED: "merged from", Kind.SPLIT: "split from"}.get(kind, "from")
        notes.append(f"{'moved from' if change.moved else verb} old {refs(change.old)}")
    if change.similarity is not None and kind is not Kind.UNCHANGED:
        notes.append(f"similarity {change.similarity:.2f}")
    if change.evidence:
        notes.append(escape(change.evidence))
    if change.repaired:
        notes.append(REPAIRED_NOTE)
    reuse = None if all(label.role is Role.BOILERPLATE for label in labels) else reuse_note(result, change)
    if reuse:
        notes.append(escape(reuse))
    head = f"- **{where} · {escape(' · '.join(tags))}**" + (f" ({'; '.join(notes)})" if notes else "")
    if change.diff is not None:
        body = diff_markdown(shown_diff(result, change))
    elif change.new:
        body = " ¶ ".join(escape(result.new.paragraphs[j].text) for j in change.new)
    else:
        body = " ¶ ".join(escape(result.old.paragraphs[i].text) for i in change.old)
    return [head, _quote(body)]


def compare_markdown(result: Comparison) -> str:
    """A comparison as GitHub-flavoured Markdown: summary, then the changes in NEW order."""
    summary = result.summary
    counts = " · ".join(escape(text) for _, text in summary_parts(summary)) or "no paragraphs"
    lines = [
        f"### cpsdiff: {escape(result.old.source)} → {escape(result.new.source)}",
        "",
        (
            f"**{counts}** — paragraphs {len(result.old.paragraphs)} → {len(result.new.paragraphs)}, "
            f"words of reporting \\+{summary.words_added} −{summary.words_removed}"
        ),
        "",
    ]
    if result.identical:
        lines += ["No changes: the two versions say the same, paragraph by paragraph (spacing aside).", ""]
    quiet: list[int] = []

    def fold() -> None:
        if quiet:
            lines.append(f"- _{plural(len(quiet), 'unchanged paragraph')} ({_span(quiet)})_")
            quiet.clear()

    for change in result.changes:
        if change.quiet:
            quiet.append(change.new[0] + 1)
            continue
        fold()
        lines += _change_item(result, change)
    fold()
    lines += ["", _KEY]
    return "\n".join(lines) + "\n"


# -- lineage and blame ----------------------------------------------------------------------


def _capped(items: Sequence[list[str]], what: str) -> Iterator[str]:
    for item in items[:LIST_LIMIT]:
        yield from item
    if len(items) > LIST_LIMIT:
        yield f"- … and {len(items) - LIST_LIMIT} more {what} (the HTML and JSON reports list them all)"


def _path(lineage: Lineage, family: Family) -> str:
    return " → ".join(
        f"{version_label(v)} ¶{p + 1}" + (f" ({escape(story)})" if story else "") for v, p, story in family_path(lineage, family)
    )


def _family_item(lineage: Lineage, family: Family, marker: str) -> list[str]:
    lines = [f"- {marker} {_path(lineage, family)} ({escape(family.id)})"]
    for d in family.drift:
        who = escape(d.speaker) if d.speaker else "unattributed"
        lines.append(
            f"  - quote drift, **{who}**, {version_label(d.before)} ¶{d.before_paragraph + 1} → "
            f"{version_label(d.after)} ¶{d.after_paragraph + 1}:"
        )
        lines.append(_quote(f"“{diff_markdown(d.diff)}”", indent=4))
    if family.drift:
        return lines
    edits = [a for a in family.appearances if a.diff is not None]
    if not edits:
        return lines + [_quote(escape(family.first.text))]
    for a in edits:
        similarity = f", similarity {a.similarity:.2f}" if a.similarity is not None else ""
        lines.append(f"  - {version_label(a.version)}{similarity}:")
        lines.append(_quote(diff_markdown(a.diff), indent=4))
    return lines


def lineage_markdown(lineage: Lineage, families: list[Family]) -> str:
    """A lineage as GitHub-flavoured Markdown: the versions in order, then the families that
    matter (quote drift, reuse in another story, rewording); the rest summarised as counts."""
    versions = lineage.versions
    stories = len({v.story for v in versions})
    drift = sum(len(f.drift) for f in families)
    lines = [
        f"### cpsdiff lineage: {plural(len(versions), 'version')}, {plural(stories, 'story', 'stories')}",
        "",
        (
            f"**Order {escape(METHODS.get(lineage.method, lineage.method))}** · "
            f"{plural(len(families), 'sentence family', 'sentence families')} · "
            f"{sum(f.changed for f in families)} reworded · {sum(f.cross_story for f in families)} "
            f"in more than one story · {plural(drift, 'quote drift', 'quote drifts')}"
        ),
        "",
    ]
    rows = []
    for info in versions:
        counts = ", ".join(
            f"{count} {COUNT_LABEL[name]}"
            for name, count in info.counts.items() if count
        )
        when = escape(info.time or info.reason)
        rows.append([
            f"{info.position + 1}. **{version_label(info.position)}** {escape(info.id)} "
            + f"({escape(info.story)}, {info.paragraphs} ¶): {counts or 'no sentences'} — {when}"
        ])
    lines += list(_capped(rows, "versions"))
    grouped: dict[str, list[Family]] = {}
    for family in families:
        grouped.setdefault(family_group(family), []).append(family)
    for group, heading, marker, _ in FAMILY_GROUPS:
        chosen = grouped.get(group, [])
        if chosen and group not in FOLDED_GROUPS:
            lines += ["", f"**{heading} ({len(chosen)})**", ""]
            lines += list(_capped([_family_item(lineage, f, marker) for f in chosen], "families"))
    folded = [f"{len(grouped.get(g, []))} {h.lower()}" for g, h, _, _ in FAMILY_GROUPS if g in FOLDED_GROUPS]
    lines += ["", f"_Sentences folded: {', '.join(folded)}._"]
    hidden = len(lineage.families) - len(families)
    if hidden > 0:
        lines.append(f"_{plural(hidden, 'family', 'families')} left out by the filters._")
    lines += ["", _KEY]
    return "\n".join(lines) + "\n"


def _sentence(sentence: SentenceBlame) -> str:
    return diff_markdown(sentence.diff) if sentence.diff is not None else escape(sentence.text)


def _blame_item(paragraph: ParagraphBlame, since: int | None) -> list[str]:
    chrome = " · boilerplate" if paragraph.boilerplate else ""
    if paragraph.as_edit:  # the edit since the version before, as compare shows it
        head = f"- **¶{paragraph.index + 1}** {version_label(since)} {refs(paragraph.linked)} {paragraph.status}{chrome}"
        return [head, _quote(diff_markdown(paragraph.diff))]
    split = paragraph.by_sentence
    if split:
        lines = [f"- **¶{paragraph.index + 1}** {paragraph.status}{chrome}:"]
        for s in paragraph.sentences:
            lines.append(f"  - {version_label(s.origin)} ¶{s.origin_paragraph + 1} {s.status}: {_sentence(s)}")
        return lines
    places = {s.origin_paragraph for s in paragraph.sentences}
    where = f" ¶{places.pop() + 1}" if len(places) == 1 and paragraph.status != "new" else ""
    head = f"- **¶{paragraph.index + 1}** {version_label(paragraph.origin)}{where} {paragraph.status}{chrome}"
    return [head, _quote(" ".join(_sentence(s) for s in paragraph.sentences))]


def blame_markdown(blame_result: Blame) -> str:
    """A blame as GitHub-flavoured Markdown: each paragraph of DOC with where it first
    appeared; runs of paragraphs carried word for word from one version are counted."""
    lineage = blame_result.lineage
    target = lineage.versions[blame_result.target]
    statuses = Counter(p.status for p in blame_result.paragraphs)
    summary = ", ".join(f"{count} {status}" for status, count in statuses.items())
    others = " · ".join(
        f"**{version_label(v.position)} {escape(v.id)} ({escape(v.story)}, this one)**" if v.position == target.position
        else f"{version_label(v.position)} {escape(v.id)} ({escape(v.story)})"
        for v in lineage.versions[:LIST_LIMIT]
    )
    more = len(lineage.versions) - LIST_LIMIT
    lines = [
        f"### cpsdiff blame: {escape(target.id)} ({version_label(target.position)} of {len(lineage.versions)})",
        "",
        (
            f"**Order {escape(METHODS.get(lineage.method, lineage.method))}** · "
            f"{plural(len(blame_result.paragraphs), 'paragraph')}: {summary or 'none'}"
        ),
        "",
        f"Versions: {others}" + (f" · … and {more} more" if more > 0 else ""),
        "",
    ]
    carried: list[ParagraphBlame] = []

    def fold() -> None:
        if carried:
            numbers = [p.index + 1 for p in carried]
            lines.append(
                f"- _{_span(numbers)}: {plural(len(carried), 'paragraph')} carried word for word "
                f"from {version_label(carried[0].origin)}_"
            )
            carried.clear()

    for paragraph in blame_result.paragraphs:
        if paragraph.status == "carried":
            if carried and carried[-1].origin != paragraph.origin:
                fold()
            carried.append(paragraph)
            continue
        fold()
        lines += _blame_item(paragraph, blame_result.since)
    fold()
    lines += ["", _KEY]
    return "\n".join(lines) + "\n"
