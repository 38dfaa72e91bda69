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
        load_model(), {"status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"]}
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
    assert plan.metrics == ("order_lines", "returned_items", "item_return_rate")
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
