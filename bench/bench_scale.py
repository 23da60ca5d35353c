"""Corpus scale: ingest + lineage throughput, peak memory and the accuracy of paragraph links
against the generator's ground truth, at several sizes, for the local and the Dask engine.

    python bench/bench_scale.py --stories 1250 --versions 8 --scales 1 2 4 --engines local dask

Every step is a whole process (`cpsdiff ingest`, then `cpsdiff lineage --db … --jsonl`), timed
with GNU time for peak memory. A paragraph link is (story, version k, paragraph p) → (story,
version k+1, paragraph q); cpsdiff's links are read from the families it prints (two
paragraphs sharing a sentence family); the truth comes from the generator, which tracks the
original paragraphs every paragraph holds through edits, moves, merges and splits.

    python bench/bench_scale.py --stories 625 --scales 1 --engines dask --dask-workers 1 2 4

runs the Dask engine on a LocalCluster of 1, 2 and 4 worker processes started by the bench (how
throughput grows with workers). GNU time then sees only the client: the CPU column leaves out the
workers' time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import corpus  # noqa: E402


def timed(command: list[str], stdout) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak RSS in MB) of a whole process; its CPU time includes the
    worker processes it waited for (the local engine's, a LocalCluster's)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *command], stdout=stdout, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr[-2000:])
    seconds, user, system, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(user) + float(system), int(kilobytes) / 1024


def predicted_links(output: Path, where: dict[str, tuple[int, int]]) -> set:
    links = set()
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            by_version = defaultdict(set)
            for a in json.loads(line)["appearances"]:
                story, number = where[a["version"]]
                by_version[story, number].add(a["paragraph"])
            for (story, number), paragraphs in by_version.items():
                for p in paragraphs:
                    for q in by_version.get((story, number + 1), ()):
                        links.add(((story, number, p), (story, number + 1, q)))
    return links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1250)
    parser.add_argument("--versions", type=int, default=8)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--engines", nargs="+", default=["local"])
    parser.add_argument("--keep", type=Path, help="keep the corpora and outputs in this folder")
    parser.add_argument(
        "--dask-workers", type=int, nargs="+", metavar="N",
        help="for the dask engine, run on a LocalCluster of N single-threaded worker processes started "
        "here (passed as --scheduler), once per N, instead of the one cpsdiff starts",
    )
    args = parser.parse_args()
    if args.dask_workers and "dask" not in args.engines:
        parser.error("--dask-workers needs --engines dask")
    cpsdiff = [sys.executable, "-m", "cpsdiff"]
    print("| engine | versions | MB | ingest s | lineage s | total s | versions/s | CPU s (ingest + lineage) | peak MB | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for scale in args.scales:
            truth: list = []
            records = corpus(random.Random(scale), args.stories * scale, args.versions, truth=truth)
            path = folder / f"corpus-{scale}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            where = {f"{path}:{n}": (int(r["story"].split("-")[1]), r["version"]) for n, r in enumerate(records, 1)}
            truth_set = set(truth)
            for engine, workers in _runs(args.engines, args.dask_workers):
                db, output = folder / f"{engine}-{scale}.db", folder / f"{engine}-{scale}.jsonl"
                db.unlink(missing_ok=True)
                flags = ["--engine", engine, "--db", str(db)]
                with _cluster(workers) as address:
                    if address:
                        flags += ["--scheduler", address]
                    ingest_s, ingest_cpu, ingest_mb = timed(cpsdiff + ["ingest", str(path), "-q", *flags], subprocess.DEVNULL)
                    with output.open("w") as sink:
                        lineage_s, lineage_cpu, lineage_mb = timed(cpsdiff + ["lineage", "--jsonl", *flags], sink)
                links = predicted_links(output, where)
                hits = len(links & truth_set)
                total = ingest_s + lineage_s
                name = engine if workers is None else f"{engine}, {workers} worker{'s' if workers > 1 else ''}"
                print(
                    f"| {name} | {len(records):,} | {path.stat().st_size / 1e6:.0f} | {ingest_s:.0f} | {lineage_s:.0f} "
                    f"| {total:.0f} | {len(records) / total:.0f} | {ingest_cpu:.0f} + {lineage_cpu:.0f} "
                    f"| {max(ingest_mb, lineage_mb):.0f} "
                    f"| {hits / max(1, len(links)):.4f} | {hits / max(1, len(truth_set)):.4f} |",
                    flush=True,
                )
                output.unlink()


def _runs(engines: list[str], dask_workers: list[int] | None) -> list[tuple[str, int | None]]:
    """(engine, workers of a cluster started here, or None) for each run."""
    runs: list[tuple[str, int | None]] = []
    for engine in engines:
        if engine == "dask" and dask_workers:
            runs += [(engine, n) for n in dask_workers]
        else:
            runs.append((engine, None))
    return runs


@contextmanager
def _cluster(workers: int | None) -> Iterator[str | None]:
    """The address of a LocalCluster of ``workers`` processes, for the time of one run."""
    if workers is None:
        yield None
        return
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


if __name__ == "__main__":
    main()
