"""Found by a blind set of merchandising questions: a term the question defines is read
as its definition, "average" before a total is never dropped, and the days between
consecutive orders are one buyer's."""

from __future__ import annotations

import re

import pytest

from lgda_nb import Engine
from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._read_definitions import definitions


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"category": ["Jeans", "Outerwear & Coats"]})


@pytest.mark.parametrize(
    ("question", "term", "said"),
    [
        (
            "What's our AUR (average unit retail, i.e. revenue per item sold)?",
            "AUR",
            "What's our revenue per item sold?",
        ),
        (
            "AUR by category for 2025 (AUR = revenue divided by items sold)",
            "AUR",
            "revenue per items sold by category for 2025",
        ),
        (
            "the categories with their AUR (revenue per item sold)",
            "AUR",
            "the categories with their revenue per item sold",
        ),
        (
            "fill rate by DC - fill rate here = % of order items shipped",
            "fill rate",
            "% of order items shipped by DC",
        ),
        (
            "Dead stock by category. By dead stock I mean unsold units.",
            "dead stock",
            "unsold units by category.",
        ),
    ],
)
def test_a_defined_term_is_said_as_its_definition(question: str, term: str, said: str) -> None:
    found = list(definitions(question))
    assert (found[0].term, found[0].question) == (term, said)


@pytest.mark.parametrize(
    "question",
    [
        # Remarks that restate or narrow what is before them define nothing.
        "average hours to ship by month of 2025 (order month)",
        "how many orders did they place in 2025 (any status)",
        "most expensive product (retail price) in each department",
        "revenue (in $) by month",
        # A term said nowhere else in the question is no term of it.
        "revenue by month (AUR = revenue per item sold)",
    ],
)
def test_a_remark_is_no_definition_unless_it_says_so(question: str) -> None:
    assert list(definitions(question)) == []


@pytest.mark.parametrize(
    "question",
    [
        "What's our AUR (average unit retail, i.e. revenue per item sold)?",
        "AUR by category for 2025 (AUR = revenue divided by items sold)",
        "AUR by category, 2024 vs 2025, with % change (AUR = revenue per item sold)",
        "categories with more than 1,000 units sold, with their AUR (revenue per item sold)",
    ],
)
def test_a_term_the_question_defines_is_read(planner: OfflinePlanner, question: str) -> None:
    """They were refused for the term ("I did not understand: 'aur'")."""
    plan = planner.plan(question)
    assert plan.metrics[0] == "ratio:revenue:items_sold"
    assert any("'AUR' read as you defined it" in note for note in plan.notes)


def test_a_definition_that_does_not_read_is_still_a_refusal(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("ZQX by category (ZQX = the wobble of each frobnicated unit)")


@pytest.mark.parametrize(
    "question",
    [
        "average sale price and average cost of items sold, by department",
        "average order value and average cost",
        "average cost and average sale price by department",
    ],
)
def test_average_before_a_total_is_never_dropped(planner: OfflinePlanner, question: str) -> None:
    """ "Average sale price and average cost" gave the total cost: the second "average"
    was taken as said of the first measure, an average already."""
    with pytest.raises(PlanningError) as refused:
        planner.plan(question)
    assert "'average'" in refused.value.message


@pytest.mark.parametrize(
    "question",
    ["average gross margin by department", "the average of the gross margin by category"],
)
def test_average_of_a_rate_is_the_rate(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("gross_margin_pct",)


@pytest.mark.parametrize(
    "question",
    [
        "average days between consecutive orders",
        "average days between consecutive orders (orders of any status)",
        "median days between successive orders by traffic source",
    ],
)
def test_consecutive_orders_are_one_buyers(planner: OfflinePlanner, question: str) -> None:
    """Refused before unless the owner was said ("a customer's consecutive orders")."""
    plan = planner.plan(question)
    (name,) = plan.metrics
    assert name.startswith("gap:DAY:")
    assert name.endswith(":orders:customer_id")
    sql = compile_plan(plan, planner.model)
    assert "PARTITION BY orders.user_id" in sql


def test_days_between_orders_without_consecutive_stays_refused(planner: OfflinePlanner) -> None:
    """Store-wide time between any two orders, or one customer's? Not said: refused."""
    with pytest.raises(PlanningError):
        planner.plan("average days between orders")


@pytest.mark.parametrize(
    "question",
    [
        "returned units by category over the last 365 days",
        "cancelled orders by country in 2025",
        "cancelled orders in the last 30 days vs the 30 days before, per country",
        "top 5 brands by returned items",
    ],
)
def test_a_conditional_count_lists_groups_with_rows(planner: OfflinePlanner, question: str) -> None:
    """A category with no returned item showed a row of 0 (the blind set's gold, like
    "items with status Returned by category", leaves it out)."""
    sql = compile_plan(planner.plan(question), planner.model)
    assert re.search(r"HAVING COUNTIF\(\w+\.status = '\w+'\) > 0", sql)


@pytest.mark.parametrize(
    "question",
    [
        "cancelled orders by month in 2025",  # a series keeps every period
        "which 3 countries have the fewest cancelled orders",  # none is the fewest
        "countries with fewer than 5 cancelled orders",  # a group with none passes
        "orders and cancelled orders by country",  # another count counts every order
    ],
)
def test_groups_without_rows_are_kept_where_they_answer(
    planner: OfflinePlanner, question: str
) -> None:
    assert "> 0" not in compile_plan(planner.plan(question), planner.model)


def test_a_condition_passed_at_zero_is_shown_beside_its_rows(planner: OfflinePlanner) -> None:
    """ "For inventory received in 2024: which categories have a sell-through rate below
    50%?" showed the inventory count alone, not the rate the question asks about."""
    plan = planner.plan(
        "For inventory received in 2024: which categories have a sell-through rate below 50%?"
    )
    assert "sell_through_rate" in plan.metrics


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        (
            "median lead time in days - order placed to delivered",
            "duration:DAY:median:placed:delivered",
        ),
        (
            "avg lead time (order placed to delivered) in days, by order month, 2025",
            "duration:DAY:avg:placed:delivered",
        ),
        (
            "Median days on shelf (received to sold) by department",
            "duration:DAY:median:stocked:sold",
        ),
        (
            "avg days on shelf by category - days from an item being received to being sold",
            "duration:DAY:avg:stocked:sold",
        ),
    ],
)
def test_a_time_named_with_its_moments_is_that_time(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """ "Lead time", "days on shelf": a name the model does not know, said with the two
    moments it runs between, is the time between them."""
    assert planner.plan(question).metrics[0] == metric


def test_money_said_after_one_amount_restates_it(planner: OfflinePlanner) -> None:
    """ "(in $)" after revenue, beside a count: it was refused ('dollars')."""
    plan = planner.plan("Revenue (in $) and units sold by department for 2025")
    assert plan.metrics == ("revenue", "items_sold")
    with pytest.raises(PlanningError):
        planner.plan("return rate (in $) and revenue by category")


@pytest.mark.parametrize(
    "question",
    [
        "Stock check: how many inventory units are still unsold?",
        "signup cohort sizes: number of users per signup month in 2025",
    ],
)
def test_a_heading_that_names_what_is_measured_is_context(
    planner: OfflinePlanner, question: str
) -> None:
    """Its words are unread or name the measure or breakdown read anyway."""
    plan = planner.plan(question)
    assert any("which asks for nothing" in note for note in plan.notes)


def test_a_heading_with_a_value_is_not_context(planner: OfflinePlanner) -> None:
    """ "Jeans" is a value the rest does not read: left out, it would change the answer."""
    with pytest.raises(PlanningError):
        planner.plan("Jeans assortment: which 5 brands have the highest average retail price?")


def test_places_that_hold_an_amount(planner: OfflinePlanner) -> None:
    """ "Which distribution centers hold more than $100k of stock value": "hold" puts a
    condition on the measure, as "have" does."""
    plan = planner.plan("Which distribution centers hold more than $100k of stock value?")
    (condition,) = plan.conditions
    assert (condition.metric, condition.op, condition.values) == (
        "unsold_inventory_value",
        ">",
        (100000,),
    )


def test_an_amount_of_money_is_no_count(planner: OfflinePlanner) -> None:
    """ "More than $100k of stock (cost of unsold units)" tested the number of unsold
    units against 100000; an amount in dollars is never a condition on a count."""
    with pytest.raises(PlanningError):
        planner.plan(
            "Which distribution centers hold more than $100k of stock (cost of unsold units)?"
            " id, name, stock value and unsold units"
        )


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("categories with an average sale price of items sold above $60", "average_item_price"),
        (
            "Which categories have an average sale price of items sold above the overall average?",
            "average_item_price",
        ),
        (
            "Which categories have an average sale price of items sold above the overall"
            " average sale price of items sold?",
            "average_item_price",
        ),
    ],
)
def test_a_measure_said_with_its_rows_in_a_condition(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    """ "Of items sold" between a measure and its amount restates its rows."""
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert [c.metric for c in plan.conditions] == [metric]


def test_a_measure_against_itself_overall_is_not_against_the_average(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan(
        "Which countries had an average order value above the overall average order value?"
    )
    assert plan.metrics == ("average_order_value",)


def test_percentiles_listed_after_their_rows(planner: OfflinePlanner) -> None:
    plan = planner.plan("Sale price percentiles of items sold (25th, 50th, 90th) by department")
    assert len(plan.metrics) == 3
    assert plan.dimensions == ("department",)


@pytest.fixture(scope="module")
def places() -> OfflinePlanner:
    return OfflinePlanner(
        load_model(),
        {"city": ["London"], "country": ["Germany", "United Kingdom", "United States"]},
    )


@pytest.mark.parametrize(
    "question",
    [
        "Web sessions from London visitors - total count",
        "Web sessions from London visitors by traffic source",
    ],
)
def test_visitors_of_a_place_said_before_them(places: OfflinePlanner, question: str) -> None:
    """Found by a blind set of a regional sales lead's questions: "London visitors" was
    refused ('visitors'); it is the sessions' own city, as "visitors in London" is."""
    plan = places.plan(question)
    assert plan.metrics[0] == "sessions"
    assert [(f.dimension, f.values) for f in plan.filters] == [("city", ("London",))]


def test_a_time_remark_after_the_rows_it_is_taken_on(places: OfflinePlanner) -> None:
    plan = places.plan("Average transit time for US orders (ship to delivery, days)")
    assert plan.metrics[0] == "days_in_transit"


@pytest.mark.parametrize(
    ("question", "dimension"),
    [("top 10 customer cities by revenue", "city"), ("customers by customer state", "state")],
)
def test_customer_cities_are_a_breakdown(
    places: OfflinePlanner, question: str, dimension: str
) -> None:
    """ "Top 10 customer cities" was read as the top 10 customers, then refused."""
    assert places.plan(question).dimensions == (dimension,)


def test_which_values_the_buyers_have_is_not_every_persons(places: OfflinePlanner) -> None:
    """ "Which acquisition channels bring in our customers in Germany" listed the channels
    of every user in Germany; the buyers are only some of them."""
    plan = places.plan("Which acquisition channels bring in our customers in Germany?")
    assert plan.rows is None
    assert plan.metrics == ("customers",)
    assert plan.dimensions == ("acquisition_channel",)
    listed = places.plan("which acquisition channels do our users in Germany come from")
    assert listed.rows is not None


@pytest.mark.parametrize(
    "question",
    [
        "UK category mix - what % of UK revenue comes from each category?",
        "Category mix: for each year 2024 and 2025, what share of that year's units sold"
        " did each category account for?",
    ],
)
def test_a_heading_said_again_by_the_question(places: OfflinePlanner, question: str) -> None:
    plan = places.plan(question)
    assert plan.share or plan.share_of_rows


def test_a_column_list_after_the_question_is_no_context(planner: OfflinePlanner) -> None:
    """A list of columns said after a colon asks for them: never left out as context."""
    with pytest.raises(PlanningError):
        planner.plan(
            "serial returners - list users with more than 3 returned items (all time):"
            " user id, country, number of returned items"
        )


def test_a_value_naming_the_same_rows_twice_reads_either_way() -> None:
    """ "Users based in Seoul": Seoul is a city and a state, and every row in one is in
    the other, so the answer is the same either way; "New York" (a state of many cities)
    is still asked about."""
    values = {"city": ["Seoul", "New York"], "state": ["Seoul", "New York"]}
    same = {"Seoul": [frozenset({"city", "state"})]}
    reader = OfflinePlanner(load_model(), values, same_rows=same)
    plan = reader.plan("how many registered users are based in Seoul")
    assert [f.values for f in plan.filters] == [("Seoul",)]
    with pytest.raises(PlanningError) as refused:
        reader.plan("how many users are based in New York")
    assert "two ways" in refused.value.message
    with pytest.raises(PlanningError):  # without the data's word, asked about as before
        OfflinePlanner(load_model(), values).plan("how many users are based in Seoul")


def test_the_data_says_which_values_name_the_same_rows(engine: Engine) -> None:
    """Read from the sample: a city named like its state with no other city in it."""
    from lgda_nb.engine._values import same_rows, value_index

    index = value_index(engine)
    same = same_rows(engine, index)
    assert same
    for value, pairs in same.items():
        assert frozenset({"city", "state"}) in pairs
        counts = engine.run_sql(
            f"SELECT COUNTIF(city = '{value}') AS c, COUNTIF(state = '{value}') AS s, "
            f"COUNTIF(city = '{value}' AND state = '{value}') AS both FROM users"
        ).df.iloc[0]
        assert counts["c"] == counts["s"] == counts["both"]


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("Order return rate for DE", "Germany"),
        ("DE revenue by quarter in 2025", "Germany"),
        ("orders from JP last year", "Japan"),
    ],
)
def test_market_codes(question: str, country: str) -> None:
    reader = OfflinePlanner(load_model(), {"country": ["Germany", "Japan"]})
    plan = reader.plan(question)
    assert [f.values for f in plan.filters if f.dimension == "country"] == [(country,)]


@pytest.mark.parametrize(
    "question",
    [
        "Total inventory units by distribution center (sold and unsold together)",
        "total inventory units by distribution center, sold or not",
    ],
)
def test_either_way_of_a_moment_restates_all_rows(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("inventory_items",)
    assert not plan.filters


@pytest.mark.parametrize(
    "question",
    [
        "unsold stock by category (sold or not)",  # a measure with a rule on that moment
        "orders by month, shipped or not",  # "shipped" is a status too
    ],
)
def test_either_way_is_refused_where_it_could_narrow(
    planner: OfflinePlanner, question: str
) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_month_to_date_against_the_same_dates_a_year_earlier(planner: OfflinePlanner) -> None:
    """ "Month-to-date revenue vs the same period last year" compared this month so far
    with the whole month a year earlier (a blind set's wrong answer); it is the same
    dates now, as for the year to date. "This month vs the same month last year" is
    still the whole month."""
    plan = planner.plan("Month-to-date revenue vs the same period last year, with the % change")
    assert plan.compare_with is not None
    assert plan.compare_with.kind == "month_to_date_back"
    sql = compile_plan(plan, planner.model)
    assert "INTERVAL '1' YEAR" in sql
    whole = planner.plan("revenue this month vs the same month last year")
    assert whole.compare_with is not None
    assert whole.compare_with.kind == "month_back"


def test_ie_outside_a_remark_is_a_remark(planner: OfflinePlanner) -> None:
    """ "..., i.e. items per order?" was refused ('e'): said as the remark it is."""
    assert planner.plan("What's our average basket size, i.e. items per order?").metrics == (
        "items_per_order",
    )


def test_over_an_amount_in_a_definition_is_no_ratio() -> None:
    (found,) = definitions("big orders by country (big orders = orders over $100)")
    assert found.definition == "orders over $100"


def test_the_same_dates_a_year_earlier_need_a_period_to_date() -> None:
    """A guard: the same dates of a window other than a month or quarter to date are
    refused with a sentence and a hint."""
    from lgda_nb.planner import _read_timecmp as timecmp
    from lgda_nb.planner._plan import TimeWindow

    with pytest.raises(PlanningError) as refused:
        timecmp._year_earlier(TimeWindow("year", year=2025), "dates")
    assert "to date" in refused.value.message
    assert refused.value.hint
