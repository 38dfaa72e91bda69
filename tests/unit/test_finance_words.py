"""Found by a blind set of an FP&A analyst's questions: a rate's formula spelled out in a
remark in the rate's own words restates it, "GP" is gross profit and "value at cost" is
what the stock cost."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"category": ["Jeans", "Outerwear & Coats"]})


@pytest.mark.parametrize(
    ("question", "rate"),
    [
        ("Item return rate by department (returned items / all items), all time.",
         "item_return_rate"),
        ("Item return rate for order items placed in 2025 (returned items as a % of all items)?",
         "item_return_rate"),
        ("Sell-through rate by product category (sold units as a % of all inventory units).",
         "sell_through_rate"),
        ("Overall sell-through rate on inventory (sold units / all inventory units), all time?",
         "sell_through_rate"),
    ],
)  # fmt: skip
def test_a_rates_formula_in_its_own_words_restates_it(
    planner: OfflinePlanner, question: str, rate: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics[0] == rate
    assert any("formula of the measure" in note for note in plan.notes)


@pytest.mark.parametrize(
    "question",
    [
        # Another whole, or a narrower part, is not the rate's own formula.
        "Item return rate by department (returned items / items sold)",
        "Item return rate by department (Jeans returned items / all items)",
    ],
)
def test_a_formula_naming_other_rows_is_still_refused(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_gp_is_gross_profit(planner: OfflinePlanner) -> None:
    assert planner.plan("GP by department").metrics == ("profit",)


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("Top 3 brands by value at cost of unsold stock.", "unsold_inventory_value"),
        ("value at cost of items sold in 2025", "cost"),
    ],
)
def test_value_at_cost_is_what_it_cost(planner: OfflinePlanner, question: str, metric: str) -> None:
    # "value" alone is revenue: "value at cost of items sold" must never be revenue.
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert "sale_price" not in compile_plan(plan, planner.model)


@pytest.mark.parametrize(
    ("question", "within"),
    [
        ("Each month's share of total 2025 revenue.", "year"),
        ("each quarter's share of 2024 orders", "year"),
    ],
)
def test_each_periods_share_of_the_window(
    planner: OfflinePlanner, question: str, within: str
) -> None:
    plan = planner.plan(question)
    assert (plan.share, plan.share_within) == (True, within)


def test_each_periods_share_without_a_whole_period_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("each month's share of revenue")


def test_a_name_for_dates_takes_its_year_along(planner: OfflinePlanner) -> None:
    plan = planner.plan("Holiday season 2024 revenue (holiday season = Nov-Dec 2024)?")
    assert plan.time_window is not None
    assert plan.time_window.label == "November 2024 to December 2024"
    # Another year beside the name is not those dates.
    with pytest.raises(PlanningError):
        planner.plan("Holiday season 2023 revenue (holiday season = Nov-Dec 2024)?")


def test_the_top_one_thing_said_in_the_singular(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Top customer by 2025 revenue in each country: country, user id and revenue."
    )
    assert (plan.limit, plan.per) == (1, "country")
    # Said in the plural with no number, how many is still asked.
    with pytest.raises(PlanningError, match="how many"):
        planner.plan("top customers by revenue in each country")


@pytest.mark.parametrize(
    "question",
    [
        "Lifetime gross profit (revenue less COGS), all years combined?",
        "profit (revenue minus cost) by category",
    ],
)
def test_a_measures_formula_in_its_parts_words_restates_it(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("profit",)
    assert any("formula" in note for note in plan.notes)


def test_a_formula_with_other_parts_is_still_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("gross profit by department (revenue less returns)")


def test_a_formula_said_the_other_way_round_is_refused(planner: OfflinePlanner) -> None:
    # "(cost minus revenue)" is no profit, and "(sessions with a purchase / all sessions)"
    # is no conversion rate of the model's (its whole is the sessions with a home page).
    with pytest.raises(PlanningError):
        planner.plan("profit (cost minus revenue) by category")
    with pytest.raises(PlanningError):
        planner.plan("conversion rate (sessions with a purchase / all sessions)")
