"""BigQuery SQL that the embedded DuckDB sample runs with BigQuery's answer, or refuses in so
many words: aggregates with LIMIT, SAFE. functions, geography, and generators bounded while
they run. Every case goes through ``Engine.run_sql`` with default settings."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb.engine._sql import EARTH_RADIUS_M
from lgda_nb.errors import LGDAError, SecurityError, SQLError

ALLOW = Path(__file__).parents[1] / "fixtures" / "security" / "allow.sql"


def _haversine(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _one(engine: Engine, sql: str) -> dict[str, object]:
    records: list[dict[str, object]] = engine.run_sql(sql).df.to_dict("records")
    assert len(records) == 1
    return records[0]


# -- aggregates with LIMIT -------------------------------------------------------------


def test_array_agg_order_by_limit_keeps_the_first_n(engine: Engine) -> None:
    """ARRAY_AGG(x ORDER BY y LIMIT n) gives each group's first n values in order."""
    got = engine.run_sql(
        "SELECT department, ARRAY_AGG(retail_price ORDER BY retail_price DESC LIMIT 3) AS top "
        "FROM products GROUP BY department ORDER BY department"
    ).df
    every = engine.run_sql("SELECT department, retail_price FROM products").df
    for row in got.itertuples():
        expected = every[every.department == row.department].retail_price.nlargest(3)
        assert list(row.top) == pytest.approx(list(expected))


def test_aggregates_with_limit_follow_bigquery_on_nulls_and_distinct(engine: Engine) -> None:
    """IGNORE NULLS, DISTINCT, STRING_AGG and ARRAY_CONCAT_AGG with LIMIT count non-NULL
    inputs only, as BigQuery does."""
    row = _one(
        engine,
        "SELECT ARRAY_AGG(x IGNORE NULLS ORDER BY x DESC LIMIT 2) AS top_two, "
        "ARRAY_AGG(DISTINCT x IGNORE NULLS ORDER BY x LIMIT 5) AS distinct_values, "
        "STRING_AGG(CAST(x AS STRING), '-' ORDER BY x LIMIT 3) AS joined "
        "FROM UNNEST([3, NULL, 1, 2, 2]) AS x",
    )
    assert list(row["top_two"]) == [3, 2]  # type: ignore[call-overload]
    assert list(row["distinct_values"]) == [1, 2, 3]  # type: ignore[call-overload]
    assert row["joined"] == "1-2-2"
    concatenated = _one(
        engine,
        "SELECT ARRAY_CONCAT_AGG(a ORDER BY n LIMIT 2) AS a FROM UNNEST("
        "[STRUCT(1 AS n, [1, 2] AS a), STRUCT(2, CAST(NULL AS ARRAY<INT64>)), STRUCT(3, [5]), "
        "STRUCT(4, [9])])",
    )
    assert list(concatenated["a"]) == [1, 2, 5]  # type: ignore[call-overload]


def test_whole_benign_corpus_runs_on_the_sample(engine: Engine) -> None:
    """Every analyst query in allow.sql runs on the sample, struct-array-agg included."""
    text = ALLOW.read_text(encoding="utf-8")
    statements = [c.strip() for c in re.split(r"^-- ----\s*$", text, flags=re.MULTILINE)]
    failures = []
    for sql in (s for s in statements if "-- id:" in s):
        try:
            engine.run_sql(sql)
        except LGDAError as exc:
            failures.append(f"{sql.splitlines()[0]}: {exc.message}")
    assert failures == []


# -- SAFE. ------------------------------------------------------------------------------


def test_timestamp_diff_counts_whole_units_as_bigquery_does(engine: Engine) -> None:
    """47 hours is 1 day and 21 seconds across a minute's turn is 0 minutes, as BigQuery
    counts them (DuckDB's own DATE_DIFF counts the boundaries crossed: 2 and 1); negative
    spans truncate toward zero; DATE_DIFF of dates still counts calendar parts."""
    row = _one(
        engine,
        "SELECT TIMESTAMP_DIFF(TIMESTAMP '2025-01-03 01:00:00+00', "
        "TIMESTAMP '2025-01-01 02:00:00+00', DAY) AS days, "
        "TIMESTAMP_DIFF(TIMESTAMP '2025-01-01 10:00:20+00', "
        "TIMESTAMP '2025-01-01 09:59:59+00', MINUTE) AS minutes, "
        "TIMESTAMP_DIFF(TIMESTAMP '2025-01-01 10:00:00+00', "
        "TIMESTAMP '2025-01-03 12:00:00+00', DAY) AS back, "
        "DATE_DIFF(DATE '2025-03-01', DATE '2025-01-31', MONTH) AS months",
    )
    assert row == {"days": 1, "minutes": 0, "back": -2, "months": 2}


def test_extract_numbers_weekdays_and_weeks_as_bigquery_does(engine: Engine) -> None:
    """BigQuery's DAYOFWEEK is 1 (Sunday) to 7, where DuckDB's own runs 0 to 6; its WEEK
    starts on Sunday with the days before the first Sunday in week 0, where DuckDB's WEEK
    is the ISO week (BigQuery's ISOWEEK, which DuckDB does not name)."""
    row = _one(
        engine,
        "SELECT EXTRACT(DAYOFWEEK FROM TIMESTAMP '2025-12-07 10:00:00+00') AS sunday, "
        "EXTRACT(DAYOFWEEK FROM DATE '2025-12-13') AS saturday, "
        "EXTRACT(WEEK FROM DATE '2025-01-04') AS before_first_sunday, "
        "EXTRACT(WEEK FROM DATE '2025-01-05') AS first_sunday, "
        "EXTRACT(WEEK(MONDAY) FROM DATE '2025-01-06') AS first_monday, "
        "EXTRACT(ISOWEEK FROM DATE '2025-12-07') AS iso_week",
    )
    assert row == {
        "sunday": 1,
        "saturday": 7,
        "before_first_sunday": 0,
        "first_sunday": 1,
        "first_monday": 1,
        "iso_week": 49,
    }


def test_safe_prefix_returns_null_instead_of_an_error(engine: Engine) -> None:
    """SAFE.f(...) answers NULL where f fails and f's value where it does not."""
    row = _one(
        engine,
        "SELECT SAFE.PARSE_DATE('%Y-%m-%d', 'not a date') AS bad, "
        "SAFE.PARSE_DATE('%Y-%m-%d', '2024-02-29') AS good, "
        "SAFE_CAST('x' AS INT64) AS cast_bad",
    )
    assert pd.isna(row["bad"])
    assert pd.Timestamp(row["good"]) == pd.Timestamp("2024-02-29")  # type: ignore[arg-type]
    assert pd.isna(row["cast_bad"])
    with pytest.raises(SQLError):  # without SAFE. the same call fails
        engine.run_sql("SELECT PARSE_DATE('%Y-%m-%d', 'not a date') AS bad")


def test_safe_prefix_reads_columns(engine: Engine) -> None:
    """SAFE. works over a table's rows: each row that fails is NULL, the others parse."""
    df = engine.run_sql(
        "SELECT SAFE.PARSE_DATE('%Y-%m-%d', IF(MOD(order_id, 2) = 0, 'bad', "
        "FORMAT_DATE('%Y-%m-%d', DATE(created_at)))) AS d, order_id "
        "FROM orders ORDER BY order_id LIMIT 10"
    ).df
    assert df[df.order_id % 2 == 0].d.isna().all()
    assert df[df.order_id % 2 == 1].d.notna().all()


def test_safe_prefix_on_a_function_bigquery_lacks_is_refused(engine: Engine) -> None:
    """BigQuery has no DIVIDE (it has SAFE_DIVIDE): SAFE.DIVIDE is refused by the policy."""
    with pytest.raises(SecurityError, match="divide"):
        engine.run_sql("SELECT SAFE.DIVIDE(1, 0) AS x")
    assert pd.isna(_one(engine, "SELECT SAFE_DIVIDE(1, 0) AS x")["x"])


# -- geography --------------------------------------------------------------------------


def test_geography_points_print_as_bigquery_writes_them(engine: Engine) -> None:
    """ST_ASTEXT(ST_GEOGPOINT(...)) is the WKT BigQuery returns; ST_X/ST_Y read it back."""
    row = _one(
        engine,
        "SELECT ST_ASTEXT(ST_GEOGPOINT(1, 2)) AS whole, "
        "ST_ASTEXT(ST_GEOGPOINT(-122.4194, 37.7749)) AS sf, "
        "ST_X(ST_GEOGPOINT(-122.4194, 37.7749)) AS x, ST_Y(ST_GEOGPOINT(-122.4194, 37.7749)) AS y, "
        "ST_GEOGPOINT(NULL, 1) IS NULL AS null_point",
    )
    assert row["whole"] == "POINT(1 2)"
    assert row["sf"] == "POINT(-122.4194 37.7749)"
    assert (row["x"], row["y"]) == (-122.4194, 37.7749)
    assert row["null_point"] is True or row["null_point"] == 1


def test_st_distance_is_meters_on_bigquerys_sphere(engine: Engine) -> None:
    """ST_DISTANCE matches the great circle on a sphere of 6,371,008.8 m: one degree on
    the equator, pole to pole, and a published value for the same sphere (Databricks'
    st_distancesphere, POINT(2 3) to POINT(6 7): 627753.245 m)."""
    row = _one(
        engine,
        "SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 0)) AS degree, "
        "ST_DISTANCE(ST_GEOGPOINT(0, 90), ST_GEOGPOINT(0, -90)) AS poles, "
        "ST_DISTANCE(ST_GEOGPOINT(2, 3), ST_GEOGPOINT(6, 7)) AS published, "
        "ST_DISTANCE(ST_GEOGPOINT(5, 5), ST_GEOGPOINT(5, 5)) AS same, "
        "ST_DISTANCE(ST_GEOGPOINT(1, 1), NULL) AS missing",
    )
    assert row["degree"] == pytest.approx(EARTH_RADIUS_M * math.pi / 180, rel=1e-12)
    assert row["poles"] == pytest.approx(EARTH_RADIUS_M * math.pi, rel=1e-12)
    assert row["published"] == pytest.approx(627753.245, rel=1e-6)
    assert row["same"] == 0
    assert pd.isna(row["missing"])


def test_st_distance_over_the_sample_coordinates(engine: Engine) -> None:
    """Distances from stored GEOGRAPHY (WKT) and from latitude/longitude columns agree with
    the haversine formula; ST_DWITHIN is the same distance compared with a bound."""
    df = engine.run_sql(
        "SELECT u.id, u.longitude AS ulng, u.latitude AS ulat, d.longitude AS dlng, "
        "d.latitude AS dlat, ST_X(u.user_geom) AS x, ST_Y(u.user_geom) AS y, "
        "ST_DISTANCE(u.user_geom, ST_GEOGPOINT(d.longitude, d.latitude)) AS meters, "
        "ST_DWITHIN(ST_GEOGPOINT(u.longitude, u.latitude), d.distribution_center_geom, "
        "500000) AS near "
        "FROM users AS u CROSS JOIN distribution_centers AS d WHERE d.id = 1 "
        "ORDER BY u.id LIMIT 50"
    ).df
    assert len(df) == 50
    for row in df.itertuples():
        expected = _haversine(row.ulng, row.ulat, row.dlng, row.dlat)
        assert row.meters == pytest.approx(expected, rel=1e-9, abs=1e-6)
        assert bool(row.near) == (expected <= 500_000)
        assert (row.x, row.y) == pytest.approx((row.ulng, row.ulat))


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT ST_AREA(ST_GEOGPOINT(1, 2)) AS a", "ST_AREA"),
        ("SELECT ST_ASGEOJSON(user_geom) AS g FROM users", "ST_ASGEOJSON"),
        ("SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 0), TRUE) AS m", "ST_DISTANCE"),
        ("SELECT S2_CELLIDFROMPOINT(ST_GEOGPOINT(1, 2)) AS c", "S2_CELLIDFROMPOINT"),
    ],
)
def test_other_geography_is_not_available_on_the_sample(
    engine: Engine, sql: str, name: str
) -> None:
    """Geography the sample cannot compute is allowed by the policy but answered with a
    sentence saying it is not on the sample, and a hint to use BigQuery."""
    with pytest.raises(SQLError, match="not available on the embedded DuckDB sample") as info:
        engine.run_sql(sql)
    assert not isinstance(info.value, SecurityError)
    assert name in info.value.message
    assert "BigQuery" in info.value.hint


def test_nested_distances_stay_small(engine: Engine) -> None:
    """Distances nested inside coordinates are copied into the rewrite, so deep nesting
    is refused in words rather than growing the SQL eightfold per level."""
    sql = "ST_GEOGPOINT(0, 0)"
    for _ in range(12):
        sql = f"ST_GEOGPOINT(ST_DISTANCE({sql}, ST_GEOGPOINT(0, 0)) / 1e7, 0)"
    with pytest.raises(SQLError, match="not available on the embedded DuckDB sample"):
        engine.run_sql(f"SELECT ST_ASTEXT({sql}) AS p")


# -- generators with bounds that are not literals ----------------------------------------


def test_generator_bounds_from_data_run_when_small(engine: Engine) -> None:
    """A bound from a subquery, a column or CURRENT_DATE() runs when the size is within
    the limit."""
    n = _one(engine, "SELECT MAX(id) AS n FROM distribution_centers")["n"]
    row = _one(
        engine,
        "SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, (SELECT MAX(id) FROM distribution_centers))) "
        "AS ids, ARRAY_LENGTH(GENERATE_DATE_ARRAY(DATE '2024-01-01', CURRENT_DATE(), "
        "INTERVAL 1 MONTH)) > 12 AS months, (SELECT SUM(LENGTH(REPEAT('ab', id))) "
        "FROM distribution_centers) AS chars",
    )
    assert row["ids"] == n
    assert bool(row["months"])
    assert row["chars"] == sum(2 * i for i in range(1, int(n) + 1))  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) AS n FROM UNNEST(GENERATE_ARRAY(1, (SELECT MAX(order_id) * 1000 "
        "FROM orders))) AS x",
        "SELECT LENGTH(REPEAT('ab', num_of_item * 1000000)) AS n FROM orders",
        "SELECT LENGTH(LPAD('x', num_of_item * 2000000)) AS n FROM orders",
        "SELECT ARRAY_LENGTH(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP '2020-01-01', "
        "CURRENT_TIMESTAMP(), INTERVAL 1 SECOND)) AS n",
    ],
)
def test_generator_bounds_from_data_are_refused_when_large(engine: Engine, sql: str) -> None:
    """Past 1,000,000 elements the run-time bound stops the query with a shape refusal."""
    with pytest.raises(SecurityError, match="shape rule") as info:
        engine.run_sql(sql)
    assert info.value.rule == "shape"
