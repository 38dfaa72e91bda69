"""Readings two blind sets found (an analytics engineer's notes, a new analyst's
questions): the whole of a share said first ("Of all orders placed in 2025, what
percentage ..."), the people of a share named at length ("users in the UK who signed up
in 2025"), a count by each number of things, a profit's formula in its parts' words,
"(month order)", and a share of the people who bought that stays refused."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"country": ["United Kingdom", "China"]})


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Of all orders placed in 2025, what percentage had 3 or more items?",
         "what percentage of orders placed in 2025 had 3 or more items?"),
        ("Of 2025 orders, what % had more than 2 items?",
         "what % of 2025 orders had more than 2 items?"),
        ("Of all orders placed in 2025, what percentage contained 3 or more items?",
         "what percentage of 2025 orders contained 3 or more items?"),
        ("How many orders have each number of items?", "orders by number of items"),
        ("how many orders contained each number of items", "orders by number of items"),
        ("how many orders by number of items?", "orders by number of items"),
        ("how many orders have 1 item, 2, 3, etc.", "orders by number of items"),
        ("profit 2025 (revenue minus cost of items sold)", "profit 2025"),
        ("what was our profit in 2024 (revenue minus the cost of the items sold)?",
         "profit in 2024"),
        ("cancellation rate by month for 2025 (month order)",
         "cancellation rate by month for 2025, month order"),
    ],
)  # fmt: skip
def test_said_otherwise_reads_the_same(planner: OfflinePlanner, question: str, plain: str) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


@pytest.mark.parametrize(
    "question",
    [
        "what % of users in the UK who signed up in 2025 ordered within 30 days of signing up?",
        "Of users in the UK who signed up in 2025, what % ordered within 30 days of signing up?",
    ],
)
def test_the_people_of_a_share_named_at_length_are_its_whole(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert any(m.startswith("within_pct:30:DAY") for m in plan.metrics)
    assert "users.country = 'United Kingdom'" in compile_plan(plan, planner.model)
    assert not plan.share


def test_a_share_of_the_people_who_bought_with_a_condition_is_refused(
    planner: OfflinePlanner,
) -> None:
    """The buyers are the whole and the condition the part: never the buyer rate of every
    user, kept to those who meet the condition."""
    for question in (
        "what percentage of the people who bought from us in 2025 bought in more than one order?",
        "Of the people who bought from us in 2025, what percentage bought in more than one "
        "order that year?",
    ):
        with pytest.raises(PlanningError):
            planner.plan(question)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("On average, how many days pass between a customer's consecutive orders? (counting "
         "every order regardless of status)",
         "average days between a customer's consecutive orders (orders of any status)"),
        ("share of customers with more than one order, counting orders with items bought",
         "share of customers who bought in more than one order"),
        ("What share of our customers have bought in more than one order? all time, only "
         "counting orders where they actually bought something",
         "share of customers who bought in more than one order"),
        ("What's the average sale price of the items we sold? (not counting cancelled or "
         "returned ones, I think that's the rule)",
         "average sale price of items sold, excluding cancelled and returned ones"),
        ("what share of 2025 revenue comes from the top 10 brands? show their combined revenue "
         "too", "what share of 2025 revenue comes from the top 10 brands?"),
        ("Which customer countries had more than 20% of their 2025 orders cancelled?",
         "countries where more than 20% of 2025 orders were cancelled"),
    ],
)  # fmt: skip
def test_remarks_on_which_rows_count_read_the_same(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


def test_a_combined_measure_is_dropped_only_beside_a_top_share(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("revenue by brand? show their combined orders too")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Can you show the closed funnel home -> product -> cart -> purchase for 2025 "
         "sessions: sessions at each step and each step's % of the step before, steps in order",
         "closed funnel home -> product -> cart -> purchase for 2025 sessions"),
        ("conversion rate of the home -> product -> cart -> purchase funnel, 2025 events",
         "conversion rate of the home -> product -> cart -> purchase funnel, 2025"),
        ("what's the conversion rate of the product -> cart -> purchase funnel in 2025? I'd "
         "like the sessions at the start and at the end as well",
         "what's the conversion rate of the product -> cart -> purchase funnel in 2025?"),
        ("customers who bought in 2024 and also in 2025",
         "How many customers bought from us in both 2024 and 2025?"),
    ],
)  # fmt: skip
def test_a_funnel_and_two_periods_read_the_same(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


def test_bought_in_both_years_keeps_the_buyers_of_the_first_with_a_purchase_in_the_second(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("How many customers bought from us in both 2024 and 2025?")
    (condition,) = plan.conditions
    assert (condition.op, condition.values) == (">=", (1,))
    assert condition.window is not None
    assert condition.window.year == 2025
    assert plan.time_window is not None
    assert plan.time_window.year == 2024


def test_each_steps_share_of_the_step_before_reads_as_of_the_previous_step(
    planner: OfflinePlanner,
) -> None:
    """ "each step's % of the step before" is "of the previous step": the same funnel of
    every step (it was refused while "previous step" was read)."""
    before = planner.plan(
        "sessions by traffic source: sessions at each step and each step's % of the step before"
    )
    previous = planner.plan(
        "sessions by traffic source: sessions at each step and each step's % of the previous step"
    )
    assert before.funnel
    assert (before.steps, before.dimensions) == (previous.steps, previous.dimensions)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("list customers with lifetime spend over $1,000: user id, spend",
         "which customers have lifetime spend over $1,000?"),
        ("which customers spent more than $1,000 in 2025? list their user id and what they "
         "spent", "which customers spent more than $1,000 in 2025?"),
    ],
)  # fmt: skip
def test_a_list_of_things_with_the_columns_it_shows_anyway(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


def test_a_list_of_things_with_another_column_stays_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("customers with lifetime spend over $1,000: user id, country")


@pytest.mark.parametrize(
    "question",
    [
        "delivery time percentiles - 25th, 50th and 90th, in days - for all orders that have "
        "been delivered",
        "delivery time percentiles: 25th, 50th and 90th, in days",
        "delivery time percentiles - 25th, 50th and 90th",
    ],
)
def test_percentiles_listed_after_a_measure_of_time(planner: OfflinePlanner, question: str) -> None:
    model = planner.model
    plain = "25th, 50th and 90th percentile of delivery time in days"
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)
