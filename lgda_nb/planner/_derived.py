"""Derived tables: one row per key, computed from another table (``[[derived]]``).

An entity's first event is the minimum of its time column per entity key: "a
customer's first order" is ``MIN(orders.created_at)`` per ``orders.user_id``. A model
names such a table once; its columns are then ordinary ``table.column`` names that
metrics, dimensions and moments use. The compiler puts each derived table the query
reads into a ``WITH`` clause and joins it with a LEFT JOIN, since an entity may have
no rows there (a user who never ordered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import ConfigError

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.planner._model import Join, Metric, SemanticModel
    from lgda_nb.planner._plan import Plan

#: Units a "within N units of" window can be counted in.
_WITHIN_UNITS = ("MINUTE", "HOUR", "DAY", "WEEK")


@dataclass(frozen=True)
class Derived:
    """``SELECT key, columns FROM table WHERE filters GROUP BY key``, named ``name``."""

    name: str
    table: str
    #: The column of ``table`` each row is keyed by (a customer's id on orders).
    key: str
    #: Output column -> aggregate over ``table`` (``first_at = "MIN(orders.created_at)"``).
    columns: Mapping[str, str]
    #: Named filters of the model (or SQL) on ``table``'s rows.
    filters: tuple[str, ...] = ()
    #: ``[table, column]`` pairs whose column holds this table's key: joined from there.
    joined_from: tuple[tuple[str, str], ...] = ()
    #: What a row is, in words, for the interpretation ("a customer's first order is ...").
    description: str = ""


def parse_derived(data: Mapping[str, Any], source: str) -> dict[str, Derived]:
    """The ``[[derived]]`` entries of a parsed model file."""
    found: dict[str, Derived] = {}
    try:
        for raw in data.get("derived", []):
            name = str(raw["name"])
            found[name] = Derived(
                name=name,
                table=str(raw["table"]),
                key=str(raw["key"]),
                columns={str(k): str(v) for k, v in raw["columns"].items()},
                filters=tuple(str(f) for f in raw.get("filters", [])),
                joined_from=tuple((str(t), str(c)) for t, c in raw.get("joined_from", [])),
                description=str(raw.get("description", "")),
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"A [[derived]] entry in {source} is malformed: missing or invalid {exc}.",
            hint='Each derived table needs name, table, key and columns = { name = "SQL" }.',
        ) from exc
    return found


def derived_joins(derived: Mapping[str, Derived]) -> tuple[Join, ...]:
    """Many-to-one joins into each derived table, from the tables that hold its key."""
    from lgda_nb.planner._model import Join

    return tuple(
        Join(table, column, d.name, d.key)
        for d in derived.values()
        for table, column in d.joined_from
    )


def derived_columns(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Each derived table's columns (lower-cased name -> name), for checking a model file."""
    return {
        str(raw.get("name", "")).lower(): {
            c.lower(): c for c in [str(raw.get("key", "")), *map(str, raw.get("columns", {}))]
        }
        for raw in data.get("derived", [])
        if isinstance(raw, Mapping)
    }


def with_derived(tree: exp.Query, model: SemanticModel) -> exp.Query:
    """``tree`` with a common table expression for each derived table it reads, each
    before the tables that read it."""
    from sqlglot import exp

    if not model.derived:
        return tree
    order: list[str] = []

    def visit(node: exp.Expr) -> None:
        for table in node.find_all(exp.Table):
            name = table.name.lower()
            if name in model.derived and name not in order:
                visit(_definition(model.derived[name], model))
                order.append(name)

    visit(tree)
    if not order:
        return tree
    ctes = [
        exp.CTE(this=_definition(model.derived[name], model), alias=exp.TableAlias(
            this=exp.to_identifier(name)))
        for name in order
    ]  # fmt: skip
    existing = tree.args.get("with_")
    if existing is None:
        tree.set("with_", exp.With(expressions=ctes))
    else:
        existing.set("expressions", [*ctes, *existing.expressions])
    return tree


def _definition(derived: Derived, model: SemanticModel) -> exp.Select:
    """The derived table's query, joined to the tables its columns and filters read."""
    from sqlglot import exp

    from lgda_nb.planner._compile import _from, _joins, _parse, _tables

    key = exp.column(derived.key, table=derived.table)
    select: list[exp.Expr] = [exp.alias_(key, derived.key, copy=False)]
    needed: set[str] = set()
    for name, sql in derived.columns.items():
        node = _parse(sql)
        needed |= _tables(node)
        select.append(exp.alias_(node, name, copy=False))
    conditions = [_parse(model.filter_sql(f)) for f in derived.filters]
    for condition in conditions:
        needed |= _tables(condition)
    query = exp.select(*select, copy=False).from_(_from(derived.table), copy=False)
    for join in _joins(model, derived.table, needed):
        query = query.join(join, copy=False)
    if conditions:
        query = query.where(exp.and_(*conditions, copy=False), copy=False)
    return query.group_by(exp.Literal.number(1), copy=False)


def within_metric(  # noqa: PLR0917 - the parts of the composed name
    model: SemanticModel, share: bool, n: str, unit: str, start: str, end: str
) -> Metric:
    """``within[_pct]:<n>:<unit>:<from>:<to>``: the rows (users) whose moment ``to``
    (their first order) came at most ``n`` whole units (``TIMESTAMP_DIFF``) after their
    moment ``from`` (signup), counted or as a % of all rows; rows without the later
    moment count as not."""
    from lgda_nb.planner._model import Metric

    first, last = model.moments[start], model.moments[end]
    tables = [t for t in first.columns if t in last.columns]
    if unit not in _WITHIN_UNITS or not n.isdigit() or int(n) < 1 or not tables:
        raise KeyError(f"within:{n}:{unit}:{start}:{end}")
    table = tables[0]
    since, then = first.columns[table], last.columns[table]
    # Whole units, as durations count them: 30 days and 5 hours is "within 30 days".
    inside = f"TIMESTAMP_DIFF({then}, {since}, {unit}) BETWEEN 0 AND {int(n)}"
    counted = f"COUNTIF({inside})"
    rows = next(
        (m.label for m in model.metrics.values()
         if m.table == table and m.unit == "count" and not m.filters),
        table.capitalize(),
    )  # fmt: skip
    span = f"{last.label} within {int(n)} {unit.lower()}{'s' * (int(n) != 1)} of {first.label}"
    time = next((m.time for m in model.metrics.values() if m.table == table and m.time), None)
    return Metric(
        name=f"{'pct_' * share}{rows.lower().replace(' ', '_')}_{last.name}_within_{n}_"
        f"{unit.lower()}s",
        label=f"% of {rows.lower()} with a {span}" if share else f"{rows} with a {span}",
        expression=f"{counted} / COUNT({since}) * 100" if share else counted,
        table=table,
        time=time,
        unit="percent" if share else "count",
        additive=not share,
    )


def derived_clauses(plan: Plan, model: SemanticModel) -> list[str]:
    """What each derived table the plan reads means ("a customer's first order is their
    earliest order of any status"), for the interpretation sentence."""
    from lgda_nb.planner._compile import effective_metric
    from lgda_nb.planner._model import tables_in

    if not model.derived or plan.sql is not None or not plan.metrics or plan.funnel:
        return []
    base = effective_metric(plan, model).table
    texts = [model.metric(m).expression for m in plan.metrics]
    texts += [model.metric(c.metric).expression for c in plan.conditions]
    texts += [model.dimensions[d].sql_for(base) for d in plan.dimensions]
    texts += [model.dimensions[f.dimension].sql_for(base) for f in plan.filters]
    texts += [plan.time_column or ""]
    pending = [t for text in texts for t in sorted(tables_in(text)) if t in model.derived]
    pending += [base] if base in model.derived else []
    read: list[str] = []
    while pending:
        name = pending.pop(0)
        if name in read:
            continue
        read.append(name)
        derived = model.derived[name]
        inside = [*derived.columns.values(), *(model.filter_sql(f) for f in derived.filters)]
        pending += [t for text in inside for t in sorted(tables_in(text)) if t in model.derived]
    # A table read by another is explained first ("first order" before "ordered again").
    return [
        model.derived[name].description
        for name in reversed(read)
        if model.derived[name].description
    ]
