"""Make a schema-2 store with an earlier release of cpsdiff, for the upgrade tests.

    git archive 805bad2 | tar -x -C /tmp/old   # or 1d8819a, the last release before schema 3
    python tests/stores/make_schema2_store.py /tmp/old tests/stores/schema2-805bad2.db

The store gets schema2_corpus.jsonl (accents, mojibake and curly quotes: the text whose
normalised keys changed after 805bad2) by `cpsdiff ingest`, and two versions of a page by
`cpsdiff track` from a server on 127.0.0.1 (versions with a URL and a title, as track stores them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE.parent.parent / "fixtures" / "html" / "wire_minimal"


def main(checkout: str, out: str) -> None:
    served = {"body": (PAGES / "v1.html").read_bytes()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(served["body"])))
            self.end_headers()
            self.wfile.write(served["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "PYTHONPATH": os.path.abspath(checkout)}
    out = os.path.abspath(out)
    cpsdiff = [sys.executable, "-m", "cpsdiff"]
    run = {"env": env, "cwd": HERE}  # not the repository: python -m would import its cpsdiff
    try:
        subprocess.run([*cpsdiff, "ingest", "schema2_corpus.jsonl", "--db", out, "-q"], check=True, **run)
        url = f"http://127.0.0.1:{server.server_address[1]}/market"
        subprocess.run([*cpsdiff, "track", url, "--db", out, "-q"], check=False, **run)
        served["body"] = (PAGES / "v2.html").read_bytes()
        subprocess.run([*cpsdiff, "track", url, "--db", out, "-q"], check=False, **run)
    finally:
        server.shutdown()
    import sqlite3

    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    db.execute("PRAGMA page_size=1024")  # a small file to keep in the repository
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
