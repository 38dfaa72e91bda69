"""Bands whose number is named beside them, conditions on a duration, a period named
with the rows it dates, statistics over the rows a count names, several statistics of
one number, and everyday phrases of the model: how they are read, what they compute on
the sample and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Band, Condition, Filter, Plan
from lgda_nb.planner._read_durations import rule_as_filter

VALUES = {
    "country": ["Brasil", "China", "France", "Germany", "Spain", "United States"],
    "category": ["Jeans", "Outerwear & Coats", "Swim", "Tops & Tees"],
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
}
MODEL = load_model()
SOLD = Filter("status", ("Cancelled", "Returned"), negate=True)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """A planner over the built-in thelook model and a small value index."""
    return OfflinePlanner(MODEL, VALUES)


def _rows(engine: Any, plan: Plan) -> Any:
    return engine.run_sql(compile_plan(plan, MODEL)).df


# -- bands named beside them ------------------------------------------------------------
def test_the_number_named_before_the_band_word(planner: OfflinePlanner) -> None:
    """ "in the age bands under 30, 30-49 and 50+" cuts the age, added as a breakdown."""
    plan = planner.plan("for each gender, count of users in the age bands under 30, 30-49, 50+")
    assert plan.metrics == ("users",)
    assert plan.dimensions == ("gender", "age")
    assert plan.bands == (Band("age", (30, 50)),)


def test_price_is_the_price_of_the_rows_measured(planner: OfflinePlanner) -> None:
    """ "price bands" cut an item's sale price for items sold, a product's retail price
    for products: the number on the measured table, else the one reachable from it."""
    sold = planner.plan("items sold split into price bands: under $30, $30-60, $60+")
    assert sold.dimensions == ("sale_price",)
    assert sold.bands[0].edges == (30, 60)
    catalog = planner.plan("number of products in price bands: under $40, $40-80, $80+")
    assert catalog.dimensions == ("retail_price",)


def test_a_table_word_before_the_number_is_whose_number(planner: OfflinePlanner) -> None:
    """ "by product retail price band" is the product's retail price, not a breakdown by
    product as well."""
    plan = planner.plan("profit by product retail price band (under $40, $40-90, $90+)")
    assert plan.dimensions == ("retail_price",)


def test_distribution_of_a_number_in_buckets(planner: OfflinePlanner) -> None:
    """ "distribution of sale prices ..., in $25 buckets" groups by the sale price."""
    plan = planner.plan("distribution of sale prices of items sold in 2024, in $25 buckets")
    assert plan.dimensions == ("sale_price",)
    assert plan.bands == (Band("sale_price", width=25),)


def test_fall_in_each_band_is_only_placing_rows(planner: OfflinePlanner) -> None:
    """ "how many users fall into each age group" is users by age band; "fell in 2024"
    keeps its meaning (nothing is cut without a band word after it)."""
    assert planner.plan("how many users fall into each age group").dimensions == ("age_band",)
    with pytest.raises(PlanningError):
        planner.plan("which categories fell in 2024 zodiac")


def test_bands_named_otherwise_and_unknown_numbers_are_refused(planner: OfflinePlanner) -> None:
    """Band names other than the convention's are asked about; a band word after words
    that name no number leaves them for a refusal."""
    with pytest.raises(PlanningError, match="named like"):
        planner.plan("products by retail price band: under $25, $25-50, $50 and up")
    with pytest.raises(PlanningError):
        planner.plan("users in the zodiac bands under 30, 30-49, 50+")


def test_a_band_list_is_never_a_list_of_rows(planner: OfflinePlanner) -> None:
    """ "count products by retail price band: ..." counts per band, not product rows."""
    plan = planner.plan("count products by retail price band: under $25, $25-50, $50-100, $100+")
    assert plan.metrics == ("products",)
    assert plan.bands[0].edges == (25, 50, 100)


def test_price_band_rows(engine: Any, planner: OfflinePlanner) -> None:
    """The bands of sale prices add up to all items sold, under the names asked."""
    plan = planner.plan("items sold in 2024 split into price bands: under $20, $20-50, $50+")
    rows = _rows(engine, plan)
    assert list(rows["sale_price_range"]) == ["under $20", "$20-50", "$50+"]
    whole = _rows(engine, planner.plan("items sold in 2024"))
    assert rows["items_sold"].sum() == whole["items_sold"].iloc[0]


# -- conditions on a duration -------------------------------------------------------------
def test_took_more_than_n_days_to_a_moment(planner: OfflinePlanner) -> None:
    """ "took more than 3 days to ship" runs from the row's first moment (placed)."""
    plan = planner.plan("how many orders took more than 3 days to ship")
    assert plan.metrics == ("orders",)
    assert plan.conditions == (Condition("duration:DAY:max:placed:shipped", "order_id", ">", (3,)),)
    assert "only orders with more than 3 days from order to shipping" in interpret(plan, MODEL)


def test_moments_after_the_amount_and_as_the_verb(planner: OfflinePlanner) -> None:
    """ "to arrive after they shipped", "from being placed to being delivered", "delivered
    within 2 days of being placed", "arrived 3 days or less after they shipped"."""
    cases = {
        "orders that took more than 4 days to arrive after they shipped": (
            "shipped", "delivered", ">", 4),
        "orders that took over 5 days from being placed to being delivered": (
            "placed", "delivered", ">", 5),
        "number of orders delivered within 2 days of being placed": (
            "placed", "delivered", "<=", 2),
        "how many orders arrived 3 days or less after they shipped": (
            "shipped", "delivered", "<=", 3),
        "how many orders took at least 30 hours to ship": ("placed", "shipped", ">=", 30),
    }  # fmt: skip
    for question, (start, end, op, value) in cases.items():
        (condition,) = planner.plan(question).conditions
        assert condition.metric.split(":")[3:] == [start, end], question
        assert (condition.op, condition.values) == (op, (value,)), question
    (hours,) = planner.plan("how many orders took at least 30 hours to ship").conditions
    assert hours.metric.startswith("duration:HOUR:")


def test_no_start_for_a_verb_and_shares_are_refused(planner: OfflinePlanner) -> None:
    """ "ordered more than 30 days ago" is no duration; a share of orders that took some
    time is asked about (of all orders, or of those with both moments?)."""
    with pytest.raises(PlanningError):
        planner.plan("items ordered more than 30 days ago")
    with pytest.raises(PlanningError, match="both moments"):
        planner.plan("what % of orders took more than 3 days to ship")


def test_duration_condition_rows(engine: Any, planner: OfflinePlanner) -> None:
    """Orders without a delivery have no duration and pass no condition on it, "at most"
    included; the counts on either side add up to the orders with both moments."""
    slow = _rows(engine, planner.plan("how many orders took over 3 days to arrive after shipping"))
    fast = _rows(engine, planner.plan("how many orders arrived 3 days or less after they shipped"))
    both = engine.run_sql(
        "SELECT COUNT(*) AS n FROM orders WHERE shipped_at IS NOT NULL AND delivered_at IS NOT NULL"
    ).df
    assert slow["orders"].iloc[0] + fast["orders"].iloc[0] == both["n"].iloc[0]


# -- a period named with the rows it dates ------------------------------------------------
def test_by_order_year(planner: OfflinePlanner) -> None:
    """ "by order year" is the year of a measure dated by orders; of another measure it
    is refused, and a breakdown of the model ("signup year") stays itself."""
    plan = planner.plan("average hours from shipping to delivery, by order year")
    assert plan.grain == "year"
    with pytest.raises(PlanningError, match="dated otherwise"):
        planner.plan("revenue by order year")
    assert planner.plan("users by signup year").dimensions == ("signup_year",)


# -- statistics ---------------------------------------------------------------------------
def test_statistics_over_the_rows_of_a_count(planner: OfflinePlanner) -> None:
    """ "median sale price of items sold" is over sold items: the count's rule as a filter."""
    plan = planner.plan("median sale price of items sold in 2024")
    assert plan.metrics == ("median:sale_price",)
    assert plan.filters == (SOLD,)
    assert rule_as_filter(MODEL, "revenue_items", "order_items") == SOLD


def test_statistics_of_items_sold_rows(engine: Any, planner: OfflinePlanner) -> None:
    """The highest sale price of items sold is that of the non-cancelled, non-returned."""
    plan = planner.plan("highest and median sale price of items sold by department")
    rows = _rows(engine, plan)
    top = engine.run_sql(
        "SELECT MAX(sale_price) AS m FROM order_items WHERE status NOT IN ('Cancelled', 'Returned')"
    ).df
    assert rows["max_sale_price"].max() == round(top["m"].iloc[0], 2)


def test_several_statistics_of_one_number(planner: OfflinePlanner) -> None:
    """ "min, max and average retail price": the average is a measure of its own, and the
    number still reaches the statistics before it."""
    plan = planner.plan("min, max and average retail price by category")
    assert plan.metrics == ("min:retail_price", "max:retail_price", "average_retail_price")
    assert plan.dimensions == ("category",)


# -- the model's everyday phrases ---------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("sales lost to returns last year", Filter("status", ("Returned",))),
        ("what share of orders ended up returned", None),
        ("revenue of items shipped but not delivered yet", Filter("status", ("Shipped",))),
        ("spanish users by gender", Filter("country", ("Spain",))),
    ],
)
def test_model_phrases(planner: OfflinePlanner, question: str, read: Filter | None) -> None:
    """Phrases the model reads as words the reader knows: a status, a country."""
    plan = planner.plan(question)
    if read is None:
        assert plan.metrics == ("order_return_rate",)
    else:
        assert read in plan.filters


# -- shares within a group ----------------------------------------------------------------
def test_each_group_named_before_its(planner: OfflinePlanner) -> None:
    """ "for each department, what share of its revenue comes from each category" restarts
    the shares in each department; with values listed on the other breakdown it is asked."""
    plan = planner.plan("for each department, what share of its revenue comes from each category")
    assert plan.share_within == "department"
    with pytest.raises(PlanningError, match="two ways"):
        planner.plan("for each country, what share of its revenue came from Men vs Women")


def test_a_filtered_part_within_each_group_rows(engine: Any, planner: OfflinePlanner) -> None:
    """ "Jeans and Swim within each department" is each one's share of its department's
    whole revenue; a filter on neither breakdown keeps the shares within the group."""
    plan = planner.plan("share of revenue from Jeans and Swim within each department")
    rows = _rows(engine, plan)
    whole = _rows(engine, planner.plan("revenue by department"))
    men = whole.set_index("department")["revenue"]["Men"]
    jeans = rows[(rows["department"] == "Men") & (rows["category"] == "Jeans")]
    assert jeans["share_pct"].iloc[0] == round(100 * jeans["revenue"].iloc[0] / men, 2)
    assert "with its share of its department's total over all categories" in interpret(plan, MODEL)
    us = planner.plan("each category's share of its department's revenue in the US")
    shares = _rows(engine, us).groupby("department")["share_pct"].sum()
    assert all(abs(total - 100) < 0.1 for total in shares)


def test_a_breakdown_named_before_the_share(planner: OfflinePlanner) -> None:
    """ "browser share of sessions within each traffic source", "gender split of users in
    each country, as percentages": shares of the first breakdown within the group; with
    no group named the words are left for a refusal."""
    plan = planner.plan("browser share of sessions within each traffic source")
    assert set(plan.dimensions) == {"browser", "acquisition_channel"}
    assert plan.share_within == "acquisition_channel"
    plan = planner.plan("gender split of users in each country, as percentages")
    assert plan.share_within == "country"
    assert set(plan.dimensions) == {"gender", "country"}
    with pytest.raises(PlanningError):
        planner.plan("market share of revenue by brand")


def test_slowest_and_fastest_rank_a_duration(planner: OfflinePlanner) -> None:
    """ "the slowest average delivery time" ranks the highest duration first, "quickest"
    the lowest."""
    plan = planner.plan("which 3 categories have the slowest average days from order to delivery")
    assert (plan.order, plan.limit) == ("desc", 3)
    plan = planner.plan("which brand has the quickest average hours from order to shipping")
    assert (plan.order, plan.limit) == ("asc", 1)


def test_a_column_named_in_parentheses(planner: OfflinePlanner) -> None:
    """ "by gender (orders.gender)" restates the breakdown when the answer reads that
    column; a measure that would read another one is refused."""
    plan = planner.plan("order return rate split by customer gender (orders.gender)")
    assert plan.dimensions == ("gender",)
    with pytest.raises(PlanningError, match=r"names the column orders\.gender"):
        planner.plan("revenue by gender (orders.gender)")
    with pytest.raises(PlanningError):
        planner.plan("users by gender (users.zodiac)")


def test_on_average_how_many_per_entity(planner: OfflinePlanner) -> None:
    """ "on avg how many items r in an order", "how many events are there in a session on
    average": the average of a count per entity."""
    expected = planner.plan("average number of items in an order").metrics
    assert planner.plan("on avg how many items r in an order?").metrics == expected
    sessions = planner.plan("how many events are there in a session on average")
    assert sessions.metrics == planner.plan("average number of events in a session").metrics


@pytest.mark.parametrize(
    "question",
    [
        "median days from an order being placed to its delivery, per order, by country",
        "average hours from order to shipment for each order by year",
    ],
)
def test_per_its_own_row_restates_a_duration(planner: OfflinePlanner, question: str) -> None:
    """ "Per order" after a duration of orders says whose duration it is; it adds no count
    of orders beside it (which would also make a median approximate)."""
    plan = planner.plan(question)
    assert len(plan.metrics) == 1
    assert plan.metrics[0].startswith("duration:")


@pytest.mark.parametrize(
    ("said", "spelled"),
    [
        # Every duration runs from the row's first moment, in whole days: a measure's
        # own words give the number its moments do.
        ("average delivery time", "average days from order to delivery"),
        ("days to deliver by month", "average days from order to delivery by month"),
        ("shipping time by month in 2025", "average days from order to shipping by month in 2025"),
        ("average transit time by country", "average days from shipping to delivery by country"),
        ("average delivery time by category", "average days from order to delivery by category"),
    ],
)
def test_a_duration_measure_is_the_duration_its_moments_name(
    engine: Any, said: str, spelled: str
) -> None:
    ours, theirs = engine.ask(said, use_cache=False), engine.ask(spelled, use_cache=False)
    assert ours.df.iloc[:, -1].tolist() == theirs.df.iloc[:, -1].tolist()
    assert ours.df.iloc[:, :-1].astype(str).values.tolist() == (
        theirs.df.iloc[:, :-1].astype(str).values.tolist()
    )
    moments = spelled.removeprefix("average ").split(" by ")[0]
    assert moments in ours.interpretation.lower()
