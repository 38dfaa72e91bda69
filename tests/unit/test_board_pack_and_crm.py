"""A board pack's and a CRM brief's questions: a series' growth "with the prior year's AOV
shown beside each year" (the value the change is from, shown anyway), figures asked for
that the answer shows anyway ("the number cancelled alongside the percentage", "each
country's order count", "the 2025 total"), "the number of orders and the number of
cancelled orders" (two measures, not the cancelled ones only), "the number of items, the
number returned" (the noun said once), "which categories delivered the most gross
profit" (brought in, not the status of delivered orders), a lead that says what the
answer is for ("For the markets slide, ..."), and how a figure moved ("evolve quarter by
quarter", "move from quarter to quarter", "trended", "grown"). Found by two blind sets of
such questions."""

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
            "department": ["Men", "Women"],
        },
    )


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Year-over-year growth in average order value for 2021 through 2025, with the prior "
         "year's AOV shown beside each year.",
         "Year-over-year growth in average order value for 2021 through 2025"),
        ("Year-over-year growth in the number of buying customers for each year 2020-2025, "
         "with the previous year's count shown next to each.",
         "Year-over-year growth in customers for each year 2020-2025"),
        ("Month-over-month growth in new customers for each month of 2025 (January compared "
         "with Dec 2024) - show the previous month's count next to each.",
         "Month-over-month growth in new customers for each month of 2025 (January compared "
         "with Dec 2024)"),
        ("Which five categories delivered the most gross profit in 2025?",
         "top 5 categories by gross profit in 2025"),
        ("For each year from 2021 to 2025, which month delivered the highest revenue?",
         "For each year from 2021 to 2025, which month had the highest revenue?"),
    ],
)  # fmt: skip
def test_reads_as_its_plain_form(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_figures_listed_of_a_rate_are_the_ones_it_shows(planner: OfflinePlanner) -> None:
    """Every figure asked is one the rate shows anyway: the same figures and rows, said
    as the number of items and the number returned, or as the items and the returned
    items (the items said bare beside the returned ones are all of them)."""
    said = planner.plan(
        "Which brands had an item return rate above 12% in 2025? For each, show the number "
        "of items, the number returned and the rate."
    )
    plain = planner.plan(
        "Which brands had an item return rate above 12% in 2025? Show the items, the "
        "returned items and the rate."
    )
    assert said.metrics == ("order_lines", "returned_items", "item_return_rate")
    assert set(plain.metrics) == set(said.metrics)
    assert (plain.conditions, plain.time_window) == (said.conditions, said.time_window)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What was our order cancellation rate in 2025? Please show the total number of orders "
         "and the number cancelled alongside the percentage.",
         "cancellation rate in 2025"),
        ("For 2025, what was the order cancellation rate in each country? Please include each "
         "country's order count and number of cancelled orders.",
         "cancellation rate by country in 2025"),
        ("Which countries had more than 15% of their 2025 orders cancelled? Please show the "
         "order count, cancelled count and cancellation rate for each.",
         "Which countries had more than 15% of their 2025 orders cancelled?"),
        ("What share of 2025 revenue did each acquisition channel bring in? Include each "
         "channel's revenue and the 2025 total.",
         "What share of 2025 revenue did each acquisition channel bring in?"),
        ("What is the sell-through rate for each product category, with total inventory units "
         "and units sold shown for each?", "sell-through rate by category"),
        ("Order return rate by customer country - returned orders, total orders and the rate "
         "for each country.", "Order return rate by customer country"),
        ("For each month of 2025, please give the number of orders, the number cancelled and "
         "the cancellation rate, in month order.",
         "orders, cancelled orders and the cancellation rate by month in 2025"),
    ],
)  # fmt: skip
def test_figures_asked_for_that_the_answer_shows_anyway(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("For the digital engagement slide, what was MAU in each month of Q4 2025?",
         "what was MAU in each month of Q4 2025?"),
        ("For the acquisition page, please show users by acquisition channel",
         "users by acquisition channel"),
        ("Which five countries placed the most orders in Q4 2025? Please rank them by order "
         "count.", "top 5 countries by orders in Q4 2025"),
        ("How many units did we sell over the whole of 2025?", "units sold in 2025"),
        ("On average, how many items did each order placed in 2025 contain?",
         "average items per order placed in 2025"),
        ("How many users fall into each of the standard age bands (under 18, 18-24, 25-34, "
         "35-44, 45-54, 55-64, 65+)?",
         "How many users fall into each age band (under 18, 18-24, 25-34, 35-44, 45-54, 55-64, "
         "65+)?"),
        ("How did revenue from each acquisition channel evolve quarter by quarter through 2025?",
         "revenue by acquisition channel by quarter in 2025"),
        ("How did average order value move from quarter to quarter during 2025?",
         "average order value by quarter in 2025"),
        ("How has gross margin percentage trended from 2021 through 2025?",
         "gross margin % trend from 2021 through 2025"),
        ("How has annual revenue grown year over year from 2020 through 2025?",
         "annual revenue growth from 2020 through 2025"),
        ("How did average order value compare between our female and male customers in 2025?",
         "average order value for female vs male customers in 2025"),
    ],
)  # fmt: skip
def test_a_board_packs_phrasing_reads_as_its_plain_form(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_lead_naming_a_known_value_is_not_context(planner: OfflinePlanner) -> None:
    plan = planner.plan("For China, revenue by month in 2025")
    assert [f.values for f in plan.filters] == [("China",)]


def test_a_growth_series_shows_the_value_it_is_from(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Year-over-year growth in average order value for 2021 through 2025, with the prior "
        "year's AOV shown beside each year."
    )
    assert plan.growth
    assert "average_order_value_previous" in compile_plan(plan, planner.model)
    assert any("shown in the answer" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("question", "measures"),
    [
        ("the number of orders and the number of cancelled orders by country",
         ("orders", "cancelled_orders")),
        ("the number of items and the number of returned items by brand",
         ("items_sold", "returned_items")),
    ],
)  # fmt: skip
def test_a_count_listed_again_with_a_status_is_a_measure_beside(
    planner: OfflinePlanner, question: str, measures: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == measures
    assert not plan.filters


def test_delivered_orders_are_still_complete_ones(planner: OfflinePlanner) -> None:
    plan = planner.plan("which country delivered the most orders in 2025")
    assert [f.values for f in plan.filters] == [("Complete",)]


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Who were our ten biggest spenders in 2025? Please give user id, country and 2025 "
         "spend, ranked.", "top 10 customers by revenue in 2025: user id, country and spend"),
        ("Who are our top 10 customers by lifetime spend? User id, country and spend please - "
         "thinking VIP invites.", "top 10 customers by revenue: user id, country and spend"),
        ("Top 3 customers by lifetime spend in each country - user id and spend, so the local "
         "teams can send thank-you notes.", "top 3 customers by revenue in each country"),
        ("Which customers spent more than $1,000 with us in 2025? Please list their user ids "
         "and their 2025 spend.",
         "Which customers spent more than $1,000 with us in 2025? list their user id and what "
         "they spent"),
    ],
)  # fmt: skip
def test_columns_asked_for_after_a_list(planner: OfflinePlanner, question: str, plain: str) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_sentence_after_the_question_is_no_list_of_columns(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Which acquisition channels are paying off? What share of 2025 revenue came from "
        "customers of each acquisition channel?"
    )
    assert plan.time_window is not None
    assert plan.time_window.year == 2025


def test_count_after_a_dash_is_no_column(planner: OfflinePlanner) -> None:
    # how many, not a list of products with a count column beside each
    with pytest.raises(PlanningError):
        planner.plan("products that have never been ordered - count")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("repeat customers by country", "customers with more than 1 order by country"),
        ("What share of our customers are repeat customers - i.e. bought in 2 or more separate "
         "orders?", "what share of customers bought in more than one order"),
        ("What fraction (%) of buyers are repeat buyers, i.e. bought in 2+ distinct orders?",
         "what share of customers bought in more than one order"),
        ("Which 5 countries gave us the most new customers in 2025?",
         "top 5 countries by new customers in 2025"),
        ("Which countries placed at least 200 orders in 2025, and how many orders did each "
         "place?", "countries with at least 200 orders in 2025"),
        ("For orders placed in 2025, what were the median and 90th-percentile delivery times "
         "in days?",
         "median and 90th percentile delivery time in days for orders placed in 2025"),
        ("What's the average age of everyone registered with us?", "average age of users"),
        ("how many users do we have on file in total?", "how many users in total?"),
        ("Users by country and gender - a count for each combination please.",
         "Users by country and gender"),
        ("Number of customers by age decade (teens, 20s, 30s and so on).",
         "Number of customers by age decade"),
        ("How many signed-in users were active on the site in December 2025?",
         "active users in December 2025"),
        ("How many orders did we take in the fourth quarter of 2025?", "orders in Q4 2025"),
        ("What is the largest number of items any single order contained in 2025?",
         "max items per order in 2025"),
        ("How many units did we add to inventory in each quarter of 2025?",
         "units added to inventory by quarter in 2025"),
        ("Please give a running total of revenue through 2025, month by month in order, with "
         "each month's own revenue beside the cumulative figure.",
         "running total of revenue by month in 2025"),
        ("On average, how many items go into an order? Every item counts, whatever its status.",
         "On average, how many items are in an order (every item counts, any status)?"),
        ("What were the 3 best months of 2025 for new signups?",
         "top 3 months by signups in 2025"),
        ("First orders vs repeat orders - what's the average order value of each?",
         "what's the average order value of first orders vs repeat orders?"),
    ],
)  # fmt: skip
def test_a_crm_briefs_phrasing_reads_as_its_plain_form(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What % of all registered users have ever placed an order? Show the user count and "
         "the number who've ordered next to it.",
         "What % of all registered users have ever placed an order?"),
        ("For each acquisition channel, what % of users have placed at least one order? Show "
         "users and users with orders too.",
         "For each acquisition channel, what % of users have placed at least one order?"),
        ("By signup year, what % of users have ever placed an order? Oldest year first, with "
         "the user counts behind each %.",
         "By signup year, what % of users have ever placed an order? Oldest year first"),
    ],
)  # fmt: skip
def test_the_things_that_meet_a_shares_condition_are_shown_anyway(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.fixture(scope="module")
def web_planner() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {"event_type": ["home", "department", "product", "cart", "purchase", "cancel"]},
    )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("What percentage of 2025 website sessions ended in a purchase? Please include total "
         "sessions and purchasing sessions alongside the percentage.",
         "What percentage of 2025 website sessions ended in a purchase?"),
        ("What was our cart-to-purchase conversion rate in 2025? Please show the sessions with "
         "a cart event and those that went on to purchase beside the rate.",
         "What was our cart-to-purchase conversion rate in 2025?"),
        ("What was our cart abandonment rate in 2025? Please show the number of sessions with a "
         "cart event and the number that ended without a purchase beside the rate.",
         "What was our cart abandonment rate in 2025?"),
    ],
)  # fmt: skip
def test_a_conversions_sessions_are_shown_anyway(
    web_planner: OfflinePlanner, question: str, plain: str
) -> None:
    assert _sql(web_planner, question) == _sql(web_planner, plain)


@pytest.mark.parametrize(
    "question",
    [
        # a remark that defines the rate otherwise is the question's, never dropped
        "cart abandonment rate in 2025 - % of sessions with a cart that did end in a purchase",
        # a step the conversion does not have
        "cart-to-purchase conversion in 2025, with the home page sessions shown",
    ],
)
def test_sessions_a_conversion_would_not_show_are_refused(
    web_planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        web_planner.plan(question)


def test_the_items_alone_beside_an_item_return_rate_stay_refused(planner: OfflinePlanner) -> None:
    # all items, or those sold? (a name of two words or more is matched in any order)
    with pytest.raises(PlanningError):
        planner.plan("item return rate by product category, with the item counts")
