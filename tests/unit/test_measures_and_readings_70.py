"""Readings of the stop that wrote heldout70 and heldout71: each test names the general
reading it checks, and each fails on the code before it unless it says it keeps a
refusal or a reading."""

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
    }
    return OfflinePlanner(load_model(), values)


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("orders by revenue", "revenue"),
        ("customers by revenue", "revenue"),
        ("revenue by orders", "orders"),
        ("orders by the revenue in 2025", "revenue"),
    ],
)
def test_a_measure_after_by_is_not_a_breakdown(
    planner: OfflinePlanner, question: str, said: str
) -> None:
    """'orders by revenue' gave orders and revenue as two totals: the 'by' was dropped.
    With no breakdown or ranking read, it is refused with a sentence and a hint."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert f"I read 'by {said}', but {said} is a measure" in caught.value.message
    assert "top 10 customers by" in (caught.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "orders and revenue",
        "orders and revenue by country",
        "How many items ordered by customers aged 65 or older ended up Returned?",
    ],
)
def test_measures_side_by_side_and_who_did_it_are_kept(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps: two measures joined by 'and', and 'by <people>' after a participle (who
    ordered the items), which is not a breakdown either."""
    assert _sql(planner, question).startswith(("SELECT", "WITH"))
