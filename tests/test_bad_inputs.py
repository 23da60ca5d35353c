"""Bad inputs and faults, each run through the real CLI (`python -m cpsdiff` in its own process):
missing, odd and undecodable files, malformed JSON Lines and rules files, bad option values,
damaged stores, URLs and servers that misbehave, output that cannot be written, odd terminals
and locales. What every case must show is in bad_input_runner; adding a case is adding a row
to CASES (and, when it needs one, a file to FILES or a page to faulty_server).

The cases run in a small thread pool when the module's fixture first asks for them, so that the
whole table takes a fraction of its serial time; each test then checks its own case.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from .bad_input_runner import TIMEOUT, Case, Outcome, check, err, help_shown, ok, run_case, usage
from .conftest import ROOT
from .faulty_server import IMAGE as PNG
from .faulty_server import faulty_server

WORKERS = 4  # cases run at once (the machine has 2 cores; most of a case is waiting)
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

OLD = (
    "Council approves the budget\n\n"
    "The city council voted 7-2 on Tuesday to approve the budget for next year.\n\n"
    "Mayor Ann Lee said she was pleased with the result. “It is a good day,” she said.\n\n"
    "The budget adds money for roads and parks.\n"
)
NEW = (
    "Council approves the budget\n\n"
    "The city council voted 6-3 on Tuesday to approve the budget for next year.\n\n"
    "Mayor Ann Lee said she was very pleased with the result. “It is a good day,” she said.\n\n"
    "The budget adds money for roads and parks.\n\n"
    "Two members said they would vote against it again.\n"
)
UNI_OLD = (
    "Café “Zürich” reopens — 北京 visitors welcome 😀\n\n"
    "The owner, Zoë Ångström, said the façade cost €12,000. ‘Worth it,’ she said.\n\n"
    "Греческий салат and naïve coöperation remain on the menu.\n"
)
UNI_NEW = UNI_OLD.replace("€12,000", "€15,000") + "\nΑθήνα: a new branch opens in spring.\n"
RECORDS = [
    {"story": "budget", "version": 1, "published": "2021-01-29T10:00:00+00:00", "text": OLD},
    {"story": "budget", "version": 2, "published": "2021-01-29T12:00:00+00:00", "text": NEW},
    {"story": "café", "version": 1, "published": "2021-01-30T09:00:00+01:00", "text": UNI_OLD},
]


def _line(record) -> str:
    return json.dumps(record, ensure_ascii=False)


GOOD_JSONL = "\n".join(_line(r) for r in RECORDS) + "\n"
TEXT_RECORD = '{"text": "The council voted on Tuesday. The mayor was pleased."'


def _big(edited: bool) -> str:
    """Far more output than a pipe holds: for readers that go away."""
    paragraphs = [f"Paragraph {n} says the council met on day {n} and voted on item {n}." for n in range(1500)]
    if edited:
        paragraphs = [p.replace("voted", "did not vote") if n % 7 == 0 else p for n, p in enumerate(paragraphs)]
    return "\n\n".join(paragraphs) + "\n"


def _page_with_json_ld(data: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in OLD.split("\n\n")[1:])
    return (f'<!doctype html><html><head><script type="application/ld+json">{data}</script></head>'
            f"<body><article>{paragraphs}</article></body></html>")


def _rules(body: str) -> bytes:
    return body.encode("utf-8")


# Files of the workspace: name → bytes. Directories, links, FIFOs and stores are made in build_workspace.
FILES: dict[str, bytes] = {
    "old.txt": OLD.encode(),
    "new.txt": NEW.encode(),
    "same.txt": OLD.encode(),
    "uni_old.txt": UNI_OLD.encode(),
    "uni_new.txt": UNI_NEW.encode(),
    "crlf.txt": OLD.replace("\n", "\r\n").encode(),
    "cr.txt": OLD.replace("\n", "\r").encode(),
    "bom.txt": codecs.BOM_UTF8 + OLD.encode(),
    "nbsp.txt": OLD.replace(" ", "\u00a0").encode(),
    "tabs.txt": OLD.replace(" ", "\t").encode(),
    "utf16_bom.txt": OLD.encode("utf-16"),
    "utf16be_bom.txt": codecs.BOM_UTF16_BE + OLD.encode("utf-16-be"),
    "utf16_nobom.txt": OLD.encode("utf-16-le"),
    "utf16_nobom_new.txt": NEW.encode("utf-16-le"),
    "utf32_bom.txt": OLD.encode("utf-32"),
    "utf16_odd.txt": OLD.encode("utf-16") + b"\x00",
    "cp1252.txt": OLD.encode("cp1252"),
    "cp1252_new.txt": NEW.encode("cp1252"),
    "latin1_bad.txt": b"Caf\xe9 \xabZ\xfcrich\xbb reopens.\n\nThe owner said the fa\xe7ade was new.\n",
    "empty.txt": b"",
    "blank.txt": " \n\r\n\t  \n\u00a0\n".encode(),
    "invisible.txt": "\u200b\ufeff\u00ad\u2060\n".encode(),
    "png.txt": PNG,
    "image.png": PNG,
    "nul.txt": OLD.encode()[:40] + b"\x00" + OLD.encode()[40:],
    "zeros.txt": bytes(65536),
    "controls.txt": (OLD + "\nA \x1b[31mred\x1b[0m word, a bell\x07 and a back\x08space.\n").encode(),
    "markup.txt": (OLD + "\n[bold red]Not markup[/bold red] :fire: [i]x[/i] [link=file:///etc/passwd]y[/link]\n").encode(),
    "one_line.txt": (" ".join(f"Sentence {n} of a page without paragraph breaks." for n in range(4000))).encode(),
    "one_line2.txt": (" ".join(f"Sentence {n} of a page without {'any ' if n == 2000 else ''}paragraph breaks." for n in range(4000))).encode(),
    "huge_old.txt": " ".join(f"w{n % 9973}" for n in range(400_000)).encode(),  # 2.3 MB, one sentence
    "huge_new.txt": " ".join(f"w{n % 9973}" for n in range(400_000)).replace("w17 ", "w17x ", 3).encode(),
    "one_word.txt": b"a" * 200_000,
    "one_word2.txt": b"a" * 100_000 + b"b" + b"a" * 99_999,
    "big_old.txt": _big(False).encode(),
    "big_new.txt": _big(True).encode(),
    "-dash.txt": OLD.encode(),
    "é 😀 \u202eevil.txt": OLD.encode(),
    "a\nnewline.txt": OLD.encode(),
    "page.html": (
        "<!doctype html><html><head><title>Council approves the budget</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in OLD.split("\n\n")[1:])
        + "</article></body></html>"
    ).encode(),
    "not_a_page.html": b"<html><head><title>x</title></head><body></body></html>",
    "deep_divs.html": ("<html><body>" + "<div>" * 100_000 + OLD + "</div>" * 100_000 + "</body></html>").encode(),
    "deep_bold.html": ("<html><body><p>" + "<b>" * 5000 + OLD + "</b>" * 5000 + "</p></body></html>").encode(),
    "many_paragraphs.html": ("<html><body>" + "".join(f"<p>Paragraph {n} says a thing.</p>" for n in range(5_000)) + "</body></html>").encode(),
    "ld_graph_number.html": (_page_with_json_ld('{"@graph": 5, "datePublished": ["2021"]}')).encode(),
    "ld_deep.html": (_page_with_json_ld("[" * 100_000 + "]" * 100_000)).encode(),
    "ld_numbers.html": (_page_with_json_ld('{"datePublished": 1e999, "dateModified": ' + "9" * 5000 + "}")).encode(),
    # JSON Lines
    "good.jsonl": GOOD_JSONL.encode(),
    "good_crlf.jsonl": GOOD_JSONL.replace("\n", "\r\n").encode(),
    "good_bom.jsonl": codecs.BOM_UTF8 + GOOD_JSONL.encode(),
    "good_blank_lines.jsonl": ("\n\n   \n" + GOOD_JSONL.replace("\n", "\n\n\t\n")).encode(),
    "dup_keys.jsonl": b'{"text": "Not this one.", "text": "The council voted on Tuesday. The mayor was pleased."}\n',
    "extra_fields.jsonl": (TEXT_RECORD + ', "tags": {"a": [1, 2.5, null, true]}, "note": "\\u001b[31m"}\n').encode(),
    "version_4000_digits.jsonl": (TEXT_RECORD + f', "version": {"9" * 4000}}}\n').encode(),
    "version_5000_digits.jsonl": (TEXT_RECORD + f', "version": {"9" * 5000}}}\n').encode(),
    "extra_5000_digits.jsonl": (TEXT_RECORD + f', "count": {"9" * 5000}}}\n').encode(),
    "version_inf.jsonl": (TEXT_RECORD + ', "version": 1e999}\n').encode(),
    "extra_nan.jsonl": (TEXT_RECORD + ', "score": NaN}\n').encode(),
    "extra_infinity.jsonl": (TEXT_RECORD + ', "score": -Infinity}\n').encode(),
    "extra_1e999.jsonl": (TEXT_RECORD + ', "score": 1e999}\n').encode(),
    "deep.jsonl": (TEXT_RECORD + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}\n").encode(),
    "bad_json.jsonl": b'{"text": "The council voted.",\n',
    "trailing_garbage.jsonl": (TEXT_RECORD + "} and more\n").encode(),
    "array.jsonl": b'["The council voted."]\n',
    "scalars.jsonl": b'42\n"text"\nnull\n',
    "missing_text.jsonl": b'{"story": "budget"}\n',
    "text_null.jsonl": b'{"text": null}\n',
    "text_number.jsonl": b'{"text": 42}\n',
    "text_list.jsonl": b'{"text": ["The council voted."]}\n',
    "text_blank.jsonl": b'{"text": " \\n\\t "}\n',
    "story_object.jsonl": (TEXT_RECORD + ', "story": {"id": 1}}\n').encode(),
    "version_list.jsonl": (TEXT_RECORD + ', "version": [1]}\n').encode(),
    "ts_words.jsonl": (TEXT_RECORD + ', "published": "yesterday"}\n').encode(),
    "ts_number.jsonl": (TEXT_RECORD + ', "published": 1611950000}\n').encode(),
    "ts_naive.jsonl": (TEXT_RECORD + ', "published": "2021-01-29T10:00:00"}\n').encode(),
    "ts_month13.jsonl": (TEXT_RECORD + ', "published": "2021-13-01T10:00:00+00:00"}\n').encode(),
    "ts_extremes.jsonl": (
        TEXT_RECORD + ', "published": "0001-01-01T00:00:00+14:00"}\n'
        '{"text": "The council voted on Tuesday. The mayor was pleased. She said more.", "published": "9999-12-31T23:59:59-14:00"}\n'
    ).encode(),
    "bom_second_line.jsonl": (TEXT_RECORD + "}\n").encode() + codecs.BOM_UTF8 + (TEXT_RECORD + "}\n").encode(),
    "bad_utf8.jsonl": b'{"text": "Caf\xe9 reopens on Tuesday."}\n',
    "nul.jsonl": b'{"text": "The council\x00 voted."}\n',
    "utf16.jsonl": (TEXT_RECORD + "}\n").encode("utf-16"),
    "only_blank.jsonl": b"\n  \n\t\n",
    "empty.jsonl": b"",
    "text_and_html.jsonl": b'{"text": "The council voted.", "html": "<p>The council voted.</p>"}\n',
    "html_number.jsonl": b'{"html": 42}\n',
    "html_plain_text.jsonl": b'{"html": "The council voted on Tuesday. The mayor was pleased with it."}\n',
    "html_empty.jsonl": b'{"html": ""}\n',
    "html_no_article.jsonl": b'{"html": "<html><head><title>x</title></head><body><nav>Home</nav></body></html>"}\n',
    "html_garbage.jsonl": (
        '{"html": "' + "<div><p>" * 2000 + "\\u0000<<>>&&&;;<!--" + "</b>" * 500 + '"}\n'
    ).encode(),
    # rules files
    "rules_ok.toml": _rules('[[rule]]\nname = "promo"\npattern = "^Subscribe"\nwhere = "any"\n'),
    "rules_empty.toml": b"",
    "rules_bad_toml.toml": _rules('[[rule]\nname = "x"\n'),
    "rules_latin1.toml": b'[[rule]]\nname = "caf\xe9"\npattern = "x"\n',
    "rules_unknown_top.toml": _rules('[rules]\nname = "x"\n'),
    "rules_unknown_key.toml": _rules('[[rule]]\nname = "x"\npattern = "x"\ncolour = "red"\n'),
    "rules_rule_string.toml": _rules('rule = "everything"\n'),
    "rules_rule_ints.toml": _rules("rule = [1, 2]\n"),
    "rules_name_int.toml": _rules('[[rule]]\nname = 5\npattern = "x"\n'),
    "rules_no_pattern.toml": _rules('[[rule]]\nname = "x"\n'),
    "rules_bad_where.toml": _rules('[[rule]]\nname = "x"\npattern = "x"\nwhere = "middle"\n'),
    "rules_max_words_bool.toml": _rules('[[rule]]\nname = "x"\npattern = "x"\nmax_words = true\n'),
    "rules_max_words_str.toml": _rules('[[rule]]\nname = "x"\npattern = "x"\nmax_words = "ten"\n'),
    "rules_bad_regex.toml": _rules('[[rule]]\nname = "x"\npattern = "(unclosed"\n'),
    "rules_deep_regex.toml": _rules('[[rule]]\nname = "x"\npattern = "' + "(" * 5000 + "a" + ")" * 5000 + '"\n'),
    "rules_catastrophic.toml": _rules('[[rule]]\nname = "slow"\npattern = "^(a|aa)+$"\n'),
    "rules_huge_repeat.toml": _rules('[[rule]]\nname = "huge"\npattern = "a{1000000000}"\n'),
    "rules_nested_repeat.toml": _rules('[[rule]]\nname = "nested"\npattern = "(?:(?:ab){1000}){1000}"\n'),
    "rules_literal_braces.toml": _rules("[[rule]]\nname = 'braces'\npattern = '\\{999999\\}|[{]999999[}]|\\p{Lu}{2}|\\N{EM DASH}{2}|x{,3}|(?#{999999})'\n"),
    "rules_matches_all.toml": _rules('[[rule]]\nname = "all"\npattern = ""\nreason = "{missing} everything"\n'),
    "slow_text.txt": ("Title of the story\n\n" + "a" * 40 + "!\n\nThe council voted on Tuesday.\n").encode(),
}


DAMAGE = {
    "extra_not_json.db": "UPDATE versions SET extra = '{not json' WHERE id = 2",
    "extra_a_list.db": "UPDATE versions SET extra = '[1, 2]'",
    "time_garbage.db": "UPDATE versions SET time = 'yesterday', epoch = NULL WHERE id = 1",
    "text_missing.db": "DELETE FROM texts",
    "table_dropped.db": "DROP TABLE sketches",
    # (SQLite drops no column a view reads: the store's views for people go first)
    "column_dropped.db": "DROP VIEW article_versions; DROP VIEW article_changes; DROP VIEW article_stories;"
                         " DROP VIEW article_paragraphs; ALTER TABLE versions DROP COLUMN extra",
    "boilerplate_dropped.db": "DROP VIEW article_paragraphs; ALTER TABLE paragraphs DROP COLUMN boilerplate",
    "sentences_missing.db": "DELETE FROM distinct_sentences",
}


def build_workspace(root: Path) -> None:
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    (root / "dir").mkdir()
    (root / "dir" / "a.txt").write_text(OLD, "utf-8")
    (root / "dir" / "b.txt").write_text(NEW, "utf-8")
    (root / "emptydir").mkdir()
    (root / "fifodir").mkdir()
    (root / "fifodir" / "a.txt").write_text(OLD, "utf-8")
    (root / "fifodir" / "b.txt").write_text(NEW, "utf-8")
    os.mkfifo(root / "fifodir" / "waiting.txt")  # nobody ever writes it
    os.mkfifo(root / "fifo.toml")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "dangling.txt").symlink_to("nowhere.txt")
    (root / "link_old.txt").symlink_to("old.txt")
    (root / "locked.txt").write_text(OLD, "utf-8")
    (root / "locked.txt").chmod(0)
    # stores
    (root / "notdb.db").write_text("this is not a database\n", "utf-8")
    (root / "empty.db").write_bytes(b"")
    (root / "dir.db").mkdir()
    os.mkfifo(root / "fifo.db")
    other = sqlite3.connect(root / "other_app.db")
    other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    other.execute("INSERT INTO contacts VALUES ('Ann', '555')")
    other.commit()
    other.close()
    made = subprocess.run(
        [sys.executable, "-m", "cpsdiff", "ingest", "good.jsonl", "uni_old.txt", "uni_new.txt", "--db", "store.db", "-q"],
        cwd=root, capture_output=True, timeout=120,
    )
    assert made.returncode == 0, made.stderr
    store = (root / "store.db").read_bytes()
    assert len(store) > 16384
    made = subprocess.run(  # every version with a time: lineage --db takes the store's own path
        [sys.executable, "-m", "cpsdiff", "ingest", "good.jsonl", "--db", "timed.db", "-q"],
        cwd=root, capture_output=True, timeout=120,
    )
    assert made.returncode == 0, made.stderr
    timed = (root / "timed.db").read_bytes()
    for name, change in DAMAGE.items():  # valid SQLite, changed behind cpsdiff's back
        (root / name).write_bytes(timed)
        damaged = sqlite3.connect(root / name)
        damaged.executescript(change)
        damaged.commit()
        damaged.close()
    (root / "truncated.db").write_bytes(store[: len(store) // 3])
    # Noise over the middle half: pages lineage reads whatever the order of the tables in the file.
    quarter = len(store) // 4
    (root / "corrupt.db").write_bytes(store[:quarter] + bytes(range(256)) * (len(store) // 512) + store[3 * quarter :])


# --- cases ------------------------------------------------------------------------------------

W = "{w}"
O, N, U1, U2 = f"{W}/old.txt", f"{W}/new.txt", f"{W}/uni_old.txt", f"{W}/uni_new.txt"
BIG = (f"{W}/big_old.txt", f"{W}/big_new.txt")
STORE = f"{W}/store.db"
ASCII = {"PYTHONIOENCODING": "ascii"}
NOT_ROOT = "runs as root, which may read any file" if IS_ROOT else ""

INPUT_FILES = [
    # missing, odd and special files
    err("missing", "compare", f"{W}/nope.txt", N, says="nope.txt: no such file"),
    err("missing-new", "compare", O, f"{W}/nope.txt", says="no such file"),
    err("directory", "compare", f"{W}/dir", N, says="is a directory"),
    err("empty", "compare", f"{W}/empty.txt", N, says="empty input"),
    err("whitespace-only", "compare", f"{W}/blank.txt", N, says="empty input"),
    err("invisible-only", "compare", f"{W}/invisible.txt", N, says="empty input"),
    err("png-bytes", "compare", f"{W}/png.txt", N, says="binary data"),
    err("png-file", "compare", f"{W}/image.png", N, says="binary data"),
    err("nul-byte", "compare", f"{W}/nul.txt", N, says="binary data"),
    err("zeros", "compare", f"{W}/zeros.txt", N, says="binary data"),
    err("dev-null", "compare", "/dev/null", N, says="empty input"),
    err("invalid-utf8", "compare", f"{W}/latin1_bad.txt", N, says="not valid UTF-8"),
    ok("cp1252-with-encoding", "compare", f"{W}/cp1252.txt", f"{W}/cp1252_new.txt", "--encoding", "cp1252"),
    ok("utf16-bom", "compare", f"{W}/utf16_bom.txt", O, "-q", status=(0,), quiet=True),
    ok("utf16be-bom", "compare", f"{W}/utf16be_bom.txt", O, "-q", status=(0,), quiet=True),
    ok("utf32-bom", "compare", f"{W}/utf32_bom.txt", O, "-q", status=(0,), quiet=True),
    err("utf16-without-bom", "compare", f"{W}/utf16_nobom.txt", N, says="binary data"),
    ok("utf16-without-bom-named", "compare", f"{W}/utf16_nobom.txt", f"{W}/utf16_nobom_new.txt", "--encoding", "utf-16-le"),
    err("utf16-odd-length", "compare", f"{W}/utf16_odd.txt", N, says="not valid UTF-16"),
    ok("crlf", "compare", f"{W}/crlf.txt", O, "-q", status=(0,), quiet=True),
    ok("cr-only", "compare", f"{W}/cr.txt", O, "-q", status=(0,), quiet=True),
    ok("utf8-bom", "compare", f"{W}/bom.txt", O, "-q", status=(0,), quiet=True),
    ok("nbsp", "compare", "-v", f"{W}/nbsp.txt", O, status=(0, 1)),  # -v: identical ones say so
    ok("tabs", "compare", "-v", f"{W}/tabs.txt", O, status=(0, 1)),
    ok("control-characters", "compare", O, f"{W}/controls.txt", "--color", "never", lacks="\x1b"),
    ok("rich-markup-in-text", "compare", O, f"{W}/markup.txt", "--color", "always", says="[bold red]Not markup[/bold red] :fire:"),
    ok("one-huge-line", "compare", f"{W}/one_line.txt", f"{W}/one_line2.txt", "--stat"),
    ok("one-huge-word", "compare", f"{W}/one_word.txt", f"{W}/one_word2.txt", "--json", json=True),
    ok("huge-line-lineage", "lineage", f"{W}/one_line.txt", f"{W}/one_line2.txt", "--jsonl", json=True),
    ok("symlink", "compare", f"{W}/link_old.txt", O, "-q", status=(0,), quiet=True),
    err("symlink-loop", "compare", f"{W}/loop1", N, says="loop1"),
    err("dangling-symlink", "compare", f"{W}/dangling.txt", N, says="no such file"),
    err("file-as-directory", "compare", f"{W}/old.txt/x.txt", N, says="old.txt/x.txt"),
    err("name-too-long", "compare", f"{W}/{'a' * 300}.txt", N, says="aaaa"),
    err("read-fails", "compare", "/proc/self/mem", N, says="/proc/self/mem"),
    err("unreadable", "compare", f"{W}/locked.txt", N, says="permission denied", skip=NOT_ROOT),
    ok("fifo-with-writer", "compare", "{tmp}/fifo.txt", N, fifo_writer="old.txt"),
    ok("dev-stdin", "compare", "/dev/stdin", N, stdin=OLD.encode()),
    ok("dash-file-after-double-dash", "compare", "-q", "--", f"{W}/-dash.txt", O, status=(0,), quiet=True),
    ok("odd-unicode-name", "compare", f"{W}/é 😀 \u202eevil.txt", N, "--jsonl", json=True),
    ok("odd-unicode-name-terminal", "compare", f"{W}/é 😀 \u202eevil.txt", N, lacks="\u202e"),
    ok("newline-in-name", "compare", f"{W}/a\nnewline.txt", N, "--json", json=True),
    ok("newline-in-name-lineage", "lineage", f"{W}/a\nnewline.txt", N, "--json", json=True),
    err("newline-in-missing-name", "compare", f"{W}/two\nlines.txt", N, says="no such file"),
    err("escape-in-missing-name", "compare", f"{W}/\x1b[2J\x1b[31mred.txt", N, says="no such file"),
    ok("html-page", "compare", f"{W}/page.html", N, status=(0, 1)),
    # Past libxml2's depth limit the text may be lost: read, or refused with a clear error
    Case("html-nested-100000-deep", ("compare", f"{W}/deep_divs.html", N, "--stat"), "either", status=(1, 2)),
    Case("html-bold-5000-deep", ("lineage", f"{W}/deep_bold.html", N, "--jsonl"), "either", status=(1, 2)),
    ok("html-5000-paragraphs", "compare", f"{W}/many_paragraphs.html", N, "--stat"),
    ok("html-json-ld-graph-not-a-list", "compare", f"{W}/ld_graph_number.html", N, "--stat"),
    ok("html-json-ld-deep", "compare", f"{W}/ld_deep.html", N, "--stat"),
    ok("html-json-ld-numbers", "lineage", f"{W}/ld_numbers.html", N, "--json", json=True),
    err("html-without-article", "compare", f"{W}/not_a_page.html", N, says="not_a_page.html"),
    ok("same-file-twice", "compare", O, O, "-q", status=(0,), quiet=True),
    # stdin
    err("dash-twice", "compare", "-", "-", says="only one of OLD and NEW"),
    err("stdin-empty", "compare", "-", N, stdin=b"", says="<stdin>: empty input"),
    err("stdin-closed", "compare", "-", N, stdin="closed", says="<stdin>: empty input"),
    err("stdin-unreadable", "compare", "-", N, stdin="write-only", says="<stdin>: cannot read"),
    err("stdin-unreadable-lineage", "lineage", "-", stdin="write-only", says="<stdin>: cannot read"),
    err("stdin-binary", "compare", N, "-", stdin=PNG, says="<stdin>: binary data"),
    err("stdin-invalid-utf8", "compare", N, "-", stdin=b"caf\xe9 \xff\xfe\n", says="not valid UTF-8"),
    ok("stdin-text", "compare", "-", N, stdin=OLD.encode()),
    err("lineage-dash-twice", "lineage", "-", "-", stdin=GOOD_JSONL, says="only once"),
    ok("lineage-stdin-jsonl", "lineage", "-", "--json", stdin=GOOD_JSONL, json=True),
    err("lineage-stdin-empty", "lineage", "-", stdin=b"", says="empty input"),
    err("blame-stdin-closed", "blame", "-", O, stdin="closed", says="empty input"),
    err("ingest-stdin-closed", "ingest", "-", "--db", "{tmp}/s.db", stdin="closed", says="empty input"),
    # directories and globs
    ok("lineage-directory", "lineage", f"{W}/dir", "--jsonl", json=True),
    err("lineage-empty-directory", "lineage", f"{W}/emptydir", says="holds no"),
    ok("lineage-directory-with-fifo", "lineage", f"{W}/fifodir", "--jsonl", json=True),
    ok("lineage-glob-with-fifo", "lineage", f"{W}/fifodir/*.txt", "--jsonl", json=True),
    err("lineage-glob-no-match", "lineage", f"{W}/*.nothing", says="no files match"),
    err("lineage-same-file-twice", "lineage", f"{W}/good.jsonl", f"{W}/good.jsonl", says="given twice"),
    err("blame-directory", "blame", f"{W}/dir", says="blame needs one"),
    ok("blame-fine", "blame", N, O, "--json", json=True),
    ok("lineage-one-version", "lineage", O, "--json", status=(0,), json=True),
]

JSONL = [
    ok("jsonl-good", "lineage", f"{W}/good.jsonl", "--json", json=True),
    ok("jsonl-crlf", "lineage", f"{W}/good_crlf.jsonl", "--jsonl", json=True),
    ok("jsonl-bom", "lineage", f"{W}/good_bom.jsonl", "--jsonl", json=True),
    ok("jsonl-bom-stdin", "lineage", "-", "--jsonl", stdin=codecs.BOM_UTF8 + GOOD_JSONL.encode(), json=True),
    ok("jsonl-blank-lines", "lineage", f"{W}/good_blank_lines.jsonl", "--jsonl", json=True),
    ok("jsonl-duplicate-keys", "lineage", f"{W}/dup_keys.jsonl", "--json", status=(0,), json=True, lacks="Not this one"),
    ok("jsonl-extra-fields", "lineage", f"{W}/extra_fields.jsonl", "--json", status=(0,), json=True),
    ok("jsonl-4000-digit-version", "lineage", f"{W}/version_4000_digits.jsonl", "--json", status=(0,), json=True),
    ok("jsonl-extreme-timestamps", "lineage", f"{W}/ts_extremes.jsonl", "--json", json=True),
    ok("jsonl-extreme-timestamps-ingest", "ingest", f"{W}/ts_extremes.jsonl", "--db", "{tmp}/s.db", status=(0,), quiet=True),
    err("jsonl-bad-json", "lineage", f"{W}/bad_json.jsonl", says="bad_json.jsonl:1: not valid JSON"),
    err("jsonl-trailing-garbage", "lineage", f"{W}/trailing_garbage.jsonl", says="not valid JSON"),
    err("jsonl-array", "lineage", f"{W}/array.jsonl", says="must be a JSON object"),
    err("jsonl-scalars", "lineage", f"{W}/scalars.jsonl", says="must be a JSON object"),
    err("jsonl-missing-text", "lineage", f"{W}/missing_text.jsonl", says="has no 'text'"),
    err("jsonl-text-null", "lineage", f"{W}/text_null.jsonl", says="text"),
    err("jsonl-text-number", "lineage", f"{W}/text_number.jsonl", says="'text' must be a string"),
    err("jsonl-text-list", "lineage", f"{W}/text_list.jsonl", says="'text' must be a string"),
    err("jsonl-text-blank", "lineage", f"{W}/text_blank.jsonl", says="empty 'text'"),
    err("jsonl-story-object", "lineage", f"{W}/story_object.jsonl", says="'story'"),
    err("jsonl-version-list", "lineage", f"{W}/version_list.jsonl", says="'version'"),
    err("jsonl-version-infinite", "lineage", f"{W}/version_inf.jsonl", says="version_inf.jsonl:1: not valid JSON"),
    err("jsonl-version-5000-digits", "lineage", f"{W}/version_5000_digits.jsonl", says="version_5000_digits.jsonl:1: a number with more than"),
    err("jsonl-extra-5000-digits", "ingest", f"{W}/extra_5000_digits.jsonl", "--db", "{tmp}/s.db", says="extra_5000_digits.jsonl:1"),
    err("jsonl-nan", "lineage", f"{W}/extra_nan.jsonl", "--json", says="extra_nan.jsonl:1: not valid JSON"),
    err("jsonl-infinity", "ingest", f"{W}/extra_infinity.jsonl", "--db", "{tmp}/s.db", says="extra_infinity.jsonl:1: not valid JSON"),
    err("jsonl-1e999", "lineage", "-", "--jsonl", stdin=FILES["extra_1e999.jsonl"], says="<stdin>:1: not valid JSON"),
    err("jsonl-deep-nesting", "lineage", f"{W}/deep.jsonl", says="deep.jsonl:1"),
    err("jsonl-deep-nesting-ingest", "ingest", f"{W}/deep.jsonl", "--db", "{tmp}/s.db", says="deep.jsonl:1"),
    err("jsonl-timestamp-words", "lineage", f"{W}/ts_words.jsonl", says="not an ISO 8601 timestamp"),
    err("jsonl-timestamp-number", "lineage", f"{W}/ts_number.jsonl", says="ISO 8601 string"),
    err("jsonl-timestamp-naive", "lineage", f"{W}/ts_naive.jsonl", says="time zone"),
    err("jsonl-timestamp-month-13", "lineage", f"{W}/ts_month13.jsonl", says="not an ISO 8601 timestamp"),
    err("jsonl-bom-on-second-line", "lineage", f"{W}/bom_second_line.jsonl", says="bom_second_line.jsonl:2"),
    err("jsonl-invalid-utf8", "lineage", f"{W}/bad_utf8.jsonl", says="cannot decode"),
    err("jsonl-nul", "lineage", f"{W}/nul.jsonl", says="nul.jsonl:1"),
    err("jsonl-utf16", "lineage", f"{W}/utf16.jsonl", says="utf16.jsonl:1"),
    err("jsonl-only-blank-lines", "lineage", f"{W}/only_blank.jsonl", says="no records"),
    err("jsonl-empty", "ingest", f"{W}/empty.jsonl", "--db", "{tmp}/s.db", says="empty input"),
    err("jsonl-text-and-html", "lineage", f"{W}/text_and_html.jsonl", says="both 'text' and 'html'"),
    err("jsonl-html-number", "lineage", f"{W}/html_number.jsonl", says="'html' must be a string"),
    err("jsonl-html-plain-text", "lineage", f"{W}/html_plain_text.jsonl", "--json", says="no article text"),
    err("jsonl-html-empty", "lineage", f"{W}/html_empty.jsonl", says="html_empty.jsonl:1"),
    err("jsonl-html-no-article", "lineage", f"{W}/html_no_article.jsonl", says="html_no_article.jsonl:1"),
    err("jsonl-html-garbage", "lineage", f"{W}/html_garbage.jsonl", "--json", says="no article text"),
    err("jsonl-bad-encoding-name", "lineage", f"{W}/good.jsonl", "--encoding", "no-such-codec", says="no-such-codec"),
    err("blame-jsonl-several", "blame", f"{W}/good.jsonl", says="blame needs one"),
]

RULES = [
    ok("rules-fine", "compare", O, N, "--rules", f"{W}/rules_ok.toml", "--stat"),
    ok("rules-empty-file", "compare", O, N, "--rules", f"{W}/rules_empty.toml", "--stat"),
    ok("rules-dev-null", "compare", O, N, "--rules", "/dev/null", "--stat"),
    err("rules-missing", "compare", O, N, "--rules", f"{W}/nope.toml", says="nope.toml"),
    err("rules-directory", "compare", O, N, "--rules", f"{W}/dir", says="dir"),
    err("rules-bad-toml", "compare", O, N, "--rules", f"{W}/rules_bad_toml.toml", says="not a valid TOML"),
    err("rules-not-utf8", "compare", O, N, "--rules", f"{W}/rules_latin1.toml", says="rules_latin1.toml"),
    err("rules-binary", "compare", O, N, "--rules", f"{W}/png.txt", says="png.txt"),
    err("rules-unknown-top-key", "compare", O, N, "--rules", f"{W}/rules_unknown_top.toml", says="unknown key 'rules'"),
    err("rules-unknown-rule-key", "compare", O, N, "--rules", f"{W}/rules_unknown_key.toml", says="unknown key 'colour'"),
    err("rules-rule-a-string", "compare", O, N, "--rules", f"{W}/rules_rule_string.toml", says="array of tables"),
    err("rules-rule-ints", "compare", O, N, "--rules", f"{W}/rules_rule_ints.toml", says="must be a table"),
    err("rules-name-int", "compare", O, N, "--rules", f"{W}/rules_name_int.toml", says="'name' must be a str"),
    err("rules-no-pattern", "compare", O, N, "--rules", f"{W}/rules_no_pattern.toml", says="missing 'pattern'"),
    err("rules-bad-where", "compare", O, N, "--rules", f"{W}/rules_bad_where.toml", says="'where'"),
    err("rules-max-words-bool", "compare", O, N, "--rules", f"{W}/rules_max_words_bool.toml", says="'max_words'"),
    err("rules-max-words-string", "compare", O, N, "--rules", f"{W}/rules_max_words_str.toml", says="'max_words'"),
    err("rules-bad-regex", "compare", O, N, "--rules", f"{W}/rules_bad_regex.toml", says="bad pattern"),
    err("rules-deeply-nested-regex", "compare", O, N, "--rules", f"{W}/rules_deep_regex.toml", says="rules_deep_regex.toml"),
    err("rules-catastrophic-regex", "compare", f"{W}/slow_text.txt", N, "--rules", f"{W}/rules_catastrophic.toml", says="pattern too slow"),
    err("rules-catastrophic-regex-ingest", "ingest", f"{W}/slow_text.txt", "--db", "{tmp}/s.db", "--rules", f"{W}/rules_catastrophic.toml", says="pattern too slow"),
    err("rules-huge-repeat", "compare", O, N, "--rules", f"{W}/rules_huge_repeat.toml", says="('huge'): bad pattern: repeats"),
    err("rules-nested-repeats", "compare", O, N, "--rules", f"{W}/rules_nested_repeat.toml", says="'nested'"),
    ok("rules-literal-braces", "compare", O, N, "--rules", f"{W}/rules_literal_braces.toml", "--stat"),
    ok("rules-match-everything", "compare", O, N, "--rules", f"{W}/rules_matches_all.toml", "--json", status=(0, 1), json=True),
    err("rules-for-lineage", "lineage", f"{W}/good.jsonl", "--rules", f"{W}/rules_bad_toml.toml", says="not a valid TOML"),
    err("rules-for-blame", "blame", N, O, "--rules", f"{W}/rules_bad_regex.toml", says="bad pattern"),
    err("rules-for-track", "track", "{url}/text", "--db", "{tmp}/s.db", "--rules", f"{W}/rules_unknown_key.toml", says="colour"),
]

ENCODINGS = [
    err("encoding-unknown", "compare", O, N, "--encoding", "no-such-codec", says="unknown encoding"),
    err("encoding-not-text", "compare", O, N, "--encoding", "rot13", says="rot13"),
    err("encoding-bytes-codec", "compare", O, N, "--encoding", "base64", says="base64"),
    err("encoding-utf16-for-utf8", "compare", f"{W}/latin1_bad.txt", N, "--encoding", "utf-16", says="latin1_bad.txt"),
    err("encoding-undefined", "compare", O, N, "--encoding", "undefined", says="cannot be decoded as undefined"),
    err("encoding-undefined-jsonl", "ingest", f"{W}/good.jsonl", "--db", "{tmp}/s.db", "--encoding", "undefined", says="good.jsonl:1: cannot decode"),
    err("encoding-idna", "compare", U1, N, "--encoding", "idna", says="not valid IDNA"),
    ok("encoding-with-spaces", "compare", O, N, "--encoding", " UTF8 ", "--stat"),
    ok("encoding-empty-name", "compare", O, N, "--encoding", "", "--stat"),
    err("encoding-for-lineage-db", "lineage", "--db", STORE, "--encoding", "utf-8", says="--encoding"),
]

OPTIONS = [
    help_shown("no-arguments", says="Commands"),
    usage("unknown-command", "frobnicate", says="No such command"),
    usage("unknown-option", "compare", "--frobnicate", O, N, says="No such option"),
    usage("missing-argument", "compare", O, says="Missing argument"),
    usage("extra-argument", "compare", O, N, O, says="unexpected extra argument"),
    err("context-negative", "compare", O, N, "--context", "-1", says="--context must be 0 or more"),
    err("context-not-a-number", "compare", O, N, "--context", "many", says="--context must be a number of paragraphs or all"),
    err("context-huge", "compare", O, N, "--context", "9" * 5000, says="--context must be a number"),
    usage("color-bogus", "compare", O, N, "--color", "bogus", says="--color"),
    usage("boilerplate-bogus", "compare", O, N, "--boilerplate", "bogus", says="--boilerplate"),
    usage("rules-without-value", "compare", O, N, "--rules", says="--rules"),
    usage("min-appearances-zero", "lineage", O, N, "--min-appearances", "0", says="--min-appearances"),
    err("format-bogus", "compare", O, N, "--format", "pdf", says="--format must be html or markdown"),
    err("format-bogus-lineage", "lineage", O, N, "--format", "pdf", says="--format"),
    err("format-bogus-blame", "blame", N, O, "--format", "", says="--format"),
    err("json-and-jsonl", "compare", O, N, "--json", "--jsonl", says="choose one"),
    err("stat-and-format", "compare", O, N, "--stat", "--format", "html", says="choose one"),
    err("quiet-and-json", "compare", O, N, "-q", "--json", says="choose one"),
    err("lineage-json-and-quiet", "lineage", O, N, "--json", "-q", says="choose one"),
    err("blame-json-and-format", "blame", N, O, "--json", "--format", "markdown", says="choose one"),
    err("track-json-and-quiet", "track", "{url}/text", "--json", "-q", "--db", "{tmp}/s.db", says="choose one"),
    err("order-bogus", "lineage", O, N, "--order", "bogus", says="--order"),
    err("order-bogus-blame", "blame", N, O, "--order", "sideways", says="--order"),
    err("order-bogus-db", "lineage", "--db", STORE, "--order", "bogus", says="--order"),
    err("role-bogus", "lineage", O, N, "--role", "bogus", says="--role"),
    err("lineage-nothing", "lineage", says="give PATHS, or --db FILE (or set CPSDIFF_DB)"),
    err("lineage-paths-and-db", "lineage", O, "--db", STORE, says="give PATHS or --db"),
    err("engine-bogus", "ingest", O, "--db", "{tmp}/s.db", "--engine", "bogus", says="--engine"),
    err("engine-bogus-lineage", "lineage", "--db", STORE, "--engine", "warp", says="--engine"),
    err("scheduler-without-dask", "ingest", O, "--db", "{tmp}/s.db", "--scheduler", "tcp://127.0.0.1:1", says="--scheduler"),
    err("scheduler-no-port", "ingest", O, "--db", "{tmp}/s.db", "--engine", "dask", "--scheduler", "bogus", says="not a scheduler address"),
    err("scheduler-bad-ipv6", "lineage", "--db", STORE, "--engine", "dask", "--scheduler", "tcp://[::1:bad", says="not a scheduler address"),
    usage("ingest-nothing", "ingest", "--db", "{tmp}/s.db", says="Missing argument"),
    ok("lineage-db-filters", "lineage", "--db", STORE, "--role", "boilerplate", "--drift-only", "--all", "--min-appearances", "99999"),
    ok("blame-against-itself", "blame", O, "--against", O),  # one version: all of it is new
    ok("blame-stdin", "blame", "-", O, "--json", stdin=NEW.encode(), json=True),
    err("blame-against-empty-directory", "blame", O, "--against", f"{W}/emptydir", says="holds no"),
    err("track-nothing", "track", "--db", "{tmp}/s.db", says="give URLs"),
    err("track-not-a-url", "track", O, "--db", "{tmp}/s.db", says="not an http(s) URL"),
    ok("version", "--version", status=(0,), says="cpsdiff "),
    ok("help", "compare", "--help", status=(0,), says="Usage:"),
    ok("pager-missing", "compare", O, N, "--pager", env={"PAGER": "/no/such/pager"}),
    ok("pager-unparsable", "compare", O, N, "--pager", env={"PAGER": '"unterminated'}),
    ok("pager-fails", "compare", O, N, "--pager", env={"PAGER": "false"}, quiet=True),
]

STORES = [
    ok("store-stats", "stats", "--db", STORE, "--json", status=(0,), json=True),
    ok("store-timed-lineage", "lineage", "--db", f"{W}/timed.db", "--json", json=True),
    ok("store-lineage", "lineage", "--db", STORE, "--jsonl", json=True),
    ok("store-blame", "blame", "good.jsonl:2", "--db", STORE, "--json", json=True),
    err("store-missing", "stats", "--db", f"{W}/nope.db", says="no such database"),
    err("store-missing-lineage", "lineage", "--db", f"{W}/nope.db", says="no such database"),
    err("store-missing-blame", "blame", N, "--db", f"{W}/nope.db", says="no such database"),
    err("store-not-a-database", "stats", "--db", f"{W}/notdb.db", says="not a cpsdiff database"),
    err("store-not-a-database-lineage", "lineage", "--db", f"{W}/notdb.db", "--jsonl", says="not a cpsdiff database"),
    err("store-not-a-database-ingest", "ingest", O, "--db", f"{W}/notdb.db", says="not a cpsdiff database"),
    err("store-not-a-database-track", "track", "{url}/text", "--db", f"{W}/notdb.db", says="not a cpsdiff database"),
    err("store-empty-file", "stats", "--db", f"{W}/empty.db", says="not a cpsdiff database"),
    err("store-empty-file-blame", "blame", N, "--db", f"{W}/empty.db", says="not a cpsdiff database"),
    err("store-truncated", "stats", "--db", f"{W}/truncated.db", says="truncated.db"),
    err("store-truncated-lineage", "lineage", "--db", f"{W}/truncated.db", "--jsonl", says="truncated.db"),
    err("store-corrupt-middle", "lineage", "--db", f"{W}/corrupt.db", "--json", says="corrupt"),
    err("store-corrupt-middle-stats", "stats", "--db", f"{W}/corrupt.db", says="corrupt"),
    err("store-extra-not-json", "lineage", "--db", f"{W}/extra_not_json.db", "--jsonl", says="damaged store (version 'good.jsonl:2'"),
    err("store-extra-a-list", "blame", N, "--db", f"{W}/extra_a_list.db", says="damaged store"),
    err("store-time-garbage", "lineage", "--db", f"{W}/time_garbage.db", says="its time 'yesterday' is not ISO 8601"),
    err("store-text-missing", "lineage", "--db", f"{W}/text_missing.db", says="damaged store (the text"),
    # --json is streamed family by family: the document stops where the damage is found
    err("store-text-missing-json", "lineage", "--db", f"{W}/text_missing.db", "--json", says="damaged store", records=True),
    err("store-text-missing-blame", "blame", "good.jsonl:2", "--db", f"{W}/text_missing.db", says="damaged store"),
    err("store-table-dropped", "lineage", "--db", f"{W}/table_dropped.db", "--jsonl", says="damaged store (no such table: sketches)"),
    err("store-column-dropped", "stats", "--db", f"{W}/boilerplate_dropped.db", says="damaged store (no such column"),
    err("store-column-dropped-lineage", "lineage", "--db", f"{W}/column_dropped.db", says="damaged store (no such column"),
    err("store-distinct-sentences-deleted", "lineage", "--db", f"{W}/sentences_missing.db", "--jsonl", says="damaged store"),
    err("store-other-app", "stats", "--db", f"{W}/other_app.db", says="not a cpsdiff database"),
    err("store-other-app-ingest", "ingest", O, "--db", f"{W}/other_app.db", says="not a cpsdiff database"),
    err("store-directory", "stats", "--db", f"{W}/dir.db", says="is a directory"),
    err("store-directory-ingest", "ingest", O, "--db", f"{W}/dir.db", says="is a directory"),
    err("store-fifo", "stats", "--db", f"{W}/fifo.db", says="not a regular file"),
    err("store-fifo-ingest", "ingest", O, "--db", f"{W}/fifo.db", says="not a regular file"),
    err("store-dev-null", "lineage", "--db", "/dev/null", says="not a regular file"),
    err("store-in-missing-directory", "ingest", O, "--db", f"{W}/no/such/dir/s.db", says="no such directory"),
    err("store-under-a-file", "ingest", O, "--db", f"{W}/old.txt/s.db", says="s.db"),
    err("cpsdiff-db-nowhere", "stats", env={"CPSDIFF_DB": "/no/such/place/news.db"}, says="no such database"),
    err("cpsdiff-db-nowhere-ingest", "ingest", O, env={"CPSDIFF_DB": "/no/such/place/news.db"}, says="no such directory"),
    err("cpsdiff-db-empty", "stats", env={"CPSDIFF_DB": ""}, says="cpsdiff.db: no such database"),
    err("cpsdiff-db-directory", "stats", "--json", env={"CPSDIFF_DB": f"{W}/dir"}, says="is a directory"),
    err("too-few-open-files-ingest", "ingest", O, N, "--db", "{tmp}/s.db", open_files=10, says="cpsdiff: error: Too many open files ("),
    ok("few-open-files-lineage-db", "lineage", "--db", STORE, "--jsonl", open_files=12, json=True),
    err("out-of-memory", "compare", f"{W}/huge_old.txt", f"{W}/huge_new.txt", memory_kb=150_000, says="out of memory"),
    ok("store-named-like-a-uri", "ingest", O, "--db", "file:x.db", status=(0,), quiet=True, creates="file:x.db"),
    ok("store-named-like-a-memory-uri", "ingest", O, "--db", "file:m.db?mode=memory", status=(0,), quiet=True,
       creates="file:m.db?mode=memory"),
    ok("store-named-like-a-uri-track", "track", "{url}/text", "--db", "file:t.db?mode=ro", creates="file:t.db?mode=ro"),
    err("store-in-memory", "ingest", O, "--db", ":memory:", says="keeps nothing"),
    err("store-in-memory-env", "track", "{url}/text", env={"CPSDIFF_DB": ":memory:"}, says="keeps nothing"),
    err("cwd-deleted-ingest", "ingest", O, cwd_gone=True, says="the current directory no longer exists"),
    err("cwd-deleted-stats", "stats", cwd_gone=True, says="no such database"),
    ok("cwd-deleted-compare", "compare", O, N, "--stat", cwd_gone=True),
    err("blame-stored-version-missing", "blame", "good.jsonl:99", "--db", STORE, says="good.jsonl:99"),
]

URLS = [
    ok("url-fine", "compare", "{url}/text", N),
    ok("url-both", "compare", "{url}/text", "{url}/text2", "--json", json=True),
    err("url-404", "compare", "{url}/404", N, says="HTTP 404"),
    err("url-500", "compare", "{url}/500", N, says="HTTP 500"),
    err("url-garbage", "compare", "{url}/garbage", N, says="/garbage"),
    ok("url-lenient-headers", "compare", "{url}/bad-header", N, says="hello"),  # read leniently, as browsers do
    err("url-no-answer", "compare", "{url}/nothing", N, says="/nothing"),
    err("url-redirect-loop", "compare", "{url}/loop", N, says="too many redirects"),
    err("url-redirect-to-ftp", "compare", "{url}/to-ftp", N, says="not an http(s) URL"),
    err("url-redirect-to-file", "compare", "{url}/to-file", N, says="not an http(s) URL"),
    err("url-redirect-to-bad-url", "compare", "{url}/to-bad-url", N, says="/to-bad-url"),
    err("url-png", "compare", "{url}/png", N, says="not an article page"),
    err("url-json", "compare", "{url}/json", N, says="not an article page"),
    err("url-empty-page", "compare", "{url}/html-empty", N, says="/html-empty"),
    err("url-page-without-article", "compare", "{url}/html-no-article", N, says="/html-no-article"),
    err("url-cut-short", "compare", "{url}/short", N, says="stopped before the end"),
    err("url-gzip-bomb", "compare", "{url}/gzip-bomb", N, says="/gzip-bomb"),
    ok("url-charset-not-a-text-encoding", "compare", "{url}/charset-rot13", O, "-q", status=(0,), quiet=True),
    ok("url-meta-charset-not-a-text-encoding", "compare", "-v", "{url}/meta-base64", O, "--stat", status=(0, 1)),
    ok("url-charset-undefined", "compare", "{url}/charset-undefined", O, "-q", status=(0,), quiet=True),
    ok("url-charset-unknown", "compare", "{url}/charset-bogus", O, "-q", status=(0,), quiet=True),
    err("url-binary-as-text", "compare", "{url}/binary-as-text", N, says="binary data"),
    err("url-endless-slow-body", "compare", "{url}/endless-slow", N, env={"CPSDIFF_TIMEOUT": "2"}, says="within 2 s"),
    err("url-endless-fast-body", "compare", "{url}/endless-fast", N, says="larger than 20 MB"),
    err("url-bad-chunk", "compare", "{url}/bad-chunk", N, says="stopped before the end"),
    err("url-many-headers", "compare", "{url}/many-headers", N, says="not a valid HTTP response"),
    err("url-long-header", "compare", "{url}/long-header", N, says="not a valid HTTP response"),
    err("url-status-999", "compare", "{url}/status-999", N, says="HTTP 999"),
    err("url-no-content", "compare", "{url}/no-content", N, says="empty input"),
    err("url-redirect-nowhere", "compare", "{url}/redirect-nowhere", N, says="HTTP 302"),
    err("url-redirect-control", "track", "{url}/redirect-control", "--db", "{tmp}/s.db", says="/redirect-control"),
    err("url-http-0.9", "compare", "{url}/http-0.9", N, says="not a valid HTTP response"),
    ok("url-empty-content-type", "compare", "{url}/empty-content-type", O, "-q", status=(0,), quiet=True),
    err("url-refused", "compare", "http://127.0.0.1:1/x", N, says="cannot fetch"),
    err("url-bad-ipv6", "compare", "http://[::1:bad/", N, says="not a valid URL"),
    err("url-no-host", "compare", "http://", N, says="http://"),
    err("url-no-host-path", "compare", "http:///story", N, says="http:///story"),
    err("url-port-out-of-range", "compare", "http://127.0.0.1:99999/", N, says="127.0.0.1:99999"),
    err("url-port-not-a-number", "compare", "http://127.0.0.1:port/", N, says="127.0.0.1:port"),
    err("url-space-in-host", "compare", "http://exa mple.com/", N, says="exa mple.com"),
    err("url-control-character", "compare", "http://127.0.0.1/a\x01b", N, says="127.0.0.1"),
    err("url-ftp-is-a-file-name", "compare", "ftp://127.0.0.1/x", N, says="no such file"),
    err("url-file-scheme-is-a-file-name", "compare", "file:///etc/passwd", N, says="no such file"),
    err("timeout-not-a-number", "compare", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "soon"}, says="CPSDIFF_TIMEOUT"),
    err("timeout-zero", "compare", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "0"}, says="CPSDIFF_TIMEOUT"),
    err("timeout-negative", "lineage", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "-1"}, says="CPSDIFF_TIMEOUT"),
    err("timeout-nan", "track", "{url}/text", "--db", "{tmp}/s.db", env={"CPSDIFF_TIMEOUT": "nan"}, says="CPSDIFF_TIMEOUT"),
    err("timeout-huge", "compare", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "99999999999"}, says="CPSDIFF_TIMEOUT"),
    err("timeout-1e308", "track", "{url}/text", "--db", "{tmp}/s.db", env={"CPSDIFF_TIMEOUT": "1e308"}, says="CPSDIFF_TIMEOUT"),
    ok("timeout-a-day", "compare", "{url}/text", N, "--stat", env={"CPSDIFF_TIMEOUT": "86400"}),
    err("timeout-tiny", "compare", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "1e-9"}, says="within 1e-09 s"),
    err("timeout-infinite", "compare", "{url}/text", N, env={"CPSDIFF_TIMEOUT": "inf"}, says="CPSDIFF_TIMEOUT"),
    ok("timeout-unused-when-no-fetch", "compare", O, N, "-q", env={"CPSDIFF_TIMEOUT": "soon"}, quiet=True),
    ok("lineage-urls", "lineage", "{url}/text", "{url}/text2", "--jsonl", json=True),
    err("ingest-url-404", "ingest", "{url}/404", "--db", "{tmp}/s.db", says="HTTP 404"),
    # track
    ok("track-fine", "track", "{url}/text", "--db", "{tmp}/s.db", "--json", json=True),
    ok("track-output", "track", "{url}/text", "--db", "{tmp}/s.db", "--json", "-o", "{tmp}/pages.jsonl", quiet=True,
       creates="pages.jsonl"),
    err("track-output-a-directory", "track", "{url}/text", "--db", "{tmp}/s.db", "-o", "{tmp}", says="is a directory"),
    err("track-404", "track", "{url}/404", "--db", "{tmp}/s.db", says="HTTP 404"),
    # one page fails, the other is stored and reported: trouble, with the news on stdout
    err("track-one-of-two-fails", "track", "{url}/text", "{url}/500", "--db", "{tmp}/s.db", says="HTTP 500", records=True,
        creates="s.db"),
    err("track-404-json", "track", "{url}/404", "--db", "{tmp}/s.db", "--json", says="HTTP 404", json=True, records=True),
    err("track-garbage", "track", "{url}/garbage", "--db", "{tmp}/s.db", says="/garbage"),
    err("track-redirect-loop", "track", "{url}/loop", "--db", "{tmp}/s.db", says="too many redirects"),
    err("track-png", "track", "{url}/png", "--db", "{tmp}/s.db", says="not an article page"),
    err("track-endless", "track", "{url}/endless-slow", "--db", "{tmp}/s.db", env={"CPSDIFF_TIMEOUT": "2"}, says="within 2 s"),
    err("track-ftp", "track", "ftp://127.0.0.1/x", "--db", "{tmp}/s.db", says="not an http(s) URL"),
    err("track-file", "track", "file:///etc/passwd", "--db", "{tmp}/s.db", says="not an http(s) URL"),
    err("track-bad-ipv6", "track", "http://[::1:bad/", "--db", "{tmp}/s.db", says="not a valid URL"),
    err("track-feed-garbage", "track", "--feed", "{url}/feed-garbage", "--db", "{tmp}/s.db", says="not an RSS or Atom feed"),
    err("track-feed-empty", "track", "--feed", "{url}/feed-empty", "--db", "{tmp}/s.db", says="no article links"),
    err("track-feed-is-a-page", "track", "--feed", "{url}/feed-html", "--db", "{tmp}/s.db", says="not an RSS or Atom feed"),
    err("track-feed-entity-bomb", "track", "--feed", "{url}/feed-bomb", "--db", "{tmp}/s.db", says="/feed-bomb"),
    err("track-feed-404", "track", "--feed", "{url}/404", "--db", "{tmp}/s.db", says="HTTP 404"),
]


TRACK_LOCAL_FEED = Case(
    "track-feed-links-elsewhere", ("track", "--feed", "{url}/feed-local", "--db", "{tmp}/s.db"), "errors",
    says="not an http(s) URL",
)

OUTPUT = [
    Case("closed-pipe-compare", ("compare", *BIG), "silent", stdout="head"),
    Case("closed-pipe-compare-json", ("compare", *BIG, "--json"), "silent", stdout="head"),
    Case("closed-pipe-compare-html", ("compare", *BIG, "--format", "html"), "silent", stdout="head"),
    Case("closed-pipe-lineage-jsonl", ("lineage", *BIG, "--jsonl"), "silent", stdout="head"),
    Case("closed-pipe-blame", ("blame", BIG[1], BIG[0], "--color", "always"), "silent", stdout="head"),
    Case("closed-pipe-blame-markdown", ("blame", BIG[1], BIG[0], "--format", "markdown"), "silent", stdout="head"),
    err("full-compare", "compare", O, N, stdout="full", says="cannot write output"),
    err("full-compare-json", "compare", O, N, "--json", stdout="full", says="cannot write output"),
    err("full-compare-jsonl", "compare", O, N, "--jsonl", stdout="full", says="cannot write output"),
    err("full-compare-stat", "compare", O, N, "--stat", stdout="full", says="cannot write output"),
    err("full-compare-html", "compare", O, N, "--format", "html", stdout="full", says="cannot write output"),
    err("full-compare-markdown", "compare", O, N, "--format", "markdown", stdout="full", says="cannot write output"),
    err("full-lineage", "lineage", O, N, "--all", stdout="full", says="cannot write output"),
    err("full-lineage-json", "lineage", O, N, "--json", stdout="full", says="cannot write output"),
    err("full-lineage-db-jsonl", "lineage", "--db", STORE, "--jsonl", stdout="full", says="cannot write output"),
    err("full-blame", "blame", N, O, stdout="full", says="cannot write output"),
    err("full-blame-json", "blame", N, O, "--json", stdout="full", says="cannot write output"),
    err("full-stats", "stats", "--db", STORE, stdout="full", says="cannot write output"),
    err("full-stats-json", "stats", "--db", STORE, "--json", stdout="full", says="cannot write output"),
    err("full-track-json", "track", "{url}/text", "--db", "{tmp}/s.db", "--json", stdout="full", says="cannot write output"),
    err("full-version", "--version", stdout="full", says="cannot write output"),
    err("full-compare-csv", "compare", O, N, "--csv", stdout="full", says="cannot write output"),
    err("full-lineage-tsv", "lineage", O, N, "--tsv", stdout="full", says="cannot write output"),
    # -o FILE: a bad FILE is refused before any work; a device is written, not replaced
    err("output-is-a-directory", "compare", O, N, "-o", "{tmp}", says="is a directory"),
    err("output-in-a-missing-folder", "compare", O, N, "--json", "-o", "{tmp}/no/such/out.json", says="no such file or directory"),
    err("output-under-a-file", "lineage", O, N, "--csv", "-o", f"{O}/out.csv", says="cannot write"),
    err("output-full-device", "compare", O, N, "--json", "-o", "/dev/full", says="cannot write output"),
    ok("output-dev-null", "blame", N, O, "--json", "-o", "/dev/null", quiet=True),
    ok("output-file", "compare", O, N, "--csv", "-o", "{tmp}/changes.csv", quiet=True, creates="changes.csv"),
    err("label-three-times", "compare", O, N, "-L", "a", "-L", "b", "-L", "c", says="at most twice"),
    err("csv-and-json", "lineage", O, N, "--csv", "--json", says="choose one of"),
    err("git-diff-two-arguments", "git-diff", O, N, says="the arguments git gives an external diff"),
    ok("git-diff-binary", "git-diff", "x.bin", f"{W}/nul.txt", "1" * 40, "100644", f"{W}/zeros.txt", "2" * 40,
       "100644", status=(0,), says="Binary files a/x.bin and b/x.bin differ"),
    ok("git-diff-added", "git-diff", "new.txt", "/dev/null", ".", ".", N, "0" * 40, "100644", status=(0,), says="+++ b/new.txt"),
    ok("full-quiet", "compare", O, N, "-q", stdout="full", quiet=True),
    ok("full-ingest", "ingest", O, "--db", "{tmp}/s.db", stdout="full", status=(0,), quiet=True),
    err("stdout-closed", "compare", O, N, stdout="closed", says="cannot write output"),
    err("stdout-closed-json", "lineage", O, N, "--json", stdout="closed", says="cannot write output"),
    err("stdout-closed-stats", "stats", "--db", STORE, stdout="closed", says="cannot write output"),
    ok("stdout-closed-quiet", "compare", O, N, "-q", stdout="closed", quiet=True),
    ok("stdout-closed-ingest", "ingest", O, "--db", "{tmp}/s.db", stdout="closed", status=(0,), quiet=True),
    Case("stderr-closed-error", ("compare", f"{W}/nope.txt", N), "status-only", stderr="closed"),
    Case("stderr-closed-ok", ("compare", O, N), "status-only", status=(1,), stderr="closed"),
    Case("stderr-closed-lineage", ("lineage", O, N, "--json"), "status-only", status=(1,), stderr="closed"),
    Case("stderr-closed-ingest", ("ingest", O, "--db", "{tmp}/s.db"), "status-only", status=(0,), stderr="closed"),
    # terminals: stdout on a pseudo-terminal
    ok("tty-width-1", "compare", O, N, stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-1-unicode", "compare", U1, U2, stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-1-stat", "compare", O, N, "--stat", stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-1-lineage", "lineage", O, N, "--all", stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-1-lineage-db", "lineage", "--db", STORE, "--all", stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-1-blame", "blame", N, O, stdout="tty", env={"COLUMNS": "1"}),
    ok("tty-width-2-context", "compare", f"{W}/big_old.txt", f"{W}/big_new.txt", "--context", "0", stdout="tty",
       env={"COLUMNS": "2", "LINES": "1"}),
    ok("tty-columns-huge", "compare", O, N, stdout="tty", env={"COLUMNS": "99999999999999999999"}),
    ok("tty-columns-huge-lineage", "lineage", O, N, "--all", stdout="tty", env={"COLUMNS": "100000000", "LINES": "0"}),
    ok("tty-columns-zero", "compare", O, N, stdout="tty", env={"COLUMNS": "0"}),
    ok("tty-columns-negative", "compare", O, N, stdout="tty", env={"COLUMNS": "-5"}),
    ok("tty-columns-garbage", "compare", O, N, stdout="tty", env={"COLUMNS": "wide", "LINES": "tall"}),
    ok("tty-no-color", "compare", O, N, stdout="tty", env={"NO_COLOR": "1"}, lacks="\x1b["),
    ok("tty-term-dumb", "compare", O, N, stdout="tty", env={"TERM": "dumb"}, lacks="\x1b["),
    ok("tty-no-term", "compare", O, N, stdout="tty", env={"TERM": ""}),
    ok("tty-color-always-beats-no-color", "compare", O, N, "--color", "always", stdout="tty", env={"NO_COLOR": "1"}, says="\x1b["),
    ok("tty-control-characters", "compare", O, f"{W}/controls.txt", stdout="tty", lacks="\x1b[2J"),
    # locales that cannot encode the text
    ok("ascii-terminal-view", "compare", U1, U2, env=ASCII),
    ok("ascii-json", "compare", U1, U2, "--json", env=ASCII, json=True),
    ok("ascii-jsonl", "compare", U1, U2, "--jsonl", env=ASCII, json=True),
    ok("ascii-stat", "compare", U1, U2, "--stat", env=ASCII),
    ok("ascii-markdown", "compare", U1, U2, "--format", "markdown", env=ASCII),
    ok("ascii-html", "compare", U1, U2, "--format", "html", env=ASCII),
    ok("ascii-lineage", "lineage", U1, U2, "--all", env=ASCII),
    ok("ascii-lineage-json", "lineage", U1, U2, "--json", env=ASCII, json=True),
    ok("ascii-blame", "blame", U2, U1, env=ASCII),
    ok("ascii-stats", "stats", "--db", STORE, env=ASCII, status=(0,)),
    ok("ascii-track", "track", "{url}/text", "--db", "{tmp}/s.db", env=ASCII),
    err("ascii-error-message", "compare", f"{W}/café 😀.txt", N, env=ASCII, says="no such file"),
    ok("ascii-odd-name", "compare", f"{W}/é 😀 \u202eevil.txt", N, env=ASCII),
    ok("latin1-terminal-view", "compare", U1, U2, env={"PYTHONIOENCODING": "latin-1"}),
    ok("lang-c", "compare", U1, U2, env={"LANG": "C", "LC_ALL": "C"}),
    ok("lang-c-no-coercion", "lineage", U1, U2, env={"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}),
    ok("utf8-locale-undecodable-name", "compare", f"{W}/bad\udcff.txt", N, "--jsonl", env={"LC_ALL": "C.UTF-8"}, json=True),
    ok("utf8-locale-undecodable-name-view", "lineage", f"{W}/bad\udcff.txt", N, "--all", env={"LC_ALL": "C.UTF-8"}),
]


def _mark(case: Case):
    marks = []
    if case.skip:
        marks.append(pytest.mark.skip(reason=case.skip))
    if case.xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
    return pytest.param(case, id=case.id, marks=marks)


CASES = [*INPUT_FILES, *JSONL, *RULES, *ENCODINGS, *OPTIONS, *STORES, *URLS, TRACK_LOCAL_FEED, *OUTPUT]
assert len({case.id for case in CASES}) == len(CASES), "case ids repeat"


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> Iterator[dict[str, Future]]:
    """Every selected case, started in a thread pool against one workspace and one server."""
    root = tmp_path_factory.mktemp("bad_inputs")
    workspace = root / "w"
    workspace.mkdir()
    build_workspace(workspace)
    (workspace / "bad\udcff.txt").write_text(OLD, "utf-8")
    selected = [
        item.callspec.params["case"] for item in request.session.items
        if getattr(item, "module", None) is sys.modules[__name__] and hasattr(item, "callspec")
        and "case" in item.callspec.params and not item.callspec.params["case"].skip
    ]
    with faulty_server(OLD.encode(), NEW.encode()) as url, ThreadPoolExecutor(WORKERS) as pool:
        places = {"w": str(workspace), "url": url}
        futures = {case.id: pool.submit(run_case, case, places, root / "runs" / case.id) for case in selected}
        yield futures
        for future in futures.values():
            future.cancel()
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("case", [_mark(case) for case in CASES])
def test_bad_input(case: Case, outcomes: dict[str, Future]) -> None:
    check(case, outcomes[case.id].result())


def test_the_readme_counts_the_cases():
    assert f"on {len(CASES)} bad inputs and" in (ROOT / "README.md").read_text("utf-8")


def test_the_checks_can_fail():
    """The checks themselves: a traceback, two lines, stdout on an error, a wrong status, a hang."""
    error = err("x", "compare", says="nope")
    good = Outcome(2, b"", b"cpsdiff: error: nope.txt: no such file\n", 0.1)
    check(error, good)
    bad_outcomes = [
        Outcome(2, b"", b"Traceback (most recent call last):\ncpsdiff: error: nope\n", 0.1),
        Outcome(2, b"", b"cpsdiff: error: a\nnope.txt: no such file\n", 0.1),
        Outcome(2, b"{}", b"cpsdiff: error: nope.txt: no such file\n", 0.1),
        Outcome(1, b"", b"cpsdiff: error: nope.txt: no such file\n", 0.1),
        Outcome(None, b"", b"", TIMEOUT),
        Outcome(2, b"", b"cpsdiff: internal error: ValueError: nope\n", 0.1),
        Outcome(2, b"", b"cpsdiff: error: \x1b[31mnope\n", 0.1),
        Outcome(2, b"", b"cpsdiff: order given:\ncpsdiff: error: one\ncpsdiff: error: nope\n", 0.1),
    ]
    for outcome in bad_outcomes:
        with pytest.raises(AssertionError):
            check(error, outcome)
    with pytest.raises(AssertionError):
        check(ok("y", "lineage", "--json", json=True), Outcome(1, b'{"x": NaN}', b"", 0.1))
