"""Whether a moment of each row has a date: "orders with no ship date", "order items
that have a delivery date", "where shipped_at is null", "sold_at is not null".

Each check is cut out of the question, the rest is read as usual, and the check becomes
a rule of the plan on the measured table's column for that moment (``dated:`` or
``undated:`` it). The moments, their words and their columns come from the model
(``[[moments]]``), so a check names a column by its own name, with or without its table
("order_items.shipped_at"), or by a moment's word and "date" ("ship date", "return
date"). A check followed by a period ("with a delivery date in 2025") dates the rows as
well as testing them, and is not cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel

#: States of a column that mean no date, and that mean a date.
_EMPTY = ("null", "empty", "missing", "blank", "unset")
_FILLED = ("not null", "set", "filled in", "filled", "populated", "present", "recorded")
#: Words that start the clause of a check; cut with it.
_LEADS = (
    r"where|with|whose|having|that\s+(?:have|has|had)|which\s+(?:have|has|had)|"
    r"who\s+(?:have|has)|have|has|had|and|but|or"
)
#: What follows a named date when it dates the rows too ("with a delivery date in 2025").
_DATING = (
    r"in|during|on|before|after|between|since|from|of|by|within|later|earlier|over|under|"
    r"more|less|at|to|this|last"
)


@dataclass(frozen=True)
class DateCheck:
    """One check said in a question: the moment (or the moments a column name fits),
    the table the question named with the column (else ``None``), and whether the row
    must have a date (``dated``) or must not."""

    moments: tuple[str, ...]
    table: str | None
    dated: bool
    said: str


def cut_date_checks(model: SemanticModel, question: str) -> tuple[str, list[DateCheck]]:
    """``question`` with every date check cut out, and the checks in the order said;
    the question unchanged and no checks when it says none."""
    patterns, names = _pattern(model)
    checks: list[DateCheck] = []

    def cut(match: re.Match[str]) -> str:
        said = match["col"].lower()
        moments, table = names[said]
        if "state" in match.re.groupindex:
            state = match["state"].lower()
            dated = (state in _FILLED) != bool(match["neg"])
        else:
            article = re.sub(r"\s+", " ", match["article"].lower())
            dated = article in ("a", "an", "a non-null", "an non-null", "non-null", "a non-empty")
            if dated and not (match["lead"] and match["dating"] is None):
                # "a ship date" alone names a date, not a test of one; "with a delivery
                # date in 2025" dates the rows too
                return match[0]
        checks.append(DateCheck(moments, table, dated, match[0].strip()))
        lead = (match["lead"] or "").strip().lower()
        if match["then"] and lead in ("where", "whose"):
            return " where "  # "where shipped_at is null and status = ...": keep "where"
        dating = match["dating"] if "dating" in match.re.groupindex else None
        return " and " if match["then"] else f" {dating or ''} "

    rest = question
    for pattern in patterns:
        rest = pattern.sub(cut, rest)
    if not checks:
        return question, []
    rest = re.sub(r"\(\s*\)", "", rest)  # "how many units are unsold (sold_at is null)?"
    rest = re.sub(r"\b(?:where|and)\s*(?=[?.!]|$)", "", re.sub(r"\s{2,}", " ", rest).strip())
    rest = re.sub(r"\s+([?.,;:!])", r"\1", re.sub(r"\s{2,}", " ", rest)).strip()
    return rest, checks


_Names = dict[str, tuple[tuple[str, ...], str | None]]
_Patterns = tuple[re.Pattern[str], ...]
_CACHE: dict[int, tuple[SemanticModel, _Patterns, _Names]] = {}


def _pattern(model: SemanticModel) -> tuple[_Patterns, _Names]:
    """The pattern of a check in ``model``'s words, and what each column phrase names:
    its moments and the table said with it (built once per model)."""
    cached = _CACHE.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1], cached[2]
    pattern, names = _build(model)
    _CACHE[id(model)] = (model, pattern, names)
    return pattern, names


def _build(model: SemanticModel) -> tuple[_Patterns, _Names]:
    """A check said as a state of the column ("shipped_at is null", "the ship date is
    missing"), and one said as an article before it ("no ship date", "with a delivery
    date")."""
    names: _Names = {}

    def add(phrase: str, moment: str, table: str | None) -> None:
        moments, said = names.get(phrase, ((), table))
        if moment not in moments:
            names[phrase] = ((*moments, moment), said)

    for moment in model.moments.values():
        for table, column in moment.columns.items():
            bare = column.split(".", 1)[1]
            if table != column.split(".", 1)[0]:
                continue  # a column of a derived table: no name a question uses
            add(column, moment.name, table)
            add(bare, moment.name, None)
            if bare.endswith("_at"):
                add(f"{bare[:-3]} at", moment.name, None)
        for word in moment.words:
            for noun in ("date", "timestamp", "datetime"):
                add(f"{word} {noun}", moment.name, None)
    if not names:
        return (), names
    column = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    empty = "|".join(sorted((*_EMPTY, *_FILLED), key=len, reverse=True))
    lead = rf"(?P<lead>\b(?:{_LEADS})\s+)?"
    named = rf"(?<![\w.])(?P<col>{column})(?![\w.])"
    then = r"(?P<then>\s+and\b)?"
    stated = (
        rf"{lead}(?:(?:the|its|their)\s+)?{named}\s+(?:(?:is|are|was|were|=)\s+)?"
        rf"(?P<neg>not\s+)?(?P<state>{empty})(?:\s+yet)?\b{then}"
    )
    article = (
        r"(?P<article>no|without(?:\s+an?|\s+any)?|missing(?:\s+an?|\s+the|\s+its|\s+their)?|"
        r"lacking(?:\s+an?)?|an?\s+(?:missing|empty|blank|null)|an?\s+non-(?:null|empty)|"
        r"non-null|null|empty|an?)"
    )
    # "no ship date recorded", "no ship date on record yet": the date is there or not
    recorded = r"(?:\s+(?:recorded|on\s+record|set|filled\s+in|entered|logged))?"
    before = (
        rf"{lead}{article}\s+{named}{recorded}(?:\s+yet)?\b(?P<dating>\s+(?:{_DATING})\b)?{then}"
    )
    # the article first: "no ship date recorded" is one check, not "ship date recorded"
    return (re.compile(before, re.IGNORECASE), re.compile(stated, re.IGNORECASE)), names


def check_column(model: SemanticModel, check: DateCheck, measured: str) -> str | None:
    """The column a check tests for a measure of ``measured`` rows: the moment's column
    on that table, or on the table the question named with the column when the measured
    rows reach it. ``None`` when there is none, or more than one moment fits."""
    tables = [check.table] if check.table else [measured]
    found = {
        model.moments[name].columns[table]
        for name in check.moments
        for table in tables
        if table in model.moments[name].columns and model.reaches(measured, table)
    }
    return found.pop() if len(found) == 1 else None
