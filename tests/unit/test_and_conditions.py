"""Two conditions on the same things joined by "and": both must hold."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._model import SemanticModel


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


@pytest.fixture(scope="module")
def planner(model: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(model, {"department": ["Men", "Women"]})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("brands with at least 100 order items and an item return rate above 12%",
         {("order_lines", ">=", (100,)), ("item_return_rate", ">", (12,))}),
        ("which brands have more than 50 order items and revenue over 5000 in 2025",
         {("order_lines", ">", (50,)), ("revenue", ">", (5000,))}),
        ("customers with more than 3 orders, and revenue over 500",
         {("orders", ">", (3,)), ("revenue", ">", (500,))}),
    ],
)  # fmt: skip
def test_both_conditions_apply_to_the_same_rows(
    planner: OfflinePlanner,
    model: SemanticModel,
    question: str,
    expected: set[tuple[str, str, tuple[int, ...]]],
) -> None:
    planned = planner.plan(question)
    assert {(c.metric, c.op, c.values) for c in planned.conditions} == expected
    assert len({c.per for c in planned.conditions}) == 1
    assert compile_plan(planned, model).count("HAVING") == 2


def test_a_measure_after_and_is_not_a_condition(planner: OfflinePlanner) -> None:
    planned = planner.plan("brands with more than 100 order items and their revenue")
    assert [c.metric for c in planned.conditions] == ["order_lines"]
    assert "revenue" in planned.metrics
