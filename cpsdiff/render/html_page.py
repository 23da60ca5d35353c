"""The page every HTML report is built on: one self-contained document (inline CSS, no script,
nothing fetched: a Content-Security-Policy forbids it), so a report can be mailed, archived and
opened offline; and the pieces the reports share. Every piece of outside text goes through ``esc``
(control characters made visible, then ``html.escape``). Meaning never rests on colour: word
changes are <del>/<ins>, struck through or underlined, with visible [− −] / [+ +] markers.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from cpsdiff import __version__
from cpsdiff.model import WordDiff
from cpsdiff.render.terminal import PARAGRAPH_BREAK
from cpsdiff.text.normalize import visible

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
PREVIEW = 90

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
.c-new, .tag.v-new, .s-new { color: var(--add); }
.c-removed, .tag.v-removed, .s-removed { color: var(--del); }
.c-edited, .tag.v-edited, .s-edited { color: var(--edit); }
.c-merged, .c-split, .tag.v-merged, .tag.v-split, .c-reused, .s-reused { color: var(--join); }
.c-moved, .tag.moved, .s-mixed, .c-drift { color: var(--move); }
.c-carried, .tag.v-carried, .s-carried { color: var(--muted); }
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
ins.moved-in { background: var(--panel); color: var(--move); }
ins.moved-in::before { content: "[\\2192"; content: "[\\2192" / "moved in: "; }
ins.moved-in::after { content: "\\2190]"; content: "\\2190]" / " end of moved-in text"; }
.kicker { margin: .6rem 0 0; color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; }
.digest > p { font-size: 1.02rem; margin: .3rem 0 .5rem; }
.digest ul { margin: .2rem 0; padding-left: 1.2rem; }
.digest li { margin: .35rem 0; line-height: 1.5; }
.sim { border-bottom: 1px dotted var(--muted); }
.legend { background: var(--panel); border: 1px solid var(--line); border-radius: .4rem;
  padding: .3rem .9rem; margin: 1rem 0; }
.legend > summary { cursor: pointer; font-weight: 600; }
.legend[open] { padding-bottom: .6rem; }
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
details.chrome-dim { margin: .5rem 0; border-left: 4px dashed var(--chrome); padding: .1rem 0 .1rem .8rem;
  color: var(--muted); font-size: .88rem; }
details.chrome-dim > summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hidden-chrome { font-size: .9rem; }
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
@media (max-width: 44rem) { .sbs { grid-template-columns: 1fr; } .legend dl { grid-template-columns: 1fr; }
  .files .muted { display: none; } .files div { display: block; } h1 { font-size: 1.25rem; } }
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


def esc(text: str) -> str:
    """Article (or any outside) text for HTML: controls made visible, then escaped."""
    return html.escape(visible(text), quote=True)


def mark(tag: str, text: str, cls: str | None = None) -> str:
    """<del>/<ins> around a changed stretch; spaces at its edges stay outside the mark."""
    opening = f'<{tag} class="{cls}">' if cls else f"<{tag}>"
    core = text.strip()
    if not core:
        return f"{opening}{esc(text)}</{tag}>"
    start = text.index(core[0])
    return f"{esc(text[:start])}{opening}{esc(core)}</{tag}>{esc(text[start + len(core):])}"


def _mark_op(op: str, text: str) -> str:
    if op == "=":
        return esc(text)
    if op == "-":
        return mark("del", text)
    return mark("ins", text, None if op == "+" else "moved-in")  # moved in from another paragraph


def inline_diff(diff: WordDiff) -> str:
    """A word diff in one flow: kept text plain, deletions <del>, insertions <ins>."""
    out = []
    for op, text in diff:
        out.append(_mark_op(op, text.replace(PARAGRAPH_BREAK, " ¶ ")))
    return "".join(out)


def side_diff(diff: WordDiff, side: str, parts: int) -> list[str] | None:
    """One side of a word diff ("-": OLD with its deletions, "+": NEW with its insertions), one
    HTML string per paragraph; None if the paragraph breaks do not line up with ``parts``.
    A change of spacing alone (where paragraphs were joined or cut) is shown as plain space."""
    paragraphs: list[list[str]] = [[]]
    for op, text in diff:
        if op != "=" and (op == "-") != (side == "-"):
            continue
        for k, piece in enumerate(text.split(PARAGRAPH_BREAK)):
            if k:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(esc(piece) if not piece.strip() else _mark_op(op, piece))
    if len(paragraphs) != parts:
        return None
    return ["".join(p) for p in paragraphs]


def page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="cpsdiff {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n"
        f'<footer class="foot">Report by cpsdiff {esc(__version__)}. Self-contained: no scripts, '
        "nothing loaded from the network.</footer>\n</body>\n</html>\n"
    )


def legend(sections: Iterable[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """A legend, folded away (a <details>: no script needed): (heading, [(sample HTML, meaning)])."""
    out = ['<details class="legend" id="legend">\n<summary>How to read this report</summary>\n']
    for heading, items in sections:
        out.append(f"<h3>{heading}</h3>\n<dl>\n")
        out.extend(f"<dt>{sample}</dt><dd>{meaning}</dd>\n" for sample, meaning in items)
        out.append("</dl>\n")
    out.append("</details>\n")
    return "".join(out)


WORD_LEGEND = (
    "Word changes",
    (
        ("<del>deleted words</del>", "struck through and marked [− … −]: in the earlier text only"),
        ("<ins>inserted words</ins>", "underlined and marked [+ … +]: in the later text only"),
    ),
)
