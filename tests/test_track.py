"""`cpsdiff track` against a real HTTP server on 127.0.0.1 that serves changing versions."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cpsdiff.cli import app
from cpsdiff.diff.boilerplate import load_rules
from cpsdiff.store.versions import Store
from cpsdiff.watch.track import track, track_one
from cpsdiff.web.fetch import Fetched

from .conftest import THURSDAY
from .local_servers import page_server, stop_listening

pytest.importorskip("trafilatura")

HTML = Path(__file__).parent.parent / "fixtures" / "html"
PLAIN = "text/plain; charset=utf-8"
SCHEMA = json.loads((Path(__file__).parent.parent / "cpsdiff" / "schemas" / "track-1.schema.json").read_text())


class Site:
    """Pages by path, changeable between requests: (status, content type, body, extra headers)."""

    def __init__(self):
        self.pages: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.requests: list[str] = []

    def serve(self, path: str, body: bytes | str, kind: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> None:
        self.pages[path] = (status, kind, body.encode() if isinstance(body, str) else body, headers or {})

    def redirect(self, path: str, location: str) -> None:
        self.serve(path, "moved", "text/plain", 302, {"Location": location})


@pytest.fixture
def site():
    pages = Site()
    with page_server(pages.pages, pages.requests) as base:
        pages.base = base
        yield pages


def run(*args):
    return CliRunner().invoke(app, ["track", *args])


def test_stores_a_version_only_when_the_text_changes(site, tmp_path):
    db = str(tmp_path / "t.db")
    url = f"{site.base}/news/water"
    v1, v2 = ((HTML / "wordpress_tv" / f"v{n}.html").read_text(encoding="utf-8") for n in (1, 2))
    site.serve("/news/water", v1)

    first = run(url, "--db", db)
    assert (first.exit_code, first.stderr) == (1, "")
    assert first.stdout.startswith(f"new       {url} v1 “Boil-water advisory")
    assert first.stdout.count("\n") == 1

    again = run(url, "--db", db)  # the same page: silent, nothing stored (cron mails nothing)
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")

    # Markup, scripts and ads change on every load; the text did not: still nothing stored.
    site.serve("/news/water", v1.replace("</body>", "<script>var ad = 42;</script><div class='ad'></div></body>"))
    assert run(url, "--db", db).exit_code == 0

    site.serve("/news/water", v2)
    changed = run(url, "--db", db)
    assert changed.exit_code == 1
    line = changed.stdout.strip()
    assert line.startswith(f"changed   {url} v2 ")
    assert "new" in line and "edited" in line and "removed" in line

    with Store(db) as store:
        versions = store.versions()
    assert [(v.story, v.version) for v in versions] == [(url, "1"), (url, "2")]
    assert all(v.extra["url"] == url and v.extra["title"].startswith("Boil-water") for v in versions)


def test_json_records_follow_the_schema(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.serve("/a", (HTML / "newspaper_amp" / "v1.html").read_bytes())
    result = run(f"{site.base}/a", f"{site.base}/missing", "--db", db, "--json")
    assert result.exit_code == 2  # one page failed: trouble, after the others were done
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for record in records:
        jsonschema.validate(record, SCHEMA)
    assert [r["status"] for r in records] == ["new", "error"]
    assert records[1]["error"] == f"{site.base}/missing: HTTP 404 Not Found"
    assert result.stderr == f"cpsdiff: error: {site.base}/missing: HTTP 404 Not Found\n"


@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_feed_items_are_tracked(site, tmp_path, feed):
    db = str(tmp_path / "t.db")
    layouts = ("wordpress_tv", "wire_minimal")
    for name in layouts:
        site.serve(f"/{name}", (HTML / name / "v1.html").read_bytes())
    links = [f"{site.base}/{name}" for name in layouts]
    if feed == "rss":
        items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
        site.serve("/feed", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
                   "application/rss+xml")
    else:
        entries = "".join(f'<entry><title>x</title><link rel="alternate" href="{link}"/></entry>' for link in links)
        site.serve("/feed", f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>',
                   "application/atom+xml")
    result = run("--feed", f"{site.base}/feed", "--db", db, "-v")
    assert result.exit_code == 1, result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["new", link] for link in links]
    site.serve("/wire_minimal", (HTML / "wire_minimal" / "v2.html").read_bytes())
    result = run("--feed", f"{site.base}/feed", "--db", db, "-v")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["unchanged", "changed"]


def test_errors_are_one_line_and_exit_2(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.serve("/feed", "<html><body>not a feed</body></html>")
    result = run("--feed", f"{site.base}/feed", "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"cpsdiff: error: {site.base}/feed: not an RSS or Atom feed")
    assert result.stderr.count("\n") == 1
    assert run("ftp://example.org/x", "--db", db).stderr == "cpsdiff: error: ftp://example.org/x: not an http(s) URL\n"
    assert run("--db", db).exit_code == 2


def test_unreachable_server_times_out_with_a_clear_error(tmp_path, monkeypatch):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    port = listener.getsockname()[1]
    monkeypatch.setenv("CPSDIFF_TIMEOUT", "0.5")
    try:
        result = run(f"http://127.0.0.1:{port}/slow", "--db", str(tmp_path / "t.db"))
    finally:
        listener.close()
    assert result.exit_code == 2
    assert result.stderr == f"cpsdiff: error: http://127.0.0.1:{port}/slow: no complete answer within 0.5 s (CPSDIFF_TIMEOUT)\n"


def test_compare_and_lineage_take_urls(site):
    for n in (1, 2):
        site.serve(f"/v{n}", (HTML / "wire_minimal" / f"v{n}.html").read_bytes())
    old, new = f"{site.base}/v1", f"{site.base}/v2"
    result = CliRunner().invoke(app, ["compare", old, new, "--json"])
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert (data["old"]["source"], data["new"]["source"]) == (old, new)
    assert data["new"]["paragraphs"][0]["text"] == "Brackenbury Market to close for 14 months for roof repairs"
    result = CliRunner().invoke(app, ["lineage", new, old, "--json", "--order", "time"])
    assert result.exit_code == 1, result.stderr
    missing = CliRunner().invoke(app, ["compare", old, f"{site.base}/gone"])
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr == f"cpsdiff: error: {site.base}/gone: HTTP 404 Not Found\n"


def test_a_url_that_is_not_an_article_is_refused(site, tmp_path):
    site.serve("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "application/rss+xml")
    result = CliRunner().invoke(app, ["ingest", f"{site.base}/feed.xml", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2
    assert result.stderr == f"cpsdiff: error: {site.base}/feed.xml: not an article page (served as application/rss+xml)\n"
    site.serve("/plain", "A plain text article.\n\nIt has two paragraphs.", "text/plain; charset=utf-8")
    result = CliRunner().invoke(app, ["compare", f"{site.base}/plain", f"{site.base}/plain"])
    assert (result.exit_code, result.stderr) == (0, "")


def rss(*links: str) -> str:
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def stories(db: str) -> list[tuple[str | None, str | None]]:
    with Store(db) as store:
        return [(v.story, v.version) for v in store.versions()]


def test_only_http_and_https_are_opened_even_through_a_redirect(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.serve("/ok", "A plain article.", PLAIN)
    site.redirect("/to-file", "file:///etc/passwd")
    site.redirect("/to-ftp", "ftp://127.0.0.1/pub/x")
    links = ("file:///etc/passwd", f"{site.base}/to-file", f"{site.base}/to-ftp", f"{site.base}/ok")
    site.serve("/feed", rss(*links), "application/rss+xml")
    result = run("--feed", f"{site.base}/feed", "--db", db)
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    # feedparser mends "scheme:///x" links into "scheme://x" (http:///host is a common typo)
    assert errors[0] == "cpsdiff: error: file://etc/passwd: not an http(s) URL"
    # One style for every scheme (urllib refused file: itself, in other words, and let ftp: by).
    assert errors[1] == f"cpsdiff: error: {site.base}/to-file: redirected to file:///etc/passwd, not an http(s) URL"
    assert errors[2] == f"cpsdiff: error: {site.base}/to-ftp: redirected to ftp://127.0.0.1/pub/x, not an http(s) URL"
    assert len(errors) == 3
    assert stories(db) == [(f"{site.base}/ok", "1")]


@pytest.mark.parametrize("command", ["track", "compare"])
def test_a_redirect_loop_is_one_line(site, tmp_path, command):
    site.redirect("/a", "/b")
    site.redirect("/b", "/a")
    args = [f"{site.base}/a", "--db", str(tmp_path / "t.db")] if command == "track" else [f"{site.base}/a", str(THURSDAY)]
    result = CliRunner().invoke(app, [command, *args])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {site.base}/a: too many redirects (more than 10, or a loop)\n"


def test_relative_feed_links_are_resolved_against_the_feed_address(site, tmp_path):
    site.serve("/news/a", "Story A.", PLAIN)
    site.serve("/b", "Story B.", PLAIN)
    site.redirect("/feed", "/news/feed")  # relative links follow the feed to its final address
    entries = '<entry><link href="a"/></entry><entry><link href="/b"/></entry>'
    site.serve("/news/feed", f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>',
               "application/atom+xml")
    result = run("--feed", f"{site.base}/feed", "--db", str(tmp_path / "t.db"))
    assert result.exit_code == 1, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()] == [f"{site.base}/news/a", f"{site.base}/b"]


def test_a_bad_link_is_an_error_for_that_page_only(site, tmp_path):
    site.serve("/ok", "A plain article.", PLAIN)
    site.serve("/feed", rss("http://exa mple.com/", "http://[::1", "/ok"), "application/rss+xml")
    result = run("--feed", f"{site.base}/feed", "--db", str(tmp_path / "t.db"))
    assert result.exit_code == 2
    assert result.stdout == f"new       {site.base}/ok v1: first version, 1 paragraph\n"
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("cpsdiff: error: http://exa mple.com/: not a valid URL (")
    assert errors[1] == "cpsdiff: error: http://[::1: not a valid URL (Invalid IPv6 URL)"


def test_an_unexpected_failure_names_the_page_and_the_run_goes_on(tmp_path):
    def get(url: str) -> Fetched:
        if url.endswith("/boom"):
            raise RuntimeError("surprise")
        return Fetched(url, b"A plain article.", "text/plain", "utf-8")

    with Store(str(tmp_path / "t.db")) as store:
        results = list(track(store, ["http://x.test/boom", "http://x.test/fine"], [], load_rules([]), get))
    assert [(r.status, r.error) for r in results] == [
        ("error", "http://x.test/boom: unexpected RuntimeError: surprise"),
        ("new", None),
    ]


@pytest.fixture
def raw_server():
    """A server that answers every request with the bytes given, then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    answer = {"bytes": b""}

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(answer["bytes"])

    server = threading.Thread(target=serve, daemon=True)
    server.start()

    def url_answering(raw: bytes) -> str:
        answer["bytes"] = raw
        return f"http://127.0.0.1:{listener.getsockname()[1]}/page"

    yield url_answering
    stop_listening(listener, server)


@pytest.mark.parametrize(("answer", "message"), [
    (b"garbage\r\n\r\n", "not a valid HTTP response (BadStatusLine: garbage)"),
    (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nShort body.",
     "the server stopped before the end of the page (11 of 1000 bytes)"),
    (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n40\r\nShort body.",
     "the server stopped before the end of the page"),
], ids=["bad status line", "short body", "cut chunk"])
def test_a_broken_response_is_one_error_line(raw_server, tmp_path, answer, message):
    url = raw_server(answer)
    result = run(url, "--db", str(tmp_path / "t.db"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {url}: {message}\n"


def test_a_change_of_boilerplate_only_is_no_change(site, tmp_path):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    article = "Council closes the bridge.\n\nRepairs will take a year, officials said.\n\nREAD MORE: {}"
    site.serve("/story", article.format("Dog wins mayoral race"), PLAIN)
    assert run(url, "--db", db).exit_code == 1
    site.serve("/story", article.format("Cat loses appeal"), PLAIN)  # the teaser rotates
    again = run(url, "--db", db, "-v")
    assert (again.exit_code, again.stdout) == (0, f"unchanged {url}: no change since version 1\n")
    assert stories(db) == [(url, "1")]


def test_the_summary_of_a_change_is_the_one_compare_gives(site, tmp_path):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    pages = [(HTML / "wire_minimal" / f"v{n}.html").read_bytes() for n in (1, 2)]
    for n, page in enumerate(pages, 1):
        site.serve(f"/v{n}", page)
    site.serve("/story", pages[0])
    run(url, "--db", db)
    site.serve("/story", pages[1])
    tracked = json.loads(run(url, "--db", db, "--json").stdout)
    compared = json.loads(CliRunner().invoke(app, ["compare", f"{site.base}/v1", f"{site.base}/v2", "--json"]).stdout)
    assert tracked["status"] == "changed"
    assert tracked["summary"] == compared["summary"]


def test_a_page_is_one_story_whatever_its_fragment(site, tmp_path):
    db, page = str(tmp_path / "t.db"), f"{site.base}/b?id=1"
    site.serve("/b?id=1", "A plain article.", PLAIN)
    site.serve("/feed", rss("/b?id=1#frag", "/b?id=1#other", "/b?id=1"), "application/rss+xml")
    result = run(f"{page}#top", "--feed", f"{site.base}/feed", "--db", db, "-v")
    assert result.stdout == f"new       {page} v1: first version, 1 paragraph\n"
    assert site.requests.count("/b?id=1") == 1
    assert stories(db) == [(page, "1")]


def test_json_on_an_ascii_stdout_escapes_non_ascii(site, tmp_path):
    site.serve("/z", "<html><head><title>Zürich’s café</title></head><body><article>"
                     "<p>Zürich opened a café on Monday, the council said.</p></article></body></html>")
    result = CliRunner(charset="ascii").invoke(app, ["track", f"{site.base}/z", "--db", str(tmp_path / "t.db"), "--json"])
    assert result.exit_code == 1, result.exception
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["title"] == "Zürich’s café"


@pytest.mark.parametrize("value", ["abc", "-1", "0", "nan", "1e308"])
def test_a_bad_timeout_is_one_clear_error(tmp_path, value):
    result = CliRunner().invoke(app, ["track", "http://127.0.0.1:9/x", "--db", str(tmp_path / "t.db")],
                                env={"CPSDIFF_TIMEOUT": value})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: CPSDIFF_TIMEOUT must be a positive number of seconds up to 86400, not {value!r}\n"


def test_a_bad_timeout_does_not_trouble_commands_that_do_not_fetch():
    result = subprocess.run([sys.executable, "-m", "cpsdiff", "compare", str(THURSDAY), str(THURSDAY), "-q"],
                            env={**os.environ, "CPSDIFF_TIMEOUT": "abc"}, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("items", ["", "<item><title>no link</title></item><item><link> </link></item>"],
                         ids=["no items", "no links"])
def test_a_feed_without_article_links_is_an_error(site, tmp_path, items):
    site.serve("/feed", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
               "application/rss+xml")
    result = run("--feed", f"{site.base}/feed", "--db", str(tmp_path / "t.db"), "--json")
    assert result.exit_code == 2
    assert result.stderr == f"cpsdiff: error: {site.base}/feed: the feed lists no article links\n"
    record = json.loads(result.stdout)
    jsonschema.validate(record, SCHEMA)
    assert (record["url"], record["status"]) == (f"{site.base}/feed", "error")


def test_overlapping_runs_store_one_first_version(tmp_path, monkeypatch):
    import cpsdiff.watch.track

    db, url = str(tmp_path / "t.db"), "http://x.test/a"
    Store(db).close()
    analyse = cpsdiff.watch.track.analyse

    def slow_analyse(*args):
        time.sleep(0.3)  # widens the window between reading the latest version and writing the next
        return analyse(*args)

    monkeypatch.setattr(cpsdiff.watch.track, "analyse", slow_analyse)
    page = Fetched(url, b"A plain article.", "text/plain", "utf-8")
    start, statuses = threading.Barrier(2), []

    def run_at(second: int) -> None:
        with Store(db) as store:
            start.wait()
            moment = datetime(2024, 5, 1, 12, 0, second, tzinfo=UTC)
            statuses.append(track_one(store, url, load_rules([]), lambda _: page, lambda: moment).status)

    runs = [threading.Thread(target=run_at, args=(second,)) for second in (0, 1)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert sorted(statuses) == ["new", "unchanged"]
    assert stories(db) == [(url, "1")]


def test_feed_links_keep_feed_order_each_once():
    from cpsdiff.web.feeds import feed_links

    order = [3, 1, 3, 2, 1, 4]
    items = "".join(f"<item><title>{n}</title><link> https://news.example/{n} </link></item>" for n in order)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    assert feed_links(feed, "https://news.example/rss") == [f"https://news.example/{n}" for n in (3, 1, 2, 4)]
