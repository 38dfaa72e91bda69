"""A driver's run-time error text reduced to what cannot carry row values.

A query that fails while it runs can quote the value it failed on: ``Could not convert
string 'Charlotte' to INT64``, ``ERROR(CONCAT('x', city))`` raising ``xCharlotte``, a
JSON or date parser echoing its input, an overflow printing its operands. Whatever
the message says reaches the error card, the audit file, the log and a model's repair
prompt. So the backends keep only the kind of error, where it happened (a position in
the query, a column name) and the query's own types; the values go.

It is an allow-list: each known shape becomes a fixed sentence with its names, text
that is a string literal of the query itself (``ERROR('negative total')``) stays,
and anything else is withheld with its kind. Compile-time errors (unknown names,
syntax) do not come here: they quote only the query, and the repair loop and the
"did you mean" hints need them whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Reduced", "driver_kind", "is_literal_of", "may_quote_values", "reduce_error"]

#: DuckDB's kind prefix (``Conversion Error: ``), also inside the emulator's messages
#: (``Query execution failed: Invalid Input Error: ...``, ``(DuckDB: Conversion Error: ...``).
_KIND = re.compile(r"(?P<kind>[A-Z][A-Za-z]*(?: [A-Za-z]+)* Error): ")
#: BigQuery's position of an error in the query: ``at [1:8]``.
_POSITION = re.compile(r"\s*\bat \[(?P<line>\d+):(?P<column>\d+)\]")
_OF_COLUMN = r"(?: when casting from source column (?P<column>\w+))?"
_TYPE = r"(?P<type>[A-Z][A-Z0-9_]*(?:\(\d+, ?\d+\))?)"
#: RE2's own error texts (``re2.cc``), the only part of a regex error kept.
_RE2_REASONS = (
    "missing )",
    "missing ]",
    "unexpected )",
    "trailing \\",
    "invalid escape sequence",
    "invalid character class range",
    "invalid character class",
    "no argument for repetition operator",
    "invalid repetition size",
    "bad repetition operator",
    "invalid perl operator",
    "invalid UTF-8",
    "invalid named capture group",
    "bad named capture group",
    "invalid nested repetition operator",
    "pattern too large - compile failed",
)

_CAST_HINT = (
    "SAFE_CAST(x AS type) gives NULL for values that do not convert; or filter them out first."
)
_PARSE_HINT = "SAFE.PARSE_DATE / SAFE.PARSE_TIMESTAMP give NULL for values that do not fit."
_WITHHELD_HINT = (
    "Check the casts and functions applied to column values; SAFE_ functions turn values "
    "they cannot take into NULL."
)


@dataclass(frozen=True)
class Reduced:
    """An error's data-free sentence, and what to do about it."""

    message: str
    hint: str
    #: True when the text could not be read and was withheld whole.
    withheld: bool = False


def _column(match: re.Match[str]) -> str:
    column = match.groupdict().get("column")
    return f" of column {column}" if column else ""


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str], str]
_RULES: tuple[_Rule, ...] = (
    (
        re.compile(
            rf"Could not convert string (?P<q>['\"])(?P<value>.*)(?P=q) to {_TYPE}{_OF_COLUMN}$",
            re.S,
        ),
        lambda m: f"Could not convert a value{_column(m)} to {m['type']}.",
        _CAST_HINT,
    ),
    (
        re.compile(
            r"invalid (?P<kind>date|timestamp|time|interval)\b.*?format: (?:\"(?P<value>.*)\", "
            rf"expected .*?)?{_OF_COLUMN}$",
            re.I | re.S,
        ),
        lambda m: f"Could not convert a value{_column(m)} to {m['kind'].upper()}.",
        _CAST_HINT,
    ),
    (
        re.compile(
            r"\bBad (?P<type>int64|double|float64|bool|numeric|bignumeric|date|datetime|"
            r"timestamp|time|bytes|interval|json|geography|uint64|int32) value",
            re.I,
        ),
        lambda m: f"Could not convert a value to {m['type'].upper()}.",
        _CAST_HINT,
    ),
    (
        re.compile(r"\bInvalid (?P<kind>date|datetime|timestamp|time|interval)\b", re.I),
        lambda m: f"Could not convert a value to {m['kind'].upper()}.",
        _CAST_HINT,
    ),
    (
        re.compile(
            r"^Unimplemented type for cast \((?P<a>[A-Z][A-Z ]*) -> (?P<b>[A-Z][A-Z ]*)\)"
            rf"{_OF_COLUMN}$"
        ),
        lambda m: (
            f"There is no cast from {m['a']} to {m['b']}"
            + (f" (column {m['column']})." if m["column"] else ".")
        ),
        "Convert through another type, or use a function made for it (UNIX_SECONDS, ...).",
    ),
    (
        re.compile(
            r"Type (?P<source>\w+) with value .* can't be cast because the value is out of "
            r"range for the destination type (?P<target>\w+)",
            re.S,
        ),
        lambda m: f"A {m['source']} value is out of range for {m['target']}.",
        "Keep the values within the type's range, or cast to a wider type (FLOAT64, NUMERIC).",
    ),
    (
        re.compile(r"Overflow in (?P<op>[a-z]+) of (?P<type>\w+)"),
        lambda m: f"Overflow in {m['op']} of {m['type']}.",
        "Cast to FLOAT64 or NUMERIC before the arithmetic.",
    ),
    (
        re.compile(r"\b(?P<type>int64|numeric|bignumeric|float64|double|integer) overflow", re.I),
        lambda m: f"{m['type'].upper()} overflow: an arithmetic result is out of range.",
        "Cast to FLOAT64 or NUMERIC before the arithmetic.",
    ),
    (
        re.compile(r"division by zero", re.I),
        lambda m: "Division by zero.",
        "SAFE_DIVIDE(a, b) or a / NULLIF(b, 0) gives NULL instead.",
    ),
    (
        re.compile(
            r"Could not parse string .* according to format specifier|Failed to parse input"
            r"|Mismatch between format character|Could not parse .* as (?:a )?(?:date|time)",
            re.I | re.S,
        ),
        lambda m: "A value could not be parsed with the query's date or time format.",
        _PARSE_HINT,
    ),
    (
        re.compile(r"Malformed JSON|Invalid JSON|JSON parse error|Cannot parse JSON", re.I),
        lambda m: "A value is not valid JSON.",
        "SAFE.PARSE_JSON gives NULL for text that is not JSON.",
    ),
    (
        re.compile(
            r"^(?:(?:Cannot parse|Invalid) regular expression: )?(?P<reason>"
            + "|".join(re.escape(reason) for reason in _RE2_REASONS)
            + r")(?::|$)",
            re.I,
        ),
        lambda m: f"A regular expression is not valid ({m['reason']}).",
        "Build patterns from literals; a value used as a pattern must be a valid RE2 regex.",
    ),
    (
        re.compile(r"\b(?:Array index|OFFSET|ORDINAL)\b.*\bout of (?:bounds|range)", re.I | re.S),
        lambda m: "An array index is out of bounds.",
        "SAFE_OFFSET(n) and SAFE_ORDINAL(n) give NULL past the end of an array.",
    ),
)

#: What the fallback calls a kind of error it cannot read.
_KINDS = {
    "Conversion Error": "a conversion error",
    "Out of Range Error": "an out-of-range error",
    "Invalid Input Error": "an invalid-input error (ERROR() or a value a function cannot take)",
    "Not implemented Error": "a not-implemented error",
    "Mismatch Type Error": "a type mismatch",
}


def driver_kind(text: str) -> tuple[str | None, str]:
    """``("Conversion Error", rest)`` from ``"Conversion Error: rest"``, also after a
    prefix (the BigQuery emulator's)."""
    match = _KIND.match(text) or _KIND.search(text)
    if match is None:
        return None, text
    return match["kind"], text[match.end() :]


#: The driver's kinds of error raised while rows are read, which can quote their values.
_RUN_TIME_KINDS = frozenset(_KINDS)


def may_quote_values(text: str) -> bool:
    """Whether ``text`` is an error of the kind raised while rows are read (a failed
    conversion, ERROR(), a parser given a value), so it may quote a value."""
    kind, body = driver_kind(_POSITION.sub("", text).strip())
    return kind in _RUN_TIME_KINDS or any(pattern.search(body) for pattern, _, _ in _RULES)


def is_literal_of(text: str, sql: str | None) -> bool:
    """Whether ``text`` is a string literal written in ``sql``: the query's own words,
    as in ``ERROR('negative total')``, not a value from a row."""
    if not sql or not text:
        return False
    return any(f"{quote}{text}{quote}" in sql for quote in ("'", '"'))


def reduce_error(text: str, *, sql: str | None = None, kind: str | None = None) -> Reduced:
    """The data-free form of one line of driver error text (see the module docstring).

    ``kind`` is the driver's kind of error when the text no longer carries it; ``sql``
    the query that ran, whose own string literals may be repeated.
    """
    position = _POSITION.search(text)
    where = f" (at line {position['line']}, column {position['column']})" if position else ""
    body = _POSITION.sub("", text).strip()
    found_kind, body = driver_kind(body)
    kind = found_kind or kind
    for pattern, sentence, hint in _RULES:
        match = pattern.search(body)
        if match is not None:
            if is_literal_of(match.groupdict().get("value") or "", sql):
                # The value is the query's own literal (CAST('abc' AS INT64)): say it.
                return Reduced(_with_position(body.rstrip(".") + ".", where), hint)
            return Reduced(_with_position(sentence(match), where), hint)
    if is_literal_of(body, sql):
        return Reduced(_with_position(f"The query raised an error: {body}", where), _WITHHELD_HINT)
    described = _KINDS.get(kind or "", "an error while it ran")
    return Reduced(
        _with_position(
            f"The query stopped with {described}; the backend's text is withheld, as it can "
            "quote values from the rows.",
            where,
        ),
        _WITHHELD_HINT,
        withheld=True,
    )


def _with_position(sentence: str, where: str) -> str:
    if not where:
        return sentence
    return sentence[:-1] + where + "." if sentence.endswith(".") else sentence + where
