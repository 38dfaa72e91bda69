"""The order a list's rows are shown in, said after it: "which customers spent more than
$1,000 in 2025? biggest spenders first", "sorted by revenue descending", "lowest first".
The rows are the list's own, ordered by the measure named; an order by a measure the list
does not show, or two directions at once, is refused rather than guessed."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"status": ["Complete", "Cancelled", "Returned"]})


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


LIST = "Which customers spent more than $1,000 in 2025?"


@pytest.mark.parametrize(
    "question",
    [
        f"{LIST} Biggest spender first.",
        "Which customers spent more than $1,000 in 2025, highest first?",
        f"{LIST} Sorted by spend, highest first.",
        "list customers with revenue over 1000 in 2025 sorted by revenue descending",
        f"{LIST} In descending order of revenue.",
        f"{LIST} Give me their user id and 2025 spend, biggest spender first.",
    ],
)
def test_a_list_shown_biggest_first(planner: OfflinePlanner, question: str) -> None:
    sql = _sql(planner, question)
    assert sql == _sql(planner, LIST)
    assert "ORDER BY SUM(order_items.sale_price) DESC" in sql


@pytest.mark.parametrize(
    "question", [f"{LIST} Lowest first.", f"{LIST} Sorted by revenue, ascending."]
)
def test_a_list_shown_smallest_first(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.order == "asc"
    assert "ORDER BY SUM(order_items.sale_price) ASC" in compile_plan(plan, planner.model)


@pytest.mark.parametrize(
    "question",
    [
        f"{LIST} Sorted by orders, highest first.",  # a measure the list does not show
        f"{LIST} Highest first, in ascending order.",  # two directions
    ],
)
def test_an_order_the_list_cannot_show_is_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)
