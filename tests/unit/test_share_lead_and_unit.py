"""A share whose whole leads after a colon ("2025 orders: what % came from male
customers", "Users who signed up in 2025: what % placed an order within 30 days of
signing up?") reads as "what % of <the lead> ..."; a rate's unit restated after it
("cancellation rate for orders placed in 2025 (%)") is read as the rate's own."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {"status": ["Complete", "Cancelled", "Returned"], "gender": ["F", "M"]},
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("2025 orders: what % came from male customers",
         "what % of 2025 orders came from male customers"),
        ("Orders in 2025: what percentage were cancelled?",
         "what percentage of orders in 2025 were cancelled?"),
        ("2024 signups: what % ordered within 7 days of signing up, by acquisition channel",
         "what % of 2024 signups ordered within 7 days of signing up, by acquisition channel"),
        ("cancellation rate for orders placed in 2025 (%)",
         "cancellation rate for orders placed in 2025"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_lead_that_is_no_whole_is_not_read_so(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("Board slide: what % came from male customers")


def test_a_percent_sign_beside_a_count_is_still_unread(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("orders placed in 2025 (%)")
