"""Cache hits against the uncached query, retry/breaker overhead, and a soak run.

Goals: a cache hit under 1 ms at the median and >= 100x faster than the uncached
query it replaces; retry + breaker overhead on the happy path under 0.1 ms; the
cache within its byte bound and the process RSS flat over a few thousand calls.

    python benchmarks/bench_cache.py [--repeat 30] [--soak 3000]
"""

from __future__ import annotations

import argparse
import resource
import time

from _timing import median_ms

QUERY = (
    "SELECT e.traffic_source, e.browser, COUNT(DISTINCT e.session_id) AS sessions, "
    "COUNT(DISTINCT e.user_id) AS users, COUNT(*) AS events FROM events AS e "
    "GROUP BY e.traffic_source, e.browser ORDER BY sessions DESC"
)
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
    print(f"  max RSS after 10% of calls {rss_start:.1f} MB, at the end {_rss_mb():.1f} MB")
    soak.close()


if __name__ == "__main__":
    main()
