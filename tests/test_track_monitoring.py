"""`cpsdiff track` as a newsroom monitor, against servers on 127.0.0.1: conditional requests
(the server sees the validators and answers 304), compression, the User-Agent, malformed feeds
of each kind, a URL list file, the raw page archive and re-extraction, change records and
reports, per-host politeness, and the store's views and full-text search."""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpsdiff import __version__
from cpsdiff.cli import app
from cpsdiff.store.versions import Store

from .local_servers import serving

pytest.importorskip("trafilatura")
pytest.importorskip("feedparser")

HTML = Path(__file__).parent.parent / "fixtures" / "html"
PLAIN = "text/plain; charset=utf-8"


class Site:
    """Pages by path; honours If-None-Match / If-Modified-Since when a page has validators,
    compresses when asked (and allowed), and records every request's headers."""

    def __init__(self):
        self.pages: dict[str, dict] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def serve(self, path: str, body: bytes | str, kind: str = "text/html; charset=utf-8", etag: str | None = None,
              modified: str | None = None, compress: str | None = None, status: int = 200) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = {"body": data, "kind": kind, "etag": etag, "modified": modified, "compress": compress,
                            "status": status}

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [headers for requested, headers in self.requests if requested == path]


@pytest.fixture
def site():
    pages = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            headers = {k.lower(): v for k, v in self.headers.items()}
            pages.requests.append((self.path, headers))
            page = pages.pages.get(self.path)
            if page is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            fresh = (page["etag"] and headers.get("if-none-match") == page["etag"]) or (
                page["modified"] and not page["etag"] and headers.get("if-modified-since") == page["modified"])
            if fresh:
                self.send_response(304)
                if page["etag"]:
                    self.send_header("ETag", page["etag"])
                self.end_headers()
                return
            body, coding = page["body"], page["compress"]
            if coding and coding in headers.get("accept-encoding", ""):
                body = gzip.compress(body) if coding == "gzip" else zlib.compress(body)
            self.send_response(page["status"])
            self.send_header("Content-Type", page["kind"])
            if coding and body is not page["body"]:
                self.send_header("Content-Encoding", coding)
            for name, key in (("ETag", "etag"), ("Last-Modified", "modified")):
                if page[key]:
                    self.send_header(name, page[key])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with serving(Handler) as base:
        pages.base = base
        yield pages


def run(*args, input=None):
    return CliRunner().invoke(app, ["track", *args], input=input)


def page(layout: str, n: int) -> bytes:
    return (HTML / layout / f"v{n}.html").read_bytes()


def query(db: str, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


# -- HTTP ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("validator", ["etag", "last-modified"])
def test_an_unchanged_page_costs_a_304(site, tmp_path, validator):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    given = {"etag": '"v1"'} if validator == "etag" else {"modified": "Wed, 01 May 2024 12:00:00 GMT"}
    site.serve("/story", page("wire_minimal", 1), **given)
    assert run(url, "--db", db).exit_code == 1
    first = site.headers_of("/story")[0]
    assert "if-none-match" not in first and "if-modified-since" not in first

    again = run(url, "--db", db, "-v")
    title = "Brackenbury Market to close for 14 months for roof repairs"
    assert (again.exit_code, again.stdout) == (0, f"unchanged {url} “{title}”: no change since version 1\n")
    second = site.headers_of("/story")[1]
    if validator == "etag":
        assert second["if-none-match"] == '"v1"'
    else:
        assert second["if-modified-since"] == "Wed, 01 May 2024 12:00:00 GMT"

    # A new version has new validators; the next request sends them.
    new = {"etag": '"v2"'} if validator == "etag" else {"modified": "Thu, 02 May 2024 08:00:00 GMT"}
    site.serve("/story", page("wire_minimal", 2), **new)
    assert run(url, "--db", db).exit_code == 1
    third = run(url, "--db", db)
    assert third.exit_code == 0
    last = site.headers_of("/story")[-1]
    assert last.get("if-none-match" if validator == "etag" else "if-modified-since") == next(iter(new.values()))
    assert query(db, "SELECT version FROM versions ORDER BY id") == [("1",), ("2",)]


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_pages_come_compressed_and_the_request_names_cpsdiff(site, tmp_path, coding):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    site.serve("/story", page("wordpress_tv", 1), compress=coding)
    result = run(url, "--db", db, "--json")
    assert result.exit_code == 1, result.stderr
    headers = site.headers_of("/story")[0]
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["user-agent"].startswith(f"cpsdiff/{__version__} ")
    assert json.loads(result.stdout)["title"].startswith("Boil-water")
    # The archived raw page is the page as served, decompressed.
    with Store(db) as store:
        from cpsdiff.store.pages import archived

        (item,) = archived(store)
    assert item.fetched.data == page("wordpress_tv", 1)


def test_raw_deflate_is_read_and_bad_compression_is_one_error():
    from cpsdiff.errors import InputError
    from cpsdiff.web.fetch import _decoded

    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)  # what some servers send for "deflate"
    raw = compressor.compress(b"A plain article about the bridge.") + compressor.flush()
    assert _decoded("u", raw, "deflate") == b"A plain article about the bridge."
    with pytest.raises(InputError, match=r"^u: the server stopped before the end of the page"):
        _decoded("u", gzip.compress(b"x" * 1000)[:-20], "gzip")
    with pytest.raises(InputError, match=r"^u: its gzip compression is damaged"):
        _decoded("u", b"not gzip at all", "gzip")
    with pytest.raises(InputError, match=r"^u: served with Content-Encoding br, which cpsdiff did not ask for"):
        _decoded("u", b"x", "br")


# -- feeds --------------------------------------------------------------------------------------

def _feeds(base: str) -> dict[str, tuple[str, bytes]]:
    """Malformed feeds of each kind, as servers send them; each lists /a then /b."""
    a, b = f"{base}/a", f"{base}/b"
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{}</channel></rss>'
    return {
        "unescaped ampersand": ("application/rss+xml", rss.format(
            f"<item><title>Tom & Jerry</title><link>{a}</link></item>"
            f"<item><title>Q&A</title><link>{b}</link></item>").encode()),
        "missing closing tags": ("application/rss+xml", (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>one</title><link>{a}</link><item><title>two</title><link>{b}</link>").encode()),
        "cut short": ("application/rss+xml", rss.format(
            f"<item><link>{a}</link></item><item><link>{b}</link></item>").encode()[:-len("</item></channel></rss>")]),
        "declares UTF-16, is UTF-8": ("application/rss+xml", rss.replace('version="1.0"?', 'version="1.0" encoding="utf-16"?')
                                      .format(f"<item><title>Café</title><link>{a}</link></item><item><link>{b}</link></item>")
                                      .encode()),
        "declares UTF-8, is Windows-1252": ("application/rss+xml", rss.format(
            f"<item><title>Zürich’s café</title><link>{a}</link></item><item><link>{b}</link></item>").encode("cp1252")),
        "HTML entities": ("application/rss+xml", rss.format(
            f"<item><title>Caf&eacute;&nbsp;&mdash;</title><link>{a}</link></item><item><link>{b}</link></item>").encode()),
        "RSS 0.91 with its DTD": ("text/xml", (
            '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
            ' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>t</title>'
            f"<item><title>x</title><link>{a}</link></item><item><title>y</title><link>{b}</link></item>"
            "</channel></rss>").encode()),
        "RSS 0.90": ("application/rdf+xml", (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>t</title><link>x</link></channel>'
            f"<item><title>x</title><link>{a}</link></item><item><title>y</title><link>{b}</link></item>"
            "</rdf:RDF>").encode()),
        "RSS 1.0, links in rdf:about only": ("application/rdf+xml", (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel>'
            f'<item rdf:about="{a}"><title>x</title></item><item rdf:about="{b}"><title>y</title></item>'
            "</rdf:RDF>").encode()),
        "Atom, relative links and a self link": ("application/atom+xml", (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<entry><title>x</title><link href="a"/></entry>'
            '<entry><title>y</title><link rel="self" href="/elsewhere"/><link rel="alternate" href="/b"/></entry>'
            "</feed>").encode()),
        "Atom with an unescaped ampersand, cut short": ("application/atom+xml", (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News & more</title>'
            f'<entry><title>x & y</title><link href="{a}"/></entry><entry><link href="{b}"/>').encode()),
        "served as text/html, guid permalinks, CDATA": ("text/html", (
            '<rss version="2.0"><channel>'
            f'<item><guid isPermaLink="true">{a}</guid></item><item><link><![CDATA[ {b} ]]></link></item>'
            "</channel></rss>").encode()),
    }


FEED_KINDS = list(_feeds("http://x"))


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_malformed_feeds_are_read_as_readers_read_them(site, tmp_path, kind):
    site.serve("/a", "Story A: the council met.", PLAIN)
    site.serve("/b", "Story B: the bridge closed.", PLAIN)
    content_type, body = _feeds(site.base)[kind]
    site.serve("/news/feed", body, content_type)
    result = run("--feed", f"{site.base}/news/feed", "--db", str(tmp_path / "t.db"))
    expected = [f"{site.base}/news/a" if "relative" in kind else f"{site.base}/a", f"{site.base}/b"]
    if "relative" in kind:
        site.serve("/news/a", "Story A: the council met.", PLAIN)
        result = run("--feed", f"{site.base}/news/feed", "--db", str(tmp_path / "t2.db"))
    assert (result.exit_code, result.stderr) == (1, ""), result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["new", url] for url in expected]


def test_a_feed_that_declares_entities_is_refused(site, tmp_path):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<rss><channel><item><link>&b;</link></item></channel></rss>")
    site.serve("/feed", bomb, "application/rss+xml")
    result = run("--feed", f"{site.base}/feed", "--db", str(tmp_path / "t.db"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {site.base}/feed: not an RSS or Atom feed cpsdiff reads (it declares XML entities)\n"


def test_a_feed_answering_304_still_has_its_articles_checked(site, tmp_path):
    db = str(tmp_path / "t.db")
    site.serve("/a", "Story A: the council met.", PLAIN)
    site.serve("/feed", f'<rss version="2.0"><channel><item><link>{site.base}/a</link></item></channel></rss>',
               "application/rss+xml", etag='"feed-1"')
    assert run("--feed", f"{site.base}/feed", "--db", db).exit_code == 1
    site.serve("/a", "Story A: the council met, and voted.", PLAIN)  # the article changes, the feed does not
    result = run("--feed", f"{site.base}/feed", "--db", db)
    assert site.headers_of("/feed")[1]["if-none-match"] == '"feed-1"'
    assert (result.exit_code, result.stdout.split()[:3]) == (1, ["changed", f"{site.base}/a", "v2:"])


# -- URL lists ----------------------------------------------------------------------------------

def test_a_url_list_file(site, tmp_path):
    db = str(tmp_path / "t.db")
    for name in ("a", "b", "c"):
        site.serve(f"/{name}", f"Story {name}: something happened.", PLAIN)
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# watched for the council desk\n\n{site.base}/a\n   {site.base}/b   \n# {site.base}/old\n", "utf-8")
    result = run(f"{site.base}/c", "--urls", str(listed), "--db", db)
    assert result.exit_code == 1, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()] == [f"{site.base}/{n}" for n in ("c", "a", "b")]
    from_stdin = run("--urls", "-", "--db", db, "-v", input=f"{site.base}/a\n")
    assert (from_stdin.exit_code, from_stdin.stdout) == (0, f"unchanged {site.base}/a: no change since version 1\n")


@pytest.mark.parametrize(("content", "message"), [
    ("http://x.test/a\nwww.example.com/b\n", "{f}:2: not an http(s) URL: www.example.com/b"),
    ("# nothing but comments\n\n", "give URLs to watch, --urls FILE or --feed URL"),
])
def test_a_bad_url_list_is_one_error_before_any_fetch(tmp_path, content, message):
    listed = tmp_path / "urls.txt"
    listed.write_text(content, "utf-8")
    result = run("--urls", str(listed), "--db", str(tmp_path / "t.db"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"cpsdiff: error: {message.format(f=listed)}\n"
    missing = run("--urls", str(tmp_path / "none.txt"), "--db", str(tmp_path / "t.db"))
    assert missing.stderr == f"cpsdiff: error: {tmp_path / 'none.txt'}: no such file\n"


# -- the archive, changes and reports -----------------------------------------------------------

def test_changes_are_recorded_with_the_counts_compare_gives(site, tmp_path):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    site.serve("/story", page("wire_minimal", 1))
    run(url, "--db", db)
    site.serve("/story", page("wire_minimal", 2))
    tracked = json.loads(run(url, "--db", db, "--json").stdout)
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "cpsdiff" / "schemas" / "track-1.schema.json").read_text())
    jsonschema.validate(tracked, schema)  # a change's summary has reused_share, a share
    site.serve("/v1", page("wire_minimal", 1))
    site.serve("/v2", page("wire_minimal", 2))
    compared = json.loads(CliRunner().invoke(app, ["compare", f"{site.base}/v1", f"{site.base}/v2", "--json"]).stdout)
    rows = query(db, "SELECT url, title, from_version, to_version, new, edited, merged, split, carried, removed,"
                     " boilerplate, moved, words_added, words_removed FROM article_changes")
    counts = ("new", "edited", "merged", "split", "carried", "removed", "boilerplate", "moved", "words_added", "words_removed")
    assert rows == [(url, tracked["title"], "1", "2", *(compared["summary"][name] for name in counts))]
    assert query(db, "SELECT story, versions, changes FROM article_stories") == [(url, 2, 1)]


def test_raw_pages_are_stored_once_per_content(site, tmp_path):
    db = str(tmp_path / "t.db")
    for path in ("/one", "/same-elsewhere"):
        site.serve(path, page("wordpress_tv", 1))
    run(f"{site.base}/one", f"{site.base}/same-elsewhere", "--db", db)
    site.serve("/one", page("wordpress_tv", 2))
    run(f"{site.base}/one", "--db", db)
    site.serve("/one", page("wordpress_tv", 1))  # back to the first text
    run(f"{site.base}/one", "--db", db)
    assert query(db, "SELECT count(*) FROM versions") == [(4,)]
    assert query(db, "SELECT count(*) FROM version_pages") == [(4,)]
    ((count, stored, served),) = query(db, "SELECT count(*), sum(length(data)), sum(size) FROM raw_pages")
    assert count == 2  # four versions, two distinct pages
    assert stored < served / 2  # compressed


def test_reports_of_changes_are_written_with_safe_names(site, tmp_path):
    db, reports = str(tmp_path / "t.db"), tmp_path / "reports" / "today"
    url = f"{site.base}/news/2024/05/market?id=7&x=<y>"
    path = "/news/2024/05/market?id=7&x=%3Cy%3E"
    site.serve(path, page("wire_minimal", 1))
    url = f"{site.base}{path}"
    assert run(url, "--db", db, "--report-dir", str(reports)).exit_code == 1
    assert not reports.exists() or list(reports.iterdir()) == []  # a first version is no change
    site.serve(path, page("wire_minimal", 2))
    assert run(url, "--db", db, "--report-dir", str(reports)).exit_code == 1
    (report,) = reports.iterdir()
    assert report.name.startswith("127.0.0.1-") and report.name.endswith("-v2.html")
    assert set(report.name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
    html = report.read_text("utf-8")
    assert html.lower().startswith("<!doctype html>") and "Brackenbury Market" in html


def test_reextract_reads_archived_pages_again(site, tmp_path, monkeypatch):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    site.serve("/story", page("wire_minimal", 1))
    run(url, "--db", db)
    site.serve("/story", page("wire_minimal", 2))
    run(url, "--db", db)
    nothing = CliRunner().invoke(app, ["reextract", "--db", db, "-v"])
    assert (nothing.exit_code, nothing.stderr) == (0, "")
    assert nothing.stdout == f"unchanged {url} v1: reads the same\nunchanged {url} v2: reads the same\n"

    # The extractor of an older release dropped the last paragraph of every page: stored so.
    import cpsdiff.web.pages

    extract = cpsdiff.web.pages.extract

    def older(html, name):
        from dataclasses import replace

        found = extract(html, name)
        return replace(found, paragraphs=found.paragraphs[:-1])

    before = query(db, "SELECT count(*) FROM paragraphs")[0][0]
    with monkeypatch.context() as patch:
        patch.setattr(cpsdiff.web.pages, "extract", older)
        assert CliRunner().invoke(app, ["reextract", "--db", db]).exit_code == 1
    assert query(db, "SELECT count(*) FROM paragraphs")[0][0] == before - 2
    old_counts = query(db, "SELECT * FROM changes")

    again = CliRunner().invoke(app, ["reextract", "--db", db])
    assert (again.exit_code, again.stderr) == (1, "")
    lines = again.stdout.splitlines()
    assert [line.split()[:3] for line in lines] == [["changed", url, "v1:"], ["changed", url, "v2:"]]
    assert query(db, "SELECT count(*) FROM paragraphs")[0][0] == before
    assert query(db, "SELECT id, story, version FROM versions") == [(1, url, "1"), (2, url, "2")]
    assert query(db, "SELECT * FROM changes") != old_counts  # recounted
    with Store(db, read_only=True) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- politeness ---------------------------------------------------------------------------------

def test_one_request_at_a_time_per_host_several_hosts_at_once():
    import time

    from cpsdiff.web.polite import PoliteFetcher

    both_hosts = threading.Barrier(2, timeout=10)  # broken unless two hosts are fetched at once
    lock, active, log = threading.Lock(), {}, []

    def get(url: str) -> str:
        host = url.split("/")[2]
        with lock:
            active[host] = active.get(host, 0) + 1
            assert active[host] == 1, f"two requests at once to {host}"
        start = time.monotonic()
        if url.endswith("/1"):
            both_hosts.wait()
        time.sleep(0.01)
        end = time.monotonic()
        with lock:
            active[host] -= 1
            log.append((host, start, end))
        return url

    urls = [f"http://{host}/{n}" for n in (1, 2, 3) for host in ("a.test", "b.test")]
    fetcher = PoliteFetcher(get, lambda url: url, delay=0.2)
    assert list(fetcher.map(urls)) == urls  # in the order given
    for host in ("a.test", "b.test"):
        times = sorted((start, end) for h, start, end in log if h == host)
        assert all(later[0] - earlier[1] >= 0.2 for earlier, later in zip(times, times[1:]))


def test_a_failing_request_is_returned_in_its_place():
    from cpsdiff.web.polite import PoliteFetcher

    def get(url: str) -> str:
        if "bad" in url:
            raise ValueError(url)
        return url

    results = list(PoliteFetcher(get, lambda url: url, delay=0).map(["http://a/1", "http://a/bad", "http://b/1"]))
    assert results[0] == "http://a/1" and isinstance(results[1], ValueError) and results[2] == "http://b/1"


def test_the_delay_is_checked(tmp_path):
    result = run("http://127.0.0.1:9/x", "--db", str(tmp_path / "t.db"), "--delay", "-1")
    assert (result.exit_code, result.stderr) == (2, "cpsdiff: error: --delay must be a number of seconds from 0 to 3600, not '-1'\n")


# -- exploring the store ------------------------------------------------------------------------

def test_views_and_search_show_readable_tables(site, tmp_path):
    db, url = str(tmp_path / "t.db"), f"{site.base}/story"
    site.serve("/story", page("wire_minimal", 1))
    run(url, "--db", db)
    site.serve("/story", page("wire_minimal", 2))
    run(url, "--db", db)
    versions = query(db, "SELECT url, title, version, paragraphs, substr(text, 1, 30) FROM article_versions ORDER BY id")
    assert versions[0][:3] == (url, "Brackenbury Market to close for 14 months for roof repairs", "1")
    assert versions[0][4] == "Brackenbury Market to close fo"
    roles = query(db, "SELECT version, number, role, reason IS NOT NULL, in_previous FROM article_paragraphs"
                      " WHERE version = '2' ORDER BY number")
    assert {role for _, _, role, _, _ in roles} == {"reporting", "boilerplate"}
    assert all(has_reason == (role == "boilerplate") for _, _, role, has_reason, _ in roles)
    assert {in_previous for *_, in_previous in roles} == {0, 1}  # some carried over, some not
    assert query(db, "SELECT DISTINCT in_previous FROM article_paragraphs WHERE version = '1'") == [(None,)]
    hits = query(db, "SELECT p.version, p.number FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid"
                     " JOIN article_paragraphs p ON p.text_hash = t.hash WHERE texts_fts MATCH 'roof' ORDER BY 1, 2")
    assert hits and all(version in ("1", "2") for version, _ in hits)
    texts = query(db, "SELECT text FROM article_paragraphs WHERE text_hash IN (SELECT t.hash FROM texts_fts"
                      " JOIN texts t ON t.id = texts_fts.rowid WHERE texts_fts MATCH 'roof')")
    assert texts and all("roof" in text.lower() for (text,) in texts)


def test_without_fts5_the_store_works_without_search(tmp_path, monkeypatch):
    import cpsdiff.store.schema

    monkeypatch.setattr(cpsdiff.store.schema, "search_available", lambda: False)
    monkeypatch.setattr(cpsdiff.store.versions, "search_available", lambda: False)
    db = str(tmp_path / "plain.db")
    (tmp_path / "a.txt").write_text("The council met.\n\nIt voted.", "utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "-q"])
    assert result.exit_code == 0, result.stderr
    assert query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'texts_fts'") == [(0,)]
    assert query(db, "SELECT count(*) FROM article_paragraphs") == [(2,)]
    # A store made with the index, met by a Python without FTS5: one line, nothing written.
    indexed = str(tmp_path / "indexed.db")
    monkeypatch.undo()
    CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", indexed, "-q"])
    monkeypatch.setattr(cpsdiff.store.versions, "search_available", lambda: False)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", indexed, "-q"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"cpsdiff: error: {indexed}: the store has a full-text index (FTS5), which this Python's"
                             " SQLite cannot update: use a Python whose sqlite3 module has FTS5\n")
