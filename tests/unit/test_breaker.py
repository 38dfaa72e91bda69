"""The circuit breaker's state machine, driven by a fake clock: every exit of the
half-open probe leaves a defined state, and nothing sleeps."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lgda_nb._retry import CircuitBreaker
from lgda_nb.errors import (
    BackendUnavailableError,
    QueryCancelledError,
    QueryTimeoutError,
    TransientBackendError,
    UnknownColumnError,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker("backend", threshold=3, window=60, cooldown=30, clock=clock)


def _raise(error: BaseException) -> Callable[[], None]:
    def fn() -> None:
        raise error

    return fn


def _open_half(clock: Clock) -> CircuitBreaker:
    """A breaker that opened and whose cool-down has passed."""
    breaker = _breaker(clock)
    for _ in range(3):
        with pytest.raises(TransientBackendError):
            breaker.call(_raise(TransientBackendError("503")))
    assert breaker.state == "open"
    with pytest.raises(BackendUnavailableError, match="paused"):
        breaker.call(lambda: 1)
    clock.now += 30
    assert breaker.state == "half-open"
    return breaker


def test_only_transient_failures_in_the_window_open_it() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(10):
        with pytest.raises(UnknownColumnError):
            breaker.call(_raise(UnknownColumnError("no column x")))
    assert breaker.state == "closed"
    for _ in range(2):
        with pytest.raises(TransientBackendError):
            breaker.call(_raise(TransientBackendError("503")))
    clock.now += 61  # the two failures age out of the window
    with pytest.raises(TransientBackendError):
        breaker.call(_raise(TransientBackendError("503")))
    assert breaker.state == "closed"


def test_a_successful_probe_closes_it() -> None:
    clock = Clock()
    breaker = _open_half(clock)
    assert breaker.call(lambda: 42) == 42
    assert breaker.state == "closed"


def test_a_probe_failing_transiently_opens_it_for_another_cooldown() -> None:
    clock = Clock()
    breaker = _open_half(clock)
    with pytest.raises(TransientBackendError):
        breaker.call(_raise(TransientBackendError("503")))
    assert breaker.state == "open"
    clock.now += 29
    assert breaker.state == "open"
    clock.now += 1
    assert breaker.state == "half-open"
    assert breaker.opened == 2


def test_a_probe_failing_permanently_closes_it() -> None:
    """A column typo on the probe means the service answered: it was the stuck-probe bug."""
    clock = Clock()
    breaker = _open_half(clock)
    with pytest.raises(UnknownColumnError):
        breaker.call(_raise(UnknownColumnError("no column x")))
    assert breaker.state == "closed"
    assert breaker.call(lambda: "next") == "next"


@pytest.mark.parametrize(
    "error",
    [
        QueryCancelledError("cancelled"),
        QueryTimeoutError("too slow"),
        KeyboardInterrupt(),
    ],
    ids=["cancelled", "timeout", "interrupt"],
)
def test_a_probe_without_a_verdict_lets_the_next_call_probe(error: BaseException) -> None:
    clock = Clock()
    breaker = _open_half(clock)
    with pytest.raises(type(error)):
        breaker.call(_raise(error))
    assert breaker.state == "half-open"
    assert breaker.call(lambda: "probe again") == "probe again"
    assert breaker.state == "closed"


def test_only_one_probe_at_a_time() -> None:
    clock = Clock()
    breaker = _open_half(clock)
    inside: list[str] = []

    def probe() -> str:
        with pytest.raises(BackendUnavailableError):
            breaker.call(lambda: "second")
        inside.append("probed")
        return "first"

    assert breaker.call(probe) == "first"
    assert inside == ["probed"]
    assert breaker.state == "closed"
