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

__all__ = ["naive_utc", "read_bounds", "same_rows", "value_index"]

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


def same_rows(engine: Engine, index: dict[str, list[str]]) -> dict[str, list[frozenset[str]]]:
    """Values that name the very same rows in two indexed dimensions, with each pair of
    dimensions they do so in: "Seoul" as a city and as a state, where every row in the
    city of Seoul is in the state of Seoul and the other way round, on every table that
    records both. Such a value reads one way whichever is meant; another one shared by two
    dimensions ("Sao Paulo": a state with three cities) is asked about."""
    from lgda_nb.planner._model import tables_in

    known = {name.lower() for name in engine.known_tables()}
    dimensions = [d for d in engine.model.dimensions.values() if d.name in index]
    found: dict[str, list[frozenset[str]]] = {}
    for at, first in enumerate(dimensions):
        for second in dimensions[at + 1 :]:
            shared = sorted(set(index[first.name]) & set(index[second.name]))
            if not shared:
                continue
            tables = [
                table
                for table in sorted(known)
                if tables_in(first.sql_for(table)) == {table} == tables_in(second.sql_for(table))
                and first.sql_for(table) != second.sql_for(table)
            ]
            same = set(shared)
            for table in tables:
                pairs = engine.backend.execute(
                    _pairs_sql(table, first.sql_for(table), second.sql_for(table), shared,
                               engine.backend.dialect)
                )  # fmt: skip
                for a, b in zip(pairs["a"], pairs["b"], strict=True):
                    if a != b:  # a row in one but not the other
                        same -= {str(a), str(b)}
            for value in same if tables else ():
                found.setdefault(value, []).append(frozenset({first.name, second.name}))
    return found


def _pairs_sql(table: str, first: str, second: str, values: list[str], dialect: str) -> str:
    """The distinct (first, second) pairs of ``table``'s rows where either is one of
    ``values``."""
    from sqlglot import exp

    def column(sql: str) -> exp.Column:
        return exp.column(sql.split(".", 1)[1].strip("`"), quoted=True)

    listed = [exp.Literal.string(v) for v in values]
    query = (
        exp.select(exp.alias_(column(first), "a"), exp.alias_(column(second), "b"))
        .distinct()
        .from_(exp.table_(table, quoted=True))
        .where(
            exp.or_(
                exp.In(this=column(first), expressions=listed),
                exp.In(this=column(second), expressions=[v.copy() for v in listed]),
            )
        )
    )
    return query.sql(dialect=dialect)


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
