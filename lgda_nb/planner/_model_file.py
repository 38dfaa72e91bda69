"""Model files for a user's own data: ``lgda model init`` writes one, ``lgda model check``
finds what is wrong with one.

``init`` profiles the configured backend's allowed tables (row and distinct counts,
which foreign keys are contained in their targets, personal data by name and by a
sample of values), lets ``_generic.infer`` guess the model from the schema and that
profile, and writes it as TOML with a ``# guessed:`` comment above every entry. The
file loads into exactly the model that was inferred.

``check`` reads a model file and the data, and lists problems with the line they are
on: TOML that does not parse, names used twice, tables and columns the data lacks,
joins whose values are not all found in a unique key, dimensions with too many values
to index, metrics and breakdowns that do not compile or run.

Every query here is built as a sqlglot tree and sent to the backend like the engine's
own value index; metrics and breakdowns go through the security policy first.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import ConfigError, LGDAError
from lgda_nb.planner._generic import (
    _OUTPUT_NAMES,
    _RESERVED,
    Inference,
    Profile,
    _is_id_like,
    _kind,
    _phrase_key,
    _pii_by_name,
    infer,
    join_candidates,
)
from lgda_nb.planner._model import Dimension, Join, Metric, SemanticModel, Table

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.engine import Engine

__all__ = ["VALUE_INDEX_LIMIT", "Problem", "check_model", "init_model", "profile", "render"]

#: The engine indexes a dimension's values only when it has at most this many.
VALUE_INDEX_LIMIT = 2000
#: Column names the compiler gives its own output.
_COMPILER_NAMES = _OUTPUT_NAMES
_PII_SAMPLE = 200


# --------------------------------------------------------------------------- init


def _tables(engine: Engine) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The allowed tables the backend has, and the names of the ones left out."""
    from lgda_nb.engine._planners import model_tables

    known = engine.known_tables()
    chosen = model_tables(engine) if engine.connected() else None
    if chosen:  # connected tables beside the thelook sample: only they are modelled
        return {name: cols for name, cols in known.items() if name.lower() in chosen}, []
    allowed = {name.lower() for name in engine.allowed_tables}
    usable = {name: cols for name, cols in known.items() if name.lower() in allowed}
    if not usable:
        raise ConfigError(
            "None of the backend's tables is in security.allowed_tables, so there is "
            "nothing to model.",
            hint="Allow the tables to model: "
            f"LGDA_SECURITY__ALLOWED_TABLES='{json.dumps(sorted(known))}'"
            if known
            else "Point LGDA_DUCKDB__DATABASE (or LGDA_BIGQUERY__DATASET) at your data.",
        )
    return usable, sorted(name for name in known if name.lower() not in allowed)


def _run(engine: Engine, query: exp.Query) -> Any:
    return engine.backend.execute(query.sql(dialect=engine.backend.dialect))


def profile(engine: Engine, tables: Mapping[str, Mapping[str, str]]) -> Profile:
    """Row and distinct counts, join containment and personal data of ``tables``."""
    from sqlglot import exp

    from lgda_nb.security import detect_column

    rows: dict[str, int] = {}
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    pii: dict[tuple[str, str], str] = {}
    for table, columns in tables.items():
        lower = table.lower()
        counted = [c for c, t in columns.items() if _kind(t) == "text" or _is_id_like(c)]
        selects: list[exp.Expr] = [exp.alias_(exp.Count(this=exp.Star()), "n")]
        for i, column in enumerate(counted):
            name = exp.column(column, quoted=True)
            selects.append(exp.alias_(exp.Count(this=name), f"n{i}"))
            selects.append(
                exp.alias_(exp.Count(this=exp.Distinct(expressions=[name.copy()])), f"d{i}")
            )
        found = _run(engine, exp.select(*selects).from_(exp.table_(table, quoted=True)))
        rows[lower] = int(found["n"].iloc[0])
        for i, column in enumerate(counted):
            counts[lower, column] = (int(found[f"n{i}"].iloc[0]), int(found[f"d{i}"].iloc[0]))
        texts = [c for c, t in columns.items() if _kind(t) == "text"]
        if texts:
            sample = _run(
                engine,
                exp.select(*(exp.column(c, quoted=True) for c in texts))
                .from_(exp.table_(table, quoted=True))
                .limit(_PII_SAMPLE),
            )
            for column in texts:
                kind = detect_column(column, sample[column])
                if kind is not None:
                    pii[lower, column] = kind
    by_lower = {t.lower(): t for t in tables}
    missing: dict[Join, tuple[int, int]] = {}
    for join in join_candidates(tables):
        try:
            missing[join] = _containment(engine, join, by_lower)
        except LGDAError:
            continue  # types that do not compare: the join is written as not checked
    return Profile(rows=rows, counts=counts, missing=missing, pii=pii)


def _containment(engine: Engine, join: Join, tables: Mapping[str, str]) -> tuple[int, int]:
    """Non-null values of the join's many-side column, and how many its target lacks."""
    from sqlglot import exp

    left = exp.column(join.left_column, table="l", quoted=True)
    right = exp.column(join.right_column, table="r", quoted=True)
    targets = (
        exp.select(exp.column(join.right_column, quoted=True))
        .distinct()
        .from_(exp.table_(tables[join.right], quoted=True))
    )
    query = (
        exp.select(
            exp.alias_(exp.Count(this=left), "n"),
            exp.alias_(exp.Count(this=right), "matched"),
        )
        .from_(exp.alias_(exp.table_(tables[join.left], quoted=True), "l", table=True))
        .join(
            targets.subquery("r"),
            on=exp.EQ(this=left.copy(), expression=right.copy()),
            join_type="left",
        )
    )
    found = _run(engine, query)
    values, matched = int(found["n"].iloc[0]), int(found["matched"].iloc[0])
    return values, values - matched


def init_model(engine: Engine, *, name: str | None = None) -> tuple[str, Inference]:
    """The model file text for the engine's data, and the inference it writes."""
    tables, not_allowed = _tables(engine)
    found = infer(tables, name=name or _model_name(engine), profile=profile(engine, tables))
    return render(found, source=_source(engine), not_allowed=not_allowed), found


def _model_name(engine: Engine) -> str:
    config = engine.config
    if config.backend == "bigquery" and config.bigquery.dataset:
        raw = config.bigquery.dataset.rsplit(".", 1)[-1]
    elif config.duckdb.database is None and engine.connected():
        raw = "connected_data"
    elif config.duckdb.database is not None:
        raw = config.duckdb.database.stem
    else:
        raw = "thelook_sample"
    return re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "model"


def _source(engine: Engine) -> str:
    config = engine.config
    if config.backend == "bigquery":
        return f"the BigQuery dataset {config.bigquery.dataset}"
    if engine.connected():
        tables = ", ".join(source["table"] for source in engine.connected())
        where = "" if config.duckdb.database is None else f" and {config.duckdb.database.name}"
        return f"the connected tables {tables}{where}"
    if config.duckdb.database is not None:
        return f"the DuckDB file {config.duckdb.database.name}"
    return "the embedded thelook sample"


# ------------------------------------------------------------------------- render


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, and DEL is escaped too)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _array(values: Iterable[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _inline(mapping: Mapping[str, str]) -> str:
    return "{ " + ", ".join(f"{_s(k)} = {_s(v)}" for k, v in mapping.items()) + " }"


def _join(join: Join) -> str:
    return _array((join.left, join.left_column, join.right, join.right_column))


def render(found: Inference, *, source: str, not_allowed: Iterable[str] = ()) -> str:
    """The inference as a model file: every entry under a ``# guessed:`` comment."""
    model = found.model
    out = [
        f"# Semantic model of {source}, written by `lgda model init` from its schema and data.",
        "#",
        "# Every entry below is a guess from column names and the data, and says why",
        '# ("# guessed: ..."). Correct what is wrong, add the words your team uses to',
        "# synonyms, add named filters and rules, delete what nobody asks about. Then",
        "# `lgda model check <this file>` checks it against the data, and",
        "# LGDA_PLANNER__MODEL_FILE=<this file> answers questions with it.",
        "# README 'Semantic model files' describes every field.",
        "",
        f"name = {_s(model.name)}",
        "",
        "# Joins: [many-side table, column, one-side table, column]. The compiler follows",
        "# them from the many side to the one side only, so measures never fan out.",
        "joins = [",
    ]
    for join in model.joins:
        out.append(f"  # guessed: {found.reasons.get(('join', f'{join.left}.{join.left_column}'))}")
        out.append(f"  {_join(join)},")
    out.append("]")
    if found.refused:
        out.append("# Not joined, although the names suggest it (fix the data or the names):")
        for join, why in found.refused:
            out.append(f"#   {_join(join)},  # {why}")
    out.append("")
    out.extend(_personal_data(found))
    left_out = [f"{t} ({why})" for t, why in found.left_out]
    left_out += [f"{t} (not in security.allowed_tables)" for t in not_allowed]
    if left_out:
        out.append(f"# Tables left out: {', '.join(left_out)}.")
        out.append("")
    for table, _ in found.tables:
        out.extend(_table_section(found, table))
    return "\n".join(out).rstrip() + "\n"


_KINDS = {
    "email": "email addresses",
    "phone": "phone numbers",
    "street_address": "street addresses",
    "ip_address": "IP addresses",
    "card_number": "card numbers",
    "person_name": "names of people",
}


def _personal_data(found: Inference) -> list[str]:
    if not found.pii:
        return ["# Personal data: none recognised by name or by a sample of values.", ""]
    policy = ", ".join(f'{_s(column)} = "mask"' for column in found.pii)
    lines = [
        "# Personal data (guessed). A model file does not protect it; the security policy",
        "# does. Columns the detector recognises are masked in answers by default",
        "# (security.pii_default); to name them, put this in lgda.toml:",
        "#   [security]",
        f"#   pii_policy = {{ {policy} }}",
        '# ("deny" refuses queries that read a column; "allow" shows it as it is.)',
    ]
    for column, kind in found.pii.items():
        lines.append(f"# guessed: {column} holds {_KINDS.get(kind, 'personal data')}")
    lines.append("")
    return lines


def _table_section(found: Inference, table: str) -> list[str]:
    model = found.model
    out = [f"# {'=' * 70} {table}", f"# guessed: {found.reasons.get(('table', table))}"]
    others = found.other_dates.get(table, ())
    if others:
        out.append(
            f"# Other dates: {', '.join(others)} (a metric can be dated by one: time = ...)."
        )
    out.append("")
    if table in model.catalog:
        out.extend(_rows(model.catalog[table]))
    for dimension in model.dimensions.values():
        if dimension.table == table and dimension.name in _entity_names(model):
            out.extend(_dimension(dimension, found))
    for metric in model.metrics.values():
        if metric.table == table:
            out.extend(_metric(metric, found))
    for dimension in model.dimensions.values():
        if dimension.table == table and dimension.name not in _entity_names(model):
            out.extend(_dimension(dimension, found))
    return out


def _rows(table: Table) -> list[str]:
    """A ``[[tables]]`` entry: the words for the table's rows and columns, for lists."""
    out = [
        "[[tables]]",
        "# guessed: its rows can be listed; each column answers to its own name",
        f"name = {_s(table.name)}",
        f"words = {_array(table.words)}",
    ]
    for part in ("key", "title"):
        value = getattr(table, part)
        if value:
            out.append(f"{part} = {_s(value)}")
    for section in ("columns", "highest", "lowest"):
        for column, words in getattr(table, section).items():
            out.append(f"{section}.{column} = {_array(words)}")
    return [*out, ""]


def _entity_names(model: SemanticModel) -> set[str]:
    return {m.entity for m in model.metrics.values() if m.entity}


def _metric(metric: Metric, found: Inference) -> list[str]:
    out = [
        "[[metrics]]",
        f"# guessed: {found.reasons.get(('metric', metric.name), 'from the schema')}",
        f"name = {_s(metric.name)}",
        f"label = {_s(metric.label)}",
        f"synonyms = {_array(metric.synonyms)}",
        f"expression = {_s(metric.expression)}",
        f"table = {_s(metric.table)}",
    ]
    if metric.time:
        out.append(f"time = {_s(metric.time)}")
    out.append(f"unit = {_s(metric.unit)}")
    out.append(f"additive = {'true' if metric.additive else 'false'}")
    if metric.entity:
        out.append(f"entity = {_s(metric.entity)}")
    if metric.ask_which:
        why = found.reasons.get(("ask_which", metric.name), "")
        if why:
            out.append(f"# {why}")
        out.append(f"ask_which = {_array(metric.ask_which)}")
    return [*out, ""]


def _dimension(dimension: Dimension, found: Inference) -> list[str]:
    why = found.reasons.get(("dimension", dimension.name), "from the schema")
    out = [
        "[[dimensions]]",
        f"# guessed: {why}",
        f"name = {_s(dimension.name)}",
        f"label = {_s(dimension.label)}",
    ]
    if dimension.synonyms:
        out.append(f"synonyms = {_array(dimension.synonyms)}")
    out.append(f"column = {_s(dimension.column or '')}")
    if dimension.table:
        out.append(f"table = {_s(dimension.table)}")
    if dimension.columns:
        out.append(f"columns = {_inline(dimension.columns)}")
    if dimension.key:
        out.append(f"key = {_s(dimension.key)}")
    out.append(f"values = {'true' if dimension.values else 'false'}")
    return [*out, ""]


# -------------------------------------------------------------------------- check


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with a model file; ``line`` is 0 when no one line is to blame."""

    line: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


class _Lines:
    """Where entries and their keys are in a model file's text."""

    _HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_]+)\s*\]\]")
    _TABLE = re.compile(r"^\s*\[\s*([A-Za-z_]+)\s*\]")
    _KEY = re.compile(r"^\s*\"?([A-Za-z0-9_]+)\"?\s*=")

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, int, str], int] = {}
        self.blocks: dict[tuple[str, int], int] = {}
        self.joins: list[int] = []
        counters: dict[str, int] = {}
        section, index = "", 0
        in_joins = False
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0] if '"' not in line else line
            if in_joins:
                if re.match(r"^\s*\[\s*\"", code):
                    self.joins.append(number)
                if re.match(r"^\s*\]", code):
                    in_joins = False
                continue
            header = self._HEADER.match(code)
            if header:
                section = header[1]
                index = counters.get(section, 0)
                counters[section] = index + 1
                self.blocks[section, index] = number
                continue
            table = self._TABLE.match(code)
            if table and not code.strip().startswith('["'):
                section, index = table[1], 0
                self.blocks[section, index] = number
                continue
            key = self._KEY.match(code)
            if key:
                self.keys.setdefault((section, index, key[1]), number)
                if section == "" and key[1] == "joins":
                    self.joins_line = number
                    rest = code.split("=", 1)[1]
                    in_joins = rest.count("[") > rest.count("]")
                    if not in_joins:
                        self.joins.extend([number] * rest.count('["'))

    def of(self, section: str, index: int = 0, key: str | None = None) -> int:
        if key is not None and (section, index, key) in self.keys:
            return self.keys[section, index, key]
        return self.blocks.get((section, index), 0)

    def join(self, index: int) -> int:
        if index < len(self.joins):
            return self.joins[index]
        return getattr(self, "joins_line", 0)


def check_model(path: Path, engine: Engine) -> list[Problem]:
    """Every problem found in the model file at ``path``, by line, against the data."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        from lgda_nb.errors import UsageError

        raise UsageError(
            f"Cannot read the model file {str(path)!r}: {exc}",
            hint="Pass the path of a TOML model file, such as one `lgda model init` wrote.",
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        return [Problem(int(where[1]) if where else 0, f"not valid TOML: {exc}")]
    lines = _Lines(text)
    problems = _names(data, lines)
    model: SemanticModel | None = None
    try:
        from lgda_nb.planner._model import parse_model

        model = parse_model(data, source=path.name)
    except ConfigError as exc:
        problems.append(Problem(_line_of_message(exc.message, data, lines), exc.message))
    tables = {
        name.lower(): {c.lower(): c for c in cols} for name, cols in engine.known_tables().items()
    }
    from lgda_nb.planner._derived import derived_columns

    problems.extend(_references(data, lines, {**tables, **derived_columns(data)}))
    references_ok = not problems
    problems.extend(_joins_in_data(engine, data, lines, tables))
    problems.extend(_values_in_data(engine, data, lines, tables))
    if model is not None and references_ok:
        problems.extend(_runs(engine, model, data, lines))
    return sorted(set(problems))


def _entries(data: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    value = data.get(section, [])
    if not isinstance(value, list):
        return []
    return [entry if isinstance(entry, dict) else {} for entry in value]


def _line_of_message(message: str, data: Mapping[str, Any], lines: _Lines) -> int:
    """The line of the first entry a parse_model message names in quotes."""
    for quoted in re.findall(r"'([^']+)'", message):
        for section in ("metrics", "dimensions"):
            for i, entry in enumerate(_entries(data, section)):
                if entry.get("name") == quoted:
                    return lines.of(section, i, "name")
    return 0


def _names(data: Mapping[str, Any], lines: _Lines) -> list[Problem]:
    """Names used twice, names the compiler gives its own columns, synonyms two entries
    of one kind claim."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for section in ("metrics", "dimensions"):
        phrases: dict[tuple[str, ...], tuple[str, int]] = {}
        for i, entry in enumerate(_entries(data, section)):
            name = entry.get("name")
            if not isinstance(name, str):
                continue
            line = lines.of(section, i, "name")
            kind = section[:-1]
            if name in seen:
                other_kind, other_line = seen[name]
                problems.append(
                    Problem(
                        line,
                        f"{kind} {name!r} has the name of the {other_kind} on line {other_line}",
                    )
                )
            else:
                seen[name] = (kind, line)
            if name.lower() in _COMPILER_NAMES or name.lower() in _RESERVED:
                problems.append(
                    Problem(
                        line,
                        f"{kind} name {name!r} is a column name or SQL word the "
                        "compiler uses itself; rename it",
                    )
                )
            here = lines.of(section, i, "synonyms") or line
            for phrase in [name.replace("_", " "), *entry.get("synonyms", [])]:
                key = _phrase_key(str(phrase))
                owner, where = phrases.setdefault(key, (name, here)) if key else (name, here)
                if owner != name:
                    problems.append(
                        Problem(
                            here,
                            f"{kind} {name!r} and {owner!r} (line {where}) both "
                            f"answer to {str(phrase)!r}; keep it on one",
                        )
                    )
    return problems


def _column_refs(sql: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(table, column) pairs, bare columns outside subqueries, and tables read in FROM."""
    from sqlglot import exp, parse_one

    tree = parse_one(sql, read="bigquery")
    qualified = [(c.table, c.name) for c in tree.find_all(exp.Column) if c.table]
    bare = [
        c.name
        for c in tree.find_all(exp.Column)
        if not c.table and c.find_ancestor(exp.Select) is None
    ]
    read = [t.name for t in tree.find_all(exp.Table)]
    return qualified, bare, read


def _references(  # noqa: PLR0912, PLR0915 - one branch per place a model names the data
    data: Mapping[str, Any], lines: _Lines, tables: Mapping[str, Mapping[str, str]]
) -> list[Problem]:
    """Tables and columns the model names that the data lacks; SQL that does not parse."""
    problems: list[Problem] = []

    def table_ok(name: object, line: int, what: str) -> bool:
        if isinstance(name, str) and name.lower() in tables:
            return True
        problems.append(Problem(line, f"{what} names table {name!r}, which the data lacks"))
        return False

    def sql_ok(sql: object, line: int, what: str) -> None:
        if not isinstance(sql, str):
            return
        from sqlglot.errors import ParseError

        try:
            qualified, bare, read = _column_refs(sql)
        except (ParseError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(Problem(line, f"{what} does not parse: {first}"))
            return
        for table, column in qualified:
            if table.lower() not in tables:
                problems.append(Problem(line, f"{what} names {table}.{column}: no table {table}"))
            elif column.lower() not in tables[table.lower()]:
                problems.append(
                    Problem(line, f"{what} names {table}.{column}: {table} has no column {column}")
                )
        for column in bare:
            problems.append(
                Problem(
                    line, f"{what} names column {column} without its table; write table.{column}"
                )
            )
        for table in read:
            if table.lower() not in tables:
                problems.append(Problem(line, f"{what} reads table {table}, which the data lacks"))

    for i, metric in enumerate(_entries(data, "metrics")):
        what = f"metric {metric.get('name')!r}"
        if "table" in metric:
            table_ok(metric["table"], lines.of("metrics", i, "table"), what)
        sql_ok(metric.get("expression"), lines.of("metrics", i, "expression"), what)
        sql_ok(metric.get("time"), lines.of("metrics", i, "time"), f"{what} time")
        for alternative in metric.get("alternatives", []):
            if isinstance(alternative, dict):
                line = lines.of("metrics", i, "alternatives")
                table_ok(alternative.get("table"), line, f"{what} alternative")
                sql_ok(alternative.get("expression"), line, f"{what} alternative")
    for i, dimension in enumerate(_entries(data, "dimensions")):
        what = f"dimension {dimension.get('name')!r}"
        for key in ("column", "expression", "key"):
            sql_ok(dimension.get(key), lines.of("dimensions", i, key), what)
        if "table" in dimension:
            table_ok(dimension["table"], lines.of("dimensions", i, "table"), what)
        columns = dimension.get("columns", {})
        for sql in columns.values() if isinstance(columns, dict) else ():
            sql_ok(sql, lines.of("dimensions", i, "columns"), what)
    filters = data.get("filters", {})
    for name, value in filters.items() if isinstance(filters, dict) else ():
        sql = value.get("sql") if isinstance(value, dict) else value
        if not isinstance(sql, str):
            problems.append(
                Problem(
                    lines.of("filters", 0, str(name)),
                    f"filter {name!r} is not SQL text or {{ sql = ..., description = ... }}; "
                    "a key written after [filters] belongs to it (put top-level keys such "
                    "as joins before any [section])",
                )
            )
            continue
        sql_ok(sql, lines.of("filters", 0, str(name)), f"filter {name!r}")
    for i, join in enumerate(data.get("joins", [])):
        line = lines.join(i)
        if not (isinstance(join, list) and len(join) == 4):
            problems.append(Problem(line, f"join {join!r} is not [table, column, table, column]"))
            continue
        for table, column in ((join[0], join[1]), (join[2], join[3])):
            if (
                table_ok(table, line, f"join {join!r}")
                and str(column).lower() not in tables[str(table).lower()]
            ):
                problems.append(Problem(line, f"join {join!r}: {table} has no column {column}"))
    for i, entry in enumerate(_entries(data, "tables")):
        line = lines.of("tables", i, "name")
        if not table_ok(entry.get("name"), line, f"[[tables]] {entry.get('name')!r}"):
            continue
        have = tables[str(entry["name"]).lower()]
        columns = entry.get("columns", {})
        for column in columns if isinstance(columns, dict) else ():
            if str(column).lower() not in have:
                problems.append(
                    Problem(line, f"[[tables]] {entry['name']!r}: no column {column} in the data")
                )
    funnel = data.get("funnel", {})
    if isinstance(funnel, dict) and "table" in funnel:
        line = lines.of("funnel", 0, "table")
        if table_ok(funnel["table"], line, "[funnel]"):
            for key in ("session", "step"):
                column = funnel.get(key)
                if (
                    column is not None
                    and str(column).lower() not in tables[str(funnel["table"]).lower()]
                ):
                    problems.append(
                        Problem(
                            lines.of("funnel", 0, key),
                            f"[funnel] {key} {column!r} is not a column of {funnel['table']}",
                        )
                    )
    return problems


def _joins_in_data(
    engine: Engine,
    data: Mapping[str, Any],
    lines: _Lines,
    tables: Mapping[str, Mapping[str, str]],
) -> list[Problem]:
    """Joins whose values are not all in the target, or whose target key repeats."""
    from sqlglot import exp

    names = {t.lower(): t for t in engine.known_tables()}
    problems: list[Problem] = []
    for i, raw in enumerate(data.get("joins", [])):
        if not (isinstance(raw, list) and len(raw) == 4):
            continue
        left, left_column, right, right_column = (str(part) for part in raw)
        try:
            left_column = tables[left.lower()][left_column.lower()]
            right_column = tables[right.lower()][right_column.lower()]
        except KeyError:
            continue  # reported as a missing table or column
        join = Join(left.lower(), left_column, right.lower(), right_column)
        line = lines.join(i)
        try:
            values, missing = _containment(engine, join, names)
            key = exp.column(right_column, quoted=True)
            found = _run(
                engine,
                exp.select(
                    exp.alias_(exp.Count(this=exp.Star()), "n"),
                    exp.alias_(exp.Count(this=exp.Distinct(expressions=[key])), "d"),
                ).from_(exp.table_(names[join.right], quoted=True)),
            )
        except LGDAError as exc:
            problems.append(Problem(line, f"join {raw!r} cannot be checked: {exc.message}"))
            continue
        if missing:
            problems.append(
                Problem(
                    line,
                    f"join {raw!r}: {missing:,} of {values:,} values of "
                    f"{left}.{left_column} are not in {right}.{right_column}",
                )
            )
        rows, distinct = int(found["n"].iloc[0]), int(found["d"].iloc[0])
        if distinct != rows:
            problems.append(
                Problem(
                    line,
                    f"join {raw!r}: {right}.{right_column} is not a unique key "
                    f"({rows - distinct:,} rows repeat a value or have none), so "
                    "measures would be counted more than once",
                )
            )
    return problems


def _values_in_data(
    engine: Engine,
    data: Mapping[str, Any],
    lines: _Lines,
    tables: Mapping[str, Mapping[str, str]],
) -> list[Problem]:
    """Dimensions marked ``values`` with more values than the index keeps, or that look
    like personal data."""
    from sqlglot import exp

    names = {t.lower(): t for t in engine.known_tables()}
    problems: list[Problem] = []
    for i, dimension in enumerate(_entries(data, "dimensions")):
        column = dimension.get("column")
        if not dimension.get("values") or not isinstance(column, str) or "." not in column:
            continue
        table, _, name = column.partition(".")
        name = name.strip("`")
        actual = tables.get(table.lower(), {}).get(name.lower())
        if actual is None:
            continue
        line = lines.of("dimensions", i, "values")
        label = f"dimension {dimension.get('name')!r}"
        kind = _pii_by_name(actual)
        if kind is not None:
            problems.append(
                Problem(
                    line,
                    f"{label} indexes the values of {column}, which looks like "
                    f"personal data ({kind.replace('_', ' ')}); set values = false",
                )
            )
        try:
            found = _run(
                engine,
                exp.select(
                    exp.alias_(
                        exp.Count(this=exp.Distinct(expressions=[exp.column(actual, quoted=True)])),
                        "d",
                    )
                ).from_(exp.table_(names[table.lower()], quoted=True)),
            )
        except LGDAError as exc:
            problems.append(Problem(line, f"{label} cannot be counted: {exc.message}"))
            continue
        distinct = int(found["d"].iloc[0])
        if distinct > VALUE_INDEX_LIMIT:
            problems.append(
                Problem(
                    line,
                    f"{label} is marked values = true but {column} has "
                    f"{distinct:,} distinct values; the index keeps at most "
                    f"{VALUE_INDEX_LIMIT:,}, so set values = false",
                )
            )
    return problems


def _runs(
    engine: Engine, model: SemanticModel, data: Mapping[str, Any], lines: _Lines
) -> list[Problem]:
    """Each metric alone, each dimension with a metric that reaches it, and each listed
    table's rows, compiled and run with LIMIT 0 through the security policy."""
    from lgda_nb.planner._plan import Plan

    index = {
        (section, entry.get("name")): i
        for section in ("metrics", "dimensions")
        for i, entry in enumerate(_entries(data, section))
    }
    problems: list[Problem] = []
    for name in model.metrics:
        line = lines.of("metrics", index.get(("metrics", name), -1), "expression")
        error = _try(engine, model, Plan(question=name, metrics=(name,)))
        if error:
            problems.append(Problem(line, f"metric {name!r} does not run: {error}"))
    for name, dimension in model.dimensions.items():
        line = lines.of("dimensions", index.get(("dimensions", name), -1), "name")
        _, table = _dimension_table(dimension)
        reaching = next(
            (
                m
                for m in model.metrics.values()
                if m.table in dimension.columns or model.reaches(m.table, table)
            ),
            None,
        )
        if reaching is None:
            problems.append(
                Problem(
                    line,
                    f"dimension {name!r} cannot break down any metric: no join "
                    f"leads from a metric's table to {table}",
                )
            )
            continue
        error = _try(
            engine, model, Plan(question=name, metrics=(reaching.name,), dimensions=(name,))
        )
        if error:
            problems.append(
                Problem(line, f"dimension {name!r} does not run with {reaching.name!r}: {error}")
            )
    for i, (name, listed) in enumerate(model.catalog.items()):
        rows = Plan(question=name, metrics=(), rows=name, columns=listed.default_columns())
        error = _try(engine, model, rows)
        if error:
            line = lines.of("tables", i, "name")
            problems.append(Problem(line, f"the rows of [[tables]] {name!r} do not run: {error}"))
    return problems


def _dimension_table(dimension: Dimension) -> tuple[str, str]:
    try:
        return dimension.own_sql()
    except ValueError:  # an expression over two tables
        return dimension.expression or dimension.column or "", dimension.table or ""


def _try(engine: Engine, model: SemanticModel, plan: Any) -> str | None:
    """None when the plan compiles, passes the policy and runs; else what went wrong."""
    from lgda_nb.engine._sql import to_backend
    from lgda_nb.planner._compile import compile_plan

    try:
        sql = compile_plan(plan, model, as_of=engine.config.planner.as_of)
        checked = engine.validator.validate(sql, known_tables=engine.known_tables())
        engine.backend.execute(
            to_backend(checked.tree.copy().limit(0), dialect=engine.backend.dialect)
        )
    except LGDAError as exc:
        return exc.message
    except (KeyError, ValueError, TypeError) as exc:  # a compiler that cannot build it
        return f"{type(exc).__name__}: {exc}"
    return None
