"""Cache hits against the uncached query, retry/breaker overhead, and a soak run.

Goals: a cache hit under 1 ms at the median and >= 100x faster than the uncached
query it replaces; a hit on a 100k-row answer under 0.5 ms; the cache holding as
many answers as its byte bound allows (each answer counted once); retry + breaker
overhead on the happy path under 0.1 ms; the cache within its byte bound and the
process RSS flat over a few thousand calls.

    python benchmarks/bench_cache.py [--repeat 30] [--soak 3000]
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

from _timing import median_ms

QUERY = (
    "SELECT e.traffic_source, e.browser, COUNT(DISTINCT e.session_id) AS sessions, "
    "COUNT(DISTINCT e.user_id) AS users, COUNT(*) AS events FROM events AS e "
    "GROUP BY e.traffic_source, e.browser ORDER BY sessions DESC"
)
ROWS_100K = (
    "SELECT id, order_id, user_id, product_id, status, created_at, sale_price "
    "FROM order_items LIMIT 100000"
)
# Answers of one size: the same numeric columns and row count, other rows each time.
SAME_SIZE = "SELECT id, cost, retail_price FROM products WHERE id > {} ORDER BY id LIMIT 500"
FILL_ANSWERS = 20
QUESTIONS = (
    "revenue by month in 2025",
    "top 5 brands by revenue",
    "orders by status",
    "customers by country",
    "sessions by traffic source",
    "gross margin by department",
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _hit_100k(load_config: Any, repeat: int) -> None:
    """A cache hit on a 100k-row answer: neither copied nor re-measured on a hit."""
    from lgda_nb import Engine

    engine = Engine(load_config(**{"security.max_rows": 100_000}))
    first = engine.run_sql(ROWS_100K, limit=100_000)
    uncached = median_ms(lambda: engine.run_sql(ROWS_100K, limit=100_000, use_cache=False), repeat)
    hit = median_ms(lambda: engine.run_sql(ROWS_100K, limit=100_000), repeat)
    print(f"cache hit on {len(first.df):,} rows ({first.bytes / 1e6:.1f} MB), median of {repeat}")
    print(f"  run_sql uncached              {uncached:8.3f} ms")
    print(f"  run_sql cache hit             {hit:8.3f} ms   (goal < 0.5 ms)")
    engine.close()


def _fill_to_bound(load_config: Any) -> None:
    """Fill a cache bounded at FILL_ANSWERS answers' bytes with more answers of one size."""
    from lgda_nb import Engine

    probe = Engine()
    size = probe.run_sql(SAME_SIZE.format(0)).bytes
    probe.close()
    bound = FILL_ANSWERS * size
    engine = Engine(load_config(**{"cache.max_bytes": bound}))
    for i in range(FILL_ANSWERS + 5):
        engine.run_sql(SAME_SIZE.format(i))
    held, used = len(engine.query_cache), engine.query_cache.bytes
    print(f"cache bounded at {bound:,} bytes, answers of {size:,} bytes each")
    print(f"  answers held {held} of the {bound // size} the bound allows ({used:,} bytes)")
    engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--soak", type=int, default=3000)
    args = parser.parse_args()

    from lgda_nb import Engine
    from lgda_nb._config import load_config
    from lgda_nb._retry import CircuitBreaker, RetryStrategy

    engine = Engine()
    engine.run_sql(QUERY)  # warm: sample, connection, first-use imports
    uncached = median_ms(lambda: engine.run_sql(QUERY, use_cache=False), args.repeat)
    hit = median_ms(lambda: engine.run_sql(QUERY), args.repeat)
    print(f"cache, median of {args.repeat}, an aggregate over the sample's events")
    print(f"  run_sql uncached              {uncached:8.3f} ms")
    print(f"  run_sql cache hit             {hit:8.3f} ms   (goal < 1 ms)")
    print(f"  ratio                         {uncached / hit:8.1f}x  (goal >= 100x)")

    _hit_100k(load_config, args.repeat)
    _fill_to_bound(load_config)

    strategy = RetryStrategy.from_config(engine.config.retry, "backend")
    breaker = CircuitBreaker("bench", threshold=5, window=60, cooldown=30)

    def guarded() -> int:
        breaker.before_call()
        value = 1
        breaker.record_success()
        return value

    def plain() -> int:
        return 1

    bare = median_ms(lambda: [plain() for _ in range(1000)], args.repeat) / 1000
    wrapped = (
        median_ms(
            lambda: [strategy.call(guarded, on_retry=lambda n, e: None) for _ in range(1000)],
            args.repeat,
        )
        / 1000
    )
    print("retry + breaker on the happy path, per call")
    print(f"  bare call                     {bare * 1000:8.2f} us")
    print(f"  through RetryStrategy+breaker {wrapped * 1000:8.2f} us   (goal < 100 us)")
    engine.close()

    bound = 8 * 1024 * 1024
    soak = Engine(load_config(**{"cache.max_bytes": bound}))
    rss_start, peak_bytes = None, 0
    start = time.perf_counter()
    for i in range(args.soak):
        if i % 2:
            soak.ask(QUESTIONS[i % len(QUESTIONS)])
        else:
            soak.run_sql("SELECT * FROM products ORDER BY id", limit=1 + i % 500)
        peak_bytes = max(peak_bytes, soak.query_cache.bytes)
        if i == args.soak // 10:
            rss_start = _rss_mb()
    elapsed = time.perf_counter() - start
    print(f"soak: {args.soak} mixed calls in {elapsed:.1f} s")
    print(f"  cache bytes peak {peak_bytes:,} (bound {bound:,}); entries {len(soak.query_cache)}")
    print(f"  max RSS after 10% of calls {rss_start or 0:.1f} MB, at the end {_rss_mb():.1f} MB")
    soak.close()


if __name__ == "__main__":
    main()
