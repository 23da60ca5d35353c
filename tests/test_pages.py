"""Saved HTML pages of four layouts (fixtures/html, with hand-written expectations in
expected.toml): headline, byline, dates, every paragraph of reporting with its boundaries, chrome
left out or labelled, and the v1 → v2 changes found as they are described."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpsdiff.boilerplate import classify, default_rules
from cpsdiff.cli import app
from cpsdiff.comparison import compare
from cpsdiff.loading import read_source
from cpsdiff.model import Kind
from cpsdiff.pages import flat
from cpsdiff.segment import parse_document

pytest.importorskip("trafilatura")

HTML = Path(__file__).parent.parent / "fixtures" / "html"
EXPECTED = tomllib.loads((HTML / "expected.toml").read_text(encoding="utf-8"))
PAGES = [(layout, v) for layout in EXPECTED for v in ("v1", "v2")]
# Dates a page shows only as visible text ("Updated Thu Mar 12, 2026 3:48pm GMT"), with no
# machine-readable form, are not read.
TEXT_ONLY_DATES = {("wire_minimal", "v2", "updated")}


def _same(text: str) -> str:
    return flat(text.replace("\u00a0", " "))


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
