"""Two readings: a value that names something in two dimensions is asked about, not guessed."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model

VALUES = {
    "state": ["New York", "Tokyo", "California", "England"],
    "city": ["New York", "Tokyo", "Los Angeles"],
    "country": ["United Kingdom", "United States", "Japan"],
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "category": ["Jeans", "Swim"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "readings", "pinned"),
    [
        (
            "orders from New York",
            ["state is New York", "city is New York"],
            ["'orders from New York state'", "'orders from New York city'"],
        ),
        (
            "revenue by category in Tokyo",
            ["state is Tokyo", "city is Tokyo"],
            ["'revenue by category in Tokyo state'", "'revenue by category in Tokyo city'"],
        ),
        (
            "revenue from men",
            ["department is Men", "gender is M"],
            ["'revenue from men department'", "'revenue from men gender'"],
        ),
        ("revenue from England", ["state is England", "country is United Kingdom"], []),
    ],
)
def test_a_value_of_two_dimensions_offers_both_readings(
    planner: OfflinePlanner, question: str, readings: list[str], pinned: list[str]
) -> None:
    with pytest.raises(PlanningError) as refused:
        planner.plan(question)
    message, hint = refused.value.message, refused.value.hint or ""
    assert "can be read two ways" in message
    for reading in readings:
        assert reading in message
    for suggestion in pinned:  # each offered question plans, on the dimension it names
        assert suggestion in hint
        planned = planner.plan(suggestion.strip("'"))
        assert len(planned.filters) == 1


@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("orders from New York city", "city", "New York"),
        ("orders from New York state", "state", "New York"),
        ("revenue in the city of Tokyo", "city", "Tokyo"),
        ("revenue from men's products", "department", "Men"),
        ("sales in the Women department", "department", "Women"),
        ("users in California", "state", "California"),  # one dimension only
    ],
)
def test_a_named_dimension_or_a_single_home_settles_the_reading(
    planner: OfflinePlanner, question: str, dimension: str, value: str
) -> None:
    (only,) = planner.plan(question).filters
    assert (only.dimension, only.values) == (dimension, (value,))


def test_a_value_the_measure_cannot_reach_in_one_dimension_is_not_ambiguous(
    planner: OfflinePlanner,
) -> None:
    """Orders carry the buyer's gender but no department: "women" is the buyers."""
    (only,) = planner.plan("orders by women").filters
    assert (only.dimension, only.values) == ("gender", ("F",))


@pytest.mark.parametrize(
    ("question", "op", "value"),
    [
        ("how many products retail for less than $20?", "<", 20),
        ("count of men's products retailing for more than $200", ">", 200),
        ("how many products retail at under $30", "<", 30),
    ],
)
def test_a_product_that_retails_for_a_price_is_its_retail_price(
    planner: OfflinePlanner, question: str, op: str, value: int
) -> None:
    plan = planner.plan(question)
    priced = [f for f in plan.filters if f.dimension == "retail_price"]
    assert [(f.op, f.values) for f in priced] == [(op, (value,))]


def test_a_statistic_of_order_items_is_over_every_order_item(planner: OfflinePlanner) -> None:
    """Order items are every status; items sold follow the revenue rule. The average's own
    rule is left out when the rows it is said of have none, and the plan says so."""
    every = planner.plan("average sale price of order items")
    assert every.ignore_rules == ("revenue_items",)
    assert planner.plan("average sale price of items sold").ignore_rules == ()
    assert planner.plan("average sale price").ignore_rules == ()


def test_a_state_said_after_a_two_word_noun_keeps_the_noun_whole(
    planner: OfflinePlanner,
) -> None:
    """ "how many order items were returned" counts order items, not orders: the returned
    order items (the model's measure of them)."""
    plan = planner.plan("how many order items were returned")
    assert plan.metrics == ("returned_items",)
    assert not plan.filters


@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("brand with the highest revenue", 1),
        ("the country that had the most orders", 1),
        ("brands with the highest revenue", None),
    ],
)
def test_one_thing_with_the_most_is_the_top_one(
    planner: OfflinePlanner, question: str, limit: int | None
) -> None:
    """ "brand with the highest revenue" asks for one brand, as "which brand" does."""
    assert planner.plan(question).limit == limit
