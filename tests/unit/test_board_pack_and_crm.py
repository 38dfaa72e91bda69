"""A board pack's and a CRM brief's questions: a series' growth "with the prior year's AOV
shown beside each year" (the value the change is from, shown anyway), "the number of
orders and the number of cancelled orders" (two measures, not the cancelled ones only),
"the number of items, the number returned" (the noun said once), and "which categories
delivered the most gross profit" (brought in, not the status of delivered orders).
Found by two blind sets of such questions."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"],
            "country": ["China", "United States"],
            "department": ["Men", "Women"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Year-over-year growth in average order value for 2021 through 2025, with the prior "
         "year's AOV shown beside each year.",
         "Year-over-year growth in average order value for 2021 through 2025"),
        ("Year-over-year growth in the number of buying customers for each year 2020-2025, "
         "with the previous year's count shown next to each.",
         "Year-over-year growth in customers for each year 2020-2025"),
        ("Month-over-month growth in new customers for each month of 2025 (January compared "
         "with Dec 2024) - show the previous month's count next to each.",
         "Month-over-month growth in new customers for each month of 2025 (January compared "
         "with Dec 2024)"),
        ("Which five categories delivered the most gross profit in 2025?",
         "top 5 categories by gross profit in 2025"),
        ("For each year from 2021 to 2025, which month delivered the highest revenue?",
         "For each year from 2021 to 2025, which month had the highest revenue?"),
        ("Which brands had an item return rate above 12% in 2025? For each, show the number "
         "of items, the number returned and the rate.",
         "Which brands had an item return rate above 12% in 2025? For each, show the number "
         "of items, the number of items returned and the rate."),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_growth_series_shows_the_value_it_is_from(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year-over-year growth in average order value for 2021 through 2025, with the prior "
        "year's AOV shown beside each year."
    )
    assert plan.growth
    assert "average_order_value_previous" in compile_plan(plan, planner.model)
    assert any("shown in the answer" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("question", "measures"),
    [
        ("the number of orders and the number of cancelled orders by country",
         ("orders", "cancelled_orders")),
        ("the number of items and the number of returned items by brand",
         ("items_sold", "returned_items")),
    ],
)  # fmt: skip
def test_a_count_listed_again_with_a_status_is_a_measure_beside(
    planner: OfflinePlanner, question: str, measures: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == measures
    assert not plan.filters


def test_delivered_orders_are_still_complete_ones(planner: OfflinePlanner) -> None:
    plan = planner.plan("which country delivered the most orders in 2025")
    assert [f.values for f in plan.filters] == [("Complete",)]
