"""The one-line summary shared by the terminal and --stat renderers."""

from __future__ import annotations

from cpsdiff.model import Summary

# (field, marker); zero counts are left out.
_PARTS = (
    ("new", "+{} new"),
    ("edited", "~{} edited"),
    ("merged", "⇉{} merged"),
    ("split", "⇇{} split"),
    ("carried", "={} carried"),
    ("removed", "-{} removed"),
    ("boilerplate", "{} boilerplate"),
    ("moved", "{} moved"),
)


def summary_parts(summary: Summary) -> list[tuple[str, str]]:
    """[(field, text)] for every non-zero count, in reading order."""
    return [(name, template.format(getattr(summary, name))) for name, template in _PARTS if getattr(summary, name)]


def summary_line(summary: Summary) -> str:
    return "  ".join(text for _, text in summary_parts(summary)) or "no paragraphs"


def tracked_line(result) -> str:
    """`cpsdiff track`'s line for one page: status, URL, version and what changed."""
    from cpsdiff.text.normalize import visible

    what = {
        "new": f"first version, {result.paragraphs} {'paragraph' if result.paragraphs == 1 else 'paragraphs'}",
        "changed": summary_line(result.summary) if result.summary else "",
        "unchanged": f"no change since version {result.version}",
    }[result.status]
    title = f" “{visible(result.title)}”" if result.title else ""
    number = f" v{result.version}" if result.status != "unchanged" else ""
    return f"{result.status:<9} {visible(result.url)}{number}{title}: {what}"
