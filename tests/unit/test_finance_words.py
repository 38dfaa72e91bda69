"""Silent drops found by a blind set of finance and marketing questions: each word that
names a measure is measured, or the question is refused."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"category": ["Jeans"], "country": ["Brasil"]})


def _rate(planner: OfflinePlanner) -> str:
    model = planner.model
    return next(m.name for m in model.metrics.values() if "retention" in m.label.lower())


@pytest.mark.parametrize(
    "question",
    [
        "what % of new customers ordered again the next month, by first order month, in 2025",
        "Retention for 2025 first-order cohorts: % of new customers who ordered again the "
        "following month",
        "share of new customers who came back the next month",
    ],
)
def test_a_percent_of_the_whole_who_did_the_part_is_the_rate(
    planner: OfflinePlanner, question: str
) -> None:
    """ "% of new customers who ordered again the next month" is the retention rate, not
    each cohort's share of all new customers (the words of the part were dropped)."""
    plan = planner.plan(question)
    assert _rate(planner) in plan.metrics
    assert not plan.share


def test_retention_asked_is_measured_or_refused(planner: OfflinePlanner) -> None:
    """A heading naming the cohorts ("Retention for the 2025 first-order cohorts") with
    nothing after it that measures retention: refused, not the cohorts' orders."""
    with pytest.raises(PlanningError):
        planner.plan("Retention for Jan-Nov 2025 first-order cohorts")


@pytest.mark.parametrize(
    "question",
    [
        "what % of items and revenue was returned",
        "what share of items and sales came from Jeans",
        "share of revenue and orders by country",
    ],
)
def test_a_share_of_two_measures_is_refused(planner: OfflinePlanner, question: str) -> None:
    """A share is of one measure: the second was left out unsaid."""
    with pytest.raises(PlanningError, match="one measure") as caught:
        planner.plan(question)
    assert caught.value.hint


def test_one_measure_named_by_a_breakdown_word_still_reads(planner: OfflinePlanner) -> None:
    plan = planner.plan("Men vs Women (product department) share of revenue")
    assert plan.metrics == ("revenue",)


def test_order_item_value_is_money(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "For 2025, what % of each category's order-item value (any status) was returned?"
    )
    assert plan.metrics == ("revenue",)
    assert plan.share


def test_a_statistic_on_the_rows_a_count_names(planner: OfflinePlanner) -> None:
    """ "Std dev of sale price on items sold": over the items sold, as "for" or "of" is."""
    plan = planner.plan("std dev of sale price on items sold in 2025")
    assert len(plan.metrics) == 1
    assert [f.dimension for f in plan.filters] == ["status"]


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("Total revenue FY2025?", 2025),
        ("revenue by quarter for FY25", 2025),
        ("GM% for calendar 2024", 2024),
        ("revenue in CY24", 2024),
        ("units sold in Nov '25", 2025),
    ],
)
def test_years_named_by_their_kind(planner: OfflinePlanner, question: str, year: int) -> None:
    """The model says its fiscal years are calendar years; a calendar year always is."""
    plan = planner.plan(question)
    assert plan.time_window is not None
    assert plan.time_window.year == year


def test_a_fiscal_year_without_the_models_word_is_refused() -> None:
    """When a fiscal year starts is the business's own: without ``reader.fiscal_year``
    "FY25" is asked about, never taken for 2025."""
    from dataclasses import replace

    model = load_model()
    reader = {k: v for k, v in model.reader.items() if k != "fiscal_year"}
    planner = OfflinePlanner(replace(model, reader=reader))
    with pytest.raises(PlanningError, match="fiscal year") as caught:
        planner.plan("revenue in FY25")
    assert "fiscal_year" in (caught.value.hint or "")
    assert planner.plan("revenue in calendar 2025").time_window is not None


def test_a_trend_of_a_series_asked_by_its_period(planner: OfflinePlanner) -> None:
    plan = planner.plan("Quarterly GM% trend, 2024 through 2025")
    assert plan.grain == "quarter"


def test_a_ranking_by_yoy_growth_between_two_years(planner: OfflinePlanner) -> None:
    """ "Top 5 categories by YoY revenue growth %, 2024 to 2025" ranks by the change
    between the years; it ranked each year's revenue before."""
    plan = planner.plan("top 5 categories by YoY revenue growth %, FY24 to FY25")
    assert plan.compare
    assert plan.grain is None
    assert plan.limit == 5


@pytest.mark.parametrize(
    "question",
    [
        "order value quartiles for FY25 (25th, median, 75th)",
        "order value percentiles (25th, 50th, 75th)",
    ],
)
def test_percentiles_listed_after_them(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert len(plan.metrics) == 3


@pytest.mark.parametrize(
    ("question", "also"),
    [
        ("Please pull monthly revenue for calendar 2025 for the board pack.", "month"),
        ("Monthly P&L table for FY25: revenue, COGS, gross profit, GM%", "month"),
        ("Which categories ran a GM% above the overall FY25 GM%?", None),
        ("median days an item sits in inventory before selling, by category", None),
    ],
)
def test_finance_phrasing(planner: OfflinePlanner, question: str, also: str | None) -> None:
    """Who the numbers are for, a P&L's name, "ran ... above", "before selling": read
    as the question they belong to."""
    plan = planner.plan(question)
    assert plan.metrics
    assert plan.grain == also


def test_a_growth_series_showing_the_prior_period_too(planner: OfflinePlanner) -> None:
    """The value each period's growth is from is shown anyway: "show prior qtr too"
    restates it; the prior period's orders beside revenue growth would not be shown."""
    plan = planner.plan("QoQ revenue growth for each quarter of FY25 - show prior qtr too")
    assert plan.growth
    assert plan.grain == "quarter"
    with pytest.raises(PlanningError):
        planner.plan("monthly revenue growth in 2025 with the previous month's orders")


def test_each_statistic_of_the_gaps_between_orders(planner: OfflinePlanner) -> None:
    """ "Mean and median days between a user's consecutive orders": both, not the median
    alone with "mean" dropped."""
    plan = planner.plan("mean and median days between a user's consecutive orders")
    assert len(plan.metrics) == 2
    assert {m.split(":")[2] for m in plan.metrics} == {"avg", "median"}


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("user age: min / max / mean", 3),
        ("std dev of user age (sample)", 1),
        ("n users with 3+ orders during 2025", 1),
        ("retention for 2025 first-order cohorts: cohort size and % who ordered again the next "
         "calendar month", 3),
    ],
)  # fmt: skip
def test_a_data_scientists_notation(planner: OfflinePlanner, question: str, count: int) -> None:
    assert len(planner.plan(question).metrics) == count


@pytest.mark.parametrize(
    ("question", "dimensions", "share"),
    [
        ("rank countries by number of users, most first", ("country",), False),
        ("gender split of users, as % of all users", ("gender",), True),
        ("status breakdown of orders in 2025", ("status",), False),
        ("gender split of users in each country, as percentages", ("country", "gender"), True),
    ],
)
def test_a_breakdown_said_before_its_measure(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...], share: bool
) -> None:
    plan = planner.plan(question)
    assert set(plan.dimensions) == set(dimensions)
    assert plan.share == share


@pytest.mark.parametrize(
    "question",
    [
        "median transit time (ship to delivery), days",
        "monthly session count for 2025, each session dated by when it started",
        "2024 signups with zero orders ever, by acquisition channel",
    ],
)
def test_restated_units_and_conventions(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics
