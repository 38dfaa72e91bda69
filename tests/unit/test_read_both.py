"""Things found with every value listed: "in both the Men and Women departments"."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._plan import Condition, Filter

VALUES = {"department": ["Men", "Women"], "category": ["Jeans", "Swim", "Socks"]}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "How many brands have products in both the Men and Women departments?",
        "which brands have products in both the Men's and the Women's department",
        "which brands have products in both Jeans and Swim categories",
    ],
)
def test_in_both_is_a_condition_on_the_values_listed(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    (condition,) = planned.conditions
    assert condition.per == "brand"
    assert (condition.op, condition.values) == ("=", (2,))
    listed = condition.metric.removeprefix("distinct:")
    assert [f for f in planned.filters if f.dimension == listed and len(f.values) == 2]


def test_the_condition_counts_only_the_values_kept(planner: OfflinePlanner) -> None:
    planned = planner.plan("which brands have products in both Jeans and Swim categories")
    sql = compile_plan(planned, planner.model)
    inner = sql[sql.index("IN (SELECT") :]
    assert "products.category IN ('Jeans', 'Swim')" in inner  # not any 2 categories


def test_a_condition_on_distinct_values_keeps_only_their_own_filter() -> None:
    model = load_model()
    plan = OfflinePlanner(model, VALUES).plan("number of products by brand")
    from dataclasses import replace

    both = replace(
        plan,
        filters=(Filter("category", ("Jeans", "Swim")), Filter("department", ("Men",))),
        conditions=(Condition("distinct:category", "brand", "=", (2,)),),
    )
    inner = compile_plan(both, model).split("IN (SELECT", 1)[1]
    assert "Jeans" in inner
    assert "Men" not in inner  # another breakdown's filter stays outside the count
