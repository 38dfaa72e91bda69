"""What a finance controller adds to a question: the figures a rate or a share is made of
("Give the returned count and the total line count with it"), which the answer shows
anyway; the rows left out said as accountants say it ("net of cancelled and returned
items", "with cancellations and returns excluded"); "Count every status"; "Round to two
decimals". Found by a blind set of such questions. A remark naming a measure the answer
does not show is still refused: it is never added, nor dropped."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"country": ["China"], "department": ["Men", "Women"]})


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What is the item return rate? Give the returned count and the total line count "
         "with it.", "What is the item return rate?"),
        ("What was the order return rate for orders placed in 2024? Give the order count and "
         "the returned orders as well.", "What was the order return rate for orders placed in "
         "2024?"),
        ("Item return rate by product category, all time, with returned items and total items "
         "for each; highest rate first.", "Item return rate by product category, all time, "
         "highest rate first"),
        ("What share of registered users are women? Show the female count and the total user "
         "count beside the percentage.", "What share of registered users are women?"),
        ("What share of 2025 revenue came from customers in China? Show China's revenue and "
         "total revenue alongside.", "What share of 2025 revenue came from customers in "
         "China?"),
        ("What is our overall inventory sell-through rate? Show sold units and total "
         "inventory units alongside it.", "What is our overall inventory sell-through rate?"),
        ("Each category's share of its department's 2025 revenue, with the category and "
         "department revenue shown.", "Each category's share of its department's 2025 "
         "revenue"),
    ],
)  # fmt: skip
def test_a_remark_asking_for_what_the_answer_shows_reads_as_the_question(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)
    assert any("is shown in the answer" in note for note in planner.plan(question).notes)


@pytest.mark.parametrize(
    "question",
    [
        # the answer would not show these: never added by the remark, never dropped
        "What is the item return rate? Give the cancelled count with it.",
        "What share of 2025 revenue came from customers in China? Show the order count too.",
        "Cancellation rate for 2025 orders by gender, with the revenue for each.",
        # "the items" beside an item return rate: all of them, or the items sold?
        "Item return rate by category, with the items for each.",
        # a group's total is shown only beside a share within the group
        "revenue by category and department, with the department revenue",
        # a share is of one measure: another one asked beside it is refused, not left out
        "What share of 2025 revenue came from customers in China, with the order count",
    ],
)
def test_a_remark_naming_a_measure_not_shown_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        _sql(planner, question)


def test_a_rate_beside_its_whole_shows_its_part_too(planner: OfflinePlanner) -> None:
    plan = planner.plan("inventory and sell-through rate by category")
    assert plan.metrics == ("inventory_items", "sell_through_rate", "sold_inventory_items")
    # the first measure still ranks: the top 10 by orders, with the rate's part beside
    plan = planner.plan(
        "Top 10 countries by 2025 order count, with the % of those orders cancelled"
    )
    assert plan.metrics[0] == "orders"
    assert "cancelled_orders" in plan.metrics


@pytest.mark.parametrize(
    "question",
    [
        "What was total revenue for calendar 2025, net of cancelled and returned items?",
        "revenue in 2025, net of returns and cancellations",
        "revenue in 2025, excluding returns and cancellations",
        "revenue in 2025 with cancellations and returns excluded",
        "revenue in 2025, excluding cancelled and returned lines",
        "revenue in 2025, not counting cancelled or returned items",
    ],
)
def test_the_rows_revenue_leaves_out_said_again(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("revenue",)
    assert "'Cancelled', 'Returned'" in _sql(planner, question).replace(
        "('Returned', 'Cancelled')", "('Cancelled', 'Returned')"
    )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many orders were placed in 2024? Count every status.",
         "How many orders were placed in 2024?"),
        ("How many orders were placed in 2024? Include all statuses.",
         "How many orders were placed in 2024?"),
        ("What was the average sale price in 2025? Round to two decimals.",
         "What was the average sale price in 2025?"),
        ("how many users placed orders in 2025", "how many users placed an order in 2025"),
        ("Which categories have an item return rate above 10%? Show returned and total items "
         "for each.", "Which categories have an item return rate above 10%? Show returned "
         "items and total items for each."),
    ],
)  # fmt: skip
def test_plain_restatements(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Running total of 2025 revenue by month, with each month's revenue beside the "
         "cumulative figure, in month order.", "Running total of 2025 revenue by month, in "
         "month order."),
        ("7-day rolling average of daily revenue for each day from December 1 to December 14, "
         "2025, with that day's revenue beside it.", "7-day rolling average of daily revenue "
         "for each day from December 1 to December 14, 2025"),
        ("How many orders have no ship date recorded?", "How many orders have no ship date?"),
        ("How many products do we carry, both departments combined?",
         "How many products do we carry?"),
        ("How are our registered users distributed across the standard age bands?",
         "registered users by age band"),
        ("avg user age across everyone who's signed up", "avg user age"),
        ("Revenue and units sold for last week, Monday to Sunday (UTC).",
         "Revenue and units sold for last week"),
    ],
)  # fmt: skip
def test_a_controllers_precision_asks_for_nothing_more(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_count_every_status_is_no_breakdown(planner: OfflinePlanner) -> None:
    plan = planner.plan("How many orders were placed in 2024? Count every status.")
    assert plan.dimensions == ()


def test_bought_products_from_n_categories_is_not_one_product(planner: OfflinePlanner) -> None:
    # the number comes after: no "at least one product" condition is read
    with pytest.raises(PlanningError):
        planner.plan("How many customers have bought products from at least 3 categories?")


@pytest.mark.parametrize(
    "question",
    [
        "Top 10 brands by 2025 revenue, with units sold and AUR (revenue divided by units sold).",
        "brands by revenue, with units sold and revenue per unit sold",
        "revenue and revenue per unit sold by brand",
    ],
)
def test_a_measure_named_again_before_per_is_divided_not_the_last_one(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert "ratio:revenue:items_sold" in plan.metrics
    assert "revenue" in plan.metrics
    assert not any(m.startswith("ratio:items_sold") for m in plan.metrics)


def test_a_count_asked_beside_a_statistic_per_entity_is_not_dropped(
    planner: OfflinePlanner,
) -> None:
    # "for 2025 sessions" names whose lengths; "the session count" asks for a count,
    # which cannot go beside the average per session: refused, never left out
    with pytest.raises(PlanningError):
        _sql(
            planner,
            "Average session length in minutes for 2025 sessions, by session traffic source, "
            "with the session count.",
        )
    plan = planner.plan("Average session length in minutes for 2025 sessions, by traffic source")
    assert len(plan.metrics) == 1


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("For orders placed in 2025, what was the average delivery time in days? Include the "
         "number of delivered orders it rests on.", "dated:orders.delivered_at"),
        ("Average shipping time in days for 2025 orders, by customer country, with the number "
         "of shipped orders behind each figure.", "dated:orders.shipped_at"),
    ],
)  # fmt: skip
def test_the_count_an_average_of_time_rests_on(
    planner: OfflinePlanner, question: str, rule: str
) -> None:
    # the rows that reached the moment, which the measure of time is taken over too
    plan = planner.plan(question)
    assert plan.metrics[1] == "orders"
    assert plan.rules == (rule,)
    column = rule.split(":")[1]
    # one condition on the rows, so a group with none of them is no row at all
    assert f"WHERE NOT {column} IS NULL" in _sql(planner, question)


def test_rows_that_reached_a_moment_beside_another_measure_stay_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="restate a measure of time"):
        planner.plan("average delivery time for delivered orders and revenue")


def test_round_to_two_decimals_of_a_duration_stays_asked_back(planner: OfflinePlanner) -> None:
    # a duration is in whole units: two decimals asks for another number
    with pytest.raises(PlanningError):
        planner.plan("average delivery time in days in 2025, rounded to two decimals")
