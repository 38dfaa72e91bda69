"""The manner of a question asks for nothing: an apology or a hedge in front ("Sorry if
this is obvious, but ...", "I think this is right but: ..."), who asked ("My manager
wants a feel for our web traffic - ..."), "all time is fine", "could you tell me what it
came to?", a typo of "the". Found by a blind set of a new analyst's chatty questions; the
words that say what to compute are read as usual, and a refusal stays a refusal."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"country": ["China"], "department": ["Men", "Women"]})


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Sorry if this is obvious, but how many orders have we had in total?",
         "how many orders have we had in total?"),
        ("Sorry, how many users signed up in 2024?", "how many users signed up in 2024?"),
        ("Sorry if this is a silly question, but what was revenue last month?",
         "what was revenue last month?"),
        ("I think this is right but: what's the average retail price?",
         "what's the average retail price?"),
        ("Quick one for a slide - what's our overall order cancellation rate?",
         "what's our overall order cancellation rate?"),
        ("My manager asked me to pull our total revenue for calendar 2024 - could you tell me "
         "what it came to?", "total revenue for calendar 2024"),
        ("My manager wants a feel for our web traffic - how many website sessions did we "
         "have in 2025?", "how many website sessions did we have in 2025?"),
        ("Which are our top 5 brands by revenue? All time is fine.",
         "top 5 brands by revenue, all time"),
        ("the item return rate split by department, over all time",
         "the item return rate split by department, all time"),
        ("How many orders are in each order status? just want teh counts",
         "How many orders are in each order status?"),
        ("I'm trying to chart web traffic: website sessions per month in 2025",
         "website sessions per month in 2025"),
        ("Top 5 brands by revenue in 2025, thanks!", "Top 5 brands by revenue in 2025"),
    ],
)  # fmt: skip
def test_the_manner_of_a_question_changes_nothing(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)


@pytest.mark.parametrize(
    "question",
    [
        "Sorry, revenue by shoe size",  # what is asked is still not known
        "My manager asked about churn",
        "I think this is right but: the best widget",
    ],
)
def test_manner_does_not_make_an_unknown_question_read(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_an_apology_leaves_the_rest_as_it_was(planner: OfflinePlanner) -> None:
    sql = compile_plan(planner.plan("Sorry, revenue by country except China"), planner.model)
    assert "NOT users.country = 'China'" in sql


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Our top 5 customers by lifetime spend, with their country and age please",
         "Our top 5 customers by lifetime spend: country and age"),
        ("Could you count customers by their lifetime spend, bucketed in $250 steps?",
         "count customers by their lifetime spend in $250 buckets"),
        ("quarterly revenue growth for 2025, each quarter vs the one before, in order",
         "revenue by quarter in 2025 with growth"),
        ("revenue in 2025, each month vs the one before", "revenue by month in 2025 with growth"),
        ("revenue per customer for 2025 - meaning 2025 revenue divided by the number of "
         "distinct customers who bought in 2025",
         "revenue per customer for 2025, i.e. 2025 revenue divided by the number of distinct "
         "customers who bought in 2025"),
        ("How many orders were placed on each day of the week in 2025? (weekday names are "
         "fine, no need to sort)", "How many orders were placed on each day of the week in 2025?"),
    ],
)  # fmt: skip
def test_asides_on_how_to_show_it_read_the_same(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    model = planner.model
    assert compile_plan(planner.plan(question), model) == compile_plan(planner.plan(plain), model)
