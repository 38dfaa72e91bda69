"""Questions found by the blind sets of a returns and support lead and of a data
scientist: each test names the general reading it checks, and each fails on the code
before it."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    values = {
        "status": ["Complete", "Cancelled", "Returned"],
        "category": ["Jeans", "Socks", "Swim"],
        "brand": ["Levi's", "Calvin Klein"],
        "country": ["Japan", "United States"],
    }
    return OfflinePlanner(load_model(), values)


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many products have a unit cost above $50?",
         "number of products with a product cost above 50"),
        ("how many products have a unit cost of more than $100, by department",
         "number of products with a product cost above 100 by department"),
    ],
)  # fmt: skip
def test_a_number_of_each_row_after_have_a(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """ "Have a unit cost above $50" is each product's own cost, not "have a unit" (at
    least one item sold) followed by a cost."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_have_a_still_counts_at_least_one(planner: OfflinePlanner) -> None:
    assert "HAVING COUNT(DISTINCT orders.order_id) >= 1" in _sql(
        planner, "customers who have an order"
    )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many orders included at least one item from the Jeans category?",
         "number of orders with at least one item in Jeans"),
        ("how many orders contained a Jeans item",
         "number of orders with at least one item in Jeans"),
        ("how many orders had at least one Jeans item",
         "number of orders with at least one item in Jeans"),
        ("customers with at least 2 Jeans items", "customers with at least 2 items in Jeans"),
        ("orders that include at least 3 items", "orders with at least 3 items"),
    ],
)  # fmt: skip
def test_what_an_order_includes(planner: OfflinePlanner, question: str, plain: str) -> None:
    """ "Included", "contained" and a value said before the counted things ("a Jeans
    item") read as the condition "with at least one item in Jeans"."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_value_before_rows_only_after_a_verb_of_having(planner: OfflinePlanner) -> None:
    """ "With a Jeans item" does not say "at least one" for the reader: "with" is not read
    as a count (it stays refused, as before)."""
    with pytest.raises(PlanningError):
        planner.plan("number of orders with a Jeans item")


@pytest.mark.parametrize(
    "question",
    [
        "Top 5 brands in Jeans by returned items, with each brand's share of total Jeans "
        "returned items.",
        "Top 5 categories by sales value of returned items in 2025, with each one's share of "
        "all 2025 returned-item sales.",
    ],
)
def test_a_share_of_the_total_said_with_the_filters(planner: OfflinePlanner, question: str) -> None:
    """The whole named after the share's word with the values kept ("share of total Jeans
    returned items") is the total of the rows shown, not each brand's total over every
    category and status."""
    sql = _sql(planner, question)
    assert "OVER ()" in sql
    assert "whole AS" not in sql
    assert "'Returned'" in sql


def test_a_share_of_the_rows_a_condition_keeps(planner: OfflinePlanner) -> None:
    """ "Of the orders with a Jeans item, what % were returned": the share is of the
    orders the condition keeps, every status, not of the returned ones alone (100%)."""
    sql = _sql(planner, "Of the orders that had at least one item in Jeans, what % were returned?")
    part, whole = sql.split("), whole AS (")
    assert "'Returned'" in part
    assert "'Returned'" not in whole
    assert "HAVING COUNT(order_items.id) >= 1" in whole


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("For the weekly ops review - can I get the number of orders in each status?",
         "number of orders by status"),
        ("For the markets deck: how many orders per month in 2025?",
         "orders per month in 2025"),
        ("How many orders are still stuck in Processing?", "how many orders in Processing"),
        ("registered users split by gender, n per group", "users by gender"),
        ("order return rate, all time - n orders and n returned alongside the rate",
         "order return rate, with the number of orders and the number returned"),
        ("top 10 brands by product count in the catalog, ties alphabetical",
         "top 10 brands by number of products"),
        ("What's the std dev of transit time in days (ship to delivery)?",
         "standard deviation of days from shipping to delivery"),
        ("Top 10 products by returned units, all time - product id, name and how many came back.",
         "top 10 products by returned units: product id, name and returned units"),
        ("how many returned orders had 1 item, 2 items, 3 items and so on",
         "returned orders by number of items"),
    ],
)  # fmt: skip
def test_how_a_support_lead_and_a_data_scientist_write(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Why the figures are asked ("for the weekly ops review"), "n" for a count, "how many
    came back" after returns, ties broken by name (as every ranking does), "std dev" of a
    measure of time,."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_coming_back_without_returns_is_not_a_return(planner: OfflinePlanner) -> None:
    from lgda_nb.planner._text import normalize

    said = "customers who bought in 2024: how many came back in 2025?"
    assert "returned" not in normalize(said)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("average product cost (products.cost) per department",
         "average product cost by department"),
        ("What's the average unit cost (products.cost) across all SKUs?", "average product cost"),
    ],
)  # fmt: skip
def test_a_column_named_for_the_measure(planner: OfflinePlanner, question: str, plain: str) -> None:
    """A column in parentheses that the measure reads restates it, as one a breakdown reads
    does; one nothing in the answer reads is still refused."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_column_nothing_reads_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match=r"products\.cost"):
        planner.plan("average sale price (products.cost)")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("For the markets slide, please show 2025 revenue by customer country",
         "2025 revenue by customer country"),
        ("Need this for the assortment deck. Product count and average retail price for each "
         "category", "product count and average retail price for each category"),
    ],
)  # fmt: skip
def test_what_the_figures_are_for(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_period_in_the_name_of_what_they_are_for_is_kept(planner: OfflinePlanner) -> None:
    assert "2024" in _sql(planner, "For the 2024 review: top 5 categories by items sold")


@pytest.mark.parametrize(
    "question",
    [
        "retention for Jan-Nov 2025 first-order cohorts: for each cohort month, % of customers "
        "who ordered again the next month",
        "Retention for first-order cohorts Jan to Nov 2025: for each cohort month, the cohort "
        "size and the % who ordered again the next month",
        "Retention for first-order cohorts January through November 2025: for each cohort "
        "month, the cohort size and the % of those customers who placed another order in the "
        "following calendar month",
        "Month-1 retention for first-order cohorts January to November 2025: cohort size, how "
        "many ordered again the next month, and the retention %",
        "Retention for first-order cohorts Jan-Nov 2025 (customers grouped by the month of "
        "their first order): cohort size and the % who ordered again in the following month",
    ],
)
def test_first_order_cohorts_and_their_retention(planner: OfflinePlanner, question: str) -> None:
    """The cohort month of first-order cohorts is their first order month, "of (those)
    customers who" is of the cohort, "the retention %" is the rate of the count before
    it, and "first-order" never makes a list of orders."""
    plain = (
        "by first order month for jan to nov 2025: cohort size, how many ordered again the "
        "next month, and that as a %"
    )
    assert (
        set(planner.plan(question).metrics)
        == set(planner.plan(plain).metrics)
        == {
            "new_customers",
            "retained_next_month",
            "next_month_retention",
        }
    )
    assert planner.plan(question).dimensions == ("first_order_month",)


def test_the_first_orders_of_a_year_are_still_a_list(planner: OfflinePlanner) -> None:
    assert (
        "a list of rows" in planner.plan("list the first orders of 2025: order id and date").notes
    )


@pytest.mark.parametrize(
    "question",
    [
        "Next-month retention for the January-November 2025 first-order cohorts: cohort month, "
        "cohort size, customers who ordered again the following month, and the %.",
        "Next-month retention for the 2024 first-order cohorts: for each month of 2024, the "
        "cohort size (customers whose first order fell in that month), how many ordered again "
        "the following month, and the %.",
        "Retention for the January to November 2025 first-order cohorts: of the customers whose "
        "first order fell in each month, what % ordered again the next month? Show cohort size "
        "and the retained count with the %.",
    ],
)
def test_more_ways_to_ask_for_cohort_retention(planner: OfflinePlanner, question: str) -> None:
    assert set(planner.plan(question).metrics) == {
        "new_customers",
        "retained_next_month",
        "next_month_retention",
    }


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("n distinct customers over the whole history", "number of customers, all time"),
        ("What's our blended GM% across the whole history of the store?", "gross margin %"),
        ("what % of 2025 orders were placed by women? female count + total orders beside the pct",
         "what % of 2025 orders were placed by women?"),
        ("what % of 2025 orders were placed by women? with the female count and total orders",
         "what % of 2025 orders were placed by women?"),
    ],
)  # fmt: skip
def test_a_data_scientists_shorthand(planner: OfflinePlanner, question: str, plain: str) -> None:
    """ "Over the whole history" is all time; figures said bare "beside the pct" that the
    answer shows anyway; a filter said twice ("women", "the female count") is one."""
    assert _sql(planner, question) == _sql(planner, plain)
    assert _sql(planner, question).count("'F'") <= 1


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("2025 profit, revenue minus cost of the items sold", "2025 profit"),
        ("2025 profit, i.e. revenue minus cost of the items sold", "2025 profit"),
        ("Give me the delivery time quartiles in days - 25th, 50th and 75th.",
         "delivery time quartiles in days"),
        ("session length in whole minutes, first to last event: median and p90",
         "session length in minutes: median and p90"),
        ("Top 10 brands by item return rate, only counting brands with at least 100 order items.",
         "Top 10 brands by item return rate, only brands with at least 100 order items."),
        ("cart abandonment across all sessions - cart sessions, abandoned sessions and the %",
         "cart abandonment across all sessions"),
        ("share of sessions with a purchase, by browser - total sessions, sessions with a "
         "purchase and the %", "share of sessions with a purchase, by browser"),
    ],
)  # fmt: skip
def test_what_restates_the_measure_asked(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """A measure's formula after a comma, the quartiles spelled out, a session's length
    "first to last event", "only counting", and the columns a rate on sessions shows
    anyway, listed after a dash: each says again what the answer shows."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_formula_in_the_wrong_order_is_still_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("2025 profit, cost minus revenue")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("histogram of sale_price for items sold, $50 buckets",
         "distribution of sale price for items sold in $50 buckets"),
        ("2025 order values in $50 buckets, n orders per bucket",
         "distribution of 2025 order values in $50 buckets"),
    ],
)  # fmt: skip
def test_values_in_buckets(planner: OfflinePlanner, question: str, plain: str) -> None:
    """Values "in $50 buckets" are their distribution; the count of each bucket said again
    ("n orders per bucket") is the distribution's own."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("median days from signup to first order, users who ordered",
         "median days from signup to first order"),
        ("Average number of days from signup to first order, for users who have ordered.",
         "average days from signup to first order"),
        ("For users in Japan who have ordered, average number of days from signup to their "
         "first order?", "average days from signup to first order for users in Japan"),
    ],
)  # fmt: skip
def test_the_people_a_time_to_the_first_order_is_of(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Only people who ordered have a first order: "for users who have ordered" says again
    whose time to it is measured."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("average number of events per website session", "average number of events per session"),
        ("on average how many events happen in a session?", "average number of events per session"),
    ],
)  # fmt: skip
def test_events_in_a_session(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_each_periods_own_value_said_bare_after_a_comma(planner: OfflinePlanner) -> None:
    said = (
        "7-day rolling avg of daily revenue over nov 2025, each day's revenue beside the "
        "rolling figure"
    )
    plain = "7-day rolling avg of daily revenue over nov 2025"
    assert _sql(planner, said) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("For the Jeans review: revenue by month in 2025", "Jeans revenue by month in 2025"),
        ("For the Japan deck: revenue by month in 2025", "Japan revenue by month in 2025"),
        ("average days from signup to first order for users who placed an order in 2025",
         "average days from signup to first order for users with at least 1 order in 2025"),
    ],
)  # fmt: skip
def test_words_that_may_restrict_the_answer_are_kept(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """A value of the model in the name of what the figures are for may be what is asked
    about, and "users who placed an order in 2025" is a condition of its own: neither is
    read past."""
    assert _sql(planner, question) == _sql(planner, plain)
