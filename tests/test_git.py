"""cpsdiff under git, in a temporary repository driven by the real git: as GIT_EXTERNAL_DIFF, as
diff.external with --ext-diff, as a .gitattributes diff driver, and under git difftool -x."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cpsdiff.cli.gitdiff import DEV_NULL, GitCall, is_external_call, parse_call
from cpsdiff.errors import InputError

from .conftest import FRIDAY, THURSDAY

GIT = shutil.which("git")
CPSDIFF = f"{shlex.quote(sys.executable)} -m cpsdiff"
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "NO_COLOR", "CPSDIFF"))}
    environment.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent), GIT_PAGER="cat", PAGER="cat", TERM="dumb")
    environment.update(env or {})
    return subprocess.run([GIT, *args], cwd=repo, capture_output=True, text=True, env=environment, timeout=120)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose last commit edits a story (Thursday → Friday), renames another, adds
    one, deletes one and changes a binary file."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.com")
    git(path, "config", "user.name", "Test")
    (path / "story.txt").write_bytes(THURSDAY.read_bytes())
    (path / "brief.txt").write_text("The council met on Tuesday to discuss the new budget for the year.\n\n"
                                    "The mayor said she would sign it on Friday, after a last review.\n", "utf-8")
    (path / "gone.txt").write_text("A paragraph that goes away in the next commit, with its words.\n", "utf-8")
    (path / "logo.bin").write_bytes(b"\x89PNG\x00\x01")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "Thursday")
    (path / "story.txt").write_bytes(FRIDAY.read_bytes())
    git(path, "mv", "brief.txt", "summary.txt")
    git(path, "rm", "-q", "gone.txt")
    (path / "added.txt").write_text("A new paragraph in a new file, reported on Friday afternoon.\n", "utf-8")
    (path / "logo.bin").write_bytes(b"\x89PNG\x00\x02")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "Friday")
    return path


def _files(output: str) -> list[str]:
    return [line.split("  ")[0] for line in output.splitlines() if line.startswith(("--- ", "+++ ", "Binary "))]


def test_git_external_diff_compares_every_file_and_git_goes_on(repo):
    done = git(repo, "diff", "-M", "HEAD~1", "HEAD", env={"GIT_EXTERNAL_DIFF": CPSDIFF})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert _files(done.stdout) == [
        "--- /dev/null", "+++ b/added.txt",  # added: an empty old side
        "--- a/gone.txt", "+++ /dev/null",  # deleted: an empty new side
        "Binary files a/logo.bin and b/logo.bin differ",
        "--- a/story.txt", "+++ b/story.txt",
    ]
    assert "+18 new  ~6 edited  ⇉1 merged  =13 carried  -10 removed  5 boilerplate  6 moved" in done.stdout
    assert "\n+ ¶1  new\n    A new paragraph in a new file" in done.stdout
    assert "\n- old ¶1  removed\n    A paragraph that goes away" in done.stdout
    assert "[-always has-]{+has always+}" in done.stdout  # no colour: git's output is a pipe here
    assert "summary.txt" not in done.stdout  # a pure rename: identical text, nothing to show


def test_a_rename_with_edits_gets_nine_arguments_and_both_names(repo):
    (repo / "summary.txt").write_text("The council met on Tuesday to discuss the new budget for the year.\n\n"
                                      "The mayor said she would sign it on Monday, after a last review.\n", "utf-8")
    git(repo, "add", ".")
    done = git(repo, "diff", "-M", "--cached", "HEAD~1", env={"GIT_EXTERNAL_DIFF": CPSDIFF})
    assert done.returncode == 0, done.stderr
    assert "--- a/brief.txt" in done.stdout and "+++ b/summary.txt" in done.stdout
    assert "[-Friday-]{+Monday+}" in done.stdout


def test_diff_external_with_ext_diff_in_git_log(repo):
    git(repo, "config", "diff.external", CPSDIFF)
    done = git(repo, "log", "-p", "--ext-diff", "-1", "--", "story.txt")
    assert done.returncode == 0, done.stderr
    assert "--- a/story.txt" in done.stdout and "⇉ ¶13  merged · from old ¶5+¶12" in done.stdout
    plain = git(repo, "log", "-p", "-1", "--", "story.txt")  # without --ext-diff, git's own diff
    assert "@@" in plain.stdout and "⇉" not in plain.stdout


def test_gitattributes_driver_for_articles_only(repo):
    (repo / ".gitattributes").write_text("*.txt diff=cpsdiff\n", "utf-8")
    git(repo, "config", "diff.cpsdiff.command", f"{CPSDIFF} git-diff --boilerplate hide")
    (repo / "notes.md").write_text("# Notes\n", "utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "notes")
    (repo / "notes.md").write_text("# Notes\n\nMore.\n", "utf-8")
    (repo / "story.txt").write_bytes(THURSDAY.read_bytes())
    done = git(repo, "diff")
    assert done.returncode == 0, done.stderr
    assert "--- a/story.txt" in done.stdout and "boilerplate paragraphs hidden" in done.stdout  # the driver's options
    assert "diff --git a/notes.md b/notes.md" in done.stdout and "+More." in done.stdout  # git's own for the rest


def test_colour_when_git_pages(repo):
    done = git(repo, "diff", "HEAD~1", "HEAD", "--", "story.txt",
               env={"GIT_EXTERNAL_DIFF": CPSDIFF, "GIT_PAGER_IN_USE": "true", "TERM": "xterm-256color"})
    assert "\x1b[" in done.stdout
    done = git(repo, "diff", "HEAD~1", "HEAD", "--", "story.txt",
               env={"GIT_EXTERNAL_DIFF": CPSDIFF, "GIT_PAGER_IN_USE": "true", "NO_COLOR": "1"})
    assert "\x1b[" not in done.stdout


def test_unmerged_path(repo):
    git(repo, "checkout", "-q", "-b", "other", "HEAD~1")
    (repo / "story.txt").write_text("Another version of the story, written on another branch.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "other")  # conflicts in story.txt
    done = git(repo, "diff", "--cached", env={"GIT_EXTERNAL_DIFF": CPSDIFF})
    assert done.returncode == 0, done.stderr
    assert "* Unmerged path story.txt" in done.stdout


def test_difftool_with_labels_from_git(repo):
    command = f'{CPSDIFF} compare --color never --label "a/$MERGED" --label "b/$MERGED"'
    done = git(repo, "difftool", "-y", "-x", command, "HEAD~1", "HEAD", "--", "story.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("--- a/story.txt  37 paragraphs") and "+++ b/story.txt  43 paragraphs" in done.stdout


# -- the arguments, without git -------------------------------------------------------------

HEX = "1" * 40


def test_git_arguments_are_recognised_by_their_shape():
    seven = ["story.txt", "/tmp/x", HEX, "100644", "story.txt", "0" * 40, "100644"]
    assert is_external_call(seven, environ={})
    assert is_external_call(["gone.txt", "/tmp/x", HEX, "100644", DEV_NULL, ".", "."], environ={})
    assert not is_external_call(["compare", "a", "b", "--json", "-o", "x", "--csv"], environ={})
    assert not is_external_call(["story.txt"], environ={})
    assert is_external_call(["story.txt"], environ={"GIT_DIFF_PATH_COUNTER": "1"})
    call = parse_call(seven[:4] + ["new.txt", HEX, "100755", "new.txt", "similarity index 90%\n"])
    assert call == GitCall("story.txt", "/tmp/x", "new.txt", "new.txt")
    assert (call.old_label, call.new_label) == ("a/story.txt", "b/new.txt")
    with pytest.raises(InputError, match="the arguments git gives"):
        parse_call(["a", "b"])


def test_git_diff_command_refuses_arguments_git_never_gives(runner):
    from .conftest import invoke

    result = invoke(runner, "git-diff", "a", "b", "c")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("cpsdiff: error: git-diff takes the arguments git gives")


def test_label_names_old_and_new_everywhere(runner):
    from .conftest import invoke

    view = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "-L", "thursday", "--label", "friday",
                  "--color", "never")
    assert view.stdout.startswith("--- thursday  37 paragraphs") and "\n+++ friday  43 paragraphs" in view.stdout
    one = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "--label", "thursday", "--json")
    document = json.loads(one.stdout)
    assert (document["old"]["source"], document["new"]["source"]) == ("thursday", str(FRIDAY))
    many = invoke(runner, "compare", str(THURSDAY), str(FRIDAY), "-L", "a", "-L", "b", "-L", "c")
    assert many.exit_code == 2 and "at most twice" in many.stderr
