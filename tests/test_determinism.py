"""Same input, same output: nothing may depend on PYTHONHASHSEED (set and dict order of
strings), whatever the size of the input."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from generate import article, corpus, update  # noqa: E402


def _digest(args: list[str], seed: int) -> str:
    env = {"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "cpsdiff", *args], capture_output=True, env=env, cwd=ROOT, check=False)
    assert done.returncode in (0, 1), done.stderr.decode()
    return hashlib.sha256(done.stdout).hexdigest()


@pytest.fixture(scope="module")
def large_pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    rng = random.Random(7)
    old = article(rng, 300_000)
    new = update(rng, old, rate=0.3)
    (folder / "old.txt").write_text("\n\n".join(old), "utf-8")
    (folder / "new.txt").write_text("\n\n".join(new), "utf-8")
    return folder


def test_a_large_comparison_does_not_depend_on_the_hash_seed(large_pair):
    args = ["compare", str(large_pair / "old.txt"), str(large_pair / "new.txt"), "--json"]
    assert len({_digest(args, seed) for seed in (0, 1, 2)}) == 1


def test_a_lineage_does_not_depend_on_the_hash_seed(tmp_path):
    import json

    records = corpus(random.Random(3), stories=6, versions=4, size=1500)
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    args = ["lineage", str(path), "--json"]
    assert len({_digest(args, seed) for seed in (0, 1, 2)}) == 1
