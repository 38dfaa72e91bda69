"""Questions typed the way a query is written: column names, quoted values, SQL words.

Each is read as the plain question it stands for, or refused; never answered as
something else."""

from __future__ import annotations

import pytest

from lgda_nb.engine import Engine
from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._text import normalize


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model())


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("count(*) from orders where status = 'Complete'", "count of orders with status complete"),
        ("count(distinct user_id) per browser", "number of distinct users per browser"),
        ("count distinct session_id", "number of distinct sessions"),
        ("SUM(sale_price) group by category", "total sale price by category"),
        ("avg(retail_price) grouped by brand", "average retail price by brand"),
        ("users where gender != 'F'", "users with gender not f"),
        ("users where gender <> 'F'", "users with gender not f"),
        ('orders where status = "Shipped"', "orders with status shipped"),
        # a column named as a remark keeps its table and underscores
        ("users by country (users.traffic_source)", "users by country (users.traffic_source)"),
        # apostrophes are not quotes; "where" asking a question of its own stays
        ("customers' orders, the customer's revenue", "customers' orders, the customer's revenue"),
        ("where do our users come from", "where do our users come from"),
        ("countries where do users sign up", "countries where do users sign up"),
    ],
)
def test_sql_words_are_read_as_the_words_they_stand_for(said: str, read: str) -> None:
    assert normalize(said) == read


@pytest.mark.parametrize(
    ("question", "interpretation"),
    [
        ("count(*) from orders where status = 'Complete'", "Orders, status is Complete"),
        ("avg sale_price of order_items where status = 'Returned'", "Average item price"),
        ("events with event_type = 'purchase' in 2025, per browser", "Events by browser"),
        ("count of products with retail_price > 100", "Products, retail price over $100"),
        ("users who signed up in 2024 - group by traffic_source", "Users by acquisition channel"),
        ("count orders where created_at is in the last 30 days", "Orders, last 30 days"),
    ],
)  # fmt: skip
def test_a_question_written_as_a_query_is_answered(
    engine: Engine, question: str, interpretation: str
) -> None:
    plan = engine.interpreted(engine.planner.plan(question))
    assert plan.interpretation.startswith(interpretation)


def test_a_quoted_value_is_meant_as_a_value(planner: OfflinePlanner) -> None:
    """Lower-case 'complete' alone could be the word; quoted, it is the status."""
    with pytest.raises(PlanningError):
        planner.plan("count of orders with status complete")
    plan = planner.plan("count of orders with status 'complete'")
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Complete",))]


def test_a_measure_restated_by_a_synonym_is_named_once(planner: OfflinePlanner) -> None:
    """ "catalogue products": the products, not products by product."""
    plan = planner.plan("How many catalogue products are assigned to each distribution center?")
    assert (plan.metrics, plan.dimensions) == (("products",), ("distribution_center",))
    # the same word twice is left to the readings that need it
    plan = planner.plan("How many customers spent more than the average customer?")
    assert plan.conditions


@pytest.mark.parametrize(
    "question",
    [
        "what share of each department's revenue came from each category?",
        "share of each department's revenue by category",
        "each category's share of its department's revenue",
    ],
)
def test_a_share_of_each_groups_whole_restarts_in_that_group(
    planner: OfflinePlanner, question: str
) -> None:
    """Said before the share ("each category's share") the possessor is the part; said
    after it ("share of each department's revenue") it is the whole."""
    plan = planner.plan(question)
    assert plan.share_within == "department"
    assert "PARTITION BY products.department" in compile_plan(plan, load_model())


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("events table: count per event_type", "events"),
        ("quick one - how many unique sessions are there in the events table?", "sessions"),
        ("avg num_of_item per order (orders table)", "items_per_order"),
        ("2025 revenue by products.category (order_items join products)", "revenue"),
        ("Orders in the last 30 days broken down by status (orders table)", "orders"),
        ("how many distinct cities show up in the users table", "distinct:city"),
        ("revenue by brand (products)", "revenue"),  # the breakdown's table is read too
    ],
)
def test_a_table_named_as_a_remark_is_the_table_counted(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics == (metric,)


@pytest.mark.parametrize(
    "question", ["users by country (orders table)", "revenue by category, users table"]
)
def test_a_table_remark_naming_other_rows_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """The answer would count rows of another table than the one named: refused, with
    the tables said, rather than answered for rows the question did not name."""
    with pytest.raises(
        PlanningError, match=r"names the .* table, but the answer would count"
    ) as info:
        planner.plan(question)
    assert info.value.hint


@pytest.mark.parametrize(
    "question",
    [
        "customers among orders of any status",
        "number of distinct customers among order items of any status",
    ],
)
def test_every_status_said_of_the_rows_a_measure_is_counted_among_is_asked_about(
    planner: OfflinePlanner, question: str
) -> None:
    """Customers count items sold only; "among orders of any status" asks for every
    status. Never answered with the rule quietly kept."""
    with pytest.raises(PlanningError, match="has a rule on status too") as info:
        planner.plan(question)
    assert "regardless of status" in (info.value.hint or "")


@pytest.mark.parametrize(
    "question",
    ["distinct cities of users in Japan", "distinct cities in users where country = 'Japan'"],
)
def test_distinct_values_asked_without_a_verb_are_asked_about(
    engine: Engine, question: str
) -> None:
    """ "distinct cities ..." could be the cities or how many: asked back (it was read as
    every user's city, repeats and all), and either way of asking is answered."""
    planner = engine.planner
    with pytest.raises(PlanningError, match="values themselves or for how many") as info:
        planner.plan(question)
    assert "list the distinct cities" in (info.value.hint or "")
    assert planner.plan("list the distinct cities of users in Japan").rows is not None
    assert planner.plan("how many distinct cities do users in Japan live in").metrics
    # a table's own rows said so are counted, as before: the rows are distinct anyway
    assert planner.plan("distinct users in Japan").metrics == ("users",)


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("nb of users by gender", "number of users by gender"),
        ("which countries have 1000 orders or more", "which countries have at least 1000 orders"),
        ("brands with 5 products or fewer", "brands with at most 5 products"),
        ("orders growth year by year in %", "orders growth by year"),
        ("avarage age of users", "average age of users"),
        # a count in % is a share asked: left for a refusal, never dropped
        ("orders by status in %", "orders by status in %"),
        # a number of days is a duration's own reading
        ("% delivered in 5 days or less", "% delivered in 5 days or less"),
    ],
)
def test_everyday_forms_are_read_as_their_words(said: str, read: str) -> None:
    assert normalize(said) == read


@pytest.mark.parametrize(
    "question",
    [
        "for the US, what share of the country's revenue comes from each state?",
        "what share of revenue comes from each state in the US",
        "what share of revenue from the US comes from each state",
    ],
)
def test_a_share_from_each_group_within_a_value_is_of_that_value(
    engine: Engine, question: str
) -> None:
    """The states are the part and the US says whose total the whole is: the shares of
    the US states add up to 100 (it was each state's share of its own total over every
    country: 100% for each US state, and every other country's states at 0%)."""
    df = engine.ask(question).df
    assert round(df["share_pct"].sum()) == 100
    assert (df["share_pct"] < 100).all()


def test_a_duration_said_of_orders_from_people_is_a_condition_on_the_orders(
    engine: Engine,
) -> None:
    """ "Orders from customers in Germany took more than 5 days to be delivered": the
    orders took the days, not the customers."""
    plan = engine.planner.plan(
        "How many orders from customers in Germany took more than 5 days to be delivered?"
    )
    assert [c.per for c in plan.conditions] == ["order_id"]


@pytest.mark.parametrize(
    ("question", "country"),
    [("how many users in the uk", "United Kingdom"), ("how many orders came from us", None)],
)
def test_a_two_letter_value_in_lower_case_is_read_unless_it_is_a_word(
    engine: Engine, question: str, country: str | None
) -> None:
    """ "in the uk" is the country (no English word is spelt so); "from us" is the
    speaker unless written "US"."""
    plan = engine.planner.plan(question)
    assert [f.values[0] for f in plan.filters if f.dimension == "country"] == (
        [country] if country else []
    )
