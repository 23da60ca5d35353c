"""The HTML reports in a real headless Chromium (Debian's chromium package): each loads with no
console errors, asks for nothing but itself (self-contained, works offline), and renders.

Also what each page shows: the summary counts, a merged paragraph's parts, a moved paragraph's
links (clicked, they must land on something visible), and no in-page link that leads nowhere.

Skipped when no chromium is installed, except in CI (CI set, as .ci/run does), where that is a
failure. Set CPSDIFF_SCREENSHOTS to a folder to keep the screenshots (the README's comes from here).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpsdiff.cli import app

from .chromium import Browser, find_chromium
from .conftest import in_ci

ROOT = Path(__file__).parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
THURSDAY, FRIDAY = str(ROOT / "seeds" / "001_1861ff6766a32200.txt"), str(ROOT / "seeds" / "000_76f09b83511aca2f.txt")
PAGES = [str(ROOT / "fixtures" / "html" / "newspaper_amp" / f"v{n}.html") for n in (1, 2)]

def _relative(*paths: str) -> list[str]:
    """Paths as a reader gives them, from the repository (the screenshots show them)."""
    return [str(Path(p).relative_to(ROOT)) for p in paths]


REPORTS = {  # run from ROOT
    "compare-seeds": ["compare", *_relative(THURSDAY, FRIDAY)],
    "compare-pages": ["compare", *_relative(*PAGES)],
    "lineage-seeds": ["lineage", *_relative(*SEEDS)],
    "blame-seeds": ["blame", *_relative(FRIDAY, *SEEDS)],
}

chromium = find_chromium()


@pytest.fixture(scope="module")
def browser():
    if chromium is None:
        if in_ci():  # a green CI run must have looked at the pages
            pytest.fail("chromium is not installed, and CI must run the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with Browser(chromium) as running:
        yield running


# Run in the page once it has loaded: what a reader sees (innerText of visible elements), the
# in-page links that lead nowhere, and where each "moved" link (and the link back) lands when
# clicked: on screen and visible, even when the target sits in a folded run.
PROBE = r"""(async () => {
  const visible = el => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const shown = selector => [...document.querySelectorAll(selector)].filter(visible).map(e => e.innerText.trim());
  const target = a => document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
  const links = [...document.querySelectorAll('a[href^="#"]')];
  const jumps = {};
  for (const a of document.querySelectorAll('a[href^="#was-"], .ghost a[href^="#"]')) {
    a.click();
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const box = target(a).getBoundingClientRect();
    jumps[a.getAttribute("href")] = visible(target(a)) && box.bottom > 0 && box.top < innerHeight;  // on screen
  }
  const rows = {};
  for (const row of document.querySelectorAll("section.row[id], tr[id]")) {
    rows[row.id] = {
      text: visible(row) ? row.innerText : "",
      links: [...row.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute("href")),
      texts: Object.fromEntries([...row.querySelectorAll("p.text[id]")].map(p => [p.id, p.innerText])),
    };
  }
  return {
    counts: shown("header ul.counts li"),
    header: shown("header p"),
    version_counts: Object.fromEntries([...document.querySelectorAll("ol.timeline > li[id]")]
      .map(li => [li.id, [...li.querySelectorAll("ul.counts li")].filter(visible).map(e => e.innerText.trim())])),
    headings: shown("h2"),
    dangling: links.map(a => a.getAttribute("href")).filter(href => !document.getElementById(decodeURIComponent(href.slice(1)))),
    jumps,
    rows,
  };
})()"""


def _paragraphs(path: str) -> list[str]:
    """The paragraphs of a seed as written (blank-line separated), whitespace collapsed."""
    return [" ".join(p.split()) for p in Path(path).read_text("utf-8").split("\n\n") if p.strip()]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _report(tmp_path, name: str, *extra: str) -> Path:
    if name == "compare-pages":
        pytest.importorskip("trafilatura")
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(app, [*REPORTS[name], "--format", "html", *extra])
    assert result.exit_code == 1, result.stderr  # the versions differ
    page = tmp_path / f"{name}.html"
    page.write_text(result.stdout, encoding="utf-8")
    return page


def _load(browser, tmp_path, name: str, *extra: str):
    page = _report(tmp_path, name, *extra)
    return page, browser.load(page, width=1280, height=1000, probe=PROBE)


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_loads_cleanly_in_chromium(browser, tmp_path, name):
    page, report = _load(browser, tmp_path, name)

    assert report.console_errors == []
    assert report.requests == [page.resolve().as_uri()]  # no fonts, scripts or images fetched
    if name == "compare-pages":  # the page's headline names the report
        assert report.title == "Bayport council approves $14.2 million rebuild of storm-damaged pier — what changed (cpsdiff)"
    elif name == "compare-seeds":  # no headline in a text file: the lede's first words
        assert report.title == "CHICAGO (CBS) — Despite Mayor Lori Lightfoot saying she had run out… — what changed (cpsdiff)"
    else:
        assert report.title.startswith("cpsdiff")
    assert report.screenshot.startswith(b"\x89PNG\r\n\x1a\n") and len(report.screenshot) > 20_000  # not blank
    if folder := os.environ.get("CPSDIFF_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(report.screenshot)


def test_a_link_to_nothing_or_to_something_hidden_is_caught(browser, tmp_path):
    """The link checks can fail: a dangling link, and a jump that lands on a hidden element."""
    page = tmp_path / "links.html"
    page.write_text('<!doctype html><title>x</title><a href="#nowhere">dangling</a>'
                    '<section class="ghost"><a href="#hidden">to hidden</a></section>'
                    '<div style="height:3000px"></div><p id="hidden" style="display:none">x</p>')
    report = browser.load(page, probe=PROBE)
    assert report.probe["dangling"] == ["#nowhere"]
    assert report.probe["jumps"] == {"#hidden": False}


def test_a_broken_page_is_caught(browser, tmp_path):
    """The check itself can fail: a script error and an external request are both seen."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><title>x</title><script>undefinedThing()</script><img src="http://127.0.0.1:9/x.png">')
    report = browser.load(page)
    assert any("undefinedThing" in error for error in report.console_errors)
    assert "http://127.0.0.1:9/x.png" in report.requests


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_in_page_link_leads_somewhere_visible(browser, tmp_path, name):
    _, report = _load(browser, tmp_path, name)
    assert report.probe["dangling"] == []
    assert all(report.probe["jumps"].values()), report.probe["jumps"]


def test_compare_report_shows_counts_merge_and_moves(browser, tmp_path):
    """What the reviewed case tests/cases/seeds_thursday_friday says, as the page shows it."""
    _, report = _load(browser, tmp_path, "compare-seeds")
    page = report.probe
    assert page["counts"] == ["+18 new", "~6 edited", "⇉1 merged", "=13 carried", "-10 removed", "5 boilerplate", "6 moved"]

    # new ¶13 is old ¶5 and old ¶12 merged: both parts shown, linked, each as the old version wrote it
    old, new = _paragraphs(THURSDAY), _paragraphs(FRIDAY)
    (merged,) = [row for row in page["rows"].values() if "new-13" in row["texts"]]
    assert "merged from old ¶5 + old ¶12" in _flat(merged["text"])
    assert {"#old-5", "#old-12", "#new-13"} <= set(merged["links"])
    assert _flat(merged["texts"]["old-5"]) == old[4]
    assert _flat(merged["texts"]["old-12"]) == old[11]
    assert _flat(merged["texts"]["new-13"]) == new[12]

    # new ¶1 moved from old ¶4: a link to where it stood, and from there a link back
    (lede,) = [row for row in page["rows"].values() if "new-1" in row["texts"]]
    assert "moved from old ¶4" in _flat(lede["text"])
    assert "#was-4" in lede["links"]
    assert "now at ¶1" in _flat(page["rows"]["was-4"]["text"])
    assert "#new-1" in page["rows"]["was-4"]["links"]
    assert page["jumps"]["#was-4"] and page["jumps"]["#new-1"]
    moved_away = {row_id for row_id in page["rows"] if row_id.startswith("was-")}
    assert moved_away == {"was-4", "was-9", "was-11", "was-15", "was-16", "was-18"}  # the 6 moved


def test_blame_report_shows_origins(browser, tmp_path):
    _, report = _load(browser, tmp_path, "blame-seeds")
    page = report.probe
    # compare's verdicts against Thursday, counted as compare counts them: 18 new, 13 carried,
    # 6 edited + 1 merged, and 5 boilerplate apart (was 21 new and 15 carried, chrome included)
    assert page["counts"] == ["18 paragraphs new", "13 paragraphs carried", "7 paragraphs edited", "5 paragraphs boilerplate"]
    # the same sentence counts in the header as in the version's own entry in the list
    assert "sentences: 31 new, 30 carried, 5 edited, 5 boilerplate" in page["header"][0]
    assert page["version_counts"]["v-2"] == ["31 new", "30 carried", "5 edited", "5 boilerplate"]
    # ¶13 joins two Thursday paragraphs: each sentence with its own origin
    merged = _flat(page["rows"]["p-13"]["text"])
    assert "v1 ¶5 carried “We need to get this deal done" in merged
    assert "v1 ¶12 edited “There’s no reason why" in merged
    # the lede, an edit of Thursday's ¶4 as compare has it, shown as that edit
    assert "v1 ¶4 edited" in _flat(page["rows"]["p-1"]["text"])


def test_lineage_report_shows_the_quote_drift(browser, tmp_path):
    _, report = _load(browser, tmp_path, "lineage-seeds")
    page = report.probe
    assert page["counts"] == ["3 versions", "2 stories", "119 sentence families", "6 reworded",
                              "1 in more than one story", "4 quote drifts"]
    assert "Quote drift (4)" in page["headings"]
    assert page["version_counts"]["v-3"] == ["24 new", "1 from another story"]


# -- the first screen: what a reader wants first (issue 13) ------------------------------------

# What a reader sees on the first screen, and how the page sits in its width.
FIRST_SCREEN = r"""(() => {
  const visible = el => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const onScreen = el => visible(el) && el.getBoundingClientRect().top < innerHeight;
  const digest = document.querySelector("section.digest");
  const article = document.getElementById("changes");
  const legend = document.getElementById("legend");
  return {
    h1: document.querySelector("h1").innerText,
    digest: onScreen(digest) ? digest.innerText : "",
    digest_bottom: digest ? digest.getBoundingClientRect().bottom : null,
    marks: digest ? [...digest.querySelectorAll("del, ins")].filter(visible)
      .map(e => [e.tagName.toLowerCase(), e.innerText, getComputedStyle(e).textDecorationLine]) : [],
    legend_open: legend.open,
    legend_shown: visible(legend.querySelector("dl")),
    legend_top: legend.getBoundingClientRect().top,
    article_top: article.getBoundingClientRect().top,
    overflow: document.scrollingElement.scrollWidth - innerWidth,
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
    folded: [...document.querySelectorAll("details.quiet")].map(d => [d.open, d.querySelector("summary").innerText]),
    dim: [...document.querySelectorAll("details.chrome-dim")].map(d => [visible(d.querySelector("summary")), visible(d.querySelector("p.text"))]),
  };
})()"""


def _screenshot(report, name: str) -> None:
    if folder := os.environ.get("CPSDIFF_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(report.screenshot)


def test_first_screen_says_what_changed_in_sentences(browser, tmp_path):
    page = _report(tmp_path, "compare-seeds")
    report = browser.load(page, width=1280, height=900, probe=FIRST_SCREEN)
    _screenshot(report, "compare-seeds-desktop")
    shown = report.probe
    assert shown["h1"] == "CHICAGO (CBS) — Despite Mayor Lori Lightfoot saying she had run out…"
    digest = _flat(shown["digest"])  # on the first screen, in words
    assert "The new version has 43 paragraphs: 18 new reporting, 6 edited, 1 merged from several old paragraphs, " \
           "13 carried over unchanged and 5 boilerplate (site chrome)." in digest
    assert "New reporting (18): ¶4 However, it appeared unlikely the district’s final offer" in digest
    assert "Removed (10): old ¶2 “Late this afternoon, we received a counter proposal" in digest
    # an edited quote with the words that changed, struck through and underlined
    assert "¶27, the union: “Our goal is, and always hashas always been, a mutually agreed up onupon safe reopening" in digest
    marks = shown["marks"]
    for mark in (["del", "always has", "line-through"], ["ins", "has always", "underline"],
                 ["del", "up on", "line-through"], ["ins", "upon", "underline"]):
        assert mark in marks
    assert "Moved (6): ¶1 CHICAGO (CBS) — Despite Mayor Lori Lightfoot saying… (was old ¶4)" in digest
    assert shown["digest_bottom"] < shown["legend_top"] < shown["article_top"]  # then the article
    assert shown["legend_open"] is False and shown["legend_shown"] is False  # the legend folds away
    assert "less than half the wording kept (similarity 0.39)" in shown["text"]  # similarity in words
    assert shown["overflow"] <= 0


def test_a_page_report_is_titled_by_its_headline_and_fits_a_phone(browser, tmp_path):
    page = _report(tmp_path, "compare-pages")
    desktop = browser.load(page, width=1280, height=900, probe=FIRST_SCREEN)
    _screenshot(desktop, "compare-pages-desktop")
    assert desktop.probe["h1"] == "Bayport council approves $14.2 million rebuild of storm-damaged pier"
    for name in ("compare-seeds", "compare-pages"):
        phone = browser.load(_report(tmp_path, name), width=390, height=844, probe=FIRST_SCREEN, mobile=True)
        _screenshot(phone, f"{name}-phone")
        assert phone.probe["overflow"] <= 0  # nothing wider than the phone
        assert "What changed" in phone.probe["digest"] and phone.screenshot.startswith(b"\x89PNG")


def test_context_and_boilerplate_shape_what_the_page_shows(browser, tmp_path):
    folded = browser.load(_report(tmp_path, "compare-seeds"), probe=FIRST_SCREEN).probe
    assert folded["folded"] == [[False, "8 unchanged paragraphs (¶29–¶36)"]]
    assert "This is the best shape our city has been in" not in folded["text"]  # folded away, not shown
    every = browser.load(_report(tmp_path, "compare-seeds", "--context", "all"), probe=FIRST_SCREEN).probe
    assert every["folded"] == [] and "This is the best shape our city has been in" in every["text"]
    hidden = browser.load(_report(tmp_path, "compare-seeds", "--boilerplate", "hide"), probe=FIRST_SCREEN).probe
    for chrome in ("READ MORE: Illinois Attorney General", "MORE NEWS:", "CBS 2 Chicago Staff", "Also From CBS Chicago"):
        assert chrome not in hidden["html"]  # not in the page at all
    assert "5 boilerplate paragraphs hidden, and 4 removed from the old version" in hidden["text"]
    dimmed = browser.load(_report(tmp_path, "compare-seeds", "--boilerplate", "dim"), probe=FIRST_SCREEN).probe
    assert len(dimmed["dim"]) == 9 and all(summary and not body for summary, body in dimmed["dim"])  # one line each
    assert "READ MORE: Illinois Attorney General" in dimmed["text"]
