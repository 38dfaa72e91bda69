"""Found by two blind sets, a store manager typing into a chat box and a customer-insights
analyst: slips in the words of measures, "# of", "gimme", a browser that "accounts for"
sessions, "in days" after a measure of days, a remark that restates what makes someone a
customer, "lifetime" revenue, "aged 18-24", two age ranges that no one is in at once,
and a share of the rows in one country by age band."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model


def _planner(engine: object) -> OfflinePlanner:
    """The engine's planner: it knows every value of the sample."""
    from lgda_nb import Engine

    assert isinstance(engine, Engine)
    planner = engine.planner
    assert isinstance(planner, OfflinePlanner)
    return planner


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), {"country": ["China", "Brasil"], "category": ["Jeans"]})


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("how many oders did we get in 2024", "orders"),
        ("whats our cancellaton rate overall", "cancellation_rate"),
        ("avg sesion length in minutes", "avg:session_minutes:session_id"),
    ],
)
def test_a_slip_in_a_measures_word_is_fixed_and_noted(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics[0] == metric
    assert any(note.startswith("read '") for note in plan.notes)


@pytest.mark.parametrize(
    ("question", "metric"),
    [("avg oder value", "average_order_value"), ("how many users never placed an oder", "users")],
)
def test_a_slip_in_a_four_letter_word_is_fixed_when_the_rest_is_read(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics[0] == metric
    assert "read 'oder' as 'order'" in plan.notes


@pytest.mark.parametrize(
    "question",
    [
        "products not ordered even once",  # "even" is no slip of "event"
        "revenue by brand, ties broken by name",  # nor "ties" of "times"
    ],
)
def test_a_four_letter_word_of_its_own_is_not_fixed(planner: OfflinePlanner, question: str) -> None:
    try:
        plan = planner.plan(question)
    except PlanningError:
        return
    assert not any(note.startswith("read '") for note in plan.notes)


def test_a_slip_in_a_value_word_that_is_also_a_measure_is_fixed(engine: object) -> None:
    plan = _planner(engine).plan("purchse events by traffic source this yr")
    assert plan.metrics == ("events",)
    assert [f.values for f in plan.filters] == [("purchase",)]


def test_the_number_sign_counts_rows_rather_than_listing_them(engine: object) -> None:
    planner = _planner(engine)
    plan = planner.plan("# of 2025 orders w/ status returned")
    assert plan.metrics == ("orders",)
    assert [f.values for f in plan.filters] == [("Returned",)]
    assert "COUNT(DISTINCT orders.order_id)" in compile_plan(plan, planner.model)


@pytest.mark.parametrize(
    ("question", "metric", "dimensions"),
    [
        ("gimme users by acquisition channel", "users", ("acquisition_channel",)),
        ("How many website sessions did each browser account for in 2025?", "sessions",
         ("browser",)),
        ("which browser accounts for the most sessions", "sessions", ("browser",)),
    ],
)  # fmt: skip
def test_chat_verbs(
    planner: OfflinePlanner, question: str, metric: str, dimensions: tuple[str, ...]
) -> None:
    plan = planner.plan(question)
    assert plan.metrics == (metric,)
    assert plan.dimensions == dimensions


def test_a_share_of_the_top_brands_that_account_for_it_is_still_read(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan("What share of 2024 revenue did the top 20% of brands account for?")
    assert plan.top_percent == 20


@pytest.mark.parametrize(
    ("question", "metric"),
    [
        ("What's the average delivery time in days for our orders?", "days_to_deliver"),
        ("avg shipping time in days for 2025 orders", "days_to_ship"),
        ("average delivery time in days by country", "days_to_deliver"),
    ],
)
def test_in_days_after_a_measure_of_days_restates_its_unit(
    planner: OfflinePlanner, question: str, metric: str
) -> None:
    assert planner.plan(question).metrics[0] == metric


def test_a_unit_the_measure_is_not_counted_in_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("avg shipping time in hours")


@pytest.mark.parametrize(
    "question",
    [
        "How many customers (people who bought at least one item) do we have of each gender?",
        "How many customers do we have per acquisition channel? (customer = bought at least "
        "one item)",
    ],
)
def test_a_remark_restating_what_makes_a_customer(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.metrics == ("customers",)
    assert not plan.conditions
    assert any("what makes a customer" in note for note in plan.notes)


def test_the_remark_beside_users_is_still_a_condition(planner: OfflinePlanner) -> None:
    plan = planner.plan("How many users (people who bought at least one item) by gender")
    assert plan.metrics == ("users",)
    assert plan.conditions


def test_lifetime_revenue_is_over_all_time(planner: OfflinePlanner) -> None:
    plan = planner.plan("how many customers with over $500 in lifetime revenue by country")
    assert plan.time_window is None
    assert [(c.metric, c.op, c.values) for c in plan.conditions] == [("revenue", ">", (500,))]


def test_lifetime_revenue_in_a_year_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("customers with over $500 in lifetime revenue in 2025")


@pytest.mark.parametrize(
    "question",
    [
        "How many users aged 18-24 signed up in each year since 2022?",
        "Among customers aged 18-24, what are the 4 product categories with the most items "
        "sold in 2025?",
    ],
)
def test_aged_with_a_dash_is_a_range(planner: OfflinePlanner, question: str) -> None:
    filters = planner.plan(question).filters
    assert [(f.dimension, f.op, f.values) for f in filters] == [("age", "between", (18, 24))]


def test_two_age_ranges_no_one_is_in_at_once_are_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError, match="no row falls in at once"):
        planner.plan("2025 revenue from customers aged 18-24 versus customers aged 25-34")


@pytest.mark.parametrize(
    "question",
    [
        "In China, what percentage of registered users fall into each age band (under 18, "
        "18-24, 25-34, 35-44, 45-54, 55-64, 65+)?",
        "what percentage of users in China are in each age band (under 18, 18-24, 25-64, 65+)",
    ],
)
def test_a_share_of_one_countrys_rows_by_age_band(planner: OfflinePlanner, question: str) -> None:
    plan = planner.plan(question)
    assert plan.share_of_rows
    assert [f.values for f in plan.filters] == [("China",)]


def test_users_in_each_age_band_are_the_groups_of_a_share(planner: OfflinePlanner) -> None:
    plan = planner.plan("what % of users in each age band (under 18, 18-64, 65+) are women")
    assert not plan.share_of_rows


def test_a_share_by_age_band_within_a_country_runs(engine: object) -> None:
    """The bands' order is not put on a query of two parts (it named a table neither has)."""
    from lgda_nb import Engine

    assert isinstance(engine, Engine)
    result = engine.ask(
        "what percentage of users in China are in each age band (under 18, 18-24, 25-64, 65+)",
        use_cache=False,
    )
    assert list(result.df.iloc[:, 0]) == ["under 18", "18-24", "25-64", "65+"]
    assert result.df["share_pct"].sum() == pytest.approx(100, abs=0.05)


def test_a_columns_last_word_names_it_beside_a_measure_of_its_table(engine: object) -> None:
    plan = _planner(engine).plan("website events by type in dec 2025")
    assert plan.dimensions == ("event_type",)


@pytest.mark.parametrize("question", ["orders by type", "revenue by type"])
def test_a_columns_last_word_beside_another_tables_measure_is_refused(
    engine: object, question: str
) -> None:
    with pytest.raises(PlanningError):
        _planner(engine).plan(question)


def test_dcs_are_distribution_centers(planner: OfflinePlanner) -> None:
    plan = planner.plan("which 3 DCs have the most unsold units")
    assert plan.dimensions == ("distribution_center",)
    assert plan.limit == 3


@pytest.mark.parametrize(
    "question",
    [
        "orders with status complete",
        "orders where status is complete",
        "what % of 2025 rev came from items w/ status complete",
    ],
)
def test_a_plain_value_after_its_columns_name(engine: object, question: str) -> None:
    plan = _planner(engine).plan(question)
    assert [f.values for f in plan.filters] == [("Complete",)]


def test_a_value_after_its_column_is_no_list_of_columns(engine: object) -> None:
    """It listed every order with its status and return date: no order was left out."""
    planner = _planner(engine)
    plan = planner.plan("orders with status returned")
    assert plan.metrics == ("orders",)
    assert [f.values for f in plan.filters] == [("Returned",)]
    listed = planner.plan("the 5 most expensive products with brand and retail price")
    assert listed.limit == 5


def test_top_customer_in_shorthand_is_the_top_one(planner: OfflinePlanner) -> None:
    plan = planner.plan("top cust by rev in each country")
    assert plan.limit == 1
    assert plan.per == "country"


@pytest.mark.parametrize(
    "question",
    [
        "avg delivery time (orders.created_at -> delivered_at)",
        "avg delivery time in days (orders.created_at -> delivered_at)",
    ],
)
def test_a_remark_of_column_names_restates_the_moments(
    planner: OfflinePlanner, question: str
) -> None:
    """ "delivered_at" in the remark made a filter on the Complete status."""
    plan = planner.plan(question)
    assert plan.metrics == ("days_to_deliver",)
    assert not plan.filters


def test_the_most_valuable_customers_by_a_measure_are_the_top_ones(
    planner: OfflinePlanner,
) -> None:
    plan = planner.plan(
        "Who are our 10 most valuable customers by lifetime revenue? Show user id, country "
        "and revenue."
    )
    assert plan.limit == 10
    assert plan.metrics[0] == "revenue"


def test_most_valuable_without_a_measure_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("most valuable customers")


@pytest.mark.parametrize(
    "question",
    [
        "Which 5 countries had the most distinct customers buying in 2025?",
        "Number of distinct buying customers each month from January to June 2025, in time order.",
    ],
)
def test_buying_customers_are_the_customers(planner: OfflinePlanner, question: str) -> None:
    assert planner.plan(question).metrics == ("customers",)


def test_items_customers_bought_are_the_items_sold(planner: OfflinePlanner) -> None:
    assert planner.plan("How many items did customers buy in 2025?").metrics == ("items_sold",)


def test_a_remark_naming_the_halves_months_restates_them(planner: OfflinePlanner) -> None:
    plan = planner.plan(
        "Signups in H1 2025 vs H1 2024 (January to June) by acquisition channel, with the % change."
    )
    assert plan.compare_with is not None
    assert plan.compare_with.years == (2024, 2024)
    with pytest.raises(PlanningError):
        planner.plan("Signups in H1 2025 vs H1 2024 (July to December) by acquisition channel")


def test_a_remark_restating_the_period_as_the_rows_dates(planner: OfflinePlanner) -> None:
    """It read "order items" in the remark as the measure and left the rate out."""
    plan = planner.plan(
        "which DCs had a 2025 item return rate above the overall 2025 item return rate? "
        "(2025 = order items created in 2025)"
    )
    assert plan.metrics[0] == "item_return_rate"
    assert planner.plan("revenue by category in 2025 (2025 = orders placed in 2025)").metrics == (
        "revenue",
    )


@pytest.mark.parametrize(
    "question",
    [
        "What's our order return rate (share of orders with status Returned)?",
        "What's our order return rate (share of orders that were returned)?",
    ],
)
def test_a_rate_said_as_the_share_of_its_whole_with_its_mark(
    planner: OfflinePlanner, question: str
) -> None:
    plan = planner.plan(question)
    assert plan.metrics[0] == "order_return_rate"
    assert any("formula of the measure" in note for note in plan.notes)


def test_a_share_naming_another_mark_is_refused(planner: OfflinePlanner) -> None:
    with pytest.raises(PlanningError):
        planner.plan("order return rate (share of orders that were cancelled)")


@pytest.mark.parametrize(
    ("question", "dimension"),
    [
        ("Order return rate by customer age decade (decade = floor(age/10)*10).", "age_decade"),
        ("Average sale price of items sold in 2025, by customer age decade (floor(age/10)*10).",
         "age_decade"),
    ],
)  # fmt: skip
def test_a_remark_spelling_out_the_models_sql(
    planner: OfflinePlanner, question: str, dimension: str
) -> None:
    plan = planner.plan(question)
    assert plan.dimensions == (dimension,)
    assert any("how the model computes it" in note for note in plan.notes)


@pytest.mark.parametrize(
    "question",
    [
        "revenue by age decade (floor(age/5)*5)",  # other SQL than the model's
        "revenue by age decade (floor(age/10))",
    ],
)
def test_a_remark_with_other_sql_is_refused(planner: OfflinePlanner, question: str) -> None:
    with pytest.raises(PlanningError):
        planner.plan(question)


def test_units_still_unsold_are_the_unsold_units(planner: OfflinePlanner) -> None:
    assert planner.plan("stock check - how many units still unsold").metrics == (
        planner.plan("how many unsold units").metrics
    )


def test_the_report_an_answer_is_for_is_no_series(planner: OfflinePlanner) -> None:
    """ "For the quarterly review" made a series by quarter of the stock value."""
    plan = planner.plan(
        "I need stock value per DC for the quarterly review - cost of the units still unsold"
    )
    assert plan.grain is None
    assert plan.dimensions == ("distribution_center",)
    assert planner.plan("quarterly revenue for the monthly review").grain == "quarter"
