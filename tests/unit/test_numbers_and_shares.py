"""Small readings that used to give a wrong answer: "65+", "(every status)", the whole a
share is within, a participle naming the part, distinct things named by a value, and a
count asked beside the part of it."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model

VALUES = {
    "country": ["Brasil", "China", "Germany", "United States"],
    "category": ["Jeans", "Swim"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
    "department": ["Men", "Women"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("Number of users aged 65+ who signed up in 2025", "users.age >= 65"),
        ("products priced 100+", "products.retail_price >= 100"),
    ],
)
def test_a_number_with_a_plus_is_at_least_it(
    planner: OfflinePlanner, question: str, column: str
) -> None:
    assert column in compile_plan(planner.plan(question), planner.model)


def test_every_status_in_parentheses_is_the_scope_not_a_breakdown(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("median sale price across all order items (every status)?")
    assert plan.dimensions == ()


@pytest.mark.parametrize(
    "question",
    [
        "2025: what % of each department's revenue does each of its categories account for?",
        "2025: break each department's revenue down by category, as a % of that department",
        "each category's share of its department's revenue",
    ],
)
def test_the_whole_of_a_share_within_a_group(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.share_within == "department"


@pytest.mark.parametrize(
    "question",
    ["pct of orders cancelled by user country, 2024", "% of orders cancelled by country"],
)
def test_a_participle_after_the_rows_names_the_part_of_each_group(
    planner: OfflinePlanner, question: str
) -> None:
    """The cancelled orders of each country over that country's orders, not each
    country's share of all cancelled orders."""
    plan = planner.plan(question)
    sql = compile_plan(plan, planner.model)
    assert "PARTITION BY" in sql or "GROUP BY" in sql.split("whole AS", 1)[-1]
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Cancelled",))]
    assert plan.dimensions == ("country",)
    assert "OVER ()" not in sql


def test_a_participle_without_a_breakdown_keeps_the_models_rate(planner: OfflinePlanner) -> None:
    assert planner.plan("what share of orders ended up returned").metrics == ("order_return_rate",)


def test_distinct_things_named_by_a_value_are_counted(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year by year: how many unique customers bought something from the Jeans category, "
        "and how many distinct Jeans products were sold?"
    )
    assert set(plan.metrics) == {"customers", "distinct_in:items_sold:product"}
    assert [(f.dimension, f.values) for f in plan.filters] == [("category", ("Jeans",))]


def test_how_many_before_a_value_counts_the_things(planner: OfflinePlanner) -> None:
    """Before, "how many Jeans products" only named the rows and was dropped unsaid."""
    plan = planner.plan("how many customers bought Jeans, and how many Jeans products are there")
    assert set(plan.metrics) == {"customers", "products"}


def test_the_count_asked_beside_how_many_of_those(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "For each 2025 signup month: number of new registrations, and how many of those "
        "people placed an order within 30 days of registering"
    )
    assert "users" in plan.metrics
    assert len(plan.metrics) == 2


def test_sessions_ranked_within_each_group_are_refused_not_ranked_overall(
    planner: OfflinePlanner,
) -> None:
    """The ranking restarting per traffic source was dropped: one row for all of them."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="within each"):
        planner.plan(
            "For each website traffic source, which browser had the most sessions with a "
            "purchase event in 2025?"
        )
