"""Measures per entity, aggregated again, and statistics of a number.

A statistic is a composed metric name:

- ``<stat>:<dimension>``: a statistic of a numeric dimension over its rows
  (``p90:price``, ``median:age``);
- ``<stat>:<metric>:<entity>``: the metric computed for each entity (an order, a
  customer, a session: a dimension some metric counts), then the statistic over the
  entities (``median:revenue:order_id`` is the median order value);
- ``duration:<unit>:<stat>:<from>:<to>``: a statistic of a duration of each row
  (``_duration_stats``).

``<stat>`` is ``avg``, ``min``, ``max``, ``median``, ``stddev`` (the sample standard
deviation) or ``p1``..``p99``. Medians and
percentiles are exact continuous percentiles (``PERCENTILE_CONT``, an analytic function
in BigQuery, ``QUANTILE_CONT`` in DuckDB), so they are computed over the rows of a
common table expression and shown once per group.

Three more shapes measure entities: the distribution of a per-entity measure (how many
orders have 1, 2, ... items: ``Plan.by_measure``), the share of entities that meet a
condition ("share of customers with more than one order") and the share of a measure
that comes from the top N% of entities ranked by it, or from the top N of them
(``Plan.top_percent``, ``Plan.top_count``, Pareto).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lgda_nb.errors import PlanningError

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.planner._model import Metric, SemanticModel
    from lgda_nb.planner._plan import Condition, Plan

#: What a language model answering with the typed query is told about these constructs.
ENTITY_PROMPT = (
    "Per entity (an entity is a dimension some metric counts: an order, a customer, a "
    "session): <stat>:<metric>:<entity> computes the metric for each entity, then the "
    "statistic over them (the median of a total per order); <stat> is avg, "
    "min, max, median, stddev (sample standard deviation) or p1..p99 (exact continuous "
    "percentiles); <stat>:<numeric dimension> too; duration:<unit>:<stat>:<from>:<to> is a "
    "statistic of the time between two moments of each row; "
    "gap:<DAY|HOUR|WEEK|MINUTE>:<stat>:<metric>:<entity> is the time between an "
    "entity's consecutive things the metric counts (days between a customer's orders). "
    "by_measure '<metric>:<entity>' counts the entities (metrics: the metric counting them) "
    "by their own measure (orders by number of items); top_percent N with top_per <entity "
    "or non-numeric dimension> is the share of the metric from the top N% of them ranked "
    "by it, top_count N the same from the top N of them; share with conditions and no "
    "breakdown is the share of the counted entities "
    'that pass; a condition {"against": "average", "values": []} compares with the average '
    "instead."
)
STAT = re.compile(r"^(?:avg|min|max|median|stddev|p(?:[1-9]|[1-9][0-9]))$")
_LABELS = {"avg": "Average", "min": "Lowest", "max": "Highest", "median": "Median",
           "stddev": "Standard deviation of"}  # fmt: skip
#: Statistics that are percentiles (computed as a window over the rows).
PERCENTILE_PATTERN = r"(?:median|p(?:[1-9]|[1-9][0-9]))"


@dataclass(frozen=True)
class Statistic:
    """A parsed statistic name: its kind, and what it is of (a dimension, or a metric per
    entity)."""

    kind: str
    of: str
    entity: str | None = None
    #: A gap: the time in this unit between an entity's consecutive ``of`` (orders).
    unit: str | None = None

    @property
    def fraction(self) -> float | None:
        """The percentile as a fraction (median 0.5), ``None`` for avg, min and max."""
        if self.kind == "median":
            return 0.5
        if self.kind.startswith("p"):
            return int(self.kind[1:]) / 100
        return None


def parse_statistic(name: str, model: SemanticModel) -> Statistic | None:
    """The statistic ``name`` stands for, or ``None`` when it is not one."""
    parts = name.split(":")
    if len(parts) == 5 and parts[0] in ("gap", "duration"):
        from lgda_nb.planner._duration_stats import duration_statistic

        return _gap(model, *parts[1:]) if parts[0] == "gap" else duration_statistic(name, model)
    if len(parts) not in (2, 3) or not STAT.match(parts[0]):
        return None
    if len(parts) == 2:
        dimension = model.dimensions.get(parts[1])
        if dimension is None or not dimension.numeric:
            return None
        return Statistic(parts[0], parts[1])
    kind, metric, entity = parts
    if metric not in model.metrics or not is_entity(model, entity):
        return None
    return Statistic(kind, metric, entity)


#: Units a gap between consecutive rows is counted in (TIMESTAMP_DIFF parts).
GAP_UNITS = ("MINUTE", "HOUR", "DAY", "WEEK")


def _gap(model: SemanticModel, unit: str, kind: str, metric: str, entity: str) -> Statistic | None:
    """``gap:<unit>:<stat>:<metric>:<entity>``: the time between an entity's consecutive
    things the metric counts (days between a customer's orders), dated by its time."""
    measured = model.metrics.get(metric)
    if (
        unit not in GAP_UNITS
        or not STAT.match(kind)
        or measured is None
        or measured.entity is None
        or measured.time is None
        or not is_entity(model, entity)
        or entity == measured.entity
    ):
        return None
    return Statistic(kind, metric, entity, unit)


def is_entity(model: SemanticModel, name: str) -> bool:
    """Whether dimension ``name`` is a thing some metric counts (an order, a customer)."""
    return name in model.dimensions and any(m.entity == name for m in model.metrics.values())


def is_rankable(model: SemanticModel, name: str) -> bool:
    """Whether the top N% of dimension ``name`` can be taken: an entity, or any breakdown
    that is not a number (products, brands), each value one ranked thing."""
    dimension = model.dimensions.get(name)
    return dimension is not None and (is_entity(model, name) or not dimension.numeric)


def needs_window(name: str, model: SemanticModel) -> bool:
    """Whether metric ``name`` is computed by this module's shapes (not a plain aggregate)."""
    statistic = parse_statistic(name, model)
    if statistic is None:
        return False
    if statistic.entity is not None:
        return statistic.unit is not None or not _plain_average(model, statistic)
    return statistic.fraction is not None


def _plain_average(model: SemanticModel, statistic: Statistic) -> bool:
    """Whether the average per entity is the measure over the count of entities: the
    measure adds up over entities (a sum, a count, orders counted per customer)."""
    if statistic.kind != "avg" or statistic.entity is None or statistic.unit is not None:
        return False
    from lgda_nb.planner._model import tables_in

    measured = model.metric(statistic.of)
    key = model.dimensions[statistic.entity].sql_for(measured.table)
    return model.sums_over(measured, tables_in(key))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _stat_label(kind: str) -> str:
    if kind.startswith("p") and kind != "p":
        return f"{_ordinal(int(kind[1:]))} percentile of"
    return _LABELS[kind]


def statistic_metric(model: SemanticModel, name: str) -> Metric | None:
    """The metric a statistic name stands for: its label, unit, table, date and rules.

    Its ``expression`` is the measure taken per entity (or the number itself); only
    ``statistics_tree`` compiles it, since a percentile is no plain aggregate.
    """
    from lgda_nb.planner._model import Metric

    statistic = parse_statistic(name, model)
    if statistic is None:
        return None
    label = _stat_label(statistic.kind)
    if statistic.entity is None:
        if statistic.kind == "median" or statistic.fraction is None or ":" in statistic.of:
            return None  # the model's own aggregate (its label and unit); compiled here
        dimension = model.dimensions[statistic.of]
        sql, table = dimension.own_sql()
        time = next((m.time for m in model.metrics.values() if m.table == table and m.time), None)
        return Metric(
            name=f"{statistic.kind}_{dimension.name}",
            label=f"{label} {dimension.label.lower()}",
            expression=sql,
            table=table,
            time=time,
            unit=dimension.unit,
            additive=False,
        )
    measured = model.metric(statistic.of)
    entity = model.dimensions[statistic.entity]
    if statistic.unit is not None:
        unit = statistic.unit.lower()
        return replace(
            measured,
            name=f"{statistic.kind}_{unit}s_between_{measured.name}_per_{_snake(entity.label)}",
            label=f"{label} {unit}s between a {entity.label.lower()}'s consecutive "
            f"{measured.label.lower()}",
            synonyms=(),
            unit="number",
            additive=False,
            entity=None,
            alternatives=(),
        )
    if _plain_average(model, statistic):
        # The sum over entities divided by their number: a plain aggregate, so it can sit
        # beside other measures and be ranked; the same value as the average per entity.
        def per_entity(expression: str, table: str) -> str:
            return f"({expression}) / NULLIF(COUNT(DISTINCT {entity.sql_for(table)}), 0)"

        measured = replace(
            measured,
            expression=per_entity(measured.expression, measured.table),
            alternatives=tuple(
                replace(a, expression=per_entity(a.expression, a.table))
                for a in measured.alternatives
            ),
        )
    return replace(
        measured,
        name=f"{statistic.kind}_{measured.name}_per_{_snake(entity.label)}",
        label=f"{label} {measured.label.lower()} per {entity.label.lower()}",
        synonyms=(),
        unit=measured.unit if measured.unit == "money" else "number",
        additive=False,
        entity=None,
    )


def _snake(label: str) -> str:
    return re.sub(r"\W+", "_", label.lower()).strip("_")


def per_entity_text(model: SemanticModel, plan: Plan) -> list[str]:
    """Clauses saying what is computed per entity, then how it is aggregated."""
    from lgda_nb.planner._text import plural

    clauses: list[str] = []
    stats = [parse_statistic(m, model) for m in plan.metrics]
    gaps = [s for s in stats if s is not None and s.unit is not None]
    if gaps:
        first = gaps[0]
        assert first.entity is not None
        assert first.unit is not None
        things = model.metric(first.of).label.lower()
        entity = model.dimensions[first.entity].label.lower()
        how = _join_words([_stat_word(s.kind) for s in gaps])
        clauses.append(
            f"for each {entity}, the whole {first.unit.lower()}s from each of its {things} to "
            f"the next (ties by id), then the {how} over those gaps"
        )
    entity_stats = [s for s in stats if s is not None and s.entity is not None and not s.unit]
    if entity_stats:
        first = entity_stats[0]
        assert first.entity is not None
        measured = model.metric(first.of).label.lower()
        entity = model.dimensions[first.entity].label.lower()
        how = _join_words([_stat_word(s.kind) for s in entity_stats])
        clauses.append(f"{measured} computed for each {entity}, then the {how} over {entity}s")
    if any(s is not None and s.fraction is not None for s in stats):
        clauses.append(
            "percentiles exact and continuous (interpolated)"
            if routed(plan, model)
            else "the median approximate, as it sits beside other measures"
        )
    if plan.by_measure:
        metric, entity = _measure_entity(plan.by_measure, model)
        counted_by = (
            f"in buckets of {plan.by_measure_width:g}, each from its lower bound"
            if plan.by_measure_width
            else "by that number"
        )
        clauses.append(
            f"{model.metric(metric).label.lower()} computed for each "
            f"{model.dimensions[entity].label.lower()}, then "
            f"{model.dimensions[entity].label.lower()}s counted {counted_by}"
        )
    if (plan.top_percent is not None or plan.top_count is not None) and plan.top_per:
        ranked = model.dimensions[plan.top_per]
        entity = ranked.label.lower()
        measured = model.metric(plan.metrics[0]).label.lower()
        ties = f"{entity} id" if ranked.key or is_entity(model, plan.top_per) else entity
        many = plural(entity)
        top = (
            f"top {plan.top_percent:g}% of {many} (rounded up)"
            if plan.top_percent is not None
            else f"top {plan.top_count} {many}"
        )
        clauses.append(
            f"{measured} computed for each {entity}, {many} ranked by it (ties by "
            f"{ties}), the share of the total from the {top}"
        )
    if _entity_share_asked(plan, model):
        counted = model.metric(plan.metrics[0]).label.lower()
        per_entity = _share_measure(plan, model)
        if plan.share_of_measured and per_entity is not None:
            measure, _ = per_entity
            what = re.sub(r"^(?:longest|shortest|highest|lowest|average)\s+", "",
                          measure.label.lower())  # fmt: skip
            clauses.append(f"as a share of the {counted} that have both moments ({what})")
        elif per_entity is None:
            clauses.append(f"as a share of all {counted}")
        else:
            measure, entity = per_entity
            clauses.append(
                f"as a share of all {counted}, each {model.dimensions[entity].label.lower()}'s "
                f"{measure.label.lower()} counted on the same rows"
            )
    return clauses


def _stat_word(kind: str) -> str:
    if kind.startswith("p") and kind != "p":
        return f"{_ordinal(int(kind[1:]))} percentile"
    return {"avg": "average", "min": "minimum", "max": "maximum",
            "stddev": "standard deviation"}.get(kind, kind)  # fmt: skip


def _join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _measure_entity(value: str, model: SemanticModel) -> tuple[str, str]:
    """``metric:entity`` of a distribution, checked."""
    metric, _, entity = value.rpartition(":")
    try:
        known = bool(model.metric(metric))
    except KeyError:
        known = False
    if not known or not is_entity(model, entity):
        raise PlanningError(
            f"{value!r} is not a measure per entity (metric:entity).",
            hint="Name a metric of the model and an entity such as order_id.",
        )
    return metric, entity


def check_query(plan: Plan, model: SemanticModel) -> str | None:
    """What in ``plan`` this module cannot compute, in words; ``None`` when all is well."""
    if plan.by_measure:
        _measure_entity(plan.by_measure, model)
    problems = []
    top = plan.top_percent is not None or plan.top_count is not None
    if top and (plan.top_per is None or not is_rankable(model, plan.top_per)):
        problems.append("the top percent needs what it ranks (top_per, not a number)")
    if plan.top_percent is not None and not 0 < plan.top_percent < 100:
        problems.append("the top percent is between 0 and 100")
    if plan.top_percent is not None and plan.top_count is not None:
        problems.append("the top things are a percent of them or a count, not both")
    if plan.top_count is not None and plan.top_count < 1:
        problems.append("the top count is at least 1")
    if not top and plan.top_per is not None:
        problems.append("top_per needs top_percent or top_count")
    statistics = [parse_statistic(m, model) for m in plan.metrics]
    if any(s is None for s in statistics) and any(
        s is not None and (s.entity is not None or s.kind.startswith("p")) for s in statistics
    ):
        problems.append("a percentile or a measure per entity cannot be put beside another measure")
    if any(needs_window(c.metric, model) for c in plan.conditions):
        problems.append("a condition cannot be put on a percentile or a measure per entity")
    return problems[0] if problems else None


# -- compiling -----------------------------------------------------------------


def routed(plan: Plan, model: SemanticModel) -> bool:
    """Whether ``plan`` is compiled by this module."""
    from lgda_nb.planner._duration_stats import is_duration

    statistics = [parse_statistic(m, model) for m in plan.metrics]
    sources = {(s.of, s.entity) if s is not None else (m, None) for m, s in zip(
        plan.metrics, statistics, strict=True)}  # fmt: skip
    # A median of a number beside other measures stays the model's approximate aggregate.
    other = any(s is None for s in statistics) or (
        len(sources) > 1 and any(is_duration(s) for s in statistics)
    )
    beside = other and all(
        s is None or (s.entity is None and s.kind in {"median", "avg", "min", "max", "stddev"})
        for s in statistics
    )
    return (
        (any(needs_window(m, model) for m in plan.metrics) and not beside)
        or plan.by_measure is not None
        or plan.top_percent is not None
        or plan.top_count is not None
        or _entity_share_asked(plan, model)
    )


def _entity_share_asked(plan: Plan, model: SemanticModel) -> bool:
    """A share of the things counted that meet a condition: over all of them (no filter,
    breakdown or period), or within each group of a breakdown the condition is not on
    ("% of customers with more than one order, by country": each country's rate)."""
    if not (plan.share and plan.conditions):
        return False
    if plan.share_of_measured:
        return True  # within each group, of the measured
    if plan.dimensions and not plan.grain:
        # "of the orders with a Jeans item, what % were returned": the category is the
        # condition's own, so the share is of its rows, not of every order
        return all(
            c.per not in plan.dimensions
            and not any(f.dimension in plan.dimensions for f in c.filters)
            for c in plan.conditions
        )
    if plan.grain and not (plan.filters or plan.dimensions):
        # "% of orders with more than 2 items, by year": the rate within each period.
        entity = model.metric(plan.metrics[0]).entity if plan.metrics else None
        return entity is not None and all(c.per == entity for c in plan.conditions)
    return not (plan.filters or plan.dimensions or plan.grain)


def compile_entity(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Query:
    """The tree of a plan ``routed`` here."""
    unsupported = check_query(plan, model)
    extras = plan.growth or plan.cumulative or plan.compare or plan.funnel or plan.share_within
    if unsupported or extras:
        unsupported = unsupported or (
            "a statistic per entity cannot have growth, a running total, a comparison or a "
            "share within a group yet"
        )
        raise PlanningError(
            f"This question cannot be answered: {unsupported}.",
            hint="Ask for the statistic on its own, by a breakdown or a period.",
        )
    if plan.by_measure is not None:
        return _distribution(plan, model, as_of)
    if plan.top_percent is not None or plan.top_count is not None:
        return _top_share(plan, model, as_of)
    if plan.share and not any(needs_window(m, model) for m in plan.metrics):
        return _condition_share(plan, model, as_of)
    if plan.share:
        raise PlanningError(
            "A share of a statistic cannot be computed.",
            hint="Ask for the statistic itself, by a breakdown.",
        )
    return _statistics(plan, model, as_of)


def _groups(plan: Plan, model: SemanticModel, base: str) -> list[str]:
    """The output column names of the plan's grain and breakdowns."""
    from lgda_nb.planner._compile import _dimension_columns, _grain_names

    names = _grain_names(plan.grain) if plan.grain else []
    for name in plan.dimensions:
        names += [n for n, _ in _dimension_columns(model.dimensions[name], base)]
    return names


def _per_entity(
    plan: Plan, model: SemanticModel, metric: str, entity: str, as_of: str | None
) -> tuple[exp.Select, str, list[str], str]:
    """``metric`` for each entity (and each group of the plan's breakdown): the query, the
    measure's column, the group columns and the entity's column."""
    from lgda_nb.planner._compile import _grouped, effective_metric

    if entity in plan.dimensions:
        raise PlanningError(
            f"A measure per {model.dimensions[entity].label.lower()} cannot also be broken "
            "down by it.",
            hint="Ask for the measure by another breakdown.",
        )
    inner_plan = replace(
        plan, metrics=(metric,), dimensions=(*plan.dimensions, entity), limit=None,
        order="auto", per=None, share=False, share_of_rows=False, share_within=None,
        by_measure=None, top_percent=None, top_count=None, top_per=None,
    )  # fmt: skip
    measured = effective_metric(inner_plan, model)
    query = _grouped(inner_plan, model, measured, as_of, rounded=False)
    query.set("order", None)
    groups = _groups(plan, model, measured.table)
    entity_column = _groups(replace(plan, grain=None, dimensions=(entity,)), model, measured.table)
    # Its key when values repeat (products by id), else the value itself.
    return query, measured.name, groups, entity_column[0]


def _statistics(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """Statistics over rows or entities, as windows over a common table expression:
    ``SELECT DISTINCT groups, PERCENTILE_CONT(value, 0.5) OVER (PARTITION BY groups)``."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _as, _ascending, _round, _select, _with

    stats = [parse_statistic(m, model) for m in plan.metrics]
    sources = {(s.of, s.entity) if s is not None else (m, None) for m, s in zip(
        plan.metrics, stats, strict=True)}  # fmt: skip
    if len(sources) > 1 or any(s is None for s in stats):
        raise PlanningError(
            "Statistics of different numbers cannot be put side by side in one answer.",
            hint="Ask for the statistics of one number at a time.",
        )
    first = stats[0]
    assert first is not None
    if first.unit is not None:
        values, value, groups = _gaps_of(plan, model, first, as_of)
    elif first.of.startswith("duration:"):
        from lgda_nb.planner._duration_stats import duration_rows

        values, value, groups = duration_rows(plan, model, first, as_of)
    elif first.entity is not None:
        values, value, groups, _ = _per_entity(plan, model, first.of, first.entity, as_of)
    else:
        values, value, groups = _rows_of(plan, model, first, as_of)

    def partition() -> list[exp.Expr]:
        return [exp.column(g) for g in groups]

    columns: list[exp.Expr] = [exp.column(g) for g in groups]
    for name, stat in zip(plan.metrics, stats, strict=True):
        assert stat is not None
        column = exp.column(value)
        fraction = stat.fraction
        function: exp.Expr
        if fraction is not None:
            function = exp.PercentileCont(this=column, expression=exp.Literal.number(fraction))
        else:
            kinds: dict[str, type[exp.AggFunc]] = {
                "avg": exp.Avg, "min": exp.Min, "max": exp.Max, "stddev": exp.StddevSamp,
            }  # fmt: skip
            function = kinds[stat.kind](this=column)
        window = exp.Window(this=function, partition_by=partition())
        columns.append(_as(window if plan.limit else _round(window), model.metric(name).name))
    query = _select(*columns, source="entity_values").distinct(copy=False)
    leading = model.metric(plan.metrics[0]).name
    if plan.limit:
        # Ranked on the unrounded statistic, shown rounded.
        names = [model.metric(name).name for name in plan.metrics]
        ranked = _select(
            *(exp.column(g) for g in groups),
            *(_as(_round(exp.column(n)), n) for n in names),
            source="statistics",
        )
        by_value = exp.Ordered(
            this=exp.column(leading, table="statistics"), desc=plan.order != "asc"
        )
        ties = [_ascending(exp.column(g, table="statistics")) for g in groups]
        ranked = ranked.order_by(by_value, *ties, copy=False)
        ranked = ranked.limit(exp.Literal.number(int(plan.limit)), copy=False)
        return _with(ranked, entity_values=values, statistics=query)
    order = _stat_order(plan, groups, leading)
    if order:
        query = query.order_by(*order, copy=False)
    return _with(query, entity_values=values)


def _stat_order(plan: Plan, groups: list[str], first: str) -> list[exp.Expr]:
    """Chronological for a series, else by the first statistic (ties by the groups)."""
    from sqlglot import exp

    from lgda_nb.planner._compile import SERIES_GRAINS, _ascending

    grain_columns = groups[: 2 if plan.grain == "quarter" else 1] if plan.grain else []
    if plan.grain in SERIES_GRAINS and not plan.limit:
        return [_ascending(exp.column(g)) for g in groups]
    if not groups:
        return []
    by_value = exp.Ordered(this=exp.column(first), desc=plan.order != "asc")
    rest = [_ascending(exp.column(g)) for g in groups if g not in grain_columns or plan.limit]
    return [by_value, *rest]


def _rows_of(
    plan: Plan, model: SemanticModel, statistic: Statistic, as_of: str | None
) -> tuple[exp.Select, str, list[str]]:
    """The number's rows with the plan's groups, filters and window: no aggregate."""
    from sqlglot import exp

    from lgda_nb.planner._compile import (
        _as,
        _conditions,
        _from,
        _joins,
        _parse,
        _tables,
    )

    metric = model.metric(f"{statistic.kind}:{statistic.of}")
    base = metric.table
    select, needed, groups = _group_columns(plan, model, metric, base)
    value = _parse(model.dimensions[statistic.of].sql_for(base))
    needed |= _tables(value)
    select.append(_as(value, "value"))
    conditions, tables = _conditions(plan, model, metric, as_of, rules=[])
    needed |= tables
    query = exp.select(*select, copy=False).from_(_from(base), copy=False)
    for join in _joins(model, base, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    return query, "value", groups


def _gaps_of(
    plan: Plan, model: SemanticModel, statistic: Statistic, as_of: str | None
) -> tuple[exp.Select, str, list[str]]:
    """Each row's time since the same entity's previous row: ``TIMESTAMP_DIFF(time,
    LAG(time) OVER (PARTITION BY entity ORDER BY time, key), unit)``, NULL for the first."""
    from sqlglot import exp

    from lgda_nb.planner._compile import (
        _as,
        _ascending,
        _conditions,
        _from,
        _joins,
        _parse,
        _tables,
    )

    assert statistic.entity is not None
    assert statistic.unit is not None
    measured = model.metric(statistic.of)
    assert measured.time is not None
    assert measured.entity is not None
    base = measured.table
    select, needed, groups = _group_columns(plan, model, measured, base)
    entity = _parse(model.dimensions[statistic.entity].sql_for(base))
    thing = _parse(model.dimensions[measured.entity].sql_for(base))
    needed |= _tables(entity) | _tables(thing)
    previous = exp.Window(
        this=exp.Lag(this=_parse(measured.time)),
        partition_by=[entity],
        order=exp.Order(expressions=[_ascending(_parse(measured.time)), _ascending(thing)]),
    )
    gap = exp.TimestampDiff(
        this=_parse(measured.time), expression=previous, unit=exp.var(statistic.unit)
    )
    select.append(_as(gap, "value"))
    conditions, tables = _conditions(plan, model, measured, as_of)
    needed |= tables
    query = exp.select(*select, copy=False).from_(_from(base), copy=False)
    for join in _joins(model, base, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    return query, "value", groups


def _distribution(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """Entities counted by their own measure: how many orders have 1, 2, ... items."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _as, _ascending, _select, _with

    assert plan.by_measure is not None
    metric, entity = _measure_entity(plan.by_measure, model)
    whole = whole_units_each(model, metric, entity) and _measured_on_own_table(
        plan, model, metric, entity
    )
    if model.metric(metric).unit != "count" and not plan.by_measure_width and not whole:
        raise PlanningError(
            f"{model.metric(metric).label} per {model.dimensions[entity].label.lower()} is "
            "not a count, so its values are no breakdown.",
            hint="Ask for a distribution of a count (items per order, orders per customer).",
        )
    values, value, groups, _ = _per_entity(plan, model, metric, entity, as_of)
    if plan.grain:
        raise PlanningError(
            "A distribution per entity cannot be shown per period yet.",
            hint="Ask for the distribution in one period.",
        )
    counted = model.metric(plan.metrics[0]).name
    shown: list[exp.Expr] = [exp.column(value), *(exp.column(g) for g in groups)]
    if plan.by_measure_width:
        # "order values in $50 buckets": each value counted at its bucket's lower bound.
        width = exp.Literal.number(plan.by_measure_width)
        floor: exp.Expr = exp.Mul(
            this=exp.Floor(this=exp.Div(this=exp.column(value), expression=width)),
            expression=width.copy(),
        )
        if float(plan.by_measure_width).is_integer():
            floor = exp.Cast(this=floor, to=exp.DataType.build("INT64", dialect="bigquery"))
        shown[0] = _as(floor, f"{value}_bucket")
    elif whole:  # one row's whole days: a count of days, not an average of them
        shown[0] = _as(
            exp.Cast(this=exp.column(value), to=exp.DataType.build("INT64", dialect="bigquery")),
            value,
        )
    keys = [f"{value}_bucket" if plan.by_measure_width else value, *groups]
    query = _select(
        *shown,
        _as(exp.Count(this=exp.Star(), big_int=True), counted),
        source="entity_values",
    ).group_by(*(exp.column(k) for k in keys), copy=False)
    order = [_ascending(exp.column(k)) for k in [*groups, keys[0]]]
    return _with(query.order_by(*order, copy=False), entity_values=values)


#: A duration in whole units, averaged: "AVG(TIMESTAMP_DIFF(delivered, created, DAY))".
_WHOLE_UNITS = re.compile(
    r"AVG\(TIMESTAMP_DIFF\([^()]+,[^()]+,\s*(?:MINUTE|HOUR|DAY|WEEK)\)\)", re.IGNORECASE
)


def whole_units_each(model: SemanticModel, metric: str, entity: str) -> bool:
    """Whether ``metric`` of each ``entity`` is a whole number of a time unit: an average
    duration measured on a table with one row per entity (each order's days to deliver),
    which is that row's own count of days, so its values are a breakdown as a count's
    are ("orders by number of days to deliver")."""
    measured = model.metric(metric)
    if not _WHOLE_UNITS.fullmatch(measured.expression):
        return False
    table = model.catalog.get(measured.table)
    if table is None or table.key is None:
        return False
    return model.dimensions[entity].sql_for(measured.table) == table.qualified(table.key)


def _measured_on_own_table(plan: Plan, model: SemanticModel, metric: str, entity: str) -> bool:
    """Whether each entity's ``metric`` is taken on the metric's own table, not on an
    alternative that has several rows per entity ("... for Jeans": each order's items,
    whose days may differ, so their average is no whole number)."""
    from lgda_nb.planner._compile import effective_metric

    inner = replace(plan, metrics=(metric,), dimensions=(*plan.dimensions, entity))
    return effective_metric(inner, model).table == model.metric(metric).table


def _top_share(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """The share of a measure that comes from the top N% of entities ranked by it: ranks
    by ROW_NUMBER (ties broken by the entity's key), the top ``CEIL(N% of entities)``;
    or from the top N of them (``top_count``), all of them when there are fewer."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _as, _ascending, _round, _select, _with
    from lgda_nb.planner._text import plural

    assert plan.top_percent is not None or plan.top_count is not None
    assert plan.top_per is not None
    if len(plan.metrics) != 1 or not model.metric(plan.metrics[0]).additive or plan.limit:
        raise PlanningError(
            "A share from the top entities needs one measure that adds up.",
            hint="Ask e.g. 'share of revenue from the top 20% of customers'.",
        )
    values, value, groups, key = _per_entity(plan, model, plan.metrics[0], plan.top_per, as_of)
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[exp.column(g) for g in groups],
        order=exp.Order(
            expressions=[
                exp.Ordered(this=exp.column(value), desc=True, nulls_first=False),
                _ascending(exp.column(key)),
            ]
        ),
    )
    entities = exp.Window(
        this=exp.Count(this=exp.Star(), big_int=True), partition_by=[exp.column(g) for g in groups]
    )
    ranked = _select(
        *(exp.column(g) for g in groups),
        exp.column(value),
        _as(rank, "entity_rank"),
        _as(entities, "entities"),
        source="entity_values",
    )
    cut = (
        exp.Literal.number(plan.top_count)
        if plan.top_percent is None
        else exp.Ceil(
            this=exp.Div(
                this=exp.Mul(this=exp.column("entities"), expression=_literal(plan.top_percent)),
                expression=exp.Literal.number(100),
            )
        )
    )
    in_top = exp.LTE(this=exp.column("entity_rank"), expression=cut)
    top_value = exp.Sum(
        this=exp.If(this=in_top, true=exp.column(value), false=exp.Literal.number(0))
    )
    entity = _snake(model.dimensions[plan.top_per].label)
    top_count = exp.CountIf(this=in_top.copy())
    share = exp.Mul(
        this=exp.Div(this=top_value.copy(), expression=exp.Sum(this=exp.column(value))),
        expression=exp.Literal.number(100),
    )
    query = _select(
        *(exp.column(g) for g in groups),
        _as(top_count, f"top_{plural(entity)}"),
        _as(_round(top_value), f"{value}_from_top"),
        _as(_round(exp.Sum(this=exp.column(value))), value),
        _as(_round(share), "share_pct"),
        source="ranked",
    )
    if groups:
        query = query.group_by(*(exp.column(g) for g in groups), copy=False)
        query = query.order_by(*(_ascending(exp.column(g)) for g in groups), copy=False)
    return _with(query, entity_values=values, ranked=ranked)


def _literal(value: float) -> exp.Expr:
    from sqlglot import exp

    return exp.Literal.number(int(value) if float(value).is_integer() else value)


def _condition_share(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """What share of the things a measure counts meet a condition ("share of customers
    with more than one order"): over the entities the measure counts, each entity's
    measure taken on the same rows (a buyer's orders are those with revenue items);
    else the count with the condition over the count without it."""
    per_entity = _share_measure(plan, model)
    if per_entity is not None:
        return _entity_share(plan, model, *per_entity, as_of)
    return _part_share(plan, model, as_of)


def _share_measure(plan: Plan, model: SemanticModel) -> tuple[Metric, str] | None:
    """The condition's measure counted on the rows of the things counted, and their
    entity, when the share is over entities (customers, with orders per customer)."""
    from lgda_nb.planner._compile import effective_metric

    counted = effective_metric(plan, model)
    entity = model.metric(plan.metrics[0]).entity
    measures = {c.metric for c in plan.conditions}
    if entity is None or len(measures) != 1 or any(c.per != entity for c in plan.conditions):
        return None
    (name,) = measures
    measure = model.on_table(name, counted.table)
    own = model.metric(name)
    same_rows = measure.table != own.table or set(measure.filters) == set(counted.filters)
    if measure.table != counted.table or not same_rows:
        return None
    return replace(measure, filters=counted.filters), entity


def _entity_share(
    plan: Plan, model: SemanticModel, measure: Metric, entity: str, as_of: str | None
) -> exp.Select:
    """``COUNTIF(condition) / COUNT(*)`` over one row per entity."""
    from sqlglot import exp

    from lgda_nb.planner._compile import (
        _as,
        _ascending,
        _filter_condition,
        _grouped,
        _round,
        _select,
        _with,
    )
    from lgda_nb.planner._plan import Filter

    inner_plan = replace(
        plan, metrics=(measure.name,), dimensions=(*plan.dimensions, entity), conditions=(),
        share=False, limit=None, order="auto", per=None,
    )  # fmt: skip
    values = _grouped(inner_plan, model, measure, as_of, rounded=False)
    values.set("order", None)
    groups = _groups(plan, model, measure.table)

    def meets() -> exp.Expr:
        tests = [
            _filter_condition(measure.name, Filter("", c.values, op=c.op)) for c in plan.conditions
        ]
        return exp.and_(*tests, copy=False)

    counted = model.metric(plan.metrics[0]).name
    share = exp.Div(this=exp.CountIf(this=meets()), expression=exp.Count(this=exp.Star()))
    share_pct = _round(exp.Mul(this=share, expression=exp.Literal.number(100)))
    query = _select(
        *(exp.column(g) for g in groups),
        _as(exp.CountIf(this=meets()), counted),
        _as(exp.Count(this=exp.Star(), big_int=True), f"all_{counted}"),
        _as(share_pct, "share_pct"),
        source="entity_values",
    )
    if plan.share_of_measured:
        # Of the things whose measure exists (delivered orders), not of all of them.
        query = query.where(exp.column(measure.name).is_(exp.null()).not_(), copy=False)
    if groups:
        query = query.group_by(*(exp.column(g) for g in groups), copy=False)
        by_share = exp.Ordered(this=share.copy(), desc=plan.order != "asc")
        ordered = [_ascending(exp.column(g)) for g in groups]
        in_time = plan.grain and not plan.dimensions and plan.order not in {"asc", "desc"}
        # By a period alone, a series in the order of its periods.
        query = query.order_by(*([] if in_time else [by_share]), *ordered, copy=False)
        if plan.limit:
            query = query.limit(exp.Literal.number(int(plan.limit)), copy=False)
    return _with(query, entity_values=values)


def _part_share(plan: Plan, model: SemanticModel, as_of: str | None) -> exp.Select:
    """The measure with the conditions over the measure without them, both under the same
    filters, rules and window."""

    from lgda_nb.planner._compile import _grouped, _with, dated_breakdowns, share_of_whole
    from lgda_nb.planner._compile import effective_metric as effective

    metric = effective(plan, model)
    part = _grouped(replace(plan, share=False, limit=None), model, metric, as_of, rounded=False)
    whole = _grouped(
        replace(plan, share=False, limit=None, conditions=()), model, metric, as_of, rounded=False
    )
    part.set("order", None)
    whole.set("order", None)
    groups = _groups(plan, model, metric.table)
    in_time = dated_breakdowns(plan, model)
    query = share_of_whole(plan, groups, metric.name, metric, whole_column=True, in_time=in_time)
    return _with(query, part=part, whole=whole)


# -- against the average ----------------------------------------------------------


def against_average(inner: exp.Select, measured: Metric, condition: Condition) -> exp.Expr:
    """``measure op baseline`` for a HAVING: the baseline is the measure over all the
    inner query's rows when it is an average or a rate ("categories whose average retail
    price is above the overall average"), else the mean of its values per ``per``
    ("customers who spent more than the average spend per customer"). Same rows, rules
    and window as the measure."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _COMPARISONS, _as, _parse

    if condition.op not in {">", ">=", "<", "<="}:
        raise PlanningError(
            f"A comparison {condition.op!r} with the average cannot be compiled.",
            hint="Ask for above or below the average.",
        )
    rows = inner.copy()
    rows.set("having", None)
    if measured.additive:
        rows.set("expressions", [*rows.expressions, _as(_parse(measured.expression), "value")])
        rows = rows.group_by(exp.Literal.number(1), copy=False)
        mean = exp.select(exp.Avg(this=exp.column("value")), copy=False)
        baseline: exp.Expr = mean.from_(rows.subquery("per_value"), copy=False).subquery()
    else:
        rows.set("group", None)
        rows.set("expressions", [_parse(measured.expression)])
        baseline = rows.subquery()
    node_type: type[exp.Binary] = getattr(exp, _COMPARISONS[condition.op])
    return node_type(this=_parse(measured.expression), expression=baseline)


def average_text(model: SemanticModel, condition: Condition) -> str:
    """'only customers with revenue above the average per customer'."""
    from lgda_nb.planner._text import plural as _plural

    metric = model.metric(condition.metric)
    per = model.dimensions[condition.per].label.lower()
    side = "above" if condition.op in {">", ">="} else "below"
    if metric.additive:
        baseline = f"the average per {per} over the same rows and period"
    else:
        baseline = "the overall average over the same rows and period"
    return f"only {_plural(per)} with {metric.label.lower()} {side} {baseline}"


def _group_columns(
    plan: Plan, model: SemanticModel, metric: Metric, base: str
) -> tuple[list[exp.Expr], set[str], list[str]]:
    """The period and breakdown columns of each row (the output names to group by), and
    the tables they read."""
    from lgda_nb.planner._compile import _as, _dimension_columns, _grain_columns, _tables

    select: list[exp.Expr] = []
    needed: set[str] = set()
    groups: list[str] = []
    columns = list(_grain_columns(plan, metric))
    for dimension in plan.dimensions:
        columns += _dimension_columns(model.dimensions[dimension], base)
    for name, node in columns:
        needed |= _tables(node)
        select.append(_as(node, name))
        groups.append(name)
    return select, needed, groups
