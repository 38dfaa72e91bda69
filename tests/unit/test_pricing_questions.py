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


@pytest.mark.parametrize(
    "question",
    [
        "On average, how many days does a unit sit in stock before it sells?",
        "Average days a unit sits in stock before selling",
        "average days an item sits in stock before it sells",
        "Average days in stock before sale",
        "How long do items sit in inventory before they sell? Average days from stocking to sale.",
    ],
)
def test_time_in_stock_before_a_sale(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("duration:DAY:avg:stocked:sold",)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Which 5 categories ran the lowest gross margin % in 2025? Lowest first.",
         "bottom 5 categories by gross margin % in 2025"),
        ("Which 5 customer countries posted the highest gross margin % in 2025?",
         "top 5 countries by gross margin % in 2025"),
        ("What was the gross margin in % per category in 2025?",
         "gross margin % by category in 2025"),
        ("cancellation rate by status, as a %", "cancellation rate by status"),
        ("What was the sum of the revenue in 2025? Please without the cancelled and returned "
         "items.", "revenue in 2025 excluding cancelled and returned items"),
        ("How many items have we sold in 2023? Items which were cancelled or returned do not "
         "count.", "items sold in 2023 excluding cancelled and returned items"),
        ("What is the average age of our customers per country? Customer = bought at least "
         "one item.", "average age of customers by country"),
    ],
)  # fmt: skip
def test_reads_as_the_plain_question(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("For H1 2025, how many units did we sell and what revenue did they bring in?",
         "For H1 2025, how many units did we sell and what revenue?"),
        ("ASP by category for 2025, ASP meaning the average sale price per item sold.",
         "ASP by category for 2025"),
        ("H2 2025 vs H1 2025 gross profit: both halves and the % change.",
         "H2 2025 vs H1 2025 gross profit and the % change"),
        ("profit 2025 vs 2024: both values and the % change", "profit 2025 vs 2024"),
    ],
)  # fmt: skip
def test_restated_words_read_as_nothing_more(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_both_values_never_names_revenue(planner: OfflinePlanner) -> None:
    """ "value" names the revenue; "both values" beside a comparison of profit does not."""
    plan = planner.plan("profit 2025 vs 2024: both values and the % change")
    assert plan.metrics == ("profit",)
