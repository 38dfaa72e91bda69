"""LLM planners end to end: the official SDKs against loopback servers, the engine, DuckDB.

Every reply is scripted on an ``LLMTestServer`` speaking the provider's own HTTP
API; the SQL the "model" writes goes through the real validator and backend.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb._observability import get_metrics
from lgda_nb.errors import PlanningError, ProviderError, SecurityError, SQLError
from lgda_nb.testing import LLMRequest, LLMTestServer, Reply

pytest.importorskip("openai")
pytest.importorskip("anthropic")
pytest.importorskip("google.genai")

GOOD_SQL = (
    "SELECT users.country AS country, COUNT(DISTINCT orders.order_id) AS orders "
    "FROM orders JOIN users ON users.id = orders.user_id GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
)
QUESTION = "which five nations have the heaviest ordering activity?"  # beyond the reader
LGDA = str(Path(sys.executable).with_name("lgda"))
EVAL_FILE = Path(__file__).parents[1] / "eval" / "dev.jsonl"


def answer(sql: str | None = GOOD_SQL, **extra: Any) -> Reply:
    return Reply.json({"sql": sql, "tables": ["orders", "users"], "rationale": "count", **extra},
                      input_tokens=1200, output_tokens=80)  # fmt: skip


def llm_engine(server: LLMTestServer | None, **changes: Any) -> Engine:
    """An engine planning with ``server`` (or a dead address), fast retries, offline last."""
    settings: dict[str, Any] = {
        "llm.provider": server.api if server else "openai",
        "llm.model": "test-model",
        "llm.api_key": "test-key",
        "llm.base_url": server.base_url if server else LLMTestServer.unused_url("openai"),
        "llm.timeout_seconds": 2.0,
        "retry.initial_backoff_seconds": 0.01,
        "retry.max_backoff_seconds": 0.05,
        "retry.jitter_seconds": 0.0,
        "planner.as_of": "2025-06-30 00:00:00+00",
    }
    settings.update(changes)
    return Engine(load_config(**settings))


@pytest.fixture
def openai_server() -> Iterator[LLMTestServer]:
    with LLMTestServer("openai") as server:
        yield server


def test_good_sql_is_validated_run_and_reported_with_provider_and_tokens(
    openai_server: LLMTestServer,
) -> None:
    openai_server.add(answer())
    with llm_engine(openai_server) as engine:
        result = engine.ask(QUESTION)
        gold = engine.run_sql(GOOD_SQL)
    assert result.df.equals(gold.df)
    assert result.plan.source == "openai/test-model"
    (call,) = result.plan.calls
    assert (call.outcome, call.input_tokens, call.output_tokens) == ("answered", 1200, 80)
    assert result.summary  # facts from the rows, worded deterministically
    assert result.chart is not None
    (request,) = openai_server.requests
    assert request.model == "test-model"
    assert QUESTION in request.user
    assert "- orders(" in request.system
    assert "Exactly one SELECT" in request.system
    assert "Sample rows" not in request.user  # send_data=none: no rows leave


@pytest.mark.parametrize(
    "reply",
    [
        Reply.text(f"Here you go:\n```json\n{json.dumps({'sql': GOOD_SQL})}\n```\nEnjoy."),
        Reply.text(f"```sql\n{GOOD_SQL}\n```"),
    ],
    ids=["json-in-fence-with-prose", "sql-fence"],
)
def test_sql_wrapped_in_prose_and_fences_is_read(
    openai_server: LLMTestServer, reply: Reply
) -> None:
    openai_server.add(reply)
    with llm_engine(openai_server) as engine:
        assert engine.ask(QUESTION).row_count == 5


def test_malformed_json_is_asked_again_not_a_crash(openai_server: LLMTestServer) -> None:
    openai_server.add(Reply.text('{"sql": SELECT oops'), answer())
    with llm_engine(openai_server) as engine:
        result = engine.ask(QUESTION)
    assert result.row_count == 5
    assert len(openai_server.requests) == 2
    assert result.plan.calls[-1].input_tokens == 12 + 1200  # both calls are counted
    assert not result.attempts  # asked again at once, not repaired after a failure


def test_a_destructive_statement_is_refused_and_never_repaired(
    openai_server: LLMTestServer,
) -> None:
    openai_server.add(answer("DELETE FROM orders WHERE TRUE"), answer())
    with llm_engine(openai_server) as engine, pytest.raises(SecurityError):
        engine.ask("delete all orders")
    assert len(openai_server.requests) == 1  # a refusal is final


def test_a_wrong_column_is_repaired_with_the_error_fed_back(openai_server: LLMTestServer) -> None:
    wrong = GOOD_SQL.replace("users.country", "users.nation")
    openai_server.add(answer(wrong), answer())
    with llm_engine(openai_server) as engine:
        result = engine.ask(QUESTION)
    assert result.row_count == 5
    assert len(result.attempts) == 1
    assert "nation" in result.attempts[0]["sql"]
    repair = openai_server.requests[1]
    assert "users.nation" in repair.user
    assert "failed" in repair.user
    assert [c.outcome for c in result.plan.calls] == ["answered", "answered"]


def test_repairs_are_bounded(openai_server: LLMTestServer) -> None:
    wrong = GOOD_SQL.replace("users.country", "users.nation")
    openai_server.default = lambda request: answer(
        wrong.replace("nation", f"nation{len(openai_server.requests)}")
    )
    with (
        llm_engine(openai_server, **{"retry.repair_attempts": 2}) as engine,
        pytest.raises(SQLError) as caught,
    ):
        engine.ask(QUESTION)
    assert len(caught.value.attempts) == 2  # type: ignore[attr-defined]
    assert len(openai_server.requests) == 3  # first try + 2 repairs


def test_429_with_retry_after_is_waited_out(openai_server: LLMTestServer) -> None:
    openai_server.add(Reply.error(429, retry_after=0.3), answer())
    with llm_engine(openai_server) as engine:
        started = time.perf_counter()
        result = engine.ask(QUESTION)
        waited = time.perf_counter() - started
    assert result.plan.source == "openai/test-model"
    assert waited >= 0.3
    assert len(openai_server.requests) == 2


def test_a_500_is_retried(openai_server: LLMTestServer) -> None:
    openai_server.add(Reply.error(500), answer())
    with llm_engine(openai_server) as engine:
        assert engine.ask(QUESTION).plan.source == "openai/test-model"


def test_a_stalled_reply_times_out_and_is_retried(openai_server: LLMTestServer) -> None:
    openai_server.add(Reply.stall(3.0, then=answer()), answer())
    with llm_engine(openai_server, **{"llm.timeout_seconds": 0.5}) as engine:
        started = time.perf_counter()
        result = engine.ask(QUESTION)
    assert result.plan.source == "openai/test-model"
    assert time.perf_counter() - started < 2.5


def test_the_reader_answers_first_and_a_down_model_never_turns_into_a_guess() -> None:
    """What the reader accounts for word by word never reaches the model; what it refuses
    goes to the model, and with the model down the answer is the reader's refusal."""
    with llm_engine(None) as engine:
        result = engine.ask("orders by country")
        assert result.provider == "offline"
        assert [(c.provider, c.outcome) for c in result.plan.calls] == [("offline", "answered")]
        assert result.row_count > 0
        with pytest.raises(PlanningError, match="did not understand: 'heaviest'") as refused:
            engine.ask(QUESTION)
    # The refusal says the model was tried and failed.
    assert "openai/test-model: failed" in (refused.value.detail or "")


def test_a_bad_key_is_not_retried_and_falls_back(openai_server: LLMTestServer) -> None:
    openai_server.add(Reply.error(401, message="invalid api key"))
    with llm_engine(openai_server) as engine, pytest.raises(PlanningError) as refused:
        engine.ask(QUESTION)  # the model fails, the reader refuses: no answer
    assert len(openai_server.requests) == 1
    detail = refused.value.detail or ""
    assert "401" in detail or "key" in detail.lower()


def test_without_offline_in_the_chain_a_dead_provider_is_a_clear_error() -> None:
    with (
        llm_engine(None, **{"llm.fallback": []}) as engine,
        pytest.raises(ProviderError) as caught,
    ):
        engine.ask("orders by country")
    assert "No language-model provider could answer" in caught.value.message
    assert "LGDA_LLM__FALLBACK" in caught.value.hint


def test_the_chain_walks_to_the_next_provider(
    openai_server: LLMTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LLMTestServer("anthropic", [answer()]) as anthropic:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", anthropic.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
        openai_server.default = Reply.error(503)
        with llm_engine(openai_server, **{"llm.fallback": ["anthropic", "offline"]}) as engine:
            result = engine.ask(QUESTION)
    assert result.plan.source.startswith("anthropic/")
    assert [c.outcome for c in result.plan.calls] == ["failed", "answered"]
    assert len(openai_server.requests) == 3  # the retry attempts, then hand over


def test_an_open_breaker_skips_the_provider(openai_server: LLMTestServer) -> None:
    openai_server.default = Reply.error(500)
    changes = {"retry.attempts": 1, "retry.breaker_failures": 2}
    with llm_engine(openai_server, **changes) as engine:
        for _ in range(2):
            with pytest.raises(PlanningError):
                engine.ask(QUESTION, use_cache=False)
        with pytest.raises(PlanningError) as refused:
            engine.ask(QUESTION, use_cache=False)
    assert len(openai_server.requests) == 2  # the third call was skipped by the breaker
    assert "skipped" in (refused.value.detail or "")
    assert "breaker" in (refused.value.detail or "")


def test_unanswerable_questions_fall_through_and_keep_the_models_reason(
    openai_server: LLMTestServer,
) -> None:
    openai_server.add(answer(None, unanswerable="there is no weather data"))
    with llm_engine(openai_server) as engine, pytest.raises(PlanningError, match="weather"):
        engine.ask("will it rain tomorrow in Paris?")


def test_responses_are_cached_by_provider_model_and_prompt(openai_server: LLMTestServer) -> None:
    openai_server.default = answer()
    with llm_engine(openai_server) as engine:
        engine.ask(QUESTION, use_cache=False)
        again = engine.ask(QUESTION, use_cache=False)
        engine.ask(QUESTION + " please", use_cache=False)
    assert len(openai_server.requests) == 2
    assert again.plan.calls[0].outcome == "cached"


@pytest.mark.parametrize("api", ["gemini", "anthropic"])
def test_gemini_and_anthropic_answer_through_their_sdks(api: str) -> None:
    with LLMTestServer(api, [answer()]) as server, llm_engine(server) as engine:
        result = engine.ask(QUESTION)
        assert result.row_count == 5
        assert result.plan.source == f"{api}/test-model"
        (request,) = server.requests
        assert QUESTION in request.user
        assert "Exactly one SELECT" in request.system


def test_sample_rows_are_sent_only_when_allowed_and_masked(openai_server: LLMTestServer) -> None:
    openai_server.add(answer())
    with llm_engine(openai_server, **{"llm.send_data": "sample_rows"}) as engine:
        engine.ask(QUESTION)
        emails = engine.backend.execute("SELECT email FROM users LIMIT 3")["email"]
    prompt = openai_server.requests[0].user
    assert "Sample rows (CSV):" in prompt
    assert "users:" in prompt
    assert not any(email in prompt for email in emails)  # masked before they leave
    assert "***@" in prompt


def narrative_server(narrative: str) -> LLMTestServer:
    def reply(request: LLMRequest) -> Reply:
        if "Facts (JSON)" in request.user:
            return Reply.text(narrative)
        return answer("SELECT COUNT(DISTINCT order_id) AS orders FROM orders")

    return LLMTestServer("openai", default=reply)


def test_a_narrative_with_only_fact_numbers_replaces_the_summary() -> None:
    with Engine() as plain:
        count = plain.run_sql("SELECT COUNT(DISTINCT order_id) AS n FROM orders")
    orders = int(count.df["n"][0])
    with (
        narrative_server(f"There were {orders:,} orders in all.") as server,
        llm_engine(server, **{"llm.send_data": "facts"}) as engine,
    ):
        result = engine.ask("how many orders sit in the ledger")
    assert result.summary == f"There were {orders:,} orders in all."
    facts_request = server.requests[-1]
    assert "Facts (JSON)" in facts_request.user
    assert "Sample rows" not in facts_request.user


def test_a_narrative_with_an_invented_number_is_replaced_by_the_facts() -> None:
    before = get_metrics().counters.get("llm.narrative_rejected", 0)
    with (
        narrative_server("Orders grew 37% on last year.") as server,
        llm_engine(server, **{"llm.send_data": "facts"}) as engine,
    ):
        result = engine.ask("how many orders sit in the ledger")
    assert "37%" not in result.summary
    assert result.summary.startswith("Orders")  # the deterministic sentence
    assert get_metrics().counters.get("llm.narrative_rejected", 0) == before + 1


def test_without_send_data_no_narrative_is_asked_for(openai_server: LLMTestServer) -> None:
    openai_server.default = answer()
    with llm_engine(openai_server) as engine:
        engine.ask(QUESTION)
    assert all("Facts (JSON)" not in r.user for r in openai_server.requests)


def test_added_examples_are_checked_stored_and_shown_to_the_model(
    openai_server: LLMTestServer,
) -> None:
    openai_server.default = answer()
    with llm_engine(openai_server) as engine:
        engine.add_example("which nations order the most", GOOD_SQL)
        with pytest.raises(SecurityError):
            engine.add_example("wipe it", "DROP TABLE orders")
        engine.ask(QUESTION)
    lines = engine.examples.path.read_text().splitlines()
    assert len(lines) == 1
    assert "which nations order the most" in lines[0]
    assert "which nations order the most" in openai_server.requests[0].user


def test_token_cost_is_estimated_from_configured_prices(openai_server: LLMTestServer) -> None:
    openai_server.add(answer())
    prices = {"llm.input_price_per_mtok": 1.0, "llm.output_price_per_mtok": 10.0}
    before = get_metrics().counters.get("llm.tokens.input", 0)
    with llm_engine(openai_server, **prices) as engine:
        result = engine.ask(QUESTION)
    call = result.plan.calls[0]
    assert call.cost == pytest.approx((1200 * 1.0 + 80 * 10.0) / 1e6)
    assert "about $0.0020" in call.describe()
    assert get_metrics().counters["llm.tokens.input"] == before + 1200


def test_lgda_eval_reports_accuracy_per_provider(tmp_path: Path) -> None:
    """``lgda eval --provider`` runs each provider alone and prints one score per provider."""
    cases = [json.loads(line) for line in EVAL_FILE.read_text().splitlines()[:3]]
    questions = {case["question"]: case["gold_sql"] for case in cases}
    file = tmp_path / "three.jsonl"
    file.write_text("".join(json.dumps(case) + "\n" for case in cases))

    def model(request: LLMRequest) -> Reply:  # right on two questions, wrong on the third
        question = request.user.rsplit("Question: ", 1)[1].strip()
        sql = questions[question] if question != cases[2]["question"] else "SELECT 1 AS x"
        return answer(sql)

    with LLMTestServer("openai", default=model) as server:
        env = {**os.environ, "LGDA_LLM__BASE_URL": server.base_url, "LGDA_LLM__API_KEY": "k",
               "LGDA_LLM__MODEL": "test-model", "LGDA_RETRY__ATTEMPTS": "1"}  # fmt: skip
        done = subprocess.run(
            [LGDA, "eval", str(file), "--provider", "openai", "--provider", "offline", "--json"],
            capture_output=True, text=True, timeout=300, env=env, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["openai"]["correct"] == 2
    assert report["openai"]["answered_by"] == {"openai/test-model": 3}
    assert report["offline"]["correct"] == 3
    assert report["offline"]["answered_by"] == {"offline": 3}


def test_cancel_during_a_slow_model_call_stops_before_anything_runs(
    openai_server: LLMTestServer,
) -> None:
    """Engine.cancel_all() while the model thinks: the run ends when the call returns."""
    import threading

    from lgda_nb.errors import QueryCancelledError

    openai_server.add(Reply.stall(1.0, then=answer()))
    outcome: dict[str, BaseException] = {}
    with llm_engine(openai_server, **{"llm.timeout_seconds": 5.0}) as engine:

        def ask() -> None:
            try:
                engine.ask(QUESTION)
            except BaseException as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=ask)
        worker.start()
        time.sleep(0.3)
        engine.cancel_all()
        worker.join(timeout=10)
        assert isinstance(outcome.get("error"), QueryCancelledError)
        assert outcome["error"].stage == "synthesize_sql"  # type: ignore[attr-defined]
        assert engine.ask(QUESTION).row_count == 5  # the next run is not cancelled


def test_lgda_eval_with_a_provider_that_has_no_key_stops_at_once(tmp_path: Path) -> None:
    """A missing key is a clear error before any question runs, not 152 failed cases."""
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    done = subprocess.run(
        [LGDA, "eval", str(EVAL_FILE), "--provider", "anthropic"],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "ANTHROPIC_API_KEY" in done.stderr
    assert "Accuracy" not in done.stdout


def test_an_example_needs_a_question(openai_server: LLMTestServer) -> None:
    from lgda_nb.errors import UsageError

    with llm_engine(openai_server) as engine, pytest.raises(UsageError, match="needs a question"):
        engine.add_example("  ", GOOD_SQL)
    assert not engine.examples.path.exists()
