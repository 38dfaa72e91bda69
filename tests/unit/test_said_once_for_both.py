"""A word said once for two things, and remarks that restate what is measured:
"complete vs returned orders" (a common word that is a status, set against another
status), "revenue for first vs repeat orders" (one row for each kind of order), "how many
orders had one item, two items, and so on" (orders by that number), "median transit
time, ship to delivery, across all orders that have both dates" (a duration is measured
only where both dates are set), and "men vs women (users.gender)" (the column settles
whose values they are)."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"],
            "department": ["Men", "Women"],
            "gender": ["M", "F"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("complete orders by month in 2025", "orders with status complete by month in 2025"),
        ("complete vs returned orders by month in 2025",
         "completed vs returned orders by month in 2025"),
        ("revenue for first vs repeat orders in 2025", "revenue by first or repeat order in 2025"),
        ("revenue, first vs repeat orders", "revenue by first or repeat order"),
        ("How many orders had one item, two items, and so on?", "orders by number of items"),
        ("how many sessions had 1 event, 2 events, 3 events, etc. in 2025",
         "sessions by number of events in 2025"),
        ("What is the median transit time in days, ship to delivery, across all orders that "
         "have both dates?", "median transit time in days, ship to delivery"),
        ("average days between order and delivery for 2025 orders that have both timestamps",
         "average days between order and delivery for 2025 orders"),
        ("median transit time in days, ship to delivery, for 2025 orders",
         "median transit time in days for 2025 orders (ship to delivery)"),
        ("revenue from men vs women (users.gender)", "revenue from male vs female customers"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_the_distributions_own_name_keeps_its_reading(planner: OfflinePlanner) -> None:
    plan = planner.plan("basket size distribution - how many orders have 1 item, 2 items, etc")
    assert plan.metrics == ("orders",)


@pytest.mark.parametrize(
    "question",
    [
        # a count of rows with both dates is a condition the reader does not know
        "how many orders have both dates",
        # a common word with no value beside it is no status
        "a complete list of brands",
        # the moments of the remark are not the measure's
        "average delivery time, shipped to delivered, by month",
    ],
)
def test_what_it_cannot_settle_is_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)
