"""Engine.run_sql on the embedded DuckDB sample: results, limits, failures, read-only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from lgda_nb import Engine, Result
from lgda_nb._config import load_config, set_config
from lgda_nb._observability import get_metrics
from lgda_nb.backends._duckdb import DuckDBBackend
from lgda_nb.errors import (
    ConfigError,
    LGDAError,
    QueryCancelledError,
    QueryTimeoutError,
    SecurityError,
    SQLError,
    SQLSyntaxError,
    UnknownColumnError,
    UnknownTableError,
    UsageError,
)

STATUS_SQL = "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status ORDER BY orders DESC"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_sql_returns_a_complete_result(engine: Engine) -> None:
    """The issue's example query gives a Result with every contract field."""
    result = engine.run_sql(STATUS_SQL)
    assert isinstance(result, Result)
    assert isinstance(result.df, pd.DataFrame)
    assert list(result.df.columns) == ["status", "orders"]
    assert set(result.df["status"]) <= {
        "Complete",
        "Shipped",
        "Processing",
        "Cancelled",
        "Returned",
    }
    assert result.df["orders"].is_monotonic_decreasing
    assert result.backend == "duckdb"
    assert result.sql.startswith("SELECT status")
    assert "LIMIT" in result.executed_sql
    assert set(result.timings) == {"validate_sql", "execute_sql", "analyze_df", "report"}
    assert all(seconds >= 0 for seconds in result.timings.values())
    assert result.cached is False
    assert result.question is None
    assert result.summary.startswith("5 rows")
    assert "rows" in repr(result)
    assert "SQL that ran" in result._repr_html_()


def test_results_match_duckdb_directly(engine: Engine, sample_path: Path, tmp_path: Path) -> None:
    """The engine's answer equals DuckDB's own answer to the same query on the same data."""
    import shutil

    import duckdb

    ours = engine.run_sql(STATUS_SQL).df
    # DuckDB refuses a second, differently configured connection to one file in a process.
    copy = shutil.copy(sample_path, tmp_path / "copy.duckdb")
    with duckdb.connect(str(copy), read_only=True) as con:
        theirs = con.execute(STATUS_SQL).df()
    pd.testing.assert_frame_equal(ours, theirs)


def test_bigquery_functions_and_qualified_tables(engine: Engine) -> None:
    """BigQuery-dialect SQL with qualified tables runs on DuckDB."""
    result = engine.run_sql(
        "SELECT TIMESTAMP_TRUNC(o.created_at, MONTH) AS month, "
        "SAFE_DIVIDE(SUM(oi.sale_price), COUNT(DISTINCT o.order_id)) AS aov "
        "FROM `bigquery-public-data.thelook_ecommerce.orders` AS o "
        "JOIN thelook_ecommerce.order_items AS oi ON oi.order_id = o.order_id "
        "WHERE o.status NOT IN ('Cancelled', 'Returned') GROUP BY month ORDER BY month"
    )
    assert len(result.df) > 1
    assert str(result.df["month"].dt.tz) == "UTC"
    assert (result.df["aov"] > 0).all()
    assert result.tables == ("orders", "order_items")


def test_limit_truncates_and_says_so(engine: Engine) -> None:
    """A row limit returns exactly that many rows and marks the result truncated."""
    result = engine.run_sql("SELECT * FROM users", limit=5)
    assert len(result.df) == 5
    assert result.truncated
    assert "row limit" in result.summary
    small = engine.run_sql("SELECT * FROM distribution_centers", limit=50)
    assert len(small.df) == 10
    assert not small.truncated


def test_max_rows_caps_every_query() -> None:
    """security.max_rows applies even when the caller asks for more."""
    set_config(**{"security.max_rows": 3})
    with Engine() as engine:
        result = engine.run_sql("SELECT id FROM users ORDER BY id", limit=100)
    assert list(result.df["id"]) == sorted(result.df["id"])
    assert len(result.df) == 3


@pytest.mark.parametrize(
    ("sql", "error", "words"),
    [
        ("", UsageError, "no SQL"),
        ("SELEC status FROM orders", SQLSyntaxError, "line 1"),
        ("SELECT * FROM ordrs", UnknownTableError, "Did you mean 'orders'"),
        ("SELECT statuss FROM orders", UnknownColumnError, "Did you mean 'status'"),
        ("DELETE FROM orders WHERE TRUE", SecurityError, "DELETE"),
        ("DROP TABLE orders", SecurityError, "read-only"),
        ("SELECT 1; SELECT 2", SecurityError, "one statement"),
        ("SELECT * FROM read_parquet('/etc/passwd')", SecurityError, "not allowed"),
        ("SELECT CAST('abc' AS INT64) AS x FROM orders", SQLError, "abc"),
    ],
)
def test_bad_sql_gives_a_clear_error_and_leaves_the_database_untouched(
    engine: Engine, sample_path: Path, sql: str, error: type[LGDAError], words: str
) -> None:
    """Each bad input raises its LGDAError with message and hint; the file is unchanged."""
    before = _digest(sample_path)
    with pytest.raises(error, match=words) as info:
        engine.run_sql(sql)
    assert info.value.hint
    assert info.value.stage in {"validate_sql", "execute_sql"}
    assert info.value.correlation_id
    assert _digest(sample_path) == before


def test_failures_are_counted_per_stage(engine: Engine) -> None:
    """Every stage records calls and errors in LGDAMetrics."""
    get_metrics().reset()
    engine.run_sql(STATUS_SQL)
    with pytest.raises(UnknownTableError):
        engine.run_sql("SELECT * FROM nope")
    rows = {row["stage"]: row for row in get_metrics().stage_table()}
    assert rows["validate_sql"]["calls"] == 2
    assert rows["validate_sql"]["errors"] == 1
    assert rows["execute_sql"]["calls"] == 1
    assert rows["execute_sql"]["p95_ms"] >= rows["execute_sql"]["p50_ms"] >= 0


def test_stage_events_are_logged_as_json(engine: Engine, tmp_path: Path) -> None:
    """A call writes one JSON log line with every stage's duration, none to stdout."""
    import json

    engine.run_sql(STATUS_SQL)
    lines = [json.loads(line) for line in (tmp_path / "lgda.jsonl").read_text().splitlines()]
    done = [line for line in lines if line["event"] == "done"]
    assert len(done) == 1
    assert set(done[0]["stages"]) >= {"validate_sql", "execute_sql", "report"}
    assert all(ms >= 0 for ms in done[0]["stages"].values())
    assert not [line for line in lines if line["event"] == "stage"]


def test_backend_refuses_files_and_writes_even_without_the_validator(
    sample_path: Path,
) -> None:
    """Read-only, no external access, locked settings: SQL that skips the checks still fails."""
    backend = DuckDBBackend(load_config())
    before = _digest(sample_path)
    attempts = [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY orders TO '/tmp/lgda-stolen.csv'",
        "ATTACH '/tmp/lgda-other.duckdb' AS other",
        "SET enable_external_access = true",
        "CREATE TABLE stolen AS SELECT 1",
        "DELETE FROM orders",
        "INSTALL httpfs",
    ]
    for sql in attempts:
        with pytest.raises(LGDAError):
            backend.execute(sql)
    backend.close()
    assert not Path("/tmp/lgda-stolen.csv").exists()
    assert _digest(sample_path) == before


def test_query_past_its_timeout_is_interrupted() -> None:
    """A query longer than duckdb.timeout_seconds stops with QueryTimeoutError."""
    import time

    set_config(**{"duckdb.timeout_seconds": 0.3})
    with Engine() as engine:
        engine.backend.tables()
        start = time.perf_counter()
        with pytest.raises(QueryTimeoutError):
            engine.run_sql(
                "SELECT COUNT(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c"
            )
        assert time.perf_counter() - start < 1.3


def test_missing_database_file_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_DUCKDB__DATABASE pointing nowhere is a ConfigError naming it."""
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", "/nonexistent/shop.duckdb")
    with Engine(load_config()) as engine, pytest.raises(ConfigError) as info:
        engine.run_sql("SELECT 1")
    assert "LGDA_DUCKDB__DATABASE" in info.value.message
    assert "unset it" in info.value.hint


def test_unreadable_database_file_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file that is not a DuckDB database is refused with a clear message."""
    bogus = tmp_path / "not-a-db.duckdb"
    bogus.write_text("order_id,status\n1,Complete\n")
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", str(bogus))
    with Engine(load_config()) as engine, pytest.raises(ConfigError, match="Cannot open"):
        engine.run_sql("SELECT 1")
    assert bogus.read_text() == "order_id,status\n1,Complete\n"


def test_users_own_duckdb_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A user's DuckDB file is served read-only, with their tables on the allowlist."""
    import duckdb

    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE sales AS SELECT range AS id, range * 2.5 AS amount FROM range(4)")
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", str(path))
    monkeypatch.setenv("LGDA_SECURITY__ALLOWED_TABLES", '["sales"]')
    with Engine(load_config()) as engine:
        result = engine.run_sql("SELECT SUM(amount) AS total FROM sales")
    assert result.df["total"].iloc[0] == 15.0


def test_the_answer_after_a_fresh_sample_build_is_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the sample on the first question does not change the cache key after it."""
    monkeypatch.setenv("LGDA_DUCKDB__SAMPLE_DIR", str(tmp_path / "fresh"))
    with Engine() as engine:
        first = engine.ask("orders by status")
        second = engine.ask("orders by status")
    assert not first.cached
    assert second.cached


def _shop(path: Path, rows: int) -> None:
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE sales AS SELECT range AS id, 1.0 AS amount FROM range({rows})")


@pytest.mark.parametrize("engines", [1, 2])
def test_replacing_the_database_file_gives_new_answers_on_the_next_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engines: int
) -> None:
    """An open engine (or two, which share DuckDB's instance of the file) notices the new
    file: it re-opens it, and the cache key changes with it. Default settings, cache on."""
    path = tmp_path / "shop.duckdb"
    _shop(path, 4)
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", str(path))
    monkeypatch.setenv("LGDA_SECURITY__ALLOWED_TABLES", '["sales"]')
    open_engines = [Engine(load_config()) for _ in range(engines)]
    try:
        sql = "SELECT SUM(amount) AS total FROM sales"
        assert all(e.run_sql(sql).df["total"].iloc[0] == 4.0 for e in open_engines)
        replacement = tmp_path / "new.duckdb"
        _shop(replacement, 7)
        replacement.replace(path)  # how an export job swaps in a fresh file
        for engine in open_engines:
            again = engine.run_sql(sql)
            assert again.df["total"].iloc[0] == 7.0
            assert not again.cached
            assert engine.run_sql(sql).cached  # and the new answer is cached under the new key
    finally:
        for engine in open_engines:
            engine.close()


def test_a_query_the_timeout_cannot_stop_does_not_break_the_next_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Python function inside a query ignores DuckDB's interrupt: past the timeout a
    caller off the main thread (a dashboard's refresh) gets QueryTimeoutError, and the
    next query runs on a fresh connection. The product registers no such function; on
    the main thread a query runs where it is called (see ``_run_watched``)."""
    import threading
    import time

    monkeypatch.setenv("LGDA_DUCKDB__TIMEOUT_SECONDS", "1")  # only so the test ends quickly
    release = threading.Event()

    def stall(x: int) -> int:
        release.wait(10)
        return x

    with Engine(load_config()) as engine:
        backend = engine.backend
        assert isinstance(backend, DuckDBBackend)
        with backend._lock:
            stuck = backend._connect()
        stuck.create_function("stall", stall, ["BIGINT"], "BIGINT")
        raised: list[BaseException] = []

        def refresh() -> None:
            try:
                backend.execute("SELECT stall(1) AS x")
            except BaseException as exc:
                raised.append(exc)

        started = time.monotonic()
        caller = threading.Thread(target=refresh)
        caller.start()
        caller.join(10)
        assert time.monotonic() - started < 5
        assert [type(exc) for exc in raised] == [QueryTimeoutError]
        result = engine.run_sql("SELECT COUNT(*) AS n FROM orders")  # not "connection busy"
        assert result.df["n"].iloc[0] > 0
        assert backend._con is not stuck
        release.set()


def test_a_kernel_interrupt_stops_a_query_inside_one_long_task(kernel_interrupts: None) -> None:
    """A real SIGINT, as a kernel's Stop button sends, stops a cross join whose work is
    one long DuckDB task, with default settings; the next query runs on the same engine."""
    import os
    import signal
    import threading
    import time

    with Engine(load_config()) as engine:
        engine.backend.tables()
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        started = time.monotonic()
        with pytest.raises(QueryCancelledError) as info:
            engine.run_sql("SELECT COUNT(*) AS n FROM events a, events b, events c, events d")
        assert time.monotonic() - started < 3
        assert "Run the cell again" in (info.value.hint or "")
        assert engine.run_sql("SELECT COUNT(*) AS n FROM orders").df["n"].iloc[0] > 0


@pytest.mark.parametrize("method", ["ask", "run_sql"])
def test_undecodable_text_is_a_usage_error(engine: Engine, method: str) -> None:
    """A lone surrogate (bytes a terminal could not decode) gets a sentence and a hint."""
    text = "revenue by month \udcff" if method == "ask" else "SELECT '\udcff' AS x"
    with pytest.raises(UsageError, match=r"not valid text \(\\udcff\)") as info:
        getattr(engine, method)(text)
    assert "UTF-8" in (info.value.hint or "")


def test_duckdb_memory_and_spill_are_bounded_by_default(engine: Engine) -> None:
    """A runaway query meets a memory limit and a spill limit, not the machine's RAM."""
    backend = engine.backend
    assert isinstance(backend, DuckDBBackend)
    engine.run_sql("SELECT 1 AS x")
    with backend._lock:
        memory, spill = (
            backend._connect()
            .execute(
                "SELECT current_setting('memory_limit'), current_setting('max_temp_directory_size')"
            )
            .fetchall()[0]
        )
    assert memory == "3.7 GiB"  # 4GB
    assert spill == "7.4 GiB"  # 8GB
