"""The typed query as JSON: its schema, built from a model, and reading one back.

A language model that answers with a typed query (metrics, breakdowns, filters,
a time window, ...) instead of SQL gets the same compiler, interpretation and
checks as the offline reader. ``query_schema`` lists the model's own names, so a
provider that takes a schema can only name what exists; ``plan_from_query``
checks every name and value again, because not every provider enforces a schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from lgda_nb.errors import PlanningError
from lgda_nb.planner._asked import check_asked
from lgda_nb.planner._entity import check_query, parse_statistic
from lgda_nb.planner._model import Dimension, SemanticModel
from lgda_nb.planner._plan import (
    LONGER_PERIODS,
    WINDOW_KINDS,
    Band,
    Condition,
    Filter,
    Plan,
    TimeWindow,
)
from lgda_nb.planner._read_shares import PERIOD_GROUPS

#: Time grains a breakdown can use.
GRAINS = ("day", "week", "month", "quarter", "year", "weekday", "hour")
ORDERS = ("auto", "desc", "asc", "time")
OPERATORS = ("in", "=", ">", ">=", "<", "<=", "between")
#: The plan fields a typed query sets; the rest (confidence, notes, ...) are the planner's.
QUERY_FIELDS = (
    "metrics",
    "dimensions",
    "filters",
    "conditions",
    "ignore_rules",
    "rules",
    "time_window",
    "grain",
    "order",
    "limit",
    "per",
    "per_by_key",
    "share",
    "share_of_rows",
    "share_of_measured",
    "share_within",
    "growth",
    "cumulative",
    "funnel",
    "compare",
    "time_column",
    "compare_with",
    "rank_by",
    "difference",
    "rolling",
    "bands",
    "by_measure",
    "by_measure_width",
    "top_percent",
    "top_count",
    "top_per",
    "rows",
    "columns",
    "sort",
    "display",
    "distinct",
    "steps",
    "session_filters",
    "session_rate",
)
#: Metrics composed from the model's names: an aggregate of a numeric dimension
#: (``avg:age``), one metric over another counted on the same rows
#: (``ratio:revenue:orders``), a percentile of a number (``p90:price``), a statistic
#: of a metric per entity (``median:revenue:order_id``, see ``_entity``), the gaps between
#: an entity's things (``gap:DAY:avg:orders:customer_id``), or the rows whose later moment
#: came within N units of an earlier one (``within_pct:30:DAY:signup:first_order``), or a
#: dimension's distinct values among a metric's rows (``distinct_in:items_sold:product``).
_COMPOSED = (
    r"^(?:(?:min|max|avg|median|p\d{1,2}):\w+|ratio:\w+:\w+"
    r"|(?:min|max|avg|median|p\d{1,2}):\w+:\w+|gap:[A-Z]+:\w+:\w+:\w+"
    r"|within(?:_pct)?:\d+:\w+:\w+:\w+|distinct_in:\w+:\w+)$"
)
_HINT = "The model's query named something the semantic model does not have."


def query_of(plan: Plan) -> dict[str, Any]:
    """The typed query of ``plan``: the JSON a model would answer for the same question."""
    data = plan.to_dict()
    query = {name: data[name] for name in QUERY_FIELDS}
    windows = [query["time_window"], query["compare_with"]]
    windows += [c.get("window") for c in query["conditions"]]
    for window in windows:
        if window is not None:
            window.pop("label", None)
    return query


def query_schema(model: SemanticModel) -> dict[str, Any]:
    """The JSON schema of a typed query over ``model``: only its names are valid."""
    metrics = sorted(model.metrics)
    dimensions = sorted(model.dimensions)
    listed = sorted(t.qualified(c) for t in model.catalog.values() for c in t.columns)
    counted = [f"distinct:{name}" for name in dimensions]
    counted += [f"distinct:{name}:name" for name in dimensions if model.dimensions[name].key]
    numbers = {"type": "array", "items": {"type": ["string", "number"]}}
    window = {
        "type": ["object", "null"],
        "properties": {
            "kind": {"type": "string", "enum": list(WINDOW_KINDS)},
            "n": {"type": "integer"},
            "year": {"type": "integer"},
            "month": {"type": "integer"},
            "years": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["kind"],
    }
    value_filters = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "dimension": {"type": "string", "enum": dimensions},
                "op": {"type": "string", "enum": list(OPERATORS)},
                "values": numbers,
                "negate": {"type": "boolean"},
            },
            "required": ["dimension", "values"],
        },
    }
    steps = [str(s) for s in model.funnel.get("steps", [])]
    return {
        "type": "object",
        "properties": {
            "metrics": {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"type": "string", "enum": metrics + counted},
                        {"type": "string", "pattern": _COMPOSED},
                    ]
                },
            },
            "dimensions": {"type": "array", "items": {"type": "string", "enum": dimensions}},
            "filters": value_filters,
            "conditions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "metric": {"type": "string"},
                        "per": {"type": "string", "enum": dimensions},
                        "op": {"type": "string", "enum": [o for o in OPERATORS if o != "in"]},
                        "values": {"type": "array", "items": {"type": "number"}},
                        "against": {"type": ["string", "null"], "enum": ["average", None]},
                        "ever": {"type": "boolean"},
                        "window": window,
                        "filters": value_filters,
                    },
                    "required": ["metric", "per", "op", "values"],
                },
            },
            "ignore_rules": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(model.named_filters)},
            },
            "rules": {
                "type": "array",
                "items": {"type": "string"},
                "description": "named filters to apply beyond the measure's own, or a check "
                "that a moment's column has a date (dated:table.column) or none "
                "(undated:table.column)",
            },
            "time_window": window,
            "compare_with": window,
            "rank_by": {"type": ["string", "null"], "enum": ["change", "difference", None]},
            "difference": {"type": "boolean"},
            "rolling": {"type": "integer", "minimum": 0},
            "bands": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "dimension": {"type": "string", "enum": dimensions},
                        "edges": {"type": "array", "items": {"type": "number"}},
                        "width": {"type": "number"},
                        "labels": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["dimension"],
                },
            },
            "grain": {"type": ["string", "null"], "enum": [*GRAINS, None]},
            "order": {"type": "string", "enum": list(ORDERS)},
            "limit": {"type": ["integer", "null"]},
            "per": {"type": ["string", "null"]},
            "per_by_key": {"type": "boolean"},
            "share": {"type": "boolean"},
            "share_of_rows": {"type": "boolean"},
            "share_of_measured": {"type": "boolean"},
            "share_within": {"type": ["string", "null"]},
            "growth": {"type": "boolean"},
            "cumulative": {"type": "boolean"},
            "funnel": {"type": "boolean"},
            "compare": {"type": "boolean"},
            "time_column": {"type": ["string", "null"]},
            "by_measure": {"type": ["string", "null"], "pattern": r"^\w+:\w+$"},
            "by_measure_width": {"type": "number"},
            "top_percent": {"type": ["number", "null"]},
            "top_count": {"type": ["integer", "null"], "minimum": 1},
            "top_per": {"type": ["string", "null"], "enum": [*dimensions, None]},
            # A list of rows (metrics empty): the table, the columns shown, the ranking.
            "rows": {"type": ["string", "null"], "enum": [*sorted(model.catalog), None]},
            "columns": {"type": "array", "items": {"type": "string", "enum": listed}},
            "sort": {"type": ["string", "null"], "enum": [*listed, None]},
            # The order a ranking's rows are shown in, when not the ranking's own.
            "display": {"type": ["string", "null"], "enum": ["asc", "desc", None]},
            "distinct": {"type": "boolean"},
            # A funnel's steps in its order (empty: all); sessions with (negate: without)
            # an event matching each filter; the % of them that also match session_rate.
            "steps": {
                "type": "array",
                "items": {"type": "string", **({"enum": steps} if steps else {})},
            },
            "session_filters": value_filters,
            "session_rate": value_filters,
        },
        "required": ["metrics"],
    }


def plan_from_query(
    question: str,
    query: Mapping[str, Any],
    model: SemanticModel,
    values: Mapping[str, Sequence[str]] | None = None,
) -> Plan:
    """The plan a typed query describes, every name and value checked against ``model``.

    ``values`` is the index of the data's own values per dimension: a filter value is
    matched to it regardless of case, and a value the data does not have is an error
    (an empty answer that looks like a real one is worse than a refusal). Raises
    ``PlanningError`` naming the first thing that does not fit.
    """
    unknown = sorted(set(query) - set(QUERY_FIELDS))
    if unknown:
        _fail(f"the query has fields that do not exist: {', '.join(unknown)}")
    rows, sort = _list_names(query)
    metrics = (
        _metrics(model, query.get("metrics"))
        if rows is None
        else _names(query.get("metrics"), "metrics")
    )
    dimensions = _names(query.get("dimensions"), "dimensions")
    for name in dimensions:
        _dimension(model, name)
    filters = tuple(_filter(model, raw, values or {}) for raw in _list(query, "filters"))
    conditions = tuple(_condition(model, raw, values or {}) for raw in _list(query, "conditions"))
    ignore_rules, rules = _rules(model, query)
    grain = query.get("grain")
    if grain is not None and grain not in GRAINS:
        _fail(f"{grain!r} is not a time grain ({', '.join(GRAINS)})")
    order = query.get("order", "auto")
    if order not in ORDERS:
        _fail(f"{order!r} is not an order ({', '.join(ORDERS)})")
    limit = query.get("limit")
    if limit is not None and (not _integer(limit) or limit < 1):
        _fail(f"the limit {limit!r} is not a positive whole number")
    per = _per(query, model, dimensions, grain)
    share_within = query.get("share_within")
    if (
        share_within is not None
        and share_within not in dimensions
        and (share_within not in PERIOD_GROUPS.get(str(grain), ()))
    ):
        _fail(
            f"shares restart per {share_within!r}, which is not one of the breakdowns nor a "
            "period holding the grain's periods"
        )
    time_column = query.get("time_column")
    if time_column is not None and not _is_time_column(model, time_column):
        _fail(f"{time_column!r} is not a date of the model")
    compare_with, rank_by, rolling, bands = _periods_and_bands(query, model, dimensions)
    by_measure, top_percent, top_count, top_per = _entity_fields(query)
    steps, session_filters, session_rate = _session_fields(query, model, values)
    plan = Plan(
        question=question,
        metrics=tuple(metrics),
        dimensions=tuple(dimensions),
        filters=filters,
        conditions=conditions,
        ignore_rules=ignore_rules,
        rules=rules,
        time_window=_window(query.get("time_window")),
        grain=grain,
        order=order,
        limit=limit,
        per=per,
        per_by_key=_flag(query, "per_by_key"),
        time_column=time_column,
        steps=steps,
        session_filters=session_filters,
        session_rate=session_rate,
        share=_flag(query, "share"),
        share_of_rows=_flag(query, "share_of_rows"),
        share_of_measured=_flag(query, "share_of_measured"),
        share_within=share_within,
        growth=_flag(query, "growth"),
        cumulative=_flag(query, "cumulative"),
        funnel=_flag(query, "funnel"),
        compare=_flag(query, "compare"),
        compare_with=compare_with,
        rank_by=rank_by,
        difference=_flag(query, "difference"),
        rolling=rolling,
        bands=bands,
        by_measure=by_measure,
        by_measure_width=_width(query),
        top_percent=top_percent,
        top_count=top_count,
        top_per=top_per,
        rows=rows,
        columns=tuple(_names(query.get("columns"), "columns")),
        sort=sort,
        display=_display(query),
        distinct=_flag(query, "distinct"),
    )
    try:
        problem = check_query(plan, model)
    except PlanningError as exc:
        _fail(str(exc.args[0]) if exc.args else str(exc))
    if problem is not None:
        _fail(problem)
    # A model's open question (which statuses count) binds a language model as it binds
    # the reader: the question itself must settle it.
    check_asked(
        model,
        question.lower(),
        metrics=plan.metrics,
        dimensions=plan.dimensions,
        filters=plan.filters,
        conditions=plan.conditions,
        every=(),
    )
    return _checked_list(plan, model)


def _session_fields(
    query: Mapping[str, Any],
    model: SemanticModel,
    values: Mapping[str, Sequence[str]] | None,
) -> tuple[tuple[str, ...], tuple[Filter, ...], tuple[Filter, ...]]:
    """The funnel's steps asked, and the filters on sessions and on their rate."""
    steps = tuple(_names(query.get("steps"), "steps"))
    known_steps = [str(s) for s in model.funnel.get("steps", [])]
    for name in steps:
        if name not in known_steps:
            _fail(f"{name!r} is not a step of the model's funnel")
    session_filters, session_rate = (
        tuple(_filter(model, raw, values or {}) for raw in _list(query, name))
        for name in ("session_filters", "session_rate")
    )
    return steps, session_filters, session_rate


def _width(query: Mapping[str, Any]) -> int | float:
    """``by_measure_width``: a positive number of the measure's unit, or 0 (none)."""
    width = query.get("by_measure_width", 0) or 0
    if not _is_number(width) or _number(width) < 0:
        _fail("'by_measure_width' must be a positive number")
    if width and query.get("by_measure") is None:
        _fail("'by_measure_width' buckets the values of 'by_measure'")
    return _number(width)


def _entity_fields(
    query: Mapping[str, Any],
) -> tuple[str | None, int | float | None, int | None, str | None]:
    """``by_measure``, ``top_percent``, ``top_count`` and ``top_per``, their types checked."""
    by_measure, top_percent, top_count, top_per = (
        query.get(k) for k in ("by_measure", "top_percent", "top_count", "top_per")
    )
    if by_measure is not None and not isinstance(by_measure, str):
        _fail("'by_measure' must be metric:entity")
    if top_percent is not None and not _is_number(top_percent):
        _fail("'top_percent' must be a number")
    if top_count is not None and (not _integer(top_count) or top_count < 1):
        _fail("'top_count' must be a whole number of at least 1")
    if top_per is not None and not isinstance(top_per, str):
        _fail("'top_per' must be an entity")
    percent = None if top_percent is None else _number(top_percent)
    return by_measure, percent, top_count, top_per


def _periods_and_bands(
    query: Mapping[str, Any], model: SemanticModel, dimensions: Sequence[str]
) -> tuple[TimeWindow | None, str | None, int, tuple[Band, ...]]:
    """The comparison's earlier window and ranking, the rolling average and the bands."""
    rank_by = query.get("rank_by")
    if rank_by not in (None, "change", "difference"):
        _fail(
            f"{rank_by!r} is not a ranking ('change' ranks by the change in %, 'difference' "
            "by the later value minus the earlier)"
        )
    rolling = query.get("rolling", 0)
    if not _integer(rolling) or rolling < 0:
        _fail("'rolling' must be a whole number of periods")
    bands = tuple(_band(model, raw, dimensions) for raw in _list(query, "bands"))
    compare_with = _window(query.get("compare_with"))
    if (compare_with is not None or rank_by or _flag(query, "difference")) and not _flag(
        query, "compare"
    ):
        _fail("'compare_with', 'rank_by' and 'difference' belong to a comparison ('compare': true)")
    return compare_with, rank_by, rolling, bands


def _band(model: SemanticModel, raw: Any, dimensions: Sequence[str]) -> Band:
    from lgda_nb.planner._compile_timecmp import check_band

    if not isinstance(raw, Mapping):
        _fail("each band must be an object")
    name = _dimension(model, raw.get("dimension")).name
    if name not in dimensions:
        _fail(f"the bands of {name!r} need it among the breakdowns")
    edges = raw.get("edges") or []
    labels = raw.get("labels") or []
    if not isinstance(edges, list | tuple) or not all(_is_number(e) for e in edges):
        _fail(f"the edges of the bands of {name!r} must be numbers")
    if not isinstance(labels, list | tuple) or not all(isinstance(x, str) for x in labels):
        _fail(f"the labels of the bands of {name!r} must be text")
    width = raw.get("width", 0)
    if not _is_number(width):
        _fail(f"the width of the buckets of {name!r} must be a number")
    band = Band(name, tuple(_number(e) for e in edges), _number(width), tuple(labels))
    try:
        check_band(band, model)
    except PlanningError as exc:
        _fail(exc.message.rstrip("."))
    return band


def _list_names(query: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The table of a list of rows and the column it is sorted by, if named."""
    rows, sort = query.get("rows"), query.get("sort")
    if rows is not None and not isinstance(rows, str):
        _fail("'rows' must be the name of a table")
    if sort is not None and not isinstance(sort, str):
        _fail("'sort' must be a table.column name")
    return rows, sort


def _checked_list(plan: Plan, model: SemanticModel) -> Plan:
    """``plan``, when it is no list or a list the model can compile."""
    if plan.rows is not None or plan.columns or plan.sort is not None or plan.distinct:
        from lgda_nb.planner._compile_lists import list_problem

        problem = list_problem(plan, model)
        if problem is not None:
            _fail(problem)
    return plan


def _display(query: Mapping[str, Any]) -> str | None:
    display = query.get("display")
    if display not in ("asc", "desc", None):
        _fail(f"{display!r} is not a display order (asc, desc or null)")
    return display


def _flag(query: Mapping[str, Any], name: str) -> bool:
    flag = query.get(name, False)
    if not isinstance(flag, bool):
        _fail(f"{name!r} must be true or false")
    return flag


def _metrics(model: SemanticModel, raw: Any) -> list[str]:
    metrics = _names(raw, "metrics")
    if not metrics:
        _fail("the query names no metric")
    for name in metrics:
        try:
            metric = model.metric(name)
        except (KeyError, TypeError):
            _fail(f"{name!r} is not a metric of the model")
        kind, _, dimension = name.partition(":")
        if parse_statistic(name, model) is not None:
            continue
        if kind in ("min", "max", "avg", "median") and not model.dimensions[dimension].numeric:
            _fail(f"{metric.label!r} needs a numeric dimension")
    return metrics


def _per(
    query: Mapping[str, Any], model: SemanticModel, dimensions: Sequence[str], grain: Any
) -> Any:
    """The group a ranking restarts in: a breakdown, or a period holding the grain."""
    per = query.get("per")
    if (
        per is not None
        and per not in dimensions
        and per != grain
        and per not in LONGER_PERIODS.get(grain or "", ())
    ):
        _fail(
            f"the ranking restarts per {per!r}, which is not one of the breakdowns nor a "
            "period holding the grain"
        )
    keyed = per in dimensions and model.dimensions[str(per)].key
    if _flag(query, "per_by_key") and not keyed:
        _fail("'per_by_key' orders the groups of a ranking ('per') by a breakdown's key")
    return per


def _fail(problem: str) -> NoReturn:
    raise PlanningError(f"The model's query does not fit the data: {problem}.", hint=_HINT)


def _list(query: Mapping[str, Any], name: str) -> list[Any]:
    value = query.get(name) or []
    if not isinstance(value, list | tuple):
        _fail(f"{name!r} must be a list")
    return list(value)


def _rules(model: SemanticModel, query: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The model's rules left out, and the rules applied beside the measure's own."""
    ignore_rules = tuple(_names(query.get("ignore_rules"), "ignore_rules"))
    for name in ignore_rules:
        if name not in model.named_filters:
            _fail(f"{name!r} is not a rule of the model")
    rules = tuple(_names(query.get("rules"), "rules"))
    for name in rules:
        if name not in model.named_filters and model.date_check(name) is None:
            _fail(f"{name!r} is neither a rule of the model nor a date check of a moment")
    return ignore_rules, rules


def _names(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        _fail(f"{field!r} must be a list of names")
    return list(dict.fromkeys(value))


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _dimension(model: SemanticModel, name: Any) -> Dimension:
    if not isinstance(name, str) or name not in model.dimensions:
        _fail(f"{name!r} is not a dimension of the model")
    return model.dimensions[name]


def _is_time_column(model: SemanticModel, column: Any) -> bool:
    return isinstance(column, str) and any(m.time == column for m in model.metrics.values())


def _filter(model: SemanticModel, raw: Any, index: Mapping[str, Sequence[str]]) -> Filter:
    if not isinstance(raw, Mapping):
        _fail("each filter must be an object")
    dimension = _dimension(model, raw.get("dimension"))
    name = dimension.name
    op = raw.get("op", "in")
    if op not in OPERATORS:
        _fail(f"{op!r} is not a filter operator ({', '.join(OPERATORS)})")
    values = raw.get("values")
    if not isinstance(values, list | tuple) or not values:
        _fail(f"the filter on {name!r} has no values")
    negate = raw.get("negate", False)
    if not isinstance(negate, bool):
        _fail(f"'negate' of the filter on {name!r} must be true or false")
    if op != "in":
        if not dimension.numeric:
            _fail(f"{name!r} is not a number, so it cannot be compared with {op!r}")
        wanted = 2 if op == "between" else 1
        if len(values) != wanted or not all(_is_number(v) for v in values):
            _fail(f"{op!r} on {name!r} needs {wanted} number{'s' if wanted > 1 else ''}")
        return Filter(name, tuple(_number(v) for v in values), negate, op)
    known = index.get(name)
    if known is None:
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
            _fail(f"the values of the filter on {name!r} must be text or numbers")
        return Filter(name, tuple(values), negate)
    spelled = {str(v).lower(): v for v in known}
    matched: list[str | int | float] = []
    for value in values:
        found = spelled.get(str(value).lower())
        if found is None:
            _fail(f"{value!r} is not a value of {dimension.label.lower()} in the data")
        matched.append(found)
    return Filter(name, tuple(matched), negate)


def _condition(model: SemanticModel, raw: Any, index: Mapping[str, Sequence[str]]) -> Condition:
    if not isinstance(raw, Mapping):
        _fail("each condition must be an object")
    filters = tuple(_filter(model, each, index) for each in _list(raw, "filters"))
    (metric,) = _metrics(model, [raw.get("metric")])
    per = _dimension(model, raw.get("per")).name
    op = raw.get("op")
    if op not in OPERATORS or op == "in":
        _fail(f"{op!r} is not a comparison for a condition")
    values = raw.get("values")
    against = raw.get("against")
    if against is not None:
        if against != "average" or op not in {">", ">=", "<", "<="} or values:
            _fail("a condition against the average is one of > >= < <= with no values")
        return Condition(metric, per, op, (), against, filters=filters)
    ever = raw.get("ever", False)
    if not isinstance(ever, bool):
        _fail("a condition's 'ever' is true or false")
    window = _window(raw.get("window"))
    if window is not None and ever:
        _fail("a condition is over all time ('ever') or over its own 'window', not both")
    wanted = 2 if op == "between" else 1
    if (
        not isinstance(values, list | tuple)
        or len(values) != wanted
        or not all(_is_number(v) for v in values)
    ):
        _fail(f"the condition {op!r} on {metric!r} needs {wanted} number(s)")
    values = tuple(_number(v) for v in values)
    return Condition(metric, per, op, values, ever=ever, window=window, filters=filters)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


#: Windows bounded by one calendar date: ``year``, ``month`` and the day in ``n``.
_DATED = frozenset({"since_date", "after_date", "before_date", "through_date", "date_range"})


def _check_range(kind: str, parts: Mapping[str, int], years: Sequence[int]) -> None:
    """A range of months or days names both ends, and runs forwards."""
    if kind == "month_range" and (
        len(years) != 2 or not 1 <= parts["month"] <= 12 or not 1 <= parts["n"] <= 12
    ):
        _fail("a 'month_range' window needs 'years' [first, last], 'month' and 'n' (1 to 12)")
    if kind == "month_range" and (years[0], parts["month"]) > (years[1], parts["n"]):
        _fail("a 'month_range' window's first month comes after its last")
    if kind == "date_range" and not _date_range_ok(parts, years):
        _fail(
            "a 'date_range' window needs its first day as 'year', 'month', 'n' and its last "
            "as 'years' [year, month, day], the last not before the first"
        )


def _date_range_ok(parts: Mapping[str, int], years: Sequence[int]) -> bool:
    """Whether a day range's two dates exist and run forwards."""
    import datetime

    try:
        first = datetime.date(parts["year"], parts["month"], parts["n"])
        last = datetime.date(*years) if len(years) == 3 else None
    except (TypeError, ValueError):
        return False
    return last is not None and first <= last


def _window(raw: Any) -> TimeWindow | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or raw.get("kind") not in WINDOW_KINDS:
        _fail(f"the time window must be an object whose kind is one of {', '.join(WINDOW_KINDS)}")
    parts = {}
    for name in ("n", "year", "month"):
        value = raw.get(name, 0)
        if not _integer(value) or value < 0:
            _fail(f"the time window's {name!r} must be a whole number")
        parts[name] = value
    years = raw.get("years") or []
    if not isinstance(years, list | tuple) or not all(_integer(y) for y in years):
        _fail("the time window's 'years' must be a list of years")
    kind = raw["kind"]
    needs = {
        "n": {"last_days", "recent_months", "complete_months", "recent_years", "quarter",
              "complete_weeks", "month_back", "quarter_back", *_DATED},
        "year": {"year", "since_year", "before_year", "through_year", "after_year", "month",
                 "quarter", *_DATED},
        "month": {"month", *_DATED},
    }  # fmt: skip
    for name, kinds in needs.items():
        if kind in kinds and not parts[name]:
            _fail(f"a {kind!r} window needs {name!r}")
    if kind in ("years", "year_range") and not years:
        _fail(f"a {kind!r} window needs 'years'")
    _check_range(kind, parts, years)
    if kind in {"month", *_DATED} and not 1 <= parts["month"] <= 12:
        _fail("a month is 1 to 12")
    if kind == "quarter" and not 1 <= parts["n"] <= 4:
        _fail("a quarter is 1 to 4")
    window = TimeWindow(kind, years=tuple(years), **parts)
    return window.described()
