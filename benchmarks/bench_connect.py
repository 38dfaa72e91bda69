"""Connected DataFrames and files: what connecting costs, and what the fingerprint that
keeps a changed frame from being answered stale adds to every call.

Side by side, per frame size: connecting the frame, connecting the same rows as a
Parquet file, a cached answer and an uncached one over the frame, and a cached answer
over a sample table of the engine (no fingerprint) as the baseline.

    python benchmarks/bench_connect.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _timing import median_ms

SQL = "SELECT region, SUM(amount) AS total FROM big GROUP BY region"
BASELINE = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import numpy as np
    import pandas as pd

    from lgda_nb import Engine

    rng = np.random.default_rng(0)
    engine = Engine()
    engine.run_sql(BASELINE)
    baseline = median_ms(lambda: engine.run_sql(BASELINE), args.repeat)
    print(f"connected data, median of {args.repeat}; a cached sample answer: {baseline:.3f} ms")
    print(f"{'rows':>10} {'connect':>10} {'parquet':>10} {'cached':>10} {'uncached':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for rows in (1_000, 100_000, 1_000_000):
            frame = pd.DataFrame(
                {
                    "id": np.arange(rows),
                    "amount": rng.random(rows),
                    "region": rng.choice(["North", "South", "East", "West"], rows),
                    "at": pd.Timestamp("2025-01-01")
                    + pd.to_timedelta(rng.integers(0, 10**7, rows), unit="s"),
                }
            )
            started = time.perf_counter()
            engine.connect(big=frame)
            connect = (time.perf_counter() - started) * 1000
            path = Path(folder) / f"big{rows}.parquet"
            frame.to_parquet(path)
            started = time.perf_counter()
            engine.connect(big_file=path)
            parquet = (time.perf_counter() - started) * 1000
            engine.run_sql(SQL)
            cached = median_ms(lambda: engine.run_sql(SQL), args.repeat)
            uncached = median_ms(lambda: engine.run_sql(SQL, use_cache=False), args.repeat)
            print(
                f"{rows:>10,} {connect:>8.1f}ms {parquet:>8.1f}ms {cached:>8.2f}ms "
                f"{uncached:>8.1f}ms"
            )
    engine.close()


if __name__ == "__main__":
    main()
