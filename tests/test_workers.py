"""Worker processes end with their parent, however it ends: kill -9 of `cpsdiff ingest` once
left its workers running, holding the store's files and the parent's stdout (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cpsdiff.forked import usable_cpus

from .local_servers import silent_server
from .processes import kill_and_collect

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
    pytest.mark.skipif(usable_cpus() < 2, reason="the local engine uses workers only on 2 or more CPUs"),
]


def test_kill_9_of_ingest_takes_its_workers_with_it(tmp_path):
    # 250 versions fill one batch for the workers; the next input is a page that never comes,
    # so the run is caught mid-way with its workers started.
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": f"v{n}", "text": f"Version {n} of the story.\n\nThe council met on day {n}."}) + "\n"
        for n in range(250)
    ))
    with silent_server() as url:
        process = subprocess.Popen(
            [sys.executable, "-m", "cpsdiff", "ingest", str(corpus), url, "--db", str(tmp_path / "t.db"), "-q"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "CPSDIFF_TIMEOUT": "120"},
        )
        assert kill_and_collect(process) == set()


@pytest.mark.parametrize("disabled", ["end_with_parent", "_exit_when_gone"],
                         ids=["watch thread alone", "kernel alone"])
def test_each_way_alone_ends_the_workers(disabled):
    """The watch thread works everywhere; the kernel's signal (Linux) even while a worker is
    busy in C code. Either is enough on its own."""
    script = textwrap.dedent(f"""
        import multiprocessing, os, sys, time
        import cpsdiff.store.engines as engines

        multiprocessing.set_start_method("fork")
        engines.{disabled} = lambda *args: None  # forked workers see this too

        def pid(batch):
            time.sleep(0.1)
            return os.getpid()

        engine = engines.LocalEngine(workers=2)
        print(sorted(set(engine.map(pid, range(6)))), flush=True)
        time.sleep(120)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert json.loads(process.stdout.readline())
    assert kill_and_collect(process) == set()
    process.stdout.close()
