"""Engine.run_sql beside raw DuckDB ``.df()`` on everyday queries, in one process.

Goal (issue 17): each query <= 1.2x raw DuckDB with the cache off, ``SELECT 1``
<= 1.5 ms of fixed overhead, a cache hit on 100k rows < 0.5 ms. Rounds are
interleaved (raw, engine, raw, engine, ...) so both sides see the same machine
load; medians are printed side by side with their ratios.

    python benchmarks/bench_vs_duckdb.py [--rounds 25] [--scale 1] [--database FILE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

QUERIES = {
    "group-by aggregate": (
        "SELECT p.category, COUNT(*) AS items, SUM(oi.sale_price) AS revenue "
        "FROM order_items AS oi JOIN products AS p ON p.id = oi.product_id "
        "GROUP BY p.category ORDER BY revenue DESC"
    ),
    "100k-row select": (
        "SELECT id, order_id, user_id, product_id, status, created_at, sale_price "
        "FROM order_items LIMIT 100000"
    ),
    "1-row point query": (
        "SELECT order_id, user_id, status, created_at, num_of_item FROM orders "
        "WHERE order_id = 4242"
    ),
    "SELECT 1": "SELECT 1 AS one",
}


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--scale", type=float, default=1.0, help="1 gives 181k order items")
    parser.add_argument("--database", type=Path, help="reuse a sample built earlier")
    args = parser.parse_args()

    import duckdb

    from lgda_nb import Engine
    from lgda_nb._config import load_config
    from lgda_nb.sample import build_sample

    with tempfile.TemporaryDirectory() as tmp:
        path = args.database or build_sample(Path(tmp) / "bench.duckdb", scale=args.scale)
        config = load_config(**{"duckdb.database": str(path), "security.max_rows": 200_000})
        engine = Engine(config)
        # DuckDB allows one configuration per file and process: the raw side reads a copy.
        direct = duckdb.connect(str(shutil.copy(path, Path(tmp) / "direct.duckdb")), read_only=True)
        items = direct.execute("SELECT COUNT(*) FROM order_items").fetchall()[0][0]

        raw: dict[str, list[float]] = {name: [] for name in QUERIES}
        ours: dict[str, list[float]] = {name: [] for name in QUERIES}
        for sql in QUERIES.values():  # warm: file cache, first-use imports, connection
            engine.run_sql(sql, use_cache=False)
            direct.execute(sql).df()
        for round_ in range(args.rounds):
            for name, sql in QUERIES.items():
                sides = [
                    (raw[name], lambda sql=sql: direct.execute(sql).df()),
                    (ours[name], lambda sql=sql: engine.run_sql(sql, use_cache=False)),
                ]
                for samples, fn in sides if round_ % 2 else reversed(sides):
                    samples.append(_ms(fn))

        big = QUERIES["100k-row select"]
        engine.run_sql(big)  # fill the cache
        hits = [_ms(lambda: engine.run_sql(big)) for _ in range(args.rounds)]
        rows = engine.run_sql(big).row_count
        engine.close()
        direct.close()

    print(f"scale {args.scale} ({items:,} order items), median of {args.rounds} interleaved rounds")
    print(f"  {'query':<20} {'raw .df()':>10} {'run_sql':>10} {'ratio':>7} {'overhead':>9}")
    for name in QUERIES:
        r, o = statistics.median(raw[name]), statistics.median(ours[name])
        print(f"  {name:<20} {r:8.2f}ms {o:8.2f}ms {o / r:6.2f}x {o - r:7.2f}ms")
    print(f"  cache hit, {rows:,} rows   {statistics.median(hits):8.3f}ms   (goal < 0.5 ms)")


if __name__ == "__main__":
    main()
