"""Test helpers users can use too: a backend wrapper that injects faults.

``FaultyBackend`` wraps a real backend and fails the next calls in a scripted
way (an exception instance or class per call), so notebooks and pipelines can
be tested against flaky warehouses without mocking the engine.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.backends import Backend

__all__ = ["FaultyBackend", "HTTPError"]


class HTTPError(Exception):
    """A driver-style HTTP error with a status code and an optional Retry-After."""

    def __init__(self, status_code: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code
        self.retry_after = retry_after


class FaultyBackend:
    """A backend that raises the scripted faults first, then behaves like ``inner``."""

    def __init__(self, inner: Backend, faults: Iterable[BaseException | type[BaseException]] = ()):
        self.inner = inner
        self.name = inner.name
        self.dialect = inner.dialect
        self._faults: deque[BaseException | type[BaseException]] = deque(faults)
        self._lock = threading.Lock()
        self.calls = 0

    def inject(self, *faults: BaseException | type[BaseException]) -> None:
        """Queue more faults for the next calls."""
        with self._lock:
            self._faults.extend(faults)

    def tables(self) -> dict[str, dict[str, str]]:
        return self.inner.tables()

    def execute(self, sql: str) -> pd.DataFrame:
        with self._lock:
            self.calls += 1
            fault = self._faults.popleft() if self._faults else None
        if fault is not None:
            raise fault() if isinstance(fault, type) else fault
        return self.inner.execute(sql)

    def identity(self) -> str:
        identity: Any = getattr(self.inner, "identity", None)
        return str(identity()) if callable(identity) else self.name

    def close(self) -> None:
        self.inner.close()
