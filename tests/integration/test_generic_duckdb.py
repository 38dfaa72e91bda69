"""A user's own DuckDB file with no model: questions answered through the inferred model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.planner import OfflinePlanner, Plan, SemanticModel, compile_plan, infer_model

REGIONS = ("North", "South", "East", "West")
PRODUCTS = ("Jeans", "Shirts", "Hats", "Socks")
CUSTOMERS = (
    (1, "Ada", "Consumer", "2024-01-15"),
    (2, "Ben", "Corporate", "2024-03-02"),
    (3, "Cleo", "Consumer", "2024-03-20"),
    (4, "Dev", "Corporate", "2024-07-09"),
    (5, "Eve", "Consumer", "2025-02-11"),
    (6, "Finn", "Consumer", "2025-02-27"),
)


def _sales() -> list[tuple[int, str, str, float, int, datetime, int]]:
    """30 sales from November 2024 to 2025, spread so that no two groups tie."""
    start = datetime(2024, 11, 5, 12, tzinfo=UTC)
    return [
        (
            i + 1,
            REGIONS[i % 4],
            PRODUCTS[(i * i) % 4],
            round(10 + (i * 37) % 90 + 0.25 * (i % 3), 2),
            1 + (i * 7) % 9,
            start + timedelta(days=11 * i),
            1 + (i * 5) % 6,
        )
        for i in range(30)
    ]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A small DuckDB file with sales and customers, and no semantic model."""
    import duckdb

    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE customers (id BIGINT, name VARCHAR, segment VARCHAR, signup_date DATE)"
        )
        con.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", CUSTOMERS)
        con.execute(
            "CREATE TABLE sales (id BIGINT, region VARCHAR, product VARCHAR, amount DOUBLE, "
            "quantity INTEGER, sold_at TIMESTAMP WITH TIME ZONE, customer_id BIGINT)"
        )
        con.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?, ?)", _sales())
    return path


def _direct(path: Path, sql: str) -> pd.DataFrame:
    """The answer straight from DuckDB, in UTC as the backend reads it."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        frame: pd.DataFrame = con.execute(sql).df()
    return frame


def _engine(path: Path) -> Engine:
    config = load_config(
        **{"duckdb.database": str(path), "security.allowed_tables": "sales,customers"}
    )
    return Engine(config)


def _planner(engine: Engine, model: SemanticModel) -> OfflinePlanner:
    """The planner with the distinct values of each indexed dimension, as the engine builds it."""
    values: dict[str, list[str]] = {}
    for dimension in model.dimensions.values():
        if dimension.values and dimension.column:
            table, column = dimension.column.split(".")
            frame = engine.backend.execute(
                f"SELECT DISTINCT {column} AS v FROM {table} WHERE {column} IS NOT NULL"
            )
            values[dimension.name] = sorted(str(v) for v in frame["v"])
    return OfflinePlanner(model, values)


def _ask(path: Path, question: str) -> tuple[Plan, pd.DataFrame]:
    """Plan against the inferred model, compile, and run through the engine's checks."""
    with _engine(path) as engine:
        model = infer_model(engine.backend.tables())
        plan = _planner(engine, model).plan(question)
        result = engine.run_sql(compile_plan(plan, model))
    return plan, result.df


CASES = [
    (
        "total amount",
        ("total_amount",),
        (),
        "SELECT ROUND(SUM(amount), 2) AS total_amount FROM sales",
    ),
    (
        "average amount by region",
        ("average_amount",),
        ("region",),
        "SELECT region, ROUND(AVG(amount), 2) AS average_amount FROM sales "
        "GROUP BY region ORDER BY AVG(amount) DESC",
    ),
    (
        "top 2 products by quantity",
        ("total_quantity",),
        ("product",),
        "SELECT product, SUM(quantity) AS total_quantity FROM sales "
        "GROUP BY product ORDER BY total_quantity DESC LIMIT 2",
    ),
    (
        "how many sales in 2025",
        ("sales",),
        (),
        "SELECT COUNT(*) AS sales FROM sales WHERE year(sold_at) = 2025",
    ),
    (
        "amount per month",
        ("total_amount",),
        (),
        "SELECT CAST(date_trunc('month', sold_at) AS DATE) AS month, "
        "ROUND(SUM(amount), 2) AS total_amount FROM sales GROUP BY 1 ORDER BY 1",
    ),
    (
        "sales count by segment",
        ("sales",),
        ("segment",),
        "SELECT c.segment, COUNT(*) AS sales FROM sales s JOIN customers c "
        "ON c.id = s.customer_id GROUP BY c.segment ORDER BY sales DESC",
    ),
    (
        "top 3 customers by amount",
        ("total_amount",),
        ("name",),
        "SELECT c.name, ROUND(SUM(s.amount), 2) AS total_amount FROM sales s "
        "JOIN customers c ON c.id = s.customer_id GROUP BY c.name "
        "ORDER BY total_amount DESC LIMIT 3",
    ),
    (
        "customers per month",
        ("customers",),
        (),
        "SELECT CAST(date_trunc('month', signup_date) AS DATE) AS month, COUNT(*) AS customers "
        "FROM customers GROUP BY 1 ORDER BY 1",
    ),
    (
        "how many regions",
        ("distinct:region",),
        (),
        "SELECT COUNT(DISTINCT region) AS number_of_region FROM sales",
    ),
]


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions", "expected_sql"), CASES, ids=[c[0] for c in CASES]
)
def test_answers_match_duckdb(
    shop: Path,
    question: str,
    metrics: tuple[str, ...],
    dimensions: tuple[str, ...],
    expected_sql: str,
) -> None:
    """Each question's plan uses the inferred names and its answer equals DuckDB's own."""
    plan, answer = _ask(shop, question)
    assert (plan.metrics, plan.dimensions) == (metrics, dimensions)
    expected = _direct(shop, expected_sql)
    assert len(answer) == len(expected) > 0
    pd.testing.assert_frame_equal(
        answer.reset_index(drop=True), expected, check_dtype=False, check_names=False
    )


def test_a_value_of_the_data_filters(shop: Path) -> None:
    """ "amount in <region>": the region's value from the index becomes the filter."""
    region = _direct(shop, "SELECT MIN(region) AS r FROM sales")["r"].iloc[0]
    plan, answer = _ask(shop, f"amount in {region}")
    assert plan.metrics == ("total_amount",)
    assert [(f.dimension, f.values) for f in plan.filters] == [("region", (region,))]
    expected = _direct(
        shop, f"SELECT ROUND(SUM(amount), 2) AS t FROM sales WHERE region = '{region}'"
    )
    assert answer["total_amount"].iloc[0] == pytest.approx(expected["t"].iloc[0])


def test_groups_do_not_tie() -> None:
    """The data is spread so that top-N answers have one right order."""
    frame = pd.DataFrame(_sales(), columns=["id", "region", "product", "amount", "q", "t", "c"])
    assert frame.groupby("product")["q"].sum().is_unique
    assert frame.groupby("c")["amount"].sum().is_unique
    assert frame.groupby("region")["amount"].mean().is_unique


def test_the_model_is_inferred_from_the_backend_tables(shop: Path) -> None:
    """The backend's schema gives a count per table, measures, dimensions, dates and the join."""
    with _engine(shop) as engine:
        model = infer_model(engine.backend.tables())
    assert {"sales", "customers", "total_amount", "average_quantity"} <= set(model.metrics)
    assert {"region", "product", "name", "segment"} <= set(model.dimensions)
    assert model.metric("sales").time == "sales.sold_at"
    assert model.metric("customers").time == "customers.signup_date"
    assert model.join_path("sales", "customers")[0].left_column == "customer_id"
