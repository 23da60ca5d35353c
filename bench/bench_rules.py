"""Growth of each boilerplate rule's cost with the paragraph: the built-in rules must stay linear.

    python bench/bench_rules.py [--rules FILE] [--start 100000] [--doublings 3]

Paragraphs are made to provoke backtracking: a prefix a rule looks for ("Updated ", "By Ann ",
"Read more: " …), one long run of a short unit ("1.", "A,", "a/" …) with no spaces, so that
word limits (max_words) still let the rule run, and an ending that makes it fail late ("!",
"."). A first pass at the smallest size finds each rule's three slowest paragraphs; they are
then timed at every size (best of 3); the slowest one's mean growth per doubling is reported.
Linear is ×2; a quadratic rule shows ×4. Under 1 ms at the largest size, the ratio is noise and
is not shown.
With --rules, the rules of FILE are measured instead (under the time budget cpsdiff gives them).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cpsdiff.diff.boilerplate import default_rules, load_rules  # noqa: E402

PREFIXES = ["", "By ", "By Ann ", "Updated ", "Updated on: ", "Photo: ", "photograph: ", "Read more: ",
            "Contact Ann at ", "Follow x on ", "Mon ", "Jan 1 ", "Reporting by ", "© ", "Sign up ", "Get our ",
            "Click here ", "(AP Photo "]
UNITS = ["1", "a", "A", ".", ",", "/", "-", ":", "|", "1.", "a/", "A,", "1:", "x@y", "Ab.", "’"]
ENDS = ["", "!", ".", " A", " end."]


def seconds(rule, text: str, repeats: int = 3) -> float:
    words = len(text.split())
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        rule.explain(text, words, True, True)
        best = min(best, time.perf_counter() - start)
    return best


def paragraph(shape: tuple[str, str, str], size: int) -> str:
    prefix, unit, end = shape
    return prefix + unit * (size // len(unit)) + end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="measure the rules of this TOML file instead of the built-in ones")
    parser.add_argument("--start", type=int, default=100_000, help="characters of the smallest paragraph")
    parser.add_argument("--doublings", type=int, default=3)
    args = parser.parse_args()
    rules = [r for r in load_rules([args.rules]) if not r.builtin] if args.rules else default_rules()
    sizes = [args.start * 2**step for step in range(args.doublings + 1)]
    print(f"| rule | ms at {sizes[-1]:,} characters | growth per doubling | slowest paragraph |")
    print("|---|---:|---:|---|")
    for rule in rules:
        shapes = list(itertools.product(PREFIXES, UNITS, ENDS))
        slowest = sorted(shapes, key=lambda s: seconds(rule, paragraph(s, sizes[0]), 1), reverse=True)[:3]
        worst = None
        for shape in slowest:
            times = [seconds(rule, paragraph(shape, size)) for size in sizes]
            growth = (times[-1] / max(times[0], 1e-9)) ** (1 / args.doublings)
            if worst is None or times[-1] > worst[0]:
                worst = (times[-1], growth, shape)
        shown = f"×{worst[1]:.1f}" if worst[0] >= 1e-3 else "—"
        print(f"| {rule.name} | {worst[0] * 1000:.2f} | {shown} | `{paragraph(worst[2], 12)!r}…` |", flush=True)


if __name__ == "__main__":
    main()
