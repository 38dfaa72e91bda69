"""Questions said aloud (dictated: numbers in words, no punctuation, spoken fillers) and
questions asked before the request that answers them. Each test fails on the code before
this stop unless it says it keeps a reading or a refusal."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._text import normalize


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    values = {
        "status": ["Complete", "Cancelled", "Returned"],
        "category": ["Jeans", "Socks"],
        "department": ["Men", "Women"],
        "country": ["Germany", "Brasil", "France"],
        "acquisition_channel": ["Search", "Organic"],
        "browser": ["Chrome", "Safari"],
    }
    return OfflinePlanner(load_model(), values)


def _sql(planner: OfflinePlanner, question: str) -> str:
    return compile_plan(planner.plan(question), planner.model)


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("revenue in twenty twenty five", "revenue in 2025"),
        ("from twenty twenty one through twenty twenty five", "from 2021 through 2025"),
        ("twenty nineteen and twenty twenty", "2019 and 2020"),
        ("users sixty five plus", "users aged 65+"),
        ("at least two hundred orders", "at least 200 orders"),
        ("two hundred and fifty dollar buckets", "250 dollar buckets"),
        ("over five hundred dollars", "over 500 dollars"),
        ("one hundred and twenty orders", "120 orders"),
        ("on december first twenty twenty five", "on december 1 2025"),
        ("november twenty fourth to november thirtieth", "november 24 to november 30"),
        ("twenty fifth fiftieth and ninetieth", "25th, 50th and 90th"),
        ("q four twenty twenty five versus h one", "q4 2025 vs h1"),
    ],
)  # fmt: skip
def test_numbers_said_aloud_are_digits(said: str, digits: str) -> None:
    """A year said in two parts, compound numbers, tens ordinals and a day after a month,
    a quarter or a half by its number."""
    assert normalize(said) == digits


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("first orders vs repeat orders", "first orders vs repeat orders"),
        ("biggest markets first", "biggest markets first"),
        ("the top twenty customers", "the top 20 customers"),
        ("one item two", "1 item 2"),
        ("so far this year", "so far this year"),
    ],
)
def test_words_that_stay_as_they_were(said: str, kept: str) -> None:
    """Keeps: "first" alone is no number, "markets" is no month, one number word alone
    reads as before, and "so far" is no filler."""
    assert normalize(said) == kept


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("okay so what was our total revenue in twenty twenty five", "revenue in 2025"),
        ("um how many users do we have in each country", "users by country"),
        ("which acquisition channels do our users come from and how many users came from "
         "each one", "users by acquisition channel"),
        ("how many customers bought in 2024 but didnt buy anything in 2025",
         "how many customers bought in 2024 but didn't buy anything in 2025"),
        ("which countries had more than fifteen percent of there twenty twenty five orders "
         "cancelled", "countries with a cancellation rate more than 15% in 2025"),
    ],
)  # fmt: skip
def test_a_dictated_question_reads_as_typed(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """Spoken fillers before a question, "each one" after a breakdown, a contraction
    said without its apostrophe, "there" for "their"."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_request_after_a_dictated_question(planner: OfflinePlanner) -> None:
    """No punctuation: "... above 12 percent show the item count, returned items and the
    rate" is the question, then the figures it shows."""
    said = (
        "which brands have at least one hundred order items and an item return rate above "
        "twelve percent show the item count, returned items and the rate"
    )
    typed = (
        "which brands have at least 100 order items and an item return rate above 12%? "
        "show the item count, returned items and the rate"
    )
    assert sorted(planner.plan(said).metrics) == sorted(planner.plan(typed).metrics)
    assert planner.plan(said).conditions == planner.plan(typed).conditions


def test_figures_of_a_dictated_request_are_never_what_is_counted(
    planner: OfflinePlanner,
) -> None:
    """ "... show the item count returned items and the rate" with no commas: refused,
    never "returned items" read as the rows the answer counts."""
    with pytest.raises(PlanningError):
        planner.plan(
            "which brands have at least 100 order items and an item return rate above 12 "
            "percent show the item count returned items and the rate"
        )


def test_a_trend_over_several_years_is_yearly(planner: OfflinePlanner) -> None:
    """ "How has gross margin trended from 2021 through 2025": one row a year; over one or
    two years a trend stays monthly."""
    yearly = _sql(planner, "how has gross margin % trended from 2021 through 2025")
    assert " AS year" in yearly
    assert " AS month" not in yearly
    assert " AS month" in _sql(planner, "revenue trend 2024 to 2025")


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("Do men or women spend more per order? Could you give me 2025 AOV split by customer "
         "gender?", "2025 AOV by gender"),
        ("Is Chrome or Safari used more? Give me sessions by browser", "sessions by browser"),
        ("are we actually growing? show yearly revenue and the YoY growth %",
         "yearly revenue and the YoY growth %"),
    ],
)  # fmt: skip
def test_a_question_before_the_request_that_answers_it(
    planner: OfflinePlanner, question: str, plain: str
) -> None:
    """A question, then a request whose plan holds every measure, breakdown and value
    the question names: the request."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_a_question_that_says_more_than_its_request_is_not_dropped(
    planner: OfflinePlanner,
) -> None:
    """Keeps: a place, a period or a restriction the request does not say again is never
    left out: refused, or read with the request."""
    with pytest.raises(PlanningError):
        planner.plan(
            "Do women in Germany spend more per order? Could you give me 2025 AOV by gender?"
        )
    assert "- 1" in _sql(planner, "Did revenue grow last year? Show me revenue by month")
    assert "products.category = 'Jeans'" in _sql(
        planner, "Do only Jeans sell? Give me revenue by department"
    )


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("revenue for first versus repeat orders in twenty twenty five",
         "revenue for first vs repeat orders in 2025"),
        ("whats the youngest oldest and average age of our users",
         "youngest, oldest and average age of users"),
        ("basket size distribution for twenty twenty five orders like how many orders had one "
         "item two items and so on", "basket size distribution for 2025 orders"),
        ("so of the twenty twenty four signups how many never placed an order",
         "of the 2024 signups, how many never placed an order"),
    ],
)  # fmt: skip
def test_the_commas_one_hears(planner: OfflinePlanner, question: str, plain: str) -> None:
    """ "versus", a list of statistics or of values said without commas, and the whole said
    first ("of the 2024 signups how many ...") with its comma."""
    assert _sql(planner, question) == _sql(planner, plain)


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("hey walk me through the home to product to cart to purchase funnel for twenty twenty "
         "five", "show me the home to product to cart to purchase funnel for 2025"),
        ("top three customers by revenue in each country for twenty twenty five just the user "
         "id and revenue", "top 3 customers by revenue in each country for 2025: user id and "
         "revenue"),
    ],
)  # fmt: skip
def test_a_request_said_as_one_talks(planner: OfflinePlanner, question: str, plain: str) -> None:
    """ "how long is X on average", "walk me through", "just the user id and revenue"."""
    assert _sql(planner, question) == _sql(planner, plain)


def test_how_long_on_average_is_the_average(planner: OfflinePlanner) -> None:
    """ "how long is transit time on average in days": the average transit time."""
    plan = planner.plan("how long is transit time on average in days for twenty twenty five orders")
    assert plan.metrics[0] == planner.plan("average transit time in days").metrics[0]
    assert plan.time_window is not None
    assert plan.time_window.year == 2025


def test_a_named_day_with_its_dates_said_aloud(planner: OfflinePlanner) -> None:
    """ "black friday week twenty twenty five november twenty fourth to november thirtieth":
    the dates, as when they are in brackets; a named day with no dates stays refused."""
    said = "revenue for each day of black friday week twenty twenty five november twenty fourth"
    assert _sql(planner, f"{said} to november thirtieth") == _sql(
        planner, "revenue per day from november 24 2025 to november 30 2025"
    )
    with pytest.raises(PlanningError):
        planner.plan("revenue on black friday 2025")
