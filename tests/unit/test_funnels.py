"""Funnels by step and breakdown, and conditions on sessions, read from the model's
``[funnel]`` section: the plan, its rows on the sample, refusals and the sentence."""

from __future__ import annotations

from typing import Any

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._plan import Filter
from lgda_nb.planner._query import plan_from_query, query_of

VALUES = {
    "browser": ["Chrome", "Firefox", "Safari", "IE", "Other"],
    "acquisition_channel": ["Search", "Organic", "Email", "Facebook", "Adwords", "YouTube"],
    "event_type": ["home", "department", "product", "cart", "purchase", "cancel"],
}
STEP = "event_type"


def has(step: str) -> Filter:
    return Filter(STEP, (step,))


def lacks(step: str) -> Filter:
    return Filter(STEP, (step,), negate=True)


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("show the funnel", {"funnel": True, "steps": ()}),
        ("conversion funnel starting at product view",
         {"funnel": True, "steps": ("product", "cart", "purchase")}),
        ("funnel from the home page to the cart by browser",
         {"funnel": True, "steps": ("home", "department", "product", "cart"),
          "dimensions": ("browser",)}),
        ("Show the funnel: sessions reaching home, department, product, cart and purchase",
         {"funnel": True, "steps": ()}),
        ("funnel by traffic source", {"funnel": True, "dimensions": ("acquisition_channel",)}),
        ("the home-to-purchase funnel", {"funnel": True, "steps": ()}),
        ("show the purchase funnel by browser", {"funnel": True, "dimensions": ("browser",)}),
        ("funnel: product view to cart to purchase",
         {"funnel": True, "steps": ("product", "cart", "purchase")}),
        ("what % of sessions that viewed a product went on to purchase",
         {"session_filters": (has("product"),), "session_rate": (has("purchase"),)}),
        ("monthly session conversion rate in 2025 (share of sessions with a purchase)",
         {"session_filters": (), "session_rate": (has("purchase"),), "grain": "month"}),
        ("cart abandonment rate by traffic source (% of sessions with a cart event but no "
         "purchase)",
         {"session_filters": (has("cart"),), "session_rate": (lacks("purchase"),),
          "dimensions": ("acquisition_channel",)}),
        ("how many distinct sessions had at least one add-to-cart event",
         {"session_filters": (has("cart"),), "session_rate": ()}),
        ("sessions without a purchase by browser",
         {"session_filters": (lacks("purchase"),), "dimensions": ("browser",)}),
        ("what proportion of Chrome sessions included an add to cart",
         {"session_rate": (has("cart"),), "filters": (Filter("browser", ("Chrome",)),)}),
        ("share of sessions from Email with a purchase by month in 2025",
         {"session_rate": (has("purchase"),), "grain": "month",
          "filters": (Filter("acquisition_channel", ("Email",)),)}),
        ("of all sessions that included a cart event, what percentage ended in a purchase",
         {"session_filters": (has("cart"),), "session_rate": (has("purchase"),)}),
        ("how many sessions viewed a department page but no product",
         {"session_filters": (has("department"), lacks("product")), "session_rate": ()}),
        ("what percentage of sessions make it from cart to purchase",
         {"session_filters": (has("cart"),), "session_rate": (has("purchase"),)}),
        ("percentage of sessions with a cancel event",
         {"session_filters": (), "session_rate": (has("cancel"),)}),
        ("drop-off rate from cart to purchase",
         {"session_filters": (has("cart"),), "session_rate": (lacks("purchase"),)}),
        ("what percentage of sessions drop off after viewing a product by browser",
         {"session_filters": (has("product"),), "session_rate": (lacks("cart"),),
          "dimensions": ("browser",)}),
        ("of sessions with a product view, what share purchased",
         {"session_filters": (has("product"),), "session_rate": (has("purchase"),)}),
        ("sessions that hit the home page: how many then viewed a product, added to cart, "
         "purchased",
         {"session_filters": (has("home"),), "steps": ("product", "cart", "purchase"),
          "funnel": False}),
        ("how many sessions had a product view, how many reached the cart, and how many "
         "purchased",
         {"steps": ("product", "cart", "purchase"), "funnel": False}),
        ("how many sessions reached each step (home, department, product, cart, purchase)",
         {"funnel": False, "dimensions": (STEP,), "filters": (),
          "steps": ("home", "department", "product", "cart", "purchase")}),
        ("the whole funnel home -> department -> product: sessions per step, % of prior step",
         {"funnel": True, "steps": ("home", "department", "product")}),
        ("department, product, cart funnel by browser",
         {"funnel": True, "steps": ("department", "product", "cart"),
          "dimensions": ("browser",)}),
        ("home → department funnel in 2024", {"funnel": True, "steps": ("home", "department")}),
        ("department to product to cart with stage-to-stage conversion rates",
         {"funnel": True, "steps": ("department", "product", "cart")}),
        ("web sessions arriving via Email: funnel from the cart",
         {"funnel": True, "steps": ("cart", "purchase"),
          "filters": (Filter("acquisition_channel", ("Email",)),)}),
        ("product to cart conversion rate per month",
         {"session_filters": (has("product"),), "session_rate": (has("cart"),),
          "grain": "month", "funnel": False}),
        ("session conversion from the department page to cart via product view, by browser",
         {"session_filters": (has("department"),),
          "session_rate": (has("product"), has("cart")), "dimensions": ("browser",)}),
        ("sessions that reached the cart, how many of them bought, and the conversion rate, "
         "by browser",
         {"session_filters": (has("cart"),), "session_rate": (has("purchase"),),
          "dimensions": ("browser",)}),
        ("for sessions with a department page, cart conversion rate per month",
         {"session_filters": (has("department"),), "session_rate": (has("cart"),),
          "grain": "month"}),
        ("home->department->product conversion %",
         {"session_filters": (has("home"),), "session_rate": (has("department"), has("product"))}),
    ],
)  # fmt: skip
def test_the_reader_plans_funnels_and_conditions_on_sessions(
    planner: OfflinePlanner, question: str, expected: dict[str, Any]
) -> None:
    """Steps, the first step, the breakdown and the conditions come from the question."""
    plan = planner.plan(question)
    assert plan.metrics == ("sessions",)
    for name, value in expected.items():
        assert getattr(plan, name) == value, name


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("funnel from purchase", "at least two steps"),
        ("sessions using Chrome or Safari that purchased", "right after the word sessions"),
        ("visits which came from Email and purchased", "right after the word sessions"),
        ("conversion rate of sessions that viewed a product", "cannot be read beside it"),
        ("revenue from sessions with a purchase", "cannot be read beside it"),
        ("conversion rate (sessions with a purchase / all sessions)", "cannot be read beside"),
        ("funnel by event type", "already by step"),
        ("funnel by product category", "at least two steps"),
        ("sessions that viewed a product or added to cart", "did not understand"),
        ("the funnel for sessions without a purchase", "must not have"),
        ("funnel through purchase, cart and home", "out of the funnel's order"),
        ("purchase abandonment rate", "last step"),
        ("funnel from cancel", "not a step of the funnel"),
        ("what % of sessions with a purchase came from Email", "which sessions the % is of"),
    ],
)
def test_near_misses_are_refused(planner: OfflinePlanner, question: str, refusal: str) -> None:
    """What the reader cannot compute exactly is refused with a hint, never guessed."""
    with pytest.raises(PlanningError, match=refusal) as refused:
        compile_plan(planner.plan(question), planner.model)
    assert refused.value.hint


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "funnel by browser from product view in 2025",
            "Sessions reaching each step of the funnel (product, cart, purchase) by browser, "
            "a session reaches a step only if it also has an event of every earlier step; "
            "conversion is each step's sessions as a % of the first step (product) and of the "
            "step before, in 2025",
        ),
        (
            "what % of sessions that viewed a product went on to purchase",
            "Sessions with an event whose event type is product, with how many of them have "
            "an event whose event type is purchase, and their %, all time",
        ),
        (
            "how many sessions reached each step by browser in 2025",
            "Sessions at each step (home, department, product, cart, purchase) by browser, "
            "each step counted on its own, and beside it the sessions that also have an event of "
            "every earlier step (the closed funnel) with its conversion, in 2025",
        ),
        (
            "which browser has the highest share of sessions with a purchase",
            "Top browser by the % of sessions that have an event whose event type is purchase, "
            "with both counts beside it, all time",
        ),
        (
            "cart abandonment rate by month",
            "Sessions with an event whose event type is cart per month, with how many of them "
            "have no event whose event type is purchase, and their %, each session in the "
            "month of its first event",
        ),
    ],
)
def test_the_interpretation_names_steps_start_breakdown_and_rate(
    planner: OfflinePlanner, question: str, sentence: str
) -> None:
    """The sentence says which steps, from which step, by what, and how the % is taken."""
    assert interpret(planner.plan(question), planner.model) == sentence


@pytest.mark.parametrize(
    "question",
    [
        "funnel by browser from product view in 2025",
        "cart abandonment rate by traffic source",
        "what % of sessions that viewed a product went on to purchase",
        "how many sessions had a product view, how many reached the cart, and how many purchased",
        "sessions that hit the home page: how many then viewed a product, added to cart, purchased",
    ],
)
def test_a_typed_query_says_the_same(planner: OfflinePlanner, question: str) -> None:
    """A model's typed query for the plan compiles to the same SQL as the reader's."""
    plan = planner.plan(question)
    again = plan_from_query(question, query_of(plan), planner.model, VALUES)
    assert compile_plan(again, planner.model) == compile_plan(plan, planner.model)


def test_a_typed_query_names_only_the_funnels_steps(planner: OfflinePlanner) -> None:
    """A step the funnel does not have is refused when the query is read."""
    query = {"metrics": ["sessions"], "funnel": True, "steps": ["home", "checkout"]}
    with pytest.raises(PlanningError, match="not a step"):
        plan_from_query("funnel", query, planner.model, VALUES)


SESSIONS = (
    "WITH s AS (SELECT session_id, browser, traffic_source, MIN(created_at) AS first_at, "
    "COUNTIF(event_type = 'home') > 0 AS h, COUNTIF(event_type = 'department') > 0 AS d, "
    "COUNTIF(event_type = 'product') > 0 AS p, COUNTIF(event_type = 'cart') > 0 AS c, "
    "COUNTIF(event_type = 'purchase') > 0 AS b FROM events {where} "
    "GROUP BY session_id, browser, traffic_source) "
)


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        (
            "conversion funnel starting at product view",
            SESSIONS.format(where="") + "SELECT 1 AS n, 'product' AS step, COUNTIF(p) AS x "
            "FROM s UNION ALL SELECT 2, 'cart', COUNTIF(p AND c) FROM s UNION ALL "
            "SELECT 3, 'purchase', COUNTIF(p AND c AND b) FROM s ORDER BY n",
        ),
        (
            "funnel by browser from the home page to department",
            SESSIONS.format(where="") + "SELECT browser, 'home' AS step, COUNTIF(h) AS x FROM s "
            "GROUP BY browser UNION ALL SELECT browser, 'department', COUNTIF(h AND d) FROM s "
            "GROUP BY browser ORDER BY 1, 2 DESC",
        ),
        (
            "what % of sessions that viewed a product went on to purchase",
            SESSIONS.format(where="") + "SELECT ROUND(100 * COUNTIF(b) / COUNT(*), 2) AS pct "
            "FROM s WHERE p",
        ),
        (
            "cart abandonment rate by traffic source in 2025",
            SESSIONS.format(where="WHERE EXTRACT(YEAR FROM created_at) = 2025")
            + "SELECT traffic_source, ROUND(100 * COUNTIF(NOT b) / COUNT(*), 2) AS pct FROM s "
            "WHERE c GROUP BY 1",
        ),
        (
            "how many sessions reached each step by browser",
            SESSIONS.format(where="") + "SELECT browser, 'home' AS step, COUNTIF(h) AS x FROM s "
            "GROUP BY 1 UNION ALL SELECT browser, 'department', COUNTIF(d) FROM s GROUP BY 1 "
            "UNION ALL SELECT browser, 'product', COUNTIF(p) FROM s GROUP BY 1 UNION ALL "
            "SELECT browser, 'cart', COUNTIF(c) FROM s GROUP BY 1 UNION ALL "
            "SELECT browser, 'purchase', COUNTIF(b) FROM s GROUP BY 1",
        ),
        (
            "sessions by hour of day in 2025",
            SESSIONS.format(where="WHERE EXTRACT(YEAR FROM created_at) = 2025")
            + "SELECT EXTRACT(HOUR FROM first_at) AS hour, COUNT(*) AS n FROM s GROUP BY 1",
        ),
        (
            "sessions per month by browser in 2025",
            SESSIONS.format(where="WHERE EXTRACT(YEAR FROM created_at) = 2025")
            + "SELECT DATE(TIMESTAMP_TRUNC(first_at, MONTH)) AS month, browser, COUNT(*) AS n "
            "FROM s GROUP BY 1, 2",
        ),
        (
            "share of sessions with a purchase by month in 2025",
            SESSIONS.format(where="WHERE EXTRACT(YEAR FROM created_at) = 2025")
            + "SELECT DATE(TIMESTAMP_TRUNC(first_at, MONTH)) AS month, "
            "ROUND(100 * COUNTIF(b) / COUNT(*), 2) AS pct FROM s GROUP BY 1 ORDER BY 1",
        ),
    ],
)
def test_the_answers_rows_match_sql_written_by_hand(
    planner: OfflinePlanner, engine: Any, question: str, gold: str
) -> None:
    """On the sample, each answer holds the rows an analyst's own SQL gives."""
    from lgda_nb.eval import compare_answer

    plan = planner.plan(question)
    answer = engine.run_sql(compile_plan(plan, planner.model)).df
    expected = engine.run_sql(gold).df
    assert len(expected) > 0
    assert compare_answer(answer, expected, order_matters=plan.funnel) is None


def test_conversion_over_steps_that_skip_one_is_the_models_measure(
    planner: OfflinePlanner,
) -> None:
    """ "Home to purchase conversion" skips steps: the model's own measure of that name
    answers it, not a funnel the question did not spell out."""
    plan = planner.plan("home to purchase conversion rate")
    assert plan.metrics[0] == "conversion_rate"
    assert not plan.session_filters
    assert not plan.session_rate


@pytest.mark.parametrize(
    "question",
    [
        "conversion rate of the home to cart to purchase funnel by browser",
        "home -> cart -> purchase conversion rate by browser",
        "conversion % for the home to cart to purchase funnel, by browser",
    ],
)
def test_three_steps_named_in_order_are_the_funnel_the_question_defines(
    planner: OfflinePlanner, question: str
) -> None:
    """Three or more steps in the model's order define the funnel even when they skip one
    (department here), and "conversion rate of the ... funnel" is its one rate per value
    of the breakdown, not the table of steps."""
    plan = planner.plan(question)
    assert not plan.funnel
    assert plan.session_filters == (has("home"),)
    assert plan.session_rate == (has("cart"), has("purchase"))
    assert plan.dimensions == ("browser",)


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("monthly sessions in 2025 and how many of those sessions had a purchase", ()),
        ("sessions by browser, and how many of them had a cart event", ("browser",)),
        ("sessions by browser and what % of them reached the cart", ("browser",)),
    ],
)
def test_how_many_of_those_sessions_is_an_outcome_of_every_session(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """ "Sessions ..., and how many of those sessions had a purchase" counts every session
    with the ones that had it beside; it never narrows the sessions to those."""
    plan = planner.plan(question)
    assert plan.session_filters == ()
    assert len(plan.session_rate) == 1
    assert plan.session_rate[0].values in {("purchase",), ("cart",)}
    assert plan.dimensions == dimensions


def test_steps_named_out_of_order_are_not_a_conversion(planner: OfflinePlanner) -> None:
    """A chain against the model's order is not read as a conversion."""
    with pytest.raises(PlanningError):
        planner.plan("conversion rate of the purchase to cart to home funnel")


def test_a_conversion_shows_the_first_steps_sessions_and_the_converted_ones(
    planner: OfflinePlanner, engine: Any
) -> None:
    """ "Product to cart conversion by browser" is the closed rate: of the sessions with a
    product view, those that also have a cart event, both counts beside the %."""
    plan = planner.plan("product to cart conversion by browser")
    df = engine.run_sql(compile_plan(plan, planner.model)).df
    gold = engine.run_sql(
        SESSIONS.format(where="") + "SELECT browser, COUNTIF(p) AS a, COUNTIF(p AND c) AS b, "
        "ROUND(100 * COUNTIF(p AND c) / COUNTIF(p), 2) AS pct FROM s GROUP BY 1"
    ).df
    from lgda_nb.eval import compare_answer

    assert compare_answer(df, gold, order_matters=False) is None
    assert (df["matching_pct"] <= 100).all()


def test_each_step_on_its_own_shows_the_closed_funnel_beside_it(
    planner: OfflinePlanner, engine: Any
) -> None:
    """ "How many sessions reach each step" counts each step alone and, beside it, the
    sessions that reached it through every earlier step, which never grow."""
    plan = planner.plan("how many sessions reached each step from department to purchase")
    df = engine.run_sql(compile_plan(plan, planner.model)).df
    through = list(df.sort_values("step_number")["sessions_through_earlier_steps"])
    assert through == sorted(through, reverse=True)
    assert (df["sessions_through_earlier_steps"] <= df["sessions"]).all()
    assert list(df["step"]) == ["department", "product", "cart", "purchase"]
    assert (df["pct_of_previous_step"].dropna() <= 100).all()


def test_conversion_is_never_above_100_percent(planner: OfflinePlanner, engine: Any) -> None:
    """A closed funnel never has more sessions at a step than at the one before."""
    plan = planner.plan("funnel by traffic source from the home page")
    df = engine.run_sql(compile_plan(plan, planner.model)).df
    for _, steps in df.groupby("acquisition_channel"):
        counts = list(steps.sort_values("step_number")["sessions"])
        assert counts == sorted(counts, reverse=True)
        assert (steps["pct_of_first_step"] <= 100).all()
        assert (steps["pct_of_previous_step"].dropna() <= 100).all()


def test_any_models_funnel_section_names_its_steps() -> None:
    """Steps and their words come from the model file: another shop's visits read alike."""
    from lgda_nb.planner._model import parse_model

    model = parse_model(
        {
            "name": "shop",
            "metrics": [
                {
                    "name": "visits",
                    "synonyms": ["visits"],
                    "expression": "COUNT(DISTINCT hits.visit_id)",
                    "table": "hits",
                    "time": "hits.at",
                    "unit": "count",
                },
            ],
            "dimensions": [
                {"name": "kind", "column": "hits.kind", "values": True},
                {"name": "device", "column": "hits.device", "values": True},
            ],
            "funnel": {
                "table": "hits",
                "session": "visit_id",
                "step": "kind",
                "steps": ["landing", "basket", "paid"],
                "measure": "visits",
                "words": {"basket": ["added to basket"], "paid": ["paid", "checked out"]},
            },
        },
        source="shop.toml",
    )
    planner = OfflinePlanner(model, {"kind": ["landing", "basket", "paid"], "device": ["phone"]})
    plan = planner.plan("what % of visits that added to basket then checked out by device")
    assert plan.metrics == ("visits",)
    assert plan.dimensions == ("device",)
    assert plan.session_filters == (Filter("kind", ("basket",)),)
    assert plan.session_rate == (Filter("kind", ("paid",)),)
    assert planner.plan("funnel from basket by device").steps == ("basket", "paid")
    counted = planner.plan("how many visits reached landing, how many paid")
    assert (counted.steps, counted.funnel) == (("landing", "paid"), False)
    assert "paid_visits" in compile_plan(counted, model)


def test_sessions_by_period_count_each_session_once(planner: OfflinePlanner, engine: Any) -> None:
    """By hour, a session counts in the hour of its first event: the hours add up to the
    sessions, where counting each hour's distinct sessions would count some twice."""
    plan = planner.plan("sessions by hour of day in 2025")
    by_hour = engine.run_sql(compile_plan(plan, planner.model)).df
    total = engine.run_sql(compile_plan(planner.plan("sessions in 2025"), planner.model)).df
    assert by_hour["sessions"].sum() == total["sessions"].iloc[0]
    assert "each session in the hour of its first event" in interpret(plan, planner.model)


def test_session_counts_by_period_are_not_combined_with_growth_yet(
    planner: OfflinePlanner,
) -> None:
    with pytest.raises(PlanningError, match="first event's period cannot be combined"):
        compile_plan(planner.plan("monthly sessions in 2025 with growth"), planner.model)


@pytest.mark.parametrize(
    "text", ["home -> cart -> purchase", "home→cart → purchase", "home => cart ⟶ purchase"]
)
def test_arrows_between_words_read_as_to(text: str) -> None:
    """An arrow between two words is "to", never a comparison ("more than")."""
    from lgda_nb.planner._text import normalize

    assert normalize(text) == "home to cart to purchase"


def test_a_conversion_named_by_the_picking_step_is_of_all_sessions(
    planner: OfflinePlanner,
) -> None:
    """'sessions, sessions with a purchase and the purchase conversion %' is the share of
    all sessions with a purchase, not the purchase sessions' own 100%."""
    plan = planner.plan(
        "sessions, sessions with a purchase and the purchase conversion % by traffic source"
    )
    assert plan.session_filters == ()
    assert plan.session_rate == (has("purchase"),)
