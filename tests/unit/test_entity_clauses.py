"""Clauses about the things counted or ranked: their columns beside a ranking ("top 10
customers by spend with their country and age"), more breakdowns than an answer has,
"never" clauses, and things done in one period but not in another."""

from __future__ import annotations

import json

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model

VALUES = {
    "country": ["Brasil", "China", "Germany", "United States"],
    "category": ["Jeans", "Swim"],
    "department": ["Men", "Women"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("top 10 customers by total spend with their country", ["customer_id", "country"]),
        (
            "top 10 customers by total spend along with their country and age",
            ["customer_id", "country", "age"],
        ),
        ("top 10 customers by revenue: country and age", ["customer_id", "country", "age"]),
        (
            "top 5 products by revenue with their brand and category",
            ["product", "brand", "category"],
        ),
    ],
)
def test_columns_of_the_things_ranked(
    planner: OfflinePlanner, question: str, dimensions: list[str]
) -> None:
    plan = planner.plan(question)
    assert list(plan.dimensions) == dimensions
    assert plan.per is None
    assert "shown with their" in interpret(plan, planner.model)
    sql = compile_plan(plan, planner.model)
    assert f"LIMIT {plan.limit}" in sql


def test_with_their_country_ranks_customers_not_countries(planner: OfflinePlanner) -> None:
    """Before, the customers became a count and the countries were ranked."""
    plan = planner.plan("top 10 customers by total spend with their country")
    assert list(plan.metrics) == ["revenue"]


@pytest.mark.parametrize(
    "question",
    [
        "revenue by brand, category and department",
        "top 3 brands by revenue with their department and category",  # many per brand
        "top 5 products by revenue by brand and category",  # a ranking restarted in each?
    ],
)
def test_a_third_breakdown_is_refused_not_dropped(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_the_refusal_names_every_breakdown(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError) as caught:
        planner.plan("revenue by brand, category and department")
    assert "brand, category, department" in str(caught.value)
    assert caught.value.hint


def test_follow_up_verdicts_are_remembered(planner: OfflinePlanner) -> None:
    assert planner.answers("revenue by month")
    assert not planner.answers("revenue by the phase of the moon")
    assert planner._answers == {"revenue by month": True, "revenue by the phase of the moon": False}


@pytest.mark.parametrize(
    "question",
    [
        "how many products have never been ordered",
        "How many products in the Women department have never been sold?",
    ],
)
def test_products_never_ordered_are_counted_among_the_order_items(
    planner: OfflinePlanner, question: str
) -> None:
    """Orders do not reach products; the order items do."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert "FROM products WHERE" in sql
    assert "NOT products.id IN (SELECT products.id FROM order_items" in sql


def test_a_value_between_the_things_and_their_condition_filters_them(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("How many products in the Women department have never been sold?")
    assert [(f.dimension, f.values) for f in plan.filters] == [("department", ("Women",))]
    plan = planner.plan("how many orders from Brasil with more than 3 items")
    assert [(f.dimension, f.values) for f in plan.filters] == [("country", ("Brasil",))]
    assert [c.per for c in plan.conditions] == ["order_id"]


@pytest.mark.parametrize(
    "question",
    ["How many customers have never placed an order?", "how many customers never bought anything"],
)
def test_customers_who_never_bought_are_every_user_without(
    planner: OfflinePlanner, question: str
) -> None:
    """A customer is someone who bought: counting customers who never did gave 0."""
    plan = planner.plan(question)
    assert list(plan.metrics) == ["users"]
    assert compile_plan(plan, planner.model).startswith("SELECT COUNT(users.id)")


def test_users_who_never_ordered_are_still_counted_among_the_orders(
    planner: OfflinePlanner,
) -> None:
    sql = compile_plan(planner.plan("how many users have never ordered"), planner.model)
    assert "SELECT orders.user_id FROM orders" in sql


def test_customers_who_joined_and_never_ordered_are_users_dated_by_signup(
    planner: OfflinePlanner,
) -> None:
    """Read as "users who joined in 2024 and never placed an order" is."""
    people = planner.plan("how many users who joined in 2024 never placed an order")
    plan = planner.plan("how many customers who joined in 2024 never placed an order")
    assert compile_plan(plan, planner.model) == compile_plan(people, planner.model)


@pytest.mark.parametrize(
    "question",
    [
        "how many customers bought in 2024 but not in 2025",
        "How many customers bought in 2024 but didn't buy anything in 2025?",
        "How many customers bought something in 2024 but bought nothing in 2025?",
        "How many customers who purchased in 2024 did not purchase again in 2025?",
    ],
)
def test_things_in_one_period_but_not_another(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert list(plan.metrics) == ["customers"]
    assert plan.time_window is not None
    assert plan.time_window.year == 2024
    (none,) = plan.conditions
    assert (none.metric, none.per, none.op, none.values) == ("items_sold", "customer_id", "=", (0,))
    assert none.window is not None
    assert none.window.year == 2025
    sql = compile_plan(plan, planner.model)
    inner = sql.split("NOT order_items.user_id IN (", 1)[1]
    assert "EXTRACT(YEAR FROM order_items.created_at) = 2025" in inner
    assert sql.endswith("EXTRACT(YEAR FROM order_items.created_at) = 2024")
    assert "with no items sold in 2025" in interpret(plan, planner.model)


def test_the_second_period_keeps_a_breakdown_after_it(planner: OfflinePlanner) -> None:
    plan = planner.plan("how many customers bought in 2024 but not in 2025, by country")
    assert list(plan.dimensions) == ["country"]
    assert plan.conditions[0].window is not None


@pytest.mark.parametrize(
    ("question", "match"),
    [
        ("how many customers bought but not in 2025", "did not understand"),  # one period
        ("revenue in 2024 but not in 2025", "did not understand"),  # not a count of things
        ("how many customers bought in 2024 but not in blue", "which two periods"),
        ("customers who ordered in 2024 but not in 2025 by month", "which two periods"),
    ],
)
def test_one_period_but_not_another_refused_when_unclear(
    planner: OfflinePlanner, question: str, match: str
) -> None:
    with pytest.raises(PlanningError, match=match) as caught:
        planner.plan(question)
    assert caught.value.hint


def test_a_condition_window_round_trips_through_a_typed_query(planner: OfflinePlanner) -> None:
    from lgda_nb.planner._query import plan_from_query, query_of

    question = "how many customers bought in 2024 but not in 2025"
    plan = planner.plan(question)
    query = json.loads(json.dumps(query_of(plan)))
    assert "label" not in query["conditions"][0]["window"]
    again = plan_from_query(question, query, planner.model)
    assert compile_plan(again, planner.model) == compile_plan(plan, planner.model)
    query["conditions"][0]["ever"] = True
    with pytest.raises(PlanningError, match="not both"):
        plan_from_query(question, query, planner.model)


def test_a_period_after_a_condition_on_people_dates_the_condition(
    planner: OfflinePlanner,
) -> None:
    """ "How many users placed 3 or more orders in 2025": their orders of 2025, whenever
    they signed up; "users who joined in 2023 and never placed an order" dates the users."""
    plan = planner.plan("how many users placed 3 or more orders in 2025")
    assert plan.time_window is None
    assert plan.conditions[0].window is not None
    assert "with at least 3 orders in 2025" in interpret(plan, planner.model)
    signed = planner.plan("how many users who joined in 2023 and never placed an order")
    assert signed.time_window is not None
    assert signed.conditions[0].window is None


@pytest.mark.parametrize(
    "question",
    [
        "who are our 10 biggest customers by all-time revenue? show user id, country, revenue",
        "Who are our 10 biggest spenders of all time? user_id, country, lifetime spend",
    ],
)
def test_a_comma_list_of_columns_after_a_ranking(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert list(plan.dimensions) == ["customer_id", "country"]
    assert list(plan.metrics) == ["revenue"]


def test_the_id_and_name_of_a_keyed_thing_restate_it(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Top 3 products by revenue in each department, all time: product id, name and revenue"
    )
    assert plan.per == "department"
    assert list(plan.dimensions) == ["product", "department"]


@pytest.mark.parametrize(
    "question",
    [
        "Count of registered users with zero orders",
        "How many registered users have not placed a single order, ever?",
        "how many users have no orders",
        "count of users without any orders",
    ],
)
def test_zero_and_not_a_single_are_none(planner: OfflinePlanner, question: str) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.op, condition.values) == ("orders", "=", (0,))


def test_without_after_a_measure_is_still_an_exclusion(planner: OfflinePlanner) -> None:
    """ "Revenue without returns" leaves returned items out; "brands without returns"
    are the brands with none."""
    revenue = planner.plan("revenue without returns")
    assert not revenue.conditions
    assert "Returned" in compile_plan(revenue, planner.model)
    (condition,) = planner.plan("brands without returns").conditions
    assert (condition.metric, condition.op, condition.values) == ("returned_items", "=", (0,))


def test_bought_from_n_different_categories_counts_them_among_items_bought(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan(
        "How many customers have bought from more than 3 different product categories?"
    )
    (condition,) = plan.conditions
    assert condition.metric == "distinct_in:items_sold:category"
    assert (condition.op, condition.values) == (">", (3,))


def test_bought_in_more_than_one_order_counts_orders_with_an_item_bought(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("how many customers bought in more than one order in 2025")
    (condition,) = plan.conditions
    assert condition.metric == "distinct_in:items_sold:order_id"
    # "have more than one order" is every order, any status, as before
    assert planner.plan("how many customers have more than one order").conditions[0].metric == (
        "orders"
    )


def test_products_sold_in_one_period_but_not_another_are_distinct_products(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("how many products sold in 2024 but not in 2025")
    assert plan.metrics == ("distinct_in:items_sold:product",)
    (condition,) = plan.conditions
    assert (condition.metric, condition.per, condition.values) == ("items_sold", "product", (0,))
    assert condition.window is not None
    assert condition.window.year == 2025
    sql = compile_plan(plan, planner.model)
    assert "COUNT(DISTINCT products.id)" in sql
    assert "= 2025" in sql
    assert "= 2024" in sql


@pytest.mark.parametrize(
    ("question", "dimensions", "metrics"),
    [
        ("which customers spent more than 5000 in 2024", ("customer_id",), ("revenue",)),
        ("list customers with more than 5 orders", ("customer_id",), ("orders",)),
        ("which products sold in 2024 but not in 2025", ("product",), ("items_sold",)),
        ("list the customers who bought in 2024 but not in 2025", ("customer_id",), None),
        ("who are our customers in Brasil", ("customer_id",), ("customers",)),
        ("which sessions had a purchase", ("session_id",), ("sessions",)),
    ],
)
def test_which_things_meet_a_condition_lists_them_not_their_number(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...], metrics: object
) -> None:
    """Before, each of these was answered with one number: how many there are."""
    plan = planner.plan(question)
    assert plan.dimensions == dimensions
    if metrics is not None:
        assert plan.metrics == metrics
    assert "GROUP BY" in compile_plan(plan, planner.model)


def test_how_many_after_which_still_counts(planner: OfflinePlanner) -> None:
    plan = planner.plan("which customers spent more than 5000 in 2024, how many are there")
    assert not plan.dimensions


@pytest.mark.parametrize(
    "question",
    ["Which hour of the day gets the most orders?", "show the product -> cart -> purchase funnel"],
)
def test_which_before_a_breakdown_or_a_funnel_is_not_a_list_of_things(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert "order_id" not in plan.dimensions
    assert "session_id" not in plan.dimensions


def test_which_things_a_condition_on_other_things_picks_is_refused(
    planner: OfflinePlanner,
) -> None:
    from dataclasses import replace

    from lgda_nb.planner._plan import Condition
    from lgda_nb.planner._read_entity import things_listed

    plan = planner.plan("how many customers spent more than 5000 in 2024")
    other = replace(plan, conditions=(Condition("revenue", "country", ">", (5000,)),))
    with pytest.raises(PlanningError) as caught:
        things_listed(planner.model, "which customers are in big countries", other)
    assert "count is not the list" in caught.value.message
    assert "how many" in caught.value.hint


@pytest.mark.parametrize(
    "question",
    [
        "users and users with at least one order by country",
        "orders and orders with more than 3 items",
    ],
)
def test_things_with_and_without_a_condition_are_refused_not_dropped(
    planner: OfflinePlanner, question: str
) -> None:
    """Before, the things without the condition were dropped without a word."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert "on their own and with" in caught.value.message
    assert "what % of" in caught.value.hint


def test_a_condition_after_the_average_thing_is_not_named_twice(planner: OfflinePlanner) -> None:
    (condition,) = planner.plan(
        "How many customers spent more than the average customer?"
    ).conditions
    assert condition.against == "average"


def test_every_session_beside_those_with_an_outcome_is_their_rate(planner: OfflinePlanner) -> None:
    for question in (
        "sessions and sessions with a purchase by traffic source",
        "total sessions, sessions with a purchase and conversion rate by browser",
    ):
        plan = planner.plan(question)
        assert plan.session_rate, question
        assert not plan.session_filters, question


def test_signups_dated_by_their_own_words_take_orders_of_any_date(
    planner: OfflinePlanner,
) -> None:
    (condition,) = planner.plan("how many 2024 signups have placed at least one order").conditions
    assert condition.ever
    (dated,) = planner.plan("how many users placed 3 or more orders in 2025").conditions
    assert dated.window is not None
    assert not dated.ever
