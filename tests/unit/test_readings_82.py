"""Readings of the stop that wrote heldout82 and heldout83: each test names the general
reading it checks, and each fails on the code before it unless it says it keeps a
refusal or a reading."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("monthly revenue growth in 2025, January compared with December 2024", "month"),
        ("How grew the revenue month for month during 2025? January compared with "
         "December 2024, please.", "month"),
        ("montly active users mo over mo growth % in 2025, jan compared w/ dec 2024", "month"),
        ("quarterly revenue growth in 2025, q1 vs q4 '24", "quarter"),
        ("quarterly revenue growth in 2025. Q1 vs Q4 2024", "quarter"),
    ],
)  # fmt: skip
def test_a_series_first_change_said_after_a_comma_or_a_sentence(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    """A growth series with its first change spelled out after a comma or as a sentence
    of its own ("..., January compared with December 2024"), not only in brackets: the
    series, its first period compared with the one before the window. It was read as a
    comparison of two periods and refused for a series."""
    planned = planner.plan(question)
    assert planned.growth
    assert planned.grain == grain
    assert planned.time_window is not None
    assert planned.time_window.year == 2025
    assert any("first period's change" in note for note in planned.notes)


@pytest.mark.parametrize(
    "question",
    [
        "monthly revenue growth in 2025, March compared with February",
        "monthly revenue growth in 2025, January compared with December 2023",
    ],
)
def test_a_remark_of_other_periods_is_still_a_comparison(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps a refusal: a remark that names periods other than the window's first and
    the one before it is a comparison, which a series does not take."""
    with pytest.raises(PlanningError, match="not for a series"):
        planner.plan(question)


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("how did revenue change quarter to quarter in 2025", "quarter"),
        ("revenue month-to-month growth in 2025", "month"),
        ("how did revenue grow month to month in 2025", "month"),
        ("percent change in revenue by quarter in 2025", "quarter"),
        ("percentage growth in orders each month of 2025", "month"),
        ("revenue percent change by quarter 2025", "quarter"),
    ],
)
def test_growth_said_period_to_period_or_in_percent(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    """ "quarter to quarter" is "quarter over quarter", and "percent change" is "% change":
    the growth of each period over the one before. Both were refused."""
    planned = planner.plan(question)
    assert planned.growth
    assert planned.grain == grain


def test_month_to_date_is_not_month_to_month(planner: OfflinePlanner) -> None:
    """Keeps a reading: "month to date" is the period so far, not a growth series."""
    planned = planner.plan("revenue month to date")
    assert not planned.growth
    assert planned.grain is None


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("p25 / p50 / p90 delivery time in days for orders placed in 2025",
         ["p25", "median", "p90"]),
        ("p25/p50/p90 delivery time in days in 2025", ["p25", "median", "p90"]),
        ("median/p90 days to deliver in 2025", ["median", "p90"]),
    ],
)  # fmt: skip
def test_statistics_joined_by_slashes_are_a_list(
    planner: OfflinePlanner, question: str, kinds: list[str]
) -> None:
    """ "p25 / p50 / p90 delivery time": the statistics listed, as with commas. The slash
    was read as "per" and the question refused."""
    planned = planner.plan(question)
    said = [name.split(":")[2] for name in planned.metrics]  # duration:DAY:<kind>:...
    assert said == kinds


def test_min_and_max_joined_by_a_slash(planner: OfflinePlanner) -> None:
    """ "min/max sale price": the lowest and the highest sale price, not a ratio."""
    planned = planner.plan("min/max sale price")
    assert len(planned.metrics) == 2
    assert all("/" not in name for name in planned.metrics)


def test_a_slash_between_measures_is_still_per(planner: OfflinePlanner) -> None:
    """Keeps a reading: "revenue/order" is the revenue per order."""
    planned = planner.plan("revenue/order by category")
    assert planned.dimensions == ("category",)
    assert len(planned.metrics) == 1


@pytest.mark.parametrize(
    ("question", "step"),
    [
        ("purchase sessions by browser in 2025", "purchase"),
        ("cart sessions by month in 2025", "cart"),
        ("home sessions in 2025", "home"),
        ("product sessions by traffic source in 2025", "product"),
        ("add to cart sessions last month", "cart"),
    ],
)
def test_a_step_named_before_the_sessions_is_their_condition(
    planner: OfflinePlanner, question: str, step: str
) -> None:
    """ "purchase sessions": the sessions with a purchase, as "sessions with a purchase"
    reads. The step's name before the sessions was left unread and refused."""
    planned = planner.plan(question)
    assert [f.values for f in planned.session_filters] == [(step,)]
    assert not planned.session_filters[0].negate


@pytest.mark.parametrize(
    "question",
    ["home, cart and purchase sessions", "no purchase sessions"],
)
def test_a_step_in_a_list_or_negated_before_the_sessions_is_not_read_so(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps a refusal: a step listed among others before the sessions, or negated, is
    not the sessions' one condition."""
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_a_step_before_the_sessions_leaves_a_shown_list_alone(planner: OfflinePlanner) -> None:
    """Keeps a reading: "cart sessions" in the list of what a cart abandonment rate shows
    is the count the rate is over, not a second condition."""
    planned = planner.plan("cart abandonment by month in 2025 - cart sessions, abandoned, %")
    assert planned.grain == "month"
    assert [f.values for f in planned.session_filters] == [("cart",)]
    assert [f.values for f in planned.session_rate] == [("purchase",)]


def test_two_swapped_letters_in_abandonment(planner: OfflinePlanner) -> None:
    """ "cart abandonmnet rate": the slip of two neighbouring letters is read as the word,
    as in "conversion"; it was refused."""
    planned = planner.plan("cart abandonmnet rate by month in 2025")
    assert [f.values for f in planned.session_filters] == [("cart",)]


@pytest.mark.parametrize(
    "question",
    [
        "in the women's department which categories have a sell through rate above 35%",
        "for Women, which categories have a sell-through rate over 35%",
    ],
)
def test_a_condition_on_the_shown_measure_is_over_the_answers_rows(
    planner: OfflinePlanner, question: str
) -> None:
    """ "In the women's department, which categories have a sell-through rate above 35%":
    the rate shown beside each category is over the Women rows, so the condition is too.
    It was over every department, and categories shown at 34.8% passed "above 35%"."""
    planned = planner.plan(question)
    assert planned.dimensions == ("category",)
    (condition,) = planned.conditions
    assert condition.per == "category"
    assert [(f.dimension, f.values) for f in condition.filters] == [("department", ("Women",))]


def test_a_condition_on_other_rows_keeps_its_own_filters(planner: OfflinePlanner) -> None:
    """Keeps a reading: "Jeans revenue from customers who spent over $500" measures each
    customer's whole spend; the answer's Jeans is not the condition's."""
    planned = planner.plan("Jeans revenue from customers who spent over $500")
    (condition,) = planned.conditions
    assert condition.filters == ()


@pytest.mark.parametrize(
    "question",
    [
        "For each product department, which month of 2025 had the highest revenue?",
        "For each product department, which month of FY2025 had the highest revenue?",
        "for each product department, the best month of 2025 by revenue",
    ],
)
def test_each_owned_group_ranks_within_the_group(planner: OfflinePlanner, question: str) -> None:
    """ "For each product department, which month had the highest revenue": the best month
    of each department. "product" only says whose department, and the ranking that
    restarted in each product was dropped with it: one month over all was given."""
    planned = planner.plan(question)
    assert planned.per == "department"
    assert planned.grain == "month"
    assert planned.limit == 1


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("2025 revenue and units sold by products.distribution_center_id - center id, name",
         ("distribution_center",)),
        ("sessions by events.traffic_source in 2025", ("acquisition_channel",)),
        ("users by users.country", ("country",)),
        ("revenue by products.department", ("department",)),
    ],
)  # fmt: skip
def test_a_column_named_with_its_table(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """ "by products.distribution_center_id": the column of the table named, said as
    "the product's distribution center"; the table is no breakdown of its own. The first
    was read as each product and its distribution center; the other three keep their
    reading."""
    planned = planner.plan(question)
    assert planned.dimensions == dimensions


def test_a_breakdowns_values_are_its_groups(planner: OfflinePlanner) -> None:
    """ "Top 5 users.state values ... by user count": the states, ranked; "values" was
    read as revenue and the question refused as two tables."""
    planned = planner.plan("Top 5 users.state values for country = 'United States', by user count")
    assert planned.metrics == ("users",)
    assert planned.dimensions == ("state",)
    assert planned.limit == 5


@pytest.mark.parametrize("question", ["product_category values", "category values by department"])
def test_values_of_a_breakdown_alone_are_not_revenue(
    planner: OfflinePlanner, question: str
) -> None:
    """ "product_category values" asks for the categories, which the planner does not list
    on their own; it was answered with the revenue of each. Refused now."""
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_values_of_a_single_thing_are_its_value(planner: OfflinePlanner) -> None:
    """Keeps a reading: "average order values by country" is the average order value."""
    planned = planner.plan("average order values by country")
    assert planned.metrics == ("average_order_value",)


@pytest.mark.parametrize(
    ("question", "kind", "label"),
    [
        ("how many orders from March 2025 are still stuck in processing", "month", "March 2025"),
        ("orders from March 2025", "month", "March 2025"),
        ("orders from March 2025 onwards", "since_date", "since March 2025"),
        ("revenue since March 2025", "since_date", "since March 2025"),
    ],
)
def test_orders_from_a_month_are_that_months(
    planner: OfflinePlanner, question: str, kind: str, label: str
) -> None:
    """ "Orders from March 2025" are March's, as "orders from 2025" are 2025's; "from
    March 2025 onwards" and "since" are every month since. It was read as since."""
    planned = planner.plan(question)
    assert planned.time_window is not None
    assert planned.time_window.kind == kind
    assert planned.time_window.label == label


@pytest.mark.parametrize(
    "question",
    [
        "how many US customers bought in 2024 but not in 2025",
        "how many US customers bought in both 2024 and 2025",
    ],
)
def test_a_country_in_capitals_before_two_periods(planner: OfflinePlanner, question: str) -> None:
    """ "How many US customers bought in 2024 but not in 2025": the US customers. The
    two periods were read on the lowercased text, where "us" is the speaker, and the
    country was dropped: every customer was counted."""
    planned = planner.plan(question)
    assert [(f.dimension, f.values) for f in planned.filters] == [("country", ("United States",))]


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("so how many orders had one item two items three items and so on",
         "order_lines:order_id"),
        ("for twenty twenty five orders how many took zero days one day two days and so on "
         "to get delivered", "days_to_deliver:order_id"),
        ("for 2025 orders, how many took 0 days, 1 day, 2 days and so on to be shipped",
         "days_to_ship:order_id"),
    ],
)  # fmt: skip
def test_values_of_a_distribution_said_aloud(
    planner: OfflinePlanner, question: str, measure: str
) -> None:
    """A distribution's values said aloud with no commas ("one item two items three items
    and so on", "zero days one day ...") and its verb in the passive ("to get delivered"):
    the things counted by their number. They were refused."""
    planned = planner.plan(question)
    assert planned.by_measure == measure


def test_customers_named_with_a_value_counted_by_their_orders(planner: OfflinePlanner) -> None:
    """ "for our French customers how many bought in one order two orders and so on": the
    French customers by their number of orders; the value before them was refused."""
    planned = planner.plan(
        "for our French customers how many bought in one order two orders and so on"
    )
    assert planned.metrics == ("customers",)
    assert [(f.dimension, f.values) for f in planned.filters] == [("country", ("France",))]


@pytest.mark.parametrize(
    ("question", "metrics"),
    [
        ("revenue by department for twenty twenty five real quick", ("revenue",)),
        ("how're we doing on average order value in the UK for twenty twenty five",
         ("average_order_value",)),
        ("how'd Germany do on revenue in 2025", ("revenue",)),
        ("for orders placed in twenty twenty five what's the average number of days until "
         "they ship", None),
    ],
)  # fmt: skip
def test_a_voice_assistants_fillers(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...] | None
) -> None:
    """Said to a voice assistant: "real quick", "how're we doing on ...", "how'd Germany do
    on revenue", "days until they ship" ask for the measure named. They were refused."""
    planned = planner.plan(question)
    if metrics is not None:
        assert planned.metrics == metrics
    else:
        assert planned.metrics[0].startswith("duration:")


def test_read_me_the_rows(planner: OfflinePlanner) -> None:
    """ "read me the ids and names of all our distribution centers": list them."""
    planned = planner.plan("read me the ids and names of all our distribution centers")
    assert planned.rows is not None


@pytest.mark.parametrize(
    ("question", "grain"),
    [
        ("month over month order growth for twenty twenty five with january compared to "
         "december twenty twenty four", "month"),
        ("quarter over quarter revenue growth for Japan in twenty twenty five q one against "
         "q four twenty twenty four", "quarter"),
    ],
)  # fmt: skip
def test_a_series_first_change_said_with_no_mark(
    planner: OfflinePlanner, question: str, grain: str
) -> None:
    """The first change of a growth series said with no comma before it ("... with january
    compared to december 2024", "... 2025 q1 against q4 2024"): the series. Refused as a
    comparison before."""
    planned = planner.plan(question)
    assert planned.growth
    assert planned.grain == grain
    assert planned.question == question


@pytest.mark.parametrize(
    "question",
    [
        "twenty fifth fiftieth and ninetieth percentile delivery times for twenty twenty five "
        "orders",
        "25th/50th/75th percentile of products.retail_price",
    ],
)
def test_percentiles_listed_as_heard_or_with_slashes(
    planner: OfflinePlanner, question: str
) -> None:
    """Ordinals said one after another ("25th 50th and 90th percentile") or joined by
    slashes are a list of percentiles; a number named with its table ("products.
    retail_price") is that number. They were refused."""
    planned = planner.plan(question)
    assert len(planned.metrics) == 3


def test_the_halves_said_as_month_ranges(planner: OfflinePlanner) -> None:
    """ "Jan-Jun 2025 revenue vs Jul-Dec 2025 revenue": H1 against H2. It was refused."""
    planned = planner.plan("Jan-Jun 2025 revenue vs Jul-Dec 2025 revenue, with the % change")
    assert planned.compare_with is not None
    assert planned.time_window is not None
    assert (planned.time_window.month, planned.time_window.n) == (7, 12)
    assert (planned.compare_with.month, planned.compare_with.n) == (1, 6)


def test_figures_said_as_included(planner: OfflinePlanner) -> None:
    """ "..., prior-year AOV included": the figure shown with the series, as "with" says."""
    planned = planner.plan("AOV by year 2022-2025 and YoY % change, prior-year AOV included")
    assert planned.growth
    assert planned.grain == "year"


@pytest.fixture(scope="module")
def centers_planner() -> OfflinePlanner:
    values = {
        "city": ["Chicago", "Memphis", "Houston"],
        "distribution_center": ["Chicago IL", "Memphis TN", "Houston TX", "Port Authority of "
                                "New York/New Jersey NY/NJ", "New Orleans LA"],
        "country": ["United States", "United Kingdom"],
    }  # fmt: skip
    return OfflinePlanner(load_model(), values)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("revenue from the Chicago distribution center", "Chicago IL"),
        ("revenue from the Chicago DC in 2025", "Chicago IL"),
        ("what's the stock value at the Memphis distribution center", "Memphis TN"),
    ],
)
def test_a_single_thing_named_by_the_start_of_its_name(
    centers_planner: OfflinePlanner, question: str, value: str
) -> None:
    """ "the Chicago distribution center" is the center "Chicago IL", named by its first
    word and its noun. It was read as the customers' city Chicago (a wrong answer) or,
    for stock, refused."""
    planned = centers_planner.plan(question)
    assert [(f.dimension, f.values) for f in planned.filters] == [("distribution_center", (value,))]


def test_a_city_alone_stays_the_city(centers_planner: OfflinePlanner) -> None:
    """Keeps a reading: "revenue from Chicago" is the customers' city."""
    planned = centers_planner.plan("revenue from Chicago")
    assert [(f.dimension, f.values) for f in planned.filters] == [("city", ("Chicago",))]


def test_how_much_a_stock_is_worth(planner: OfflinePlanner) -> None:
    """ "how much is our unsold stock worth at cost": the unsold stock's value. It was
    read as a cost beside a count and refused."""
    planned = planner.plan("how much is our unsold stock worth at cost")
    assert planned.metrics == ("unsold_inventory_value",)


def test_a_key_column_said_by_its_name(planner: OfflinePlanner) -> None:
    """ "avg number of events per session_id": per session, as the key names it. The key's
    "id" was left unread and the question refused."""
    planned = planner.plan("avg number of events per session_id, all time")
    assert len(planned.metrics) == 1
    assert planned.dimensions == ()


@pytest.mark.parametrize(
    "question",
    [
        "give me the five most expensive products with name brand and retail price",
        "what are the five cheapest jeans we carry name brand and retail price",
    ],
)
def test_columns_heard_with_no_commas(planner: OfflinePlanner, question: str) -> None:
    """A list's columns said aloud, with no commas ("name brand and retail price"): the
    rows with those columns. They were refused."""
    planned = planner.plan(question)
    assert planned.rows == "products"
    assert planned.limit == 5
    assert {"name", "brand", "retail_price"} <= {c.rsplit(".", 1)[-1] for c in planned.columns}


def test_two_breakdowns_are_no_list_of_columns(planner: OfflinePlanner) -> None:
    """Keeps a reading: "revenue by category and brand" is revenue by both."""
    planned = planner.plan("revenue by category and brand")
    assert planned.dimensions == ("category", "brand")


@pytest.mark.parametrize(
    "question",
    [
        "orders from Germany with status Shipped",
        "orders from Germany with status Shipped, how many",
    ],
)
def test_a_value_after_a_column_is_no_list_of_columns(
    planner: OfflinePlanner, question: str
) -> None:
    """Keeps a reading: "with status Shipped" is a filter, though "status" and "shipped"
    (the ship date) are both columns: the count of those orders, not a list of them."""
    planned = planner.plan(question)
    assert planned.rows is None
    assert planned.metrics == ("orders",)


def test_each_steps_percent_of_the_one_before(planner: OfflinePlanner) -> None:
    """ "the funnel ... with each step's percent of the one before": the funnel, each step
    against the one before, as "of the previous step" reads. It was refused."""
    planned = planner.plan(
        "give me the twenty twenty five funnel home to product to cart to purchase with each "
        "step's percent of the one before"
    )
    assert planned.funnel
    assert planned.steps == ("home", "product", "cart", "purchase")


@pytest.mark.parametrize(
    "question",
    [
        "month by month what share of twenty twenty five revenue did each month bring in",
        "what share of 2025 revenue came from each month",
    ],
)
def test_what_share_each_period_brought_in(planner: OfflinePlanner, question: str) -> None:
    """ "what share of 2025 revenue did each month bring in": each month's share, as
    "each month's share of 2025 revenue" reads. It was refused."""
    planned = planner.plan(question)
    assert planned.share
    assert planned.grain == "month"


def test_a_series_with_the_period_before_beside_it(planner: OfflinePlanner) -> None:
    """ "how did average order value move year by year and show the prior year's number
    beside it": each year beside the one before, which is the growth series. It was
    refused as a comparison."""
    planned = planner.plan(
        "how did average order value move year by year and show the prior year's number beside it"
    )
    assert planned.growth
    assert planned.grain == "year"


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("revenue from March 2025 on", "since March 2025"),
        ("orders from March 2025 to now", "since March 2025"),
        ("users who signed up from March 2025 until today", "since March 2025"),
        ("users who signed up from 2024 until today", "since 2024"),
        ("orders from 2024 to now", "since 2024"),
    ],
)
def test_from_a_period_until_now_is_every_day_since(
    planner: OfflinePlanner, question: str, label: str
) -> None:
    """ "from 2024 until today", "from March 2025 to now", "from March 2025 on": every day
    since. "until today" was cut, and "from 2024" left alone read as the year 2024 (a
    wrong answer; "orders from 2024 to now" as well)."""
    planned = planner.plan(question)
    assert planned.time_window is not None
    assert planned.time_window.label == label


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("which brands have more than fifty men's products in the catalog", ("department", "Men")),
        ("which brands have more than 50 Jeans products", ("category", "Jeans")),
    ],
)
def test_a_value_between_a_conditions_number_and_its_rows(
    planner: OfflinePlanner, question: str, value: tuple[str, str]
) -> None:
    """ "more than 50 Jeans products": more than 50 products in Jeans, as a condition reads
    its rows' value said after them. It was refused."""
    planned = planner.plan(question)
    (condition,) = planned.conditions
    assert condition.metric == "products"
    assert [(f.dimension, *f.values) for f in condition.filters] == [value]


def test_a_measure_named_with_its_value_stays_the_measure(planner: OfflinePlanner) -> None:
    """Keeps a reading: "brands with over 100 returned items" counts the returned items."""
    planned = planner.plan("brands with over 100 returned items")
    assert planned.metrics == ("returned_items",)


def test_sessions_that_ended_up_buying(planner: OfflinePlanner) -> None:
    """ "what percent of 2025 sessions with a product view ended up buying": those that
    reached purchase; "buying" was not a word for the step."""
    planned = planner.plan(
        "by traffic source what percent of twenty twenty five sessions with a product view "
        "ended up buying"
    )
    assert [f.values for f in planned.session_filters] == [("product",)]
    assert [f.values for f in planned.session_rate] == [("purchase",)]


def test_the_table_named_after_other_words(planner: OfflinePlanner) -> None:
    """ "count of purchase events in the events table for 2025": the table named after
    "of purchase events" is a remark; the remark was looked for from the first "of" and
    never found."""
    planned = planner.plan("count of purchase events in the events table for 2025")
    assert planned.metrics == ("events",)
    assert [(f.dimension, f.values) for f in planned.filters] == [("event_type", ("purchase",))]


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("Median days in transit (shipped_at to delivered_at), all orders", "shipped", "delivered"),
        ("median days from shipped_at to delivered_at", "shipped", "delivered"),
        ("average days between created_at and shipped_at for orders in 2025", "placed", "shipped"),
    ],
)
def test_moments_said_by_their_columns(
    planner: OfflinePlanner, question: str, start: str, end: str
) -> None:
    """ "from shipped_at to delivered_at": the days from shipping to delivery, the moments
    named by their columns. They were refused."""
    planned = planner.plan(question)
    (metric,) = planned.metrics
    assert metric.startswith("duration:DAY:")
    assert metric.split(":")[3:] == [start, end]


@pytest.mark.parametrize(
    "question",
    [
        "count of orders where number of items >= 3",
        "orders where number of items at least 3",
        "how many events are over 5",
    ],
)
def test_a_bound_after_things_that_are_not_people_is_no_age(
    planner: OfflinePlanner, question: str
) -> None:
    """ "number of items >= 3" is no age: a bare bound is the people's age only right
    after a word for the people ("users over 65"). The words for the people took every
    count with no entity of its own ("items", "events", "products"), and the orders
    were kept to users aged 3 or more: a wrong answer."""
    try:
        planned = planner.plan(question)
    except PlanningError:
        return
    assert all(f.dimension != "age" for f in planned.filters)


@pytest.mark.parametrize("question", ["users over 65", "how many of our users are 65+"])
def test_a_bound_after_the_people_is_their_age(planner: OfflinePlanner, question: str) -> None:
    """Keeps a reading: "users over 65" are the users older than 65."""
    planned = planner.plan(question)
    assert [f.dimension for f in planned.filters] == ["age"]


@pytest.mark.parametrize(
    "question",
    ["Number of orders at each number of items value", "Number of orders at each number of items"],
)
def test_things_at_each_number_of_what_they_hold(planner: OfflinePlanner, question: str) -> None:
    """ "Number of orders at each number of items (value)": the orders by their number of
    items. It was the orders and the items sold beside them, or their revenue: totals, not
    the distribution asked."""
    planned = planner.plan(question)
    assert planned.by_measure == "order_lines:order_id"
    assert planned.metrics == ("orders",)


def test_centers_listed_by_the_start_of_their_names(centers_planner: OfflinePlanner) -> None:
    """ "the Chicago and Memphis distribution centers": both centers. The first was read
    as the customers' city Chicago beside the Memphis center, or (before the centers were
    named by their starts) both as cities: wrong answers either way."""
    planned = centers_planner.plan("revenue from the Chicago and Memphis distribution centers")
    assert [(f.dimension, f.values) for f in planned.filters] == [
        ("distribution_center", ("Chicago IL", "Memphis TN"))
    ]
