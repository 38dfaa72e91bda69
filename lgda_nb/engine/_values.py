"""What the data holds, read from the backend once per engine.

The value index (distinct values of the model's indexed dimensions, for the
offline planner) and where a timestamp column's data starts and stops (for the
insight's partial periods).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.engine._engine import Engine

__all__ = ["naive_utc", "read_bounds", "value_index"]

logger = structlog.get_logger("lgda_nb.engine")


def value_index(engine: Engine) -> dict[str, list[str]]:
    """Distinct values of the model's indexed dimensions, read once from the backend."""
    from lgda_nb.planner._model import tables_in

    tables = {
        name.lower(): {column.lower(): kind for column, kind in columns.items()}
        for name, columns in engine.known_tables().items()
    }
    index: dict[str, list[str]] = {}
    for dimension in engine.model.dimensions.values():
        if not dimension.values or not dimension.column:
            continue
        (table,) = tables_in(dimension.column) or {""}
        column = dimension.column.split(".", 1)[1].strip("`").lower()
        if column not in tables.get(table, {}):
            continue
        df = engine.backend.execute(_distinct_values_sql(table, column, engine.backend.dialect))
        if len(df) <= 2000:
            index[dimension.name] = sorted(str(v) for v in df["v"])
    return index


def read_bounds(engine: Engine, column: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The earliest and latest value of a ``table.column`` timestamp (UTC, naive);
    ``None`` where unknown (a missing bound only loses the partial-period note)."""
    import pandas as pd

    def stamp(value: Any) -> pd.Timestamp | None:
        return None if pd.isna(value) else naive_utc(pd.Timestamp(value))

    table, _, name = column.partition(".")
    try:
        df = engine.backend.execute(_bounds_sql(table, name, engine.backend.dialect))
        first: Any = df.iloc[0, 0]
        last: Any = df.iloc[0, 1]
        return stamp(first), stamp(last)
    except Exception as exc:  # a missing bound only loses the partial-period note
        logger.warning("data_bounds_failed", column=column, error=str(exc))
        return None, None


def _distinct_values_sql(table: str, column: str, dialect: str) -> str:
    """Up to 2,001 distinct non-null values of one column, in the backend's dialect."""
    from sqlglot import exp

    name = exp.column(column, quoted=True)
    query = (
        exp.select(exp.alias_(name, "v"))
        .distinct()
        .from_(exp.table_(table, quoted=True))
        .where(exp.Not(this=exp.Is(this=name.copy(), expression=exp.Null())))
        .limit(2001)
    )
    return query.sql(dialect=dialect)


def _bounds_sql(table: str, column: str, dialect: str) -> str:
    """The earliest and latest value of one column, in the backend's dialect."""
    from sqlglot import exp

    bounds = [exp.func(f, exp.column(column, quoted=True)) for f in ("MIN", "MAX")]
    return exp.select(*bounds).from_(exp.table_(table, quoted=True)).sql(dialect=dialect)


def naive_utc(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo is not None else stamp
