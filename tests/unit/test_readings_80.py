"""Readings of the stop that wrote heldout80 and heldout81: each test names the general
reading it checks, and each fails on the code before it unless it says it keeps a
refusal or a reading."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    values = {
        "status": ["Complete", "Cancelled", "Returned", "Processing", "Shipped"],
        "category": ["Jeans", "Socks", "Suits & Sport Coats"],
        "department": ["Men", "Women"],
        "gender": ["F", "M"],
        "country": ["United States", "Germany", "Spain", "France", "Brasil", "Japan"],
        "acquisition_channel": ["Search", "Email", "Organic", "Facebook", "Display"],
    }
    return OfflinePlanner(load_model(), values)


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("orders by number of items by country", "order_lines:order_id"),
        ("orders by number of items, per country", "order_lines:order_id"),
        ("how many orders took each number of days to deliver, by country",
         "days_to_deliver:order_id"),
        ("orders by number of days to deliver by country", "days_to_deliver:order_id"),
    ],
)  # fmt: skip
def test_things_counted_by_their_measure_split_by_a_group(
    planner: OfflinePlanner, question: str, measure: str
) -> None:
    """ "orders by number of items by country": the orders counted by their items in each
    country. It was read as the orders and the items sold by country, and "how many
    orders took each number of days to deliver, by country" as their average days."""
    planned = planner.plan(question)
    assert planned.by_measure == measure
    assert planned.dimensions == ("country",)
    assert planned.metrics == ("orders",)


@pytest.mark.parametrize(
    "question",
    [
        "orders by number of items by category",
        "basket size distribution by category",
        "delivery time distribution by category",
    ],
)
def test_things_counted_by_their_measure_need_one_group_each(
    planner: OfflinePlanner, question: str
) -> None:
    """An order has items of several categories: counting it by its items of each one
    answers another question than its basket size by category. Refused; "basket size
    distribution by category" was answered with each order's items of each category."""
    with pytest.raises(PlanningError, match="several values of category") as refused:
        planner.plan(question)
    assert "each order has one value of" in (refused.value.hint or "")


def test_orders_by_items_per_country_match_the_rows() -> None:
    """The counts are those of each order's own items, on the sample, country by country."""
    from lgda_nb import Engine

    with Engine() as engine:
        answer = engine.ask("orders by number of items by country").df
        direct = engine.run_sql(
            "SELECT n, country, COUNT(*) AS orders FROM (SELECT o.order_id, u.country, "
            "COUNT(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.order_id "
            "JOIN users u ON u.id = o.user_id GROUP BY 1, 2) GROUP BY 1, 2 ORDER BY 2, 1"
        ).df
    assert answer.iloc[:, 0].tolist() == direct["n"].tolist()
    assert answer["country"].tolist() == direct["country"].tolist()
    assert answer["orders"].tolist() == direct["orders"].tolist()
