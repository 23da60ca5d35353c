"""cpsdiff as a whole process: entry points, start-up imports, error mapping, broken pipes."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
