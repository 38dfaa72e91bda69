"""The retry strategy's defaults and waits, computed without sleeping."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lgda_nb._config import RetrySettings
from lgda_nb._retry import RetryStrategy
from lgda_nb.errors import SQLError, TransientBackendError
from lgda_nb.testing import HTTPError


def _schedule(strategy: RetryStrategy, error: BaseException) -> list[float]:
    """The waits of a call that fails every attempt with ``error``, on a fake clock where
    each attempt takes no time."""
    waits: list[float] = []
    elapsed = 0.0
    while (wait := strategy.backoff(len(waits) + 1, strategy.budget - elapsed, error)) is not None:
        waits.append(wait)
        elapsed += wait
    return waits


def test_defaults_wait_within_the_budget_against_a_service_that_is_down() -> None:
    """Default settings: 10 attempts, waits doubling from 0.2 s and capped at 5 s, all
    inside the 30 s budget, so a call fails after about 27 s, never more than 30 s."""
    strategy = RetryStrategy.from_config(RetrySettings(), "backend")
    waits = _schedule(strategy, TransientBackendError("HTTP 503"))
    assert len(waits) == 9  # ten attempts
    assert waits[0] == pytest.approx(0.2, abs=0.2)
    assert all(0 < wait <= 5.0 for wait in waits)
    assert 25.0 < sum(waits) <= 30.0


def test_no_wait_runs_past_the_budget() -> None:
    """A short budget cuts the last wait to what is left, then gives up."""
    strategy = RetryStrategy("backend", 20, 1.0, 5.0, 0.0, budget=4.0)
    waits = _schedule(strategy, TransientBackendError("HTTP 503"))
    assert waits == [1.0, 2.0, 1.0]
    assert sum(waits) == 4.0


def test_retry_after_is_honoured_only_if_it_fits_the_budget() -> None:
    """The server's Retry-After is the wait; one longer than the budget left gives up."""
    strategy = RetryStrategy.from_config(RetrySettings(), "backend")
    assert strategy.backoff(1, 30.0, HTTPError(429, retry_after=2.5)) == 2.5
    assert strategy.backoff(1, 30.0, HTTPError(429, retry_after=60)) is None


def test_permanent_errors_are_never_retried() -> None:
    """A wrong query gives up at once, whatever the budget."""
    strategy = RetryStrategy.from_config(RetrySettings(), "backend")
    assert strategy.backoff(1, 30.0, SQLError("bad")) is None


def test_settings_per_operation() -> None:
    """Backend and schema calls make ``attempts`` tries, LLM calls at most
    ``llm_attempts`` (the next provider is waiting); an unknown operation is a mistake."""
    settings = RetrySettings(attempts=7, llm_attempts=2)
    assert RetryStrategy.from_config(settings, "backend").attempts == 7
    assert RetryStrategy.from_config(settings, "schema").attempts == 7
    assert RetryStrategy.from_config(settings, "llm").attempts == 2
    assert RetryStrategy.from_config(RetrySettings(attempts=1), "llm").attempts == 1
    assert RetryStrategy.from_config(RetrySettings(), "llm").attempts == 3
    with pytest.raises(ValueError, match="unknown retry operation"):
        RetryStrategy.from_config(settings, "sample")


def test_a_flaky_service_cannot_open_the_breaker_with_defaults() -> None:
    """With 30% of requests failing independently, a call fails only if all 10 attempts
    do (0.3**10, about 6 in a million); three such calls in a row open the breaker."""
    settings = RetrySettings()
    assert 0.3**settings.attempts < 1e-5
    assert settings.breaker_failures * settings.budget_seconds < settings.breaker_window_seconds


def _flaky(failures: int) -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def call() -> str:
        calls.append(len(calls) + 1)
        if len(calls) <= failures:
            raise TransientBackendError(f"HTTP 503 on attempt {len(calls)}")
        return "ok"

    return calls, call


def test_a_call_that_fails_first_is_retried_as_before() -> None:
    """The first attempt runs outside the retry loop; when it fails, the loop goes on
    from it: every attempt is made once, each failure is told once, in order."""
    strategy = RetryStrategy("backend", 4, 0.0, 0.0, 0.0, budget=30.0)
    calls, call = _flaky(2)
    told: list[tuple[int, str]] = []
    assert strategy.call(call, on_retry=lambda n, e: told.append((n, e.args[0]))) == "ok"
    assert calls == [1, 2, 3]
    assert told == [(1, "HTTP 503 on attempt 1"), (2, "HTTP 503 on attempt 2")]


def test_attempts_are_counted_from_the_first_call() -> None:
    """Four attempts in all, the first one included; the last error is raised, and a
    permanent error on the first attempt is raised at once."""
    strategy = RetryStrategy("backend", 4, 0.0, 0.0, 0.0, budget=30.0)
    calls, call = _flaky(10)
    with pytest.raises(TransientBackendError, match="attempt 4"):
        strategy.call(call, on_retry=lambda n, e: None)
    assert calls == [1, 2, 3, 4]
    tries: list[int] = []

    def wrong() -> None:
        tries.append(1)
        raise SQLError("bad")

    with pytest.raises(SQLError):
        strategy.call(wrong, on_retry=lambda n, e: None)
    assert tries == [1]
