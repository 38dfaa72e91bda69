"""A share of rows that took some time, asked of the rows that reached the later moment."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._model import SemanticModel
from lgda_nb.planner._read_durations import rows_first


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


@pytest.fixture(scope="module")
def planner(model: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(model, {"department": ["Men", "Women"]})


@pytest.mark.parametrize(
    "question",
    [
        "Of the orders that have been delivered, what percentage arrived within 4 days of "
        "being placed?",
        "what share of delivered orders took more than 6 days from order to delivery",
        "among orders with a delivery date, what % were delivered within 2 days of shipping",
        "for orders that were delivered in 2024, what proportion took 5 or more days from "
        "being placed to delivery",
    ],
)
def test_the_share_is_of_the_rows_with_both_moments(
    planner: OfflinePlanner, model: SemanticModel, question: str
) -> None:
    planned = planner.plan(question)
    assert planned.share
    assert planned.share_of_measured
    assert planned.conditions[0].metric.startswith("duration:DAY:max:")
    sql = compile_plan(planned, model)
    assert "WHERE NOT max_days_" in sql  # rows without the later moment are left out


def test_a_breakdown_shares_within_each_group(planner: OfflinePlanner) -> None:
    planned = planner.plan(
        "By department, of the orders that have been delivered, what % arrived within 3 days "
        "of being placed?"
    )
    assert planned.share_of_measured
    assert planned.dimensions == ("department",)


def test_without_the_rows_said_the_share_is_asked_about(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="both moments"):
        planner.plan("what % of orders took more than 3 days to ship")


@pytest.mark.parametrize(
    ("text", "moved"),
    [
        ("of the orders placed, what % arrived", "what % of the orders placed arrived"),
        ("by country, orders shipped, what share took",
         "by country, what share of orders shipped took"),
        ("what % of orders arrived", "what % of orders arrived"),
    ],
)  # fmt: skip
def test_rows_named_first_are_moved_after_the_share(text: str, moved: str) -> None:
    assert rows_first(text) == moved


@pytest.mark.parametrize(
    ("question", "op", "days"),
    [
        ("how many orders took more than a week from being placed to being delivered", ">", 7),
        ("how many orders placed in 2025 took at least 2 days to ship", ">=", 2),
        ("orders that took under 2 weeks to arrive after they shipped", "<", 14),
    ],
)
def test_a_time_taken_is_read_in_days(
    planner: OfflinePlanner, question: str, op: str, days: int
) -> None:
    (condition,) = planner.plan(question).conditions
    assert condition.metric.startswith("duration:DAY:max:")
    assert (condition.op, condition.values) == (op, (days,))


@pytest.mark.parametrize(
    ("question", "metric", "op", "days"),
    [
        ("how many orders shipped within 2 days", "duration:DAY:max:placed:shipped", "<=", 2),
        ("how many 2025 orders were delivered in under 4 days",
         "duration:DAY:max:placed:delivered", "<", 4),
        ("how many orders were returned within 10 days",
         "duration:DAY:max:placed:returned", "<=", 10),
    ],
)  # fmt: skip
def test_a_moment_verb_with_an_amount_runs_from_the_rows_first_moment(
    planner: OfflinePlanner, question: str, metric: str, op: str, days: int
) -> None:
    (condition,) = planner.plan(question).conditions
    assert (condition.metric, condition.op, condition.values) == (metric, op, (days,))


def test_the_rows_said_with_an_unanchored_amount_are_the_whole_of_the_share(
    planner: OfflinePlanner,
) -> None:
    planned = planner.plan(
        "Of the 2025 orders that have been delivered, what % arrived within 5 days"
    )
    assert planned.share_of_measured
    assert planned.conditions[0].metric == "duration:DAY:max:placed:delivered"


@pytest.mark.parametrize(
    "question",
    [
        "how many users ordered more than 30 days ago",  # a time ago, not a time taken
        "how many users ordered within 30 days",  # nothing comes before placing an order
    ],
)
def test_an_amount_with_no_moment_before_it_is_not_a_time_taken(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)
