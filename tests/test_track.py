"""`cpsdiff track` against a real HTTP server on 127.0.0.1 that serves changing versions."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cpsdiff.cli import app
from cpsdiff.store import Store

pytest.importorskip("trafilatura")

HTML = Path(__file__).parent.parent / "fixtures" / "html"
SCHEMA = json.loads((Path(__file__).parent.parent / "cpsdiff" / "schemas" / "track-1.schema.json").read_text())


class Site:
    """Pages by path, changeable between requests: (status, content type, body)."""

    def __init__(self):
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []

    def serve(self, path: str, body: bytes | str, kind: str = "text/html; charset=utf-8", status: int = 200) -> None:
        self.pages[path] = (status, kind, body.encode() if isinstance(body, str) else body)


@pytest.fixture
def site():
    pages = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            pages.requests.append(self.path)
            status, kind, body = pages.pages.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield pages
    server.shutdown()
    server.server_close()


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
    monkeypatch.setattr("cpsdiff.fetch.TIMEOUT", 0.5)
    try:
        result = run(f"http://127.0.0.1:{port}/slow", "--db", str(tmp_path / "t.db"))
    finally:
        listener.close()
    assert result.exit_code == 2
    assert "no answer within 0.5 s" in result.stderr or "timed out" in result.stderr


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
