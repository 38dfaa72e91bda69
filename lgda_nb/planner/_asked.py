"""Measures whose rows the model leaves open (``ask_which``): the question must say.

A model written by ``lgda model init`` cannot know whether a refunded payment's amount or
a cancelled booking's fee counts in a total; that is a definition the team makes. So
such a measure carries ``ask_which`` (the status dimensions), and a question about it is
answered only when it settles them: it names values ("settled payments"), groups by the
dimension ("by payment status"), or asks for every value ("regardless of status", "all
payments"). Otherwise it is refused, saying how to ask and how to edit the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lgda_nb.errors import PlanningError
from lgda_nb.planner._model import SemanticModel
from lgda_nb.planner._plan import Condition, Filter
from lgda_nb.planner._text import EVERY_VALUE_LEADS


def check_asked(
    model: SemanticModel,
    text: str,
    *,
    metrics: Sequence[str],
    dimensions: Sequence[str],
    filters: Sequence[Filter],
    conditions: Sequence[Condition],
    every: Iterable[str],
) -> None:
    """Raise ``PlanningError`` when a measure's ``ask_which`` is left open by the question.

    ``every`` are the dimensions the question asked every value of; ``text`` is the
    question as read (lower case).
    """
    names = [*metrics, *(c.metric for c in conditions)]
    settled = {*dimensions, *every}
    for name in dict.fromkeys(names):
        metric = model.metrics.get(name)
        if metric is None or not metric.ask_which:
            continue
        own = {f.dimension for f in filters} | settled
        columns = {model.dimensions[d].sql_for(metric.table) for d in own if d in model.dimensions}
        rules = " ".join(model.filter_sql(rule) for rule in metric.filters)
        open_ = [
            d
            for d in metric.ask_which
            if d not in own
            and model.dimensions[d].sql_for(metric.table) not in columns
            and model.dimensions[d].sql_for(metric.table) not in rules
        ]
        if not open_ or _all_rows(model, metric.table, text):
            continue
        open_ = [d for d in open_ if not _every_value(model, d, text)]
        if not open_:
            continue
        dimension = model.dimensions[open_[0]]
        label = dimension.label.lower()
        rows = row_words(model, metric.table)[-1]
        raise PlanningError(
            f"{metric.label} would count {rows} of every {label}, but the model does not "
            f"say which {label} values count toward it, and a guess would be a number you "
            "cannot check.",
            hint=f"Name them ('{metric.label.lower()} of <value> {rows}'), group by "
            f"{label}, or say 'regardless of {label}'; or give the metric filters in the "
            "model file and delete its ask_which line.",
        )


def row_words(model: SemanticModel, table: str) -> tuple[str, ...]:
    """The words for the rows of ``table`` (the catalog's, else the table's name)."""
    entry = model.catalog.get(table)
    if entry is not None and entry.words:
        return entry.words
    return (table.replace("_", " "),)


def _every_value(model: SemanticModel, name: str, text: str) -> bool:
    """ "regardless of state", "whatever their status", "all statuses": the question asks
    for every value of dimension ``name``."""
    dimension = model.dimensions[name]
    words = {dimension.label.lower(), *(s.lower() for s in dimension.synonyms)}
    words |= {w.rsplit(" ", 1)[-1] for w in words}  # "payment status" -> "status"
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    pattern = rf"\b(?:{EVERY_VALUE_LEADS})\s+(?:the\s+|their\s+|its\s+)?(?:{names})(?:es|s)?\b"
    return re.search(pattern, text) is not None


def _all_rows(model: SemanticModel, table: str, text: str) -> bool:
    """ "all payments", "of all the payments": every row of the table, whatever its state."""
    words = "|".join(re.escape(w) for w in sorted(row_words(model, table), key=len, reverse=True))
    pattern = rf"\b(?:all|every)\s+(?:(?:of\s+)?the\s+|our\s+)?(?:{words})\b"
    return re.search(pattern, text) is not None
