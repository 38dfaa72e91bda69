"""Faults at the backend boundary, timeouts, interrupts, the cache and threads."""

from __future__ import annotations

import _thread
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import sqlglot
import stamina

from lgda_nb import Engine
from lgda_nb._config import load_config, set_config
from lgda_nb._observability import get_metrics
from lgda_nb.errors import (
    BackendUnavailableError,
    InternalError,
    LGDAError,
    PlanningError,
    QueryCancelledError,
    QueryTimeoutError,
    SecurityError,
    SQLError,
    TransientBackendError,
)
from lgda_nb.testing import FaultyBackend, HTTPError

QUERY = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"


@pytest.fixture(autouse=True)
def fast_retries() -> Iterator[None]:
    """stamina's test mode: no real sleeping between attempts."""
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


def _faulty(engine: Engine, *faults: Any) -> FaultyBackend:
    wrapper = FaultyBackend(engine.backend, faults)
    engine._backend = wrapper  # the engine's seam for its backend
    return wrapper


def test_transient_faults_are_retried_to_the_right_answer(engine: Engine) -> None:
    """Connection resets, 503s and busy backends are retried; the answer is correct."""
    expected = engine.run_sql(QUERY, use_cache=False).df
    get_metrics().reset()
    faulty = _faulty(engine, ConnectionResetError("reset"), HTTPError(503))
    result = engine.run_sql(QUERY, use_cache=False)
    pd.testing.assert_frame_equal(result.df, expected)
    assert faulty.calls == 3
    assert [a["attempt"] for a in result.attempts] == [1, 2]
    assert get_metrics().counters["retries.backend"] == 2


def test_permanent_faults_are_not_retried(engine: Engine) -> None:
    """A SQL error or a permission problem is raised after one call."""
    for fault in (SQLError("bad"), PermissionError("denied")):
        faulty = _faulty(engine, fault)
        with pytest.raises(LGDAError):
            engine.run_sql(QUERY, use_cache=False)
        assert faulty.calls == 1
        engine._backend = faulty.inner


def test_retries_stop_and_the_last_error_is_reported(engine: Engine) -> None:
    """When every attempt fails, the user gets the error, not an answer."""
    faulty = _faulty(engine, *(TransientBackendError("busy") for _ in range(5)))
    with pytest.raises(TransientBackendError):
        engine.run_sql(QUERY, use_cache=False)
    assert faulty.calls == 3


def test_retry_after_is_honoured() -> None:
    """A 429 with Retry-After waits that long (within the budget) before retrying."""
    from lgda_nb._retry import RetryStrategy

    stamina.set_testing(False)
    strategy = RetryStrategy("backend", 3, 0.0, 0.0, 0.0, 5.0)
    calls: list[float] = []

    def flaky() -> str:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise HTTPError(429, retry_after=0.3)
        return "ok"

    assert strategy.call(flaky, on_retry=lambda n, e: None) == "ok"
    assert calls[1] - calls[0] >= 0.29


def test_breaker_opens_fails_fast_and_recovers() -> None:
    """After N failures calls fail fast; after the cool-down one probe closes it."""
    stamina.set_testing(False)
    set_config(
        **{"retry.attempts": 1, "retry.breaker_failures": 3, "retry.breaker_cooldown_seconds": 0.3}
    )
    with Engine() as engine:
        faulty = _faulty(engine, *(TransientBackendError("down") for _ in range(3)))
        for _ in range(3):
            with pytest.raises(TransientBackendError):
                engine.run_sql(QUERY, use_cache=False)
        assert engine.breaker.state == "open"
        with pytest.raises(BackendUnavailableError, match="paused"):
            engine.run_sql(QUERY, use_cache=False)
        assert faulty.calls == 3
        time.sleep(0.35)
        assert engine.breaker.state == "half-open"
        assert len(engine.run_sql(QUERY, use_cache=False).df) == 5
        assert engine.breaker.state == "closed"


def test_the_breaker_counts_failed_calls_not_failed_attempts(engine: Engine) -> None:
    """Three attempts a call (stamina's test mode here), five failures open it: one call
    fails all its attempts, the next succeeds on its third. Counting attempts made that
    five failures and paused the second call; counting calls, it is one failure and a
    success."""
    faulty = _faulty(engine, *(TransientBackendError("503") for _ in range(5)))
    with pytest.raises(TransientBackendError):
        engine.run_sql(QUERY, use_cache=False)
    assert len(engine.run_sql(QUERY, use_cache=False).df) == 5
    assert faulty.calls == 6
    assert engine.breaker.state == "closed"


def test_user_errors_do_not_trip_the_breaker(engine: Engine) -> None:
    """Typos are not outages."""
    for _ in range(8):
        with pytest.raises(LGDAError):
            engine.run_sql("SELECT statuss FROM orders", use_cache=False)
    assert engine.breaker.state == "closed"


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("lgda_nb.planner._offline.OfflinePlanner.plan", PlanningError),
        ("lgda_nb.planner.compile_tree", InternalError),
        ("lgda_nb.security._validator.SecurityValidator.validate", SecurityError),
        ("lgda_nb.testing.FaultyBackend.execute", SQLError),
        ("lgda_nb.insight.analyze", InternalError),
        ("lgda_nb.insight.chart_spec", InternalError),
    ],
)
def test_a_failure_at_any_stage_fabricates_nothing(
    monkeypatch: pytest.MonkeyPatch, target: str, error: type[LGDAError]
) -> None:
    """Each stage's failure ends in an LGDAError, and --to VAR keeps its old value."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    from lgda_nb.jupyter import _magics

    module_name, _, attribute = target.rpartition(".")
    if module_name.endswith(("OfflinePlanner", "SecurityValidator", "FaultyBackend")):
        module_name, _, owner = module_name.rpartition(".")
        owner_obj = getattr(__import__(module_name, fromlist=[owner]), owner)
        failing: Exception = error("injected") if error is not InternalError else RuntimeError()
    else:
        owner_obj = __import__(module_name, fromlist=[attribute])
        failing = RuntimeError("injected")

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise failing

    monkeypatch.setattr(owner_obj, attribute, fail)

    ip = get_ipython() or start_ipython()
    ip.run_line_magic("load_ext", "lgda_nb")
    engine = _magics.kernel_engine()
    engine._backend = FaultyBackend(engine.backend)
    ip.user_ns["answer"] = "old"
    outcome = ip.run_cell("%%lgda --no-cache --to answer\nrevenue by month in 2024")
    assert isinstance(outcome.error_in_exec, error)
    assert outcome.result is None
    assert ip.user_ns["answer"] == "old"
    assert outcome.error_in_exec.stage
    assert outcome.error_in_exec.correlation_id


def test_endless_query_is_bounded() -> None:
    """A huge cross join stops within its timeout plus one second."""
    set_config(**{"duckdb.timeout_seconds": 0.5})
    with Engine() as engine:
        engine.backend.tables()
        start = time.perf_counter()
        with pytest.raises(QueryTimeoutError):
            engine.run_sql("SELECT COUNT(*) FROM events a, events b, events c, events d")
        assert time.perf_counter() - start < 1.5


def test_kernel_interrupt_cancels_cleanly(engine: Engine, kernel_interrupts: None) -> None:
    """KeyboardInterrupt mid-query cancels it; the query ran on the calling (main) thread,
    so no worker thread was made; the next query runs."""
    engine.backend.tables()
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    start = time.perf_counter()
    with pytest.raises(QueryCancelledError):
        engine.run_sql("SELECT COUNT(*) FROM events a, events b, events c, events d")
    assert time.perf_counter() - start < 3
    time.sleep(0.1)
    assert engine.backend._executor is None
    assert len(engine.run_sql(QUERY).df) == 5


def test_cache_hits_are_true_copies(engine: Engine) -> None:
    """The second run is a hit with the same answer; editing a result cannot corrupt it."""
    first = engine.run_sql(QUERY)
    assert first.cached is False
    first.df.loc[0, "n"] = -1
    second = engine.run_sql(QUERY)
    assert second.cached is True
    assert (second.df["n"] > 0).all()
    del second.df["n"]
    assert "n" in engine.run_sql(QUERY).df.columns
    assert engine.run_sql(QUERY, use_cache=False).cached is False


def test_questions_that_plan_alike_share_an_entry(engine: Engine) -> None:
    """The semantic cache: two phrasings, one SQL, one cache entry."""
    first = engine.ask("revenue by month in 2024")
    second = engine.ask("monthly sales in 2024")
    assert first.sql == second.sql
    assert second.cached is True


def test_cache_key_includes_the_policy() -> None:
    """A different PII policy or row limit is a different answer, so a miss."""
    with Engine() as engine:
        engine.run_sql("SELECT email FROM users ORDER BY id LIMIT 3")
        assert engine.run_sql("SELECT email FROM users ORDER BY id LIMIT 3").cached
        assert not engine.run_sql("SELECT email FROM users ORDER BY id LIMIT 3", limit=2).cached
    set_config(**{"security.pii_policy": '{"users.email": "allow"}'})
    with Engine() as engine:
        raw = engine.run_sql("SELECT email FROM users ORDER BY id LIMIT 3")
        assert not raw.cached
        assert "***" not in raw.df["email"].iloc[0]


def test_cache_stays_within_its_byte_bound() -> None:
    """Many distinct answers never push the cache past max_bytes; LRU evicts."""
    set_config(**{"cache.max_bytes": 200_000, "cache.max_entries": 1000})
    with Engine() as engine:
        for limit in range(1, 120):
            engine.run_sql("SELECT * FROM products ORDER BY id", limit=limit)
            assert engine.query_cache.bytes <= 200_000
        assert engine.query_cache.stats.evictions > 0


def test_cache_ttl_expires_entries() -> None:
    """An entry older than the TTL is a miss."""
    set_config(**{"cache.ttl_seconds": 0.2})
    with Engine() as engine:
        engine.run_sql(QUERY)
        time.sleep(0.25)
        assert engine.run_sql(QUERY).cached is False


def test_engine_is_safe_across_threads() -> None:
    """Eight threads asking a mix of questions get the single-threaded answers."""
    questions = [
        "revenue by month in 2024",
        "top 5 categories by revenue",
        "orders by status",
        "customers by country",
        "average order value by department",
        "sessions by browser",
        "how many users signed up in 2025",
        "gross margin by brand, top 3",
    ]
    with Engine(load_config()) as single:
        expected = {q: single.ask(q, use_cache=False).df for q in questions}
    with Engine(load_config()) as shared:
        failures: list[str] = []

        def worker(offset: int) -> None:
            for i in range(12):
                question = questions[(offset + i) % len(questions)]
                try:
                    got = shared.ask(question, use_cache=i % 2 == 0).df
                    pd.testing.assert_frame_equal(got, expected[question])
                except Exception as exc:  # collected and asserted below
                    failures.append(f"{question}: {exc!r}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_failed_generated_sql_is_repaired_by_a_planner_that_can(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A planner that can use the error gets a bounded number of tries; attempts are kept."""
    import lgda_nb.planner as planner_module
    from lgda_nb.planner import Plan

    real_compile = planner_module.compile_tree

    def compile_with_a_bug(plan: Plan, model: Any, **kwargs: Any) -> Any:
        if plan.metrics == ("revenue",):
            return sqlglot.parse_one("SELECT nope FROM orders", read="bigquery")
        return real_compile(plan, model, **kwargs)

    class LearningPlanner:
        calls = 0

        def plan(self, question: str) -> Plan:
            return Plan(question=question, metrics=("revenue",))

        def repair(self, plan: Plan, sql: str, error: Exception) -> Plan:
            LearningPlanner.calls += 1
            assert "nope" in str(error)
            return Plan(question=plan.question, metrics=("orders",))

    monkeypatch.setattr(planner_module, "compile_tree", compile_with_a_bug)
    with Engine() as engine:
        engine._planner = LearningPlanner()  # type: ignore[assignment]
        result = engine.ask("anything", use_cache=False)
    assert result.plan.metrics == ("orders",)
    assert result.df["orders"].iloc[0] > 0
    assert LearningPlanner.calls == 1
    assert result.attempts[0]["sql"] == "SELECT nope FROM orders"
    assert "nope" in result.attempts[0]["error"]


def test_refusals_and_the_offline_planner_are_never_repaired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A security refusal is final; the deterministic offline planner declines to guess."""
    import lgda_nb.planner as planner_module

    def compiles_to(sql: str) -> Any:
        return lambda *a, **k: sqlglot.parse_one(sql, read="bigquery")

    monkeypatch.setattr(planner_module, "compile_tree", compiles_to("DROP TABLE orders"))
    with Engine() as engine, pytest.raises(SecurityError) as info:
        engine.ask("revenue by month", use_cache=False)
    assert info.value.attempts == []
    monkeypatch.setattr(planner_module, "compile_tree", compiles_to("SELECT nope FROM orders"))
    with Engine() as engine, pytest.raises(LGDAError) as failed:
        engine.ask("revenue by month", use_cache=False)
    assert failed.value.attempts == []


def test_cancel_reaches_the_named_call_and_no_other(engine: Engine) -> None:
    """cancel() from another thread reaches none of this call; cancel(call_id) does."""
    outcome: dict[str, BaseException | object] = {}
    long = "SELECT COUNT(*) AS n FROM events a, events b, events c, events d"

    def run() -> None:
        try:
            outcome["result"] = engine.run_sql(long, use_cache=False, call_id="long-one")
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.5)
    assert engine.cancel() == 0  # this thread started nothing
    assert engine.cancel("someone-else") == 0
    time.sleep(0.3)
    assert worker.is_alive()
    assert engine.cancel("long-one") == 1
    worker.join(5)
    assert isinstance(outcome.get("error"), QueryCancelledError)
    assert len(engine.run_sql(QUERY, use_cache=False).df) == 5  # the engine goes on


def test_a_cached_answer_is_stored_once_and_counted_once() -> None:
    """Text key and SQL key lead to one copy of the rows; the byte count is that answer's."""
    with Engine() as engine:
        first = engine.run_sql(QUERY)
        assert len(engine.query_cache) == 1
        assert engine.query_cache.bytes == first.bytes > 0
        engine.ask("orders by status")
        engine.ask("orders by status")
        assert len(engine.query_cache) == 2


def test_the_cache_holds_as_many_answers_as_its_byte_bound_allows() -> None:
    """With room for N answers of one size, N distinct queries are all still hits."""
    with Engine() as engine:
        size = engine.run_sql("SELECT * FROM products ORDER BY id LIMIT 50").bytes
    set_config(**{"cache.max_bytes": size * 10 + size // 2, "cache.max_entries": 1000})
    with Engine() as engine:
        queries = [f"SELECT * FROM products ORDER BY id LIMIT 50 OFFSET {i}" for i in range(10)]
        for sql in queries:
            engine.run_sql(sql)
        assert all(engine.run_sql(sql).cached for sql in queries)
        assert engine.query_cache.stats.evictions == 0


@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_no_way_of_changing_a_returned_frame_reaches_the_cache(engine: Engine) -> None:
    """Hits hand out frames of their own (copy-on-write): edits in place never leak back."""
    expected = engine.run_sql(QUERY).df.copy(deep=True)
    edits = [
        lambda df: df.loc.__setitem__((0, "n"), -1),
        lambda df: df.iloc.__setitem__((1, 0), "edited"),
        lambda df: df.__setitem__("n", 0),
        lambda df: df.__setitem__("extra", 1),
        lambda df: df.drop(columns=["status"], inplace=True),
        lambda df: df.sort_values("n", ascending=False, inplace=True),
        lambda df: df.rename(columns={"n": "m"}, inplace=True),
        lambda df: df.fillna(0, inplace=True),
        lambda df: setattr(df, "index", range(10, 10 + len(df))),
        lambda df: df["n"].__setitem__(0, -5),
    ]
    for edit in edits:
        result = engine.run_sql(QUERY)
        assert result.cached
        edit(result.df)
        pd.testing.assert_frame_equal(engine.run_sql(QUERY).df, expected)
        pd.testing.assert_frame_equal(engine.run_sql(f"{QUERY} ").df, expected)  # SQL-key hit


def test_a_text_hit_needs_its_answer() -> None:
    """A text key whose answer was evicted is a miss: the query runs again."""
    set_config(**{"cache.max_bytes": 200_000, "cache.max_entries": 1000})
    with Engine() as engine:
        engine.run_sql(QUERY)
        for limit in range(1, 80):
            engine.run_sql("SELECT * FROM products ORDER BY id", limit=limit)
        assert engine.query_cache.stats.evictions > 0
        again = engine.run_sql(QUERY)
        assert not again.cached
        assert len(again.df) == 5


def test_a_backend_down_from_the_start_opens_the_breaker(engine: Engine) -> None:
    """Before the table list was ever read, failures reading it count like any other:
    after the threshold, calls fail fast instead of waiting out their retries each time."""

    class Down(FaultyBackend):
        def tables(self) -> dict[str, dict[str, str]]:
            self.calls += 1
            raise TransientBackendError("connection refused")

    down = Down(engine.backend)
    engine._backend = down
    threshold = engine.config.retry.breaker_failures
    for _ in range(threshold):
        with pytest.raises(TransientBackendError):
            engine.run_sql(QUERY, use_cache=False)
    calls = down.calls
    with pytest.raises(BackendUnavailableError, match="paused"):
        engine.run_sql(QUERY, use_cache=False)
    assert down.calls == calls  # failed fast: the service was not asked again


# -- BigQuery job polls, through a fault proxy in front of the real emulator ----------

BQ_ENDPOINT = os.environ.get("LGDA_TEST_BIGQUERY_ENDPOINT")
needs_emulator = pytest.mark.skipif(
    not BQ_ENDPOINT, reason="needs the BigQuery emulator (scripts/bigquery-emulator.sh start)"
)
BQ_PROJECT = "lgda-test"
BQ_SQL = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"
#: The poll tests shorten the per-request budget from 30 s to this, so that a poll that
#: keeps failing ends in seconds; every other setting is the default.
POLL_BUDGET = 2.0


@pytest.fixture(scope="module")
def bq_dataset() -> Iterator[str]:
    """A small ``orders`` table in a dataset of its own on the emulator."""
    import uuid

    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    client = bigquery.Client(
        project=BQ_PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=BQ_ENDPOINT),
    )
    dataset = f"{BQ_PROJECT}.polls_{uuid.uuid4().hex[:8]}"
    client.create_dataset(bigquery.Dataset(dataset))
    schema = [bigquery.SchemaField("id", "INT64"), bigquery.SchemaField("status", "STRING")]
    table = client.create_table(bigquery.Table(f"{dataset}.orders", schema=schema))
    rows = [{"id": i, "status": ("Complete", "Shipped", "Returned")[i % 3]} for i in range(30)]
    assert client.insert_rows_json(table, rows) == []
    yield dataset
    client.delete_dataset(dataset, delete_contents=True, not_found_ok=True)
    client.close()


class _ArmedProxy:
    """What the poll tests need from the proxy: healthy until ``arm``, then the next
    ``failures`` requests answered 503 (all of them when None), then healthy again."""

    def __init__(self, failures: int | None) -> None:
        from lgda_nb.testing import ChaosProxy

        self.failures = failures
        self.armed = False
        self.proxy = ChaosProxy(str(BQ_ENDPOINT))
        fate = self.proxy._fate

        def scripted() -> str | int:
            if self.armed and (self.failures is None or self.failures > 0):
                if self.failures is not None:
                    self.failures -= 1
                return 503
            return fate()

        self.proxy._fate = scripted  # type: ignore[method-assign]

    def arm(self) -> None:
        self.armed = True


def _polls_fail_after_insert(engine: Engine, proxy: _ArmedProxy) -> list[Any]:
    """The emulator runs a job inside jobs.insert and answers DONE; a warehouse answers
    RUNNING for a long one. Mark the freshly inserted job RUNNING, so the backend polls
    it through the proxy (jobs.get on the emulator), and fail requests from then on."""
    backend: Any = engine.backend
    insert = backend._insert
    jobs: list[Any] = []

    def insert_then_fail_polls(*args: Any) -> Any:
        job = insert(*args)
        job._properties.setdefault("status", {})["state"] = "RUNNING"
        jobs.append(job)
        proxy.arm()
        return job

    backend._insert = insert_then_fail_polls
    return jobs


def _bq_engine(dataset: str, proxy_url: str, **extra: Any) -> Engine:
    return Engine(
        load_config(
            backend="bigquery",
            **{
                "bigquery.api_endpoint": proxy_url,
                "bigquery.project": BQ_PROJECT,
                "bigquery.dataset": dataset,
                **extra,
            },
        )
    )


@needs_emulator
def test_a_failing_job_poll_is_retried_to_the_right_answer(bq_dataset: str) -> None:
    """Three failed polls of a running job are retried like any request (every retry
    setting at its default); the job is then seen done and the answer is right."""
    stamina.set_testing(False)
    armed = _ArmedProxy(failures=3)
    with armed.proxy as proxy, _bq_engine(bq_dataset, proxy.url) as bq:
        expected = bq.run_sql(BQ_SQL, use_cache=False).df
        jobs = _polls_fail_after_insert(bq, armed)
        result = bq.run_sql(BQ_SQL, use_cache=False)
        pd.testing.assert_frame_equal(result.df, expected)
        assert jobs[0].state == "DONE"  # polled until the emulator said so
        assert armed.failures == 0
        assert proxy.counts["failed"] == 3
        assert [a["attempt"] for a in result.attempts] == [1, 2, 3]
        assert all("HTTP 503" in a["error"] for a in result.attempts)
        assert bq.breaker.state == "closed"


@needs_emulator
def test_a_job_poll_that_keeps_failing_ends_within_the_retry_budget(bq_dataset: str) -> None:
    """Polls of a running job answered 503 every time: retried within the retry budget
    (not waited out until the job's timeout), then the same TransientBackendError, message
    and hint as any other request out of retries, counted once by the breaker."""
    from lgda_nb._config import RetrySettings

    stamina.set_testing(False)
    settings = {"retry.budget_seconds": POLL_BUDGET}
    outage = _ArmedProxy(failures=None)
    with outage.proxy as proxy, _bq_engine(bq_dataset, proxy.url, **settings) as bq:
        bq.known_tables()
        outage.arm()  # the first request of the call (the dry run) fails: the reference
        with pytest.raises(TransientBackendError) as reference:
            bq.run_sql(BQ_SQL, use_cache=False)
    polls = _ArmedProxy(failures=None)
    with polls.proxy as proxy, _bq_engine(bq_dataset, proxy.url, **settings) as bq:
        bq.known_tables()
        jobs = _polls_fail_after_insert(bq, polls)
        start = time.monotonic()
        with pytest.raises(TransientBackendError) as info:
            bq.run_sql(BQ_SQL, use_cache=False)
        elapsed = time.monotonic() - start
        assert jobs, "the job was inserted before the polls failed"
        assert bq.breaker.snapshot()["recent_failures"] == 1
    assert POLL_BUDGET * 0.5 < elapsed < POLL_BUDGET + 1.5, f"took {elapsed:.1f} s"
    assert bq.config.bigquery.timeout_seconds > 10 * POLL_BUDGET  # the default, far longer
    error = info.value
    assert "HTTP 503" in error.message
    assert (error.message, error.hint, error.code) == (
        reference.value.message,
        reference.value.hint,
        reference.value.code,
    )
    assert "Check the SQL" not in error.hint
    # retried, within the default attempts; then one best-effort cancel of the job
    assert 1 < proxy.counts["failed"] <= RetrySettings().attempts + 1
    assert error.stage == "execute_sql"
