"""Readings found while working through what the newest blind sets refused: things
counted in buckets of an amount however the buckets are said, extremes with a statistic
of the same number, customers ranked by spend overall or within each group (single
things ranked within each period are refused), measures of two tables listed side by
side, restated statuses and dates, a share meeting a condition in each period, orders
a customer bought in, a keyed breakdown's id and name, bare rows of a condition beside a
rate over every row, a breakdown named before its measure, and retention headings."""

from __future__ import annotations

import pytest

from lgda_nb.engine import Engine
from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model

VALUES = {
    "country": ["Brasil", "China", "Germany", "Japan", "United States"],
    "gender": ["F", "M"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "width", "entity"),
    [
        ("2025 orders by order value in $100 buckets", 100, "order_id"),
        ("count customers by lifetime spend in $250 steps", 250, "customer_id"),
        (
            "Bucket customers by their total lifetime spend in $250 steps (0, 250, 500, ...) "
            "and count customers per bucket.",
            250,
            "customer_id",
        ),
        (
            "Could you bucket 2025 orders by order value in $100 buckets and tell me how many "
            "orders land in each bucket?",
            100,
            "order_id",
        ),
        (
            "For 2025, how many orders fall in each $50 order-value bucket? Label buckets by "
            "their lower bound.",
            50,
            "order_id",
        ),
    ],
)
def test_things_counted_in_buckets_of_their_amount(
    planner: OfflinePlanner, question: str, width: int, entity: str
) -> None:
    plan = planner.plan(question)
    assert plan.by_measure is not None
    assert plan.by_measure.endswith(":" + entity)
    assert plan.by_measure_width == width


def test_buckets_of_a_column_stay_bands_of_it(planner: OfflinePlanner) -> None:
    plan = planner.plan("how many users fall in each 10-year age bucket")
    assert plan.by_measure is None
    assert [(b.dimension, b.width) for b in plan.bands] == [("age", 10)]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("youngest, oldest and mean user age", ("min:age", "max:age", "avg:age")),
        # "mean age" is a measure of its own; the extremes before it are of the age too.
        ("youngest, oldest and mean age of users in Brasil", ("min:age", "max:age", "average_age")),
        ("cheapest, priciest and average retail price by category",
         ("min:retail_price", "max:retail_price", "average_retail_price")),
    ],
)  # fmt: skip
def test_extremes_listed_with_a_statistic_of_the_same_number(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    assert planner.plan(question).metrics == metrics


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        (
            "whats the youngest and oldest user age, and the average",
            ("min:age", "max:age", "avg:age"),
        ),
        ("youngest and oldest user age, plus the median?", ("min:age", "max:age", "median:age")),
    ],
)
def test_a_last_statistic_said_bare_is_of_the_same_number(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """ "..., and the average" was dropped before: the average is the age's too."""
    assert planner.plan(question).metrics == metrics


@pytest.mark.parametrize(
    "question", ["# of orders by how many items are in them", "orders by how many items they have"]
)
def test_by_how_many_things_are_in_each_groups_by_that_number(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.by_measure is not None
    assert plan.metrics[0] == "orders"


@pytest.mark.parametrize(
    "question",
    [
        "Who are our 10 biggest spenders of all time? Show user id, country, and how much "
        "they've spent.",
        "our 10 top spenders",
    ],
)
def test_biggest_spenders_are_customers_ranked_by_spend(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.limit == 10
    assert plan.dimensions[0] == "customer_id"
    assert plan.metrics == ("revenue",)


def test_top_customers_within_each_group(planner: OfflinePlanner) -> None:
    plan = planner.plan("top 3 customers by revenue in each country")
    assert (plan.dimensions, plan.per, plan.limit) == (("customer_id", "country"), "country", 3)
    assert "PARTITION BY users.country" in compile_plan(plan, load_model())


@pytest.mark.parametrize(
    "question",
    ["top 5 orders by value in each month of 2025", "the 3 biggest orders by value per month"],
)
def test_single_things_ranked_within_each_period_are_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError, match="ranked within each month"):
        planner.plan(question)


@pytest.mark.parametrize(
    "question",
    [
        "users, customers and revenue by traffic source",
        "By acquisition channel: total users, number of customers, and revenue.",
        "Country breakdown, all time: total registered users alongside the count of distinct "
        "customers (people who bought).",
        "2025 by month: new user signups next to the number of orders placed (all statuses).",
    ],
)
def test_measures_of_different_tables_listed_side_by_side(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert len(plan.metrics) >= 2
    assert "FULL OUTER JOIN" in compile_plan(plan, load_model())


@pytest.mark.parametrize(
    "question",
    [
        "Per country for 2025: orders (counting every status), revenue, and number of customers.",
        "Per country for 2025: orders (every order status counts), revenue, and customers.",
    ],
)
def test_every_status_restated_in_parentheses(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("orders", "revenue", "customers")
    assert "COUNT(DISTINCT order_items.order_id)" in compile_plan(plan, load_model())


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("what % of orders had more than 2 items by year", "year"),
        (
            "Of the orders that have shipped, what % shipped within 1 day of being placed? "
            "Break it down by order year.",
            "year",
        ),
        ("share of customers with more than one order by month in 2025", "month"),
    ],
)
def test_a_share_meeting_a_condition_in_each_period(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    plan = planner.plan(question)
    assert (plan.share, plan.grain, plan.dimensions) == (True, grain, ())
    sql = compile_plan(plan, load_model())
    assert sql.endswith(f"ORDER BY {'whole.' if 'whole' in sql else ''}{grain}")


@pytest.mark.parametrize(
    "question",
    [
        "customers by number of orders they bought in",
        "Break down our customers by how many orders they bought something in: for each number "
        "of orders, how many customers?",
    ],
)
def test_customers_by_the_orders_they_bought_in(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.by_measure == "distinct_in:items_sold:order_id:customer_id"
    sql = compile_plan(plan, load_model())
    assert "COUNT(DISTINCT order_items.order_id)" in sql
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in sql


def test_customers_by_number_of_orders_asks_which_orders(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="could count all of their orders"):
        planner.plan("customers by number of orders")


@pytest.mark.parametrize(
    "question",
    [
        "In 2025, how many customers made purchases in 3 or more separate orders?",
        "how many customers have at least 3 orders with items bought in 2025",
    ],
)
def test_customers_who_bought_in_several_orders(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("customers",)
    (condition,) = plan.conditions
    assert (condition.metric, condition.op, condition.values) == (
        "distinct_in:items_sold:order_id",
        ">=",
        (3,),
    )


def test_counted_by_a_number_with_nothing_counted_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="not what to count by it"):
        planner.plan("among users who have placed an order, how many by number of orders")


@pytest.mark.parametrize(
    "question",
    [
        "items sold by distribution center in 2025, showing the center id and name",
        "In the product catalog, how many different categories are assigned to each "
        "distribution center? Show the center's id, name and the count.",
    ],
)
def test_a_keyed_breakdown_shows_its_id_and_name_as_asked(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.dimensions == ("distribution_center",)
    assert "distribution_centers.id AS distribution_center_id" in compile_plan(plan, load_model())


def test_a_bucket_width_said_as_wide(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Group orders by order value into $50-wide buckets and count the orders in each bucket"
    )
    assert (plan.by_measure, plan.by_measure_width) == ("revenue:order_id", 50)


def test_decades_spelled_out_restate_the_decade(planner: OfflinePlanner) -> None:
    plan = planner.plan("user count by age decade (10s, 20s, 30s ...)")
    assert plan.dimensions == ("age_decade",)


def test_a_number_plus_before_a_unit_is_at_least_it(planner: OfflinePlanner) -> None:
    (condition,) = planner.plan(
        "Count of orders that shipped 2+ days after being placed"
    ).conditions
    assert (condition.op, condition.values) == (">=", (2,))


def test_bare_rows_of_a_condition_beside_a_rate_over_every_row_are_asked(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="could be all of them"):
        planner.plan("item return rate by brand, top 10, brands w/ 100+ items")
    plan = planner.plan("item return rate by brand, brands with at least 100 items sold")
    assert plan.conditions[0].metric == "items_sold"


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("category revenue, trailing 90 days vs the preceding 90 days", "category"),
        ("Compare department revenue in Q3 2025 against Q3 2024, incl. % change", "department"),
        ("country orders last year", "country"),
    ],
)
def test_a_breakdown_named_right_before_the_measure(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    assert planner.plan(question).dimensions == (dimension,)


def test_a_value_right_before_the_measure_stays_a_filter(planner: OfflinePlanner) -> None:
    plan = planner.plan("China revenue in 2025")
    assert plan.dimensions == ()
    assert [f.values for f in plan.filters] == [("China",)]


@pytest.mark.parametrize(
    "question",
    [
        "Retention for the January-October 2025 first-order cohorts: cohort size, how many "
        "ordered again the next month, and that as a %.",
        "Monthly retention for 2025 first-order cohorts, January to October: cohort size, how "
        "many ordered again the next month, and the %.",
        "retention by first-order month, Jan to Nov 2025: cohort size, how many ordered again "
        "the following month, and the %",
    ],
)
def test_retention_of_first_order_cohorts_with_size_count_and_rate(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("new_customers", "retained_next_month", "next_month_retention")
    assert plan.dimensions == ("first_order_month",)
    assert plan.time_window is not None


def test_a_share_among_things_meeting_another_condition_is_refused(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="among those that meet another"):
        planner.plan("what % of users with at least one order have more than one order")


@pytest.mark.parametrize(
    "question",
    [
        "what % of customers in China have more than one order",
        "what % of female customers have more than 2 orders",
    ],
)
def test_a_share_of_one_values_things_meeting_a_condition_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError, match="things of one value that meet a condition"):
        planner.plan(question)


def test_a_condition_before_the_verb_names_the_whole(planner: OfflinePlanner) -> None:
    plan = planner.plan("what share of orders with more than 2 items were cancelled")
    assert plan.share
    assert [f.values for f in plan.filters] == [("Cancelled",)]


@pytest.mark.parametrize(
    "question",
    [
        "For each month of 2025, what share of sessions included a purchase? Date each session "
        "by its first event.",
        "Sessions by hour of day (UTC) in 2025, placing each session in the hour of its first "
        "event",
        "Monthly cart abandonment rate during 2025 (each session counted in the month of its "
        "first event)",
    ],
)
def test_the_sessions_convention_restated(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).grain in {"month", "hour"}


@pytest.mark.parametrize(
    "question",
    [
        "Cancellation rate by customer country for orders placed in 2025, highest rate first.",
        "Median retail price of products in each category, highest median first.",
    ],
)
def test_an_order_restated_with_its_measure(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).order == "desc"


@pytest.mark.parametrize(
    ("question", "days", "dimensions"),
    [
        (
            "For each customer country, among delivered orders, % delivered in 5 days or less "
            "from order placement.",
            5,
            ("country",),
        ),
        (
            "Delivered orders only: percentage that got to the customer no more than 3 days "
            "after the order was placed.",
            3,
            (),
        ),
        (
            "Among delivered orders, what percentage reached the customer no more than 5 days "
            "after being placed?",
            5,
            (),
        ),
    ],
)
def test_a_share_of_delivered_orders_delivered_within_days(
    planner: OfflinePlanner, question: str, days: int, dimensions: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.share_of_measured
    assert plan.dimensions == dimensions
    (condition,) = plan.conditions
    assert (condition.op, condition.values) == ("<=", (days,))


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("Which brands made more than $10,000 in revenue in 2025, and how much each?", ("brand",)),
        (
            "Which user countries had at least 1,000 orders in 2025? Show each one's order count "
            "and its 2025 revenue.",
            ("country",),
        ),
        ("Break down our user base by gender - how many users of each?", ("gender",)),
    ],
)
def test_the_measure_of_each_thing_restated(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    assert planner.plan(question).dimensions == dimensions


@pytest.mark.parametrize(
    ("question", "grain", "limit"),
    [
        ("What were the 3 busiest days ever in terms of number of orders?", "day", 3),
        ("the 3 months with the most revenue in 2025", "month", 3),
        ("top 5 weeks by revenue in 2024", "week", 5),
    ],
)
def test_periods_ranked_by_a_measure(
    planner: OfflinePlanner, question: str, grain: str, limit: int
) -> None:
    plan = planner.plan(question)
    assert (plan.grain, plan.limit, plan.order) == (grain, limit, "desc")


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("Number of customers whose lifetime spend tops $1,000", 1000),
        ("how many buyers have a lifetime spend north of $500?", 500),
    ],
)
def test_a_lifetime_spend_over_an_amount(
    planner: OfflinePlanner, question: str, amount: int
) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.op, condition.values) == ("revenue", ">", (amount,))


def test_signed_up_via_a_channel(planner: OfflinePlanner) -> None:
    plan = OfflinePlanner(load_model(), {"acquisition_channel": ["Facebook", "Search"]}).plan(
        "how many users who signed up via Facebook have placed at least one order"
    )
    assert [f.values for f in plan.filters] == [("Facebook",)]
    assert plan.conditions


def test_a_list_read_past_the_list_reader_is_never_a_count(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("List all distribution centers in alphabetical order.")


@pytest.mark.parametrize(
    "question",
    [
        "On average, how many days after signing up does a user place their first order?",
        "on average how long (in days) does it take a user to place their first order after "
        "registering?",
        "On average how many days does it take a user to place their first order after signing "
        "up? (users who have ordered)",
    ],
)
def test_days_from_signup_to_first_order_asked_as_a_question(
    planner: OfflinePlanner, question: str
) -> None:
    (metric,) = planner.plan(question).metrics
    assert metric.startswith("duration:DAY:avg:")


@pytest.mark.parametrize(
    "question",
    [
        "Cart-to-purchase conversion by website traffic source for 2025 — show sessions with a "
        "cart, how many of those also purchased, and the rate.",
        "What's our cart-to-purchase conversion rate? Show cart sessions and purchasing sessions "
        "too.",
    ],
)
def test_a_conversion_with_its_counts_restated(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.session_filters
    assert plan.session_rate


@pytest.mark.parametrize(
    ("question", "by"),
    [
        ("top 2 categories by unsold stock value in each distribution center", "name"),
        ("top 2 categories by unsold stock value in each DC - show DC id and name", "id"),
        ("top 2 categories by revenue at each distribution center (center id, name)", "id"),
    ],
)
def test_a_ranking_within_centers_restarts_by_center_id(
    engine: Engine, question: str, by: str
) -> None:
    """Center names could repeat: the ranking restarts by id. The centers follow by
    name, or by id when the question names the id; each has its own top 2."""
    result = engine.ask(question)
    assert "PARTITION BY distribution_centers.id" in result.sql
    df = result.df
    shown = df["distribution_center_id" if by == "id" else "distribution_center"].tolist()
    assert shown == sorted(shown)
    assert df.groupby("distribution_center_id")["rank"].apply(list).map([1, 2].__eq__).all()


def test_a_typed_query_orders_groups_by_key_only_of_a_keyed_ranking() -> None:
    """``per_by_key`` lists a ranking's groups by id; without a keyed ``per`` it is refused
    with a sentence and a hint, never ignored."""
    from lgda_nb.planner._query import plan_from_query

    model = load_model()
    ranked = {"metrics": ["revenue"], "dimensions": ["brand", "distribution_center"], "limit": 2}
    plan = plan_from_query("q", {**ranked, "per": "distribution_center", "per_by_key": True}, model)
    assert plan.per_by_key
    sql = compile_plan(plan, model)
    assert sql.rsplit("ORDER BY", 1)[1].startswith(" distribution_centers.id")
    for refused in (
        {**ranked, "per_by_key": True},
        {"metrics": ["revenue"], "dimensions": ["brand", "category"], "limit": 2,
         "per": "category", "per_by_key": True},
    ):  # fmt: skip
        with pytest.raises(PlanningError, match="per_by_key") as info:
            plan_from_query("q", refused, model)
        assert info.value.hint


@pytest.mark.parametrize(
    ("question", "rate", "baseline"),
    [
        (
            "Which categories have an item return rate above the overall item return rate?",
            "item_return_rate",
            "overall_item_return_rate",
        ),
        (
            "categories with revenue above the average category revenue",
            "revenue",
            "average_revenue_per_category",
        ),
    ],
)
def test_groups_above_the_average_show_the_average(
    engine: Engine, question: str, rate: str, baseline: str
) -> None:
    """The average each group was compared with is shown beside it, one value for all
    rows, and every row kept is above it."""
    result = engine.ask(question)
    df = result.df
    assert df[baseline].nunique() == 1
    assert (df[rate] > df[baseline]).all()
    # said once, in the measure's own unit, never as "highest for" one row
    assert "for every row" in result.summary
    assert result.summary.count("is highest for") == 1
