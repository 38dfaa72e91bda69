"""People by their signup with no orders, values a measure is split between, restated
new-customer periods, and per-person measures already over everyone."""

from __future__ import annotations

import json

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model
from lgda_nb.planner._query import plan_from_query, query_of
from lgda_nb.planner._read_split import split_between

VALUES = {
    "country": ["United States", "China", "Brasil"],
    "gender": ["F", "M"],
    "acquisition_channel": ["Search", "Organic", "Facebook", "Email", "Display"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "dimensions", "window"),
    [
        ("how many users who registered in 2023 have never placed an order", (), "in 2023"),
        ("users who joined last year and never ordered, by gender", ("gender",), "last year"),
        ("among users who signed up in 2024, how many have not placed an order",
         (), "in 2024"),
        ("of 2025 signups, how many never ordered anything", (), "in 2025"),
        ("how many users who signed up in June 2024 never placed any orders, per country",
         ("country",), "June 2024"),
        # The channel they came through said between the signup and its period.
        ("Of the users who signed up via Email in 2024, how many have never placed an order?",
         (), "in 2024"),
        ("how many users who signed up through Facebook in 2025 never ordered", (), "in 2025"),
    ],
)  # fmt: skip
def test_people_dated_by_signup_with_no_orders_ever(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...], window: str
) -> None:
    """The period dates the users (their signup); "never" is over all time."""
    plan = planner.plan(question)
    assert plan.metrics == ("users",)
    assert plan.dimensions == dimensions
    assert plan.time_window is not None
    assert plan.time_window.label == window
    (condition,) = plan.conditions
    assert (condition.metric, condition.op, condition.values) == ("orders", "=", (0,))
    assert condition.ever


def test_no_orders_ever_is_not_limited_to_the_window(planner: OfflinePlanner) -> None:
    """The orders looked for are of any date; the window is on the users' signup."""
    sql = compile_plan(
        planner.plan("how many users who joined in 2023 never placed an order"), load_model()
    )
    inner = "NOT users.id IN (SELECT orders.user_id FROM orders WHERE NOT orders.user_id IS NULL"
    assert inner in sql
    assert sql.count("EXTRACT(YEAR FROM") == 1
    assert "EXTRACT(YEAR FROM users.created_at) = 2023" in sql


def test_a_condition_with_a_window_keeps_it_otherwise(planner: OfflinePlanner) -> None:
    """Without a signup clause, a condition is taken over the answer's window."""
    sql = compile_plan(planner.plan("customers with more than 3 orders in 2024"), load_model())
    assert "EXTRACT(YEAR FROM orders.created_at) = 2024" in sql


def test_no_orders_ever_is_said_and_kept_by_typed_queries(planner: OfflinePlanner) -> None:
    """The interpretation says so; a typed query carries it and a bad one is refused."""
    model = load_model()
    question = "of the users who joined in 2024, how many never placed an order"
    plan = planner.plan(question)
    assert "with no orders ever" in interpret(plan, model)
    query = json.loads(json.dumps(query_of(plan)))
    assert compile_plan(plan_from_query(question, query, model), model) == compile_plan(plan, model)
    query["conditions"][0]["ever"] = "yes"
    with pytest.raises(PlanningError, match="ever"):
        plan_from_query(question, query, model)


@pytest.mark.parametrize(
    ("question", "match"),
    [
        ("users who signed up and never placed an order in 2024", "applies to|two ways"),
        ("users who never placed an order in 2024", "two ways"),
    ],
)
def test_a_period_that_may_date_the_orders_is_refused(
    planner: OfflinePlanner, question: str, match: str
) -> None:
    """A period not bound to the signup could date the orders: refused."""
    with pytest.raises(PlanningError, match=match):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "metrics", "dimension", "values"),
    [
        ("revenue in 2023 split between first orders and repeat orders", ("revenue",),
         "order_type", ("first", "repeat")),
        ("orders divided between Search and Facebook", ("orders",), "acquisition_channel",
         ("Search", "Facebook")),
        ("orders last year, first orders and repeat orders", ("orders",), "order_type",
         ("first", "repeat")),
    ],
)  # fmt: skip
def test_split_between_values_is_a_breakdown_kept_to_them(
    planner: OfflinePlanner,
    question: str,
    metrics: tuple[str, ...],
    dimension: str,
    values: tuple[str, ...],
) -> None:
    """The values named are the groups shown; plural value words are not a ranking."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert plan.dimensions == (dimension,)
    (kept,) = plan.filters
    assert (kept.dimension, kept.values, kept.negate) == (dimension, values, False)


def test_split_between_numbers_is_left_alone() -> None:
    """A range of numbers is not the values of a breakdown."""
    assert split_between("items split between 10 and 20") == "items split between 10 and 20"
    assert split_between("orders broken down between a and b") == "orders split across a and b"


@pytest.mark.parametrize(
    ("question", "grain", "dimensions"),
    [
        ("new customers per week in 2024 (customers whose first order was in that week)",
         "week", ()),
        ("new buyers in 2023 by gender (first purchase of any status that year)", None,
         ("gender",)),
        ("monthly new customers, i.e. their first order fell in the same month", "month", ()),
        ("new customers by quarter (first orders placed in that period)", "quarter", ()),
    ],
)  # fmt: skip
def test_a_restated_period_of_new_customers_is_cut(
    planner: OfflinePlanner, question: str, grain: str | None, dimensions: tuple[str, ...]
) -> None:
    """Saying that new customers are counted in the period of their first order restates
    the convention."""
    plan = planner.plan(question)
    assert (plan.metrics, plan.grain, plan.dimensions) == (("new_customers",), grain, dimensions)


@pytest.mark.parametrize(
    "question",
    [
        "new customers per month (first order in that year)",
        "new customers in 2024 (first order in that month)",
        "new customers per month (products whose first order was in that month)",
    ],
)
def test_a_restatement_of_another_period_is_refused(planner: OfflinePlanner, question: str) -> None:
    """A restatement naming a period the question does not ask for is not dropped."""
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("lifetime revenue per user by gender, counting users who never bought", ("gender",)),
        ("average lifetime revenue per user per signup year including those who never "
         "purchased anything", ("signup_year",)),
        ("lifetime revenue per user, including users who have not bought, by traffic source",
         ("acquisition_channel",)),
    ],
)  # fmt: skip
def test_a_measure_already_over_everyone_restates_the_clause(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """ "Counting users who never bought" beside the measure over every user restates it."""
    plan = planner.plan(question)
    assert (plan.metrics, plan.dimensions) == (("lifetime_revenue_per_user",), dimensions)


def test_everyone_counted_by_a_breakdown_of_other_rows_is_refused(
    planner: OfflinePlanner,
) -> None:
    """Users cannot be split by a product's category: refused, with a hint."""
    plan = planner.plan("lifetime revenue per user by category counting users who never bought")
    with pytest.raises(PlanningError, match="cannot be broken down") as caught:
        compile_plan(plan, load_model())
    assert caught.value.hint


def test_everyone_counted_for_a_measure_the_model_lacks_is_refused(
    planner: OfflinePlanner,
) -> None:
    """Orders per user over every user is no measure of the model: refused, with a hint."""
    with pytest.raises(PlanningError, match="per-person measure") as caught:
        planner.plan("orders per user by country counting users who never bought")
    assert "revenue per customer" in (caught.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "average revenue per user",
        "ARPU in 2025",
        "revenue per user by country",
        "what's our arpu by traffic source?",
    ],
)
def test_revenue_per_user_asks_which_users(planner: OfflinePlanner, question: str) -> None:
    """Per user could divide by every user or only by those who bought: asked, not guessed
    (it was answered per buyer without a word)."""
    with pytest.raises(PlanningError, match="every user") as caught:
        planner.plan(question)
    assert "never bought" in (caught.value.hint or "")
    assert "who bought" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("revenue per customer", "revenue_per_customer"),
        ("average revenue per user among users who bought", "revenue_per_customer"),
        ("average revenue per user, counting users who never bought", "lifetime_revenue_per_user"),
        ("ARPU counting users who never bought", "lifetime_revenue_per_user"),
    ],
)
def test_revenue_per_user_said_which_users_is_answered(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics == (metric,)
