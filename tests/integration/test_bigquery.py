"""The BigQuery backend through the official client against a local emulator.

`make test` starts the emulator (scripts/bigquery-emulator.sh) and sets
LGDA_TEST_BIGQUERY_ENDPOINT; without it these tests are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.backends import CallContext
from lgda_nb.errors import ConfigError, CostLimitError, LGDAError, SecurityError, UnknownColumnError

ENDPOINT = os.environ.get("LGDA_TEST_BIGQUERY_ENDPOINT")
pytestmark = pytest.mark.skipif(
    not ENDPOINT, reason="needs the BigQuery emulator (make test starts it)"
)
PROJECT = "lgda-test"
#: Rows per table loaded into the emulator (enough for every answer below).
ROWS = {"events": 3000, "inventory_items": 2000}


def _client() -> Any:
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=ENDPOINT),
    )


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The same thelook rows in an emulator dataset and in a DuckDB file."""
    import urllib.request

    import duckdb

    from lgda_nb.sample import SCHEMA, build_sample
    from lgda_nb.sample._bigquery import load_to_bigquery

    try:
        urllib.request.urlopen(f"{ENDPOINT}/healthz", timeout=5)
    except OSError as exc:
        pytest.fail(f"the BigQuery emulator at {ENDPOINT} does not answer: {exc}")
    folder = tmp_path_factory.mktemp("bq")
    sample = build_sample(folder / "sample.duckdb", scale=0.01)
    dataset = f"thelook_{uuid.uuid4().hex[:8]}"
    loaded = load_to_bigquery(sample, f"{PROJECT}.{dataset}", _client(), limits=ROWS)
    assert loaded["events"] == ROWS["events"]
    mirror = folder / "mirror.duckdb"
    with duckdb.connect(str(sample), read_only=True) as source, duckdb.connect(str(mirror)) as out:
        for table in SCHEMA:
            limit = ROWS.get(table, 100_000)
            frame = source.execute(f"SELECT * FROM {table} ORDER BY 1 LIMIT {limit}").df()
            out.register("frame", frame)
            out.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
            out.unregister("frame")
    yield f"{PROJECT}.{dataset}", mirror
    _client().delete_dataset(f"{PROJECT}.{dataset}", delete_contents=True, not_found_ok=True)


def _bigquery(dataset: str, **extra: Any) -> Engine:
    return Engine(
        load_config(
            backend="bigquery",
            **{
                "bigquery.api_endpoint": ENDPOINT,
                "bigquery.project": PROJECT,
                "bigquery.dataset": dataset,
                **extra,
            },
        )
    )


def _duckdb(mirror: Path) -> Engine:
    return Engine(load_config(**{"duckdb.database": str(mirror)}))


@pytest.mark.parametrize(
    "question",
    [
        "orders by status",
        "revenue by month in 2025",
        "top 5 categories by revenue",
        "customers by country, top 3",
        "what percentage of revenue comes from China?",
        "average order value by department",
        # a growth from the period just before: DATE_SUB(month, INTERVAL 1 MONTH), year - 1
        "month over month revenue growth in 2025",
        "yearly orders growth",
    ],
)
def test_questions_answer_the_same_on_bigquery_and_duckdb(
    datasets: tuple[str, Path], question: str
) -> None:
    """A notebook written against the sample runs unchanged on BigQuery."""
    dataset, mirror = datasets
    with _bigquery(dataset) as bq, _duckdb(mirror) as local:
        remote = bq.ask(question)
        expected = local.ask(question)
    assert remote.backend == "bigquery"
    assert remote.sql == expected.sql
    pd.testing.assert_frame_equal(
        remote.df.reset_index(drop=True),
        expected.df.reset_index(drop=True),
        check_dtype=False,
    )


def test_orders_by_their_own_whole_days_run_on_bigquery(datasets: tuple[str, Path]) -> None:
    """Each order's whole days to delivery, counted: the cast of each order's days grouped
    by its own name runs on BigQuery and gives the warehouse's own day counts.

    Compared with the emulator's own TIMESTAMP_DIFF, not with DuckDB's: the emulator counts
    day boundaries crossed, where BigQuery (and the DuckDB translation) count whole 24-hour
    days."""
    dataset, _ = datasets
    with _bigquery(dataset) as bq:
        answer = bq.ask("how many orders took each number of days to deliver").df
        direct = bq.run_sql(
            "SELECT TIMESTAMP_DIFF(delivered_at, created_at, DAY) AS days, COUNT(*) AS n "
            "FROM orders WHERE delivered_at IS NOT NULL GROUP BY days ORDER BY days"
        ).df
    assert answer.iloc[:, 0].tolist() == direct["days"].tolist()
    assert answer["orders"].tolist() == direct["n"].tolist()


def test_sql_with_qualified_names_runs_with_the_dataset_as_default(
    datasets: tuple[str, Path],
) -> None:
    """Dataset-qualified and bare names both resolve to the configured dataset."""
    dataset, _ = datasets
    short = dataset.split(".", 1)[1]
    with _bigquery(dataset) as bq:
        result = bq.run_sql(
            f"SELECT COUNT(*) AS n FROM {short}.orders AS o JOIN users AS u ON u.id = o.user_id"
        )
    assert result.df["n"].iloc[0] > 0
    assert result.bytes_estimate is not None


def test_jobs_carry_labels_prefix_and_byte_ceiling(
    datasets: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every job sent is labelled, named lgda_*, capped by maximum_bytes_billed, not retried
    by the client (the toolkit's retry is the one layer)."""
    dataset, _ = datasets
    with _bigquery(dataset) as bq:
        client = bq.backend.client  # type: ignore[attr-defined]
        sent: list[dict[str, Any]] = []
        real_query = client.query

        def spy(sql: str, **kwargs: Any) -> Any:
            job = real_query(sql, **kwargs)
            sent.append({**kwargs, "job": job})
            return job

        monkeypatch.setattr(client, "query", spy)
        bq.run_sql("SELECT COUNT(*) AS n FROM orders", use_cache=False)
    dry, real = sent[-2], sent[-1]
    assert dry["job_config"].dry_run is True
    config = real["job_config"]
    assert config.labels["tool"] == "lgda-nb"
    assert config.labels["correlation_id"]
    assert config.maximum_bytes_billed == load_config().bigquery.maximum_bytes_billed
    assert real["job_id"].startswith("lgda_")  # fixed, so a retried insert cannot run twice
    assert real["job"].job_id == real["job_id"]
    assert real["job_retry"] is None
    assert real["retry"]._predicate(RuntimeError()) is False


def test_cost_ceiling_refuses_before_running(
    datasets: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An estimate above maximum_bytes_billed is refused with the estimate; no job runs."""
    dataset, _ = datasets
    with _bigquery(dataset, **{"bigquery.maximum_bytes_billed": 1_000_000}) as bq:
        backend = bq.backend
        monkeypatch.setattr(backend, "estimate", lambda sql, call=None: 5 * 1024**3)
        ran: list[str] = []
        monkeypatch.setattr(backend, "execute", ran.append)
        with pytest.raises(CostLimitError, match=r"5\.0 GiB"):
            bq.run_sql("SELECT * FROM events")
        assert ran == []
        _, estimate = bq.dry_run("SELECT * FROM events", sql=True)
        assert estimate == 5 * 1024**3


def test_errors_are_translated(datasets: tuple[str, Path]) -> None:
    """Unknown columns name the closest one; the policy refuses before any job."""
    dataset, _ = datasets
    with _bigquery(dataset) as bq:
        with pytest.raises(UnknownColumnError, match="status"):
            bq.run_sql("SELECT statuss FROM orders")
        with pytest.raises(SecurityError):
            bq.run_sql("SELECT * FROM `other-project.thelook_ecommerce.orders`")


def test_missing_credentials_say_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an endpoint or credentials the error names the command that fixes it."""
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.setenv("CLOUDSDK_CONFIG", "/nonexistent")
    engine = Engine(load_config(backend="bigquery"))
    with pytest.raises(ConfigError) as info:
        engine.run_sql("SELECT COUNT(*) FROM orders")
    assert "gcloud auth application-default login" in info.value.hint


def test_values_travel_as_query_parameters(
    datasets: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filter values reach BigQuery as query parameters, not as SQL text."""
    dataset, mirror = datasets
    with _bigquery(dataset) as bq, _duckdb(mirror) as local:
        client = bq.backend.client  # type: ignore[attr-defined]
        sent: list[tuple[str, Any]] = []
        real_query = client.query
        monkeypatch.setattr(
            client, "query", lambda sql, **kw: sent.append((sql, kw)) or real_query(sql, **kw)
        )
        question = "revenue from China by department"
        remote = bq.ask(question, use_cache=False)
        expected = local.ask(question)
    text, kwargs = sent[-1]
    assert "'China'" not in text
    assert "@p" in text
    values = {p.value for p in kwargs["job_config"].query_parameters}
    assert "China" in values
    pd.testing.assert_frame_equal(remote.df, expected.df, check_dtype=False)


def test_types_are_mapped_faithfully(datasets: tuple[str, Path]) -> None:
    """TIMESTAMP stays tz-aware UTC, DATE a date, NUMERIC exact, ARRAY and STRUCT nested."""
    from decimal import Decimal

    dataset, _ = datasets
    with _bigquery(dataset) as bq:
        df = bq.run_sql(
            "SELECT TIMESTAMP '2025-01-01 10:00:00+00' AS ts, DATE '2025-01-02' AS d, "
            "NUMERIC '1.25' AS n, [1, 2] AS arr, STRUCT(1 AS a, 'x' AS b) AS s"
        ).df
    assert str(df["ts"].dt.tz) == "UTC"
    assert df["d"].iloc[0] == pd.Timestamp("2025-01-02")
    assert df["n"].iloc[0] == Decimal("1.25")
    assert list(df["arr"].iloc[0]) == [1, 2]
    assert dict(df["s"].iloc[0]) == {"a": 1, "b": "x"}


def test_progress_is_reported_while_a_job_runs(datasets: tuple[str, Path]) -> None:
    """The call's listener hears state, elapsed time and bytes, then a final report."""
    dataset, _ = datasets
    reports: list[dict[str, Any]] = []
    with _bigquery(dataset) as bq:
        bq.run_sql("SELECT COUNT(*) AS n FROM events", use_cache=False, on_progress=reports.append)
        assert not hasattr(bq.backend, "on_progress")  # per call, never on the shared backend
    assert reports
    assert reports[-1]["final"] is True
    assert all(r["job_id"].startswith("lgda_") for r in reports)
    assert all(r["elapsed"] >= 0 for r in reports)


def test_magic_shows_progress_and_clears_it(
    datasets: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """%%lgda on BigQuery shows a progress line that is emptied when the job ends."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output

    from lgda_nb._config import set_config
    from lgda_nb.jupyter import _magics

    dataset, _ = datasets
    monkeypatch.setattr(_magics, "PROGRESS_AFTER_SECONDS", 0.0)  # emulator jobs are quick
    set_config(
        backend="bigquery",
        **{
            "bigquery.api_endpoint": ENDPOINT,
            "bigquery.project": PROJECT,
            "bigquery.dataset": dataset,
        },
    )
    ip = get_ipython() or start_ipython()
    ip.display_formatter.active_types = list(ip.display_formatter.format_types)
    ip.run_line_magic("load_ext", "lgda_nb")
    with capture_output() as captured:
        outcome = ip.run_cell("%%lgda --no-cache\norders by status")
    assert outcome.success, outcome.error_in_exec
    texts = [o.data.get("text/plain", "") for o in captured.outputs]
    assert any(t.startswith("BigQuery job lgda_") for t in texts)
    assert not hasattr(_magics.kernel_engine().backend, "on_progress")


class _SlowJob:
    """A job that never finishes, to drive the polling loop's timeout and cancel."""

    job_id = "lgda_slow"
    state = "RUNNING"
    total_bytes_processed = 0

    def __init__(self) -> None:
        self.cancelled = False

    def done(self, retry: Any = None, timeout: Any = None) -> bool:
        return False

    def cancel(self, retry: Any = None, timeout: Any = None) -> bool:
        self.cancelled = True
        return True


def test_job_past_its_timeout_is_cancelled() -> None:
    """A job still running at the timeout is cancelled, within the timeout plus a bit.

    (The emulator runs jobs synchronously inside jobs.insert, so the polling loop
    is driven here by a job that never finishes.)
    """
    import time

    from lgda_nb.backends._bigquery import BigQueryBackend
    from lgda_nb.errors import QueryTimeoutError

    backend = BigQueryBackend(load_config(backend="bigquery"))
    job = _SlowJob()
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="cancelled"):
        backend._wait(job, start, 0.5, CallContext("c1"))
    assert job.cancelled
    assert time.monotonic() - start < 1.5


def test_cancelling_one_call_cancels_its_job_only() -> None:
    """Each call carries its own cancel flag: the job of the cancelled call is
    cancelled, another call's job polling at the same time goes on."""
    import threading
    import time

    from lgda_nb.backends._bigquery import BigQueryBackend
    from lgda_nb.errors import QueryCancelledError

    backend = BigQueryBackend(load_config(backend="bigquery"))
    mine, other = CallContext("mine"), CallContext("other")
    jobs = {"mine": _SlowJob(), "other": _SlowJob()}
    errors: dict[str, BaseException] = {}

    def wait(call: CallContext, timeout: float) -> None:
        try:
            backend._wait(jobs[call.call_id], time.monotonic(), timeout, call)
        except BaseException as exc:
            errors[call.call_id] = exc

    threads = [
        threading.Thread(target=wait, args=(mine, 30)),
        threading.Thread(target=wait, args=(other, 1.5)),
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    mine.cancelled.set()
    threads[0].join(5)
    assert isinstance(errors["mine"], QueryCancelledError)
    assert jobs["mine"].cancelled
    assert not jobs["other"].cancelled  # still polling
    threads[1].join(5)
    assert "timeout" in str(errors["other"])  # it ran on until its own timeout


def test_cli_loads_the_sample_into_bigquery(tmp_path: Path) -> None:
    """`lgda sample --to-bigquery` builds the sample and streams it into a dataset."""
    import subprocess
    import sys

    dataset = f"{PROJECT}.cli_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "LGDA_BIGQUERY__API_ENDPOINT": str(ENDPOINT),
        "LGDA_BIGQUERY__PROJECT": PROJECT,
    }
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lgda")), "sample", "--scale", "0.002",
         "--path", str(tmp_path / "s.duckdb"), "--to-bigquery", dataset],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{dataset}.orders:" in done.stdout
    rows = list(_client().query(f"SELECT COUNT(*) AS n FROM `{dataset}.orders`").result())
    assert rows[0]["n"] > 0


@pytest.mark.timeout(900)  # every dev question twice, on an emulator that is slow at joins
def test_visible_eval_set_on_the_emulator(datasets: tuple[str, Path]) -> None:
    """The ask eval set reaches the same bar on BigQuery as on the embedded sample."""
    from lgda_nb.eval import load_cases, run_eval

    dataset, mirror = datasets
    cases = load_cases(Path(__file__).parents[1] / "eval" / "dev.jsonl")
    with _bigquery(dataset) as bq:
        remote = run_eval(bq, cases)
    with _duckdb(mirror) as local:
        embedded = run_eval(local, cases)
    print(f"eval accuracy: BigQuery emulator {remote.accuracy:.3f}, DuckDB {embedded.accuracy:.3f}")
    only_remote = {f.id for f in remote.failures} - {f.id for f in embedded.failures}
    for failure in remote.failures:
        if failure.id in only_remote:
            print("  only on the emulator:", failure.id, failure.question, failure.reason)
    assert remote.accuracy >= 0.95, remote.to_text()
    assert abs(remote.accuracy - embedded.accuracy) <= 0.02, remote.to_text()


#: The flaky service: 30% of requests dropped or answered 429/500/503 without forwarding.
FLAKY = {"drop": 0.08, "statuses": {429: 0.08, 500: 0.07, 503: 0.07}}
FLAKY_QUESTIONS = [
    "orders by status",
    "top 5 categories by revenue",
    "customers by country",
    "revenue by month in 2025",
]


@pytest.mark.parametrize(
    ("seed", "waits"),
    [(1, "real"), (2, "skipped"), (3, "skipped"), (4, "skipped"), (5, "skipped")],
)
def test_flaky_network_still_gives_correct_answers(
    datasets: tuple[str, Path], seed: int, waits: str
) -> None:
    """With 30% of requests failing and every retry setting at its default, every answer
    is correct and the breaker stays closed.

    The first seed waits for real (3-20 s); the others use stamina's test mode, which
    keeps the default attempts and budget but skips the waits, so the file stays quick.
    """
    import stamina

    from lgda_nb._config import RetrySettings
    from lgda_nb.testing import ChaosProxy

    dataset, mirror = datasets
    with _duckdb(mirror) as local:
        expected = {q: local.ask(q).df for q in FLAKY_QUESTIONS}
    if waits == "skipped":
        stamina.set_testing(True, attempts=RetrySettings().attempts)
    try:
        with (
            ChaosProxy(str(ENDPOINT), seed=seed, **FLAKY) as proxy,  # type: ignore[arg-type]
            _bigquery(dataset, **{"bigquery.api_endpoint": proxy.url}) as bq,
        ):
            for question in FLAKY_QUESTIONS:
                got = bq.ask(question, use_cache=False)
                pd.testing.assert_frame_equal(got.df, expected[question], check_dtype=False)
            assert bq.breaker.state == "closed"
    finally:
        stamina.set_testing(False)
    assert proxy.counts["dropped"] + proxy.counts["failed"] > 0


OUTAGE_SQL = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"
#: The outage tests shorten the per-request budget from 30 s to this, so that three
#: failed calls take seconds, not a minute and a half; every other setting is default.
OUTAGE_BUDGET = 2.0


def _fails_within_the_budget(bq: Engine, error: type[LGDAError], match: str) -> None:
    import time

    start = time.monotonic()
    with pytest.raises(error, match=match):
        bq.run_sql(OUTAGE_SQL, use_cache=False)
    elapsed = time.monotonic() - start
    assert OUTAGE_BUDGET * 0.5 < elapsed < OUTAGE_BUDGET + 1.5, f"took {elapsed:.1f} s"


def _breaker_is_open_and_fails_at_once(bq: Engine) -> None:
    import time

    from lgda_nb.errors import BackendUnavailableError

    assert bq.breaker.state == "open"
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError, match="paused"):
        bq.run_sql(OUTAGE_SQL, use_cache=False)
    assert time.monotonic() - start < 0.5


def test_outage_fails_within_the_budget_then_opens_the_breaker(
    datasets: tuple[str, Path],
) -> None:
    """A service answering 503 to everything: each call retries within its budget and
    ends in TransientBackendError (HTTP 503); the default number of failed calls opens
    the breaker, and the next call fails at once without a request."""
    from lgda_nb._config import RetrySettings
    from lgda_nb.errors import TransientBackendError
    from lgda_nb.testing import ChaosProxy

    dataset, _ = datasets
    defaults = RetrySettings()
    with (
        ChaosProxy(str(ENDPOINT)) as proxy,
        _bigquery(
            dataset, **{"bigquery.api_endpoint": proxy.url, "retry.budget_seconds": OUTAGE_BUDGET}
        ) as bq,
    ):
        bq.known_tables()  # the schema was read while the service was up
        proxy.set_faults(statuses={503: 1.0})
        for _ in range(defaults.breaker_failures):
            before = proxy.counts["failed"]
            _fails_within_the_budget(bq, TransientBackendError, "HTTP 503")
            assert 1 < proxy.counts["failed"] - before <= defaults.attempts  # retried
        before = dict(proxy.counts)
        _breaker_is_open_and_fails_at_once(bq)
        assert proxy.counts == before  # nothing sent while open


def test_remote_endpoint_refusing_connections_opens_the_breaker(
    datasets: tuple[str, Path],
) -> None:
    """Off loopback a refused connection may be a blip: retried within the budget, then
    'Could not connect' naming the endpoint, counted by the breaker like any outage."""
    from lgda_nb.errors import TransientBackendError

    endpoint = _refusing_remote_endpoint()
    if endpoint is None:
        pytest.skip("no non-loopback address here with a port that refuses connections")
    dataset, _ = datasets
    with _bigquery(dataset, **{"retry.budget_seconds": OUTAGE_BUDGET}) as bq:
        bq.known_tables()  # read from the emulator; then the network goes away
        bq.config.bigquery.api_endpoint = endpoint
        bq.backend.close()  # type: ignore[attr-defined]  # the next call builds a new client
        for _ in range(bq.config.retry.breaker_failures):
            _fails_within_the_budget(bq, TransientBackendError, "Could not connect")
        _breaker_is_open_and_fails_at_once(bq)


def _refusing_remote_endpoint() -> str | None:
    """``http://ADDRESS:PORT`` on this machine's own non-loopback address, where nothing
    listens: connections are refused at once, as from a remote host that is down."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("192.0.2.1", 9))  # picks the address of the default route; sends nothing
        except OSError:
            return None
        host = str(udp.getsockname()[0])
    if host.startswith("127."):
        return None
    with socket.socket() as sock:
        sock.bind((host, 0))
        port = int(sock.getsockname()[1])
    with socket.socket() as probe:
        if probe.connect_ex((host, port)) == 0:
            return None
    return f"http://{host}:{port}"


def test_permanent_errors_are_not_retried_through_the_network(
    datasets: tuple[str, Path],
) -> None:
    """A 400 from BigQuery is one request, however flaky the rest is."""
    from lgda_nb.testing import ChaosProxy

    dataset, _ = datasets
    with (
        ChaosProxy(str(ENDPOINT)) as proxy,
        _bigquery(dataset, **{"bigquery.api_endpoint": proxy.url}) as bq,
    ):
        bq.known_tables()
        before = proxy.counts["forwarded"]
        with pytest.raises(UnknownColumnError):
            bq.run_sql("SELECT statuss FROM orders", use_cache=False)
        # one dry run, answered 400: nothing retried, no job inserted
        assert proxy.counts["forwarded"] - before == 1


def test_stalled_responses_end_in_a_timeout(datasets: tuple[str, Path]) -> None:
    """When every response stalls, QueryTimeoutError arrives within the bound."""
    import time

    from lgda_nb.errors import QueryTimeoutError
    from lgda_nb.testing import ChaosProxy

    dataset, _ = datasets
    with _bigquery(dataset) as warm:
        warm.known_tables()
    with (
        ChaosProxy(str(ENDPOINT), stall=1.0, stall_seconds=10) as proxy,
        _bigquery(
            dataset,
            **{"bigquery.api_endpoint": proxy.url, "bigquery.timeout_seconds": 1.5},
        ) as bq,
    ):
        bq._backend = None
        start = time.perf_counter()
        with pytest.raises((QueryTimeoutError, LGDAError)) as info:
            bq.run_sql("SELECT COUNT(*) AS n FROM orders", use_cache=False)
        elapsed = time.perf_counter() - start
    assert isinstance(info.value, QueryTimeoutError), info.value
    assert elapsed < 1.5 + 2.0


def test_kernel_interrupt_cancels_the_job(
    monkeypatch: pytest.MonkeyPatch, kernel_interrupts: None
) -> None:
    """A KeyboardInterrupt while a job runs cancels the job and raises QueryCancelledError."""
    import _thread
    import threading

    from lgda_nb.backends._bigquery import BigQueryBackend
    from lgda_nb.errors import QueryCancelledError

    backend = BigQueryBackend(load_config(backend="bigquery"))
    job = _SlowJob()
    monkeypatch.setattr(backend, "_insert", lambda *args: job)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(QueryCancelledError):
        backend.execute("SELECT 1 AS one")
    assert job.cancelled


def test_personal_data_is_masked_where_bigquery_reads_it(datasets: tuple[str, Path]) -> None:
    """The masking subquery runs on BigQuery too: pseudonyms, equal values kept equal."""
    import re

    dataset, mirror = datasets
    with _bigquery(dataset) as bq:
        shown = bq.run_sql("SELECT email, REVERSE(first_name) AS r FROM users ORDER BY id LIMIT 3")
        distinct = bq.run_sql("SELECT COUNT(DISTINCT email) AS n FROM users")
    with _duckdb(mirror) as local:
        raw = local.backend.execute("SELECT COUNT(DISTINCT email) AS n FROM users")
    assert all(re.fullmatch(r"masked:[0-9a-f]{12}", e) for e in shown.df["email"])
    assert all(r.endswith(":deksam") for r in shown.df["r"])
    assert distinct.df["n"].iloc[0] == raw["n"].iloc[0]
