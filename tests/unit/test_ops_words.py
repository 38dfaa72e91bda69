"""Wrong answers found by a blind set of operations questions: "worst" follows the
measure, a remark dating a period is read, and a breakdown word is never dropped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lgda_nb.errors import ConfigError, PlanningError
from lgda_nb.planner import OfflinePlanner, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"category": ["Jeans", "Outerwear & Coats"]})


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("which month of 2025 had the worst cancellation rate?", "desc"),
        ("item return rate by product category, worst first", "desc"),
        ("worst 3 brands by return rate", "desc"),
        ("which country has the best return rate", "asc"),
        ("best 3 categories by delivery time", "asc"),
        ("worst 3 categories by delivery time", "desc"),
        # Higher is better: unchanged.
        ("worst 3 brands by revenue", "asc"),
        ("best 3 brands by revenue", "desc"),
        ("top 5 best selling brands", "desc"),
    ],
)
def test_best_and_worst_follow_the_measure(
    planner: OfflinePlanner, question: str, order: str
) -> None:
    """The worst return rate, cancellation rate or delivery time is the highest: a model
    metric says which way is better (``better = "lower"``), and so does every duration."""
    assert planner.plan(question).order == order


def test_best_and_worst_said_beside_another_order_are_refused(planner: OfflinePlanner) -> None:
    """ "Worst 3 by return rate, highest first" reads differently once "worst" is said
    as "highest": refused rather than guessed."""
    with pytest.raises(PlanningError) as refused:
        planner.plan("worst 3 brands by return rate, highest first")
    assert "lower is better" in refused.value.message
    assert "'highest' or 'lowest'" in (refused.value.hint or "")


def test_a_metric_says_which_way_is_better(tmp_path: Path) -> None:
    """Only "higher" and "lower" are read; anything else is a ConfigError with a hint."""
    model = load_model()
    assert model.metric("cancellation_rate").better == "lower"
    assert model.metric("revenue").better == "higher"
    assert model.metric("duration:HOUR:avg:placed:shipped").better == "lower"
    path = tmp_path / "model.toml"
    path.write_text(
        'name = "shop"\n[[metrics]]\nname = "sales"\nexpression = "COUNT(s.id)"\n'
        'table = "s"\nbetter = "smaller"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as refused:
        load_model(path)
    assert "better" in refused.value.message
    assert '"lower"' in (refused.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "which weekday (day the order was placed) has the worst average shipping time in days?",
        "which weekday has the worst average shipping time (by order date)?",
    ],
)
def test_a_remark_naming_the_date_of_a_period_restates_it(
    planner: OfflinePlanner, question: str
) -> None:
    """ "(day the order was placed)" says which date the weekday is of; its words are
    no measure (it ranked by the number of orders)."""
    plan = planner.plan(question)
    assert plan.metrics == ("days_to_ship",)
    assert (plan.grain, plan.order, plan.limit) == ("weekday", "desc", 1)


def test_a_remark_naming_another_date_of_a_series_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError) as refused:
        planner.plan("items shipped by month (month they shipped)")
    assert "'(month they shipped)' cannot date this answer" in refused.value.message


@pytest.mark.parametrize(
    "question",
    [
        "avg hours from order placed to shipped, by how many items are in the order",
        "revenue by how many items the order has",
        "avg days to ship by how many orders the customer placed",
        "revenue by how much",
    ],
)
def test_by_how_many_is_a_breakdown_or_refused(planner: OfflinePlanner, question: str) -> None:
    """ "By how many items are in the order" was dropped, leaving items sold and orders
    as measures beside the one asked."""
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_by_how_many_things_are_in_each_is_counted(planner: OfflinePlanner) -> None:
    plan = planner.plan("orders by how many items are in the order")
    assert plan.by_measure == "order_lines:order_id"


def test_by_how_many_of_a_comparison_is_its_difference(planner: OfflinePlanner) -> None:
    assert planner.plan("orders 2025 vs 2024 and by how many").difference


def test_each_ranked_thing_s_columns_are_columns(planner: OfflinePlanner) -> None:
    """ "The three best-selling products ... show each product's name, brand and units":
    the top 3 products with their brand, not the top 3 brands within each product."""
    plan = planner.plan(
        "In Outerwear & Coats, what were the three best-selling products by units sold in "
        "2025? Show each product's name, brand and units."
    )
    assert (plan.dimensions[0], plan.limit, plan.per) == ("product", 3, None)
    # "Each category's share" is still a share.
    assert planner.plan("top 5 categories by revenue and each category's share of revenue").share


def test_stock_is_what_has_not_sold(planner: OfflinePlanner) -> None:
    """Unsold stock is counted over unsold items (a rule), so a group with none is left
    out rather than shown with 0; beside another measure it keeps its own rule."""
    from lgda_nb.planner import compile_plan

    alone = compile_plan(planner.plan("stock value by category"), planner.model)
    assert "WHERE inventory_items.sold_at IS NULL" in alone
    both = compile_plan(
        planner.plan("unsold stock value and sell-through rate by department"), planner.model
    )
    assert "WHERE inventory_items.sold_at IS NULL" not in both
    assert "IF(inventory_items.sold_at IS NULL, inventory_items.cost" in both


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("avg transit time (ship to delivery, days) by customer country", "days_in_transit"),
        ("average delivery time (days, placed to delivered)", "days_to_deliver"),
        ("top 5 categories by stock value (unsold units at cost)", "unsold_inventory_value"),
    ],
)
def test_a_remark_restating_the_measure_with_its_unit(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """ "(ship to delivery, days)" names the measure's moments and unit: said again."""
    assert planner.plan(question).metrics == (metric,)


def test_another_unit_in_the_remark_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("average delivery time (placed to delivered, hours)")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("2025 orders by day of week - trying to plan DC shifts", "orders per weekday in 2025"),
        ("big baskets: how many orders have more than 2 items in them?",
         "how many orders have more than 2 items in them?"),
        ("Warehouse planning: average hours between an item being ordered and being shipped, "
         "per distribution center",
         "average hours between an item being ordered and being shipped, per distribution "
         "center"),
        ("We're designing a loyalty tier. How many users placed 3 or more orders in 2025?",
         "How many users placed 3 or more orders in 2025?"),
    ],
)  # fmt: skip
def test_a_part_that_only_says_why_is_read_as_context(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """A sentence or clause whose words the question reads as nothing, and which says
    no number and nothing that restricts or orders, is left out; the plan notes it."""
    planned, expected = planner.plan(question), planner.plan(plain)
    assert (planned.metrics, planned.dimensions, planned.grain) == (
        expected.metrics,
        expected.dimensions,
        expected.grain,
    )
    assert (planned.filters, planned.conditions, planned.time_window) == (
        expected.filters,
        expected.conditions,
        expected.time_window,
    )
    assert any("which asks for nothing" in note for note in planned.notes)
    assert planned.question == question


@pytest.mark.parametrize(
    "question",
    [
        "Skip the small stuff. Revenue by month in 2025",  # an instruction not read
        "Only the big stores please - revenue by month in 2025",
        "revenue by month in 2025 - not the wholesale part",
        "Exclude the test accounts. How many users signed up in 2025?",
    ],
)
def test_a_part_that_may_restrict_the_answer_is_never_left_out(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("How many orders came in during each month of 2025? Show the months in order.", "month"),
        ("orders per month in 2025, months in order", "month"),
    ],
)
def test_the_periods_in_order_restate_a_series(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    plan = planner.plan(question)
    assert (plan.metrics, plan.grain) == (("orders",), grain)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("quarterly revenue for 2025 with each quarter's growth over the quarter before it",
         "quarter"),
        ("Show quarterly revenue for 2025 with each quarter's growth over the quarter before "
         "it: revenue, the previous quarter's revenue and the % change, in order.", "quarter"),
        ("year-over-year revenue growth for every year from 2020 on, showing each year's "
         "revenue, the prior year's revenue and the growth %, in order", "year"),
    ],
)  # fmt: skip
def test_a_growth_series_said_with_the_period_before(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    """ "Over the quarter before it" and "the previous quarter's revenue" in a column list
    name what each period's growth is from (a growth series shows it), not a comparison
    of two periods."""
    plan = planner.plan(question)
    assert (plan.metrics, plan.grain, plan.growth, plan.compare) == (
        ("revenue",),
        grain,
        True,
        False,
    )


def test_another_measure_of_the_period_before_is_not_a_growth(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("revenue by quarter in 2025, the previous quarter's orders")


@pytest.mark.parametrize(
    ("question", "metric", "grain"),
    [
        ("average order value from year to year", "average_order_value", "year"),
        ("cxl rate by month, 2025", "cancellation_rate", "month"),
        ("median delivery time in days - order placed to delivered", None, None),
        ("How many new accounts were created on the site in 2024?", "users", None),
    ],
)
def test_everyday_operations_words(
    planner: OfflinePlanner, question: str, metric: str | None, grain: str | None
) -> None:
    """ "From year to year" is per year, "cxl" a cancellation, two moments said last after
    a dash restate a measure of time, and accounts are created when users sign up."""
    plan = planner.plan(question)
    if metric is not None:
        assert plan.metrics[0] == metric
    assert plan.grain == grain


def test_a_part_naming_a_direction_is_never_context(planner: OfflinePlanner) -> None:
    """ "Worst" or "highest" orders the answer even where nothing else in its part is read:
    it is never dropped as context."""
    assert planner.plan("revenue by brand in 2025 - the worst ones please").order == "asc"


def test_a_share_of_all_of_the_measure_is_of_its_total(planner: OfflinePlanner) -> None:
    """ "Categories by returned items, with each one's share of all returned items":
    "returned" restates the measure, so the share is of all returned items (it was each
    category's returned items over themselves, 100% everywhere, ranked by that)."""
    from lgda_nb.planner import compile_plan

    plan = planner.plan(
        "top 5 categories by returned items in 2025, with each one's share of all returned "
        "items that year"
    )
    assert (plan.metrics, plan.filters, plan.share, plan.limit) == (
        ("returned_items",),
        (),
        True,
        5,
    )
    assert "OVER ()" in compile_plan(plan, planner.model)  # of the grand total


@pytest.mark.parametrize(
    "question",
    [
        "how many customers have had 2 or more orders returned?",
        "customers with at least 2 orders cancelled",
        "which users had more than 2 items returned in 2025",
    ],
)
def test_a_value_after_the_things_a_condition_counts_is_asked_about(
    planner: OfflinePlanner, question: str
) -> None:
    """ "2 or more orders returned" gave customers with a returned item and 2 orders of any
    status; the value could be of the orders counted, so it is asked about."""
    with pytest.raises(PlanningError) as refused:
        planner.plan(question)
    assert "cannot tell whether" in refused.value.message
    # The hint's example reads (a phrasing it suggests must not be refused too).
    example = re.search(r"\('(.+?)'\)", refused.value.hint or "")
    assert example is not None
    assert planner.plan(example[1]).conditions


def test_at_least_one_thing_with_a_value_is_read(planner: OfflinePlanner) -> None:
    """With at least one, either reading is the same set."""
    plan = planner.plan(
        "which distinct categories had at least one item returned among items ordered in Q4 2025?"
    )
    assert plan.rows is not None or plan.distinct or plan.dimensions


def test_a_share_by_a_date_breakdown_reads_in_date_order(planner: OfflinePlanner) -> None:
    """ "By signup year, what % of users have ever placed an order": the years in order,
    as the same breakdown is shown without a share (it was the largest share first)."""
    from lgda_nb.planner import compile_plan

    sql = compile_plan(
        planner.plan("by signup year, what % of users have ever placed an order?"), planner.model
    )
    assert sql.endswith("ORDER BY whole.signup_year")
