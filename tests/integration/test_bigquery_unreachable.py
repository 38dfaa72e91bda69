"""BigQuery that cannot be reached fails in seconds with a hint, under default settings.

No emulator needed: a loopback port nothing listens on stands for an emulator that is
not running, the case of notebook 02 right after `make lab`.
"""

from __future__ import annotations

import time

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.errors import BackendUnavailableError, TransientBackendError
from lgda_nb.testing import LLMTestServer

pytest.importorskip("google.cloud.bigquery")

#: Well under the default retry budget (30 s) and timeout (120 s): seconds, not minutes.
FAST = 5.0


def _closed_endpoint() -> str:
    return f"http://127.0.0.1:{LLMTestServer.closed_port()}"


@pytest.mark.parametrize(
    ("run", "text"),
    [
        ("ask", "revenue by month"),
        ("run_sql", "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"),
    ],
)
def test_emulator_not_running_fails_fast_with_the_command_to_start_it(run: str, text: str) -> None:
    """A refused connection on loopback is BackendUnavailableError naming the emulator script."""
    endpoint = _closed_endpoint()
    config = load_config(
        backend="bigquery", **{"bigquery.api_endpoint": endpoint, "bigquery.project": "lgda-test"}
    )
    start = time.monotonic()
    with Engine(config) as engine, pytest.raises(BackendUnavailableError) as info:
        getattr(engine, run)(text)
    elapsed = time.monotonic() - start
    assert elapsed < FAST, f"took {elapsed:.1f} s"
    assert endpoint in info.value.message
    assert "scripts/bigquery-emulator.sh start" in info.value.hint
    assert "LGDA_BIGQUERY__API_ENDPOINT" in info.value.hint
    assert "Connection refused" in (info.value.detail or "")


def _refused(calls: list[str]) -> None:
    """A real HTTP request to a loopback port nothing listens on, counted."""
    import requests

    calls.append("called")
    requests.get(_closed_endpoint(), timeout=5)


def test_emulator_not_running_is_not_retried() -> None:
    """Nothing listens on the loopback endpoint: one attempt, then BackendUnavailableError."""
    from lgda_nb.backends._bigquery import BigQueryBackend

    config = load_config(backend="bigquery", **{"bigquery.api_endpoint": _closed_endpoint()})
    calls: list[str] = []
    with pytest.raises(BackendUnavailableError) as info:
        BigQueryBackend(config)._call(lambda: _refused(calls))
    assert len(calls) == 1
    assert "scripts/bigquery-emulator.sh start" in info.value.hint


def test_remote_endpoint_unreachable_is_retried_within_the_budget_then_transient() -> None:
    """Off loopback a failed connection may be a network blip: retried within the budget,
    then a transient error with a network hint, which the circuit breaker counts."""
    from lgda_nb.backends._bigquery import BigQueryBackend

    # The configured endpoint is never contacted: the call itself is what fails to connect.
    # Only the budget is shortened (default 30 s), so the test ends quickly.
    config = load_config(
        backend="bigquery",
        **{"bigquery.api_endpoint": "https://bigquery.example.com", "retry.budget_seconds": 2},
    )
    calls: list[str] = []
    start = time.monotonic()
    with pytest.raises(TransientBackendError) as info:
        BigQueryBackend(config)._call(lambda: _refused(calls))
    assert time.monotonic() - start < FAST
    assert 1 < len(calls) <= config.retry.attempts
    assert "Could not connect to BigQuery at https://bigquery.example.com" in info.value.message
    assert "Check the network" in info.value.hint
