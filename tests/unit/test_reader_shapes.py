"""Reading shorthand, possessives and shares within a group into the typed query."""

from __future__ import annotations

import dataclasses

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model
from lgda_nb.planner._text import normalize

VALUES = {
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "category": ["Jeans", "Swim"],
    "distribution_center": ["Chicago IL", "Houston TX"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("rev last 90d", "rev last 90 days"),
        ("avg items/order by yr", "average items per order by year"),
        ("mom growth pct", "month over month growth percent"),
        ("ppl w/ >2 orders", "people with more than 2 orders"),
        ("more than $30k", "more than $30000"),
        ("# of orders per qtr", "number of orders per quarter"),
        ("last 2 wks", "last 2 weeks"),
        ("gm% by acq src", "gm % by acquisition source"),
        ("rev MoM % by cat", "rev month over month growth % by cat"),
        ("cancellation % by country", "cancellation rate by country"),
        ("return rate % by brand", "return rate by brand"),
        ("units WoW % by dept", "units week over week growth % by dept"),
        ("rev w/ % chg", "rev with % change"),
        ("qtrly rev, new custs", "per quarter rev, new customers"),
        ("ppl who bought smth wkly", "people who bought something weekly"),
        ("cart conv by browser, L30D", "cart conversion by browser, last 30 days"),
        ("avg order val last qtr", "average order value last quarter"),
        ("orders ytd vs same period ly", "orders ytd vs same period last year"),
        ("ppl who've bought", "people who have bought"),
        ("orders in Q1 vs Q2 2025", "orders in q1 2025 vs q2 2025"),
        ("march compared to april 2025", "march 2025 compared to april 2025"),
        ("signups per year for 2023, 2024 and 2025", "signups per year for 2023 to 2025"),
        # Not years in a row, or no series by year: left as said.
        ("yearly revenue for 2022, 2024 and 2025", "yearly revenue for 2022, 2024 and 2025"),
        ("orders in 2023, 2024 and 2025", "orders in 2023, 2024 and 2025"),
        # Another year said: which year each is stays unread.
        (
            "each month of 2025 (jan compared with dec 2024)",
            "each month of 2025 (jan compared with dec 2024)",
        ),
        # Two periods against each other beside a series of their grain: the series.
        ("rev 2024 vs 2025, one row per year", "rev 2024 and 2025, per year"),
        ("orders 2023 versus 2025 for each year", "orders 2023 and 2025 for each year"),
        (
            "march vs april 2025, orders in each month",
            "march 2025 to april 2025, orders in each month",
        ),
        ("dec 2024 vs nov 2024 revenue by month", "nov 2024 to dec 2024 revenue by month"),
        ("dec 2024 vs jan 2025 orders by month", "dec 2024 to jan 2025 orders by month"),
        # Not that series, or months apart: left for the comparison to read (or refuse).
        ("revenue 2024 vs 2025 by month", "revenue 2024 vs 2025 by month"),
        ("march vs june 2025 orders by month", "march 2025 vs june 2025 orders by month"),
        ("revenue by category, 2025 vs 2024", "revenue by category, 2025 vs 2024"),
        # "annual" describes the measure: the comparison, its values side by side.
        ("annual revenue 2024 vs 2025", "annual revenue 2024 vs 2025"),
        ("revenue by department, a row for each year", "revenue by department, per year"),
        # A row for something else is not a breakdown by it.
        ("revenue by category, a row for the total", "revenue by category, a row for the total"),
    ],
)
def test_shorthand_is_spelled_out(typed: str, spelled: str) -> None:
    assert normalize(typed) == spelled


@pytest.mark.parametrize(
    ("question", "within"),
    [
        ("within each department, each distribution center's share of items sold",
         "department"),
        ("each department's share of items sold by distribution center", "distribution_center"),
        ("each category's share of its department's revenue", "department"),
    ],
)  # fmt: skip
def test_a_share_restarts_in_the_group_the_question_names(
    planner: OfflinePlanner, question: str, within: str
) -> None:
    planned = planner.plan(question)
    assert planned.share
    assert planned.share_within == within


def test_a_share_by_two_breakdowns_without_a_group_is_asked_about(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="two ways"):
        planner.plan("share of revenue by department and category")


def test_a_possessive_reads_as_its_noun_unless_it_is_a_value(planner: OfflinePlanner) -> None:
    assert planner.plan("each department's share of total revenue").dimensions == ("department",)
    (only,) = planner.plan("revenue from women's products").filters
    assert (only.dimension, only.values) == ("department", ("Women",))


def test_a_funnel_on_a_model_without_one_is_a_planning_error() -> None:
    from dataclasses import replace

    from lgda_nb.planner import Plan, compile_plan

    model = replace(load_model(), funnel={})
    with pytest.raises(PlanningError, match="describes no funnel"):
        compile_plan(Plan(question="funnel", metrics=("sessions",), funnel=True), model)


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("minimum and maximum retail prices in the product catalog",
         ("min:retail_price", "max:retail_price"), ()),
        ("min, max and median age", ("min:age", "max:age", "median:age"), ()),
        ("count of distinct brands in each department", ("distinct:brand",), ("department",)),
        ("how many diffrent brands do we carry", ("distinct:brand",), ()),
    ],
)  # fmt: skip
def test_aggregates_and_distinct_counts(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    planned = planner.plan(question)
    assert (planned.metrics, planned.dimensions) == (metrics, dimensions)


def test_a_distinct_count_beside_another_measure_is_asked_about(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="cannot tell which"):
        planner.plan(
            "how many products does each distribution center stock, number of distinct products"
        )


@pytest.mark.parametrize(
    ("question", "metric", "entity"),
    [
        ("top 10 customers by lifetime spend", "revenue", "customer_id"),
        ("which 5 customers spent the most", "revenue", "customer_id"),
        ("top 3 orders by revenue", "revenue", "order_id"),
        ("top 5 sessions by number of events", "events", "session_id"),
    ],
)
def test_the_things_a_measure_counts_are_ranked_by_another(
    planner: OfflinePlanner, question: str, metric: str, entity: str
) -> None:
    plan = planner.plan(question)
    assert (plan.metrics, plan.dimensions, plan.order) == ((metric,), (entity,), "desc")


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "orders and cancellation rate per month in 2025",
            ("orders", "cancellation_rate", "cancelled_orders"),
        ),
        ("revenue and number of customers by country", ("revenue", "customers")),
        ("revenue and count of orders by month", ("revenue", "orders")),
    ],
)
def test_measures_named_side_by_side_are_all_kept(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    assert planner.plan(question).metrics == metrics


def test_a_value_spelled_with_and_is_still_one_value(planner: OfflinePlanner) -> None:
    plan = OfflinePlanner(load_model(), {"category": ["Outerwear & Coats"]}).plan(
        "revenue from outerwear and coats"
    )
    assert [(f.dimension, f.values) for f in plan.filters] == [("category", ("Outerwear & Coats",))]


def test_users_who_placed_an_order_are_the_counted_users(planner: OfflinePlanner) -> None:
    plan = planner.plan("count of distinct users who placed an order, per country")
    assert (plan.metrics, plan.dimensions) == (("users",), ("country",))
    assert [(c.metric, c.per, c.op, c.values) for c in plan.conditions] == [
        ("orders", "customer_id", ">=", (1,))
    ]


def test_an_owner_in_the_possessive_is_not_a_breakdown(planner: OfflinePlanner) -> None:
    plan = planner.plan("average days from order to delivery by the product's distribution center")
    assert plan.dimensions == ("distribution_center",)


def test_shares_by_a_breakdown_for_each_period_add_up_within_the_period(
    planner: OfflinePlanner,
) -> None:
    from lgda_nb.planner import compile_plan

    plan = planner.plan("for each year, % of orders by status")
    assert (plan.grain, plan.dimensions, plan.share) == ("year", ("status",), True)
    assert "OVER (PARTITION BY EXTRACT(YEAR FROM" in compile_plan(plan, load_model())
    assert "within each year" in plan.describe()


def test_a_signup_year_breakdown_leaves_the_window_on_the_measure(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("2025 revenue broken down by the customer's signup year")
    assert plan.time_column is None
    assert plan.dimensions == ("signup_year",)
    assert planner.plan("revenue from customers who signed up in 2024").time_column


def test_a_share_of_things_meeting_a_condition_by_a_breakdown_is_within_each_group(
    planner: OfflinePlanner,
) -> None:
    """It was refused; it is each channel's own rate, of its signups of 2024 (dated by
    their own words), whose orders of any date are looked for."""
    plan = planner.plan(
        "by acquisition channel, what % of 2024 signups have placed at least one order"
    )
    assert plan.share
    (condition,) = plan.conditions
    assert condition.ever
    assert "within each acquisition channel" in interpret(plan, planner.model)


def test_a_share_of_things_meeting_a_condition_by_period_is_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError):
        planner.plan("what % of users placed at least one order, by month")


@pytest.mark.parametrize(
    "question", ["number of distinct products sold in 2025 by department", "unique products sold"]
)
def test_distinct_before_a_count_of_other_rows_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """ "Distinct products sold" is not items sold with the word dropped: a model that
    does not say which rows a verb means refuses, naming what the measure counts."""
    model = planner.model
    reader = {k: v for k, v in model.reader.items() if k != "distinct_rows"}
    without = OfflinePlanner(dataclasses.replace(model, reader=reader), VALUES)
    with pytest.raises(PlanningError, match="counts order items, not distinct products"):
        without.plan(question)
    assert planner.plan(question).metrics == ("distinct_in:items_sold:product",)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("distinct items sold by department", "items_sold"),
        ("unique customers by country", "customers"),
        ("distinct orders by status", "orders"),
    ],
)
def test_distinct_before_a_count_of_its_own_rows_is_read(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """Where the measure counts the very things named, "distinct" changes nothing."""
    assert planner.plan(question).metrics == (metric,)


def test_a_ranking_orders_by_the_measure_its_word_names(planner: OfflinePlanner) -> None:
    """ "Which department of buyers brings the most revenue" ranks by revenue, the measure
    after "most", though "buyers" (customers) is named first."""
    plan = planner.plan("which department of buyers generates the most revenue")
    assert plan.limit == 1
    assert plan.metrics[0] == "revenue"


def test_a_period_that_could_date_the_people_or_their_orders_is_asked(
    planner: OfflinePlanner,
) -> None:
    """ "Users who placed an order in 2025": the users are not dated by words of their own,
    so the period dates their orders; a breakdown by period could still date either."""
    plan = planner.plan("how many users placed an order in 2025 by country")
    assert plan.time_window is None
    (condition,) = plan.conditions
    assert condition.window is not None
    assert condition.window.year == 2025
    with pytest.raises(PlanningError, match="dates the users or their orders"):
        planner.plan("for each year, how many users placed an order")
    assert planner.plan("customers with more than 2 orders in 2025").conditions
    assert planner.plan("users who joined in 2023 and never placed an order").conditions


def test_a_statistic_of_customers_ages_is_not_one_of_every_users(
    planner: OfflinePlanner,
) -> None:
    """ "Median customer age" is over the buyers (customers are buyers): the users with
    an item bought, never the median over every user."""
    plan = planner.plan("median customer age by country")
    (condition,) = plan.conditions
    assert (condition.op, condition.values) == (">=", (1,))
    assert planner.plan("revenue by customer age").dimensions == ("age",)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("items sold and revenue by brand, sorted by revenue, highest first", "revenue"),
        ("revenue and orders by country, sorted by orders, lowest first", "orders"),
        ("orders and revenue by category, ranked by revenue, top first", "revenue"),
    ],
)
def test_several_measures_are_ordered_by_the_one_sorted_by(
    planner: OfflinePlanner, question: str, first: str
) -> None:
    assert planner.plan(question).metrics[0] == first


@pytest.mark.parametrize(
    "question",
    [
        "customers who bought something shipped from each distribution center",
        "revenue from items shipped out of each warehouse",
    ],
)
def test_shipped_from_a_place_names_the_place_not_the_status(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    assert planned.dimensions == ("distribution_center",)
    assert not [f for f in planned.filters if f.dimension == "status"]


@pytest.mark.parametrize(
    "question",
    [
        "which distribution center shipped the most items",
        "which dc shipped the most items sold in 2025",
        "how many items did each distribution center ship in 2024",
        "which warehouse dispatched the most orders",
        "which distribution centers shipped more than 750 items in 2025",
    ],
)
def test_a_center_that_ships_names_the_center_not_the_status(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    assert "distribution_center" in planned.dimensions
    assert not [f for f in planned.filters if f.dimension == "status"]


@pytest.mark.parametrize(
    "question",
    ["top distribution center by items shipped", "orders shipped by distribution center"],
)
def test_rows_said_shipped_still_have_the_status(planner: OfflinePlanner, question: str) -> None:
    planned = planner.plan(question)
    assert [(f.dimension, f.values) for f in planned.filters] == [("status", ("Shipped",))]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("90th percentile of order value for 2025 orders", ("p90:revenue:order_id",)),
        ("average session length for sessions in 2025", ("avg:session_minutes:session_id",)),
    ],
)
def test_the_entities_a_statistic_is_over_may_be_restated(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    assert planner.plan(question).metrics == metrics


def test_a_count_beside_a_statistic_per_entity_is_still_refused(planner: OfflinePlanner) -> None:
    planned = planner.plan("median order value and number of orders by country")
    assert "orders" in planned.metrics  # a second measure asked, not a restatement
    with pytest.raises(PlanningError, match="beside another measure"):
        compile_plan(planned, planner.model)


@pytest.mark.parametrize(
    ("question", "dimension", "metric", "limit"),
    [
        ("most common browser across all website events", "browser", "events", 1),
        ("the 3 most frequent categories among items sold in 2025", "category", "items_sold", 3),
    ],
)
def test_the_most_common_value_among_rows_is_the_top_one_by_their_count(
    planner: OfflinePlanner, question: str, dimension: str, metric: str, limit: int
) -> None:
    planned = planner.plan(question)
    assert planned.dimensions == (dimension,)
    assert planned.metrics == (metric,)
    assert planned.limit == limit


def test_the_most_common_value_without_its_rows_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("the most common category")  # of products, or of items sold?


@pytest.mark.parametrize(
    "question",
    ["how many inventory items are still unsold", "How many inventory items are currently unsold?"],
)
def test_a_word_said_of_the_rows_after_are_names_them(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).metrics == ("unsold_inventory",)


def test_rows_that_fall_in_bands_given_after_are_counted_per_band(
    planner: OfflinePlanner,
) -> None:
    planned = planner.plan("How many users fall in each age band: under 18, 18-24, 25-64, 65+?")
    assert planned.bands[0].edges == (18, 25, 65)


def test_pull_and_exist_only_carry_the_request(planner: OfflinePlanner) -> None:
    assert planner.plan("could you pull the 10 cheapest products: name and retail price").rows
    assert planner.plan("which categories exist in the Women department").distinct


def test_a_breakdown_by_distribution_center_shows_its_id(planner: OfflinePlanner) -> None:
    sql = compile_plan(planner.plan("revenue by distribution center"), planner.model)
    assert "distribution_centers.id AS distribution_center_id" in sql


@pytest.mark.parametrize(
    "question",
    [
        "standard deviation of sale price for items sold, by category",
        "median sale price for items sold by brand",
    ],
)
def test_a_statistic_of_a_number_for_rows_a_count_names_keeps_its_rule(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    assert len(planned.metrics) == 1
    assert [f for f in planned.filters if f.dimension == "status" and f.negate]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many orders have more than 3 items in them", ("orders",)),
        ("How long is the average website session, in minutes?",
         ("avg:session_minutes:session_id",)),
        ("month over month growth in order count during 2025", ("orders",)),
        ("revenue last week (Mon-Sun)", ("revenue",)),
    ],
)  # fmt: skip
def test_words_that_point_back_or_restate_are_read(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    assert planner.plan(question).metrics == metrics


@pytest.mark.parametrize(
    "question",
    [
        "top 3 products by revenue in each category? Include product id and name.",
        "the best-selling product in every category, by items sold. Show the product id and name",
        "For each department, which single product brought in the most revenue?",
    ],
)
def test_a_keyed_breakdowns_own_columns_restate_it(planner: OfflinePlanner, question: str) -> None:
    planned = planner.plan(question)
    assert planned.dimensions[0] == "product"
    assert planned.per is not None


@pytest.mark.parametrize(
    ("question", "grain", "per"),
    [
        ("For each year, which month had the highest revenue?", "month", "year"),
        ("what was the best month for revenue in each year", "month", "year"),
        ("which quarter had the most orders in each year", "quarter", "year"),
    ],
)
def test_a_period_is_ranked_within_each_longer_one(
    planner: OfflinePlanner, question: str, grain: str, per: str
) -> None:
    planned = planner.plan(question)
    assert (planned.grain, planned.per, planned.limit) == (grain, per, 1)
    sql = compile_plan(planned, planner.model)
    assert "QUALIFY" in sql
    assert "PARTITION BY EXTRACT(YEAR FROM" in sql


def test_a_ranking_per_group_the_query_cannot_restart_is_refused(
    planner: OfflinePlanner,
) -> None:
    planned = dataclasses.replace(planner.plan("top 3 categories by revenue"), per="brand")
    with pytest.raises(PlanningError, match="restarts in each brand"):
        compile_plan(planned, planner.model)


def test_a_keyed_breakdowns_columns_for_another_answer_are_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="id and name were asked for"):
        planner.plan("top 5 brands by revenue, include product id and name")


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("customers and distinct products sold by category, most customers first", "customers"),
        ("revenue and orders by country, most orders first", "orders"),
        ("customers and revenue by brand, sorted by revenue descending", "revenue"),
    ],
)
def test_the_rows_are_ordered_by_the_measure_named_first(
    planner: OfflinePlanner, question: str, first: str
) -> None:
    planned = planner.plan(question)
    assert planned.metrics[0] == first
    assert planned.order == "desc"


@pytest.mark.parametrize(
    "question",
    [
        "How many customers have spent more than $500 in total over their lifetime?",
        "Which countries had at least 300 orders in 2024, and how many orders did each have?",
        "Item return rate by age decade, across all time",
        "how many products aren't in the Men's department",
        "new signups per month in 2025, alongside a 3-month rolling average",
    ],
)
def test_plain_phrasings_are_read(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics


def test_a_filter_on_what_another_measure_is_computed_from_is_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="computed from status"):
        planner.plan("value of returned items and item return rate by brand")


@pytest.mark.parametrize(
    "question",
    [
        "On average, how many days pass between a customer's consecutive orders (orders of "
        "any status)?",
        "Count of orders and average items per order (items of any status) for each status",
    ],
)
def test_rows_restated_in_parentheses_are_read_when_the_question_needs_it(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    assert planned.question == question
    assert planned.metrics


def test_a_restatement_that_does_not_help_keeps_the_first_refusal(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="'florp'"):
        planner.plan("florp revenue (orders of any status)")


@pytest.mark.parametrize(
    "question",
    [
        "Revenue year to date vs the same period last year, side by side.",
        "Break down our users by the standard age bands.",
        "How many products are not in the Jeans category?",
        "How many users fall in each of the default age bands (under 18, 18-24, 25-64, 65+)?",
    ],
)
def test_words_that_only_frame_the_question_are_read(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).metrics


@pytest.mark.parametrize(
    ("question", "dimensions", "metrics"),
    [
        ("Top 10 customers by lifetime revenue: user id, country and revenue.",
         ("customer_id", "country"), ("revenue",)),
        ("Which 10 orders had the highest order value? Show order id, user id and order value.",
         ("order_id", "customer_id"), ("revenue",)),
        ("top 5 brands by revenue: brand, revenue and items sold", ("brand",),
         ("revenue", "items_sold")),
    ],
)  # fmt: skip
def test_columns_listed_after_a_ranking_of_things_are_shown(
    planner: OfflinePlanner,
    question: str,
    dimensions: tuple[str, ...],
    metrics: tuple[str, ...],
) -> None:
    planned = planner.plan(question)
    assert planned.dimensions == dimensions
    assert planned.metrics == metrics
    assert planned.per is None


def test_columns_listed_after_a_breakdown_of_many_are_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="ranking of single things"):
        planner.plan("top 5 categories by revenue: category, country and revenue")


@pytest.mark.parametrize(
    "question",
    [
        "For inventory items received in 2024, what's the sell-through rate by department?",
        "Total sale value of all order items created in 2024, regardless of status.",
    ],
)
def test_the_moment_that_dates_the_rows_restates_their_period(
    planner: OfflinePlanner, question: str
) -> None:
    planned = planner.plan(question)
    assert planned.time_window is not None
    assert planned.time_window.year == 2024


@pytest.mark.parametrize(
    ("question", "metric", "value"),
    [
        ("Which categories have an item return rate above 10%?", "item_return_rate", 10),
        ("categories with a gross margin over 54", "gross_margin_pct", 54),
    ],
)
def test_a_rate_of_a_group_can_be_a_condition(
    planner: OfflinePlanner, question: str, metric: str, value: int
) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.op, condition.values) == (metric, ">", (value,))


def test_a_percent_condition_on_an_amount_is_not_read(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="'above'"):
        planner.plan("brands with revenue above 10%")


def test_rows_named_bare_beside_a_rate_of_every_row_are_asked_about(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="could be all of them"):
        planner.plan("item return rate and number of items by category")
    assert planner.plan("item return rate and items sold by category").metrics == (
        "item_return_rate",
        "items_sold",
    )


def test_columns_of_ranked_things_are_said_to_be_theirs(planner: OfflinePlanner) -> None:
    from lgda_nb.planner._interpret import interpret

    planned = planner.plan("Top 10 customers by lifetime revenue: user id, country and revenue.")
    said = interpret(planned, planner.model)
    assert "shown with their country" in said
    assert "by country" not in said


@pytest.mark.parametrize(
    ("question", "match"),
    [
        ("avg days between ship and delivery for order items", "not on items yet"),
        ("For each year, which month had the highest revenue by department?",
         "ranked within each year and also per group"),
        ("Which 10 orders had the highest order value? Show order id, category and order value.",
         "Each order has no single category"),
    ],
)  # fmt: skip
def test_readings_not_supported_yet_are_refused_with_a_reason(
    planner: OfflinePlanner, question: str, match: str
) -> None:
    with pytest.raises(PlanningError, match=match) as refused:
        planner.plan(question)
    assert refused.value.hint


def test_a_typed_query_bucket_width_is_checked(planner: OfflinePlanner) -> None:
    import json

    from lgda_nb.planner._query import plan_from_query, query_of

    question = "distribution of 2025 order values in $50 buckets"
    query = json.loads(json.dumps(query_of(planner.plan(question))))
    assert plan_from_query(question, query, planner.model).by_measure_width == 50
    for bad, match in ((-5, "positive number"), ("wide", "positive number")):
        with pytest.raises(PlanningError, match=match):
            plan_from_query(question, {**query, "by_measure_width": bad}, planner.model)
    with pytest.raises(PlanningError, match="buckets the values of 'by_measure'"):
        plan_from_query(question, {**query, "by_measure": None}, planner.model)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how much stock do we have in Houston TX", "unsold_inventory"),
        ("stock by category", "unsold_inventory"),
        ("stock items by brand", "unsold_inventory"),
        ("stock value by department", "unsold_inventory_value"),
        ("inventory items by category", "inventory_items"),
        ("inventory value by category", "inventory_value"),
    ],
)
def test_stock_is_what_is_still_unsold_and_inventory_every_item(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """As stock value is the cost of the unsold items, stock is the unsold items; the
    inventory is every item received."""
    assert planner.plan(question).metrics == (metric,)


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("2025 revenue by months", "2025 revenue by month"),
        ("break 2025 revenue into months", "2025 revenue by month"),
        ("revenue split into quarters", "revenue by quarter"),
        ("orders by days to ship", "orders by days to ship"),  # a number of days
        ("users by years of age", "users by years of age"),
    ],
)
def test_periods_said_in_the_plural_are_a_series(typed: str, spelled: str) -> None:
    assert normalize(typed) == spelled


@pytest.mark.parametrize(
    "question",
    [
        "inventory items created per quarter in 2025 for the Chicago IL center",
        "revenue by center",
    ],
)
def test_a_center_is_a_distribution_center(planner: OfflinePlanner, question: str) -> None:
    assert "distribution_center" in {
        *planner.plan(question).dimensions,
        *(f.dimension for f in planner.plan(question).filters),
    }


@pytest.mark.parametrize(
    "question",
    [
        "gross margin % by brand for 2025 - only brands with at least 100 items sold that year",
        "revenue by category in Q3 2025, only categories with over 50 items sold in that quarter",
    ],
)
def test_that_year_names_the_questions_period_again(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.time_window is not None
    assert len(plan.conditions) == 1


def test_that_years_share_is_still_within_the_year(planner: OfflinePlanner) -> None:
    plan = planner.plan("each month's share of that year's revenue, for 2024")
    assert plan.share_within == "year"


@pytest.mark.parametrize(
    ("question", "earlier"),
    [
        ("revenue in Q1 2025 vs the same period last year", "Q1 2024"),
        ("revenue in March 2025 vs same time last year", "March 2024"),
        ("orders in 2025 vs the same period last year", "in 2024"),
    ],
)
def test_the_same_period_last_year_is_the_windows_own_unit(
    planner: OfflinePlanner, question: str, earlier: str
) -> None:
    """It compared Q1 2025 with Q4 2024 (the period before), dropping "last year"."""
    plan = planner.plan(question)
    assert plan.compare
    assert plan.compare_with is not None
    assert plan.compare_with.label == earlier


def test_the_same_period_last_year_needs_a_month_quarter_or_year(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="needs a month, quarter or year"):
        planner.plan("revenue last 30 days vs the same period last year")


@pytest.mark.parametrize(
    "question",
    [
        "whats our AOV looking like for 2025",
        "take our 5 biggest categories by 2025 revenue - what's their revenue?",
        "how many items in Houston TX are marked as Jeans",
        "How many orders were placed in 2024, not counting cancelled ones?",
        "orders by status in 2025 excluding the returned ones",
    ],
)
def test_words_that_say_nothing_where_they_stand(planner: OfflinePlanner, question: str) -> None:
    planner.plan(question)  # read, not refused over "looking", "take", "marked" or "ones"


@pytest.mark.parametrize(
    "question", ["marked orders", "take rate by month", "which ones sold the most"]
)
def test_the_same_words_elsewhere_are_still_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    "question",
    [
        "Among customers who bought in 2025, how many distinct categories did each buy from "
        "that year on average?",
        "how many distinct categories did each customer buy from on average in 2025",
    ],
)
def test_an_average_of_a_distinct_count_per_thing_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """It was answered with the count over all customers (and a count of customers)."""
    with pytest.raises(PlanningError, match="average of a count of distinct values"):
        planner.plan(question)


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("products nobody has ever ordered", "products never ordered"),
        ("brands that no one bought", "brands never bought"),
    ],
)
def test_nobody_ordered_is_never_ordered(typed: str, spelled: str) -> None:
    assert normalize(typed) == spelled


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("transit time by distribution center, fastest first", "asc"),
        ("average delivery time by country for orders placed in 2025, slowest first", "desc"),
    ],
)
def test_a_measure_of_time_ordered_by_its_speed(
    planner: OfflinePlanner, question: str, order: str
) -> None:
    assert planner.plan(question).order == order


def test_speed_is_no_order_of_another_measure(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="fastest"):
        planner.plan("revenue by distribution center, fastest first")


@pytest.mark.parametrize(
    ("question", "window"),
    [
        ("rev 2024 vs 2025, one row per year", "IN (2024, 2025)"),
        ("March vs April 2025 - how many orders in each month?",
         "BETWEEN CAST('2025-03-01' AS DATE) AND CAST('2025-04-01' AS DATE)"),
    ],
)  # fmt: skip
def test_two_periods_against_each_other_per_period_are_the_series_over_them(
    planner: OfflinePlanner, question: str, window: str
) -> None:
    """Refused before as a comparison of a series; the rows asked are the series."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert window in sql
    assert "GROUP BY 1" in sql
    assert "previous" not in sql


def test_a_row_asked_for_is_no_column_named_by_its_last_word(planner: OfflinePlanner) -> None:
    """ "with a row for all statuses" was read as "with their status" (its last word a
    column), silently leaving the total row out; a column said in two words still is."""
    with pytest.raises(PlanningError, match="'row'"):
        planner.plan("orders by status, with a row for all statuses")
