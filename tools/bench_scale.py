"""Scale figures (issue 7): words/s, Dask 2 workers vs 1, incremental rebuild, peak memory.

``python tools/bench_scale.py [--dask N] [--incremental N] [--memory N] [--no-browser]``
generates the synthetic corpora it needs (``tools/bench_corpus.py``, into the git-ignored
``data/bench-corpus/``), measures on them, and prints one line per figure. Every build
here is fresh (``store=None`` or a new store file) unless the line says otherwise, and the
Dask runs share nothing with each other but the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import bench_corpus  # noqa: E402

from geo.build import run, write_build  # noqa: E402
from geo.corpus import _resources  # noqa: E402
from geo.engines import LOCAL_CLUSTER, DaskEngine, local_engine  # noqa: E402
from geo.profile import load_profile  # noqa: E402

CORPORA = ROOT / "data" / "bench-corpus"
BUILDS = ROOT / "data" / "bench-builds"
TARGET_SPEEDUP = 1.7


def corpus(n: int) -> list[Path]:
    """The first ``n`` synthetic articles (generated once, then reused)."""
    folder = CORPORA / str(n)
    bench_corpus.generate(n, folder)
    return sorted(folder.glob("synthetic-*"))


def line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<58}{value}{'   ' + note if note else ''}", flush=True)


def words_per_second(files: list[Path]) -> None:
    build = run(files, engine=local_engine)
    words = sum(a.word_count for a in build.articles)
    stage = build.timings["articles"] + build.timings["gather"]
    whole = sum(build.timings.values())
    line(
        f"single process, {len(files):,} articles ({words:,} words)",
        f"{words / stage / 1e6:.2f} M words/s",
        f"(read + places + events; whole build {words / whole / 1e6:.2f} M words/s)",
    )


def dask_speedup(files: list[Path]) -> None:
    """The per-article stages on a running local cluster of 1 and of 2 worker processes.

    Timed: reading, hashing and sending the files, the workers' parsing, places and events,
    and storing each result, until the last batch is stored (``timings["articles"]``).
    """
    from distributed import Client, LocalCluster

    seconds: dict[int, float] = {}
    for workers in (1, 2):
        t = time.perf_counter()
        with (
            LocalCluster(n_workers=workers, silence_logs=50, **LOCAL_CLUSTER) as cluster,
            Client(cluster) as client,
        ):
            client.run(_resources, str(load_profile().folder))  # each worker loads the gazetteer
            started = time.perf_counter() - t
            build = run(files, engine=DaskEngine(scheduler=cluster.scheduler_address))
            seconds[workers] = build.timings["articles"]
        words = sum(a.word_count for a in build.articles)
        line(
            f"Dask, {workers} worker{'s' if workers > 1 else ''}, {len(files):,} articles",
            f"{seconds[workers]:6.1f} s  ({words / seconds[workers] / 1e6:.2f} M words/s)",
            f"(then {build.timings['gather']:.1f} s to gather; cluster start and "
            f"gazetteer load before it: {started:.1f} s)",
        )
    speedup = seconds[1] / seconds[2]
    verdict = "met" if speedup >= TARGET_SPEEDUP else "MISSED"
    line(
        "Dask speed-up, 2 workers over 1",
        f"{speedup:.2f}x",
        f"(target >= {TARGET_SPEEDUP}x) {verdict}; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}",
    )


def incremental(files: list[Path], extra: Path) -> None:
    """A full build of ``files`` into a new store, then the same plus one new article."""
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as tmp:
        store = Path(tmp) / "store.sqlite"
        t = time.perf_counter()
        write_build(run(files, store=store), Path(tmp) / "out")
        full = time.perf_counter() - t
        t = time.perf_counter()
        again = run([*files, extra], store=store)
        write_build(again, Path(tmp) / "out")
        rebuild = time.perf_counter() - t
    line(
        f"full build, {len(files):,} articles (read, events, write)",
        f"{full:6.1f} s",
    )
    line(
        f"rebuild with 1 new article in {len(files) + 1:,}",
        f"{rebuild:6.1f} s",
        f"({rebuild / full:.1%} of the full build; {again.processed} read, "
        f"{again.cached:,} from the store)",
    )


def peak_memory(folder: Path, n: int, out: Path) -> float:
    """Peak RSS (MB) of ``python -m geo build`` on ``folder``, local engine, no store."""
    command = [sys.executable, "-m", "geo", "build", str(folder), "--out", str(out)]
    command += ["--no-cache", "-q"]
    t = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - t
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        msg = f"geo build exited with {process.returncode}"
        raise RuntimeError(msg)
    mb = usage.ru_maxrss / 1024
    manifest = json.loads((out / "manifest.json").read_text())
    line(
        f"peak memory, {n:,}-article build (one process)",
        f"{mb:6.0f} MB",
        f"({seconds:.0f} s; {manifest['reports']:,} reports, {manifest['events']:,} events, "
        f"{manifest['mentions']:,} mentions)",
    )
    return mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5_000, help="articles for words/s")
    parser.add_argument("--dask", type=int, default=20_000, help="articles for the speed-up")
    parser.add_argument("--incremental", type=int, default=10_000, help="articles before +1")
    parser.add_argument("--memory", type=int, default=50_000, help="articles for peak memory")
    parser.add_argument("--no-browser", action="store_true", help="skip the slider on it")
    args = parser.parse_args(argv)

    print("frontline bench: scale (issue 7), synthetic corpora from tools/bench_corpus.py")
    biggest = max(args.dask, args.incremental + 1, args.memory, args.words)
    files = corpus(biggest)
    words_per_second(files[: args.words])
    dask_speedup(files[: args.dask])
    incremental(files[: args.incremental], files[args.incremental])

    small = max(1, args.memory // 5)
    BUILDS.mkdir(parents=True, exist_ok=True)
    out_small = BUILDS / f"{small}"
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as tmp:
        subset = Path(tmp) / "corpus"
        subset.mkdir()
        for f in files[:small]:
            os.symlink(f, subset / f.name)
        low = peak_memory(subset, small, out_small)
    shutil.rmtree(out_small, ignore_errors=True)
    out = BUILDS / f"{args.memory}"
    high = peak_memory(CORPORA / str(biggest), args.memory, out) if args.memory == biggest else 0
    if high:
        line(
            f"memory growth, {small:,} -> {args.memory:,} articles",
            f"x{high / low:.2f}",
            "(5x the articles; text streams through in batches of 200)",
        )
    if not args.no_browser and high:
        import bench_browser

        bench_browser.main(["--build", str(out), "--passes", "1", "--load-seconds", "0"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
