"""Diff manners (issue 13): identical inputs print nothing, unchanged text is folded around the
changes, -o FILE, -V, shell completion and $CPSDIFF_DB, as a git or diff user expects them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpsdiff import __version__
from cpsdiff.render.folding import DEFAULT_CONTEXT, parse_context, shown

from .conftest import FIXTURES, FRIDAY, ROOT, SEEDS, THURSDAY, invoke

IDENTICAL = FIXTURES / "identical"
PAIR = (str(THURSDAY), str(FRIDAY))
ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CPSDIFF_DB")}


def _run(*args: str, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpsdiff", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env or ENV, cwd=cwd, timeout=120)


# -- identical inputs ------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--stat"], ["--color", "always"], ["--boilerplate", "hide"]])
def test_identical_inputs_print_nothing_and_exit_0(runner, extra):
    result = invoke(runner, "compare", str(IDENTICAL / "old.txt"), str(IDENTICAL / "new.txt"), *extra)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_the_same_file_twice_prints_nothing_in_a_real_process():
    done = _run("compare", str(FRIDAY), str(FRIDAY))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_verbose_says_identical_and_nothing_when_they_differ(runner):
    same = invoke(runner, "compare", "-v", str(FRIDAY), str(FRIDAY))
    assert (same.exit_code, same.stdout, same.stderr) == (0, f"{FRIDAY} and {FRIDAY} are identical\n", "")
    differ = invoke(runner, "compare", "-v", *PAIR, "--color", "never")
    plain = invoke(runner, "compare", *PAIR, "--color", "never")
    assert differ.exit_code == 1 and differ.stdout == plain.stdout
    both = invoke(runner, "compare", "-v", "-q", *PAIR)
    assert both.exit_code == 2 and both.stdout == "" and "choose one of --quiet and --verbose" in both.stderr


def test_identical_data_and_reports_are_still_written(runner):
    """Data and reports are asked for by name: a program reading the JSON gets its document."""
    args = ("compare", str(IDENTICAL / "old.txt"), str(IDENTICAL / "new.txt"))
    document = json.loads(invoke(runner, *args, "--json").stdout)
    assert document["identical"] is True
    assert "No changes" in invoke(runner, *args, "--format", "html").stdout


# -- folding ----------------------------------------------------------------------------------


def test_default_context_folds_runs_and_all_shows_everything(runner):
    folded = invoke(runner, "compare", *PAIR, "--color", "never").stdout
    every = invoke(runner, "compare", *PAIR, "--color", "never", "--context", "all").stdout
    none = invoke(runner, "compare", *PAIR, "--color", "never", "--context", "0").stdout
    assert "  … 8 unchanged paragraphs (¶29–¶36) …" in folded
    assert "unchanged paragraph" not in every and every.count("\n= ¶") == 15
    # with no context the runs grow by the paragraph kept on each side
    assert "  … 10 unchanged paragraphs (¶28–¶37) …" in none and "  … 2 unchanged paragraphs (¶42–¶43) …" in none
    assert invoke(runner, "compare", *PAIR, "--color", "never", "--context", "1").stdout == folded
    assert invoke(runner, "compare", *PAIR, "--color", "never", "--context", "ALL").stdout == every


@pytest.mark.parametrize("value", ["-1", "x", "1.5", ""])
def test_a_bad_context_is_one_line_and_exit_2(runner, value):
    result = invoke(runner, "compare", *PAIR, "--context", value)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("cpsdiff: error: --context must be") and result.stderr.count("\n") == 1


def test_parse_context():
    assert parse_context(None) == DEFAULT_CONTEXT == 1
    assert parse_context("all") is None and parse_context(" 3 ") == 3 and parse_context(0) == 0


def test_shown_keeps_changes_and_their_neighbours():
    quiet = [True] * 4 + [False] + [True] * 6 + [False] + [True] * 3
    assert shown(quiet, 1) == [False] * 3 + [True] * 3 + [False] * 4 + [True] * 3 + [False] * 2
    assert shown(quiet, None) == [True] * len(quiet)
    assert shown([True] * 5, 2) == [False] * 5  # nothing changed: everything folds
    assert shown([True, False, True, True, True, False], 1) == [True] * 6  # a run of one is shown
    assert shown([False, True, True, True], 0) == [True, False, False, False]


@given(st.lists(st.booleans(), max_size=60), st.one_of(st.none(), st.integers(0, 8)))
def test_shown_is_the_rows_near_a_change_with_no_fold_of_one(quiet, context):
    """Against a plain restatement: rows within ``context`` of a change (every row for None),
    then any lone row left between shown rows (or an edge) shown too."""
    count = len(quiet)
    if context is None:
        near = [True] * count
    else:
        near = [any(not quiet[m] for m in range(max(0, n - context), min(count, n + context + 1))) for n in range(count)]
    expected = [near[n] or ((n == 0 or near[n - 1]) and (n + 1 == count or near[n + 1])) for n in range(count)]
    assert shown(quiet, context) == expected


def test_hidden_chrome_footer_agrees_with_the_summary(runner):
    result = invoke(runner, "compare", *PAIR, "--color", "never", "--boilerplate", "hide")
    summary = json.loads(invoke(runner, "compare", *PAIR, "--json").stdout)["summary"]
    assert f"{summary['boilerplate']} boilerplate" in result.stdout.splitlines()[2]
    footer = result.stdout.rstrip("\n").splitlines()[-1]
    assert footer == (f"({summary['boilerplate']} boilerplate paragraphs hidden, and 4 removed from the old version; "
                      "--boilerplate show to see them)")


# -- -o FILE ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["compare", *PAIR, "--json"],
        ["compare", *PAIR, "--color", "never"],
        ["compare", *PAIR, "--csv"],
        ["compare", *PAIR, "--format", "html"],
        ["lineage", str(SEEDS), "--jsonl"],
        ["lineage", str(SEEDS), "--tsv"],
        ["blame", str(FRIDAY), "--against", str(SEEDS), "--json"],
    ],
    ids=["compare-json", "compare-view", "compare-csv", "compare-html", "lineage-jsonl", "lineage-tsv", "blame-json"],
)
def test_output_file_holds_what_stdout_would(runner, tmp_path, args):
    target = tmp_path / "out"
    to_stdout = invoke(runner, *args)
    to_file = invoke(runner, *args, "-o", str(target))
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert to_file.stdout == "" and to_file.stderr == to_stdout.stderr
    assert target.read_text("utf-8") == to_stdout.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left behind


def test_output_is_replaced_only_when_the_command_finishes(runner, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("keep me", "utf-8")
    target.chmod(0o640)
    failed = invoke(runner, "compare", str(THURSDAY), str(tmp_path / "missing.txt"), "--json", "-o", str(target))
    assert failed.exit_code == 2 and "no such file" in failed.stderr
    assert target.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    done = invoke(runner, "compare", *PAIR, "--json", "-o", str(target))
    assert done.exit_code == 1 and json.loads(target.read_text("utf-8"))["schema"] == "cpsdiff.compare/1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file's permissions are kept


def test_output_through_a_symbolic_link_writes_its_target(runner, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", "utf-8")
    (tmp_path / "link.json").symlink_to(real)
    assert invoke(runner, "compare", *PAIR, "--json", "-o", str(tmp_path / "link.json")).exit_code == 1
    assert (tmp_path / "link.json").is_symlink() and json.loads(real.read_text("utf-8"))["identical"] is False


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "no" / "such" / "dir" / "out.json", "no such file or directory"),
    ],
    ids=["directory", "missing-folder"],
)
@pytest.mark.parametrize(
    "command",
    [["compare", "MISSING", str(FRIDAY)], ["lineage", "MISSING"], ["lineage", "--db", "MISSING"],
     ["blame", "MISSING"], ["stats", "--db", "MISSING"]],
    ids=["compare", "lineage", "lineage-db", "blame", "stats"],
)
def test_a_bad_output_is_one_line_before_any_work(runner, tmp_path, make, message, command):
    """Checked first: the error is the output's, not the missing input's."""
    args = [str(tmp_path / "missing.txt") if a == "MISSING" else a for a in command]
    result = invoke(runner, *args, "-o", str(make(tmp_path)))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("cpsdiff: error: ") and message in result.stderr and result.stderr.count("\n") == 1
    assert "missing.txt" not in result.stderr


def test_output_to_a_device_and_to_dash(runner, tmp_path):
    assert invoke(runner, "compare", *PAIR, "--json", "-o", os.devnull).exit_code == 1
    assert os.path.exists(os.devnull) and stat.S_ISCHR(os.stat(os.devnull).st_mode)  # written, not replaced
    dash = invoke(runner, "compare", *PAIR, "--json", "-o", "-")
    assert json.loads(dash.stdout)["schema"] == "cpsdiff.compare/1"


def test_output_file_gets_no_colour_no_pager_and_compact_json_with_stdout_a_terminal(tmp_path):
    """A real process whose stdout is a terminal: the file is data for programs all the same."""
    controller, terminal = os.openpty()
    try:
        env = {**ENV, "TERM": "xterm-256color", "PAGER": "false"}
        for args, name in (([*PAIR, "--json"], "a.json"), ([*PAIR, "--pager"], "view.txt")):
            process = subprocess.run([sys.executable, "-m", "cpsdiff", "compare", *args, "-o", str(tmp_path / name)],
                                     stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE, env=env,
                                     cwd=ROOT, timeout=120)
            assert process.returncode == 1, process.stderr
    finally:
        os.close(terminal)
        os.close(controller)
    document = (tmp_path / "a.json").read_text("utf-8")
    assert document.count("\n") == 1 and json.loads(document)["identical"] is False
    view = (tmp_path / "view.txt").read_text("utf-8")
    assert "\x1b[" not in view and view.startswith(f"--- {THURSDAY}")


def test_stats_writes_its_file(runner, tmp_path):
    db = tmp_path / "news.db"
    assert invoke(runner, "ingest", str(SEEDS), "--db", str(db), "-q").exit_code == 0
    result = invoke(runner, "stats", "--db", str(db), "--json", "-o", str(tmp_path / "stats.json"))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads((tmp_path / "stats.json").read_text("utf-8"))["versions"] == 3


# -- -V, completion -------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(runner, flag):
    result = invoke(runner, flag)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"cpsdiff {__version__}\n", "")


def test_shell_completion_completes_commands_and_choices():
    env = {**ENV, "_CPSDIFF_COMPLETE": "complete_bash", "COMP_WORDS": "cpsdiff com", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "cpsdiff"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert (done.returncode, done.stdout.split()) == (0, ["compare"])
    env.update(COMP_WORDS="cpsdiff compare --boilerplate ", COMP_CWORD="3")
    done = subprocess.run([sys.executable, "-m", "cpsdiff"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.stdout.split() == ["show", "dim", "hide"]
    env.update(COMP_WORDS="cpsdiff compare --format ", COMP_CWORD="3")
    done = subprocess.run([sys.executable, "-m", "cpsdiff"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.stdout.split() == ["html", "markdown"]


def test_install_completion_writes_the_script_for_the_shell(tmp_path):
    env = {**ENV, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    shown_script = _run("--show-completion", "bash", env=env)
    assert shown_script.returncode == 0 and "_CPSDIFF_COMPLETE=complete_bash" in shown_script.stdout
    done = _run("--install-completion", "bash", env=env)
    assert done.returncode == 0, done.stderr
    script = (tmp_path / ".bash_completions" / "cpsdiff.sh").read_text("utf-8")
    assert "_CPSDIFF_COMPLETE=complete_bash" in script
    assert ".bash_completions/cpsdiff.sh" in (tmp_path / ".bashrc").read_text("utf-8")


# -- $CPSDIFF_DB ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from typer.testing import CliRunner

    db = tmp_path_factory.mktemp("store") / "news.db"
    assert invoke(CliRunner(), "ingest", str(SEEDS), "--db", str(db), "-q").exit_code == 0
    return db


def test_lineage_reads_the_store_named_by_cpsdiff_db(runner, store):
    by_option = invoke(runner, "lineage", "--db", str(store), "--jsonl")
    by_env = invoke(runner, "lineage", "--jsonl", env={"CPSDIFF_DB": str(store)})
    assert by_env.exit_code == by_option.exit_code == 1
    assert by_env.stdout == by_option.stdout and by_env.stdout.count("\n") > 50


def test_lineage_paths_win_over_cpsdiff_db(runner, store, tmp_path):
    from_paths = invoke(runner, "lineage", str(SEEDS), "--jsonl", env={"CPSDIFF_DB": str(tmp_path / "none.db")})
    assert from_paths.exit_code == 1, from_paths.stderr


def test_lineage_without_paths_or_store_says_what_to_give(runner):
    result = invoke(runner, "lineage", env={"CPSDIFF_DB": ""})
    assert result.exit_code == 2 and "set CPSDIFF_DB" in result.stderr


def test_blame_and_stats_read_the_store_named_by_cpsdiff_db(runner, store):
    by_option = invoke(runner, "blame", str(FRIDAY), "--db", str(store), "--json")
    by_env = invoke(runner, "blame", str(FRIDAY), "--json", env={"CPSDIFF_DB": str(store)})
    alone = invoke(runner, "blame", str(FRIDAY), "--json", env={"CPSDIFF_DB": ""})
    assert by_env.stdout == by_option.stdout
    assert len(json.loads(by_env.stdout)["versions"]) == 3 and len(json.loads(alone.stdout)["versions"]) == 1
    stats = invoke(runner, "stats", "--json", env={"CPSDIFF_DB": str(store)})
    assert json.loads(stats.stdout)["db"] == str(store)
