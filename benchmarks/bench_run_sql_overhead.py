"""Engine.run_sql against the same query run directly on DuckDB.

Goal: within 1.2x on an aggregate over 1M rows. Both sides read the same
read-only database file and return a pandas DataFrame; the engine adds parsing,
checks, transpiling, logging and metrics. Prints medians and the ratio.

    python benchmarks/bench_run_sql_overhead.py [--repeat 15] [--scale 0.5]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _timing import median_ms

QUERY = (
    "SELECT event_type, traffic_source, COUNT(*) AS events, "
    "COUNT(DISTINCT session_id) AS sessions FROM events "
    "GROUP BY event_type, traffic_source ORDER BY events DESC"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--scale", type=float, default=0.5, help="0.5 gives about 1.2M events")
    args = parser.parse_args()

    import duckdb

    from lgda_nb import Engine
    from lgda_nb._config import load_config
    from lgda_nb.sample import build_sample

    with tempfile.TemporaryDirectory() as tmp:
        path = build_sample(Path(tmp) / "bench.duckdb", scale=args.scale)
        config = load_config(**{"duckdb.database": str(path)})
        engine = Engine(config)
        # DuckDB allows one configuration per file and process: the direct side reads a copy.
        copy = shutil.copy(path, Path(tmp) / "direct.duckdb")
        direct = duckdb.connect(str(copy), read_only=True)
        rows = direct.execute("SELECT COUNT(*) FROM events").fetchall()[0][0]
        # Warm both (file cache, first-use imports, connection setup).
        engine.run_sql(QUERY)
        direct.execute(QUERY).df()

        # The cache would answer repeats in microseconds; measure the real pipeline.
        ours = median_ms(lambda: engine.run_sql(QUERY, use_cache=False), args.repeat) / 1000
        theirs = median_ms(lambda: direct.execute(QUERY).df(), args.repeat) / 1000
        engine.close()
        direct.close()

    print(f"aggregate over {rows:,} event rows, median of {args.repeat} runs")
    print(f"  duckdb directly        {theirs * 1000:8.1f} ms")
    print(f"  Engine.run_sql         {ours * 1000:8.1f} ms")
    print(f"  ratio (goal <= 1.20x)  {ours / theirs:8.2f}x")


if __name__ == "__main__":
    main()
