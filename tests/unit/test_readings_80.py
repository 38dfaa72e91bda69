"""Readings of the stop that wrote heldout80 and heldout81: each test names the general
reading it checks, and each fails on the code before it unless it says it keeps a
refusal or a reading."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("orders by number of items by country", "order_lines:order_id"),
        ("orders by number of items, per country", "order_lines:order_id"),
        ("how many orders took each number of days to deliver, by country",
         "days_to_deliver:order_id"),
        ("orders by number of days to deliver by country", "days_to_deliver:order_id"),
    ],
)  # fmt: skip
def test_things_counted_by_their_measure_split_by_a_group(
    planner: OfflinePlanner, question: str, measure: str
) -> None:
    """ "orders by number of items by country": the orders counted by their items in each
    country. It was read as the orders and the items sold by country, and "how many
    orders took each number of days to deliver, by country" as their average days."""
    planned = planner.plan(question)
    assert planned.by_measure == measure
    assert planned.dimensions == ("country",)
    assert planned.metrics == ("orders",)


@pytest.mark.parametrize(
    "question",
    [
        "orders by number of items by category",
        "basket size distribution by category",
        "delivery time distribution by category",
    ],
)
def test_things_counted_by_their_measure_need_one_group_each(
    planner: OfflinePlanner, question: str
) -> None:
    """An order has items of several categories: counting it by its items of each one
    answers another question than its basket size by category. Refused; "basket size
    distribution by category" was answered with each order's items of each category."""
    with pytest.raises(PlanningError, match="several values of category") as refused:
        planner.plan(question)
    assert "each order has one value of" in (refused.value.hint or "")


def test_orders_by_items_per_country_match_the_rows() -> None:
    """The counts are those of each order's own items, on the sample, country by country."""
    from lgda_nb import Engine

    with Engine() as engine:
        answer = engine.ask("orders by number of items by country").df
        direct = engine.run_sql(
            "SELECT n, country, COUNT(*) AS orders FROM (SELECT o.order_id, u.country, "
            "COUNT(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.order_id "
            "JOIN users u ON u.id = o.user_id GROUP BY 1, 2) GROUP BY 1, 2 ORDER BY 2, 1"
        ).df
    assert answer.iloc[:, 0].tolist() == direct["n"].tolist()
    assert answer["country"].tolist() == direct["country"].tolist()
    assert answer["orders"].tolist() == direct["orders"].tolist()


@pytest.mark.parametrize(
    "question",
    [
        "In 2024, how high was the return rate of the items of Jeans?",
        "return rate of the items",
        "Item return rate of 2025 per country of the client, the worst first.",
    ],
)
def test_a_rate_is_never_kept_to_rows_its_rule_drops(
    planner: OfflinePlanner, question: str
) -> None:
    """ "return rate of the items": "items" names the items sold, whose rule drops the
    returned items the rate counts; with that rule as a filter the rate was 0% whatever
    the data. The items are the rate's own rows, every item."""
    planned = planner.plan(question)
    assert planned.metrics[0] == "item_return_rate"
    assert all(f.dimension != "status" for f in planned.filters)


def test_a_statistic_of_items_sold_keeps_their_rule(planner: OfflinePlanner) -> None:
    """Kept: "median sale price of items sold" is over the items the rule keeps."""
    planned = planner.plan("median sale price of items sold")
    (kept,) = planned.filters
    assert kept.dimension == "status"
    assert kept.negate


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("Compare the average order value of the men clients and the women clients in 2025.",
         ("M", "F")),
        ("revenue from women customers", ("F",)),
        ("aov of men vs women customers in 2025", ("M", "F")),
    ],
)  # fmt: skip
def test_people_said_as_men_or_women_are_of_that_gender(
    planner: OfflinePlanner, question: str, values: tuple[str, ...]
) -> None:
    """ "the men clients and the women clients": clients who are men or women, their
    gender. It was the Men and Women departments (or refused as either), and a count of
    the clients beside the average."""
    planned = planner.plan(question)
    (kept,) = planned.filters
    assert kept.dimension == "gender"
    assert kept.values == values
    assert "customers" not in planned.metrics


@pytest.mark.parametrize(
    "question", ["Compare revenue for Men and Women", "revenue Men vs Women department"]
)
def test_men_and_women_alone_stay_the_department(planner: OfflinePlanner, question: str) -> None:
    """Kept: "Men and Women" with no people after them are the departments."""
    (kept,) = planner.plan(question).filters
    assert kept.dimension == "department"


@pytest.mark.parametrize(
    ("question", "dimension", "metrics"),
    [
        ("In 2025, which was the average transit time per country of the client? "
         "The slowest first.", "country", ("days_in_transit",)),
        ("average transit time per country of the customers", "country", ("days_in_transit",)),
        ("Which are the top 5 cities of our Brazilian clients by revenue?", "city", ("revenue",)),
        ("top 5 cities of our customers by revenue", "city", ("revenue",)),
    ],
)  # fmt: skip
def test_a_column_of_the_customers_is_whose_column(
    planner: OfflinePlanner, question: str, dimension: str, metrics: tuple[str, ...]
) -> None:
    """ "the country of the client", "cities of our Brazilian clients": the customers'
    column, not a count of customers beside the measure. The top 5 cities were ranked
    by their customers, and the transit time measured on order items beside them."""
    planned = planner.plan(question)
    assert planned.dimensions == (dimension,)
    assert planned.metrics == metrics


def test_a_column_of_the_customers_who_did_something_keeps_the_clause(
    planner: OfflinePlanner,
) -> None:
    """Kept: "of the customers who bought Jeans" says which customers; read as before."""
    planned = planner.plan("revenue by country of the customers who bought Jeans")
    assert planned.dimensions == ("country",)
    assert [f.values for f in planned.filters] == [("Jeans",)]


@pytest.mark.parametrize(
    "question",
    [
        "Which is the brand with more products in the catalog?",
        "Which is the category with the most returns?",
        "Which was the country with the most revenue in 2025?",
    ],
)
def test_which_is_the_group_with_the_most_is_one_group(
    planner: OfflinePlanner, question: str
) -> None:
    """ "Which is the brand with the most products": one brand, as "which brand has the
    most products" is. "is" ends in "s" and was read as a plural ("which brands"), so
    every brand was listed."""
    assert planner.plan(question).limit == 1


def test_what_is_the_lowest_measure_per_group_is_every_group(planner: OfflinePlanner) -> None:
    """Kept: "what is the lowest retail price per department" is each department's."""
    assert planner.plan("what is the lowest retail price per department").limit is None


@pytest.mark.parametrize(
    "question",
    [
        "Which was the cart-to-purchase conversion of the website sessions in 2025?",
        "Which was the cart-to-purchase conversion in 2025?",
    ],
)
def test_which_was_the_conversion_is_one_figure(planner: OfflinePlanner, question: str) -> None:
    """ "Which was the conversion ...": one rate of the sessions, as "what was" asks. It
    was read as "which sessions", and each session was listed with its own 0% or 100%."""
    planned = planner.plan(question)
    assert planned.dimensions == ()
    assert planned.session_rate


def test_which_sessions_are_still_listed(planner: OfflinePlanner) -> None:
    """Kept: "Which sessions had a purchase in 2025?" lists the sessions."""
    assert planner.plan("Which sessions had a purchase in 2025?").dimensions == ("session_id",)


@pytest.mark.parametrize(
    ("question", "limit", "metric"),
    [
        ("In 2024, which were the 3 categories with more returned items?", 3, "returned_items"),
        ("Which are the 5 products with more units sold in 2025?", 5, "items_sold"),
        ("Give me the 10 brands that made more revenue in 2025, from the biggest.", 10,
         "revenue"),
    ],
)  # fmt: skip
def test_the_n_things_with_more_are_the_top_n(
    planner: OfflinePlanner, question: str, limit: int, metric: str
) -> None:
    """ "the 3 categories with more returned items": the 3 with the most, as a speaker of
    another language says it (no "than" follows). They were refused."""
    planned = planner.plan(question)
    assert planned.limit == limit
    assert planned.metrics == (metric,)
    assert planned.order == "desc"


@pytest.mark.parametrize(
    ("question", "metrics", "dimensions"),
    [
        ("How many orders entered in the shop during 2023?", ("orders",), ()),
        ("Give me the quantity of orders for every status, please.", ("orders",), ("status",)),
        ("How many of our users have 65 years or more?", ("users",), ()),
    ],
)
def test_careful_english_said_plainly(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], dimensions: tuple[str, ...]
) -> None:
    """ "orders that entered" (were placed), "the quantity of orders" (their number),
    "users that have 65 years" (are 65 years old): all were refused."""
    planned = planner.plan(question)
    assert planned.metrics == metrics
    assert planned.dimensions == dimensions


def test_accumulated_month_after_month_is_a_running_total(planner: OfflinePlanner) -> None:
    """ "accumulated month after month": month by month, with the running total."""
    planned = planner.plan(
        "Revenue of 2025 accumulated month after month, with the revenue of each month "
        "beside the running total."
    )
    assert planned.grain == "month"
    assert planned.cumulative


@pytest.mark.parametrize(
    "question",
    [
        "Show me the last 10 orders: order id, user id, status and the date.",
        "last 10 orders: order id, status",
        "Show me the last 10 orders that entered: order id, user id, status and the date.",
    ],
)
def test_the_last_rows_are_the_latest(planner: OfflinePlanner, question: str) -> None:
    """ "the last 10 orders": the 10 placed latest. "last" was dropped and the first 10
    orders by id were shown."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert "ORDER BY orders.created_at DESC" in sql
    assert sql.endswith("LIMIT 10")


def test_the_last_rows_of_undated_things_are_refused(planner: OfflinePlanner) -> None:
    """Products have no moment to be last by: "the last 10 products" is refused, not the
    first 10 by name."""
    with pytest.raises(PlanningError, match="'last'"):
        planner.plan("the last 10 products: name, brand")


@pytest.mark.parametrize(
    "question",
    [
        "Which share of the revenue of 2025 made our top 10 brands?",
        "what share of revenue do the top 10 brands make?",
    ],
)
def test_the_share_the_top_n_made_is_one_figure(planner: OfflinePlanner, question: str) -> None:
    """ "Which share of the revenue made our top 10 brands?": the top 10's share together.
    Each brand's own share was shown, 10 rows."""
    planned = planner.plan(question)
    assert planned.top_count == 10
    assert planned.limit is None


def test_a_slip_in_a_plural_is_read(planner: OfflinePlanner) -> None:
    """ "signpus": two letters swapped in a plural whose ending then looks like "-us"
    (kept as typed, as "status" is). It was refused."""
    planned = planner.plan("2024 signpus by month")
    assert planned.metrics == ("users",)
    assert "read 'signpus' as 'signups'" in planned.notes


@pytest.mark.parametrize(
    "question",
    [
        "item return rate all time? items, returned, pct",
        "item return rate all time, items, returned, percent",
    ],
)
def test_a_percent_said_last_in_columns_is_the_rate(planner: OfflinePlanner, question: str) -> None:
    """ "items, returned, pct": the % beside its counts, as "..., and the %" is."""
    assert planner.plan(question).metrics == ("item_return_rate", "order_lines", "returned_items")


@pytest.mark.parametrize(
    "question",
    [
        "item return rate by category for 2025, show items + returned too",
        "item return rate by category for 2025, items and returned",
    ],
)
def test_a_value_said_bare_after_a_measure_is_counted(
    planner: OfflinePlanner, question: str
) -> None:
    """ "items and returned": the returned items beside the items, as "items, returned"
    is; it was a filter on the returned items, refused beside the rate."""
    planned = planner.plan(question)
    assert planned.metrics == ("item_return_rate", "order_lines", "returned_items")
    assert planned.filters == ()


def test_a_value_after_a_value_stays_a_filter(planner: OfflinePlanner) -> None:
    """Kept: "orders from Spain and Germany" are the orders of both countries."""
    (kept,) = planner.plan("orders from Spain and Germany").filters
    assert kept.values == ("Spain", "Germany")


@pytest.mark.parametrize(
    ("question", "value"),
    [("revenue and returned", "returned"), ("users and women", "women"),
     ("orders and Germany", "Germany")],
)  # fmt: skip
def test_a_measure_and_a_value_is_never_the_value_alone(
    planner: OfflinePlanner, question: str, value: str
) -> None:
    """ "revenue and returned": both figures, or only the returned revenue? Refused with
    both readings; it was the returned revenue alone ("orders and Germany": Germany's
    orders alone), so a figure asked was dropped."""
    with pytest.raises(PlanningError, match=f"only the {value} ones") as refused:
        planner.plan(question)
    assert f"and {value}" in (refused.value.hint or "")


def test_a_measure_and_a_counted_value_is_both(planner: OfflinePlanner) -> None:
    """ "orders and cancelled": the cancelled orders beside the orders (it was the
    cancelled orders alone)."""
    assert planner.plan("orders and cancelled").metrics == ("orders", "cancelled_orders")


@pytest.mark.parametrize(
    ("question", "label"),
    [("dau for dec 1 2025?", "on December 1, 2025"),
     ("orders for nov 3 2025", "on November 3, 2025")],
)  # fmt: skip
def test_a_day_after_for_is_that_day(planner: OfflinePlanner, question: str, label: str) -> None:
    """ "for dec 1 2025": that day, as "on dec 1 2025" is; it was refused."""
    assert f"time window: {label}" in planner.plan(question).notes


def test_a_day_that_starts_a_span_is_the_span(planner: OfflinePlanner) -> None:
    """Kept: "for dec 1 2025 to dec 7 2025" is the week, not its first day."""
    notes = planner.plan("orders for dec 1 2025 to dec 7 2025").notes
    assert "time window: December 1, 2025 to December 7, 2025" in notes


@pytest.mark.parametrize(
    "question",
    ["how much did Jeans bring in during H1 2025", "how much did the Men department make in 2025?"],
)
def test_how_much_did_rows_bring_in_is_their_revenue(
    planner: OfflinePlanner, question: str
) -> None:
    """ "how much did Jeans bring in": the revenue of the Jeans rows; it was refused."""
    planned = planner.plan(question)
    assert planned.metrics == ("revenue",)
    assert len(planned.filters) == 1


def test_how_much_did_rows_make_in_profit_stays_profit(planner: OfflinePlanner) -> None:
    """Kept: "how much did Jeans make in profit" is their profit."""
    assert planner.plan("how much did Jeans make in profit in 2025").metrics == ("profit",)


@pytest.mark.parametrize("question", ["average order items", "avg order units in 2025"])
def test_average_order_items_are_the_items_per_order(
    planner: OfflinePlanner, question: str
) -> None:
    """ "average order items": the items per order. "average order" named the average
    order value, and the items sold were shown beside it."""
    assert planner.plan(question).metrics == ("items_per_order",)


@pytest.mark.parametrize(
    "question",
    ["list the distribution centers, id + name", "list the distribution centers, id and name"],
)
def test_columns_after_the_rows_and_a_comma(planner: OfflinePlanner, question: str) -> None:
    """ "list the distribution centers, id + name": the columns, as after a colon; they
    were refused."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert sql.startswith(
        "SELECT distribution_centers.id AS id, distribution_centers.name AS name FROM"
    )


def test_things_counted_by_whole_days_after_a_colon(planner: OfflinePlanner) -> None:
    """ "2025 orders: how many took 0 days, 1 day, 2 days etc to ship": the orders by
    their days to ship, as after a comma; it was refused."""
    planned = planner.plan("2025 orders: how many took 0 days, 1 day, 2 days etc to ship")
    assert planned.by_measure == "days_to_ship:order_id"


@pytest.mark.parametrize("question", ["users, country", "show the users, country"])
def test_one_column_after_the_rows_and_a_comma_is_no_list(
    planner: OfflinePlanner, question: str
) -> None:
    """Kept: "users, country" may be the users by country; it is not a list of users."""
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_a_ranking_with_columns_after_a_comma(planner: OfflinePlanner) -> None:
    """ "the 5 cheapest products, name and retail price": the ranked rows' columns."""
    sql = compile_plan(
        planner.plan("the 5 cheapest products, name and retail price"), planner.model
    )
    assert "products.retail_price AS retail_price" in sql
    assert sql.endswith("LIMIT 5")


def test_two_counts_shown_are_not_listed_one_row_each(planner: OfflinePlanner) -> None:
    """ "show the orders, cancelled": the orders and the cancelled orders, not a row per
    order (each order's count of itself)."""
    planned = planner.plan("show the orders, cancelled")
    assert planned.metrics == ("orders", "cancelled_orders")
    assert planned.dimensions == ()


def test_things_listed_with_their_counts_stay_listed(planner: OfflinePlanner) -> None:
    """Kept: "list the customers with their order count" is a row per customer."""
    planned = planner.plan("list the customers with their order count")
    assert planned.dimensions == ("customer_id",)


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("Split the orders after the gender: how many are from men and how many from women?",
         ("gender",)),
        ("Which are the 3 worst categories after item return rate in 2025?", ("category",)),
    ],
)  # fmt: skip
def test_after_a_grouping_or_a_ranking_is_by(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """ "Split the orders after the gender", "the 3 worst categories after item return
    rate": by, as "the top 10 brands after revenue" was; both were refused."""
    assert planner.plan(question).dimensions == dimensions


def test_after_a_moment_stays_a_moment(planner: OfflinePlanner) -> None:
    """Kept: "top 5 products after the first order" is no ranking by the first order."""
    with pytest.raises(PlanningError):
        planner.plan("top 5 products after the first order")


def test_list_them_after_a_which_question_asks_nothing_more(planner: OfflinePlanner) -> None:
    """ "Which categories are there in the Men department? List them, please.": the same
    rows asked again; it was refused."""
    planned = planner.plan("Which categories are there in the Men department? List them, please.")
    assert [f.values for f in planned.filters] == [("Men",)]


def test_list_them_after_a_count_is_not_left_out(planner: OfflinePlanner) -> None:
    """Kept: "How many categories are there? List them, please." asks for the rows too,
    so it is not answered with the count alone."""
    with pytest.raises(PlanningError):
        planner.plan("How many categories are there? List them, please.")


def test_all_the_7_weekdays_is_every_weekday(planner: OfflinePlanner) -> None:
    """ "Give me all the 7 weekdays": every weekday; "7" was refused."""
    planned = planner.plan(
        "On which weekday come more orders? Give me all the 7 weekdays, from the busiest "
        "to the quietest."
    )
    assert planned.grain == "weekday"
    assert planned.limit is None
