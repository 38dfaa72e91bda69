"""Readings found wrong by a blind question set: a superlative that only orders a list
("highest first"), a plural named after "which" in two words, sessions ranked by a period,
a breakdown restated in parentheses with whose it is, and an aside naming the table."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model

VALUES = {"country": ["Brasil", "China", "Germany", "United States"]}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "Which customer countries generated more than $50k of revenue in 2025? Country and "
        "revenue, highest first.",
        "Which distribution centers sold more than 210 distinct products in 2025, highest first",
        "which customer countries had the most revenue",
    ],
)
def test_which_with_only_an_order_or_a_plural_keeps_every_group(
    planner: OfflinePlanner, question: str
) -> None:
    """Each was the top one only."""
    plan = planner.plan(question)
    assert plan.limit is None
    assert plan.order == "desc"


@pytest.mark.parametrize(
    "question", ["which country has the most orders", "Which browser brings in the most sessions?"]
)
def test_which_one_with_a_superlative_is_still_the_top_one(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).limit == 1


def test_sessions_ranked_by_a_period_are_ordered_by_the_count(planner: OfflinePlanner) -> None:
    """The weekday first by name was shown as the busiest."""
    sql = compile_plan(planner.plan("which weekday had the most sessions"), planner.model)
    assert "ORDER BY sessions DESC, weekday LIMIT 1" in sql
    plain = compile_plan(planner.plan("sessions by month"), planner.model)
    assert plain.endswith("ORDER BY month")


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("# orders by dc (product's dc), last 30d", ("distribution_center",)),
        ("avg retail price by cat (products)", ("category",)),
        ("avg retail price by category (products table)", ("category",)),
        ("count (users) by country", ("country",)),
    ],
)
def test_an_aside_restating_a_breakdown_or_naming_the_table_adds_no_breakdown(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """A product breakdown was added to each of the first three."""
    assert planner.plan(question).dimensions == dimensions


def test_list_columns_by_their_own_names_after_a_filter(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "show me the 5 latest orders with status Returned - order id, user id, created_at "
        "and returned_at"
    )
    assert [f.values for f in plan.filters] == [("Returned",)]
    assert plan.limit == 5


@pytest.mark.parametrize(
    "question",
    [
        "2025 revenue split between first orders and repeat orders (rows labelled 'first' "
        "and 'repeat')",
        "In 2025, how many orders were a customer's first order and how many were repeat "
        "orders? Label the rows 'first' and 'repeat'.",
    ],
)
def test_names_the_answer_gives_its_rows_anyway_are_a_restatement(
    planner: OfflinePlanner, question: str
) -> None:
    assert planner.plan(question).dimensions == ("order_type",)


def test_names_the_answer_would_not_give_its_rows_are_refused(planner: OfflinePlanner) -> None:
    from lgda_nb.errors import PlanningError

    with pytest.raises(PlanningError) as caught:
        planner.plan(
            "2025 revenue split between first orders and repeat orders, label them 'new' and 'old'"
        )
    assert "'new', 'old'" in caught.value.message
    assert "without the names" in caught.value.hint
