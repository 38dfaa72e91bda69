"""The ``execute_sql`` stage: the cache, the cost ceiling, the backend call, the masking.

A backend call goes under the backend's circuit breaker, with transient errors
retried inside it; personal data in the rows is masked (or refused) per policy
before anything keeps or shows them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import structlog

from lgda_nb.errors import CostLimitError, UnknownColumnError

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.backends import CallContext
    from lgda_nb.engine._engine import Engine
    from lgda_nb.engine._state import _State
    from lgda_nb.security import PIIFinding
    from lgda_nb.security._masking import ScanMasking

__all__ = ["execute_sql", "protect"]

logger = structlog.get_logger("lgda_nb.engine")
T = TypeVar("T")


def execute_sql(engine: Engine, state: _State) -> None:
    """Answer from the cache, or run on the backend under the breaker and retries.

    The answer's deep size (``bytes``) is measured only when it is cached; with
    the cache off it is 0.
    """
    from lgda_nb._cache import CachedAnswer, cache_key, frame_bytes

    use_cache = state.use_cache and engine.config.cache.enabled
    key = ""
    if use_cache:
        context = state.cache_context or engine.cache_context(state.limit)
        key = cache_key(state.executed_sql, context)
    hit = engine.query_cache.get(key) if use_cache else None
    if hit is not None:
        state.df, state.truncated, state.pii = hit.df, hit.truncated, list(hit.pii)
        state.bytes = hit.size
        state.cached = True
        return
    if callable(getattr(engine.backend, "estimate", None)):
        state.tell("estimating cost")
        _check_cost(engine, state)
        state.tell("running")
    try:
        df = _call_backend(
            engine, state, lambda call: engine.backend.execute(state.executed_sql, call)
        )
    except UnknownColumnError as exc:
        raise _with_column_suggestion(exc, engine, state.tables) from exc.__cause__
    if state.injected_limit and len(df) > state.limit:
        df = df.iloc[: state.limit].copy()
        state.truncated = True
    state.df, state.pii = protect(engine, df, state.tables, masking=state.masking)
    if use_cache:
        state.bytes = frame_bytes(state.df)
        engine.query_cache.put(
            key, CachedAnswer(state.df, state.truncated, tuple(state.pii), state.bytes)
        )


def _check_cost(engine: Engine, state: _State) -> None:
    """Warehouses estimate first: a job above the cost ceiling is refused before it runs."""
    estimate = getattr(engine.backend, "estimate", None)
    if not callable(estimate):
        return
    state.bytes_estimate = int(
        _call_backend(engine, state, lambda call: estimate(state.executed_sql, call))
    )
    ceiling = engine.config.bigquery.maximum_bytes_billed
    if state.bytes_estimate > ceiling:
        raise CostLimitError(
            f"This query would process {_human_bytes(state.bytes_estimate)} "
            f"(about ${engine.dollars(state.bytes_estimate):,.2f}), above the ceiling of "
            f"{_human_bytes(ceiling)}.",
            hint="Filter the query down (dates, partitions, fewer columns), or raise "
            "LGDA_BIGQUERY__MAXIMUM_BYTES_BILLED.",
        )


def _human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:,.1f} {unit}" if unit != "B" else f"{size:,} B"
        value /= 1024
    return f"{size:,} B"  # pragma: no cover


def _call_backend(engine: Engine, state: _State, call: Callable[[CallContext], T]) -> T:
    """One backend call: the breaker fails fast, transient errors are retried inside it.

    The call's own context goes down with it; nothing is set on the shared backend.
    """
    from lgda_nb._observability import get_metrics

    log = logger.bind(correlation_id=state.correlation_id)

    def on_retry(number: int, error: BaseException) -> None:
        state.attempts.append(
            {"stage": "execute_sql", "attempt": number, "sql": engine.redact(state.executed_sql),
             "error": engine.redact(f"{type(error).__name__}: {error}")}
        )  # fmt: skip
        get_metrics().increment("retries.backend")
        log.warning("retry", operation="backend", attempt=number, cause=type(error).__name__)

    context = replace(state.call, on_retry=on_retry)
    if getattr(engine.backend, "retries_inside", False):
        # The backend retries each of its requests itself; wrapping it again would multiply.
        return engine.breaker.call(lambda: call(context))
    # The breaker counts calls that failed after their retries, not single attempts.
    strategy = engine.retry_strategy("backend")
    return engine.breaker.call(lambda: strategy.call(lambda: call(context), on_retry=on_retry))


def protect(
    engine: Engine,
    df: pd.DataFrame,
    tables: tuple[str, ...],
    *,
    read_masked: bool = True,
    masking: ScanMasking | None = None,
) -> tuple[pd.DataFrame, list[PIIFinding]]:
    """Mask (or refuse) personal data in the result, per the configured column policy.

    ``read_masked``: the rows came from SQL with the scan masking applied, so the
    declared columns already hold pseudonyms; rows read any other way (the prompt's
    sample rows) are masked here, column by column. ``masking`` is the one the SQL
    was written with, when the caller has it at hand.
    """
    from lgda_nb.security import apply_policy

    security = engine.config.security
    if read_masked and masking is None:
        masking = engine.scan_masking()
    elif not read_masked:
        masking = None
    at_scan = (
        {c for t, cs in masking.columns.items() if t in tables for c in cs} if masking else set()
    )
    policy: dict[str, str] = {}
    for key, action in security.pii_policy.items():
        table, _, column = key.rpartition(".")
        if not table or table in tables:
            # Masked where read already: a pseudonym, not to be masked twice ("allow"
            # keeps the detector off it). A denied name is still refused by name.
            masked_twice = action == "mask" and column.lower() in at_scan
            policy[column] = "allow" if masked_twice else action
    df, findings = apply_policy(df, policy, default=security.pii_default)
    # Masked where read: say so in the answer and the audit.
    return df, [
        replace(f, action="mask") if f.action == "allow" and f.column.lower() in at_scan else f
        for f in findings
    ]


def _with_column_suggestion(
    exc: UnknownColumnError, engine: Engine, tables: tuple[str, ...]
) -> UnknownColumnError:
    name = (exc.name or "").split(".")[-1]
    schema = engine.known_tables()
    columns = sorted({c for t in tables for c in schema.get(t, {})})
    close = difflib.get_close_matches(name.lower(), columns, n=1, cutoff=0.5)
    where = ", ".join(tables) or "the referenced tables"
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    return UnknownColumnError(
        f"Column {name!r} does not exist in {where}.{suggestion}",
        name=name,
        hint=f"Columns there: {', '.join(columns)}." if columns else exc.hint,
        detail=exc.detail,
    )
