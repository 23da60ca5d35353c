"""The store: idempotent, resumable ingest; lineage from the store equals lineage in memory."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

import jsonschema
import pytest

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.errors import CpsdiffError
from cpsdiff.inputs.corpus import iter_corpus, read_corpus
from cpsdiff.lineage.trace import lineage
from cpsdiff.store.ingest import ingest
from cpsdiff.store.lineage import materialise, store_lineage
from cpsdiff.store.versions import Store

from .conftest import FIXTURES, ROOT, SEEDS, invoke

sys.path.insert(0, str(ROOT / "bench"))
from generate import corpus  # noqa: E402

BRIDGE = FIXTURES / "lineage" / "chain_bridge.jsonl"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    records = corpus(random.Random(7), 12, 5, size=1500)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _ingest(db, *paths, **kwargs):
    with Store(str(db)) as store:
        return ingest(store, iter_corpus([str(p) for p in paths], lambda: b""), default_rules(), **kwargs)


def _dump(db) -> dict:
    with Store(str(db)) as store:
        tables = ("versions", "paragraphs", "sentences", "distinct_sentences", "sketches", "texts")
        return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def test_ingesting_twice_adds_nothing(tmp_path, generated):
    first = _ingest(tmp_path / "a.db", generated)
    assert first.added == first.read == 60
    before = _dump(tmp_path / "a.db")
    again = _ingest(tmp_path / "a.db", generated)
    assert (again.read, again.added) == (60, 0)
    assert _dump(tmp_path / "a.db") == before


def test_an_interrupted_ingest_is_consistent_and_resumes(tmp_path, generated):
    versions = list(iter_corpus([str(generated)], lambda: b""))

    def interrupted():
        for n, version in enumerate(versions):
            if n == 23:
                raise KeyboardInterrupt
            yield version

    with pytest.raises(KeyboardInterrupt), Store(str(tmp_path / "b.db")) as store:
        ingest(store, interrupted(), default_rules(), batch=5)
    partial = _dump(tmp_path / "b.db")
    kept = len(partial["versions"])
    assert kept == 20  # whole batches only
    # every kept version has all of its paragraphs and sentences
    for row in partial["versions"]:
        rowid, paragraphs, sentences = row[0], row[10], row[11]
        assert sum(1 for p in partial["paragraphs"] if p[0] == rowid) == paragraphs
        assert sum(1 for s in partial["sentences"] if s[0] == rowid) == sentences
    with Store(str(tmp_path / "b.db")) as store:  # the indexes wait for the bulk load to finish
        assert store.bulk_loading
        assert not store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentences_by_norm'").fetchone()
    resumed = _ingest(tmp_path / "b.db", generated, batch=5)
    assert resumed.added == 60 - kept
    with Store(str(tmp_path / "b.db")) as store:
        assert not store.bulk_loading
        assert store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentences_by_norm'").fetchone()
    _ingest(tmp_path / "c.db", generated, batch=5)
    assert _dump(tmp_path / "b.db") == _dump(tmp_path / "c.db")


@pytest.mark.parametrize("source", ["generated", "bridge"])
def test_store_lineage_equals_in_memory_lineage(tmp_path, generated, source):
    path = generated if source == "generated" else BRIDGE
    _ingest(tmp_path / "d.db", path)
    with Store(str(tmp_path / "d.db")) as store:
        from_store = materialise(store_lineage(store))
    in_memory = lineage(read_corpus([str(path)], lambda: b""))
    assert from_store.method == in_memory.method == "timestamps"
    assert from_store.versions == in_memory.versions
    assert from_store.families == in_memory.families
    # the bridge's updates rewrite dropped sentences (lineage.rewrites): the store finds them too
    assert any(f.first.source for f in from_store.families) == (source == "bridge")


def test_families_built_in_workers_equal_those_built_here(tmp_path, generated, monkeypatch):
    """Families are built in batches in the engine's workers: in small batches there, they and
    every version's counts are what this process builds, and what memory finds."""
    import cpsdiff.store.lineage as store_lineage_module
    from cpsdiff.store.engines import LocalEngine

    _ingest(tmp_path / "w.db", generated)
    with Store(str(tmp_path / "w.db")) as store:
        here = materialise(store_lineage(store))
        monkeypatch.setattr(store_lineage_module, "BATCH_SENTENCES", 7)
        engine = LocalEngine(workers=2)
        try:
            run = store_lineage(store, engine=engine)
            batches = list(store_lineage_module._batches(store, run.versions, lambda *a: None, {}))
            in_workers = materialise(run)
        finally:
            engine.close()
    assert len(batches) > 20  # the families were spread over many batches
    assert in_workers.versions == here.versions == lineage(read_corpus([str(generated)], lambda: b"")).versions
    assert in_workers.families == here.families
    assert sum(v.counts["carried"] for v in here.versions) > 0


@pytest.mark.parametrize("writer", ["json", "jsonl", "tsv"])
def test_views_written_from_families_built_in_workers_are_byte_identical(tmp_path, monkeypatch, writer):
    """The views' work (encoding, filtering, table rows) pickles, runs in the workers on a
    batch's versions only (rewrite sources included), and writes what this process writes."""
    import io

    import cpsdiff.store.lineage as store_lineage_module
    from cpsdiff.lineage.family_work import FamilyFilter
    from cpsdiff.render.json_lineage import write_lineage_json, write_lineage_jsonl
    from cpsdiff.render.table import LINEAGE_COLUMNS, lineage_rows, write_table
    from cpsdiff.store.engines import LocalEngine

    _ingest(tmp_path / "b.db", BRIDGE)
    monkeypatch.setattr(store_lineage_module, "BATCH_SENTENCES", 3)
    keep = FamilyFilter(1, "reporting", False)

    def written(engine) -> str:
        out = io.StringIO()
        with Store(str(tmp_path / "b.db")) as store:
            run = store_lineage(store, engine=engine)
            if writer == "json":
                write_lineage_json(run, keep, out)
            elif writer == "jsonl":
                write_lineage_jsonl(run, keep, out)
            else:
                write_table(LINEAGE_COLUMNS, lineage_rows(run, keep), out, tsv=True)
        return out.getvalue()

    engine = LocalEngine(workers=2)
    try:
        in_workers = written(engine)
    finally:
        engine.close()
    here = written(None)
    assert in_workers == here and len(here.splitlines()) > 10
    assert writer == "tsv" or '"rewritten_from": {' in here


def test_a_store_run_read_twice_counts_each_version_once(tmp_path):
    from cpsdiff.lineage.family_work import family_itself

    _ingest(tmp_path / "b.db", BRIDGE)
    with Store(str(tmp_path / "b.db")) as store:
        run = store_lineage(store)
        first = list(run.each(family_itself))
        counts = [dict(v.counts) for v in run.versions]
        assert list(run.each(family_itself)) == first
        assert [dict(v.counts) for v in run.versions] == counts
    assert counts == [v.counts for v in lineage(read_corpus([str(BRIDGE)], lambda: b"")).versions]


@pytest.mark.parametrize("form", [["--json"], ["--jsonl", "--min-appearances", "2"], ["--csv", "--role", "reporting"],
                                  ["--tsv", "--drift-only"], ["--json", "--role", "boilerplate"]])
def test_lineage_from_a_store_writes_what_lineage_in_memory_writes(runner, tmp_path, monkeypatch, form):
    import cpsdiff.store.lineage as store_lineage_module

    monkeypatch.setattr(store_lineage_module, "BATCH_SENTENCES", 5)
    assert invoke(runner, "ingest", str(BRIDGE), "--db", str(tmp_path / "b.db"), "-q").exit_code == 0
    from_store = invoke(runner, "lineage", "--db", str(tmp_path / "b.db"), *form)
    in_memory = invoke(runner, "lineage", str(BRIDGE), *form)
    assert from_store.exit_code == in_memory.exit_code == 1
    assert from_store.stderr == in_memory.stderr
    assert len(from_store.stdout.splitlines()) >= 2  # a header, or a document, and a family
    if form[0] == "--json":  # a store gives a version's extra fields in key order
        assert json.loads(from_store.stdout) == json.loads(in_memory.stdout)
    else:
        assert from_store.stdout == in_memory.stdout


def test_store_names_a_drifted_quote_s_speaker_from_the_paragraph_before_as_memory_does(tmp_path):
    """The seeds' quotes drift, and a speaker may be named only in the lead-in paragraph, which
    a batch carries for reworded families alone."""
    from cpsdiff.lineage.chronology import OrderMode

    _ingest(tmp_path / "s.db", SEEDS)
    with Store(str(tmp_path / "s.db")) as store:
        from_store = materialise(store_lineage(store, OrderMode.GIVEN))
    in_memory = lineage(read_corpus([str(SEEDS)], lambda: b""), OrderMode.GIVEN)
    assert from_store.families == in_memory.families
    assert any(d.speaker for f in from_store.families for d in f.drift)


WORDS = ("council budget bridge river school union mayor board vote repair ferry pier teachers city "
         "district contract inspectors money plan week").split()


CHROME = ["Photo: AP", "Sign up for our newsletter.", "READ MORE: Council budget hearing set for Tuesday", "1.", "Yes."]


def _rewriting_corpus(path: Path, seed: int, stories_given: bool = True) -> None:
    """Three interleaved stories whose updates merge, split, trim, reword, repeat, echo, drop,
    copy from each other and keep sentences, with chrome and trivial lines about, timestamped:
    a corpus with many rewrites, and paragraphs that move or repeat unchanged."""
    rng = random.Random(seed)

    def sentence() -> str:
        if rng.random() < 0.05:
            return rng.choice(["Yes.", "1 2 3 4 5 6 7 8 9 10.", "No."])
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "."

    texts = [[[sentence() for _ in range(rng.randint(1, 3))] for _ in range(5)] for _ in range(3)]
    with path.open("w", encoding="utf-8") as out:
        for update in range(6):
            for story, paragraphs in enumerate(texts):
                shown = [" ".join(p) for p in paragraphs if p] + ([rng.choice(CHROME)] if rng.random() < 0.3 else [])
                record = {"id": f"s{story}u{update}", "published": f"2025-03-{10 + update:02d}T{8 + story:02d}:00:00+00:00",
                          "text": "\n\n".join(shown) or "Yes."}
                out.write(json.dumps(record | ({"story": f"s{story}"} if stories_given else {})) + "\n")
                for _ in range(2):
                    _change(rng, paragraphs, texts, sentence)


def _change(rng: random.Random, paragraphs: list[list[str]], texts, sentence) -> None:
    p = rng.randrange(len(paragraphs))
    if not paragraphs[p]:
        paragraphs[p] = [sentence()]
        return
    s = rng.randrange(len(paragraphs[p]))
    words = paragraphs[p][s].rstrip(".").split()
    change = rng.choice(["split", "trim", "merge", "repeat", "move", "reword", "echo", "drop", "copy"])
    if change == "split" and len(words) > 8:
        paragraphs[p][s : s + 1] = [" ".join(words[:7]) + ".", " ".join(words[7:] + words[:3]).capitalize() + "."]
    elif change == "trim":
        paragraphs[p][s] = " ".join(words[3:] + ["on", rng.choice(WORDS)]).capitalize() + "."
    elif change == "merge" and len(paragraphs[p]) > s + 1:
        paragraphs[p][s : s + 2] = [paragraphs[p][s].rstrip(".") + ", and " + paragraphs[p][s + 1].lower()]
    elif change == "repeat":
        paragraphs.append([paragraphs[p][s]])
    elif change == "echo":  # one word changed (a near duplicate kept), a clause of it restated
        paragraphs[p][s] = " ".join(words[:-1] + [rng.choice(WORDS)]) + "."
        paragraphs[p].append("So " + " ".join(words[1:9]).lower() + ".")
    elif change == "move":
        paragraphs.insert(0, paragraphs.pop(p))
    elif change == "drop":
        del paragraphs[p][s]
    elif change == "copy":  # a sentence of any story, this one included
        paragraphs[p].append(rng.choice([x for text in texts for q in text for x in q] or [sentence()]))
    else:
        paragraphs[p][s] = " ".join(rng.sample(words, len(words))).capitalize() + "."


def _store_and_memory(tmp_path: Path, path: Path):
    """The lineage of a corpus from a store and in memory, asserted equal; the memory one."""
    _ingest(tmp_path / "both.db", path)
    with Store(str(tmp_path / "both.db")) as store:
        from_store = materialise(store_lineage(store))
    in_memory = lineage(read_corpus([str(path)], lambda: b""))
    assert from_store.versions == in_memory.versions
    assert from_store.families == in_memory.families
    return in_memory


@pytest.mark.parametrize("stories_given", [True, False], ids=["stories given", "stories inferred"])
@pytest.mark.parametrize("seed", range(5))
def test_store_finds_the_rewrites_memory_finds(tmp_path, seed, stories_given):
    path = tmp_path / "rewrites.jsonl"
    _rewriting_corpus(path, seed, stories_given)
    _store_and_memory(tmp_path, path)


def test_the_rewriting_corpora_hold_rewrites_for_the_store_to_find(tmp_path):
    found = 0
    for seed in range(5):
        _rewriting_corpus(tmp_path / "r.jsonl", seed, stories_given=True)
        found += sum(f.first.source is not None for f in lineage(read_corpus([str(tmp_path / "r.jsonl")], lambda: b"")).families)
    assert found >= 10


def test_a_sentence_kept_as_a_near_duplicate_is_no_source_in_the_store_either(tmp_path):
    """Echoes: each sentence kept with one word changed, and a clause of it restated. The kept
    sentence was not dropped, so the clause is new, whichever wording is its family's root."""
    rng = random.Random(7)
    originals = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(6)]
    echoes = [o[:-1] + " " + rng.choice(WORDS) + ". So " + " ".join(o.split()[1:7]).lower() + "." for o in originals]
    path = tmp_path / "echo.jsonl"
    path.write_text("".join(  # a story each: the check must hold for every update alone
        json.dumps({"id": f"s{story}v{i}", "story": f"s{story}", "published": f"2025-03-1{i}T0{story}:00:00+00:00", "text": text}) + "\n"
        for story in range(6) for i, text in enumerate([originals[story], echoes[story]])
    ), "utf-8")
    in_memory = _store_and_memory(tmp_path, path)
    assert sum(len(f.appearances) == 2 for f in in_memory.families) == 6  # every original kept
    assert not any(f.first.source for f in in_memory.families)


@pytest.mark.parametrize("case", ["a dropped sentence near a trivial one", "two sentences near one trivial one"])
def test_trivial_sentences_have_no_relatives_in_the_store_either(tmp_path, case):
    """A trivial sentence ("1 2 3 … 10.") has sketches in the store, but in memory it forms no
    family: it may tie neither two sentences into one family nor keep a dropped one."""
    said = "The council met on Tuesday evening to discuss the annual budget plan."
    if case == "a dropped sentence near a trivial one":
        texts = [("s", said + "\n\n1 2 3 4 5 6 7 8 9 10 apples fell from the old tree near the river."),
                 ("s", said + "\n\n1 2 3 4 5 6 7 8 9 10.\n\nApples fell from the old tree near the river, farmers said.")]
    else:
        texts = [("a", "1 2 3 4 5 6 7 8 9 10 11 12 apples fell from the old tree."), ("b", "1 2 3 4 5 6 7 8 9 10 11 12."),
                 ("c", "Pears dropped into the yard 1 2 3 4 5 6 7 8 9 10 11 12.")]
    path = tmp_path / "trivial.jsonl"
    path.write_text("".join(
        json.dumps({"id": f"v{i}", "story": story, "published": f"2025-03-1{i}T08:00:00+00:00", "text": text}) + "\n"
        for i, (story, text) in enumerate(texts)
    ), "utf-8")
    in_memory = _store_and_memory(tmp_path, path)
    rewrites = sum(f.first.source is not None for f in in_memory.families)
    assert rewrites == (case == "a dropped sentence near a trivial one")


def test_cli_ingest_stats_lineage(runner, tmp_path):
    db = str(tmp_path / "e.db")
    result = invoke(runner, "ingest", str(BRIDGE), str(SEEDS), "--db", db)
    assert result.exit_code == 0 and result.stdout == ""
    assert "9 versions added, 0 already there" in result.stderr
    again = invoke(runner, "ingest", str(BRIDGE), "--db", db, "-q")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    stats = json.loads(invoke(runner, "stats", "--db", db, "--json").stdout)
    assert stats["schema"] == "cpsdiff.stats/1"
    schema = json.loads((Path(__file__).parent.parent / "cpsdiff" / "schemas" / "stats-1.schema.json").read_text())
    jsonschema.validate(stats, schema)
    assert stats["versions"] == 9 and stats["versions_without_story"] == 3
    text = invoke(runner, "stats", "--db", db).stdout
    assert "distinct sentences" in text
    from_db = json.loads(invoke(runner, "lineage", "--db", db, "--json").stdout)
    from_files = json.loads(invoke(runner, "lineage", str(BRIDGE), str(SEEDS), "--json").stdout)
    assert from_db["order"]["method"] == "text"  # the seeds have no timestamps
    assert from_db["families"] == from_files["families"]
    blamed = invoke(runner, "blame", f"{BRIDGE}:3", "--db", db, "--json")
    assert blamed.exit_code == 1, blamed.stderr  # the target has new paragraphs
    assert json.loads(blamed.stdout)["target"] == f"{BRIDGE}:3"


def test_cli_stats_of_versions_without_times_says_none(runner, tmp_path):
    db = str(tmp_path / "seeds.db")
    assert invoke(runner, "ingest", str(SEEDS), "--db", db, "-q").exit_code == 0
    lines = invoke(runner, "stats", "--db", db).stdout.splitlines()
    assert [line.split()[-1] for line in lines if line.startswith(("first time", "last time"))] == ["none", "none"]
    assert json.loads(invoke(runner, "stats", "--db", db, "--json").stdout)["first_time"] is None


def test_cli_store_errors(runner, tmp_path):
    assert "no such database" in invoke(runner, "lineage", "--db", str(tmp_path / "none.db")).stderr
    assert "is a directory" in invoke(runner, "ingest", str(BRIDGE), "--db", str(tmp_path)).stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = invoke(runner, "stats", "--db", str(junk))
    assert result.exit_code == 2 and "not a cpsdiff database" in result.stderr
    both = invoke(runner, "lineage", str(BRIDGE), "--db", str(junk))
    assert both.exit_code == 2 and "one of them" in both.stderr
    empty = invoke(runner, "ingest", str(FIXTURES / "lineage" / "bad" / "empty.jsonl"), "--db", str(tmp_path / "f.db"))
    assert empty.exit_code == 2 and "empty input" in empty.stderr


def test_dask_engine_gives_identical_results(runner, tmp_path, generated):
    pytest.importorskip("dask.distributed")
    local_db, dask_db = str(tmp_path / "local.db"), str(tmp_path / "dask.db")
    assert invoke(runner, "ingest", str(generated), "--db", local_db, "-q").exit_code == 0
    result = invoke(runner, "ingest", str(generated), "--db", dask_db, "-q", "--engine", "dask")
    assert result.exit_code == 0, result.stderr
    assert _dump(local_db) == _dump(dask_db)
    local = invoke(runner, "lineage", "--db", local_db, "--jsonl")
    distributed = invoke(runner, "lineage", "--db", dask_db, "--jsonl", "--engine", "dask")
    assert distributed.exit_code == local.exit_code == 1
    assert distributed.stdout == local.stdout


def _profiling() -> bool:
    import dask

    return dask.config.get("distributed.worker.profile.enabled")


def test_dask_workers_of_its_own_cluster_run_as_the_client_does():
    """Same collector thresholds as the client, no sampling profiler, batches pickled whole,
    results fetched directly."""
    pytest.importorskip("dask.distributed")
    import gc

    from cpsdiff.store.engines import DaskEngine

    before = gc.get_threshold()
    gc.set_threshold(12_345, 17, 99)
    try:
        engine = DaskEngine()
        try:
            assert set(engine.client.run(gc.get_threshold).values()) == {(12_345, 17, 99)}
            assert set(engine.client.run(_profiling).values()) == {False}
            assert engine.client.direct_to_workers
            sent = []
            submit = engine.client.submit
            engine.client.submit = lambda call, batch, **kw: sent.append(type(batch)) or submit(call, batch, **kw)
            assert list(engine.map(sum, [[1, 2], [3]])) == [3, 3]
            assert sent == [bytes, bytes]  # pickled whole: Dask would pickle a list item by item
        finally:
            engine.close()
    finally:
        gc.set_threshold(*before)


def _worker_plugins(dask_scheduler) -> list[str]:
    return sorted(dask_scheduler.worker_plugins)


def test_dask_engine_leaves_an_existing_cluster_as_it_is():
    pytest.importorskip("dask.distributed")
    from distributed import Client, LocalCluster

    from cpsdiff.store.engines import DaskEngine

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        engine = DaskEngine(cluster.scheduler_address)
        try:
            assert list(engine.map(sum, [[1, 2], [3]])) == [3, 3]
        finally:
            engine.close()
        with Client(cluster) as client:
            assert "cpsdiff-gc-thresholds" not in client.run_on_scheduler(_worker_plugins)


def _fails_on_three(batch: list[int]) -> list[int]:
    """Doubles a batch's numbers, the first batches slowest (they finish last), and fails on 3."""
    import time

    time.sleep(max(0, 40 - batch[0]) / 400)
    if 3 in batch:
        raise ValueError("a batch with 3")
    return [n * 2 for n in batch]


def _alive(prefix: str) -> list:
    import threading

    return [thread for thread in threading.enumerate() if thread.name.startswith(prefix)]


def test_dask_results_come_in_order_unpickled_beside_the_caller(monkeypatch):
    """Results are unpickled on a thread of their own (beside the caller's writes), yet come
    in input order though the first batches finish last; a failed batch raises its error in
    the caller; a map ended early leaves no thread behind."""
    pytest.importorskip("dask.distributed")
    import threading

    from distributed import LocalCluster

    import cpsdiff.store.engines as engines

    where = []
    unpickled = engines._unpickled_result
    monkeypatch.setattr(engines, "_unpickled_result", lambda task: where.append(threading.get_ident()) or unpickled(task))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        engine = engines.DaskEngine(cluster.scheduler_address)
        try:
            batches = [[k, k + 10] for k in range(0, 40, 4)]  # no 3 in any
            assert list(engine.map(_fails_on_three, batches)) == [[2 * k, 2 * k + 20] for k in range(0, 40, 4)]
            assert len(where) == len(batches) and threading.get_ident() not in where
            results = engine.map(_fails_on_three, [[1], [2], [3], [4]])
            assert next(results) == [2] and next(results) == [4]
            with pytest.raises(ValueError, match="a batch with 3"):
                next(results)
            results = engine.map(_fails_on_three, [[0], [8], [16]])
            assert next(results) == [0]
            results.close()  # the others still running or waiting
            for thread in _alive("cpsdiff-results"):
                thread.join(timeout=20)
            assert not _alive("cpsdiff-results")
        finally:
            engine.close()


@pytest.fixture
def closed_clusters(monkeypatch) -> list:
    """The LocalClusters closed during the test, in order."""
    pytest.importorskip("dask.distributed")
    import distributed

    closed = []
    close = distributed.LocalCluster.close
    monkeypatch.setattr(distributed.LocalCluster, "close", lambda self, *a, **k: closed.append(self) or close(self, *a, **k))
    return closed


def test_a_dask_engine_closed_while_its_cluster_starts_leaves_nothing_running(closed_clusters):
    from cpsdiff.store.engines import DaskEngine

    closed = closed_clusters
    DaskEngine(aside=True).close()  # at once: the start is still under way
    assert closed and not _alive("cpsdiff-dask-start")


def test_a_dask_engine_that_fails_to_start_leaves_nothing_running(monkeypatch, closed_clusters):
    import distributed

    from cpsdiff.store.engines import DaskEngine

    closed = closed_clusters

    def refuse(self, plugin, **kwargs):
        raise RuntimeError("no plugins here")

    monkeypatch.setattr(distributed.Client, "register_plugin", refuse)
    with pytest.raises(RuntimeError, match="no plugins here"):
        DaskEngine()
    assert closed
    closed.clear()
    engine = DaskEngine(aside=True)  # the error comes at first use
    with pytest.raises(RuntimeError, match="no plugins here"):
        list(engine.map(sum, [[1]]))
    assert closed
    engine.close()  # in a `finally`: it must not raise the start's error again


def test_a_dask_cluster_that_cannot_start_is_a_one_line_error(runner, tmp_path, monkeypatch):
    """lineage starts its cluster aside, ingest before it opens the store: either way one line
    and exit 2, and ingest leaves no store behind."""
    pytest.importorskip("dask.distributed")
    import distributed

    db = str(tmp_path / "s.db")
    assert invoke(runner, "ingest", str(BRIDGE), "--db", db, "-q").exit_code == 0

    def refuse(*args, **kwargs):
        raise OSError("no sockets here")

    monkeypatch.setattr(distributed, "LocalCluster", refuse)
    lineage_run = invoke(runner, "lineage", "--db", db, "--jsonl", "--engine", "dask")
    other = str(tmp_path / "other.db")
    ingest_run = invoke(runner, "ingest", str(BRIDGE), "--db", other, "-q", "--engine", "dask")
    for result in (lineage_run, ingest_run):
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == "cpsdiff: error: cannot start a Dask LocalCluster: no sockets here\n"
    assert not Path(other).exists()


def test_the_dask_engine_needs_dask(monkeypatch):
    import importlib.util

    from cpsdiff.store.engines import DaskEngine

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else find_spec(name, *a))
    with pytest.raises(CpsdiffError, match=r"pip install 'cpsdiff\[dask\]'"):
        DaskEngine()


def test_engine_errors(runner, tmp_path):
    result = invoke(runner, "ingest", str(BRIDGE), "--db", str(tmp_path / "g.db"), "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.stderr
    result = invoke(runner, "ingest", str(BRIDGE), "--db", str(tmp_path / "g.db"), "--engine", "spark")
    assert result.exit_code == 2 and "--engine must be local or dask" in result.stderr


def test_a_store_of_another_schema_is_refused_untouched(tmp_path):
    import sqlite3

    from cpsdiff.errors import InputError

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema', '1');")
    db.close()
    with pytest.raises(InputError, match=r"schema 1, this cpsdiff reads 3: ingest the corpus again into a new store"):
        Store(str(path))
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    assert tables == [("meta",), ("sqlite_autoindex_meta_1",)]


def test_blame_from_a_store_takes_only_related_stories(runner, tmp_path):
    """A credit line ("… contributed to this report") shared by two outlets' stories ties nothing."""
    db = str(tmp_path / "s.db")
    invoke(runner, "ingest", str(BRIDGE), str(SEEDS), "--db", db, "-q")
    result = invoke(runner, "blame", f"{BRIDGE}:3", "--db", db, "--json")
    ids = [v["id"] for v in json.loads(result.stdout)["versions"]]
    assert ids and all(i.startswith(str(BRIDGE)) for i in ids)


# Blame of chain_bridge.jsonl line 3 (the Thursday version, 08d.txt), worked out by hand from the
# six versions. Lines in time order: 2 (Tue 14:05), 6, 4, 1, 5, 3 (Thu 07:15). Per paragraph:
# (status against line 5, the version before, as compare has it; line of origin, or for a
# paragraph whose sentences come from different versions (status, line, paragraph) per sentence;
# boilerplate).
BRIDGE_BLAME = [
    ("carried", 2, True),  # byline
    ("new", 3, False),  # "Divers found cracks ..." lede
    ("new", 3, True),  # READ MORE teaser of this version
    ("carried", 2, False),  # "The 1934 drawbridge ..."
    ("carried", 2, False),  # "We will not reopen" -> "We won't reopen" (line 1), unchanged since
    ("carried", 2, False),  # "up to 40" -> "more than 60" (line 4), unchanged since
    ("new", 3, False),  # divers finished their survey
    ("edited", [("edited", 1, 3), ("edited", 4, 3)], False),  # council vote (line 1) + repairs (line 4); "later" added now
    ("carried", 2, False),  # the barge broke free
    ("carried", 2, False),  # no one was aboard
    ("new", 3, False),  # Brannock's statement
    ("carried", 2, False),  # Harbor Master Fitch's quote
    ("carried", 2, False),  # two paragraphs of line 2 (police, buses) as one
    ("carried", [("edited", 2, 11), ("carried", 1, 13)], False),  # water taxi "will begin" -> "began"; riders
    ("carried", 5, False),  # Pilar Ruzicka, first in line 5
    ("carried", 2, False),  # the 2019 closure cost
    ("carried", 4, True),  # contributed to this report, first in line 4
    ("carried", 2, True),  # staff signature
]


def test_blame_from_a_store_names_each_paragraphs_origin(runner, tmp_path):
    db = str(tmp_path / "b.db")
    invoke(runner, "ingest", str(BRIDGE), str(SEEDS), "--db", db, "-q")
    result = invoke(runner, "blame", f"{BRIDGE}:3", "--db", db, "--json")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert [v["id"] for v in document["versions"]] == [f"{BRIDGE}:{n}" for n in (2, 6, 4, 1, 5, 3)]
    assert document["since"] == f"{BRIDGE}:5"
    paragraphs = document["paragraphs"]
    assert len(paragraphs) == len(BRIDGE_BLAME)
    for paragraph, (status, origin, boilerplate) in zip(paragraphs, BRIDGE_BLAME):
        where = f"¶{paragraph['index'] + 1}"
        assert paragraph["status"] == status, where
        assert (paragraph["role"] == "boilerplate") == boilerplate, where
        if isinstance(origin, list):
            assert paragraph["origin"] is None, where
            got = [(s["status"], s["origin"], s["origin_paragraph"] + 1) for s in paragraph["sentences"]]
            assert got == [(st, f"{BRIDGE}:{line}", p) for st, line, p in origin], where
        else:
            assert paragraph["origin"] == f"{BRIDGE}:{origin}", where
    # the word changes since a sentence first appeared, and since the version before
    assert ["-", "up to 40"] in paragraphs[5]["sentences"][0]["diff"]
    assert ["+", "more than 60"] in paragraphs[5]["sentences"][0]["diff"]
    assert paragraphs[5]["diff"] is None
    assert ["+", "later "] in paragraphs[7]["diff"]

def test_a_batch_is_written_as_its_versions_one_at_a_time(tmp_path, generated):
    """Store.write gives each table one statement for a whole batch: the rows (and their ids),
    the sketches and the full-text index must be those of writing the versions one by one, with
    texts that are one version's whole text and another's paragraph, in either order."""
    from cpsdiff.inputs.corpus import Version
    from cpsdiff.store.analysis import analyse

    rules = default_rules()
    edge = [Version("a", "Delta four whole.\n\nEpsilon five.", "s1", 1),
            Version("b", "Intro.\n\nDelta four whole.\n\nEpsilon five.", "s1", 2),
            Version("c", "Omicron line one\nstill one paragraph", "s2", 1),
            Version("d", "Pi.\n\nOmicron line one\nstill one paragraph", "s2", 2),
            Version("x", "Rho line\nsigma.", "s4", 1),  # one paragraph a line; its whole text is…
            Version("y", "Tau.\n\nRho line\nsigma.", "s4", 2),  # …a paragraph here
            Version("e", "Kappa.", "s3", 1), Version("f", "Lambda.\n\nKappa.", "s3", 2), Version("a2", "Kappa.", "s3", 1)]
    analysed = [analyse(v, rules) for v in list(iter_corpus([str(generated)], lambda: b""))[:20] + edge]
    contents = []
    for name, batches in (("batch", [analysed[:10], analysed[10:]]), ("single", [[a] for a in analysed])):
        with Store(str(tmp_path / f"{name}.db")) as store:
            store.write(analysed[:3])  # not a bulk load: the search index is kept up to date
            for batch in batches:
                store.write(batch)
            db = store.db
            db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, texts_fts, instance)")
            indexed = {rowid for (rowid,) in db.execute("SELECT DISTINCT doc FROM temp.terms")}
            whole = {rowid for (rowid,) in db.execute(
                "SELECT id FROM texts WHERE hash NOT IN (SELECT text_hash FROM paragraphs)")}
            assert indexed and not indexed & whole  # paragraphs are indexed, whole texts not
            contents.append((_dump(tmp_path / f"{name}.db"), sorted(db.execute("SELECT * FROM temp.terms"))))
    assert contents[0] == contents[1]


def _sql(path) -> list[str]:
    """Everything a store holds, the full-text index included, as SQL."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def analysed(generated):
    from cpsdiff.store.analysis import analyse

    rules = default_rules()
    return [analyse(v, rules) for v in list(iter_corpus([str(generated)], lambda: b""))[:12]]


def test_rows_of_a_rolled_back_batch_are_written_again(tmp_path, analysed):
    """The store keeps the keys of texts and sentences it has written, to leave out rows it
    holds already: those of a transaction that rolled back are not held, and go in again."""
    with Store(str(tmp_path / "once.db")) as store:
        store.write(analysed[:4])
        store.write(analysed[4:])
    with Store(str(tmp_path / "again.db")) as store:
        store.write(analysed[:4])
        with pytest.raises(RuntimeError), store.write_lock():
            store.write(analysed[4:])
            raise RuntimeError("the disk is full")
        store.write(analysed[4:])
    assert _sql(tmp_path / "again.db") == _sql(tmp_path / "once.db")


def test_a_failed_write_caught_inside_the_lock_leaves_no_key_behind(tmp_path, analysed):
    """A statement that failed may have written some of its rows: none of its keys count as
    stored, even when the caller goes on and the transaction commits."""
    from dataclasses import replace

    first = analysed[0]
    unwritable = list(first.paragraphs)
    unwritable[-1] = (unwritable[-1][0], "a lone surrogate \ud800", *unwritable[-1][2:])
    with Store(str(tmp_path / "s.db")) as store:
        with store.write_lock():
            with pytest.raises(UnicodeEncodeError):
                store.write([replace(first, paragraphs=tuple(unwritable))])
        store.write(analysed)
        for a in analysed:
            for paragraph in a.paragraphs:
                assert store.db.execute("SELECT 1 FROM texts WHERE hash = ?", (paragraph[2],)).fetchone()


class _Connection:
    """A store's connection, wrapped: what a subclass does not change goes to the connection."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        return getattr(self._db, name)


class _CommitFails(_Connection):
    """A connection whose first COMMIT fails: rolled back, as SQLite does when the disk fills,
    or left open, as after SQLITE_BUSY."""

    def __init__(self, db, rolled_back: bool):
        super().__init__(db)
        self._rolled_back, self._failed = rolled_back, False

    def execute(self, sql, *args):
        if sql == "COMMIT" and not self._failed:
            self._failed = True
            if self._rolled_back:
                self._db.rollback()
            raise sqlite3.OperationalError("database or disk is full" if self._rolled_back else "database is locked")
        return self._db.execute(sql, *args)


@pytest.mark.parametrize("rolled_back", [True, False])
def test_a_batch_whose_commit_failed_is_written_again(tmp_path, analysed, rolled_back):
    with Store(str(tmp_path / "once.db")) as store:
        store.write(analysed)
    with Store(str(tmp_path / "again.db")) as store:
        store.db = _CommitFails(store.db, rolled_back)
        with pytest.raises(sqlite3.OperationalError):
            store.write(analysed)
        store.write(analysed)
        store.db = store.db._db
    assert _sql(tmp_path / "again.db") == _sql(tmp_path / "once.db")


def test_committed_keys_count_once_committed_and_are_bounded(monkeypatch):
    from cpsdiff.store import committed

    keys = committed.Committed()
    assert keys.may_be_missing("a")
    keys.written(["a"])
    assert not keys.may_be_missing("a")  # written in this transaction
    keys.rollback()
    assert keys.may_be_missing("a")
    keys.written(["a"])
    keys.commit()
    assert not keys.may_be_missing("a")
    monkeypatch.setattr(committed, "LIMIT", 2)
    keys.written(["b", "c"])
    keys.commit()  # past the limit: what came before is forgotten, this transaction's kept
    assert keys.may_be_missing("a") and not keys.may_be_missing("b") and not keys.may_be_missing("c")
    keys.written(["d", "e", "f"])
    keys.commit()  # one transaction past the limit on its own: nothing kept
    assert all(keys.may_be_missing(key) for key in "abcdef")
    keys.written(["x"])
    keys.commit()
    keys.written(["y"])
    keys.commit()  # at the limit, not past it: all kept
    assert not keys.may_be_missing("x") and not keys.may_be_missing("y")


class _Offered(_Connection):
    """A connection that counts the rows offered to each INSERT OR IGNORE."""

    def __init__(self, db):
        super().__init__(db)
        self.rows = {}

    def executemany(self, sql, rows):
        rows = list(rows)
        if sql.startswith("INSERT OR IGNORE"):
            self.rows[sql.split()[4]] = self.rows.get(sql.split()[4], 0) + len(rows)
        return self._db.executemany(sql, rows)


def test_texts_and_sentences_committed_once_are_not_offered_again(tmp_path, analysed):
    """Versions of a story repeat most of their text: what the store was given before, in this
    batch or an earlier one, goes to SQLite once."""
    from dataclasses import replace

    from cpsdiff.inputs.corpus import Version
    from cpsdiff.store.analysis import analyse

    republished = replace(analysed[0], key="a second version with the first one's text", story="another")
    spaced = "A paragraph  with two spaces, kept as written."  # its text hash is not its exact hash
    first, second = (analyse(Version(f"w{n}", f"{spaced}\n\nEnd {n}.", "w", n), default_rules()) for n in (1, 2))
    with Store(str(tmp_path / "s.db")) as store:
        store.db = offered = _Offered(store.db)
        store.write(analysed[:6] + [first])
        store.write(analysed[6:] + [republished, second])
        store.db = offered._db
        texts = store.db.execute("SELECT count(*) FROM texts").fetchone()[0]
        sentences = store.db.execute("SELECT count(*) FROM distinct_sentences").fetchone()[0]
    assert offered.rows == {"texts": texts, "distinct_sentences": sentences}
