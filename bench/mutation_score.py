"""Mutation score per module from mutmut's results (mutants/*.meta), as a Markdown table.

Run after `mutmut run` (bench/mutation.sh does both). The score is mutmut's own: killed (timeouts
included) over all mutants but the skipped ones, so a mutant that no test reaches counts against it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def module_counts(meta: Path) -> Counter:
    codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return Counter(status_by_exit_code[code] for code in codes.values())


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.glob("cpsdiff/*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run bench/mutation.sh first", file=sys.stderr)
        return 2
    columns = ("killed", "timeout", "survived", "no tests", "not checked")
    print("| module | " + " | ".join(columns) + " | total | score |")
    print("|---" * (len(columns) + 3) + "|")
    overall: Counter = Counter()
    for meta in metas:
        counts = module_counts(meta)
        overall += counts
        print(_row(meta.name.removesuffix(".meta"), counts, columns))
    print(_row("**all**", overall, columns))
    return 0


def _row(name: str, counts: Counter, columns: tuple[str, ...]) -> str:
    killed = counts["killed"] + counts["timeout"]
    tested = sum(counts.values()) - counts["skipped"]
    score = f"{100 * killed / tested:.1f}%" if tested else "–"
    cells = [str(counts[c]) for c in columns]
    return f"| {name} | " + " | ".join(cells) + f" | {sum(counts.values())} | {score} |"


if __name__ == "__main__":
    sys.exit(main())
