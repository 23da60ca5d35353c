"""HTML and Markdown reports of compare, lineage and blame, over the seeds and fixtures.

The HTML is read back with the standard library's parser and the Markdown is rendered with
markdown-it (a dependency of rich), so the checks are about what a reader gets: every paragraph
there, nothing live that came from an article, every link landing somewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.diff.comparison import compare
from cpsdiff.inputs.corpus import read_corpus
from cpsdiff.inputs.loading import read_source
from cpsdiff.lineage.blame import blame
from cpsdiff.lineage.trace import lineage
from cpsdiff.model import Kind, Role
from cpsdiff.render.folding import DEFAULT_CONTEXT, shown
from cpsdiff.render.html_report import blame_html, compare_html, lineage_html
from cpsdiff.render.labels import similarity_words, verdict_label
from cpsdiff.render.markdown_report import blame_markdown, compare_markdown, lineage_markdown
from cpsdiff.render.summary_line import summary_parts
from cpsdiff.text.normalize import visible
from cpsdiff.text.segment import parse_document

from .conftest import FIXTURES, FRIDAY, PAIR_FOLDERS, SEEDS, THURSDAY, TV_STORY

PAIRS = [(THURSDAY, FRIDAY)] + [(folder / "old.txt", folder / "new.txt") for folder in PAIR_FOLDERS]
PAIR_IDS = ["seeds"] + [folder.name for folder in PAIR_FOLDERS]
NASTY = "<script>alert(1)</script> & [i] *bold* | x_y `code` $5 @someone <img src=x onerror=alert(1)>"
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"))


def _flat(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """A parsed page: its tags, and per id the element's text, its text without <del> (the
    later wording), its links and the ids of the elements around it."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.doctype: str | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.kept: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.parents: dict[str, list[str]] = {}
        self.marks: Counter[str] = Counter()  # <del> and <ins> inside each element with an id
        self.kinds: list[tuple[str, bool]] = []  # verdict tags: (text, inside the legend)
        self.stack: list[tuple[str, str | None]] = []
        self.capture: list[str] | None = None
        self.feed(source)
        self.close()

    def open_ids(self) -> list[str]:
        return [i for _, i in self.stack if i]

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        element_id = attributes.get("id")
        if element_id:
            self.parents[element_id] = self.open_ids()
            self.ids.append(element_id)
            self.texts[element_id], self.kept[element_id], self.links[element_id] = [], [], []
        if tag == "a":
            for i in self.open_ids():
                self.links[i].append(attributes.get("href") or "")
        if tag in ("del", "ins"):
            self.marks.update(self.open_ids())
        if tag == "span" and "verdict" in (attributes.get("class") or "").split():
            self.capture = []
            self.kinds.append(("", "legend" in [i for i in self.open_ids()]))
        if tag not in VOID:
            self.stack.append((tag, element_id))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag) -> None:
        if tag == "span" and self.capture is not None:
            self.kinds[-1] = ("".join(self.capture), self.kinds[-1][1])
            self.capture = None
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)
        deleted = any(tag == "del" for tag, _ in self.stack)
        for i in self.open_ids():
            self.texts[i].append(data)
            if not deleted:
                self.kept[i].append(data)

    def text(self, element_id: str) -> str:
        return _flat("".join(self.texts[element_id]))

    def later_text(self, element_id: str) -> str:
        return _flat("".join(self.kept[element_id]))

    def enclosing(self, element_id: str, prefix: str) -> str:
        return next(i for i in reversed(self.parents[element_id]) if i.startswith(prefix))


def _document(path):
    source = read_source(str(path), lambda: b"")
    return parse_document(source.text, source.name)


@cache
def _compared(old, new):
    return compare(_document(old), _document(new), default_rules())


def _compare_texts(old: str, new: str, names=("old.txt", "new.txt")):
    return compare(parse_document(old, names[0]), parse_document(new, names[1]), default_rules())


def _assert_self_contained(html: str) -> Page:
    page = Page(html)
    assert html.startswith("<!doctype html>")
    assert page.doctype and page.doctype.lower() == "doctype html"
    tags = [tag for tag, _ in page.tags]
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag.get("lang")
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert any(m.get("name") == "viewport" for m in metas)
    assert tags.count("title") == 1 and tags.count("style") == 1
    assert not {"script", "img", "iframe", "object", "embed", "link", "form", "base"} & set(tags)
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs["href"]
    assert not re.search(r"https?:|url\(|@import", html.split("</style>")[0].split("<style>")[1])
    assert len(page.ids) == len(set(page.ids)), Counter(page.ids).most_common(3)
    targets = set(page.ids)
    missing = [href for _, attrs in page.tags if (href := attrs.get("href")) and href[1:] not in targets]
    assert not missing
    assert "legend" in targets and "deleted" in page.text("legend") and "inserted" in page.text("legend")
    return page


# -- compare: HTML --------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=PAIR_IDS)
def test_compare_html_holds_every_paragraph_once(old, new):
    result = _compared(old, new)
    page = _assert_self_contained(compare_html(result))
    for side, doc in (("old", result.old), ("new", result.new)):
        for paragraph in doc.paragraphs:
            assert page.text(f"{side}-{paragraph.index + 1}") == _flat(visible(paragraph.text)), (side, paragraph.index)


def test_compare_html_shows_both_wordings_of_a_repaired_paragraph():
    # equal only once its encoding damage is repaired: the page held the damaged NEW text under
    # both ids, and the OLD text was nowhere
    old = "The mayor spoke in Español and English.\n\nThe vote is on Tuesday."
    new = "The mayor spoke in EspaÃ±ol and English.\n\nThe vote is on Tuesday."
    result = _compare_texts(old, new)
    assert [c.repaired for c in result.changes] == [True, False]
    page = _assert_self_contained(compare_html(result))
    assert page.text("old-1") == "The mayor spoke in Español and English."
    assert page.text("new-1") == "The mayor spoke in EspaÃ±ol and English."


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=PAIR_IDS)
def test_compare_html_labels_every_change(old, new):
    result = _compared(old, new)
    html = compare_html(result, title="Report")
    page = Page(html)
    assert "<title>Report — what changed (cpsdiff)</title>" in html and "<h1>Report</h1>" in html
    legend = page.text("legend")
    for word in ("new", "edited", "merged", "split", "carried", "removed", "boilerplate", "moved", "similarity"):
        assert word in legend
    for kind in Kind:  # the JSON's kinds, explained where the legend names the counts' words
        assert kind.value in legend
    # one tag per change, in the summary's words: "+ new", "= carried", "− boilerplate, removed"
    labelled = Counter(text.split(" ", 1)[1] for text, in_legend in page.kinds if not in_legend)
    assert labelled == Counter(verdict_label(result, change) for change in result.changes)
    for change in result.changes:
        anchor = f"new-{change.new[0] + 1}" if change.new else f"old-{change.old[0] + 1}"
        row = page.text(page.enclosing(anchor, "row-"))
        assert verdict_label(result, change) in row
        labels = [result.new_labels[j] for j in change.new] or [result.old_labels[i] for i in change.old]
        for label in labels:
            if label.role is Role.BOILERPLATE:
                assert _flat(label.reason) in row
        if change.similarity is not None and change.kind is not Kind.UNCHANGED:
            assert f"{similarity_words(change.similarity)} (similarity {change.similarity:.2f})" in row
    header = _flat(html.split("</header>")[0])
    for _, text in summary_parts(result.summary):
        assert text in header
    moved = sum(change.moved for change in result.changes)
    assert html.count('<span class="tag moved">↕ moved</span>') == moved + 1  # and the legend's


def _moved_links(result) -> int:
    page = Page(compare_html(result))
    checked = 0
    for change in result.changes:
        if not change.moved:
            continue
        row = page.enclosing(f"new-{change.new[0] + 1}", "row-")
        for i in change.old:
            assert f"#was-{i + 1}" in page.links[row], (change, page.links[row])
            assert f"#new-{change.new[0] + 1}" in page.links[f"was-{i + 1}"]
            assert f"old-{i + 1}" in page.texts
            checked += 1
    return checked


def test_moved_paragraphs_link_both_ways():
    paragraphs = [
        "The council met on Tuesday to discuss the budget for next year.",
        "Members argued for three hours about the cost of road repairs downtown.",
        "A vote is expected next month, the chairman said after the meeting.",
        "Residents who spoke asked for more money for parks and libraries.",
        "The budget must be approved by the end of the fiscal year in June.",
    ]
    moved = [paragraphs[0], paragraphs[2], paragraphs[3], paragraphs[4], paragraphs[1]]
    edited_move = [paragraphs[0], paragraphs[2], paragraphs[3], paragraphs[4],
                   paragraphs[1].replace("three hours", "nearly four hours")]
    for new in (moved, edited_move):
        result = _compare_texts("\n\n".join(paragraphs), "\n\n".join(new))
        assert _moved_links(result) == 1
        ids = Page(compare_html(result)).ids  # the place it left stands after the text it followed
        assert ids.index("new-1") < ids.index("was-2") < ids.index("new-2") < ids.index("new-5")
    assert _moved_links(_compared(FIXTURES / "shuffled" / "old.txt", FIXTURES / "shuffled" / "new.txt")) == 3


def test_merged_and_split_paragraphs_link_their_parts():
    checked = 0
    for old, new in PAIRS:
        result = _compared(old, new)
        page = Page(compare_html(result))
        for change in result.changes:
            if change.kind not in (Kind.MERGED, Kind.SPLIT):
                continue
            row = page.enclosing(f"new-{change.new[0] + 1}", "row-")
            wanted = {f"#old-{i + 1}" for i in change.old} | {f"#new-{j + 1}" for j in change.new}
            assert wanted <= set(page.links[row])
            assert change.kind.value in page.text(row)
            checked += 1
    assert checked >= 3  # guardian_live has a split and a merge, the seeds a merge


def test_edited_paragraphs_sit_side_by_side_with_word_marks():
    result = _compared(THURSDAY, FRIDAY)
    html = compare_html(result)
    page = Page(html)
    edited = next(c for c in result.changes if c.kind is Kind.EDITED)
    old_id, new_id = f"old-{edited.old[0] + 1}", f"new-{edited.new[0] + 1}"
    assert page.enclosing(old_id, "row-") == page.enclosing(new_id, "row-")
    assert 'class="sbs"' in html and "<del>" in html and "<ins>" in html
    deleted = "".join(text for op, text in edited.diff if op == "-")
    assert page.later_text(old_id) != page.text(old_id)  # the OLD side marks what it lost
    assert _flat(deleted) and _flat(deleted).split()[0] in page.text(old_id)


def test_compare_html_escapes_article_text():
    old = f"Intro stays.\n\nThe mayor said {NASTY}.\n\nGone: <b>bold</b> & “quotes” \u202e.\n\nTail stays."
    new = f"Intro stays.\n\nThe governor said {NASTY}.\n\nAdded {NASTY} \"quoted\" 'single'.\n\nTail stays."
    result = _compare_texts(old, new, names=("<i>old</i>.txt", 'new".txt'))
    html = compare_html(result)
    page = _assert_self_contained(html)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<b>bold" not in html and "<i>old" not in html
    assert "\u202e" not in html  # a bidi override is shown, not obeyed
    for side, doc in (("old", result.old), ("new", result.new)):
        for paragraph in doc.paragraphs:
            assert page.text(f"{side}-{paragraph.index + 1}") == _flat(visible(paragraph.text))
    assert "<title>The governor said &lt;script&gt;alert(1)&lt;/script&gt;" in html  # the lede names the page
    assert "<code>&lt;i&gt;old&lt;/i&gt;.txt</code>" in html and "<code>new&quot;.txt</code>" in html


def test_identical_versions_say_so_and_fold_everything():
    folder = FIXTURES / "identical"
    result = _compared(folder / "old.txt", folder / "new.txt")
    html = compare_html(result)
    assert "No changes" in html
    assert html.count('<details class="quiet">') == 1 and f"{len(result.new.paragraphs)} unchanged paragraphs" in html
    markdown = compare_markdown(result)
    assert "No changes" in markdown and f"{len(result.new.paragraphs)} unchanged paragraphs" in markdown


# -- compare: Markdown ----------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable(["strikethrough", "table"])


class _Inline(HTMLParser):
    """Rendered Markdown of a quote: its earlier wording (without <ins>) and its later one
    (without <del>)."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.before: list[str] = []
        self.after: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag in self.open:
            self.open.remove(tag)

    def handle_data(self, data: str) -> None:
        if "ins" not in self.open:
            self.before.append(data)
        if "del" not in self.open:
            self.after.append(data)

    def sides(self) -> tuple[str, str]:
        return _flat("".join(self.before)), _flat("".join(self.after))


ARTICLE_HEADING = "#### The article, with every change"


def _items(markdown: str) -> list[tuple[str, str | None]]:
    """(head, quoted body or None) per top-level list item of the article (after "What changed")."""
    lines = markdown.splitlines()
    if ARTICLE_HEADING in lines:
        lines = lines[lines.index(ARTICLE_HEADING):]
    items = []
    for k, line in enumerate(lines):
        if line.startswith("- "):
            body = lines[k + 1][4:] if k + 1 < len(lines) and lines[k + 1].startswith("  > ") else None
            items.append((line, body))
    return items


def _joined(doc, indices) -> str:
    return _flat(" ¶ ".join(visible(doc.paragraphs[i].text) for i in indices))


def _letters(text: str) -> str:
    """Markdown cannot mark a change of spacing alone: compare every other character, in order."""
    return "".join(text.split())


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=PAIR_IDS)
def test_compare_markdown_quotes_every_change_and_counts_the_rest(old, new):
    result = _compared(old, new)
    markdown = compare_markdown(result)
    assert markdown.startswith("### What changed: ")
    summary = _Inline(_MD.renderInline(markdown.splitlines()[4])).sides()[1]
    for _, text in summary_parts(result.summary):
        assert text in summary
    items = _items(markdown)
    keep = shown([c.quiet for c in result.changes], DEFAULT_CONTEXT)
    listed = [c for c, kept in zip(result.changes, keep) if kept]  # changes, and the paragraphs around them
    quoted = [(head, body) for head, body in items if body is not None]
    assert len(quoted) == len(listed)
    for change, (head, body) in zip(listed, quoted):
        rendered = _MD.renderInline(body)
        assert not re.search(r"&lt;/?(del|ins)&gt;|\[-|\{\+|~~|\*\*", rendered), body  # every mark took
        before, after = _Inline(rendered).sides()
        assert verdict_label(result, change) in head
        if change.repaired:  # no diff to show: quoted as NEW writes it, with the note
            assert "encoding damage" in head
            assert _letters(after) == _letters(_joined(result.new, change.new)), (change, body)
            continue
        if change.old:
            assert _letters(before) == _letters(_joined(result.old, change.old)), (change, body)
        if change.new:
            assert _letters(after) == _letters(_joined(result.new, change.new)), (change, body)
    folded = [int(m) for head, body in items if body is None for m in re.findall(r"_(\d+) unchanged", head)]
    assert sum(folded) == len(result.changes) - len(listed)


def test_compare_markdown_escapes_article_text():
    old = f"Intro stays.\n\nThe mayor said {NASTY} | a | b |.\n\nTail stays."
    new = (
        f"Intro stays.\n\nThe governor said {NASTY} | a | b |.\n\nAdded *not bold* and _not em_ [x](http://e.x) "
        "~~no~~.\n\n- not a list\n\n1. not a list either\n\n# not a heading\n\nTail stays."
    )
    result = _compare_texts(old, new, names=("a_b*.txt", "[n].txt"))
    markdown = compare_markdown(result)
    rendered = _MD.render(markdown)
    parsed = _Inline(rendered)
    assert not {"script", "img", "a", "code", "table", "ol", "h1", "hr"} & set(parsed.tags)
    assert len([tag for tag in parsed.tags if tag == "ul"]) == 2  # "What changed" and the article, no other
    for _, body in _items(markdown):
        if body is not None:
            assert set(_Inline(_MD.renderInline(body)).tags) <= {"del", "ins", "i"}, body
    assert "<del>mayor</del><ins>governor</ins>" in rendered.replace(" ", "")
    text = _flat("".join(parsed.after))
    assert _flat(f"The governor said {NASTY} | a | b |.") in text
    assert "*not bold* and _not em_ [x](http://e.x) ~~no~~." in text
    assert "a_b*.txt" in text and "[n].txt" in text
    for line in ("- not a list", "1. not a list either", "# not a heading"):
        assert line in text
    assert "\\<script\\>" in markdown and "\\*bold\\*" in markdown and "\\[i\\]" in markdown and "\\|" in markdown


def test_markdown_word_marks_take_inside_words_and_next_to_punctuation():
    result = _compare_texts(
        "The just approved sports seasons were in jeopardy on Friday, officials said.",
        "The just-approved sports seasons were in jeopardy (on Friday), officials said.",
    )
    body = _items(compare_markdown(result))[0][1]
    rendered = _MD.renderInline(body)
    assert "just<ins>-</ins>approved" in rendered and "<ins>(</ins>on Friday<ins>)</ins>," in rendered
    before, after = _Inline(rendered).sides()
    assert _letters(before) == _letters(result.old.paragraphs[0].text)
    assert _letters(after) == _letters(result.new.paragraphs[0].text)


# -- lineage and blame -------------------------------------------------------------------------


@cache
def _seeds_lineage():
    return lineage(read_corpus([str(SEEDS)], lambda: b""))


def _blame(position: int):
    result = _seeds_lineage()
    return blame(result, position)


def test_lineage_html_shows_the_timeline_and_every_family():
    result = _seeds_lineage()
    html = lineage_html(result, list(result.families))
    page = _assert_self_contained(html)
    for info in result.versions:
        item = page.text(f"v-{info.position + 1}")
        assert visible(info.id) in item and info.story in item and (info.time or info.reason) in item
    ids = [f"v-{i + 1}" for i in range(len(result.versions))]
    assert [i for i in page.ids if i in ids] == ids  # oldest first
    assert len([i for i in page.ids if i.startswith("fam-")]) == len(result.families)
    texts = " ".join(page.text(i) for i in page.ids if i.startswith("fam-"))
    for family in result.families:
        assert _flat(visible(family.first.text)) in texts
    drifts = [d for f in result.families for d in f.drift]
    assert len(drifts) == 4 and f"Quote drift ({len([f for f in result.families if f.drift])})" in html
    for drift in drifts:
        assert (drift.speaker or "unattributed") in texts
    sharkey = next(d for d in drifts if "differences" in d.old_quote)
    assert "<del>our</del>" in html and f"v{sharkey.after + 1}" in texts
    for heading in ("Quote drift", "Edited along the way", "Carried unchanged", "In one version only", "Boilerplate"):
        assert heading in html


def test_lineage_reports_say_what_the_filters_left_out():
    result = _seeds_lineage()
    drift_only = [f for f in result.families if f.drift]
    html = lineage_html(result, drift_only, title="Drift <only>")
    assert f"{len(result.families) - len(drift_only)} families left out by the filters" in html
    assert "<title>Drift &lt;only&gt;</title>" in html
    markdown = lineage_markdown(result, drift_only)
    assert f"{len(result.families) - len(drift_only)} families left out by the filters" in markdown


def test_lineage_markdown_lists_versions_in_order_and_the_drift():
    result = _seeds_lineage()
    markdown = lineage_markdown(result, list(result.families))
    rendered = _flat("".join(_Inline(_MD.render(markdown)).after))
    places = [rendered.index(visible(info.id)) for info in result.versions]
    assert places == sorted(places)
    assert "Quote drift (4)" in rendered and "Edited along the way (2)" in rendered
    assert "the union" in rendered and "Jesse Sharkey" in rendered
    assert "has always" in rendered  # the drifted wording, inserted
    assert re.search(r"Sentences folded: \d+ carried unchanged, \d+ in one version only, \d+ boilerplate", rendered)


@pytest.mark.parametrize("position", [1, 2])
def test_blame_html_annotates_every_paragraph(position):
    result = _blame(position)
    page = _assert_self_contained(blame_html(result))
    assert page.text(f"v-{position + 1}").count("(this version)") == 1
    for paragraph in result.paragraphs:
        row = f"p-{paragraph.index + 1}"
        text = page.later_text(row)
        assert paragraph.status in page.text(row)
        if paragraph.as_edit:  # shown as compare shows it: the edit since the version before
            assert f"v{result.since + 1} ¶{paragraph.linked[0] + 1}" in page.text(row)
            assert _letters(visible(paragraph.text)) in _letters(text)
            assert page.marks[row] == sum(op != "=" for op, _ in paragraph.diff), paragraph.index
            continue
        origin = "mixed" if paragraph.origin is None else f"v{paragraph.origin + 1}"
        assert origin in page.text(row)
        for sentence in paragraph.sentences:
            assert _flat(visible(sentence.text)) in text, (paragraph.index, sentence.text)
            assert f"v{sentence.origin + 1}" in page.text(row)
        changes = sum(op != "=" for s in paragraph.sentences for op, _ in s.diff or ())
        assert page.marks[row] == changes, paragraph.index
    statuses = Counter(p.status for p in result.paragraphs)
    assert statuses["new"] and (statuses["edited"] or statuses["carried"])


def test_blame_html_counts_sentences_as_the_version_list_does():
    """The header counted boilerplate sentences as new or carried: 34 new, 32 carried beside the
    version's own 31 new, 30 carried and 5 boilerplate."""
    result = _blame(1)
    html = blame_html(result)
    counts = result.lineage.versions[1].counts
    assert counts == {"new": 31, "carried": 30, "edited": 5, "reused": 0, "boilerplate": 5}
    assert "sentences: 31 new, 30 carried, 5 edited, 5 boilerplate</p>" in html


@pytest.mark.parametrize("position", [1, 2])
def test_blame_markdown_annotates_or_counts_every_paragraph(position):
    result = _blame(position)
    markdown = blame_markdown(result)
    assert markdown.startswith(f"### cpsdiff blame: {visible(result.lineage.versions[position].id).replace('_', chr(92) + '_')}")
    rendered = _flat("".join(_Inline(_MD.render(markdown)).after))
    counted = 0
    for match in re.finditer(r"¶(\d+)(?:–¶(\d+))?: (\d+) paragraphs? carried word for word", rendered):
        first, last, count = int(match[1]), int(match[2] or match[1]), int(match[3])
        assert last - first + 1 == count
        counted += count
    carried = [p for p in result.paragraphs if p.status == "carried"]
    assert counted == len(carried)
    for paragraph in result.paragraphs:
        if paragraph in carried:
            continue
        if paragraph.as_edit:  # the word diff since the version before: every later word in it
            assert _letters(visible(paragraph.text)) in _letters(rendered), paragraph.text
            continue
        for sentence in paragraph.sentences:
            assert _flat(visible(sentence.text)) in rendered, sentence.text
    assert TV_STORY.name.replace("_", "\\_") in markdown


def test_markdown_word_marks_never_make_a_link(tmp_path):
    """A deletion right before "(url)" in the text: no live link."""
    import markdown_it

    from cpsdiff.render.markdown_report import compare_markdown

    old = parse_document("The mayor said!(http://evil.example/x) it.", "old")
    new = parse_document("The mayor said(http://evil.example/x) it.", "new")
    rendered = markdown_it.MarkdownIt().render(compare_markdown(compare(old, new)))
    assert "href" not in rendered
    assert "<del>!</del>(http://evil.example/x)" in rendered
