"""The public ``bigquery-public-data.thelook_ecommerce`` schema, kept as plain data.

The sample generator, the DuckDB backend and the SQL validator all need the same
column lists; keeping them here (with no heavy imports) lets every layer share one
source of truth without paying for numpy or duckdb at import time.
"""

from __future__ import annotations

from datetime import UTC, datetime

#: The public dataset the sample copies, the BigQuery backend's default.
DATASET = "bigquery-public-data.thelook_ecommerce"
#: Personal data, masked unless the config says otherwise.
PERSONAL_COLUMNS: tuple[str, ...] = (
    "users.email",
    "users.first_name",
    "users.last_name",
    "users.street_address",
    "events.ip_address",
)

TABLES: tuple[str, ...] = (
    "distribution_centers",
    "products",
    "users",
    "orders",
    "order_items",
    "inventory_items",
    "events",
)

# Column order follows the public dataset so ``SELECT *`` looks the same offline.
SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "distribution_centers": (
        ("id", "INTEGER"),
        ("name", "STRING"),
        ("latitude", "FLOAT"),
        ("longitude", "FLOAT"),
        ("distribution_center_geom", "GEOGRAPHY"),
    ),
    "products": (
        ("id", "INTEGER"),
        ("cost", "FLOAT"),
        ("category", "STRING"),
        ("name", "STRING"),
        ("brand", "STRING"),
        ("retail_price", "FLOAT"),
        ("department", "STRING"),
        ("sku", "STRING"),
        ("distribution_center_id", "INTEGER"),
    ),
    "users": (
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
    ),
    "orders": (
        ("order_id", "INTEGER"),
        ("user_id", "INTEGER"),
        ("status", "STRING"),
        ("gender", "STRING"),
        ("created_at", "TIMESTAMP"),
        ("returned_at", "TIMESTAMP"),
        ("shipped_at", "TIMESTAMP"),
        ("delivered_at", "TIMESTAMP"),
        ("num_of_item", "INTEGER"),
    ),
    "order_items": (
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
    ),
    "inventory_items": (
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
    ),
    "events": (
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
    ),
}

# GEOGRAPHY is stored as WKT text (``POINT(lon lat)``) because DuckDB's spatial
# extension is optional; TIMESTAMP values are UTC instants, as in BigQuery.
DUCKDB_TYPES: dict[str, str] = {
    "INTEGER": "BIGINT",
    "FLOAT": "DOUBLE",
    "STRING": "VARCHAR",
    "TIMESTAMP": "TIMESTAMP WITH TIME ZONE",
    "GEOGRAPHY": "VARCHAR",
}

# A fixed window keeps samples reproducible: nothing depends on today's date.
TIME_RANGE_START: datetime = datetime(2019, 1, 1, tzinfo=UTC)
TIME_RANGE_END: datetime = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)

# Row counts of the public dataset, which ``scale=1.0`` reproduces.
PUBLIC_ROW_COUNTS: dict[str, int] = {
    "distribution_centers": 10,
    "products": 29_120,
    "users": 100_000,
    "orders": 125_000,
    "order_items": 181_000,
    "inventory_items": 490_000,
    "events": 2_430_000,
}
