"""Time and peak memory of ``build_sample`` per scale, each build in its own process.

Every build runs in a fresh child process, so its peak RSS (from ``os.wait4``) is
its own; the child times ``build_sample`` alone (imports excluded) and the parent
reports medians of build seconds, the build's CPU seconds (user + system of all
its threads, steadier than wall time on a busy machine) and the process's peak
RSS per scale. With two scales or more it prints
the largest scale's time against the smallest's beside the linear-growth goal
(scale 5 <= 5.5x scale 1) and the peak RSS beside its goal (< 1.5 GB at any scale).
``--baseline`` adds DuckDB writing the same number of trivial ``range()`` rows.

Usage: python benchmarks/bench_sample_build.py [--repeat N] [--scale S ...] [--baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RSS_GOAL_MB = 1536
RATIO_GOAL = 1.1  # time ratio over scale ratio: 5.5x for 5x the data

_CHILD = """
import json, resource, sys, time
from lgda_nb.sample import build_sample
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, cpu_start = time.perf_counter(), cpu()
build_sample(sys.argv[1], scale=float(sys.argv[2]), overwrite=True)
print(json.dumps({"build": time.perf_counter() - start, "cpu": cpu() - cpu_start}))
"""

_BASELINE = """
import json, sys, time
import duckdb
from lgda_nb.sample import SCHEMA, TABLES, expected_row_counts
counts = expected_row_counts(float(sys.argv[2]))
start = time.perf_counter()
con = duckdb.connect(sys.argv[1])
for table in TABLES:
    columns = ", ".join(f"range + {i} AS c{i}" for i in range(len(SCHEMA[table])))
    con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM range({counts[table]})")
con.execute("CHECKPOINT")
con.close()
print(json.dumps({"build": time.perf_counter() - start, "cpu": 0.0}))
"""


def _run_child(code: str, scale: float) -> dict[str, float]:
    """Run ``code`` in a new interpreter on a fresh file; its build time, CPU, peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(Path(tmp) / "sample.duckdb"), repr(scale)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"build at scale {scale} failed ({proc.returncode})")
    figures = json.loads(out.splitlines()[-1])  # after any DuckDB progress bar
    return {**figures, "rss_mb": usage.ru_maxrss / 1024}  # kilobytes on Linux


def _medians(code: str, scale: float, repeat: int) -> dict[str, float]:
    """Median of each figure over ``repeat`` child builds."""
    runs = [_run_child(code, scale) for _ in range(repeat)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(argv: list[str] | None = None) -> None:
    """Parse options, build each scale ``repeat`` times and print the medians and goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per scale (median)")
    parser.add_argument(
        "--scale", type=float, action="append", help="scale to build; repeatable (default 1 and 5)"
    )
    parser.add_argument("--baseline", action="store_true", help="also time range() rows")
    args = parser.parse_args(argv)
    scales: list[float] = sorted(args.scale or [1.0, 5.0])

    from lgda_nb.sample import expected_row_counts

    print(f"median of {args.repeat} builds per scale, one child process each; load {_load()}")
    print(f"{'scale':>6} {'rows':>11} {'build s':>8} {'cpu s':>7} {'peak RSS':>9} {'range() s':>9}")
    results = {}
    for scale in scales:
        rows = sum(expected_row_counts(scale).values())
        got = results[scale] = _medians(_CHILD, scale, args.repeat)
        base = f"{_medians(_BASELINE, scale, args.repeat)['build']:>9.2f}" if args.baseline else ""
        print(
            f"{scale:>6g} {rows:>11,} {got['build']:>8.2f} {got['cpu']:>7.2f} "
            f"{got['rss_mb']:>6.0f} MB {base}"
        )
    if len(scales) > 1:
        low, high = results[scales[0]], results[scales[-1]]
        goal = RATIO_GOAL * scales[-1] / scales[0]
        build, cpu = high["build"] / low["build"], high["cpu"] / low["cpu"]
        print(
            f"scale {scales[-1]:g} / scale {scales[0]:g}: build {build:.2f}x, "
            f"cpu {cpu:.2f}x (goal <= {goal:.1f}x)"
        )
    peak = max(r["rss_mb"] for r in results.values())
    print(f"peak RSS at any scale built: {peak:.0f} MB (goal < {RSS_GOAL_MB} MB)")


def _load() -> str:
    """The 1-minute load average and the CPU count, to judge the wall times."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
