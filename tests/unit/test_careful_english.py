"""Questions written with care by someone whose first language is not English: "the
returned ones" after the rows they are of, "the number of all order items" (a count, not
the rows of the rate before it), "sorted by the profit". Found by a blind set; each
reading here is general, and each wrong or missing figure it fixes was seen."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"],
            "acquisition_channel": ["Facebook", "Search"],
            "country": ["Germany", "Brasil"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What is the item return rate per category over all time? Please with the number of "
         "all order items and the returned items of each category.",
         "item return rate by category with order items and returned items"),
        ("What were revenue and gross profit per category in 2024? Sorted by the profit, "
         "highest first.",
         "profit and revenue by category in 2024, highest first"),
        ("How many returned order items in 2025?", "How many returned items in 2025?"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_the_ones_are_the_rows_named_before(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Which categories have an item return rate over 11%? Over all time, with the number "
        "of order items, the returned ones and the rate."
    )
    assert set(plan.metrics) == {"order_lines", "returned_items", "item_return_rate"}
    assert not plan.filters
    assert [c.metric for c in plan.conditions] == ["item_return_rate"]


def test_the_number_of_all_rows_is_shown(planner: OfflinePlanner) -> None:
    plan = planner.plan("item return rate by category with the number of all order items")
    assert "order_lines" in plan.metrics


@pytest.mark.parametrize(
    "question",
    [
        "cancelled and returned items by category",
        "Cancelled and returned order items per distribution center for 2025",
        "cancelled or returned order items in 2025",
    ],
)
def test_a_count_of_one_value_among_rows_of_another_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError, match="0 by definition"):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Which are the top 10 brands after revenue in 2025?", "top 10 brands by revenue in 2025"),
        ("How many users have registered per year? Sorted after the year, please.",
         "users registered per year"),
        ("How many customers had we in 2025, split after the gender of the user?",
         "customers in 2025 by gender"),
        ("How high is the cancellation rate per country of the user?",
         "cancellation rate by country"),
        ("How was the revenue per month in 2025? Month for month in the right order, please.",
         "revenue per month in 2025"),
        ("Revenue per quarter in 2025, please, in the order of the quarters.",
         "revenue per quarter in 2025"),
        ("How much revenue did we make in every year from 2019 until 2025?",
         "revenue per year from 2019 to 2025"),
        ("How many orders did we receive on 24.11.2025 (UTC)?", "orders on 2025-11-24"),
        ("How many sessions were on our website in December 2025 (01.12.2025 until "
         "31.12.2025)?", "sessions from 2025-12-01 to 2025-12-31"),
        ("How many users from Germany came to us over Facebook?",
         "How many users from Germany came via Facebook?"),
        ("How many orders were in 2025 placed, all statuses together?", "orders in 2025"),
        ("How many users have registered themselves in the year 2024?",
         "users registered in 2024"),
        ("How many users have never placed an order until now?",
         "How many users have never placed an order?"),
        ("Can you give me the number of the orders per order status, over the whole time?",
         "orders by status"),
    ],
)  # fmt: skip
def test_careful_phrasing_reads_as_the_plain_one(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        # "order ... after" stays a moment, "percent" stays a word, "the right order" no measure
        ("On average how many days does it take a user to place their first order after "
         "signing up?", None),
        ("what percent of the orders placed by users in Brasil were returned?", None),
        ("revenue per month in 2025, in the right order", ("revenue",)),
    ],
)  # fmt: skip
def test_words_that_keep_their_meaning(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...] | None
) -> None:
    plan = planner.plan(question)
    if metrics is not None:
        assert plan.metrics == metrics


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("How high is the order return rate per year? Please give for each year the orders "
         "and the returned orders beside the rate, in the order of the years.",
         {"order_return_rate", "orders", "returned_orders"}),
        ("Per product category, how high is the sell-through rate? Give the number of "
         "inventory items, the sold ones and the rate.",
         {"sell_through_rate", "inventory_items", "sold_inventory_items"}),
    ],
)  # fmt: skip
def test_figures_asked_in_careful_english(
    planner: OfflinePlanner, question: str, metrics: set[str]
) -> None:
    plan = planner.plan(question)
    assert set(plan.metrics) == metrics
    assert not plan.filters


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How did the revenue grow year over year from 2020 until 2025? For each year please "
         "the revenue, the revenue of the year before and the growth in %.",
         "How did the revenue grow year over year from 2020 to 2025? For each year please the "
         "revenue, the prior year's revenue and the growth in %."),
        ("Please compare the revenue per country for Q1 2025 against Q1 2024: both values "
         "beside each other and the change in %.",
         "compare the revenue per country for Q1 2025 against Q1 2024: both values side by "
         "side and the change in %"),
        ("Which weekday had in 2025 the most orders? Show all seven weekdays with their "
         "orders, the busiest first.",
         "Which weekday had in 2025 the most orders? Show all weekdays with their orders, the "
         "busiest first."),
    ],
)  # fmt: skip
def test_periods_and_lists_in_careful_english(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_list_of_rows_of_one_value_stays_a_list(planner: OfflinePlanner) -> None:
    """ "returned item" names the model's returned items; in a list it keeps the rows."""
    plan = planner.plan("the most expensive returned item: order id, product name, sale price")
    assert plan.rows is not None
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Returned",))]


def test_how_many_of_them_beside_a_rate_is_its_part(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "What is the cancellation rate over all orders? Please show also the number of the "
        "orders and how many of them were cancelled."
    )
    assert set(plan.metrics) == {"cancellation_rate", "cancelled_orders", "orders"}
    assert not plan.filters
