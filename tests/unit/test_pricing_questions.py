"""A pricing analyst's questions: statistics of a number with its own rows said again
("retail price quartiles across the product catalog": over every product, never one row
per product), and the verbs and remarks such a person writes. Found by a blind set."""

from __future__ import annotations

import pytest

from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"status": ["Complete", "Cancelled", "Returned"]})


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Retail price quartiles across the product catalog.", "retail price quartiles"),
        ("retail price quartiles across all products", "retail price quartiles"),
        ("What are the age quartiles of our users?", "age quartiles"),
        ("sale price quartiles across all order items", "sale price quartiles"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_breakdown_after_the_statistic_is_kept(planner: OfflinePlanner) -> None:
    assert planner.plan("retail price quartiles by category").dimensions == ("category",)
