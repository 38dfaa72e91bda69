"""Plan -> BigQuery SQL, built as a sqlglot tree.

Model expressions (trusted, from the model file) are parsed; anything that came
from the user's question becomes a literal node, never spliced text. Relative
time windows are anchored at the as-of time: by default the latest timestamp of
the table being measured, so answers on the sample are reproducible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lgda_nb.planner._model import Dimension, Metric, SemanticModel, tables_in
from lgda_nb.planner._plan import Plan, TimeWindow

if TYPE_CHECKING:
    from sqlglot import exp

DIALECT = "bigquery"

GRAIN_SQL = {
    "day": "DATE({t})",
    "week": "DATE(TIMESTAMP_TRUNC({t}, WEEK(MONDAY)))",
    "month": "DATE(TIMESTAMP_TRUNC({t}, MONTH))",
    "quarter": "DATE(TIMESTAMP_TRUNC({t}, QUARTER))",
    "year": "EXTRACT(YEAR FROM {t})",
    "weekday": "FORMAT_TIMESTAMP('%A', {t})",
    "hour": "EXTRACT(HOUR FROM {t})",
}
#: Grains that form a chronological series (ordered by time, charted as lines).
SERIES_GRAINS = {"day", "week", "month", "quarter", "year"}
WEEKDAY_ORDER = (
    "CASE weekday WHEN 'Monday' THEN 1 WHEN 'Tuesday' THEN 2 WHEN 'Wednesday' THEN 3 "
    "WHEN 'Thursday' THEN 4 WHEN 'Friday' THEN 5 WHEN 'Saturday' THEN 6 ELSE 7 END"
)
FUNNEL_STEPS = ("home", "department", "product", "cart", "purchase")


def _parse(sql: str) -> exp.Expr:
    import sqlglot

    return sqlglot.parse_one(sql, read=DIALECT)


def _anchor(metric: Metric, as_of: str | None) -> str:
    """The as-of instant as SQL: explicit, or the newest timestamp of the measured table."""
    if as_of:
        from sqlglot import exp

        return f"TIMESTAMP({exp.Literal.string(as_of).sql(dialect=DIALECT)})"
    assert metric.time is not None
    table, _, column = metric.time.partition(".")
    return f"(SELECT MAX({column}) FROM {table})"


_WINDOWS = {
    "last_days": "{t} >= TIMESTAMP_SUB({anchor}, INTERVAL {n} DAY)",
    "recent_months": "{day} >= DATE_SUB({month}, INTERVAL {n_before} MONTH)",
    "complete_months": "{day} >= DATE_SUB({month}, INTERVAL {n} MONTH) AND {day} < {month}",
    "recent_years": "EXTRACT(YEAR FROM {t}) > EXTRACT(YEAR FROM {anchor}) - {n}",
    "this_year": "EXTRACT(YEAR FROM {t}) = EXTRACT(YEAR FROM {anchor})",
    "last_year": "EXTRACT(YEAR FROM {t}) = EXTRACT(YEAR FROM {anchor}) - 1",
    "year": "EXTRACT(YEAR FROM {t}) = {year}",
    "years": "EXTRACT(YEAR FROM {t}) IN ({years})",
    "year_range": "EXTRACT(YEAR FROM {t}) BETWEEN {low} AND {high}",
    "since_year": "EXTRACT(YEAR FROM {t}) >= {year}",
    "this_month": "DATE_TRUNC({day}, MONTH) = {month}",
    "last_month": "DATE_TRUNC({day}, MONTH) = DATE_SUB({month}, INTERVAL 1 MONTH)",
    "month": "DATE_TRUNC({day}, MONTH) = DATE '{year:04d}-{month_number:02d}-01'",
    "this_quarter": "DATE_TRUNC({day}, QUARTER) = {quarter}",
    "last_quarter": "DATE_TRUNC({day}, QUARTER) = DATE_SUB({quarter}, INTERVAL 1 QUARTER)",
    "quarter": "EXTRACT(YEAR FROM {t}) = {year} AND EXTRACT(QUARTER FROM {t}) = {n}",
}


def _window_sql(window: TimeWindow, t: str, anchor: str) -> str:
    """The window as a condition on time column ``t``; numbers only come from the plan."""
    years = window.years or (0, 0)
    return _WINDOWS[window.kind].format(
        t=t,
        anchor=anchor,
        day=f"DATE({t})",
        month=f"DATE_TRUNC(DATE({anchor}), MONTH)",
        quarter=f"DATE_TRUNC(DATE({anchor}), QUARTER)",
        n=int(window.n),
        n_before=int(window.n) - 1,
        year=int(window.year),
        month_number=int(window.month),
        years=", ".join(str(int(y)) for y in window.years),
        low=int(years[0]),
        high=int(years[-1]),
    )


def _literal(value: str | int | float) -> exp.Expr:
    from sqlglot import exp

    if isinstance(value, bool) or not isinstance(value, int | float):
        return exp.Literal.string(str(value))
    return exp.Literal.number(value)


def compile_plan(plan: Plan, model: SemanticModel, *, as_of: str | None = None) -> str:
    """The canonical BigQuery SQL for ``plan``."""
    from sqlglot import exp

    metrics = [model.metrics[name] for name in plan.metrics]
    base = metrics[0].table
    dimensions = [model.dimensions[name] for name in plan.dimensions]
    if plan.funnel:
        return _funnel_sql(plan, model, metrics[0], as_of)

    needed: set[str] = set()
    select: list[exp.Expr] = []
    group: list[exp.Expr] = []
    for dimension in dimensions:
        sql = dimension.sql_for(base)
        needed |= tables_in(sql)
        node = _parse(sql)
        select.append(exp.alias_(node, dimension.name))
        group.append(node.copy())
    time_column = metrics[0].time
    grain_node: exp.Expr | None = None
    if plan.grain:
        assert time_column is not None
        grain_node = _parse(GRAIN_SQL[plan.grain].format(t=time_column))
        select.insert(0, exp.alias_(grain_node, plan.grain))
        group.insert(0, grain_node.copy())
    measure_nodes: list[exp.Expr] = []
    for metric in metrics:
        needed |= tables_in(metric.expression)
        node = _parse(metric.expression)
        measure_nodes.append(node)
        shown = node.copy() if metric.unit == "count" else _round(node.copy())
        select.append(exp.alias_(shown, metric.name))
    first = measure_nodes[0]
    if plan.share:
        total = exp.Window(this=exp.Sum(this=first.copy()))
        share = _round(
            exp.Mul(
                this=exp.Div(this=first.copy(), expression=total),
                expression=exp.Literal.number(100),
            )
        )
        select.append(exp.alias_(share, "share_pct"))
    if plan.growth and grain_node is not None:
        previous = exp.Window(
            this=exp.Anonymous(this="LAG", expressions=[first.copy()]),
            order=exp.Order(expressions=[exp.Ordered(this=grain_node.copy())]),
        )
        change = exp.Div(
            this=exp.Paren(this=exp.Sub(this=first.copy(), expression=previous.copy())),
            expression=previous.copy(),
        )
        select.append(
            exp.alias_(
                _round(exp.Mul(this=change, expression=exp.Literal.number(100))), "growth_pct"
            )
        )

    conditions, condition_tables = _conditions(plan, model, metrics[0], as_of)
    needed |= condition_tables

    query = exp.select(*select).from_(base)
    for join in _joins(model, base, needed):
        query = query.join(join)
    if conditions:
        query = query.where(exp.and_(*conditions))
    if group:
        query = query.group_by(*group)
    order = _order(plan, dimensions, first, grain_node)
    if order:
        query = query.order_by(*order)
    if plan.limit:
        query = query.limit(plan.limit)
    return query.sql(dialect=DIALECT)


def _value_condition(sql: str, values: tuple[str | int | float, ...]) -> exp.Expr:
    """``column = 'value'`` or ``column IN (...)``; values are literals, never SQL text."""
    from sqlglot import exp

    literals = [_literal(v) for v in values]
    if len(literals) == 1:
        return exp.EQ(this=_parse(sql), expression=literals[0])
    return exp.In(this=_parse(sql), expressions=literals)


def _conditions(
    plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None
) -> tuple[list[exp.Expr], set[str]]:
    """WHERE conditions (metric convention, user filters, time window) and their tables."""
    from sqlglot import exp

    base = metric.table
    conditions: list[exp.Expr] = []
    needed: set[str] = set()
    filtered = {model.dimensions[f.dimension].sql_for(base) for f in plan.filters}
    for name in metric.filters:
        sql = model.filter_sql(name)
        if any(column in sql for column in filtered):
            continue  # the question filters that column itself ("sales of returned items")
        needed |= tables_in(sql)
        conditions.append(_parse(sql))
    for f in plan.filters:
        sql = model.dimensions[f.dimension].sql_for(base)
        needed |= tables_in(sql)
        condition = _value_condition(sql, f.values)
        conditions.append(exp.Not(this=condition) if f.negate else condition)
    if plan.time_window is not None:
        assert metric.time is not None
        needed |= tables_in(metric.time)
        conditions.append(
            _parse(_window_sql(plan.time_window, metric.time, _anchor(metric, as_of)))
        )
    return conditions, needed


def _round(node: exp.Expr) -> exp.Expr:
    from sqlglot import exp

    return exp.Round(this=node, decimals=exp.Literal.number(2))


def _joins(model: SemanticModel, base: str, needed: set[str]) -> list[str]:
    joined = {base}
    clauses: list[str] = []
    for table in sorted(needed - {base}):
        for join in model.join_path(base, table):
            for here, there, here_col, there_col in (
                (join.left, join.right, join.left_column, join.right_column),
                (join.right, join.left, join.right_column, join.left_column),
            ):
                if here in joined and there not in joined:
                    clauses.append(f"{there} ON {there}.{there_col} = {here}.{here_col}")
                    joined.add(there)
    return clauses


def _order(
    plan: Plan, dimensions: list[Dimension], measure: exp.Expr, grain: exp.Expr | None
) -> list[exp.Expr]:
    from sqlglot import exp

    names = [exp.column(d.name) for d in dimensions]
    by_value: list[exp.Expr] = [
        exp.Ordered(this=measure.copy(), desc=plan.order != "asc"),
        *[exp.Ordered(this=n) for n in names],
    ]
    if plan.grain in SERIES_GRAINS and not plan.limit:
        return [exp.Ordered(this=exp.column(plan.grain)), *[exp.Ordered(this=n) for n in names]]
    if plan.grain == "weekday" and not plan.limit:
        return [exp.Ordered(this=_parse(WEEKDAY_ORDER))]
    if plan.grain == "hour" and not plan.limit:
        return [exp.Ordered(this=exp.column("hour"))]
    if plan.grain and plan.limit and grain is not None:
        return [*by_value, exp.Ordered(this=exp.column(plan.grain))]
    if dimensions or plan.limit:
        return by_value
    return []


def _funnel_sql(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> str:
    """Sessions reaching each step (a session reaches a step if it has that event at all)."""
    from sqlglot import exp

    conditions, _ = _conditions(plan, model, metric, as_of)
    where = f" WHERE {exp.and_(*conditions).sql(dialect=DIALECT)}" if conditions else ""
    steps = " UNION ALL ".join(
        f"SELECT {i} AS step_number, '{step}' AS step" for i, step in enumerate(FUNNEL_STEPS, 1)
    )
    sql = (
        f"WITH steps AS ({steps}), reached AS (SELECT DISTINCT events.session_id, "
        f"events.event_type FROM events{where}) "
        "SELECT steps.step_number, steps.step, COUNT(DISTINCT reached.session_id) AS sessions, "
        "ROUND(COUNT(DISTINCT reached.session_id) * 100 / "
        "FIRST_VALUE(COUNT(DISTINCT reached.session_id)) OVER (ORDER BY steps.step_number), 2) "
        "AS pct_of_first_step "
        "FROM steps LEFT JOIN reached ON reached.event_type = steps.step "
        "GROUP BY steps.step_number, steps.step ORDER BY steps.step_number"
    )
    return _parse(sql).sql(dialect=DIALECT)
