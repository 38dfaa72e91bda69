"""Lists and lookups: the rows of one table, with chosen columns, filters and window,
ranked by a column and capped; distinct values of a column; the typed query's lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lgda_nb.errors import ConfigError, PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._compile_lists import LIST_CAP
from lgda_nb.planner._generic import infer_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._model import parse_model
from lgda_nb.planner._plan import Filter, Plan
from lgda_nb.planner._query import plan_from_query, query_of, query_schema

VALUES = {
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "category": ["Jeans", "Swim"],
    "country": ["Brasil", "Germany", "United Kingdom"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
    "brand": ["Levi's", "Speedo"],
    "distribution_center": ["Chicago IL", "Houston TX"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.fixture(scope="module")
def sample() -> Iterator[Any]:
    from lgda_nb import Engine

    with Engine() as engine:
        yield engine


@pytest.mark.parametrize(
    ("question", "rows", "expected"),
    [
        ("the 5 cheapest products in Jeans: name, brand, retail price", "products",
         (("products.id", "products.name", "products.brand", "products.retail_price"),
          "products.retail_price", "asc", 5)),
        ("the most expensive product, with its brand and price", "products",
         (("products.id", "products.name", "products.brand", "products.retail_price"),
          "products.retail_price", "desc", 1)),
        ("the 10 most recent signups from Brazil - id, first name, last name, signup date, "
         "newest first", "users",
         (("users.id", "users.first_name", "users.last_name", "users.created_at"),
          "users.created_at", "desc", 10)),
        ("the most expensive item ever returned: order id, product name and sale price",
         "order_items",
         (("order_items.order_id", "products.name", "order_items.sale_price"),
          "order_items.sale_price", "desc", 1)),
        ("the 5 latest returned orders with order id, user id, created and returned dates",
         "orders",
         (("orders.order_id", "orders.user_id", "orders.created_at", "orders.returned_at"),
          "orders.returned_at", "desc", 5)),
        ("where is the Houston warehouse (latitude, longitude)", "distribution_centers",
         (("distribution_centers.latitude", "distribution_centers.longitude"), None, "auto",
          None)),
        ("the name and brand of the priciest product in the Men department", "products",
         (("products.id", "products.name", "products.brand"), "products.retail_price", "desc", 1)),
        ("the 3 most expensive products and their brands", "products",
         (("products.id", "products.name", "products.brand", "products.retail_price"),
          "products.retail_price", "desc", 3)),
        ("the latest 10 orders: order id and created date", "orders",
         (("orders.order_id", "orders.created_at"), "orders.created_at", "desc", 10)),
        ("what's the return date of the latest returned order", "orders",
         (("orders.returned_at",), "orders.returned_at", "desc", 1)),
        ("list distinct browsers", "events", (("events.browser",), None, "auto", None)),
        ("the 3 westernmost distribution centers: name and longitude", "distribution_centers",
         (("distribution_centers.id", "distribution_centers.name",
           "distribution_centers.longitude"),
          "distribution_centers.longitude", "asc", 3)),
        ("top 5 products by retail price", "products",
         (tuple(load_model().catalog["products"].default_columns()), "products.retail_price",
          "desc", 5)),
    ],
)  # fmt: skip
def test_a_list_question_reads_its_rows_columns_order_and_count(
    planner: OfflinePlanner, question: str, rows: str, expected: tuple[Any, ...]
) -> None:
    """The table, the columns in the order asked, the ranking column and the count."""
    planned = planner.plan(question)
    assert planned.metrics == ()
    assert planned.rows == rows
    assert (planned.columns, planned.sort, planned.order, planned.limit) == expected


def test_filters_of_a_list_are_read_as_everywhere_else(planner: OfflinePlanner) -> None:
    """'from Brazil', 'in Jeans', 'ever returned', 'the Houston warehouse' are filters."""
    assert planner.plan("the 3 newest signups from Brazil: id, age").filters == (
        Filter("country", ("Brasil",)),
    )
    assert planner.plan("the cheapest product in Jeans").filters == (
        Filter("category", ("Jeans",)),
    )
    assert planner.plan("where is the Houston warehouse (latitude, longitude)").filters == (
        Filter("distribution_center", ("Houston TX",)),
    )


def test_distinct_values_of_a_column_are_listed(planner: OfflinePlanner) -> None:
    """'which categories does the Men department have': the categories, once each."""
    planned = planner.plan("which categories does the Men department have")
    assert planned.distinct
    assert planned.columns == ("products.category",)
    assert planned.filters == (Filter("department", ("Men",)),)
    sql = compile_plan(planned, planner.model)
    assert sql.startswith("SELECT DISTINCT products.category")
    assert sql.endswith("ORDER BY products.category")  # every value, not a capped list


def test_a_list_without_a_number_is_capped_and_ordered_by_title_then_key(
    planner: OfflinePlanner,
) -> None:
    """No number asked: the default cap, in order of the name, ties by the key; no
    column named: all of the table's."""
    planned = planner.plan("list our distribution centers")
    sql = compile_plan(planned, planner.model)
    assert planned.limit is None
    assert planned.columns == planner.model.catalog["distribution_centers"].default_columns()
    assert "distribution_centers.latitude" in planned.columns
    assert sql.endswith(
        f"ORDER BY distribution_centers.name, distribution_centers.id LIMIT {LIST_CAP}"
    )
    assert f"at most {LIST_CAP} rows" in interpret(planned, planner.model)


def test_a_ranking_leaves_out_rows_without_a_value_and_breaks_ties_by_title_then_key(
    planner: OfflinePlanner,
) -> None:
    """The ranking column must have a value; equal values fall back to name, then id."""
    sql = compile_plan(planner.plan("the most expensive product"), planner.model)
    assert "NOT products.retail_price IS NULL" in sql
    assert sql.endswith("ORDER BY products.retail_price DESC, products.name, products.id LIMIT 1")


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("3 cheapest Swim products: name, brand, price",
         [1859, "Roxy Men's Stretch One Piece Swimsuit", "Roxy", 10.94]),
        ("latitude and longitude of the Chicago distribution center", [41.8369, -87.6847]),
    ],
)  # fmt: skip
def test_the_rows_on_the_sample(sample: Any, question: str, first: list[Any]) -> None:
    """The answer is the table's own rows, in the order asked, shown as a table."""
    answer = sample.ask(question)
    assert answer.df.iloc[0].tolist() == first
    assert answer.facts.kind == "table"  # values of rows, not measures to add up
    assert answer.follow_ups == ()


def test_personal_columns_of_a_list_stay_masked(sample: Any) -> None:
    """First names and emails are masked by the security policy, as for any query."""
    answer = sample.ask("the 3 newest signups: id, first name, email")
    assert len(answer.df) == 3
    assert all(str(v).startswith("masked:") for v in answer.df["email"])


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("the 5 cheapest products: name, colour", "'colour'"),
        ("the latest order items: name, sale price", "'name' could be"),
        ("the priciest products by category", "cannot be measured or broken down"),
        ("list the 3 newest orders from Atlantis", "'Atlantis'"),
        ("which brand is the most expensive", None),
        ("what are the top 10 products", None),  # top by what?
        ("top 5 products by category", "does not rank rows"),
    ],
)
def test_near_misses_are_refused(planner: OfflinePlanner, question: str, said: str | None) -> None:
    """An unknown column, a column two tables have, a list that is also a breakdown, an
    unknown value: refused, naming what was not understood."""
    with pytest.raises(PlanningError) as refused:
        planner.plan(question)
    if said is not None:
        assert said in str(refused.value)


@pytest.mark.parametrize(
    "question",
    [
        "how many distribution centers",
        "top 5 brands by revenue",
        "which brands have the most products",
        "orders per month, latest 6 months",
        "signups per month over the 12 most recent months",
        "Which customer countries placed more than 500 orders in 2025?",
        "list products by category",
    ],
)
def test_aggregate_questions_stay_aggregates(planner: OfflinePlanner, question: str) -> None:
    """Counts, rankings by a measure, windows named 'latest', groups with a condition."""
    assert planner.plan(question).rows is None


def test_the_interpretation_says_rows_order_filters_and_columns(
    planner: OfflinePlanner,
) -> None:
    """One sentence: which rows, the ranking, the filters, how ties go, the columns."""
    planned = planner.plan("the 5 cheapest products in Jeans: name, brand, retail price")
    assert interpret(planned, planner.model) == (
        "The 5 products with the lowest retail price, category is Jeans, ties in order of "
        "name then id: id, name, brand and retail price"
    )


@pytest.mark.parametrize(
    "question",
    [
        "the 5 cheapest products in Jeans: name, brand, retail price",
        "which categories does the Men department have",
        "the 10 most recent signups from Brazil - id, first name, signup date",
        "the most expensive item ever returned: order id, product name and sale price",
        "list orders with more than 3 items in 2024",
    ],
)
def test_a_typed_query_expresses_the_same_list(planner: OfflinePlanner, question: str) -> None:
    """plan_from_query(query_of(plan)) compiles to the same SQL."""
    planned = planner.plan(question)
    again = plan_from_query(question, query_of(planned), planner.model, VALUES)
    assert compile_plan(again, planner.model) == compile_plan(planned, planner.model)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"metrics": [], "rows": "products", "columns": ["products.nme"]}, "products.nme"),
        ({"metrics": [], "rows": "users", "columns": ["users.id"],
          "filters": [{"dimension": "brand", "values": ["Levi's"]}]}, "cannot be filtered"),
        ({"metrics": ["revenue"], "columns": ["products.name"]}, "name its table"),
        ({"metrics": [], "rows": "products", "columns": ["products.name"], "order": "desc"},
         "needs the column to sort by"),
        ({"metrics": ["revenue"], "rows": "products", "columns": ["products.name"]},
         "has no metrics"),
        ({"metrics": [], "rows": "users", "columns": ["products.name"]}, "belongs to"),
    ],
)  # fmt: skip
def test_a_typed_list_that_does_not_fit_is_refused(query: dict[str, Any], said: str) -> None:
    """Unknown columns, unreachable tables and lists that are also aggregates."""
    with pytest.raises(PlanningError, match=said):
        plan_from_query("q", query, load_model(), VALUES)


def test_the_schema_names_the_model_tables_and_columns() -> None:
    """A provider that takes a schema can only name tables and columns that exist."""
    properties = query_schema(load_model())["properties"]
    assert "products" in properties["rows"]["enum"]
    assert "users.created_at" in properties["columns"]["items"]["enum"]


def test_a_tables_entry_naming_a_column_it_does_not_list_is_refused() -> None:
    """[[tables]] ranks and keys must be among its columns."""
    with pytest.raises(ConfigError, match="retail_price"):
        parse_model(
            {
                "metrics": [{"name": "n", "expression": "COUNT(*)", "table": "products"}],
                "tables": [
                    {"name": "products", "columns": {"id": ["id"]},
                     "highest": {"retail_price": ["priciest"]}}
                ],
            }
        )  # fmt: skip


def test_an_inferred_model_lists_rows_by_the_schema_names() -> None:
    """A database without a model file: tables and columns answer to their own names."""
    tables = {
        "orders": {"order_id": "BIGINT", "customer": "VARCHAR", "amount": "DOUBLE",
                   "created_at": "TIMESTAMP"},
    }  # fmt: skip
    model = infer_model(tables)
    table = model.catalog["orders"]
    assert table.key == "order_id"
    assert table.highest == {"created_at": ("latest", "most recent", "newest")}
    planned = OfflinePlanner(model).plan("the 3 latest orders: customer, amount")
    assert planned.columns == ("orders.customer", "orders.amount")
    assert compile_plan(planned, model).endswith(
        "ORDER BY orders.created_at DESC, orders.order_id LIMIT 3"
    )


def test_a_list_plan_describes_itself() -> None:
    """The plan line names the rows, the ranking and the count."""
    planned = Plan(question="q", metrics=(), rows="products", columns=("products.name",),
                   sort="products.retail_price", order="desc", limit=3)  # fmt: skip
    assert planned.describe() == (
        "products.name of products rows by products.retail_price desc first 3"
    )


def test_model_check_finds_a_listed_column_the_data_lacks(sample: Any, tmp_path: Any) -> None:
    """`lgda model check` names a [[tables]] column that is not in the data."""
    from pathlib import Path

    from lgda_nb.planner._model import BUILTIN_MODEL
    from lgda_nb.planner._model_file import check_model

    text = Path(BUILTIN_MODEL).read_text(encoding="utf-8")
    bad = tmp_path / "model.toml"
    bad.write_text(text.replace("columns.sku = ", "columns.skew = "), encoding="utf-8")
    problems = [p.message for p in check_model(bad, sample)]
    assert any("no column skew" in message for message in problems), problems


def test_text_is_said_sorted_and_numbers_ranked(planner: OfflinePlanner) -> None:
    """'sorted by brand Z to A' for text; 'with the lowest age' for a number."""
    sorted_text = interpret(planner.plan("list products sorted by brand descending"), load_model())
    assert sorted_text.startswith("Products sorted by brand Z to A")
    ranked = interpret(planner.plan("the 3 youngest users: id, age"), load_model())
    assert ranked == "The 3 users with the lowest age, ties in order of id: id and age"
