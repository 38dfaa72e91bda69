"""Reading model replies, building prompts, and checking narrative numbers."""

from __future__ import annotations

import json

import pytest

from lgda_nb.errors import PlanningError, TransientProviderError
from lgda_nb.llm import Example, ExampleStore
from lgda_nb.llm._narrative import facts_payload, unverified_numbers
from lgda_nb.llm._parse import parse_reply
from lgda_nb.llm._prompt import similarity, system_prompt, user_prompt
from lgda_nb.planner import BUILTIN_MODEL, load_model

SQL = "SELECT COUNT(*) AS orders FROM orders"


# --- parsing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        json.dumps({"sql": SQL, "tables": ["orders"], "rationale": "count them"}),
        f"```json\n{json.dumps({'sql': SQL, 'rationale': 'count them'})}\n```",
        f"Sure! Here is the query:\n{json.dumps({'sql': SQL, 'rationale': 'x'})}\nHope it helps.",
        f"```sql\n{SQL};\n```",
        f"The answer is {SQL}",
        '{"sql": "SELECT COUNT(*) AS orders FROM orders", "rationale": "count th',  # cut off
    ],
    ids=["json", "fenced-json", "prose-around", "sql-fence", "bare-sql", "truncated"],
)
def test_replies_in_many_forms_give_the_sql(reply: str) -> None:
    assert parse_reply(reply).sql == SQL


def test_the_rationale_and_tables_are_kept() -> None:
    parsed = parse_reply(json.dumps({"sql": SQL, "tables": ["orders"], "rationale": "count"}))
    assert parsed.tables == ("orders",)
    assert parsed.rationale == "count"


@pytest.mark.parametrize(
    "reply", ["", "I am not sure.", '{"sql": "", "rationale": "hmm"}', "{not json at all"]
)
def test_a_reply_without_sql_is_a_retryable_provider_error(reply: str) -> None:
    with pytest.raises(TransientProviderError) as caught:
        parse_reply(reply, provider="openai")
    assert caught.value.retryable
    assert caught.value.provider == "openai"


def test_a_typed_query_is_read_without_sql() -> None:
    query = {"metrics": ["orders"], "dimensions": ["country"]}
    parsed = parse_reply(f"```json\n{json.dumps({'query': query, 'sql': None})}\n```")
    assert (parsed.query, parsed.sql) == (query, "")


@pytest.mark.parametrize("query", [{}, [], "orders by country"], ids=["empty", "list", "text"])
def test_a_query_that_is_not_an_object_is_no_answer(query: object) -> None:
    with pytest.raises(TransientProviderError):
        parse_reply(json.dumps({"query": query, "sql": None}))


def test_a_model_that_says_unanswerable_gives_a_planning_error() -> None:
    reply = json.dumps({"sql": None, "unanswerable": "there is no weather table"})
    with pytest.raises(PlanningError, match="no weather table"):
        parse_reply(reply)


def test_a_destructive_statement_is_passed_on_untouched_for_the_validator() -> None:
    # The parser never decides what is safe; the validator does, and refuses it.
    reply = json.dumps({"sql": "DROP TABLE orders", "rationale": "clean up"})
    assert parse_reply(reply).sql == "DROP TABLE orders"


# --- prompts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model(BUILTIN_MODEL)


TABLES = {
    "orders": {"order_id": "INTEGER", "user_id": "INTEGER", "created_at": "TIMESTAMP"},
    "users": {"id": "INTEGER", "country": "VARCHAR", "email": "VARCHAR"},
}


def test_the_system_prompt_carries_schema_joins_metrics_and_rules(model) -> None:  # type: ignore[no-untyped-def]
    text = system_prompt(TABLES, model, as_of="2025-06-30 00:00:00+00", max_rows=5000)
    assert "- orders(order_id INTEGER, user_id INTEGER, created_at TIMESTAMP)" in text
    assert "orders.user_id = users.id" in text
    assert "COUNT(DISTINCT orders.order_id)" in text  # the orders metric
    assert "2025-06-30 00:00:00+00" in text
    assert "Exactly one SELECT" in text
    assert "at most 5000 rows" in text
    # Metrics on tables that are not in the schema are left out.
    assert "SUM(order_items.sale_price)" not in text


def test_the_revenue_rule_is_in_the_prompt_when_its_table_is(model) -> None:  # type: ignore[no-untyped-def]
    tables = {**TABLES, "order_items": {"sale_price": "DOUBLE", "status": "VARCHAR"}}
    text = system_prompt(tables, model, as_of=None, max_rows=100)
    assert "SUM(order_items.sale_price) WHERE order_items.status NOT IN" in text
    assert "MAX(created_at)" in text  # 'now' is the data's latest time


def test_examples_are_chosen_by_word_overlap_and_known_tables(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ExampleStore(tmp_path / "examples.jsonl")
    picked = store.select("revenue by brand last year", tables=["order_items", "products"])
    assert picked, "built-in examples should match"
    assert "brands" in picked[0].question or "brand" in picked[0].question
    assert all(e.tables() <= {"order_items", "products"} for e in picked)
    assert store.select("revenue by brand", tables=["weather"]) == []


def test_user_examples_are_stored_on_disk_and_preferred_when_closer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sub" / "examples.jsonl"
    store = ExampleStore(path)
    store.add("median basket size per hour of day", "SELECT 1 AS x FROM orders")
    assert path.exists()
    again = ExampleStore(path)
    assert again.select("basket size per hour", tables=["orders"])[0].sql.endswith("FROM orders")


def test_similarity_ignores_stopwords() -> None:
    assert similarity("what is the", Example("the is what", SQL)) == 0
    assert similarity("revenue by month", Example("monthly revenue", SQL)) > 0


def test_the_user_prompt_has_examples_then_the_question_and_no_rows_by_default() -> None:
    text = user_prompt("orders by country", [Example("orders by status", SQL)])
    assert text.index("orders by status") < text.index("Question: orders by country")
    assert "Sample rows" not in text
    with_rows = user_prompt("q", [], sample_rows={"orders": "order_id\n1\n"})
    assert "Sample rows (CSV):" in with_rows


# --- narrative checks ---------------------------------------------------------------

PAYLOAD = facts_payload(
    {
        "row_count": 3,
        "measures": [
            {"label": "Revenue", "total": 54614.49, "top_share": 38.41,
             "top": [{"label": "Jeans", "value": 20975.47}]},
        ],
    },
    "Revenue is highest for Jeans.",
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Jeans led with $20,975.47 of the $54,614.49 total.",
        "Jeans brought in about $21.0k, 38.4% of revenue.",
        "Jeans made roughly $21 thousand, or 38% of the total across 3 categories.",
        "Revenue totalled $0.05 million.",
    ],
)
def test_numbers_taken_from_the_facts_pass(text: str) -> None:
    assert unverified_numbers(text, PAYLOAD) == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Jeans led with $25,000.00 in revenue.", "$25,000.00"),
        ("Revenue grew 12% year over year.", "12%"),
        ("Jeans made $20,975.5 of 4 categories.", "4"),
    ],
)
def test_invented_numbers_are_caught(text: str, bad: str) -> None:
    assert bad in unverified_numbers(text, PAYLOAD)


def test_numbers_from_the_question_are_allowed() -> None:
    assert unverified_numbers("In 2024, Jeans led.", PAYLOAD) == ["2024"]
    assert unverified_numbers("In 2024, Jeans led.", PAYLOAD, "revenue in 2024") == []
