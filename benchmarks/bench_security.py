"""What the SQL policy costs: validation per query, next to running the query.

Goal: below 2 ms per typical query. Every statement of the benign corpus
(tests/fixtures/security/allow.sql) is validated ``--repeat`` times; the baseline
is parsing the same text with sqlglot alone (the least any AST check must pay).
Validation plus the backend SQL with the scan masking (the row cap, the transpile,
the round-trip check and the masking subqueries) is timed cold per query, and the
pipeline's whole ``validate_sql`` stage is shown beside ``execute_sql``.

Interpreted sqlglot (30.31) parses twice per query (the text, the round trip) at about
1 ms each, so validation plus the masked backend SQL is 3.2-3.7 ms; compiled
(``sqlglot[c]``, sqlglotc 30.30) it is 1.7 ms (validation 0.75 ms). CPU-time medians,
3 alternating rounds on a loaded 2-core machine; wall times there vary by 2x.

    python benchmarks/bench_security.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path
from typing import Any

from _timing import median_ms

ROOT = Path(__file__).resolve().parents[1]
TABLES = frozenset(
    {"orders", "order_items", "products", "users", "inventory_items", "distribution_centers",
     "events"}
)  # fmt: skip


def _corpus() -> list[str]:
    text = (ROOT / "tests" / "fixtures" / "security" / "allow.sql").read_text(encoding="utf-8")
    chunks = re.split(r"^-- ----\s*$", text, flags=re.MULTILINE)
    return [c.strip() for c in chunks if "-- id:" in c]


def _masked(engine: Any, corpus: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Validation plus the backend SQL with the scan masking (the issue's "< 2 ms"), cold,
    for every query and for those that read a personal column (which get rewritten)."""
    from lgda_nb.engine._sql import backend_sql
    from lgda_nb.errors import LGDAError

    masking = engine.scan_masking()
    every, personal = [], []

    def checked_and_masked(sql: str) -> None:
        engine.validator.clear()
        checked = engine.validator.validate(sql)
        backend_sql(checked, engine.validator, cap=10_000, dialect="duckdb", masking=masking)

    for sql in corpus:
        try:
            checked = engine.validator.validate(sql)
        except LGDAError:
            continue
        took = median_ms(lambda sql=sql: checked_and_masked(sql), repeat)
        every.append(took)
        if masking is not None and masking.reads_personal(checked.tree):
            personal.append(took)
    return every, personal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import sqlglot

    from lgda_nb import Engine
    from lgda_nb.errors import LGDAError
    from lgda_nb.security import SecurityPolicy, SecurityValidator

    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    corpus = _corpus()
    validate_ms, parse_ms, remembered_ms = [], [], []

    def cold(sql: str) -> None:
        validator.clear()
        validator.validate(sql)

    for sql in corpus:
        try:
            validator.validate(sql)
        except LGDAError:
            continue
        # Cold: the validator remembers texts that passed, so forget them before each run.
        validate_ms.append(median_ms(lambda sql=sql: cold(sql), args.repeat))
        remembered_ms.append(median_ms(lambda sql=sql: validator.validate(sql), args.repeat))
        parse_ms.append(median_ms(lambda sql=sql: sqlglot.parse(sql, read="bigquery"), args.repeat))

    engine = Engine()
    masked_ms, personal_ms = _masked(engine, corpus, args.repeat)
    stage_validate, stage_execute = [], []
    for sql in corpus[:60]:
        try:
            result = engine.run_sql(sql)
        except LGDAError:
            continue
        engine.validator.clear()  # the first run of each text: a cold validation
        result = engine.run_sql(sql, use_cache=False)
        stage_validate.append(result.timings["validate_sql"] * 1000)
        stage_execute.append(result.timings["execute_sql"] * 1000)
    engine.close()

    ours, base = statistics.median(validate_ms), statistics.median(parse_ms)
    compiled = Path(sqlglot.parser.__file__).suffix != ".py"
    print(
        f"{len(validate_ms)} benign queries, median of {args.repeat} runs each, sqlglot"
        f" {sqlglot.__version__} {'compiled (sqlglotc)' if compiled else 'interpreted'}"
    )
    print(f"  sqlglot parse only (baseline)   {base:6.2f} ms")
    print(f"  SecurityValidator.validate      {ours:6.2f} ms   (goal < 2 ms)")
    print(f"  ratio                           {ours / base:6.2f}x")
    print(f"  validate, text seen before      {statistics.median(remembered_ms):6.3f} ms")
    print(
        f"  validate + masked backend SQL   {statistics.median(masked_ms):6.2f} ms   (goal < 2 ms;"
        f" {len(personal_ms)} queries that read personal columns:"
        f" {statistics.median(personal_ms) if personal_ms else 0.0:.2f} ms)"
    )
    print(
        f"  pipeline validate_sql stage     {statistics.median(stage_validate):6.2f} ms "
        "(validate + row cap + transpile + round trip)"
    )
    print(f"  pipeline execute_sql stage      {statistics.median(stage_execute):6.2f} ms")


if __name__ == "__main__":
    main()
