"""Statistics of a duration, computed exactly.

A duration measure ``duration:<UNIT>:<stat>:<from>:<to>`` asked on its own (or beside
other statistics of the same duration) is a statistic of a number of each row, like
``median:sale_price``: its median is an exact continuous percentile over the rows that
record both moments, as a window over a common table expression, and so are its other
percentiles (``duration:DAY:p90:placed:delivered``). Beside measures of another kind a
median stays the model's aggregate (an approximate median).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lgda_nb.planner._entity import STAT, Statistic

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.planner._model import SemanticModel
    from lgda_nb.planner._plan import Plan

#: Units of a duration (TIMESTAMP_DIFF parts) and the statistics the model names.
_UNITS = ("MINUTE", "HOUR", "DAY", "WEEK")


def duration_statistic(name: str, model: SemanticModel) -> Statistic | None:
    """The statistic a ``duration:`` name stands for (``of`` is the duration without its
    statistic, ``duration:DAY:placed:delivered``), or ``None`` when it is not one."""
    parts = name.split(":")
    if len(parts) != 5 or parts[0] != "duration":
        return None
    unit, kind, start, end = parts[1:]
    first, last = model.moments.get(start), model.moments.get(end)
    if unit not in _UNITS or not STAT.match(kind) or first is None or last is None:
        return None
    if not set(first.columns) & set(last.columns):
        return None
    return Statistic(kind, f"duration:{unit}:{start}:{end}")


def is_duration(statistic: Statistic | None) -> bool:
    """Whether ``statistic`` is of a duration."""
    return statistic is not None and statistic.of.startswith("duration:")


def duration_rows(
    plan: Plan, model: SemanticModel, statistic: Statistic, as_of: str | None
) -> tuple[exp.Select, str, list[str]]:
    """Each row's duration with the plan's groups, filters and window, on the rows that
    record both moments: no aggregate."""
    from sqlglot import exp

    from lgda_nb.planner._compile import (
        _as,
        _conditions,
        _from,
        _joins,
        _parse,
        _tables,
        effective_metric,
    )
    from lgda_nb.planner._entity import _group_columns

    metric = effective_metric(plan, model)
    base = metric.table
    _, unit, start, end = statistic.of.split(":")
    first, last = model.moments[start].columns[base], model.moments[end].columns[base]
    select, needed, groups = _group_columns(plan, model, metric, base)
    value = _parse(f"TIMESTAMP_DIFF({last}, {first}, {unit})")
    needed |= _tables(value)
    select.append(_as(value, "value"))
    conditions, tables = _conditions(plan, model, metric, as_of)
    needed |= tables
    for moment in (first, last):
        column = _parse(moment)
        needed |= _tables(column)
        conditions.append(exp.Not(this=exp.Is(this=column, expression=exp.Null())))
    query = exp.select(*select, copy=False).from_(_from(base), copy=False)
    for join in _joins(model, base, needed):
        query = query.join(join, copy=False)
    return query.where(exp.and_(*conditions, copy=False), copy=False), "value", groups
