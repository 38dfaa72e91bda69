"""Breakdowns named by their column's own name when several tables have that column.

A generated model gives "status" to no dimension when payments and members both have
one, so "payments by status" was not read. The bare name is read as the
dimension on the table of the question's measure, and only there: when that table has
no such column (or the question names no measure) the word stays unread and the
question is refused, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from lgda_nb.planner._model import Dimension, SemanticModel, tables_in


class _Mentioned(Protocol):
    """What a reader's mention carries (``_offline._Mention``)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...


M = TypeVar("M", bound=_Mentioned)


def _table_of(dimension: Dimension) -> str | None:
    """The table a dimension's column is on: its own, or the one its column names."""
    if dimension.table:
        return dimension.table
    tables = tables_in(dimension.column or "")
    return next(iter(tables)) if len(tables) == 1 else None


def bare_column_phrases(
    model: SemanticModel, known: Callable[[str], bool]
) -> dict[str, tuple[str, ...]]:
    """Column name (as words) -> the dimensions with values on a column of that name, for
    names that more than one dimension has and no phrase of the model says (``known``);
    and the last word of a column's name ("type" of ``event_type``) when no table has
    two columns ending in it, read only beside a measure of that table."""
    by_name: dict[str, list[str]] = {}
    by_last: dict[str, list[str]] = {}
    for dimension in model.dimensions.values():
        if not dimension.values or not dimension.column or not _table_of(dimension):
            continue
        column = dimension.column.rsplit(".", 1)[-1].replace("_", " ")
        by_name.setdefault(column, []).append(dimension.name)
        if " " in column:  # "events by type": the last word of "event type"
            by_last.setdefault(column.rsplit(" ", 1)[-1], []).append(dimension.name)
    bare = {
        phrase: tuple(names)
        for phrase, names in by_name.items()
        if len(names) > 1 and not known(phrase)
    }
    for word, names in by_last.items():
        tables = [_table_of(model.dimensions[name]) for name in names]
        if len(word) > 3 and len(set(tables)) == len(tables) and not known(word):
            bare.setdefault(word, tuple(names))  # one per table, or it names none
    return bare


def settle_bare(
    model: SemanticModel,
    mentions: Sequence[M],
    bare: Mapping[tuple[int, int], Sequence[str]],
) -> list[M]:
    """Keep, of each span read only as a bare column name, the one dimension on the table
    of the first measure mentioned; drop the span's mentions when there is none."""
    metrics = [m for m in mentions if m.kind == "metric"]
    table = model.metrics[metrics[0].name].table if metrics else None
    kept: list[M] = []
    for mention in mentions:
        span = (mention.start, mention.end)
        if span not in bare:
            kept.append(mention)
            continue
        on_table = [d for d in bare[span] if _table_of(model.dimensions[d]) == table]
        if len(on_table) == 1 and mention.name == on_table[0]:
            kept.append(mention)
    return kept
