"""Small readings that used to give a wrong answer: "65+", "(every status)", the whole a
share is within, a participle naming the part, distinct things named by a value, and a
count asked beside the part of it."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model

VALUES = {
    "country": ["Brasil", "China", "Germany", "United States"],
    "category": ["Jeans", "Swim"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
    "department": ["Men", "Women"],
    "acquisition_channel": ["Email", "Search"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("Number of users aged 65+ who signed up in 2025", "users.age >= 65"),
        ("products priced 100+", "products.retail_price >= 100"),
    ],
)
def test_a_number_with_a_plus_is_at_least_it(
    planner: OfflinePlanner, question: str, column: str
) -> None:
    assert column in compile_plan(planner.plan(question), planner.model)


def test_every_status_in_parentheses_is_the_scope_not_a_breakdown(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("median sale price across all order items (every status)?")
    assert plan.dimensions == ()


@pytest.mark.parametrize(
    "question",
    [
        "2025: what % of each department's revenue does each of its categories account for?",
        "2025: break each department's revenue down by category, as a % of that department",
        "each category's share of its department's revenue",
    ],
)
def test_the_whole_of_a_share_within_a_group(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.share_within == "department"


@pytest.mark.parametrize(
    ("question", "within"),
    [
        ("each status's share of the country's orders, by country", "country"),
        ("For each country, each status's share of that country's orders", "country"),
        ("each category's share of the department's revenue, by department", "department"),
    ],
)
def test_the_whole_of_a_share_named_after_of_the(
    planner: OfflinePlanner, question: str, within: str
) -> None:
    """The group said as the possessor of the whole ("of the country's orders") is the
    one the shares restart in, though both breakdowns are said as possessors."""
    assert planner.plan(question).share_within == within


@pytest.mark.parametrize(
    "question",
    ["pct of orders cancelled by user country, 2024", "% of orders cancelled by country"],
)
def test_a_participle_after_the_rows_names_the_part_of_each_group(
    planner: OfflinePlanner, question: str
) -> None:
    """The cancelled orders of each country over that country's orders, not each
    country's share of all cancelled orders."""
    plan = planner.plan(question)
    sql = compile_plan(plan, planner.model)
    assert "PARTITION BY" in sql or "GROUP BY" in sql.split("whole AS", 1)[-1]
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Cancelled",))]
    assert plan.dimensions == ("country",)
    assert "OVER ()" not in sql


def test_a_participle_without_a_breakdown_keeps_the_models_rate(planner: OfflinePlanner) -> None:
    assert planner.plan("what share of orders ended up returned").metrics == ("order_return_rate",)


def test_distinct_things_named_by_a_value_are_counted(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year by year: how many unique customers bought something from the Jeans category, "
        "and how many distinct Jeans products were sold?"
    )
    assert set(plan.metrics) == {"customers", "distinct_in:items_sold:product"}
    assert [(f.dimension, f.values) for f in plan.filters] == [("category", ("Jeans",))]


def test_how_many_before_a_value_counts_the_things(planner: OfflinePlanner) -> None:
    """Before, "how many Jeans products" only named the rows and was dropped unsaid."""
    plan = planner.plan("how many customers bought Jeans, and how many Jeans products are there")
    assert set(plan.metrics) == {"customers", "products"}


def test_the_count_asked_beside_how_many_of_those(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "For each 2025 signup month: number of new registrations, and how many of those "
        "people placed an order within 30 days of registering"
    )
    assert "users" in plan.metrics
    assert len(plan.metrics) == 2


def test_sessions_ranked_within_each_group_are_refused_not_ranked_overall(
    planner: OfflinePlanner,
) -> None:
    """The ranking restarting per traffic source was dropped: one row for all of them."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="within each"):
        planner.plan(
            "For each website traffic source, which browser had the most sessions with a "
            "purchase event in 2025?"
        )


def test_a_share_within_each_group_keeps_a_group_without_the_part(
    planner: OfflinePlanner,
) -> None:
    sql = compile_plan(planner.plan("% of orders cancelled by country"), planner.model)
    assert "FROM whole LEFT JOIN part" in sql
    assert "COALESCE(part.orders, 0)" in sql


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How is revenue this year so far tracking against the same stretch of last year? "
         "Both totals plus the % difference.", "year_to_date"),
        ("How concentrated is revenue? % of all-time revenue generated by our top 10% of "
         "customers", None),
        ("what fraction of all-time revenue do the top 10% of brands account for?", None),
    ],
)  # fmt: skip
def test_shorthand_of_comparisons_and_concentration(
    planner: OfflinePlanner, question: str, kind: str | None
) -> None:
    plan = planner.plan(question)
    if kind is None:
        assert plan.top_percent == 10
    else:
        assert plan.time_window is not None
        assert plan.time_window.kind == kind
        assert plan.compare


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("average days in stock by department", "duration:DAY:avg:stocked:sold"),
        ("What's our current stock value?", "unsold_inventory_value"),
    ],
)
def test_stock_phrases_of_the_model(planner: OfflinePlanner, question: str, metric: str) -> None:
    """Taught in the model's [[synonyms]]: "days in stock" is from receipt to sale, not
    the unsold items ("in stock")."""
    plan = planner.plan(question)
    assert plan.metrics[0] == metric


@pytest.mark.parametrize(
    ("question", "rank_by"),
    [
        ("top 5 brands by 2025 rev, w/ 2024 rev and YoY %", None),  # by the later year's
        ("top 5 categories by revenue growth, 2025 vs 2024", "change"),
        ("which 5 countries grew revenue the most, 2025 vs 2024", "change"),
    ],
)
def test_what_a_ranking_of_a_comparison_is_by(
    planner: OfflinePlanner, question: str, rank_by: str | None
) -> None:
    plan = planner.plan(question)
    assert plan.compare
    assert plan.rank_by == rank_by


def test_the_largest_increase_is_in_units_and_the_largest_growth_in_percent(
    planner: OfflinePlanner,
) -> None:
    """An increase is the difference itself (the change in % is shown beside it); growth
    is the change in %, as "top 5 by growth" is."""
    plan = planner.plan(
        "Which category had the largest increase in units sold, Q3 2025 vs Q2 2025?"
    )
    assert (plan.rank_by, plan.limit) == ("difference", 1)
    plan = planner.plan("Which category had the largest growth in units sold, Q3 2025 vs Q2 2025?")
    assert (plan.rank_by, plan.limit) == ("change", 1)


def test_columns_after_just_in_a_sentence_of_their_own(planner: OfflinePlanner) -> None:
    plan = planner.plan("which distribution centers do we have? just the id and name")
    assert plan.rows is not None
    assert [c.split(".")[-1] for c in plan.columns] == ["id", "name"]


def test_hold_and_sit_only_carry_the_verb(planner: OfflinePlanner) -> None:
    plan = planner.plan("How many unsold inventory items sit in each distribution center?")
    assert plan.dimensions == ("distribution_center",)


@pytest.mark.parametrize(
    "question",
    [
        "What percent of all orders falls under each status?",
        "share of registered users by country (%)",
        "Yearly breakdown: percentage of each year's orders coming from each country",
    ],
)
def test_shares_by_a_breakdown_in_other_words(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).share


@pytest.mark.parametrize(
    "question",
    [
        "Brands whose 2025 revenue exceeded $20,000 - list them with that revenue.",
        "Brands with more than $20k of revenue in 2025 - list them with their revenue",
    ],
)
def test_exceeded_is_more_than(planner: OfflinePlanner, question: str) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.op, condition.values) == (">", (20000,))


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("how many users are 60 or older?", "users.age >= 60"),
        ("How many users are 30 or younger?", "users.age <= 30"),
        (
            "how many products have a retail price of at least $100 and at most $150",
            "products.retail_price BETWEEN 100 AND 150",
        ),
        ("how many customers spent north of $500", "SUM(order_items.sale_price) > 500"),
    ],
)
def test_bounds_said_with_or_older_at_most_and_north_of(
    planner: OfflinePlanner, question: str, column: str
) -> None:
    assert column in compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "user count with no orders whatsoever",
        "How many users have never placed an order, not even once?",
        "How many users have never placed an order (at any time)?",
    ],
)
def test_emphasis_after_never_restates_it(planner: OfflinePlanner, question: str) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.values) == ("orders", (0,))


def test_one_number_please_and_as_well_are_read_as_said(planner: OfflinePlanner) -> None:
    one = planner.plan("total 2025 revenue except Jeans? One number please.")
    assert not one.dimensions
    both = planner.plan("Top 5 brands by 2025 revenue, with their items sold as well.")
    assert both.metrics == ("revenue", "items_sold")


@pytest.mark.parametrize(
    "question",
    [
        "revenue from Shipped items and revenue from Complete items by month",
        "orders from Brasil and orders from China by month",
    ],
)
def test_one_measure_named_twice_with_its_own_value_is_refused_not_added_up(
    planner: OfflinePlanner, question: str
) -> None:
    """Each was one measure over both values, added up."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert "add the two up" in caught.value.message
    assert "kept to those values" in caught.value.hint


@pytest.mark.parametrize(
    ("question", "metric", "dimension", "values"),
    [
        ("orders from Brasil vs orders from China in 2025", "orders", "country",
         ("Brasil", "China")),
        ("How many orders did users in Brasil place in 2025 compared with users in China?",
         "orders", "country", ("Brasil", "China")),
        ("avg age of users acquired through Email compared to users from Search",
         "average_age", "acquisition_channel", ("Email", "Search")),
        ("average delivery time for orders from US users compared with orders from users in "
         "China", "days_to_deliver", "country", ("United States", "China")),
        # The breakdown named again with each value, and the rows of an average said again.
        ("orders with status Complete vs orders with status Shipped", "orders", "status",
         ("Complete", "Shipped")),
        ("Average sale price of order items with status Complete compared with items with "
         "status Returned", "average_item_price", "status", ("Complete", "Returned")),
    ],
)  # fmt: skip
def test_one_measure_named_again_for_a_value_set_against_the_first_is_a_row_each(
    planner: OfflinePlanner, question: str, metric: str, dimension: str, values: tuple[str, ...]
) -> None:
    """Refused before as one measure over both values; the rows said again after "vs" or
    "compared with" are not a second measure either."""
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert plan.dimensions == (dimension,)
    (kept,) = [f for f in plan.filters if f.dimension == dimension]
    assert set(kept.values) == set(values)


@pytest.mark.parametrize(
    "question",
    [
        "among customers whose first order fell in each month of 2024, what % ordered again "
        "the next month",
        "for customers whose first order was in each month of Jan-Jun 2025, how many were "
        "there and what % ordered again in the following calendar month?",
        "for each first-order cohort month in 2025, show cohort size and the % of the cohort "
        "that ordered again in the next month",
    ],
)
def test_a_retention_rate_is_shown_with_its_cohort_and_the_count(
    planner: OfflinePlanner, question: str
) -> None:
    """The cohort a retention % is of (new customers) is shown beside it; "how many
    were there" was dropped before, and "what %" was refused."""
    plan = planner.plan(question)
    assert plan.dimensions == ("first_order_month",)
    assert set(plan.metrics) == {"new_customers", "retained_next_month", "next_month_retention"}


def test_what_percent_of_things_with_a_condition_is_not_a_paired_rate(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("what % of customers have more than one order")
    assert plan.metrics == ("customers",)
    assert plan.share


@pytest.mark.parametrize(
    "question",
    [
        "number of 2025 orders and returned orders by country",
        "revenue and returned revenue by category",
        "For each country: number of 2025 orders and how many of those were returned",
        "orders in 2024 by month, and of them how many were cancelled",
        # Read as a list of the returned orders sorted by country before:
        "returned orders and orders by country",
        "orders and returned orders by country",
        # The returned orders alone before, "total" read as a word between:
        "returned orders and total orders per country",
        "returned orders & all orders by country",
    ],
)
def test_a_measure_beside_the_same_measure_of_some_rows_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """Each was the measure of those rows alone: every row of the answer filtered, the
    measure of all of them (asked for first) missing."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert "only the" in caught.value.message
    assert "in its own question" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("orders and cancelled orders per month in 2024", ("orders", "cancelled_orders")),
        ("orders, cancellations by country", ("orders", "cancelled_orders")),
        ("revenue and returned items by category", ("revenue", "returned_items")),
    ],
)
def test_a_measure_of_some_rows_listed_beside_another_is_shown_beside_it(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """Listed, "cancelled orders" is a measure of its own, not a filter on the orders."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert not plan.filters


@pytest.mark.parametrize(
    "question",
    [
        "sales of returned items by category",
        "Returned orders by customer country, orders placed in 2024",
        "How many Jeans products are in the catalogue?",
    ],
)
def test_a_value_naming_the_rows_measured_is_still_their_filter(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).filters


def test_two_words_for_one_measure_side_by_side_are_one_mention(planner: OfflinePlanner) -> None:
    """ "Email traffic sessions": "traffic" and "sessions" both name sessions, with no mark
    between them; only the same word twice ("returned orders & orders") is two."""
    plan = planner.plan("For Email traffic in the last 30 days: sessions per day")
    assert plan.metrics == ("sessions",)


@pytest.mark.parametrize(
    ("question", "order"),
    [
        # A period or breakdown named between the superlative and "first" was refused:
        ("orders by hour of day (UTC), busiest hour first", "desc"),
        ("orders by weekday, busiest day first", "desc"),
        ("revenue by brand, biggest brand first", "desc"),
        ("revenue by category in 2024, smallest first", "asc"),
        ("revenue by category, largest first", "desc"),
        # "quietest first" was ordered highest first:
        ("orders by weekday, quietest first", "asc"),
        ("orders by country, quietest first", "asc"),
        # a price or a cost ordered as one: "most expensive", "cheapest" (were refused)
        ("average product cost per category, most expensive first", "desc"),
        ("average product cost per category, most expensive category first", "desc"),
        ("average product price by brand, priciest first", "desc"),
        ("avg retail price by department, least expensive first", "asc"),
        ("average sale price by category, cheapest category first", "asc"),
        ("Average Product Cost per Category, Cheapest First", "asc"),
    ],
)
def test_an_order_said_as_a_superlative_first(
    planner: OfflinePlanner, question: str, order: str
) -> None:
    assert planner.plan(question).order == order


@pytest.mark.parametrize(
    "question", ["revenue by category, latest first", "users by country, youngest first"]
)
def test_a_superlative_first_that_is_no_amount_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """ "latest first" orders by a time, not by the measure: refused, not read as highest."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("orders by category, most expensive first", "orders"),
        ("revenue by brand, most expensive first", "revenue"),
        ("users by country, cheapest first", "users"),
    ],
)
def test_a_price_order_over_a_measure_that_is_no_price_is_refused(
    planner: OfflinePlanner, question: str, measure: str
) -> None:
    """ "Most expensive first" orders by a price or a cost: over orders or revenue it is
    refused with a sentence that says so, never read as the most orders."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="orders by a price or a cost") as info:
        planner.plan(question)
    assert f"and {measure} is not one" in info.value.message
    assert "highest first" in (info.value.hint or "")


@pytest.mark.parametrize(
    "question", ["revenue by category, oldest first", "items sold by department, earliest first"]
)
def test_time_order_over_groups_that_are_no_periods_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """ "Oldest first" is time order: over categories it was dropped without a word (the
    rows came in another order); now it is refused with a sentence that says why."""
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="asks for time order") as info:
        planner.plan(question)
    assert "by month" in (info.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "Show revenue by year, oldest first.",
        "users by signup year, oldest first",
        "cancellation rate by year (orders), oldest year first",
    ],
)
def test_time_order_over_periods_or_time_like_groups_is_read(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.grain is not None or any(planner.model.dimensions[d].time for d in plan.dimensions)


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("revenue in H1 2025", 1, 6),
        ("revenue in the first half of 2025", 1, 6),
        ("orders by month in h2 2024", 7, 12),
        ("revenue by category for 2025 H2", 7, 12),
        ("revenue in the second half of the year 2025", 7, 12),
    ],
)
def test_a_half_year_is_its_six_months(
    planner: OfflinePlanner, question: str, first: int, last: int
) -> None:
    """ "H1 2025" and "the second half of 2024" were refused; they are six whole months."""
    window = planner.plan(question).time_window
    assert window is not None
    assert (window.kind, window.month, window.n) == ("month_range", first, last)


def test_two_halves_compared_are_compared(planner: OfflinePlanner) -> None:
    """Refused once (naming 'h2' and 'h1'); each half is its six months now."""
    plan = planner.plan("revenue by category, H2 2025 vs H1 2025")
    assert plan.compare
    assert plan.time_window is not None
    assert plan.compare_with is not None
    assert (plan.time_window.month, plan.compare_with.month) == (7, 1)


@pytest.mark.parametrize(
    "question",
    [
        "top 5 brands in the Jeans category by 2025 revenue, with each brand's share of total "
        "Jeans revenue",
        "revenue by brand in Jeans, with each brand's share of Jeans revenue",
    ],
)
def test_a_share_of_the_filtered_total_named_after_the_measure_is_of_the_rows_shown(
    planner: OfflinePlanner, question: str
) -> None:
    """The measure was named before the share ("by 2025 revenue"), and the share's whole
    after it names the value ("of total Jeans revenue"): each brand's share of the Jeans
    total, ranked by revenue, not each brand's Jeans share of its own revenue."""
    plan = planner.plan(question)
    assert plan.share_of_rows
    sql = compile_plan(plan, planner.model)
    assert "whole" not in sql
    assert "OVER ()" in sql
    assert "products.category = 'Jeans'" in sql


def test_a_share_named_before_the_values_is_still_a_part_of_the_whole(
    planner: OfflinePlanner,
) -> None:
    """ "What % of revenue comes from Jeans, by brand": the value is the part."""
    plan = planner.plan("what share of revenue comes from Jeans, by brand")
    assert not plan.share_of_rows
    assert "whole" in compile_plan(plan, planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "monthly retention for 2025 cohorts (Jan-Nov): customers whose first order was in "
        "each month, and what % ordered again the next month. show cohort size too",
        "for 2025 cohorts: customers whose first order was in each month, and what % "
        "ordered again the next month",
    ],
)
def test_cohorts_by_first_order_month_are_dated_by_the_first_order(
    planner: OfflinePlanner, question: str
) -> None:
    """ "2025 cohorts" beside a first-order breakdown are those cohorts: the window is on
    the first order, not on the signup date."""
    plan = planner.plan(question)
    assert plan.dimensions == ("first_order_month",)
    assert plan.time_column is None
    sql = compile_plan(plan, planner.model)
    assert "users.created_at" not in sql
    assert "first_orders.first_at" in sql.split("WHERE")[-1]


def test_a_signup_named_beside_a_first_order_breakdown_still_dates_the_signup(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("new customers by first order month for users who signed up in 2025")
    assert plan.time_column == "users.created_at"


@pytest.mark.parametrize(
    ("question", "ranked", "shown"),
    [
        ("top 5 brands by revenue, smallest first", "desc", "asc"),
        ("top 5 brands by revenue, lowest revenue first", "desc", "asc"),
        ("bottom 3 categories by revenue, highest first", "asc", "desc"),
        ("top 5 countries by orders, fewest first", "desc", "asc"),
    ],
)
def test_a_ranking_asked_in_the_other_order_keeps_its_rows_and_shows_them_so(
    planner: OfflinePlanner, question: str, ranked: str, shown: str
) -> None:
    """The display order used to be dropped: the rows were right, their order not."""
    plan = planner.plan(question)
    assert (plan.order, plan.display) == (ranked, shown)
    from lgda_nb.planner._interpret import interpret

    said = interpret(plan, planner.model)
    assert said.endswith("lowest first" if shown == "asc" else "highest first")
    sql = compile_plan(plan, planner.model)
    inner, outer = sql.rsplit(") AS ranked", 1)
    assert f"LIMIT {plan.limit}" in inner
    assert ("DESC" in outer.split(",")[0]) == (shown == "desc")


@pytest.mark.parametrize(
    "question",
    [
        "top 5 brands by revenue",
        "top 5 brands by revenue, highest first",
        "bottom 3 brands by revenue, lowest first",
    ],
)
def test_a_ranking_in_its_own_order_is_one_query(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.display is None
    assert "ranked" not in compile_plan(plan, planner.model)


def test_a_ranking_shown_smallest_first_runs_in_that_order(engine: object) -> None:
    from lgda_nb import Engine

    assert isinstance(engine, Engine)
    shown = engine.ask("top 5 brands by revenue, smallest first").df
    ranked = engine.ask("top 5 brands by revenue").df
    assert list(shown["brand"]) == list(reversed(ranked["brand"]))
    assert shown["revenue"].is_monotonic_increasing


def test_a_display_order_in_a_typed_query_is_checked() -> None:
    from lgda_nb.planner import load_model
    from lgda_nb.planner._query import plan_from_query

    model = load_model()
    query = {"metrics": ["revenue"], "dimensions": ["brand"], "order": "desc", "limit": 5}
    plan = plan_from_query("q", {**query, "display": "asc"}, model)
    assert plan.display == "asc"
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError, match="not a display order"):
        plan_from_query("q", {**query, "display": "sideways"}, model)


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("How many of our users are 65+?", "users.age >= 65"),
        ("how many users are over 65", "users.age > 65"),
        ("users under 30 by gender", "users.age < 30"),
        ("customers who are under 25", "users.age < 25"),
        ("users over 65 years old", "users.age > 65"),
        ("how many users are 65 or older", "users.age >= 65"),
        # A clause about them between, read as usual.
        ("How many users who came in via Search are under 25?", "users.age < 25"),
        ("users in the United States who are under 25 - count?", "users.age < 25"),
        ("how many customers who live in China are over 40", "users.age > 40"),
    ],
)
def test_a_bare_number_said_of_people_is_their_age(
    planner: OfflinePlanner, question: str, condition: str
) -> None:
    """The model's one number of people said with "older"/"younger" is what a bare
    bound right after the people means; "users aged 65+" was read, "users are 65+" not."""
    assert condition in compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "customers over 5 orders",
        "customers over 500",
        "customers over 2 years",
        "customers whose orders were over 5",  # the orders', not the customers' age
    ],
)
def test_a_number_with_a_unit_or_out_of_range_is_not_an_age(
    planner: OfflinePlanner, question: str
) -> None:
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("revenue by category in ascending order", "ASC"),
        ("orders by status in descending order", "DESC"),
    ],
)
def test_in_ascending_order_is_a_direction_not_the_orders_rows(
    planner: OfflinePlanner, question: str, direction: str
) -> None:
    """ "In ascending order" was read as a list of orders and refused."""
    sql = compile_plan(planner.plan(question), planner.model)
    first_key = sql.split("ORDER BY ")[1].split(",")[0]
    assert (" DESC" in first_key) == (direction == "DESC")


@pytest.mark.parametrize(
    ("question", "dimension", "order"),
    [
        ("brands by revenue", "brand", "auto"),
        ("countries by orders, lowest first", "country", "asc"),
        ("rank the departments by revenue", "department", "auto"),
        ("categories ranked by items sold in 2024", "category", "auto"),
        ("brands sorted by revenue, highest first", "brand", "desc"),
    ],
)
def test_groups_named_before_the_measure_they_are_ranked_by(
    planner: OfflinePlanner, question: str, dimension: str, order: str
) -> None:
    """ "Countries by orders" was refused ('countries' not understood); it is the usual
    "orders by country" said the other way round."""
    plan = planner.plan(question)
    assert plan.dimensions == (dimension,)
    assert plan.order == order
    assert "DESC" in compile_plan(plan, planner.model) or order == "asc"


@pytest.mark.parametrize("question", ["users by country", "orders by status"])
def test_a_measure_named_first_is_read_as_before(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == (question.split(maxsplit=1)[0],)


def test_a_running_total_beside_growth_is_shown_and_adds_up_the_periods_shown(
    engine: object,
) -> None:
    """Growth with a running total dropped the total from the answer, and the total it
    computed ran from the first month of the data, not the first month shown."""
    from lgda_nb import Engine

    assert isinstance(engine, Engine)
    df = engine.ask("2025 by month: revenue, MoM growth % and running total revenue").df
    assert list(df.columns) == [
        "month",
        "revenue",
        "revenue_previous",
        "growth_pct",
        "cumulative_revenue",
    ]
    assert df["cumulative_revenue"].iloc[0] == pytest.approx(df["revenue"].iloc[0])
    assert df["cumulative_revenue"].iloc[-1] == pytest.approx(df["revenue"].sum(), abs=0.05)


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("revenue by year 2022 to 2025", (2022, 2025)),
        ("signups per year, 2023-2025", (2023, 2025)),
        ("yearly revenue 2021 thru 2025", (2021, 2025)),
        ("revenue by year from 2025 to 2022", (2022, 2025)),
    ],
)
def test_a_range_of_years_said_bare_is_read(
    planner: OfflinePlanner, question: str, years: tuple[int, int]
) -> None:
    """ "2022 to 2025" and "2023-2025" needed "from" or "between" before them."""
    window = planner.plan(question).time_window
    assert window is not None
    assert (window.kind, window.years) == ("year_range", years)


@pytest.mark.parametrize(
    ("question", "same_as"),
    [
        ("revenue by department for calendar year 2024", "revenue by department in 2024"),
        ("revenue in the year 2024", "revenue in 2024"),
        ("revenue by country in the first quarter of 2025", "revenue by country in Q1 2025"),
        ("orders in 3rd quarter 2024", "orders in Q3 2024"),
        (
            "monthly revenue in 2025 plus a running total",
            "monthly revenue in 2025 and a running total",
        ),
        (
            "top 3 brands by revenue inside each category",
            "top 3 brands by revenue within each category",
        ),
    ],
)
def test_everyday_wordings_read_as_their_plain_form(
    planner: OfflinePlanner, question: str, same_as: str
) -> None:
    said = compile_plan(planner.plan(question), planner.model)
    assert said == compile_plan(planner.plan(same_as), planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "within each department, what % of the department's 2025 revenue does each category "
        "account for",
        "within each department, what % of the dept's 2025 revenue does each category account for",
    ],
)
def test_the_group_named_again_as_the_whole_is_read(planner: OfflinePlanner, question: str) -> None:
    """ "Of the department's revenue" restates the group the shares are within; it was
    left over and refused."""
    plain = "for each department, what share of its 2025 revenue comes from each category"
    said = compile_plan(planner.plan(question), planner.model)
    assert said == compile_plan(planner.plan(plain), planner.model)
    assert "PARTITION BY products.department" in said


def test_a_how_many_tag_at_the_end_asks_the_count_of_what_was_named(
    planner: OfflinePlanner,
) -> None:
    """ "... but didn't buy anything in 2025 - how many?" was refused: the tag broke the
    reading of the two periods."""
    tagged = "customers who purchased in 2024 but didn't buy anything in 2025 - how many?"
    plain = "customers who purchased in 2024 but didn't buy anything in 2025"
    said = compile_plan(planner.plan(tagged), planner.model)
    assert said == compile_plan(planner.plan(plain), planner.model)


def test_the_rate_named_with_its_condition_again_is_the_rate(planner: OfflinePlanner) -> None:
    """ "Total sessions, sessions with a purchase, and the % that purchased" was refused;
    the % names the condition again. Another step after it is still refused."""
    from lgda_nb.errors import PlanningError

    lead = "sessions by traffic source in 2025: total sessions, sessions with a purchase"
    said, plain = f"{lead}, and the % that purchased", f"{lead} and the %"
    assert compile_plan(planner.plan(said), planner.model) == compile_plan(
        planner.plan(plain), planner.model
    )
    with pytest.raises(PlanningError):
        planner.plan("total sessions, sessions with a purchase and the % that added to cart")


@pytest.mark.parametrize(
    ("question", "same_as"),
    [
        (
            "the 10 cheapest jeans in the catalog: name, brand & retail price",
            "the 10 cheapest products in Jeans: name, brand & retail price",
        ),
        (
            "cheapest 10 jeans in the catalog? want name, brand & retail price",
            "the 10 cheapest products in Jeans: name, brand & retail price",
        ),
    ],
)
def test_a_plural_value_in_a_ranking_stands_for_its_rows(
    planner: OfflinePlanner, question: str, same_as: str
) -> None:
    """ "The 10 cheapest jeans" (a category's value for its products) was refused."""
    said = compile_plan(planner.plan(question), planner.model)
    assert said == compile_plan(planner.plan(same_as), planner.model)


@pytest.mark.parametrize("question", ["revenue from jeans", "jeans revenue by month in 2025"])
def test_a_value_outside_a_ranking_stays_a_filter(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.rows is None
    assert plan.filters[0].values == ("Jeans",)


def test_the_time_window_rules_are_compiled_once() -> None:
    """Compiling them costs about 40-50 us per question (a decorator once slid off)."""
    from lgda_nb.planner._offline import _time_rules

    assert _time_rules() is _time_rules()


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("Yearly revenue 2021 thru 2025 with the YoY % chnage", "change"),
        ("revenue grwoth by month in 2025", "growth"),
        ("revenue by category, highset first", "highest"),
        ("how mnay users are based in Brasil", "many"),
        ("how mcuh revenue in 2025", "much"),
    ],
)
def test_two_letters_swapped_in_a_word_the_patterns_read_are_noted_and_read(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    """A swap in "change" left the word unread and the question refused; it is read,
    noted, and the plan is less confident, as a slip in a time word is."""
    plan = planner.plan(question)
    assert any(note.endswith(f"as '{word}'") for note in plan.notes)
    assert plan.confidence < 1


def test_a_ranking_per_group_shown_the_other_way_keeps_its_groups(
    planner: OfflinePlanner,
) -> None:
    """ "Top 3 brands by revenue in each category, lowest first": the categories stay
    together and each one's brands go lowest first (the first key is the group, not the
    measure, so turning the first key would have changed nothing)."""
    plan = planner.plan("top 3 brands by revenue in each category, lowest first")
    assert plan.display == "asc"
    outer = compile_plan(plan, planner.model).rsplit(") AS ranked", 1)[1]
    assert outer.index("category ASC") < outer.index("revenue ASC")


@pytest.mark.parametrize(
    ("question", "display", "match"),
    [
        ("revenue by category", "asc", "no ranking"),
        ("top 3 categories by revenue growth 2025 vs 2024", "asc", "cannot be shown"),
    ],
)
def test_a_display_order_that_cannot_be_given_is_refused(
    planner: OfflinePlanner, question: str, display: str, match: str
) -> None:
    """A typed query may ask for a display order anywhere; where it cannot be given it
    is refused with a sentence and a hint, never dropped."""
    from dataclasses import replace

    from lgda_nb.errors import PlanningError

    plan = replace(planner.plan(question), display=display)
    with pytest.raises(PlanningError, match=match) as refused:
        compile_plan(plan, planner.model)
    assert refused.value.hint


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("For each distribution center (the product's), what share of its items sold comes "
         "from each department?", "items_sold"),
        ("For each distribution center (the product's), what share of its revenue comes from "
         "each department", "revenue"),
    ],
)  # fmt: skip
def test_a_share_is_of_the_measure_named_after_its_words(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """Products named by "(the product's)" before the share's words are not what the share
    is of (the share was of products, items sold dropped without a word)."""
    assert planner.plan(question).metrics == (metric,)


@pytest.mark.parametrize(
    ("question", "metrics", "order"),
    [
        ("2025 revenue by customer country, ranked", ("revenue",), "desc"),
        ("orders and revenue by brand, ranked by orders", ("orders", "revenue"), "desc"),
        ("no. of customers by acquisition channel in 2025", ("customers",), None),
        ("no of orders in 2025", ("orders",), None),
        ("orders per year, oldest to newest", ("orders",), None),
    ],
)
def test_ranked_no_of_and_oldest_to_newest_are_read(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], order: str | None
) -> None:
    """Refused before: 'ranked' after a breakdown is its biggest first, 'no. of' is
    'number of', 'oldest to newest' is time order (heldout22 hr052, hr062, hr015)."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    if order is not None:
        assert plan.order == order


def test_no_before_a_noun_still_means_none(planner: OfflinePlanner) -> None:
    plan = planner.plan("users with no orders")
    assert [(c.op, c.values) for c in plan.conditions] == [("=", (0,))]


def test_a_window_dated_by_a_moment_in_a_remark(planner: OfflinePlanner) -> None:
    """'(by ship date)' puts the window on the shipping date, of every status now (an item
    shipped in 2024 and since delivered is no longer Shipped); it was refused."""
    plan = planner.plan("order items shipped in 2024 (by ship date)")
    sql = compile_plan(plan, planner.model)
    assert "EXTRACT(YEAR FROM order_items.shipped_at) = 2024" in sql
    assert "status" not in sql


@pytest.mark.parametrize(
    "question",
    [
        "inventory items received per month in 2025 (by inventory created date)",
        "orders in 2025 (by order date)",
    ],
)
def test_a_remark_restating_the_measures_own_date(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).time_column is None


@pytest.mark.parametrize(
    "question", ["revenue by month (by ship date)", "revenue per month in 2025 (by ship date)"]
)
def test_a_series_by_another_moment_is_refused(planner: OfflinePlanner, question: str) -> None:
    """Its months would still be the order's: refused, never dropped."""
    with pytest.raises(PlanningError, match="series by month") as caught:
        planner.plan(question)
    assert "(by ship date)" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("revenue (by ship date)", "names no period"),
        ("inventory items in 2025 (by ship date)", "not measured with a shipping date"),
    ],
)
def test_a_moment_date_that_cannot_date_the_answer_is_refused(
    planner: OfflinePlanner, question: str, why: str
) -> None:
    """Never dropped without a word: a sentence that says why, and a hint."""
    with pytest.raises(PlanningError, match=why) as caught:
        planner.plan(question)
    assert "(by ship date)" in (caught.value.hint or "")


def test_shipped_in_a_period_without_a_remark_keeps_the_conventions(
    planner: OfflinePlanner,
) -> None:
    """The conventions date orders by their placing; 'shipped' is their status."""
    sql = compile_plan(planner.plan("how many orders were shipped in March 2025"), planner.model)
    assert "orders.status = 'Shipped'" in sql
    assert "orders.created_at" in sql


@pytest.mark.parametrize(
    "question",
    [
        "how many 2025 orders took more than 3 days to be delivered once they shipped?",
        "how many 2025 orders took more than 3 days to be delivered once it ships?",
    ],
)
def test_a_duration_once_a_moment_runs_from_it(planner: OfflinePlanner, question: str) -> None:
    """'Once they shipped' is 'after they shipped' (refused before; heldout22 hr150)."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert "MAX(TIMESTAMP_DIFF(orders.delivered_at, orders.shipped_at, DAY)) > 3" in sql


def test_split_by_a_breakdown_within_each_group_is_a_share(planner: OfflinePlanner) -> None:
    """'Revenue split by department within each country' gave amounts (heldout23 hs150)."""
    plan = planner.plan("2025 revenue split by department within each country")
    assert plan.share
    assert "PARTITION BY users.country" in compile_plan(plan, planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "items ordered and items sold by category, 2025",
        "items ordered vs items sold by category, 2025",
        "items sold vs items ordered in 2025",
    ],
)
def test_items_ordered_beside_items_sold_are_two_measures(
    planner: OfflinePlanner, question: str
) -> None:
    """Both were one measure with the rule left out, and 'vs' compared 2025 with 2024
    (heldout23 hs083): every item beside the items the rule keeps."""
    plan = planner.plan(question)
    assert set(plan.metrics) == {"order_lines", "items_sold"}
    assert not plan.compare
    assert not plan.ignore_rules


def test_vs_between_measures_is_no_period_comparison(planner: OfflinePlanner) -> None:
    """'Orders vs revenue by country in 2025' compared 2025 with 2024."""
    plan = planner.plan("orders vs revenue by country in 2025")
    assert plan.metrics == ("orders", "revenue")
    assert not plan.compare


def test_a_year_vs_another_is_still_compared(planner: OfflinePlanner) -> None:
    assert planner.plan("revenue 2025 vs 2024 by category").compare


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("revenue vs cost by category", ("revenue", "cost")),
        (
            "avg order value vs items per order by country",
            ("average_order_value", "items_per_order"),
        ),
    ],
)
def test_vs_between_measures_without_a_window_is_side_by_side(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """Refused before ('vs' was not read)."""
    assert planner.plan(question).metrics == metrics


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("how many prodcuts per category", ("products",)),
        ("avg session lenght by traffic source", ("avg:session_minutes:session_id",)),
    ],
)
def test_two_letters_swapped_in_a_model_word_are_read(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """Refused before: the model's own words (singular, as its phrases hold them) are
    fixed before the patterns read the text (heldout22 hr031)."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert any("read '" in note for note in plan.notes)


def test_too_after_the_columns_listed_is_read(planner: OfflinePlanner) -> None:
    """'... - give me product id, name and brand too' was refused (heldout23 hs058)."""
    sql = compile_plan(
        planner.plan("Top 5 products by revenue in 2025 - give me product id, name and brand too"),
        planner.model,
    )
    assert "products.brand AS brand" in sql


def test_a_signup_date_remark_restates_a_signup_window(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue from customers who signed up in 2024 (by signup date)")
    assert plan.time_column == "users.created_at"


@pytest.mark.parametrize(
    "question",
    [
        "top 2 customers by revenue in each country for 2025 - user id and revenue",
        "Top 10 customers by lifetime spend: user id, country and total spent.",
    ],
)
def test_columns_after_a_dash_or_total_spent_name_the_ranked_customers(
    planner: OfflinePlanner, question: str
) -> None:
    """'user id' was read as a count of users beside the revenue, and refused: a list
    after a dash is read as after a colon, and 'total spent' restates the money ranked."""
    plan = planner.plan(question)
    assert plan.metrics == ("revenue",)
    assert "customer_id" in plan.dimensions


def test_a_dash_between_words_parts_the_question() -> None:
    from lgda_nb.planner._text import normalize

    assert normalize("top 5 customers by spend - user id and spend") == (
        "top 5 customers by spend : user id and spend"
    )
    assert normalize("orders from 2025-01-01 - 2025-01-31") == "orders from 2025 01 01 2025 01 31"


def test_registrants_are_users_dated_by_their_signup(planner: OfflinePlanner) -> None:
    plan = planner.plan("how many registrants in 2025")
    assert plan.metrics == ("users",)
    assert plan.time_window is not None


def test_a_share_of_the_rows_one_value_describes_is_of_that_value_per_period(
    engine: Any,
) -> None:
    """ "What % of orders in China were cancelled, by year": each year's cancelled share
    of China's orders (it was of every country's), a year without one at 0%."""
    result = engine.ask("what % of orders in China were cancelled, by year?", use_cache=False)
    expected = engine.run_sql(
        "SELECT EXTRACT(YEAR FROM o.created_at) AS year, "
        "ROUND(100 * COUNTIF(o.status = 'Cancelled') / COUNT(*), 2) AS pct "
        "FROM orders o JOIN users u ON o.user_id = u.id WHERE u.country = 'China' "
        "GROUP BY year ORDER BY year"
    ).df
    got = result.df.sort_values("year")
    assert got["year"].tolist() == expected["year"].tolist()
    assert got["share_pct"].tolist() == expected["pct"].tolist()
    assert "country's total" in result.interpretation


def test_a_breakdown_that_is_the_period_itself_is_the_series(planner: OfflinePlanner) -> None:
    """ "Users by signup year, per year": the signup year is the year of the users' own
    date, so the series is by year alone (a running total restarted every row)."""
    plan = planner.plan("cumulative user count by signup year (signups per year + running total)")
    assert (plan.dimensions, plan.grain, plan.cumulative) == ((), "year", True)
    assert planner.plan("users by signup month per year").dimensions == ("signup_month",)
    assert planner.plan("revenue by signup year per year").dimensions == ("signup_year",)


def test_a_share_of_rows_described_by_a_value_read_on_another_column(engine: Any) -> None:
    """ "What % of orders from women were returned": "women" is the users' gender here,
    and the share is within it (it was within the Women *department*, over all genders)."""
    result = engine.ask("what % of orders from women were returned", use_cache=False)
    expected = engine.run_sql(
        "SELECT ROUND(100 * COUNTIF(o.status = 'Returned') / COUNT(*), 2) AS pct "
        "FROM orders o WHERE o.gender = 'F'"
    ).df
    assert result.df["share_pct"].tolist() == expected["pct"].tolist()
    assert "gender's total" in result.interpretation


@pytest.mark.parametrize(
    "question",
    [
        "best customer in each country",
        "top customers in each country by revenue",
    ],
)
def test_a_superlative_before_counted_things_without_a_number_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """These counted the customers of each country, dropping the ranking without a word.
    Said in the singular with a measure to rank by ("top customer in each country by
    revenue") it is the top 1 (``test_finance_words``)."""
    with pytest.raises(PlanningError, match="not how many customers to rank"):
        planner.plan(question)


def test_a_superlative_with_a_number_still_ranks_the_things(planner: OfflinePlanner) -> None:
    plan = planner.plan("top 1 customer in each country by revenue")
    assert (plan.limit, plan.per) == (1, "country")


@pytest.mark.parametrize(
    ("question", "share"),
    [
        # "shipped" read as the status Shipped: no order kept could be returned.
        ("return rate for orders shipped to Germany", "0%"),
        ("return rate of complete orders", "0%"),
        ("cancellation rate for cancelled orders", "100%"),
    ],
)
def test_a_rate_a_filter_decides_is_refused(
    planner: OfflinePlanner, question: str, share: str
) -> None:
    """A filter that keeps only rows the rate counts, or none of them, decides the answer:
    it is refused, naming both, instead of shown as a finding."""
    with pytest.raises(PlanningError, match=f"it would be {share} by definition"):
        planner.plan(question)


@pytest.mark.parametrize(
    "question",
    ["return rate by status", "item return rate for Jeans", "cancellation rate in Germany"],
)
def test_a_rate_with_other_filters_is_answered(planner: OfflinePlanner, question: str) -> None:
    assert "COUNTIF" in compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "what % of orders from Germany returned",
        "What percent of orders from customers in Germany ended up returned (order status "
        "Returned)?",
        "share of German orders returned",
    ],
)
def test_a_participle_after_the_describing_value_names_the_part(
    planner: OfflinePlanner, question: str
) -> None:
    """With no verb, the participle after every other value is the part: the share is of
    Germany's orders, not of every country's (heldout26 hv058)."""
    plain = "what % of orders from Germany were returned"
    assert compile_plan(planner.plan(question), planner.model) == compile_plan(
        planner.plan(plain), planner.model
    )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        (
            "how many products in each department have never been ordered?",
            "how many products have never been ordered, by department",
        ),
        (
            "how many users per traffic source have never placed an order",
            "how many users have never placed an order, by traffic source",
        ),
    ],
)
def test_a_clause_after_a_breakdown_is_about_the_rows(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Not the departments never ordered (heldout26 hv137): the products, per department."""
    assert compile_plan(planner.plan(question), planner.model) == compile_plan(
        planner.plan(plain), planner.model
    )


def test_across_the_whole_catalog_is_no_breakdown(planner: OfflinePlanner) -> None:
    """ "Across the product catalog" is every product, one number (heldout26 hv005)."""
    plan = planner.plan("whats the avg retail price across the product catalog?")
    assert plan.dimensions == ()
    assert plan.dimensions == planner.plan("average retail price across all products").dimensions
    # "Across the whole catalog", "across our entire range": the model's word for all rows.
    for said in (
        "average unit cost across the whole catalog",
        "avg unit cost across our entire range",
    ):
        assert compile_plan(planner.plan(said), planner.model) == compile_plan(
            planner.plan("average product cost"), planner.model
        )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        (
            "how many users in each country placed more than 3 orders",
            "how many users placed more than 3 orders, by country",
        ),
        (
            "how many customers in each country spent over 500",
            "how many customers spent over 500, by country",
        ),
        (
            "how many orders in each month had more than 2 items",
            "how many orders had more than 2 items, by month",
        ),
    ],
)
def test_a_condition_after_a_breakdown_is_on_the_rows(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Not the countries with more than 3 orders (every user of them): the users that
    placed them, in each country."""
    assert compile_plan(planner.plan(question), planner.model) == compile_plan(
        planner.plan(plain), planner.model
    )


def test_a_condition_after_by_a_breakdown_is_on_the_groups(planner: OfflinePlanner) -> None:
    """ "Orders by country with more than 500 orders" keeps the countries with them."""
    sql = compile_plan(planner.plan("orders by country with more than 500 orders"), planner.model)
    assert "users.country IN (SELECT users.country" in sql


@pytest.mark.parametrize("question", ["average orders per month", "avg orders by country"])
def test_average_orders_is_no_average_order_value(planner: OfflinePlanner, question: str) -> None:
    """ "Average order" names the average order value; "average orders" are the orders
    counted, whose average per month is not read: refused, never the order value."""
    with pytest.raises(PlanningError, match="'average'"):
        planner.plan(question)
    assert planner.plan("average order per month").metrics == ("average_order_value",)
    named = planner.plan("cost of the unsold items per product department").metrics
    assert named == ("unsold_inventory_value",)  # a name spelled in the plural stands


def test_a_greeting_is_no_part_of_the_question(planner: OfflinePlanner) -> None:
    """ "Hey - can you pull ..." (heldout26 hv059) asks what it would without the greeting."""
    said = planner.plan("Hey - can you pull how many orders came in yesterday?")
    assert compile_plan(said, planner.model) == compile_plan(
        planner.plan("how many orders came in yesterday"), planner.model
    )


def test_counting_values_by_a_condition_across_groups_is_refused(planner: OfflinePlanner) -> None:
    """A brand sells in many categories: "more than 10 products" in each category, or in
    all of them? Asked, not guessed; a brand's own count, and customers (one country
    each), are answered."""
    with pytest.raises(PlanningError, match="in each category or in all of them"):
        planner.plan("how many brands in each category have more than 10 products")
    assert planner.plan("brands with more than 10 products").conditions
    assert planner.plan("how many users in each country placed more than 3 orders").conditions


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "cancellation rate by country for orders placed in 2025",
            ("cancellation_rate", "cancelled_orders", "orders"),
        ),
        ("top 5 brands by return rate", ("item_return_rate", "returned_items", "order_lines")),
        # Parts the model only shows (hidden measures, never read from a question).
        (
            "sell-through rate by category",
            ("sell_through_rate", "sold_inventory_items", "inventory_items"),
        ),
        ("order return rate by gender", ("order_return_rate", "returned_orders", "orders")),
        # A conversion rate beside the sessions it counts and the sessions it is of.
        (
            "conversion rate by browser",
            ("conversion_rate", "purchase_sessions", "home_sessions"),
        ),
        (
            "product view to purchase conversion by browser",
            ("product_conversion_rate", "purchase_sessions", "product_sessions"),
        ),
        ("cancellation rate", ("cancellation_rate", "cancelled_orders", "orders")),
        # Beside its whole, asked or shown for a condition: the part between.
        (
            "cancellation rate and orders by country",
            ("cancellation_rate", "cancelled_orders", "orders"),
        ),
        (
            "countries with at least 500 orders in 2025 and their cancellation rates",
            ("cancellation_rate", "cancelled_orders", "orders"),
        ),
        # Not beside a change, a running total or a share: those shapes show one measure.
        ("cancellation rate by month in 2025 with MoM growth", ("cancellation_rate",)),
        ("gross margin % by category", ("gross_margin_pct",)),  # no count it is a rate of
    ],
)
def test_a_rate_shows_the_count_it_is_a_rate_of(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """A rate of a few rows is seen as such: the orders a cancellation rate is of are shown
    beside it, with the cancelled ones where a measure counts them ("18 of 126"), and the
    rate stays first (what a ranking orders by)."""
    assert planner.plan(question).metrics == metrics


@pytest.mark.parametrize(
    "question",
    [
        "Cancellation rate by country - for each country show the orders, the cancelled "
        "orders and the rate",
        "cancellation rate by country: orders, cancelled orders and the rate",
    ],
)
def test_a_rate_listed_with_its_counts_and_said_again_bare(
    planner: OfflinePlanner, question: str
) -> None:
    """ "the cancelled orders" listed after a comma and "the" is a measure, not a filter
    (which was refused as applying to the rate too), and "the rate" at the end is the
    rate again (it was left unread)."""
    plan = planner.plan(question)
    assert set(plan.metrics) == {"cancellation_rate", "orders", "cancelled_orders"}
    assert not plan.filters


def test_bare_rows_listed_with_a_rate_and_its_part_are_its_whole(
    planner: OfflinePlanner,
) -> None:
    """ "the items" beside an item return rate alone is refused (all items, or items
    sold?); listed with the returned items as well, it is the rate's whole."""
    plan = planner.plan(
        "Item return rate by category - show the items, the returned items and the rate."
    )
    assert set(plan.metrics) == {"item_return_rate", "order_lines", "returned_items"}
    with pytest.raises(PlanningError, match="could be all of them"):
        planner.plan("item return rate by category with the items")


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("how many returned orders in 2025", ("orders",)),
        ("sold inventory items by distribution center", None),
    ],
)
def test_a_hidden_measure_is_never_read_from_a_question(
    planner: OfflinePlanner, question: str, read: tuple[str, ...] | None
) -> None:
    """``returned_orders`` and ``sold_inventory_items`` are shown beside their rates only:
    "returned orders" stays the orders with status Returned, and "sold inventory items" is
    not read as them (refused, as before)."""
    if read is None:
        with pytest.raises(PlanningError):
            planner.plan(question)
        return
    plan = planner.plan(question)
    assert plan.metrics == read
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Returned",))]


def test_a_rate_and_its_count_on_the_sample(planner: OfflinePlanner, engine: Any) -> None:
    plan = planner.plan("cancellation rate by country")
    rows = engine.run_sql(compile_plan(plan, planner.model)).df
    every = engine.run_sql(
        "SELECT u.country, COUNT(*) AS n, COUNTIF(o.status = 'Cancelled') AS cancelled "
        "FROM orders o JOIN users u ON u.id = o.user_id GROUP BY 1"
    ).df
    assert dict(zip(rows.country, rows.orders, strict=True)) == dict(
        zip(every.country, every.n, strict=True)
    )
    assert dict(zip(rows.country, rows.cancelled_orders, strict=True)) == dict(
        zip(every.country, every.cancelled, strict=True)
    )


def test_a_rates_insight_names_the_counts_behind_its_extremes(engine: Any) -> None:
    result = engine.ask("cancellation rate by country")
    top = result.df.sort_values(["cancellation_rate", "country"], ascending=[False, True]).iloc[0]
    said = f"{top.country} ({top.cancellation_rate:.1f}%, {top.cancelled_orders:,} of "
    assert said in result.summary
    assert "Orders is highest" not in result.summary


def test_a_value_said_after_the_share_words_names_the_whole(planner: OfflinePlanner) -> None:
    """ "... and what % of Brasil's 2025 orders is that?" is of Brasil's orders, not of all
    orders, wherever the cancelled ones were named."""
    plan = planner.plan(
        "How many of the 2025 orders from customers in Brasil got cancelled, and what % of "
        "Brasil's 2025 orders is that?"
    )
    assert plan.share
    assert plan.dimensions == ("country",)  # each country's own total: Brasil's


def test_a_measure_a_share_leaves_out_keeps_the_value_it_names(
    planner: OfflinePlanner,
) -> None:
    """ "Cancelled orders in Brasil as a % of all orders" was the share of every order in
    Brasil: the cancelled orders were dropped for the orders the share is of."""
    plan = planner.plan("cancelled orders in Brasil as a % of all orders")
    assert plan.metrics == ("orders",)
    assert {(f.dimension, f.values) for f in plan.filters} == {
        ("country", ("Brasil",)),
        ("status", ("Cancelled",)),
    }


def test_things_listed_with_the_measure_said_again(planner: OfflinePlanner) -> None:
    """ "..., with their spend" was read as a second measure, and the customers were
    counted instead of listed; "with their order count" is what each one shows, not a
    count of them."""
    plan = planner.plan("list the customers whose 2025 spend exceeded $1,000, with their spend")
    assert plan.dimensions == ("customer_id",)
    assert plan.metrics == ("revenue",)
    plan = planner.plan(
        "list the customers who spent more than $1000 in 2025, with their order count"
    )
    assert plan.dimensions == ("customer_id",)
    assert plan.metrics == ("revenue", "orders")


def test_a_share_within_each_group_shows_the_groups_whole(
    planner: OfflinePlanner, engine: Any
) -> None:
    plan = planner.plan("each category's share of its department's revenue")
    rows = engine.run_sql(compile_plan(plan, planner.model)).df
    assert list(rows.columns) == ["category", "department", "revenue", "all_revenue", "share_pct"]
    totals = rows.groupby("department").revenue.sum().round(2)
    for department, whole in zip(rows.department, rows.all_revenue, strict=True):
        assert whole == pytest.approx(totals[department], abs=0.05)
