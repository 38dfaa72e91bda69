"""What a language model is told: schema, metric rules, dialect rules, worked examples.

The prompt carries no result rows unless ``LGDA_LLM__SEND_DATA=sample_rows``;
worked examples are picked by word overlap with the question from the built-in
examples and the user's own file (``Engine.add_example``).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lgda_nb.planner import SemanticModel

#: Worked examples shown to the model per question.
EXAMPLES_PER_PROMPT = 3
#: The JSON the model must answer with (also sent as a schema where the API takes one).
REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": ["object", "null"]},
        "sql": {"type": ["string", "null"]},
        "tables": {"type": "array", "items": {"type": "string"}},
        "rationale": {"type": "string"},
        "unanswerable": {"type": ["string", "null"]},
    },
    "required": ["sql", "rationale"],
}
#: Dimensions with more values than this are not listed in the prompt.
MAX_LISTED_VALUES = 40


def reply_schema(query: dict[str, Any]) -> dict[str, Any]:
    """``REPLY_SCHEMA`` with the typed query's own schema (the model's names only)."""
    properties = {**REPLY_SCHEMA["properties"], "query": {"anyOf": [query, {"type": "null"}]}}
    return {**REPLY_SCHEMA, "properties": properties}


_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are by do does for from how i in is it me many much of on or per show the "
    "to was we were what which who with".split()
)


@dataclass(frozen=True)
class Example:
    """A question and the SQL that answers it, shown to the model as a pattern."""

    question: str
    sql: str

    def words(self) -> frozenset[str]:
        """Content words of the question, for similarity."""
        return _words(self.question)

    def tables(self) -> frozenset[str]:
        """The tables the SQL reads (CTE names excluded); empty if it does not parse."""
        return _tables(self.sql)


@functools.lru_cache(maxsize=1024)
def _tables(sql: str) -> frozenset[str]:
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="bigquery")
    except sqlglot.errors.ParseError:
        return frozenset()
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    return frozenset(t.name.lower() for t in tree.find_all(exp.Table)) - ctes


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS)


def similarity(question: str, example: Example) -> float:
    """Cosine of the two questions' content-word sets (0 when nothing is shared)."""
    a, b = _words(question), example.words()
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def examples_path(configured: Path | None) -> Path:
    """Where ``Engine.add_example`` stores examples: the setting, else the user data dir."""
    if configured is not None:
        return configured.expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("lgda_nb")) / "examples.jsonl"


class ExampleStore:
    """Built-in examples plus the user's file of examples (JSON lines, appended to)."""

    def __init__(self, path: Path, *, builtin: bool = True) -> None:
        self.path = path
        self._builtin = list(_builtin_examples()) if builtin else []

    def all(self) -> list[Example]:
        """Built-in examples first, then the user's, in the order they were added."""
        return [*self._builtin, *self._user()]

    def _user(self) -> list[Example]:
        if not self.path.exists():
            return []
        examples = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                examples.append(Example(str(raw["question"]), str(raw["sql"])))
        return examples

    def add(self, question: str, sql: str) -> Example:
        """Append one example to the user's file (created with its folder if needed)."""
        example = Example(question.strip(), sql.strip())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"question": example.question, "sql": example.sql}) + "\n")
        return example

    def select(
        self, question: str, *, tables: Iterable[str], k: int = EXAMPLES_PER_PROMPT
    ) -> list[Example]:
        """The ``k`` examples closest to ``question`` whose tables all exist here."""
        known = {t.lower() for t in tables}
        usable = [e for e in self.all() if e.tables() and e.tables() <= known]
        scored = sorted(
            ((similarity(question, e), i, e) for i, e in enumerate(usable)),
            key=lambda item: (-item[0], item[1]),
        )
        return [e for score, _, e in scored[:k] if score > 0]


@functools.cache
def _builtin_examples() -> tuple[Example, ...]:
    """The examples shipped with the package, read once."""
    text = resources.files("lgda_nb.llm").joinpath("examples.jsonl").read_text("utf-8")
    return tuple(
        Example(raw["question"], raw["sql"])
        for raw in map(json.loads, filter(str.strip, text.splitlines()))
    )


def system_prompt(
    tables: Mapping[str, Mapping[str, str]],
    model: SemanticModel,
    *,
    as_of: str | None,
    max_rows: int,
) -> str:
    """The standing instructions: dialect rules, schema, joins, metrics and conventions."""
    now = (
        f"the fixed as-of time {as_of}"
        if as_of
        else "the latest timestamp in the data, e.g. (SELECT MAX(created_at) FROM orders)"
    )
    lines = [
        "You write one BigQuery Standard SQL query that answers a business question "
        "about the tables below.",
        "",
        "Rules:",
        "- Exactly one SELECT statement (WITH is fine). No INSERT, UPDATE, DELETE, MERGE, "
        "CREATE, DROP, EXPORT, scripting, semicolons or comments.",
        "- Use only the tables and columns listed here, by their bare names (orders, not "
        "project.dataset.orders). No INFORMATION_SCHEMA, wildcards or table functions.",
        f"- 'Now' is {now}; relative periods such as 'last month' or 'this year' are "
        "measured from it. Never use CURRENT_DATE() or CURRENT_TIMESTAMP().",
        "- Name every output column in snake_case; round money to 2 decimals.",
        f"- Return at most {max_rows} rows; order rankings and time series explicitly.",
        "- Follow the metric definitions and conventions exactly.",
        "- Answer with JSON only, no prose. When the question fits the typed query below, "
        'answer {"query": {...}, "sql": null, "rationale": "<one line>"}; otherwise '
        '{"sql": "<the query>", "tables": ["<table>", ...], "rationale": "<one line>"}. '
        'If the tables cannot answer the question, answer {"sql": null, '
        '"unanswerable": "<why>", "rationale": ""}.',
        "",
        "Tables (column TYPE):",
    ]
    for name in sorted(tables):
        columns = ", ".join(f"{c} {t}" for c, t in tables[name].items())
        lines.append(f"- {name}({columns})")
    known = set(tables)
    joins = [j for j in model.joins if j.left in known and j.right in known]
    if joins:
        lines += ["", "Join keys (many side = one side):"]
        lines += [f"- {j.left}.{j.left_column} = {j.right}.{j.right_column}" for j in joins]
    metrics = [m for m in model.metrics.values() if m.table in known]
    if metrics:
        lines += ["", "Metric definitions:"]
        for m in metrics:
            rule = f"- {m.name} ({m.label}): {m.expression}"
            filters = [model.named_filters.get(f, f) for f in m.filters]
            if filters:
                rule += " WHERE " + " AND ".join(filters)
            if m.time:
                rule += f"; dated by {m.time}"
            lines.append(rule)
    if model.named_filters:
        lines += ["", "Conventions:"]
        lines += [f"- {name}: {rule}" for name, rule in model.named_filters.items()]
    if model.phrases:
        lines += ["", "Words of this dataset (read the phrase as what it means):"]
        lines += [f"- '{said}' means '{means}'" for said, means in model.phrases.items()]
    return "\n".join(lines)


def user_prompt(
    question: str,
    examples: Sequence[Example],
    *,
    sample_rows: Mapping[str, str] | None = None,
) -> str:
    """The question, with worked examples and, if allowed, a few sample rows per table."""
    parts = []
    if sample_rows:
        parts.append("Sample rows (CSV):")
        parts += [f"{name}:\n{rows}" for name, rows in sample_rows.items()]
        parts.append("")
    for example in examples:
        parts.append(f"Question: {example.question}")
        parts.append(json.dumps({"sql": example.sql, "rationale": "worked example"}))
        parts.append("")
    parts.append(f"Question: {question}")
    return "\n".join(parts)


def repair_prompt(question: str, sql: str, error: str) -> str:
    """Ask for a corrected query after ``sql`` failed with ``error``."""
    return (
        f"Question: {question}\n"
        f"Your previous query failed.\nQuery: {sql}\nError: {error}\n"
        "Answer with corrected JSON in the same form."
    )


def typed_query_prompt(model: SemanticModel, values: Mapping[str, Sequence[str]]) -> str:
    """How to answer with a typed query over ``model``: names, operators, windows, an example.

    A typed query is compiled by the toolkit itself, with the model's conventions
    (default filters, joins, time anchoring) applied, so it is preferred to SQL.
    """
    from lgda_nb.planner._entity import ENTITY_PROMPT
    from lgda_nb.planner._plan import WINDOW_KINDS
    from lgda_nb.planner._query import GRAINS, OPERATORS

    lines = [
        "Typed query (preferred): the toolkit compiles it with the conventions applied.",
        "Fields: metrics (list, required), dimensions (list), filters (list of "
        '{"dimension", "op", "values", "negate"}), time_window ({"kind", "n", "year", '
        '"month", "years"}), grain, order (auto|desc|asc|time), limit, display (asc|desc: '
        "the order a ranking's rows are shown in when not its own, as in 'top 5 by "
        "revenue, smallest first'), per (the ranking "
        "restarts in each value of this dimension; per_by_key: true lists those groups by id "
        "when the question names their id), share (each row's share of the total), "
        "growth (change from the previous period of the grain), compare (the window against "
        'the period before it), conditions (list of {"metric", "per", "op", "values"}: only '
        "the rows of each per-dimension value whose metric passes the comparison; "
        '"ever": true takes the metric over all time, "window" over a window of its own, '
        "as in 'customers who bought in 2024 but not in 2025'), "
        "ignore_rules (names of conventions not to apply, when the question asks for rows "
        "a convention would leave out), compare_with (a window: the earlier period a "
        "comparison is with, as in 'Q1 2025 vs Q1 2024'), rank_by ('change': a comparison "
        "ranked on the change in %, 'difference': on the later value minus the earlier, as "
        "in 'the biggest increase in orders'), rolling (a rolling average over this many "
        'periods of the grain), bands (list of {"dimension", "edges", "width"}: a numeric '
        "breakdown in bands, edges the lower bounds of every band but the first, or one "
        "bucket width).",
        "Metrics: " + ", ".join(f"{m.name} ({m.label})" for m in model.metrics.values()) + ".",
        "Also: distinct:<dimension> counts distinct values; distinct_in:<metric>:<dimension> "
        "counts them among the rows a counting metric counts, with its rules and date "
        "(distinct products sold); share_of_measured makes a share of the things meeting "
        "a condition be over those whose condition measure exists (of delivered orders); "
        "min:, max:, avg:, median:<numeric "
        "dimension>; ratio:<metric>:<metric> divides two metrics of the same rows.",
        ENTITY_PROMPT,
        "Dimensions:",
    ]
    for dimension in model.dimensions.values():
        line = f"- {dimension.name} ({dimension.label})"
        if dimension.numeric:
            line += ", numeric: compare with > >= < <= = between"
        known = values.get(dimension.name)
        if known and len(known) <= MAX_LISTED_VALUES:
            line += "; values: " + ", ".join(map(str, known))
        lines.append(line)
    lines += [
        f"Filter operators: {', '.join(OPERATORS)}; 'in' takes the data's values exactly, "
        "'negate' excludes them.",
        "Time windows (kind: meaning): "
        + "; ".join(f"{kind}: {words}" for kind, words in WINDOW_KINDS.items())
        + ". Relative windows count back from 'now'. A month_range runs from 'month' of "
        "years[0] through month 'n' of years[1], both whole; a date_range from day 'n' of "
        "'month' of 'year' through years [year, month, day], both included.",
        f"Grains: {', '.join(GRAINS)}.",
    ]
    if model.catalog:
        lines.append(
            "A list of rows instead of a measure: metrics [], rows (a table), columns "
            "(table.column names to show), sort (a table.column) with order asc|desc, limit, "
            "distinct (the columns' distinct values); filters and time_window as above. "
            "Tables and columns: "
            + "; ".join(f"{t.name}: {', '.join(t.columns)}" for t in model.catalog.values())
            + "."
        )
    if model.funnel:
        lines.append(
            f"Sessions ({model.funnel['measure']}): funnel true is the closed funnel over "
            f"steps, a subset in this order: {', '.join(map(str, model.funnel['steps']))} "
            "(empty for all; the first is where it starts); session_filters keep sessions "
            "with an event matching each filter (negate: with none); session_rate asks the % "
            "of those sessions with (or without) such events; steps with funnel false count "
            "each step's sessions on their own, side by side (a row per step when the step's "
            "dimension is a breakdown)."
        )
    metric = next(iter(model.metrics.values()), None)
    first = next(iter(model.dimensions.values()), None)
    if metric is not None and first is not None:
        example = {"metrics": [metric.name], "dimensions": [first.name], "order": "desc",
                   "limit": 5}  # fmt: skip
        lines.append(
            f"Example: top 5 {first.label.lower()} by {metric.label.lower()} -> "
            + json.dumps({"query": example, "sql": None, "rationale": "ranking"})
        )
    return "\n".join(lines)
