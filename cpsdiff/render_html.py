"""Self-contained HTML reports of a comparison, a lineage and a blame.

One page each: inline CSS, no script, nothing fetched (a Content-Security-Policy forbids it), so a
report can be mailed, archived and opened offline. Every piece of article text goes through
``_esc`` (control characters made visible, then ``html.escape``); ids and anchors are built from
indices only. Meaning never rests on colour: every paragraph carries a text label, and word
changes are <del>/<ins>, struck through or underlined, with visible [− −] / [+ +] markers.

Anchors of a comparison (numbers as the ¶ labels show them, from 1):
``new-N`` NEW paragraph N, ``old-N`` OLD paragraph N, ``was-N`` the place OLD paragraph N left
when it moved, ``row-N`` the N-th entry of the report.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from cpsdiff import __version__
from cpsdiff.blame import Blame, ParagraphBlame, SentenceBlame
from cpsdiff.lineage import METHODS, Family, Lineage, Reuse, VersionInfo
from cpsdiff.model import Change, Comparison, Kind, Label, Role, WordDiff
from cpsdiff.report_labels import (
    FAMILY_GROUPS,
    FOLDED_GROUPS,
    KIND_MARK,
    ROLE_TEXT,
    family_group,
    plural,
    refs,
    version_label,
)
from cpsdiff.summary_line import summary_parts
from cpsdiff.terminal import PARAGRAPH_BREAK
from cpsdiff.text import visible

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_PREVIEW = 90

_CSS = """
:root {
  --bg: #ffffff; --fg: #1d1d1f; --muted: #5c5f66; --line: #d5d7db; --panel: #f6f7f9;
  --add-bg: #dcf5e3; --add-fg: #0f5c27; --del-bg: #fde2e0; --del-fg: #9b1c14;
  --edit: #a86b00; --add: #1e8a3e; --del: #c4291c; --join: #0a7890; --move: #7b3fb3;
  --chrome: #8a8f98; --link: #1558b0;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c; --fg: #e6e6e9; --muted: #a3a7b0; --line: #3a3e46; --panel: #1f2228;
    --add-bg: #133a22; --add-fg: #a6e9b9; --del-bg: #4a1d1a; --del-fg: #ffbdb6;
    --edit: #f0b440; --add: #5ccf7d; --del: #ff7a6e; --join: #4cc3dd; --move: #c49af0;
    --chrome: #8d929b; --link: #8ab8ff;
  }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 1rem 1.25rem 3rem; background: var(--bg);
  color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--link); }
h1 { font-size: 1.45rem; margin: .4rem 0 .6rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0; }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
.muted, .note { color: var(--muted); }
.text { font-family: Georgia, "Iowan Old Style", "Times New Roman", serif; font-size: 1.05rem;
  line-height: 1.6; margin: .3rem 0; overflow-wrap: break-word; }
.files { margin: 0 0 .6rem; }
.files div { display: flex; gap: .6rem; }
.files dt { font-weight: 600; min-width: 2.6rem; }
.files dd { margin: 0; }
.counts { list-style: none; padding: 0; margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .4rem; }
.counts li, .tag { display: inline-block; border: 1px solid currentColor; border-radius: .3rem;
  padding: 0 .4rem; font-size: .85rem; font-weight: 600; white-space: nowrap; }
.c-new, .k-added .tag.kind, .tag.k-added, .s-new { color: var(--add); }
.c-removed, .tag.k-removed, .s-removed { color: var(--del); }
.c-edited, .tag.k-edited, .s-edited { color: var(--edit); }
.c-merged, .c-split, .tag.k-merged, .tag.k-split, .c-reused, .s-reused { color: var(--join); }
.c-moved, .tag.moved, .s-mixed, .c-drift { color: var(--move); }
.c-carried, .tag.k-unchanged, .s-carried { color: var(--muted); }
.c-boilerplate, .tag.chrome { color: var(--chrome); border-style: dashed; }
.tag.role { font-weight: 500; }
del, ins { text-decoration-thickness: 1px; border-radius: .15rem; padding: 0 .05rem; }
del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; }
ins { background: var(--add-bg); color: var(--add-fg); text-decoration: underline; }
del::before, del::after, ins::before, ins::after { display: inline-block; text-decoration: none;
  font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .72em; opacity: .8; }
del::before { content: "[\\2212"; content: "[\\2212" / "deleted: "; }
del::after { content: "\\2212]"; content: "\\2212]" / " end of deletion"; }
ins::before { content: "[+"; content: "[+" / "inserted: "; }
ins::after { content: "+]"; content: "+]" / " end of insertion"; }
.legend { background: var(--panel); border: 1px solid var(--line); border-radius: .4rem;
  padding: .2rem .9rem .6rem; margin: 1rem 0; }
.legend h2 { border: 0; margin: .6rem 0 .3rem; font-size: 1rem; }
.legend dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem .8rem; margin: .2rem 0; }
.legend dt { margin: 0; }
.legend dd { margin: 0; color: var(--muted); }
.map ol { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem; }
.map a { text-decoration: none; font-size: .82rem; border: 1px solid var(--line); border-radius: .3rem;
  padding: 0 .35rem; white-space: nowrap; color: var(--fg); }
.row { border-left: 4px solid var(--line); padding: .35rem 0 .35rem .8rem; margin: .7rem 0; }
.row.k-added { border-left-color: var(--add); }
.row.k-removed { border-left-color: var(--del); border-left-style: dashed; }
.row.k-edited { border-left-color: var(--edit); }
.row.k-merged, .row.k-split { border-left-color: var(--join); border-left-style: double; border-left-width: 5px; }
.row.moved, .row.ghost { border-left-color: var(--move); }
.row.ghost { border-left-style: dotted; padding-top: .15rem; padding-bottom: .15rem; }
.row.chrome .text { color: var(--muted); font-size: .95rem; }
.row-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .35rem .5rem;
  font-weight: 400; font-size: .9rem; }
.pos { font-weight: 700; min-width: 3.2rem; }
.row.k-removed > .text { color: var(--muted); }
.sbs { display: grid; grid-template-columns: 1fr 1fr; gap: .4rem 1.2rem; margin-top: .2rem; }
.side { min-width: 0; }
.side-label { font-size: .75rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
  color: var(--muted); margin-top: .3rem; }
.side.old .text { color: var(--muted); }
.side.old .text del { color: var(--del-fg); }
details.quiet { margin: .7rem 0; border-left: 4px solid var(--line); padding: .2rem 0 .2rem .8rem; }
details.quiet > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
.identical { background: var(--panel); border: 1px solid var(--line); padding: .5rem .8rem; border-radius: .4rem; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline li { border-left: 3px solid var(--line); margin: 0 0 .6rem .4rem; padding: .1rem 0 .1rem .9rem; }
.timeline li.target { border-left-color: var(--move); }
.vnum { font-weight: 700; margin-right: .4rem; }
.bar { display: flex; height: .45rem; max-width: 24rem; margin: .25rem 0; border-radius: .2rem;
  overflow: hidden; background: var(--panel); }
.bar span { display: block; height: 100%; }
.bar .c-new { background: var(--add); } .bar .c-carried { background: var(--line); }
.bar .c-edited { background: var(--edit); } .bar .c-reused { background: var(--join); }
.bar .c-boilerplate { background: var(--chrome); opacity: .5; }
.family { border-left: 4px solid var(--line); padding: .2rem 0 .3rem .8rem; margin: .8rem 0; }
.family.g-drift { border-left-color: var(--move); } .family.g-reused { border-left-color: var(--join); }
.family.g-edited { border-left-color: var(--edit); }
.steps { margin: .2rem 0; padding-left: 1.2rem; }
.steps li { margin: .2rem 0; }
.drift { margin: .3rem 0; }
.blame { width: 100%; border-collapse: collapse; }
.blame th, .blame td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-top: 1px solid var(--line); }
.blame th { font-size: .8rem; color: var(--muted); font-weight: 600; }
.blame td.gutter { white-space: nowrap; font-size: .88rem; width: 1%; }
.blame .sent { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .7rem; }
.blame .sent .origin { font-size: .85rem; white-space: nowrap; padding-top: .2rem; }
.foot { margin-top: 2.5rem; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem; }
@media (max-width: 44rem) { .sbs { grid-template-columns: 1fr; } .legend dl { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; background: #fff; color: #000; }
  .map { display: none; }
  a { color: inherit; text-decoration: none; }
  .row, .family, .timeline li, .blame tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  del, ins { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# -- pieces every report shares -----------------------------------------------------------


def _esc(text: str) -> str:
    """Article (or any outside) text for HTML: controls made visible, then escaped."""
    return html.escape(visible(text), quote=True)


def _mark(tag: str, text: str) -> str:
    """<del>/<ins> around a changed stretch; spaces at its edges stay outside the mark."""
    core = text.strip()
    if not core:
        return f"<{tag}>{_esc(text)}</{tag}>"
    start = text.index(core[0])
    return f"{_esc(text[:start])}<{tag}>{_esc(core)}</{tag}>{_esc(text[start + len(core):])}"


def _inline_diff(diff: WordDiff) -> str:
    """A word diff in one flow: kept text plain, deletions <del>, insertions <ins>."""
    out = []
    for op, text in diff:
        text = text.replace(PARAGRAPH_BREAK, " ¶ ")
        out.append(_esc(text) if op == "=" else _mark("del" if op == "-" else "ins", text))
    return "".join(out)


def _side(diff: WordDiff, side: str, parts: int) -> list[str] | None:
    """One side of a word diff ("-": OLD with its deletions, "+": NEW with its insertions), one
    HTML string per paragraph; None if the paragraph breaks do not line up with ``parts``.
    A change of spacing alone (where paragraphs were joined or cut) is shown as plain space."""
    tag = "del" if side == "-" else "ins"
    paragraphs: list[list[str]] = [[]]
    for op, text in diff:
        if op not in ("=", side):
            continue
        for k, piece in enumerate(text.split(PARAGRAPH_BREAK)):
            if k:
                paragraphs.append([])
            if piece:
                plain = op == "=" or not piece.strip()
                paragraphs[-1].append(_esc(piece) if plain else _mark(tag, piece))
    if len(paragraphs) != parts:
        return None
    return ["".join(p) for p in paragraphs]


def _short(text: str, limit: int = _PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="cpsdiff {_esc(__version__)}">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n"
        f'<footer class="foot">Report by cpsdiff {_esc(__version__)}. Self-contained: no scripts, '
        "nothing loaded from the network.</footer>\n</body>\n</html>\n"
    )


def _legend(sections: Iterable[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """A legend: (heading, [(sample HTML, meaning)])."""
    opening = (
        '<section class="legend" id="legend" aria-labelledby="legend-title">\n'
        '<h2 id="legend-title">How to read this report</h2>\n'
    )
    out = [opening]
    for heading, items in sections:
        out.append(f"<h3>{heading}</h3>\n<dl>\n")
        out.extend(f"<dt>{sample}</dt><dd>{meaning}</dd>\n" for sample, meaning in items)
        out.append("</dl>\n")
    out.append("</section>\n")
    return "".join(out)


_WORD_LEGEND = (
    "Word changes",
    (
        ("<del>deleted words</del>", "struck through and marked [− … −]: in the earlier text only"),
        ("<ins>inserted words</ins>", "underlined and marked [+ … +]: in the later text only"),
    ),
)

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
    return _legend((("Paragraphs", kinds), ("Roles", roles), _WORD_LEGEND))


# A row of the report: (change, None) for a change where it stands in NEW (removed text where it
# stood), or (moved change, OLD index) for the place a moved paragraph left.
_Row = tuple[Change, int | None]


def _rows(result: Comparison) -> list[_Row]:
    """NEW in order; removed OLD paragraphs, and the places moved ones left, right after the
    kept text that preceded them in OLD."""
    placed = sorted((c for c in result.changes if c.new), key=lambda c: c.new[0])
    removed = {c.old[0]: c for c in result.changes if not c.new}
    by_old = {i: c for c in placed for i in c.old}
    slot_of = {j: k for k, c in enumerate(placed) for j in c.new}
    after: dict[int, list[_Row]] = defaultdict(list)  # slot (-1: the top) -> rows
    anchor = -1
    for i in range(len(result.old.paragraphs)):
        change = by_old.get(i)
        if change is not None and not change.moved:
            anchor = max(change.new)
            continue
        row = (removed[i], None) if change is None else (change, i)
        after[slot_of[anchor] if anchor >= 0 else -1].append(row)
    rows = list(after[-1])
    for slot, change in enumerate(placed):
        rows.append((change, None))
        rows.extend(after.get(slot, ()))
    return rows


def _quiet(row: _Row) -> bool:
    change, was = row
    return was is None and change.kind is Kind.UNCHANGED and not change.moved


class _CompareReport:
    def __init__(self, result: Comparison, title: str | None):
        self.result = result
        self.title = title or f"cpsdiff: {result.old.source} → {result.new.source}"
        self.rows = _rows(result)
        # where each change and each moved-away place is listed, for ↑/↓ on the links
        self.row_of_change = {c: n for n, (c, was) in enumerate(self.rows) if was is None}
        self.row_of_place = {was: n for n, (_, was) in enumerate(self.rows) if was is not None}

    # -- header ----------------------------------------------------------------------------
    def header(self) -> str:
        result, summary = self.result, self.result.summary
        files = []
        for name, doc in (("Old", result.old), ("New", result.new)):
            files.append(
                f"<div><dt>{name}</dt><dd><code>{_esc(doc.source)}</code> · "
                f"{plural(len(doc.paragraphs), 'paragraph')} · <span class=\"muted\">xxh3 "
                f"{_esc(doc.hash)}</span></dd></div>"
            )
        counts = "".join(f'<li class="c-{name}">{_esc(text)}</li>' for name, text in summary_parts(summary))
        counts = counts or "<li>no paragraphs</li>"
        out = [
            f"<header>\n<h1>{_esc(self.title)}</h1>\n",
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
            notes.append(_esc(change.evidence))
        reasons = dict.fromkeys(label.reason for label in labels if label.role is Role.BOILERPLATE)
        notes.extend(_esc(reason) for reason in reasons)
        return notes

    def body(self, change: Change) -> str:
        old, new = self.result.old.paragraphs, self.result.new.paragraphs
        if change.kind is Kind.UNCHANGED:
            j, i = change.new[0], change.old[0]
            return f'<p class="text" id="new-{j + 1}"><span id="old-{i + 1}">{_esc(new[j].text)}</span></p>\n'
        if not change.old:
            return "".join(f'<p class="text" id="new-{j + 1}">{_esc(new[j].text)}</p>\n' for j in change.new)
        if not change.new:
            return "".join(f'<p class="text" id="old-{i + 1}">{_esc(old[i].text)}</p>\n' for i in change.old)
        return self.side_by_side(change)

    def side_by_side(self, change: Change) -> str:
        old, new = self.result.old.paragraphs, self.result.new.paragraphs
        diff = change.diff or ()
        old_parts = _side(diff, "-", len(change.old))
        new_parts = _side(diff, "+", len(change.new))
        fallback = ""
        if old_parts is None or new_parts is None:  # breaks not found: plain texts, diff below
            old_parts = [_esc(old[i].text) for i in change.old]
            new_parts = [_esc(new[j].text) for j in change.new]
            if diff:
                fallback = f'<p class="text diff">{_inline_diff(diff)}</p>\n'
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
        return f'<div class="sbs">\n{"".join(columns)}</div>\n{fallback}'

    def place_row(self, n: int, change: Change, i: int) -> str:
        """Where a moved paragraph stood in OLD: a link to where it stands now."""
        target = self.row_of_change[change]
        now = " + ".join(f'<a href="#new-{j + 1}">¶{j + 1} {self.arrow(n, target)}</a>' for j in change.new)
        preview = _esc(_short(self.result.old.paragraphs[i].text))
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
        return _page(self.title, body)


def compare_html(result: Comparison, title: str | None = None) -> str:
    """A comparison as one self-contained HTML page."""
    return _CompareReport(result, title).render()


# -- lineage and blame ----------------------------------------------------------------------

_COUNT_LABEL = {"new": "new", "carried": "carried", "edited": "edited", "reused": "from another story",
                "boilerplate": "boilerplate"}


def _vlink(position: int) -> str:
    return f'<a href="#v-{position + 1}">{version_label(position)}</a>'


def _version_item(info: VersionInfo, target: int | None = None) -> str:
    counts = {name: count for name, count in info.counts.items() if count and name in _COUNT_LABEL}
    total = sum(counts.values())
    chips = "".join(f'<li class="c-{name}">{count} {_COUNT_LABEL[name]}</li>'
                    for name, count in counts.items())
    bar = "".join(
        f'<span class="c-{name}" style="width:{100 * count / total:.1f}%"></span>' for name, count in counts.items()
    )
    when = f"<div>published/updated {_esc(info.time)}</div>" if info.time else ""
    mark = ' class="target"' if info.position == target else ""
    this = " <strong>(this version)</strong>" if info.position == target else ""
    return (
        f'<li id="v-{info.position + 1}"{mark}><span class="vnum">{version_label(info.position)}</span>'
        f'<code>{_esc(info.id)}</code>{this} · story <code>{_esc(info.story)}</code> · '
        f'{plural(info.paragraphs, "paragraph")}\n'
        f'<div class="bar" aria-hidden="true">{bar}</div>'
        f'<ul class="counts" aria-label="Sentences">{chips}</ul>\n'
        f'{when}<div class="muted">order: {_esc(info.reason)}</div></li>\n'
    )


def _timeline(lineage: Lineage, target: int | None = None) -> str:
    items = "".join(_version_item(info, target) for info in lineage.versions)
    return (
        '<section aria-labelledby="versions">\n'
        f'<h2 id="versions">Versions, oldest first (order {_esc(METHODS.get(lineage.method, lineage.method))})</h2>\n'
        f'<ol class="timeline">\n{items}</ol>\n</section>\n'
    )


def _step(lineage: Lineage, position: int, paragraph: int, story: bool = False) -> str:
    where = f"{_vlink(position)} ¶{paragraph + 1}"
    if story:
        where += f" ({_esc(lineage.versions[position].story)})"
    return where


# (group, heading, marker, what it means), in the order the reports list them; the Markdown
# report shares these. Each family is listed once, in the group family_group() gives it.
def _family_article(lineage: Lineage, family: Family, number: int, group: str, marker: str) -> str:
    steps, seen = [], set()
    for a in family.appearances:
        step = _step(lineage, a.version, a.paragraph, a.reuse == Reuse.OTHER_STORY)
        if step not in seen:
            seen.add(step)
            steps.append(step)
    first = family.first
    out = [
        f'<article class="family g-{group}" id="fam-{number}">\n',
        (
            f'<h3 class="row-head"><span class="pos">{marker}</span> {" → ".join(steps)} '
            f'<span class="id muted">{_esc(family.id)}</span></h3>\n'
        ),
        (
            f'<p><span class="note">first in {_step(lineage, first.version, first.paragraph)}:</span> '
            f'<span class="text">{_esc(first.text)}</span></p>\n'
        ),
    ]
    later = []
    for a in family.appearances[1:]:
        where = _step(lineage, a.version, a.paragraph, a.reuse == Reuse.OTHER_STORY)
        how = "reused in another story" if a.reuse == Reuse.OTHER_STORY else "update of the same story"
        if a.diff is not None:
            similarity = f", similarity {a.similarity:.2f}" if a.similarity is not None else ""
            later.append(f'<li>{where} · {how}, reworded{similarity}: <span class="text">{_inline_diff(a.diff)}</span></li>\n')
        elif a.reuse == Reuse.OTHER_STORY:
            later.append(f"<li>{where} · {how}, same wording</li>\n")
    if later:
        out.append(f'<ol class="steps">\n{"".join(later)}</ol>\n')
    for d in family.drift:
        who = _esc(d.speaker) if d.speaker else "unattributed"
        out.append(
            f'<p class="drift"><span class="tag c-drift">⚠ quote drift</span> <strong>{who}</strong> · '
            f"{_step(lineage, d.before, d.before_paragraph)} → {_step(lineage, d.after, d.after_paragraph)}: "
            f'<span class="text">“{_inline_diff(d.diff)}”</span></p>\n'
        )
    out.append("</article>\n")
    return "".join(out)


def _lineage_legend() -> str:
    groups = [(f'<span class="pos">{marker}</span> {heading}', meaning) for _, heading, marker, meaning in FAMILY_GROUPS]
    counts = (
        ('<span class="tag c-new">new</span>', "sentences seen first in this version"),
        ('<span class="tag c-carried">carried</span>', "from an earlier version of the same story, word for word"),
        ('<span class="tag c-edited">edited</span>', "from an earlier version of the same story, reworded"),
        ('<span class="tag c-reused">from another story</span>', "first seen in a different story"),
        ('<span class="tag c-boilerplate">boilerplate</span>', "site chrome"),
    )
    return _legend((("Sentence families", groups), ("Counts per version", counts), _WORD_LEGEND))


def lineage_html(lineage: Lineage, families: list[Family], title: str | None = None) -> str:
    """A lineage (materialised) as one HTML page: the versions in order, then the families."""
    versions = lineage.versions
    title = title or f"cpsdiff lineage: {plural(len(versions), 'version')}"
    grouped: dict[str, list[Family]] = defaultdict(list)
    for family in families:
        grouped[family_group(family)].append(family)
    stories = len({v.story for v in versions})
    drift = sum(len(f.drift) for f in families)
    out = [
        f"<header>\n<h1>{_esc(title)}</h1>\n",
        (
            f'<ul class="counts" aria-label="Summary"><li>{plural(len(versions), "version")}</li>'
            f'<li>{plural(stories, "story", "stories")}</li>'
            f'<li>{plural(len(families), "sentence family", "sentence families")}</li>'
            f'<li class="c-edited">{sum(f.changed for f in families)} reworded</li>'
            f'<li class="c-reused">{sum(f.cross_story for f in families)} in more than one story</li>'
            f'<li class="c-drift">{plural(drift, "quote drift", "quote drifts")}</li></ul>\n'
        ),
    ]
    if lineage.identical:
        out.append('<p class="identical"><strong>All versions say the same</strong>, paragraph by paragraph.</p>\n')
    hidden = len(lineage.families) - len(families)
    if hidden > 0:
        out.append(f'<p class="muted">{plural(hidden, "family", "families")} left out by the filters.</p>\n')
    out.append("</header>\n")
    out.append(_lineage_legend())
    out.append(_timeline(lineage))
    number = 0
    for group, heading, marker, _ in FAMILY_GROUPS:
        chosen = grouped.get(group, [])
        if not chosen:
            continue
        articles = []
        for family in chosen:
            number += 1
            articles.append(_family_article(lineage, family, number, group, marker))
        section = f'<h2 id="g-{group}">{heading} ({len(chosen)})</h2>\n{"".join(articles)}'
        if group in FOLDED_GROUPS:
            section = (
                f'<details class="quiet">\n<summary>{heading}: {plural(len(chosen), "sentence")} '
                f"(folded)</summary>\n{section}</details>\n"
            )
        out.append(f"<section>\n{section}</section>\n")
    return _page(title, "".join(out))


_STATUS_MEANING = (
    ("new", "first appears in this version"),
    ("carried", "word for word from an earlier version of the same story"),
    ("edited", "from an earlier version, reworded: the words changed since are marked"),
    ("reused", "word for word from a different story"),
    ("mixed", "its sentences come from different versions (listed one by one)"),
)


def _sentence_html(sentence: SentenceBlame) -> str:
    return _inline_diff(sentence.diff) if sentence.diff is not None else _esc(sentence.text)


def _blame_row(lineage: Lineage, paragraph: ParagraphBlame) -> str:
    origin = "mixed" if paragraph.origin is None else _vlink(paragraph.origin)
    status = f'<span class="tag s-{_esc(paragraph.status)}">{_esc(paragraph.status)}</span>'
    chrome = ' <span class="tag chrome">boilerplate</span>' if paragraph.boilerplate else ""
    split = paragraph.origin is None or len({s.status for s in paragraph.sentences}) > 1
    if split:
        cells = "".join(
            f'<span class="origin">{_step(lineage, s.origin, s.origin_paragraph)} '
            f'<span class="tag s-{_esc(s.status)}">{_esc(s.status)}</span></span>'
            f'<span class="text">{_sentence_html(s)}</span>\n'
            for s in paragraph.sentences
        )
        text = f'<div class="sent">\n{cells}</div>'
    else:
        text = f'<p class="text">{" ".join(_sentence_html(s) for s in paragraph.sentences)}</p>'
    places = {s.origin_paragraph for s in paragraph.sentences}
    single = paragraph.origin is not None and len(places) == 1 and paragraph.status != "new"
    where = f" ¶{places.pop() + 1}" if single else ""
    return (
        f'<tr id="p-{paragraph.index + 1}"><td class="gutter"><strong>¶{paragraph.index + 1}</strong><br>'
        f"{origin}{where}<br>{status}{chrome}</td>\n<td>{text}</td></tr>\n"
    )


def blame_html(blame_result: Blame, title: str | None = None) -> str:
    """A blame as one HTML page: DOC's paragraphs, each with where it first appeared."""
    lineage = blame_result.lineage
    target = lineage.versions[blame_result.target]
    title = title or f"cpsdiff blame: {target.id}"
    paragraphs = Counter(p.status for p in blame_result.paragraphs)
    sentences = Counter(s.status for p in blame_result.paragraphs for s in p.sentences)
    summary = "".join(
        f'<li class="s-{status}">{plural(paragraphs[status], "paragraph")} {status}</li>'
        for status, _ in _STATUS_MEANING if paragraphs[status]
    )
    sentence_counts = ", ".join(f"{sentences[s]} {s}" for s, _ in _STATUS_MEANING if sentences[s])
    legend = _legend(
        (
            ("Status", [(f'<span class="tag s-{s}">{s}</span>', meaning) for s, meaning in _STATUS_MEANING]),
            ("Origin", [("v2 ¶5", "the version (see the list of versions) and paragraph where it first appeared"),
                        ('<span class="tag chrome">boilerplate</span>', "site chrome, not reporting")]),
            _WORD_LEGEND,
        )
    )
    rows = "".join(_blame_row(lineage, p) for p in blame_result.paragraphs)
    body = (
        f"<header>\n<h1>{_esc(title)}</h1>\n"
        f"<p>{_vlink(blame_result.target)} of {len(lineage.versions)} "
        f"(order {_esc(METHODS.get(lineage.method, lineage.method))}) · "
        f"{plural(len(blame_result.paragraphs), 'paragraph')}; sentences: {sentence_counts or 'none'}</p>\n"
        f'<ul class="counts" aria-label="Summary">{summary}</ul>\n'
        + ('<p class="identical"><strong>Nothing new:</strong> every sentence was already there, word for word.</p>\n'
           if blame_result.unchanged else "")
        + "</header>\n"
        + legend
        + _timeline(lineage, blame_result.target)
        + '<section aria-labelledby="doc">\n<h2 id="doc">The text, annotated</h2>\n'
        '<table class="blame">\n<thead><tr><th scope="col">Paragraph · first seen · status</th>'
        f'<th scope="col">Text</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n'
    )
    return _page(title, body)
