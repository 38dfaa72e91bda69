"""Readings of the stop that wrote heldout70 and heldout71: each test names the general
reading it checks, and each fails on the code before it unless it says it keeps a
refusal or a reading."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    values = {
        "status": ["Complete", "Cancelled", "Returned"],
        "category": ["Jeans", "Socks"],
        "department": ["Men", "Women"],
        "country": ["Germany", "Brasil", "France"],
        "event_type": ["home", "department", "product", "cart", "purchase", "cancel"],
        "acquisition_channel": ["Email", "Organic", "Search"],
    }
    return OfflinePlanner(load_model(), values)


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("orders by revenue", "revenue"),
        ("customers by revenue", "revenue"),
        ("revenue by orders", "orders"),
        ("orders by the revenue in 2025", "revenue"),
    ],
)
def test_a_measure_after_by_is_not_a_breakdown(
    planner: OfflinePlanner, question: str, said: str
) -> None:
    """'orders by revenue' gave orders and revenue as two totals: the 'by' was dropped.
    With no breakdown or ranking read, it is refused with a sentence and a hint."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert f"I read 'by {said}', but {said} is a measure" in caught.value.message
    assert "top 10 customers by" in (caught.value.hint or "")


@pytest.mark.parametrize(
    "question",
    [
        "orders and revenue",
        "orders and revenue by country",
        "How many items ordered by customers aged 65 or older ended up Returned?",
    ],
)
def test_measures_side_by_side_and_who_did_it_are_kept(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps: two measures joined by 'and', and 'by <people>' after a participle (who
    ordered the items), which is not a breakdown either."""
    assert _sql(planner, question).startswith(("SELECT", "WITH"))


def test_moments_between_commas_before_the_unit(planner: OfflinePlanner) -> None:
    """'avg delivery time, placed -> delivered, in days' kept only Complete orders: the
    moments between commas were read as a status when the unit followed them."""
    sql = _sql(planner, "avg delivery time, placed -> delivered, in days")
    assert "TIMESTAMP_DIFF(orders.delivered_at, orders.created_at, DAY)" in sql
    assert "status" not in sql


@pytest.mark.parametrize(
    "question",
    [
        "Across the Jeans products in our catalog, what are the average product cost and "
        "the average retail price?",
        "average retail price across the Jeans products",
    ],
)
def test_a_statistic_across_single_things_is_over_them(
    planner: OfflinePlanner, question: str
) -> None:
    """Read one row per product, each 'average' was the product's own value; across the
    products it is one figure over them all."""
    sql = _sql(planner, question)
    assert "GROUP BY" not in sql
    assert "products.category = 'Jeans'" in sql


def test_a_statistic_by_single_things_is_kept(planner: OfflinePlanner) -> None:
    """Keeps: 'by product' asks for one row per product, as written."""
    assert "GROUP BY" in _sql(planner, "average retail price by product")


def test_sessions_reaching_each_step_count_each_step(planner: OfflinePlanner) -> None:
    """'sessions reaching each step' is 'how many sessions reached each step': each step
    counted on its own, with the sessions through every earlier step beside it."""
    plan = planner.plan("q4 2025 sessions reaching each step, home -> product -> cart -> purchase")
    assert "each step counted on its own" in " ".join(plan.notes)


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("2025 item return rate per category, worst 5 -> items, returned & rate",
         "COUNT(order_items.id) AS order_lines"),
        ("worst 3 dcs by 2025 item return rate -> items, returned, rate",
         "COUNT(order_items.id) AS order_lines"),
        ("% of 2025 orders placed by women -> female orders, all orders & %", "whole"),
    ],
)  # fmt: skip
def test_an_arrow_to_the_columns_shown_is_a_dash(
    planner: OfflinePlanner, question: str, shown: str
) -> None:
    """'... -> items, returned & rate' lost its items column: the arrow was read as 'to'.
    An arrow after anything but a step, a moment, a period or an end of an order leads
    to what the answer shows."""
    assert shown in _sql(planner, question)


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("avg delivery time in days (orders.created_at -> delivered_at)",
         "TIMESTAMP_DIFF(orders.delivered_at, orders.created_at, DAY)"),
        ("2025 funnel home -> product -> cart -> purchase", "purchase"),
        ("monthly revenue for 2025, jan -> dec", "MONTH"),
    ],
)  # fmt: skip
def test_arrows_between_moments_steps_and_periods_are_kept(
    planner: OfflinePlanner, question: str, kept: str
) -> None:
    """Keeps: an arrow between two moments, two steps or two periods is 'to'."""
    assert kept in _sql(planner, question)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("inv units not sold yet, how many", "unsold inventory units"),
        ("returned units, all time, total qty", "returned items"),
        ("units added to inv per year, yearly", "inventory items by year"),
    ],
)
def test_stock_notes_shorthand(planner: OfflinePlanner, question: str, plain: str) -> None:
    """'inv' is inventory, 'qty' the count, 'units not sold yet' the unsold ones."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        "rev H1 2025 vs H1 2024, both + % change",
        "orders by country, q4 2025 vs q4 2024, both + % change",
    ],
)
def test_both_after_a_comma_are_the_compared_values(planner: OfflinePlanner, question: str) -> None:
    """', both + % change' after two compared periods was refused ('both' unread); after
    a dash it was read. Both periods' values and the change are what a comparison shows."""
    assert planner.plan(question).compare


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What is our total revenue over the life of the store?", "total revenue"),
        ("top 10 products by revenue over the store's whole history", "top 10 products by revenue"),
        ("How many new users registered on the site over the course of 2024?", "users in 2024"),
    ],
)  # fmt: skip
def test_the_store_s_whole_history_is_all_time(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """'over the store's whole history' was refused, and 'history' alone is a trend: said
    of the store's life it is all time, never a monthly series."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_reason_before_so_is_context(planner: OfflinePlanner) -> None:
    """'The board always opens with volume, so how many orders ...': the reason asks for
    nothing; the question after 'so' is read."""
    question = (
        "The board always opens with volume, so how many orders did we take in 2025, "
        "counting every status?"
    )
    assert _sql(planner, question) == _sql(planner, "orders in 2025")


def test_a_request_put_beside_a_growth_series(planner: OfflinePlanner) -> None:
    """'Put the previous year's signup count beside each year': a request like 'show',
    of the value a growth series shows anyway."""
    plan = planner.plan(
        "how did signups grow year over year from 2020 to 2025? Put the previous year's "
        "signup count beside each year."
    )
    assert plan.growth
    assert plan.grain == "year"


@pytest.mark.parametrize(
    "question",
    [
        "orders by country in 2025: orders, number cancelled",
        "orders by country in 2025: orders, cancelled count",
        "orders by country in 2025 with the number cancelled",
    ],
)
def test_a_value_counted_bare_is_a_measure_beside(planner: OfflinePlanner, question: str) -> None:
    """'orders, number cancelled' gave only the cancelled orders, under the name orders:
    the value was read as a filter on the whole answer. It is the count of those rows,
    beside the measure."""
    sql = _sql(planner, question)
    assert "COUNTIF(orders.status = 'Cancelled') AS cancelled_orders" in sql
    assert "WHERE orders.status" not in sql


@pytest.mark.parametrize(
    "question",
    [
        "per department: product count, average retail price, average product cost",
        "Per department: number of products, average retail price and average product cost.",
    ],
)
def test_a_measure_named_like_a_value_is_kept(planner: OfflinePlanner, question: str) -> None:
    """Keeps: 'number of products' counts products ('product' is also a page of the
    funnel, never read as one here)."""
    assert "COUNT(products.id)" in _sql(planner, question)


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("item return rate 2025 - items, returned & rate", "COUNT(order_items.id) AS order_lines"),
        ("list of dcs w/ latitude & longitude", "latitude"),
    ],
)  # fmt: skip
def test_an_ampersand_in_a_list_is_and(planner: OfflinePlanner, question: str, shown: str) -> None:
    """'returned & rate' was refused ('rate' unread): '&' joins list items as 'and'."""
    assert shown in _sql(planner, question)


def test_an_ampersand_in_a_value_name_is_kept(planner: OfflinePlanner) -> None:
    """Keeps: 'Blazers & Jackets' is one category."""
    values = {"category": ["Blazers & Jackets", "Jeans"]}
    named = OfflinePlanner(load_model(), values)
    assert "'Blazers & Jackets'" in _sql(named, "revenue of Blazers & Jackets in 2025")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many signed-in users triggered at least one cart event in November 2025?",
         "How many signed-in users fired a cart event in November 2025?"),
        ("On average, how many events make up a single website session?",
         "average number of events per session"),
        ("What does 2025 revenue look like when broken down by acquisition channel?",
         "2025 revenue by acquisition channel"),
        ("How many of the orders placed in 2025 ended up in each order status?",
         "orders placed in 2025 by status"),
        ("How many items ordered by customers aged 65 or older ended up Returned?",
         "How many items from customers aged 65 or older were Returned?"),
    ],
)  # fmt: skip
def test_a_board_review_s_phrasing(planner: OfflinePlanner, question: str, plain: str) -> None:
    """Phrasings of a board review that were refused, or ('ordered by customers') read with
    a count of the customers beside the items."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("How did monthly active users grow month over month across 2025, with January "
         "measured against December 2024?", "month"),
        ("Quarter over quarter, how did order volume grow during 2025 (with Q1 measured "
         "against Q4 2024)?", "quarter"),
        ("Month over month, how did revenue grow through H2 2025 (July compared with June)?",
         "month"),
        ("In % terms, how did signups grow year over year from 2020 to 2025?", "year"),
        ("How did our customer count grow year over year from 2022 to 2025? Include the prior "
         "year's customers beside each year and the growth %.", "year"),
    ],
)  # fmt: skip
def test_a_growth_series_with_its_first_change_said(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    """The first period's change said without brackets, with 'measured against', or of a
    window that does not start in January (H2: July against June) restates the series;
    'In % terms' and 'beside each year' say how it is shown."""
    plan = planner.plan(question)
    assert plan.growth
    assert plan.grain == grain


def test_a_first_change_of_another_period_is_refused(planner: OfflinePlanner) -> None:
    """Keeps: a remark naming periods that are not the window's first and the one before
    it is not read away."""
    with pytest.raises(PlanningError):
        planner.plan("monthly revenue growth in 2025 (February compared with Dec 2024)")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("avg transit time ship -> delivery, days", "average transit time in days"),
        ("revenue per country, biggest -> smallest", "revenue by country, largest first"),
        ("users per country, from the biggest market to the smallest",
         "users by country, largest first"),
        ("revenue by country, smallest to largest", "revenue by country, smallest first"),
        ("customers by number of orders they bought in, whole history",
         "customers by number of orders they bought in"),
        ("orders w/ a ship date but no delivery date, count",
         "orders with a ship date but no delivery date"),
        ("for each year, month w/ the most returned items",
         "for each year, the month with the most returned items"),
        ("yoy % change in new users, every year, prior year's figure beside",
         "yoy % change in new users, every year"),
    ],
)  # fmt: skip
def test_a_logistics_analyst_s_notes(planner: OfflinePlanner, question: str, plain: str) -> None:
    """Terse notes that were refused: moments right after 'time', an order said from one
    end to the other, 'whole history' after a comma, 'w/' before a moment's date, a
    breakdown with no article after 'for each year,', a figure put 'beside'."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("90th pct delivery time, 2025 orders, days",
         "90th percentile delivery time in days for 2025 orders"),
        ("delivery time quartiles, 2025 orders, in days",
         "delivery time quartiles for 2025 orders in days"),
    ],
)  # fmt: skip
def test_a_statistic_s_own_rows_then_its_unit(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """', 2025 orders, days' after a percentile was read as a count of orders beside it
    (refused): the rows it is taken on, then its unit; 'pct' after an ordinal is the
    percentile."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("2025 funnel home -> product -> cart -> purchase: sessions per step & % of prev",
         "2025 funnel home -> product -> cart -> purchase: sessions per step and % of the "
         "previous step"),
        ("the 2025 home -> product -> cart -> purchase funnel, with each step's % of the one "
         "before",
         "the 2025 home -> product -> cart -> purchase funnel, with each step's % of the "
         "previous step"),
        ("How did order volume in H1 2025 compare with H1 2024? Give me both half-year totals "
         "and the % change.",
         "How did order volume in H1 2025 compare with H1 2024? Give me both and the % "
         "change."),
        ("revenue and items sold during Black Friday week 2025, November 24 through "
         "November 30",
         "revenue and items sold from November 24 to November 30 2025"),
        ("What did revenue come to across the 2024 holiday period, November and December "
         "2024?", "revenue from November to December 2024"),
        ("revenue in November and December 2024", "revenue from November to December 2024"),
    ],
)  # fmt: skip
def test_a_review_s_periods_and_steps(planner: OfflinePlanner, question: str, plain: str) -> None:
    """'% of prev', 'both half-year totals', a named week's dates after a comma, a named
    period's months, and two months one after the other as one range."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    ["revenue in march and may 2024", "compare revenue in November and December 2024"],
)
def test_two_months_apart_or_set_against_are_not_a_range(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps: months two apart, or set against each other, are not read as one range."""
    with pytest.raises(PlanningError):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Rank the browsers by the number of website sessions they brought in during 2025.",
         "Rank the browsers by the number of website sessions in 2025."),
        ("For website sessions that arrived via Email in 2025, what was the average number of "
         "events per session?",
         "For website sessions from Email in 2025, what was the average number of events per "
         "session?"),
        ("How many customers purchased across three or more different orders in 2025?",
         "How many customers purchased in 3 or more orders in 2025?"),
        ("average transit time from shipment to delivery, in days for 2025 orders",
         "average transit time in days for 2025 orders"),
    ],
)  # fmt: skip
def test_a_board_review_s_verbs(planner: OfflinePlanner, question: str, plain: str) -> None:
    """'they brought in', 'arrived via', 'across 3 or more different orders', and a
    duration's moments said after it with 'from'."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        "inv cost for every unit ever received, sold or not, $",
        "What is the total cost of our inventory across every unit we've ever received, sold "
        "or not?",
    ],
)
def test_every_unit_ever_received_is_the_whole_inventory(
    planner: OfflinePlanner, question: str
) -> None:
    """'every unit ever received, sold or not' read 'sold' as the items sold beside the
    inventory (refused): it says the cost is of the whole inventory."""
    assert _sql(planner, question) == _sql(planner, "total inventory cost")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("How many distribution centers do we operate?", "How many distribution centers?"),
        ("Which distribution centers do we operate? Please list each one with its id and name.",
         "list the distribution centers with id and name"),
        ("Which product categories does our catalog cover? Just the list of categories, please.",
         "list the product categories"),
        ("How many products do we carry in our catalog today?", "How many products?"),
        ("Can you pull our ten most recent orders, with order id, user id, status and the time "
         "each one was placed?",
         "our 10 most recent orders, with order id, user id, status and the order time"),
    ],
)  # fmt: skip
def test_a_catalog_and_its_lists(planner: OfflinePlanner, question: str, plain: str) -> None:
    """'do we operate', 'does our catalog cover', 'in our catalog today' (a table with no
    date), a request to list each one with its columns, and 'the time each one was
    placed'."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("sale_price of items sold, $50 buckets -> item count",
         "distribution of sale prices of items sold in $50 buckets"),
        ("lifetime spend per customer bucketed in $250 -> # customers per bucket",
         "distribution of lifetime spend per customer in $250 buckets"),
        ("What does the spread of sale prices look like for the items we sold in 2025, grouped "
         "into $50 buckets?",
         "distribution of sale prices for items sold in 2025 in $50 buckets"),
    ],
)  # fmt: skip
def test_buckets_of_a_width_are_a_distribution(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Buckets of a width said without 'distribution' ('bucketed in $250', 'grouped into
    $50 buckets', 'the spread of ...') were refused: they count the rows in each bucket."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_the_spread_without_buckets_is_not_a_distribution(planner: OfflinePlanner) -> None:
    """Keeps: 'the spread of sale prices' with no buckets is not read as their buckets."""
    with pytest.raises(PlanningError):
        planner.plan("the spread of sale prices for items sold in 2025")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many orders had one item, how many had two, and so on?",
         "orders by number of items"),
        ("how many customers bought in exactly one order, how many in two orders, and so on?",
         "customers by number of orders they bought in"),
    ],
)  # fmt: skip
def test_one_two_and_so_on_is_a_count_by_that_number(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """'how many had 1 ..., how many had 2, and so on' lists the counts by that number."""
    assert _sql(planner, question) == _sql(planner, plain)
