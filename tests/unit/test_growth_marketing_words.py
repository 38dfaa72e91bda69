"""Found by a blind set of growth-marketing questions: a measure "per the number of"
another is their ratio, answers about sessions refuse what they do not compute, a
heading's report name is left out while its period applies, and a name the question
gives to dates ("the 2024 holiday season (Nov-Dec 2024)") is those dates."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._read_definitions import definitions

VALUES = {
    "acquisition_channel": ["Adwords", "Email", "Facebook", "Organic", "YouTube"],
    "browser": ["Chrome", "Firefox", "IE", "Other", "Safari"],
    "category": ["Jeans", "Outerwear & Coats"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "Customer LTV by acquisition channel (LTV = lifetime revenue divided by the number "
        "of customers).",
        "lifetime revenue per the number of customers by acquisition channel",
        "revenue per number of customers by acquisition channel",
        "revenue/customers by acquisition channel",
    ],
)
def test_a_measure_per_the_number_of_another_is_their_ratio(
    planner: OfflinePlanner, question: str
) -> None:
    # Read as "revenue and customers" before: two columns, and no ratio at all.
    plan = planner.plan(question)
    assert "ratio:revenue:customers" in plan.metrics
    assert "revenue" not in plan.metrics
    sql = compile_plan(plan, planner.model)
    assert "(SUM(order_items.sale_price)) / NULLIF(COUNT(DISTINCT order_items.user_id), 0)" in sql


def test_divided_by_a_breakdown_is_not_a_ratio(planner: OfflinePlanner) -> None:
    # Only "divided by the number (count, total) of" is a ratio of its own accord.
    with pytest.raises(PlanningError, match="divided"):
        planner.plan("revenue divided by category")


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        (
            "7-day rolling average of daily sessions for November 2025 (each session dated "
            "by its first event).",
            "rolling average",
        ),
        (
            "For each traffic source, which month of 2025 had the most sessions with a purchase?",
            "ranked within each acquisition channel",
        ),
    ],
)
def test_sessions_refuse_what_they_do_not_compute(
    planner: OfflinePlanner, question: str, refusal: str
) -> None:
    # The rolling average was left out of the SQL its interpretation promised, and the
    # ranking within each source became one row for all of them.
    with pytest.raises(PlanningError, match=refusal) as refused:
        compile_plan(planner.plan(question), planner.model)
    assert refused.value.hint


def test_a_closed_funnel_is_the_funnel(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Q4 2025 closed funnel, department -> product -> cart -> purchase: how many "
        "sessions reach each step?"
    )
    assert plan.funnel
    assert plan.steps == ("department", "product", "cart", "purchase")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Give me total event volume by browser.", "events"),
        ("Which traffic source has driven the most website sessions overall?", "sessions"),
        ("What revenue did we book over the last 30 days?", "revenue"),
    ],
)
def test_words_that_change_nothing(planner: OfflinePlanner, question: str, metric: str) -> None:
    assert planner.plan(question).metrics == (metric,)


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("2024 review: top 5 categories by items sold", "in 2024"),
        ("For the 2024 review: top 5 categories by items sold", "in 2024"),
        ("Q3 2025 recap - top 5 categories by items sold", "Q3 2025"),
        (
            "Holiday season recap (holiday season = Nov-Dec 2024): top 5 product categories "
            "by items sold.",
            "November 2024 to December 2024",
        ),
    ],
)
def test_a_report_name_in_a_heading_is_left_out_and_its_period_kept(
    planner: OfflinePlanner, question: str, label: str
) -> None:
    plan = planner.plan(question)
    assert plan.time_window is not None
    assert plan.time_window.label == label
    assert plan.limit == 5


def test_a_heading_word_that_is_no_report_name_is_still_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="planning"):
        planner.plan("2024 planning: top 5 categories by items sold")


def test_a_name_given_to_dates_is_those_dates(planner: OfflinePlanner) -> None:
    question = "Distinct customers by month over the 2024 holiday season (Nov-Dec 2024)."
    assert next(definitions(question)).question == (
        "Distinct customers by month over the Nov-Dec 2024."
    )
    plan = planner.plan(question)
    assert plan.time_window is not None
    assert plan.time_window.label == "November 2024 to December 2024"
    assert any("holiday season" in note for note in plan.notes)


@pytest.mark.parametrize(
    "question",
    ["revenue by month of 2025 (order month)", "orders in 2024 (calendar year)"],
)
def test_a_remark_that_is_no_dates_defines_nothing(question: str) -> None:
    assert list(definitions(question)) == []


@pytest.mark.parametrize(
    "question",
    [
        "what share of orders came from each traffic source in the last 30 days",
        "revenue for each category in the last 3 months",
    ],
)
def test_each_of_a_breakdown_is_no_series(planner: OfflinePlanner, question: str) -> None:
    # "each traffic source" made a row per day and source, each day's shares on their own.
    assert planner.plan(question).grain is None


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("revenue for each of the last 7 days", "day"),
        ("orders in the last 3 months, each", "month"),
    ],
)
def test_each_of_the_periods_is_a_series(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    assert planner.plan(question).grain == grain


def test_a_share_of_sessions_by_their_first_events_period(planner: OfflinePlanner) -> None:
    plan = planner.plan("share of sessions by browser by year")
    sql = compile_plan(plan, planner.model)
    assert "SUM(COUNT(*)) OVER (PARTITION BY EXTRACT(YEAR FROM started_at))" in sql
    assert sql.count("AS share_pct") == 1


def test_growth_of_sessions_by_their_first_events_period(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year-over-year growth in sessions: sessions per year and the % change vs the "
        "prior year, in year order."
    )
    sql = compile_plan(plan, planner.model)
    assert "LAG(sessions) OVER (ORDER BY year)" in sql
    assert "ROUND((sessions - previous) / previous * 100, 2) AS growth_pct" in sql


def test_growth_of_sessions_over_a_window_is_refused(planner: OfflinePlanner) -> None:
    # The window's first period would have no period before it to grow from.
    with pytest.raises(PlanningError, match="growth"):
        compile_plan(planner.plan("sessions by month in 2025 with growth"), planner.model)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("Month-over-month revenue growth for each month of 2025 (January compared with Dec 2024).",
         "month"),
        ("Month-over-month growth in signups across 2025 (Jan vs Dec 2024 and so on)", "month"),
        ("quarterly revenue growth in 2025 (Q1 vs Q4 2024)", "quarter"),
    ],
)  # fmt: skip
def test_a_remark_spelling_out_a_series_first_change(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    # The remark's "Dec 2024" was read as the window: refused as a comparison of a series.
    plan = planner.plan(question)
    assert (plan.grain, plan.growth) == (grain, True)
    assert plan.time_window is not None
    assert plan.time_window.label == "in 2025"


def test_a_remark_naming_other_periods_is_still_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="series"):
        planner.plan(
            "Month-over-month revenue growth for each month of 2025 (February compared with "
            "Dec 2024)."
        )


@pytest.mark.parametrize(
    "question",
    [
        "what % of sessions with a cart event did not purchase",
        "what % of sessions with a cart event that never purchased, by browser",
        "what % of sessions with a cart event ended without a purchase",
    ],
)
def test_an_outcome_sessions_lack(planner: OfflinePlanner, question: str) -> None:
    # "did not purchase" became "with exactly 0 items sold", a count of other rows.
    plan = planner.plan(question)
    assert [(f.values, f.negate) for f in plan.session_filters] == [(("cart",), False)]
    assert [(f.values, f.negate) for f in plan.session_rate] == [(("purchase",), True)]


def test_each_ones_first_order_is_their_first_order(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Average lifetime revenue per customer, grouped by the year of each customer's first order."
    )
    assert plan.dimensions == ("first_order_year",)
    assert plan.metrics == ("revenue_per_customer",)


def test_that_years_share_is_each_years(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "For 2024 and 2025, what was each traffic source's share of that year's sessions?"
    )
    assert (plan.grain, plan.share, plan.dimensions) == ("year", True, ("acquisition_channel",))
    sql = compile_plan(plan, planner.model)
    assert "OVER (PARTITION BY EXTRACT(YEAR FROM started_at))" in sql


@pytest.mark.parametrize(
    "question",
    [
        "For 2025 sessions, what share included a purchase, broken down by browser?",
        "Among 2025 sessions, what % included a purchase?",
    ],
)
def test_the_share_of_sessions_just_named(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.session_filters == ()
    assert [(f.values, f.negate) for f in plan.session_rate] == [(("purchase",), False)]
    assert plan.time_window is not None
    assert plan.time_window.year == 2025
