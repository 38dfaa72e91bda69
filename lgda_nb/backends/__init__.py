"""Backends run validated SQL: the embedded DuckDB sample, or BigQuery.

A backend is anything with the ``Backend`` protocol's few methods; the registry
maps a name from ``UnifiedConfig.backend`` to ``"module:Class"`` and imports it
only when chosen.
"""

from __future__ import annotations

import difflib
import importlib
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from lgda_nb.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb._config import UnifiedConfig

__all__ = ["BACKENDS", "Backend", "create_backend"]


@runtime_checkable
class Backend(Protocol):
    """What the engine needs from a place that runs SQL."""

    name: str
    #: sqlglot dialect the backend executes.
    dialect: str

    def tables(self) -> dict[str, dict[str, str]]:
        """Table name -> {column name: type}, for the tables the backend can see."""
        ...

    def execute(self, sql: str) -> pd.DataFrame:
        """Run one query already in the backend's dialect; map driver errors to LGDAError."""
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
