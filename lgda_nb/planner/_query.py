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
from lgda_nb.planner._model import Dimension, SemanticModel
from lgda_nb.planner._plan import WINDOW_KINDS, Condition, Filter, Plan, TimeWindow

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
    "time_window",
    "grain",
    "order",
    "limit",
    "per",
    "share",
    "share_of_rows",
    "share_within",
    "growth",
    "cumulative",
    "funnel",
    "compare",
    "time_column",
    "steps",
    "session_filters",
    "session_rate",
)
#: Metrics composed from the model's names: an aggregate of a numeric dimension
#: (``avg:age``) or one metric over another counted on the same rows
#: (``ratio:revenue:orders``).
_COMPOSED = r"^(?:(?:min|max|avg|median):\w+|ratio:\w+:\w+)$"
_HINT = "The model's query named something the semantic model does not have."


def query_of(plan: Plan) -> dict[str, Any]:
    """The typed query of ``plan``: the JSON a model would answer for the same question."""
    data = plan.to_dict()
    query = {name: data[name] for name in QUERY_FIELDS}
    window = query["time_window"]
    if window is not None:
        window.pop("label", None)
    return query


def query_schema(model: SemanticModel) -> dict[str, Any]:
    """The JSON schema of a typed query over ``model``: only its names are valid."""
    metrics = sorted(model.metrics)
    dimensions = sorted(model.dimensions)
    counted = [f"distinct:{name}" for name in dimensions]
    numbers = {"type": "array", "items": {"type": ["string", "number"]}}
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
                "minItems": 1,
            },
            "dimensions": {"type": "array", "items": {"type": "string", "enum": dimensions}},
            "filters": {
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
            },
            "conditions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "metric": {"type": "string"},
                        "per": {"type": "string", "enum": dimensions},
                        "op": {"type": "string", "enum": [o for o in OPERATORS if o != "in"]},
                        "values": {"type": "array", "items": {"type": "number"}},
                    },
                    "required": ["metric", "per", "op", "values"],
                },
            },
            "ignore_rules": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(model.named_filters)},
            },
            "time_window": {
                "type": ["object", "null"],
                "properties": {
                    "kind": {"type": "string", "enum": list(WINDOW_KINDS)},
                    "n": {"type": "integer"},
                    "year": {"type": "integer"},
                    "month": {"type": "integer"},
                    "years": {"type": "array", "items": {"type": "integer"}},
                },
                "required": ["kind"],
            },
            "grain": {"type": ["string", "null"], "enum": [*GRAINS, None]},
            "order": {"type": "string", "enum": list(ORDERS)},
            "limit": {"type": ["integer", "null"]},
            "per": {"type": ["string", "null"]},
            "share": {"type": "boolean"},
            "share_of_rows": {"type": "boolean"},
            "share_within": {"type": ["string", "null"]},
            "growth": {"type": "boolean"},
            "cumulative": {"type": "boolean"},
            "funnel": {"type": "boolean"},
            "compare": {"type": "boolean"},
            "time_column": {"type": ["string", "null"]},
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
    metrics = _metrics(model, query.get("metrics"))
    dimensions = _names(query.get("dimensions"), "dimensions")
    for name in dimensions:
        _dimension(model, name)
    filters = tuple(_filter(model, raw, values or {}) for raw in _list(query, "filters"))
    conditions = tuple(_condition(model, raw) for raw in _list(query, "conditions"))
    ignore_rules = tuple(_names(query.get("ignore_rules"), "ignore_rules"))
    for name in ignore_rules:
        if name not in model.named_filters:
            _fail(f"{name!r} is not a rule of the model")
    grain = query.get("grain")
    if grain is not None and grain not in GRAINS:
        _fail(f"{grain!r} is not a time grain ({', '.join(GRAINS)})")
    order = query.get("order", "auto")
    if order not in ORDERS:
        _fail(f"{order!r} is not an order ({', '.join(ORDERS)})")
    limit = query.get("limit")
    if limit is not None and (not _integer(limit) or limit < 1):
        _fail(f"the limit {limit!r} is not a positive whole number")
    per = query.get("per")
    if per is not None and per not in dimensions and per != grain:
        _fail(f"the ranking restarts per {per!r}, which is not one of the breakdowns")
    share_within = query.get("share_within")
    if share_within is not None and share_within not in dimensions:
        _fail(f"shares restart per {share_within!r}, which is not one of the breakdowns")
    time_column = query.get("time_column")
    if time_column is not None and not _is_time_column(model, time_column):
        _fail(f"{time_column!r} is not a date of the model")
    steps = tuple(_names(query.get("steps"), "steps"))
    known_steps = [str(s) for s in model.funnel.get("steps", [])]
    for name in steps:
        if name not in known_steps:
            _fail(f"{name!r} is not a step of the model's funnel")
    session_filters, session_rate = (
        tuple(_filter(model, raw, values or {}) for raw in _list(query, name))
        for name in ("session_filters", "session_rate")
    )
    return Plan(
        question=question,
        metrics=tuple(metrics),
        dimensions=tuple(dimensions),
        filters=filters,
        conditions=conditions,
        ignore_rules=ignore_rules,
        time_window=_window(query.get("time_window")),
        grain=grain,
        order=order,
        limit=limit,
        per=per,
        time_column=time_column,
        steps=steps,
        session_filters=session_filters,
        session_rate=session_rate,
        share=_flag(query, "share"),
        share_of_rows=_flag(query, "share_of_rows"),
        share_within=share_within,
        growth=_flag(query, "growth"),
        cumulative=_flag(query, "cumulative"),
        funnel=_flag(query, "funnel"),
        compare=_flag(query, "compare"),
    )


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
        if kind in ("min", "max", "avg", "median") and not model.dimensions[dimension].numeric:
            _fail(f"{metric.label!r} needs a numeric dimension")
    return metrics


def _fail(problem: str) -> NoReturn:
    raise PlanningError(f"The model's query does not fit the data: {problem}.", hint=_HINT)


def _list(query: Mapping[str, Any], name: str) -> list[Any]:
    value = query.get(name) or []
    if not isinstance(value, list | tuple):
        _fail(f"{name!r} must be a list")
    return list(value)


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


def _condition(model: SemanticModel, raw: Any) -> Condition:
    if not isinstance(raw, Mapping):
        _fail("each condition must be an object")
    (metric,) = _metrics(model, [raw.get("metric")])
    per = _dimension(model, raw.get("per")).name
    op = raw.get("op")
    if op not in OPERATORS or op == "in":
        _fail(f"{op!r} is not a comparison for a condition")
    values = raw.get("values")
    wanted = 2 if op == "between" else 1
    if (
        not isinstance(values, list | tuple)
        or len(values) != wanted
        or not all(_is_number(v) for v in values)
    ):
        _fail(f"the condition {op!r} on {metric!r} needs {wanted} number(s)")
    return Condition(metric, per, op, tuple(_number(v) for v in values))


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
_DATED = frozenset({"since_date", "after_date", "before_date", "through_date"})


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
              "complete_weeks", *_DATED},
        "year": {"year", "since_year", "before_year", "through_year", "after_year", "month",
                 "quarter", *_DATED},
        "month": {"month", *_DATED},
    }  # fmt: skip
    for name, kinds in needs.items():
        if kind in kinds and not parts[name]:
            _fail(f"a {kind!r} window needs {name!r}")
    if kind in ("years", "year_range") and not years:
        _fail(f"a {kind!r} window needs 'years'")
    if kind in {"month", *_DATED} and not 1 <= parts["month"] <= 12:
        _fail("a month is 1 to 12")
    if kind == "quarter" and not 1 <= parts["n"] <= 4:
        _fail("a quarter is 1 to 4")
    window = TimeWindow(kind, years=tuple(years), **parts)
    return window.described()
