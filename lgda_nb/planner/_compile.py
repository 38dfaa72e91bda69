"""Plan -> BigQuery SQL, built as a sqlglot tree.

Model expressions (trusted, from the model file) are parsed; anything that came
from the user's question becomes a literal node, never spliced text. Relative
time windows are anchored at the as-of time: by default the latest timestamp of
the table being measured, so answers on the sample are reproducible.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import Dimension, Metric, SemanticModel, tables_in
from lgda_nb.planner._plan import Filter, Plan, TimeWindow

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


def _parse(sql: str) -> exp.Expr:
    """A fresh tree for trusted model SQL; each text is parsed once, then copied."""
    return _parsed(sql).copy()


@lru_cache(maxsize=2048)
def _parsed(sql: str) -> exp.Expr:
    import sqlglot

    return sqlglot.parse_one(sql, read=DIALECT)


def _anchor(metric: Metric, as_of: str | None, plan: Plan | None = None) -> str:
    """The as-of instant as SQL: explicit, or the newest timestamp of the measured table."""
    if as_of:
        from sqlglot import exp

        return f"TIMESTAMP({exp.Literal.string(as_of).sql(dialect=DIALECT)})"
    time_column = (plan.time_column if plan else None) or metric.time
    assert time_column is not None
    table, _, column = time_column.partition(".")
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
    "before_year": "EXTRACT(YEAR FROM {t}) < {year}",
    "through_year": "EXTRACT(YEAR FROM {t}) <= {year}",
    "after_year": "EXTRACT(YEAR FROM {t}) > {year}",
    "this_month": "DATE_TRUNC({day}, MONTH) = {month}",
    "last_month": "DATE_TRUNC({day}, MONTH) = DATE_SUB({month}, INTERVAL 1 MONTH)",
    "month": "DATE_TRUNC({day}, MONTH) = DATE '{year:04d}-{month_number:02d}-01'",
    "this_quarter": "DATE_TRUNC({day}, QUARTER) = {quarter}",
    "last_quarter": "DATE_TRUNC({day}, QUARTER) = DATE_SUB({quarter}, INTERVAL 1 QUARTER)",
    "quarter": "EXTRACT(YEAR FROM {t}) = {year} AND EXTRACT(QUARTER FROM {t}) = {n}",
    # The period before each window, for comparisons.
    "previous_last_days": "{t} >= TIMESTAMP_SUB({anchor}, INTERVAL {n2} DAY) "
    "AND {t} < TIMESTAMP_SUB({anchor}, INTERVAL {n} DAY)",
    "previous_recent_months": "{day} >= DATE_SUB({month}, INTERVAL {n2_before} MONTH) "
    "AND {day} < DATE_SUB({month}, INTERVAL {n_before} MONTH)",
    "previous_complete_months": "{day} >= DATE_SUB({month}, INTERVAL {n2} MONTH) "
    "AND {day} < DATE_SUB({month}, INTERVAL {n} MONTH)",
    "previous_this_year": "EXTRACT(YEAR FROM {t}) = EXTRACT(YEAR FROM {anchor}) - 1",
    "previous_last_year": "EXTRACT(YEAR FROM {t}) = EXTRACT(YEAR FROM {anchor}) - 2",
    "previous_year": "EXTRACT(YEAR FROM {t}) = {year} - 1",
    "previous_this_month": "DATE_TRUNC({day}, MONTH) = DATE_SUB({month}, INTERVAL 1 MONTH)",
    "previous_last_month": "DATE_TRUNC({day}, MONTH) = DATE_SUB({month}, INTERVAL 2 MONTH)",
    "previous_month": "DATE_TRUNC({day}, MONTH) = "
    "DATE_SUB(DATE '{year:04d}-{month_number:02d}-01', INTERVAL 1 MONTH)",
    "previous_this_quarter": "DATE_TRUNC({day}, QUARTER) = DATE_SUB({quarter}, INTERVAL 1 QUARTER)",
    "previous_last_quarter": "DATE_TRUNC({day}, QUARTER) = DATE_SUB({quarter}, INTERVAL 2 QUARTER)",
    "previous_quarter": "EXTRACT(YEAR FROM {t}) * 4 + EXTRACT(QUARTER FROM {t}) = "
    "{year} * 4 + {n} - 1",
}
#: Windows that have a "period before" to compare with.
COMPARABLE = frozenset(k.removeprefix("previous_") for k in _WINDOWS if k.startswith("previous_"))


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
        n2=2 * int(window.n),
        n_before=int(window.n) - 1,
        n2_before=2 * int(window.n) - 1,
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


def effective_metric(plan: Plan, model: SemanticModel) -> Metric:
    """The first metric, moved to an alternative base table when the breakdown needs it."""
    metric = model.metric(plan.metrics[0])
    wanted: set[str] = set()
    for name in (*plan.dimensions, *(f.dimension for f in plan.filters)):
        wanted |= tables_in(model.dimensions[name].sql_for(metric.table))
    if plan.time_column:
        wanted |= tables_in(plan.time_column)
    options = [metric, *(
        replace(metric, table=a.table, expression=a.expression, time=a.time, filters=())
        for a in metric.alternatives
    )]  # fmt: skip
    for option in options:
        if all(model.reaches(option.table, table) for table in wanted):
            return option
    return metric


def compile_plan(plan: Plan, model: SemanticModel, *, as_of: str | None = None) -> str:
    """The canonical BigQuery SQL for ``plan``."""
    metric = effective_metric(plan, model)
    if plan.funnel:
        return _funnel_sql(plan, model, metric, as_of)
    if plan.compare and plan.time_window is not None and not plan.dimensions and not plan.grain:
        return _compare_sql(plan, model, metric, as_of)
    if plan.share and plan.filters and not plan.grain and not plan.share_of_rows:
        return _filter_share_sql(plan, model, metric, as_of)
    if plan.growth and plan.grain:
        return _growth_sql(plan, model, metric, as_of)
    return _grouped(plan, model, metric, as_of).sql(dialect=DIALECT)


def _grouped(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    as_of: str | None,
    *,
    window: bool = True,
    rounded: bool = True,
) -> exp.Select:
    """SELECT grain, dimensions, metrics FROM base JOIN ... WHERE ... GROUP BY ... ORDER BY."""
    from sqlglot import exp

    base = metric.table
    metrics = [metric, *(model.metric(name) for name in plan.metrics[1:])]
    dimensions = [model.dimensions[name] for name in plan.dimensions]
    needed: set[str] = set()
    select: list[exp.Expr] = []
    group: list[exp.Expr] = []
    grain_nodes: list[exp.Expr] = []
    for name, sql in _grain_columns(plan, metric):
        needed |= tables_in(sql)
        node = _parse(sql)
        select.append(exp.alias_(node, name))
        group.append(node.copy())
        grain_nodes.append(node.copy())
    dimension_nodes: list[exp.Expr] = []
    for dimension in dimensions:
        columns = _dimension_columns(dimension, base)
        for name, node in columns:
            needed |= tables_in(node.sql(dialect=DIALECT))
            select.append(exp.alias_(node, name))
            group.append(node.copy())
        dimension_nodes.append(columns[-1][1].copy())
    measure_nodes: list[exp.Expr] = []
    for each in metrics:
        needed |= tables_in(each.expression)
        node = _parse(each.expression)
        measure_nodes.append(node)
        shown = node.copy() if each.unit == "count" or not rounded else _round(node.copy())
        select.append(exp.alias_(shown, each.name))
    first = measure_nodes[0]
    if plan.share:
        total = exp.Window(this=exp.Sum(this=first.copy()))
        ratio = exp.Div(this=first.copy(), expression=total)
        share = _round(exp.Mul(this=ratio, expression=exp.Literal.number(100)))
        select.append(exp.alias_(share, "share_pct"))
    conditions, condition_tables = _conditions(plan, model, metric, as_of, window=window)
    needed |= condition_tables

    query = exp.select(*select, copy=False).from_(base, copy=False)
    for join in _joins(model, base, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    if group:
        # Grouped columns come first in the SELECT; ordinals avoid a name like ``gender``
        # being read as another joined table's column of the same name.
        query = query.group_by(
            *(exp.Literal.number(i) for i in range(1, len(group) + 1)), copy=False
        )
    order = _order(plan, dimensions, first, dimension_nodes)
    if plan.per and plan.limit:
        ranked_query = _rank_within(plan, query, first, grain_nodes, dimension_nodes, order)
        if ranked_query is not None:
            return ranked_query
    if order:
        query = query.order_by(*order, copy=False)
    if plan.limit:
        query = query.limit(plan.limit, copy=False)
    return query


def _dimension_columns(dimension: Dimension, base: str) -> list[tuple[str, exp.Expr]]:
    """(name, node) of a dimension's output columns: its key first when values repeat
    (two products with one name stay apart by id), then the value itself."""
    columns = []
    if dimension.key and base not in dimension.columns:
        columns.append((f"{dimension.name}_id", _parse(dimension.key)))
    columns.append((dimension.name, _parse(dimension.sql_for(base))))
    return columns


def _rank_within(  # noqa: PLR0917 - the parts of the query being built
    plan: Plan,
    query: exp.Select,
    measure: exp.Expr,
    grain_nodes: list[exp.Expr],
    dimension_nodes: list[exp.Expr],
    order: list[exp.Expr],
) -> exp.Select | None:
    """The ranking restarts in each group (a dimension or the period): ROW_NUMBER in
    QUALIFY, ties broken by name; ``None`` when there is no such group."""
    from sqlglot import exp

    assert plan.limit is not None
    if plan.per == plan.grain and grain_nodes:
        partition = grain_nodes[0].copy()
        ranked = [n.copy() for n in dimension_nodes]
    elif plan.per in plan.dimensions:
        index = plan.dimensions.index(plan.per)
        partition = dimension_nodes[index].copy()
        ranked = [n.copy() for i, n in enumerate(dimension_nodes) if i != index]
    else:
        return None
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[partition],
        order=exp.Order(
            expressions=[
                exp.Ordered(this=measure.copy(), desc=plan.order != "asc"),
                *(exp.Ordered(this=n) for n in ranked),
            ]
        ),
    )
    query = query.select(exp.alias_(rank.copy(), "rank"), copy=False)
    query = query.qualify(exp.LTE(this=rank, expression=exp.Literal.number(plan.limit)), copy=False)
    return query.order_by(exp.Ordered(this=partition.copy()), *order, copy=False)


def _grain_columns(plan: Plan, metric: Metric) -> list[tuple[str, str]]:
    """(name, SQL) of the time grain's output columns; a quarter is year and quarter."""
    if not plan.grain:
        return []
    if metric.time is None:
        raise PlanningError(
            f"{metric.label} has no date, so it cannot be shown per {plan.grain}.",
            hint=f"Ask for {metric.label.lower()} without a time grain.",
        )
    if plan.grain == "quarter":
        return [
            ("year", f"EXTRACT(YEAR FROM {metric.time})"),
            ("quarter", f"EXTRACT(QUARTER FROM {metric.time})"),
        ]
    return [(plan.grain, GRAIN_SQL[plan.grain].format(t=metric.time))]


def _growth_sql(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> str:
    """Period-over-period growth: the previous period may lie just outside the window."""
    from sqlglot import exp

    inner = _grouped(
        replace(plan, limit=None, share=False), model, metric, as_of, window=False, rounded=False
    )
    inner.set("order", None)
    time_column = plan.time_column or metric.time
    assert time_column is not None
    if plan.time_window is not None:
        flag = _window_sql(plan.time_window, time_column, _anchor(metric, as_of, plan))
        inner = inner.select(exp.alias_(_parse(f"LOGICAL_OR({flag})"), "in_window"))
    periods = [name for name, _ in _grain_columns(plan, metric)]
    order = ", ".join(periods)
    value = metric.name
    previous = f"LAG({value}) OVER (ORDER BY {order})"
    keep = ["in_window"] if plan.time_window is not None else ["TRUE"]
    shown = value if metric.unit == "count" else f"ROUND({value}, 2)"
    sql = (
        f"WITH periods AS ({inner.sql(dialect=DIALECT)}), "
        f"with_previous AS (SELECT *, {previous} AS previous FROM periods) "
        f"SELECT {order}, {shown} AS {value}, "
        f"ROUND(({value} - previous) / previous * 100, 2) AS growth_pct "
        f"FROM with_previous WHERE {' AND '.join(keep)} ORDER BY {order}"
    )
    if plan.limit:
        sql += f" LIMIT {int(plan.limit)}"
    return _parse(sql).sql(dialect=DIALECT)


def _compare_sql(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> str:
    """This window against the one before it: current, previous and the change in %."""
    window = plan.time_window
    assert window is not None
    if window.kind == "years":
        low, high = sorted(window.years)
        current_window = replace(window, kind="year", year=high)
        previous_window = replace(window, kind="year", year=low)
    else:
        current_window = window
        previous_window = replace(window, kind=f"previous_{window.kind}")
    parts = []
    for label, each in (("current", current_window), ("previous", previous_window)):
        query = _grouped(
            replace(plan, time_window=each, compare=False, limit=None),
            model,
            metric,
            as_of,
            rounded=False,
        )
        query.set("order", None)
        parts.append(f"{label} AS ({query.sql(dialect=DIALECT)})")
    value = metric.name
    sql = (
        f"WITH {', '.join(parts)} SELECT ROUND(current.{value}, 2) AS {value}_current, "
        f"ROUND(previous.{value}, 2) AS {value}_previous, "
        f"ROUND((current.{value} - previous.{value}) / previous.{value} * 100, 2) "
        "AS change_pct FROM current CROSS JOIN previous"
    )
    return _parse(sql).sql(dialect=DIALECT)


def _filter_share_sql(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> str:
    """What share of the whole the filtered part is, overall or within each group.

    "What % of revenue comes from the US" is one number; "what share of items are
    returned, by department" is the returned share within each department.
    """
    part = _grouped(replace(plan, share=False, limit=None), model, metric, as_of, rounded=False)
    whole = _grouped(
        replace(plan, share=False, limit=None, filters=()), model, metric, as_of, rounded=False
    )
    part.set("order", None)
    whole.set("order", None)
    value = metric.name
    keys = list(plan.dimensions)
    shown = f"part.{value}" if metric.unit == "count" else f"ROUND(part.{value}, 2)"
    share = f"ROUND(part.{value} / whole.{value} * 100, 2)"
    if keys:
        on = " AND ".join(f"part.{k} = whole.{k}" for k in keys)
        columns = ", ".join(f"whole.{k} AS {k}" for k in keys)
        sql = (
            f"WITH part AS ({part.sql(dialect=DIALECT)}), whole AS ({whole.sql(dialect=DIALECT)}) "
            f"SELECT {columns}, {shown} AS {value}, {share} AS share_pct "
            f"FROM whole JOIN part ON {on} "
            f"ORDER BY part.{value} / whole.{value} {'ASC' if plan.order == 'asc' else 'DESC'}, "
            + ", ".join(f"whole.{k}" for k in keys)
        )
        if plan.limit:
            sql += f" LIMIT {int(plan.limit)}"
    else:
        sql = (
            f"WITH part AS ({part.sql(dialect=DIALECT)}), whole AS ({whole.sql(dialect=DIALECT)}) "
            f"SELECT {shown} AS {value}, {share} AS share_pct FROM part CROSS JOIN whole"
        )
    return _parse(sql).sql(dialect=DIALECT)


def _value_condition(sql: str, values: tuple[str | int | float, ...]) -> exp.Expr:
    """``column = 'value'`` or ``column IN (...)``; values are literals, never SQL text."""
    from sqlglot import exp

    literals = [_literal(v) for v in values]
    if len(literals) == 1:
        return exp.EQ(this=_parse(sql), expression=literals[0])
    return exp.In(this=_parse(sql), expressions=literals)


_COMPARISONS = {">": "GT", ">=": "GTE", "<": "LT", "<=": "LTE", "=": "EQ"}


def _filter_condition(sql: str, f: Filter) -> exp.Expr:
    """One typed filter as a condition; the numbers and values are literals."""
    from sqlglot import exp

    if f.op == "in":
        return _value_condition(sql, f.values)
    if f.op == "between":
        low, high = (_literal(v) for v in (f.values[0], f.values[-1]))
        return exp.Between(this=_parse(sql), low=low, high=high)
    if f.op in _COMPARISONS:
        node_type: type[exp.Binary] = getattr(exp, _COMPARISONS[f.op])
        return node_type(this=_parse(sql), expression=_literal(f.values[0]))
    raise PlanningError(f"A filter with the operator {f.op!r} cannot be compiled.")


def applied_rules(plan: Plan, model: SemanticModel, metric: Metric | None = None) -> list[str]:
    """The model's named filters that apply to ``plan``'s measure.

    A filter that picks values of the column a rule is about replaces the rule ("sales
    of returned items"); an exclusion or a comparison only narrows it. The compiler and
    the interpretation sentence both read this, so what is said is what runs.
    """
    metric = metric or effective_metric(plan, model)
    chosen = {
        model.dimensions[f.dimension].sql_for(metric.table)
        for f in plan.filters
        if f.op == "in" and not f.negate
    }
    return [
        name
        for name in metric.filters
        if not any(column in model.filter_sql(name) for column in chosen)
    ]


def _conditions(
    plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None, *, window: bool = True
) -> tuple[list[exp.Expr], set[str]]:
    """WHERE conditions (metric convention, user filters, time window) and their tables."""
    from sqlglot import exp

    base = metric.table
    conditions: list[exp.Expr] = []
    needed: set[str] = set()
    # A filter that picks values of a column the model's rule is about replaces the rule
    # ("sales of returned items"); an exclusion or a comparison only narrows it.
    for name in applied_rules(plan, model, metric):
        sql = model.filter_sql(name)
        needed |= tables_in(sql)
        conditions.append(_parse(sql))
    for f in plan.filters:
        sql = model.dimensions[f.dimension].sql_for(base)
        needed |= tables_in(sql)
        condition = _filter_condition(sql, f)
        conditions.append(exp.Not(this=condition) if f.negate else condition)
    time_column = plan.time_column or metric.time
    if plan.time_window is not None and time_column is None:
        raise PlanningError(
            f"{metric.label} has no date, so it cannot be limited to {plan.time_window.label}.",
            hint=f"Ask for {metric.label.lower()} without a time period.",
        )
    if time_column is not None:
        needed |= tables_in(time_column)
    if plan.time_window is not None and window and time_column is not None:
        anchor = _anchor(metric, as_of, plan)
        conditions.append(_parse(_window_sql(plan.time_window, time_column, anchor)))
    return conditions, needed


def _round(node: exp.Expr) -> exp.Expr:
    from sqlglot import exp

    return exp.Round(this=node, decimals=exp.Literal.number(2))


def _joins(model: SemanticModel, base: str, needed: set[str]) -> list[exp.Join]:
    """Many-to-one joins from ``base`` to every table in ``needed``, as join nodes."""
    from sqlglot import exp

    joined = {base}
    clauses: list[exp.Join] = []
    for table in sorted(needed - {base}):
        for join in model.join_path(base, table):
            if join.left in joined and join.right not in joined:
                on = exp.EQ(
                    this=exp.column(join.right_column, table=join.right),
                    expression=exp.column(join.left_column, table=join.left),
                )
                clauses.append(exp.Join(this=exp.to_table(join.right), on=on))
                joined.add(join.right)
    return clauses


def _order(  # noqa: PLR0911 - one ordering rule per answer shape
    plan: Plan, dimensions: list[Dimension], measure: exp.Expr, dimension_nodes: list[exp.Expr]
) -> list[exp.Expr]:
    """ORDER BY; dimensions by their expressions, since an alias like ``gender`` can be
    ambiguous with a joined table's column of the same name."""
    from sqlglot import exp

    names = [node.copy() for node in dimension_nodes]
    by_value: list[exp.Expr] = [
        exp.Ordered(this=measure.copy(), desc=plan.order != "asc"),
        *[exp.Ordered(this=n) for n in names],
    ]
    if plan.grain in SERIES_GRAINS and not plan.limit:
        periods = ["year", "quarter"] if plan.grain == "quarter" else [plan.grain]
        return [*(exp.Ordered(this=exp.column(p)) for p in periods), *(
            exp.Ordered(this=n) for n in names
        )]  # fmt: skip
    if not plan.grain and not plan.limit and dimensions and all(d.time for d in dimensions):
        return [exp.Ordered(this=n) for n in names]
    if plan.grain == "weekday" and not plan.limit:
        return [exp.Ordered(this=_parse(WEEKDAY_ORDER))]
    if plan.grain == "hour" and not plan.limit:
        return [exp.Ordered(this=exp.column("hour"))]
    if plan.grain and plan.limit:
        return [*by_value, exp.Ordered(this=exp.column(plan.grain))]
    if dimensions or plan.limit:
        return by_value
    return []


def _funnel_sql(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> str:
    """Sessions reaching each step, as a closed funnel: a session reaches a step if it has
    that step's event and the events of every earlier step, so no step exceeds the one
    before it. Conversion is given from the first step and from the step before."""
    from sqlglot import exp

    funnel = model.funnel
    table, session, step = (str(funnel[k]) for k in ("table", "session", "step"))
    conditions, _ = _conditions(plan, model, metric, as_of)
    where = f" WHERE {exp.and_(*conditions).sql(dialect=DIALECT)}" if conditions else ""
    steps = " UNION ALL ".join(
        f"SELECT {i} AS step_number, {exp.Literal.string(str(name)).sql(dialect=DIALECT)} AS step"
        for i, name in enumerate(funnel["steps"], 1)
    )
    sessions = "COUNT(prefix.session_id)"
    sql = (
        f"WITH steps AS ({steps}), "
        f"reached AS (SELECT DISTINCT {table}.{session} AS session_id, steps.step_number "
        f"FROM {table} JOIN steps ON {table}.{step} = steps.step{where}), "
        # The n-th step a session reached, counted in funnel order, is step n only when
        # it reached every step before it.
        "prefix AS (SELECT session_id, step_number, ROW_NUMBER() OVER "
        "(PARTITION BY session_id ORDER BY step_number) AS seen FROM reached) "
        f"SELECT steps.step_number, steps.step, {sessions} AS {funnel['measure']}, "
        f"ROUND({sessions} * 100 / NULLIF(FIRST_VALUE({sessions}) OVER "
        "(ORDER BY steps.step_number), 0), 2) AS pct_of_first_step, "
        f"ROUND({sessions} * 100 / NULLIF(LAG({sessions}) OVER "
        "(ORDER BY steps.step_number), 0), 2) AS pct_of_previous_step "
        "FROM steps LEFT JOIN prefix ON prefix.step_number = steps.step_number "
        "AND prefix.seen = steps.step_number "
        "GROUP BY steps.step_number, steps.step ORDER BY steps.step_number"
    )
    return _parse(sql).sql(dialect=DIALECT)
