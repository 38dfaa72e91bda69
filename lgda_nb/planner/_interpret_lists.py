"""The interpretation of a list of rows: which rows, in which order, how many, and the
columns shown ("The 5 products with the lowest retail price, category is Jeans: name,
brand and retail price")."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel
    from lgda_nb.planner._plan import Plan


def table_label(model: SemanticModel, name: str) -> str:
    """A row of ``name`` in words: the model's first word for it ("order item")."""
    table = model.catalog.get(name)
    return table.words[0] if table is not None and table.words else name.replace("_", " ")


def column_label(model: SemanticModel, column: str, rows: str) -> str:
    """A column in words: its first word in the model, after its table's word when it is a
    column of a joined table ("product name")."""
    table_name, _, name = column.partition(".")
    table = model.catalog.get(table_name)
    words = table.columns.get(name, ()) if table is not None else ()
    label = words[0] if words else name.replace("_", " ")
    if table_name != rows:
        own = table_label(model, table_name)
        label = label if label.startswith(own) else f"{own} {label}"
    return label


def _dated(model: SemanticModel, column: str) -> bool:
    return any(m.time == column for m in model.metrics.values()) or any(
        column in moment.columns.values() for moment in model.moments.values()
    )


def _ranked(model: SemanticModel, column: str) -> bool:
    """Whether ``column`` is a number or a date (ranked), not text (sorted A to Z)."""
    table = model.catalog.get(column.partition(".")[0])
    name = column.partition(".")[2]
    words = table is not None and (name in table.highest or name in table.lowest)
    numeric = any(
        d.numeric and column in (d.column, *d.columns.values()) for d in model.dimensions.values()
    )
    return words or numeric or _dated(model, column)


def list_interpretation(plan: Plan, model: SemanticModel) -> str:
    """One sentence: the rows, their filters and window, the order, the cap, the columns."""
    from lgda_nb.planner._compile_lists import LIST_CAP, row_metric
    from lgda_nb.planner._interpret import _join, condition_text, filter_text
    from lgda_nb.planner._text import plural as _plural

    assert plan.rows is not None
    one = table_label(model, plan.rows)
    shown = [column_label(model, c, plan.rows) for c in plan.columns]
    if plan.distinct:
        head = f"The distinct {_join([_plural(s) for s in shown])} of {_plural(one)}"
    elif plan.limit == 1:
        head = f"The {one}"
    elif plan.limit:
        head = f"The {plan.limit} {_plural(one)}"
    else:
        head = _plural(one)[:1].upper() + _plural(one)[1:]
    if plan.sort is not None and _ranked(model, plan.sort):
        dated = _dated(model, plan.sort)
        word = (
            ("latest" if dated else "highest")
            if plan.order == "desc"
            else ("earliest" if dated else "lowest")
        )
        head += f" with the {word} {column_label(model, plan.sort, plan.rows)}"
    elif plan.sort is not None:
        way = "Z to A" if plan.order == "desc" else "A to Z"
        head += f" sorted by {column_label(model, plan.sort, plan.rows)} {way}"
    clauses = [filter_text(model, f) for f in plan.filters]
    clauses += [condition_text(model, c) for c in plan.conditions]
    clauses += [model.filter_text(name) for name in plan.rules]
    if plan.time_window is not None:
        dated_by = plan.time_column or row_metric(model, plan.rows).time
        by = f" (by {column_label(model, dated_by, plan.rows)})" if dated_by else ""
        clauses.append(plan.time_window.label + by)
    table = model.catalog.get(plan.rows)
    keys = [c for c in (table.title, table.key) if c] if table is not None else []
    words = [
        column_label(model, f"{plan.rows}.{k}", plan.rows)
        for k in dict.fromkeys(keys)
        if f"{plan.rows}.{k}" != plan.sort
    ]
    if words and not plan.distinct:
        lead = "in order of" if plan.sort is None else "ties in order of"
        clauses.append(f"{lead} {' then '.join(words)}")
    if plan.distinct:
        clauses.append("in alphabetical order")
    if not plan.limit and not plan.distinct:
        clauses.append(f"at most {LIST_CAP} rows (no number was asked)")
    return ", ".join([head, *clauses]) + ": " + _join(shown)
