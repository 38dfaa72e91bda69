"""The semantic model: metrics, dimensions, time columns and joins, as data.

A model is a TOML file (``models/thelook.toml`` is the built-in one). Expressions
are BigQuery SQL over ``table.column`` names; the compiler works out which
tables an expression needs and joins them along the model's join paths.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from lgda_nb.errors import ConfigError, PlanningError
from lgda_nb.planner._derived import Derived, derived_joins, parse_derived, within_metric
from lgda_nb.planner._text import normalize, plural

_COLUMN_REF = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b", re.IGNORECASE)
BUILTIN_MODEL = Path(__file__).with_name("models") / "thelook.toml"


_DISTINCT_COUNT = re.compile(r"COUNT\s*\(\s*DISTINCT\s+(\w+)\.(\w+)\s*\)", re.IGNORECASE)


def column_refs(expression: str) -> list[str]:
    """The ``table.column`` names an expression uses, in order of appearance."""
    return [m.group(0) for m in _COLUMN_REF.finditer(_strip_strings(expression))]


def tables_in(expression: str) -> set[str]:
    """The tables an expression refers to through ``table.column`` names."""
    return {match.group(1).lower() for match in _COLUMN_REF.finditer(_strip_strings(expression))}


def _strip_strings(expression: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.)*'", "''", expression)


@dataclass(frozen=True)
class Alternative:
    """Another way to compute a metric from another base table (orders via their items)."""

    table: str
    expression: str
    time: str | None = None


#: A measure that counts rows one by one (``COUNT(order_items.id)``).
_ROW_COUNT = re.compile(r"COUNT\((?:DISTINCT)?[A-Z_.]+\)")


@dataclass(frozen=True)
class Metric:
    """A measure: one aggregate expression over a base table."""

    name: str
    label: str
    expression: str
    table: str
    synonyms: tuple[str, ...] = ()
    time: str | None = None
    filters: tuple[str, ...] = ()
    unit: str = "number"
    additive: bool = True
    alternatives: tuple[Alternative, ...] = ()
    #: The dimension whose distinct values this metric counts (orders count order ids),
    #: so "orders with more than 3 items" is a condition on each order.
    entity: str | None = None
    #: Dimensions whose values decide which rows count, which the model does not say
    #: (a generated model's money total on rows with a status): a question must name
    #: the values, group by the dimension or ask for every value, else it is refused.
    ask_which: tuple[str, ...] = ()
    #: Never read from a question's words (neither its name nor synonyms): a measure the
    #: model only shows, such as the part a rate counts (``reader.rate_parts``).
    hidden: bool = False
    #: Which way is better: ``higher`` (revenue, orders) or ``lower`` (a return rate, a
    #: delivery time), so "the worst return rate" is the highest.
    better: str = "higher"


@dataclass(frozen=True)
class Dimension:
    """Something to group or filter by: a column, or an expression over one table."""

    name: str
    label: str
    column: str | None = None
    expression: str | None = None
    table: str | None = None
    synonyms: tuple[str, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)
    values: bool = False
    #: Ordered like time (a cohort date): sorted ascending, charted as a series.
    time: bool = False
    #: A number that questions compare ("priced over $80", "aged 30 to 39").
    numeric: bool = False
    #: Words that introduce a comparison besides the synonyms ("priced", "aged").
    numeric_words: tuple[str, ...] = ()
    #: Comparative adjectives and their operators ("older" -> ">").
    comparatives: Mapping[str, str] = field(default_factory=dict)
    #: Units after the number that name this dimension ("years old").
    suffixes: tuple[str, ...] = ()
    #: A column that tells apart rows with the same value (a product id for names that
    #: repeat); grouped by and shown beside the value.
    key: str | None = None
    #: ``money`` or ``number``: how the aggregates of a numeric dimension are shown.
    unit: str = "number"
    #: Measures read differently inside a condition on each value of this dimension
    #: ("orders with more than 3 items" counts every item of the order, any status).
    measures: Mapping[str, str] = field(default_factory=dict)

    def own_sql(self) -> tuple[str, str]:
        """The dimension's default expression and the one table it reads."""
        sql = self.expression or self.column or ""
        tables = tables_in(sql) or {self.table or ""}
        if self.table in tables:
            return sql, self.table  # an expression over two tables names its own
        (table,) = tables
        return sql, table

    def sql_for(self, base_table: str) -> str:
        """The expression to use when the metric's base table is ``base_table``."""
        if base_table in self.columns:
            return self.columns[base_table]
        return self.expression or self.column or ""


@dataclass(frozen=True)
class Moment:
    """A point in a row's life ("shipped"): the time column that records it, per table.
    The time between two moments of one table is a duration ("days from order to
    delivery")."""

    name: str
    label: str
    words: tuple[str, ...]
    columns: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    """The rows of one table as a question lists them ("the 5 cheapest products: name,
    brand, retail price"): the words for a row and for each column.

    ``key`` tells rows apart, ``title`` names each row (the default order, then the
    key); ``highest``/``lowest`` are words that rank the rows by a column ("most
    expensive", "cheapest", "newest"). Columns are names of the table's own columns.
    """

    name: str
    words: tuple[str, ...] = ()
    key: str | None = None
    title: str | None = None
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    highest: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lowest: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Columns shown when a question names none (else all of them).
    shown: tuple[str, ...] = ()

    def qualified(self, column: str) -> str:
        return f"{self.name}.{column}"

    def default_columns(self) -> tuple[str, ...]:
        """What a list shows when the question names no column."""
        return tuple(self.qualified(c) for c in self.shown or self.columns)


@dataclass(frozen=True)
class Join:
    left: str
    left_column: str
    right: str
    right_column: str


@dataclass(frozen=True)
class SemanticModel:
    """Metrics, dimensions, named filters, joins and value aliases of one dataset."""

    name: str
    metrics: Mapping[str, Metric]
    dimensions: Mapping[str, Dimension]
    joins: tuple[Join, ...]
    named_filters: Mapping[str, str]
    value_aliases: Mapping[str, tuple[str, str]]
    dataset: str | None = None
    #: Words that mean nothing more in this dataset's questions ("catalog", "carry").
    filler: frozenset[str] = frozenset()
    #: How questions about this dataset are read (``[reader]`` in the model file): what
    #: "sell" means, which table holds people, cohorts, words that need a cue.
    reader: Mapping[str, Any] = field(default_factory=dict)
    #: The event funnel (``[funnel]``): table, session and step columns, the steps.
    funnel: Mapping[str, Any] = field(default_factory=dict)
    #: Moments of a row's life, for durations (``[[moments]]``).
    moments: Mapping[str, Moment] = field(default_factory=dict)
    #: What each named filter means, in words, for the interpretation sentence.
    filter_descriptions: Mapping[str, str] = field(default_factory=dict)
    #: Words the reader reads as other words (``[[synonyms]]``, ``[[segments]]``,
    #: ``Engine.teach``): "big spenders" -> "customers who spent over $1000". Both
    #: sides are normalized question text.
    phrases: Mapping[str, str] = field(default_factory=dict)
    #: Words read as other words only in a question about one table's rows
    #: (``[[synonyms]]`` with ``table``): table -> phrase -> what it means there. Read
    #: when the question, as written, mixes measures of that table and another ("units"
    #: beside "unsold": inventory units, not items sold).
    table_phrases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Tables computed per key from another table (``[[derived]]``): first orders.
    derived: Mapping[str, Derived] = field(default_factory=dict)
    #: The tables whose rows a question can list, with the words for their columns
    #: (``[[tables]]``).
    catalog: Mapping[str, Table] = field(default_factory=dict)

    def single_things(self) -> set[str]:
        """Breakdowns whose every row is one thing, which a ranking can show columns of:
        the entities measures are counted per (customer, order, session) and the
        dimensions with a key (product)."""
        entities = {m.entity for m in self.metrics.values() if m.entity}
        return entities | {name for name, d in self.dimensions.items() if d.key}

    def metric(self, name: str) -> Metric:
        """A metric by name; ``distinct:<dimension>`` counts a dimension's distinct values
        (``distinct:<dimension>:name`` its distinct names, where names repeat), and
        composed names (``avg:age``, ``ratio:a:b``, ...) are built from the model's."""
        if name.startswith("distinct:"):
            dimension, _, by = name.split(":", 1)[1].partition(":")
            if by not in {"", "name"}:
                raise KeyError(name)
            return self._distinct(self.dimensions[dimension], by_name=by == "name")
        composed = self._composed(name) if ":" in name else None
        return composed if composed is not None else self.metrics[name]

    def _distinct(self, dimension: Dimension, *, by_name: bool = False) -> Metric:
        sql, table = dimension.own_sql()
        counts_things = not by_name and dimension.key and tables_in(dimension.key) == {table}
        if counts_things:
            sql = str(dimension.key)  # names repeat: count the things, not their names
        # "how many distinct product names": the names, however many things bear them.
        name, label = (
            (
                f"number_of_{dimension.name}_names",
                f"Number of distinct {dimension.label.lower()} names",
            )
            if by_name
            else (f"number_of_{dimension.name}", f"Number of {dimension.label.lower()} values")
        )
        # Dated as the table's own measures are ("distinct sessions in 2025": events).
        time = next((m.time for m in self.metrics.values() if m.table == table and m.time), None)
        return Metric(
            name=name,
            label=label,
            expression=f"COUNT(DISTINCT {sql})",
            table=table,
            time=time,
            unit="count",
            additive=False,
        )

    def _composed(self, name: str) -> Metric | None:  # noqa: PLR0911 - one return per kind
        """The metric a composed name builds, or ``None`` when it builds none."""
        from lgda_nb.planner._entity import statistic_metric

        statistic = statistic_metric(self, name)
        if statistic is not None:
            return statistic
        kind, _, rest = name.partition(":")
        if kind in _AGGREGATES and rest in self.dimensions:
            return self._aggregate(kind, self.dimensions[rest])
        if kind == "ratio":
            return self._ratio(*rest.split(":")[:2])
        if kind == "duration":
            return self._duration(*rest.split(":"))
        if kind == "distinct_in":
            return self._distinct_in(*rest.split(":"))
        if kind in {"within", "within_pct"}:
            return within_metric(self, kind == "within_pct", *rest.split(":"))
        return None

    def _distinct_in(self, metric: str, dimension: str) -> Metric:
        """``distinct_in:<metric>:<dimension>``: the distinct values of ``dimension`` (its
        things, where it has a key) among the rows ``metric`` counts, with that metric's
        rules and date ("distinct products sold")."""
        rows, counted = self.metrics[metric], self.dimensions[dimension]
        if not _ROW_COUNT.fullmatch(re.sub(r"\s+", "", rows.expression.upper())):
            raise KeyError(f"distinct_in:{metric}:{dimension}")  # only rows counted one by one
        sql = counted.key or counted.columns.get(rows.table) or counted.own_sql()[0]
        return Metric(
            name=f"distinct_{dimension}_{metric}",
            label=f"Distinct {plural(counted.label.lower())} in {rows.label.lower()}",
            expression=f"COUNT(DISTINCT {sql})",
            table=rows.table,
            time=rows.time,
            filters=rows.filters,
            unit="count",
            additive=False,
        )

    def _duration(self, unit: str, aggregate: str, start: str, end: str) -> Metric:
        """``duration:<unit>:<aggregate>:<from>:<to>``: the time between two moments of
        each row, in whole ``unit``s, aggregated; on the first table that records both
        (the others are alternatives, for breakdowns that need them)."""
        first, last = self.moments[start], self.moments[end]
        tables = [t for t in first.columns if t in last.columns]
        named = _aggregate_of(aggregate)
        if unit not in _DURATION_UNITS or named is None or not tables:
            raise KeyError(f"duration:{unit}:{aggregate}:{start}:{end}")
        function, label = named
        label = {"max": "Longest", "min": "Shortest"}.get(aggregate, label)

        def expression(table: str) -> str:
            between = f"TIMESTAMP_DIFF({last.columns[table]}, {first.columns[table]}, {unit})"
            return function.format(between)

        def time(table: str) -> str | None:
            return next((m.time for m in self.metrics.values() if m.table == table and m.time),
                        first.columns[table])  # fmt: skip

        return Metric(
            name=f"{aggregate}_{unit.lower()}s_{first.name}_to_{last.name}",
            label=f"{label} {unit.lower()}s from {first.label} to {last.label}",
            expression=expression(tables[0]),
            table=tables[0],
            time=time(tables[0]),
            unit="number",
            additive=False,
            alternatives=tuple(Alternative(t, expression(t), time(t)) for t in tables[1:]),
            better="lower",  # the worst delivery time is the longest
        )

    def on_table(self, name: str, table: str) -> Metric:
        """Metric ``name`` counted on ``table``: itself, or its alternative there (orders
        counted through their items); itself when it has none."""
        metric = self.metric(name)
        if metric.table != table:
            for other in metric.alternatives:
                if other.table == table:
                    return replace(metric, table=other.table, expression=other.expression,
                                   time=other.time, filters=())  # fmt: skip
        return metric

    def _aggregate(self, kind: str, dimension: Dimension) -> Metric:
        """The highest, lowest, average or median of a numeric dimension."""
        sql, table = dimension.own_sql()
        time = next((m.time for m in self.metrics.values() if m.table == table and m.time), None)
        function, label = _AGGREGATES[kind]
        return Metric(
            name=f"{kind}_{dimension.name}",
            label=f"{label} {dimension.label.lower()}",
            expression=function.format(sql),
            table=table,
            time=time,
            unit=dimension.unit,
            additive=False,
        )

    def _ratio(self, top: str, bottom: str) -> Metric:
        """'revenue per buyer': one measure over another, counted on the same rows."""
        a, b = self.metric(top), self.metric(bottom)
        for other in b.alternatives:  # orders counted through their items, for items' measures
            if b.table != a.table and other.table == a.table:
                b = replace(b, table=other.table, expression=other.expression, time=other.time,
                            filters=a.filters)  # fmt: skip
        if a.table != b.table or set(a.filters) != set(b.filters) or a.time != b.time:
            raise PlanningError(
                f"{a.label} and {b.label.lower()} are counted on different rows, so one "
                "cannot be divided by the other.",
                hint="Ask for the two measures separately, or for a per-customer measure the "
                "model defines.",
            )
        return Metric(
            name=f"{a.name}_per_{b.name}",
            label=f"{a.label} per {b.label.lower()}",
            expression=f"({a.expression}) / NULLIF({b.expression}, 0)",
            table=a.table,
            time=a.time,
            filters=a.filters,
            unit=a.unit if a.unit == "money" else "number",
            additive=False,
        )

    def tables(self) -> set[str]:
        """Every table the model mentions."""
        found = {m.table for m in self.metrics.values()}
        for join in self.joins:
            found |= {join.left, join.right}
        return found - set(self.derived)

    def join_path(self, start: str, goal: str) -> list[Join]:
        """The shortest chain of many-to-one joins from ``start`` to ``goal``.

        Joins only go from the many side (left) to the one side (right), so a
        metric is never counted twice by fanning out over another table's rows.
        """
        if start == goal:
            return []
        previous = self._reached_from(start)
        if goal not in previous:
            raise PlanningError(
                f"{start} rows cannot be broken down by a column of {goal}.",
                hint=f"Ask about a measure of {goal} instead, or a breakdown of {start} "
                "by its own columns.",
            )
        path: list[Join] = []
        node = goal
        while node != start:
            node, join = previous[node]
            path.append(join)
        return list(reversed(path))

    def ruled(self, dimension: str) -> bool:
        """Whether some measure has a rule (a named filter) on ``dimension``'s column
        (status), worked out once per dimension."""
        found = self._ruled.get(dimension)
        if found is None:
            column_on = self.dimensions[dimension].sql_for
            found = self._ruled[dimension] = any(
                column_on(m.table) in self.filter_sql(rule)
                for m in self.metrics.values()
                for rule in m.filters
            )
        return found

    @cached_property
    def _ruled(self) -> dict[str, bool]:
        return {}

    def placements(self, name: str) -> tuple[Metric, ...]:
        """The metric ``name``, then the same measure on each of its alternative base
        tables (orders counted through their items), made once per metric."""
        found = self._placements.get(name)
        if found is None:
            metric = self.metric(name)
            found = self._placements[name] = (metric, *(
                replace(metric, table=a.table, expression=a.expression, time=a.time, filters=())
                for a in metric.alternatives
            ))  # fmt: skip
        return found

    @cached_property
    def _placements(self) -> dict[str, tuple[Metric, ...]]:
        return {}

    @cached_property
    def _many_to_one(self) -> dict[str, dict[str, tuple[str, Join]]]:
        """Each start table's breadth-first search of ``join_path``, made once: a plan
        asks for the same few paths many times, and the model never changes."""
        return {}

    def _reached_from(self, start: str) -> dict[str, tuple[str, Join]]:
        """``_search_joins(start)``, searched once."""
        previous = self._many_to_one.get(start)
        if previous is None:
            previous = self._many_to_one[start] = self._search_joins(start)
        return previous

    def _search_joins(self, start: str) -> dict[str, tuple[str, Join]]:
        """Every table reachable from ``start`` by many-to-one joins, with the table and
        join it is reached through on a shortest chain."""
        previous: dict[str, tuple[str, Join]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            table = queue.popleft()
            for join in self.joins:
                if join.left == table and join.right not in seen:
                    seen.add(join.right)
                    previous[join.right] = (table, join)
                    queue.append(join.right)
        return previous

    def reaches(self, start: str, goal: str) -> bool:
        """Whether ``goal`` can be joined to ``start`` without fanning out."""
        return start == goal or goal in self._reached_from(start)

    def sums_over(self, metric: Metric, tables: Collection[str]) -> bool:
        """Whether a breakdown by columns of ``tables`` splits ``metric`` into parts that
        add up to its total.

        Sums and plain counts do. A distinct count does only when each thing it counts
        falls in one group: it counts the key of its table (an order is one row of
        orders, so every column reached from it has one value), or every breakdown
        table is joined on the counted column (a customer's country). Customers by
        month do not add up: one customer buys in many months.
        """
        if not metric.additive:
            return False
        match = _DISTINCT_COUNT.fullmatch(metric.expression.strip())
        if match is None:
            return True
        table, column = match[1], match[2]
        if any(j.right == table and j.right_column == column for j in self.joins):
            return True
        return all(
            any(
                j.left == table and j.left_column == column and j.right == other for j in self.joins
            )
            for other in tables
        )

    def filter_sql(self, name: str) -> str:
        """A named filter's SQL, a date check's (``undated:orders.shipped_at`` is
        ``orders.shipped_at IS NULL``), or the text itself if it is not a name."""
        checked = self.date_check(name)
        if checked is not None:
            column, dated = checked
            return f"{column} IS {'NOT ' if dated else ''}NULL"
        return self.named_filters.get(name, name)

    def date_check(self, name: str) -> tuple[str, bool] | None:
        """The column and the test of a rule that a moment was reached or not:
        ``dated:<table.column>`` keeps the rows whose moment has a date ("orders with a
        ship date"), ``undated:<table.column>`` those without ("orders with no ship
        date"). ``None`` for any other name, and for a column no moment records on its
        own table (a derived table's, such as a user's first order, is none)."""
        kind, _, column = name.partition(":")
        if kind not in ("dated", "undated"):
            return None
        table = column.split(".", 1)[0]
        if not any(m.columns.get(table) == column for m in self.moments.values()):
            return None
        return column, kind == "dated"

    def filter_text(self, name: str) -> str:
        """What a named filter or a date check keeps, in words ("only orders with no
        shipping date")."""
        checked = self.date_check(name)
        if checked is not None:
            column, dated = checked
            table = column.split(".", 1)[0]
            moment = next(m for m in self.moments.values() if m.columns.get(table) == column)
            rows = table.replace("_", " ")
            return f"only {rows} with {'a' if dated else 'no'} {moment.label} date"
        return self.filter_descriptions.get(name, f"only rows where {self.filter_sql(name)}")


#: Units a duration can be counted in (TIMESTAMP_DIFF parts).
_DURATION_UNITS = ("MINUTE", "HOUR", "DAY", "WEEK")
#: The values of a metric's ``better``.
_BETTER = ("higher", "lower")
#: Aggregates of a numeric dimension: SQL template and label.
_AGGREGATES = {
    "max": ("MAX({})", "Highest"),
    "min": ("MIN({})", "Lowest"),
    "avg": ("AVG({})", "Average"),
    "median": ("APPROX_QUANTILES({}, 2)[OFFSET(1)]", "Median"),
    "stddev": ("STDDEV_SAMP({})", "Standard deviation of"),
}


def _aggregate_of(kind: str) -> tuple[str, str] | None:
    """The SQL template and label of an aggregate of a duration: the model's own, or a
    percentile (``p90``: approximate as an aggregate; exact where ``_entity`` computes
    it, which it does whenever it is asked)."""
    if kind in _AGGREGATES:
        return _AGGREGATES[kind]
    if re.fullmatch(r"p(?:[1-9]|[1-9][0-9])", kind):
        from lgda_nb.planner._entity import _stat_label

        return f"APPROX_QUANTILES({{}}, 100)[OFFSET({kind[1:]})]", _stat_label(kind)
    return None


_OPERATORS = frozenset({">", ">=", "<", "<=", "="})
_FUNNEL_KEYS = ("table", "session", "step", "steps", "measure")


def _check_reading(
    source: str,
    metrics: Mapping[str, Metric],
    dimensions: Mapping[str, Dimension],
    reader: Mapping[str, Any],
    funnel: Mapping[str, Any],
) -> None:
    """Names in ``[reader]`` and ``[funnel]`` exist; comparatives are operators."""
    hint = "See README 'Semantic model files' for the [reader] and [funnel] sections."
    named = [
        *reader.get("sell", {}).values(),
        *reader.get("suggest", []),
        *(reader[key] for key in ("buyers", "buyer_share") if key in reader),
    ]
    for name in named:
        if name not in metrics:
            raise ConfigError(f"[reader] in {source} names an unknown metric {name!r}.", hint=hint)
    dimension_names = [
        *reader.get("suggest_dimensions", []),
        *reader.get("plain_dimensions", []),
        *reader.get("shipped_by", []),
        *reader.get("cohorts", {}).values(),
    ]
    for name in dimension_names:
        if name not in dimensions:
            raise ConfigError(
                f"[reader] in {source} names an unknown dimension {name!r}.", hint=hint
            )
    if reader.get("fiscal_year", "calendar") != "calendar":
        raise ConfigError(
            f"[reader] fiscal_year in {source} is {reader['fiscal_year']!r}; the only fiscal "
            'year read is "calendar" (fiscal years that are calendar years).',
            hint='Write fiscal_year = "calendar", or leave it out to have "FY25" refused.',
        )
    tables = {metric.table for metric in metrics.values()}
    for table in reader.get("people_of", {}):
        if table not in tables:
            raise ConfigError(
                f"[reader] people_of in {source} names {table!r}, not a table of any metric.",
                hint=hint,
            )
    if funnel:
        missing = [key for key in _FUNNEL_KEYS if key not in funnel]
        if missing:
            raise ConfigError(
                f"[funnel] in {source} lacks {', '.join(missing)}.",
                hint="A funnel needs table, session, step, steps and measure.",
            )
        if funnel["measure"] not in metrics:
            raise ConfigError(
                f"[funnel] in {source} names an unknown metric {funnel['measure']!r}.",
                hint=hint,
            )
    for dimension in dimensions.values():
        wrong = {op for op in dimension.comparatives.values() if op not in _OPERATORS}
        if wrong:
            raise ConfigError(
                f"Dimension {dimension.name!r} in {source} has comparatives with "
                f"{', '.join(sorted(wrong))}, not one of > >= < <= =.",
                hint='Write comparatives as { older = ">", younger = "<" }.',
            )


def _as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def parse_model(data: Mapping[str, Any], *, source: str = "<model>") -> SemanticModel:
    """Build a model from parsed TOML, with errors that name the file and entry."""
    try:
        metrics = {
            m["name"]: Metric(
                name=m["name"],
                label=m.get("label", m["name"].replace("_", " ").capitalize()),
                expression=m["expression"],
                table=m["table"],
                synonyms=_as_tuple(m.get("synonyms")),
                time=m.get("time"),
                filters=_as_tuple(m.get("filters")),
                unit=m.get("unit", "number"),
                additive=bool(m.get("additive", m.get("unit") in {"money", "count"})),
                alternatives=tuple(
                    Alternative(a["table"], a["expression"], a.get("time"))
                    for a in m.get("alternatives", [])
                ),
                entity=m.get("entity"),
                ask_which=_as_tuple(m.get("ask_which")),
                hidden=bool(m.get("hidden", False)),
                better=str(m.get("better", "higher")),
            )
            for m in data.get("metrics", [])
        }
        dimensions = {
            d["name"]: Dimension(
                name=d["name"],
                label=d.get("label", d["name"].replace("_", " ").capitalize()),
                column=d.get("column"),
                expression=d.get("expression"),
                table=d.get("table"),
                synonyms=_as_tuple(d.get("synonyms")),
                columns=dict(d.get("columns", {})),
                values=bool(d.get("values", False)),
                time=bool(d.get("time", False)),
                numeric=bool(d.get("numeric", False)),
                numeric_words=_as_tuple(d.get("numeric_words")),
                comparatives={str(k): str(v) for k, v in d.get("comparatives", {}).items()},
                suffixes=_as_tuple(d.get("suffixes")),
                key=d.get("key"),
                unit=str(d.get("unit", "number")),
                measures={str(k): str(v) for k, v in d.get("measures", {}).items()},
            )
            for d in data.get("dimensions", [])
        }
        joins = tuple(Join(*(str(part) for part in j)) for j in data.get("joins", []))
        aliases = {
            str(key).lower(): (str(value[0]), str(value[1]))
            for key, value in data.get("value_aliases", {}).items()
        }
        named_filters = {
            str(k): str(v["sql"] if isinstance(v, dict) else v)
            for k, v in data.get("filters", {}).items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"The semantic model {source} is malformed: missing or invalid {exc}.",
            hint="Each metric needs name, expression and table; each dimension a name and "
            "a column or expression; joins are [left, column, right, column].",
        ) from exc
    if not metrics:
        raise ConfigError(f"The semantic model {source} defines no metrics.")
    for dimension in dimensions.values():
        if not (dimension.column or dimension.expression):
            raise ConfigError(f"Dimension {dimension.name!r} in {source} needs a column.")
    _check_metrics(source, metrics, dimensions)
    for dimension in dimensions.values():
        named = set(dimension.measures) | set(dimension.measures.values())
        unknown = sorted(named - set(metrics))
        if unknown:
            raise ConfigError(
                f"Dimension {dimension.name!r} in {source} maps unknown metrics: "
                f"{', '.join(unknown)}."
            )
    for alias, (dimension_name, _) in aliases.items():
        if dimension_name not in dimensions:
            raise ConfigError(
                f"Value alias {alias!r} in {source} names an unknown dimension {dimension_name!r}."
            )
    try:
        moments = {
            str(m["name"]): Moment(
                name=str(m["name"]),
                label=str(m.get("label", m["name"])),
                words=_as_tuple(m.get("words")),
                columns={str(k): str(v) for k, v in m["columns"].items()},
            )
            for m in data.get("moments", [])
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"A [[moments]] entry in {source} is malformed: missing or invalid {exc}.",
            hint='Each moment needs a name and columns = { table = "table.column" }.',
        ) from exc
    derived = parse_derived(data, source)
    joins += derived_joins(derived)
    reader, funnel = dict(data.get("reader", {})), dict(data.get("funnel", {}))
    _check_reading(source, metrics, dimensions, reader, funnel)
    phrases, table_phrases = _phrases(source, data)
    unknown = sorted(set(table_phrases) - {m.table for m in metrics.values()})
    if unknown:
        raise ConfigError(
            f"[[synonyms]] in {source} names a table no measure counts: {unknown[0]!r}.",
            hint="Set table to the table of the measures the words mean, or leave it out.",
        )
    catalog = _catalog(data.get("tables", []), source)
    return SemanticModel(
        name=str(data.get("name", Path(source).stem)),
        metrics=metrics,
        dimensions=dimensions,
        joins=joins,
        named_filters=named_filters,
        value_aliases=aliases,
        dataset=data.get("dataset"),
        filler=frozenset(str(w).lower() for w in data.get("filler", [])),
        reader=reader,
        funnel=funnel,
        moments=moments,
        derived=derived,
        filter_descriptions={
            str(k): str(v["description"])
            for k, v in data.get("filters", {}).items()
            if isinstance(v, dict) and "description" in v
        },
        phrases=phrases,
        table_phrases=table_phrases,
        catalog=catalog,
    )


def _check_metrics(
    source: str, metrics: Mapping[str, Metric], dimensions: Mapping[str, Dimension]
) -> None:
    """Each metric's references and settings, checked when the model loads."""
    for metric in metrics.values():
        if metric.entity is not None and metric.entity not in dimensions:
            raise ConfigError(
                f"Metric {metric.name!r} in {source} counts an unknown dimension {metric.entity!r}."
            )
        if metric.better not in _BETTER:
            raise ConfigError(
                f"Metric {metric.name!r} in {source} has better = {metric.better!r}.",
                hint='better says which way is better: "higher" (the default) or "lower".',
            )
        unknown_which = [d for d in metric.ask_which if d not in dimensions]
        if unknown_which:
            raise ConfigError(
                f"Metric {metric.name!r} in {source} has ask_which naming an unknown "
                f"dimension {unknown_which[0]!r}.",
                hint="ask_which lists dimensions by their name; delete the line once the "
                "metric's filters say which rows count.",
            )


def _words_of(raw: Any, what: str, source: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{what} in {source} must be a table of column = [words].")
    return {str(k): _as_tuple([v] if isinstance(v, str) else v) for k, v in raw.items()}


def _catalog(raw: Any, source: str) -> dict[str, Table]:
    """The ``[[tables]]`` entries; every column they name is one they list."""
    hint = 'Each [[tables]] entry needs a name; columns.<column> = ["words", ...].'
    if not isinstance(raw, list):
        raise ConfigError(f"[[tables]] in {source} must be a list of tables.", hint=hint)
    catalog: dict[str, Table] = {}
    for entry in raw:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise ConfigError(f"A [[tables]] entry in {source} has no name.", hint=hint)
        name = entry["name"]
        what = f"Table {name!r}"
        table = Table(
            name=name,
            words=_as_tuple(entry.get("words")),
            key=entry.get("key"),
            title=entry.get("title"),
            columns=_words_of(entry.get("columns", {}), f"{what} columns", source),
            highest=_words_of(entry.get("highest", {}), f"{what} highest", source),
            lowest=_words_of(entry.get("lowest", {}), f"{what} lowest", source),
            shown=_as_tuple(entry.get("shown")),
        )
        named = [table.key, table.title, *table.highest, *table.lowest, *table.shown]
        unknown = sorted({c for c in named if c is not None and c not in table.columns})
        if unknown:
            raise ConfigError(
                f"{what} in {source} names columns it does not list: {', '.join(unknown)}.",
                hint="List every column under columns.<column> = [words].",
            )
        catalog[name] = table
    return catalog


@cache
def load_model(path: Path = BUILTIN_MODEL) -> SemanticModel:
    """Load (and cache) a model file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"The semantic model file {str(path)!r} does not exist.",
            hint="Set LGDA_PLANNER__MODEL_FILE to an existing TOML file, or unset it.",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"The semantic model file {str(path)!r} is not valid TOML: {exc}.",
            hint="Fix the file; README's 'Semantic model files' shows the format.",
        ) from None
    return parse_model(data, source=str(path))


def _phrases(
    source: str, data: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """``[[synonyms]]`` and ``[[segments]]``: each a ``phrase`` (or ``phrases``) and what
    it ``means``, in words the reader already knows; those with a ``table`` apart, by
    table (read only in a question about that table's rows)."""
    phrases: dict[str, str] = {}
    by_table: dict[str, dict[str, str]] = {}
    for section in ("synonyms", "segments"):
        for number, entry in enumerate(data.get(section, []), start=1):
            said = entry.get("phrases", [entry.get("phrase")]) if isinstance(entry, dict) else []
            means = entry.get("means") if isinstance(entry, dict) else None
            if not isinstance(means, str) or not means.strip() or not said:
                raise ConfigError(
                    f"[[{section}]] entry {number} in {source} needs a phrase and what it means.",
                    hint='Write e.g. phrase = "big spenders" and '
                    'means = "customers who spent over $1000".',
                )
            for phrase in said:
                if not isinstance(phrase, str) or not phrase.strip():
                    raise ConfigError(
                        f"[[{section}]] entry {number} in {source} has an empty phrase.",
                        hint="Each phrase is the words people type, e.g. 'big spenders'.",
                    )
                table = entry.get("table")
                meant = by_table.setdefault(str(table), {}) if table else phrases
                meant[normalize(phrase)] = normalize(means)
    return phrases, by_table
