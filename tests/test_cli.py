"""The command line: exit statuses, stdout vs stderr, colour, stdin and bad input."""

from __future__ import annotations

import json

import pytest

from .conftest import FIXTURES, FRIDAY, THURSDAY, invoke

SHUFFLED = FIXTURES / "shuffled"
IDENTICAL = FIXTURES / "identical"


def test_different_versions_exit_1_with_the_diff_on_stdout(runner):
    result = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--color", "never")
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"--- {THURSDAY}")
    assert lines[1].startswith(f"+++ {FRIDAY}")
    assert "⇉1 merged" in lines[2] and "moved" in lines[2]
    assert "[-always has-]{+has always+}" in result.stdout
    assert "\x1b[" not in result.stdout


def test_identical_versions_exit_0(runner):
    result = invoke(runner, "compare", str(IDENTICAL / "old.txt"), str(IDENTICAL / "new.txt"))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_quiet_prints_nothing(runner):
    result = invoke(runner, "compare", "-q", str(THURSDAY), str(FRIDAY))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")


def test_stdin_dash(runner):
    result = invoke(runner, "compare", "-", str(FRIDAY), "--json", input=THURSDAY.read_bytes())
    assert result.exit_code == 1
    assert json.loads(result.stdout)["old"]["source"] == "<stdin>"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "no such file"),
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: _write(tmp / "bin.dat", b"\x00\x01\x02binary\x00"), "binary data"),
        (lambda tmp: _write(tmp / "latin1.txt", "caf\xe9 au lait".encode("latin-1")), "not valid UTF-8"),
        (lambda tmp: _write(tmp / "empty.txt", b""), "empty input"),
        (lambda tmp: _write(tmp / "blank.txt", b" \n\r\n\t \n"), "empty input"),
    ],
    ids=["missing", "directory", "binary", "undecodable", "empty", "whitespace-only"],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(runner, tmp_path, make, message):
    bad = make(tmp_path)
    result = invoke(runner, "compare", str(bad), str(FRIDAY))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith("cpsdiff: error: ")
    assert "Traceback" not in result.stderr


def test_a_file_name_with_a_tab_or_a_line_break_is_shown_escaped_on_one_line(runner, tmp_path):
    missing = tmp_path / "Mayor\tBriefing\nFriday.txt"
    result = invoke(runner, "compare", str(missing), str(FRIDAY))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"cpsdiff: error: {tmp_path}/Mayor\\tBriefing\\nFriday.txt: ")
    assert result.stderr.count("\n") == 1


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_unreadable_file(runner, tmp_path):
    path = _write(tmp_path / "secret.txt", b"text")
    path.chmod(0)
    try:
        if path.open("rb"):  # root can read anything: nothing to test
            pytest.skip("running as root")
    except PermissionError:
        result = invoke(runner, "compare", str(path), str(FRIDAY))
        assert result.exit_code == 2 and "permission denied" in result.stderr


def test_both_stdin_is_an_error(runner):
    result = invoke(runner, "compare", "-", "-", input=b"text")
    assert result.exit_code == 2
    assert "only one of OLD and NEW" in result.stderr


def test_encoding_option_reads_legacy_files(runner, tmp_path):
    old = _write(tmp_path / "old.txt", "Le caf\xe9 est ferm\xe9.".encode("latin-1"))
    new = _write(tmp_path / "new.txt", "Le café est ouvert.".encode())
    result = invoke(runner, "compare", "--encoding", "latin-1", str(old), str(new), "--color", "never")
    # the BOM-less UTF-8 NEW read as latin-1 is mojibake, but both load: exit 1, no error
    assert result.exit_code == 1, result.stderr


def test_usage_errors_exit_2(runner):
    assert invoke(runner, "compare", str(FRIDAY)).exit_code == 2
    assert invoke(runner, "compare", str(FRIDAY), str(FRIDAY), "--color", "purple").exit_code == 2
    both = invoke(runner, "compare", str(FRIDAY), str(FRIDAY), "--json", "--stat")
    assert both.exit_code == 2 and "choose one" in both.stderr


def test_crlf_bom_nbsp_and_tabs_are_ordinary_text(runner, tmp_path):
    old = _write(tmp_path / "old.txt", "First\u00a0para.\tTabbed.\n\nSecond para.\n".encode())
    new = _write(tmp_path / "new.txt", "\ufeffFirst\u00a0para.\tTabbed.\r\n\r\nSecond para.\r\n".encode())
    result = invoke(runner, "compare", str(old), str(new))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_article_text_is_never_markup_or_emoji(runner, tmp_path):
    old = _write(tmp_path / "old.txt", b"The [i]mayor[/i] said :fire: no.\n\n[red]Tail[/red] text.\n")
    new = _write(tmp_path / "new.txt", b"The [i]mayor[/i] said :fire: yes.\n\n[red]Tail[/red] text.\n")
    for color in ("never", "always"):
        result = invoke(runner, "compare", str(old), str(new), "--color", color)
        assert "[i]mayor[/i]" in result.stdout and ":fire:" in result.stdout
        assert "[red]Tail[/red]" in result.stdout
        assert "🔥" not in result.stdout


def test_color_always_and_no_color(runner):
    coloured = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--color", "always")
    assert "\x1b[" in coloured.stdout
    assert "[-always has-]" not in coloured.stdout  # colour (with strike/underline) replaces markers
    plain = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
    forced = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--color", "always", env={"NO_COLOR": "1"})
    assert "\x1b[" in forced.stdout  # an explicit --color always wins


def test_boilerplate_modes(runner):
    args = ("compare", str(THURSDAY), str(FRIDAY), "--color", "never")
    shown = invoke(runner, *args).stdout
    hidden = invoke(runner, *args, "--boilerplate", "hide").stdout
    dimmed = invoke(runner, *args, "--boilerplate", "dim").stdout
    assert "READ MORE: Illinois Attorney General" in shown
    assert "READ MORE:" not in hidden and "boilerplate paragraphs hidden" in hidden
    assert "Also From CBS Chicago" not in hidden
    assert "READ MORE: Illinois Attorney General Now" in dimmed and "Insurance Companies" not in dimmed
    bad = invoke(runner, *args, "--boilerplate", "loud")
    assert bad.exit_code == 2 and "boilerplate" in bad.stderr


def test_context_collapses_unchanged_runs(runner):
    full = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--color", "never", "--context", "all").stdout
    short = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--color", "never").stdout  # default: 1
    assert "unchanged paragraph" not in full
    assert "  … 8 unchanged paragraphs (¶29–¶36) …" in short
    assert len(short) < len(full)
    assert "“This is the best shape our city has been in" not in short  # mid-block, collapsed
    assert "“This is the best shape our city has been in" in full


def test_stat(runner):
    result = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--stat", "--color", "never")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{THURSDAY} → {FRIDAY}"
    assert "paragraphs  37 → 43" in lines[1]
    assert "⇉1 merged" in lines[3]


def test_jsonl_one_record_per_change(runner):
    result = invoke(runner, "compare", str(SHUFFLED / "old.txt"), str(SHUFFLED / "new.txt"), "--jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 14
    assert sum(r["moved"] for r in records) == 3
    assert {r["kind"] for r in records} == {"unchanged"}


def test_rules_file_extends_boilerplate(runner, tmp_path):
    rules = tmp_path / "outlet.toml"
    rules.write_text(
        '[[rule]]\nname = "promo"\npattern = "^Lightfoot stressed"\nreason = "house promo"\n',
        "utf-8",
    )
    result = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--json", "--rules", str(rules))
    doc = json.loads(result.stdout)
    stressed = next(p for p in doc["new"]["paragraphs"] if p["text"].startswith("Lightfoot stressed"))
    assert stressed["role"] == "boilerplate" and stressed["reason"] == "house promo (rule promo)"


def test_bad_rules_file(runner, tmp_path):
    rules = tmp_path / "bad.toml"
    rules.write_text('[[rule]]\nname = "x"\npattern = "("\n', "utf-8")
    result = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--rules", str(rules))
    assert result.exit_code == 2 and "rule 1" in result.stderr and result.stdout == ""


def test_version(runner):
    result = invoke(runner, "--version")
    assert result.exit_code == 0 and result.stdout.startswith("cpsdiff ")


def test_an_unparsable_pager_is_no_pager(monkeypatch):
    """PAGER='less "' must not break a view, paged or not."""
    import io

    from cpsdiff.render.output import show

    monkeypatch.setenv("PAGER", 'less "')
    for paged in (None, True):
        out = io.StringIO()
        show("line\n", out, paged)
        assert out.getvalue() == "line\n"


def test_removed_text_after_a_split_comes_after_every_part():
    from cpsdiff.diff.comparison import compare
    from cpsdiff.render.compare_view import Options, render
    from cpsdiff.text.segment import parse_document

    a = "The school board met on Tuesday evening to discuss the budget for the coming year and its many problems."
    b1 = "Teachers said the district has not hired enough nurses, counselors or librarians for the schools in the city this year."
    b2 = "Parents who spoke at the meeting asked the board to delay the vote until the public could read the whole proposal."
    c = "A spokesperson for the mayor declined to comment on the negotiations when reached by phone late on Wednesday."
    d = "The board will meet again next month to vote on the final version of the plan after more public hearings are held."
    result = compare(parse_document("\n\n".join([a, f"{b1} {b2}", c, d]), "old"), parse_document("\n\n".join([a, b1, b2, d]), "new"))
    out = render(result, Options())
    assert out.index("¶2  split") < out.index("¶3  split") < out.index("old ¶3  removed") < out.index("¶4  carried")
