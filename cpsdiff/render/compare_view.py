"""The annotated diff for people: NEW in order, removed OLD text where it stood, word changes inline.

Article text is always put into rich ``Text`` objects, never parsed as markup or emoji. Without
colour, word changes use git's plain markers ``[-old-]{+new+}`` so the meaning survives.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from cpsdiff.model import Change, Comparison, Kind, Role, WordDiff
from cpsdiff.render.folding import DEFAULT_CONTEXT, shown
from cpsdiff.render.labels import REPAIRED_NOTE, hidden_chrome_note, plural, refs, reuse_note, shown_diff, verdict_label
from cpsdiff.render.output import BoilerplateMode
from cpsdiff.render.summary_line import summary_parts
from cpsdiff.render.terminal import DELETED, PARAGRAPH_BREAK, diff_text, make_console, safe
from cpsdiff.text.normalize import preview


@dataclass(frozen=True, slots=True)
class Options:
    color: bool = False
    width: int | None = None  # None: one line per paragraph, no hard wrapping (for pipes)
    boilerplate: BoilerplateMode = BoilerplateMode.SHOW
    context: int | None = DEFAULT_CONTEXT  # unchanged paragraphs shown around changes; None: all


_MARKER = {
    Kind.UNCHANGED: "=",
    Kind.EDITED: "~",
    Kind.ADDED: "+",
    Kind.REMOVED: "-",
    Kind.MERGED: "⇉",
    Kind.SPLIT: "⇇",
}
_STYLE = {
    Kind.UNCHANGED: "",
    Kind.EDITED: "yellow",
    Kind.ADDED: "green",
    Kind.REMOVED: "red",
    Kind.MERGED: "cyan",
    Kind.SPLIT: "cyan",
}
_SUMMARY_STYLE = {"new": "green", "edited": "yellow", "merged": "cyan", "split": "cyan",
                  "removed": "red", "boilerplate": "dim", "moved": "magenta"}
_DIM_PREVIEW = 72


def _split_parts(diff: WordDiff, parts: int) -> list[WordDiff]:
    """The diff of a split, cut where NEW's paragraph breaks fall: one diff per NEW part."""
    cut: list[list[tuple[str, str]]] = [[]]
    for op, text in diff:
        pieces = [text] if op == "-" else text.split(PARAGRAPH_BREAK)
        for k, piece in enumerate(pieces):
            if k:
                cut.append([])
            if piece:
                cut[-1].append((op, piece))
    cut += [[] for _ in range(parts - len(cut))]
    for ops in cut:  # a space deleted or added at the break itself is noise
        while ops and ops[-1][0] != "=" and not ops[-1][1].strip():
            ops.pop()
        while ops and ops[0][0] != "=" and not ops[0][1].strip():
            ops.pop(0)
    return [tuple(ops) for ops in cut[:parts]]


class _Writer:
    def __init__(self, result: Comparison, options: Options, console: Console):
        self.result, self.options, self.console = result, options, console

    # -- pieces ---------------------------------------------------------------------------
    def diff_text(self, diff: WordDiff) -> Text:
        return diff_text(diff, self.options.color)

    def header(self, change: Change, new_index: int | None, part: int, boilerplate: str | None) -> Text:
        kind = change.kind
        line = Text(style="bold")
        line.append(f"{_MARKER[kind]} ", _STYLE[kind])
        if new_index is None:
            line.append(f"old {refs(change.old)}", _STYLE[kind])
        else:
            line.append(f"¶{new_index + 1}", _STYLE[kind])
        line.append(f"  {verdict_label(self.result, change)}", "dim" if boilerplate else _STYLE[kind])
        notes = []
        if change.old and change.new:
            origin = f"{'moved from' if change.moved else 'from'} old {refs(change.old)}"
            notes.append(origin + (f" (part {part} of {len(change.new)})" if kind is Kind.SPLIT else ""))
        if change.similarity is not None and kind is not Kind.UNCHANGED:
            notes.append(f"similarity {change.similarity:.2f}")
        if change.evidence:
            notes.append(change.evidence)
        if change.repaired:
            notes.append(REPAIRED_NOTE)
        if new_index is not None and part == 1 and not boilerplate:
            reuse = reuse_note(self.result, change)
            if reuse:
                notes.append(reuse)
        if boilerplate:
            notes.append(boilerplate)
        for note in notes:
            line.append(" · ", "dim")
            line.append(safe(note), "magenta" if note.startswith("moved") else "dim")
        return line

    def body(self, change: Change, new_index: int | None, part: int, boilerplate: bool) -> Text:
        old, new = self.result.old, self.result.new
        if new_index is None:
            text = Text(safe(old.paragraphs[change.old[0]].text))
            if self.options.color:
                text.stylize(DELETED)
        elif change.diff is not None and change.kind is Kind.SPLIT:
            text = self.diff_text(_split_parts(change.diff, len(change.new))[part - 1])
        elif change.diff is not None:
            text = self.diff_text(shown_diff(self.result, change))
        else:
            text = Text(safe(new.paragraphs[new_index].text))
            if change.kind is Kind.ADDED and self.options.color:
                text.stylize("green")
        if boilerplate and self.options.boilerplate is BoilerplateMode.DIM:
            if self.options.color:
                text.stylize("dim")
            else:
                text = Text(preview(text.plain, _DIM_PREVIEW))
        return text

    # -- output ---------------------------------------------------------------------------
    def emit(self, header: Text, body: Text) -> None:
        self.console.print(header)
        if self.options.width is None:  # a line break inside a paragraph keeps the indent
            for line in body.split("\n", allow_blank=True):
                self.console.print(Text("    ").append_text(line))
        else:
            self.console.print(Padding(body, (0, 0, 0, 4), expand=False))
        self.console.print()

    def file_lines(self) -> None:
        for sign, doc, style in (("---", self.result.old, "red"), ("+++", self.result.new, "green")):
            line = Text(f"{sign} {safe(doc.source)}", style=f"bold {style}")
            line.append(f"  {plural(len(doc.paragraphs), 'paragraph')}  xxh3 {doc.hash}", "dim")
            self.console.print(line)
        summary = Text()
        for name, part in summary_parts(self.result.summary):
            if summary:
                summary.append("  ")
            summary.append(part, _SUMMARY_STYLE.get(name, ""))
        self.console.print(summary or Text("no paragraphs"))
        self.console.print()

    def entries(self) -> list[tuple[Change, int | None, int]]:
        """(change, NEW index or None for removed text, part number), in the order of the
        changes: NEW in order, removed OLD paragraphs after the change whose text they followed
        (after every part of a split)."""
        rows: list[tuple[Change, int | None, int]] = []
        for change in self.result.changes:
            if change.new:
                rows += [(change, j, part) for part, j in enumerate(change.new, 1)]
            else:
                rows.append((change, None, 1))
        return rows

    def write(self) -> None:
        self.file_lines()
        rows = self.entries()
        chrome = [self.boilerplate_reason(change, j) for change, j, _ in rows]
        hide = self.options.boilerplate is BoilerplateMode.HIDE
        # hidden chrome is counted apart, never folded in with the unchanged text around it
        listed = [n for n in range(len(rows)) if not (hide and chrome[n])]
        keep = shown([rows[n][0].quiet for n in listed], self.options.context)
        skipped: list[int] = []
        for n, kept in zip(listed, keep):
            if not kept:
                skipped.append(n)
                continue
            self.flush_skipped(rows, skipped)
            change, j, part = rows[n]
            self.emit(self.header(change, j, part, chrome[n]), self.body(change, j, part, bool(chrome[n])))
        self.flush_skipped(rows, skipped)
        if hide:
            note = hidden_chrome_note(
                sum(bool(r) and j is not None for r, (_, j, _) in zip(chrome, rows)),
                sum(bool(r) and j is None for r, (_, j, _) in zip(chrome, rows)),
            )
            if note:
                self.console.print(Text(f"({note}; --boilerplate show to see them)", "dim"))

    def boilerplate_reason(self, change: Change, j: int | None) -> str | None:
        label = self.result.old_labels[change.old[0]] if j is None else self.result.new_labels[j]
        return label.reason if label.role is Role.BOILERPLATE else None

    def flush_skipped(self, rows, skipped: list[int]) -> None:
        if not skipped:
            return
        news = [rows[n][1] + 1 for n in skipped]  # folded rows are unchanged: all have a NEW index
        span = f"¶{news[0]}" if len(news) == 1 else f"¶{min(news)}–¶{max(news)}"
        self.console.print(Text(f"  … {plural(len(skipped), 'unchanged paragraph')} ({span}) …", "dim"))
        self.console.print()
        skipped.clear()


def render(result: Comparison, options: Options) -> str:
    """The whole annotated diff as a string (with ANSI styles when ``options.color``)."""
    console, buffer = make_console(options.color, options.width)
    _Writer(result, options, console).write()
    return buffer.getvalue()
