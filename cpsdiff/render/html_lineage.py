"""Self-contained HTML reports of a lineage (a timeline of versions, then sentence families) and
of a blame (each paragraph of one version with where it first appeared)."""

from __future__ import annotations

from collections import Counter, defaultdict

from cpsdiff.lineage.blame import Blame, ParagraphBlame, SentenceBlame
from cpsdiff.render.html_page import (
    WORD_LEGEND,
    esc,
    inline_diff,
    legend,
    page,
)
from cpsdiff.lineage.results import METHODS, Appearance, Family, Lineage, Reuse, VersionInfo
from cpsdiff.render.labels import (
    COUNT_LABEL,
    FAMILY_GROUPS,
    FOLDED_GROUPS,
    blame_reuse_note,
    family_group,
    family_path,
    plural,
    refs,
    version_label,
)

def _vlink(position: int) -> str:
    return f'<a href="#v-{position + 1}">{version_label(position)}</a>'


def _version_item(info: VersionInfo, target: int | None = None) -> str:
    counts = {name: count for name, count in info.counts.items() if count}
    total = sum(counts.values())
    chips = "".join(f'<li class="c-{name}">{count} {COUNT_LABEL[name]}</li>'
                    for name, count in counts.items())
    bar = "".join(
        f'<span class="c-{name}" style="width:{100 * count / total:.1f}%"></span>' for name, count in counts.items()
    )
    when = f"<div>published/updated {esc(info.time)}</div>" if info.time else ""
    mark = ' class="target"' if info.position == target else ""
    this = " <strong>(this version)</strong>" if info.position == target else ""
    return (
        f'<li id="v-{info.position + 1}"{mark}><span class="vnum">{version_label(info.position)}</span>'
        f'<code>{esc(info.id)}</code>{this} · story <code>{esc(info.story)}</code> · '
        f'{plural(info.paragraphs, "paragraph")}\n'
        f'<div class="bar" aria-hidden="true">{bar}</div>'
        f'<ul class="counts" aria-label="Sentences">{chips}</ul>\n'
        f'{when}<div class="muted">order: {esc(info.reason)}</div></li>\n'
    )


def _timeline(lineage: Lineage, target: int | None = None) -> str:
    items = "".join(_version_item(info, target) for info in lineage.versions)
    return (
        '<section aria-labelledby="versions">\n'
        f'<h2 id="versions">Versions, oldest first (order {esc(METHODS.get(lineage.method, lineage.method))})</h2>\n'
        f'<ol class="timeline">\n{items}</ol>\n</section>\n'
    )


def _step(position: int, paragraph: int, story: str | None = None) -> str:
    return f"{_vlink(position)} ¶{paragraph + 1}" + (f" ({esc(story)})" if story else "")


def _first(first: Appearance) -> str:
    where = f'<span class="note">first in {_step(first.version, first.paragraph)}'
    if first.source is None:
        return f'<p>{where}:</span> <span class="text">{esc(first.text)}</span></p>\n'
    source = first.source
    return (
        f'<p>{where}, rewritten from {_step(source.position, source.paragraph)} (similarity {first.similarity:.2f}):</span> '
        f'<span class="text">{inline_diff(first.diff)}</span></p>\n'
    )


def _family_article(lineage: Lineage, family: Family, number: int, group: str, marker: str) -> str:
    steps = [_step(*step) for step in family_path(lineage, family)]
    first = family.first
    out = [
        f'<article class="family g-{group}" id="fam-{number}">\n',
        (
            f'<h3 class="row-head"><span class="pos">{marker}</span> {" → ".join(steps)} '
            f'<span class="id muted">{esc(family.id)}</span></h3>\n'
        ),
        _first(first),
    ]
    later = []
    for a in family.appearances[1:]:
        where = _step(a.version, a.paragraph, lineage.versions[a.version].story if a.reuse == Reuse.OTHER_STORY else None)
        how = "reused in another story" if a.reuse == Reuse.OTHER_STORY else "update of the same story"
        if a.diff is not None:
            similarity = f", similarity {a.similarity:.2f}" if a.similarity is not None else ""
            later.append(f'<li>{where} · {how}, reworded{similarity}: <span class="text">{inline_diff(a.diff)}</span></li>\n')
        elif a.reuse == Reuse.OTHER_STORY:
            later.append(f"<li>{where} · {how}, same wording</li>\n")
    if later:
        out.append(f'<ol class="steps">\n{"".join(later)}</ol>\n')
    for d in family.drift:
        who = esc(d.speaker) if d.speaker else "unattributed"
        out.append(
            f'<p class="drift"><span class="tag c-drift">⚠ quote drift</span> <strong>{who}</strong> · '
            f"{_step(d.before, d.before_paragraph)} → {_step(d.after, d.after_paragraph)}: "
            f'<span class="text">“{inline_diff(d.diff)}”</span></p>\n'
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
    return legend((("Sentence families", groups), ("Counts per version", counts), WORD_LEGEND))


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
        f"<header>\n<h1>{esc(title)}</h1>\n",
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
    return page(title, "".join(out))


_STATUS_MEANING = (
    ("new", "not in the version before (as compare says)"),
    ("carried", "unchanged since the version before; words changed since the text first appeared are marked"),
    ("edited", "changed since the version before: the word changes are marked"),
    ("reused", "unchanged from a different story"),
)


def _sentence_html(sentence: SentenceBlame) -> str:
    return inline_diff(sentence.diff) if sentence.diff is not None else esc(sentence.text)


def _reuse(paragraph: ParagraphBlame) -> str:
    """The share of a new or edited paragraph that lies in earlier text, and where."""
    note = blame_reuse_note(paragraph)
    return f'<br><span class="muted">{esc(note)}</span>' if note else ""


def _blame_row(result: Blame, paragraph: ParagraphBlame) -> str:
    if paragraph.as_edit:  # the edit since the version before, as compare shows it
        where = f"{_vlink(result.since)} {refs(paragraph.linked)}"
        status = f'<span class="tag s-{esc(paragraph.status)}">{esc(paragraph.status)}</span>'
        chrome = ' <span class="tag chrome">boilerplate</span>' if paragraph.boilerplate else ""
        return (
            f'<tr id="p-{paragraph.index + 1}"><td class="gutter"><strong>¶{paragraph.index + 1}</strong><br>'
            f'{where}<br>{status}{chrome}{_reuse(paragraph)}</td>\n<td><p class="text">{inline_diff(paragraph.diff)}</p></td></tr>\n'
        )
    origin = "mixed" if paragraph.origin is None else _vlink(paragraph.origin)
    status = f'<span class="tag s-{esc(paragraph.status)}">{esc(paragraph.status)}</span>'
    chrome = ' <span class="tag chrome">boilerplate</span>' if paragraph.boilerplate else ""
    split = paragraph.by_sentence
    if split:
        cells = "".join(
            f'<span class="origin">{_step(s.origin, s.origin_paragraph)} '
            f'<span class="tag s-{esc(s.status)}">{esc(s.status)}</span></span>'
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
        f"{origin}{where}<br>{status}{chrome}{_reuse(paragraph)}</td>\n<td>{text}</td></tr>\n"
    )


def blame_html(blame_result: Blame, title: str | None = None) -> str:
    """A blame as one HTML page: DOC's paragraphs, each with where it first appeared."""
    lineage = blame_result.lineage
    target = lineage.versions[blame_result.target]
    title = title or f"cpsdiff blame: {target.id}"
    # boilerplate apart, as compare's summary counts it: the same numbers for the same pair
    paragraphs = Counter("boilerplate" if p.boilerplate else p.status for p in blame_result.paragraphs)
    # boilerplate apart, as the version's own counts in the list of versions below have it
    sentences = Counter("boilerplate" if p.boilerplate else s.status for p in blame_result.paragraphs for s in p.sentences)
    summary = "".join(
        f'<li class="s-{status}">{plural(paragraphs[status], "paragraph")} {status}</li>'
        for status in (*(status for status, _ in _STATUS_MEANING), "boilerplate") if paragraphs[status]
    )
    sentence_counts = ", ".join(
        f"{sentences[s]} {s}" for s in (*(status for status, _ in _STATUS_MEANING), "boilerplate") if sentences[s]
    )
    key = legend(
        (
            ("Status", [(f'<span class="tag s-{s}">{s}</span>', meaning) for s, meaning in _STATUS_MEANING]),
            ("Origin", [("v2 ¶5", "the version (see the list of versions) and paragraph where it first appeared; "
                        "for an edit, its counterpart in the version before"),
                        ("mixed", "its sentences come from different versions (listed one by one)"),
                        ('<span class="tag chrome">boilerplate</span>', "site chrome, not reporting")]),
            WORD_LEGEND,
        )
    )
    rows = "".join(_blame_row(blame_result, p) for p in blame_result.paragraphs)
    body = (
        f"<header>\n<h1>{esc(title)}</h1>\n"
        f"<p>{_vlink(blame_result.target)} of {len(lineage.versions)} "
        f"(order {esc(METHODS.get(lineage.method, lineage.method))}) · "
        f"{plural(len(blame_result.paragraphs), 'paragraph')}; sentences: {sentence_counts or 'none'}</p>\n"
        f'<ul class="counts" aria-label="Summary">{summary}</ul>\n'
        + ('<p class="identical"><strong>Nothing new:</strong> every sentence was already there, word for word.</p>\n'
           if blame_result.unchanged else "")
        + "</header>\n"
        + key
        + _timeline(lineage, blame_result.target)
        + '<section aria-labelledby="doc">\n<h2 id="doc">The text, annotated</h2>\n'
        '<table class="blame">\n<thead><tr><th scope="col">Paragraph · first seen · status</th>'
        f'<th scope="col">Text</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</section>\n'
    )
    return page(title, body)
