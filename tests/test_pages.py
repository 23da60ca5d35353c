"""Saved HTML pages of four layouts (fixtures/html, with hand-written expectations in
expected.toml): headline, byline, dates, every paragraph of reporting with its boundaries, chrome
left out or labelled, and the v1 → v2 changes found as they are described."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cpsdiff.cli import app
from cpsdiff.diff.boilerplate import classify, default_rules
from cpsdiff.diff.comparison import compare
from cpsdiff.inputs.loading import read_source
from cpsdiff.model import Kind
from cpsdiff.text.normalize import collapse_whitespace
from cpsdiff.text.segment import parse_document
from cpsdiff.web.pages import RepeatedWords, extract

pytest.importorskip("trafilatura")

HTML = Path(__file__).parent.parent / "fixtures" / "html"
EXPECTED = tomllib.loads((HTML / "expected.toml").read_text(encoding="utf-8"))
PAGES = [(layout, v) for layout in EXPECTED for v in ("v1", "v2")]
# Dates a page shows only as visible text ("Updated Thu Mar 12, 2026 3:48pm GMT"), with no
# machine-readable form, are not read.
TEXT_ONLY_DATES = {("wire_minimal", "v2", "updated")}


def _same(text: str) -> str:
    return collapse_whitespace(text.replace("\u00a0", " "))


def _read(layout: str, version: str):
    source = read_source(str(HTML / layout / f"{version}.html"), bytes)
    doc = parse_document(source.text, source.name, source.hints)
    reasons = classify([p.text for p in doc.paragraphs], default_rules(), doc.hints)
    return source.page, doc, reasons


@pytest.mark.parametrize("layout,version", PAGES)
def test_extraction_matches_the_page(layout, version):
    want = EXPECTED[layout][version]
    page, doc, reasons = _read(layout, version)
    assert page.title == want["title"]
    assert page.byline == want["author"]
    assert page.published.date().isoformat() == want["published"]
    if "updated" in want and (layout, version, "updated") not in TEXT_ONLY_DATES:
        assert page.updated.date().isoformat() == want["updated"]
    texts = [_same(p.text) for p in doc.paragraphs]
    assert texts[0] == _same(want["title"])  # the headline leads, as a paragraph of its own
    reporting = [t for t, reason in zip(texts, reasons) if reason is None][1:]
    assert reporting == [_same(p) for p in want["paragraphs"]]
    for junk in want.get("must_not_contain", []):
        assert not any(junk in t for t in reporting), junk
    for item in want.get("boilerplate", []):
        text = _same(item["text"])
        assert text not in reporting, (item["kind"], text)


@pytest.mark.parametrize("layout", list(EXPECTED))
def test_changes_between_versions(layout):
    want = EXPECTED[layout]
    _, old, _ = _read(layout, "v1")
    _, new, _ = _read(layout, "v2")
    result = compare(old, new)

    def index(doc, version: str, k: int) -> int:
        text = _same(want[version]["paragraphs"][k])
        return next(p.index for p in doc.paragraphs if _same(p.text) == text)

    kinds = {(c.old, c.new): c for c in result.changes}
    for k in want["changes"].get("new", []):
        assert kinds[(), (index(new, "v2", k),)].kind is Kind.ADDED
    for k in want["changes"].get("removed", []):
        assert kinds[(index(old, "v1", k),), ()].kind is Kind.REMOVED
    for a, b in want["changes"].get("edited", []):
        assert kinds[(index(old, "v1", a),), (index(new, "v2", b),)].kind is Kind.EDITED
    for a, b in want["changes"].get("moved", []):
        change = kinds[(index(old, "v1", a),), (index(new, "v2", b),)]
        assert change.kind is Kind.UNCHANGED and change.moved


def test_markup_evidence_labels_chrome_the_text_rules_miss():
    _, doc, reasons = _read("wire_minimal", "v1")
    by_text = {_same(p.text): r for p, r in zip(doc.paragraphs, reasons)}
    assert by_text["World | Business | Markets | UK | Search"].startswith("link-dense: 100%")
    _, doc, reasons = _read("newspaper_amp", "v1")
    quote = next(r for p, r in zip(doc.paragraphs, reasons) if p.text.startswith("“We are not going"))
    assert quote == "pull quote: repeats words of the story"


def test_compare_reads_pages_from_the_command_line():
    old, new = (str(HTML / "section_blocks" / f"{v}.html") for v in ("v1", "v2"))
    result = CliRunner().invoke(app, ["compare", old, new, "--json"])
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["new"]["paragraphs"][0]["text"] == EXPECTED["section_blocks"]["v2"]["title"]
    assert len(data["old"]["paragraphs"]) > EXPECTED["section_blocks"]["v1"]["body_paragraphs"]


def test_jsonl_records_may_carry_html_and_pages_give_the_order(tmp_path):
    """Records with `html` instead of `text`, given newest first: the page dates order them."""
    corpus = tmp_path / "pages.jsonl"
    records = [{"html": (HTML / "wordpress_tv" / f"{v}.html").read_text(encoding="utf-8"), "story": "water"} for v in ("v2", "v1")]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(app, ["lineage", str(corpus), "--json"])
    assert result.exit_code == 1, result.stderr
    versions = json.loads(result.stdout)["versions"]
    assert [v["id"] for v in versions] == [f"{corpus}:2", f"{corpus}:1"]
    assert versions[0]["extra"]["title"].startswith("Boil-water advisory issued")
    assert "html" not in versions[0]["extra"]


def test_a_page_without_article_text_is_a_clear_error(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    result = CliRunner().invoke(app, ["compare", str(page), str(page)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"cpsdiff: error: {page}: no article text found in the page\n"


ARTICLE = (
    "<p>The island ferry resumed service on Tuesday after a two-week repair of its engine, the port authority said.</p>"
    "<p>About 300 passengers rode the first crossing, which left at 7 a.m. and arrived on time.</p>"
    "<p>“We are glad to be back,” said captain Mara Olsen, who has run the route for 11 years.</p>"
    "<p>The authority said it would add an extra sailing on weekends through the summer.</p>"
)


def _page(tmp_path, head: str = "", body_attrs: str = "", h1: str = "Ferry service resumes", name: str = "p.html",
          byline: str = ""):
    path = tmp_path / name
    path.write_text(f"<!doctype html><html><head><title>Ferry service resumes</title>{head}</head>"
                    f"<body{body_attrs}><article><h1>{h1}</h1>{byline}{ARTICLE}</article></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("head", [
    '<meta property="article:published_time" content="0000-00-00 00:00:00">',
    '<meta property="article:published_time" content="2021-02-30T10:00:00Z">',
    '<script type="application/ld+json">{"datePublished": ["2021-01-02"], "dateModified": 20210102}</script>',
])
def test_broken_page_dates_are_no_dates(tmp_path, head):
    """Not a crash: the page is read, the broken dates are ignored (trafilatura may still guess a day)."""
    source = read_source(str(_page(tmp_path, head)), bytes)
    assert source.page.updated is None
    assert source.page.published is None or source.page.published.year > 2000
    assert len(source.page.paragraphs) == 5


def test_a_class_on_the_whole_page_or_a_linked_headline_is_not_chrome(tmp_path):
    page = _page(tmp_path, body_attrs=' class="single-post subscriber-content has-share-bar"',
                 h1='<a href="/ferry">Ferry service resumes</a>')
    source = read_source(str(page), bytes)
    doc = parse_document(source.text, source.name, source.hints)
    assert classify([p.text for p in doc.paragraphs], default_rules(), doc.hints) == [None] * 5


def test_xhtml_with_an_xml_declaration(tmp_path):
    page = tmp_path / "p.xhtml"
    page.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + _page(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    assert read_source(str(page), bytes).page.title == "Ferry service resumes"
    stdin = read_source("-", lambda: page.read_bytes())
    assert stdin.page is not None and stdin.text.startswith("Ferry service resumes")


def test_charsets_as_browsers_read_them(tmp_path):
    page = tmp_path / "latin.html"
    page.write_bytes(f'<html><head><meta charset="iso-8859-1"><title>T</title></head><body><article>{ARTICLE}'
                     "</article></body></html>".encode("cp1252"))
    assert "“We are glad to be back,”" in read_source(str(page), bytes).text  # ISO-8859-1 means Windows-1252
    note = tmp_path / "note.txt"  # a text file that quotes a <meta> tag is text, in UTF-8
    note.write_text('The site’s template says <meta charset="iso-8859-5"> and nobody noticed.\n', encoding="utf-8")
    assert read_source(str(note), bytes).text.startswith("The site’s template")


def test_records_give_text_or_html(tmp_path):
    both = tmp_path / "both.jsonl"
    both.write_text(json.dumps({"text": "A.", "html": "<p>B.</p>"}) + "\n" + json.dumps({"html": 42}) + "\n")
    result = CliRunner().invoke(app, ["lineage", str(both)])
    assert (result.exit_code, result.stderr) == (2, f"cpsdiff: error: {both}:1: record has both 'text' and 'html'; give one\n")


def test_saved_page_folders_skip_their_frames(tmp_path):
    folder = tmp_path / "saved"
    (folder / "story_files").mkdir(parents=True)
    (folder / "story_files" / "ad.html").write_text("<html><body><a href='/x'>ad</a></body></html>")
    _page(folder, name="story.html")
    result = CliRunner().invoke(app, ["lineage", str(folder), "--json"])
    assert result.exit_code == 0, result.stderr
    assert [v["id"] for v in json.loads(result.stdout)["versions"]] == [str(folder / "story.html")]


def test_an_unknown_declared_charset_is_no_hint(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(f'<html><head><meta charset="utf8mb4"><title>T</title></head><body><article>{ARTICLE}'
                     "</article></body></html>".encode("utf-8"))
    assert "“We are glad to be back,”" in read_source(str(page), bytes).text
    result = CliRunner().invoke(app, ["compare", "--encoding", "utf8mb4", str(page), str(page)])
    assert (result.exit_code, result.stderr) == (2, "cpsdiff: error: unknown encoding: utf8mb4\n")


@pytest.mark.parametrize("where", [
    '<p class="byline">By CBS 2 Chicago Staff</p>',  # in the page, as readers see it
    '<meta name="author" content="CBS 2 Chicago Staff">',  # in the metadata only
    '<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", '
    '"name": "CBS 2 Chicago Staff"}]}</script>',
], ids=["byline-element", "meta-author", "json-ld"])
def test_a_byline_is_kept_whole_and_labelled_boilerplate(tmp_path, where):
    """trafilatura made 'By CBS 2 Chicago Staff' into 'By CBS', labelled new reporting (issue 13)."""
    where = {"byline": where} if where.startswith("<p") else {"head": where}
    page = _page(tmp_path, **where)
    source = read_source(str(page), bytes)
    assert source.page.byline == "CBS 2 Chicago Staff"
    doc = parse_document(source.text, source.name, source.hints)
    assert doc.paragraphs[1].text == "By CBS 2 Chicago Staff"
    other = _page(tmp_path, name="other.html", **where)
    other.write_text(other.read_text("utf-8").replace("the port authority said", "officials said"), "utf-8")
    result = CliRunner().invoke(app, ["compare", str(page), str(other), "--json"])
    byline = json.loads(result.stdout)["new"]["paragraphs"][1]
    assert (byline["text"], byline["role"], byline["reason"]) == (
        "By CBS 2 Chicago Staff", "boilerplate", "byline: the page's author line")


def test_an_author_that_is_a_link_or_a_biography_is_no_byline(tmp_path):
    bio = "Jane Doe has covered city hall for twenty years and before that wrote about schools for the paper."
    page = _page(tmp_path, head='<meta name="author" content="https://www.facebook.com/someone">',
                 byline=f'<div class="byline">{bio}</div>')
    source = read_source(str(page), bytes)
    assert source.page.byline != "https://www.facebook.com/someone"
    assert not any(p.startswith("By ") and "facebook" in p for p in source.page.paragraphs)


PULL_QUOTE = "pull quote: repeats words of the story"


def _repeats_plainly(paragraphs: list[str], quote: str) -> bool:
    """The pull-quote test as first written: the quote's words (four or more), whole and in
    order, inside any paragraph that is not the quote itself, found by a substring test."""
    def spoken(text: str) -> str:
        return " " + " ".join(re.findall(r"\w+", text.lower())) + " "

    words = spoken(quote)
    return len(words.split()) >= 4 and any(p != quote and words in spoken(p) for p in paragraphs)


# Few words, so that paragraphs share runs of them; "con" and "cat" end and start "concat".
QUOTE_WORDS = st.sampled_from("the council vote Vote budget con cat concat 7 2 said, “we” — ...".split())
QUOTE_PARAGRAPH = st.lists(QUOTE_WORDS, min_size=0, max_size=16).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(QUOTE_PARAGRAPH, min_size=1, max_size=8), st.data())
def test_the_indexed_pull_quote_test_decides_as_the_substring_test(paragraphs, data):
    """A quote is tested only against the paragraphs holding its rarest run of words; it must
    be found wherever the substring test finds it: inside a paragraph, at its start or end, as
    a paragraph of its own, a copy of another, or words of none."""
    index = RepeatedWords(paragraphs)
    source = data.draw(st.sampled_from(paragraphs)).split()
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    quotes = [*paragraphs, " ".join(source[start:end]), " ".join(source[start:end]).upper(), data.draw(QUOTE_PARAGRAPH)]
    for quote in quotes:
        assert index.elsewhere(quote) == _repeats_plainly(paragraphs, quote), quote


def test_pull_quotes_of_a_live_blog_are_the_embedded_posts_that_repeat_its_words():
    entries = [
        ("The council voted 7 to 2 to approve the budget after a long debate on Tuesday.",
         "Voted 7 to 2 to approve the budget!"),
        ("Schools will stay open through the summer, the district said.", "Schools will stay open, we hope."),
        ("The mayor thanked the volunteers who cleaned the riverbank.",
         "Great news from the riverbank today, thanks everyone."),
        ("Fire crews concat the hoses before dawn, officials said.", "Cat the hoses before dawn"),
        ("Police closed Main Street for the parade.", "POLICE, closed main street... for the parade"),
    ]
    body = "".join(f"<p>{p}</p><blockquote><p>{q}</p></blockquote>" for p, q in entries)
    page = extract(f"<!doctype html><html><head><title>Live</title></head><body><main><article><h1>Live</h1>"
                   f"{body}</article></main></body></html>", "live.html")
    assert page.paragraphs[1:] == tuple(text for entry in entries for text in entry)
    assert dict(page.hints) == {
        "Voted 7 to 2 to approve the budget!": PULL_QUOTE,  # three words would be too few
        "POLICE, closed main street... for the parade": PULL_QUOTE,  # "Cat" is not the end of "concat"
    }
