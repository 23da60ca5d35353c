"""Self-contained HTML reports: a comparison here, a lineage and a blame in html_lineage
(imported here, so that every view is ``html_report.<view>_html``). The page itself, its CSS and
the escaping are in html_page.

Anchors of a comparison (numbers as the ¶ labels show them, from 1):
``new-N`` NEW paragraph N, ``old-N`` OLD paragraph N, ``was-N`` the place OLD paragraph N left
when it moved, ``row-N`` the N-th entry of the report.
"""

from __future__ import annotations

from collections.abc import Iterable

from cpsdiff.render.html_page import (
    PREVIEW,
    WORD_LEGEND,
    esc,
    inline_diff,
    legend,
    page,
    side_diff,
)
from cpsdiff.diff.comparison import rows_with_places
from cpsdiff.model import Change, Comparison, Kind, Label, Role
from cpsdiff.render.digest import Mention, QuoteEdit, digest
from cpsdiff.render.folding import DEFAULT_CONTEXT, shown
from cpsdiff.render.output import BoilerplateMode
from cpsdiff.render.html_lineage import blame_html, lineage_html  # noqa: F401 (the CLI finds every view here)
from cpsdiff.render.labels import (
    KIND_MARK,
    REPAIRED_NOTE,
    hidden_chrome_note,
    is_chrome,
    plural,
    refs,
    reuse_note,
    shown_diff,
    similarity_words,
    verdict_label,
)
from cpsdiff.render.summary_line import summary_parts
from cpsdiff.text.normalize import preview as text_preview

# -- compare ------------------------------------------------------------------------------

LIST_LIMIT = 6  # paragraphs named per line of "What changed"; the rest are counted
SIMILARITY_TITLE = "similarity: 2 × the words kept in order ÷ the words of both versions (1 = the same words)"

# The one vocabulary of the summary, the views and this page: what each paragraph is now.
_VERDICT_MEANING = (
    ("new", KIND_MARK[Kind.ADDED], "new reporting: in the new version only"),
    ("edited", KIND_MARK[Kind.EDITED], "reworded: old and new side by side, word changes marked"),
    ("merged", KIND_MARK[Kind.MERGED], "several old paragraphs became one (links lead to each part)"),
    ("split", KIND_MARK[Kind.SPLIT], "one old paragraph became several (links lead to each part)"),
    ("carried", KIND_MARK[Kind.UNCHANGED], "carried over word for word (spacing aside); runs away from the changes are folded"),
    ("removed", KIND_MARK[Kind.REMOVED], "in the old version only; shown where it stood"),
    ("boilerplate", "·", "site chrome (teasers, credits, sign-up prompts): not reporting, counted once, as the new "
                         "version's; “boilerplate, new” is chrome that is new, and so on"),
)


def _verdict_tag(mark: str, label: str) -> str:
    word = label.split(",")[0]
    chrome = " chrome" if word == "boilerplate" else ""
    return f'<span class="tag verdict v-{word}{chrome}">{mark} {esc(label)}</span>'


_MOVED_TAG = '<span class="tag moved">↕ moved</span>'


def _links(prefix: str, indices: Iterable[int], label: str = "") -> str:
    return " + ".join(f'<a href="#{prefix}-{i + 1}">{label}¶{i + 1}</a>' for i in indices)


def _similarity(value: float) -> str:
    return (f'<span class="sim" title="{esc(SIMILARITY_TITLE)}">{similarity_words(value)} '
            f"(similarity {value:.2f})</span>")


def _compare_legend() -> str:
    verdicts = [(_verdict_tag(mark, word), meaning) for word, mark, meaning in _VERDICT_MEANING]
    verdicts.append((_MOVED_TAG, "left the order of the unchanged text; a link leads to where it stood and back"))
    measures = [
        ("similarity", "how much of the wording an edit kept: 2 × the words kept in order ÷ the words of both "
                       "versions; 1 is the same words, 0.5 about half kept"),
        ("“37% from old ¶1 and ¶13”", "the share of the paragraph's characters found in the old version, and where"),
        ("<code>kind</code> in the JSON", "what happened to the text of every paragraph, chrome included: added, "
                                          "unchanged, edited, merged, split, removed. The counts here are of reporting: "
                                          "new is added reporting, carried is unchanged reporting"),
    ]
    return legend((("Paragraphs", verdicts), ("Measures", measures), WORD_LEGEND))


# A row of the report: (change, None) for a change where it stands in NEW (removed text where it
# stood), or (moved change, OLD index) for the place a moved paragraph left.
_Row = tuple[Change, int | None]


def _quiet(row: _Row) -> bool:
    change, was = row
    return was is None and change.quiet


class _CompareReport:
    def __init__(self, result: Comparison, title: str | None, context: int | None = DEFAULT_CONTEXT,
                 boilerplate: BoilerplateMode = BoilerplateMode.SHOW):
        self.result, self.context, self.boilerplate = result, context, boilerplate
        self.digest = digest(result)
        self.heading = title or self.digest.title
        self.rows = rows_with_places(result.changes, len(result.old.paragraphs))
        # where each change and each moved-away place is listed, for ↑/↓ on the links
        self.row_of_change = {c: n for n, (c, was) in enumerate(self.rows) if was is None}
        self.row_of_place = {was: n for n, (_, was) in enumerate(self.rows) if was is not None}

    # -- header ----------------------------------------------------------------------------
    def header(self) -> str:
        result, summary = self.result, self.result.summary
        files = []
        for name, doc in (("Old", result.old), ("New", result.new)):
            files.append(
                f"<div><dt>{name}</dt><dd><code>{esc(doc.source)}</code> · "
                f"{plural(len(doc.paragraphs), 'paragraph')}<span class=\"muted\"> · xxh3 "
                f"{esc(doc.hash)}</span></dd></div>"
            )
        counts = "".join(f'<li class="c-{name}">{esc(text)}</li>' for name, text in summary_parts(summary))
        counts = counts or "<li>no paragraphs</li>"
        kicker = "What changed in" if self.digest.headline or self.heading != self.digest.title else "What changed in the story that begins"
        return (
            f'<header>\n<p class="kicker">{kicker}</p>\n<h1>{esc(self.heading)}</h1>\n'
            f'<dl class="files">{"".join(files)}</dl>\n'
            f'<ul class="counts" aria-label="Summary">{counts}</ul>\n'
            f'<p class="words">Words of reporting: <span class="c-new">+{summary.words_added}</span> '
            f'added, <span class="c-removed">−{summary.words_removed}</span> removed · paragraphs '
            f"{len(result.old.paragraphs)} → {len(result.new.paragraphs)}</p>\n</header>\n"
        )

    def mention(self, item: Mention) -> str:
        where = f"¶{item.index + 1}" if item.side == "new" else f"old ¶{item.index + 1}"
        note = f" <span class=\"muted\">({esc(item.note)})</span>" if item.note else ""
        return f'<a href="#{item.side}-{item.index + 1}">{where}</a> <i>{esc(item.words)}</i>{note}'

    def listed(self, items, render) -> str:
        shown = [render(item) for item in items[:LIST_LIMIT]]
        if len(items) > LIST_LIMIT:
            shown.append(f"and {len(items) - LIST_LIMIT} more, below")
        return "; ".join(shown)

    def quote(self, edit: QuoteEdit) -> str:
        who = f"{esc(edit.speaker)}: " if edit.speaker else ""
        return f'<a href="#new-{edit.index + 1}">¶{edit.index + 1}</a>, {who}“{inline_diff(edit.diff)}”'

    def what_changed(self) -> str:
        found = self.digest
        if self.result.identical:
            return (
                '<section class="digest" aria-labelledby="what">\n<h2 id="what">What changed</h2>\n'
                '<p class="identical"><strong>No changes:</strong> the two versions say the same, '
                "paragraph by paragraph (spacing aside).</p>\n</section>\n"
            )
        items = []
        if found.old_headline:
            items.append(f"<li><strong>The headline changed.</strong> It was “{esc(found.old_headline)}”.</li>")
        lines = (
            ("New reporting", found.new, self.mention),
            ("Quotes edited", found.quotes, self.quote),
            ("Other edits", found.edited, self.mention),
            ("Removed", found.removed, self.mention),
            ("Moved", found.moved, self.mention),
        )
        for heading, listed, render in lines:
            if listed:
                count = f" ({len(listed)})" if len(listed) > 1 else ""
                items.append(f"<li><strong>{heading}{count}:</strong> {self.listed(listed, render)}</li>")
        return (
            '<section class="digest" aria-labelledby="what">\n<h2 id="what">What changed</h2>\n'
            f"<p>{esc(found.counts)}</p>\n<ul>\n{chr(10).join(items)}\n</ul>\n</section>\n"
        )

    # -- rows ------------------------------------------------------------------------------
    def arrow(self, here: int, there: int) -> str:
        return "↓" if there > here else "↑"

    def labels(self, change: Change) -> list[Label]:
        """The labels of the NEW paragraphs of a change, or of the OLD ones it removed."""
        result = self.result
        return [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]

    def change_row(self, n: int, change: Change) -> str:
        kind = change.kind
        labels = self.labels(change)
        chrome = all(label.role is Role.BOILERPLATE for label in labels)
        classes = ["row", f"k-{kind.value}"] + ["moved"] * change.moved + ["chrome"] * chrome
        where = refs(change.new) if change.new else f"old {refs(change.old)}"
        head = [f'<span class="pos">{where}</span>', _verdict_tag(KIND_MARK[kind], verdict_label(self.result, change))]
        if change.moved:
            head.append(_MOVED_TAG)
        notes = self.notes(n, change, labels)
        if notes:
            head.append(f'<span class="note">{" · ".join(notes)}</span>')
        return (
            f'<section class="{" ".join(classes)}" id="row-{n}">\n'
            f'<h3 class="row-head">{" ".join(head)}</h3>\n{self.body(change)}</section>\n'
        )

    def notes(self, n: int, change: Change, labels: list[Label]) -> list[str]:
        kind, notes = change.kind, []
        if kind is Kind.SPLIT:
            notes.append(
                f"split from {_links('old', change.old, 'old ')} into {_links('new', change.new)}"
            )
        elif kind is Kind.MERGED:
            notes.append(f"merged from {_links('old', change.old, 'old ')} into {_links('new', change.new)}")
        elif change.old and change.new and not change.moved and change.old != change.new:
            notes.append(f"from old {refs(change.old)}")
        if change.moved:
            places = " + ".join(
                f'<a href="#was-{i + 1}" title="where it stood in the old version">old ¶{i + 1} '
                f"{self.arrow(n, self.row_of_place[i])}</a>"
                for i in change.old
            )
            notes.append(f"moved from {places}")
        if change.similarity is not None and kind is not Kind.UNCHANGED:
            notes.append(_similarity(change.similarity))
        if change.evidence:
            notes.append(esc(change.evidence))
        if change.repaired:
            notes.append(esc(REPAIRED_NOTE))
        reuse = None if any(label.role is Role.BOILERPLATE for label in labels) else reuse_note(self.result, change)
        if reuse:
            notes.append(esc(reuse))
        reasons = dict.fromkeys(label.reason for label in labels if label.role is Role.BOILERPLATE)
        notes.extend(esc(reason) for reason in reasons)
        return notes

    def body(self, change: Change) -> str:
        old, new = self.result.old.paragraphs, self.result.new.paragraphs
        if change.kind is Kind.UNCHANGED and change.repaired:
            # equal only once its encoding damage is repaired: both wordings, as written
            return self.columns(change, [esc(old[i].text) for i in change.old], [esc(new[j].text) for j in change.new])
        if change.kind is Kind.UNCHANGED:
            j, i = change.new[0], change.old[0]
            return f'<p class="text" id="new-{j + 1}"><span id="old-{i + 1}">{esc(new[j].text)}</span></p>\n'
        if not change.old:
            return "".join(f'<p class="text" id="new-{j + 1}">{esc(new[j].text)}</p>\n' for j in change.new)
        if not change.new:
            return "".join(f'<p class="text" id="old-{i + 1}">{esc(old[i].text)}</p>\n' for i in change.old)
        return self.side_by_side(change)

    def side_by_side(self, change: Change) -> str:
        old, new = self.result.old.paragraphs, self.result.new.paragraphs
        diff = shown_diff(self.result, change) or ()
        old_parts = side_diff(diff, "-", len(change.old))
        new_parts = side_diff(diff, "+", len(change.new))
        fallback = ""
        if old_parts is None or new_parts is None:  # breaks not found: plain texts, diff below
            old_parts = [esc(old[i].text) for i in change.old]
            new_parts = [esc(new[j].text) for j in change.new]
            if diff:
                fallback = f'<p class="text diff">{inline_diff(diff)}</p>\n'
        return self.columns(change, old_parts, new_parts) + fallback

    def columns(self, change: Change, old_parts: list[str], new_parts: list[str]) -> str:
        """The OLD and NEW paragraphs of a change side by side (parts are HTML)."""
        columns = []
        for side, name, indices, parts in (
            ("old", "old", change.old, old_parts), ("new", "new", change.new, new_parts)
        ):
            cells = "".join(
                f'<div class="side-label">{name} ¶{k + 1}</div>'
                f'<p class="text" id="{side}-{k + 1}">{part}</p>\n'
                for k, part in zip(indices, parts)
            )
            columns.append(f'<div class="side {side}">\n{cells}</div>\n')
        return f'<div class="sbs">\n{"".join(columns)}</div>\n'

    def place_row(self, n: int, change: Change, i: int) -> str:
        """Where a moved paragraph stood in OLD: a link to where it stands now."""
        target = self.row_of_change[change]
        now = " + ".join(f'<a href="#new-{j + 1}">¶{j + 1} {self.arrow(n, target)}</a>' for j in change.new)
        preview = esc(text_preview(self.result.old.paragraphs[i].text, PREVIEW))
        return (
            f'<section class="row ghost" id="was-{i + 1}">\n<h3 class="row-head">'
            f'<span class="pos">old ¶{i + 1}</span> <span class="tag moved">↕ moved away</span> '
            f'<span class="note">now at {now}: <i>{preview}</i></span></h3>\n</section>\n'
        )

    def folded(self, run: list[tuple[int, Change]]) -> str:
        """Unchanged paragraphs away from any change: in the page, folded (no script needed)."""
        rows = "".join(self.row(n, change, None) for n, change in run)
        numbers = [c.new[0] + 1 for _, c in run]
        span = f"¶{numbers[0]}" if len(numbers) == 1 else f"¶{numbers[0]}–¶{numbers[-1]}"
        return (
            f'<details class="quiet">\n<summary>{plural(len(run), "unchanged paragraph")} '
            f"({span})</summary>\n{rows}</details>\n"
        )

    def row(self, n: int, change: Change, was: int | None) -> str:
        if was is not None:
            return self.place_row(n, change, was)
        html = self.change_row(n, change)
        if self.boilerplate is BoilerplateMode.DIM and is_chrome(self.result, change):
            where = refs(change.new) if change.new else f"old {refs(change.old)}"
            texts = [p.text for p in self.labels_texts(change)]
            return (
                f'<details class="chrome-dim">\n<summary><span class="pos">{where}</span> boilerplate: '
                f"<i>{esc(text_preview(' '.join(texts), PREVIEW))}</i></summary>\n{html}</details>\n"
            )
        return html

    def labels_texts(self, change: Change):
        old, new = self.result.old.paragraphs, self.result.new.paragraphs
        return [new[j] for j in change.new] or [old[i] for i in change.old]

    def changes(self) -> str:
        out = ['<section aria-labelledby="changes">\n<h2 id="changes">The article, with every change</h2>\n']
        hide = self.boilerplate is BoilerplateMode.HIDE
        rows = [(n, change, was) for n, (change, was) in enumerate(self.rows)
                if not (hide and is_chrome(self.result, change))]
        keep = shown([_quiet((change, was)) for _, change, was in rows], self.context)
        run: list[tuple[int, Change]] = []
        for (n, change, was), kept in zip(rows, keep):
            if not kept:
                run.append((n, change))
                continue
            if run:
                out.append(self.folded(run))
                run = []
            out.append(self.row(n, change, was))
        if run:
            out.append(self.folded(run))
        if hide:
            note = self.hidden_note()
            if note:
                out.append(f'<p class="note hidden-chrome">{esc(note)}; <code>--boilerplate show</code> to include them.</p>\n')
        out.append("</section>\n")
        return "".join(out)

    def hidden_note(self) -> str | None:
        chrome = [change for change in self.result.changes if is_chrome(self.result, change)]
        return hidden_chrome_note(sum(len(c.new) for c in chrome), sum(len(c.old) for c in chrome if not c.new))

    def render(self) -> str:
        body = self.header() + self.what_changed() + _compare_legend() + self.changes()
        return page(f"{self.heading} — what changed (cpsdiff)", body)


def compare_html(result: Comparison, title: str | None = None, context: int | None = DEFAULT_CONTEXT,
                 boilerplate: BoilerplateMode = BoilerplateMode.SHOW) -> str:
    """A comparison as one self-contained HTML page. ``context``: unchanged paragraphs shown
    around each change (None: all), the others folded; ``boilerplate``: chrome shown, folded
    to one line (dim) or left out of the page (hide)."""
    return _CompareReport(result, title, context, boilerplate).render()
