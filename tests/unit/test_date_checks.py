"""Checks that a moment of each row has a date or none ("orders with no ship date",
"where shipped_at is null"), and the small readings two blind sets (an analytics
engineer's clipped notes, a new analyst's chatty questions) found around them: a column
named with its value after a comma, a statistic with its rows after a comma, a duration's
two moments after a comma, "across all the products"."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._model import SemanticModel
from lgda_nb.planner._plan import Plan
from lgda_nb.planner._query import plan_from_query, query_of


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


@pytest.fixture(scope="module")
def planner(model: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(
        model, {"country": ["China", "Brasil"], "department": ["Men", "Women"],
                "status": ["Complete", "Processing", "Shipped"]}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("How many orders have no ship date?", "WHERE orders.shipped_at IS NULL"),
        ("count orders where shipped_at is null", "WHERE orders.shipped_at IS NULL"),
        ("how many order_items have shipped_at null?", "WHERE order_items.shipped_at IS NULL"),
        ("how many orders have returned_at not null", "WHERE NOT orders.returned_at IS NULL"),
        (
            "How many orders have a delivery timestamp (delivered_at filled in)?",
            "WHERE NOT orders.delivered_at IS NULL",
        ),
        (
            "orders with a ship date but no delivery date",
            "WHERE NOT orders.shipped_at IS NULL AND orders.delivered_at IS NULL",
        ),
        (
            "number of inventory items where sold_at is null",
            "WHERE inventory_items.sold_at IS NULL",
        ),
        (
            "count orders where shipped_at is null and status = Processing",
            "orders.shipped_at IS NULL AND orders.status = 'Processing'",
        ),
        ("orders with no ship date in 2025", "orders.shipped_at IS NULL AND EXTRACT(YEAR FROM"),
        (
            "revenue from order items with no delivery date by country",
            "AND order_items.delivered_at IS NULL GROUP BY",
        ),
        (
            "How many orders placed in the last 60 days still have no ship date?",
            "orders.shipped_at IS NULL AND orders.created_at >=",
        ),
        ("list the 10 most recent orders with no ship date", "WHERE orders.shipped_at IS NULL"),
    ],
)
def test_a_date_or_none_is_a_rule_on_the_measured_rows(
    planner: OfflinePlanner, question: str, where: str
) -> None:
    plan = planner.plan(question)
    assert where in compile_plan(plan, planner.model)
    said = "with a" if where.startswith("WHERE NOT") else "with no"
    assert plan.rules
    assert said in interpret(plan, planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "users with no ship date",  # users record no shipping
        "orders where order_items.shipped_at is null",  # another table's, which fans out
        "orders with a delivery date in 2025",  # dates the orders as well: not cut
        "What is a ship date?",
        # a share: the rule could be its part or keep its whole too
        "orders with no ship date: share by status",
        "what % of orders have no ship date",
    ],
)
def test_a_date_check_no_column_answers_is_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_an_answer_that_would_drop_a_rule_is_refused(model: SemanticModel) -> None:
    """A builder that did not write a rule into its query is refused, not answered
    without it: the check looks for the rule's condition in the finished tree."""
    from lgda_nb.planner._compile import _check_rules_applied, compile_tree

    plain = Plan(question="orders", metrics=("orders",))
    ruled = Plan(question="orders", metrics=("orders",), rules=("undated:orders.shipped_at",))
    _check_rules_applied(ruled, model, compile_tree(ruled, model))
    with pytest.raises(PlanningError, match="no shipping date"):
        _check_rules_applied(ruled, model, compile_tree(plain, model))


def test_a_typed_query_carries_its_rules(model: SemanticModel) -> None:
    plan = Plan(question="q", metrics=("orders",), rules=("undated:orders.shipped_at",))
    again = plan_from_query("q", query_of(plan), model)
    assert again.rules == ("undated:orders.shipped_at",)
    assert "orders.shipped_at IS NULL" in compile_plan(again, model)
    for wrong in ("undated:orders.status", "dated:first_orders.first_at"):
        with pytest.raises(PlanningError, match="date check"):
            plan_from_query("q", {"metrics": ["users"], "rules": [wrong]}, model)


@pytest.mark.parametrize(
    ("question", "metric", "dimensions", "where"),
    [
        (
            "top 5 categories by items sold, department = Men, 2025",
            "items_sold",
            ("category",),
            "products.department = 'Men'",
        ),
        (
            "top 5 categories by orders, country = China",
            "orders",
            ("category",),
            "users.country = 'China'",
        ),
        ("orders by month, status = Complete", "orders", (), "orders.status = 'Complete'"),
        (
            "revenue by category, department: Men",
            "revenue",
            ("category",),
            "products.department = 'Men'",
        ),
    ],
)
def test_a_column_named_with_its_value_after_a_comma_is_a_filter(
    planner: OfflinePlanner, question: str, metric: str, dimensions: tuple[str, ...], where: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert plan.dimensions == dimensions
    assert where in compile_plan(plan, planner.model)


def test_a_breakdown_listed_after_a_comma_stays_one(planner: OfflinePlanner) -> None:
    assert planner.plan("revenue by category, department").dimensions == (
        "category",
        "department",
    )


@pytest.mark.parametrize(
    "question",
    ["std dev of sale_price, items sold", "average sale price, items sold",
     "median sale price, items sold in 2025"],
)  # fmt: skip
def test_a_statistic_with_its_rows_after_a_comma(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert len(plan.metrics) == 1
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in compile_plan(
        plan, planner.model
    )


def test_two_measures_after_a_comma_stay_two(planner: OfflinePlanner) -> None:
    assert planner.plan("revenue, items sold").metrics == ("revenue", "items_sold")


def test_a_durations_moments_after_a_comma_restate_it(planner: OfflinePlanner) -> None:
    plan = planner.plan("worst 3 countries by avg delivery time in days, placed -> delivered")
    sql = compile_plan(plan, planner.model)
    assert "TIMESTAMP_DIFF(orders.delivered_at, orders.created_at, DAY)" in sql
    assert "status" not in sql
    with pytest.raises(PlanningError):
        planner.plan("avg delivery time in days, shipped to delivered")


@pytest.mark.parametrize(
    "question",
    ["What's the average product cost across all the products in our catalog?",
     "average product cost across all the products"],
)  # fmt: skip
def test_across_all_the_things_is_over_all_of_them(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).dimensions == ()


def test_distinct_values_are_dated_as_their_tables_measures(planner: OfflinePlanner) -> None:
    """ "count distinct session_id in events for 2025": the events of 2025, as the events'
    own measures are dated; a table with no date stays undated."""
    sql = compile_plan(planner.plan("count distinct session_id in events for 2025"), planner.model)
    assert "COUNT(DISTINCT events.session_id)" in sql
    assert "EXTRACT(YEAR FROM events.created_at) = 2025" in sql
    assert planner.model.metric("distinct:brand").time is None


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("events by event_type - row counts", "events by event type"),
        ("avg items per order across all orders (every item counts, any status)",
         "avg items per order (items of any status)"),
        ("avg items per order by orders.status (count every item)",
         "avg items per order by status (items of any status)"),
        ("sum sale_price group by brand where department = Men top 5",
         "top 5 brands by revenue in the Men department"),
    ],
)  # fmt: skip
def test_clipped_notes_read_as_the_plain_question(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


def test_two_periods_the_reader_cannot_keep_apart_are_refused(planner: OfflinePlanner) -> None:
    """ "Bought in both 2024 and 2025" by month: which month, of which year? Refused with
    what to ask instead."""
    with pytest.raises(PlanningError, match="two periods") as refused:
        planner.plan("customers who bought in both 2024 and 2025 by month")
    assert refused.value.hint
