"""Found by a blind set of merchandising questions: a term the question defines is read
as its definition, "average" before a total is never dropped, and the days between
consecutive orders are one buyer's."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._read_definitions import definitions


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"category": ["Jeans", "Outerwear & Coats"]})


@pytest.mark.parametrize(
    ("question", "term", "said"),
    [
        (
            "What's our AUR (average unit retail, i.e. revenue per item sold)?",
            "AUR",
            "What's our revenue per item sold?",
        ),
        (
            "AUR by category for 2025 (AUR = revenue divided by items sold)",
            "AUR",
            "revenue per items sold by category for 2025",
        ),
        (
            "the categories with their AUR (revenue per item sold)",
            "AUR",
            "the categories with their revenue per item sold",
        ),
        (
            "fill rate by DC - fill rate here = % of order items shipped",
            "fill rate",
            "% of order items shipped by DC",
        ),
        (
            "Dead stock by category. By dead stock I mean unsold units.",
            "dead stock",
            "unsold units by category.",
        ),
    ],
)
def test_a_defined_term_is_said_as_its_definition(question: str, term: str, said: str) -> None:
    found = list(definitions(question))
    assert (found[0].term, found[0].question) == (term, said)


@pytest.mark.parametrize(
    "question",
    [
        # Remarks that restate or narrow what is before them define nothing.
        "average hours to ship by month of 2025 (order month)",
        "how many orders did they place in 2025 (any status)",
        "most expensive product (retail price) in each department",
        "revenue (in $) by month",
        # A term said nowhere else in the question is no term of it.
        "revenue by month (AUR = revenue per item sold)",
    ],
)
def test_a_remark_is_no_definition_unless_it_says_so(question: str) -> None:
    assert list(definitions(question)) == []


@pytest.mark.parametrize(
    "question",
    [
        "What's our AUR (average unit retail, i.e. revenue per item sold)?",
        "AUR by category for 2025 (AUR = revenue divided by items sold)",
        "AUR by category, 2024 vs 2025, with % change (AUR = revenue per item sold)",
        "categories with more than 1,000 units sold, with their AUR (revenue per item sold)",
    ],
)
def test_a_term_the_question_defines_is_read(planner: OfflinePlanner, question: str) -> None:
    """They were refused for the term ("I did not understand: 'aur'")."""
    plan = planner.plan(question)
    assert plan.metrics[0] == "ratio:revenue:items_sold"
    assert any("'AUR' read as you defined it" in note for note in plan.notes)


def test_a_definition_that_does_not_read_is_still_a_refusal(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("ZQX by category (ZQX = the wobble of each frobnicated unit)")


@pytest.mark.parametrize(
    "question",
    [
        "average sale price and average cost of items sold, by department",
        "average order value and average cost",
        "average cost and average sale price by department",
    ],
)
def test_average_before_a_total_is_never_dropped(planner: OfflinePlanner, question: str) -> None:
    """ "Average sale price and average cost" gave the total cost: the second "average"
    was taken as said of the first measure, an average already."""
    with pytest.raises(PlanningError) as refused:
        planner.plan(question)
    assert "'average'" in refused.value.message


@pytest.mark.parametrize(
    "question",
    ["average gross margin by department", "the average of the gross margin by category"],
)
def test_average_of_a_rate_is_the_rate(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("gross_margin_pct",)


@pytest.mark.parametrize(
    "question",
    [
        "average days between consecutive orders",
        "average days between consecutive orders (orders of any status)",
        "median days between successive orders by traffic source",
    ],
)
def test_consecutive_orders_are_one_buyers(planner: OfflinePlanner, question: str) -> None:
    """Refused before unless the owner was said ("a customer's consecutive orders")."""
    plan = planner.plan(question)
    (name,) = plan.metrics
    assert name.startswith("gap:DAY:")
    assert name.endswith(":orders:customer_id")
    sql = compile_plan(plan, planner.model)
    assert "PARTITION BY orders.user_id" in sql


def test_days_between_orders_without_consecutive_stays_refused(planner: OfflinePlanner) -> None:
    """Store-wide time between any two orders, or one customer's? Not said: refused."""
    with pytest.raises(PlanningError):
        planner.plan("average days between orders")
