"""Mutation score per module from mutmut's results (mutants/*.meta), as a Markdown table.

Run after `mutmut run` (bench/mutation.sh does both). "score" is mutmut's own: killed (timeouts
included) over all mutants but the skipped ones, so a mutant no test reaches counts against it.
"adjusted" also leaves out the survivors docs/mutation.md lists as equivalent (no test can tell
them from the original). Listed names that no longer survive are reported: the list is stale.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

EQUIVALENT_LIST = Path("docs/mutation.md")
_NAME = re.compile(r"`(cpsdiff\.[^`\s]+__mutmut_\d+)`")


def listed_equivalent(doc: Path = EQUIVALENT_LIST) -> set[str]:
    """Mutant names in the document's "Equivalent" section."""
    if not doc.exists():
        return set()
    text = doc.read_text("utf-8")
    section = re.search(r"^## Equivalent.*?(?=^## |\Z)", text, re.M | re.S)
    return set(_NAME.findall(section.group(0))) if section else set()


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.glob("cpsdiff/**/*.py.meta"))
    if not metas:
        print("no mutmut results under mutants/: run bench/mutation.sh first", file=sys.stderr)
        return 2
    equivalent = listed_equivalent()
    columns = ("killed", "timeout", "survived", "equivalent", "no tests", "not checked")
    print("| module | " + " | ".join(columns) + " | total | score | adjusted |")
    print("|---" * (len(columns) + 4) + "|")
    overall: Counter = Counter()
    stale = set(equivalent)
    for meta in metas:
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        counts: Counter = Counter()
        for name, code in codes.items():
            status = status_by_exit_code[code]
            if name in equivalent and status == "survived":
                stale.discard(name)
                status = "equivalent"
            counts[status] += 1
        overall += counts
        print(_row(meta.relative_to(root / "cpsdiff").as_posix().removesuffix(".meta"), counts, columns))
    print(_row("**all**", overall, columns))
    if stale:
        print(f"\n{len(stale)} mutants listed as equivalent in {EQUIVALENT_LIST} no longer survive "
              f"(or no longer exist): {', '.join(sorted(stale))}", file=sys.stderr)
    return 0


def _row(name: str, counts: Counter, columns: tuple[str, ...]) -> str:
    killed = counts["killed"] + counts["timeout"]
    tested = sum(counts.values()) - counts["skipped"]
    score = f"{100 * killed / tested:.1f}%" if tested else "–"
    adjusted_total = tested - counts["equivalent"]
    adjusted = f"{100 * killed / adjusted_total:.1f}%" if adjusted_total else "–"
    cells = [str(counts[c]) for c in columns]
    return f"| {name} | " + " | ".join(cells) + f" | {sum(counts.values())} | {score} | {adjusted} |"


if __name__ == "__main__":
    sys.exit(main())
