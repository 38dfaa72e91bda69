"""Words that describe the rows measured rather than add a measure: the people a value
names ("orders from customers in Brasil"), the rows a share is of ("what % of orders in
China were cancelled"), a product's own cost, "each" after an amount, "from 2025"."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model
from lgda_nb.planner._query import plan_from_query, query_of

VALUES = {
    "country": ["Brasil", "China", "Germany", "United States"],
    "category": ["Jeans", "Swim"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "acquisition_channel": ["Organic", "Search"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        ("How many orders were placed by female customers?", {("gender", ("F",))}),
        ("monthly order count from customers in Brasil", {("country", ("Brasil",))}),
        # Where they are, said between them and the place.
        ("monthly order count from customers based in Brasil", {("country", ("Brasil",))}),
        ("monthly order count from customers located in Brasil", {("country", ("Brasil",))}),
    ],
)
def test_customers_named_by_a_value_only_say_who_placed_the_orders(
    planner: OfflinePlanner, question: str, filters: set[tuple[str, tuple[str, ...]]]
) -> None:
    plan = planner.plan(question)
    assert list(plan.metrics) == ["orders"]
    assert {(f.dimension, f.values) for f in plan.filters} == filters
    assert "status" not in compile_plan(plan, planner.model)  # every order, any status


@pytest.mark.parametrize(
    ("question", "metrics", "filters"),
    [
        ("how many orders did customers place", ["orders"], set()),
        ("how many orders were placed by customers", ["orders"], set()),
        ("how many orders did customers aged over 50 place", ["orders"], {"age"}),
        ("orders placed by customers over 60 by month", ["orders"], {"age"}),
        ("how much revenue did customers in Brasil generate", ["revenue"], {"country"}),
        # Left out before the measure is named: who, not a first measure.
        ("excluding customers from China, revenue by category", ["revenue"], {"country"}),
        # Named on their own they are still the measure.
        ("excluding customers from China", ["customers"], {"country"}),
        ("orders and customers by month", ["orders", "customers"], set()),
    ],
)
def test_people_who_made_the_rows_are_not_a_second_measure(
    planner: OfflinePlanner, question: str, metrics: list[str], filters: set[str]
) -> None:
    plan = planner.plan(question)
    assert list(plan.metrics) == metrics
    assert {f.dimension for f in plan.filters} == filters


@pytest.mark.parametrize("question", ["orders per customer in Brasil", "orders per user in Brasil"])
def test_people_after_per_divide_even_when_a_place_describes_them(
    planner: OfflinePlanner, question: str
) -> None:
    """ "Per customer in Brasil" is a measure per person, never the orders of Brasil: it
    is read as the ratio (refused here, the two counts being on different rows)."""
    with pytest.raises(PlanningError, match="per"):
        compile_plan(planner.plan(question), planner.model)


def test_a_measure_per_person_in_a_place_keeps_the_place(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue per customer in Brasil")
    assert plan.metrics == ("revenue_per_customer",)
    assert {(f.dimension, f.values) for f in plan.filters} == {("country", ("Brasil",))}


def test_customers_described_by_a_clause_are_still_refused(planner: OfflinePlanner) -> None:
    """ "Customers who bought in 2025" would date the buyers, not the users measured."""
    with pytest.raises(PlanningError):
        planner.plan("What's the average age of customers who bought from us in 2025?")


def test_a_share_of_rows_named_before_the_verb_is_within_them(planner: OfflinePlanner) -> None:
    plan = planner.plan("what % of orders in China were cancelled")
    assert list(plan.dimensions) == ["country"]
    sql = compile_plan(plan, planner.model)
    whole = sql.split("whole AS", 1)[1].split(") SELECT", 1)[0]
    assert "China" in whole  # the whole is China's orders (0% when none is cancelled)
    assert "Cancelled" not in whole
    assert "GROUP BY" in whole
    assert "share of its country's total over all status" in interpret(plan, planner.model)


def test_a_share_with_every_value_after_the_verb_is_of_the_total(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("what share of orders were placed in China")
    assert not plan.dimensions
    assert "share of the total over all countries" in interpret(plan, planner.model)


@pytest.mark.parametrize(
    ("question", "whole_rule"),
    [
        ("what % of order items were returned", False),  # outside the rule: every item
        ("what % of revenue comes from Complete items", True),  # inside: all revenue
    ],
)
def test_a_shares_whole_drops_the_rule_only_when_the_part_steps_outside_it(
    planner: OfflinePlanner, question: str, whole_rule: bool
) -> None:
    sql = compile_plan(planner.plan(question), planner.model)
    whole = sql.split("whole AS", 1)[1].split(") SELECT", 1)[0]
    assert ("NOT order_items.status IN" in whole) is whole_rule


@pytest.mark.parametrize(
    ("question", "aggregate"),
    [
        ("Average product cost in the Jeans category?", "AVG(products.cost)"),
        ("max unit cost by category", "MAX(products.cost)"),
    ],
)
def test_a_products_own_cost_is_a_number_of_products(
    planner: OfflinePlanner, question: str, aggregate: str
) -> None:
    sql = compile_plan(planner.plan(question), planner.model)
    assert aggregate in sql
    assert "order_items" not in sql


def test_cost_alone_stays_the_cost_of_items_sold(planner: OfflinePlanner) -> None:
    sql = compile_plan(planner.plan("product cost by month"), planner.model)
    assert "SUM(products.cost)" in sql
    assert "order_items" in sql


@pytest.mark.parametrize(
    "question",
    [
        "How many orders had more than $150 of revenue?",
        "How many 2024 orders brought in more than $150 of revenue each?",
    ],
)
def test_an_amount_of_a_measure_each_is_a_condition_per_thing(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert [(c.metric, c.op, c.values) for c in plan.conditions] == [("revenue", ">", (150,))]


def test_from_a_year_is_that_year_and_onwards_is_since(planner: OfflinePlanner) -> None:
    assert planner.plan("orders from 2024").time_window.kind == "year"  # type: ignore[union-attr]
    since = planner.plan("orders from 2024 onwards").time_window
    assert since is not None
    assert since.kind == "since_year"
    assert since.year == 2024


def test_each_of_the_last_complete_weeks_is_a_weekly_series(planner: OfflinePlanner) -> None:
    plan = planner.plan("Items sold in each of the last 4 complete weeks")
    assert plan.grain == "week"
    assert plan.time_window is not None
    assert plan.time_window.kind == "complete_weeks"


def test_a_change_in_percent_is_the_growth(planner: OfflinePlanner) -> None:
    plan = planner.plan("Monthly order count for 2025 with the month-over-month change in %")
    assert plan.growth
    assert plan.grain == "month"


def test_created_names_the_moment_inventory_is_dated_by(planner: OfflinePlanner) -> None:
    plan = planner.plan("inventory items received (created) per distribution center in 2025")
    assert list(plan.metrics) == ["inventory_items"]
    assert plan.time_window is not None
    assert plan.time_window.year == 2025


def test_every_statistic_of_items_sold_keeps_the_rule(planner: OfflinePlanner) -> None:
    sql = compile_plan(planner.plan("min, max and average sale price of items sold"), planner.model)
    assert "WHERE NOT order_items.status IN ('Cancelled', 'Returned')" in sql


@pytest.mark.parametrize(
    "question",
    [
        "highest sale price on any single order item, any status",
        "what's the highest sale price of any order item",
        "maximum sale price of an order item",
    ],
)
def test_any_single_row_names_the_rows_a_statistic_is_over(
    planner: OfflinePlanner, question: str
) -> None:
    """'Of any order item', 'on any single order item': the rows, not a second measure."""
    assert list(planner.plan(question).metrics) == ["max:sale_price"]


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("orders on hold", "hold"),
        ("live orders", "live"),
        ("how many orders are live right now", "live"),
        ("single item orders", "single"),
        ("used items sold", "used"),
    ],
)
def test_a_state_or_kind_the_data_lacks_is_never_filler(
    planner: OfflinePlanner, question: str, word: str
) -> None:
    """'Orders on hold', 'live orders', 'used items': a state or kind the data does not
    hold is refused, not answered for every row; the same words stay filler where they
    say nothing ("users who live in Germany", "the single most expensive product")."""
    with pytest.raises(PlanningError, match=f"'{word}'"):
        planner.plan(question)


def test_filler_words_where_they_say_nothing(planner: OfflinePlanner) -> None:
    assert list(planner.plan("registered user base by country").metrics) == ["users"]
    assert list(planner.plan("how many users live outside the US").metrics) == ["users"]
    assert list(planner.plan("users who live in Germany").metrics) == ["users"]


def test_smallest_and_largest_listed_are_two_statistics(planner: OfflinePlanner) -> None:
    plan = planner.plan("smallest, largest and mean sale price")
    assert list(plan.metrics) == ["min:sale_price", "max:sale_price", "avg:sale_price"]


@pytest.mark.parametrize(
    ("question", "comparison"),
    [
        ("How many users signed up on or after July 1, 2025?", ">= CAST('2025-07-01'"),
        ("orders on or before 2024-03-15", "<= CAST('2024-03-15'"),
    ],
)
def test_on_or_after_and_on_or_before_include_the_day(
    planner: OfflinePlanner, question: str, comparison: str
) -> None:
    assert comparison in compile_plan(planner.plan(question), planner.model)


def test_each_value_other_than_one_is_a_row_for_each(planner: OfflinePlanner) -> None:
    each = planner.plan("how many order items are in each status other than Complete")
    assert list(each.dimensions) == ["status"]
    assert [(f.dimension, f.negate) for f in each.filters] == [("status", True)]
    every = planner.plan("revenue for every category except Jeans")
    assert not every.dimensions


def test_order_items_are_every_row_whatever_its_status(planner: OfflinePlanner) -> None:
    plan = planner.plan("number of order items in 2024")
    assert list(plan.metrics) == ["order_lines"]
    assert "status" not in compile_plan(plan, planner.model)


def test_a_people_word_before_bands_names_whose_age(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "For each buyer age band (under 30, 30-49, 50+), what's the top category by items sold?"
    )
    assert list(plan.metrics) == ["items_sold"]
    assert plan.per is not None


def test_none_of_the_measure_shown_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="would leave no rows"):
        planner.plan("List the brands that have no products at all in the Women department.")


def test_a_list_with_no_columns_named_shows_every_column(planner: OfflinePlanner) -> None:
    plan = planner.plan("List all our distribution centers.")
    assert "distribution_centers.distribution_center_geom" in plan.columns


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("aov by mo 2025", "month"),
        ("items sold per wk, last 4 complete wks (mon start)", "week"),
        ("signups per mo, last 3 mo incl the current partial one", "month"),
    ],
)
def test_shorthand_and_restated_conventions(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    assert planner.plan(question).grain == grain


def test_growth_for_each_of_the_complete_weeks(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Week-over-week % change in order count for each of the last 6 complete weeks"
    )
    assert plan.growth
    assert plan.grain == "week"


def test_the_comparison_that_starts_first_names_the_number(planner: OfflinePlanner) -> None:
    """ "Sale price over $100" is the sale price, though "price" alone is the retail price."""
    plan = planner.plan("items sold with a sale price over $100")
    assert [(f.dimension, f.op, f.values) for f in plan.filters] == [("sale_price", ">", (100,))]
    assert list(plan.metrics) == ["items_sold"]


def test_a_breakdowns_id_and_name_asked_again_are_what_it_shows(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("Sell-through rate by distribution center (id and name)")
    assert list(plan.dimensions) == ["distribution_center"]
    with pytest.raises(PlanningError, match="'id'"):
        planner.plan("Sell-through rate by category (id and name)")  # no key to show


def test_measures_of_different_tables_are_joined_on_the_breakdown(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("users and customers by country in 2025")
    sql = compile_plan(plan, planner.model)
    assert "FULL OUTER JOIN part2 ON part1.country = part2.country" in sql
    assert "EXTRACT(YEAR FROM users.created_at) = 2025" in sql  # signups by signup date
    assert "EXTRACT(YEAR FROM order_items.created_at) = 2025" in sql  # buyers by order date
    assert "dated by its own table's time" in interpret(plan, planner.model)


def test_a_measure_of_the_rows_before_is_not_side_by_side(planner: OfflinePlanner) -> None:
    """ "Unsold items and their total cost": the cost of those items, not of items sold."""
    with pytest.raises(PlanningError, match="different tables"):
        planner.plan("Unsold items and their total cost, by department")


def test_measures_of_different_tables_refuse_what_a_join_cannot_combine(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="different tables"):
        compile_plan(
            planner.plan("users and customers by country").__class__(
                question="top 3 countries by users and customers",
                metrics=("users", "customers"),
                dimensions=("country",),
                limit=3,
            ),
            planner.model,
        )


def test_a_duration_of_items_named_is_not_measured_on_orders(planner: OfflinePlanner) -> None:
    """A status filter does not move a duration onto the items the question names."""
    with pytest.raises(PlanningError, match="not on items"):
        planner.plan(
            "For items ordered in 2025 that were returned, what's the average number of "
            "days between delivery and return?"
        )


@pytest.mark.parametrize(
    "question",
    [
        "How many orders were placed between March 1 and March 7, 2025, both days included?",
        "orders from Mar 1 to Mar 7, 2025",
        "orders for March 1-7, 2025",
    ],
)
def test_a_range_of_days_includes_both(planner: OfflinePlanner, question: str) -> None:
    sql = compile_plan(planner.plan(question), planner.model)
    assert "BETWEEN CAST('2025-03-01' AS DATE) AND CAST('2025-03-07' AS DATE)" in sql


def test_a_range_of_days_that_runs_backwards_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="runs backwards"):
        planner.plan("orders from March 9 to March 7, 2025")


def test_a_typed_range_of_days_is_checked() -> None:
    from lgda_nb.planner._query import _window

    window = _window({"kind": "date_range", "year": 2025, "month": 3, "n": 1,
                      "years": [2025, 3, 7]})  # fmt: skip
    assert window is not None
    assert window.label == "March 1, 2025 to March 7, 2025"
    with pytest.raises(PlanningError, match="date_range"):
        _window({"kind": "date_range", "year": 2025, "month": 3, "n": 9, "years": [2025, 3, 7]})


@pytest.mark.parametrize(
    ("question", "aggregate"),
    [
        ("what's the longest an order has ever taken to ship, in days?", "MAX("),
        ("the shortest any order has taken to be delivered, in hours", "MIN("),
    ],
)
def test_the_longest_one_has_taken_is_a_duration(
    planner: OfflinePlanner, question: str, aggregate: str
) -> None:
    sql = compile_plan(planner.plan(question), planner.model)
    assert f"{aggregate}TIMESTAMP_DIFF(orders." in sql


@pytest.mark.parametrize(
    ("question", "order", "limit"),
    [
        ("the 3 brands with the most revenue in each department", "desc", 3),
        ("the 5 countries with the fewest orders", "asc", 5),
    ],
)
def test_the_n_things_with_the_most_is_a_ranking(
    planner: OfflinePlanner, question: str, order: str, limit: int
) -> None:
    plan = planner.plan(question)
    assert (plan.order, plan.limit) == (order, limit)


def test_a_rankings_own_columns_named_again_are_read(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "What was the best month of 2025 by revenue for each department? "
        "Show the department, the month and its revenue."
    )
    assert plan.per == "department"
    assert plan.grain == "month"
    with pytest.raises(PlanningError, match="'country'"):
        planner.plan("best month of 2025 by revenue for each department? show the country")


def test_a_users_consecutive_orders_are_a_customers(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "On average, how many whole days pass between a user's consecutive orders "
        "(orders of any status)?"
    )
    assert plan.metrics[0].startswith("gap:DAY:avg:orders:")


def test_a_distributions_values_spelled_out_are_read(planner: OfflinePlanner) -> None:
    spelled = planner.plan("basket size distribution: how many orders have 1 item, 2 items, etc")
    assert spelled.by_measure == planner.plan("basket size distribution").by_measure


def test_a_count_named_inside_its_values_is_the_measure(planner: OfflinePlanner) -> None:
    plan = planner.plan("first orders vs repeat orders per month in 2025")
    assert list(plan.metrics) == ["orders"]
    assert plan.grain == "month"


def test_every_period_top_one_first(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Which weekday had the most orders in 2024? Show the order count for every weekday, "
        "top one first."
    )
    assert plan.grain == "weekday"
    assert plan.limit is None
    assert plan.order == "desc"


def test_a_hurried_opening_asks_nothing(planner: OfflinePlanner) -> None:
    assert planner.plan("quick one - orders placed in the last 30 days?").metrics == ("orders",)


def test_items_ordered_beside_regardless_of_status_is_one_reading(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("Total sale value of all items ordered in 2025, regardless of status")
    assert "status" not in compile_plan(plan, planner.model)
    with pytest.raises(PlanningError, match="items ordered"):
        planner.plan("revenue from items ordered in 2025")


def test_a_list_ranked_and_then_by_the_same_column(planner: OfflinePlanner) -> None:
    plan = planner.plan("List the 5 most expensive products by retail price, with id and name")
    assert plan.rows == "products"
    assert plan.limit == 5


def test_an_average_above_an_amount_is_a_condition_on_each_group(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan(
        "Which categories have an average retail price above $60? Include the average."
    )
    assert [(c.metric, c.per, c.op, c.values) for c in plan.conditions] == [
        ("average_retail_price", "category", ">", (60,))
    ]
    row = planner.plan("How many products have a retail price over $200?")
    assert [(f.dimension, f.op) for f in row.filters] == [("retail_price", ">")]
    assert not row.conditions


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("what % of orders in China were cancelled", "Share within each country"),
        ("each category's share of its department's revenue", "Share within each department"),
        ("share of revenue by department", "Share of total"),
    ],
)
def test_a_share_column_says_what_it_is_of(
    planner: OfflinePlanner, question: str, label: str
) -> None:
    from lgda_nb.engine._analyze import _share_label

    assert _share_label(planner.model, planner.plan(question)) == label


def test_growth_of_a_series_against_the_previous_period(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year-over-year revenue growth: revenue per year and the % growth vs the prior year"
    )
    assert plan.growth
    assert plan.grain == "year"
    assert plan.time_window is None  # "the prior year" is what each year is compared with
    total = planner.plan("revenue growth vs the prior year")
    assert total.compare


def test_a_user_id_listed_after_a_ranking_of_customers(planner: OfflinePlanner) -> None:
    plan = planner.plan("Top 10 customers by lifetime spend: user id, country and total spend.")
    assert plan.limit == 10
    assert list(plan.metrics) == ["revenue"]
    assert "country" in plan.dimensions


def test_a_range_of_days_naming_a_day_that_does_not_exist_is_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="names a day that does not exist"):
        planner.plan("orders from Feb 30 to Mar 2, 2025")


def test_measures_of_different_tables_listed_with_commas_are_refused(
    planner: OfflinePlanner,
) -> None:
    """ "Number of orders, total items in them, and ...": a comma list may name a measure
    of the rows before it, so only "and" joins measures of different tables."""
    with pytest.raises(PlanningError, match="different tables"):
        planner.plan("users, customers by country")
    with pytest.raises(PlanningError, match="different tables"):
        planner.plan("average retail price and average cost per department")


def test_a_share_of_values_picked_from_the_breakdown_is_of_their_whole(
    planner: OfflinePlanner,
) -> None:
    """ "What share of revenue came from each department (Men vs Women)": of the total over
    every department, not of each department's own total (which gave 100% each)."""
    plan = planner.plan("What share of 2025 revenue came from each department (Men vs Women)?")
    assert list(plan.dimensions) == ["department"]
    sql = compile_plan(plan, planner.model)
    whole = sql.split("whole AS", 1)[1].split(") SELECT", 1)[0]
    assert "GROUP BY" not in whole
    assert "'Men'" not in whole
    assert "CROSS JOIN whole" in sql
    assert "share of the total over all departments" in interpret(plan, planner.model)


def test_shares_of_picked_values_add_up_to_their_part_of_the_total() -> None:
    """Run on the sample: each status's share is its orders over all orders."""
    from lgda_nb import Engine

    with Engine() as engine:
        shares = engine.ask("share of orders by status, Cancelled vs Returned", use_cache=False)
        counts = engine.run_sql(
            "SELECT status, COUNT(*) AS n, COUNT(*) / SUM(COUNT(*)) OVER () * 100 AS pct "
            "FROM orders GROUP BY status"
        ).df.set_index("status")
    assert shares.plan.interpretation.endswith("with its share of the total over all status")
    for row in shares.df.itertuples():
        assert row.orders == counts.loc[row.status, "n"]
        assert row.share_pct == pytest.approx(counts.loc[row.status, "pct"], abs=0.01)
    assert shares.df["share_pct"].max() < 100


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("monthly share of revenue by category, Jeans vs Swim, in 2024", "month"),
        ("quarterly share of orders by country, China vs Brasil", "quarter"),
    ],
)
def test_a_periods_share_of_picked_values_is_of_the_periods_whole(
    planner: OfflinePlanner, question: str, whole: str
) -> None:
    """ "Monthly share of revenue by category, Jeans vs Swim": each month's share is of the
    month's total over every category, as the same share without months is; it was of
    the picked categories alone (Jeans and Swim adding up to 100% each month) while the
    sentence said "its month's total"."""
    from lgda_nb.engine._analyze import _share_label

    plan = planner.plan(question)
    assert plan.grain == whole
    sql = compile_plan(plan, planner.model)
    whole_query = sql.split("whole AS", 1)[1].split(") SELECT", 1)[0]
    assert "'Jeans'" not in whole_query
    assert "'China'" not in whole_query
    assert f"part.{whole} = whole.{whole}" in sql
    assert "OVER" not in sql
    assert f"ORDER BY part.{'year' if whole == 'quarter' else whole}," in sql
    text = interpret(plan, planner.model)
    assert f"share of its {whole}'s total over all " in text
    assert _share_label(planner.model, plan) == f"Share within each {whole}"


def test_a_periods_share_of_picked_values_adds_up_to_its_part_of_each_period() -> None:
    """Run on the sample: each month's share is the category's revenue over all revenue
    of that month, so the two picked categories add up to less than 100%."""
    from lgda_nb import Engine

    with Engine() as engine:
        shares = engine.ask(
            "monthly share of revenue by category, Jeans vs Swim, in 2024", use_cache=False
        )
        totals = engine.run_sql(
            "SELECT DATE(TIMESTAMP_TRUNC(created_at, MONTH)) AS month, SUM(sale_price) AS r "
            "FROM order_items WHERE status NOT IN ('Cancelled', 'Returned') "
            "AND EXTRACT(YEAR FROM created_at) = 2024 GROUP BY 1"
        ).df.set_index("month")
    assert set(shares.df["category"]) == {"Jeans", "Swim"}
    for row in shares.df.itertuples():
        expected = row.revenue / totals.loc[row.month, "r"] * 100
        assert row.share_pct == pytest.approx(expected, abs=0.02)
    assert shares.df.groupby("month")["share_pct"].sum().max() < 100


# -- people said with a verb of buying ----------------------------------------------------
BOUGHT_ONE = ("items_sold", "customer_id", ">=", (1,))


@pytest.mark.parametrize(
    "question",
    [
        "average age of users who bought",
        "average age of users who made a purchase",
        "average age of users who have purchased",
        "median age of users who bought",
    ],
)
def test_people_who_bought_are_the_buyers_of_another_measure(
    planner: OfflinePlanner, question: str
) -> None:
    """The verb was passed over as a filler word, so the statistic was taken over every
    user; it is now a condition on the items each one bought (the revenue rule)."""
    plan = planner.plan(question)
    assert [(c.metric, c.per, c.op, c.values) for c in plan.conditions] == [BOUGHT_ONE]
    sql = compile_plan(plan, planner.model)
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in sql


def test_people_who_bought_in_a_period_are_refused_not_widened(planner: OfflinePlanner) -> None:
    """'Users who purchased in 2025' was read as users who signed up in 2025."""
    with pytest.raises(PlanningError, match="users who purchased"):
        planner.plan("average age of users who purchased in 2025")


def test_counting_people_who_bought_still_counts_the_buyers(planner: OfflinePlanner) -> None:
    for question in ("how many users have purchased", "count of users that bought",
                     "users who made a purchase by country"):  # fmt: skip
        assert planner.plan(question).metrics == ("customers",), question


def test_a_condition_on_items_sold_keeps_the_revenue_rule(planner: OfflinePlanner) -> None:
    """ "Items sold" follow the revenue rule in a condition on each customer or order too;
    "items" alone are an order's items of any status."""
    said = {
        "users with at least 5 items sold": "items_sold",
        "orders with more than 3 items sold": "items_sold",
        "users with at least 5 items": "order_lines",
        "orders with more than 3 items": "order_lines",
    }
    for question, metric in said.items():
        assert [c.metric for c in planner.plan(question).conditions] == [metric], question


def test_a_ranking_after_the_list_of_measures_ranks_by_the_one_it_names(
    planner: OfflinePlanner,
) -> None:
    """ "items sold and revenue by brand - top 10 by revenue" was ranked by items sold."""
    plan = planner.plan("items sold and revenue by brand for 2025 - top 10 by revenue")
    assert (plan.metrics, plan.limit) == (("revenue", "items_sold"), 10)
    assert "ORDER BY SUM(order_items.sale_price) DESC" in compile_plan(plan, planner.model)
    kept = planner.plan("revenue and items sold by brand - top 10 by items sold")
    assert kept.metrics == ("items_sold", "revenue")


def test_cohorts_beside_first_order_months_add_no_signup_breakdown(
    planner: OfflinePlanner,
) -> None:
    """'2025 cohorts (customers whose first order was in each month)' are the first-order
    cohorts; a signup month breakdown beside them split each cohort again."""
    plan = planner.plan(
        "retention for 2025 cohorts (customers whose first order was in each month, "
        "Jan-Nov): what % ordered again the next month? show cohort size too"
    )
    assert plan.dimensions == ("first_order_month",)
    both = planner.plan("users by signup month and first order month")
    assert both.dimensions == ("signup_month", "first_order_month")


@pytest.mark.parametrize(
    "question", ["total retail price of products", "sum of retail price of all products"]
)
def test_a_sum_of_a_number_measured_as_an_average_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """ "Total retail price" was answered with the average retail price."""
    with pytest.raises(PlanningError, match="asks for a sum") as caught:
        planner.plan(question)
    assert caught.value.hint
    assert planner.plan("total revenue").metrics == ("revenue",)


def test_an_average_over_the_things_a_condition_keeps_is_one_number(
    planner: OfflinePlanner,
) -> None:
    """ "Average retail price of products that were never sold" was one row per product
    (each its own price); "products that were never sold" still lists them."""
    plan = planner.plan("average retail price of products that were never sold")
    assert (plan.metrics, plan.dimensions) == (("average_retail_price",), ())
    assert [c.per for c in plan.conditions] == ["product"]
    assert planner.plan("products that were never sold").dimensions == ("product",)
    by = planner.plan("average retail price by product for products never sold")
    assert by.dimensions == ("product",)


@pytest.mark.parametrize(
    "question",
    [
        "revenue from new customers in 2025",
        "orders from new customers in 2025",
        "revenue from new customers in Germany",
        "revenue from first time customers",
    ],
)
def test_measures_of_new_customers_are_refused_not_widened(
    planner: OfflinePlanner, question: str
) -> None:
    """New customers are counted on derived rows (first orders): "revenue from new
    customers" was every customer's revenue."""
    with pytest.raises(PlanningError, match="to new customers"):
        planner.plan(question)


def test_customers_acquired_through_a_channel_name_who_by_the_channel() -> None:
    planner = OfflinePlanner(
        load_model(), {**VALUES, "acquisition_channel": ["Facebook", "Search"]}
    )
    plan = planner.plan("How much revenue came from customers acquired via Facebook in 2025?")
    assert plan.metrics == ("revenue",)
    assert [f.dimension for f in plan.filters] == ["acquisition_channel"]


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("orders from 2025-01-01 to 2025-03-31", "2025-01-01", "2025-03-31"),
        ("revenue between 2024-12-01 and 2024-12-31", "2024-12-01", "2024-12-31"),
        ("revenue 2025-01-01 - 2025-01-31 by category", "2025-01-01", "2025-01-31"),
    ],
)
def test_a_range_of_iso_dates_is_whole_days(
    planner: OfflinePlanner, question: str, first: str, last: str
) -> None:
    sql = compile_plan(planner.plan(question), planner.model)
    assert f"BETWEEN CAST('{first}' AS DATE) AND CAST('{last}' AS DATE)" in sql


def test_a_range_of_iso_dates_backwards_or_impossible_is_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="runs backwards"):
        planner.plan("orders from 2025-03-31 to 2025-01-01")
    with pytest.raises(PlanningError, match="does not exist"):
        planner.plan("orders from 2025-02-30 to 2025-03-31")


def test_how_many_things_meet_a_condition_is_one_count(planner: OfflinePlanner) -> None:
    """ "How many products have more than 10 items sold" listed the products, each with
    a count of 1; "which products ..." still lists them."""
    for question in ("how many products have more than 10 items sold",
                     "count of products with more than 10 items sold"):  # fmt: skip
        plan = planner.plan(question)
        assert (plan.metrics, plan.dimensions) == (("products",), ()), question
        assert [c.per for c in plan.conditions] == ["product"]
    assert planner.plan("which products have more than 10 items sold").dimensions == ("product",)


def test_things_listed_by_a_condition_show_its_measure(planner: OfflinePlanner) -> None:
    """ "Products with more than 10 items sold" showed each product with a count of 1;
    they show their items sold, as "which products ..." do. Products never sold have no
    measure to show and keep their list."""
    for question in ("products with more than 10 items sold",
                     "list products with more than 10 items sold"):  # fmt: skip
        plan = planner.plan(question)
        assert (plan.metrics, plan.dimensions) == (("items_sold",), ("product",)), question
    assert planner.plan("products that were never sold").metrics == ("products",)


@pytest.mark.parametrize(
    "question",
    ["what share of orders were placed by women, by year?",
     "share of orders that were returned, by month in 2025"],
)  # fmt: skip
def test_a_share_of_filtered_rows_by_period_is_of_each_periods_whole(
    planner: OfflinePlanner, question: str
) -> None:
    """It was each year's part of the filtered rows over every year (women's orders of
    2024 over all women's orders); it is the filtered part of each year's orders."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert "WITH part AS" in sql
    assert "whole AS" in sql
    assert "OVER ()" not in sql


def test_a_split_within_each_group_is_a_share(planner: OfflinePlanner) -> None:
    plan = planner.plan("Men vs Women dept revenue split within each country (2025)")
    assert plan.share
    assert plan.share_within == "country"
    assert not planner.plan("revenue split by department").share


def test_columns_of_the_things_ranked_after_a_bare_with(planner: OfflinePlanner) -> None:
    """ "... with brand and category" reads as "with their brand and category"."""
    plan = planner.plan("top 3 products by 2025 revenue, with brand and category")
    sql = compile_plan(plan, planner.model)
    assert "products.brand AS brand" in sql
    assert "products.category AS category" in sql
    assert plan.dimensions[0] == "product"


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("number of products that have never been ordered", "order_lines"),
        ("number of products that have never been sold", "items_sold"),
        ("number of products with more than 10 items sold", "items_sold"),
    ],
)
def test_a_condition_on_each_thing_a_plain_count_counts(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """ "Number of products that ..." was refused: the count names no entity of its own,
    and its rows are the products the key dimension names."""
    plan = planner.plan(question)
    assert plan.metrics == ("products",)
    assert [(c.metric, c.per) for c in plan.conditions] == [(metric, "product")]
    assert plan.dimensions == ()


@pytest.mark.parametrize(
    ("question", "own"),
    [
        ("which brands have more than 50 products in the Men department",
         [("department", ("Men",))]),
        ("customers in Germany who spent more than $500 on Jeans", [("category", ("Jeans",))]),
        ("orders with more than 3 items in the Jeans or Swim category",
         [("category", ("Jeans", "Swim"))]),
        # Values before the condition, or joined to it by a verb, are the answer's alone.
        ("Jeans revenue from customers who spent more than $500", []),
        ("what share of orders with more than 2 items ended up cancelled?", []),
        ("brands with more than 50 products not in the Men department", []),
    ],
)  # fmt: skip
def test_values_said_right_after_a_condition_filter_its_measure(
    planner: OfflinePlanner, question: str, own: list[tuple[str, tuple[str, ...]]]
) -> None:
    """ "Brands with more than 50 products in the Men department" counts each brand's Men
    products, as the answer shows them; before, the condition counted every department."""
    (condition,) = planner.plan(question).conditions
    assert [(f.dimension, f.values) for f in condition.filters] == own


def test_a_condition_with_values_of_its_own_on_the_sample(
    planner: OfflinePlanner, engine: Any
) -> None:
    """Every brand kept has more than 3 Men products, and only those brands are kept."""
    plan = planner.plan("which brands have more than 3 products in the Men department")
    assert "only brands with more than 3 products where department is Men" in interpret(
        plan, planner.model
    )
    rows = engine.run_sql(compile_plan(plan, planner.model)).df
    every = engine.run_sql(
        "SELECT brand, COUNT(*) AS n FROM products WHERE department = 'Men' GROUP BY 1"
    ).df
    assert len(rows) > 0
    assert set(rows.brand) == set(every.brand[every.n > 3])
    assert (rows.products > 3).all()
    query = json.loads(json.dumps(query_of(plan)))
    again = plan_from_query(plan.question, query, planner.model, VALUES)
    assert compile_plan(again, planner.model) == compile_plan(plan, planner.model)


def test_a_typed_querys_condition_filters_are_checked_like_its_own(
    planner: OfflinePlanner,
) -> None:
    """A value the data lacks in a condition's filters is refused with its sentence."""
    query = {
        "metrics": ["products"],
        "dimensions": ["brand"],
        "conditions": [
            {"metric": "products", "per": "brand", "op": ">", "values": [3],
             "filters": [{"dimension": "department", "values": ["Kids"]}]},
        ],
    }  # fmt: skip
    with pytest.raises(PlanningError, match="'Kids' is not a value of department"):
        plan_from_query("q", query, planner.model, VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "avg age of ppl who've made a purchase, by gender",
        "average age of users who've bought something",
    ],
)
def test_people_who_have_bought_said_with_a_contraction_are_the_buyers(
    planner: OfflinePlanner, question: str
) -> None:
    """ "who've" was a filler word, so the clause was dropped and every user averaged."""
    plan = planner.plan(question)
    assert plan.metrics == ("average_age",)
    assert plan.conditions  # only the people who bought


@pytest.mark.parametrize(
    "question",
    [
        "how many 2025 signups in each acquisition channel have placed 2 or more orders",
        "how many users by country have placed 2 or more orders",
    ],
)
def test_what_people_did_after_their_breakdown_is_said_of_the_people(
    planner: OfflinePlanner, question: str
) -> None:
    """The condition kept channels with 2 orders in all before: the people placed them."""
    plan = planner.plan(question)
    assert [c.per for c in plan.conditions] == ["customer_id"]


def test_what_groups_did_stays_said_of_the_groups(planner: OfflinePlanner) -> None:
    plan = planner.plan("which countries have placed 2 or more orders")
    assert [c.per for c in plan.conditions] == ["country"]


def test_a_second_count_of_the_first_ones_rows_is_refused_when_one_would_be_lost(
    planner: OfflinePlanner,
) -> None:
    """Only the buyers were counted before: the signups were left out unsaid."""
    question = (
        "how many ppl signed up via organic last yr and how many of those have bought anything"
    )
    with pytest.raises(PlanningError, match="how many of those") as refused:
        planner.plan(question)
    assert refused.value.hint


def test_a_second_count_read_as_a_cohort_is_still_answered(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "how many users signed up in 2024, and how many of them placed an order within 30 days"
    )
    assert len(plan.metrics) == 2
