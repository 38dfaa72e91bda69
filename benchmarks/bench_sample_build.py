"""Time ``build_sample`` against DuckDB writing the same number of trivial rows.

The baseline creates, for every table, a table with the same row and column count
from ``range(n)`` in a fresh DuckDB file; the ratio shows how much the synthetic
data costs on top of merely storing that many rows.

Usage: python benchmarks/bench_sample_build.py [--repeat N] [--scale S ...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb

from lgda_nb.sample import DEFAULT_SCALE, SCHEMA, TABLES, build_sample, expected_row_counts


def _median_seconds(run: Callable[[Path], object], repeat: int) -> float:
    """Median wall time of ``run`` over ``repeat`` fresh temporary directories."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            run(Path(tmp) / "sample.duckdb")
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _range_baseline(path: Path, counts: dict[str, int]) -> None:
    """Write each table's row count of ``range()`` rows with its column count."""
    con = duckdb.connect(str(path))
    try:
        for table in TABLES:
            columns = ", ".join(f"range + {i} AS c{i}" for i in range(len(SCHEMA[table])))
            con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM range({counts[table]})")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    """Parse options, time both builds per scale and print one line per scale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--scale",
        type=float,
        action="append",
        help=f"scale to time; repeatable (default: {DEFAULT_SCALE} and 1.0)",
    )
    args = parser.parse_args(argv)
    scales: list[float] = args.scale or [DEFAULT_SCALE, 1.0]

    # Warm up imports and DuckDB so the first measurement is not an outlier.
    with tempfile.TemporaryDirectory() as tmp:
        build_sample(Path(tmp) / "warmup.duckdb", scale=0.0001)

    print(
        f"{'scale':>6} {'rows':>11} {'build s':>9} {'rows/s':>12} "
        f"{'range() s':>10} {'rows/s':>12} {'ratio':>7}"
    )
    for scale in scales:
        counts = expected_row_counts(scale)
        rows = sum(counts.values())
        build = _median_seconds(partial(build_sample, scale=scale, overwrite=True), args.repeat)
        baseline = _median_seconds(partial(_range_baseline, counts=counts), args.repeat)
        print(
            f"{scale:>6g} {rows:>11,} {build:>9.3f} {rows / build:>12,.0f} "
            f"{baseline:>10.3f} {rows / baseline:>12,.0f} {build / baseline:>6.1f}x"
        )


if __name__ == "__main__":
    main()
