"""Two halves of a year compared ("H1 2025 vs H2 2025"), the date of a table's first or
last row ("when was the first order placed", "the latest order date") and a distribution
said with "count" ("orders by item count")."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._plan import TimeWindow


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"country": ["Brasil", "China"]})


def _months(start: int, year: int) -> TimeWindow:
    return TimeWindow("month_range", month=start, n=start + 5, years=(year, year)).described()


@pytest.mark.parametrize(
    ("question", "later", "earlier"),
    [
        ("revenue H1 2025 vs H2 2025", _months(7, 2025), _months(1, 2025)),
        ("orders H1 vs H2 2025", _months(7, 2025), _months(1, 2025)),
        ("compare revenue in the first half of 2025 with the second half",
         _months(7, 2025), _months(1, 2025)),
        ("items sold by department, H1 2025 vs H1 2024", _months(1, 2025), _months(1, 2024)),
        ("revenue 2025 H1 vs 2024 H1", _months(1, 2025), _months(1, 2024)),
        ("revenue by category, H2 2024 versus H2 2025", _months(7, 2025), _months(7, 2024)),
    ],
)  # fmt: skip
def test_two_halves_compared_are_their_six_months_each(
    planner: OfflinePlanner, question: str, later: TimeWindow, earlier: TimeWindow
) -> None:
    plan = planner.plan(question)
    assert plan.compare
    assert plan.time_window == later
    assert plan.compare_with == earlier
    sql = compile_plan(plan, planner.model)
    first = f"{earlier.years[0]}-{earlier.month:02d}-01"
    assert f"CAST('{first}' AS DATE)" in sql


def test_a_half_against_the_same_period_last_year(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue in H1 2025 vs the same period last year")
    assert plan.time_window == _months(1, 2025)
    assert plan.compare_with == _months(1, 2024)


@pytest.mark.parametrize(
    "question",
    [
        "revenue in H1 and H2 2025",  # listed, not compared: two rows are not read yet
        "revenue H1 vs H2",  # no year
        "revenue H1 2025 vs H1 2025",  # the same half twice
    ],
)
def test_halves_not_compared_or_without_a_year_are_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "table", "descending"),
    [
        ("when was the first order placed", "orders", False),
        ("When was the most recent order placed?", "orders", True),
        ("when was the last order placed in 2024", "orders", True),
        ("when did the first user sign up", "users", False),
        ("earliest signup date", "users", False),
        ("what is the latest order date", "orders", True),
        ("the most recent order date in Brasil", "orders", True),
        ("when was the latest event?", "events", True),
    ],
)  # fmt: skip
def test_the_date_of_a_tables_first_or_last_row(
    planner: OfflinePlanner, question: str, table: str, descending: bool
) -> None:
    plan = planner.plan(question)
    sql = compile_plan(plan, planner.model)
    order = f"ORDER BY {table}.created_at{' DESC' if descending else ''},"
    assert order in sql
    assert sql.endswith("LIMIT 1")
    assert sql.startswith(f"SELECT {table}.created_at AS created_at FROM {table}")


def test_a_year_said_after_the_verb_narrows_the_rows(planner: OfflinePlanner) -> None:
    sql = compile_plan(planner.plan("when was the first order placed in 2024"), planner.model)
    assert "EXTRACT(YEAR FROM orders.created_at) = 2024" in sql


@pytest.mark.parametrize(
    "question",
    [
        "when did the last order ship",  # another moment than the row's own date
        "when was the first order shipped",
        "latest order date by country",  # a date per group is not a row
    ],
)
def test_another_moment_or_a_date_per_group_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "by_measure"),
    [
        ("orders by item count", "items:order_id"),
        ("orders by item count in 2025", "items:order_id"),
        ("sessions by event count", "events:session_id"),
    ],
)
def test_by_a_count_of_things_is_the_distribution(
    planner: OfflinePlanner, question: str, by_measure: str
) -> None:
    plan = planner.plan(question)
    assert plan.by_measure is not None
    assert plan.by_measure.split(":")[1] == by_measure.split(":")[1]
    assert len(plan.metrics) == 1


def test_the_hint_names_the_people_in_the_plural_once(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError) as refused:
        planner.plan("users by order count")
    assert "among users who have placed an order" in (refused.value.hint or "")
