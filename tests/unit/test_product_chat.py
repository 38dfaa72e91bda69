"""A web product manager's team chat: "how many events does the avg session have?",
"the most items anyone has put in a single order", "sessions by traffic source x
browser", "browser share of sessions", "next to each other", percentiles listed after a
colon, the columns a list shows asked after its question mark ("? user id + lifetime
spend"). Found by a blind set of such questions; each reads as its plain form, and a
column asked for last is never dropped as if it were only why the question was asked."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "country": ["China"],
            "department": ["Men", "Women"],
            "event_type": ["home", "department", "product", "cart", "purchase", "cancel"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many events does the avg session have?", "average events per session"),
        ("how many items does the typical order have", "average items per order"),
        ("what's the most items anyone has put in a single order?", "max items per order"),
        ("the largest number of items in one order", "max items per order"),
        ("sessions by traffic source x browser, all time",
         "sessions by traffic source and browser, all time"),
        ("browser share of sessions in 2025", "share of sessions in 2025 by browser"),
        ("signups and orders per quarter in 2025, next to each other",
         "signups and orders per quarter in 2025, side by side"),
        ("delivery time percentiles for 2025 orders: 25th, 50th, 90th",
         "25th, 50th and 90th percentile of delivery time for 2025 orders"),
        ("which customers have spent more than $1,000 all time? user id + lifetime spend",
         "which customers have spent more than $1,000 all time?"),
    ],
)  # fmt: skip
def test_chat_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        # "share" after a word that names no breakdown
        "fair share of sessions in 2025",
    ],
)
def test_what_the_answer_would_not_show_is_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_a_column_asked_for_last_is_shown(planner: OfflinePlanner) -> None:
    """A column asked for last is not context: the list shows it, one per customer."""
    plan = planner.plan("which customers have spent more than $1,000 all time? country")
    assert plan.dimensions == ("customer_id", "country")


def test_a_reason_said_last_is_still_left_out(planner: OfflinePlanner) -> None:
    plan = planner.plan("2025 orders by day of week - trying to plan DC shifts")
    assert plan.metrics == ("orders",)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("what was DAU on 2025-12-01 (DAU = distinct signed-in users with any event that day)",
         "day"),
        ("WAU by week for dec 2025 (WAU = distinct signed-in users with any event that week)",
         "week"),
        ("MAU by month in 2025 (MAU = distinct signed-in users with any event in the month)",
         "month"),
        ("DAU in December 2025", "day"),
    ],
)  # fmt: skip
def test_daily_weekly_and_monthly_active_users(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("active_users",)
    assert plan.grain == grain
    assert "COUNT(DISTINCT events.user_id)" in _sql(planner, question)


def test_active_users_defined_otherwise_are_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("MAU in 2025 (MAU = users with a purchase that month)")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many signed-in users fired a cart event in dec 2025",
         "active users with a cart event in dec 2025"),
        ("sessions that triggered a purchase event in 2025",
         "sessions with a purchase event in 2025"),
        ("how many distinct signed-in users show up in the events table", "active users"),
    ],
)  # fmt: skip
def test_signed_in_users_with_an_event_are_active_users(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)
