"""Lists of values, commas, weak value words and groups ranked by a period."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, interpret, load_model

VALUES = {
    "country": ["United States", "China", "Japan", "United Kingdom"],
    "gender": ["F", "M"],
    "category": ["Plus", "Jeans", "Shorts"],
    "department": ["Men", "Women"],
}


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "revenue by country excluding China and the United States",
        "revenue by country except China and the United States",
        "orders by country other than Japan and the United Kingdom",
        "revenue by department excluding China, Japan",
        "orders by department except Japan, and the United Kingdom",
    ],
)
def test_an_excluded_list_with_an_article_excludes_every_value(
    planner: OfflinePlanner, question: str
) -> None:
    """'excluding China and the United States' (or 'China, Japan') leaves both out; before,
    'the' or the comma broke the list and the second value became a filter keeping it."""
    plan = planner.plan(question)
    assert [f.negate for f in plan.filters] == [True]
    assert len(plan.filters[0].values) == 2


def test_a_repeated_noun_between_values_lists_them(planner: OfflinePlanner) -> None:
    """'female customers versus male customers' puts each value on a row; it is not a
    comparison with the period before."""
    plan = planner.plan("2025 revenue from female customers versus male customers")
    assert plan.dimensions == ("gender",)
    assert not plan.compare


@pytest.mark.parametrize(
    "question",
    [
        "how did china compare with japan on revenue in 2024?",
        "average order value in 2025 for customers in China vs in Japan",
        "orders in 2025: China compared to Japan",
        "How many users do we have in China vs the United States?",
        # Words between the two values are read as usual; the values are the rows.
        "China revenue 2025 vs Japan",
        "how does China's revenue in 2025 stack up against Japan",
        "compare China with Japan on orders last year",
    ],
)
def test_values_set_against_each_other_are_rows_not_a_period_comparison(
    planner: OfflinePlanner, question: str
) -> None:
    """ "China compared with Japan in 2024" was 2024 against 2023 for both together."""
    plan = planner.plan(question)
    assert plan.dimensions == ("country",)
    assert not plan.compare


def test_a_category_relative_to_another_is_rows_of_both(planner: OfflinePlanner) -> None:
    plan = planner.plan("revenue in 2024 for Jeans relative to Shorts")
    assert plan.dimensions == ("category",)
    assert not plan.compare


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("revenue and orders from Japan", ("revenue", "orders")),
        ("items sold and orders in Japan by month", ("items_sold", "orders")),
        ("revenue and users in Japan", ("revenue", "users")),
    ],
)
def test_a_second_measure_before_a_place_is_a_measure(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...]
) -> None:
    """The second measure was dropped, read as who the first one's rows were of."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert [(f.dimension, f.values) for f in plan.filters] == [("country", ("Japan",))]


def test_people_after_a_measure_and_before_a_place_still_say_who(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("revenue from customers in Japan")
    assert plan.metrics == ("revenue",)


def test_both_is_never_read_as_a_value_nor_passed_over(planner: OfflinePlanner) -> None:
    """ "Both Jeans and Shorts" is the customers of both (not read yet), never the two
    added up or side by side; the refusal names the word, not a value it could not find."""
    with pytest.raises(PlanningError) as refused:
        planner.plan("how many customers have bought both Jeans and Shorts")
    assert "'both'" in refused.value.message
    assert "could not find" not in refused.value.message


def test_figures_for_both_values_are_each_values_row(planner: OfflinePlanner) -> None:
    """ "Show the revenue for both" after "which made more": both rows, the larger first
    (``test_shown_for_both``), not the top one alone and not the two added up."""
    plan = planner.plan(
        "Jeans or Shorts: which category made more revenue in 2025? Show the revenue for both."
    )
    assert plan.dimensions == ("category",)
    assert plan.limit is None
    assert plan.order == "desc"


def test_two_measures_each_with_its_own_value_are_refused(planner: OfflinePlanner) -> None:
    """Both were given over Japan and China together."""
    with pytest.raises(PlanningError, match="each with its own country") as refused:
        planner.plan("revenue from Japan and orders from China")
    assert "by country" in (refused.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "busiest hour of the day for orders, women vs men (orders.gender)",
        "best month of 2025 by revenue for the Men department vs the Women department",
    ],
)
def test_the_best_period_of_each_value_listed(planner: OfflinePlanner, question: str) -> None:
    """The period is ranked within each value, not the values within each period."""
    plan = planner.plan(question)
    assert plan.per in {"gender", "department"}
    assert plan.grain in {"hour", "month"}
    assert plan.limit == 1


def test_a_weak_value_ending_in_s_needs_a_cue(planner: OfflinePlanner) -> None:
    """'plus the % change' is not the category Plus (the weak-value check used to strip
    every trailing s, so 'plus' never matched its entry)."""
    plus = planner.plan("revenue in 2024, plus the orders")  # "plus" adds a column
    assert not plus.filters
    assert plus.metrics == ("revenue", "orders")
    plan = planner.plan("revenue of Plus by month in 2025")
    assert [f.values for f in plan.filters] == [("Plus",)]


def test_a_comma_separates_measures(planner: OfflinePlanner) -> None:
    """'Orders, cancellation rate' is two measures, not 'order cancellation rate'."""
    plan = planner.plan("Orders, cancellation rate and order return rate by country in 2025")
    assert len(plan.metrics) == 3


def test_distinct_names_count_names_not_things(planner: OfflinePlanner) -> None:
    """Product names repeat: 'how many distinct product names' counts the names, while
    'how many products' counts the products by id."""
    names = compile_plan(planner.plan("how many distinct product names are there"), planner.model)
    products = compile_plan(planner.plan("number of distinct products"), planner.model)
    assert "COUNT(DISTINCT products.name)" in names
    assert "products.name" not in products


def test_the_best_period_per_group_ranks_periods_within_each_group(
    planner: OfflinePlanner,
) -> None:
    """'best month of 2025 by revenue for each department' ranks months within each
    department, not departments within each month."""
    plan = planner.plan("Best month of 2025 by revenue for each department")
    assert (plan.grain, plan.per, plan.limit) == ("month", "department", 1)
    assert interpret(plan, planner.model).startswith("Top month by revenue in each department")
    sql = compile_plan(plan, planner.model)
    assert "PARTITION BY products.department" in sql


def test_a_group_condition_shows_its_measure(planner: OfflinePlanner) -> None:
    """'brands with at least 100 items sold, and their revenue' shows the items sold too."""
    plan = planner.plan("brands with at least 100 items sold in 2025, and their revenue")
    assert plan.metrics == ("revenue", "items_sold")


def test_stock_value_is_of_unsold_items(planner: OfflinePlanner) -> None:
    """Stock value follows the convention: the cost of unsold items."""
    sql = compile_plan(planner.plan("stock value by distribution center"), planner.model)
    assert "sold_at IS NULL" in sql


def test_each_of_those_groups_ranks_within_each(planner: OfflinePlanner) -> None:
    """'the top category in each of those countries' ranks within each country named."""
    plan = planner.plan(
        "for China and Japan, which category had the most revenue in each of those countries"
    )
    assert (plan.per, plan.limit) == ("country", 1)


def test_a_ranking_of_bands_is_refused_not_dropped(planner: OfflinePlanner) -> None:
    """'which age band had the most customers' would otherwise list every band."""
    with pytest.raises(PlanningError, match="rank bands"):
        planner.plan("which age band (under 30, 30-49, 50+) had the most customers in each country")


def test_one_planner_plans_on_several_threads(planner: OfflinePlanner) -> None:
    """A panel may plan on several threads with one planner: a refusal's suggestions
    (which plan other questions) on one thread never change another thread's plans."""
    from concurrent.futures import ThreadPoolExecutor

    questions = [
        "revenue by country excluding China and the United States",
        "revenue by flavour",  # refused, with suggestions planned on the way
        "the 5 cheapest products",
        "top 2 brands by revenue in each category",
    ] * 25

    def outcome(question: str) -> str:
        try:
            return repr(planner.plan(question))
        except PlanningError as error:
            return error.message

    alone = [outcome(q) for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(outcome, questions))
    assert together == alone


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        (
            "in 2025, how many orders were first orders and how many were repeat orders",
            "order_type",
        ),
        ("revenue from men and women in 2025", "department"),
    ],
)
def test_naming_every_value_of_a_dimension_shows_each(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    """Naming every value keeps every row, so it asks to see each value's number: a
    breakdown, never one total that silently adds them up."""
    plan = planner.plan(question)
    assert dimension in plan.dimensions
