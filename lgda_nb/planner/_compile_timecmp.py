"""Answer shapes over periods and bands: a comparison of two periods per group, a
rolling average over a gap-free series of periods, and bands given in the question.

Each builds on the grouped query of ``_compile`` and adds nodes around it; nothing
is spliced into SQL text, and every number from the question is a literal node.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import Dimension, Metric, SemanticModel
from lgda_nb.planner._plan import Band, Plan

if TYPE_CHECKING:
    from sqlglot import exp

#: Grains a rolling average can run over, and the step of their gap-free series.
ROLLING_GRAINS = {"day": "DAY", "week": "WEEK", "month": "MONTH"}


# -- bands -----------------------------------------------------------------------
def band_name(band: Band) -> str:
    """The output column of a banded dimension: ``age_range``, ``sale_price_bucket``."""
    return f"{band.dimension}_{'bucket' if band.width else 'range'}"


def band_labels(band: Band, dimension: Dimension) -> list[str]:
    """'under 25', '25-44', '45-64', '65+' (whole numbers); '$25-50' for money."""
    money = dimension.unit == "money"
    edges = list(band.edges)

    def shown(value: float) -> str:
        return f"${value:g}" if money else f"{value:g}"

    whole = not money and all(float(e).is_integer() for e in edges)
    labels = [f"under {shown(edges[0])}"]
    for low, high in pairwise(edges):
        labels.append(f"{shown(low)}-{high - 1 if whole else high:g}")
    labels.append(f"{shown(edges[-1])}+")
    return labels


def check_band(band: Band, model: SemanticModel) -> Dimension:
    """The numeric dimension a band cuts; ``PlanningError`` when it cannot be cut so."""
    dimension = model.dimensions.get(band.dimension)
    if dimension is None or not dimension.numeric:
        raise PlanningError(
            f"Bands need a numeric breakdown; {band.dimension!r} is not one.",
            hint="Give bands of a number such as an age or a price.",
        )
    edges = list(band.edges)
    if bool(edges) == bool(band.width) or band.width < 0 or edges != sorted(set(edges)):
        raise PlanningError(
            "The bands must be either rising lower bounds or one bucket width.",
            hint="Give bands such as 'under 25, 25-44, 45+' or 'in $100 buckets'.",
        )
    return dimension


def _band_dimension(band: Band, model: SemanticModel) -> Dimension:
    """A dimension whose values are the band labels (or bucket starts) of ``band``: its
    own labels, or labels written from the edges."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _parse

    dimension = check_band(band, model)
    sql, _ = dimension.own_sql()
    value = _parse(sql)
    if band.width:
        width = exp.Literal.number(band.width)
        start: exp.Expr = exp.Mul(
            this=exp.Floor(this=exp.Div(this=value, expression=width)), expression=width.copy()
        )
        if float(band.width).is_integer():
            start = exp.cast(start, exp.DataType.Type.BIGINT)
        node = start
    else:
        labels = list(band.labels) or band_labels(band, dimension)
        if len(labels) != len(band.edges) + 1:
            raise PlanningError(
                "Each band needs one name.", hint="Give as many names as bands, or none."
            )
        ifs = [
            exp.If(
                this=exp.LT(this=value.copy(), expression=exp.Literal.number(edge)),
                true=exp.Literal.string(label),
            )
            for edge, label in zip(band.edges, labels, strict=False)
        ]
        top = exp.GTE(this=value.copy(), expression=exp.Literal.number(band.edges[-1]))
        ifs.append(exp.If(this=top, true=exp.Literal.string(labels[-1])))
        node = exp.Case(ifs=ifs)
    text = node.sql(dialect="bigquery")
    return replace(
        dimension,
        name=band_name(band),
        label=f"{dimension.label} {'bucket' if band.width else 'band'}",
        column=None,
        expression=text,
        columns={},
        numeric=False,
        key=None,
    )


def banded(plan: Plan, model: SemanticModel) -> tuple[Plan, SemanticModel]:
    """``plan`` with each banded dimension replaced by its bands, over a model that has
    them as dimensions of their own."""
    extra = {}
    names = {}
    for band in plan.bands:
        if band.dimension not in plan.dimensions:
            raise PlanningError(
                f"Bands of {band.dimension!r} need it as a breakdown.",
                hint="Ask for the measure by the banded number.",
            )
        made = _band_dimension(band, model)
        extra[made.name] = made
        names[band.dimension] = made.name
    dimensions = tuple(names.get(d, d) for d in plan.dimensions)
    moved = replace(
        plan,
        dimensions=dimensions,
        bands=(),
        per=names.get(plan.per or "", plan.per),
        share_within=names.get(plan.share_within or "", plan.share_within),
    )
    return moved, replace(model, dimensions={**model.dimensions, **extra})


def order_bands(plan: Plan, model: SemanticModel, query: exp.Query) -> exp.Query:
    """Bands in ascending order (their lowest value first), then the other breakdowns."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _parse

    if not isinstance(query, exp.Select) or plan.limit or plan.grain or plan.compare:
        return query
    if query.args.get("with_") is not None or query.args.get("with") is not None:
        return query
    order = []
    for name in plan.dimensions:
        band = next((b for b in plan.bands if b.dimension == name), None)
        if band is not None:
            sql, _ = model.dimensions[name].own_sql()
            order.append(exp.Ordered(this=exp.Min(this=_parse(sql)), nulls_first=True))
        else:
            dimension = model.dimensions[name]
            node = _parse(dimension.sql_for(query_base(query)))
            order.append(exp.Ordered(this=node, nulls_first=True))
    query.set("order", None)
    return query.order_by(*order, copy=False)


def query_base(query: exp.Select) -> str:
    """The table a grouped query reads from."""
    from sqlglot import exp

    source = query.args["from_"].this if "from_" in query.args else query.args["from"].this
    return source.name if isinstance(source, exp.Table) else ""


# -- comparisons -------------------------------------------------------------------
def check_compare(plan: Plan) -> None:
    """A comparison of two periods shows each period's values and the change; what it
    cannot show as well is refused rather than left out."""
    extras = {
        "shares": plan.share,
        "running totals": plan.cumulative,
        "rankings within a group": plan.per is not None,
        "rolling averages": bool(plan.rolling),
    }
    left = [name for name, asked in extras.items() if asked]
    if left:
        raise PlanningError(
            f"A comparison of two periods cannot also show {' or '.join(left)} yet.",
            hint="Ask for the comparison, and for the rest as a question of its own.",
        )


def _change_pct(now: exp.Expr, before: exp.Expr) -> exp.Expr:
    """``ROUND((now - before) / NULLIF(before, 0) * 100, 2)``: NULL when before is 0."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _round

    change = exp.Div(
        this=exp.Paren(this=exp.Sub(this=now, expression=before)),
        expression=exp.Nullif(this=before.copy(), expression=exp.Literal.number(0)),
    )
    return _round(exp.Mul(this=change, expression=exp.Literal.number(100)))


def compare_groups(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    periods: dict[str, exp.Query],
) -> exp.Select:
    """The two periods side by side per group (or in total, for several measures): a
    full join on the breakdown, so a group seen in one period only shows 0 in the other
    (NULL for a measure that does not add up); the change in % is NULL when the earlier
    value is 0."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _as, _dimension_columns, _in_units, _limit, _select, _with

    keys = [
        name
        for dimension in plan.dimensions
        for name, _ in _dimension_columns(model.dimensions[dimension], metric.table)
    ]
    metrics = [metric, *(model.on_table(name, metric.table) for name in plan.metrics[1:])]

    def side(each: Metric, label: str) -> exp.Expr:
        node: exp.Expr = exp.column(each.name, table=label)
        if each.additive:
            node = exp.Coalesce(this=node, expressions=[exp.Literal.number(0)])
        return node

    def shown(each: Metric, label: str) -> exp.Expr:
        return _in_units(side(each, label), each)

    columns = [
        _as(
            exp.Coalesce(
                this=exp.column(k, table="current"), expressions=[exp.column(k, table="previous")]
            ),
            k,
        )
        for k in keys
    ]
    for i, each in enumerate(metrics):
        change = _change_pct(side(each, "current"), side(each, "previous"))
        columns += [
            _as(shown(each, "current"), f"{each.name}_current"),
            _as(shown(each, "previous"), f"{each.name}_previous"),
            _as(change, "change_pct" if i == 0 else f"{each.name}_change_pct"),
        ]
        if plan.rank_by == "difference" or plan.difference:
            # "the biggest increase", "and the difference": the later minus the earlier
            difference = exp.Sub(this=side(each, "current"), expression=side(each, "previous"))
            name = "difference" if i == 0 else f"{each.name}_difference"
            columns.append(_as(_in_units(difference, each), name))
    query = _select(*columns, source="current")
    if keys:
        on = exp.and_(*(
            exp.NullSafeEQ(
                this=exp.column(k, table="current"), expression=exp.column(k, table="previous")
            )
            for k in keys
        ))  # fmt: skip
        join = exp.Join(this=exp.table_("previous"), side="FULL", kind="OUTER", on=on)
    else:
        join = exp.Join(this=exp.table_("previous"), kind="CROSS")
    query = query.join(join, copy=False)
    ranked = (
        exp.column({"change": "change_pct", "difference": "difference"}[plan.rank_by])
        if plan.rank_by
        else side(metric, "current")
    )
    by_value = exp.Ordered(this=ranked, desc=plan.order != "asc", nulls_first=False)
    order = [by_value, *(exp.Ordered(this=exp.column(k), nulls_first=True) for k in keys)]
    query = _limit(query.order_by(*order, copy=False) if keys else query, plan.limit)
    return _with(query, **periods)


# -- rolling averages ----------------------------------------------------------------
def rolling(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> exp.Select:
    """Each period's value beside the average of it and the ``rolling - 1`` periods
    before it, over a gap-free series (per group: every group seen gets every period):
    periods with no rows count as zero, and the periods averaged may lie before the
    window shown."""
    from sqlglot import exp

    from lgda_nb.planner._compile import (
        _as,
        _dimension_columns,
        _grouped,
        _in_units,
        _round,
        _select,
        _with,
        interval_amount,
    )

    step = ROLLING_GRAINS.get(plan.grain or "")
    others = plan.limit or plan.share or plan.cumulative or plan.growth or plan.compare
    others = others or len(plan.metrics) > 1
    if step is None or not metric.additive or plan.rolling < 2 or others:
        raise PlanningError(
            "A rolling average needs one measure that adds up, per day, week or month, "
            "over at least 2 periods, without a ranking, share or other total.",
            hint="Ask e.g. 'daily orders with a 7-day rolling average'.",
        )
    assert plan.grain is not None
    inner = _grouped(
        replace(plan, rolling=0, limit=None),
        model,
        metric,
        as_of,
        window=False,
        rounded=False,
    )
    inner.set("order", None)
    period, value = plan.grain, metric.name
    keys = [
        name
        for dimension in plan.dimensions
        for name, _ in _dimension_columns(model.dimensions[dimension], metric.table)
    ]
    breakdowns = _select(*(exp.column(k) for k in keys), source="periods").distinct(copy=False)
    bounds = _select(
        _as(exp.Min(this=exp.column(period)), "first_period"),
        _as(exp.Max(this=exp.column(period)), "last_period"),
        source="periods",
    )
    series = exp.func(
        "GENERATE_DATE_ARRAY",
        exp.column("first_period", table="bounds"),
        exp.column("last_period", table="bounds"),
        exp.Interval(this=interval_amount(1), unit=exp.var(step)),
        dialect="bigquery",
    )
    unnest = exp.Unnest(
        expressions=[series], alias=exp.TableAlias(columns=[exp.to_identifier(period)])
    )
    spine = _select(
        exp.column(period), *(exp.column(k, table="breakdowns") for k in keys), source="bounds"
    ).join(exp.Join(this=unnest, kind="CROSS"), copy=False)
    if keys:
        spine = spine.join(exp.Join(this=exp.table_("breakdowns"), kind="CROSS"), copy=False)
    filled_value = exp.Coalesce(
        this=exp.column(value, table="periods"), expressions=[exp.Literal.number(0)]
    )
    same = [
        exp.NullSafeEQ(this=exp.column(k, table="periods"), expression=exp.column(k, table="spine"))
        for k in keys
    ]
    on = exp.and_(
        exp.EQ(
            this=exp.column(period, table="periods"), expression=exp.column(period, table="spine")
        ),
        *same,
    )
    filled = _select(
        _as(exp.column(period, table="spine"), period),
        *(_as(exp.column(k, table="spine"), k) for k in keys),
        _as(filled_value, value),
        source="spine",
    ).join(exp.Join(this=exp.table_("periods"), side="LEFT", on=on), copy=False)
    frame = exp.WindowSpec(
        kind="ROWS",
        start=exp.Literal.number(plan.rolling - 1),
        start_side="PRECEDING",
        end="CURRENT ROW",
    )
    average = exp.Window(
        this=exp.Avg(this=exp.column(value)),
        partition_by=[exp.column(k) for k in keys],
        order=exp.Order(expressions=[exp.Ordered(this=exp.column(period), nulls_first=True)]),
        spec=frame,
    )
    shown = _in_units(exp.column(value), metric)
    query = _select(
        exp.column(period),
        *(exp.column(k) for k in keys),
        _as(shown, value),
        _as(_round(average), f"{value}_rolling_avg_{plan.rolling}"),
        source="filled",
    )
    query = query.qualify(_shown_periods(plan, metric, as_of), copy=False) if plan.time_window \
        else query  # fmt: skip
    order = [exp.Ordered(this=exp.column(name), nulls_first=True) for name in (period, *keys)]
    query = query.order_by(*order, copy=False)
    if keys:
        return _with(
            query, periods=inner, bounds=bounds, breakdowns=breakdowns, spine=spine, filled=filled
        )
    return _with(query, periods=inner, bounds=bounds, spine=spine, filled=filled)


def _shown_periods(plan: Plan, metric: Metric, as_of: str | None) -> exp.Expr:
    """The periods the window touches, as in a grouped series: the window holds the
    period's first or last day ("last 30 days" shows its partial first day)."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _Clock, _clock, _window_condition, interval_amount

    assert plan.time_window is not None
    assert plan.grain is not None
    clock = _clock(plan, metric, as_of)
    first = exp.column(plan.grain)
    step = exp.var(ROLLING_GRAINS[plan.grain])
    last = exp.DateSub(
        this=exp.DateAdd(this=first.copy(), expression=interval_amount(1), unit=step),
        expression=interval_amount(1),
        unit=exp.var("DAY"),
    )
    if plan.time_window.kind == "last_days":
        return exp.GTE(this=last, expression=exp.Date(this=clock.days_back(plan.time_window.n)))
    ends = []
    for day in (first, last):
        on_day = _Clock(exp.Timestamp(this=day).sql(dialect="bigquery"), clock.anchor)
        ends.append(exp.Paren(this=_window_condition(plan.time_window, on_day)))
    return exp.or_(*ends, copy=False)
