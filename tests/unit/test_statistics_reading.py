"""Percentiles, quartiles and standard deviations of one number, wherever the question
names it: before the statistics ("age quartiles"), with its table's word ("product
retail price"), a duration ("90th percentile of hours from shipping to delivery") or a
measure per entity ("median total spend per customer")."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._entity import parse_statistic, routed
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Filter
from lgda_nb.planner._read_stats import kinds_named, spell

MODEL = load_model()
VALUES = {"category": ["Accessories", "Jeans", "Swim"], "department": ["Men", "Women"]}
QUARTILES = ("p25", "median", "p75")


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """A planner over the built-in thelook model and a small value index."""
    return OfflinePlanner(MODEL, VALUES)


def test_the_words_of_a_standard_deviation() -> None:
    """Every way of writing it is the sample standard deviation; the population's is
    refused, since the sample's is a different number."""
    for text in ("sample standard deviation of x", "std dev of x", "stdev of x",
                 "standard deviation (sample) of x"):  # fmt: skip
        assert spell(text) == "stddev of x"
    with pytest.raises(PlanningError, match="population standard deviation"):
        spell("population standard deviation of age")
    assert spell("price quartiles (25th, 50th and 75th percentiles)") == "price quartiles"


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("sale price percentiles (25th, 50th and 90th)",
         ("p25:sale_price", "median:sale_price", "p90:sale_price")),
        ("Delivery time percentiles (25th, 50th and 90th), in days, for orders placed in 2025",
         None),
    ],
)  # fmt: skip
def test_percentiles_listed_after_them_are_of_what_comes_before(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...] | None
) -> None:
    """ "X percentiles (25th, 50th and 90th)" was refused: which number are they of?"""
    plan = planner.plan(question)
    assert len(plan.metrics) == 3
    if metrics is not None:
        assert plan.metrics == metrics


def test_a_list_of_statistics_is_its_kinds() -> None:
    assert kinds_named("median and the 90th percentile", {"median": "median"}) == [
        "median",
        "p90",
    ]
    assert kinds_named("quartiles", {}) == list(QUARTILES)
    assert kinds_named("10th, 50th and p95", {}) == ["p10", "median", "p95"]
    with pytest.raises(PlanningError, match="100th percentile does not exist"):
        kinds_named("100th percentile", {})


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("age quartiles by gender", ("gender",)),
        ("product retail price quartiles", ()),
        ("quartiles of product retail price", ()),
        ("quartiles of the retail price of all products", ()),
        ("sale price quartiles (p25, p50, p75) by department", ("department",)),
    ],
)
def test_quartiles_of_a_number_named_anywhere(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert [m.split(":")[0] for m in plan.metrics] == list(QUARTILES)
    assert len({m.split(":", 1)[1] for m in plan.metrics}) == 1
    assert plan.dimensions == dimensions
    assert "PERCENTILE_CONT" in compile_plan(plan, MODEL)


def test_a_number_before_its_statistics_by_a_breakdown_is_not_read(
    planner: OfflinePlanner,
) -> None:
    """'revenue by age quartiles' would group by quartile bands: not read as the
    quartiles of age."""
    with pytest.raises(PlanningError):
        planner.plan("revenue by age quartiles")


def test_statistics_over_the_rows_of_a_measure(planner: OfflinePlanner) -> None:
    """'of items sold' names the rows by the count's rule (not Cancelled or Returned):
    the statistics are over them, as 'for items sold' is; the table's own word only
    restates the rows."""
    sold = Filter("status", ("Cancelled", "Returned"), negate=True)
    for question in (
        "quartiles of sale price of items sold",
        "median of sale price of items sold",
        "standard deviation of sale price of items sold in 2025",
    ):
        plan = planner.plan(question)
        assert plan.filters == (sold,), question
        assert all(m.split(":")[1] == "sale_price" for m in plan.metrics)
    assert planner.plan("median of sale price of all order items").metrics == ("median:sale_price",)


@pytest.mark.parametrize(
    "question",
    [
        "median of sale price for returned items",
        "standard deviation of sale price of returned items",
        "standard deviation of sale price for returned items",
    ],
)
def test_statistics_over_the_rows_of_a_conditional_count_are_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """Returned items are counted by a condition of their own (COUNTIF), which no filter
    restates here: refused, where the count used to be dropped and the statistic taken
    over every item."""
    with pytest.raises(PlanningError, match="condition of returned items") as caught:
        planner.plan(question)
    assert "status Returned" in (caught.value.hint or "")


def test_a_value_on_the_rules_column_replaces_the_rule(planner: OfflinePlanner) -> None:
    """'median sale price of items with status Returned' is over the returned items, not
    also over the sold ones (which would leave no row); a value left out keeps the rule."""
    plan = planner.plan("median sale price of items with status Returned")
    assert plan.filters == (Filter("status", ("Returned",)),)
    kept = planner.plan("median sale price of items sold excluding cancelled")
    assert Filter("status", ("Cancelled", "Returned"), negate=True) in kept.filters


def test_percentiles_of_a_duration(engine: Any, planner: OfflinePlanner) -> None:
    """'median and 90th percentile of days from order to shipping' are exact percentiles
    over the orders that record both moments."""
    plan = planner.plan("the median and the 90th percentile of days from order to shipping by year")
    assert plan.metrics == (
        "duration:DAY:median:placed:shipped",
        "duration:DAY:p90:placed:shipped",
    )
    assert routed(plan, MODEL)
    rows = engine.run_sql(compile_plan(plan, MODEL)).df
    expected = engine.backend.execute(
        "SELECT EXTRACT(YEAR FROM created_at) AS year, ROUND(QUANTILE_CONT(DATE_SUB('day', "
        "created_at, shipped_at), 0.5), 2) AS m, ROUND(QUANTILE_CONT(DATE_SUB('day', "
        "created_at, shipped_at), 0.9), 2) AS p FROM orders WHERE shipped_at IS NOT NULL "
        "GROUP BY 1 ORDER BY 1"
    )
    assert len(rows) == len(expected) > 1
    assert list(rows.iloc[:, 1]) == pytest.approx(list(expected["m"]))
    assert list(rows.iloc[:, 2]) == pytest.approx(list(expected["p"]))


def test_quartiles_of_a_duration_and_its_label(planner: OfflinePlanner) -> None:
    plan = planner.plan("quartiles of hours from shipping to delivery")
    assert [m.split(":")[2] for m in plan.metrics] == list(QUARTILES)
    statistic = parse_statistic("duration:HOUR:p75:shipped:delivered", MODEL)
    assert statistic is not None
    assert statistic.fraction == 0.75
    assert MODEL.metric("duration:HOUR:p75:shipped:delivered").label.startswith(
        "75th percentile of hours"
    )
    assert "exact" in interpret(plan, MODEL)


def test_percentiles_of_a_measure_per_entity_with_lifetime_or_total(
    planner: OfflinePlanner,
) -> None:
    """'lifetime' is all of each customer's time, read by the time reader; 'total' only
    says the measure is added up for each customer."""
    lifetime = planner.plan("median and 95th percentile of lifetime spend per customer")
    total = planner.plan("median and 95th percentile of total spend per customer")
    assert (
        lifetime.metrics
        == total.metrics
        == (
            "median:revenue:customer_id",
            "p95:revenue:customer_id",
        )
    )
    assert lifetime.time_window is None


def test_mean_and_standard_deviation_of_a_number(engine: Any, planner: OfflinePlanner) -> None:
    """Plain aggregates side by side: AVG and STDDEV_SAMP of each department's prices."""
    plan = planner.plan("mean and standard deviation of retail price, by department")
    assert plan.metrics == ("avg:retail_price", "stddev:retail_price")
    sql = compile_plan(plan, MODEL)
    assert "STDDEV_SAMP(products.retail_price)" in sql
    rows = engine.run_sql(sql).df
    expected = engine.backend.execute(
        "SELECT department, ROUND(STDDEV_SAMP(retail_price), 2) AS s FROM products GROUP BY 1"
    )
    got = dict(zip(rows["department"], rows["stddev_retail_price"], strict=True))
    assert got == pytest.approx(dict(zip(expected["department"], expected["s"], strict=True)))


def test_a_standard_deviation_per_entity_and_of_a_duration(planner: OfflinePlanner) -> None:
    per_customer = planner.plan("standard deviation of spend per customer")
    assert per_customer.metrics == ("stddev:revenue:customer_id",)
    assert "STDDEV_SAMP(revenue) OVER ()" in compile_plan(per_customer, MODEL)
    assert "standard deviation over customers" in interpret(per_customer, MODEL)
    duration = planner.plan("std dev of days from order to delivery")
    assert duration.metrics == ("duration:DAY:stddev:placed:delivered",)
    assert "STDDEV_SAMP(TIMESTAMP_DIFF(" in compile_plan(duration, MODEL)


def test_a_median_of_a_number_named_with_of(planner: OfflinePlanner) -> None:
    """'median of retail price' is the exact median; 'average of retail price' stays the
    model's own measure."""
    assert planner.plan("median of retail price by category").metrics == ("median:retail_price",)
    assert planner.plan("average of retail price").metrics == ("average_retail_price",)


def test_the_unit_said_in_a_remark_is_the_measures_own(planner: OfflinePlanner) -> None:
    """ "session length (minutes)" is read as "in minutes"; another unit than the
    measure's is refused, not converted silently."""
    plan = planner.plan("median and 90th percentile session length (minutes) in 2025")
    assert plan.metrics == (
        "median:session_minutes:session_id",
        "p90:session_minutes:session_id",
    )
    with pytest.raises(PlanningError):
        planner.plan("average session length (hours)")


def test_durations_for_the_rows_of_a_period_only_say_which_rows(
    planner: OfflinePlanner,
) -> None:
    """ "for 2025 orders" after a duration names its rows (the year is the window); an
    order count asked for as well stays."""
    plan = planner.plan("quartiles of days from order to delivery for 2025 orders")
    assert plan.metrics == tuple(
        f"duration:DAY:{k}:placed:delivered" for k in ("p25", "median", "p75")
    )
    assert planner.plan("average days from order to delivery for 2025 orders").metrics == (
        "duration:DAY:avg:placed:delivered",
    )
    both = planner.plan(
        "for 2025 orders: order count and average days from order to ship, by customer country"
    )
    assert "orders" in both.metrics


def test_a_duration_of_one_thing_counts_nothing_beside_it(planner: OfflinePlanner) -> None:
    """ "Average days to sell an inventory item" showed a count of every inventory item,
    sold or not, beside the average over the sold ones."""
    plan = planner.plan("average days to sell an inventory item")
    assert plan.metrics == ("duration:DAY:avg:stocked:sold",)


@pytest.mark.parametrize(
    "question",
    [
        "avg days an item sits in stock before it sells, by product category",
        "avg days an inventory item sits before it sells, by category",
        "average days a product stays on the shelf until it is sold",
        "average days for an inventory item to sell",
    ],
)
def test_the_time_a_thing_waits_before_it_sells(planner: OfflinePlanner, question: str) -> None:
    """The time from receipt in stock to sale, said as what the thing does meanwhile."""
    assert planner.plan(question).metrics == ("duration:DAY:avg:stocked:sold",)


def test_everyday_misspellings_and_stock_that_is_still_unsold(planner: OfflinePlanner) -> None:
    from lgda_nb.planner._text import normalize

    assert normalize("3 or more seperate orders") == "3 or more separate orders"
    assert normalize("stock recieved in 2025") == "stock received in 2025"
    plan = planner.plan("stock recieved in 2025 that's still unsold, by category")
    assert plan.metrics == ("unsold_inventory",)
    assert plan.dimensions == ("category",)


@pytest.mark.parametrize(
    "question",
    ["order-to-delivery time in days: p50 and p90", "days from order to delivery: median and p90"],
)
def test_statistics_listed_after_what_they_are_of(planner: OfflinePlanner, question: str) -> None:
    """ "<a duration>: median and p90" names the statistics after their number; "order-to-
    delivery time" is the days from order to delivery."""
    assert planner.plan(question).metrics == (
        "duration:DAY:median:placed:delivered",
        "duration:DAY:p90:placed:delivered",
    )
