"""Peak memory of a kernel that runs many large queries: the engine against raw DuckDB.

Goal: with the cache off, 20 queries of 100k rows peak within 1.15x of the same
queries run directly on DuckDB. Each side runs in a fresh process on the sample
database; the script prints both peaks (maximum resident set size), the growth over
each process's footprint after its imports and a warm-up query, and the ratios.
Medians of ``--repeat`` processes per side.

    python benchmarks/bench_memory.py [--queries 20] [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(side: str, queries: int, rows: int) -> None:
    query = f"SELECT * FROM events LIMIT {rows}"
    if side == "duckdb":
        import duckdb

        from lgda_nb._config import load_config
        from lgda_nb.backends._duckdb import default_sample_path

        path = default_sample_path(load_config())
        con = duckdb.connect(str(path), read_only=True)

        def run() -> int:
            return len(con.execute(query).df())

    else:
        from lgda_nb import Engine
        from lgda_nb._config import load_config

        # Large frames are what the goal is about: the row cap must let them through.
        engine = Engine(load_config(**{"cache.enabled": False, "security.max_rows": rows}))

        def run() -> int:
            return len(engine.run_sql(query, limit=rows, use_cache=False).df)

    assert run() == rows  # warm-up: connection, first-use imports
    base = _peak_kb()
    for _ in range(queries):
        assert run() == rows
    print(json.dumps({"base_kb": base, "peak_kb": _peak_kb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["duckdb", "engine"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.queries, args.rows)
        return

    from lgda_nb import Engine

    Engine().run_sql("SELECT 1 AS x")  # make sure the sample exists before measuring
    results: dict[str, list[dict[str, int]]] = {"duckdb": [], "engine": []}
    for _ in range(args.repeat):
        for side, runs in results.items():  # interleaved: both see the same machine state
            command = [sys.executable, __file__, "--child", side]
            command += ["--queries", str(args.queries), "--rows", str(args.rows)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in results[side]) / 1024

    peak = {side: median(side, "peak_kb") for side in results}
    growth = {side: peak[side] - median(side, "base_kb") for side in results}
    print(
        f"{args.queries} queries of {args.rows:,} rows, cache off, "
        f"median of {args.repeat} processes per side"
    )
    print(f"  {'':22}{'peak RSS':>12}{'growth':>12}")
    print(f"  {'duckdb directly':22}{peak['duckdb']:10.1f} MB{growth['duckdb']:10.1f} MB")
    print(f"  {'Engine.run_sql':22}{peak['engine']:10.1f} MB{growth['engine']:10.1f} MB")
    print(f"  peak ratio (goal <= 1.15x)   {peak['engine'] / peak['duckdb']:6.2f}x")
    if growth["duckdb"] > 0:
        print(f"  growth ratio                 {growth['engine'] / growth['duckdb']:6.2f}x")


if __name__ == "__main__":
    main()
