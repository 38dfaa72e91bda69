"""Found by two blind sets, a category manager's and an operations lead's questions: the
rows a measure of time is taken on said with their year ("for 2025 orders"), ..."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._model import SemanticModel
from lgda_nb.planner._text import normalize


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


@pytest.fixture(scope="module")
def planner(model: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(model, {"country": ["China", "Brasil"], "category": ["Jeans"]})


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("average delivery time by country for 2025 orders", "days_to_deliver"),
        ("avg shipping time for the 2025 orders", "days_to_ship"),
        ("avg transit time (ship to delivery, days) by category for 2025 orders",
         "days_in_transit"),
    ],
)  # fmt: skip
def test_the_rows_of_a_measure_of_time_said_with_their_year_are_no_count(
    planner: OfflinePlanner, model: SemanticModel, question: str, metric: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert plan.time_window is not None
    assert "COUNT(" not in compile_plan(plan, model)


def test_a_count_asked_beside_a_measure_of_time_stays(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "for 2025 orders: order count, cancellation rate and average days from order to "
        "ship, by customer country"
    )
    assert "orders" in plan.metrics


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("Top 10 countries by 2025 order count, with the % of those orders cancelled.",
         ("orders", "cancellation_rate", "cancelled_orders")),
        ("revenue by country and the share of orders that were returned",
         ("revenue", "order_return_rate")),
        ("revenue by brand with the % of items returned, 2025",
         ("revenue", "item_return_rate")),
    ],
)  # fmt: skip
def test_a_share_beside_another_measure_is_the_models_rate(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert not plan.filters  # the part filters neither measure
    assert not plan.share


def test_a_share_of_rows_no_rate_is_of_stays_unread(planner: OfflinePlanner) -> None:
    """Three rates count sessions with a purchase, none of every session."""
    assert planner._rate_beside("sessions and the % of sessions with a purchase") == (
        "sessions and the % of sessions with a purchase"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Each distribution center's share of total stock value at cost.",
        "stock value at cost by category",
    ],
)
def test_stock_value_at_cost_is_the_stock_value(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("unsold_inventory_value",)


@pytest.mark.parametrize(
    "question",
    [
        "share of total orders revenue by country",
        "share of total stock cost by distribution center",
    ],
)
def test_a_share_of_two_measures_side_by_side_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """One of them was left out unsaid."""
    with pytest.raises(PlanningError, match="A share is of one measure"):
        planner.plan(question)


@pytest.mark.parametrize(
    "question",
    [
        "Average delivery time in days, delivered orders.",
        "Average delivery time in days, all delivered orders.",
        "Average shipping time in days by customer country, 2025 orders.",
        "90th percentile of shipping time in days, all orders ever shipped",
        "average shipping time by country, orders shipped",
        "average delivery time by country for orders delivered",
    ],
)
def test_the_rows_of_a_measure_of_time_said_last_are_neither_a_status_nor_a_count(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert len(plan.metrics) == 1
    assert not plan.filters  # "delivered" is no status Complete here


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("Cancelled orders per month in 2025, month order.",
         "cancelled orders per month in 2025, in month order."),
        ("Which weekday saw the most orders placed in 2025?",
         "which weekday had the most orders placed in 2025?"),
        ("Timestamp of the very first order in the data?",
         "date of the first order in the data?"),
        ("when was the very first order placed", "when was the first order placed"),
        ("Rank all 10 DCs by unsold units, highest first.",
         "dcs ranked by unsold units, highest first."),
        ("Show them fewest first.", "show fewest first."),
    ],
)  # fmt: skip
def test_operations_wordings_said_plainly(said: str, plain: str) -> None:
    assert normalize(said) == plain


@pytest.mark.parametrize(
    "question",
    [
        "Cancelled orders per month in 2025, month order.",
        "Which weekday saw the most orders placed in 2025?",
        "Timestamp of the very first order in the data?",
        "Rank all 10 DCs by unsold units, highest first.",
        "Which 5 categories sold the fewest units in 2025? Show them fewest first.",
    ],
)
def test_operations_wordings_are_read(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).limit != 10  # "all 10" is no top 10


@pytest.mark.parametrize(
    ("question", "rate", "value"),
    [
        ("Countries where more than 15% of 2025 orders were cancelled.", "cancellation_rate", 15),
        ("brands where over 10% of items were returned", "item_return_rate", 10),
    ],
)
def test_a_condition_on_the_share_of_a_rates_part_is_on_the_rate(
    planner: OfflinePlanner, question: str, rate: str, value: int
) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.op, condition.values) == (rate, ">", (value,))


def test_a_remark_naming_the_period_asked_restates_it(planner: OfflinePlanner) -> None:
    plan = planner.plan("Revenue last month (the last complete calendar month in the data).")
    assert plan.time_window is not None
    assert any("said again" in note for note in plan.notes)


def test_a_remark_naming_another_period_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("orders last month (the last 30 days)")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Inventory value at cost (every unit, sold or not) by DC", "inventory_value"),
        ("Break down inventory units by distribution center, counting every unit, sold or not.",
         "inventory_items"),
    ],
)  # fmt: skip
def test_every_unit_sold_or_not_restates_all_the_rows(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics == (metric,)


def test_a_remark_naming_the_measure_by_another_name_restates_it(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("Average order size (items per order) for 2025 orders.")
    assert len(plan.metrics) == 1
    assert any("another name of the measure" in note for note in plan.notes)


@pytest.mark.parametrize(
    "question",
    [
        "How many units entered our inventory in 2025?",
        "Inventory units added per year (by inventory created date), oldest year first.",
    ],
)
def test_units_added_to_inventory_are_the_inventory_rows_received(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).metrics == ("inventory_items",)


def test_a_measure_of_time_for_any_row_is_over_every_row(planner: OfflinePlanner) -> None:
    plan = planner.plan("Longest delivery time in days for any order.")
    assert len(plan.metrics) == 1
    assert plan.metrics[0].startswith("duration:DAY:max:")


def test_the_end_of_the_data_is_the_data_as_it_stands(planner: OfflinePlanner) -> None:
    plan = planner.plan("How many orders were still in Processing at the end of the data?")
    assert plan.metrics == ("orders",)
    assert [f.values for f in plan.filters] == [("Processing",)]


def test_each_years_measure_and_its_change_on_the_year_before(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Show each year's revenue and its % change on the year before, in time order."
    )
    assert plan.metrics == ("revenue",)
    assert plan.grain == "year"
    assert plan.time_window is None  # every year, not last year against the one before


@pytest.mark.parametrize(
    "question",
    ["Each month's share of total 2025 revenue.", "Each month's share of 2025 orders placed"],
)
def test_each_periods_share_stays_a_share_of_the_years_total(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).share


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("What is the total value at cost of our unsold stock?", ("unsold_inventory_value",)),
        ("What is our stock value at cost right now, all DCs combined?",
         ("unsold_inventory_value",)),
        ("How many 2025 orders were worth more than $200 in order value?", ("orders",)),
        ("Which 3 customer countries had the slowest average transit time in days on 2025 "
         "orders?", ("days_in_transit",)),
    ],
)  # fmt: skip
def test_catalog_and_operations_wordings(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    assert planner.plan(question).metrics == metrics


def test_the_slowest_measure_of_time_ranks_the_longest_first(planner: OfflinePlanner) -> None:
    plan = planner.plan("Which 3 customer countries had the slowest average transit time?")
    assert (plan.limit, plan.order) == (3, "desc")


def test_a_share_of_our_buyers_stays_a_share(planner: OfflinePlanner) -> None:
    assert planner.plan("What share of our buyers is in each country?").share


def test_a_measure_of_time_said_from_one_moment_to_another_with_dashes(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("Median order-to-delivery days per distribution center, 2025.")
    assert "delivered" in plan.metrics[0]


@pytest.mark.parametrize(
    "question",
    [
        "Which categories have an all-time item return rate above 11%?",
        "Which product categories have an item return rate above the overall item return "
        "rate (all time)?",
    ],
)
def test_all_time_said_of_a_condition_is_the_default_period(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.conditions
    assert plan.time_window is None


def test_all_time_said_beside_another_period_is_not_dropped(planner: OfflinePlanner) -> None:
    said = normalize("brands with an all-time revenue above 50000, revenue in 2025")
    assert said == "brands with an all time revenue above 50000, revenue in 2025"


def test_a_status_said_last_stays_a_status(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Average shipping time in days for orders with status Complete vs orders with status "
        "Shipped"
    )
    assert [f.values for f in plan.filters] == [("Complete", "Shipped")]
