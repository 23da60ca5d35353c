"""Terminal views of a lineage (timeline, then the families that matter) and of a blame."""

from __future__ import annotations

from dataclasses import dataclass

from rich.padding import Padding
from rich.text import Text

from cpsdiff.lineage.blame import Blame
from cpsdiff.lineage.results import METHODS, Family, Lineage
from cpsdiff.render.labels import (
    COUNT_LABEL, FAMILY_GROUPS, FOLDED_GROUPS, blame_reuse_note, family_group, family_path, refs, version_label,
)
from cpsdiff.render.terminal import diff_text, make_console, safe
from cpsdiff.text.normalize import preview

_COUNT_STYLE = {"new": "green", "carried": "", "edited": "yellow", "reused": "cyan", "boilerplate": "dim"}
_STATUS_STYLE = {"new": "green", "carried": "", "edited": "yellow", "reused": "cyan", "mixed": "magenta"}
_PREVIEW = 90
_GROUP_STYLE = {"reused": "cyan", "edited": "yellow", "carried": "", "single": "", "boilerplate": "dim"}


@dataclass(frozen=True, slots=True)
class View:
    color: bool = False
    width: int | None = None
    show_all: bool = False  # list every family, not only those that matter


class _Printer:
    def __init__(self, view: View):
        self.view = view
        self.console, self.buffer = make_console(view.color, view.width)

    def line(self, text: Text | str = "") -> None:
        self.console.print(text if isinstance(text, Text) else Text(text))

    def indented(self, text: Text, indent: int = 6) -> None:
        if self.view.width is None:
            self.line(Text(" " * indent).append_text(text))
        else:
            self.console.print(Padding(text, (0, 0, 0, indent), expand=False))

    def heading(self, title: str, count: int | None = None) -> None:
        self.line()
        self.line(Text(title + ("" if count is None else f" ({count})"), style="bold"))


def _versions(printer: _Printer, lineage: Lineage) -> None:
    printer.line(Text(f"Versions, oldest first (order {METHODS[lineage.method]})", style="bold"))
    for info in lineage.versions:
        row = Text(f"  {version_label(info.position):>4}  ", style="bold")
        row.append(safe(info.id))
        row.append(f"  {safe(info.story)}  {info.paragraphs} ¶ ", "dim")
        for name, count in info.counts.items():
            if count:
                row.append(f" {count} {COUNT_LABEL[name]}", _COUNT_STYLE[name])
        printer.line(row)
        printer.line(Text(f"        {safe(info.time or info.reason)}", "dim"))


def _path(lineage: Lineage, family: Family) -> str:
    return " → ".join(
        f"{version_label(v)} ¶{p + 1}" + (f" ({story})" if story else "") for v, p, story in family_path(lineage, family)
    )


def _family(printer: _Printer, lineage: Lineage, family: Family, marker: str, style: str) -> None:
    head = Text(f"  {marker} ", style=style)
    head.append(_path(lineage, family))
    head.append(f"  {family.id}", "dim")
    printer.line(head)
    shown = False
    for a in family.appearances:
        if a.diff is not None:
            source = f" rewritten from {version_label(a.source.position)} ¶{a.source.paragraph + 1}" if a.source else ""
            note = Text(f"{version_label(a.version)}{source}: ", "dim")
            if a.similarity is not None:
                note.append(f"similarity {a.similarity:.2f}  ", "dim")
            printer.indented(note.append_text(diff_text(a.diff, printer.view.color)))
            shown = True
    if not shown:
        printer.indented(Text(safe(preview(family.first.text, _PREVIEW))))


def render_lineage(lineage: Lineage, families: list[Family], view: View) -> str:
    printer = _Printer(view)
    _versions(printer, lineage)
    groups: dict[str, list[Family]] = {group: [] for group, *_ in FAMILY_GROUPS}
    for family in families:
        groups[family_group(family)].append(family)
    if groups["drift"]:
        printer.heading("Quote drift", len(groups["drift"]))
        for family in groups["drift"]:
            for d in family.drift:
                head = Text("  ⚠ ", style="bold magenta")
                head.append(safe(d.speaker or "unattributed"), "bold")
                head.append(f"  {version_label(d.before)} ¶{d.before_paragraph + 1} → {version_label(d.after)} ¶{d.after_paragraph + 1}", "")
                head.append(f"  {family.id}", "dim")
                printer.line(head)
                printer.indented(Text("“").append_text(diff_text(d.diff, view.color)).append("”"))
    for group, title, marker, _ in FAMILY_GROUPS:
        if group != "drift" and groups[group] and (view.show_all or group not in FOLDED_GROUPS):
            printer.heading(title, len(groups[group]))
            for family in groups[group]:
                _family(printer, lineage, family, marker, _GROUP_STYLE[group])
    carried, single, boiler = (len(groups[group]) for group in FOLDED_GROUPS)
    if not view.show_all and carried + single + boiler:
        printer.line()
        folded = Text()
        folded.append(f"{carried} sentences carried unchanged, ")
        folded.append(f"{single} in one version only, ")
        folded.append(f"{boiler} boilerplate: folded (--all lists them)", "dim")
        printer.line(folded)
    hidden = len(lineage.families) - len(families)
    if hidden:
        printer.line(Text(f"({hidden} families left out by the filters)", "dim"))
    return printer.buffer.getvalue()


def _sentence_text(sentence, color: bool) -> Text:
    return diff_text(sentence.diff, color) if sentence.diff is not None else Text(safe(sentence.text))


def render_blame(result: Blame, view: View) -> str:
    printer = _Printer(view)
    lineage = result.lineage
    target = lineage.versions[result.target]
    printer.line(
        Text(f"blame {safe(target.id)}  ({version_label(result.target)} of {len(lineage.versions)}, order {METHODS[lineage.method]})", style="bold")
    )
    for info in lineage.versions:
        mark = "*" if info.position == result.target else " "
        printer.line(Text(f" {mark}{version_label(info.position):>4}  {safe(info.id)}  {safe(info.story)}", "dim"))
    printer.line()
    for paragraph in result.paragraphs:
        origin = "mixed" if paragraph.origin is None else version_label(paragraph.origin)
        if paragraph.as_edit:  # the edit since the version before, as compare shows it
            origin = f"{version_label(result.since)} {refs(paragraph.linked)}"
        head = Text(f"¶{paragraph.index + 1:<4}", style="bold")
        head.append(f"{origin:<6} ", _STATUS_STYLE.get(paragraph.status, ""))
        head.append(f"{paragraph.status:<8}", _STATUS_STYLE.get(paragraph.status, ""))
        if paragraph.boilerplate:
            head.append(" boilerplate", "dim")
        if paragraph.status in ("carried", "reused") and any(s.status == "edited" for s in paragraph.sentences):
            head.append(" · reworded before, marked since it was first seen", "dim")
        elif note := blame_reuse_note(paragraph):
            head.append(f" · {note}", "dim")
        printer.line(head)
        split = paragraph.by_sentence
        if paragraph.as_edit:
            printer.indented(diff_text(paragraph.diff, view.color))
        elif split:
            for s in paragraph.sentences:
                row = Text(f"{version_label(s.origin)} ¶{s.origin_paragraph + 1} {s.status:<8} ", _STATUS_STYLE.get(s.status, ""))
                printer.indented(row.append_text(_sentence_text(s, view.color)))
        else:
            body = Text(" ").join(_sentence_text(s, view.color) for s in paragraph.sentences)
            printer.indented(body)
    return printer.buffer.getvalue()
