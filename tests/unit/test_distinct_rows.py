"""Distinct things among the rows a measure counts: "how many distinct products were sold"."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._model import SemanticModel

VALUES = {
    "department": ["Men", "Women"],
    "category": ["Jeans", "Swim"],
    "country": ["Brasil", "Spain"],
}


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


@pytest.fixture(scope="module")
def planner(model: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(model, VALUES)


@pytest.mark.parametrize(
    ("question", "metric", "dimensions"),
    [
        ("How many distinct products were sold in 2024?", "distinct_in:items_sold:product", ()),
        ("number of unique brands sold, per category", "distinct_in:items_sold:brand",
         ("category",)),
        ("how many different products did each department sell last year",
         "distinct_in:items_sold:product", ("department",)),
        ("how many different categories has each distribution center sold",
         "distinct_in:items_sold:category", ("distribution_center",)),
        ("count of distinct products that have actually been bought at least once",
         "distinct_in:items_sold:product", ()),
        ("how many distinct brands were ever ordered", "distinct_in:order_lines:brand", ()),
    ],
)  # fmt: skip
def test_distinct_things_are_counted_among_the_rows_the_verb_names(
    planner: OfflinePlanner, question: str, metric: str, dimensions: tuple[str, ...]
) -> None:
    planned = planner.plan(question)
    assert planned.metrics == (metric,)
    assert planned.dimensions == dimensions


def test_sold_things_keep_the_sales_rule_and_date(
    planner: OfflinePlanner, model: SemanticModel
) -> None:
    sql = compile_plan(planner.plan("distinct products sold in 2025 by department"), model)
    assert "COUNT(DISTINCT products.id)" in sql  # the products, not their repeated names
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in sql
    assert "EXTRACT(YEAR FROM order_items.created_at) = 2025" in sql


def test_ordered_things_count_every_status(planner: OfflinePlanner, model: SemanticModel) -> None:
    sql = compile_plan(planner.plan("how many distinct products were ordered in 2025"), model)
    assert "status" not in sql


@pytest.mark.parametrize(
    "question",
    ["how many different brands do we sell", "how many distinct brands do we carry"],
)
def test_selling_in_the_present_is_the_catalog(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("distinct:brand",)


def test_only_a_measure_that_counts_rows_has_distinct_things(model: SemanticModel) -> None:
    assert model.metric("distinct_in:items_sold:brand").expression == (
        "COUNT(DISTINCT products.brand)"
    )
    with pytest.raises(KeyError):
        model.metric("distinct_in:revenue:brand")  # a sum has no rows of its own to count


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("How many different countries did our customers come from?",
         "distinct_in:customers:country"),
        ("how many distinct states did website sessions come from", "distinct_in:sessions:state"),
        ("how many different cities do our Brazilian users live in", "distinct_in:users:city"),
    ],
)  # fmt: skip
def test_distinct_things_the_rows_come_from(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics == (metric,)


def test_words_before_the_rows_still_filter_them(planner: OfflinePlanner) -> None:
    planned = planner.plan("how many different cities do our Brazilian users live in")
    assert [f.values for f in planned.filters if f.dimension == "country"] == [("Brasil",)]
