"""Is the output the same as an earlier commit's? Every fixture pair, the seeds, generated pairs
and the Clough-Stevenson answers through `compare` in five forms, and corpora through `lineage`.

    python bench/identity.py OLD_COMMIT [--sizes 10000,100000] [--no-lineage]

The earlier commit's package is taken with `git archive` into a temporary directory, and both
trees run as whole processes from there (not from the checkout: `python -m cpsdiff` puts the
current directory before PYTHONPATH, so a run from the checkout would compare it with itself).
Prints each input whose output differs (stdout, stderr and exit status are compared) and a
count, and how many runs ended in trouble (status 2: the same error in both compares little);
exits 1 when any differ. The Clough-Stevenson answers are read in UTF-8 copies. For changes meant to keep the output byte for byte (speed work).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from peers import generated_pairs  # noqa: E402

CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson"
FORMS = (["--json"], ["--color", "never"], ["--color", "always", "--context", "all"], ["--format", "markdown"],
         ["--format", "html"])


def _clough(folder: Path) -> Path | None:
    """The Clough-Stevenson corpus in UTF-8 (17 answers are Windows-1252: read as UTF-8, or a
    UTF-8 source with --encoding cp1252, both trees would only print the same error)."""
    if not CLOUGH.is_dir():
        return None
    copy = folder / "clough-stevenson"
    copy.mkdir(exist_ok=True)
    for path in CLOUGH.glob("*.txt"):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        (copy / path.name).write_text(text, "utf-8")
    return copy


def _pairs(folder: Path, sizes: list[int], clough: Path | None) -> list[tuple[Path, Path]]:
    pairs = []
    for directory in sorted([*ROOT.glob("fixtures/*/"), *ROOT.glob("fixtures/html/*/")]):
        old = sorted([*directory.glob("old.*"), *directory.glob("v1.*")])
        new = sorted([*directory.glob("new.*"), *directory.glob("v2.*")])
        if old and new:
            pairs.append((old[0], new[0]))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pairs += list(zip(seeds, seeds[1:]))
    pairs += [(old, new) for _, old, new in generated_pairs(folder, sizes)]
    for answer in sorted(clough.glob("g*_task*.txt")) if clough else ():
        pairs.append((clough / f"orig_task{answer.stem[-1]}.txt", answer))
    return pairs


def _corpora(clough: Path | None) -> list[list[Path]]:
    corpora = [[ROOT / "seeds"], *([path] for path in sorted((ROOT / "fixtures" / "lineage").iterdir()) if path.name != "bad")]
    return corpora + ([[clough]] if clough else [])


def _environment(tree: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "COLUMNS": "100", "LANG": "C.UTF-8"}


def _check_runs_from(tree: Path, cwd: Path) -> None:
    """That TREE's package is the one imported (not an installed copy), or stop."""
    found = subprocess.run([sys.executable, "-c", "import cpsdiff; print(cpsdiff.__file__)"], cwd=cwd,
                           capture_output=True, text=True, env=_environment(tree), check=True).stdout.strip()
    if not Path(found).is_relative_to(tree):
        sys.exit(f"identity: {tree} is not the package imported ({found})")


def _digest(tree: Path, args: list[str], cwd: Path) -> tuple[str, int]:
    """A digest of the run's stdout, stderr and exit status, and the status."""
    done = subprocess.run([sys.executable, "-m", "cpsdiff", *args], cwd=cwd, capture_output=True, env=_environment(tree))
    return hashlib.sha256(done.stdout + b"\0" + done.stderr + b"\0" + str(done.returncode).encode()).hexdigest(), done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit")
    parser.add_argument("--sizes", default="10000,100000", help="generated pairs, bytes (comma-separated)")
    parser.add_argument("--no-lineage", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        earlier = work / "earlier"
        earlier.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.commit, "cpsdiff"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(earlier)], input=archive.stdout, check=True)
        for tree in (earlier, ROOT):
            _check_runs_from(tree, work)
        clough = _clough(work)
        runs = [["compare", *form, str(old), str(new)]
                for old, new in _pairs(work, [int(s) for s in args.sizes.split(",")], clough) for form in FORMS]
        if not args.no_lineage:
            runs += [["lineage", *map(str, corpus), *form] for corpus in _corpora(clough) for form in (["--json"], ["--color", "never"])]
        differ = failed = 0
        for run in runs:
            before, now = _digest(earlier, run, work), _digest(ROOT, run, work)
            failed += now[1] == 2
            if before != now:
                differ += 1
                print("differs:", " ".join(run), flush=True)
        print(f"{len(runs)} runs, {differ} differ, {failed} ended in trouble (status 2) now")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
