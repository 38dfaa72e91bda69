"""Stock said in plain words (found by a blind set of a new analyst's questions): units
"that haven't been sold yet", "the stock we still haven't sold", "how much did the unsold
stock cost us", "including ones already sold", "ever received", a column named by its
table ("where product_department = Women"), "which 5 products sold the most units", and
the columns asked in a last sentence ("? id and name please")."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"department": ["Men", "Women"]})


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many units in our inventory haven't been sold yet?", "how many unsold units?"),
        ("how many units are still unsold (sold_at is null)?", "how many unsold units?"),
        ("how much did all the stock we still haven't sold cost us?",
         "total cost of the unsold units"),
        ("Sorry, how much did all the stock we still haven't sold cost us? (total cost of the "
         "unsold units)", "total cost of the unsold units"),
        ("what did our entire inventory cost in total?", "inventory cost"),
        ("what did our entire inventory cost in total - all inventory units ever received, "
         "including the ones that already sold?", "inventory cost and inventory items"),
        ("how many inventory units (including ones already sold) are assigned to each "
         "distribution center? id and name please", "inventory items by distribution center"),
        ("unsold units by product_category where product_department = Women",
         "unsold units by category for the Women department"),
        ("Which 3 distribution centers are holding the most unsold units? id and name please",
         "top 3 distribution centers by unsold units"),
        ("How many units were added to our inventory each month of 2025? months in order",
         "inventory items per month in 2025"),
        ("Which 5 products sold the most units in 2025? product id, name and units sold please",
         "top 5 products by units sold in 2025"),
    ],
)  # fmt: skip
def test_said_plainly_reads_the_same(planner: OfflinePlanner, question: str, plain: str) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


def test_products_never_sold_stay_products(planner: OfflinePlanner) -> None:
    """Only units, items and stock become the unsold ones; products that have not sold
    are the products with no items sold."""
    plan = planner.plan("products that haven't been sold")
    assert plan.metrics != ("unsold_inventory",)


@pytest.mark.parametrize(
    "question",
    [
        "average customer age",
        "median customer age",
        "What's the average age of our customers (anyone who bought at least one item)?",
        "Average age of our customers (people who've actually bought something)",
    ],
)
def test_a_statistic_of_the_customers_is_over_the_users_who_bought(
    planner: OfflinePlanner, question: str
) -> None:
    """Customers are the users with an item bought (the revenue rule), so their age is
    the age of those users; a period is still asked about (signups or purchases?)."""
    plan = planner.plan(question)
    (condition,) = plan.conditions
    assert (condition.op, condition.values) == (">=", (1,))
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in compile_plan(
        plan, planner.model
    )


def test_the_age_of_a_years_customers_stays_asked_about(planner: OfflinePlanner) -> None:
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="period"):
        planner.plan("average age of our customers in 2025")
