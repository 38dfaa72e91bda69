"""Backends run validated SQL: the embedded DuckDB sample, or BigQuery.

A backend is anything with the ``Backend`` protocol's few methods; the registry
maps a name from ``UnifiedConfig.backend`` to ``"module:Class"`` and imports it
only when chosen.
"""

from __future__ import annotations

import difflib
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from lgda_nb.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb._config import UnifiedConfig

__all__ = ["BACKENDS", "Backend", "CallContext", "create_backend"]


@dataclass(frozen=True)
class CallContext:
    """One call's own state, handed down to the backend with each query.

    Nothing of a call is stored on a shared backend or engine, so a dashboard's
    refresh thread and a panel can share one engine: each call has its id (the
    correlation id on logs and BigQuery job labels), its listeners and its own
    cancel flag, which ``Engine.cancel(call_id)`` sets and the backend watches.
    """

    call_id: str
    #: Told about each retried request (attempt number, error).
    on_retry: Callable[[int, BaseException], None] | None = None
    #: Told a warehouse job's progress (job id, state, elapsed, bytes, final).
    on_progress: Callable[[dict[str, Any]], None] | None = None
    #: Set to cancel this call; the backend interrupts its query within about 0.25 s.
    cancelled: threading.Event = field(default_factory=threading.Event, compare=False)
    #: The thread that started the call (``Engine.cancel()`` without an id cancels those).
    thread: int = field(default_factory=threading.get_ident)


@runtime_checkable
class Backend(Protocol):
    """What the engine needs from a place that runs SQL."""

    name: str
    #: sqlglot dialect the backend executes.
    dialect: str

    def tables(self) -> dict[str, dict[str, str]]:
        """Table name -> {column name: type}, for the tables the backend can see."""
        ...

    def execute(self, sql: str, call: CallContext | None = None) -> pd.DataFrame:
        """Run one query already in the backend's dialect; map driver errors to LGDAError.

        ``call`` carries the call's id, listeners and cancel flag (none: a fresh one).
        """
        ...

    def close(self) -> None:
        """Release connections; the backend may not be used afterwards."""
        ...


BACKENDS: dict[str, str] = {
    "duckdb": "lgda_nb.backends._duckdb:DuckDBBackend",
    "bigquery": "lgda_nb.backends._bigquery:BigQueryBackend",
}


def create_backend(config: UnifiedConfig) -> Backend:
    """Instantiate the backend named by ``config.backend``."""
    target = BACKENDS.get(config.backend)
    if target is None:
        close = difflib.get_close_matches(config.backend, BACKENDS, n=1)
        hint = f"Did you mean {close[0]!r}? " if close else ""
        raise ConfigError(
            f"The {config.backend!r} backend is not available in this version.",
            hint=f"{hint}Set LGDA_BACKEND to one of: {', '.join(sorted(BACKENDS))}.",
        )
    module_name, _, class_name = target.partition(":")
    backend: Backend = getattr(importlib.import_module(module_name), class_name)(config)
    return backend
