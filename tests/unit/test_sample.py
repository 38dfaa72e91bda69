"""Tests for the synthetic ``thelook_ecommerce`` sample generator."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lgda_nb.sample import (
    DEFAULT_SCALE,
    DEFAULT_SEED,
    TABLES,
    TIME_RANGE_END,
    build_sample,
    expected_row_counts,
)

SCALE = 0.02

# Independent copy of the public schema (column order as in BigQuery), so a change
# to lgda_nb.sample.SCHEMA cannot silently agree with itself.
PUBLIC_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "distribution_centers": [
        ("id", "INTEGER"),
        ("name", "STRING"),
        ("latitude", "FLOAT"),
        ("longitude", "FLOAT"),
        ("distribution_center_geom", "GEOGRAPHY"),
    ],
    "products": [
        ("id", "INTEGER"),
        ("cost", "FLOAT"),
        ("category", "STRING"),
        ("name", "STRING"),
        ("brand", "STRING"),
        ("retail_price", "FLOAT"),
        ("department", "STRING"),
        ("sku", "STRING"),
        ("distribution_center_id", "INTEGER"),
    ],
    "users": [
        ("id", "INTEGER"),
        ("first_name", "STRING"),
        ("last_name", "STRING"),
        ("email", "STRING"),
        ("age", "INTEGER"),
        ("gender", "STRING"),
        ("state", "STRING"),
        ("street_address", "STRING"),
        ("postal_code", "STRING"),
        ("city", "STRING"),
        ("country", "STRING"),
        ("latitude", "FLOAT"),
        ("longitude", "FLOAT"),
        ("traffic_source", "STRING"),
        ("created_at", "TIMESTAMP"),
        ("user_geom", "GEOGRAPHY"),
    ],
    "orders": [
        ("order_id", "INTEGER"),
        ("user_id", "INTEGER"),
        ("status", "STRING"),
        ("gender", "STRING"),
        ("created_at", "TIMESTAMP"),
        ("returned_at", "TIMESTAMP"),
        ("shipped_at", "TIMESTAMP"),
        ("delivered_at", "TIMESTAMP"),
        ("num_of_item", "INTEGER"),
    ],
    "order_items": [
        ("id", "INTEGER"),
        ("order_id", "INTEGER"),
        ("user_id", "INTEGER"),
        ("product_id", "INTEGER"),
        ("inventory_item_id", "INTEGER"),
        ("status", "STRING"),
        ("created_at", "TIMESTAMP"),
        ("shipped_at", "TIMESTAMP"),
        ("delivered_at", "TIMESTAMP"),
        ("returned_at", "TIMESTAMP"),
        ("sale_price", "FLOAT"),
    ],
    "inventory_items": [
        ("id", "INTEGER"),
        ("product_id", "INTEGER"),
        ("created_at", "TIMESTAMP"),
        ("sold_at", "TIMESTAMP"),
        ("cost", "FLOAT"),
        ("product_category", "STRING"),
        ("product_name", "STRING"),
        ("product_brand", "STRING"),
        ("product_retail_price", "FLOAT"),
        ("product_department", "STRING"),
        ("product_sku", "STRING"),
        ("product_distribution_center_id", "INTEGER"),
    ],
    "events": [
        ("id", "INTEGER"),
        ("user_id", "INTEGER"),
        ("sequence_number", "INTEGER"),
        ("session_id", "STRING"),
        ("created_at", "TIMESTAMP"),
        ("ip_address", "STRING"),
        ("city", "STRING"),
        ("state", "STRING"),
        ("postal_code", "STRING"),
        ("browser", "STRING"),
        ("traffic_source", "STRING"),
        ("uri", "STRING"),
        ("event_type", "STRING"),
    ],
}

BQ_TO_DUCKDB = {
    "INTEGER": "BIGINT",
    "FLOAT": "DOUBLE",
    "STRING": "VARCHAR",
    "TIMESTAMP": "TIMESTAMP WITH TIME ZONE",
    "GEOGRAPHY": "VARCHAR",
}

CATEGORIES = {
    "Accessories",
    "Active",
    "Blazers & Jackets",
    "Clothing Sets",
    "Dresses",
    "Fashion Hoodies & Sweatshirts",
    "Intimates",
    "Jeans",
    "Jumpsuits & Rompers",
    "Leggings",
    "Maternity",
    "Outerwear & Coats",
    "Pants",
    "Pants & Capris",
    "Plus",
    "Shorts",
    "Skirts",
    "Sleep & Lounge",
    "Socks",
    "Socks & Hosiery",
    "Suits",
    "Suits & Sport Coats",
    "Sweaters",
    "Swim",
    "Tops & Tees",
    "Underwear",
}

STATUSES = {"Complete", "Shipped", "Processing", "Cancelled", "Returned"}

COUNTRIES = {
    "Brasil",
    "United States",
    "China",
    "South Korea",
    "United Kingdom",
    "France",
    "Germany",
    "Spain",
    "Japan",
    "Australia",
    "Belgium",
    "Poland",
    "Colombia",
    "Austria",
}

DISTRIBUTION_CENTERS = {
    "Memphis TN",
    "Chicago IL",
    "Houston TX",
    "Los Angeles CA",
    "New Orleans LA",
    "Port Authority of New York/New Jersey NY/NJ",
    "Philadelphia PA",
    "Mobile AL",
    "Charleston SC",
    "Savannah GA",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small sample shared by the read-only tests of this module."""
    return build_sample(tmp_path_factory.mktemp("sample") / "thelook.duckdb", scale=SCALE)


@pytest.fixture(scope="module")
def con(sample: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the shared sample."""
    connection = duckdb.connect(str(sample), read_only=True)
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` and fetch every row."""
    return con.execute(sql).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """Run ``sql`` and return the single value of its single row."""
    (row,) = rows(con, sql)
    return row[0]


def test_exactly_the_public_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The file holds the seven public tables and nothing else."""
    names = {r[0] for r in rows(con, "SELECT table_name FROM information_schema.tables")}
    assert names == set(PUBLIC_SCHEMA)
    assert set(TABLES) == set(PUBLIC_SCHEMA)


@pytest.mark.parametrize("table", list(PUBLIC_SCHEMA))
def test_schema_matches_public_dataset(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Column names, order and DuckDB types follow the public BigQuery schema."""
    actual = rows(
        con,
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_name = '{table}' ORDER BY ordinal_position",
    )
    assert actual == [(name, BQ_TO_DUCKDB[bq]) for name, bq in PUBLIC_SCHEMA[table]]


def test_row_counts_match_expected(con: duckdb.DuckDBPyConnection) -> None:
    """Every table has exactly the row count ``expected_row_counts`` promises."""
    expected = expected_row_counts(SCALE)
    assert list(expected) == list(TABLES)
    actual = {t: scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
    assert actual == expected


def test_full_scale_counts_match_public_dataset() -> None:
    """Scale 1.0 reproduces the public dataset's size; small scales keep floors."""
    full = expected_row_counts(1.0)
    assert full["users"] == 100_000
    assert full["orders"] == 125_000
    assert 175_000 <= full["order_items"] <= 185_000
    assert 28_000 <= full["products"] <= 30_000
    assert 480_000 <= full["inventory_items"] <= 500_000
    assert 2_300_000 <= full["events"] <= 2_500_000
    assert full["distribution_centers"] == 10
    tiny = expected_row_counts(0.0001)
    assert tiny["distribution_centers"] == 10
    assert tiny["products"] >= 300
    assert tiny["order_items"] >= tiny["orders"] > 0


def test_defaults() -> None:
    """The documented defaults and the fixed time range hold."""
    assert DEFAULT_SEED == 42
    assert 0 < DEFAULT_SCALE <= 1
    assert (TIME_RANGE_END.year, TIME_RANGE_END.month, TIME_RANGE_END.day) == (2025, 12, 31)
    offset = TIME_RANGE_END.utcoffset()
    assert offset is not None
    assert offset.total_seconds() == 0


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the file at ``path``, ordered by its key column."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: rows(connection, f"SELECT * FROM {t} ORDER BY {PUBLIC_SCHEMA[t][0][0]}")
            for t in TABLES
        }
    finally:
        connection.close()


def test_same_seed_same_data_other_seed_other_data(sample: Path, tmp_path: Path) -> None:
    """Same seed and scale rebuild identical tables; another seed changes them."""
    again = build_sample(tmp_path / "again.duckdb", scale=SCALE, seed=DEFAULT_SEED)
    other = build_sample(tmp_path / "other.duckdb", scale=SCALE, seed=DEFAULT_SEED + 1)
    first, second, third = dump(sample), dump(again), dump(other)
    assert first == second
    assert first["distribution_centers"] == third["distribution_centers"]
    for table in ("products", "users", "orders", "order_items", "inventory_items", "events"):
        assert first[table] != third[table], table


def insertion_order(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the file at ``path`` in the order its rows were written."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        return {t: rows(connection, f"SELECT * FROM {t} ORDER BY rowid") for t in TABLES}
    finally:
        connection.close()


def test_slice_size_does_not_change_the_data(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build works in bounded slices; slices far smaller than every table (and
    not dividing any row count) give the same rows in the same order."""
    from lgda_nb.sample import _generate

    monkeypatch.setattr(_generate, "_CHUNK_ROWS", 997)
    sliced = build_sample(tmp_path / "sliced.duckdb", scale=SCALE)
    assert expected_row_counts(SCALE)["events"] > 5 * 997
    assert insertion_order(sliced) == insertion_order(sample)


TS_COLUMNS = [
    (table, name) for table, cols in PUBLIC_SCHEMA.items() for name, bq in cols if bq == "TIMESTAMP"
]

VIOLATIONS: dict[str, str] = {
    "unique keys": " UNION ALL ".join(
        f"SELECT count(*) - count(DISTINCT {cols[0][0]}) FROM {t}"
        for t, cols in PUBLIC_SCHEMA.items()
    ),
    "timestamps inside the fixed UTC range": " UNION ALL ".join(
        f"SELECT count(*) FROM {t} WHERE {c} < TIMESTAMPTZ '2019-01-01 00:00:00+00' "
        f"OR {c} > TIMESTAMPTZ '2025-12-31 23:59:59+00'"
        for t, c in TS_COLUMNS
    ),
    "items share their order's user, time and status": """
        SELECT count(*) FROM order_items i LEFT JOIN orders o USING (order_id)
        WHERE o.order_id IS NULL OR i.user_id <> o.user_id OR i.created_at <> o.created_at
           OR i.status <> o.status
           OR i.shipped_at IS DISTINCT FROM o.shipped_at
           OR i.delivered_at IS DISTINCT FROM o.delivered_at
           OR i.returned_at IS DISTINCT FROM o.returned_at""",
    "num_of_item counts the order's items": """
        SELECT count(*) FROM orders o
        LEFT JOIN (SELECT order_id, count(*) AS n FROM order_items GROUP BY order_id) c
          USING (order_id)
        WHERE o.num_of_item IS DISTINCT FROM c.n OR o.num_of_item NOT BETWEEN 1 AND 4""",
    "orders carry the user's gender and follow sign-up": """
        SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id
        WHERE u.id IS NULL OR o.gender <> u.gender OR o.created_at <= u.created_at""",
    "order timestamps agree with status": """
        SELECT count(*) FROM (SELECT status, shipped_at, delivered_at, returned_at FROM orders
                              UNION ALL
                              SELECT status, shipped_at, delivered_at, returned_at
                              FROM order_items)
        WHERE NOT coalesce(CASE status
            WHEN 'Processing' THEN shipped_at IS NULL AND delivered_at IS NULL
                                   AND returned_at IS NULL
            WHEN 'Cancelled' THEN shipped_at IS NULL AND delivered_at IS NULL
                                  AND returned_at IS NULL
            WHEN 'Shipped' THEN shipped_at IS NOT NULL AND delivered_at IS NULL
                                AND returned_at IS NULL
            WHEN 'Complete' THEN shipped_at IS NOT NULL AND delivered_at IS NOT NULL
                                 AND returned_at IS NULL
            WHEN 'Returned' THEN shipped_at IS NOT NULL AND delivered_at IS NOT NULL
                                 AND returned_at IS NOT NULL
        END, false)""",
    "created < shipped < delivered < returned": """
        SELECT count(*) FROM (SELECT created_at, shipped_at, delivered_at, returned_at
                              FROM orders UNION ALL
                              SELECT created_at, shipped_at, delivered_at, returned_at
                              FROM order_items)
        WHERE shipped_at <= created_at OR delivered_at <= shipped_at
           OR returned_at <= delivered_at""",
    "items reference a sold unit of the same product": """
        SELECT count(*) FROM order_items i LEFT JOIN inventory_items v
          ON v.id = i.inventory_item_id
        WHERE v.id IS NULL OR v.product_id <> i.product_id
           OR v.sold_at IS DISTINCT FROM i.created_at OR v.created_at >= v.sold_at""",
    "each inventory unit is sold at most once": """
        SELECT count(*) - count(DISTINCT inventory_item_id) FROM order_items""",
    "unsold units have no sold_at": """
        SELECT count(*) FROM inventory_items v
        LEFT JOIN order_items i ON i.inventory_item_id = v.id
        WHERE i.id IS NULL AND v.sold_at IS NOT NULL""",
    "inventory copies its product": """
        SELECT count(*) FROM inventory_items v LEFT JOIN products p ON p.id = v.product_id
        WHERE p.id IS NULL OR v.cost <> p.cost OR v.product_category <> p.category
           OR v.product_name <> p.name OR v.product_brand <> p.brand
           OR v.product_retail_price <> p.retail_price
           OR v.product_department <> p.department OR v.product_sku <> p.sku
           OR v.product_distribution_center_id <> p.distribution_center_id""",
    "sale price is the product's retail price": """
        SELECT count(*) FROM order_items i LEFT JOIN products p ON p.id = i.product_id
        WHERE p.id IS NULL OR i.sale_price <> p.retail_price""",
    "items come from the buyer's department": """
        SELECT count(*) FROM order_items i JOIN orders o USING (order_id)
        JOIN products p ON p.id = i.product_id
        WHERE (o.gender = 'M') <> (p.department = 'Men')""",
    "products cost less than their retail price": """
        SELECT count(*) FROM products
        WHERE NOT (0 < cost AND cost < retail_price) OR sku IS NULL OR length(sku) <> 32""",
    "products ship from one of the ten centres": """
        SELECT count(*) FROM products p LEFT JOIN distribution_centers d
          ON d.id = p.distribution_center_id
        WHERE d.id IS NULL OR p.distribution_center_id NOT BETWEEN 1 AND 10""",
    "users are 12 to 70 with a WKT point at their coordinates": """
        SELECT count(*) FROM users
        WHERE age NOT BETWEEN 12 AND 70
           OR user_geom <> 'POINT(' || longitude || ' ' || latitude || ')'
           OR NOT regexp_full_match(email, '[a-z]+@example\\.(com|net|org)')""",
    "centres have a WKT point at their coordinates": """
        SELECT count(*) FROM distribution_centers
        WHERE distribution_center_geom <> 'POINT(' || longitude || ' ' || latitude || ')'""",
    "session ids look like UUIDs": """
        SELECT count(*) FROM events WHERE NOT regexp_full_match(session_id,
            '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')""",
    "sequence numbers run 1..n per session": """
        SELECT count(*) FROM (
            SELECT count(*) AS n, min(sequence_number) AS lo, max(sequence_number) AS hi,
                   count(DISTINCT sequence_number) AS d
            FROM events GROUP BY session_id)
        WHERE lo <> 1 OR hi <> n OR d <> n""",
    "clicks of a session move forward in time": """
        SELECT count(*) FROM (
            SELECT created_at, lag(created_at) OVER (
                PARTITION BY session_id ORDER BY sequence_number) AS prev
            FROM events)
        WHERE created_at <= prev""",
    "a session has one visitor, browser, source, ip and place": """
        SELECT count(*) FROM (
            SELECT session_id FROM events GROUP BY session_id
            HAVING count(DISTINCT user_id) > 1
                OR (count(user_id) > 0 AND count(user_id) < count(*))
                OR count(DISTINCT browser) > 1 OR count(DISTINCT traffic_source) > 1
                OR count(DISTINCT ip_address) > 1 OR count(DISTINCT city) > 1
                OR count(DISTINCT postal_code) > 1)""",
    "member clicks follow sign-up": """
        SELECT count(*) FROM events e LEFT JOIN users u ON u.id = e.user_id
        WHERE e.user_id IS NOT NULL AND (u.id IS NULL OR e.created_at < u.created_at)""",
    "uri matches the event type": """
        SELECT count(*) FROM events WHERE NOT coalesce(CASE event_type
            WHEN 'product' THEN regexp_full_match(uri, '/product/[0-9]+')
            WHEN 'department' THEN regexp_full_match(uri,
                '/department/(men|women)/category/[a-z0-9-]+/brand/[a-z0-9]+')
            ELSE uri = '/' || event_type END, false)""",
    "product pages exist": """
        SELECT count(*) FROM events e
        LEFT JOIN products p ON e.uri = '/product/' || p.id
        WHERE e.event_type = 'product' AND p.id IS NULL""",
    "one member purchase per order, one cancel per cancelled order": """
        SELECT abs((SELECT count(*) FROM events WHERE event_type = 'purchase'
                    AND user_id IS NOT NULL) - (SELECT count(*) FROM orders))
             + abs((SELECT count(*) FROM events WHERE event_type = 'cancel')
                   - (SELECT count(*) FROM orders WHERE status = 'Cancelled'))
             + (SELECT count(*) FROM events WHERE event_type IN ('purchase', 'cancel')
                AND user_id IS NULL)""",
    "ip addresses are dotted quads": """
        SELECT count(*) FROM events
        WHERE NOT regexp_full_match(ip_address, '([0-9]{1,3}\\.){3}[0-9]{1,3}')""",
}


@pytest.mark.parametrize("sql", list(VIOLATIONS.values()), ids=list(VIOLATIONS))
def test_relation_holds(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """The invariant query finds zero violating rows."""
    assert all(r[0] == 0 for r in rows(con, sql)), sql


DOMAINS: list[tuple[str, set[str]]] = [
    ("SELECT DISTINCT status FROM orders", STATUSES),
    ("SELECT DISTINCT status FROM order_items", STATUSES),
    ("SELECT DISTINCT gender FROM users", {"M", "F"}),
    ("SELECT DISTINCT gender FROM orders", {"M", "F"}),
    ("SELECT DISTINCT department FROM products", {"Men", "Women"}),
    ("SELECT DISTINCT category FROM products", CATEGORIES),
    (
        "SELECT DISTINCT traffic_source FROM users",
        {"Search", "Organic", "Facebook", "Email", "Display"},
    ),
    (
        "SELECT DISTINCT traffic_source FROM events",
        {"Email", "Adwords", "Organic", "YouTube", "Facebook"},
    ),
    (
        "SELECT DISTINCT event_type FROM events",
        {"home", "department", "product", "cart", "purchase", "cancel"},
    ),
    ("SELECT DISTINCT browser FROM events", {"Chrome", "Firefox", "Safari", "IE", "Other"}),
    ("SELECT name FROM distribution_centers", DISTRIBUTION_CENTERS),
    (
        "SELECT DISTINCT if(user_id IS NULL, 'anonymous', 'member') FROM events",
        {"anonymous", "member"},
    ),
]


@pytest.mark.parametrize(("sql", "allowed"), DOMAINS, ids=[sql for sql, _ in DOMAINS])
def test_value_domain(con: duckdb.DuckDBPyConnection, sql: str, allowed: set[str]) -> None:
    """Every value is allowed and every allowed value occurs."""
    assert {r[0] for r in rows(con, sql)} == allowed


def test_geography_is_plausible(con: duckdb.DuckDBPyConnection) -> None:
    """Countries use the public spellings; the biggest markets dominate."""
    shares = dict(
        rows(con, "SELECT country, count(*) / sum(count(*)) OVER () FROM users GROUP BY 1")
    )
    assert set(shares) <= COUNTRIES
    assert {"China", "United States", "Brasil"} <= set(shares)
    top3 = sorted(shares, key=shares.__getitem__, reverse=True)[:3]
    assert set(top3) == {"China", "United States", "Brasil"}
    assert scalar(con, "SELECT count(*) FROM users WHERE state IS NULL OR city IS NULL") == 0


def test_status_weights_are_plausible(con: duckdb.DuckDBPyConnection) -> None:
    """Order statuses follow roughly the intended mix."""
    shares = dict(
        rows(con, "SELECT status, count(*) / sum(count(*)) OVER () FROM orders GROUP BY 1")
    )
    target = {"Complete": 0.25, "Shipped": 0.30, "Processing": 0.20, "Cancelled": 0.15}
    target["Returned"] = 0.10
    for status, share in target.items():
        assert math.isclose(shares[status], share, abs_tol=0.04), status


def test_existing_file_is_left_untouched(tmp_path: Path) -> None:
    """Without overwrite an existing file is returned as is; with it, it is rebuilt."""
    target = tmp_path / "nested" / "thelook.duckdb"
    target.parent.mkdir()
    target.write_bytes(b"not a database")
    assert build_sample(target, scale=0.001) == target
    assert target.read_bytes() == b"not a database"
    assert build_sample(str(target), scale=0.001, overwrite=True) == target
    connection = duckdb.connect(str(target), read_only=True)
    try:
        orders = scalar(connection, "SELECT count(*) FROM orders")
        assert orders == expected_row_counts(0.001)["orders"]
    finally:
        connection.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["thelook.duckdb"]


def test_parent_directories_are_created(tmp_path: Path) -> None:
    """Missing parent directories are created and no temporary files are left."""
    target = tmp_path / "a" / "b" / "sample.duckdb"
    assert build_sample(target, scale=0.0001) == target
    assert [p.name for p in target.parent.iterdir()] == ["sample.duckdb"]


@pytest.mark.parametrize("scale", [0, -0.5, 10.5, math.nan, math.inf])
def test_invalid_scale_raises(tmp_path: Path, scale: float) -> None:
    """Scales outside (0, 10] are rejected before anything is written."""
    target = tmp_path / "out" / "bad.duckdb"
    with pytest.raises(ValueError, match="scale"):
        build_sample(target, scale=scale)
    with pytest.raises(ValueError, match="scale"):
        expected_row_counts(scale)
    assert not target.parent.exists()


def test_import_is_light() -> None:
    """Importing the package does not load numpy, pyarrow, pandas or duckdb."""
    code = (
        "import sys, lgda_nb.sample; "
        "print(sorted(m for m in ('numpy', 'pyarrow', 'pandas', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_invalid_seed_raises(tmp_path: Path, seed: Any) -> None:
    """Seeds must be non-negative integers."""
    with pytest.raises(ValueError, match="seed"):
        build_sample(tmp_path / "bad.duckdb", scale=0.0001, seed=seed)
