"""Places as people say them: website visitors' places, names typed without accents,
and the pages of the site.

Each is read as the question it stands for, or refused; never answered from the
wrong table's places."""

from __future__ import annotations

import pytest

from lgda_nb.engine import Engine
from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, load_model


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("How many website sessions came from visitors in California?", "events.state"),
        ("sessions by browser for web visitors in the city of London", "events.city"),
        ("purchase events from website visitors in Texas", "events.state"),
        ("cart abandonment rate for website visitors in Texas", "events.state"),
        ("top 5 visitor cities by website sessions", "events.city"),
        ("share of sessions with a purchase by visitor state", "events.state"),
    ],
)
def test_website_visitors_places_are_the_events_own(
    engine: Engine, question: str, where: str
) -> None:
    """ "Visitors" are the people the website's events record: their city and state are
    the events' own columns, so the words only say whose the places are."""
    plan = engine.interpreted(engine.planner.plan(question))
    sql, _ = engine.compiled(plan)
    assert where in sql
    assert "users" not in sql
    assert plan.question == question


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("revenue by visitor city", "order items"),
        ("orders from website visitors in Texas", "orders"),
        ("sessions by visitor country", "users"),  # events have no country of their own
    ],
)
def test_visitors_with_a_measure_of_other_rows_are_refused(
    engine: Engine, question: str, other: str
) -> None:
    """Revenue and orders are not counted on the website's events: their places would
    be the buyers', not the visitors', so the question is refused, naming both."""
    with pytest.raises(PlanningError) as caught:
        engine.planner.plan(question)
    assert "events rows" in caught.value.message
    assert other in caught.value.message
    assert caught.value.hint


def test_a_count_of_visitors_is_refused(engine: Engine) -> None:
    """The data has no visitor to count (anonymous sessions have no user): refused."""
    with pytest.raises(PlanningError, match="visitors"):
        engine.planner.plan("how many visitors came from Facebook")


def test_visitor_words_come_from_the_model() -> None:
    """Without ``reader.people_of`` the word is not read."""
    model = load_model()
    reader = {k: v for k, v in model.reader.items() if k != "people_of"}
    from dataclasses import replace

    planner = OfflinePlanner(replace(model, reader=reader), {"state": ["Texas"]})
    with pytest.raises(PlanningError, match="visitors"):
        planner.plan("sessions from visitors in Texas")


@pytest.mark.parametrize(
    ("question", "dimension", "value"),
    [
        ("users in the state of Sao Paulo", "state", "São Paulo"),
        ("how many users in sao paulo city", "city", "São Paulo"),
        ("revenue from customers in Dusseldorf", "city", "Düsseldorf"),
    ],
)
def test_a_value_typed_without_its_accents_is_the_value(
    question: str, dimension: str, value: str
) -> None:
    values = {"state": ["São Paulo", "Texas"], "city": ["São Paulo", "Düsseldorf", "Dusseldorp"]}
    plan = OfflinePlanner(load_model(), values).plan(question)
    assert [(f.dimension, list(f.values)) for f in plan.filters] == [(dimension, [value])]


def test_a_name_without_accents_that_is_another_value_stays_that_value() -> None:
    """ "Leon" is its own city when the data has one; "León" is not read for it."""
    values = {"city": ["Leon", "León"]}
    plan = OfflinePlanner(load_model(), values).plan("users in Leon")
    assert [list(f.values) for f in plan.filters] == [["Leon"]]


def test_a_name_two_columns_share_asks_which_without_accents_too() -> None:
    values = {"state": ["São Paulo"], "city": ["São Paulo"]}
    with pytest.raises(PlanningError, match="two ways"):
        OfflinePlanner(load_model(), values).plan("users in Sao Paulo")


@pytest.mark.parametrize(
    ("question", "step"),
    [
        ("How many home page events did the site log in 2025?", "home"),
        ("home page views by traffic source in the last 14 days", "home"),
        ("product page views by browser in 2025", "product"),
        ("number of homepage hits in 2025", "home"),
    ],
)
def test_a_page_of_the_site_is_its_event_type(engine: Engine, question: str, step: str) -> None:
    """A page's views or events are the events of that type."""
    plan = engine.interpreted(engine.planner.plan(question))
    assert list(plan.metrics) == ["events"]
    assert [(f.dimension, list(f.values)) for f in plan.filters] == [("event_type", [step])]
