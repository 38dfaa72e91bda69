"""Retries and circuit breakers: one mechanism for every backend and provider call.

``RetryStrategy`` runs a call under stamina with the attempts, backoff, jitter and
time budget of ``UnifiedConfig.retry`` for an operation; ``is_transient``
is the one place that decides what is worth retrying. ``CircuitBreaker`` stops calling
a dependency that keeps failing, fails fast for a cool-down, then lets a single probe
decide.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import structlog

from lgda_nb.errors import BackendUnavailableError, LGDAError

if TYPE_CHECKING:
    from lgda_nb._config import RetrySettings

T = TypeVar("T")
logger = structlog.get_logger("lgda_nb.retry")

#: HTTP statuses that say "try again": rate limited, or the server had a moment.
TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_TRANSIENT_WORDS = ("rate limit", "too many requests", "temporarily", "busy", "try again")


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is worth retrying; every classification lives here.

    Our own errors say so by type (``retryable``). Driver errors are transient
    when they are connection problems, single-call timeouts, or carry an HTTP
    status of 408/429/5xx; everything else (refusals, syntax, unknown names,
    permissions, configuration) is permanent.
    """
    if isinstance(exc, LGDAError):
        return exc.retryable
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    status = getattr(exc, "status_code", None) or getattr(exc, "code", None)
    if isinstance(status, int) and status in TRANSIENT_STATUS:
        return True
    text = str(exc).lower()
    return isinstance(exc, OSError) and any(word in text for word in _TRANSIENT_WORDS)


def _inconclusive(exc: BaseException) -> bool:
    """Errors that say nothing about the service: our own cancel or time limit."""
    from lgda_nb.errors import QueryCancelledError, QueryTimeoutError

    return isinstance(exc, QueryCancelledError | QueryTimeoutError)


def retry_after(exc: BaseException) -> float | None:
    """Seconds a server asked us to wait (``Retry-After``), if it said."""
    value = getattr(exc, "retry_after", None)
    if value is None:
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class RetryStrategy:
    """How a call is retried: capped exponential backoff with jitter, within a budget.

    ``backend`` and ``schema`` calls get ``UnifiedConfig.retry`` as it is; ``llm`` calls
    make at most ``llm_attempts`` tries, so a failing provider hands over to the next
    one quickly. The budget, not the attempts, is what bounds a call against a service that
    is down: no wait runs past it (see ``backoff``).
    """

    operation: str
    attempts: int
    initial_backoff: float
    max_backoff: float
    jitter: float
    budget: float
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    @classmethod
    def from_config(cls, settings: RetrySettings, operation: str) -> RetryStrategy:
        """The strategy for ``operation`` (``backend``, ``schema``, ``llm``)."""
        if operation not in {"backend", "schema", "llm"}:
            raise ValueError(f"unknown retry operation {operation!r}")
        return cls(
            operation=operation,
            attempts=min(settings.attempts, settings.llm_attempts)
            if operation == "llm"
            else settings.attempts,
            initial_backoff=settings.initial_backoff_seconds,
            max_backoff=settings.max_backoff_seconds,
            jitter=settings.jitter_seconds,
            budget=settings.budget_seconds,
        )

    def backoff(self, failures: int, remaining: float, exc: BaseException) -> float | None:
        """Seconds to wait after ``failures`` failed attempts, or None to give up.

        Permanent errors, the last attempt and a spent budget give up. Otherwise the
        server's Retry-After if it fits in the ``remaining`` budget (one that does not is
        not ignored: we give up at once), else ``initial * 2**(failures-1)`` plus up to
        ``jitter``, capped at ``max_backoff`` and at what is left of the budget.
        """
        if not is_transient(exc) or failures >= self.attempts or remaining <= 0:
            return None
        asked = retry_after(exc)
        if asked is not None:
            return asked if asked <= remaining else None
        jitter = random.uniform(0, self.jitter) if self.jitter else 0.0
        wait = min(self.max_backoff, self.initial_backoff * 2.0 ** (failures - 1) + jitter)
        return min(wait, remaining)

    def call(self, fn: Callable[[], T], *, on_retry: Callable[[int, BaseException], None]) -> T:
        """Run ``fn``; retry transient failures within the attempts and the time budget.

        ``on_retry(attempt, error)`` is told about each failed attempt when the next one
        starts. The last error is raised when retries run out. stamina's test mode
        (``stamina.set_testing``) still sets the attempts and skips the waits. The first
        attempt runs before stamina's loop is set up (about 20 us a call); when it fails,
        the loop starts with that failure as its first attempt, so attempts, waits and
        the budget are the same.
        """
        started = self.clock()
        try:  # most calls succeed at once: no retry loop is set up for them
            return fn()
        except Exception as exc:
            first: Exception | None = exc
        import stamina

        failures = 0

        def hook(exc: BaseException) -> bool | float:
            nonlocal failures
            failures += 1
            wait = self.backoff(failures, self.budget - (self.clock() - started), exc)
            return False if wait is None else wait

        retried: tuple[int, BaseException] | None = None
        # The hook owns the budget and the waits; stamina runs the loop and its test mode.
        for attempt in stamina.retry_context(on=hook, attempts=self.attempts, timeout=None):
            with attempt:
                if first is not None:  # the first attempt, made above, failed
                    retried, first = (attempt.num, first), None
                    raise retried[1]
                if retried is not None:
                    on_retry(*retried)
                    retried = None
                try:
                    return fn()
                except Exception as exc:
                    retried = (attempt.num, exc)
                    raise
        raise AssertionError("unreachable: stamina raises the last error")  # pragma: no cover


class CircuitBreaker:
    """Closed -> open after ``threshold`` failures in ``window`` s -> half-open probe.

    Only transient failures count. Half-open lets exactly one call through, and every
    way that probe can end leaves a defined state:

    - it succeeds, or fails with a permanent error (the service answered, the query
      was wrong): closed;
    - it fails with a transient error: open again for another cool-down;
    - it is cancelled or times out, or anything else interrupts it: still half-open,
      and the next call is the probe.

    ``clock`` (seconds, monotonic) is injectable so tests need not sleep.
    """

    def __init__(
        self,
        name: str,
        *,
        threshold: int,
        window: float,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.threshold = threshold
        self.window = window
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: deque[float] = deque()
        self._opened_at: float | None = None
        self._probing = False
        self.opened = 0

    @classmethod
    def from_config(cls, name: str, settings: RetrySettings) -> CircuitBreaker:
        """A breaker for ``name`` with the thresholds of ``UnifiedConfig.retry``."""
        return cls(
            name,
            threshold=settings.breaker_failures,
            window=settings.breaker_window_seconds,
            cooldown=settings.breaker_cooldown_seconds,
        )

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` behind the breaker: fail fast while open, count transient failures.

        Wrap the whole retried call, not each attempt: a call that succeeded after a
        retry is a success, so a flaky but working service never opens the breaker.
        """
        probe = self.before_call()
        try:
            value = fn()
        except BaseException as exc:
            if is_transient(exc):
                self.record_failure()
            elif probe and isinstance(exc, Exception) and not _inconclusive(exc):
                self.record_success()  # the service answered: it is up
            elif probe:
                self.release_probe()
            raise
        self.record_success()
        return value

    @property
    def state(self) -> str:
        """``closed``, ``open`` or ``half-open``."""
        with self._lock:
            return self._state(self._clock())

    def _state(self, now: float) -> str:
        if self._opened_at is None:
            return "closed"
        if now - self._opened_at < self.cooldown:
            return "open"
        return "half-open"

    def before_call(self) -> bool:
        """Fail fast while open; let exactly one probe through when half-open.

        Returns whether this call is the probe, which must end in ``record_success``,
        ``record_failure`` or ``release_probe``.
        """
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state == "closed":
                return False
            if state == "half-open" and not self._probing:
                self._probing = True
                return True
            remaining = 0.0 if self._opened_at is None else self.cooldown - (now - self._opened_at)
        raise BackendUnavailableError(
            f"{self.name} failed {self.threshold} times in a row recently, so calls are paused.",
            hint=f"Try again in {max(remaining, 0.0):.0f} s; check the connection or the "
            "service's status.",
        )

    def record_success(self) -> None:
        """A success closes the breaker and forgets past failures."""
        with self._lock:
            self._failures.clear()
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        """Count a failure of the dependency; open when there are enough in the window."""
        with self._lock:
            now = self._clock()
            if self._probing:
                self._opened_at, self._probing = now, False
                self.opened += 1
                return
            self._failures.append(now)
            while self._failures and now - self._failures[0] > self.window:
                self._failures.popleft()
            if len(self._failures) >= self.threshold and self._opened_at is None:
                self._opened_at = now
                self.opened += 1
                logger.warning("breaker_opened", breaker=self.name, failures=len(self._failures))

    def release_probe(self) -> None:
        """The probe ended without a verdict (cancelled, timed out): let another one try."""
        with self._lock:
            self._probing = False

    def snapshot(self) -> dict[str, object]:
        """State for ``%lgda_stats``."""
        with self._lock:
            return {
                "breaker": self.name,
                "state": self._state(time.monotonic()),
                "recent_failures": len(self._failures),
                "times_opened": self.opened,
            }
