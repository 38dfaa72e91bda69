"""Plan -> BigQuery SQL, built as a sqlglot tree.

Each answer shape (grouped, growth, period compare, share of a filtered part, funnel)
is one function that builds nodes; nothing is spliced into SQL text. Model
expressions (trusted, from the model file) are parsed; anything that came from the
user's question becomes a literal node. Relative time windows are anchored at the
as-of time: by default the latest timestamp of the table being measured, so answers
on the sample are reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import Dimension, Metric, SemanticModel
from lgda_nb.planner._plan import LONGER_PERIODS, Condition, Filter, Plan, TimeWindow

if TYPE_CHECKING:
    from sqlglot import exp

DIALECT = "bigquery"
_E = TypeVar("_E", bound="exp.Expr")

#: Grains that form a chronological series (ordered by time, charted as lines).
SERIES_GRAINS = {"day", "week", "month", "quarter", "year"}
#: Weekdays in calendar order: a breakdown by weekday is sorted Monday first.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _parse(sql: str) -> exp.Expr:
    """A fresh tree for trusted model SQL; each text is parsed once, then copied."""
    return _parsed(sql).copy()


@lru_cache(maxsize=2048)
def _parsed(sql: str) -> exp.Expr:
    import sqlglot

    return _without_positions(sqlglot.parse_one(sql, read=DIALECT))


#: Where the parser found each token: read by parse errors only, never written as SQL.
_POSITIONS = ("line", "col", "start", "end")


def _without_positions(tree: _E) -> _E:
    """``tree`` without its tokens' positions and empty comment lists, which every copy
    would copy again (most of a copy's work) and the SQL written never shows."""
    for node in tree.walk():
        meta = node._meta
        if meta is not None:
            for key in _POSITIONS:
                meta.pop(key, None)
            if not meta:
                node._meta = None
        if node.comments == []:
            node.comments = None
    return tree


def _from(table: str) -> exp.From:
    """``FROM table``, the node ``Select.from_(table)`` would parse, parsed once."""
    return _parsed_from(table).copy()


@lru_cache(maxsize=512)
def _parsed_from(table: str) -> exp.From:
    from sqlglot import exp

    parsed = exp.maybe_parse(table, into=exp.From, prefix="FROM")
    assert isinstance(parsed, exp.From)
    return _without_positions(parsed)


def _table(name: str) -> exp.Table:
    """The node ``exp.to_table(name)`` gives, parsed once."""
    return _parsed_table(name).copy()


@lru_cache(maxsize=512)
def _parsed_table(name: str) -> exp.Table:
    from sqlglot import exp

    return _without_positions(exp.to_table(name))


def _tables(node: exp.Expr) -> set[str]:
    """The tables a tree refers to through ``table.column`` names, lower-cased."""
    from sqlglot import exp

    return {column.table.lower() for column in node.find_all(exp.Column) if column.table}


def _tables_of(sql: str) -> set[str]:
    """The tables trusted model SQL refers to (read from its cached tree, not copied)."""
    return set(_tables_in(sql))


@lru_cache(maxsize=2048)
def _tables_in(sql: str) -> frozenset[str]:
    return frozenset(_tables(_parsed(sql)))


def interval_amount(value: int) -> exp.Expr:
    """How many units an ``INTERVAL`` spans, written as BigQuery's parser reads it back
    (``INTERVAL '90' DAY``), so the compiled tree and its text check the same."""
    from sqlglot import exp

    return exp.Literal.string(str(int(value)))


def _extract(part: str, node: exp.Expr) -> exp.Expr:
    """``EXTRACT(part FROM node)``."""
    from sqlglot import exp

    return exp.Extract(this=exp.var(part), expression=node)


def _date_trunc(node: exp.Expr, unit: str) -> exp.Expr:
    """``DATE_TRUNC(node, unit)`` on a date."""
    from sqlglot import exp

    # DateTrunc's own __init__ (it normalises the unit) carries no annotations.
    return exp.DateTrunc(this=node, unit=exp.var(unit))  # type: ignore[no-untyped-call]


def _grain(grain: str, time: str) -> exp.Expr:
    """Model time column ``time`` at a one-column grain (a quarter is year and quarter)."""
    from sqlglot import exp

    t = _parse(time)
    if grain == "day":
        return exp.Date(this=t)
    if grain == "week":
        return exp.Date(this=exp.TimestampTrunc(this=t, unit=exp.WeekStart(this=exp.var("MONDAY"))))
    if grain == "month":
        return exp.Date(this=exp.TimestampTrunc(this=t, unit=exp.var("MONTH")))
    if grain in {"year", "hour"}:
        return _extract(grain.upper(), t)
    if grain == "weekday":
        return exp.TimeToStr(this=exp.TsOrDsToTimestamp(this=t), format=exp.Literal.string("%A"))
    raise PlanningError(
        f"A breakdown per {grain!r} cannot be compiled.",
        hint="Ask per day, week, month, quarter, year, weekday or hour.",
    )


def _weekday_number(weekday: exp.Expr) -> exp.Expr:
    """Monday 1 to Sunday 7, from a weekday's English name."""
    from sqlglot import exp

    ifs = [
        exp.If(this=exp.Literal.string(name), true=exp.Literal.number(number))
        for number, name in enumerate(_WEEKDAYS[:-1], 1)
    ]
    return exp.Case(this=weekday, ifs=ifs, default=exp.Literal.number(len(_WEEKDAYS)))


def _grain_names(grain: str) -> list[str]:
    """The output columns of a time grain: a quarter is two, year and quarter."""
    return ["year", "quarter"] if grain == "quarter" else [grain]


def _anchor(plan: Plan, metric: Metric, as_of: str | None) -> exp.Expr:
    """The as-of instant: explicit, or the newest timestamp of the measured table."""
    from sqlglot import exp

    if as_of:
        return exp.Timestamp(this=exp.Literal.string(as_of), with_tz=True)
    time_column = plan.time_column or metric.time
    assert time_column is not None
    column = _parse(time_column)
    table = column.args.get("table")
    if not isinstance(column, exp.Column) or not isinstance(table, exp.Identifier):
        raise PlanningError(
            f"The date {time_column!r} is not a table.column name, so it cannot anchor "
            "a relative time window.",
            hint="Give the metric's time as table.column in the model file.",
        )
    newest = exp.Max(this=exp.column(column.this))
    return exp.select(newest, copy=False).from_(exp.Table(this=table), copy=False).subquery()


def _clock(plan: Plan, metric: Metric, as_of: str | None) -> _Clock:
    """The clock of ``plan``'s time window: its time column and as-of instant."""
    time_column = plan.time_column or metric.time
    assert time_column is not None
    return _Clock(time_column, _anchor(plan, metric, as_of))


@dataclass(frozen=True)
class _Clock:
    """Fresh nodes for a window on one time column, counted back from one anchor."""

    time: str
    anchor: exp.Expr

    def at(self) -> exp.Expr:
        return _parse(self.time)

    def day(self) -> exp.Expr:
        from sqlglot import exp

        return exp.Date(this=self.at())

    def year(self) -> exp.Expr:
        return _extract("YEAR", self.at())

    def quarter(self) -> exp.Expr:
        return _extract("QUARTER", self.at())

    def period(self, unit: str) -> exp.Expr:
        """The start of the ``unit`` (MONTH, QUARTER) each row falls in."""
        return _date_trunc(self.day(), unit)

    def anchor_year(self) -> exp.Expr:
        return _extract("YEAR", self.anchor.copy())

    def anchor_period(self, unit: str, back: int = 0) -> exp.Expr:
        """The start of the anchor's ``unit`` (MONTH, QUARTER), ``back`` units earlier."""
        from sqlglot import exp

        start = _date_trunc(exp.Date(this=self.anchor.copy()), unit)
        if not back:
            return start
        return exp.DateSub(this=start, expression=interval_amount(back), unit=exp.var(unit))

    def week(self) -> exp.Expr:
        """The Monday each row's week starts on."""
        from sqlglot import exp

        monday = exp.WeekStart(this=exp.var("MONDAY"))
        return exp.Date(this=exp.TimestampTrunc(this=self.at(), unit=monday))

    def anchor_week(self, back: int = 0) -> exp.Expr:
        """The Monday of the anchor's week, ``back`` weeks earlier."""
        from sqlglot import exp

        monday = exp.WeekStart(this=exp.var("MONDAY"))
        start = exp.Date(this=exp.TimestampTrunc(this=self.anchor.copy(), unit=monday))
        return self._before(start, 7 * back)

    def anchor_day(self, back: int = 0) -> exp.Expr:
        """The anchor's date, ``back`` days earlier."""
        from sqlglot import exp

        return self._before(exp.Date(this=self.anchor.copy()), back)

    def a_year_before(self) -> exp.Expr:
        """The anchor's date one year earlier (year-to-date comparisons)."""
        from sqlglot import exp

        day = exp.Date(this=self.anchor.copy())
        return exp.DateSub(this=day, expression=interval_amount(1), unit=exp.var("YEAR"))

    @staticmethod
    def _before(day: exp.Expr, days: int) -> exp.Expr:
        from sqlglot import exp

        if not days:
            return day
        return exp.DateSub(this=day, expression=interval_amount(days), unit=exp.var("DAY"))

    def days_back(self, n: int) -> exp.Expr:
        """The instant ``n`` days before the anchor."""
        from sqlglot import exp

        anchor = self.anchor.copy()
        return exp.TimestampSub(this=anchor, expression=interval_amount(n), unit=exp.var("DAY"))


def _month_start(year: int, month: int) -> exp.Expr:
    """``DATE 'year-month-01'``; month 0 is the December before ``year``."""
    from sqlglot import exp

    if month == 0:
        year, month = year - 1, 12
    start = date(year, month, 1).isoformat()
    return exp.cast(exp.Literal.string(start), exp.DataType.Type.DATE)


def _date(year: int, month: int, day: int) -> exp.Expr:
    """``DATE 'year-month-day'``; an impossible date is a ``PlanningError``."""
    from sqlglot import exp

    try:
        text = date(year, month, day).isoformat()
    except ValueError as exc:
        raise PlanningError(
            f"{year}-{month:02d}-{day:02d} is not a date.", hint="Give a real calendar date."
        ) from exc
    return exp.cast(exp.Literal.string(text), exp.DataType.Type.DATE)


def _both(first: exp.Expr, second: exp.Expr) -> exp.Expr:
    """``first AND second``."""
    from sqlglot import exp

    return exp.and_(first, second, copy=False)


_Window = Callable[[_Clock, TimeWindow], "exp.Expr"]

#: Each kind of time window as a condition; the numbers come from the plan as literals.
_WINDOWS: dict[str, _Window] = {
    "last_days": lambda c, w: c.at() >= c.days_back(w.n),
    "recent_months": lambda c, w: c.day() >= c.anchor_period("MONTH", w.n - 1),
    "complete_months": lambda c, w: _both(
        c.day() >= c.anchor_period("MONTH", w.n), c.day() < c.anchor_period("MONTH")
    ),
    "recent_years": lambda c, w: c.year() > c.anchor_year() - w.n,
    "this_year": lambda c, w: c.year().eq(c.anchor_year()),
    "last_year": lambda c, w: c.year().eq(c.anchor_year() - 1),
    "year": lambda c, w: c.year().eq(w.year),
    "years": lambda c, w: c.year().isin(*w.years),
    "year_range": lambda c, w: c.year().between(w.years[0], w.years[-1]),
    "since_year": lambda c, w: c.year() >= w.year,
    "before_year": lambda c, w: c.year() < w.year,
    "through_year": lambda c, w: c.year() <= w.year,
    "after_year": lambda c, w: c.year() > w.year,
    "this_month": lambda c, w: c.period("MONTH").eq(c.anchor_period("MONTH")),
    "last_month": lambda c, w: c.period("MONTH").eq(c.anchor_period("MONTH", 1)),
    "month": lambda c, w: c.period("MONTH").eq(_month_start(w.year, w.month)),
    "month_range": lambda c, w: c.period("MONTH").between(
        _month_start(w.years[0], w.month), _month_start(w.years[-1], w.n)
    ),
    "this_quarter": lambda c, w: c.period("QUARTER").eq(c.anchor_period("QUARTER")),
    "last_quarter": lambda c, w: c.period("QUARTER").eq(c.anchor_period("QUARTER", 1)),
    "quarter": lambda c, w: _both(c.year().eq(w.year), c.quarter().eq(w.n)),
    "today": lambda c, w: c.day().eq(c.anchor_day()),
    "yesterday": lambda c, w: c.day().eq(c.anchor_day(1)),
    "this_week": lambda c, w: c.week().eq(c.anchor_week()),
    "last_week": lambda c, w: c.week().eq(c.anchor_week(1)),
    "complete_weeks": lambda c, w: _both(c.day() >= c.anchor_week(w.n), c.day() < c.anchor_week()),
    "year_to_date": lambda c, w: c.year().eq(c.anchor_year()),
    "since_date": lambda c, w: c.day() >= _date(w.year, w.month, w.n),
    "after_date": lambda c, w: c.day() > _date(w.year, w.month, w.n),
    "before_date": lambda c, w: c.day() < _date(w.year, w.month, w.n),
    "through_date": lambda c, w: c.day() <= _date(w.year, w.month, w.n),
    "date_range": lambda c, w: c.day().between(_date(w.year, w.month, w.n), _date(*w.years)),
    "month_back": lambda c, w: c.period("MONTH").eq(c.anchor_period("MONTH", w.n)),
    "quarter_back": lambda c, w: c.period("QUARTER").eq(c.anchor_period("QUARTER", w.n)),
    # The period before each window, for comparisons.
    "previous_today": lambda c, w: c.day().eq(c.anchor_day(1)),
    "previous_yesterday": lambda c, w: c.day().eq(c.anchor_day(2)),
    "previous_this_week": lambda c, w: c.week().eq(c.anchor_week(1)),
    "previous_last_week": lambda c, w: c.week().eq(c.anchor_week(2)),
    "previous_complete_weeks": lambda c, w: _both(
        c.day() >= c.anchor_week(2 * w.n), c.day() < c.anchor_week(w.n)
    ),
    # Year to date against the same dates a year earlier.
    "previous_year_to_date": lambda c, w: _both(
        c.year().eq(c.anchor_year() - 1), c.day() <= c.a_year_before()
    ),
    # Month or quarter to date against the same dates a year earlier.
    "month_to_date_back": lambda c, w: _both(
        c.period("MONTH").eq(c.anchor_period("MONTH", 12)), c.day() <= c.a_year_before()
    ),
    "quarter_to_date_back": lambda c, w: _both(
        c.period("QUARTER").eq(c.anchor_period("QUARTER", 4)), c.day() <= c.a_year_before()
    ),
    "previous_last_days": lambda c, w: _both(
        c.at() >= c.days_back(2 * w.n), c.at() < c.days_back(w.n)
    ),
    "previous_recent_months": lambda c, w: _both(
        c.day() >= c.anchor_period("MONTH", 2 * w.n - 1),
        c.day() < c.anchor_period("MONTH", w.n - 1),
    ),
    "previous_complete_months": lambda c, w: _both(
        c.day() >= c.anchor_period("MONTH", 2 * w.n), c.day() < c.anchor_period("MONTH", w.n)
    ),
    "previous_this_year": lambda c, w: c.year().eq(c.anchor_year() - 1),
    "previous_last_year": lambda c, w: c.year().eq(c.anchor_year() - 2),
    "previous_year": lambda c, w: c.year().eq(w.year - 1),
    "previous_this_month": lambda c, w: c.period("MONTH").eq(c.anchor_period("MONTH", 1)),
    "previous_last_month": lambda c, w: c.period("MONTH").eq(c.anchor_period("MONTH", 2)),
    "previous_month": lambda c, w: c.period("MONTH").eq(_month_start(w.year, w.month - 1)),
    "previous_this_quarter": lambda c, w: c.period("QUARTER").eq(c.anchor_period("QUARTER", 1)),
    "previous_last_quarter": lambda c, w: c.period("QUARTER").eq(c.anchor_period("QUARTER", 2)),
    "previous_quarter": lambda c, w: (c.year() * 4 + c.quarter()).eq(w.year * 4 + w.n - 1),
}
#: Windows that have a "period before" to compare with.
COMPARABLE = frozenset(k.removeprefix("previous_") for k in _WINDOWS if k.startswith("previous_"))


def _window_condition(window: TimeWindow, clock: _Clock) -> exp.Expr:
    """The window as a condition on the clock's time column."""
    build = _WINDOWS.get(window.kind)
    if build is None:
        raise PlanningError(
            f"A time window of kind {window.kind!r} cannot be compiled.",
            hint="Ask for a year, a quarter, a month or the last N days or months.",
        )
    whole = replace(
        window,
        n=int(window.n),
        year=int(window.year),
        month=int(window.month),
        years=tuple(int(y) for y in window.years),
    )
    complete = {
        "years": bool(whole.years),
        "year_range": bool(whole.years),
        "month": 1 <= whole.month <= 12 and whole.year > 1,
        "month_range": len(whole.years) == 2 and 1 <= whole.month <= 12 and 1 <= whole.n <= 12,
        "date_range": len(whole.years) == 3 and 1 <= whole.month <= 12 and whole.n >= 1,
        "quarter": 1 <= whole.n <= 4,
    }
    if not complete.get(whole.kind.removeprefix("previous_"), True):
        raise PlanningError(
            f"The time window {window.label or window.kind!r} lacks its year, month or quarter.",
            hint="Name the period in full, such as March 2024, Q1 2024 or 2023 to 2024.",
        )
    return build(clock, whole)


def _literal(value: str | int | float) -> exp.Expr:
    from sqlglot import exp

    if isinstance(value, bool) or not isinstance(value, int | float):
        return exp.Literal.string(str(value))
    return exp.Literal.number(value)


def _round(node: exp.Expr) -> exp.Expr:
    from sqlglot import exp

    return exp.Round(this=node, decimals=exp.Literal.number(2))


def _in_units(node: exp.Expr, metric: Metric) -> exp.Expr:
    """``node`` as an answer shows a value of ``metric``: a count as it is, any other
    measure rounded to 2 decimals."""
    return node if metric.unit == "count" else _round(node)


def _ascending(node: exp.Expr) -> exp.Ordered:
    """Ascending with NULLs first: what BigQuery does when no NULLS clause is written."""
    from sqlglot import exp

    return exp.Ordered(this=node, nulls_first=True)


def _change_pct(now: exp.Expr, before: exp.Expr) -> exp.Expr:
    """``ROUND((now - before) / before * 100, 2)``: the change from ``before``, in %."""
    from sqlglot import exp

    change = exp.Div(
        this=exp.Paren(this=exp.Sub(this=now, expression=before)), expression=before.copy()
    )
    return _round(exp.Mul(this=change, expression=exp.Literal.number(100)))


def _as(node: exp.Expr, name: str) -> exp.Expr:
    """``node AS name``; the node is the caller's own, so it is not copied."""
    from sqlglot import exp

    return exp.alias_(node, name, copy=False)


def _select(*columns: exp.Expr, source: str) -> exp.Select:
    """``SELECT columns FROM source``, ``source`` a table or a common table expression."""
    from sqlglot import exp

    return exp.select(*columns, copy=False).from_(exp.table_(source), copy=False)


def _with(query: exp.Select, **ctes: exp.Query) -> exp.Select:
    """``WITH name AS (...), ... query``, the common table expressions in the given order."""
    from sqlglot import exp

    for name, cte in ctes.items():
        query = query.with_(exp.TableAlias(this=exp.to_identifier(name)), as_=cte, copy=False)
    return query


def _limit(query: exp.Select, limit: int | None) -> exp.Select:
    from sqlglot import exp

    return query.limit(exp.Literal.number(int(limit)), copy=False) if limit else query


def effective_metric(
    plan: Plan, model: SemanticModel, metrics: Sequence[str] | None = None
) -> Metric:
    """The first metric, moved to an alternative base table when the breakdown needs it.
    ``metrics`` stand for the plan's own when given (the plan otherwise as it is)."""
    metrics = plan.metrics if metrics is None else metrics
    options = model.placements(metrics[0])
    metric = options[0]
    if len(options) == 1:
        return metric
    wanted: set[str] = set()
    for name in (*plan.dimensions, *(f.dimension for f in plan.filters)):
        wanted |= _tables_of(model.dimensions[name].sql_for(metric.table))
    if plan.time_column:
        wanted |= _tables_of(plan.time_column)
    others = metrics[1:]
    for option in options:
        if all(model.reaches(option.table, table) for table in wanted) and all(
            model.on_table(name, option.table).table == option.table for name in others
        ):
            return option
    for option in options:
        if all(model.reaches(option.table, table) for table in wanted):
            return option
    return metric


def table_groups(plan: Plan, model: SemanticModel) -> list[list[str]]:
    """The plan's measures by the table each is counted on: one group when one table
    holds them all (a measure may move to an alternative there: orders through their
    items), else one group per table, the first measure's first."""
    if not plan.metrics or any(name not in model.metrics for name in plan.metrics):
        return [list(plan.metrics)]
    base = effective_metric(plan, model)
    if all(model.on_table(name, base.table).table == base.table for name in plan.metrics[1:]):
        return [list(plan.metrics)]
    groups: dict[str, list[str]] = {}
    for name in plan.metrics:
        table = next(
            (t for t in groups if model.on_table(name, t).table == t), model.metric(name).table
        )
        groups.setdefault(table, []).append(name)
    return list(groups.values())


#: Plan parts a join of measures from several tables does not combine.
_NOT_SIDE_BY_SIDE = (
    "conditions", "share", "compare", "growth", "cumulative", "rolling", "funnel", "per",
    "limit", "rank_by", "top_percent", "top_count", "top_per", "by_measure", "distinct", "steps",
    "session_filters", "session_rate", "time_column", "compare_with", "difference",
)  # fmt: skip


def _side_by_side(
    plan: Plan, model: SemanticModel, groups: list[list[str]], as_of: str | None
) -> exp.Select:
    """Measures counted on different tables, by the same breakdown ("users and customers
    by country", "signups and revenue per channel in 2025"): each table's measures are
    grouped on their own, every one dated by its own time, and the groups joined on
    the breakdown (a FULL OUTER JOIN, so a value only one side has keeps its row; a
    count it lacks is 0)."""
    from sqlglot import exp

    used = [name for name in _NOT_SIDE_BY_SIDE if getattr(plan, name)]
    if used:
        labels = " and ".join(model.metric(m).label.lower() for m in plan.metrics)
        raise PlanningError(
            f"{labels.capitalize()} are counted on different tables; I can put them side by "
            f"side by a breakdown or period, but not with {used[0].replace('_', ' ')}.",
            hint="Ask for them side by side without it, or one measure at a time.",
        )
    parts: dict[str, exp.Select] = {}
    keys: list[str] = []
    for i, names in enumerate(groups):
        part_plan = replace(plan, metrics=tuple(names), order="auto")
        part = _grouped(part_plan, model, effective_metric(part_plan, model), as_of)
        part.set("order", None)
        aliases = [e.alias_or_name for e in part.expressions]
        if i == 0:
            keys = [a for a in aliases if a not in names]
        elif [a for a in aliases if a not in names] != keys:
            raise PlanningError(
                "The measures are counted on different tables whose breakdowns differ.",
                hint="Ask for one measure at a time.",
            )
        parts[f"part{i + 1}"] = part
    names = list(parts)
    columns: list[exp.Expr] = [
        _as(exp.func("COALESCE", *(exp.column(k, table=n) for n in names)), k) for k in keys
    ]
    for name, metrics in zip(names, groups, strict=True):
        for metric in metrics:
            value: exp.Expr = exp.column(metric, table=name)
            if model.metric(metric).unit == "count":
                value = exp.func("COALESCE", value, exp.Literal.number(0))
            columns.append(_as(value, metric))
    query = _select(*columns, source=names[0])
    for name in names[1:]:
        if keys:
            on = exp.and_(*(
                exp.EQ(this=exp.column(k, table=names[0]), expression=exp.column(k, table=name))
                for k in keys
            ))  # fmt: skip
            query = query.join(exp.table_(name), on=on, join_type="FULL OUTER", copy=False)
        else:
            query = query.join(exp.Join(this=exp.table_(name), kind="CROSS"), copy=False)
    first = exp.column(groups[0][0], table=names[0])
    order: list[exp.Expr] = (
        [exp.column(k) for k in keys]
        if plan.grain
        else [exp.Ordered(this=first, desc=True, nulls_first=False), *map(exp.column, keys)]
    )
    query = query.order_by(*order, copy=False) if keys else query
    return _with(query, **parts)


def compile_plan(plan: Plan, model: SemanticModel, *, as_of: str | None = None) -> str:
    """The canonical BigQuery SQL for ``plan``."""
    from lgda_nb.planner._sqlgen import bigquery_sql

    return bigquery_sql(compile_tree(plan, model, as_of=as_of))


def compile_tree(plan: Plan, model: SemanticModel, *, as_of: str | None = None) -> exp.Query:
    """``plan`` as a sqlglot tree: one builder per answer shape, with the derived
    tables it reads (first orders) as common table expressions."""
    from lgda_nb.planner._derived import with_derived

    _check_filters_keep_rows(plan, model)
    tree = with_derived(_shown(plan, _shaped(plan, model, as_of=as_of)), model)
    _check_rules_applied(plan, model, tree)
    return tree


def _check_rules_applied(plan: Plan, model: SemanticModel, tree: exp.Query) -> None:
    """Refuse an answer that would leave out a rule the question asked for ("orders with
    no ship date"): every builder but the plain ones reads the measure's own rules in its
    own way, so a rule asked for must show up in the query as it was written."""
    for name in plan.rules:
        wanted = _parsed(model.filter_sql(name))
        if not any(node == wanted for node in tree.find_all(type(wanted))):
            raise PlanningError(
                f"This kind of answer cannot yet be limited to the "
                f"{model.filter_text(name).removeprefix('only ')}.",
                hint="Ask for the measure with that condition alone, without the ranking, "
                "comparison or list around it.",
            )


def _check_filters_keep_rows(plan: Plan, model: SemanticModel) -> None:
    """Refuse two filters on one breakdown that no row can pass together ("gender is M"
    and "gender is F"): the answer would be empty or zero, a number that looks real."""
    kept: dict[str, set[object]] = {}
    for f in plan.filters:
        if f.op != "in" or f.negate:
            continue
        values: set[object] = set(f.values)
        if f.dimension in kept and not kept[f.dimension] & values:
            label = model.dimensions[f.dimension].label.lower()
            raise PlanningError(
                f"Two filters on {label} keep no row together ({label} is "
                f"{', '.join(map(str, sorted(kept[f.dimension], key=str)))} and "
                f"{', '.join(map(str, sorted(values, key=str)))} at once).",
                hint=f"Ask for one of them, or for each side by side ('... by {label}').",
            )
        kept[f.dimension] = kept.get(f.dimension, values) & values


def _shown(plan: Plan, query: exp.Query) -> exp.Query:
    """A ranking shown in another order than its own ("top 5 brands by revenue,
    smallest first"): the ranked rows, read again in the ranking's own order with the
    measure's direction turned, so groups ("top 3 brands in each category") stay
    together and ties are broken as the ranking breaks them."""
    from sqlglot import exp

    if plan.display is None or plan.display == plan.order:
        return query
    if plan.limit is None or plan.order not in ("asc", "desc"):
        raise PlanningError(
            "A display order ('smallest first', 'highest first') turns a ranking (the top "
            "or bottom N) around; this answer is no ranking.",
            hint="Ask for the top or bottom N, or for the rows sorted by the measure.",
        )
    order = query.args.get("order") if isinstance(query, exp.Select) else None
    if not isinstance(query, exp.Select) or order is None:
        raise _not_shown()
    groups = {*plan.dimensions, *_grain_names(plan.grain or ""), "rank"}
    by: list[exp.Expr] = []
    turned = False
    for key in order.expressions:
        name = _shown_as(query, key)
        if name is None:
            continue
        if not turned and name not in groups:  # the measure the ranking orders by
            by.append(exp.Ordered(this=exp.column(name), desc=plan.display == "desc"))
            turned = True
        else:
            by.append(exp.Ordered(this=exp.column(name), desc=key.args.get("desc", False)))
    if not turned:
        raise _not_shown()
    outer = [exp.column(p.alias_or_name) for p in query.selects]
    return exp.select(*outer).from_(query.subquery("ranked")).order_by(*by)


def _not_shown() -> PlanningError:
    return PlanningError(
        "This answer cannot be shown in another order than its ranking's yet.",
        hint="Ask without the display order ('highest first', 'lowest first') and sort the table.",
    )


def _shown_as(query: exp.Select, key: exp.Expr) -> str | None:
    """The name of the column whose expression holds ``key``'s, if one does."""
    target = key.this
    return next(
        (p.alias_or_name for p in query.selects if any(node == target for node in p.walk())),
        None,
    )


def _shaped(  # noqa: PLR0911 - one return per answer shape
    plan: Plan, model: SemanticModel, *, as_of: str | None = None
) -> exp.Query:
    """``plan`` as a sqlglot tree of one answer shape, derived tables not yet added."""
    if plan.rows is not None:
        from lgda_nb.planner._compile_lists import compile_list

        return compile_list(plan, model, as_of)
    if plan.bands:
        from lgda_nb.planner._compile_timecmp import banded, order_bands

        return order_bands(plan, model, _shaped(*banded(plan, model), as_of=as_of))
    metric = effective_metric(plan, model)
    if plan.conditions and plan.funnel:
        raise PlanningError(
            "A funnel cannot be limited by a condition on a measure yet.",
            hint="Ask for the funnel, and for the condition as a question of its own.",
        )
    if plan.funnel and not model.funnel:
        raise PlanningError(
            "This model describes no funnel.",
            hint="Add a [funnel] section (table, session, step, steps, measure) to the model "
            "file, or ask for the steps' counts as a breakdown.",
        )
    from lgda_nb.planner._compile_sessions import funnel_tree, per_session, sessions_tree

    if per_session(plan, model):
        build = funnel_tree if plan.funnel else sessions_tree
        return build(plan, model, metric, as_of)
    if plan.rolling:
        from lgda_nb.planner._compile_timecmp import rolling

        return rolling(plan, model, metric, as_of)
    from lgda_nb.planner._entity import compile_entity, routed

    if routed(plan, model):
        return compile_entity(plan, model, as_of)
    groups = table_groups(plan, model)
    if len(groups) > 1:
        return _side_by_side(plan, model, groups, as_of)
    if plan.compare and plan.time_window is not None and not plan.grain:
        return _compare(plan, model, metric, as_of)
    if share_of_filtered(plan):
        return _filter_share(plan, model, metric, as_of)
    if plan.growth and plan.grain:
        return _growth(plan, model, metric, as_of)
    return _grouped(plan, model, metric, as_of, with_rows=True)


def _grouped(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    as_of: str | None,
    *,
    window: bool = True,
    rounded: bool = True,
    with_rows: bool = False,
) -> exp.Select:
    """SELECT grain, dimensions, metrics FROM base JOIN ... WHERE ... GROUP BY ... ORDER BY.

    ``with_rows``: groups none of whose rows a conditional count counts are left out
    (``_groups_with_rows``), as they are of a count of the rows with that value."""
    from sqlglot import exp

    base = metric.table
    metrics = [metric, *(model.on_table(name, base) for name in plan.metrics[1:])]
    dimensions = [model.dimensions[name] for name in plan.dimensions]
    needed: set[str] = set()
    select: list[exp.Expr] = []
    grouped = 0
    grain_nodes: list[exp.Expr] = []
    grain_columns = _grain_columns(plan, metric)
    if grain_columns and metric.time:
        needed |= _tables_of(metric.time)
    for name, node in _period_group_columns(plan, model, grain_columns):
        select.append(_as(node, name))  # "each month's share of its year": the year too
        grouped += 1
    for name, node in grain_columns:
        select.append(_as(node, name))
        grouped += 1
        grain_nodes.append(node.copy())
    dimension_nodes: list[exp.Expr] = []
    group_nodes: list[exp.Expr] = []  # each dimension's key where it has one, else its value
    for dimension in dimensions:
        columns = _dimension_columns(dimension, base)
        for name, node in columns:
            needed |= _tables(node)
            select.append(_as(node, name))
            grouped += 1
        dimension_nodes.append(columns[-1][1].copy())
        group_nodes.append(columns[0][1].copy())
    measure_nodes, common = _measures(plan, model, metrics)
    for each, node in zip(metrics, measure_nodes, strict=True):
        needed |= _tables(node)
        shown = node.copy() if each.unit == "count" or not rounded else _round(node.copy())
        select.append(_as(shown, each.name))
    first = measure_nodes[0]
    select += _extra_columns(plan, model, metrics[0], first, grain_nodes, dimension_nodes)
    select += _baselines(plan, model, base, as_of)
    conditions, condition_tables = _conditions(
        plan, model, metric, as_of, window=window, rules=common
    )
    needed |= condition_tables

    query = exp.select(*select, copy=False).from_(_from(base), copy=False)
    for join in _joins(model, base, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    if grouped:
        # Grouped columns come first in the SELECT; ordinals avoid a name like ``gender``
        # being read as another joined table's column of the same name.
        query = query.group_by(*(exp.Literal.number(i) for i in range(1, grouped + 1)), copy=False)
    with_rows = with_rows and _groups_with_rows(plan, metrics, dimensions)
    query = query.having(_any_counted(measure_nodes), copy=False) if with_rows else query
    order = _order(plan, dimensions, first, dimension_nodes)
    if plan.per and plan.limit:
        ranked_query = _rank_within(
            plan, query, first, grain_nodes, (dimension_nodes, group_nodes), order
        )
        if ranked_query is not None:
            return ranked_query
        raise PlanningError(
            f"A ranking that restarts in each {plan.per} needs {plan.per} among the "
            "breakdowns or as the period that holds the one ranked.",
            hint=f"Ask e.g. 'top 3 categories by revenue in each {plan.per}'.",
        )
    if order:
        query = query.order_by(*order, copy=False)
    return _limit(query, plan.limit)


#: A count of the rows with one value ("COUNTIF(orders.status = 'Cancelled')").
_CONDITIONAL_COUNT = re.compile(r"COUNTIF\(.+\)|COUNT\(DISTINCT IF\(.+\)\)", re.DOTALL)


def _groups_with_rows(plan: Plan, metrics: list[Metric], dimensions: list[Dimension]) -> bool:
    """Whether a breakdown of conditional counts lists only the groups with rows counted:
    "cancelled orders by country" lists the countries with a cancelled order, as "orders
    with status Cancelled by country" does. Not a series (every period is kept), a
    ranking from the fewest (none is the fewest), or an answer with a condition on a
    measure (a group with none may pass it)."""
    return (
        bool(dimensions)
        and not plan.grain
        and not any(d.time for d in dimensions)
        and plan.order != "asc"
        and not plan.conditions
        and not plan.cumulative
        and all(_CONDITIONAL_COUNT.fullmatch(m.expression.strip()) for m in metrics)
    )


def _any_counted(measures: list[exp.Expr]) -> exp.Expr:
    """HAVING a row counted by any of the (conditional count) ``measures``."""
    from sqlglot import exp

    counted = [exp.GT(this=node.copy(), expression=exp.Literal.number(0)) for node in measures]
    return exp.or_(*counted, copy=False)


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
    dimension_and_group_nodes: tuple[list[exp.Expr], list[exp.Expr]],
    order: list[exp.Expr],
) -> exp.Select | None:
    """The ranking restarts in each group (a dimension or the period): ROW_NUMBER in
    QUALIFY, ties broken by name; ``None`` when there is no such group.

    ``dimension_and_group_nodes``: each dimension's value, and its key where it has one
    (else the value again). A group with a key (a distribution center) restarts by the key, since
    names can repeat; the groups follow by name, or by key when the question named the
    key (``plan.per_by_key``).
    """
    from sqlglot import exp

    assert plan.limit is not None
    dimension_nodes, group_nodes = dimension_and_group_nodes
    by_name: list[exp.Expr] = []  # the groups' names, when they go by name
    if plan.per == plan.grain and grain_nodes:
        partition = grain_nodes[0].copy()
        ranked = [n.copy() for n in dimension_nodes]
    elif plan.per in plan.dimensions:
        index = plan.dimensions.index(plan.per)
        partition = group_nodes[index].copy()
        if not plan.per_by_key and partition != dimension_nodes[index]:
            by_name = [dimension_nodes[index].copy()]  # by name unless the key was named
        ranked = [n.copy() for i, n in enumerate(dimension_nodes) if i != index]
        ranked += [n.copy() for n in grain_nodes]  # "the best month for each brand"
    elif plan.grain == "quarter" and plan.per == "year" and len(grain_nodes) == 2:
        partition = grain_nodes[0].copy()  # a quarter is shown with its year already
        ranked = [n.copy() for n in (*grain_nodes[1:], *dimension_nodes)]
    elif plan.per in LONGER_PERIODS.get(plan.grain or "", ()) and len(grain_nodes) == 1:
        # "the best month in each year": the months ranked within their own year.
        partition = _extract(plan.per.upper(), grain_nodes[0].copy())
        ranked = [n.copy() for n in (*grain_nodes, *dimension_nodes)]
        query = query.select(_as(partition.copy(), plan.per), copy=False)
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
    query = query.select(_as(rank.copy(), "rank"), copy=False)
    query = query.qualify(exp.LTE(this=rank, expression=exp.Literal.number(plan.limit)), copy=False)
    groups = [exp.Ordered(this=n) for n in (*by_name, partition.copy())]
    return query.order_by(*groups, *order, copy=False)


def _grain_columns(plan: Plan, metric: Metric) -> list[tuple[str, exp.Expr]]:
    """(name, node) of the time grain's output columns; a quarter is year and quarter."""
    if not plan.grain:
        return []
    if metric.time is None:
        raise PlanningError(
            f"{metric.label} has no date, so it cannot be shown per {plan.grain}.",
            hint=f"Ask for {metric.label.lower()} without a time grain.",
        )
    if plan.grain == "quarter":
        return [(name, _extract(name.upper(), _parse(metric.time))) for name in ("year", "quarter")]
    return [(plan.grain, _grain(plan.grain, metric.time))]


def _previous_period(value: str, periods: Sequence[str], partition: Sequence[str] = ()) -> exp.Expr:
    """The period before's ``value`` beside each period (``LAG``), or NULL when the row
    before is not the period just before: a month with no rows (no UK revenue in
    December) leaves a gap, and January's change is not from November."""
    from sqlglot import exp

    def lag(node: exp.Expr) -> exp.Expr:
        return exp.Window(
            this=exp.Lag(this=node),
            partition_by=[exp.column(g) for g in partition],
            order=exp.Order(expressions=[_ascending(exp.column(p)) for p in periods]),
        )

    def one(node: exp.Expr, unit: str | None) -> exp.Expr:
        if unit is None:  # a number: a year, an hour, a quarter's index
            return exp.Sub(this=node, expression=exp.Literal.number(1))
        # as BigQuery's parser reads ``INTERVAL 1 MONTH``: the tree is the text's
        return exp.DateSub(this=node, expression=exp.Literal.string("1"), unit=exp.var(unit))

    units = {"day": "DAY", "week": "WEEK", "month": "MONTH"}
    if list(periods) == ["year", "quarter"]:
        key: exp.Expr = exp.Add(
            this=exp.Mul(this=exp.column("year"), expression=exp.Literal.number(4)),
            expression=exp.column("quarter"),
        )
        unit = None
    elif len(periods) == 1 and (periods[0] in units or periods[0] in {"year", "hour"}):
        key, unit = exp.column(periods[0]), units.get(periods[0])
    else:  # a weekday: the row before
        return lag(exp.column(value))
    just_before = exp.EQ(this=lag(key.copy()), expression=one(key, unit))
    return exp.If(this=just_before, true=lag(exp.column(value)), false=exp.Null())


def _growth(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> exp.Select:
    """Period-over-period growth: each period's value, the previous period's beside it and
    the change in %. The previous period may lie just outside the window,
    so every period is computed, flagged ``in_window``, and only flagged ones shown. A
    running total beside it adds up the periods shown (taken after the window's filter),
    not every period since the data began."""
    from sqlglot import exp

    inner = _grouped(
        replace(plan, limit=None, share=False, cumulative=False),
        model,
        metric,
        as_of,
        window=False,
        rounded=False,
    )
    inner.set("order", None)
    assert plan.grain is not None
    periods = _grain_names(plan.grain)
    # Each group's own series: the change is from the same group's previous period.
    groups = [
        name
        for dimension in plan.dimensions
        for name, _ in _dimension_columns(model.dimensions[dimension], metric.table)
    ]
    value = metric.name
    previous = _previous_period(value, periods, groups)
    with_previous = _select(exp.Star(), _as(previous, "previous"), source="periods")
    shown = _in_units(exp.column(value), metric)
    before = _in_units(exp.column("previous"), metric)
    growth = _change_pct(exp.column(value), exp.column("previous"))
    running = []
    if plan.cumulative:
        total = exp.Window(
            this=exp.Sum(this=exp.column(value)),
            partition_by=[exp.column(g) for g in groups],
            order=exp.Order(expressions=[_ascending(exp.column(p)) for p in periods]),
        )
        running = [_as(_in_units(total, metric), f"cumulative_{value}")]
    query = _select(
        *(exp.column(g) for g in groups),
        *(exp.column(p) for p in periods),
        _as(shown, value),
        _as(before, f"{value}_previous"),  # what the change is from, shown beside it
        _as(growth, "growth_pct"),
        *running,
        source="with_previous",
    )
    if plan.time_window is not None:
        flag = _window_condition(plan.time_window, _clock(plan, metric, as_of))
        inner = inner.select(_as(exp.LogicalOr(this=flag), "in_window"), copy=False)
        query = query.where(exp.column("in_window"), copy=False)
    order = [_ascending(exp.column(name)) for name in (*groups, *periods)]
    query = _limit(query.order_by(*order, copy=False), plan.limit)
    return _with(query, periods=inner, with_previous=with_previous)


def _compare(plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None) -> exp.Select:
    """This window against the one before it: current, previous and the change in %."""
    from sqlglot import exp

    from lgda_nb.planner._compile_timecmp import check_compare

    check_compare(plan)
    window = plan.time_window
    assert window is not None
    if plan.compare_with is not None:
        current_window, previous_window = window, plan.compare_with
    elif window.kind == "years" and len(window.years) == 2:
        low, high = sorted(window.years)
        current_window = replace(window, kind="year", year=high)
        previous_window = replace(window, kind="year", year=low)
    elif window.kind in COMPARABLE:
        current_window = window
        previous_window = replace(window, kind=f"previous_{window.kind}")
    else:
        raise PlanningError(
            f"{window.label or window.kind} has no period before it to compare with.",
            hint="Ask for one period, or compare two years (2024 vs 2025).",
        )
    periods: dict[str, exp.Query] = {}
    for label, each in (("current", current_window), ("previous", previous_window)):
        query = _grouped(
            replace(
                plan,
                time_window=each,
                compare=False,
                compare_with=None,
                limit=None,
                rank_by=None,
                difference=False,
            ),
            model,
            metric,
            as_of,
            rounded=False,
            with_rows=True,
        )
        query.set("order", None)
        periods[label] = query
    if plan.dimensions or len(plan.metrics) > 1 or plan.difference:
        from lgda_nb.planner._compile_timecmp import compare_groups

        return compare_groups(plan, model, metric, periods)
    value = metric.name
    current, previous = exp.column(value, table="current"), exp.column(value, table="previous")
    result = _select(
        _as(_round(current.copy()), f"{value}_current"),
        _as(_round(previous.copy()), f"{value}_previous"),
        _as(_change_pct(current, previous), "change_pct"),
        source="current",
    )
    result = result.join(exp.Join(this=exp.table_("previous"), kind="CROSS"), copy=False)
    return _with(result, **periods)


def _filter_share(
    plan: Plan, model: SemanticModel, metric: Metric, as_of: str | None
) -> exp.Select:
    """What share of the whole the filtered part is, overall or within each group, with
    the whole beside it (``all_<value>``).

    "What % of revenue comes from the US" is one number; "what share of items are
    returned, by department" is the returned share within each department.
    """
    from sqlglot import exp

    within = plan.share_within
    kept = tuple(f for f in plan.filters if within is not None and (
        f.dimension == within or f.dimension not in plan.dimensions))  # fmt: skip
    if within is not None and len(kept) == len(plan.filters):
        return _grouped(plan, model, metric, as_of)  # "... within its department, in the US"
    part = _grouped(replace(plan, share=False, limit=None), model, metric, as_of, rounded=False)
    whole_plan = replace(
        plan, share=False, limit=None, filters=kept,
        ignore_rules=(*plan.ignore_rules, *_rules_outside(plan, model, metric)),
    )  # fmt: skip
    if within is not None:
        # "Men vs Women within each country": of each country's whole, every department.
        whole_plan = replace(whole_plan, dimensions=(within,), order="auto")
    elif all(f.dimension in plan.dimensions for f in plan.filters):
        # Every filter picks values of a breakdown ("share of revenue by department (Men
        # vs Women)"): of the total over all of its values, not of each value's own total
        # (always 100%). A filter outside the breakdowns is the part ("% of orders in
        # China that were cancelled": of China's orders, every status).
        whole_plan = replace(whole_plan, dimensions=shared_groups(plan))
    elif within is None:
        # A breakdown kept to one value the whole is of ("% of orders in China that were
        # cancelled", by year): the whole keeps it, so each of its groups is a row, 0%
        # where none of its rows is the part.
        pinned = tuple(f for f in _pinning(plan) if f.dimension in plan.dimensions)
        whole_plan = replace(whole_plan, filters=(*whole_plan.filters, *pinned))
    whole = _grouped(whole_plan, model, metric, as_of, rounded=False)
    part.set("order", None)
    whole.set("order", None)
    value = metric.name
    periods = _grain_names(plan.grain) if plan.grain else []
    keys = [*periods, *plan.dimensions]
    joined = [*periods, *whole_plan.dimensions]

    def part_value() -> exp.Expr:
        return exp.column(value, table="part")

    def fraction() -> exp.Expr:
        return exp.Div(this=part_value(), expression=exp.column(value, table="whole"))

    shown = _in_units(part_value(), metric)
    whole_value = exp.column(value, table="whole")
    share = _round(exp.Mul(this=fraction(), expression=exp.Literal.number(100)))
    columns = [
        _as(shown, value),
        _as(_in_units(whole_value, metric), f"all_{value}"),
        _as(share, "share_pct"),
    ]  # the whole beside the part: what the % is of
    if not keys:
        query = _select(*columns, source="part")
        query = query.join(exp.Join(this=exp.table_("whole"), kind="CROSS"), copy=False)
        return _with(query, part=part, whole=whole)
    on = exp.and_(*(
        exp.EQ(this=exp.column(k, table="part"), expression=exp.column(k, table="whole"))
        for k in joined
    )) if joined else None  # fmt: skip
    by_share = (
        _ascending(fraction())
        if plan.order == "asc"
        else exp.Ordered(this=fraction(), desc=True, nulls_first=False)
    )
    part_only = [f for f in plan.filters if f not in whole_plan.filters]
    in_time = dated_breakdowns(plan, model)
    if joined == keys and not any(f.dimension in keys for f in part_only):
        # "% of orders cancelled by country": a country without a cancelled order is a
        # row of 0%, so every group of the whole is kept.
        share = share_of_whole(plan, keys, value, metric, whole_column=True, in_time=in_time)
        return _with(share, part=part, whole=whole)
    query = _select(*(_as(exp.column(k, table="part"), k) for k in keys), *columns, source="part")
    whole_source = (
        exp.Join(this=exp.table_("whole"), on=on)
        if on is not None
        else exp.Join(this=exp.table_("whole"), kind="CROSS")
    )
    query = query.join(whole_source, copy=False)
    in_order = [_ascending(exp.column(k, table="part")) for k in keys]
    # A series reads in time order; otherwise the largest share first.
    query = query.order_by(*(in_order if periods or in_time else [by_share, *in_order]), copy=False)
    return _with(_limit(query, plan.limit), part=part, whole=whole)


def share_of_filtered(plan: Plan) -> bool:
    """Whether a share is of filtered rows, as a part of a whole queried apart from it.

    Without a time grain, any filter ("what % of revenue comes from the US"). With one
    and no breakdown, too: "what share of orders were returned, by year" is of each
    year's orders. With a breakdown as well, when every filter picks values of a
    breakdown ("monthly share of revenue by category, Jeans vs Dresses"): each month's
    share is of the month's total over all categories, as the same share without months
    is. And when every breakdown is kept to one value the whole is of ("what % of orders
    in China were cancelled, by year": of each year's orders in China, every status). A
    running total, growth or a share within a group never. A condition keeps the rows of
    the part and of the whole alike ("what share of orders with more than 2 items got
    cancelled, by year": of each year's orders with more than 2 items).
    """
    if not plan.share or not plan.filters or plan.share_of_rows:
        return False
    if not plan.grain:
        return True
    if plan.share_within is not None or plan.cumulative or plan.growth:
        return False
    if not plan.dimensions:
        return True  # "what share of orders were returned, by year": of each year's orders
    if all(f.dimension in plan.dimensions for f in plan.filters):
        return True
    return set(plan.dimensions) <= {f.dimension for f in _pinning(plan)}


def _pinning(plan: Plan) -> list[Filter]:
    """The plan's filters that keep a dimension to one value ("country is China")."""
    return [f for f in plan.filters if f.op == "in" and not f.negate and len(f.values) == 1]


def shared_groups(plan: Plan) -> tuple[str, ...]:
    """The breakdowns a share of filtered values is taken within: those no filter picks
    values of ("by department and country, Men vs Women": within each country)."""
    filtered = {f.dimension for f in plan.filters}
    return tuple(d for d in plan.dimensions if d not in filtered)


def dated_breakdowns(plan: Plan, model: SemanticModel) -> bool:
    """Whether the answer's breakdowns are all dates ("by signup year", "by first order
    month") and nothing else orders it: its rows read in the order of those dates."""
    return (
        bool(plan.dimensions)
        and all(model.dimensions[d].time for d in plan.dimensions)
        and plan.order == "auto"
        and not plan.limit
    )


def share_of_whole(
    plan: Plan,
    keys: Sequence[str],
    value: str,
    metric: Metric,
    *,
    whole_column: bool = False,
    in_time: bool = False,
) -> exp.Select:
    """The part's share of the whole (WITH queries ``part`` and ``whole``, each holding
    ``value`` by ``keys``) in every group of the whole: a group without the part has 0 of
    it (``whole LEFT JOIN part``), largest share first, or in the order of the groups when
    they are dates (``in_time``); ``whole_column`` shows the whole too (``all_<value>``)."""
    from sqlglot import exp

    def part_value() -> exp.Expr:
        return exp.Coalesce(
            this=exp.column(value, table="part"), expressions=[exp.Literal.number(0)]
        )

    def fraction() -> exp.Expr:
        return exp.Div(this=part_value(), expression=exp.column(value, table="whole"))

    columns = [_as(_in_units(part_value(), metric), value)]
    if whole_column:
        columns.append(_as(_in_units(exp.column(value, table="whole"), metric), f"all_{value}"))
    columns.append(
        _as(_round(exp.Mul(this=fraction(), expression=exp.Literal.number(100))), "share_pct")
    )
    if not keys:
        query = _select(*columns, source="whole")
        return query.join(exp.Join(this=exp.table_("part"), kind="CROSS"), copy=False)
    on = exp.and_(*(
        exp.EQ(this=exp.column(k, table="part"), expression=exp.column(k, table="whole"))
        for k in keys
    ))  # fmt: skip
    query = _select(*(_as(exp.column(k, table="whole"), k) for k in keys), *columns, source="whole")
    query = query.join(exp.Join(this=exp.table_("part"), on=on, side="LEFT"), copy=False)
    by_share = exp.Ordered(this=fraction(), desc=plan.order != "asc", nulls_first=False)
    periods = [] if plan.order in {"asc", "desc"} else _grain_names(plan.grain or "")
    ordered = [_ascending(exp.column(k, table="whole")) for k in keys]
    if (periods and keys[: len(periods)] == periods) or in_time:
        # "what % of orders had 3+ items, by year": a series, in the order of its periods.
        query = query.order_by(*ordered, copy=False)
    else:
        query = query.order_by(by_share, *ordered, copy=False)
    return _limit(query, plan.limit)


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


@lru_cache(maxsize=256)
def time_between(sql: str) -> tuple[str, str, str] | None:
    """The one ``TIMESTAMP_DIFF`` of trusted model SQL as (end, start, unit), each as
    BigQuery text (``orders.delivered_at``, ``orders.created_at``, ``DAY``); ``None``
    without exactly one."""
    from sqlglot import exp

    diffs = list(_parsed(sql).find_all(exp.TimestampDiff))
    if len(diffs) != 1:
        return None
    diff = diffs[0]
    unit = diff.args.get("unit")
    return diff.this.sql(DIALECT), diff.expression.sql(DIALECT), unit.sql(DIALECT) if unit else ""


@lru_cache(maxsize=256)
def counted_if(sql: str) -> tuple[str, frozenset[str]] | None:
    """The column and values a rate (or a count) of trusted model SQL counts, when it is
    ``COUNTIF(column = 'v') / ...`` or ``COUNTIF(column IN ('v', ...)) / ...`` (or that
    ``COUNTIF`` alone)."""
    from sqlglot import exp

    tree = _parsed(sql)
    ratio = tree.find(exp.Div)
    counted = ratio.this if ratio is not None else tree
    if not isinstance(counted, exp.CountIf):
        return None
    test = counted.this
    if isinstance(test, exp.EQ):
        column, literals = test.this, [test.expression]
    elif isinstance(test, exp.In):
        column, literals = test.this, list(test.expressions)
    else:
        return None
    if not isinstance(column, exp.Column) or not all(
        isinstance(v, exp.Literal) and v.is_string for v in literals
    ):
        return None
    return column.sql(DIALECT), frozenset(v.this for v in literals)


def applied_rules(plan: Plan, model: SemanticModel, metric: Metric | None = None) -> list[str]:
    """The model's named filters that apply to ``plan``'s measure.

    A filter that picks values of the column a rule is about replaces the rule ("sales
    of returned items"); an exclusion or a comparison only narrows it. The compiler and
    the interpretation sentence both read this, so what is said is what runs.
    """
    metric = metric or effective_metric(plan, model)
    chosen = {
        column
        for f in plan.filters
        if f.op == "in" and not f.negate
        for column in _columns(model.dimensions[f.dimension].sql_for(metric.table))
    }
    own = [
        name
        for name in metric.filters
        if name not in plan.ignore_rules and not chosen & _columns(model.filter_sql(name))
    ]
    said = {model.filter_sql(name) for name in own}
    return [*own, *(name for name in plan.rules if model.filter_sql(name) not in said)]


def _rules_outside(plan: Plan, model: SemanticModel, metric: Metric) -> list[str]:
    """The rules a filtered share's part steps outside of: "what % of items were
    returned" picks rows the items-sold rule leaves out, so its whole is every item, not
    the rows the rule keeps; "what % of revenue is from Complete items" stays inside the
    rule, and its whole is all revenue. A rule that is not a plain list of values counts
    as stepped outside when a filter replaced it."""
    from lgda_nb.planner._read_durations import rule_as_filter

    outside = []
    for name in set(metric.filters) - set(applied_rules(plan, model, metric)):
        if name in plan.ignore_rules:
            continue
        rule = rule_as_filter(model, name, metric.table)
        picked = [f for f in plan.filters if rule is not None and f.dimension == rule.dimension]
        if rule is None or any(
            (value in rule.values) == rule.negate for f in picked for value in f.values
        ):
            outside.append(name)
    return sorted(outside)


@lru_cache(maxsize=2048)
def _columns(sql: str) -> frozenset[tuple[str, str]]:
    """The ``(table, column)`` pairs trusted model SQL reads, from its tree (read once
    per text, like the tree)."""
    from sqlglot import exp

    return frozenset(
        (column.table.lower(), column.name.lower()) for column in _parsed(sql).find_all(exp.Column)
    )


def _conditions(
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    as_of: str | None,
    *,
    window: bool = True,
    rules: Sequence[str] | None = None,
) -> tuple[list[exp.Expr], set[str]]:
    """WHERE conditions (the model's rules, user filters, conditions on measures, time
    window) and their tables; ``rules`` defaults to the rules of ``metric``."""
    from sqlglot import exp

    base = metric.table
    conditions: list[exp.Expr] = []
    needed: set[str] = set()
    # A filter that picks values of a column the model's rule is about replaces the rule
    # ("sales of returned items"); an exclusion or a comparison only narrows it.
    for name in applied_rules(plan, model, metric) if rules is None else rules:
        rule = _parse(model.filter_sql(name))
        needed |= _tables(rule)
        conditions.append(rule)
    for f in plan.filters:
        sql = model.dimensions[f.dimension].sql_for(base)
        needed |= _tables_of(sql)
        condition = _filter_condition(sql, f)
        conditions.append(exp.Not(this=condition) if f.negate else condition)
    if plan.metrics and all(m.startswith("duration:") for m in plan.metrics):
        # Durations are over the rows where both moments exist: a group with none of
        # them is no group of the answer (not a row of NULL).
        for between in _parse(metric.expression).find_all(exp.TimestampDiff):
            conditions.append(exp.Not(this=exp.Is(this=between.copy(), expression=exp.Null())))
    for each in plan.conditions:
        node, tables = _condition_node(plan, model, base, each, as_of)
        needed |= tables
        conditions.append(node)
    time_column = plan.time_column or metric.time
    if plan.time_window is not None and time_column is None:
        raise PlanningError(
            f"{metric.label} has no date, so it cannot be limited to {plan.time_window.label}.",
            hint=f"Ask for {metric.label.lower()} without a time period.",
        )
    if time_column is not None:
        needed |= _tables_of(time_column)
    if plan.time_window is not None and window and time_column is not None:
        conditions.append(_window_condition(plan.time_window, _clock(plan, metric, as_of)))
    return conditions, needed


def _condition_node(
    plan: Plan, model: SemanticModel, base: str, condition: Condition, as_of: str | None
) -> tuple[exp.Expr, set[str]]:
    """``key IN (SELECT key FROM ... GROUP BY key HAVING measure op n)``: only the rows of a
    ``per`` value whose measure passes ("orders with more than 3 items"). The measure is
    taken over the same time window as the answer (or the condition's own), with its own
    model rules and the condition's own filters."""
    from sqlglot import exp

    per = model.dimensions[condition.per]
    # On the table that reaches the groups: "categories with an average delivery time
    # over 4 days" measures each order's items, as the answer's own measure does.
    measured = effective_metric(
        replace(plan, metrics=(condition.metric,), dimensions=(condition.per,), filters=(),
                time_column=None), model,
    )  # fmt: skip

    def key(table: str) -> exp.Expr:
        # A dimension whose values repeat (product names) is told apart by its key.
        return _parse(per.key if per.key and table not in per.columns else per.sql_for(table))

    outer_key = key(base)
    # "in both the Men and Women departments": a count of distinct values counts only
    # the values the question keeps.
    kept = tuple(f for f in plan.filters if condition.metric == f"distinct:{f.dimension}")
    kept += tuple(f for f in condition.filters if f not in kept)  # "... in the Men department"
    inner_plan = replace(plan, metrics=(condition.metric,), dimensions=(), filters=kept,
                         conditions=(), time_column=None, grain=None,
                         time_window=condition.window or plan.time_window)  # fmt: skip
    inner_key = key(measured.table)
    where, needed = _conditions(inner_plan, model, measured, as_of, window=not condition.ever)
    needed |= _tables(inner_key) | _tables_of(measured.expression)
    inner = exp.select(inner_key, copy=False).from_(_from(measured.table), copy=False)
    for join in _joins(model, measured.table, needed):
        inner = inner.join(join, copy=False)
    if where:
        inner = inner.where(exp.and_(*where, copy=False), copy=False)
    if condition.against is not None:
        from lgda_nb.planner._entity import against_average

        having = against_average(inner, measured, condition)
    else:
        test = Filter("", condition.values, op=condition.op)
        having = _filter_condition(measured.expression, test)
    timed = condition.metric.startswith("duration:")  # no duration without both moments
    if condition.against is None and passes_at_zero(condition) and not timed:
        # "users with no orders": a user without rows passes too, so keep the keys
        # that do not fail: NOT IN (keys whose measure fails the test).
        known = exp.Not(this=exp.Is(this=inner_key.copy(), expression=exp.Null()))
        inner = inner.where(known, copy=False)
        inner = inner.group_by(exp.Literal.number(1), copy=False)
        inner = inner.having(exp.Not(this=exp.Paren(this=having)), copy=False)
        return exp.Not(this=outer_key.isin(query=inner, copy=False)), _tables(outer_key)
    inner = inner.group_by(exp.Literal.number(1), copy=False).having(having, copy=False)
    return outer_key.isin(query=inner, copy=False), _tables(outer_key)


def passes_at_zero(condition: Condition) -> bool:
    """Whether a thing with no rows at all (a measure of 0) meets ``condition``; never for
    a comparison with another measure (no values of its own)."""
    if not condition.values:
        return False
    low = float(condition.values[0])
    tests = {"=": low == 0, "<": low > 0, "<=": low >= 0}
    if condition.op == "between":
        return low <= 0 <= float(condition.values[-1])
    return tests.get(condition.op, False)


def _extra_columns(  # noqa: PLR0917 - the parts of the query being built
    plan: Plan,
    model: SemanticModel,
    metric: Metric,
    first: exp.Expr,
    grain_nodes: list[exp.Expr],
    dimension_nodes: list[exp.Expr],
) -> list[exp.Expr]:
    """The running total and the share of each row, when the plan asks for them."""
    from sqlglot import exp

    columns = []
    if plan.cumulative:
        only = model.dimensions.get(plan.dimensions[0]) if len(plan.dimensions) == 1 else None
        by_period = only is not None and only.time
        if not grain_nodes and by_period and len(dimension_nodes) == 1:
            grain_nodes, dimension_nodes = dimension_nodes, []  # "running total by signup year"
        total = _running_total(plan, metric, first, grain_nodes, dimension_nodes)
        columns.append(_as(total, f"cumulative_{metric.name}"))
    if plan.share:
        within = [] if plan.share_within is None else [
            node.copy()
            for _, node in _dimension_columns(model.dimensions[plan.share_within], metric.table)
        ] if plan.share_within in model.dimensions else _period_group(
            plan.share_within, grain_nodes, metric, model
        )  # fmt: skip
        if plan.share_within is None and grain_nodes and dimension_nodes:
            # "% of orders by status for each year": each period's rows add up to 100.
            within = [node.copy() for node in grain_nodes]
        whole = exp.Window(this=exp.Sum(this=first.copy()), partition_by=within)
        # A measure written as a difference (profit) is divided as a whole.
        part = exp.paren(first.copy(), copy=False) if isinstance(first, exp.Binary) else first
        ratio = exp.Div(this=part.copy(), expression=whole)
        # The whole each share is of, beside it (each group's total, or the grand total).
        columns.append(_as(_in_units(whole.copy(), metric), f"all_{metric.name}"))
        columns.append(_as(_round(exp.Mul(this=ratio, expression=exp.Literal.number(100))),
                           "share_pct"))  # fmt: skip
    return columns


def _baselines(plan: Plan, model: SemanticModel, base: str, as_of: str | None) -> list[exp.Expr]:
    """Beside groups kept for a measure above or below the average ("categories with a
    return rate above the overall return rate"), the average they were compared with:
    the measure over all the rows (a rate, an average), or its mean per group (a count,
    a sum); the same rows, rules and window as the comparison."""
    from sqlglot import exp

    columns = []
    for condition in plan.conditions:
        if condition.against is None or condition.per not in plan.dimensions:
            continue
        measured = model.metric(condition.metric)
        having = _condition_node(plan, model, base, condition, as_of)[0].find(exp.Having)
        if having is None or not isinstance(having.this, exp.Binary):
            continue
        baseline = having.this.expression.copy()
        shown = baseline if measured.unit == "count" and not measured.additive else _round(baseline)
        name = (
            f"average_{measured.name}_per_{condition.per}"
            if measured.additive
            else f"overall_{measured.name}"
        )
        columns.append(_as(shown, name))
    return columns


def _counts_own_rows(metric: Metric, model: SemanticModel) -> bool:
    """Whether ``metric`` is ``COUNT(DISTINCT t.key)`` of its own table ``t``'s key, dated
    by a column of ``t`` (each row in exactly one period)."""
    entry = model.catalog.get(metric.table)
    key = entry.key if entry is not None else None
    own = f"COUNT(DISTINCT {metric.table}.{key})".upper()
    return (
        key is not None
        and " ".join(metric.expression.upper().split()) == own
        and (metric.time or "").startswith(f"{metric.table}.")
    )


def _period_group_columns(
    plan: Plan, model: SemanticModel, grain_columns: list[tuple[str, exp.Expr]]
) -> list[tuple[str, exp.Expr]]:
    """(name, node) of the period the shares restart in, when the grain's own columns do
    not show it (a month's year; a quarter already shows its year)."""
    within = plan.share_within
    if not plan.share or within is None or within in model.dimensions or len(grain_columns) != 1:
        return []
    node = grain_columns[0][1]
    parts = {"year": ["year"], "quarter": ["year", "quarter"], "month": ["year", "month"]}
    return [(part, _extract(part.upper(), node.copy())) for part in parts.get(within, [])]


def _period_group(
    period: str, grain_nodes: list[exp.Expr], metric: Metric, model: SemanticModel
) -> list[exp.Expr]:
    """The period each row's period falls in ("each month's share of its year"), taken
    from the grouped period so the window needs no other column. The periods' values
    must add up to the group's: a sum or a count of rows, not of distinct things (a
    customer counts in each month they buy in) nor a ratio. A distinct count of a
    table's own key, dated by that table, adds up: each order falls in one month."""
    distinct = "DISTINCT" in metric.expression.upper() and not _counts_own_rows(metric, model)
    if not metric.additive or distinct or not grain_nodes:
        raise PlanningError(
            f"{metric.label} per period does not add up to its {period}'s total, so each "
            f"period's share of its {period} cannot be taken.",
            hint=f"Ask for the share of a total that adds up (revenue, items sold), or "
            f"{metric.label.lower()} per period on its own.",
        )
    if len(grain_nodes) == 2:  # a quarter is year and quarter: its year is the first
        return [grain_nodes[0].copy()]
    parts = {"year": ["YEAR"], "quarter": ["YEAR", "QUARTER"], "month": ["YEAR", "MONTH"]}
    return [_extract(part, grain_nodes[0].copy()) for part in parts[period]]


def _running_total(
    plan: Plan,
    metric: Metric,
    measure: exp.Expr,
    grain_nodes: list[exp.Expr],
    dimension_nodes: list[exp.Expr],
) -> exp.Expr:
    """``SUM(measure) OVER (PARTITION BY breakdown ORDER BY period)``: the total so far."""
    from sqlglot import exp

    if not grain_nodes or not metric.additive:
        raise PlanningError(
            f"A running total of {metric.label.lower()} needs a series of periods of a "
            "measure that adds up.",
            hint=f"Ask for {metric.label.lower()} by month (or week, year) with a running total.",
        )
    total = exp.Window(
        this=exp.Sum(this=measure.copy()),
        partition_by=[node.copy() for node in dimension_nodes],
        order=exp.Order(expressions=[_ascending(node.copy()) for node in grain_nodes]),
    )
    return _in_units(total, metric)


def _measures(
    plan: Plan, model: SemanticModel, metrics: Sequence[Metric]
) -> tuple[list[exp.Expr], list[str]]:
    """Each measure's aggregate, and the model rules all of them share.

    The shared rules narrow the rows (WHERE); a rule of one measure only narrows its
    own aggregates, so "items sold, revenue and return rate" side by side each count
    the rows their definitions say.
    """
    from sqlglot import exp

    rule_sets = [applied_rules(plan, model, each) for each in metrics]
    # by their SQL: a measure's own rule and a date check of the plan may say the same
    # ("average delivery time, with the number of delivered orders it rests on")
    said = [{model.filter_sql(rule) for rule in rules} for rules in rule_sets]
    common = [rule for rule in rule_sets[0] if all(model.filter_sql(rule) in s for s in said)]
    shared = {model.filter_sql(rule) for rule in common}
    nodes = []
    for each, rules in zip(metrics, rule_sets, strict=True):
        node = _parse(each.expression)
        own = [
            _parse(model.filter_sql(rule)) for rule in rules if model.filter_sql(rule) not in shared
        ]
        nodes.append(_only_where(node, exp.and_(*own, copy=False)) if own else node)
    return nodes, common


def _only_where(node: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """``node`` with every aggregate in it counting only rows where ``condition`` holds:
    ``SUM(x)`` becomes ``SUM(IF(condition, x, NULL))``; ``COUNT(*)`` counts ``IF(.., 1, ..)``."""
    from sqlglot import exp

    for aggregate in list(node.find_all(exp.AggFunc)):
        argument = aggregate.this
        if isinstance(aggregate, exp.CountIf):
            aggregate.set("this", exp.and_(condition.copy(), argument, copy=False))
        elif isinstance(argument, exp.Star):
            aggregate.set("this", exp.If(this=condition.copy(), true=exp.Literal.number(1)))
        elif isinstance(argument, exp.Distinct):
            kept = [exp.If(this=condition.copy(), true=e) for e in argument.expressions]
            argument.set("expressions", kept)
        elif argument is not None:
            aggregate.set("this", exp.If(this=condition.copy(), true=argument))
    return node


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
                # A derived table may lack a key (a user who never ordered): LEFT JOIN.
                side = "LEFT" if join.right in model.derived else None
                clauses.append(exp.Join(this=_table(join.right), on=on, side=side))
                joined.add(join.right)
    return clauses


def _order(  # noqa: PLR0911 - one ordering rule per answer shape
    plan: Plan, dimensions: list[Dimension], measure: exp.Expr, dimension_nodes: list[exp.Expr]
) -> list[exp.Expr]:
    """ORDER BY; dimensions by their expressions, since an alias like ``gender`` can be
    ambiguous with a joined table's column of the same name."""
    from sqlglot import exp

    names = [node.copy() for node in dimension_nodes]

    def by_value() -> list[exp.Expr]:  # the measure first, then the names (copied once)
        return [
            exp.Ordered(this=measure.copy(), desc=plan.order != "asc"),
            *[exp.Ordered(this=n) for n in names],
        ]

    if plan.ranks_periods and plan.grain and not dimensions:  # "busiest first"
        return [*by_value(), exp.Ordered(this=exp.column(plan.grain))]
    if plan.grain in SERIES_GRAINS and not plan.limit:
        periods = ["year", "quarter"] if plan.grain == "quarter" else [plan.grain]
        by_period = [exp.Ordered(this=exp.column(p)) for p in periods]
        if plan.cumulative:  # a running total reads down each group's own periods
            return [*(exp.Ordered(this=n) for n in names), *by_period]
        return [*by_period, *(exp.Ordered(this=n) for n in names)]
    if not plan.grain and not plan.limit and any(d.time for d in dimensions):
        # "new customers per first-order month, split by gender": a series, as by a period
        timed = [n for d, n in zip(dimensions, names, strict=True) if d.time]
        return [exp.Ordered(this=n) for n in timed + [n for n in names if n not in timed]]
    if plan.grain == "weekday" and not plan.limit:
        return [exp.Ordered(this=_weekday_number(exp.column("weekday")))]
    if plan.grain == "hour" and not plan.limit:
        return [exp.Ordered(this=exp.column("hour"))]
    if plan.grain and plan.limit:
        return [*by_value(), exp.Ordered(this=exp.column(plan.grain))]
    if dimensions or plan.limit:
        return by_value()
    return []
