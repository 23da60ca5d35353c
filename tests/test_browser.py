"""The HTML reports in a real headless Chromium (Debian's chromium package): each loads with no
console errors, asks for nothing but itself (self-contained, works offline), and renders.

Skipped when no chromium is installed (CI installs it: see .ci/run). Set CPSDIFF_SCREENSHOTS to
a folder to keep the screenshots (the README's comes from here).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpsdiff.cli import app

from .chromium import Browser, find_chromium

ROOT = Path(__file__).parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
THURSDAY, FRIDAY = str(ROOT / "seeds" / "001_1861ff6766a32200.txt"), str(ROOT / "seeds" / "000_76f09b83511aca2f.txt")
PAGES = [str(ROOT / "fixtures" / "html" / "newspaper_amp" / f"v{n}.html") for n in (1, 2)]
REPORTS = {
    "compare-seeds": ["compare", THURSDAY, FRIDAY],
    "compare-pages": ["compare", *PAGES],
    "lineage-seeds": ["lineage", *SEEDS],
    "blame-seeds": ["blame", FRIDAY, *SEEDS],
}

chromium = find_chromium()
pytestmark = pytest.mark.skipif(chromium is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    with Browser(chromium) as running:
        yield running


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_loads_cleanly_in_chromium(browser, tmp_path, name):
    if name == "compare-pages":
        pytest.importorskip("trafilatura")
    result = CliRunner().invoke(app, [*REPORTS[name], "--format", "html"])
    assert result.exit_code == 1, result.stderr  # the versions differ
    page = tmp_path / f"{name}.html"
    page.write_text(result.stdout, encoding="utf-8")

    report = browser.load(page, width=1280, height=1000)

    assert report.console_errors == []
    assert report.requests == [page.resolve().as_uri()]  # no fonts, scripts or images fetched
    assert report.title.startswith("cpsdiff")
    assert report.screenshot.startswith(b"\x89PNG\r\n\x1a\n") and len(report.screenshot) > 20_000  # not blank
    if folder := os.environ.get("CPSDIFF_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(report.screenshot)


def test_a_broken_page_is_caught(browser, tmp_path):
    """The check itself can fail: a script error and an external request are both seen."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><title>x</title><script>undefinedThing()</script><img src="http://127.0.0.1:9/x.png">')
    report = browser.load(page)
    assert any("undefinedThing" in error for error in report.console_errors)
    assert "http://127.0.0.1:9/x.png" in report.requests
