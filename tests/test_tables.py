"""--csv and --tsv: one row per change of compare and per family of lineage, with the documented
columns, read back by the csv module and pandas-style parsing as the JSON says."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from cpsdiff.render.table import COMPARE_COLUMNS, LINEAGE_COLUMNS

from .conftest import FRIDAY, ROOT, SEEDS, THURSDAY, invoke

README = (ROOT / "README.md").read_text("utf-8")
PAIR = (str(THURSDAY), str(FRIDAY))


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _tsv(text: str) -> list[dict[str, str]]:
    """TSV as documented: one line per row, \\t \\n \\r \\\\ escaped inside fields."""
    unescape = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    lines = text.split("\n")
    assert lines[-1] == ""  # every row ends with a newline
    header, *rows = (line.split("\t") for line in lines[:-1])
    return [dict(zip(header, (re.sub(r"\\(.)", lambda m: unescape[m.group(1)], f) for f in row))) for row in rows]


def test_compare_csv_has_the_documented_columns_and_one_row_per_change(runner):
    result = invoke(runner, "compare", *PAIR, "--csv")
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout_bytes.startswith((",".join(COMPARE_COLUMNS) + "\r\n").encode())  # RFC 4180 line ends
    rows = _csv(result.stdout_bytes.decode("utf-8"))
    document = json.loads(invoke(runner, "compare", *PAIR, "--json").stdout)
    assert len(rows) == len(document["changes"])
    for number, (row, change) in enumerate(zip(rows, document["changes"]), 1):
        assert row["change"] == str(number)
        assert row["kind"] == change["kind"]
        assert row["old_paragraphs"] == "+".join(str(i + 1) for i in change["old"])  # 1-based, as shown
        assert row["new_paragraphs"] == "+".join(str(j + 1) for j in change["new"])
        assert row["moved"] == ("true" if change["moved"] else "false")
        assert row["old_text"] == "\n\n".join(document["old"]["paragraphs"][i]["text"] for i in change["old"])
        assert row["new_text"] == "\n\n".join(document["new"]["paragraphs"][j]["text"] for j in change["new"])
        assert (row["similarity"] == "") == (change["similarity"] is None)
    verdicts = [row["verdict"] for row in rows]
    summary = document["summary"]
    for name in ("new", "edited", "merged", "split", "removed"):  # the summary's counts, row by row
        assert verdicts.count(name) == summary[name], name
    assert verdicts.count("carried") == summary["carried"]
    new_chrome = sum(row["new_paragraphs"] != "" for row in rows if row["verdict"] == "boilerplate")
    assert new_chrome == summary["boilerplate"]
    merged = next(row for row in rows if row["verdict"] == "merged")
    assert (merged["old_paragraphs"], merged["new_paragraphs"]) == ("5+12", "13")
    assert "\n\n" in merged["old_text"]  # two paragraphs, one field: quoted in CSV, escaped in TSV
    as_tsv = invoke(runner, "compare", *PAIR, "--tsv").stdout
    assert as_tsv.count("\n") == len(rows) + 1 and _tsv(as_tsv) == rows
    assert "[-always has-]{+has always+}" in next(row["diff"] for row in rows if row["new_paragraphs"] == "27")


def test_csv_and_tsv_quote_and_escape_what_needs_it(runner, tmp_path):
    old = 'Intro "stays", as written.\n\nThe mayor said: "no",\tthen left.\n\nBack\\slash tail.'
    new = 'Intro "stays", as written.\n\nThe mayor said: "yes",\tthen stayed.\n\nBack\\slash tail.'
    (tmp_path / "old.txt").write_text(old, "utf-8")
    (tmp_path / "new.txt").write_text(new, "utf-8")
    args = ("compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"))
    as_csv = invoke(runner, *args, "--csv").stdout_bytes.decode("utf-8")
    as_tsv = invoke(runner, *args, "--tsv").stdout
    assert '"Intro ""stays"", as written."' in as_csv  # a quote doubled inside a quoted field
    assert as_tsv.count("\n") == 4 and "\\t" in as_tsv and "Back\\\\slash" in as_tsv
    rows = _csv(as_csv)
    assert rows == _tsv(as_tsv)
    assert [row["verdict"] for row in rows] == ["carried", "edited", "carried"]
    assert rows[1]["new_text"] == 'The mayor said: "yes",\tthen stayed.'
    assert rows[2]["old_text"] == "Back\\slash tail."


def test_lineage_tables_have_one_row_per_family_the_filters_keep(runner):
    every = invoke(runner, "lineage", str(SEEDS), "--csv")
    assert every.exit_code == 1
    assert every.stdout_bytes.startswith((",".join(LINEAGE_COLUMNS) + "\r\n").encode())
    rows = _csv(every.stdout_bytes.decode("utf-8"))
    families = [json.loads(line) for line in invoke(runner, "lineage", str(SEEDS), "--jsonl").stdout.splitlines()]
    assert [row["family"] for row in rows] == [f["id"] for f in families]
    for row, family in zip(rows, families):
        assert row["role"] == family["role"]
        assert row["appearances"] == str(len(family["appearances"]))
        assert row["first_version"] == family["first"]["version"]
        assert row["first_paragraph"] == str(family["first"]["paragraph"] + 1)
        assert row["first_text"] == family["appearances"][0]["text"]
        assert row["last_text"] == family["appearances"][-1]["text"]
        assert row["drift"] == str(len(family["drift"]))
    drift = _tsv(invoke(runner, "lineage", str(SEEDS), "--tsv", "--drift-only").stdout)
    assert len(drift) == 4 and {row["group"] for row in drift} == {"drift"}
    assert {row["speakers"] for row in drift} == {"the union", "Chicago Teachers Union President Jesse Sharkey"}


@pytest.mark.parametrize("columns", [COMPARE_COLUMNS, LINEAGE_COLUMNS], ids=["compare", "lineage"])
def test_every_column_is_documented(columns):
    section = README.split("### Tables")[1].split("\n## ")[0]
    for column in columns:
        assert f"`{column}`" in section, column


def test_tables_and_other_forms_are_exclusive(runner):
    result = invoke(runner, "compare", *PAIR, "--csv", "--tsv")
    assert result.exit_code == 2 and result.stdout == "" and "choose one of" in result.stderr
