"""Each compiled answer shape runs on DuckDB and gives the numbers worked out by hand.

A small shop (ten sales in two countries, five visits) whose amounts are powers of two,
so every sum names the rows it counted. Relative windows count back from a fixed as-of
instant, Saturday 2024-06-15 12:00 UTC, unless a test is about the default anchor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import compile_plan
from lgda_nb.planner._compile import compile_tree
from lgda_nb.planner._model import SemanticModel, parse_model
from lgda_nb.planner._plan import Filter, Plan, TimeWindow

AS_OF = "2024-06-15 12:00:00"

MODEL = parse_model(
    {
        "name": "shop",
        "joins": [["sales", "shop_id", "shops", "id"]],
        "filters": {"kept": {"sql": "sales.status <> 'void'"}},
        "metrics": [
            {
                "name": "revenue",
                "expression": "SUM(sales.amount)",
                "table": "sales",
                "time": "sales.sold_at",
                "filters": ["kept"],
                "unit": "money",
            },
            {
                "name": "sales_count",
                "expression": "COUNT(sales.id)",
                "table": "sales",
                "time": "sales.sold_at",
                "filters": ["kept"],
                "unit": "count",
            },
            {
                "name": "visits",
                "expression": "COUNT(DISTINCT visits.visit_id)",
                "table": "visits",
                "time": "visits.visited_at",
                "unit": "count",
            },
        ],
        "dimensions": [
            {"name": "country", "column": "shops.country"},
            {"name": "channel", "column": "sales.channel"},
        ],
        "funnel": {
            "table": "visits",
            "session": "visit_id",
            "step": "kind",
            "steps": ["home", "cart", "buy"],
            "measure": "visits",
        },
    },
    source="shop.toml",
)

SALES = [
    # id, shop (1 is US, 2 is FR), amount, status, channel, sold at (UTC)
    (1, 1, 5, "ok", "web", "2022-03-10 10:00"),  # Thursday
    (2, 1, 10, "ok", "shop", "2023-02-01 09:00"),  # Wednesday
    (3, 2, 20, "ok", "web", "2023-12-20 09:00"),  # Wednesday
    (4, 1, 40, "ok", "web", "2024-01-15 10:00"),  # Monday
    (5, 2, 80, "ok", "shop", "2024-03-31 23:00"),  # Sunday
    (6, 1, 160, "ok", "web", "2024-04-02 08:00"),  # Tuesday
    (7, 2, 320, "ok", "shop", "2024-05-20 12:00"),  # Monday
    (8, 1, 640, "ok", "shop", "2024-06-10 12:00"),  # Monday
    (9, 1, 1280, "void", "web", "2024-06-14 12:00"),  # Friday, never counted
    (10, 2, 2560, "ok", "web", "2024-06-15 11:00"),  # Saturday, the newest sale
]
VISITS = [
    ("v1", "home"),
    ("v1", "cart"),
    ("v1", "buy"),
    ("v2", "home"),
    ("v2", "cart"),
    ("v3", "home"),
    ("v3", "buy"),  # skipped the cart: reaches home only
    ("v4", "cart"),
    ("v4", "buy"),  # never at home: reaches nothing
    ("v5", "home"),
]


@pytest.fixture(scope="module")
def shop() -> Iterator[Any]:
    """The shop in an in-memory DuckDB that reads time in UTC, as the engine's does."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE shops (id INTEGER, country VARCHAR)")
    con.execute("INSERT INTO shops VALUES (1, 'US'), (2, 'FR')")
    con.execute(
        "CREATE TABLE sales (id INTEGER, shop_id INTEGER, amount DOUBLE, status VARCHAR, "
        "channel VARCHAR, sold_at TIMESTAMP)"
    )
    con.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)", SALES)
    con.execute("CREATE TABLE visits (visit_id VARCHAR, kind VARCHAR, visited_at TIMESTAMP)")
    con.executemany("INSERT INTO visits VALUES (?, ?, TIMESTAMP '2024-06-01')", VISITS)
    yield con
    con.close()


def run(
    shop: Any, plan: Plan, *, as_of: str | None = AS_OF, model: SemanticModel = MODEL
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns and rows of ``plan`` compiled to BigQuery SQL, read as the engine reads it."""
    import sqlglot

    sql = compile_plan(plan, model, as_of=as_of)
    cursor = shop.execute(sqlglot.transpile(sql, read="bigquery", write="duckdb")[0])
    return [column[0] for column in cursor.description], cursor.fetchall()


def plan(**fields: Any) -> Plan:
    return Plan(question="", **{"metrics": ("revenue",), **fields})


def test_the_revenue_rule_and_a_breakdown_apply(shop: Any) -> None:
    """A grouped answer keeps the model's rule (the void sale is left out)."""
    columns, rows = run(shop, plan(dimensions=("country",)))
    assert columns == ["country", "revenue"]
    assert rows == [("FR", 2980.0), ("US", 855.0)]


@pytest.mark.parametrize(
    ("window", "revenue"),
    [
        (TimeWindow("last_days", n=7), 640 + 2560),
        (TimeWindow("last_days", n=30), 320 + 640 + 2560),
        (TimeWindow("recent_months", n=1), 640 + 2560),
        (TimeWindow("recent_months", n=3), 160 + 320 + 640 + 2560),
        (TimeWindow("complete_months", n=3), 80 + 160 + 320),
        (TimeWindow("recent_years", n=2), 3835 - 5),
        (TimeWindow("this_year"), 3800),
        (TimeWindow("last_year"), 10 + 20),
        (TimeWindow("year", year=2022), 5),
        (TimeWindow("years", years=(2022, 2024)), 5 + 3800),
        (TimeWindow("year_range", years=(2022, 2023)), 5 + 10 + 20),
        (TimeWindow("since_year", year=2023), 3835 - 5),
        (TimeWindow("before_year", year=2024), 5 + 10 + 20),
        (TimeWindow("through_year", year=2023), 5 + 10 + 20),
        (TimeWindow("after_year", year=2023), 3800),
        (TimeWindow("this_month"), 640 + 2560),
        (TimeWindow("last_month"), 320),
        (TimeWindow("month", year=2024, month=3), 80),  # 23:00 UTC on the 31st
        (TimeWindow("month_range", month=12, n=3, years=(2023, 2024)), 20 + 40 + 80),
        (TimeWindow("month_range", month=4, n=4, years=(2024, 2024)), 160),
        (TimeWindow("this_quarter"), 160 + 320 + 640 + 2560),
        (TimeWindow("last_quarter"), 40 + 80),
        (TimeWindow("quarter", year=2023, n=4), 20),
    ],
    ids=lambda value: getattr(value, "kind", None),
)
def test_each_time_window_selects_its_rows(shop: Any, window: TimeWindow, revenue: int) -> None:
    """Every kind of window, counted back from the as-of instant, keeps the right sales."""
    assert run(shop, plan(time_window=window))[1] == [(revenue,)]


def test_relative_windows_count_back_from_the_newest_row_by_default(shop: Any) -> None:
    """Without an as-of time the anchor is the measured table's newest timestamp."""
    window = TimeWindow("last_days", n=5)  # from 2024-06-10 11:00, the newest sale less 5 days
    assert run(shop, plan(time_window=window), as_of=None)[1] == [(640 + 2560,)]


@pytest.mark.parametrize(
    ("window", "current", "previous"),
    [
        (TimeWindow("last_days", n=60), 320 + 640 + 2560, 80 + 160),
        (TimeWindow("recent_months", n=3), 160 + 320 + 640 + 2560, 40 + 80),
        (TimeWindow("complete_months", n=3), 80 + 160 + 320, 20 + 40),
        (TimeWindow("this_year"), 3800, 30),
        (TimeWindow("last_year"), 30, 5),
        (TimeWindow("year", year=2024), 3800, 30),
        (TimeWindow("this_month"), 3200, 320),
        (TimeWindow("last_month"), 320, 160),
        (TimeWindow("month", year=2024, month=4), 160, 80),
        (TimeWindow("month", year=2024, month=1), 40, 20),  # before January is December
        (TimeWindow("this_quarter"), 3680, 120),
        (TimeWindow("last_quarter"), 120, 20),
        (TimeWindow("quarter", year=2024, n=1), 120, 20),  # before Q1 is last year's Q4
        (TimeWindow("years", years=(2024, 2022)), 3800, 5),
    ],
    ids=lambda value: getattr(value, "kind", None),
)
def test_a_period_compares_with_the_one_before(
    shop: Any, window: TimeWindow, current: int, previous: int
) -> None:
    """Compare gives current, previous and the change in %, for every comparable window."""
    columns, rows = run(shop, plan(time_window=window, compare=True))
    assert columns == ["revenue_current", "revenue_previous", "change_pct"]
    assert rows == [(current, previous, round((current - previous) / previous * 100, 2))]


def test_growth_reads_the_period_before_the_window(shop: Any) -> None:
    """Month-over-month growth inside a window: its first month is compared with the
    month just before it, which lies outside the window, and the value it is compared
    with is shown beside it. The shop sold nothing in February 2024, so March has no
    previous month to change from (not January's sales)."""
    window = TimeWindow("complete_months", n=3)
    columns, rows = run(shop, plan(grain="month", growth=True, time_window=window))
    assert columns == ["month", "revenue", "revenue_previous", "growth_pct"]
    assert [(str(month), *rest) for month, *rest in rows] == [
        ("2024-03-01", 80, None, None),
        ("2024-04-01", 160, 80, 100.0),
        ("2024-05-01", 320, 160, 100.0),
    ]


def test_growth_per_quarter_orders_by_year_then_quarter(shop: Any) -> None:
    """A quarter is two columns; growth follows them in time, from the quarter just
    before: the first has none, nor has a quarter after one without sales."""
    columns, rows = run(shop, plan(grain="quarter", growth=True))
    assert columns == ["year", "quarter", "revenue", "revenue_previous", "growth_pct"]
    assert rows == [
        (2022, 1, 5, None, None),
        (2023, 1, 10, None, None),
        (2023, 4, 20, None, None),
        (2024, 1, 120, 20, 500.0),
        (2024, 2, 3680, 120, 2966.67),
    ]


def test_growth_with_a_limit_keeps_the_first_periods(shop: Any) -> None:
    """A limit cuts the growth series after ordering by time."""
    rows = run(shop, plan(grain="year", growth=True, limit=2))[1]
    assert rows == [(2022, 5, None, None), (2023, 30, 5, 500.0)]


def test_the_share_of_a_filtered_part_overall(shop: Any) -> None:
    """What % of revenue came through the web: one number against the whole, which is
    shown beside it."""
    web = Filter("channel", ("web",))
    columns, rows = run(shop, plan(filters=(web,), share=True))
    assert columns == ["revenue", "all_revenue", "share_pct"]
    assert rows == [(2785, 3835, round(2785 / 3835 * 100, 2))]


@pytest.mark.parametrize(("order", "first"), [("auto", "FR"), ("asc", "US")])
def test_the_share_of_a_filtered_part_within_each_group(shop: Any, order: str, first: str) -> None:
    """The web's share within each country, largest first unless asked otherwise."""
    web = Filter("channel", ("web",))
    columns, rows = run(
        shop, plan(dimensions=("country",), filters=(web,), share=True, order=order)
    )
    assert columns == ["country", "revenue", "all_revenue", "share_pct"]
    shares = {"FR": ("FR", 2580, 2980, 86.58), "US": ("US", 205, 855, 23.98)}
    assert rows[0] == shares[first]
    assert sorted(rows) == sorted(shares.values())
    limited = plan(dimensions=("country",), filters=(web,), share=True, order=order, limit=1)
    assert run(shop, limited)[1] == [shares[first]]


def test_the_funnel_is_closed(shop: Any) -> None:
    """A visit reaches a step only with every step before it; conversion from the first
    step and from the step before."""
    columns, rows = run(shop, plan(metrics=("visits",), funnel=True))
    assert columns == [
        "step_number",
        "step",
        "visits",
        "pct_of_first_step",
        "pct_of_previous_step",
    ]
    assert rows == [
        (1, "home", 4, 100.0, None),
        (2, "cart", 2, 50.0, 50.0),
        (3, "buy", 1, 25.0, 50.0),
    ]


def test_weekdays_are_shown_monday_first(shop: Any) -> None:
    """A breakdown by weekday follows the calendar, not the alphabet or the counts."""
    columns, rows = run(shop, plan(metrics=("sales_count",), grain="weekday"))
    assert columns == ["weekday", "sales_count"]
    assert rows == [
        ("Monday", 3),
        ("Tuesday", 1),
        ("Wednesday", 2),
        ("Thursday", 1),
        ("Saturday", 1),
        ("Sunday", 1),
    ]


def test_a_value_from_the_question_is_a_literal(shop: Any) -> None:
    """Quotes and SQL in a value match nothing and stay one string literal in the tree."""
    from sqlglot import exp

    value = "US' OR '1'='1"
    tricky = plan(filters=(Filter("country", (value,)),))
    literals = [node.this for node in compile_tree(tricky, MODEL).find_all(exp.Literal)]
    assert value in literals
    assert run(shop, tricky)[1] == [(None,)]


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (TimeWindow("since_year", year=2023), "no period before it"),
        (TimeWindow("years", years=(2022, 2023, 2024)), "no period before it"),
    ],
)
def test_a_window_without_a_period_before_cannot_be_compared(
    window: TimeWindow, message: str
) -> None:
    """Comparing an open-ended window is a clear refusal, not a crash."""
    with pytest.raises(PlanningError, match=message):
        compile_plan(plan(time_window=window, compare=True), MODEL)


@pytest.mark.parametrize(
    "window",
    [
        TimeWindow("fortnight"),
        TimeWindow("month", year=2024, month=13),
        TimeWindow("quarter", year=2024, n=5),
        TimeWindow("years"),
    ],
    ids=["unknown kind", "month 13", "quarter 5", "no years"],
)
def test_a_window_that_cannot_be_compiled_is_refused(window: TimeWindow) -> None:
    """An unknown or incomplete window is a PlanningError, never a silently empty answer."""
    with pytest.raises(PlanningError):
        compile_plan(plan(time_window=window), MODEL)


def test_two_filters_no_row_passes_together_are_refused() -> None:
    """ "gender is M" and "gender is F" on one plan (a reading gone wrong, or a model's
    typed query) would answer 0 as if it were a count; refused, naming both."""
    from lgda_nb.planner import load_model

    thelook = load_model()
    plan = Plan("q", ("orders",), filters=(Filter("gender", ("M",)), Filter("gender", ("F",))))
    with pytest.raises(PlanningError, match="keep no row together"):
        compile_plan(plan, thelook)
    overlapping = Plan(
        "q", ("orders",), filters=(Filter("gender", ("M", "F")), Filter("gender", ("F",)))
    )
    assert "gender" in compile_plan(overlapping, thelook)
