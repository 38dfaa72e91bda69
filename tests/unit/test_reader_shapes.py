"""Reading shorthand, possessives and shares within a group into the typed query."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model
from lgda_nb.planner._text import normalize

VALUES = {
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "category": ["Jeans", "Swim"],
    "distribution_center": ["Chicago IL", "Houston TX"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("rev last 90d", "rev last 90 days"),
        ("avg items/order by yr", "average items per order by year"),
        ("mom growth pct", "month over month growth percent"),
        ("ppl w/ >2 orders", "people with more than 2 orders"),
        ("more than $30k", "more than $30000"),
        ("# of orders per qtr", "number of orders per quarter"),
        ("last 2 wks", "last 2 weeks"),
    ],
)
def test_shorthand_is_spelled_out(typed: str, spelled: str) -> None:
    assert normalize(typed) == spelled


@pytest.mark.parametrize(
    ("question", "within"),
    [
        ("within each department, each distribution center's share of items sold",
         "department"),
        ("each department's share of items sold by distribution center", "distribution_center"),
        ("each category's share of its department's revenue", "department"),
    ],
)  # fmt: skip
def test_a_share_restarts_in_the_group_the_question_names(
    planner: OfflinePlanner, question: str, within: str
) -> None:
    planned = planner.plan(question)
    assert planned.share
    assert planned.share_within == within


def test_a_share_by_two_breakdowns_without_a_group_is_asked_about(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="two ways"):
        planner.plan("share of revenue by department and category")


def test_a_possessive_reads_as_its_noun_unless_it_is_a_value(planner: OfflinePlanner) -> None:
    assert planner.plan("each department's share of total revenue").dimensions == ("department",)
    (only,) = planner.plan("revenue from women's products").filters
    assert (only.dimension, only.values) == ("department", ("Women",))


def test_a_funnel_on_a_model_without_one_is_a_planning_error() -> None:
    from dataclasses import replace

    from lgda_nb.planner import Plan, compile_plan

    model = replace(load_model(), funnel={})
    with pytest.raises(PlanningError, match="describes no funnel"):
        compile_plan(Plan(question="funnel", metrics=("sessions",), funnel=True), model)


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("minimum and maximum retail prices in the product catalog",
         ("min:retail_price", "max:retail_price"), ()),
        ("min, max and median age", ("min:age", "max:age", "median:age"), ()),
        ("count of distinct brands in each department", ("distinct:brand",), ("department",)),
        ("how many diffrent brands do we carry", ("distinct:brand",), ()),
    ],
)  # fmt: skip
def test_aggregates_and_distinct_counts(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    planned = planner.plan(question)
    assert (planned.metrics, planned.dimensions) == (metrics, dimensions)


def test_a_distinct_count_beside_another_measure_is_asked_about(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="cannot tell which"):
        planner.plan(
            "how many products does each distribution center stock, number of distinct products"
        )


@pytest.mark.parametrize(
    ("question", "metric", "entity"),
    [
        ("top 10 customers by lifetime spend", "revenue", "customer_id"),
        ("which 5 customers spent the most", "revenue", "customer_id"),
        ("top 3 orders by revenue", "revenue", "order_id"),
        ("top 5 sessions by number of events", "events", "session_id"),
    ],
)
def test_the_things_a_measure_counts_are_ranked_by_another(
    planner: OfflinePlanner, question: str, metric: str, entity: str
) -> None:
    plan = planner.plan(question)
    assert (plan.metrics, plan.dimensions, plan.order) == ((metric,), (entity,), "desc")
