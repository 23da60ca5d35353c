"""cpsdiff as a whole process: entry points, start-up imports, error mapping, broken pipes."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from .conftest import FRIDAY, THURSDAY


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cpsdiff", *args], capture_output=True, text=True, **kwargs
    )


def test_python_dash_m_and_exit_statuses():
    assert run("compare", str(THURSDAY), str(THURSDAY), "-q").returncode == 0
    assert run("compare", str(THURSDAY), str(FRIDAY), "-q").returncode == 1
    missing = run("compare", "nope.txt", str(FRIDAY))
    assert missing.returncode == 2
    assert missing.stderr == "cpsdiff: error: nope.txt: no such file\n"
    usage = run("compare", "--frobnicate", "a", "b")
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_json_path_does_not_import_rich():
    code = (
        "import sys\n"
        "from cpsdiff.cli import main\n"
        f"sys.argv = ['cpsdiff', 'compare', {str(THURSDAY)!r}, {str(FRIDAY)!r}, '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr == "[]"


def test_internal_errors_exit_2_not_1(monkeypatch, capsys):
    from cpsdiff.cli import main
    import cpsdiff.diff.comparison

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cpsdiff.diff.comparison, "compare", broken)
    monkeypatch.setattr(sys, "argv", ["cpsdiff", "compare", str(THURSDAY), str(FRIDAY)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "cpsdiff: internal error: RuntimeError: boom\n"


def _collecting_while(monkeypatch, module, name) -> list[bool]:
    """Whether the garbage collector runs, recorded at each call of module.name."""
    seen = []
    real = getattr(module, name)

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return seen


def test_work_in_memory_runs_without_the_collector_and_resumes_it(monkeypatch, tmp_path):
    import cpsdiff.diff.comparison
    import cpsdiff.lineage.trace
    import cpsdiff.store.lineage

    from .conftest import invoke

    runner = CliRunner()
    compared = _collecting_while(monkeypatch, cpsdiff.diff.comparison, "compare")
    traced = _collecting_while(monkeypatch, cpsdiff.lineage.trace, "lineage")
    streamed = _collecting_while(monkeypatch, cpsdiff.store.lineage, "store_lineage")
    db = tmp_path / "news.db"
    assert invoke(runner, "ingest", str(THURSDAY), str(FRIDAY), "--db", str(db), "-q").exit_code == 0
    for args in (["compare", str(THURSDAY), str(FRIDAY), "--json"], ["lineage", str(THURSDAY), str(FRIDAY), "--json"],
                 ["blame", str(FRIDAY), str(THURSDAY), "--json"], ["lineage", "--db", str(db), "--jsonl"]):
        assert invoke(runner, *args).exit_code == 1
        assert gc.isenabled()
    # compare, lineage and blame (a lineage, then a comparison) of files pause it; a store's
    # lineage streams and keeps it
    assert compared == [False, False] and traced == [False, False] and streamed == [True]


def test_an_error_in_memory_work_resumes_the_collector(monkeypatch):
    from cpsdiff.cli.common import collector_paused

    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("mode", ["--jsonl", "--json", "--color=never"])
def test_closed_pipe_is_quiet(tmp_path, mode):
    # Far more output than a pipe buffer holds, so writing must hit the closed pipe. One big
    # write (--json) into a pipe closed half-way returns short without an error: still trouble.
    paragraphs = [f"Paragraph {n} says the council met on day {n} and voted." for n in range(3000)]
    (tmp_path / "old.txt").write_text("\n\n".join(paragraphs), "utf-8")
    (tmp_path / "new.txt").write_text("\n\n".join(reversed(paragraphs)), "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "cpsdiff", "compare", "old.txt", "new.txt", mode],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        process.stdout.read(100)  # compact JSON is one line: take less than a line
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait()
    assert stderr == ""
    assert process.returncode == 2


@pytest.mark.parametrize("command", [["lineage", "--jsonl"], ["blame", "--json"]])
def test_closed_pipe_is_trouble_for_every_command(tmp_path, command):
    paragraphs = [f"Paragraph {n} says the council met on day {n} and voted." for n in range(3000)]
    (tmp_path / "old.txt").write_text("\n\n".join(paragraphs), "utf-8")
    (tmp_path / "new.txt").write_text("\n\n".join(reversed(paragraphs)), "utf-8")
    name, mode = command
    files = ["new.txt", "old.txt"] if name == "blame" else ["old.txt", "new.txt"]
    with subprocess.Popen(
        [sys.executable, "-m", "cpsdiff", name, *files, mode, "--order", "given"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:
        process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait()
    assert "Traceback" not in stderr and "error" not in stderr
    assert process.returncode == 2
