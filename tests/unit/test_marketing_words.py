"""How a marketing team writes: "CVR", funnels as "home > product > cart", "first vs
repeat" as a breakdown, rankings by the sessions a condition keeps."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model
from lgda_nb.planner._text import normalize


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(), {"acquisition_channel": ["Facebook", "Email"], "browser": ["Chrome"]}
    )


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("cart to purchase CVR by browser", "cart to purchase conversion rate by browser"),
        ("funnel home > product > cart > purchase", "funnel home to product to cart to purchase"),
        ("orders with > 3 items", "orders with more than 3 items"),
        ("price > cost", "price more than cost"),  # two words: a comparison, not steps
    ],
)
def test_marketing_shorthand_is_spelled_out(said: str, read: str) -> None:
    assert normalize(said) == read


def test_a_breakdown_named_with_vs_is_not_a_period_comparison(planner: OfflinePlanner) -> None:
    """ "First vs repeat orders in 2025" is 2025's orders by order type, not 2025
    compared with 2024; a period said after it still is."""
    plan = planner.plan("first vs repeat orders in 2025")
    assert plan.dimensions == ("order_type",)
    assert not plan.compare
    assert planner.plan("first vs repeat orders in 2025 vs 2024").compare
    assert planner.plan("first vs repeat orders last quarter vs the quarter before").compare


def test_a_breakdown_named_with_vs_in_a_series(planner: OfflinePlanner) -> None:
    plan = planner.plan("first vs repeat orders by month in 2025")
    assert plan.grain == "month"
    assert plan.dimensions == ("order_type",)


def test_how_many_of_each_asks_for_the_breakdown_again(planner: OfflinePlanner) -> None:
    plan = planner.plan("first vs repeat orders in 2025 - how many of each?")
    assert plan.dimensions == ("order_type",)
    with pytest.raises(PlanningError, match="each"):
        planner.plan("orders - how many of each?")  # of each what: refused


@pytest.mark.parametrize(
    "question",
    [
        "top 3 traffic sources by sessions with a purchase",
        "top 3 traffic sources by the number of sessions that ended in a purchase",
    ],
)
def test_a_ranking_by_sessions_a_condition_keeps(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.dimensions == ("acquisition_channel",)
    assert plan.limit == 3
    assert [f.values for f in plan.session_filters] == [("purchase",)]


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("which channel drives the most revenue", "which channel has the most revenue"),
        ("what drives revenue", "what drives revenue"),  # a why, not a ranking: refused
        ("yearly revenue, all years", "yearly revenue, all time"),
        ("customers who bought in all years", "customers who bought in all years"),
        ("session length by browser, longest first", "session length by browser, highest first"),
        ("delivery time by country, shortest first", "delivery time by country, lowest first"),
    ],
)  # fmt: skip
def test_everyday_ranking_words_are_spelled_out(said: str, read: str) -> None:
    assert normalize(said) == read


@pytest.mark.parametrize(
    "question",
    [
        "how many people placed their very first order in 2025?",
        "how many shoppers made their first purchase in 2025",
        "users who placed their first order in 2025",
    ],
)
def test_people_who_placed_their_first_order_are_the_new_customers(
    planner: OfflinePlanner, question: str
) -> None:
    """Counted by their first order, dated by it, as "customers whose first order was in
    2025" are; "within N days of signing up" after it stays a condition on the users."""
    plan = planner.plan(question)
    assert list(plan.metrics) == [load_model().reader["firsts"]["count"]]
    assert plan.time_window is not None
    assert plan.time_window.year == 2025
    within = planner.plan("how many users placed their first order within 7 days of signing up")
    assert within.metrics != plan.metrics


def test_a_condition_on_sessions_after_several_filters(planner: OfflinePlanner) -> None:
    plan = planner.plan("how many 2025 sessions from Facebook on Chrome ended up with a purchase")
    assert [f.values for f in plan.session_filters] == [("purchase",)]
    assert {f.dimension for f in plan.filters} == {"acquisition_channel", "browser"}


@pytest.mark.parametrize(
    "question",
    [
        "by acquisition channel: how many users signed up, how many ordered within 7 days of "
        "signup, and the %",
        "how many users ordered within 7 days of signing up (count and %)",
    ],
)
def test_a_count_within_days_with_its_percent(planner: OfflinePlanner, question: str) -> None:
    """The count "and the %" is read as "what % of users ordered within 7 days": the
    users, those who did, and the %."""
    asked = planner.plan("what % of users ordered within 7 days of signing up")
    plan = planner.plan(question)
    assert plan.metrics == asked.metrics
    assert len(plan.metrics) == 3


@pytest.mark.parametrize(
    "question",
    [
        "what % of customers have bought more than once (more than one order)?",
        "repeat customer rate - % of customers with more than one order",
        "repeat purchase rate",
    ],
)
def test_words_said_again_restate_the_question(planner: OfflinePlanner, question: str) -> None:
    """A remark or a tail repeating words said before asks nothing more; "repeat
    customer rate" is the model's words for the share of customers with a second order."""
    plan = planner.plan(question)
    asked = planner.plan("what % of customers have more than 1 order")
    assert (plan.metrics, plan.conditions, plan.share_of_rows) == (
        asked.metrics,
        asked.conditions,
        asked.share_of_rows,
    )


def test_separately_for_listed_values(planner: OfflinePlanner) -> None:
    plan = planner.plan("running total of 2025 revenue by month, separately for Men and Women")
    assert plan.cumulative
    assert plan.dimensions == ("department",)


def test_funnel_with_step_to_step_percent(planner: OfflinePlanner) -> None:
    plan = planner.plan("product -> cart -> purchase funnel by browser, with step-to-step %")
    assert plan.dimensions == ("browser",)
    assert plan.steps == ("product", "cart", "purchase")


def test_how_many_more_than_with_the_change_is_no_ranking(planner: OfflinePlanner) -> None:
    """ "How many more signups did each channel get in 2025 than in 2024 ... and % change"
    asks for the difference beside the change, not which channel ranks first."""
    plan = planner.plan(
        "how many more signups did each channel get in 2025 than in 2024? show both years, "
        "the difference and % change"
    )
    assert plan.compare
    assert plan.limit is None


@pytest.mark.parametrize(
    "question",
    [
        "2025 revenue share by acquisition channel - what % does each bring in?",
        "revenue by acquisition channel - what % does each bring in?",
    ],
)
def test_what_percent_each_brings_in_is_the_share(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.share
    assert plan.dimensions == ("acquisition_channel",)


def test_lifetime_spend_of_a_signup_cohort_is_over_all_time(planner: OfflinePlanner) -> None:
    """The year dates the people by their signup; "lifetime" says the spend is of all
    time, which it is."""
    plan = planner.plan(
        "for customers who signed up in 2024: average lifetime spend per customer by channel"
    )
    assert plan.time_column is not None
    assert plan.metrics[0] != "customers"


@pytest.mark.parametrize(
    "question",
    [
        "2024 signups that have never ordered, count by country",
        "how many of our 2023 signups have never ordered anything",
        "signups from 2025 who never placed an order",
    ],
)
def test_signups_of_a_year_who_never_ordered(planner: OfflinePlanner, question: str) -> None:
    """The year is the signups' own: no order at any date, not only none that year."""
    plan = planner.plan(question)
    assert plan.metrics == ("users",)  # dated by its own time: the signup
    assert plan.time_window is not None
    assert [c.ever for c in plan.conditions] == [True]
    with pytest.raises(PlanningError, match="two ways"):
        planner.plan("users in 2025 who never ordered")  # the users' year, or the orders'?


@pytest.mark.parametrize(
    "question",
    [
        "what % of sessions had a purchase, per traffic source? show total sessions, sessions "
        "with a purchase and the %",
        "what % of website sessions end with a purchase? show total sessions and purchase "
        "sessions too",
        "cart-to-purchase conversion in 2025 -- show the cart sessions, the ones that also "
        "purchased, and the rate",
    ],
)
def test_the_columns_a_session_rate_shows_listed_after_it(
    planner: OfflinePlanner, question: str
) -> None:
    """Sessions, sessions with the steps read and the rate are the columns shown anyway."""
    plan = planner.plan(question)
    assert [f.values for f in plan.session_rate] == [("purchase",)]


def test_a_listed_column_of_another_step_is_not_dropped(planner: OfflinePlanner) -> None:
    """Sessions with a step the rate does not read would be a column not shown: refused."""
    with pytest.raises(PlanningError):
        planner.plan("what % of sessions had a purchase? show total sessions and cart sessions")
