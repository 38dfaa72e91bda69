"""Cohorts and first orders, retention, "within N days of signing up", and "never"."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lgda_nb.errors import ConfigError, PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model, parse_model
from lgda_nb.planner._compile import passes_at_zero
from lgda_nb.planner._plan import Condition
from lgda_nb.planner._query import plan_from_query, query_of

VALUES = {"country": ["United States", "China", "Brasil"], "gender": ["F", "M"]}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions", "grain"),
    [
        ("new customers per month in 2025", ("new_customers",), (), "month"),
        ("how many customers placed their very first order in 2025", ("new_customers",), (),
         None),
        ("how many customers whose first purchase was in March 2025", ("new_customers",), (),
         None),
        ("customers whose first order was in each week of 2025", ("new_customers",), (), "week"),
        ("2025 orders by the customer's first-order year", ("orders",), ("first_order_year",),
         None),
        ("of customers whose first order was in each month of 2025, how many ordered again "
         "in the following calendar month (count and %)",
         ("new_customers", "retained_next_month", "next_month_retention"),
         ("first_order_month",), None),
        ("for each signup year, what % of users ordered within 30 days of signing up",
         ("users", "within:30:DAY:signup:first_order", "within_pct:30:DAY:signup:first_order"),
         ("signup_year",), None),
        ("how many users placed an order within 7 days of signing up",
         ("within:7:DAY:signup:first_order",), (), None),
        ("average revenue per user for each signup-year cohort counting users who never bought",
         ("lifetime_revenue_per_user",), ("signup_year",), None),
        ("days from signup to first order on average, by acquisition channel",
         ("duration:DAY:avg:signup:first_order",), ("acquisition_channel",), None),
        ("average days between signing up and the first purchase",
         ("duration:DAY:avg:signup:first_order",), (), None),
        ("orders and revenue, first orders vs repeat orders", ("orders", "revenue"),
         ("order_type",), None),
        ("what share of users who joined in March 2024 ordered within 14 days of signing up",
         ("users", "within:14:DAY:signup:first_order", "within_pct:14:DAY:signup:first_order"),
         (), None),
        ("among 2023 signups, what percentage placed their first order within 3 days of "
         "signup, by gender",
         ("users", "within:3:DAY:signup:first_order", "within_pct:3:DAY:signup:first_order"),
         ("gender",), None),
        ("users per signup year and how many of them ordered within 60 days of signing up",
         ("within:60:DAY:signup:first_order", "users"), ("signup_year",), None),
        # The start unsaid, after the people's own moment: "signed up ... within 7 days".
        ("what % of users who signed up in 2025 ordered within 7 days",
         ("users", "within:7:DAY:signup:first_order", "within_pct:7:DAY:signup:first_order"),
         (), None),
        ("2025 signups by signup month: how many signed up, and how many of them ordered "
         "within 30 days", ("within:30:DAY:signup:first_order", "users"),
         ("signup_month",), None),
        ("new customers by week in 2024 (by their first order date)", ("new_customers",), (),
         "week"),
        ("monthly new buyers, i.e. first order ever", ("new_customers",), (), "month"),
    ],
)  # fmt: skip
def test_cohort_questions_read_into_plans(
    planner: OfflinePlanner,
    question: str,
    metrics: tuple[str, ...],
    dimensions: tuple[str, ...],
    grain: str | None,
) -> None:
    """Each cohort construct is measures and breakdowns of the model, nothing else."""
    plan = planner.plan(question)
    assert (plan.metrics, plan.dimensions, plan.grain) == (metrics, dimensions, grain)
    assert plan.time_column is None


@pytest.mark.parametrize(
    ("question", "metric", "per", "dimensions"),
    [
        ("users who never placed an order", "users", "customer_id", ()),
        ("how many users have never ordered anything", "users", "customer_id", ()),
        ("users who have not placed an order", "users", "customer_id", ()),
        ("customers who did not return anything", "customers", "customer_id", ()),
        ("products that have never been sold", "products", "product", ("product",)),
        ("how many products have never been sold", "products", "product", ()),
        ("brands that never had an item returned", "products", "brand", ("brand",)),
        ("brands with no returns", "products", "brand", ("brand",)),
        ("products with no sales", "products", "product", ("product",)),
    ],
)
def test_never_is_a_condition_of_zero(
    planner: OfflinePlanner, question: str, metric: str, per: str, dimensions: tuple[str, ...]
) -> None:
    """ "Never" is a condition that the measure is zero for each thing; "how many" counts
    the things instead of listing them."""
    plan = planner.plan(question)
    assert plan.metrics[0] == metric
    assert plan.dimensions == dimensions
    (condition,) = plan.conditions
    assert (condition.per, condition.op, condition.values) == (per, "=", (0,))


def test_a_condition_of_zero_keeps_things_without_rows(planner: OfflinePlanner) -> None:
    """Users with no orders at all pass "never placed an order": an anti-join, not a
    HAVING that only sees users who have orders."""
    sql = compile_plan(planner.plan("users who never placed an order"), load_model())
    kept = "NOT users.id IN (SELECT orders.user_id FROM orders WHERE NOT orders.user_id IS NULL"
    assert kept in sql
    assert "HAVING NOT (COUNT(DISTINCT orders.order_id) = 0)" in sql


@pytest.mark.parametrize(
    ("op", "values", "passes"),
    [("=", (0,), True), ("<", (2,), True), ("<=", (0,), True), (">", (0,), False),
     (">=", (1,), False), ("=", (1,), False), ("between", (0, 3), True),
     ("between", (1, 3), False), ("<", (0,), False)],
)  # fmt: skip
def test_which_conditions_hold_at_zero(op: str, values: tuple[int, ...], passes: bool) -> None:
    """Only conditions a measure of zero meets become anti-joins."""
    assert passes_at_zero(Condition("orders", "customer_id", op, values)) is passes


def test_derived_tables_are_common_table_expressions_in_dependency_order(
    planner: OfflinePlanner,
) -> None:
    """The first orders come before the table that reads them, and are LEFT JOINed."""
    sql = compile_plan(
        planner.plan("next month retention by first order month in 2025"), load_model()
    )
    assert sql.startswith("WITH first_orders AS (SELECT orders.user_id AS user_id, "
                          "MIN(orders.created_at) AS first_at FROM orders GROUP BY 1), "
                          "next_month_orders AS (")  # fmt: skip
    assert "FROM first_orders LEFT JOIN next_month_orders" in sql


def test_within_counts_whole_units_as_durations_do(planner: OfflinePlanner) -> None:
    """ "Within 30 days" is TIMESTAMP_DIFF in days of at most 30, over every user."""
    sql = compile_plan(
        planner.plan("what % of users ordered within 30 days of signing up"), load_model()
    )
    assert (
        "COUNTIF(TIMESTAMP_DIFF(first_orders.first_at, users.created_at, DAY) BETWEEN 0 AND 30)"
        " / COUNT(users.created_at) * 100" in sql
    )
    assert "FROM users LEFT JOIN first_orders" in sql


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("of customers whose first order was in each month of 2025, how many ordered again "
         "in the following calendar month (count and %)",
         ["a customer's first order is their earliest order of any status",
          "ordering again means any order in the calendar month after the first order's month",
          "in 2025"]),
        ("for each signup year, what % of users ordered within 30 days of signing up",
         ["% of users with a first order within 30 days of signup by signup year",
          "a customer's first order is their earliest order of any status"]),
        ("average revenue per user by signup year, including users who never bought anything",
         ["users who never bought count with no revenue"]),
        ("users who never placed an order", ["only customers with no orders"]),
        ("how many users are from outside the US", ["country not United States"]),
    ],
)  # fmt: skip
def test_the_interpretation_states_the_cohort_definition(
    planner: OfflinePlanner, question: str, words: list[str]
) -> None:
    """The sentence says what a first order, ordering again or never means."""
    sentence = interpret(planner.plan(question), load_model())
    for part in words:
        assert part in sentence


def test_within_shows_the_counts_its_percent_is_made_of(engine: Any) -> None:
    """Beside "what % ordered within 30 days": all the users and those in time, which
    the % is one over the other of."""
    frame = engine.ask(
        "For users who signed up in 2024, what % placed an order within 30 days of signing "
        "up? Break it out by acquisition channel."
    ).df
    assert list(frame.columns)[:3] == [
        "acquisition_channel",
        "users",
        "users_first_order_within_30_days",
    ]
    for row in frame.itertuples(index=False):
        assert round(100 * row[2] / row[1], 2) == row[3]


@pytest.mark.parametrize(
    ("question", "match"),
    [
        ("what % of customers ordered within 30 days of signing up", "did not understand"),
        # No start said, and no moment of the users' own named before it.
        ("what % of users ordered within 7 days", "did not understand"),
        ("how many users never logged in", "never"),
        ("users who never returned an item", "never|different tables"),
        ("average order value by signup year counting users who never bought",
         "per-person measure"),
        ("orders by status (count and %)", "pairs no rate"),
        ("revenue from customers whose first order was in 2025", r"different tables|a list"),
        ("customers whose first visit was in each month", "first visit"),
        ("users who never placed an order in 2025", "two ways"),
        ("users who signed up and never ordered in 2025", "applies to|two ways"),
        ("share of customers who placed a repeat order", "each row of orders"),
        ("retention by signup month", "retention"),
    ],
)  # fmt: skip
def test_near_misses_are_refused(planner: OfflinePlanner, question: str, match: str) -> None:
    """What the cohort constructs do not cover is refused, never guessed."""
    with pytest.raises(PlanningError, match=match):
        planner.plan(question)


def test_a_negation_after_from_is_not_a_value(planner: OfflinePlanner) -> None:
    """ "From outside the US" excludes the US; "outside" is not looked up as a value."""
    (only,) = planner.plan("how many users are from outside the US").filters
    assert (only.dimension, only.values, only.negate) == ("country", ("United States",), True)


@pytest.mark.parametrize(
    "question",
    [
        "new customers per month in 2025",
        "of customers whose first order was in each month of 2025, how many ordered again "
        "in the following calendar month (count and %)",
        "for each signup year, what % of users ordered within 30 days of signing up",
        "average revenue per user for each signup-year cohort counting users who never bought",
        "days from signup to first order on average, by acquisition channel",
        "brands that never had an item returned",
        "how many products have never been sold",
        "orders and revenue, first orders vs repeat orders",
    ],
)
def test_the_typed_query_round_trips(planner: OfflinePlanner, question: str) -> None:
    """A model answering with the typed query gets the reader's SQL."""
    model = load_model()
    plan = planner.plan(question)
    query = json.loads(json.dumps(query_of(plan)))
    assert compile_plan(plan_from_query(question, query, model), model) == compile_plan(plan, model)


_FIRSTS = "WITH f AS (SELECT user_id, MIN(created_at) AS first_at FROM orders GROUP BY user_id)"
_GOLD = {
    "new customers per month in 2025": (
        f"{_FIRSTS} SELECT DATE(TIMESTAMP_TRUNC(first_at, MONTH)) AS m, COUNT(*) AS n FROM f "
        "WHERE EXTRACT(YEAR FROM first_at) = 2025 GROUP BY 1 ORDER BY 1"
    ),
    "of customers whose first order was in each month of 2025, how many ordered again in "
    "the following calendar month (count and %)": (
        f"{_FIRSTS}, back AS (SELECT DISTINCT o.user_id FROM orders o JOIN f ON f.user_id = "
        "o.user_id WHERE DATE_TRUNC(DATE(o.created_at), MONTH) = DATE_ADD(DATE_TRUNC("
        "DATE(f.first_at), MONTH), INTERVAL 1 MONTH)) SELECT DATE_TRUNC(DATE(f.first_at), "
        "MONTH) AS m, COUNT(back.user_id) AS n, ROUND(100 * COUNT(back.user_id) / COUNT(*), 2) "
        "AS pct FROM f LEFT JOIN back ON back.user_id = f.user_id WHERE EXTRACT(YEAR FROM "
        "f.first_at) = 2025 GROUP BY 1 ORDER BY 1"
    ),
    "for each signup year, what % of users ordered within 30 days of signing up": (
        f"{_FIRSTS} SELECT EXTRACT(YEAR FROM u.created_at) AS y, ROUND(100 * COUNTIF("
        "TIMESTAMP_DIFF(f.first_at, u.created_at, DAY) <= 30) / COUNT(*), 2) AS pct FROM users "
        "u LEFT JOIN f ON f.user_id = u.id GROUP BY 1 ORDER BY 1"
    ),
    "average revenue per user by signup year, including users who never bought anything": (
        "SELECT EXTRACT(YEAR FROM u.created_at) AS y, ROUND(COALESCE(SUM(s.v), 0) / COUNT(*), 2)"
        " AS arpu FROM users u LEFT JOIN (SELECT user_id, SUM(sale_price) AS v FROM order_items "
        "WHERE status NOT IN ('Cancelled', 'Returned') GROUP BY 1) s ON s.user_id = u.id "
        "GROUP BY 1 ORDER BY 1"
    ),
    "how many users have never ordered anything": (
        "SELECT COUNT(*) AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE "
        "o.user_id = u.id)"
    ),
    "2025 orders by the customer's first-order year": (
        f"{_FIRSTS} SELECT EXTRACT(YEAR FROM f.first_at) AS y, COUNT(*) AS n FROM orders o JOIN"
        " f ON f.user_id = o.user_id WHERE EXTRACT(YEAR FROM o.created_at) = 2025 GROUP BY 1 "
        "ORDER BY 1"
    ),
}


@pytest.mark.parametrize("question", sorted(_GOLD))
def test_answers_on_the_sample_match_hand_written_sql(engine: Any, question: str) -> None:
    """On the test sample, the answer's columns hold the hand-written query's values."""
    from lgda_nb.eval._harness import compare_answer

    answer = engine.ask(question).df
    gold = engine.run_sql(_GOLD[question]).df
    assert len(gold) > 0
    assert compare_answer(answer, gold) is None


def test_a_derived_entry_must_name_its_table_key_and_columns() -> None:
    """A malformed [[derived]] entry is a configuration error naming the section."""
    data = {
        "metrics": [{"name": "n", "expression": "COUNT(t.id)", "table": "t"}],
        "derived": [{"name": "firsts", "table": "t"}],
    }
    with pytest.raises(ConfigError, match=r"\[\[derived\]\]"):
        parse_model(data)
