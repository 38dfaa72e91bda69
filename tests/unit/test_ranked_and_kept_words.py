"""Readings of this stop: each test names the general reading it checks, and each fails
on the code before it unless it says it keeps a refusal or a reading."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    values = {
        "status": ["Complete", "Cancelled", "Returned"],
        "category": ["Jeans", "Socks"],
        "department": ["Men", "Women"],
        "country": ["Germany", "Brasil", "France"],
        "state": ["California", "Texas"],
        "city": ["Paris", "London"],
        "browser": ["Chrome", "Safari"],
    }
    return OfflinePlanner(load_model(), values)


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Rank the states of Brasil after the number of clients in 2025",
         "customers by state in Brasil in 2025"),
        ("states in Brasil ranked by users", "users by state in Brasil"),
        ("rank the cities of Germany by revenue", "revenue by city in Germany"),
    ],
)  # fmt: skip
def test_a_breakdown_said_first_with_its_place(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """ "Rank the states of Brasil after ...": the breakdown said first keeps its place
    as a filter, and "after" a ranking is "by"."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_rank_after_a_moment_is_not_a_ranking(planner: OfflinePlanner) -> None:
    """Keeps: "after the first order" stays a moment, never the measure ranked by."""
    with pytest.raises(PlanningError):
        planner.plan("rank the brands after the first order")


@pytest.mark.parametrize(
    "question",
    [
        "In which countries more than 15,5% of the 2025 orders were cancelled?",
        "In which countries were more than 15.5% of the 2025 orders cancelled?",
    ],
)
def test_a_condition_on_a_share_asked_of_the_things_it_is_in(
    planner: OfflinePlanner, question: str
) -> None:
    """ "In which countries (were) more than 15.5% of the orders (were) cancelled": the
    countries whose cancellation rate is above it, as "countries where ..." reads."""
    plain = "countries with a cancellation rate more than 15.5% in 2025"
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Returned order items by year [year, returned items]", "returned items by year"),
        ("Item return rate by category, all time [category, items, returned items, return "
         "rate %]", "item return rate by category, all time"),
        ("Users by country [country, users, % of users]", "share of users by country"),
        ("Order return rate by year (year, orders, returned orders, rate)",
         "order return rate by year"),
    ],
)  # fmt: skip
def test_the_answers_columns_listed_in_brackets(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """A tile's column list ("[category, items, returned items, return rate %]") names
    the breakdown and the figures the answer shows anyway: read without it."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        "Users by country [country, users, revenue]",
        "2025 rev split Men vs Women dept within each user country [country, dept, rev, "
        "country total, % of country]",
    ],
)
def test_a_column_list_that_asks_for_more_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps: a listed column the answer does not show (another measure, a total and a
    share within each country) is never dropped."""
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_whose_breakdown_said_in_a_remark(planner: OfflinePlanner) -> None:
    """ "Top 3 distribution centers by 2025 rev (product's DC)": the DC each item's product
    has, as the model reaches it; never the top 3 products of each center."""
    said = _sql(planner, "Top 3 distribution centers by 2025 rev (product's DC)")
    assert said == _sql(planner, "Top 3 distribution centers by 2025 revenue")
    assert "products.id AS" not in said


def test_statistics_over_the_rows_said_after_them(planner: OfflinePlanner) -> None:
    """ "Avg and std dev of sale_price, items sold in 2025": both over the items sold,
    never the items sold as a third figure beside them."""
    sql = _sql(planner, "Avg and std dev of sale_price, items sold in 2025")
    assert "items_sold" not in sql
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in sql


def test_a_count_by_a_count_with_nothing_counted_is_refused(planner: OfflinePlanner) -> None:
    """ "Orders by item count [items in order, orders]": refused, never the orders and the
    items sold as one total."""
    with pytest.raises(PlanningError, match="item count"):
        planner.plan("Orders by item count: items, orders")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Orders by quarter, 2025 (Q1-Q4)", "orders by quarter in 2025"),
        ("Min, max and avg retail price - whole product catalog",
         "min, max and avg retail price of all products"),
        ("Orders by weekday, 2025 - show all 7 days, busiest first",
         "orders by weekday in 2025, busiest first"),
        ("Categories w/ the biggest rev increase, 2025 vs 2024 - top 5, both years, $ diff and "
         "% change", "Categories with the biggest rev increase, 2025 vs 2024 - top 5, both "
         "years, the difference in $ and % change"),
    ],
)  # fmt: skip
def test_a_tiles_shorthand(planner: OfflinePlanner, question: str, plain: str) -> None:
    """ "(Q1-Q4)", "whole product catalog", "show all 7 days", "$ diff"."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("By signup year, what % of users have ever ordered?",
         "by signup year, what % of users have placed an order"),
        ("2025 signups: % who ordered within 7 days of signing up",
         "% of 2025 signups who ordered within 7 days of signing up"),
    ],
)  # fmt: skip
def test_a_share_of_people_said_as_a_tile(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """ "have ever ordered" said whole is "have placed an order"; "2025 signups: % who
    ..." is the % of them."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_tile_of_things_kept_by_a_condition(planner: OfflinePlanner) -> None:
    """ "Customers who spent more than $800 in 2025 - user id, country, 2025 spend": the
    question "which customers ...?" with its columns."""
    assert _sql(
        planner, "Customers who spent more than $800 in 2025 - user id, country, 2025 spend"
    ) == _sql(planner, "Which customers spent more than $800 in 2025? user id, country, 2025 spend")
    assert _sql(planner, "Customers who bought in 2024 but nothing in 2025 - count") == _sql(
        planner, "how many customers bought in 2024 but nothing in 2025"
    )


@pytest.mark.parametrize(
    "question", ["Top 5 products by revenue: country", "Top 5 products by revenue (user's country)"]
)
def test_a_column_single_things_have_many_of_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """A product has no single country: refused, never the top (product, country) pairs;
    a customer's country is still shown."""
    with pytest.raises(PlanningError, match="no single country"):
        planner.plan(question)
    assert "users.country AS country" in _sql(planner, "top 10 customers by revenue: country")
