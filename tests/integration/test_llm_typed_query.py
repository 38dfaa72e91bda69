"""Language models answer with the typed query: compiled, checked and shown like the reader's.

Each "model" reply comes from an ``LLMTestServer`` through the official OpenAI SDK;
the typed query goes through the same compiler, interpretation and validator as
the offline reader's plan for the same question.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.errors import PlanningError
from lgda_nb.planner._query import query_of
from lgda_nb.testing import LLMTestServer, Reply

pytest.importorskip("openai")

AS_OF = "2025-06-30 00:00:00+00"
#: One question per kind of typed query the reader plans.
PATTERNS = {
    "ranking": "top 5 categories by revenue",
    "exclusion": "revenue by country excluding China and Brazil",
    "number condition": "number of products priced over $80 by category",
    "range condition": "users aged 30 to 39 by country",
    "value filter": "revenue from complete orders by month",
    "year and grain": "revenue by month in 2024",
    "quarter": "orders by status in Q1 2025",
    "per-group ranking": "top 2 brands by revenue in each category",
    "period ranked within a longer one": "which month had the highest revenue in each year",
    "share": "share of revenue by department",
    "growth": "monthly revenue growth in 2024",
    "period comparison": "revenue in the last 90 days compared with the 90 days before",
    "distinct count": "how many different brands do we carry",
    "every value listed": "how many brands have products in both the Men and Women departments",
    "distinct things among rows": "how many different products did each department sell in 2025",
    "aggregate of a dimension": "average user age by gender",
    "ratio": "revenue per buyer by traffic source",
    "funnel": "conversion funnel",
    "funnel from a step by a breakdown": "funnel by browser from product view",
    "condition on sessions": "what % of sessions that viewed a product went on to purchase",
    "other date": "orders from customers who signed up in 2023",
    # One per kind of question of the coverage issue that the ones above do not show.
    "negation": "revenue regardless of status by department",
    "conditional measure": "value of returned items by category",
    "entity condition": "number of customers by country who spent over $1000",
    "entities": "top 10 customers by lifetime spend",
    "durations": "average days from shipping to delivery by distribution center",
    "share of the rows measured": "of the orders that have been delivered, what % arrived "
    "within 4 days of being placed",
    "bands": "users by age band",
    "time": "revenue year to date vs the same period last year",
    "running total": "cumulative revenue by month in 2024",
    "share within a group": "each category's share of its department's revenue",
    "statistics": "median age of users by gender",
    "inventory": "sell-through rate by category",
    "several measures": "orders and cancellation rate per month in 2025",
    "shorthand": "rev by country this yr",
    "list of rows": "the 5 cheapest products in the Jeans category: name, brand, retail price",
    "first-order cohort": "new customers per month in 2025",
    "retention": "of customers whose first order was in each month of 2025, how many "
    "ordered again the next month",
    "never": "how many users never placed an order",
    "statistic per entity": "median order value by country",
    "percentiles": "25th, 50th and 75th percentile of sale price by department",
    "distribution": "basket size distribution",
    "distribution in buckets": "distribution of 2025 order values in $50 buckets",
    "above average": "products priced above the average retail price",
    "pareto": "what share of revenue comes from the top 20% of customers by spend",
    "rolling average": "daily revenue with a 7-day rolling average in June 2025",
    "comparison by group": "Q1 2025 vs Q1 2024 revenue by category",
    "bands in the question": "revenue by buyer age band: under 25, 25-44, 45-64, 65+",
    "ranking as a set": "revenue, profit and gross margin % for the top 5 categories by revenue",
    "measures of different tables": "users and customers by country in 2025",
    "share of the rows named": "what % of orders in China were cancelled",
    "range of days": "revenue by day from May 1 to May 14, 2025",
    "things in one period but not another": "how many customers bought in 2024 but not in 2025",
    "columns of the things ranked": "top 10 customers by revenue with their country and age",
}


def typed(query: dict[str, Any] | None, sql: str | None = None) -> Reply:
    return Reply.json({"query": query, "sql": sql, "rationale": "typed"})


def model_engine(server: LLMTestServer, **changes: Any) -> Engine:
    """An engine that asks ``server``'s model alone (no reader first), fast retries."""
    settings: dict[str, Any] = {
        "llm.provider": "openai",
        "llm.model": "test-model",
        "llm.api_key": "test-key",
        "llm.base_url": server.base_url,
        "llm.fallback": [],
        "llm.timeout_seconds": 2.0,
        "retry.initial_backoff_seconds": 0.01,
        "retry.max_backoff_seconds": 0.05,
        "retry.jitter_seconds": 0.0,
        "planner.as_of": AS_OF,
        **changes,
    }
    return Engine(load_config(**settings))


@pytest.fixture
def reader() -> Iterator[Engine]:
    with Engine(load_config(**{"planner.as_of": AS_OF})) as engine:
        yield engine


@pytest.fixture
def server() -> Iterator[LLMTestServer]:
    with LLMTestServer("openai") as running:
        yield running


@pytest.mark.parametrize("question", PATTERNS.values(), ids=PATTERNS.keys())
def test_a_models_typed_query_compiles_to_the_readers_sql(
    reader: Engine, server: LLMTestServer, question: str
) -> None:
    """The same typed query, from the reader or from a model, is the same SQL and answer."""
    expected = reader.ask(question, use_cache=False)
    # What the model sends is JSON: tuples become lists, the window loses its label.
    query = json.loads(json.dumps(query_of(expected.plan)))
    server.add(typed(query))
    with model_engine(server) as engine:
        result = engine.ask(question, use_cache=False)
    assert result.plan.source == "openai/test-model"
    assert result.plan.sql is None  # compiled by the toolkit, not written by the model
    assert result.executed_sql == expected.executed_sql
    assert result.df.equals(expected.df)
    assert result.interpretation == expected.interpretation


def test_the_prompt_offers_the_typed_query_with_the_models_own_names(
    server: LLMTestServer,
) -> None:
    server.add(typed({"metrics": ["revenue"], "dimensions": ["country"]}))
    with model_engine(server) as engine:
        engine.ask("revenue by country")
    (request,) = server.requests
    assert "Typed query (preferred)" in request.system
    assert "revenue (Revenue)" in request.system
    assert "Brasil" in request.system  # a dimension's values, spelled as in the data
    schema = request.body["response_format"]["json_schema"]["schema"]
    typed_schema = schema["properties"]["query"]["anyOf"][0]
    assert "revenue" in typed_schema["properties"]["metrics"]["items"]["anyOf"][0]["enum"]
    assert "country" in typed_schema["properties"]["dimensions"]["items"]["enum"]


def test_a_value_in_another_case_is_matched_to_the_datas_spelling(
    server: LLMTestServer,
) -> None:
    query = {
        "metrics": ["orders"],
        "filters": [{"dimension": "status", "op": "in", "values": ["cancelled"]}],
    }
    server.add(typed(query))
    with model_engine(server) as engine:
        result = engine.ask("how many cancelled orders")
        gold = engine.run_sql("SELECT COUNT(*) AS n FROM orders WHERE status = 'Cancelled'")
    assert result.df.iloc[0, 0] == gold.df.iloc[0, 0] > 0
    assert "Cancelled" in result.interpretation


def test_a_query_that_does_not_fit_is_sent_back_once_with_the_reason(
    server: LLMTestServer,
) -> None:
    server.add(typed({"metrics": ["profit_margin_pct"], "dimensions": ["country"]}))
    server.add(typed({"metrics": ["revenue"], "dimensions": ["country"]}))
    with model_engine(server) as engine:
        result = engine.ask("revenue by country")
    _, second = server.requests
    assert "'profit_margin_pct' is not a metric of the model" in second.user
    assert result.row_count > 0
    assert [c.outcome for c in result.plan.calls] == ["answered", "answered"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"metrics": ["revenue"], "dimensions": ["zodiac_sign"]}, "not a dimension"),
        (
            {"metrics": ["orders"], "filters": [{"dimension": "country", "values": ["Narnia"]}]},
            "'Narnia' is not a value of country in the data",
        ),
        (
            {
                "metrics": ["orders"],
                "filters": [{"dimension": "country", "op": ">", "values": [3]}],
            },
            "not a number",
        ),
        ({"metrics": ["revenue"], "time_window": {"kind": "month", "year": 2024}}, "'month'"),
        ({"metrics": ["revenue"], "limit": -3}, "positive whole number"),
    ],
    ids=["unknown-dimension", "value-not-in-data", "compare-text", "month-missing", "limit"],
)
def test_a_query_that_never_fits_is_a_refusal_not_a_guess(
    server: LLMTestServer, query: dict[str, Any], reason: str
) -> None:
    server.default = typed(query)
    with model_engine(server) as engine, pytest.raises(PlanningError) as failed:
        engine.ask("a question only the model reads")
    assert reason in failed.value.message
    assert len(server.requests) == 2  # asked again once, with the reason
    fallback = {"llm.fallback": ["offline"]}
    with model_engine(server, **fallback) as engine, pytest.raises(PlanningError) as refused:
        engine.ask("a question only the model reads")
    assert reason in (refused.value.detail or "")


def test_sql_beside_a_query_that_does_not_fit_is_used_instead(server: LLMTestServer) -> None:
    sql = "SELECT COUNT(*) AS orders FROM orders"
    server.add(typed({"metrics": ["no_such_metric"]}, sql=sql))
    with model_engine(server) as engine:
        result = engine.ask("how many orders")
        gold = engine.run_sql(sql)
    assert result.plan.sql == sql
    assert result.df.equals(gold.df)
    assert len(server.requests) == 1
