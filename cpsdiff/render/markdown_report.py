"""GitHub-flavoured Markdown of a comparison, a lineage and a blame, for issues and chats.

A heading, a summary line, then one list item per change with the article text quoted under
it. Unchanged paragraphs away from the changes are summarised as counts. Word diffs are
<del>deleted</del> and <ins>inserted</ins>: GitHub renders both (its sanitiser keeps them), and
unlike ~~ and ** they take effect inside words and next to punctuation.

Article text is one line per item (whitespace collapsed) with every character that could start
formatting backslash-escaped: emphasis, links, HTML, tables, maths ($), mentions (@), issue
references (#) and :emoji: codes all come out as the characters they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from cpsdiff.diff.provenance import MOVED_IN
from cpsdiff.lineage.blame import Blame, ParagraphBlame, SentenceBlame
from cpsdiff.lineage.results import METHODS, Family, Lineage
from cpsdiff.model import Change, Comparison, Kind, WordDiff
from cpsdiff.render.digest import Digest, Mention, QuoteEdit, digest
from cpsdiff.render.folding import DEFAULT_CONTEXT, shown
from cpsdiff.render.output import BoilerplateMode
from cpsdiff.render.labels import (
    COUNT_LABEL,
    FAMILY_GROUPS,
    FOLDED_GROUPS,
    KIND_MARK,
    REPAIRED_NOTE,
    blame_reuse_note,
    family_group,
    hidden_chrome_note,
    is_chrome,
    similarity_words,
    verdict_label,
    family_path,
    plural,
    refs,
    reuse_note,
    shown_diff,
    version_label,
)
from cpsdiff.render.summary_line import summary_parts
from cpsdiff.render.terminal import PARAGRAPH_BREAK
from cpsdiff.text.normalize import preview, visible

LIST_LIMIT = 30  # items per list in a lineage; the rest are counted
DIM_PREVIEW = 72  # characters of a chrome paragraph with --boilerplate dim
_SPECIAL = re.compile(r"[\\`*_~\[\]<>&|#@$!]|:(?=[\w+-]+:)")
_SPACE = re.compile(r"\s+")
_BLOCK_START = re.compile(r"[-+=]|\d{1,9}[.)]")  # would open a list or a rule at a line's start
_KEY = ("_Key: <del>deleted</del> <ins>inserted</ins>, <ins><i>moved in</i></ins> from another old paragraph; "
        "¶ marks a paragraph break. Similarity: 2 × the words kept in order ÷ the words of both versions._")


def escape(text: str) -> str:
    """Text as one Markdown line that renders as itself: whitespace collapsed, controls made
    visible, formatting characters escaped."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), visible(_SPACE.sub(" ", text)))


def diff_markdown(diff: WordDiff) -> str:
    """A word diff on one line: <del>deleted</del> and <ins>inserted</ins>, which GitHub renders
    (struck through, underlined) wherever they stand, inside words and next to punctuation too;
    text moved in from another paragraph is <ins><i>inserted</i></ins>. The spaces at a change's
    edges stay outside the tags; a change of spacing alone shows NEW's spacing."""
    out: list[str] = []
    for op, text in diff:
        text = _SPACE.sub(" ", text.replace(PARAGRAPH_BREAK, " ¶ "))
        core = text.strip()
        if op == "=":
            out.append(escape(text))
        elif not core:
            out.append("" if op == "-" else text)
        else:
            start = text.index(core)
            inner = escape(core) if op != MOVED_IN else f"<i>{escape(core)}</i>"
            tag = "del" if op == "-" else "ins"
            out.append(f"{text[:start]}<{tag}>{inner}</{tag}>{text[start + len(core):]}")
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


def _change_item(result: Comparison, change: Change, dim: bool = False) -> list[str]:
    kind = change.kind
    labels = [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]
    where = refs(change.new) if change.new else f"old {refs(change.old)}"
    tags = [f"{KIND_MARK[kind]} {verdict_label(result, change)}"] + ["↕ moved"] * change.moved
    notes = []
    if change.old and change.new:
        notes.append(f"{'moved from' if change.moved else 'from'} old {refs(change.old)}")
    if change.similarity is not None and kind is not Kind.UNCHANGED:
        notes.append(f"{similarity_words(change.similarity)}, similarity {change.similarity:.2f}")
    if change.evidence:
        notes.append(escape(change.evidence))
    if change.repaired:
        notes.append(REPAIRED_NOTE)
    chrome = is_chrome(result, change)
    reuse = None if chrome else reuse_note(result, change)
    if reuse:
        notes.append(escape(reuse))
    if chrome:
        notes.extend(escape(reason) for reason in dict.fromkeys(label.reason for label in labels))
    head = f"- **{where} · {escape(' · '.join(tags))}**" + (f" ({'; '.join(notes)})" if notes else "")
    if dim:  # chrome, cut to one line
        texts = [result.new.paragraphs[j].text for j in change.new] or [result.old.paragraphs[i].text for i in change.old]
        body = escape(preview(" ".join(texts), DIM_PREVIEW))
    elif change.diff is not None:
        body = diff_markdown(shown_diff(result, change))
    elif change.new:
        body = " ¶ ".join(escape(result.new.paragraphs[j].text) for j in change.new)
    else:
        body = " ¶ ".join(escape(result.old.paragraphs[i].text) for i in change.old)
    return [head, _quote(body)]


DIGEST_LIMIT = 6  # paragraphs named per line of "What changed"


def _mention(item: Mention) -> str:
    where = f"¶{item.index + 1}" if item.side == "new" else f"old ¶{item.index + 1}"
    note = f" ({escape(item.note)})" if item.note else ""
    return f"{where} <i>{escape(item.words)}</i>{note}"


def _quote_edit(edit: QuoteEdit) -> str:
    who = f"{escape(edit.speaker)}: " if edit.speaker else ""
    return f"¶{edit.index + 1}, {who}“{diff_markdown(edit.diff)}”"


def _digest_lines(found: Digest) -> list[str]:
    lines = []
    if found.old_headline:
        lines.append(f"- **The headline changed.** It was “{escape(found.old_headline)}”.")
    for heading, items, render in (
        ("New reporting", found.new, _mention),
        ("Quotes edited", found.quotes, _quote_edit),
        ("Other edits", found.edited, _mention),
        ("Removed", found.removed, _mention),
        ("Moved", found.moved, _mention),
    ):
        if items:
            shown = [render(item) for item in items[:DIGEST_LIMIT]]
            if len(items) > DIGEST_LIMIT:
                shown.append(f"and {len(items) - DIGEST_LIMIT} more, below")
            count = f" ({len(items)})" if len(items) > 1 else ""
            lines.append(f"- **{heading}{count}:** {'; '.join(shown)}")
    return lines


def compare_markdown(result: Comparison, context: int | None = DEFAULT_CONTEXT,
                     boilerplate: BoilerplateMode = BoilerplateMode.SHOW) -> str:
    """A comparison as GitHub-flavoured Markdown: summary, then the changes in NEW order, with
    ``context`` unchanged paragraphs around each (None: all) and the rest counted; chrome shown,
    cut to one line (dim) or left out (hide)."""
    summary = result.summary
    found = digest(result)
    counts = " · ".join(escape(text) for _, text in summary_parts(summary)) or "no paragraphs"
    lines = [
        f"### What changed: {escape(found.title)}",
        "",
        (
            f"{escape(result.old.source)} → {escape(result.new.source)} · paragraphs "
            f"{len(result.old.paragraphs)} → {len(result.new.paragraphs)} · words of reporting "
            f"\\+{summary.words_added} −{summary.words_removed}"
        ),
        "",
        f"**{counts}**",
        "",
    ]
    if result.identical:
        lines += ["No changes: the two versions say the same, paragraph by paragraph (spacing aside).", ""]
    else:
        lines += [escape(found.counts), ""] + _digest_lines(found) + ["", "#### The article, with every change", ""]
    hide = boilerplate is BoilerplateMode.HIDE
    changes = [c for c in result.changes if not (hide and is_chrome(result, c))]
    folded: list[int] = []

    def fold() -> None:
        if folded:
            lines.append(f"- _{plural(len(folded), 'unchanged paragraph')} ({_span(folded)})_")
            folded.clear()

    for change, kept in zip(changes, shown([c.quiet for c in changes], context)):
        if not kept:
            folded.append(change.new[0] + 1)
            continue
        fold()
        dim = boilerplate is BoilerplateMode.DIM and is_chrome(result, change)
        lines += _change_item(result, change, dim)
    fold()
    chrome = [c for c in result.changes if is_chrome(result, c)]
    note = hidden_chrome_note(sum(len(c.new) for c in chrome), sum(len(c.old) for c in chrome if not c.new))
    if hide and note:
        lines += ["", f"_{note} (`--boilerplate show` to include them)._"]
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
    note = blame_reuse_note(paragraph)
    chrome = " · boilerplate" if paragraph.boilerplate else f" · {note}" if note else ""
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
    # boilerplate apart, as compare's summary counts it
    statuses = Counter("boilerplate" if p.boilerplate else p.status for p in blame_result.paragraphs)
    summary = ", ".join(f"{statuses[s]} {s}" for s in ("new", "carried", "edited", "reused", "boilerplate") if statuses[s])
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
