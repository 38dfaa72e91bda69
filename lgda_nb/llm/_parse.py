"""Reading a model's reply: JSON in code fences, prose around it, or cut off mid-way.

``parse_reply`` returns the typed query or the SQL, the tables and the rationale, raises
``PlanningError`` when the model says the question cannot be answered, and
``TransientProviderError`` when nothing usable can be read (asking again may help).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lgda_nb.errors import PlanningError, TransientProviderError

_FENCE = re.compile(r"```[ \t]*([a-zA-Z]*)[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_BARE_SQL = re.compile(r"(?is)\b(WITH\s+\w+\s+AS\s*\(|SELECT\b).*")


@dataclass(frozen=True)
class ParsedReply:
    """The parts of a reply the planner uses: a typed query, SQL, or both."""

    sql: str = ""
    tables: tuple[str, ...] = ()
    rationale: str = ""
    #: The typed query (metrics, dimensions, filters, ...) when the model wrote one.
    query: dict[str, Any] | None = None


def parse_reply(text: str, *, provider: str = "") -> ParsedReply:
    """The SQL a reply proposes; see the module docstring for what is tolerated."""
    data = _json_object(text)
    if data is not None:
        query = data.get("query")
        query = query if isinstance(query, dict) and query else None
        if data.get("unanswerable") and not data.get("sql") and query is None:
            raise PlanningError(
                f"The model could not answer this from the data: {data['unanswerable']}",
                hint="Rephrase the question in terms of the tables, or ask `%%lgda --sql`.",
            )
        sql = data.get("sql")
        sql = _clean_sql(sql) if isinstance(sql, str) and sql.strip() else ""
        if sql or query is not None:
            tables = data.get("tables") or ()
            return ParsedReply(
                sql=sql,
                tables=tuple(str(t) for t in tables) if isinstance(tables, list) else (),
                rationale=str(data.get("rationale") or "").strip(),
                query=query,
            )
    # A model that ignored the JSON rule may still give plain SQL; broken JSON is not that.
    sql = None if "{" in text else _sql_outside_json(text)
    if sql:
        return ParsedReply(sql=sql, rationale="")
    raise TransientProviderError(
        "The model's reply held no SQL that could be read.",
        provider=provider,
        detail=text[:300],
    )


def _json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in ``text``: fenced or bare, completed if it was cut off."""
    candidates = [body for lang, body in _FENCE.findall(text) if lang.lower() in ("", "json")]
    candidates.append(text)
    for candidate in candidates:
        start = candidate.find("{")
        if start < 0:
            continue
        data = _load(candidate[start:])
        if data is not None:
            return data
    return None


def _load(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    try:
        value, _ = decoder.raw_decode(text)
    except json.JSONDecodeError:
        value = _complete(text)
    return value if isinstance(value, dict) else None


def _complete(text: str) -> Any:
    """Close the strings, arrays and objects a truncated reply left open, then parse."""
    closers: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            closers.append("}" if char == "{" else "]")
        elif char in "}]" and closers:
            closers.pop()
    tail = ('"' if in_string else "") + "".join(reversed(closers))
    try:
        return json.loads(text.rstrip().rstrip(",") + tail)
    except json.JSONDecodeError:
        return None


def _sql_outside_json(text: str) -> str | None:
    """SQL in a ```sql fence, or a bare statement, from a reply holding no JSON at all."""
    for lang, body in _FENCE.findall(text):
        if lang.lower() in ("sql", "bigquery", "googlesql"):
            return _clean_sql(body)
    match = _BARE_SQL.search(text)
    return _clean_sql(match.group(0)) if match else None


def _clean_sql(sql: str) -> str:
    """The statement without fences, surrounding blanks or a trailing semicolon."""
    sql = sql.strip()
    fenced = _FENCE.search(sql)
    if fenced and sql.startswith("```"):
        sql = fenced.group(2).strip()
    return sql.rstrip().removesuffix(";").rstrip()
