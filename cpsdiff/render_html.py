"""Self-contained HTML reports: a comparison here, a lineage and a blame in render_html_lineage
(imported here, so that every view is ``render_html.<view>_html``). The page itself, its CSS and
the escaping are in html_page.

Anchors of a comparison (numbers as the ¶ labels show them, from 1):
``new-N`` NEW paragraph N, ``old-N`` OLD paragraph N, ``was-N`` the place OLD paragraph N left
when it moved, ``row-N`` the N-th entry of the report.
"""

from __future__ import annotations

from collections.abc import Iterable

from cpsdiff.html_page import (
    PREVIEW,
    WORD_LEGEND,
    esc,
    inline_diff,
    legend,
    page,
    side_diff,
)
from cpsdiff.comparison import rows_with_places
from cpsdiff.model import Change, Comparison, Kind, Label, Role
from cpsdiff.render_html_lineage import blame_html, lineage_html  # noqa: F401 (the CLI finds every view here)
from cpsdiff.report_labels import (
    KIND_MARK,
    REPAIRED_NOTE,
    ROLE_TEXT,
    plural,
    refs,
    reuse_note,
    shown_diff,
)
from cpsdiff.summary_line import summary_parts
from cpsdiff.text import preview as text_preview

# -- compare ------------------------------------------------------------------------------

_KIND_MEANING = (
    (Kind.ADDED, "in the new version only"),
    (Kind.REMOVED, "in the old version only; shown where it stood"),
    (Kind.EDITED, "reworded: old and new side by side, word changes marked"),
    (Kind.MERGED, "several old paragraphs became one (links lead to each source)"),
    (Kind.SPLIT, "one old paragraph became several (links lead to each part)"),
    (Kind.UNCHANGED, "the same text, spacing aside; runs of them are folded"),
)
_ROLE_MEANING = (
    (Role.NEW, "reporting with no counterpart in the old version"),
    (Role.CARRIED, "reporting carried over word for word"),
    (Role.BOILERPLATE, "site chrome (teasers, credits, sign-up prompts): not reporting, counted once"),
)


def _kind_tag(kind: Kind) -> str:
    return f'<span class="tag kind k-{kind.value}">{KIND_MARK[kind]} {kind.value}</span>'


def _role_tag(role: Role) -> str:
    chrome = " chrome" if role is Role.BOILERPLATE else ""
    return f'<span class="tag role r-{role.value}{chrome}">{ROLE_TEXT[role]}</span>'


_MOVED_TAG = '<span class="tag moved">↕ moved</span>'


def _links(prefix: str, indices: Iterable[int], label: str = "") -> str:
    return " + ".join(f'<a href="#{prefix}-{i + 1}">{label}¶{i + 1}</a>' for i in indices)


def _compare_legend() -> str:
    kinds = [(_kind_tag(kind), meaning) for kind, meaning in _KIND_MEANING]
    kinds.append(
        (_MOVED_TAG, "left the order of the unchanged text; a link leads to where it stood and back")
    )
    roles = [(_role_tag(role), meaning) for role, meaning in _ROLE_MEANING]
    return legend((("Paragraphs", kinds), ("Roles", roles), WORD_LEGEND))


# A row of the report: (change, None) for a change where it stands in NEW (removed text where it
# stood), or (moved change, OLD index) for the place a moved paragraph left.
_Row = tuple[Change, int | None]


def _quiet(row: _Row) -> bool:
    change, was = row
    return was is None and change.quiet


class _CompareReport:
    def __init__(self, result: Comparison, title: str | None):
        self.result = result
        self.title = title or f"cpsdiff: {result.old.source} → {result.new.source}"
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
                f"{plural(len(doc.paragraphs), 'paragraph')} · <span class=\"muted\">xxh3 "
                f"{esc(doc.hash)}</span></dd></div>"
            )
        counts = "".join(f'<li class="c-{name}">{esc(text)}</li>' for name, text in summary_parts(summary))
        counts = counts or "<li>no paragraphs</li>"
        out = [
            f"<header>\n<h1>{esc(self.title)}</h1>\n",
            f'<dl class="files">{"".join(files)}</dl>\n',
            f'<ul class="counts" aria-label="Summary">{counts}</ul>\n',
            (
                f'<p class="words">Words of reporting: <span class="c-new">+{summary.words_added}</span> '
                f'added, <span class="c-removed">−{summary.words_removed}</span> removed · paragraphs '
                f"{len(result.old.paragraphs)} → {len(result.new.paragraphs)}</p>\n"
            ),
        ]
        if result.identical:
            out.append(
                '<p class="identical"><strong>No changes:</strong> the two versions say the same, '
                "paragraph by paragraph (spacing aside).</p>\n"
            )
        out.append("</header>\n")
        return "".join(out)

    def overview(self) -> str:
        items = []
        for n, row in enumerate(self.rows):
            change, was = row
            if _quiet(row) or was is not None:
                continue
            where = f"¶{change.new[0] + 1}" if change.new else f"old ¶{change.old[0] + 1}"
            label = change.kind.value + (", moved" if change.moved else "")
            items.append(
                f'<li><a href="#row-{n}" class="k-{change.kind.value}">{where} '
                f"{KIND_MARK[change.kind]} {label}</a></li>"
            )
        if not items:
            return ""
        return (
            '<nav class="map" aria-labelledby="map">\n<h2 id="map">Changes at a glance</h2>\n'
            f"<ol>{''.join(items)}</ol>\n</nav>\n"
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
        head = [f'<span class="pos">{where}</span>', _kind_tag(kind)]
        if change.moved:
            head.append(_MOVED_TAG)
        roles = dict.fromkeys(label.role for label in labels if label.role in ROLE_TEXT)
        head.extend(_role_tag(role) for role in roles)
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
            notes.append(f"similarity {change.similarity:.2f}")
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

    def quiet_run(self, run: list[tuple[int, Change]]) -> str:
        rows = "".join(self.change_row(n, change) for n, change in run)
        if len(run) == 1:
            return rows
        numbers = [c.new[0] + 1 for _, c in run]
        return (
            f'<details class="quiet">\n<summary>{len(run)} unchanged paragraphs '
            f"(¶{numbers[0]}–¶{numbers[-1]})</summary>\n{rows}</details>\n"
        )

    def changes(self) -> str:
        out = ['<section aria-labelledby="changes">\n<h2 id="changes">The new version, with what changed</h2>\n']
        run: list[tuple[int, Change]] = []
        for n, row in enumerate(self.rows):
            change, was = row
            if _quiet(row):
                run.append((n, change))
                continue
            if run:
                out.append(self.quiet_run(run))
                run = []
            out.append(self.change_row(n, change) if was is None else self.place_row(n, change, was))
        if run:
            out.append(self.quiet_run(run))
        out.append("</section>\n")
        return "".join(out)

    def render(self) -> str:
        body = self.header() + _compare_legend() + self.overview() + self.changes()
        return page(self.title, body)


def compare_html(result: Comparison, title: str | None = None) -> str:
    """A comparison as one self-contained HTML page."""
    return _CompareReport(result, title).render()
