"""infer_model: the model a schema with no model file is answered from."""

from __future__ import annotations

import re

import pytest

from lgda_nb.errors import ConfigError
from lgda_nb.planner import OfflinePlanner, SemanticModel, infer_model
from lgda_nb.planner._model import Join, tables_in

SHOP: dict[str, dict[str, str]] = {
    "sales": {
        "id": "BIGINT",
        "region": "VARCHAR",
        "product": "VARCHAR",
        "amount": "DOUBLE",
        "quantity": "INTEGER",
        "sold_at": "TIMESTAMP WITH TIME ZONE",
        "customer_id": "BIGINT",
    },
    "customers": {"id": "BIGINT", "name": "VARCHAR", "segment": "VARCHAR"},
}
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@pytest.fixture(scope="module")
def shop() -> SemanticModel:
    """The model of a two-table shop."""
    return infer_model(SHOP)


def test_every_table_gets_a_row_count(shop: SemanticModel) -> None:
    """One count metric per table, named after it, that tables_in attributes to it."""
    sales = shop.metric("sales")
    assert sales.expression == "COUNT(sales.id)"
    assert tables_in(sales.expression) == {"sales"}
    assert (sales.table, sales.unit, sales.additive) == ("sales", "count", True)
    assert sales.label == "Number of sales"
    assert {"sales", "number of sales", "sales count"} <= set(sales.synonyms)
    assert shop.metric("customers").table == "customers"


def test_a_table_without_an_id_counts_rows() -> None:
    """No id column: COUNT(*) over the metric's own table."""
    model = infer_model({"visits": {"page": "VARCHAR", "seconds": "DOUBLE"}})
    assert model.metric("visits").expression == "COUNT(*)"
    assert model.metric("visits").table == "visits"


def test_numeric_columns_become_sum_average_max_and_min(shop: SemanticModel) -> None:
    """total_, average_, max_ and min_ per measure, with the right aggregate and flags."""
    expected = {
        "total_amount": ("SUM(sales.amount)", True),
        "average_amount": ("AVG(sales.amount)", False),
        "max_amount": ("MAX(sales.amount)", False),
        "min_amount": ("MIN(sales.amount)", False),
        "total_quantity": ("SUM(sales.quantity)", True),
        "average_quantity": ("AVG(sales.quantity)", False),
    }
    for name, (expression, additive) in expected.items():
        metric = shop.metric(name)
        assert (metric.expression, metric.additive, metric.table) == (expression, additive, "sales")
    assert {"amount", "total amount", "sum of amount"} <= set(shop.metric("total_amount").synonyms)
    assert {"average amount", "avg amount", "mean amount"} <= set(
        shop.metric("average_amount").synonyms
    )
    assert {"maximum amount", "max amount"} <= set(shop.metric("max_amount").synonyms)
    assert shop.metric("total_amount").label == "Amount"
    assert shop.metric("average_amount").label == "Average amount"


def test_a_column_named_like_its_table_keeps_total_in_its_label() -> None:
    """sales.sales: "sales" is the row count (its name), so the sum is "Total sales"."""
    model = infer_model({"sales": {"id": "BIGINT", "sales": "DOUBLE"}})
    assert "sales" not in model.metric("total_sales").synonyms
    assert "total sales" in model.metric("total_sales").synonyms
    assert model.metric("total_sales").label == "Total sales"


def test_money_columns_are_money(shop: SemanticModel) -> None:
    """Names like amount or unit_price are money; quantities are plain numbers."""
    assert shop.metric("total_amount").unit == "money"
    assert shop.metric("total_quantity").unit == "number"
    model = infer_model({"items": {"unit_price": "DECIMAL(10,2)", "discount_pct": "FLOAT"}})
    assert model.metric("total_unit_price").unit == "money"
    assert model.metric("average_discount_pct").unit == "percent"


@pytest.mark.parametrize(
    "column", ["id", "customer_id", "order_key", "CustomerID", "uuid", "year", "zip_code"]
)
def test_ids_and_labels_are_not_measures(column: str) -> None:
    """Summing an id, a key or a year means nothing, so none becomes a metric."""
    model = infer_model({"orders": {column: "BIGINT", "total": "DOUBLE"}})
    assert set(model.metrics) == {
        "orders",
        "total_total",
        "average_total",
        "max_total",
        "min_total",
    }


def test_text_and_boolean_columns_become_dimensions(shop: SemanticModel) -> None:
    """A dimension per text column, with its values indexed; booleans group but are not values."""
    region = shop.dimensions["region"]
    assert (region.column, region.table, region.values) == ("sales.region", "sales", True)
    assert region.label == "Region"
    assert region.synonyms[:2] == ("region", "regions")
    assert "customer_id" not in shop.dimensions
    model = infer_model(
        {"users": {"email": "VARCHAR", "active": "BOOLEAN", "plan": "ENUM('free', 'pro')"}}
    )
    assert not model.dimensions["email"].values
    assert not model.dimensions["active"].values
    assert model.dimensions["plan"].values


def test_a_name_column_answers_to_its_table(shop: SemanticModel) -> None:
    """customers.name is what "top 3 customers" groups by."""
    assert {"customer", "customers", "customer name"} <= set(shop.dimensions["name"].synonyms)


def test_the_time_column_dates_every_metric_of_its_table(shop: SemanticModel) -> None:
    """sold_at dates every sales metric; customers have no date."""
    assert {m.time for m in shop.metrics.values() if m.table == "sales"} == {"sales.sold_at"}
    assert shop.metric("customers").time is None


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"updated_at": "TIMESTAMP", "created_at": "TIMESTAMP"}, "created_at"),
        ({"shipped_at": "TIMESTAMP", "order_date": "DATE"}, "order_date"),
        ({"birth_date": "DATE", "paid_at": "TIMESTAMP_NS"}, "paid_at"),
        ({"modified": "DATETIME"}, "modified"),
        ({"when_seen": "TIME", "note": "VARCHAR"}, None),
    ],
)
def test_the_time_column_prefers_when_rows_happen(
    columns: dict[str, str], expected: str | None
) -> None:
    """created_at before order_date before other dates; a time of day is not a date."""
    model = infer_model({"orders": {"id": "BIGINT", **columns}})
    assert model.metric("orders").time == (f"orders.{expected}" if expected else None)


def test_id_columns_join_to_the_table_they_name() -> None:
    """<x>_id joins to x, xs, xes or x->ies on its id (or on the same column)."""
    model = infer_model(
        {
            "order_items": {"id": "BIGINT", "order_id": "BIGINT", "category_id": "BIGINT"},
            "orders": {"order_id": "BIGINT", "box_id": "BIGINT", "status": "VARCHAR"},
            "categories": {"id": "BIGINT", "parent_id": "BIGINT", "name": "VARCHAR"},
            "boxes": {"id": "INTEGER"},
            "notes": {"id": "BIGINT", "vendor_id": "BIGINT"},
        }
    )
    assert set(model.joins) == {
        Join("order_items", "order_id", "orders", "order_id"),
        Join("order_items", "category_id", "categories", "id"),
        Join("orders", "box_id", "boxes", "id"),
    }
    assert model.reaches("order_items", "boxes")


def test_the_shop_joins_sales_to_customers(shop: SemanticModel) -> None:
    """sales.customer_id -> customers.id, many-to-one."""
    assert shop.joins == (Join("sales", "customer_id", "customers", "id"),)
    assert shop.join_path("sales", "customers") == list(shop.joins)


def test_shared_column_names_are_prefixed_with_their_table() -> None:
    """Two tables with a name or an amount: T_C names, and no bare phrase that guesses."""
    model = infer_model(
        {
            "products": {"id": "BIGINT", "name": "VARCHAR", "price": "DOUBLE"},
            "stores": {"id": "BIGINT", "name": "VARCHAR", "price": "DOUBLE"},
        }
    )
    assert {"products_name", "stores_name"} <= set(model.dimensions)
    assert "name" not in model.dimensions
    assert model.dimensions["products_name"].label == "Product name"
    assert "product name" in model.dimensions["products_name"].synonyms
    assert all("name" not in d.synonyms for d in model.dimensions.values())
    assert {"total_products_price", "total_stores_price"} <= set(model.metrics)
    assert all("price" not in m.synonyms for m in model.metrics.values())
    assert "product price" in model.metric("total_products_price").synonyms


def test_a_phrase_two_tables_could_mean_goes_to_neither() -> None:
    """ "rows" is the row count of the only table, and of none when there are two."""
    one = infer_model({"events": {"kind": "VARCHAR"}})
    assert "rows" in one.metric("events").synonyms
    two = infer_model({"events": {"kind": "VARCHAR"}, "pages": {"url": "VARCHAR"}})
    assert all("rows" not in m.synonyms for m in two.metrics.values())


def test_names_are_unique_sql_identifiers() -> None:
    """Odd, reserved and clashing names are made into distinct lower-case identifiers."""
    model = infer_model(
        {
            "Orders": {
                "Unit Price": "DOUBLE",
                "2024_sales": "INTEGER",
                "select_": "VARCHAR",
                "year": "VARCHAR",
                "Größe": "DOUBLE",
                "OrderTotal": "DECIMAL(12,2)",
            },
            "region": {"region": "VARCHAR"},
        }
    )
    names = [*model.metrics, *model.dimensions]
    assert len(names) == len(set(names))
    assert all(_IDENTIFIER.match(name) for name in names)
    assert {"total_unit_price", "total_c_2024_sales", "total_order_total", "total_grosse"} <= set(
        model.metrics
    )
    assert {"orders_select", "orders_year", "region_region"} <= set(model.dimensions)
    assert model.metric("orders").table == "orders"
    assert model.metric("total_unit_price").expression == "SUM(orders.`Unit Price`)"
    assert model.metric("total_order_total").expression == "SUM(orders.OrderTotal)"
    assert "unit price" in model.metric("total_unit_price").synonyms


def test_columns_that_cannot_be_named_plainly_are_only_measured() -> None:
    """A quoted column can be summed on its own table but is no dimension, date or join."""
    model = infer_model(
        {"t": {"Ship Date": "DATE", "Sales Region": "VARCHAR", "select": "VARCHAR"}}
    )
    assert model.dimensions == {}
    assert model.metric("t").time is None


def test_tables_the_compiler_cannot_name_are_left_out() -> None:
    """A table named like a keyword or with a space cannot be put in FROM."""
    model = infer_model(
        {"select": {"x": "DOUBLE"}, "my table": {"x": "DOUBLE"}, "ok": {"x": "DOUBLE"}}
    )
    assert model.tables() == {"ok"}
    with pytest.raises(ConfigError, match="no tables"):
        infer_model({"select": {"x": "DOUBLE"}})
    with pytest.raises(ConfigError):
        infer_model({})


@pytest.mark.parametrize(
    ("type_name", "metric", "dimension", "dated"),
    [
        ("INT64", True, False, False),
        ("FLOAT64", True, False, False),
        ("HUGEINT", True, False, False),
        ("NUMERIC(38, 9)", True, False, False),
        ("STRING", False, True, False),
        ("BOOL", False, True, False),
        ("VARCHAR[]", False, False, False),
        ("STRUCT(x INTEGER)", False, False, False),
        ("ARRAY<STRING>", False, False, False),
        ("TIMESTAMP", False, False, True),
        ("TIMESTAMPTZ", False, False, True),
        ("DATE", False, False, True),
        ("BLOB", False, False, False),
    ],
)
def test_duckdb_and_bigquery_types(
    type_name: str, metric: bool, dimension: bool, dated: bool
) -> None:
    """Type names of both backends are read by kind; nested types are left alone."""
    model = infer_model({"t": {"id": "BIGINT", "c": type_name}})
    assert ("total_c" in model.metrics) is metric
    assert ("c" in model.dimensions) is dimension
    assert (model.metric("t").time == "t.c") is dated


def test_the_model_has_no_dataset_filters_or_aliases(shop: SemanticModel) -> None:
    """Names come from the schema only: no dataset, named filters or value aliases."""
    assert shop.name == "generic"
    assert shop.dataset is None
    assert dict(shop.named_filters) == {}
    assert dict(shop.value_aliases) == {}
    assert infer_model(SHOP, name="shop").name == "shop"


def test_fact_tables_come_first(shop: SemanticModel) -> None:
    """Tables with a date and measures lead, so the planner's suggestions are answerable."""
    assert next(iter(shop.metrics)) == "sales"


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("total amount", ("total_amount",), ()),
        ("average amount by region", ("average_amount",), ("region",)),
        ("top 2 products by quantity", ("total_quantity",), ("product",)),
        ("how many sales", ("sales",), ()),
        ("sales count by segment", ("sales",), ("segment",)),
        ("max amount per product", ("max_amount",), ("product",)),
        ("top 3 customers by amount", ("total_amount",), ("name",)),
        ("how many customers by segment", ("customers",), ("segment",)),
    ],
)
def test_the_offline_planner_reads_questions_against_it(
    shop: SemanticModel, question: str, metrics: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    """The planner maps plain questions onto the inferred names."""
    plan = OfflinePlanner(shop).plan(question)
    assert (plan.metrics, plan.dimensions) == (metrics, dimensions)
