"""Figures asked "for both" are the ones the answer shows anyway: the two periods of a
comparison ("Give both and the % change"), a share's part and whole ("Give both counts
too"), every value listed ("Cancelled or Returned: which status has more orders? Show the
order count for both": both rows, the larger first, not only the top one)."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned"],
            "brand": ["Calvin Klein", "Tommy Hilfiger"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How did average order value in 2025 compare with 2024? Give both and the % change.",
         "How did average order value in 2025 compare with 2024?"),
        ("Of the users who signed up in 2025, what % placed their first order within 7 days "
         "of signing up? Give both counts too.",
         "Of the users who signed up in 2025, what % placed their first order within 7 days "
         "of signing up?"),
        ("YTD orders vs the same period last year? Please include the % change.",
         "YTD orders vs the same period last year?"),
        ("Cancelled or Returned: which order status has more orders? Show the order count "
         "for both.",
         "orders by status for Cancelled and Returned orders, highest first"),
        ("Calvin Klein or Tommy Hilfiger: which brand made more profit in 2025? Show the "
         "profit for both.",
         "profit by brand for Calvin Klein and Tommy Hilfiger in 2025, highest first"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_both_rows_are_shown_not_the_top_one(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Cancelled or Returned: which order status has more orders? Show the order count for both."
    )
    assert plan.limit is None
    assert plan.order == "desc"


def test_an_absolute_difference_is_not_a_percent_change(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue 2025 vs 2024, with the % change")
    assert "difference" not in compile_plan(plan, planner.model)


def test_both_without_two_values_listed_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("Which brand made the most profit in 2025? Show the profit for both.")
