"""Teaching words: ``[[synonyms]]``/``[[segments]]`` in a model file and ``Engine.teach``.

A taught phrase reads as its meaning, in words the reader already knows; a meaning that
does not read is refused and nothing is learned.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.errors import ConfigError, PlanningError, UsageError
from lgda_nb.planner import BUILTIN_MODEL, OfflinePlanner, load_model
from lgda_nb.planner._model import parse_model

AS_OF = "2025-06-30 00:00:00+00"
VALUES = {"country": ["Brasil", "China", "United States"], "gender": ["F", "M"]}


@pytest.fixture
def engine() -> Engine:
    return Engine(load_config(**{"planner.as_of": AS_OF}))


def with_phrases(extra: str) -> str:
    return BUILTIN_MODEL.read_text(encoding="utf-8") + "\n" + extra


def test_a_model_files_synonyms_and_segments_read_as_their_meaning(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(
        with_phrases(
            '[[synonyms]]\nphrases = ["gmv", "gross merch value"]\nmeans = "revenue"\n\n'
            '[[segments]]\nphrase = "big spenders"\n'
            'means = "customers who spent over $1000"\n'
        ),
        encoding="utf-8",
    )
    reader = OfflinePlanner(load_model(path), VALUES)
    assert reader.plan("gmv by country").metrics == ("revenue",)
    assert reader.plan("Gross merch value in 2024").metrics == ("revenue",)
    plan = reader.plan("big spenders by country")
    assert plan.metrics == ("customers",)
    assert plan.dimensions == ("country",)
    assert [(c.metric, c.per, c.op, c.values) for c in plan.conditions] == [
        ("revenue", "customer_id", ">", (1000,))
    ]
    assert "read 'big spenders' as 'customers who spent over $1000'" in plan.notes


@pytest.mark.parametrize(
    "entry",
    [
        '[[synonyms]]\nphrase = "gmv"\n',
        '[[segments]]\nphrase = ""\nmeans = "revenue"\n',
        '[[synonyms]]\nmeans = "revenue"\nphrases = []\n',
    ],
)
def test_a_phrase_entry_without_phrase_or_meaning_is_a_config_error(entry: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_model(tomllib.loads(with_phrases(entry)), source="model.toml")
    assert caught.value.hint


def test_teach_reads_the_phrase_in_later_questions_with_real_rows(engine: Engine) -> None:
    with engine:
        meaning = engine.teach("big spenders", "customers who spent over $1000")
        assert "more than $1000" in meaning.interpretation
        taught = engine.ask("big spenders by country").df
        spelled = engine.ask("customers who spent over $1000 by country").df
        assert len(taught) > 1
        assert taught.equals(spelled)


def test_teach_survives_a_new_planner_and_is_told_to_language_models(engine: Engine) -> None:
    from lgda_nb.engine._planners import system_text

    with engine:
        engine.teach("gmv", "revenue")
        engine._planner = None
        engine._offline_planner = None
        assert engine.planner.plan("gmv in 2024").metrics == ("revenue",)
        assert "'gmv' means 'revenue'" in system_text(engine)


def test_a_meaning_that_does_not_read_is_refused_and_nothing_is_learned(engine: Engine) -> None:
    with engine:
        with pytest.raises(PlanningError) as caught:
            engine.teach("churned customers", "users whose zorblat exceeds the frobnitz")
        assert "could not learn 'churned customers'" in caught.value.message
        assert caught.value.hint
        with pytest.raises(PlanningError):
            engine.planner.plan("churned customers by country")
        assert "churned customers" not in engine.model.phrases


@pytest.mark.parametrize(
    ("phrase", "meaning", "said"),
    [
        ("", "revenue", "needs a phrase"),
        ("gmv", "  ", "needs a phrase"),
        ("loop", "loop revenue", "uses 'loop' itself"),
        ("x" * 81, "revenue", "at most 80"),
    ],
)
def test_bad_teaching_is_a_usage_error(
    engine: Engine, phrase: str, meaning: str, said: str
) -> None:
    with engine, pytest.raises(UsageError) as caught:
        engine.teach(phrase, meaning)
    assert said in caught.value.message
    assert caught.value.hint
    assert not engine._taught


@pytest.fixture(scope="module")
def reader() -> OfflinePlanner:
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "customers who spent over $1000 by country",
        "number of customers by country who spent over $1000",
        "customers in each country who spent over $1000",
    ],
)
def test_who_after_a_breakdown_is_the_counted_people(reader: OfflinePlanner, question: str) -> None:
    plan = reader.plan(question)
    assert plan.dimensions == ("country",)
    assert [(c.per, c.values) for c in plan.conditions] == [("customer_id", (1000,))]


def test_countries_with_a_total_stay_a_condition_on_the_country(reader: OfflinePlanner) -> None:
    plan = reader.plan("countries with at least 200 orders")
    assert [(c.per, c.op) for c in plan.conditions] == [("country", ">=")]
