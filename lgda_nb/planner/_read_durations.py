"""Conditions on the time between two moments of each row: "parcels that took more than 3
days to ship", "took more than 4 days to arrive after they shipped", "delivered within 3
days of being placed", "more than 5 days from being placed to being delivered".

Each is read as a condition on a duration measure (``duration:<UNIT>:max:<from>:<to>``)
of each thing counted, so the reader's conditions machinery applies it to the word before
("parcels"). A row without one of the moments has no duration and does not pass. The
moments and their words come from the model (``[[moments]]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgda_nb.planner._plan import Filter

if TYPE_CHECKING:
    from lgda_nb.planner._model import SemanticModel

_NUMBER = r"(?P<n>\d+(?:\.\d+)?)"
_UNIT = r"(?P<unit>minutes?|hours?|days?|weeks?)"
_OPS = {
    "more than": ">", "over": ">", "longer than": ">", "greater than": ">",
    "less than": "<", "under": "<", "fewer than": "<", "shorter than": "<",
    "at least": ">=", "no less than": ">=", "at most": "<=", "no more than": "<=",
    "up to": "<=", "within": "<=", "or more": ">=", "or longer": ">=", "or over": ">=",
    "or less": "<=", "or fewer": "<=", "or under": "<=",
}  # fmt: skip
_BEFORE = "|".join(sorted((k for k in _OPS if not k.startswith("or ")), key=len, reverse=True))
_AFTER = "|".join(k for k in _OPS if k.startswith("or "))
#: An amount of time compared: "more than 4 days", "3 days or less", "within 2 days".
_AMOUNT = (
    rf"(?:(?P<op>{_BEFORE})\s+{_NUMBER}\s+{_UNIT}"
    rf"|(?P<n2>\d+(?:\.\d+)?)\s+(?P<unit2>minutes?|hours?|days?|weeks?)\s+(?P<op2>{_AFTER}))"
)
_WORD = r"[a-z][\w'-]*"
#: "took more than 4 days to arrive after they shipped", "shipped within 2 days of being
#: placed", "took over 5 days from being placed to being delivered".
_CONDITION = re.compile(
    rf"\b(?:(?P<verb>{_WORD})\s+)?(?:(?:that|which|who)\s+)?"
    rf"(?:(?:took|take|takes|taking|needed|need|needs|spent|were|was|got|get|gets)\s+)?"
    rf"(?:in\s+(?=(?:under|less|more|over|fewer)\b))?{_AMOUNT}"
    rf"(?P<rest>(?:\s+{_WORD}){{0,8}})"
)
#: "3 or more days", said the other way round.
_AMOUNT_FIRST = re.compile(rf"\b(\d+(?:\.\d+)?)\s+({_AFTER})\s+(minutes?|hours?|days?|weeks?)\b")
#: "took" after the word before the amount: the time is said to be taken, so that word
#: names the rows, not the moment the time runs to.
_TOOK = re.compile(r"\s+(?:(?:that|which|who)\s+)?(?:took|take|takes|taking|needed|needs)\b")
#: Words that may sit between the amount and the moments.
_FILLER = frozenset(
    "a an the it its they them their he she being be been was were is are get got gets "
    "to from after once of since before until till and between until by for".split()
)


@dataclass(frozen=True)
class DurationCondition:
    """A condition on a duration, as read: its measure, operator and amount, where it
    was cut out of the text, and its words."""

    metric: str
    op: str
    values: tuple[int | float, ...]
    start: int
    text: str


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def cut_duration_conditions(
    text: str,
    moments_of: Callable[[str], Sequence[str]],
    pair: Callable[[Sequence[str], Sequence[str]], tuple[str, str] | None],
    default_start: Callable[[str], str | None],
) -> tuple[list[DurationCondition], str]:
    """Conditions on a duration in ``text``, cut out. ``moments_of`` names the moments a
    word says, ``pair`` picks the one pair of moments a table records, ``default_start``
    gives the moment a row starts with ("took 3 days to ship": from being placed)."""
    found: list[DurationCondition] = []
    start = 0
    text = _AMOUNT_FIRST.sub(r"\1 \3 \2", text)  # "3 or more days": "3 days or more"
    while match := _CONDITION.search(text, start):
        read = _read(match, moments_of, pair, default_start)
        if read is None:
            start = match.start("n") if match.group("n") else match.start("n2")
            start = max(start, match.start() + 1)
            continue
        metric, op, value, begin, end = read
        found.append(DurationCondition(metric, op, (value,), begin, text[begin:end].strip()))
        text = (text[:begin] + " " + text[end:]).strip()
        start = begin
    return found, text


def _read(
    match: re.Match[str],
    moments_of: Callable[[str], Sequence[str]],
    pair: Callable[[Sequence[str], Sequence[str]], tuple[str, str] | None],
    default_start: Callable[[str], str | None],
) -> tuple[str, str, int | float, int, int] | None:
    """The measure, operator, amount and span of one condition, or ``None``."""
    op = _OPS[" ".join((match.group("op") or match.group("op2")).split())]
    value = _number(match.group("n") or match.group("n2"))
    unit = (match.group("unit") or match.group("unit2")).rstrip("s").upper()
    if unit == "WEEK":  # "more than a week" is more than 7 days, not 2 whole weeks
        unit, value = "DAY", value * 7
    verb = match.group("verb") or ""
    verb_moments = list(moments_of(verb)) if verb else []
    if verb_moments and _TOOK.match(match.group(0), len(verb)):
        verb_moments = []  # "orders placed ... took 2 days to ship": placed names the rows
    end = match.end("op2") if match.group("op2") else match.end("unit")
    from_moments, to_moments, after = _moments_after(match, moments_of)
    end = max(end, after)
    if verb_moments and (to_moments or (not from_moments and not _from_first(match, after))):
        return None  # "shipped ... to arrive": two ends; "ordered 30 days ago": no start
    last = to_moments or verb_moments
    first = default_start(last[0]) if last and not from_moments else None
    chosen = pair(from_moments or ([first] if first else []), last)
    if chosen is None:
        return None
    begin = match.start("verb") if verb_moments else _took_start(match)
    return f"duration:{unit}:max:{chosen[0]}:{chosen[1]}", op, value, begin, end


#: Words after an amount that make it a time ago, not a time taken.
_AGO = re.compile(r"\s*(?:ago|back|before|earlier|prior|previously)\b")


def _from_first(match: re.Match[str], after: int) -> bool:
    """Whether a moment verb with an amount and no moment it runs from ("delivered
    within 5 days", "shipped in under 2 days") is the time since the row's first
    moment, as "took 5 days to be delivered" is: not when the amount is a time ago
    ("ordered more than 30 days ago") or other moments follow it."""
    end = match.end("op2") if match.group("op2") else match.end("unit")
    return not after and not _AGO.match(match.string, end)


def _moments_after(
    match: re.Match[str], moments_of: Callable[[str], Sequence[str]]
) -> tuple[list[str], list[str], int]:
    """The moments named after the amount ("to arrive after they shipped", "of being
    placed"): where the time runs from, to, and where they end (0 when none)."""
    from_moments: list[str] = []
    to_moments: list[str] = []
    side, end = "to", 0
    for word in re.finditer(_WORD, match.group("rest")):
        w = word.group(0)
        said = list(moments_of(w))
        if w in {"after", "since", "of", "from", "once"}:
            side = "from"
        elif w in {"to", "until", "till", "and"} and from_moments:
            side = "to"
        if not said:
            if w not in _FILLER:
                break
            continue
        if side == "from" and not from_moments:
            from_moments = said
        elif side == "to" and not to_moments:
            to_moments = said
        else:
            break
        end = match.start("rest") + word.end()
    return from_moments, to_moments, end


def _took_start(match: re.Match[str]) -> int:
    """Where a condition without a moment verb starts: at "took", "that took", or the
    amount."""
    whole = match.group(0)
    took = re.search(
        r"\b(?:(?:that|which|who)\s+)?(?:took|take|takes|taking|needed|need|needs|spent|"
        r"were|was|got|get|gets)\s+(?=" + (match.group("op") or match.group("n2")) + ")",
        whole,
    )
    if took is not None:
        return match.start() + took.start()
    return match.start("op") if match.group("op") else match.start("n2")


def rule_as_filter(model: SemanticModel, name: str, table: str) -> Filter | None:
    """The model's rule ``name`` as a filter on a breakdown of ``table`` when it is one
    ("status not in Cancelled, Returned"), so that a statistic over the rows a count
    names ("median sale price of items sold") keeps the count's rule; else ``None``."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(model.filter_sql(name), read="bigquery")
    except sqlglot.errors.ParseError:
        return None
    negate = isinstance(tree, exp.Not)
    test = tree.this if negate else tree
    if isinstance(test, exp.Paren):
        test = test.this
    if not isinstance(test, exp.In) or not isinstance(test.this, exp.Column):
        return None
    values = [v for v in test.expressions if isinstance(v, exp.Literal) and v.is_string]
    if len(values) != len(test.expressions):
        return None
    column = test.this.sql(dialect="bigquery")
    for dimension in model.dimensions.values():
        if dimension.values and dimension.sql_for(table) == column:
            return Filter(dimension.name, tuple(v.this for v in values), negate=negate)
    return None


_STATISTIC = r"(?:min|minimum|max|maximum|average|avg|mean|median|highest|lowest|smallest|largest)"
#: "min, max and average retail price": several statistics of one number.
_STATISTICS = re.compile(
    rf"\b(?P<aggs>{_STATISTIC}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*/\s*){_STATISTIC})+)\s+"
    r"(?P<rest>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2})"
)


def spread_statistics(
    text: str,
    is_number: Callable[[Sequence[str]], bool],
    is_measure: Callable[[Sequence[str]], bool],
) -> str:
    """ "min, max and average retail price" as "min retail price and max retail price and
    average retail price" when one of them is a measure of its own ("average retail
    price"), which would otherwise hide the number from the statistics before it."""
    for found in _STATISTICS.finditer(text):
        aggs = re.findall(_STATISTIC, found.group("aggs"))
        words = found.group("rest").split()
        for k in range(len(words), 0, -1):
            number = words[:k]
            if is_number(number) and any(is_measure([a, *number]) for a in aggs):
                spread = " and ".join(f"{a} {' '.join(number)}" for a in aggs)
                end = found.start("rest") + len(" ".join(number))
                return text[: found.start()] + spread + text[end:]
    return text


#: "Of the orders that have been delivered, what % ...": the rows named first, then the
#: share asked of them.
_ROWS_FIRST = re.compile(
    r"^(?P<lead>(?:.*?(?:\b(?:of|among|out of|for)\s+|,\s*))?)(?P<rows>[^,;?]+?)\s*,\s*"
    r"(?P<ask>what(?:'s|\s+is|\s+was)?\s+(?:the\s+)?"
    r"(?:percentage|percent|pct|%|share|proportion|fraction))"
    r"(?:\s+of\s+(?:them|those|these))?(?![\w%])"
)


def rows_first(text: str) -> str:
    """``text`` with rows named before the share asked of them moved after it: "of the
    orders placed in 2025, what % arrived ..." reads "what % of the orders placed in 2025
    arrived ...", so the condition that follows applies to those rows."""
    match = _ROWS_FIRST.match(text)
    if match is None:
        return text
    lead = re.sub(r"\b(?:of|among|out of|for)\s+$", "", match["lead"])
    return f"{lead}{match['ask']} of {match['rows']} {text[match.end() :].lstrip()}"


#: Past participles that do not end in "ed" ("sold inventory items", "units that sold").
_IRREGULAR_PAST = frozenset(
    "sold bought made sent paid built held kept left lost spent taken given done won".split()
)


def cut_measured_rows(text: str, before: int, words: Sequence[str]) -> tuple[bool, str]:
    """Whether the rows a share is of are restated, before ``before``, as those that
    reached the moment ``words`` name ("orders that have been delivered", "delivered
    orders", "orders with a delivery date", "orders shipped to Spain"), and ``text``
    without the restatement."""
    said = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    past = "|".join(re.escape(w) for w in words if w.endswith("ed") or w in _IRREGULAR_PAST)
    patterns = [
        rf"\s+(?:that|which)\s+(?:have|has|had)\s+(?:already\s+)?been\s+(?:{said})\b",
        rf"\s+(?:that|which)\s+(?:were|was|got)\s+(?:{said})\b",
        rf"\s+(?:that|which)\s+(?:have|has|had)\s+(?:an?\s+)?(?:{said})\s+(?:date|time)\b",
        rf"\s+with\s+(?:an?\s+)?(?:{said})\s+(?:date|time)\b",
    ]
    if past:
        # "orders that have shipped", "orders that shipped", "orders shipped to Spain"
        patterns.append(rf"\s+(?:that|which)\s+(?:have|has|had)\s+(?:already\s+)?(?:{past})\b")
        patterns.append(
            rf"\s+(?:that|which)\s+(?:{past})\b(?!\s*\))"
        )  # not "(orders that shipped)"
        patterns.append(rf"(?<=[a-z])\s+(?:{past})(?=\s+to\b)")
        patterns.append(
            rf"(?:(?<=\bof)|(?<=\bthe)|(?<=\bamong)|(?<=\ball)|(?<=\bfor)|(?<=\bdid)|(?<=\bdo)|"
            rf"(?<=\bdoes))\s+(?:{past})(?=\s+[a-z]+)"
        )
        # "average delivery time in days, delivered orders": the rows, ending the question
        patterns.append(rf"(?<=,)\s*(?:{past})(?=\s+[a-z]+\s*(?:[.?!]\s*)?$)")
        # "all orders ever shipped"
        patterns.append(rf"(?<=[a-z])\s+(?:ever|already)\s+(?:{past})\b")
        if before == len(text):
            # "average delivery time by country for orders delivered": ending the question
            # (after the rows' plural noun, not a value: "with status Shipped")
            patterns.append(
                rf"(?<=[a-z]s)(?<!status)(?<!\bis)(?<!\bwas)(?<!\bhas)\s+(?:{past})"
                r"\s*(?=(?:[.?!]\s*)?$)"
            )
    for pattern in patterns:
        match = re.search(pattern, text[:before])
        if match is not None:
            return True, text[: match.start()] + text[match.end() :]
    return False, text
