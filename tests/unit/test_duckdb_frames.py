"""The DuckDB backend's DataFrames: ``as_frame`` gives what ``.df()`` gives, faster."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest

from lgda_nb.backends._duckdb import _NUMPY_TYPES, _integers_as_integers, as_frame

#: One value of each type a result can hold, read by NumPy or by ``.df()``.
VALUES = {
    "INTEGER": "7::INTEGER",
    "BIGINT": "9007199254740993::BIGINT",
    "SMALLINT": "-3::SMALLINT",
    "TINYINT": "4::TINYINT",
    "HUGEINT": "5::HUGEINT",
    "UBIGINT": "18446744073709551615::UBIGINT",
    "UINTEGER": "7::UINTEGER",
    "USMALLINT": "7::USMALLINT",
    "UTINYINT": "7::UTINYINT",
    "DOUBLE": "1.5::DOUBLE",
    "FLOAT": "0.1::FLOAT",
    "DECIMAL(10,2)": "1.25::DECIMAL(10,2)",
    "DECIMAL(38,9)": "123456789.123456789::DECIMAL(38,9)",
    "VARCHAR": "'Jeans é'",
    "BOOLEAN": "true",
    "DATE": "DATE '2024-02-29'",
    "TIMESTAMP": "TIMESTAMP '2024-01-02 03:04:05.123456'",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ '2024-07-02 03:04:05+02'",
    "INTERVAL": "INTERVAL 3 DAY",
    "TIME": "TIME '03:04:05'",
    "BLOB": "'ab'::BLOB",
    "INTEGER[]": "[1, 2]",
    "STRUCT": "{'a': 1}",
    "MAP": "MAP {'a': 1}",
    "ENUM": "'x'::ENUM('x', 'y')",
    "JSON": "'{}'::JSON",
}


@pytest.fixture(params=["UTC", "America/New_York"])
def con(request: pytest.FixtureRequest) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.execute(f"SET TimeZone = '{request.param}'")
    yield connection
    connection.close()


def _both(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    (timezone,) = con.execute("SELECT current_setting('TimeZone')").fetchone() or ("UTC",)
    ours = as_frame(con.execute(sql), timezone)
    cursor = con.execute(sql)
    types = [str(column[1]) for column in cursor.description or ()]
    return ours, _integers_as_integers(cursor.df(), types)


@pytest.mark.parametrize("nulls", [False, True], ids=["no-nulls", "nulls"])
@pytest.mark.parametrize("kind", list(VALUES))
def test_each_type_is_framed_as_df_frames_it(
    con: duckdb.DuckDBPyConnection, kind: str, nulls: bool
) -> None:
    sql = (
        f"SELECT i, CASE WHEN i = 1 AND {nulls} THEN NULL ELSE {VALUES[kind]} END AS v "
        "FROM range(3) AS t(i) ORDER BY i"
    )
    ours, theirs = _both(con, sql)
    pd.testing.assert_frame_equal(ours, theirs)


def test_the_numpy_types_are_the_ones_tested() -> None:
    assert set(_NUMPY_TYPES) <= set(VALUES)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 AS a, 2 AS a, 3 AS A",  # names made unique as .df() makes them
        "SELECT 1::INTEGER AS n, 'x' AS s, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS t WHERE false",
        "SELECT DATE '2024-01-01' AS d, NULL::BIGINT AS n, NULL AS untyped",
        "SELECT COUNT(*) AS c, SUM(i) AS s, AVG(i) AS a FROM range(10) AS t(i)",
        "SELECT i, i::VARCHAR AS s FROM range(5000) AS t(i)",
        "SELECT 1 AS x, [1] AS l",  # one column .df() must frame: the whole result is
    ],
    ids=["duplicate-names", "empty", "all-null", "aggregates", "many-rows", "mixed"],
)
def test_whole_results_are_framed_as_df_frames_them(
    con: duckdb.DuckDBPyConnection, sql: str
) -> None:
    ours, theirs = _both(con, sql)
    pd.testing.assert_frame_equal(ours, theirs)


def test_counts_stay_integers_on_both_paths(con: duckdb.DuckDBPyConnection) -> None:
    (timezone,) = con.execute("SELECT current_setting('TimeZone')").fetchone() or ("UTC",)
    numbers = as_frame(con.execute("SELECT SUM(i) AS s FROM range(10) AS t(i)"), timezone)
    listed = as_frame(con.execute("SELECT SUM(i) AS s, [1] AS l FROM range(10) AS t(i)"), timezone)
    for frame in (numbers, listed):
        assert frame["s"].tolist() == [45]
        assert frame["s"].dtype == "int64"
