"""Questions typed as short messages and a stock planner's questions: "w/" and "+" in the
figures asked beside a rate ("2025 cancellation rate - w/ total orders and # cancelled
pls"), a participle said without its noun in a list of figures ("show items, returned
and rate": the returned items, never a filter on the items). Found by two blind sets."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"],
            "country": ["China", "United States"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("which brands have 100+ order items and an item return rate over 12%? show items, "
         "returned and rate",
         "which brands have 100+ order items and an item return rate over 12%? show items, "
         "returned items and the item return rate"),
        ("countries where over 15% of 2025 orders got cancelled - w/ orders, cancelled and "
         "the rate",
         "countries where over 15% of 2025 orders got cancelled - with orders, cancelled "
         "orders and the rate"),
        ("2025 cancellation rate - w/ total orders and # cancelled pls",
         "2025 cancellation rate"),
        ("2025 cancellation rate - with total orders and the number cancelled",
         "2025 cancellation rate"),
        ("item return rate overall? give me total items + returned count too",
         "item return rate overall"),
        ("cancel rate by country all time, w/ order count and cancelled count",
         "cancellation rate by country"),
        ("monthly cancel rate 2025, w/ orders + cancelled counts",
         "monthly cancellation rate 2025"),
        ("sell-through rate overall, w/ total inventory units and sold units",
         "sell-through rate"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_participle_listed_is_no_filter(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "countries where over 15% of 2025 orders got cancelled - w/ orders, cancelled and the rate"
    )
    assert not plan.filters
    assert len(plan.metrics) == 3
