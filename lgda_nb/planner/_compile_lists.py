"""A list of rows as a sqlglot tree: the rows of one table (with columns of the tables it
joins many-to-one), filtered, ranked and capped; nothing is aggregated.

The order is always total: by the ranking column asked for (rows without a value are
left out), then the table's title, then its key; with no ranking, by the title and the
key. A list of rows with no limit asked is capped at ``LIST_CAP`` rows; distinct values
("which categories ...") are all listed, up to the security policy's row cap.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import Metric, SemanticModel, Table

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.planner._plan import Plan

#: Rows a list shows when the question asks for no number of them.
LIST_CAP = 100


def row_table(model: SemanticModel, name: str) -> Table:
    """The catalog entry of a listed table; a table the model does not list is refused."""
    table = model.catalog.get(name)
    if table is None:
        raise PlanningError(
            f"The model does not describe the rows of {name!r}, so they cannot be listed.",
            hint="Add a [[tables]] entry with its columns to the model file, or ask for a "
            "measure of them.",
        )
    return table


def row_metric(model: SemanticModel, table: str) -> Metric:
    """A stand-in measure of the listed table: it carries the table's date, which a time
    window ("signups in 2024") applies to, as for the table's own measures."""
    time = next((m.time for m in model.metrics.values() if m.table == table and m.time), None)
    return Metric(
        name=f"rows_of_{table}",
        label=table.replace("_", " ").capitalize(),
        expression="COUNT(*)",
        table=table,
        time=time,
    )


def column_name(column: str, columns: tuple[str, ...]) -> str:
    """The output name of ``table.column``: the column's name, or ``table_column`` when
    two listed tables have a column of that name."""
    table, _, name = column.partition(".")
    same = [c for c in columns if c.partition(".")[2] == name]
    return name if len(same) <= 1 else f"{table}_{name}"


def compile_list(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """``SELECT [DISTINCT] columns FROM rows JOIN ... WHERE ... ORDER BY ... LIMIT n``."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _ascending, _conditions, _from, _joins, _parse, _tables

    assert plan.rows is not None
    table = row_table(model, plan.rows)
    if not plan.columns:
        raise PlanningError("A list needs at least one column to show.")
    metric = row_metric(model, table.name)
    select: list[exp.Expr] = []
    needed: set[str] = set()
    for column in plan.columns:
        node = _parse(column)
        needed |= _tables(node)
        select.append(exp.alias_(node, column_name(column, plan.columns), copy=False))
    conditions, condition_tables = _conditions(
        replace(plan, metrics=(metric.name,)), model, metric, as_of, rules=plan.rules
    )
    needed |= condition_tables
    order: list[exp.Expr] = []
    if plan.sort is not None:
        sort = _parse(plan.sort)
        needed |= _tables(sort)
        conditions.append(exp.Not(this=exp.Is(this=sort.copy(), expression=exp.Null())))
        order.append(
            exp.Ordered(this=sort, desc=True) if plan.order == "desc" else _ascending(sort)
        )
    if plan.distinct:
        order += [_ascending(_parse(c)) for c in plan.columns if c != plan.sort]
    else:
        order += [
            _ascending(_parse(table.qualified(c)))
            for c in dict.fromkeys((table.title, table.key))
            if c is not None and table.qualified(c) != plan.sort
        ]
    query = exp.select(*select, copy=False).from_(_from(table.name), copy=False)
    if plan.distinct:
        query = query.distinct(copy=False)
    for join in _joins(model, table.name, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    if order:
        query = query.order_by(*order, copy=False)
    limit = plan.limit or (None if plan.distinct else LIST_CAP)
    return query.limit(exp.Literal.number(limit), copy=False) if limit else query


def list_problem(  # noqa: PLR0911, PLR0912 - one answer per thing that does not fit
    plan: Plan, model: SemanticModel
) -> str | None:
    """What keeps ``plan`` from being a list of rows the model can compile, or ``None``."""
    if plan.rows is None:
        return "columns, sort and distinct belong to a list of rows: name its table in 'rows'"
    if plan.rows not in model.catalog:
        return f"{plan.rows!r} is not a table whose rows the model lists"
    aggregate = {
        "metrics": plan.metrics, "dimensions": plan.dimensions, "grain": plan.grain,
        "per": plan.per, "share": plan.share, "share_within": plan.share_within,
        "growth": plan.growth, "cumulative": plan.cumulative, "funnel": plan.funnel,
        "compare": plan.compare, "ignore_rules": plan.ignore_rules,
    }  # fmt: skip
    asked = [name for name, value in aggregate.items() if value]
    if asked:
        return f"a list of rows has no {', '.join(asked)}"
    if not plan.columns:
        return "a list of rows needs the columns to show"
    for column in (*plan.columns, *([plan.sort] if plan.sort else [])):
        table_name, _, name = column.partition(".")
        table = model.catalog.get(table_name)
        if table is None or name not in table.columns:
            return f"{column!r} is not a column the model lists"
        if not model.reaches(plan.rows, table_name):
            return f"{column!r} is not a column of {plan.rows} or of a table it belongs to"
    if plan.sort is None and plan.order not in {"auto", "asc"}:
        return "a list ordered 'desc' needs the column to sort by"
    if plan.sort is not None and plan.order not in {"asc", "desc"}:
        return "a sorted list's order is 'asc' or 'desc'"
    if plan.distinct and plan.sort is not None:
        return "distinct values are listed in their own order, not sorted by another column"
    for f in plan.filters:
        for table_name in _tables_of(model.dimensions[f.dimension].sql_for(plan.rows)):
            if not model.reaches(plan.rows, table_name):
                return f"{plan.rows} rows cannot be filtered by {f.dimension!r}"
    return None


def _tables_of(sql: str) -> set[str]:
    from lgda_nb.planner._model import tables_in

    return tables_in(sql)
