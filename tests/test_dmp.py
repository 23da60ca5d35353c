"""The C++ and the pure-Python diff-match-patch give the same diffs, so output never depends on
which one is installed."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from cpsdiff.diff import dmp

from .conftest import FRIDAY, PAIR_FOLDERS, ROOT, THURSDAY

fast = pytest.importorskip("fast_diff_match_patch")


def _pure_diff(old: str, new: str):
    return dmp._pure().diff_main(old, new, False)


def _named(diff):
    return [(dmp._OPS[op], text) for op, text in diff]


def _random_pair(rng: random.Random) -> tuple[str, str]:
    alphabet = [chr(0x41 + k) for k in range(rng.randint(2, 40))] + ["\u4e00", "\U0001f600", "\u00e9"]
    old = [rng.choice(alphabet) for _ in range(rng.randint(0, 200))]
    new = list(old)
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.4 and new:
            new[rng.randrange(len(new))] = rng.choice(alphabet)
        elif roll < 0.7:
            new.insert(rng.randrange(len(new) + 1), rng.choice(alphabet))
        elif new:
            del new[rng.randrange(len(new))]
    return "".join(old), "".join(new)


def test_both_builds_give_the_same_diffs():
    assert dmp._fast() is not None
    rng = random.Random(5)
    for _ in range(2000):
        old, new = _random_pair(rng)
        raw, readable = dmp.diff_and_readable(old, new)
        expected = _pure_diff(old, new)
        assert [tuple(op) for op in raw] == _named(expected), (old, new)
        dmp._pure().diff_cleanupSemantic(expected)
        assert [tuple(op) for op in readable] == _named(expected), (old, new)


@pytest.mark.parametrize("pair", [(THURSDAY, FRIDAY)] + [(f / "old.txt", f / "new.txt") for f in PAIR_FOLDERS],
                         ids=lambda pair: pair[0].parent.name)
def test_compare_output_is_the_same_with_either_build(pair):
    outputs = set()
    for pure in ("", "1"):
        env = {**os.environ, "CPSDIFF_PURE_DMP": pure}
        done = subprocess.run([sys.executable, "-m", "cpsdiff", "compare", str(pair[0]), str(pair[1]), "--json"],
                              capture_output=True, env=env, cwd=ROOT, check=False)
        assert done.returncode in (0, 1), done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
