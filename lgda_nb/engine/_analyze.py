"""The answer's analysis stages: what the columns mean, the facts, the insight, the chart.

``analyze_df`` reads a planned answer's columns through the semantic model (units,
labels, which measures add up, periods the data covers only in part) and computes
the facts; ``report`` words them, picks the chart and builds the ``Result``. The
pure DataFrame analysis lives in ``lgda_nb.insight``; this module is where the
planner's knowledge meets it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import structlog

from lgda_nb.engine._result import Result

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.engine._engine import Engine
    from lgda_nb.engine._state import _State
    from lgda_nb.insight import Shape
    from lgda_nb.insight._facts import Columns
    from lgda_nb.planner import Plan, SemanticModel

__all__ = ["analyze_df", "report"]

logger = structlog.get_logger("lgda_nb.engine")


def analyze_df(engine: Engine, state: _State) -> None:
    """Deterministic facts from the DataFrame: totals, top/bottom, shares, change, trend."""
    from lgda_nb.insight import analyze
    from lgda_nb.insight._facts import Columns, normalised

    assert state.df is not None
    plan = state.plan
    if plan is not None and plan.sql is not None:
        from lgda_nb.insight import infer_shape

        state.shape = infer_shape(state.df)  # model-written SQL: read the columns
        limit = _top_level_limit(plan.sql)
        complete = not state.truncated and (limit is None or len(state.df) < limit)
        table = state.facts_table = Columns(normalised(state.df))
        state.facts = analyze(state.df, state.shape, complete=complete, table=table)
    elif plan is not None and plan.rows is not None:
        from lgda_nb.insight import Shape

        # A list of rows: its numbers are values of each row, not measures to add up.
        state.shape = Shape(measures=(), dimensions=tuple(map(str, state.df.columns)))
        table = state.facts_table = Columns(normalised(state.df))
        state.facts = analyze(state.df, state.shape, complete=False, table=table)
    elif plan is not None:
        shape = _shape_of(engine.model, plan, list(state.df.columns))
        state.facts_df, state.shape = _quarter_periods(state.df, shape)
        table = state.facts_table = Columns(normalised(state.facts_df))
        partial = _partial_periods(engine, plan, state.shape, table)
        # A top N that came back full may have left groups out; fewer rows means it did not.
        # A condition on a measure ("countries with at least 200 orders") leaves groups out.
        complete = (
            not state.truncated
            and not plan.conditions
            and (not plan.limit or len(state.df) < plan.limit)
        )
        state.facts = analyze(
            state.facts_df, state.shape, partial=partial, complete=complete, table=table
        )


_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*;?\s*$", re.IGNORECASE)


def _top_level_limit(sql: str) -> int | None:
    """The LIMIT that ends a query, if any: its rows may be only part of the answer."""
    match = _LIMIT.search(sql)
    return int(match[1]) if match else None


def _quarter_periods(df: pd.DataFrame, shape: Shape) -> tuple[pd.DataFrame, Shape]:
    """Quarters come back as year and quarter numbers; facts and charts read them as one
    period ("Q3 2024"), so the text does not say "from 3 to 4"."""
    if shape.grain != "quarter" or not {"year", "quarter"} <= set(df.columns):
        return df, shape
    import pandas as pd

    periods = df.copy()
    periods["quarter"] = pd.to_datetime(
        {"year": df["year"], "month": (df["quarter"].astype(int) - 1) * 3 + 1, "day": 1}
    )
    periods = periods.drop(columns=["year"])
    dimensions = tuple(d for d in shape.dimensions if d not in ("year", "quarter"))
    return periods, replace(shape, time="quarter", dimensions=dimensions)


#: How many months (or days) one period of each grain spans.
_GRAIN_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_GRAIN_DAYS = {"day": 1, "week": 7}


def _partial_periods(engine: Engine, plan: Plan, shape: Shape, table: Columns) -> list[Any]:
    """Periods of a planned series that the data covers only in part.

    The last period is partial when the data ends before it does (data through
    15 December makes December a half month); the first is partial when the data
    or a "last N days" window starts after the period began.
    """
    import numpy as np
    import pandas as pd

    grain = shape.grain or ""
    source = _time_source(engine.model, plan, shape)
    time = shape.time
    if grain not in {*_GRAIN_MONTHS, *_GRAIN_DAYS} or source is None or time is None:
        return []
    if plan.compare:  # two windows side by side: neither is a period of a series
        return []
    start, end = engine.data_bounds(source)
    starts: dict[Any, pd.Timestamp] = {}  # each period value -> when the period starts
    for value in table.values(time):
        if value in starts:
            continue
        if isinstance(value, date | pd.Timestamp) and not pd.isna(value):
            starts[value] = pd.Timestamp(value)
        elif grain == "year" and isinstance(value, int | np.integer) and 1 <= value <= 9999:
            starts[value] = pd.Timestamp(year=int(value), month=1, day=1)  # EXTRACT(YEAR ...)
    if start is None or end is None or not starts:
        return []
    periods = sorted(starts, key=starts.__getitem__)
    partial = []
    last = starts[periods[-1]]
    if end.normalize() + pd.Timedelta(days=1) < _period_end(last, grain):
        partial.append(periods[-1])
    window = plan.time_window
    days = window.n if window is not None and window.kind == "last_days" else None
    window_start = end - pd.Timedelta(days=days) if days is not None else start.normalize()
    if starts[periods[0]] < max(window_start, start.normalize()):
        partial.insert(0, periods[0])
    return partial


def _period_end(start: pd.Timestamp, grain: str) -> pd.Timestamp:
    """Where the period of ``grain`` starting at ``start`` ends, as ``pd.DateOffset`` would
    say (a month from 31 January is 29 February in a leap year), without its cost."""
    import calendar

    import pandas as pd

    if grain not in _GRAIN_MONTHS:
        return start + pd.Timedelta(days=_GRAIN_DAYS[grain])
    year, month = divmod(start.month - 1 + _GRAIN_MONTHS[grain], 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)


def report(engine: Engine, state: _State) -> None:
    """Insight text from the facts only, a chart spec, follow-ups; then the ``Result``."""
    assert state.df is not None
    rows, columns = state.df.shape
    size = f"{rows:,} row{'s' if rows != 1 else ''} x {columns} column{'s' if columns != 1 else ''}"
    chart = None
    follow_ups: tuple[str, ...] = ()
    if state.facts is not None and state.shape is not None and state.plan is not None:
        from lgda_nb.insight import chart_spec, insight_text

        summary = insight_text(state.facts, state.shape)
        drawn = state.facts_df if state.facts_df is not None else state.df
        chart = chart_spec(
            drawn, state.shape, partial=state.facts.partial_periods, table=state.facts_table
        )
        if state.plan.sql is None and state.plan.metrics:
            follow_ups = _follow_ups(engine, state.plan)
        summary = _narrative(engine, state, summary)
    else:
        summary = size + "."
    if state.truncated:
        summary += f" Only the first {state.limit:,} rows are shown (row limit)."
    state.result = Result(
        question=state.question,
        plan=state.plan,
        interpretation=state.plan.interpretation if state.plan is not None else "",
        sql=state.canonical,
        executed_sql=engine.redact(state.executed_sql),
        df=state.df,
        backend=engine.backend.name,
        timings=state.timings,
        summary=summary,
        chart=chart,
        truncated=state.truncated,
        row_limit=state.limit,
        tables=state.tables,
        correlation_id=state.correlation_id,
        facts=state.facts,
        follow_ups=follow_ups,
        pii=tuple(state.pii),
        cached=state.cached,
        attempts=list(state.attempts),
        bytes=state.bytes,
        bytes_estimate=state.bytes_estimate,
    )


def _narrative(engine: Engine, state: _State, summary: str) -> str:
    """The model's narrative when the settings allow sending facts and every number in it
    is in the facts; otherwise the deterministic ``summary`` (the rejection is logged)."""
    from lgda_nb.llm import LLMPlanner
    from lgda_nb.llm._narrative import facts_payload, unverified_numbers

    planner = engine.planner
    plan = state.plan
    if (
        not isinstance(planner, LLMPlanner)
        or engine.config.llm.send_data == "none"
        or plan is None
        or plan.source == "offline"
    ):
        return summary
    payload = facts_payload(state.facts, summary)
    text = planner.narrate(payload, state.question, plan.source.split("/", 1)[0])
    if text is None:
        return summary
    unsupported = unverified_numbers(text, payload, state.question)
    if unsupported:
        from lgda_nb._observability import get_metrics

        get_metrics().increment("llm.narrative_rejected")
        logger.warning(
            "narrative_rejected", correlation_id=state.correlation_id, numbers=unsupported
        )
        return summary
    return text


def _baseline_columns(
    model: SemanticModel,
    plan: Plan,
    units: dict[str, str],
    labels: dict[str, str],
    additive: dict[str, bool],
) -> None:
    """The unit and label of the average groups were compared with ("categories with a
    return rate above the overall rate"), one value on every row: never added up."""
    for condition in plan.conditions:
        if condition.against is None:
            continue
        measured = model.metric(condition.metric)
        per = model.dimensions[condition.per].label.lower()
        for name, label in (
            (f"overall_{measured.name}", f"Overall {measured.label.lower()}"),
            (
                f"average_{measured.name}_per_{condition.per}",
                f"{measured.label} per {per} (average)",
            ),
        ):
            units[name] = measured.unit
            labels[name] = label
            additive[name] = False


def _shape_of(model: SemanticModel, plan: Plan, columns: list[str]) -> Shape:
    """What the columns of a planned answer mean, for facts and charts."""
    from lgda_nb.insight import Shape
    from lgda_nb.planner._compile import SERIES_GRAINS

    metrics = [model.metric(name) for name in plan.metrics]
    units = {m.name: m.unit for m in metrics}
    labels = {m.name: m.label for m in metrics}
    additive = {
        m.name: _sums_over_rows(model, plan, name)
        for name, m in zip(plan.metrics, metrics, strict=True)
    }
    labels.update({name: model.dimensions[name].label for name in plan.dimensions})
    dimensions = [d for d in plan.dimensions if d in columns]
    if plan.per:
        # Each row is a leader of its group: the rows do not add up to a total, and the
        # rank is a position, not a measure.
        additive = dict.fromkeys(additive, False)
        columns = [c for c in columns if c != "rank"]
        ranked = [d for d in plan.dimensions if d != plan.per]
        if plan.limit == 1 and len(ranked) == 1:
            leader = model.dimensions[ranked[0]].label.lower()
            labels.update({m.name: f"{m.label} of the top {leader}" for m in metrics})
    if plan.funnel:
        dimensions = [*dimensions, "step"]  # steps within each breakdown value
        columns = [c for c in columns if c != "step_number"]  # the order, not a measure
        counted = str(model.funnel["measure"])
        labels.update(
            pct_of_first_step="% of first step",
            pct_of_previous_step="% of previous step",
            step="Step",
        )
        labels[counted] = model.metric(counted).label
        units[counted] = "count"
        additive[counted] = False  # a session counts at every step it reaches
    elif plan.session_rate or plan.steps:
        columns, dimensions = _session_columns(model, plan, columns, dimensions, labels, units)
    for i, m in enumerate(metrics):  # comparisons name their columns after the metric
        for suffix, word in (("_current", "current period"), ("_previous", "previous period")):
            units[m.name + suffix] = m.unit
            labels[m.name + suffix] = f"{m.label} ({word})"
            additive[m.name + suffix] = False
        # The whole a share is of, and the difference a comparison is ranked by.
        for name, label in (
            (f"all_{m.name}", f"{m.label} (all)"),
            ("difference" if i == 0 else f"{m.name}_difference", f"{m.label} (difference)"),
        ):
            units[name] = m.unit
            labels[name] = label
            additive[name] = False
    _baseline_columns(model, plan, units, labels, additive)
    time = plan.grain if plan.grain in SERIES_GRAINS and plan.grain in columns else None
    if plan.grain == "quarter":
        dimensions = ["year", "quarter", *dimensions]
    elif plan.grain and time is None and plan.grain in columns:
        dimensions.insert(0, plan.grain)
    measures = [c for c in columns if c not in dimensions and c != time]
    for column in measures:
        if column.endswith("_pct"):
            units.setdefault(column, "percent")
            additive.setdefault(column, False)
    labels.update(share_pct=_share_label(model, plan), growth_pct="Growth", change_pct="Change")
    grain = plan.grain
    cohort = _time_dimension(model, dimensions) if time is None else None
    if cohort is not None:
        # "by signup month": a dimension that is a period reads as a series.
        time, grain = cohort
        dimensions = [d for d in dimensions if d != time]
    return Shape(
        measures=tuple(measures),
        dimensions=tuple(dimensions),
        time=time,
        grain=grain,
        units=units,
        labels=labels,
        additive=additive,
        stages=bool(plan.funnel),
        parts=_rate_parts(model, plan, measures),
    )


def _rate_parts(
    model: SemanticModel, plan: Plan, measures: list[str]
) -> dict[str, tuple[str, str]]:
    """A rate shown with its part and whole (``reader.rate_parts``, ``reader.rate_wholes``):
    the rate's column -> (part, whole) columns, when the answer has all three."""
    if not plan.metrics:
        return {}
    rate = plan.metrics[0]
    part = model.reader.get("rate_parts", {}).get(rate)
    whole = model.reader.get("rate_wholes", {}).get(rate)
    if not {rate, part, whole} <= set(measures):
        return {}
    return {rate: (str(part), str(whole))}


def _session_columns(  # noqa: PLR0917 - the shape's parts, filled in place
    model: SemanticModel,
    plan: Plan,
    columns: list[str],
    dimensions: list[str],
    labels: dict[str, str],
    units: dict[str, str],
) -> tuple[list[str], list[str]]:
    """Columns of an answer about sessions: steps in order, counts and the rate."""
    if "step_number" in columns:  # a row per step, each on its own: steps in order
        dimensions = [*dimensions, "step"]
        columns = [c for c in columns if c != "step_number"]
        labels["step"] = "Step"
    counted = str(model.funnel["measure"])
    label = model.metric(counted).label
    labels.update({f"matching_{counted}": f"{label} meeting the condition",
                   "matching_pct": f"% of {label.lower()}"})  # fmt: skip
    for step in plan.steps:
        labels[f"{step}_{counted}"] = f"{label} with {step}"
        units[f"{step}_{counted}"] = "count"
    units[f"matching_{counted}"] = "count"
    return columns, dimensions


def _sums_over_rows(model: SemanticModel, plan: Plan, name: str) -> bool:
    """Whether the rows of this metric add up to its total: distinct customers per month
    do not (one customer buys in many months), so no total or share is claimed."""
    from lgda_nb.planner._compile import effective_metric
    from lgda_nb.planner._model import tables_in

    metric = effective_metric(plan, model, (name,))
    tables: set[str] = set()
    for dimension in plan.dimensions:
        tables |= tables_in(model.dimensions[dimension].sql_for(metric.table))
    for column in (plan.time_column, metric.time if plan.grain else None):
        if column:
            tables |= tables_in(column)
    return model.sums_over(metric, tables)


_TRUNC_GRAIN = re.compile(
    r"TIMESTAMP_TRUNC\([^,]+,\s*(DAY|WEEK|MONTH|QUARTER|YEAR)|EXTRACT\((YEAR) FROM", re.I
)


def _time_dimension(model: SemanticModel, dimensions: list[str]) -> tuple[str, str] | None:
    """The first dimension that is a period (signup month), with its grain, if any."""
    dimension = model.dimensions.get(dimensions[0]) if dimensions else None
    if dimension is None or not dimension.time:
        return None
    match = _TRUNC_GRAIN.search(dimension.expression or "")
    return (dimension.name, (match.group(1) or match.group(2)).lower()) if match else None


def _time_source(model: SemanticModel, plan: Plan, shape: Shape) -> str | None:
    """The ``table.column`` timestamp a series' periods come from."""
    from lgda_nb.planner._model import column_refs

    if shape.time is not None and shape.time == plan.grain and not plan.time_column:
        return model.metric(plan.metrics[0]).time
    dimension = model.dimensions.get(shape.time or "")
    if dimension is not None and dimension.time:
        refs = column_refs(dimension.expression or "")
        return refs[0] if refs else None
    return None


def _follow_ups(engine: Engine, plan: Plan) -> tuple[str, ...]:
    """One or two further questions the planner can answer, built from this plan."""
    model = engine.model
    metric = model.metric(plan.metrics[0])
    label = metric.label.lower().rstrip(" %")
    candidates = []
    if plan.grain is None and metric.time is not None:
        candidates.append(f"{label} by month")
    if not plan.dimensions:
        for name in model.reader.get("suggest_dimensions", []):
            if name in model.dimensions:
                candidates.append(f"{label} by {model.dimensions[name].label.lower()}")
    else:
        dimension = model.dimensions[plan.dimensions[0]].label.lower()
        suggest = model.reader.get("suggest", [])
        other = next((m for m in suggest if m != metric.name), None)
        if other and other in model.metrics:
            candidates.append(f"top 5 {dimension} by {model.metrics[other].label.lower()}")
    if metric.time is not None and (
        plan.time_window is None or plan.time_window.kind != "last_days"
    ):
        candidates.append(f"{label} in the last 90 days")
    planner = engine.offline_planner
    return tuple([question for question in candidates if planner.answers(question)][:2])


def _share_label(model: SemanticModel, plan: Plan) -> str:
    """What a share column is of: the total, or each group's own ("what % of orders in
    China were cancelled" is of China's orders; "within its department")."""
    within = plan.share_within
    if within is not None and within in model.dimensions:
        return f"Share within each {model.dimensions[within].label.lower()}"
    if within:
        return f"Share within each {within}"
    from lgda_nb.planner._compile import share_of_filtered, shared_groups

    if share_of_filtered(plan) and plan.dimensions:
        within_groups = (
            shared_groups(plan)  # "by department (Men vs Women)": of all departments
            if all(f.dimension in plan.dimensions for f in plan.filters)
            else plan.dimensions
        )
        names = [model.dimensions[d].label.lower() for d in within_groups]
        if plan.grain:  # "monthly, Jeans vs Dresses": of each month's total
            names.insert(0, plan.grain)
        if names:
            return f"Share within each {' and '.join(names)}"
    return "Share of total"
