"""Questions typed as short messages and a stock planner's questions: "w/" and "+" in the
figures asked beside a rate ("2025 cancellation rate - w/ total orders and # cancelled
pls"), a participle said without its noun in a list of figures ("show items, returned
and rate": the returned items, never a filter on the items). Found by two blind sets."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {
            "status": ["Complete", "Cancelled", "Returned", "Shipped", "Processing"],
            "country": ["China", "United States"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("which brands have 100+ order items and an item return rate over 12%? show items, "
         "returned and rate",
         "which brands have 100+ order items and an item return rate over 12%? show items, "
         "returned items and the item return rate"),
        ("2025 cancellation rate - w/ total orders and # cancelled pls",
         "2025 cancellation rate"),
        ("2025 cancellation rate - with total orders and the number cancelled",
         "2025 cancellation rate, with the orders and the cancelled orders"),
        ("item return rate overall? give me total items + returned count too",
         "item return rate overall, with the items and the returned items"),
        ("cancel rate by country all time, w/ order count and cancelled count",
         "cancellation rate by country, with the orders and the cancelled orders"),
        ("monthly cancel rate 2025, w/ orders + cancelled counts",
         "monthly cancellation rate 2025"),
        ("sell-through rate overall, w/ total inventory units and sold units",
         "sell-through rate"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_participle_listed_is_no_filter(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "countries where over 15% of 2025 orders got cancelled - w/ orders, cancelled and the rate"
    )
    assert not plan.filters
    assert len(plan.metrics) == 3


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many 2025 orders took more than 5 days to get delivered, placed to delivered?",
         "How many 2025 orders took more than 5 days to get delivered?"),
        ("Brands with a sell-through rate under 30% - list them with sold units, total units "
         "and the rate.",
         "Brands with a sell-through rate under 30%"),
        ("Overall sell-through rate (sold units as a % of all inventory units) - give me sold "
         "units and total units alongside it.",
         "sell-through rate"),
        ("Top 5 brands by cancelled order items in 2025.",
         "Top 5 brands by order items with status Cancelled in 2025."),
        ("Which month of 2025 had the most cancelled order items?",
         "Which month of 2025 had the most order items with status Cancelled?"),
    ],
)  # fmt: skip
def test_stock_questions_read_as_their_plain_form(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_remark_on_other_moments_than_the_condition_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="shipping to delivery"):
        planner.plan(
            "How many 2025 orders took more than 5 days to get delivered, shipped to delivered?"
        )


def test_values_named_with_their_breakdown_after_them(planner: OfflinePlanner) -> None:
    """ "Men vs Women department": the department, not the customers' gender."""
    plan = planner.plan("Avg days for an order item to ship, Men vs Women department, 2025 items.")
    assert plan.dimensions == ("department",)
    assert {f.dimension for f in plan.filters} == {"department"}
    assert planner.plan("orders from men vs women").dimensions == ("gender",)


@pytest.mark.parametrize(
    "question",
    [
        "Which brands had at least one returned item in every month of 2025?",
        "brands with returned items in every month of 2025",
        "how many customers ordered in every month of 2025",
    ],
)
def test_things_in_every_period_are_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError, match="each month on its own or all of them"):
        planner.plan(question)


@pytest.mark.parametrize(
    "question",
    ["revenue in every month of 2025", "new customers in every month of 2025",
     "YoY growth in new signups for every year"],
)  # fmt: skip
def test_a_measure_in_every_period_is_each_period(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).grain is not None


@pytest.mark.parametrize(
    ("question", "measures"),
    [
        ("Top 10 categories by units currently in stock", ("unsold_inventory",)),
        ("Running total of units received through 2025, month by month, with each month's "
         "own units beside it.", ("inventory_items",)),
        ("How many units are in our inventory in total, sold or not?", ("inventory_items",)),
        ("unsold stock units by distribution center", ("unsold_inventory",)),
    ],
)  # fmt: skip
def test_units_in_a_question_about_stock_are_inventory_units(
    planner: OfflinePlanner, question: str, measures: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == measures
    assert any("inventory items" in note for note in plan.notes)


def test_units_sold_elsewhere_are_still_items_sold(planner: OfflinePlanner) -> None:
    assert planner.plan("units sold by brand in 2025").metrics == ("items_sold",)


def test_a_table_word_for_no_table_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lgda_nb.errors import ConfigError
    from lgda_nb.planner._model import BUILTIN_MODEL

    text = (
        BUILTIN_MODEL.read_text()
        + '\n[[synonyms]]\ntable = "stock"\nphrases = ["u"]\nmeans = "x"\n'
    )
    path = tmp_path / "model.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="no measure counts: 'stock'"):
        load_model(path)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many diff products did we sell in 2025",
         "how many different products did we sell in 2025"),
        ("how did aov move month by month in 2025", "aov by month in 2025"),
        ("how did revenue go quarter by quarter in 2025", "revenue by quarter in 2025"),
        ("avg delivery days by order month, 2025", "avg delivery time by order month, 2025"),
        ("each category's share of its dept's 2025 rev, show the dept total too",
         "each category's share of its department's 2025 revenue"),
        ("QoQ rev growth for 2025 (Q1 vs Q4 2024), show prev qtr rev",
         "QoQ rev growth for 2025 (Q1 vs Q4 2024)"),
    ],
)  # fmt: skip
def test_shorthand_reads_as_its_plain_form(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_number_of_delivery_days_is_no_delivery_time(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("orders with more than 5 delivery days")


@pytest.mark.parametrize(
    "question",
    [
        "average days items sit in stock before being sold, by category",
        "avg days inventory sits on the shelf before it sells, by category",
        "For inventory items that have sold, average days between receiving them and selling "
        "them, by category",
        "average days from receipt to sale for sold inventory items, by category",
        "For inventory items that have sold, how many days on average did they sit in "
        "inventory before selling? Break it down by product category.",
    ],
)
def test_the_time_an_item_stays_before_it_sells(planner: OfflinePlanner, question: str) -> None:
    """ "Sit in stock before selling": from the row's first moment (its receipt) to its sale;
    "sold inventory items" restate the rows that have a sale, no filter of their own."""
    assert _sql(planner, question) == _sql(planner, "average days from receipt to sale by category")


def test_a_stay_before_a_moment_of_no_table_is_not_read(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("average days customers wait before smiling")


def test_an_amount_like_a_year_is_an_amount(planner: OfflinePlanner) -> None:
    plan = planner.plan("Which categories have more than 2,000 unsold units?")
    assert plan.time_window is None
    assert plan.conditions[0].values == (2000,)
    assert planner.plan("orders in 2000").time_window is not None


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Rank the distribution centers by stock value at cost, highest first.",
         "stock value by distribution center, highest first"),
        ("Distribution centers ranked by average days from receipt to sale, slowest first.",
         "average days from receipt to sale by distribution center, slowest first"),
        ("countries by number of users, biggest first", "users by country, biggest first"),
    ],
)  # fmt: skip
def test_the_breakdown_said_first(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("7-day rolling average of units received for each day of December 2025, with that "
         "day's count beside it.",
         "7-day rolling average of units received for each day of December 2025"),
        ("running total of orders by month in 2025, with each month's count beside it",
         "running total of orders by month in 2025"),
    ],
)  # fmt: skip
def test_each_periods_own_value_is_shown_by_a_series(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Items sold per year 2021-2025 (net of cancellations and returns) with the prior "
         "year's figure and YoY growth %.",
         "Items sold per year 2021-2025 (net of cancellations and returns) with YoY growth %"),
        ("Inventory cost received per year (every unit, sold or not) with the prior year's "
         "cost and YoY % change, 2020 to 2025.",
         "inventory cost per year 2020 to 2025 with YoY % change"),
    ],
)  # fmt: skip
def test_a_growth_asked_beside_the_figure_it_is_from(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_growth_with_another_measure_beside_it_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan(
            "Items sold per year 2021-2025 with the prior year's revenue and YoY growth %."
        )


@pytest.mark.parametrize(
    "question",
    [
        "Of the 2025 orders that have been delivered, what % arrived within 5 days of being "
        "placed? Give the delivered count and the within-5-days count too.",
        "Of the 2025 orders that have been delivered, what % arrived within 5 days of being "
        "placed? w/ delivered count and # within 5",
    ],
)
def test_a_shares_whole_and_part_named_by_its_moment_and_amount(
    planner: OfflinePlanner, question: str
) -> None:
    assert _sql(planner, question) == _sql(
        planner,
        "Of the 2025 orders that have been delivered, what % arrived within 5 days of being "
        "placed?",
    )


def test_another_moment_is_not_the_shares_whole(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan(
            "Of the 2025 orders that have been delivered, what % arrived within 5 days of being "
            "placed? Give the shipped count too."
        )


@pytest.mark.parametrize(
    "question",
    [
        "What share of 2025 orders were cancelled? Give the shipped count too.",
        "Of the 2025 orders that have been delivered, what % arrived within 5 days of being "
        "placed? Give the shipped count too.",
    ],
)
def test_a_value_in_figures_asked_to_show_is_never_a_filter(
    planner: OfflinePlanner, question: str
) -> None:
    """Both were answered over other rows (cancelled or shipped orders; shipped only)."""
    with pytest.raises(PlanningError, match="would change which rows"):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("repeat customer rate all time - custs, repeat custs and the %",
         "repeat customer rate all time"),
        ("What share of our customers are repeat buyers, meaning they bought in more than one "
         "order? Show the repeat customers and total customers too.",
         "What share of our customers are repeat buyers, meaning they bought in more than one "
         "order?"),
        ("whats the avg age of our customers (ppl who bought at least one item)",
         "whats the avg age of our customers (people who bought at least one item)"),
    ],
)  # fmt: skip
def test_a_taught_phrase_among_the_figures_shown(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        "which markets were down in rev 2025 vs 2024?",
        "which countries had a revenue decrease 2025 vs 2024",
        "which countries were up in revenue 2025 vs 2024",
    ],
)
def test_which_groups_moved_one_way_is_refused(planner: OfflinePlanner, question: str) -> None:
    """Each was answered with every country and its change, not the ones that moved so."""
    with pytest.raises(PlanningError, match="only the groups that went that way"):
        planner.plan(question)


def test_every_groups_change_is_still_answered(planner: OfflinePlanner) -> None:
    assert planner.plan("revenue by country 2025 vs 2024 with % change").compare


def test_reading_as_a_tables_question_is_per_thread(planner: OfflinePlanner) -> None:
    """A panel plans on several threads with one planner: one thread's reading of a
    question about a table's rows must not stop another's."""
    from concurrent.futures import ThreadPoolExecutor

    planner._on_table = True  # this thread is inside such a reading
    try:
        with ThreadPoolExecutor(1) as pool:
            plan = pool.submit(
                planner.plan, "How many units are in our inventory in total, sold or not?"
            ).result()
    finally:
        planner._on_table = False
    assert plan.metrics == ("inventory_items",)
