"""Measures per entity aggregated again, statistics, distributions, shares of entities,
Pareto shares and comparisons with the average: read, compiled, run and restated."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Condition, Plan
from lgda_nb.planner._query import plan_from_query, query_of, query_schema

VALUES = {"department": ["Men", "Women"], "category": ["Jeans", "Swim"]}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("median order value", ("median:revenue:order_id",), ()),
        ("min, max and median number of items per order",
         ("min:order_lines:order_id", "max:order_lines:order_id", "median:order_lines:order_id"),
         ()),
        ("90th percentile order value", ("p90:revenue:order_id",), ()),
        ("median spend per customer by country", ("median:revenue:customer_id",), ("country",)),
        ("average events per session by traffic source", ("avg:events:session_id",),
         ("acquisition_channel",)),
        ("average orders per user among users who placed an order", ("avg:orders:customer_id",),
         ()),
        ("average session length in minutes (first to last event)",
         ("avg:session_minutes:session_id",), ()),
        ("25th, 50th and 75th percentile of sale price by department",
         ("p25:sale_price", "median:sale_price", "p75:sale_price"), ("department",)),
        ("quartiles of retail price", ("p25:retail_price", "median:retail_price",
                                       "p75:retail_price"), ()),
        ("oldest and youngest user", ("max:age", "min:age"), ()),
    ],
)  # fmt: skip
def test_statistics_are_read_per_entity_or_per_row(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    """A statistic of a measure per order, customer or session, or of a number's rows."""
    planned = planner.plan(question)
    assert planned.metrics == metrics
    assert planned.dimensions == dimensions


def test_the_models_own_averages_stay_its_measures(planner: OfflinePlanner) -> None:
    """'average items per order' and 'average order value' are the model's metrics."""
    assert planner.plan("average items per order").metrics == ("items_per_order",)
    assert planner.plan("average order value").metrics == ("average_order_value",)
    # A basket's size is its items, as in "basket size distribution"; its value is money.
    assert planner.plan("basket size by country").metrics == ("items_per_order",)
    assert planner.plan("average basket size").metrics == ("items_per_order",)
    assert planner.plan("average basket").metrics == ("average_order_value",)
    assert planner.plan("average spend per customer by country").metrics == (
        "revenue_per_customer",
    )


@pytest.mark.parametrize(
    ("question", "by_measure", "counted"),
    [
        ("basket size distribution", "order_lines:order_id", "orders"),
        ("how many orders by number of items", "order_lines:order_id", "orders"),
        ("distribution of orders per customer", "orders:customer_id", "customers"),
    ],
)
def test_entities_are_counted_by_their_own_measure(
    planner: OfflinePlanner, question: str, by_measure: str, counted: str
) -> None:
    """The measure of each entity becomes the breakdown, counting the entities."""
    planned = planner.plan(question)
    assert planned.by_measure == by_measure
    assert planned.metrics == (counted,)


def test_a_share_of_entities_meeting_a_condition(planner: OfflinePlanner) -> None:
    """'share of customers with more than one order': the condition and the share."""
    planned = planner.plan("what percentage of customers placed more than one order")
    assert planned.share
    assert planned.conditions == (Condition("orders", "customer_id", ">", (1,)),)


def test_the_share_from_the_top_entities(planner: OfflinePlanner) -> None:
    """Pareto: the share of revenue from the top 20% of customers by spend."""
    planned = planner.plan("what share of revenue comes from the top 20% of customers by spend")
    assert (planned.metrics, planned.top_percent, planned.top_per) == (
        ("revenue",),
        20,
        "customer_id",
    )


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("products priced above the average retail price",
         Condition("avg:retail_price", "product", ">", (), "average")),
        ("how many users are younger than average",
         Condition("avg:age", "customer_id", "<", (), "average")),
        ("categories whose average retail price is above the overall average",
         Condition("average_retail_price", "category", ">", (), "average")),
        ("customers who spent more than the average spend per customer",
         Condition("revenue", "customer_id", ">", (), "average")),
    ],
)  # fmt: skip
def test_comparisons_with_the_average(
    planner: OfflinePlanner, question: str, condition: Condition
) -> None:
    """Above or below the average, on each row's number or on a measure per group."""
    assert planner.plan(question).conditions == (condition,)


@pytest.mark.parametrize(
    ("question", "match"),
    [
        ("median order value and revenue", "beside another measure"),
        ("order value distribution", "did not understand"),
        ("share of revenue from the top 20% of customers by orders", "ranked by another"),
        ("Jeans products priced above the average retail price", "filtered"),
        ("120th percentile of sale price", "does not exist"),
        ("90th percentile of the weather", "which number"),
        ("oldest and youngest customer", "did not understand"),
    ],
)
def test_near_misses_are_refused(planner: OfflinePlanner, question: str, match: str) -> None:
    """What cannot be computed as asked is a refusal that says why."""
    with pytest.raises(PlanningError, match=match):
        compile_plan(planner.plan(question), planner.model)


def _rows(engine: Any, sql: str) -> list[tuple[Any, ...]]:
    frame = engine.run_sql(sql).df
    return sorted(
        tuple(round(float(v), 2) if isinstance(v, float) else v for v in row)
        for row in frame.itertuples(index=False)
    )


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("median order value",
         "WITH o AS (SELECT order_id, SUM(sale_price) AS v FROM order_items WHERE status NOT "
         "IN ('Cancelled', 'Returned') GROUP BY 1) SELECT DISTINCT ROUND(PERCENTILE_CONT(v, "
         "0.5) OVER (), 2) FROM o"),
        ("min, max and median number of items per order",
         "WITH o AS (SELECT order_id, COUNT(*) AS n FROM order_items GROUP BY 1) SELECT "
         "DISTINCT MIN(n) OVER (), MAX(n) OVER (), ROUND(PERCENTILE_CONT(n, 0.5) OVER (), 2) "
         "FROM o"),
        ("25th and 75th percentile of sale price by department",
         "SELECT DISTINCT p.department, ROUND(PERCENTILE_CONT(oi.sale_price, 0.25) OVER "
         "(PARTITION BY p.department), 2), ROUND(PERCENTILE_CONT(oi.sale_price, 0.75) OVER "
         "(PARTITION BY p.department), 2) FROM order_items oi JOIN products p ON p.id = "
         "oi.product_id"),
        ("basket size distribution",
         "SELECT n, COUNT(*) FROM (SELECT order_id, COUNT(*) AS n FROM order_items GROUP BY 1) "
         "GROUP BY 1"),
        ("what percentage of customers placed more than one order",
         "WITH c AS (SELECT user_id, COUNT(DISTINCT order_id) AS n FROM order_items WHERE "
         "status NOT IN ('Cancelled', 'Returned') GROUP BY 1) SELECT COUNTIF(n > 1), "
         "COUNT(*), ROUND(100 * COUNTIF(n > 1) / COUNT(*), 2) FROM c"),
        ("what share of revenue comes from the top 20% of customers",
         "WITH c AS (SELECT user_id, SUM(sale_price) AS v FROM order_items WHERE status NOT IN "
         "('Cancelled', 'Returned') GROUP BY 1), r AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v "
         "DESC, user_id) AS rn, COUNT(*) OVER () AS n FROM c) SELECT COUNTIF(rn <= CEIL(n * "
         "0.2)), ROUND(SUM(IF(rn <= CEIL(n * 0.2), v, 0)), 2), ROUND(SUM(v), 2), ROUND(100 * "
         "SUM(IF(rn <= CEIL(n * 0.2), v, 0)) / SUM(v), 2) FROM r"),
        ("how many products are priced above the average retail price",
         "SELECT COUNT(*) FROM products WHERE retail_price > (SELECT AVG(retail_price) FROM "
         "products)"),
        ("customers who spent more than the average spend per customer",
         "WITH c AS (SELECT user_id, SUM(sale_price) AS v FROM order_items WHERE status NOT IN "
         "('Cancelled', 'Returned') GROUP BY 1) SELECT COUNT(*) FROM c WHERE v > (SELECT "
         "AVG(v) FROM c)"),
    ],
)  # fmt: skip
def test_answers_on_the_sample(
    planner: OfflinePlanner, engine: Any, question: str, gold: str
) -> None:
    """Each shape gives the rows of SQL written by hand for the same question."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert _rows(engine, sql) == _rows(engine, gold)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("median order value", "revenue computed for each order, then the median over orders"),
        ("median order value", "excluding Cancelled and Returned items"),
        ("quartiles of retail price", "percentiles exact and continuous"),
        ("basket size distribution", "orders counted by that number"),
        ("what percentage of customers placed more than one order",
         "as a share of all customers, each customer's orders counted on the same rows"),
        ("what share of revenue comes from the top 20% of customers",
         "the share of the total from the top 20% of customers (rounded up)"),
        ("customers who spent more than the average spend per customer",
         "above the average per customer over the same rows and period"),
        ("categories whose average retail price is above the overall average",
         "above the overall average over the same rows and period"),
    ],
)  # fmt: skip
def test_the_interpretation_says_what_is_computed_per_entity(
    planner: OfflinePlanner, question: str, says: str
) -> None:
    """The sentence names the measure per entity, then how it is aggregated."""
    assert says in interpret(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "median order value by country",
        "90th percentile of spend per customer in 2024",
        "25th, 50th and 75th percentile of sale price by department",
        "basket size distribution",
        "share of customers with more than one order",
        "what share of revenue comes from the top 20% of customers",
        "products priced above the average retail price",
        "customers who spent more than the average spend per customer",
    ],
)
def test_the_typed_query_round_trips(planner: OfflinePlanner, question: str) -> None:
    """A model answering with the typed query gets the reader's SQL."""
    model = planner.model
    planned = planner.plan(question)
    again = plan_from_query(question, query_of(planned), model)
    assert compile_plan(again, model) == compile_plan(planned, model)


@pytest.mark.parametrize(
    "query",
    [
        {"metrics": ["median:revenue:country"]},
        {"metrics": ["p0:sale_price"]},
        {"metrics": ["p90:revenue:order_id", "revenue"]},
        {"metrics": ["orders"], "by_measure": "revenue:nowhere"},
        {"metrics": ["revenue"], "top_percent": 120, "top_per": "customer_id"},
        {"metrics": ["revenue"], "top_percent": 20},
        {"metrics": ["customers"], "conditions": [
            {"metric": "revenue", "per": "customer_id", "op": ">", "values": [1],
             "against": "average"}]},
    ],
)  # fmt: skip
def test_typed_queries_that_do_not_fit_are_refused(planner: OfflinePlanner, query: Any) -> None:
    """Statistics, distributions and Pareto shares are checked like every other name."""
    with pytest.raises(PlanningError):
        plan_from_query("q", query, planner.model)


def test_the_schema_lists_the_new_fields() -> None:
    """A provider given the schema can name the new constructs."""
    properties = query_schema(load_model())["properties"]
    assert {"by_measure", "top_percent", "top_per"} <= set(properties)
    assert "against" in properties["conditions"]["items"]["properties"]


def test_a_median_beside_another_measure_stays_a_plain_aggregate() -> None:
    """'median age and users by country' keeps the grouped shape the model had."""
    model = load_model()
    sql = compile_plan(Plan("q", ("median:age", "users"), dimensions=("country",)), model)
    assert "APPROX_QUANTILES" in sql


def test_days_between_an_entitys_consecutive_things(planner: OfflinePlanner, engine: Any) -> None:
    """'average days between a customer's consecutive orders': LAG per customer, then the
    average of the gaps; without whose orders it is refused."""
    planned = planner.plan("average days between a customer's consecutive orders")
    assert planned.metrics == ("gap:DAY:avg:orders:customer_id",)
    assert "from each of its orders to the next" in interpret(planned, planner.model)
    gold = (
        "WITH o AS (SELECT TIMESTAMP_DIFF(created_at, LAG(created_at) OVER (PARTITION BY "
        "user_id ORDER BY created_at, order_id), DAY) AS gap FROM orders) SELECT "
        "ROUND(AVG(gap), 2) FROM o"
    )
    assert _rows(engine, compile_plan(planned, planner.model)) == _rows(engine, gold)
    again = plan_from_query("q", query_of(planned), planner.model)
    assert compile_plan(again, planner.model) == compile_plan(planned, planner.model)
    with pytest.raises(PlanningError):
        planner.plan("average days between orders")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("median number of days between consecutive orders of the same customer",
         "gap:DAY:median:orders:customer_id"),
        ("average gap in days between consecutive orders for each customer",
         "gap:DAY:avg:orders:customer_id"),
        # Two remarks in one pair of parentheses are read one by one.
        ("on average how many days pass between a customer's consecutive orders? "
         "(all time, all orders)", "gap:DAY:avg:orders:customer_id"),
        ("median number of days between consecutive orders of the same customer "
         "(all orders, all time)", "gap:DAY:median:orders:customer_id"),
        ("median days between consecutive orders (same customer)",
         "gap:DAY:median:orders:customer_id"),
    ],
)  # fmt: skip
def test_more_ways_to_ask_for_the_days_between_orders(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics == (metric,)


def test_a_ranking_by_a_statistic_ranks_on_the_unrounded_value(planner: OfflinePlanner) -> None:
    """'top 5 countries by median order value': ranked on the statistic, shown rounded;
    'the highest median sale price' ranks by the median, it is no maximum."""
    planned = planner.plan("top 5 countries by median order value")
    assert (planned.metrics, planned.dimensions, planned.limit) == (
        ("median:revenue:order_id",),
        ("country",),
        5,
    )
    sql = compile_plan(planned, planner.model)
    assert "ORDER BY statistics.median_revenue_per_order DESC" in sql
    highest = planner.plan("which 3 brands have the highest median sale price")
    assert highest.metrics == ("median:sale_price",)


def test_items_sold_per_order_keep_the_sold_rule(planner: OfflinePlanner) -> None:
    """'items per order' counts every item of an order; 'items sold per order' only the
    items the revenue rule keeps."""
    assert planner.plan("median items per order").metrics == ("median:order_lines:order_id",)
    assert planner.plan("median items sold per order").metrics == ("median:items_sold:order_id",)


@pytest.mark.parametrize(
    "question",
    ["average orders per customer", "how many orders does a customer place on average"],
)
def test_a_count_per_customer_without_the_customer_rule_is_asked_about(
    planner: OfflinePlanner, question: str
) -> None:
    """Customers are buyers (a rule of the model); orders are counted whatever their
    items' status. "Orders per customer" could mean either, so it is refused, naming
    the rule and the way to ask for all orders."""
    with pytest.raises(PlanningError, match="cannot tell which") as caught:
        planner.plan(question)
    assert "per user" in (caught.value.hint or "")


def test_a_count_per_user_asks_which_users_it_is_over(planner: OfflinePlanner) -> None:
    """Every user (those with none count as 0), or only those who have some?"""
    with pytest.raises(PlanningError, match="could be over every user"):
        planner.plan("average number of orders per user by country")


@pytest.mark.parametrize(
    ("question", "by_measure", "width"),
    [
        ("distribution of 2025 order values in $50 buckets (number of orders per bucket)",
         "revenue:order_id", 50),
        ("How are customers distributed by lifetime spend, in $100 buckets?",
         "revenue:customer_id", 100),
        ("bucket 2025 orders by order value ($50 wide buckets) and count orders per bucket",
         "revenue:order_id", 50),
        ("how many customers fall into each $250 band of lifetime spend?",
         "revenue:customer_id", 250),
    ],
)  # fmt: skip
def test_an_amount_per_entity_is_counted_in_the_buckets_given(
    planner: OfflinePlanner, question: str, by_measure: str, width: int
) -> None:
    planned = planner.plan(question)
    assert (planned.by_measure, planned.by_measure_width) == (by_measure, width)
    assert not planned.bands
    sql = compile_plan(planned, planner.model)
    assert f"FLOOR(revenue / {width}) * {width}" in sql


def test_an_amount_per_entity_without_buckets_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        compile_plan(planner.plan("order value distribution"), planner.model)
