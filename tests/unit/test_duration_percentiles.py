"""A median of a duration asked on its own is an exact continuous percentile over the rows
that record both moments; beside measures of another kind it stays approximate."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._entity import parse_statistic, routed
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Plan

MODEL = load_model()
VALUES = {"country": ["Brasil", "China", "France", "Germany", "Spain", "United States"]}
MEDIAN = "duration:DAY:median:placed:delivered"


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """A planner over the built-in thelook model and a small value index."""
    return OfflinePlanner(MODEL, VALUES)


def _rows(engine: Any, plan: Plan) -> Any:
    return engine.run_sql(compile_plan(plan, MODEL)).df


def test_a_duration_is_a_statistic_of_its_rows() -> None:
    """``duration:<unit>:<stat>:<from>:<to>`` names a statistic of one duration."""
    median = parse_statistic(MEDIAN, MODEL)
    average = parse_statistic("duration:DAY:avg:placed:delivered", MODEL)
    assert median is not None
    assert average is not None
    assert (median.kind, median.fraction, median.of) == ("median", 0.5, average.of)
    assert parse_statistic("duration:YEAR:median:placed:delivered", MODEL) is None
    assert parse_statistic("duration:DAY:median:placed:nowhere", MODEL) is None


def test_a_median_on_its_own_is_exact(planner: OfflinePlanner) -> None:
    plan = planner.plan("what is the median time in days between ordering and delivery per country")
    assert plan.metrics == (MEDIAN,)
    assert routed(plan, MODEL)
    sql = compile_plan(plan, MODEL)
    assert "PERCENTILE_CONT" in sql
    assert "APPROX_QUANTILES" not in sql
    assert "exact" in interpret(plan, MODEL)


def test_a_median_beside_another_kind_stays_approximate(planner: OfflinePlanner) -> None:
    plan = planner.plan("median days from order to delivery and number of orders by country")
    assert not routed(plan, MODEL)
    assert "APPROX_QUANTILES" in compile_plan(plan, MODEL)
    assert "approximate" in interpret(plan, MODEL)
    other = Plan(question="", metrics=(MEDIAN, "median:sale_price"))
    assert "APPROX_QUANTILES" in compile_plan(other, MODEL)


def test_the_median_by_country_is_percentile_cont(engine: Any, planner: OfflinePlanner) -> None:
    """The same numbers as QUANTILE_CONT over orders with both moments, on DuckDB, in whole
    days as BigQuery counts them (DATE_SUB, not the midnights DATE_DIFF counts)."""
    rows = _rows(engine, planner.plan("median days from order to delivery by customer country"))
    expected = engine.backend.execute(
        "SELECT u.country, ROUND(QUANTILE_CONT(DATE_SUB('day', o.created_at, o.delivered_at), "
        "0.5), 2) AS m FROM orders o JOIN users u ON o.user_id = u.id "
        "WHERE o.delivered_at IS NOT NULL AND o.created_at IS NOT NULL GROUP BY 1"
    )
    got = dict(zip(rows["country"], rows["median_days_placed_to_delivered"], strict=True))
    want = dict(zip(expected["country"], expected["m"], strict=True))
    assert got == pytest.approx(want)


def test_the_median_by_month_with_a_filter(engine: Any, planner: OfflinePlanner) -> None:
    """A period and a filter; orders not yet shipped are left out."""
    plan = planner.plan("median hours from order to shipment by month in 2024 in Brasil")
    rows = _rows(engine, plan)
    expected = engine.backend.execute(
        "SELECT DATE_TRUNC('month', o.created_at) AS month, ROUND(QUANTILE_CONT("
        "DATE_SUB('hour', o.created_at, o.shipped_at), 0.5), 2) AS m FROM orders o "
        "JOIN users u ON o.user_id = u.id WHERE u.country = 'Brasil' AND o.shipped_at IS NOT "
        "NULL AND EXTRACT(YEAR FROM o.created_at) = 2024 GROUP BY 1 ORDER BY 1"
    )
    assert len(rows) == len(expected) > 1
    assert list(rows["median_hours_placed_to_shipped"]) == pytest.approx(list(expected["m"]))


def test_an_even_count_interpolates(engine: Any, planner: OfflinePlanner) -> None:
    """By month some months have an even number of orders: their median is the midpoint
    of the middle two (4.5 days), as QUANTILE_CONT gives, not one of them."""
    plan = planner.plan("median days from order to delivery by month")
    sql = compile_plan(plan, MODEL)
    assert "PERCENTILE_CONT(value, 0.5)" in sql
    rows = engine.run_sql(sql).df
    expected = engine.backend.execute(
        "SELECT DATE_TRUNC('month', created_at) AS month, ROUND(QUANTILE_CONT("
        "DATE_SUB('day', created_at, delivered_at), 0.5), 2) AS m FROM orders "
        "WHERE delivered_at IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    medians = list(rows["median_days_placed_to_delivered"])
    assert medians == pytest.approx(list(expected["m"]))
    assert any(m != int(m) for m in medians)


def test_a_comparison_of_the_exact_median_is_refused(planner: OfflinePlanner) -> None:
    """Like any percentile, an exact median of a duration has no comparison of two periods
    yet: a refusal that says so, rather than the approximate median."""
    plan = planner.plan("median days from order to delivery in 2024 vs 2023")
    with pytest.raises(PlanningError, match="cannot have growth, a running total, a comparison"):
        compile_plan(plan, MODEL)


def test_several_statistics_of_one_duration_are_all_read() -> None:
    """'average and median days from order to delivery' is both, not the median alone
    (the 'average' was taken for a word the median restated)."""
    from lgda_nb.planner import OfflinePlanner, load_model

    plan = OfflinePlanner(load_model()).plan(
        "average and median days from order to delivery by month in 2025"
    )
    assert [m.split(":")[2] for m in plan.metrics] == ["avg", "median"]


def test_an_average_duration_leaves_out_rows_without_both_moments() -> None:
    """A group with no row that has both moments is no group of the answer."""
    from lgda_nb.planner import OfflinePlanner, compile_plan, load_model

    planner = OfflinePlanner(load_model())
    sql = compile_plan(planner.plan("average days from order to delivery by month"), planner.model)
    assert "NOT TIMESTAMP_DIFF(orders.delivered_at, orders.created_at, DAY) IS NULL" in sql
