"""Work in a second process gives the result the same work gives in process, and the comparison
of long texts does not depend on whether a second process found its spans."""

from __future__ import annotations

import gc
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import threading
from types import SimpleNamespace

import pytest

from cpsdiff.diff import align, comparison, provenance
from cpsdiff.diff.comparison import compare
from cpsdiff import forked
from cpsdiff.forked import Forked, Spare, _cgroup_cpu_quota, usable_cpus
from cpsdiff.render.json_compare import comparison_to_dict
from cpsdiff.text.segment import parse_document

from .conftest import ROOT
from .processes import kill_and_collect

sys.path.insert(0, str(ROOT / "bench"))
from generate import article, update  # noqa: E402
from peers import _heavy  # noqa: E402

from tests.articles import rare_phrase_pair  # noqa: E402

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@pytest.fixture
def alone(monkeypatch):
    """As if no other thread ran: other tests leave threads in this process (Dask's offload
    thread), and Forked would rightly do the work in process. The work forked here takes no lock."""
    monkeypatch.setattr(forked, "threading", SimpleNamespace(active_count=lambda: 1))


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails(message: str) -> None:
    raise ValueError(message)


def _dies_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(3)
    return 42


@needs_fork
def test_the_result_comes_from_a_child_process(alone):
    pid, value = Forked(_pid_and, 21).result()
    assert value == 42
    assert pid != os.getpid()


@needs_fork
def test_an_error_in_the_work_is_raised_by_result_as_if_done_here(alone):
    work = Forked(_fails, "no such paragraph")
    with pytest.raises(ValueError, match="no such paragraph"):
        work.result()


@needs_fork
def test_a_child_that_dies_leaves_the_work_to_the_caller(alone):
    assert Forked(_dies_in_a_child, os.getpid()).result() == 42


def test_with_other_threads_running_the_work_is_done_in_process():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pid, value = Forked(_pid_and, 4).result()
    finally:
        stop.set()
        thread.join()
    assert (pid, value) == (os.getpid(), 8)


def test_usable_cpus_is_at_least_one():
    assert usable_cpus() >= 1


@pytest.fixture(scope="module")
def long_pair():
    rng = random.Random(11)
    old = article(rng, 60_000)
    new = update(rng, old, rate=0.3)
    return parse_document("\n\n".join(old), "old"), parse_document("\n\n".join(new), "new")


@needs_fork
def test_a_comparison_is_the_same_whether_a_second_process_finds_its_spans(long_pair, monkeypatch, alone):
    in_process = comparison_to_dict(compare(*long_pair))
    children = []

    def forking(*args):
        work = Forked(*args)
        children.append(work._child)
        # the spans are the child's: found again here (the child failing, or not asked), they
        # would cost what the child saved. The child forked before this, so it is unaffected.
        monkeypatch.setattr(provenance, "find_spans", _fails)
        return work

    monkeypatch.setattr(forked, "Forked", forking)
    monkeypatch.setattr(comparison, "BACKGROUND_CHARACTERS", 0)
    together = comparison_to_dict(compare(*long_pair, processes=2))
    assert len(children) == 1 and children[0] is not None
    assert together == in_process
    assert any(p["spans"] for p in together["new"]["paragraphs"])


def _length(pair) -> int:
    return sum(len(document.text) for document in pair)


@pytest.mark.parametrize(
    ("processes", "threshold", "expected"),
    [(None, 0, False), (1, 0, False), (2, "above", False), (2, "exactly", True), (2, 0, True)],
)
def test_a_second_process_is_used_only_when_asked_for_and_the_texts_are_long(long_pair, monkeypatch, processes, threshold, expected):
    forks = []
    monkeypatch.setattr(forked, "Forked", lambda *args: forks.append(args) or Forked(*args))
    length = _length(long_pair)
    monkeypatch.setattr(comparison, "BACKGROUND_CHARACTERS", {"above": length + 1, "exactly": length}.get(threshold, threshold))
    if processes is None:  # a library caller that does not ask never gets a fork
        compare(*long_pair)
    else:
        compare(*long_pair, processes=processes)
    assert bool(forks) == expected


@needs_fork
def test_with_sigchld_ignored_the_childs_result_is_still_used(alone):
    """A caller that ignores SIGCHLD (inherited across exec) has its children reaped at once:
    waitpid finds none, and the result is taken from what the child sent."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        pid, value = Forked(_pid_and, 5).result()
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert value == 10
    assert pid != os.getpid()


@needs_fork
def test_a_child_whose_result_is_not_wanted_is_stopped_and_reaped(alone):
    work = Forked(time.sleep, 60)
    pid = work._child[0]
    work.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already: no zombie left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends the child on Linux")
def test_the_child_ends_when_the_caller_is_killed():
    script = textwrap.dedent("""
        import time
        from cpsdiff.forked import Forked
        work = Forked(time.sleep, 120)
        time.sleep(120)
    """)
    caller = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    assert kill_and_collect(caller) == set()


@pytest.mark.parametrize(("content", "cpus"), [
    ("max 100000\n", None), ("200000 100000\n", 2), ("150000 100000\n", 2), ("50000 100000\n", 1), ("", None), ("x y", None),
])
def test_a_containers_cpu_quota_is_read_from_cgroup_v2(tmp_path, content, cpus):
    path = tmp_path / "cpu.max"
    path.write_text(content)
    assert _cgroup_cpu_quota(path) == cpus
    assert _cgroup_cpu_quota(tmp_path / "missing") is None


@pytest.mark.parametrize(("cpus", "expected"), [(1, False), (2, True)])
def test_processes_none_uses_a_second_process_where_a_second_cpu_is_usable(long_pair, monkeypatch, cpus, expected):
    forks = []
    monkeypatch.setattr(forked, "Forked", lambda *args: forks.append(args) or Forked(*args))
    monkeypatch.setattr(forked, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(comparison, "BACKGROUND_CHARACTERS", 0)
    compare(*long_pair, processes=None)
    assert bool(forks) == expected


def _finished(work: Forked, seconds: float = 10) -> bool:
    end = time.monotonic() + seconds
    while work.running() and time.monotonic() < end:
        time.sleep(0.01)
    return not work.running()


@needs_fork
def test_a_child_is_running_until_its_result_is_written(alone):
    slow = Forked(time.sleep, 60)
    try:
        assert slow.running()
    finally:
        slow.close()
    assert not slow.running()  # stopped: nothing more to wait for
    quick = Forked(_pid_and, 2)
    assert _finished(quick)
    assert quick.result()[1] == 4
    assert not quick.running()


@needs_fork
def test_the_callers_objects_are_left_to_its_garbage_collector(alone):
    """Frozen across the fork only, so that a collection in the child copies no memory."""
    Forked(_pid_and, 1).result()
    assert gc.get_freeze_count() == 0


@needs_fork
def test_a_spare_cpu_is_one_no_other_child_is_still_using(alone):
    busy = Forked(time.sleep, 60)
    try:
        assert Spare(2, busy).start(_pid_and, 1) is None
    finally:
        busy.close()
    assert Spare(1).start(_pid_and, 1) is None
    done = Forked(_pid_and, 1)
    assert _finished(done)
    started = Spare(2, done).start(_pid_and, 3)
    assert started is not None
    pid, value = started.result()
    assert value == 6 and pid != os.getpid()


@pytest.fixture(scope="module")
def long_rewrite():
    rng = random.Random(5)
    old = article(rng, 40_000)
    new = _heavy(rng, old)
    return parse_document("\n\n".join(old), "old"), parse_document("\n\n".join(new), "new")


def _fewer_thresholds(monkeypatch) -> None:
    monkeypatch.setattr(align, "BACKGROUND_PARAGRAPHS", 40)
    monkeypatch.setattr(align, "BACKGROUND_VERIFICATIONS", 40)


@needs_fork
def test_a_long_rewrite_is_aligned_the_same_whether_a_second_process_helps(long_rewrite, monkeypatch, alone):
    old, new = long_rewrite
    chrome = ([False] * len(old.paragraphs), [False] * len(new.paragraphs))
    _fewer_thresholds(monkeypatch)
    verified = []
    accept = align._accept_pair
    monkeypatch.setattr(align, "_accept_pair", lambda edge, *args: verified.append(edge) or accept(edge, *args))
    alone_links = align.align(old, new, *chrome)
    alone_verified, verified[:] = len(verified), []
    started = []

    def forking(function, *args):
        started.append((function.__name__, len(args[0]) if function is align._verdicts else None))
        return Forked(function, *args)

    monkeypatch.setattr(forked, "Forked", forking)
    helped_links = align.align(old, new, *chrome, Spare(2))
    (edges_child, _), (verdicts_child, handed) = started  # half the candidate edges, a share of the verifications
    assert (edges_child, verdicts_child) == ("_edges_from", "_verdicts")
    assert helped_links == alone_links
    # the child's verdicts are the ones used: this process verified only the rest
    assert alone_verified - handed <= len(verified) < alone_verified
    assert handed >= 20
    assert sum(link.kind.value == "edited" and link.words is not None for link in helped_links) >= 40


@needs_fork
def test_the_candidate_edges_are_the_same_whether_a_second_process_finds_half(long_rewrite, monkeypatch, alone):
    old_doc, new_doc = long_rewrite
    old = {i: align._Features.of(p, False) for i, p in enumerate(old_doc.paragraphs)}
    new = {j: align._Features.of(p, False) for j, p in enumerate(new_doc.paragraphs)}
    _fewer_thresholds(monkeypatch)

    def found(spare):
        edges, rare = align._candidate_edges(old, new, sorted(old), sorted(new), spare)
        return [(e.old, e.new, e.weight, e.evidence) for e in edges], rare

    alone_edges = found(None)
    started = []
    monkeypatch.setattr(forked, "Forked", lambda function, *args: started.append(function.__name__) or Forked(function, *args))
    assert found(Spare(2)) == alone_edges
    assert started == ["_edges_from"]
    assert len(alone_edges[0]) >= len(new) // 2


@needs_fork
def test_objects_the_caller_froze_itself_stay_frozen(alone):
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        Forked(_pid_and, 1).result()
        assert gc.get_freeze_count() == frozen > 0
    finally:
        gc.unfreeze()


@needs_fork
def test_a_child_is_watched_whatever_the_number_of_its_pipe(alone):
    """A caller with many files open gets pipe descriptors past 1024, which select cannot watch."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1500
    if hard != resource.RLIM_INFINITY and hard <= high:
        pytest.skip(f"this process may not open descriptor {high}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, high + 1), hard))
    try:
        slow = Forked(time.sleep, 60)
        pid, read = slow._child
        os.dup2(read, high)
        os.close(read)
        slow._child = (pid, high)
        try:
            assert slow.running()
        finally:
            slow.close()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_no_spare_cpu_is_offered_where_no_child_can_be_forked():
    """With other threads running, Forked works in process when asked: Spare says so at once,
    so that the caller does only the part of the work it needs."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert Spare(2).start(_pid_and, 1) is None
    finally:
        stop.set()
        thread.join()


@needs_fork
def test_the_second_process_keeps_a_candidate_only_a_rare_phrase_makes(monkeypatch, alone):
    """The later half of the NEW paragraphs, the child's, holds the pair only a rare phrase ties."""
    old, new = rare_phrase_pair()
    old_doc = parse_document(f"{old}\n\nThe weather stayed dry all week in the valley.", "old")
    new_doc = parse_document(f"A new bakery opened on Main Street on Saturday.\n\n{new}", "new")
    monkeypatch.setattr(align, "BACKGROUND_PARAGRAPHS", 2)
    started = []
    monkeypatch.setattr(forked, "Forked", lambda function, *args: started.append(function.__name__) or Forked(function, *args))
    links = align.align(old_doc, new_doc, [False, False], [False, False], Spare(2))
    assert started == ["_edges_from"]
    assert [(link.kind.value, link.old, link.new) for link in links] == [("edited", (0,), (1,))]


@needs_fork
def test_a_spare_cpu_is_lent_to_one_child_at_a_time(alone):
    spare = Spare(2)
    slow = spare.start(time.sleep, 60)
    try:
        assert slow is not None
        assert spare.start(_pid_and, 1) is None  # the first still works
    finally:
        slow.close()
    assert spare.start(_pid_and, 2).result()[1] == 4
