"""Period comparisons per group, rolling averages, bands given in the question and a
ranking used as a set: how they are read, what they compute on the sample, what is
refused, the interpretation sentence, and the typed query's round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Band, Plan, TimeWindow
from lgda_nb.planner._query import plan_from_query, query_of

VALUES = {
    "country": ["Brasil", "China", "France", "Germany", "Spain", "United States"],
    "category": ["Jeans", "Outerwear & Coats", "Swim", "Tops & Tees"],
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
}
MODEL = load_model()


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """A planner over the built-in thelook model and a small value index."""
    return OfflinePlanner(MODEL, VALUES)


def _rows(engine: Any, plan: Plan) -> Any:
    return engine.run_sql(compile_plan(plan, MODEL)).df


# -- reading -------------------------------------------------------------------------
def test_period_before_per_group(planner: OfflinePlanner) -> None:
    """ "last 30 days vs the 30 days before, per country" compares per country."""
    plan = planner.plan(
        "revenue in the last 30 days vs the 30 days before, per country, with growth %"
    )
    assert plan.compare
    assert plan.dimensions == ("country",)
    assert plan.time_window is not None
    assert plan.time_window.kind == "last_days"
    assert plan.compare_with is None
    assert plan.grain is None


@pytest.mark.parametrize(
    "question",
    ["Q1 2025 vs Q1 2024 revenue by category", "compare Q1 2025 revenue with Q1 2024 by category"],
)
def test_two_named_quarters(planner: OfflinePlanner, question: str) -> None:
    """Two named quarters: the later is the window, the earlier the one compared with."""
    plan = planner.plan(question)
    assert plan.compare
    assert plan.time_window == TimeWindow("quarter", n=1, year=2025, label="Q1 2025")
    assert plan.compare_with == TimeWindow("quarter", n=1, year=2024, label="Q1 2024")


def test_year_over_year_top_by_growth(planner: OfflinePlanner) -> None:
    """ "year-over-year growth ... 2025 vs 2024, top 5 by growth" ranks on the change."""
    plan = planner.plan("year-over-year growth by category, 2025 vs 2024, top 5 by growth")
    assert plan.metrics == ("revenue",)
    assert plan.grain is None
    assert plan.compare
    assert plan.rank_by == "change"
    assert plan.limit == 5


@pytest.mark.parametrize(
    "question",
    [
        "brand revenue 2025 vs 2024 - which 5 brands grew fastest (by % change)?",
        "which 5 brands grew the fastest, revenue 2025 vs 2024",
        "top 5 brands by % change in revenue, 2025 vs 2024",
    ],
)
def test_growth_named_other_ways_ranks_on_change(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert (plan.compare, plan.rank_by, plan.limit) == (True, "change", 5)


@pytest.mark.parametrize(
    ("question", "rank_by", "order", "limit"),
    [
        ("which country had the biggest increase in orders, 2024 vs 2023", "difference",
         "desc", 1),
        ("which category had the largest increase in units sold from Q2 2025 to Q3 2025?",
         "difference", "desc", 1),
        ("which 3 countries had the biggest drop in orders, 2024 vs 2023", "difference",
         "asc", 3),
        ("which category had the largest revenue growth in 2025 vs 2024", "change", "desc", 1),
        ("which brand had the biggest % drop in revenue, 2025 vs 2024", "change", "asc", 1),
        ("top 5 brands by the biggest increase in revenue, 2025 vs 2024", "difference",
         "desc", 5),
    ],
)  # fmt: skip
def test_a_superlative_of_a_change_ranks_on_it(
    planner: OfflinePlanner, question: str, rank_by: str, order: str, limit: int
) -> None:
    """ "The biggest increase" ranks by the difference, "the largest growth" and "the
    biggest % drop" by the change in %; a fall puts the lowest first."""
    plan = planner.plan(question)
    assert (plan.compare, plan.rank_by, plan.order, plan.limit) == (True, rank_by, order, limit)


@pytest.mark.parametrize(
    "question",
    [
        "compare revenue for Men and Women",
        "compare Men vs Women revenue in 2025",
        "compare the return rate of Jeans and Swim",
    ],
)
def test_compare_before_groups_asks_for_them_side_by_side(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.dimensions
    assert not plan.compare


def test_compare_without_groups_or_periods_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="'compare'"):
        planner.plan("compare revenue")


def test_growth_between_two_years(planner: OfflinePlanner) -> None:
    """ "for 2024 and 2025 and the growth between them" is a comparison."""
    plan = planner.plan("revenue by category for 2024 and 2025 and the growth between them")
    assert plan.compare
    assert plan.time_window is not None
    assert plan.time_window.years == (2024, 2025)


def test_rolling_average(planner: OfflinePlanner) -> None:
    """A 7-day rolling average is a daily series; "no orders counted as zero" restates it."""
    plan = planner.plan(
        "daily orders with a 7-day rolling average, days with no orders counted as zero"
    )
    assert (plan.metrics, plan.grain, plan.rolling) == (("orders",), "day", 7)


def test_rolling_sets_the_grain(planner: OfflinePlanner) -> None:
    """ "7-day rolling average of revenue for February 2021" is per day."""
    plan = planner.plan("7-day rolling average of daily revenue for each day of February 2021")
    assert plan.grain == "day"
    assert plan.rolling == 7
    assert plan.time_window is not None
    assert plan.time_window.kind == "month"


def test_bands_on_a_band_breakdown(planner: OfflinePlanner) -> None:
    """Bands given for "age band" cut the age itself."""
    plan = planner.plan("revenue by buyer age band: under 25, 25-44, 45-64, 65+")
    assert plan.dimensions == ("age",)
    assert plan.bands == (Band("age", (25, 45, 65)),)


def test_money_bands_and_a_second_breakdown(planner: OfflinePlanner) -> None:
    """Money bands, and bands beside another breakdown."""
    plan = planner.plan("products by retail price band: under $25, $25-50, $50-100, $100+")
    assert plan.bands[0].edges == (25, 50, 100)
    plan = planner.plan("users by age band under 30, 30-49, 50+ for each gender")
    assert plan.dimensions == ("age", "gender")
    assert plan.bands[0].edges == (30, 50)


def test_buckets(planner: OfflinePlanner) -> None:
    """ "in $100 buckets" cuts equal buckets."""
    plan = planner.plan("items sold by sale price in $100 buckets")
    assert plan.bands == (Band("sale_price", width=100),)


def test_ranking_used_as_a_set(planner: OfflinePlanner) -> None:
    """Several measures for the top 5 categories by one of them: ranked by that one."""
    plan = planner.plan("revenue, profit and gross margin % for the top 5 categories by revenue")
    assert plan.metrics == ("revenue", "profit", "gross_margin_pct")
    assert (plan.limit, plan.order, plan.dimensions) == (5, "desc", ("category",))
    plan = planner.plan("profit and revenue for the top 3 brands by revenue")
    assert plan.metrics[0] == "revenue"


@pytest.mark.parametrize(
    "question",
    [
        "What percent of 2025 revenue came from the 5 highest-revenue brands of 2025?",
        "total revenue of the top 5 categories by revenue",
        "revenue and profit of the top 5 categories by revenue combined",
    ],
)
def test_a_total_of_a_ranked_set_is_refused_as_such(planner: OfflinePlanner, question: str) -> None:
    """One total of the top N together is read only as the share of one measure from
    the top N ranked by it ("what share of revenue comes from the top 10 brands"); the
    refusal says so, not that the ranking's measure is missing (it is named)."""
    with pytest.raises(PlanningError, match="total or share of a ranked set") as caught:
        planner.plan(question)
    assert "what share of revenue comes from the top 10 brands" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("orders by hour of day (UTC)", "hour"),
        ("weekly revenue for the last 4 complete weeks (weeks start Monday)", "week"),
        ("cumulative signups month by month through 2025, starting January 2025", "month"),
        ("monthly revenue in 2025, to the cent", "month"),
        ("monthly average order value in 2025, rounded to 2 decimals", "month"),
        ("monthly revenue in 2025 (2 dp)", "month"),
    ],
)
def test_restated_conventions(planner: OfflinePlanner, question: str, grain: str) -> None:
    """UTC, Monday weeks, amounts to the cent and a start that is the window's own start
    are read, not left over."""
    assert planner.plan(question).grain == grain


# -- refusals --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "revenue by age band: under 25, 30-44, 45+",  # a gap
        "weekly revenue (weeks start Sunday)",  # another convention
        "monthly revenue, rounded to 1 decimal",
        "monthly revenue to the nearest dollar",
        # A duration is taken in whole units: 2 decimals of it would be another number.
        "average hours from order to delivery in 2025 (2 decimals)",
        "top 5 categories by revenue, 2025 vs 2024, and the biggest increase",  # which?
        "revenue and profit for the top 5 categories",  # ranked by which?
        "monthly revenue with a 7-day rolling average",
        "weekly revenue with a 7-day rolling average",
        "revenue by month, 2025 vs 2024",
    ],
)
def test_near_misses_are_refused(planner: OfflinePlanner, question: str) -> None:
    """What these constructs do not answer is refused, never guessed."""
    with pytest.raises(PlanningError):
        compile_plan(planner.plan(question), MODEL)


# -- rows on the sample -----------------------------------------------------------------
def test_compare_per_group_rows(engine: Any) -> None:
    """Per group, the two periods add up to each period's total, and the change is in %."""
    window = TimeWindow("year", year=2025).described()
    earlier = TimeWindow("year", year=2024).described()
    plan = Plan("q", ("revenue",), ("department",), time_window=window, compare=True,
                compare_with=earlier)  # fmt: skip
    rows = _rows(engine, plan)
    total = _rows(engine, Plan("q", ("revenue",), time_window=window, compare=True,
                               compare_with=earlier))  # fmt: skip
    assert list(rows.columns) == [
        "department", "revenue_current", "revenue_previous", "change_pct"
    ]  # fmt: skip
    assert rows.revenue_current.sum() == pytest.approx(total.revenue_current[0], abs=0.05)
    assert rows.revenue_previous.sum() == pytest.approx(total.revenue_previous[0], abs=0.05)
    first = rows.iloc[0]
    change = (first.revenue_current - first.revenue_previous) / first.revenue_previous * 100
    assert first.change_pct == pytest.approx(change, abs=0.01)
    assert list(rows.revenue_current) == sorted(rows.revenue_current, reverse=True)


def test_a_ranking_by_the_difference_shows_it_and_orders_by_it(engine: Any) -> None:
    """The difference is the later value minus the earlier, beside the change in %."""
    plan = Plan("q", ("orders",), ("country",), compare=True, rank_by="difference",
                time_window=TimeWindow("years", years=(2023, 2024)).described())  # fmt: skip
    rows = _rows(engine, plan)
    assert list(rows.columns) == [
        "country", "orders_current", "orders_previous", "change_pct", "difference"
    ]  # fmt: skip
    assert list(rows.difference) == list(rows.orders_current - rows.orders_previous)
    assert list(rows.difference) == sorted(rows.difference, reverse=True)
    falls = _rows(engine, replace(plan, order="asc", limit=2))
    assert list(falls.difference) == sorted(rows.difference)[:2]
    assert "ranked by the difference, the later value minus the earlier" in interpret(plan, MODEL)


@pytest.mark.parametrize(
    "question",
    [
        "orders 2024 vs 2025 and the difference",
        "What's the difference in orders between 2024 and 2025?",
        "How many more orders were placed in 2025 than in 2024? Give me both counts and the "
        "difference (2025 minus 2024)",
        "orders in 2025 vs 2024: by how much did orders change?",
        "orders in the last 7 days vs the 7 days before - one row with both counts and the "
        "difference (last 7 minus prior 7)",
    ],
)
def test_a_difference_asked_of_a_comparison_is_shown(
    planner: OfflinePlanner, question: str
) -> None:
    """Refused before ("I did not understand 'difference'"); the later minus the earlier is
    shown beside the change in %, the rows still by the latest value."""
    plan = planner.plan(question)
    assert (plan.compare, plan.difference, plan.rank_by) == (True, True, None)
    assert "with the difference, the later value minus the earlier" in interpret(plan, MODEL)


@pytest.mark.parametrize(
    "question",
    ["customers in 2025 who spent more than 2000", "orders in 2025 worth more than 2050"],
)
def test_an_amount_after_more_than_is_no_period(planner: OfflinePlanner, question: str) -> None:
    """A bare year after "than" is a period only said with "in" ("than in 2024"): "more
    than 2000" is an amount, a condition as before."""
    plan = planner.plan(question)
    assert not plan.compare
    assert plan.conditions


def test_a_difference_of_a_total_and_per_group_rows(engine: Any) -> None:
    """The difference column is the later value minus the earlier, in total and per group."""
    window = TimeWindow("years", years=(2023, 2024)).described()
    total = _rows(engine, Plan("q", ("orders",), compare=True, difference=True,
                               time_window=window))  # fmt: skip
    assert list(total.columns) == ["orders_current", "orders_previous", "change_pct", "difference"]
    assert total.difference[0] == total.orders_current[0] - total.orders_previous[0]
    grouped = _rows(engine, Plan("q", ("orders",), ("country",), compare=True,
                                 difference=True, time_window=window))  # fmt: skip
    assert list(grouped.difference) == list(grouped.orders_current - grouped.orders_previous)
    assert list(grouped.orders_current) == sorted(grouped.orders_current, reverse=True)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("how many more orders were placed in 2024 than in 2025", "other way round"),
        ("orders 2025 vs 2024 and the difference (2024 minus 2025)", "other way round"),
        ("revenue from Jeans vs Swim in 2025, and the difference", "only between two periods"),
        ("AOV for women vs men in 2025 and the difference (women minus men)",
         "only between two periods"),
        ("which category had the biggest difference in revenue between 2024 and 2025",
         "biggest increase or the biggest drop"),
        # "which ... more ... than": only the rows that rose, not every row compared
        ("Which categories had more revenue in 2025 than in 2024?", "which rows to keep"),
        ("which countries had fewer orders in 2025 than in 2024", "which rows to keep"),
    ],
)  # fmt: skip
def test_a_difference_that_would_have_the_other_sign_or_no_periods_is_refused(
    planner: OfflinePlanner, question: str, says: str
) -> None:
    """A difference shown is always the later period minus the earlier: asked the other
    way round, between two values, or ranked without saying increase or drop, it would be
    a number with the wrong sign or of the wrong things."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert says in caught.value.message


def test_rolling_average_rows(engine: Any) -> None:
    """Each day averages it and the 6 days before, missing days counting as zero,
    the days before the window included."""
    window = TimeWindow("month", year=2021, month=2).described()
    plan = Plan("q", ("revenue",), grain="day", rolling=7, time_window=window)
    rows = _rows(engine, plan)
    assert len(rows) == 28
    wide = _rows(engine, Plan("q", ("revenue",), grain="day", rolling=7))
    wide = wide.set_index("day").revenue
    for day, average in zip(rows.day, rows.revenue_rolling_avg_7, strict=True):
        week = wide.loc[:day].tail(7)
        assert average == pytest.approx(week.mean(), abs=0.01)


def test_band_rows(engine: Any) -> None:
    """Bands in ascending order with their labels, adding up to every user."""
    plan = Plan("q", ("users",), ("age",), bands=(Band("age", (30, 50)),))
    rows = _rows(engine, plan)
    assert list(rows.age_range) == ["under 30", "30-49", "50+"]
    everyone = engine.run_sql(compile_plan(Plan("q", ("users",)), MODEL)).df
    assert rows.users.sum() == everyone.users[0]


def test_bands_named_otherwise_are_refused(planner: OfflinePlanner) -> None:
    """Bands the question names its own way ("55 and over") are not shown under other names."""
    with pytest.raises(PlanningError, match=r"named like|as a column"):
        planner.plan("users by age band: under 18, 18 to 34, 35 to 54, 55 and over")


def test_bucket_rows(engine: Any) -> None:
    """Buckets are their lower bounds, ascending."""
    rows = _rows(engine, Plan("q", ("items_sold",), ("sale_price",),
                              bands=(Band("sale_price", width=100),)))  # fmt: skip
    assert list(rows.sale_price_bucket) == sorted(rows.sale_price_bucket)
    assert rows.sale_price_bucket[0] == 0


# -- interpretation and the typed query ---------------------------------------------------
def test_interpretation(planner: OfflinePlanner) -> None:
    """The sentence names the earlier period, the ranking on the change and the bands."""
    plan = planner.plan("Q1 2025 vs Q1 2024 revenue by category")
    assert "compared with Q1 2024" in interpret(plan, MODEL)
    plan = planner.plan("year-over-year growth by category, 2025 vs 2024, top 5 by growth")
    assert "ranked by the change in %" in interpret(plan, MODEL)
    plan = planner.plan("daily orders with a 7-day rolling average")
    assert "the 6 before it (days with no rows count as zero)" in interpret(plan, MODEL)
    plan = planner.plan("users by age: under 30, 30-49, 50+")
    assert "bands under 30, 30-49, 50+ (lower bounds included)" in interpret(plan, MODEL)


@pytest.mark.parametrize(
    "question",
    [
        "revenue in the last 30 days vs the 30 days before, per country, with growth %",
        "Q1 2025 vs Q1 2024 revenue by category",
        "year-over-year growth by category, 2025 vs 2024, top 5 by growth",
        "which 3 countries had the biggest drop in orders, 2024 vs 2023",
        "compare Q1 2025 revenue with Q1 2024",
        "revenue by country, last quarter compared with the same quarter last year",
        "orders by department this month vs last month",
        "daily orders with a 7-day rolling average, days with no orders counted as zero",
        "revenue by buyer age band: under 25, 25-44, 45-64, 65+",
        "items sold by sale price in $100 buckets",
        "revenue, profit and gross margin % for the top 5 categories by revenue",
        "orders by country 2025 vs 2024 and the difference",
    ],
)
def test_typed_query_round_trip(planner: OfflinePlanner, question: str) -> None:
    """A model's typed query for the same plan compiles to the same SQL."""
    plan = planner.plan(question)
    query = json.loads(json.dumps(query_of(plan)))
    again = plan_from_query(question, query, MODEL, VALUES)
    assert compile_plan(again, MODEL) == compile_plan(plan, MODEL)


def test_typed_query_checks_bands() -> None:
    """Bands of a breakdown not asked for, or of a non-number, are refused."""
    base = {"metrics": ["users"], "dimensions": ["gender"]}
    with pytest.raises(PlanningError):
        plan_from_query("q", {**base, "bands": [{"dimension": "age", "edges": [30]}]}, MODEL)
    with pytest.raises(PlanningError):
        plan_from_query("q", {**base, "bands": [{"dimension": "gender", "edges": [30]}]}, MODEL)
    with pytest.raises(PlanningError):
        plan_from_query("q", {**base, "rank_by": "revenue"}, MODEL)
    with pytest.raises(PlanningError):
        plan_from_query("q", {**base, "rank_by": "change"}, MODEL)
    with pytest.raises(PlanningError):
        plan_from_query("q", {**base, "rank_by": "difference"}, MODEL)
    with pytest.raises(PlanningError, match="belong to a comparison"):
        plan_from_query("q", {**base, "difference": True}, MODEL)


@pytest.mark.parametrize(
    "question",
    [
        "revenue for Q1 2025 and Q2 2025",  # both periods listed, not compared
        "revenue and profit of the top 5 categories by revenue combined",  # one total
        "revenue for the top 5 brands",  # a list or a total?
        "share of revenue by category, 2025 vs 2024",
        "daily orders and revenue with a 7-day rolling average",
        "top 5 days by orders with a 7-day rolling average",
    ],
)
def test_what_the_constructs_do_not_show_is_refused(planner: OfflinePlanner, question: str) -> None:
    """A part of the question a construct would leave out is a refusal."""
    with pytest.raises(PlanningError):
        compile_plan(planner.plan(question), MODEL)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("revenue by category this year vs last year", "this_year"),
        ("orders by department this month vs last month", "this_month"),
        ("orders today vs yesterday", "today"),
    ],
)
def test_the_period_before_named(planner: OfflinePlanner, question: str, kind: str) -> None:
    """ "this month vs last month" names the period before: the later one is the window."""
    plan = planner.plan(question)
    assert plan.compare
    assert plan.time_window is not None
    assert plan.time_window.kind == kind
    assert plan.compare_with is None


@pytest.mark.parametrize(
    ("question", "earlier"),
    [
        (
            "revenue by country, last quarter compared with the same quarter last year",
            TimeWindow("quarter_back", n=5, label="the same quarter a year earlier"),
        ),
        (
            "orders this month vs the same month a year ago",
            TimeWindow("month_back", n=12, label="the same month a year earlier"),
        ),
        (
            "Q2 2025 revenue compared with the same quarter a year earlier",
            TimeWindow("quarter", n=2, year=2024, label="Q2 2024"),
        ),
    ],
)
def test_the_same_period_a_year_earlier(
    planner: OfflinePlanner, question: str, earlier: TimeWindow
) -> None:
    """ "the same quarter last year" is the quarter a year before the window."""
    plan = planner.plan(question)
    assert plan.compare
    assert plan.compare_with == earlier


def test_the_same_quarter_a_year_earlier_rows(engine: Any) -> None:
    """Five quarters back is last quarter's own quarter a year earlier."""
    window = TimeWindow("last_quarter").described()
    earlier = TimeWindow("quarter_back", n=5, label="the same quarter a year earlier")
    plan = Plan("q", ("orders",), time_window=window, compare=True, compare_with=earlier)
    rows = _rows(engine, plan)
    back = _rows(engine, Plan("q", ("orders",), time_window=earlier))
    assert rows.orders_previous[0] == back.orders[0]


def test_rolling_average_per_group_rows(engine: Any) -> None:
    """By a breakdown, each group's average runs over its own gap-free series."""
    window = TimeWindow("month", year=2022, month=3).described()
    plan = Plan("q", ("orders",), ("department",), grain="day", rolling=3, time_window=window)
    rows = _rows(engine, plan)
    assert len(rows) == 31 * rows.department.nunique()
    wide = _rows(engine, Plan("q", ("orders",), ("department",), grain="day", rolling=3))
    men = wide[wide.department == "Men"].set_index("day").orders
    shown = rows[rows.department == "Men"]
    for day, average in zip(shown.day, shown.orders_rolling_avg_3, strict=True):
        assert average == pytest.approx(men.loc[:day].tail(3).mean(), abs=0.01)


def test_a_named_month_a_year_earlier(planner: OfflinePlanner) -> None:
    """ "March 2025 vs the same month last year": "last year" is not the window."""
    plan = planner.plan("revenue for March 2025 vs the same month last year by category")
    assert plan.time_window == TimeWindow("month", year=2025, month=3, label="March 2025")
    assert plan.compare_with == TimeWindow("month", year=2024, month=3, label="March 2024")


def test_sorted_by_growth(planner: OfflinePlanner) -> None:
    """ "sorted by growth" orders a comparison on the change, without a limit."""
    plan = planner.plan("revenue by category, 2025 vs 2024, sorted by growth")
    assert plan.rank_by == "change"
    assert plan.limit is None


@pytest.mark.parametrize(
    "question",
    [
        "which country had the biggest increase in revenue from 2024 to 2025?",
        "how did revenue change from 2024 to 2025",
        "revenue growth by country from 2024 to 2025",
    ],
)
def test_a_change_from_one_year_to_the_next_compares_them(
    planner: OfflinePlanner, question: str
) -> None:
    """ "From 2024 to 2025" with a word of change is the two years compared, not one
    total over both."""
    plan = planner.plan(question)
    assert plan.compare
    assert plan.time_window is not None
    assert plan.time_window.years == (2024, 2025)


@pytest.mark.parametrize(
    "question", ["revenue from 2024 to 2025", "monthly revenue growth from 2024 to 2025"]
)
def test_a_range_of_years_without_a_change_is_one_window(
    planner: OfflinePlanner, question: str
) -> None:
    assert not planner.plan(question).compare


@pytest.mark.parametrize(
    "question",
    [
        "Month-over-month revenue growth for 2025, with the previous month's revenue next to "
        "each month.",
        "monthly revenue in 2025 with MoM growth and the prior month's value",
    ],
)
def test_the_value_a_growth_is_from_said_again_is_read_as_the_growth_shows_it(
    planner: OfflinePlanner, question: str
) -> None:
    """Refused before as a comparison of a series; a growth series shows each period's
    previous value beside it."""
    plan = planner.plan(question)
    assert (plan.growth, plan.compare, plan.grain) == (True, False, "month")
    assert plan.time_window is not None
    assert plan.time_window.year == 2025


def test_the_previous_value_of_another_measure_beside_a_growth_is_not_dropped(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError):
        planner.plan("monthly revenue in 2025 with MoM growth and the prior month's orders")
