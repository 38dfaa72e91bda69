"""A measure followed by one that counts only some of its rows ("inventory currently in
stock") is the first over only those rows: never the two side by side, ranked by the
first (which answered "Top 10 categories by inventory currently in stock" by all
inventory ever received). What being in stock means, said again ("in stock (not sold
yet)", "still not sold"), is read as the unsold stock."""

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
        ("Top 10 categories by inventory currently in stock",
         "Top 10 categories by unsold inventory items"),
        ("inventory items still in stock by brand", "unsold inventory items by brand"),
        ("inventory that is currently in stock by category",
         "unsold inventory items by category"),
        ("How many inventory items are currently in stock?", "How many unsold inventory items?"),
        ("inventory value currently in stock by department", "stock value by department"),
        ("inventory cost still in stock by brand, top 5", "top 5 brands by stock value"),
    ],
)  # fmt: skip
def test_reads_as_the_narrower_measure(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    ["inventory and stock by category", "inventory, stock by category"],
)
def test_two_measures_named_apart_stay_two(planner: OfflinePlanner, question: str) -> None:
    assert len(planner.plan(question).metrics) == 2


@pytest.mark.parametrize(
    "question",
    [
        "How many inventory items are currently in stock, i.e. not sold yet?",
        "How many inventory items are currently in stock (not sold yet)?",
        "How many inventory units are in stock at the moment (received but not yet sold)?",
        "how many inventory items are still not sold?",
        "How many inventory items are not sold yet?",
    ],
)
def test_what_in_stock_means_said_again(planner: OfflinePlanner, question: str) -> None:
    assert _sql(planner, question) == _sql(planner, "How many unsold inventory items?")


def test_only_a_count_of_rows_says_which_rows(planner: OfflinePlanner) -> None:
    """ "order items revenue": the revenue is no part of the order items' rows."""
    assert len(planner.plan("order items revenue by category").metrics) == 2
