"""How a marketing team writes: "CVR", funnels as "home > product > cart", "first vs
repeat" as a breakdown, rankings by the sessions a condition keeps."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model
from lgda_nb.planner._text import normalize


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"acquisition_channel": ["Facebook", "Email"]})


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("cart to purchase CVR by browser", "cart to purchase conversion rate by browser"),
        ("funnel home > product > cart > purchase", "funnel home to product to cart to purchase"),
        ("orders with > 3 items", "orders with more than 3 items"),
        ("price > cost", "price more than cost"),  # two words: a comparison, not steps
    ],
)
def test_marketing_shorthand_is_spelled_out(said: str, read: str) -> None:
    assert normalize(said) == read


def test_a_breakdown_named_with_vs_is_not_a_period_comparison(planner: OfflinePlanner) -> None:
    """ "First vs repeat orders in 2025" is 2025's orders by order type, not 2025
    compared with 2024; a period said after it still is."""
    plan = planner.plan("first vs repeat orders in 2025")
    assert plan.dimensions == ("order_type",)
    assert not plan.compare
    assert planner.plan("first vs repeat orders in 2025 vs 2024").compare
    assert planner.plan("first vs repeat orders last quarter vs the quarter before").compare


def test_a_breakdown_named_with_vs_in_a_series(planner: OfflinePlanner) -> None:
    plan = planner.plan("first vs repeat orders by month in 2025")
    assert plan.grain == "month"
    assert plan.dimensions == ("order_type",)


def test_how_many_of_each_asks_for_the_breakdown_again(planner: OfflinePlanner) -> None:
    plan = planner.plan("first vs repeat orders in 2025 - how many of each?")
    assert plan.dimensions == ("order_type",)
    with pytest.raises(PlanningError, match="each"):
        planner.plan("orders - how many of each?")  # of each what: refused


@pytest.mark.parametrize(
    "question",
    [
        "top 3 traffic sources by sessions with a purchase",
        "top 3 traffic sources by the number of sessions that ended in a purchase",
    ],
)
def test_a_ranking_by_sessions_a_condition_keeps(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.dimensions == ("acquisition_channel",)
    assert plan.limit == 3
    assert [f.values for f in plan.session_filters] == [("purchase",)]
